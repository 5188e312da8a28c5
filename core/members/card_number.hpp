// card_number.hpp: member card numbers (mã thành viên) with a Luhn check digit.
//
// [SECTION] Card numbers
// [SECTION] Luhn
//
// A card number is typed at the till, so a typo must not land on another member: the
// tenth digit is a Luhn check digit, which catches every single wrong digit and every
// swap of two neighbouring digits except 0<->9. Layout: "8" + the sequence in 8 digits
// + the check digit, e.g. sequence 1 -> "8000000011".
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace loyalty {

// [SECTION] Card numbers --------------------------------------------------------------
inline constexpr std::uint64_t card_sequence_limit = 100'000'000;  // 8 digits of sequence
inline constexpr std::size_t card_number_digits = 10;

// sequence < card_sequence_limit (asserted).
std::string card_number_from_sequence(std::uint64_t sequence);
// 10 digits whose Luhn check holds.
bool is_valid_card_number(std::string_view text);

// [SECTION] Luhn ----------------------------------------------------------------------
// The digit to append to `digits` (all '0'..'9', asserted) so that the Luhn check holds.
char luhn_check_digit(std::string_view digits);
// True when `digits` (all digits, at least two) end with their Luhn check digit.
bool luhn_is_valid(std::string_view digits);

}  // namespace loyalty
