#pragma once
// The console's font (a TrueType file cut down to console_glyph_ranges.inc), linked into the
// wasm as data: web/make_console_font.py writes its definition at build time.
#include <cstddef>

namespace loyalty::console {
extern const unsigned char console_font_ttf[];
extern const std::size_t console_font_ttf_size;
}  // namespace loyalty::console
