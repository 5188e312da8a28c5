// console_font_test.cpp: the font the console links (cut down at build time by
// web/make_console_font.py) draws every Vietnamese letter and the dong sign at every size,
// and keeps every glyph of the console's ranges that the full source font has, with the same
// metrics. Built as wasm for Node with the page's ImGui and fonts (web/CMakeLists.txt); the
// full source font is embedded for the comparison at /fonts/source.ttf.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"   // ImTextCharFromUtf8
#include "ui.hpp"

using namespace loyalty::console;

namespace {

// Written out letter by letter (not generated), each vowel with its five tones.
constexpr const char* vietnamese_lowercase =
    "àáảãạ ăằắẳẵặ âầấẩẫậ èéẻẽẹ êềếểễệ ìíỉĩị òóỏõọ ôồốổỗộ ơờớởỡợ ùúủũụ ưừứửữự ỳýỷỹỵ đ";
constexpr const char* vietnamese_uppercase =
    "ÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ ÈÉẺẼẸ ÊỀẾỂỄỆ ÌÍỈĨỊ ÒÓỎÕỌ ÔỒỐỔỖỘ ƠỜỚỞỠỢ ÙÚỦŨỤ ƯỪỨỬỮỰ ỲÝỶỸỴ Đ";

std::vector<unsigned int> code_points(const char* text) {
  std::vector<unsigned int> result;
  const char* end = text + std::strlen(text);
  while (text < end) {
    unsigned int code_point = 0;
    text += ImTextCharFromUtf8(&code_point, text, end);
    if (code_point != ' ') result.push_back(code_point);
  }
  return result;
}

std::string hex(unsigned int code_point) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", code_point);
  return text;
}

struct ImGuiContextScope {
  ImGuiContextScope() { ImGui::CreateContext(); }
  ~ImGuiContextScope() { ImGui::DestroyContext(); }
};

}  // namespace

TEST_CASE("the letter lists hold the 134 Vietnamese letters beyond ASCII, đ and Đ included") {
  const std::vector<unsigned int> lowercase = code_points(vietnamese_lowercase);
  const std::vector<unsigned int> uppercase = code_points(vietnamese_uppercase);
  CHECK(lowercase.size() == 67);   // 12 vowels x 5 tones, ă â ê ô ơ ư, đ
  CHECK(uppercase.size() == 67);
  for (unsigned int code_point : lowercase) CHECK(code_point > 0x7F);
  for (unsigned int code_point : uppercase) CHECK(code_point > 0x7F);
}

TEST_CASE("every Vietnamese letter, in both cases, and the dong sign draw from the console's font at all four sizes") {
  ImGuiContextScope context;
  ImGuiIO& io = ImGui::GetIO();
  const Fonts fonts = build_fonts(io, 2.0f);
  std::vector<unsigned int> wanted = code_points(vietnamese_lowercase);
  const std::vector<unsigned int> uppercase = code_points(vietnamese_uppercase);
  wanted.insert(wanted.end(), uppercase.begin(), uppercase.end());
  wanted.push_back(0x20AB);   // ₫
  wanted.push_back(0x2192);   // →, drawn into the atlas (ui.cpp), not taken from the font
  for (ImFont* font : {fonts.body, fonts.small, fonts.large, fonts.heading}) {
    REQUIRE(font != nullptr);
    for (unsigned int code_point : wanted) {
      const ImFontGlyph* glyph = font->FindGlyphNoFallback(static_cast<ImWchar>(code_point));
      CAPTURE(hex(code_point));
      REQUIRE(glyph != nullptr);
      CHECK(glyph->Visible);
      CHECK(glyph->AdvanceX > 0);
    }
  }
}

TEST_CASE("the cut-down font keeps every glyph of the ranges that the full font has, with the same metrics") {
  ImGuiContextScope context;
  const Fonts fonts = build_fonts(ImGui::GetIO(), 1.0f);
  ImFontAtlas full_atlas;
  ImFontConfig config;
  config.OversampleH = 2;
  config.OversampleV = 1;
  ImFont* full = full_atlas.AddFontFromFileTTF("/fonts/source.ttf", 16, &config, console_glyph_ranges);
  REQUIRE(full != nullptr);
  REQUIRE(full_atlas.Build());
  CHECK(fonts.body->Ascent == full->Ascent);
  CHECK(fonts.body->Descent == full->Descent);
  int kept = 0;
  for (const ImWchar* range = console_glyph_ranges; range[0] != 0; range += 2) {
    for (unsigned int code_point = range[0]; code_point <= range[1]; ++code_point) {
      const ImFontGlyph* expected = full->FindGlyphNoFallback(static_cast<ImWchar>(code_point));
      if (expected == nullptr) continue;
      const ImFontGlyph* actual = fonts.body->FindGlyphNoFallback(static_cast<ImWchar>(code_point));
      CAPTURE(hex(code_point));
      REQUIRE(actual != nullptr);
      CHECK(actual->AdvanceX == expected->AdvanceX);
      CHECK(actual->X0 == expected->X0);
      CHECK(actual->Y0 == expected->Y0);
      CHECK(actual->X1 == expected->X1);
      CHECK(actual->Y1 == expected->Y1);
      ++kept;
    }
  }
  CHECK(kept > 500);   // Latin, Vietnamese, punctuation: not an empty comparison
}
