#include <doctest/doctest.h>

#include <cstdint>
#include <limits>

#include "core/basics/money.hpp"

using namespace loyalty;

TEST_CASE("divide_rounded rounds as named, once") {
  CHECK(divide_rounded(109, 10, Rounding::down) == 10);
  CHECK(divide_rounded(109, 10, Rounding::half_up) == 11);
  CHECK(divide_rounded(105, 10, Rounding::half_up) == 11);
  CHECK(divide_rounded(104, 10, Rounding::half_up) == 10);
  CHECK(divide_rounded(101, 10, Rounding::up) == 11);
  CHECK(divide_rounded(100, 10, Rounding::up) == 10);
  CHECK(divide_rounded(0, 7, Rounding::up) == 0);
  // Negative values round symmetrically (away from / toward zero), so a reversal mirrors its earning.
  CHECK(divide_rounded(-109, 10, Rounding::down) == -10);
  CHECK(divide_rounded(-105, 10, Rounding::half_up) == -11);
  CHECK(divide_rounded(-101, 10, Rounding::up) == -11);
}

TEST_CASE("percent_of is exact in basis points") {
  // Seed example: 1 % of 1,000,000 VND is 10,000 VND.
  CHECK(percent_of(1'000'000, 100, Rounding::down) == 10'000);
  CHECK(percent_of(1'000'000, 150, Rounding::down) == 15'000);
  CHECK(percent_of(999, 100, Rounding::down) == 9);
  CHECK(percent_of(999, 100, Rounding::half_up) == 10);
  CHECK(percent_of(1, 1, Rounding::up) == 1);
  CHECK(percent_of(1, 1, Rounding::down) == 0);
}

TEST_CASE("arithmetic near int64 limits is reported, never wrapped") {
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  CHECK(multiply_divide(max, 2, 2, Rounding::down) == max);           // the 128-bit product does not overflow
  CHECK_FALSE(multiply_divide(max, 3, 2, Rounding::down).has_value()); // the result does not fit
  CHECK_FALSE(checked_add(max, 1).has_value());
  CHECK(checked_add(max - 1, 1) == max);
  CHECK(percent_of(amount_vnd_max, 10000, Rounding::down) == amount_vnd_max);
}

TEST_CASE("VND and points are formatted the Vietnamese way") {
  CHECK(format_vnd(1'000'000) == "1.000.000 ₫");
  CHECK(format_vnd(0) == "0 ₫");
  CHECK(format_vnd(999) == "999 ₫");
  CHECK(format_vnd(1000) == "1.000 ₫");
  CHECK(format_vnd(-25'000) == "-25.000 ₫");
  CHECK(format_grouped(std::numeric_limits<std::int64_t>::min()) == "-9.223.372.036.854.775.808");
  CHECK(format_grouped_en(1'234'567) == "1,234,567");
  CHECK(format_points(1500) == "1.500");
  CHECK(format_basis_points_percent(100) == "1 %");
  CHECK(format_basis_points_percent(150) == "1,5 %");
  CHECK(format_basis_points_percent(125) == "1,25 %");
  CHECK(format_basis_points_percent(5) == "0,05 %");
  CHECK(format_basis_points_percent_en(150) == "1.5%");
}

TEST_CASE("rounding names round-trip") {
  for (Rounding rounding : {Rounding::down, Rounding::half_up, Rounding::up}) {
    CHECK(rounding_from_name(rounding_name(rounding)) == rounding);
  }
  CHECK_FALSE(rounding_from_name("nearest").has_value());
}

TEST_CASE("divide_rounded agrees with plain 128-bit arithmetic on small and huge values") {
  // Reference: floor/ceil/half-up on the magnitude, written the long way.
  auto reference = [](__int128 numerator, __int128 denominator, Rounding rounding) {
    const bool negative = numerator < 0;
    const __int128 magnitude = negative ? -numerator : numerator;
    __int128 quotient = magnitude / denominator;
    const __int128 remainder = magnitude % denominator;
    if (rounding == Rounding::up && remainder != 0) quotient += 1;
    if (rounding == Rounding::half_up && 2 * remainder >= denominator) quotient += 1;
    return negative ? -quotient : quotient;
  };
  std::uint64_t state = 7;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state;
  };
  for (int i = 0; i < 20000; ++i) {
    const int shift = static_cast<int>(next() % 100);
    __int128 numerator = static_cast<__int128>(next() >> (next() % 64)) << (shift > 60 ? shift - 60 : 0);
    if (next() % 2) numerator = -numerator;
    const __int128 denominator = static_cast<__int128>((next() >> (next() % 64)) | 1);
    for (Rounding rounding : {Rounding::down, Rounding::half_up, Rounding::up}) {
      const __int128 expected = reference(numerator, denominator, rounding);
      const std::optional<std::int64_t> actual = divide_rounded(numerator, denominator, rounding);
      if (expected > INT64_MAX || expected < INT64_MIN) {
        CHECK_FALSE(actual.has_value());
      } else {
        REQUIRE(actual.has_value());
        CHECK(*actual == static_cast<std::int64_t>(expected));
      }
    }
  }
}
