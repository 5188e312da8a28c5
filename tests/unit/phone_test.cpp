// Vietnamese phone numbers: every accepted spelling gives the national form; anything
// else is refused with a message in both languages.
#include <doctest/doctest.h>

#include "core/members/phone.hpp"

using loyalty::normalize_phone_vn;
using loyalty::PhoneError;

TEST_CASE("phone: accepted spellings of one mobile number") {
  for (const char* text : {"0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "+84912345678",
                           "84912345678", "(+84) 912-345-678", "+84 912 345 678", "0084 912 345 678",
                           "+84 (0) 912 345 678", "  0912345678  ", "(091) 234 5678"}) {
    CAPTURE(text);
    const auto result = normalize_phone_vn(text);
    REQUIRE(result.ok());
    CHECK(*result.phone == "0912345678");
    CHECK(result.error == PhoneError::none);
    CHECK(result.error_vi.empty());
  }
}

TEST_CASE("phone: every mobile prefix family and landlines") {
  CHECK(normalize_phone_vn("0321234567").phone == "0321234567");
  CHECK(normalize_phone_vn("0561234567").phone == "0561234567");
  CHECK(normalize_phone_vn("0701234567").phone == "0701234567");
  CHECK(normalize_phone_vn("0861234567").phone == "0861234567");
  CHECK(normalize_phone_vn("0981234567").phone == "0981234567");
  CHECK(normalize_phone_vn("024 3826 1234").phone == "02438261234");
  CHECK(normalize_phone_vn("+84 28 3822 1234").phone == "02838221234");
}

TEST_CASE("phone: refusals say why, in Vietnamese and English") {
  const auto check_refused = [](const char* text, PhoneError error) {
    CAPTURE(text);
    const auto result = normalize_phone_vn(text);
    CHECK_FALSE(result.ok());
    CHECK(result.error == error);
    CHECK_FALSE(result.error_vi.empty());
    CHECK_FALSE(result.error_en.empty());
  };
  check_refused("", PhoneError::empty);
  check_refused("   ", PhoneError::empty);
  check_refused("0912abc678", PhoneError::invalid_character);
  check_refused("0912345678 ext 5", PhoneError::invalid_character);
  check_refused("09123+45678", PhoneError::invalid_character);
  check_refused("091234567", PhoneError::wrong_length);     // 9 digits
  check_refused("09123456789", PhoneError::wrong_length);   // 11 digits
  check_refused("+8491234567", PhoneError::wrong_length);
  check_refused("0243826123", PhoneError::wrong_length);    // old 10-digit landline
  check_refused("0612345678", PhoneError::wrong_prefix);
  check_refused("0412345678", PhoneError::wrong_prefix);
  check_refused("912345678", PhoneError::wrong_prefix);     // no leading 0
  check_refused("+1 650 555 1234", PhoneError::not_vietnamese);
  check_refused("01612345678", PhoneError::old_mobile_number);
  const auto wrong_length = normalize_phone_vn("091234567");
  CHECK(wrong_length.error_en.find("10 digits") != std::string::npos);
  CHECK(wrong_length.error_vi.find("10 chữ số") != std::string::npos);
}
