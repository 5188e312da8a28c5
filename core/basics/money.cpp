#include "core/basics/money.hpp"

#include <cassert>
#include <limits>

namespace loyalty {

std::string_view rounding_name(Rounding rounding) {
  switch (rounding) {
    case Rounding::down: return "down";
    case Rounding::half_up: return "half_up";
    case Rounding::up: return "up";
  }
  return "down";
}

std::optional<Rounding> rounding_from_name(std::string_view name) {
  if (name == "down") return Rounding::down;
  if (name == "half_up") return Rounding::half_up;
  if (name == "up") return Rounding::up;
  return std::nullopt;
}

std::string_view rounding_label_vi(Rounding rounding) {
  switch (rounding) {
    case Rounding::down: return "làm tròn xuống";
    case Rounding::half_up: return "làm tròn đến số gần nhất";
    case Rounding::up: return "làm tròn lên";
  }
  return "";
}

std::string_view rounding_label_en(Rounding rounding) {
  switch (rounding) {
    case Rounding::down: return "rounded down";
    case Rounding::half_up: return "rounded to the nearest point";
    case Rounding::up: return "rounded up";
  }
  return "";
}

// The same rounding on 64-bit values: most amounts fit, and a 128-bit division is a slow
// library call (especially in wasm).
static std::int64_t divide_rounded_64(std::int64_t numerator, std::int64_t denominator, Rounding rounding) {
  const bool negative = numerator < 0;
  const std::uint64_t magnitude = negative ? std::uint64_t(0) - static_cast<std::uint64_t>(numerator) : static_cast<std::uint64_t>(numerator);
  const auto divisor = static_cast<std::uint64_t>(denominator);
  std::uint64_t quotient = magnitude / divisor;
  const std::uint64_t remainder = magnitude % divisor;
  switch (rounding) {
    case Rounding::down: break;
    case Rounding::half_up: if (remainder >= divisor - remainder) quotient += 1; break;
    case Rounding::up: if (remainder != 0) quotient += 1; break;
  }
  // |quotient| <= |numerator| < 2^63 unless it was rounded up from 2^63 - 1 / 1, which
  // cannot happen with a remainder.
  return negative ? -static_cast<std::int64_t>(quotient) : static_cast<std::int64_t>(quotient);
}

std::optional<std::int64_t> divide_rounded(__int128 numerator, __int128 denominator, Rounding rounding) {
  assert(denominator > 0);
  if (numerator > INT64_MIN && numerator <= INT64_MAX && denominator <= INT64_MAX) {
    return divide_rounded_64(static_cast<std::int64_t>(numerator), static_cast<std::int64_t>(denominator), rounding);
  }
  const bool negative = numerator < 0;
  const __int128 magnitude = negative ? -numerator : numerator;
  __int128 quotient = magnitude / denominator;
  const __int128 remainder = magnitude % denominator;
  switch (rounding) {
    case Rounding::down: break;
    case Rounding::half_up: if (remainder * 2 >= denominator) quotient += 1; break;
    case Rounding::up: if (remainder != 0) quotient += 1; break;
  }
  if (negative) quotient = -quotient;
  if (quotient > std::numeric_limits<std::int64_t>::max() || quotient < std::numeric_limits<std::int64_t>::min()) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(quotient);
}

std::optional<std::int64_t> multiply_divide(std::int64_t value, std::int64_t multiplier, std::int64_t divisor,
                                            Rounding rounding) {
  assert(divisor > 0);
  return divide_rounded(static_cast<__int128>(value) * multiplier, divisor, rounding);
}

std::optional<std::int64_t> percent_of(std::int64_t amount, BasisPoints basis_points, Rounding rounding) {
  return multiply_divide(amount, basis_points, basis_points_per_whole, rounding);
}

std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
  return sum;
}

static std::string group_digits(std::int64_t value, char separator) {
  // Work on the unsigned magnitude so that INT64_MIN formats too.
  const bool negative = value < 0;
  std::uint64_t magnitude = negative ? std::uint64_t(0) - static_cast<std::uint64_t>(value)
                                     : static_cast<std::uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  std::string grouped;
  grouped.reserve(digits.size() + digits.size() / 3 + 1);
  const std::size_t lead = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (i - lead) % 3 == 0 && i >= lead) grouped.push_back(separator);
    grouped.push_back(digits[i]);
  }
  return negative ? "-" + grouped : grouped;
}

std::string format_grouped(std::int64_t value) { return group_digits(value, '.'); }
std::string format_grouped_en(std::int64_t value) { return group_digits(value, ','); }
std::string format_vnd(Vnd amount_vnd) { return format_grouped(amount_vnd) + " \u20AB"; }
std::string format_points(Points points) { return format_grouped(points); }

static std::string format_percent(BasisPoints value, char decimal_mark, std::string_view suffix) {
  const bool negative = value < 0;
  const std::uint64_t magnitude = negative ? std::uint64_t(0) - static_cast<std::uint64_t>(value)
                                           : static_cast<std::uint64_t>(value);
  std::string text = (negative ? "-" : "") + std::to_string(magnitude / 100);
  const std::uint64_t hundredths = magnitude % 100;
  if (hundredths != 0) {
    text.push_back(decimal_mark);
    text.push_back(static_cast<char>('0' + hundredths / 10));
    if (hundredths % 10 != 0) text.push_back(static_cast<char>('0' + hundredths % 10));
  }
  return text + std::string(suffix);
}

std::string format_basis_points_percent(BasisPoints value) { return format_percent(value, ',', " %"); }
std::string format_basis_points_percent_en(BasisPoints value) { return format_percent(value, '.', "%"); }

}  // namespace loyalty
