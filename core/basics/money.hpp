// money.hpp: VND amounts, points, basis points and explicit rounding.
//
// [SECTION] Units
// [SECTION] Rounding
// [SECTION] Exact arithmetic
// [SECTION] Formatting
//
// Money and points are whole int64 numbers everywhere (never `long`: it is 32 bits in
// wasm). Percentages carry two decimals as basis points (1 % = 100 bp). Every division
// states its rounding; intermediate products use 128 bits, so no step can overflow
// silently: a result that does not fit in int64 is reported, not wrapped.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loyalty {

// [SECTION] Units ------------------------------------------------------------------
using Vnd = std::int64_t;          // an amount of Vietnamese dong
using Points = std::int64_t;       // reward points (spendable)
using TierPoints = std::int64_t;   // tier points (decide the tier, never spent)
using BasisPoints = std::int64_t;  // 1/100 of a percent: 100 bp = 1 %, 10000 bp = 100 %

inline constexpr BasisPoints basis_points_per_whole = 10000;
// Largest order amount accepted: 10^15 VND (about 40 billion USD), so that
// amount * rate * multiplier stays far inside 128 bits and results fit int64.
inline constexpr Vnd amount_vnd_max = 1'000'000'000'000'000;
// Largest number of points in any one field (a pool, a redemption, a limit): 10^12. With a
// point worth at most 10^6 VND, any number of points times its value fits int64 (10^18),
// so VND values of points never overflow.
inline constexpr Points points_max = 1'000'000'000'000;
inline constexpr Vnd point_value_vnd_max = 1'000'000;
// All tier points ever given, across members: 10^18, so sums of tier points fit int64.
inline constexpr TierPoints tier_points_issued_max = 1'000'000'000'000'000'000;

// [SECTION] Rounding ----------------------------------------------------------------
enum class Rounding : std::uint8_t {
  down,     // toward zero: 10.9 -> 10 (the member never gets a fraction not earned)
  half_up,  // to nearest, halves away from zero: 10.5 -> 11, 10.4 -> 10
  up,       // away from zero: 10.1 -> 11
};
std::string_view rounding_name(Rounding rounding);                 // "down", "half_up", "up"
std::optional<Rounding> rounding_from_name(std::string_view name);
std::string_view rounding_label_vi(Rounding rounding);             // "làm tròn xuống", ...
std::string_view rounding_label_en(Rounding rounding);             // "rounded down", ...

// [SECTION] Exact arithmetic ----------------------------------------------------------
// numerator / denominator with the given rounding; denominator > 0. nullopt when the
// result does not fit int64.
std::optional<std::int64_t> divide_rounded(__int128 numerator, __int128 denominator, Rounding rounding);
// value * multiplier / divisor, computed in 128 bits, rounded once at the end.
std::optional<std::int64_t> multiply_divide(std::int64_t value, std::int64_t multiplier,
                                            std::int64_t divisor, Rounding rounding);
// amount * basis_points / 10000, rounded once.
std::optional<std::int64_t> percent_of(std::int64_t amount, BasisPoints basis_points, Rounding rounding);
// a + b, nullopt on overflow.
std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b);

// [SECTION] Formatting ----------------------------------------------------------------
// Vietnamese conventions: "." groups thousands, "," marks decimals.
std::string format_grouped(std::int64_t value);               // 1000000 -> "1.000.000"
std::string format_vnd(Vnd amount_vnd);                       // 1000000 -> "1.000.000 ₫"
std::string format_points(Points points);                     // 1500 -> "1.500"
std::string format_basis_points_percent(BasisPoints value);   // 150 -> "1,5 %", 100 -> "1 %"
// English renderings: "," groups thousands, "." marks decimals.
std::string format_grouped_en(std::int64_t value);            // 1000000 -> "1,000,000"
std::string format_basis_points_percent_en(BasisPoints value);// 150 -> "1.5%"

}  // namespace loyalty
