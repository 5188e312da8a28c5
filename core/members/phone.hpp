// phone.hpp: Vietnamese phone numbers, normalised to their national form.
//
// [SECTION] Result
// [SECTION] Normalising
//
// Staff and customers write the same number as "0912 345 678", "0912.345.678",
// "+84912345678", "84912345678" or "(+84) 912-345-678"; the store keeps one form, the
// national one: "0912345678". Mobile numbers have 10 digits (0 then 9) and start with
// 03, 05, 07, 08 or 09; landlines have 11 digits and start with 02 ("024 3826 1234").
// Anything else is refused with a message staff can read, in Vietnamese and English.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loyalty {

// [SECTION] Result --------------------------------------------------------------------
enum class PhoneError : std::uint8_t {
  none,
  empty,               // nothing but spaces
  invalid_character,   // a letter or a symbol other than spaces . - ( ) / and a leading +
  not_vietnamese,      // an international number with a country code other than +84
  wrong_prefix,        // not 02 (landline) nor 03/05/07/08/09 (mobile)
  wrong_length,        // a right prefix with too few or too many digits
  old_mobile_number,   // an 11-digit 01x mobile number, renumbered to 10 digits in 2018
};

struct PhoneResult {
  std::optional<std::string> phone;  // the national form, "0912345678", when accepted
  PhoneError error = PhoneError::none;
  std::string error_vi;  // empty when accepted
  std::string error_en;
  bool ok() const { return phone.has_value(); }
};

// [SECTION] Normalising ---------------------------------------------------------------
PhoneResult normalize_phone_vn(std::string_view text);

}  // namespace loyalty
