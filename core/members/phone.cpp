#include "core/members/phone.hpp"

#include <cassert>

namespace loyalty {

namespace {

PhoneResult refuse(PhoneError error, std::string error_vi, std::string error_en) {
  assert(error != PhoneError::none);
  PhoneResult result;
  result.error = error;
  result.error_vi = std::move(error_vi);
  result.error_en = std::move(error_en);
  return result;
}

bool is_digit(char character) { return character >= '0' && character <= '9'; }

}  // namespace

PhoneResult normalize_phone_vn(std::string_view text) {
  // Keep the digits; only the separators people really type are allowed between them,
  // so that "0912abc345678" or "0912345678 ext 12" is refused rather than guessed.
  std::string digits;
  bool plus_seen = false;
  for (const char character : text) {
    if (is_digit(character)) {
      digits.push_back(character);
    } else if (character == '+') {
      // A + only before any digit: "+84 ...", "(+84) ...".
      if (plus_seen || !digits.empty()) {
        return refuse(PhoneError::invalid_character,
                      "Dấu + chỉ được đặt ở đầu số điện thoại (ví dụ +84 912 345 678).",
                      "A + may only start the phone number (e.g. +84 912 345 678).");
      }
      plus_seen = true;
    } else if (character == ' ' || character == '\t' || character == '.' || character == '-' ||
               character == '(' || character == ')' || character == '/') {
      continue;
    } else {
      return refuse(PhoneError::invalid_character,
                    "Số điện thoại chỉ được chứa chữ số, dấu cách, dấu chấm, gạch ngang, dấu ngoặc "
                    "và dấu + ở đầu.",
                    "A phone number may only contain digits, spaces, dots, dashes, brackets and a "
                    "leading +.");
    }
  }
  if (digits.empty()) {
    if (plus_seen) {
      return refuse(PhoneError::wrong_length, "Số điện thoại không có chữ số nào.",
                    "The phone number has no digits.");
    }
    return refuse(PhoneError::empty, "Chưa nhập số điện thoại.", "The phone number is empty.");
  }

  // International forms: +84..., 0084..., or 84... typed without the +. A national
  // number always starts with 0, so a leading 84 cannot be mistaken for one.
  const bool international_prefix = digits.starts_with("00");
  if (plus_seen || international_prefix) {
    std::string_view country_and_number(digits);
    if (international_prefix) country_and_number.remove_prefix(2);
    if (!country_and_number.starts_with("84")) {
      return refuse(PhoneError::not_vietnamese,
                    "Chỉ nhận số điện thoại Việt Nam (mã quốc gia +84).",
                    "Only Vietnamese phone numbers (country code +84) are accepted.");
    }
    digits = std::string(country_and_number);
  }
  std::string national;
  if (digits.starts_with("84")) {
    std::string_view subscriber = std::string_view(digits).substr(2);
    // "+84 (0) 912 ..." keeps the trunk 0 by mistake; it is dropped once.
    if (subscriber.starts_with("0")) subscriber.remove_prefix(1);
    national = "0" + std::string(subscriber);
  } else {
    national = digits;
  }

  const std::string digit_count = std::to_string(national.size());
  if (national[0] != '0') {
    return refuse(PhoneError::wrong_prefix,
                  "Số điện thoại phải bắt đầu bằng 0 hoặc +84 (ví dụ 0912 345 678).",
                  "A phone number must start with 0 or +84 (e.g. 0912 345 678).");
  }
  const char second = national.size() >= 2 ? national[1] : '\0';
  if (second == '3' || second == '5' || second == '7' || second == '8' || second == '9') {
    if (national.size() != 10) {
      return refuse(PhoneError::wrong_length,
                    "Số di động phải có 10 chữ số (ví dụ 0912 345 678); số đã nhập có " + digit_count +
                        " chữ số.",
                    "A mobile number must have 10 digits (e.g. 0912 345 678); this one has " + digit_count +
                        " digits.");
    }
    return PhoneResult{national, PhoneError::none, "", ""};
  }
  if (second == '2') {
    if (national.size() != 11) {
      return refuse(PhoneError::wrong_length,
                    "Số cố định phải có 11 chữ số bắt đầu bằng 02 (ví dụ 024 3826 1234); số đã nhập có " +
                        digit_count + " chữ số.",
                    "A landline number must have 11 digits starting with 02 (e.g. 024 3826 1234); "
                    "this one has " + digit_count + " digits.");
    }
    return PhoneResult{national, PhoneError::none, "", ""};
  }
  if (second == '1' && national.size() == 11) {
    return refuse(PhoneError::old_mobile_number,
                  "Số di động 11 số đầu 01x đã được đổi sang 10 số từ năm 2018; hãy nhập số mới.",
                  "11-digit 01x mobile numbers were renumbered to 10 digits in 2018; enter the new "
                  "number.");
  }
  return refuse(PhoneError::wrong_prefix,
                "Đầu số không hợp lệ: số di động bắt đầu bằng 03, 05, 07, 08, 09 và số cố định "
                "bằng 02.",
                "Unknown prefix: mobile numbers start with 03, 05, 07, 08 or 09 and landlines with "
                "02.");
}

}  // namespace loyalty
