// Member card numbers: layout, Luhn check digit, and the typing mistakes it catches.
#include <doctest/doctest.h>

#include <string>

#include "core/members/card_number.hpp"

using loyalty::card_number_from_sequence;
using loyalty::is_valid_card_number;

TEST_CASE("card: numbers from the sequence") {
  CHECK(card_number_from_sequence(0) == "8000000003");
  CHECK(card_number_from_sequence(1) == "8000000011");
  CHECK(card_number_from_sequence(12345678).substr(0, 9) == "812345678");
  CHECK(card_number_from_sequence(99'999'999).substr(0, 9) == "899999999");
  for (std::uint64_t sequence : {0ULL, 1ULL, 42ULL, 1000ULL, 12345678ULL, 99999999ULL}) {
    const std::string number = card_number_from_sequence(sequence);
    CAPTURE(number);
    CHECK(number.size() == 10);
    CHECK(number[0] == '8');
    CHECK(is_valid_card_number(number));
  }
  CHECK(loyalty::luhn_is_valid("79927398713"));  // the textbook Luhn example
  CHECK(loyalty::luhn_check_digit("7992739871") == '3');
}

TEST_CASE("card: malformed numbers are invalid") {
  CHECK_FALSE(is_valid_card_number(""));
  CHECK_FALSE(is_valid_card_number("800000001"));    // 9 digits
  CHECK_FALSE(is_valid_card_number("80000000110"));  // 11 digits
  CHECK_FALSE(is_valid_card_number("80000000a1"));
  CHECK_FALSE(is_valid_card_number("8000000012"));   // wrong check digit
}

TEST_CASE("card: every single mistyped digit is detected") {
  std::size_t mistakes = 0;
  for (std::uint64_t sequence = 0; sequence < 3000; sequence += 7) {
    const std::string number = card_number_from_sequence(sequence * 33331 % loyalty::card_sequence_limit);
    for (std::size_t position = 0; position < number.size(); ++position) {
      for (char digit = '0'; digit <= '9'; ++digit) {
        if (digit == number[position]) continue;
        std::string mistyped = number;
        mistyped[position] = digit;
        CAPTURE(mistyped);
        CHECK_FALSE(is_valid_card_number(mistyped));
        ++mistakes;
      }
    }
  }
  CHECK(mistakes == 429 * 10 * 9);
}

TEST_CASE("card: adjacent transpositions are detected except 0<->9") {
  std::size_t swaps = 0;
  std::size_t detected = 0;
  for (std::uint64_t sequence = 0; sequence < 5000; sequence += 3) {
    const std::string number = card_number_from_sequence(sequence * 7919 % loyalty::card_sequence_limit);
    for (std::size_t position = 0; position + 1 < number.size(); ++position) {
      if (number[position] == number[position + 1]) continue;
      std::string swapped = number;
      std::swap(swapped[position], swapped[position + 1]);
      ++swaps;
      const bool zero_nine = (number[position] == '0' && number[position + 1] == '9') ||
                             (number[position] == '9' && number[position + 1] == '0');
      if (!is_valid_card_number(swapped)) {
        ++detected;
      } else {
        CHECK(zero_nine);  // Luhn's one blind spot
      }
    }
  }
  REQUIRE(swaps > 1000);
  CHECK(detected * 100 >= swaps * 95);
}
