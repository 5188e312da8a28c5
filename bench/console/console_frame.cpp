// console_frame.cpp: `bench console_frame_cpu_100k_rows <n> ms`: the CPU time of one ImGui
// frame of the console while the members table of 100,000 rows scrolls (aim: under 2 ms).
//
// The console's own code draws the table (web/views/member_table.cpp) with its own fonts
// (Noto Sans at the console's four sizes, Vietnamese glyphs included) in a 1280 x 800 window;
// each frame runs NewFrame, the table, and Render (which builds the draw lists the GPU
// would get), with the mouse wheel scrolling the table a few rows further each frame.
// Built as wasm for Node (web/CMakeLists.txt): the same code and compiler as the page, with
// no GPU in the way. Prints the mean and the 99th percentile of the measured frames.
#include <algorithm>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "../bench_timing.hpp"
#include "../vietnamese_names.hpp"
#include "imgui.h"
#include "ui.hpp"
#include "views/member_views.hpp"

using namespace loyalty;
using namespace loyalty::console;

int main() {
  constexpr std::size_t row_count = 100'000;
  constexpr int warm_up_frames = 30;
  constexpr int measured_frames = 600;

  bench::VietnameseNameGenerator names(20261201);
  std::vector<MemberRow> rows(row_count);
  for (std::size_t index = 0; index < row_count; ++index) {
    MemberRow& row = rows[index];
    row.member_id = "KH" + std::to_string(100000 + index);
    row.name = names.name().full_name();
    row.phone = names.mobile_phone();
    row.card_number = std::to_string(8000000000ULL + index * 10);
    row.tier_name = index % 7 == 0 ? "Vàng" : index % 23 == 0 ? "Bạch kim" : "Bạc";
    row.points = static_cast<std::int64_t>(names.random().below(50'000));
  }

  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(1280, 800);
  apply_console_style(ImGui::GetStyle());
  const Fonts fonts = build_fonts(io, 1.0f);
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);   // the atlas a renderer would upload
  assert(pixels != nullptr && width > 0);

  std::vector<double> frame_ms;
  std::size_t last_row_drawn = 0;
  for (int frame = 0; frame < warm_up_frames + measured_frames; ++frame) {
    const auto began = std::chrono::steady_clock::now();
    io.DeltaTime = 1.0f / 60.0f;
    io.MousePos = ImVec2(640, 400);   // over the table
    io.MouseWheel = -2.0f;            // a flick of the wheel: about ten rows a frame
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::PushFont(fonts.body);
    ImGui::Begin("##console", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
    platform::FrameReport report;
    Ui ui(Language::vietnamese, fonts, 0, report);
    draw_member_table(ui, rows, 760);
    ImGui::End();
    ImGui::PopFont();
    ImGui::Render();
    const double elapsed = bench::milliseconds_since(began);
    if (frame >= warm_up_frames) frame_ms.push_back(elapsed);
    // The rows the clipper drew this frame are recorded as member_row_<index>.
    for (const platform::TextRect& rect : report.text_rects) {
      if (rect.id.rfind("member_row_", 0) == 0) last_row_drawn = std::max<std::size_t>(last_row_drawn, std::stoul(rect.id.substr(11)));
    }
  }
  // The table really scrolled (and the clipper drew only what was visible).
  if (last_row_drawn < 1000) {
    std::fprintf(stderr, "console_frame: the table did not scroll (last row drawn %zu)\n", last_row_drawn);
    return 1;
  }
  double total = 0;
  for (const double value : frame_ms) total += value;
  std::sort(frame_ms.begin(), frame_ms.end());
  const double p99 = frame_ms[frame_ms.size() * 99 / 100];
  std::printf("bench console_frame_cpu_100k_rows %.3f ms\n", total / static_cast<double>(frame_ms.size()));
  std::printf("bench console_frame_cpu_100k_rows_p99 %.3f ms\n", p99);
  std::fprintf(stderr, "console_frame: %d frames measured, scrolled to row %zu of %zu\n", measured_frames, last_row_drawn, row_count);
  ImGui::DestroyContext();
  return 0;
}
