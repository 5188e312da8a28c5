// text_fold.hpp: folds Vietnamese text for searching (no case, no diacritics).
//
// [SECTION] Folding
// [SECTION] Words
//
// Support staff type names with or without diacritics and in any case: "Nguyễn Văn An",
// "NGUYEN VAN AN" and "nguyen van an" must meet. Folding maps every Latin letter to its
// lowercase ASCII base letter (every precomposed Vietnamese letter, đ/Đ -> d), drops
// combining marks (decomposed input: "e" + U+0301), turns punctuation, symbols, spaces
// and invalid UTF-8 into word separators, and leaves letters of other scripts as they
// are (kept inside words, not lowercased). The result is words of [a-z0-9] (plus any
// other-script bytes) separated by single spaces, with no space at either end.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace loyalty {

// [SECTION] Folding -------------------------------------------------------------------
// "Nguyễn Văn An" -> "nguyen van an"; "ĐẶNG THỊ Ánh" -> "dang thi anh";
// "  Lê---Thị   Hồng! " -> "le thi hong". Never fails: invalid bytes become separators.
std::string fold_for_search(std::string_view utf8_text);

// True when the text shows something: at least one character that is not a space, a
// control or format character (zero-width spaces, joiners, BOM), a variation selector or a
// combining mark. A name of only "\u0301" or "\u200B" is refused, not stored blank.
// Expects valid UTF-8 (check it first); invalid bytes count as nothing visible.
bool has_visible_character(std::string_view utf8_text);

// [SECTION] Words ---------------------------------------------------------------------
// The words of a folded text (views into `folded`), in order; empty for an empty text.
std::vector<std::string_view> split_words(std::string_view folded);

}  // namespace loyalty
