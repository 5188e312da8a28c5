#include "core/basics/text_fold.hpp"

#include <cassert>
#include <cstdint>

namespace loyalty {

namespace {

// Base letters generated from Unicode NFD decompositions (plus đ, ø, ł, ß... by hand).
// ' ' = not a letter (a separator), '*' = a letter with no ASCII base: kept as written.
constexpr std::string_view latin_c0_to_24f_base =
    "aaaaaaaceeeeiiiidnooooo ouuuuytsaaaaaaaceeeeiiiidnooooo ouuuuyty"   // U+00C0
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkkllllll*"   // U+0100
    "*llnnnnnnn**oooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs"   // U+0140
    "b**********************i********oo*************uu****zz*********"   // U+0180
    "*************aaiioouuuuuuuuuu*aaaa**ggggkkoooo**j***gg**nnaa****"   // U+01C0
    "aaaaeeeeiiiioooorrrruuuusstt**hh******aaeeooooooooyy************"   // U+0200
    "****************";                                                 // U+0240
constexpr std::string_view latin_1e00_to_1eff_base =
    "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmm"   // U+1E00
    "mmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvv"   // U+1E40
    "wwwwwwwwwwxxxxyyzzzzzzhtwy******aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeee"   // U+1E80
    "eeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy******";  // U+1EC0
static_assert(latin_c0_to_24f_base.size() == 0x250 - 0xC0);
static_assert(latin_1e00_to_1eff_base.size() == 0x100);

constexpr char32_t invalid_code_point = 0xFFFFFFFF;

// Decodes one code point at `text[position]` and advances `position`. Overlong forms,
// surrogates and values past U+10FFFF are invalid: one byte is consumed and
// invalid_code_point returned, so any byte soup terminates.
char32_t decode_utf8(std::string_view text, std::size_t& position) {
  const auto byte_at = [&](std::size_t index) { return static_cast<std::uint8_t>(text[index]); };
  const std::uint8_t lead = byte_at(position);
  if (lead < 0x80) {
    position += 1;
    return lead;
  }
  std::size_t length = 0;
  char32_t code_point = 0;
  char32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07, minimum = 0x10000;
  } else {
    position += 1;
    return invalid_code_point;
  }
  if (position + length > text.size()) {
    position += 1;
    return invalid_code_point;
  }
  for (std::size_t index = 1; index < length; ++index) {
    const std::uint8_t continuation = byte_at(position + index);
    if ((continuation & 0xC0) != 0x80) {
      position += 1;
      return invalid_code_point;
    }
    code_point = (code_point << 6) | (continuation & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    position += 1;
    return invalid_code_point;
  }
  position += length;
  return code_point;
}

bool is_dropped_mark(char32_t code_point) {
  return (code_point >= 0x0300 && code_point <= 0x036F)     // combining diacritical marks
         || (code_point >= 0x1AB0 && code_point <= 0x1AFF)  // extended combining marks
         || (code_point >= 0x1DC0 && code_point <= 0x1DFF)  // combining supplement
         || (code_point >= 0x20D0 && code_point <= 0x20FF)  // combining marks for symbols
         || (code_point >= 0xFE20 && code_point <= 0xFE2F)  // combining half marks
         || (code_point >= 0xFE00 && code_point <= 0xFE0F)  // variation selectors
         || (code_point >= 0x200B && code_point <= 0x200D)  // zero-width space and joiners
         || code_point == 0x2060 || code_point == 0xFEFF;   // word joiner, byte order mark
}

bool is_separator(char32_t code_point) {
  return code_point < 0xC0                                   // ASCII and Latin-1 punctuation
         || (code_point >= 0x2000 && code_point <= 0x2BFF)  // punctuation, symbols, arrows
         || (code_point >= 0x2E00 && code_point <= 0x2E7F)  // supplemental punctuation
         || (code_point >= 0x3000 && code_point <= 0x303F)  // CJK punctuation, ideographic space
         || (code_point >= 0xE000 && code_point <= 0xF8FF)  // private use
         || (code_point >= 0xFF00 && code_point <= 0xFF0F)  // fullwidth punctuation
         || (code_point >= 0x1F000 && code_point <= 0x1FAFF);  // emoji and pictographs
}

}  // namespace

// [SECTION] Folding -------------------------------------------------------------------
std::string fold_for_search(std::string_view utf8_text) {
  std::string folded;
  folded.reserve(utf8_text.size());
  bool separator_pending = false;  // a separator seen since the last letter
  const auto emit = [&](std::string_view piece) {
    if (separator_pending && !folded.empty()) folded.push_back(' ');
    separator_pending = false;
    folded.append(piece);
  };
  std::size_t position = 0;
  while (position < utf8_text.size()) {
    const std::size_t start = position;
    const char32_t code_point = decode_utf8(utf8_text, position);
    if (code_point == invalid_code_point) {
      separator_pending = true;
      continue;
    }
    if (code_point < 0x80) {
      const char ascii = static_cast<char>(code_point);
      if (ascii >= 'a' && ascii <= 'z') {
        emit(std::string_view(&ascii, 1));
      } else if (ascii >= 'A' && ascii <= 'Z') {
        const char lower = static_cast<char>(ascii - 'A' + 'a');
        emit(std::string_view(&lower, 1));
      } else if (ascii >= '0' && ascii <= '9') {
        emit(std::string_view(&ascii, 1));
      } else {
        separator_pending = true;
      }
      continue;
    }
    if (is_dropped_mark(code_point)) continue;
    // Fullwidth forms of ASCII letters and digits fold like ASCII.
    if (code_point >= 0xFF10 && code_point <= 0xFF5E) {
      const char ascii = static_cast<char>(code_point - 0xFF00 + 0x20);
      if (ascii >= '0' && ascii <= '9') {
        emit(std::string_view(&ascii, 1));
      } else if ((ascii >= 'a' && ascii <= 'z') || (ascii >= 'A' && ascii <= 'Z')) {
        const char lower = static_cast<char>(ascii | 0x20);
        emit(std::string_view(&lower, 1));
      } else {
        separator_pending = true;
      }
      continue;
    }
    char base = '*';
    if (code_point >= 0xC0 && code_point < 0x250) {
      base = latin_c0_to_24f_base[code_point - 0xC0];
    } else if (code_point >= 0x1E00 && code_point <= 0x1EFF) {
      base = latin_1e00_to_1eff_base[code_point - 0x1E00];
    } else if (is_separator(code_point)) {
      base = ' ';
    }
    if (base == ' ') {
      separator_pending = true;
    } else if (base == '*') {
      emit(utf8_text.substr(start, position - start));
    } else {
      emit(std::string_view(&base, 1));
    }
  }
  return folded;
}

// [SECTION] Words ---------------------------------------------------------------------
std::vector<std::string_view> split_words(std::string_view folded) {
  std::vector<std::string_view> words;
  std::size_t position = 0;
  while (position < folded.size()) {
    while (position < folded.size() && folded[position] == ' ') ++position;
    const std::size_t start = position;
    while (position < folded.size() && folded[position] != ' ') ++position;
    if (position > start) words.push_back(folded.substr(start, position - start));
  }
  return words;
}

namespace {
bool is_invisible_or_combining(std::uint32_t c) {
  struct Range { std::uint32_t first, last; };
  static constexpr Range ranges[] = {
      {0x0000, 0x0020}, {0x007F, 0x00A0}, {0x00AD, 0x00AD}, {0x0300, 0x036F}, {0x034F, 0x034F}, {0x0483, 0x0489},
      {0x115F, 0x1160}, {0x17B4, 0x17B5}, {0x180B, 0x180F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x2000, 0x200F},
      {0x2028, 0x202F}, {0x205F, 0x206F}, {0x20D0, 0x20FF}, {0x2800, 0x2800}, {0x3000, 0x3000}, {0x3164, 0x3164},
      {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xFFA0, 0xFFA0}, {0xFFF0, 0xFFFF}, {0x1D173, 0x1D17A},
      {0xE0000, 0xE0FFF}};
  for (const Range& range : ranges) {
    if (c >= range.first && c <= range.last) return true;
  }
  return false;
}
}  // namespace

bool has_visible_character(std::string_view text) {
  std::size_t position = 0;
  while (position < text.size()) {
    const auto byte = static_cast<unsigned char>(text[position]);
    const std::size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || position + length > text.size()) return false;
    std::uint32_t code_point = length == 1 ? byte : length == 2 ? (byte & 0x1Fu) : length == 3 ? (byte & 0x0Fu) : (byte & 0x07u);
    for (std::size_t i = 1; i < length; ++i) code_point = (code_point << 6) | (static_cast<unsigned char>(text[position + i]) & 0x3Fu);
    if (!is_invisible_or_combining(code_point)) return true;
    position += length;
  }
  return false;
}

}  // namespace loyalty
