// voucher_codes.hpp: voucher codes that a person can read over the phone.
//
// A code is an optional campaign prefix, ten random characters and one check character,
// all from a 31-character alphabet without look-alikes (no 0/O, no 1/I/L):
//     23456789ABCDEFGHJKMNPQRSTUVWXYZ
// The check character is Luhn mod 31 over the alphabet (prefix included; 31 is prime, so
// doubling is taken modulo 31), so one mistyped character or two swapped neighbours are
// always caught before any lookup. Codes are stored in
// canonical form (upper case, no separators) and shown in groups of four: "TET-7KQ2-M9XA-HC4".
// Randomness comes from the command (a seed the host draws), so replay gives the same codes.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loyalty {

inline constexpr std::string_view voucher_alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
inline constexpr std::size_t voucher_random_chars = 10;   // 31^10 ~ 8 x 10^14 codes per prefix
inline constexpr std::size_t voucher_prefix_chars_max = 8;
inline constexpr std::size_t partner_code_chars_min = 4;  // imported partner codes: A-Z and 0-9
inline constexpr std::size_t partner_code_chars_max = 32;

bool is_voucher_alphabet(char c);
// Luhn mod 31 check character of `payload` (every character in the alphabet).
char voucher_check_char(std::string_view payload);
// True when `canonical` is prefix + random part + a valid check character.
bool voucher_check_valid(std::string_view canonical);
// Upper case, spaces, tabs and dashes removed; nullopt when another character remains
// (anything but A-Z and 0-9) or when it is empty.
std::optional<std::string> normalize_voucher_code(std::string_view text);
// Groups of four after the prefix: "TET" + "7KQ2M9XAHC4" -> "TET-7KQ2-M9XA-HC4".
std::string format_voucher_code(std::string_view canonical, std::size_t prefix_chars);
// A seed text from the host (16 to 128 printable ASCII characters) as 64 bits.
std::uint64_t voucher_seed_bits(std::string_view seed);
// The n-th candidate code drawn from a seed, for one campaign: prefix + 10 + check.
std::string draw_voucher_code(std::uint64_t seed_bits, std::string_view campaign_id, std::uint64_t draw,
                              std::string_view prefix);

}  // namespace loyalty
