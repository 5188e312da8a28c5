#include "core/members/card_number.hpp"

#include <cassert>

namespace loyalty {

namespace {

bool all_digits(std::string_view text) {
  for (const char character : text) {
    if (character < '0' || character > '9') return false;
  }
  return true;
}

// Luhn sum of `digits`, doubling every second digit counted from the right, starting
// with the rightmost when `double_rightmost` (the payload before its check digit).
std::uint32_t luhn_sum(std::string_view digits, bool double_rightmost) {
  std::uint32_t sum = 0;
  bool doubled = double_rightmost;
  for (std::size_t index = digits.size(); index-- > 0;) {
    std::uint32_t digit = static_cast<std::uint32_t>(digits[index] - '0');
    if (doubled) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    doubled = !doubled;
  }
  return sum;
}

}  // namespace

// [SECTION] Card numbers --------------------------------------------------------------
std::string card_number_from_sequence(std::uint64_t sequence) {
  assert(sequence < card_sequence_limit);
  std::string number(card_number_digits - 1, '0');
  number[0] = '8';
  for (std::size_t index = card_number_digits - 2; sequence > 0; --index) {
    number[index] = static_cast<char>('0' + sequence % 10);
    sequence /= 10;
  }
  number.push_back(luhn_check_digit(number));
  return number;
}

bool is_valid_card_number(std::string_view text) {
  return text.size() == card_number_digits && all_digits(text) && luhn_is_valid(text);
}

// [SECTION] Luhn ----------------------------------------------------------------------
char luhn_check_digit(std::string_view digits) {
  assert(all_digits(digits));
  const std::uint32_t sum = luhn_sum(digits, true);
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool luhn_is_valid(std::string_view digits) {
  if (digits.size() < 2 || !all_digits(digits)) return false;
  return luhn_sum(digits, false) % 10 == 0;
}

}  // namespace loyalty
