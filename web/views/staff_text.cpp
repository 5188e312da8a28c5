#include "views/staff_text.hpp"

#include <cassert>

#include "core/basics/time.hpp"
#include "demo_program.hpp"
// After ui.hpp, which brings imgui.h: this header does not include it.
#include "imgui_stdlib.h"

namespace loyalty::console {
namespace {
constexpr ImU32 input_border = palette::rgb(0xCB, 0xD5, 0xE1);
}  // namespace

void say_label(Ui& ui, const Phrase& phrase, ImFont* font, ImU32 color, bool wrapped) {
  ui.label_text(phrase.id, say(ui, phrase), font, color, wrapped);
}

bool say_button(Ui& ui, const Phrase& phrase, bool primary, bool enabled, std::string_view id_suffix) {
  const std::string_view label = say(ui, phrase);
  const std::string id = std::string(phrase.id) + std::string(id_suffix);
  ImGui::PushFont(ui.fonts().body);
  if (!primary) {
    ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(palette::surface));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImGui::ColorConvertU32ToFloat4(palette::surface_hover));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImGui::ColorConvertU32ToFloat4(palette::border));
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette::brand_strong));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);
  } else {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette::on_brand));
  }
  if (!enabled) ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.5f);
  const std::string imgui_label = std::string(label) + "###" + id;
  bool clicked = ImGui::Button(imgui_label.c_str());
  if (!enabled) {
    ImGui::PopStyleVar();
    clicked = false;
  }
  if (ImGui::IsItemHovered() && enabled) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  if (!primary) {
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(4);
  } else {
    ImGui::PopStyleColor();
  }
  ui.record(id, label, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  ui.check_glyphs(label, ui.fonts().body);
  ImGui::PopFont();
  return clicked;
}

void draw_focus_ring(bool has_problem) {
  if (!ImGui::IsItemActive()) return;
  const ImVec2 min = ImGui::GetItemRectMin();
  const ImVec2 max = ImGui::GetItemRectMax();
  ImGui::GetWindowDrawList()->AddRect(ImVec2(min.x - 1, min.y - 1), ImVec2(max.x + 1, max.y + 1),
                                      has_problem ? palette::danger : palette::brand, ImGui::GetStyle().FrameRounding + 1, 0, 2.0f);
}

bool labelled_input(Ui& ui, std::string_view id, const Phrase& label, std::string& text, float width,
                    const std::string* problem, bool read_only) {
  ImGui::BeginGroup();
  ui.label_text(std::string(id) + "_label", say(ui, label), ui.fonts().small, palette::text_muted);
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);
  ImGui::PushStyleColor(ImGuiCol_Border, ImGui::ColorConvertU32ToFloat4(problem != nullptr ? palette::danger : input_border));
  ImGui::SetNextItemWidth(width);
  ImGuiInputTextFlags flags = read_only ? ImGuiInputTextFlags_ReadOnly : 0;
  const bool changed = ImGui::InputText(("##" + std::string(id)).c_str(), &text, flags);
  ImGui::PopStyleColor();
  ImGui::PopStyleVar();
  draw_focus_ring(problem != nullptr);
  ui.record_input(id, text);
  ui.check_glyphs(text, ui.fonts().body);
  if (problem != nullptr && !problem->empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ui.label_text(std::string(id) + "_error", *problem, ui.fonts().small, palette::danger_text, true);
    ImGui::PopTextWrapPos();
  }
  ImGui::EndGroup();
  return changed;
}

void draw_problem(Ui& ui, std::string_view id, std::string_view message) {
  ui.label_text(id, message, ui.fonts().body, palette::danger_text, true);
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string field_problem(const Ui& ui, const BackendReply& reply, std::string_view field) {
  if (const ApiError::Field* named = reply.field(field)) return std::string(named->message.in(ui.language()));
  return {};
}

std::string format_date(std::string_view iso_time) {
  const std::optional<UtcSeconds> time = parse_utc_time(iso_time);
  if (!time) return std::string(iso_time);
  return format_local_date(*time, TimeZone{});
}

std::string points_text(std::int64_t points, const Ui& ui) { return format_number(points, ui.language()); }
std::string money_text(std::int64_t amount_vnd, const Ui& ui) { return format_money(amount_vnd, ui.language()); }

std::string fill(std::string_view pattern, std::initializer_list<std::pair<std::string_view, std::string>> values) {
  std::string result(pattern);
  for (const auto& [placeholder, value] : values) {
    const std::size_t position = result.find(placeholder);
    assert(position != std::string::npos && "a phrase lost its placeholder");
    if (position != std::string::npos) result.replace(position, placeholder.size(), value);
  }
  return result;
}

}  // namespace loyalty::console
