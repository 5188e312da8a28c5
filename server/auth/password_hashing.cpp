#include "server/auth/password_hashing.hpp"

#include <sodium.h>

#include <array>
#include <cstdlib>
#include <semaphore>

#include "server/auth/secrets.hpp"

namespace loyalty::server::auth {
namespace {

constexpr std::size_t password_min_bytes = 8;
// Long enough for any passphrase; bounds the work one request can ask of the hasher.
constexpr std::size_t password_max_bytes = 1024;

// Each hash takes 64 MiB at the interactive cost: without a bound, a burst of sign-ins on
// 64 worker threads could ask for 4 GiB. Four at a time keep both cores busy.
std::counting_semaphore<4> hashing_slots(4);

struct HashCost {
  unsigned long long operations;
  std::size_t memory_bytes;
};

HashCost current_cost() {
  static const HashCost cost = [] {
    const char* fast = std::getenv("LOYALTY_FAST_PASSWORD_HASH");
    if (fast != nullptr && std::string_view(fast) == "1") {
      return HashCost{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    }
    return HashCost{crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
  }();
  return cost;
}

// crypto_pwhash_str wants a NUL-terminated stored hash.
bool verify_with_slot(std::string_view password, const std::string& stored_hash) {
  hashing_slots.acquire();
  const int result =
      crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size());
  hashing_slots.release();
  return result == 0;
}

}  // namespace

std::optional<PasswordProblem> check_new_password(std::string_view password) {
  if (password.size() < password_min_bytes) {
    return PasswordProblem{"Mật khẩu phải có ít nhất 8 ký tự.",
                           "The password must have at least 8 characters."};
  }
  if (password.size() > password_max_bytes) {
    return PasswordProblem{"Mật khẩu quá dài (tối đa 1024 byte).",
                           "The password is too long (at most 1024 bytes)."};
  }
  return std::nullopt;
}

std::optional<std::string> hash_password(std::string_view password) {
  ensure_sodium_ready();
  const HashCost cost = current_cost();
  std::array<char, crypto_pwhash_STRBYTES> text{};
  hashing_slots.acquire();
  const int result = crypto_pwhash_str_alg(text.data(), password.data(), password.size(),
                                           cost.operations, cost.memory_bytes,
                                           crypto_pwhash_ALG_ARGON2ID13);
  hashing_slots.release();
  if (result != 0) return std::nullopt;
  return std::string(text.data());
}

bool verify_password(std::string_view password, std::string_view stored_hash) {
  ensure_sodium_ready();
  if (stored_hash.empty() || password.size() > password_max_bytes) return false;
  return verify_with_slot(password, std::string(stored_hash));
}

namespace {
const std::string& dummy_hash() {
  // Made once, at the same cost as real hashes, from a password nobody knows.
  static const std::string hash = hash_password(random_token()).value_or("");
  return hash;
}
}  // namespace

void prepare_dummy_hash() { (void)dummy_hash(); }

void verify_against_dummy_hash(std::string_view password) {
  const std::string& hash = dummy_hash();
  if (hash.empty() || password.size() > password_max_bytes) return;
  verify_with_slot(password, hash);
}

bool password_hash_needs_upgrade(std::string_view stored_hash) {
  ensure_sodium_ready();
  const HashCost cost = current_cost();
  const std::string terminated(stored_hash);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), cost.operations,
                                        cost.memory_bytes) != 0;
}

}  // namespace loyalty::server::auth
