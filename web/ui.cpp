#include "ui.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cfloat>
#include <cmath>
#include <utility>

#include "console_font_data.hpp"
#include "imgui_internal.h"

namespace loyalty::console {

// [SECTION] Style ---------------------------------------------------------------------------
void apply_console_style(ImGuiStyle& style) {
  ImGui::StyleColorsLight(&style);
  style.WindowPadding = ImVec2(0, 0);
  style.WindowRounding = 0;
  style.WindowBorderSize = 0;
  style.ChildRounding = 12;
  style.ChildBorderSize = 0;
  style.FrameRounding = 8;
  style.FramePadding = ImVec2(14, 8);
  style.ItemSpacing = ImVec2(12, 10);
  style.ItemInnerSpacing = ImVec2(8, 6);
  style.ScrollbarSize = 10;
  style.ScrollbarRounding = 8;
  style.GrabRounding = 8;
  style.PopupRounding = 8;
  style.AntiAliasedFill = true;
  style.AntiAliasedLines = true;

  const auto color = [](ImU32 value) { return ImGui::ColorConvertU32ToFloat4(value); };
  ImVec4* colors = style.Colors;
  colors[ImGuiCol_Text] = color(palette::text);
  colors[ImGuiCol_TextDisabled] = color(palette::text_faint);
  colors[ImGuiCol_WindowBg] = color(palette::app_background);
  colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  colors[ImGuiCol_PopupBg] = color(palette::surface);
  colors[ImGuiCol_Border] = color(palette::border);
  colors[ImGuiCol_FrameBg] = color(palette::surface);
  colors[ImGuiCol_FrameBgHovered] = color(palette::surface_hover);
  colors[ImGuiCol_FrameBgActive] = color(palette::brand_soft);
  colors[ImGuiCol_Button] = color(palette::brand);
  colors[ImGuiCol_ButtonHovered] = color(palette::brand_strong);
  colors[ImGuiCol_ButtonActive] = color(palette::brand_strong);
  colors[ImGuiCol_Header] = color(palette::brand_soft);
  colors[ImGuiCol_HeaderHovered] = color(palette::surface_hover);
  colors[ImGuiCol_HeaderActive] = color(palette::brand_soft);
  colors[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
  colors[ImGuiCol_ScrollbarGrab] = ImVec4(0.10f, 0.14f, 0.19f, 0.18f);
  colors[ImGuiCol_ScrollbarGrabHovered] = ImVec4(0.10f, 0.14f, 0.19f, 0.30f);
  colors[ImGuiCol_ScrollbarGrabActive] = ImVec4(0.10f, 0.14f, 0.19f, 0.40f);
  colors[ImGuiCol_NavHighlight] = color(palette::brand);
  colors[ImGuiCol_Separator] = color(palette::border);
}

// [SECTION] Fonts -----------------------------------------------------------------------------
// The font subset made at build time keeps exactly these code points (make_console_font.py).
const ImWchar console_glyph_ranges[] = {
#include "console_glyph_ranges.inc"
    0,
};

namespace {

ImFont* add_font(ImGuiIO& io, float size_css_px, float device_pixel_ratio) {
  ImFontConfig config;
  config.OversampleH = 2;  // rasterised at device pixels already: 2x is enough
  config.OversampleV = 1;
  config.FontDataOwnedByAtlas = false;  // linked into the wasm: ImGui only reads it
  ImFont* font = io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(console_font_ttf),
                                                static_cast<int>(console_font_ttf_size),
                                                size_css_px * device_pixel_ratio, &config,
                                                console_glyph_ranges);
  assert(font != nullptr);
  return font;
}

// [SECTION] Drawn glyphs
// Noto Sans has no arrows, yet the core's formulas read "= 10,5 → 10 điểm". Rather than
// embed a second font for one character, the arrow is drawn into the atlas at each size as
// a custom glyph: the same stroke weight as the text, sharp at any pixel density.
constexpr ImWchar rightwards_arrow = 0x2192;

struct DrawnGlyph {
  ImFont* font = nullptr;
  int rect_index = -1;   // the atlas's custom rectangle for the glyph
};

DrawnGlyph add_arrow_glyph(ImFontAtlas& atlas, ImFont* font, float size_px) {
  assert(font != nullptr && size_px > 0);
  const int width = std::max(5, static_cast<int>(std::lround(size_px * 0.60f)));
  const int height = std::max(5, static_cast<int>(std::lround(size_px * 0.42f)));
  const float side_bearing = std::round(size_px * 0.08f);
  DrawnGlyph glyph;
  glyph.font = font;
  glyph.rect_index = atlas.AddCustomRectFontGlyph(font, rightwards_arrow, width, height,
                                                  static_cast<float>(width) + 2 * side_bearing,
                                                  ImVec2(side_bearing, 0));
  assert(glyph.rect_index >= 0);
  return glyph;
}

float distance_to_segment(ImVec2 point, ImVec2 from, ImVec2 to) {
  const ImVec2 along(to.x - from.x, to.y - from.y);
  const ImVec2 offset(point.x - from.x, point.y - from.y);
  const float length_squared = along.x * along.x + along.y * along.y;
  const float t = length_squared > 0
                      ? std::clamp((offset.x * along.x + offset.y * along.y) / length_squared, 0.0f, 1.0f)
                      : 0.0f;
  const float dx = offset.x - along.x * t;
  const float dy = offset.y - along.y * t;
  return std::sqrt(dx * dx + dy * dy);
}

// Paints the arrow (a shaft and two strokes of the head, anti-aliased by distance) into
// the atlas's alpha texture, then sets it on the font's maths axis (the middle of "+").
void paint_arrow_glyph(ImFontAtlas& atlas, const DrawnGlyph& glyph) {
  const ImFontAtlasCustomRect* rect = atlas.GetCustomRectByIndex(glyph.rect_index);
  assert(rect != nullptr && rect->IsPacked());
  unsigned char* pixels = nullptr;
  int texture_width = 0;
  int texture_height = 0;
  atlas.GetTexDataAsAlpha8(&pixels, &texture_width, &texture_height);
  assert(pixels != nullptr);
  assert(rect->X + rect->Width <= texture_width && rect->Y + rect->Height <= texture_height);

  const float width = rect->Width;
  const float height = rect->Height;
  const float stroke = std::max(1.0f, height * 0.15f);
  const float middle = height * 0.5f;
  const float tip_x = width - stroke * 0.5f - 0.25f;
  const float head = middle - stroke * 0.5f;
  const ImVec2 tip(tip_x, middle);
  const ImVec2 segments[3][2] = {
      {ImVec2(stroke * 0.5f, middle), tip},
      {tip, ImVec2(tip_x - head, middle - head)},
      {tip, ImVec2(tip_x - head, middle + head)},
  };
  for (int y = 0; y < rect->Height; ++y) {
    for (int x = 0; x < rect->Width; ++x) {
      const ImVec2 centre(static_cast<float>(x) + 0.5f, static_cast<float>(y) + 0.5f);
      float distance = FLT_MAX;
      for (const auto& segment : segments) {
        distance = std::min(distance, distance_to_segment(centre, segment[0], segment[1]));
      }
      const float coverage = std::clamp(stroke * 0.5f + 0.5f - distance, 0.0f, 1.0f);
      pixels[(rect->Y + y) * texture_width + rect->X + x] =
          static_cast<unsigned char>(std::lround(coverage * 255.0f));
    }
  }

  ImFont* font = glyph.font;
  assert(rightwards_arrow < font->IndexLookup.Size && font->IndexLookup[rightwards_arrow] != (ImWchar)-1);
  ImFontGlyph& arrow = font->Glyphs[font->IndexLookup[rightwards_arrow]];
  const ImFontGlyph* plus = font->FindGlyphNoFallback('+');
  const float axis = plus != nullptr ? (plus->Y0 + plus->Y1) * 0.5f : font->Ascent * 0.65f;
  arrow.Y0 = std::round(axis - height * 0.5f);
  arrow.Y1 = arrow.Y0 + height;
}

}  // namespace

Fonts build_fonts(ImGuiIO& io, float device_pixel_ratio) {
  assert(device_pixel_ratio > 0);
  io.Fonts->Clear();
  Fonts fonts;
  fonts.body = add_font(io, 16, device_pixel_ratio);  // first font: ImGui's default
  fonts.small = add_font(io, 13, device_pixel_ratio);
  fonts.large = add_font(io, 22, device_pixel_ratio);
  fonts.heading = add_font(io, 28, device_pixel_ratio);
  const std::array<std::pair<ImFont*, float>, 4> sizes{{
      {fonts.body, 16.0f}, {fonts.small, 13.0f}, {fonts.large, 22.0f}, {fonts.heading, 28.0f}}};
  std::array<DrawnGlyph, 4> arrows{};
  for (std::size_t index = 0; index < sizes.size(); ++index) {
    arrows[index] = add_arrow_glyph(*io.Fonts, sizes[index].first, sizes[index].second * device_pixel_ratio);
  }
  io.Fonts->Build();
  for (const DrawnGlyph& arrow : arrows) paint_arrow_glyph(*io.Fonts, arrow);
  io.FontGlobalScale = 1.0f / device_pixel_ratio;
  assert(io.Fonts->IsBuilt());
  return fonts;
}

// [SECTION] Ui ---------------------------------------------------------------------------------
Ui::Ui(Language language, const Fonts& fonts, UtcSeconds now, platform::FrameReport& report)
    : language_(language), fonts_(fonts), now_(now), report_(report) {
  assert(fonts_.body != nullptr && fonts_.heading != nullptr);
}

void Ui::label(TextKey key, ImFont* font, ImU32 color) {
  label_text(key_name(key), tr(key), font, color, false);
}

void Ui::label_wrapped(TextKey key, ImFont* font, ImU32 color) {
  label_text(key_name(key), tr(key), font, color, true);
}

void Ui::label_text(std::string_view id, std::string_view text, ImFont* font, ImU32 color,
                    bool wrapped) {
  assert(font != nullptr);
  ImGui::PushFont(font);
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  if (wrapped) {
    draw_wrapped(text, font);
  } else {
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
  }
  ImGui::PopStyleColor();
  record(id, text, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  check_glyphs(text, font);
  ImGui::PopFont();
}

// As ImGui::TextWrapped (the window's edge unless the caller chose a wrap position), with
// the lines from wrap_text.
void Ui::draw_wrapped(std::string_view text, ImFont* font) {
  ImGuiWindow* window = ImGui::GetCurrentWindow();
  float wrap_x = window->DC.TextWrapPos;
  if (wrap_x < 0.0f || wrap_x == 0.0f) {
    wrap_x = ImGui::GetContentRegionMaxAbs().x;
  } else {
    wrap_x += window->Pos.x - window->Scroll.x;
  }
  const float width = std::max(1.0f, wrap_x - window->DC.CursorPos.x);
  const std::vector<TextLine> lines = wrap_text(font, font_size(font), text, width, words_broken_);
  ImGui::BeginGroup();
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 0));
  for (const TextLine& line : lines) {
    ImGui::TextUnformatted(text.data() + line.begin, text.data() + line.end);
  }
  if (lines.empty()) ImGui::TextUnformatted("");
  ImGui::PopStyleVar();
  ImGui::EndGroup();
}

float Ui::font_size(ImFont* font) const {
  return font->FontSize * ImGui::GetIO().FontGlobalScale;
}

ImVec2 Ui::measure(ImFont* font, std::string_view text) const {
  return font->CalcTextSizeA(font_size(font), FLT_MAX, 0.0f, text.data(),
                             text.data() + text.size());
}

ImVec2 Ui::draw_text(ImDrawList* draw_list, ImFont* font, ImVec2 position, ImU32 color,
                     std::string_view id, std::string_view text) {
  assert(draw_list != nullptr && font != nullptr);
  const ImVec2 size = measure(font, text);
  draw_list->AddText(font, font_size(font), position, color, text.data(),
                     text.data() + text.size());
  record(id, text, position, ImVec2(position.x + size.x, position.y + size.y));
  check_glyphs(text, font);
  return size;
}

ImVec2 Ui::draw_pill(ImDrawList* draw_list, ImVec2 position, ImU32 background, ImU32 color,
                     std::string_view id, std::string_view text) {
  const ImVec2 padding(10, 3);
  const ImVec2 text_size = measure(fonts_.small, text);
  const ImVec2 size(text_size.x + 2 * padding.x, text_size.y + 2 * padding.y);
  draw_list->AddRectFilled(position, ImVec2(position.x + size.x, position.y + size.y),
                           background, size.y * 0.5f);
  draw_text(draw_list, fonts_.small, ImVec2(position.x + padding.x, position.y + padding.y),
            color, id, text);
  return size;
}

void Ui::record(std::string_view id, std::string_view text, ImVec2 min, ImVec2 max) {
  assert(!id.empty());
  assert(max.x >= min.x && max.y >= min.y);
  platform::TextRect rect;
  rect.id = std::string(id);
  rect.text = std::string(text);
  rect.x = min.x;
  rect.y = min.y;
  rect.width = max.x - min.x;
  rect.height = max.y - min.y;
  report_.text_rects.push_back(std::move(rect));
}

void Ui::record_input(std::string_view id, std::string_view text) {
  assert(!id.empty());
  const ImVec2 min = ImGui::GetItemRectMin();
  const ImVec2 max = ImGui::GetItemRectMax();
  assert(max.x >= min.x && max.y >= min.y);
  platform::InputRect input;
  input.id = std::string(id);
  input.text = std::string(text);
  input.x = min.x;
  input.y = min.y;
  input.width = max.x - min.x;
  input.height = max.y - min.y;
  input.focused = ImGui::IsItemActive();
  report_.inputs.push_back(std::move(input));
}

void Ui::publish_state(std::string_view key, std::string_view value) {
  assert(!key.empty());
  report_.state.push_back(platform::StateEntry{std::string(key), std::string(value)});
}

void Ui::check_glyphs(std::string_view text, ImFont* font) {
  const char* cursor = text.data();
  const char* const end = text.data() + text.size();
  while (cursor < end) {
    unsigned int codepoint = 0;
    const int length = ImTextCharFromUtf8(&codepoint, cursor, end);
    assert(length > 0);
    cursor += length;
    if (codepoint < 0x20) continue;  // newlines and tabs are layout, not glyphs
    if (font->FindGlyphNoFallback(static_cast<ImWchar>(codepoint)) != nullptr) continue;
    auto& missing = report_.missing_codepoints;
    if (std::find(missing.begin(), missing.end(), codepoint) == missing.end()) {
      missing.push_back(codepoint);
    }
  }
}

// [SECTION] Wrapping --------------------------------------------------------------------------
namespace {

bool is_digit(char character) { return character >= '0' && character <= '9'; }

// A space between a number and its unit keeps them on one line: "1.000.000 ₫", "1,5 %".
bool is_breakable_space(std::string_view text, std::size_t index) {
  assert(text[index] == ' ');
  if (index == 0 || !is_digit(text[index - 1])) return true;
  const std::string_view after = text.substr(index + 1);
  return !(after.substr(0, 3) == "\xE2\x82\xAB" || after.substr(0, 1) == "%");
}

float text_width(ImFont* font, float size_px, std::string_view text) {
  return font->CalcTextSizeA(size_px, FLT_MAX, 0.0f, text.data(), text.data() + text.size()).x;
}

// The longest prefix of `word` (whole UTF-8 characters, at least one) that fits `width_px`.
std::size_t fitting_prefix(ImFont* font, float size_px, std::string_view word, float width_px) {
  std::size_t fitting = 0;
  std::size_t index = 0;
  while (index < word.size()) {
    unsigned int codepoint = 0;
    const int length = ImTextCharFromUtf8(&codepoint, word.data() + index, word.data() + word.size());
    const std::size_t next = index + static_cast<std::size_t>(std::max(1, length));
    if (fitting > 0 && text_width(font, size_px, word.substr(0, next)) > width_px) break;
    fitting = next;
    index = next;
  }
  return fitting;
}

}  // namespace

std::vector<TextLine> wrap_text(ImFont* font, float size_px, std::string_view text, float width_px,
                                int& words_broken) {
  assert(font != nullptr && size_px > 0);
  std::vector<TextLine> lines;
  std::size_t paragraph_begin = 0;
  while (paragraph_begin <= text.size()) {
    std::size_t paragraph_end = text.find('\n', paragraph_begin);
    if (paragraph_end == std::string_view::npos) paragraph_end = text.size();
    // Words: runs between breakable spaces (a kept space stays inside its word).
    std::size_t line_begin = paragraph_begin;
    std::size_t line_end = paragraph_begin;   // end of the last word on the line
    std::size_t word_begin = paragraph_begin;
    bool line_has_word = false;
    while (word_begin <= paragraph_end) {
      std::size_t word_end = word_begin;
      while (word_end < paragraph_end && !(text[word_end] == ' ' && is_breakable_space(text, word_end))) ++word_end;
      const std::string_view candidate = text.substr(line_begin, word_end - line_begin);
      if (!line_has_word || text_width(font, size_px, candidate) <= width_px) {
        line_end = word_end;
        line_has_word = true;
      } else {
        lines.push_back({line_begin, line_end});
        line_begin = word_begin;
        line_end = word_end;
      }
      // A word alone wider than the line: cut it, as little as needed.
      while (text_width(font, size_px, text.substr(line_begin, line_end - line_begin)) > width_px) {
        const std::size_t fitting = fitting_prefix(font, size_px, text.substr(line_begin, line_end - line_begin), width_px);
        if (fitting >= line_end - line_begin) break;
        ++words_broken;
        lines.push_back({line_begin, line_begin + fitting});
        line_begin += fitting;
      }
      if (word_end >= paragraph_end) break;
      word_begin = word_end + 1;   // past the space
    }
    lines.push_back({line_begin, line_end});
    paragraph_begin = paragraph_end + 1;
  }
  return lines;
}

// [SECTION] Panel ---------------------------------------------------------------------------
namespace {
enum PanelChannel : int { panel_background = 0, panel_behind = 1, panel_content = 2 };
}  // namespace

Panel::Panel(float width, float padding, ImU32 background, ImU32 border)
    : draw_list_(ImGui::GetWindowDrawList()),
      origin_(ImGui::GetCursorScreenPos()),
      // A window narrower than the padding still gets a (squeezed) panel, not a crash.
      width_(std::max(width, 2 * padding + 1)),
      padding_(padding),
      background_(background),
      border_(border) {
  assert(padding >= 0);
  assert(width_ > 2 * padding_);
  splitter_.Split(draw_list_, 3);
  splitter_.SetCurrentChannel(draw_list_, panel_content);
  ImGui::SetCursorScreenPos(ImVec2(origin_.x + padding_, origin_.y + padding_));
  ImGui::BeginGroup();
  // Text wrap positions are relative to the window, not the screen.
  const float window_left = ImGui::GetWindowPos().x - ImGui::GetScrollX();
  ImGui::PushTextWrapPos(inner_right() - window_left);
}

Panel::~Panel() { assert(ended_ && "Panel::end() not called"); }

void Panel::fill_behind(ImVec2 min, ImVec2 max, ImU32 color, float rounding) {
  assert(!ended_);
  splitter_.SetCurrentChannel(draw_list_, panel_behind);
  draw_list_->AddRectFilled(min, max, color, rounding);
  splitter_.SetCurrentChannel(draw_list_, panel_content);
}

float Panel::end(float min_height) {
  assert(!ended_);
  ended_ = true;
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  const float content_bottom = ImGui::GetItemRectMax().y + padding_;
  const float content_height = content_bottom - origin_.y;
  const float height = std::max(content_height, min_height);
  const ImVec2 corner(origin_.x + width_, origin_.y + height);
  splitter_.SetCurrentChannel(draw_list_, panel_background);
  draw_list_->AddRectFilled(origin_, corner, background_, ImGui::GetStyle().ChildRounding);
  draw_list_->AddRect(origin_, corner, border_, ImGui::GetStyle().ChildRounding);
  splitter_.Merge(draw_list_);
  // Reserve the panel's space so the window's layout and scrolling know about it.
  ImGui::SetCursorScreenPos(origin_);
  ImGui::Dummy(ImVec2(width_, height));
  return content_height;
}

std::string fill_placeholder(std::string_view pattern, std::string_view placeholder,
                             std::string_view value) {
  std::string result(pattern);
  const std::size_t position = result.find(placeholder);
  assert(position != std::string::npos && "translation lost its placeholder");
  if (position != std::string::npos) result.replace(position, placeholder.size(), value);
  return result;
}

}  // namespace loyalty::console
