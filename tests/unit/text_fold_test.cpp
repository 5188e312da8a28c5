// Folding Vietnamese text for search: case, every tone and vowel mark, đ, decomposed
// input, separators and invalid UTF-8.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "core/basics/text_fold.hpp"

using loyalty::fold_for_search;
using loyalty::split_words;

namespace {

std::string utf8_of(char32_t code_point) {
  std::string text;
  if (code_point < 0x80) {
    text.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    text.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    text.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    text.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    text.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    text.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
  return text;
}

}  // namespace

TEST_CASE("fold: the examples staff type") {
  CHECK(fold_for_search("Nguyễn Văn An") == "nguyen van an");
  CHECK(fold_for_search("ĐẶNG THỊ Ánh") == "dang thi anh");
  CHECK(fold_for_search("nguyen van an") == "nguyen van an");
  CHECK(fold_for_search("NGUYỄN  VĂN   AN") == "nguyen van an");
  CHECK(fold_for_search("  Lê---Thị   Hồng! ") == "le thi hong");
  CHECK(fold_for_search("Đỗ Đức Đạt") == "do duc dat");
  CHECK(fold_for_search("Trương Thị Mỹ Hạnh") == "truong thi my hanh");
  CHECK(fold_for_search("Phạm Ngọc Quỳnh-Như") == "pham ngoc quynh nhu");
  CHECK(fold_for_search("Cửa hàng số 7") == "cua hang so 7");
  CHECK(fold_for_search("") == "");
  CHECK(fold_for_search(" .,;!? ") == "");
}

TEST_CASE("fold: every Vietnamese vowel with every tone, lower and upper case") {
  // Each group: the vowel with no tone, huyền, sắc, hỏi, ngã, nặng.
  const char* const lower_groups[] = {"aàáảãạ", "ăằắẳẵặ", "âầấẩẫậ", "eèéẻẽẹ", "êềếểễệ", "iìíỉĩị",
                                      "oòóỏõọ", "ôồốổỗộ", "ơờớởỡợ", "uùúủũụ", "ưừứửữự", "yỳýỷỹỵ"};
  const char* const upper_groups[] = {"AÀÁẢÃẠ", "ĂẰẮẲẴẶ", "ÂẦẤẨẪẬ", "EÈÉẺẼẸ", "ÊỀẾỂỄỆ", "IÌÍỈĨỊ",
                                      "OÒÓỎÕỌ", "ÔỒỐỔỖỘ", "ƠỜỚỞỠỢ", "UÙÚỦŨỤ", "ƯỪỨỬỮỰ", "YỲÝỶỸỴ"};
  const char bases[] = "aaaeeiooouuy";
  for (int group = 0; group < 12; ++group) {
    const std::string expected(6, bases[group]);
    CAPTURE(group);
    CHECK(fold_for_search(lower_groups[group]) == expected);
    CHECK(fold_for_search(upper_groups[group]) == expected);
  }
  CHECK(fold_for_search("đĐ") == "dd");
}

TEST_CASE("fold: every letter of Latin Extended Additional U+1EA0..U+1EF9 folds to one vowel") {
  for (char32_t code_point = 0x1EA0; code_point <= 0x1EF9; ++code_point) {
    const std::string folded = fold_for_search(utf8_of(code_point));
    CAPTURE(static_cast<std::uint32_t>(code_point));
    REQUIRE(folded.size() == 1);
    CHECK(std::string("aeiouy").find(folded[0]) != std::string::npos);
  }
  // The Vietnamese letters outside that block, both cases.
  const char32_t others[] = {0xC0, 0xC1, 0xC2, 0xC3, 0xC8, 0xC9, 0xCA, 0xCC, 0xCD, 0xD2, 0xD3, 0xD4, 0xD5,
                             0xD9, 0xDA, 0xDD, 0xE0, 0xE1, 0xE2, 0xE3, 0xE8, 0xE9, 0xEA, 0xEC, 0xED, 0xF2,
                             0xF3, 0xF4, 0xF5, 0xF9, 0xFA, 0xFD, 0x102, 0x103, 0x128, 0x129, 0x168, 0x169,
                             0x1A0, 0x1A1, 0x1AF, 0x1B0};
  for (const char32_t code_point : others) {
    const std::string folded = fold_for_search(utf8_of(code_point));
    CAPTURE(static_cast<std::uint32_t>(code_point));
    REQUIRE(folded.size() == 1);
    CHECK(std::string("aeiouy").find(folded[0]) != std::string::npos);
  }
  CHECK(fold_for_search(utf8_of(0x110)) == "d");
  CHECK(fold_for_search(utf8_of(0x111)) == "d");
}

TEST_CASE("fold: decomposed input (base letter + combining marks) folds like precomposed") {
  // "Nguyễn" as n g u y e + U+0302 (circumflex) + U+0303 (tilde) + n.
  CHECK(fold_for_search("Nguye\xCC\x82\xCC\x83n") == "nguyen");
  // "Đặng" with a + U+0306 (breve) + U+0323 (dot below).
  CHECK(fold_for_search("\xC4\x90\x61\xCC\x86\xCC\xA3ng") == "dang");
  // Tone marks U+0300, U+0301, U+0309 on u and o.
  CHECK(fold_for_search("Hu\xCC\x80ng Tho\xCC\x89") == "hung tho");
  CHECK(fold_for_search("A\xCC\x81nh") == fold_for_search("Ánh"));
}

TEST_CASE("fold: invalid UTF-8 becomes a separator and never crashes") {
  CHECK(fold_for_search("\xFF\xFE" "ab\xC3") == "ab");
  CHECK(fold_for_search("a\xC3(b") == "a b");
  CHECK(fold_for_search("an\xC0\xAFh") == "an h");        // overlong '/'
  CHECK(fold_for_search("x\xED\xA0\x80y") == "x y");       // a UTF-16 surrogate
  CHECK(fold_for_search("x\xF4\x90\x80\x80y") == "x y");   // past U+10FFFF
  // Random bytes: the result is always words separated by single spaces.
  std::uint64_t state = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::string bytes;
    for (int index = 0; index < 24; ++index) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      bytes.push_back(static_cast<char>(state >> 56));
    }
    const std::string folded = fold_for_search(bytes);
    CHECK(folded.find("  ") == std::string::npos);
    if (!folded.empty()) {
      CHECK(folded.front() != ' ');
      CHECK(folded.back() != ' ');
    }
    for (const char character : folded) {
      const bool upper_ascii = character >= 'A' && character <= 'Z';
      CHECK_FALSE(upper_ascii);
    }
  }
}

TEST_CASE("fold: symbols, emoji and other scripts") {
  CHECK(fold_for_search("Anh ❤ Em 😀") == "anh em");
  CHECK(fold_for_search("An\xC2\xA0Nhi\xE2\x80\x93Lan") == "an nhi lan");  // NBSP, en dash
  CHECK(fold_for_search("ＡＢＣ１２") == "abc12");                          // fullwidth
  CHECK(fold_for_search("Lý 李") == "ly 李");                               // kept inside words
}

TEST_CASE("fold: split_words") {
  const auto words = split_words("nguyen van an");
  REQUIRE(words.size() == 3);
  CHECK(words[0] == "nguyen");
  CHECK(words[1] == "van");
  CHECK(words[2] == "an");
  CHECK(split_words("").empty());
  CHECK(split_words("  a  b ").size() == 2);
}
