// ui.hpp: the console's look and the small drawing helpers every view uses.
//
// [SECTION] Palette
// [SECTION] Fonts
// [SECTION] Ui: text in the current language, recorded for the tests
//
// Views draw through Ui so that every string comes from i18n and every label lands in the
// frame report (its rectangle on screen, and any glyph the font lacks).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/basics/time.hpp"
#include "i18n.hpp"
#include "imgui.h"
#include "platform/platform.hpp"

namespace loyalty::console {

// [SECTION] Palette ---------------------------------------------------------------------
// A light theme: neutral greys, one teal brand colour, amber for "coming soon".
namespace palette {
inline constexpr ImU32 rgb(unsigned red, unsigned green, unsigned blue, unsigned alpha = 255) {
  return IM_COL32(red, green, blue, alpha);
}
inline constexpr ImU32 app_background = rgb(0xF4, 0xF6, 0xF9);
inline constexpr ImU32 surface = rgb(0xFF, 0xFF, 0xFF);
inline constexpr ImU32 surface_hover = rgb(0xF1, 0xF4, 0xF8);
inline constexpr ImU32 border = rgb(0xE2, 0xE7, 0xEE);
inline constexpr ImU32 text = rgb(0x1B, 0x24, 0x30);
inline constexpr ImU32 text_muted = rgb(0x5F, 0x6B, 0x7A);
// Body text on white and on the app background keeps a contrast of at least 4.5:1 (WCAG
// AA): text 15.7, text_muted 5.4 / 5.0, text_faint 5.0 / 4.6.
inline constexpr ImU32 text_faint = rgb(0x66, 0x71, 0x80);
inline constexpr ImU32 brand = rgb(0x0F, 0x76, 0x6E);
inline constexpr ImU32 brand_strong = rgb(0x0B, 0x5D, 0x57);
inline constexpr ImU32 brand_soft = rgb(0xE3, 0xF3, 0xF0);
inline constexpr ImU32 on_brand = rgb(0xFF, 0xFF, 0xFF);
inline constexpr ImU32 amber_soft = rgb(0xFE, 0xF3, 0xC7);
inline constexpr ImU32 amber_text = rgb(0x92, 0x40, 0x0E);
inline constexpr ImU32 info_soft = rgb(0xEF, 0xF6, 0xFF);
inline constexpr ImU32 info_border = rgb(0xC7, 0xDB, 0xFB);
inline constexpr ImU32 info_text = rgb(0x1E, 0x3A, 0x8A);
inline constexpr ImU32 danger = rgb(0xDC, 0x26, 0x26);          // input border in error
inline constexpr ImU32 danger_soft = rgb(0xFE, 0xF2, 0xF2);
inline constexpr ImU32 danger_text = rgb(0xB9, 0x1C, 0x1C);
inline constexpr ImU32 success_soft = rgb(0xDC, 0xFC, 0xE7);    // good news: a tier upgrade
inline constexpr ImU32 success_border = rgb(0x86, 0xEF, 0xAC);
inline constexpr ImU32 success_text = rgb(0x16, 0x65, 0x34);
}  // namespace palette

void apply_console_style(ImGuiStyle& style);   // spacing, rounding and colours

// [SECTION] Fonts -------------------------------------------------------------------------
// One typeface at four sizes (CSS pixels), rasterised at size x devicePixelRatio. Glyphs the
// typeface lacks but the core's texts use (the arrow "→" of the formulas) are drawn into
// the atlas by build_fonts.
struct Fonts {
  ImFont* body = nullptr;      // 16 px: most text
  ImFont* small = nullptr;     // 13 px: notes, badges, captions
  ImFont* large = nullptr;     // 22 px: product name, card values
  ImFont* heading = nullptr;   // 28 px: screen headings
};
// What the atlas holds: console_glyph_ranges.inc, the code points kept in the font.
extern const ImWchar console_glyph_ranges[];
// Clears io.Fonts and adds the four sizes for this pixel density; the renderer must then
// re-upload the atlas. Sets io.FontGlobalScale = 1 / device_pixel_ratio.
Fonts build_fonts(ImGuiIO& io, float device_pixel_ratio);

// [SECTION] Ui ------------------------------------------------------------------------------
class Ui {
 public:
  Ui(Language language, const Fonts& fonts, UtcSeconds now, platform::FrameReport& report);

  Language language() const { return language_; }
  const Fonts& fonts() const { return fonts_; }
  UtcSeconds now() const { return now_; }                   // this frame's time
  std::string_view tr(TextKey key) const { return text(key, language_); }

  // ImGui text items: drawn at the cursor, recorded under the key's name.
  void label(TextKey key, ImFont* font, ImU32 color);
  // Wraps at the text wrap position, at spaces only: never inside "1.000.000 ₫" or "1,5 %"
  // (ImGui would break after the dots), and a word is cut only when it alone is too wide.
  void label_wrapped(TextKey key, ImFont* font, ImU32 color);
  void label_text(std::string_view id, std::string_view text, ImFont* font, ImU32 color,
                  bool wrapped = false);

  // Text drawn with an ImDrawList at `position` (screen pixels); returns its size.
  ImVec2 draw_text(ImDrawList* draw_list, ImFont* font, ImVec2 position, ImU32 color,
                   std::string_view id, std::string_view text);
  ImVec2 measure(ImFont* font, std::string_view text) const;
  float font_size(ImFont* font) const;                   // CSS pixels

  // A rounded pill with text (badges); returns its size.
  ImVec2 draw_pill(ImDrawList* draw_list, ImVec2 position, ImU32 background, ImU32 color,
                   std::string_view id, std::string_view text);

  // For widgets drawn some other way: record a rectangle and check the text's glyphs.
  void record(std::string_view id, std::string_view text, ImVec2 min, ImVec2 max);
  void check_glyphs(std::string_view text, ImFont* font);
  // The last ImGui item was a text input: record its frame, content and focus.
  void record_input(std::string_view id, std::string_view text);
  // A value the screen shows, unformatted, for the tests (window.consoleState).
  void publish_state(std::string_view key, std::string_view value);
  // Words this frame that had to be cut because one alone was wider than its line.
  int words_broken() const { return words_broken_; }

 private:
  void draw_wrapped(std::string_view text, ImFont* font);
  Language language_;
  Fonts fonts_;
  UtcSeconds now_;
  platform::FrameReport& report_;
  int words_broken_ = 0;
};

// Where a wrapped text breaks into lines, for a font at `size_px` and a line `width_px`
// wide: [begin, end) byte ranges, without the space at each break. Breaks only at ASCII
// spaces and newlines, never at a space between a digit and "₫" or "%"; a word wider than
// the line is cut between characters (counted in `words_broken`).
struct TextLine {
  std::size_t begin = 0, end = 0;
};
std::vector<TextLine> wrap_text(ImFont* font, float size_px, std::string_view text, float width_px,
                                int& words_broken);

// A rounded panel at the cursor whose height follows its content: the content is drawn
// first, on a channel above the background, and the background is drawn in end().
//   Panel panel(width);  ...content at the cursor...  panel.end();
class Panel {
 public:
  explicit Panel(float width, float padding = 20, ImU32 background = palette::surface,
                 ImU32 border = palette::border);
  Panel(const Panel&) = delete;
  Panel& operator=(const Panel&) = delete;
  ~Panel();                                     // asserts end() was called

  float inner_left() const { return origin_.x + padding_; }   // screen pixels
  float inner_right() const { return origin_.x + width_ - padding_; }
  float inner_width() const { return width_ - 2 * padding_; }
  // Fills a rectangle between the background and the content (hover highlights, rules).
  void fill_behind(ImVec2 min, ImVec2 max, ImU32 color, float rounding = 0);
  // Draws the background (at least min_height tall); the cursor moves below the panel.
  // Returns the height the content needed, for rows of panels of equal height.
  float end(float min_height = 0);

 private:
  ImDrawListSplitter splitter_;
  ImDrawList* draw_list_ = nullptr;
  ImVec2 origin_;
  float width_ = 0;
  float padding_ = 0;
  ImU32 background_ = 0;
  ImU32 border_ = 0;
  bool ended_ = false;
};

// "{amount}" in a translated pattern replaced by a value.
std::string fill_placeholder(std::string_view pattern, std::string_view placeholder,
                             std::string_view value);

}  // namespace loyalty::console
