#include "core/campaigns/voucher_codes.hpp"

#include <cassert>

#include "core/basics/seeded_random.hpp"

namespace loyalty {

namespace {
constexpr std::uint32_t alphabet_size = 31;
static_assert(voucher_alphabet.size() == alphabet_size);

int value_of(char c) {
  const std::size_t position = voucher_alphabet.find(c);
  return position == std::string_view::npos ? -1 : static_cast<int>(position);
}

std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 0xcbf29ce484222325ULL) {
  for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return hash;
}
}  // namespace

bool is_voucher_alphabet(char c) { return value_of(c) >= 0; }

// Luhn mod N for an odd N: from the right, every second value doubled modulo N (with N
// prime, doubling is a bijection, so every single substitution changes the sum, and
// 2a + b differs from 2b + a whenever a differs from b, so every swap of neighbours does
// too); the check character makes the sum a multiple of N.
char voucher_check_char(std::string_view payload) {
  std::uint32_t sum = 0;
  bool double_it = true;   // the check character will be the rightmost, undoubled
  for (std::size_t i = payload.size(); i-- > 0;) {
    const int value = value_of(payload[i]);
    assert(value >= 0);
    std::uint32_t addend = static_cast<std::uint32_t>(value);
    if (double_it) addend = addend * 2 % alphabet_size;
    sum += addend;
    double_it = !double_it;
  }
  return voucher_alphabet[(alphabet_size - sum % alphabet_size) % alphabet_size];
}

bool voucher_check_valid(std::string_view canonical) {
  if (canonical.size() < 2) return false;
  for (char c : canonical) {
    if (!is_voucher_alphabet(c)) return false;
  }
  return voucher_check_char(canonical.substr(0, canonical.size() - 1)) == canonical.back();
}

std::optional<std::string> normalize_voucher_code(std::string_view text) {
  std::string canonical;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '-') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return std::nullopt;
    canonical.push_back(c);
  }
  if (canonical.empty()) return std::nullopt;
  return canonical;
}

std::string format_voucher_code(std::string_view canonical, std::size_t prefix_chars) {
  std::string shown(canonical.substr(0, prefix_chars));
  const std::string_view rest = canonical.substr(std::min(prefix_chars, canonical.size()));
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (i % 4 == 0 && !shown.empty()) shown.push_back('-');
    shown.push_back(rest[i]);
  }
  return shown;
}

std::uint64_t voucher_seed_bits(std::string_view seed) { return fnv1a(seed); }

std::string draw_voucher_code(std::uint64_t seed_bits, std::string_view campaign_id, std::uint64_t draw,
                              std::string_view prefix) {
  // One generator per (seed, campaign, draw): a code never depends on how many were drawn
  // before it in another command.
  SeededRandom random{fnv1a(campaign_id, seed_bits) ^ (draw * 0x9E3779B97F4A7C15ULL)};
  std::string code(prefix);
  for (std::size_t i = 0; i < voucher_random_chars; ++i) code.push_back(voucher_alphabet[random.below(alphabet_size)]);
  code.push_back(voucher_check_char(code));
  return code;
}

}  // namespace loyalty
