// wallet_tiers_view.cpp: "Ví điểm & hạng", the offline rule preview.
//
// [SECTION] Layout helpers
// [SECTION] The program in use (left column)
// [SECTION] The calculator (right column)
// [SECTION] The result
// [SECTION] The screen
//
// Left: the demo program's numbers, its tiers as cards and its rules in plain words.
// Right: staff type an order and the member's tier points; the result follows every
// keystroke. Every figure and every sentence about the rules comes from the core
// (preview_order, rules_text) through demo_program.hpp: this file only lays them out.
#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <optional>
#include <string>

#include "views/views.hpp"
// After views.hpp: imgui_stdlib.h expects imgui.h to be included already.
#include "imgui_stdlib.h"

namespace loyalty::console {
namespace {

constexpr float column_gap = 20;
constexpr float two_columns_min_width = 820;   // narrower content: the columns stack
constexpr float panel_padding = 22;
constexpr float section_gap = 18;              // between panels of a column
constexpr ImU32 input_border = palette::rgb(0xCB, 0xD3, 0xDD);

// [SECTION] Layout helpers -------------------------------------------------------------------
// A group at `position` whose text wraps at `right` (screen x); end_block returns its bottom.
void begin_block(ImVec2 position, float right) {
  ImGui::SetCursorScreenPos(position);
  ImGui::BeginGroup();
  const float window_left = ImGui::GetWindowPos().x - ImGui::GetScrollX();
  ImGui::PushTextWrapPos(right - window_left);
}
float end_block() {
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  return ImGui::GetItemRectMax().y;
}

// Moves the cursor to `y` at `left` and makes sure the enclosing group reaches it.
void continue_at(float left, float y) {
  ImGui::SetCursorScreenPos(ImVec2(left, y));
  ImGui::Dummy(ImVec2(0, 0));
  ImGui::SetCursorScreenPos(ImVec2(left, y));
}

// Tier colours by position: silver, gold, platinum; further tiers take the brand colour.
ImU32 tier_color(int tier_index) {
  static constexpr std::array<ImU32, 3> colors{
      palette::rgb(0xA3, 0xAE, 0xBC), palette::rgb(0xE0, 0xA1, 0x10), palette::rgb(0x5B, 0x6B, 0x86)};
  if (tier_index < 0) return palette::text_faint;
  if (tier_index < static_cast<int>(colors.size())) return colors[static_cast<std::size_t>(tier_index)];
  return palette::brand;
}

std::string tier_name(const ProgramConfig& config, int tier_index, const Ui& ui) {
  if (tier_index < 0) return std::string(ui.tr(TextKey::preview_no_tier));
  assert(tier_index < static_cast<int>(config.tiers.size()));
  return tier_display_name(config.tiers[static_cast<std::size_t>(tier_index)], core_language(ui.language()));
}

std::string unit_points(const Ui& ui, std::int64_t points) {
  return std::string(ui.tr(points == 1 ? TextKey::preview_unit_point : TextKey::preview_unit_points));
}

// A medal: the tier's colour with a light ring.
void draw_medal(ImDrawList* draw_list, ImVec2 centre, float radius, ImU32 color) {
  draw_list->AddCircleFilled(centre, radius, color, 24);
  draw_list->AddCircle(centre, radius * 0.58f, palette::rgb(0xFF, 0xFF, 0xFF, 200), 20, 1.6f);
}

void draw_check_mark(ImDrawList* draw_list, ImVec2 centre, ImU32 color) {
  const ImVec2 points[3] = {ImVec2(centre.x - 4.5f, centre.y), ImVec2(centre.x - 1.5f, centre.y + 3.2f),
                            ImVec2(centre.x + 4.5f, centre.y - 3.5f)};
  draw_list->AddPolyline(points, 3, color, 0, 1.8f);
}

void draw_plus_mark(ImDrawList* draw_list, ImVec2 centre, ImU32 color) {
  draw_list->AddLine(ImVec2(centre.x - 4.5f, centre.y), ImVec2(centre.x + 4.5f, centre.y), color, 1.8f);
  draw_list->AddLine(ImVec2(centre.x, centre.y - 4.5f), ImVec2(centre.x, centre.y + 4.5f), color, 1.8f);
}

enum class RowMark : std::uint8_t { check, plus, dot };

// A list line: a mark in a round badge, then the text wrapped at `right`, hanging indent.
void draw_list_row(Ui& ui, float left, float right, RowMark mark, ImU32 mark_color, ImU32 mark_background,
                   std::string_view id, std::string_view text, ImFont* font, ImU32 text_color) {
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const float top = ImGui::GetCursorScreenPos().y;
  const float line_height = ui.measure(font, "Ag").y;
  const ImVec2 centre(left + 9, top + line_height * 0.5f);
  if (mark == RowMark::dot) {
    draw_list->AddCircleFilled(centre, 3, mark_color, 12);
  } else {
    draw_list->AddCircleFilled(centre, 9, mark_background, 20);
    if (mark == RowMark::check) draw_check_mark(draw_list, centre, mark_color);
    if (mark == RowMark::plus) draw_plus_mark(draw_list, centre, mark_color);
  }
  begin_block(ImVec2(left + 28, top), right);
  ui.label_text(id, text, font, text_color, true);
  end_block();
  ImGui::SetCursorScreenPos(ImVec2(left, ImGui::GetItemRectMax().y + 6));
}

// Pill sized for body text (draw_pill is for small badges).
ImVec2 draw_tier_chip(Ui& ui, ImDrawList* draw_list, ImVec2 position, int tier_index, std::string_view id,
                      std::string_view name) {
  const ImVec2 text_size = ui.measure(ui.fonts().body, name);
  const ImVec2 size(text_size.x + 46, 34);
  const ImVec2 corner(position.x + size.x, position.y + size.y);
  draw_list->AddRectFilled(position, corner, palette::surface, size.y * 0.5f);
  draw_list->AddRect(position, corner, palette::border, size.y * 0.5f);
  draw_medal(draw_list, ImVec2(position.x + 18, position.y + size.y * 0.5f), 8, tier_color(tier_index));
  ui.draw_text(draw_list, ui.fonts().body, ImVec2(position.x + 32, position.y + (size.y - text_size.y) * 0.5f),
               palette::text, id, name);
  return size;
}

// [SECTION] The program in use (left column) --------------------------------------------------
struct Stat {
  TextKey label;
  std::string_view value_id;
  std::string value;
  std::string_view note_id;
  std::string note;
};

float draw_stat(Ui& ui, const Stat& stat, ImVec2 position, float width) {
  begin_block(position, position.x + width);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(8, 3));
  ui.label(stat.label, ui.fonts().small, palette::text_muted);
  ui.label_text(stat.value_id, stat.value, ui.fonts().large, palette::text, true);
  ui.label_text(stat.note_id, stat.note, ui.fonts().small, palette::text_faint, true);
  ImGui::PopStyleVar();
  return end_block();
}

void draw_program_summary(Ui& ui, const ProgramConfig& config, float width) {
  const Language language = ui.language();
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  Panel panel(width, panel_padding);
  const float top = ImGui::GetCursorScreenPos().y;

  const std::string_view badge = ui.tr(TextKey::preview_program_badge);
  const float badge_width = ui.measure(ui.fonts().small, badge).x + 20;
  ui.draw_pill(draw_list, ImVec2(panel.inner_right() - badge_width, top + 2), palette::brand_soft,
               palette::brand_strong, key_name(TextKey::preview_program_badge), badge);
  begin_block(ImVec2(panel.inner_left(), top), panel.inner_right() - badge_width - 12);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(8, 2));
  ui.label(TextKey::preview_program_heading, ui.fonts().small, palette::text_muted);
  ui.label_text("preview_program_name", config.program_name, ui.fonts().large, palette::text, true);
  ImGui::PopStyleVar();
  const float rule_y = end_block() + 16;
  panel.fill_behind(ImVec2(panel.inner_left(), rule_y), ImVec2(panel.inner_right(), rule_y + 1), palette::border);

  const WalletConfig& wallet = config.wallet;
  const std::string window_note =
      config.tier_points.window_months == 0
          ? std::string(ui.tr(TextKey::preview_window_lifetime))
          : fill_placeholder(ui.tr(TextKey::preview_window_months), "{months}",
                             std::to_string(config.tier_points.window_months));
  const std::array<Stat, 4> stats{{
      {TextKey::preview_point_value_label, "preview_point_value", format_money(wallet.point_value_vnd, language),
       key_name(TextKey::preview_point_value_note), std::string(ui.tr(TextKey::preview_point_value_note))},
      {TextKey::preview_buyer_rate_label, "preview_buyer_rate",
       fill_placeholder(ui.tr(TextKey::preview_rate_value), "{rate}", format_percent(wallet.buyer_earn_rate_bp, language)),
       key_name(TextKey::preview_buyer_rate_note),
       fill_placeholder(ui.tr(TextKey::preview_buyer_rate_note), "{rounding}", rounding_label(wallet.rounding, language))},
      {TextKey::preview_referrer_rate_label, "preview_referrer_rate",
       fill_placeholder(ui.tr(TextKey::preview_rate_value), "{rate}",
                        format_percent(wallet.referrer_earn_rate_bp, language)),
       key_name(TextKey::preview_referrer_rate_note), std::string(ui.tr(TextKey::preview_referrer_rate_note))},
      {TextKey::preview_tier_rate_label, "preview_tier_rate",
       fill_placeholder(ui.tr(TextKey::preview_tier_rate_value), "{amount}",
                        format_money(config.tier_points.vnd_per_tier_point, language)),
       "preview_tier_window", window_note},
  }};
  const float cell_gap = 20;
  const int columns = panel.inner_width() >= 340 ? 2 : 1;
  const float cell_width = (panel.inner_width() - cell_gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
  float row_top = rule_y + 17;
  float row_bottom = row_top;
  for (std::size_t index = 0; index < stats.size(); ++index) {
    const int column = static_cast<int>(index) % columns;
    if (column == 0 && index > 0) row_top = row_bottom + 16;
    const float left = panel.inner_left() + static_cast<float>(column) * (cell_width + cell_gap);
    row_bottom = std::max(row_bottom, draw_stat(ui, stats[index], ImVec2(left, row_top), cell_width));
  }
  continue_at(panel.inner_left(), row_bottom);
  panel.end();
}

void draw_tier_card(Ui& ui, const ProgramConfig& config, int tier_index, float width) {
  const Tier& tier = config.tiers[static_cast<std::size_t>(tier_index)];
  const std::string id = "preview_tier_" + tier.id;
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  Panel panel(width, 18);
  const float top = ImGui::GetCursorScreenPos().y;
  const float medal_size = 30;
  draw_medal(draw_list, ImVec2(panel.inner_left() + medal_size * 0.5f, top + medal_size * 0.5f), medal_size * 0.5f,
             tier_color(tier_index));

  const std::string threshold = fill_placeholder(ui.tr(TextKey::preview_tier_threshold), "{points}",
                                                 format_number(tier.tier_points_needed, ui.language()));
  const float pill_width = ui.measure(ui.fonts().small, threshold).x + 20;
  const std::string& display_name = tier_display_name(tier, core_language(ui.language()));
  const float name_height = ui.measure(ui.fonts().large, display_name).y;
  ui.draw_text(draw_list, ui.fonts().large, ImVec2(panel.inner_left() + medal_size + 12, top + (medal_size - name_height) * 0.5f),
               palette::text, id + "_name", display_name);
  ui.draw_pill(draw_list, ImVec2(panel.inner_right() - pill_width, top + (medal_size - 22) * 0.5f),
               palette::app_background, palette::text_muted, id + "_threshold", threshold);
  continue_at(panel.inner_left(), top + medal_size + 12);

  int perk_number = 0;
  for (const Perk& perk : tier.perks) {
    if (!perk.enabled) continue;
    draw_list_row(ui, panel.inner_left(), panel.inner_right(), RowMark::check, palette::brand, palette::brand_soft,
                  id + "_perk_" + std::to_string(perk_number++), describe_perk(perk, core_language(ui.language())),
                  ui.fonts().body, palette::text);
  }
  if (perk_number == 0) {
    ui.label_text(id + "_no_perks", ui.tr(TextKey::preview_tier_no_perks), ui.fonts().body, palette::text_faint);
  }
  panel.end();
}

// The rules text: a paragraph, then one line per tier ("- Bạc: ..."), drawn as a list.
void draw_rules_text(Ui& ui, const ProgramConfig& config, float width) {
  ui.label(TextKey::preview_rules_heading, ui.fonts().large, palette::text);
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() - 6);
  ui.label_wrapped(TextKey::preview_rules_note, ui.fonts().small, palette::text_muted);
  const std::string rules = describe_program(config, core_language(ui.language()));
  ui.publish_state("preview.rules_text", rules);

  Panel panel(width, panel_padding);
  std::string_view rest = rules;
  int line_number = 0;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.empty()) continue;
    if (line_number == 0) {
      ui.label_text("preview_rules_text", line, ui.fonts().body, palette::text, true);
      ImGui::Dummy(ImVec2(0, 2));
    } else {
      if (line.substr(0, 2) == "- ") line.remove_prefix(2);
      draw_list_row(ui, panel.inner_left(), panel.inner_right(), RowMark::dot, palette::brand, palette::brand_soft,
                    "preview_rules_line_" + std::to_string(line_number), line, ui.fonts().body, palette::text);
    }
    ++line_number;
  }
  panel.end();
}

void draw_program_column(Ui& ui, const ProgramConfig& config, float width) {
  ImGui::BeginGroup();
  draw_program_summary(ui, config, width);
  ImGui::Dummy(ImVec2(0, section_gap - ImGui::GetStyle().ItemSpacing.y));
  ui.label(TextKey::preview_tiers_heading, ui.fonts().large, palette::text);
  for (int index = 0; index < static_cast<int>(config.tiers.size()); ++index) {
    draw_tier_card(ui, config, index, width);
  }
  ImGui::Dummy(ImVec2(0, section_gap - ImGui::GetStyle().ItemSpacing.y));
  draw_rules_text(ui, config, width);
  ImGui::EndGroup();
}

// [SECTION] The calculator (right column) -------------------------------------------------------
struct NumberField {
  std::string_view id;          // "preview_amount_vnd": input, "_formatted", "_error"
  TextKey label;
  std::optional<TextKey> note;  // small line under the label
  std::string* text;            // the view's state
  InputProblem problem = InputProblem::none;
  std::string beside;           // shown right of the input when the value is fine
  bool is_money = true;
};

struct FormLayout {
  float left = 0, right = 0;    // the panel's inner edges
  float label_width = 0;        // 0: labels above the inputs (narrow panel)
  float input_width = 0;
  float input_left() const { return label_width > 0 ? left + label_width + 16 : left; }
};

FormLayout form_layout(Ui& ui, float left, float right) {
  FormLayout layout;
  layout.left = left;
  layout.right = right;
  float widest = 0;
  for (const TextKey key : {TextKey::preview_amount_label, TextKey::preview_shipping_label,
                            TextKey::preview_discount_label, TextKey::preview_tier_points_label}) {
    widest = std::max(widest, ui.measure(ui.fonts().body, ui.tr(key)).x);
  }
  layout.input_width = 176;
  const float beside_room = 120;
  if (right - left >= widest + 16 + layout.input_width + 12 + beside_room) {
    layout.label_width = widest;
  } else {
    layout.input_width = std::min(layout.input_width, right - left);
  }
  return layout;
}

// Field frames: a visible border, red when the value cannot be used, the brand colour
// while typing.
void push_field_style(bool has_problem) {
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);
  ImGui::PushStyleColor(ImGuiCol_Border, ImGui::ColorConvertU32ToFloat4(has_problem ? palette::danger : input_border));
  ImGui::PushStyleColor(ImGuiCol_FrameBg, ImGui::ColorConvertU32ToFloat4(palette::surface));
  ImGui::PushStyleColor(ImGuiCol_FrameBgHovered, ImGui::ColorConvertU32ToFloat4(palette::surface));
  ImGui::PushStyleColor(ImGuiCol_FrameBgActive, ImGui::ColorConvertU32ToFloat4(palette::surface));
  ImGui::PushStyleColor(ImGuiCol_TextSelectedBg, ImGui::ColorConvertU32ToFloat4(palette::rgb(0x0F, 0x76, 0x6E, 60)));
}
void pop_field_style() {
  ImGui::PopStyleColor(5);
  ImGui::PopStyleVar();
}

void draw_number_field(Ui& ui, const FormLayout& layout, const NumberField& field) {
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const float top = ImGui::GetCursorScreenPos().y;
  const float frame_height = ImGui::GetFrameHeight();
  const std::string id(field.id);

  // Label: beside the input, centred on its first line, or above it.
  const float label_top = layout.label_width > 0 ? top + (frame_height - ui.measure(ui.fonts().body, "Ag").y) * 0.5f : top;
  // (+2: the widest label must not wrap on a rounding difference.)
  begin_block(ImVec2(layout.left, label_top),
              layout.label_width > 0 ? layout.left + layout.label_width + 2 : layout.right);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(8, 1));
  ui.label(field.label, ui.fonts().body, palette::text);
  if (field.note) ui.label(*field.note, ui.fonts().small, palette::text_faint);
  ImGui::PopStyleVar();
  const float label_bottom = end_block();

  const ImVec2 input_position(layout.input_left(), layout.label_width > 0 ? top : label_bottom + 6);
  ImGui::SetCursorScreenPos(input_position);
  const bool has_problem = field.problem != InputProblem::none;
  push_field_style(has_problem);
  ImGui::SetNextItemWidth(layout.input_width);
  ImGui::InputTextWithHint(("##" + id).c_str(), "0", field.text, ImGuiInputTextFlags_AutoSelectAll);
  pop_field_style();
  const ImVec2 input_min = ImGui::GetItemRectMin();
  const ImVec2 input_max = ImGui::GetItemRectMax();
  if (ImGui::IsItemActive()) {
    draw_list->AddRect(ImVec2(input_min.x - 1, input_min.y - 1), ImVec2(input_max.x + 1, input_max.y + 1),
                       has_problem ? palette::danger : palette::brand, ImGui::GetStyle().FrameRounding + 1, 0, 2.0f);
  }
  ui.record_input(id, *field.text);
  ui.check_glyphs(*field.text, ui.fonts().body);
  float bottom = std::max(label_bottom, input_max.y);

  if (!has_problem && !field.beside.empty()) {
    const float text_height = ui.measure(ui.fonts().body, field.beside).y;
    draw_list->PushClipRect(ImVec2(input_max.x + 12, input_min.y), ImVec2(layout.right, input_max.y), true);
    ui.draw_text(draw_list, ui.fonts().body, ImVec2(input_max.x + 12, input_min.y + (frame_height - text_height) * 0.5f),
                 palette::text_muted, id + "_formatted", field.beside);
    draw_list->PopClipRect();
  }
  if (has_problem) {
    begin_block(ImVec2(input_min.x, input_max.y + 5), layout.right);
    ui.label_text(id + "_error", input_problem_message(field.problem, field.is_money, ui.language()), ui.fonts().small,
                  palette::danger_text, true);
    bottom = std::max(bottom, end_block());
  }
  ui.publish_state("preview.problem." + std::string(field.id.substr(std::string_view("preview_").size())),
                   input_problem_name(field.problem));
  continue_at(layout.left, bottom + 14);
}

void draw_section_caption(Ui& ui, TextKey key, float left, float right, Panel& panel) {
  const float top = ImGui::GetCursorScreenPos().y;
  const ImVec2 size = ui.draw_text(ImGui::GetWindowDrawList(), ui.fonts().small, ImVec2(left, top), palette::text_faint,
                                   key_name(key), ui.tr(key));
  const float rule_y = std::round(top + size.y * 0.5f);
  if (left + size.x + 12 < right) {
    panel.fill_behind(ImVec2(left + size.x + 12, rule_y), ImVec2(right, rule_y + 1), palette::border);
  }
  continue_at(left, top + size.y + 12);
}

void draw_referrer_checkbox(Ui& ui, const FormLayout& layout, bool& has_referrer) {
  const float top = ImGui::GetCursorScreenPos().y;
  ImGui::SetCursorScreenPos(ImVec2(layout.input_left(), top));
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, has_referrer ? 0.0f : 1.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(5, 5));
  ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, 6);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemInnerSpacing, ImVec2(10, 6));
  const auto color = [](ImU32 value) { return ImGui::ColorConvertU32ToFloat4(value); };
  ImGui::PushStyleColor(ImGuiCol_Border, color(input_border));
  ImGui::PushStyleColor(ImGuiCol_FrameBg, color(has_referrer ? palette::brand : palette::surface));
  ImGui::PushStyleColor(ImGuiCol_FrameBgHovered, color(has_referrer ? palette::brand_strong : palette::surface_hover));
  ImGui::PushStyleColor(ImGuiCol_FrameBgActive, color(has_referrer ? palette::brand_strong : palette::brand_soft));
  ImGui::PushStyleColor(ImGuiCol_CheckMark, color(palette::on_brand));
  const std::string label = std::string(ui.tr(TextKey::preview_has_referrer)) + "##has_referrer";
  ImGui::Checkbox(label.c_str(), &has_referrer);
  if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  ImGui::PopStyleColor(5);
  ImGui::PopStyleVar(4);
  ui.record(key_name(TextKey::preview_has_referrer), ui.tr(TextKey::preview_has_referrer), ImGui::GetItemRectMin(),
            ImGui::GetItemRectMax());
  ui.check_glyphs(ui.tr(TextKey::preview_has_referrer), ui.fonts().body);
  ui.publish_state("preview.has_referrer", has_referrer ? "true" : "false");
  continue_at(layout.left, ImGui::GetItemRectMax().y);
}

// [SECTION] The result ----------------------------------------------------------------------------
struct Tile {
  TextKey label;
  std::string_view value_id;
  std::int64_t value = 0;
  bool muted = false;            // a zero that is not news (no referrer)
  std::string_view note_id;
  std::string note;
};

// Three figures side by side on a tinted ground, all as tall as the tallest.
void draw_tiles(Ui& ui, Panel& panel, const std::array<Tile, 3>& tiles) {
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const float gap = 12;
  const float top = ImGui::GetCursorScreenPos().y;
  const int columns = panel.inner_width() >= 420 ? 3 : 1;
  const float tile_width = (panel.inner_width() - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
  const float padding = 14;
  float row_top = top;
  float bottom = top;
  std::array<ImVec2, 3> tile_min{};
  std::array<float, 3> tile_bottom{};
  for (std::size_t index = 0; index < tiles.size(); ++index) {
    const Tile& tile = tiles[index];
    const int column = static_cast<int>(index) % columns;
    if (column == 0 && index > 0) row_top = bottom + gap;
    const ImVec2 origin(panel.inner_left() + static_cast<float>(column) * (tile_width + gap), row_top);
    tile_min[index] = origin;
    begin_block(ImVec2(origin.x + padding, origin.y + padding), origin.x + tile_width - padding);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(8, 2));
    ui.label_text(key_name(tile.label), ui.tr(tile.label), ui.fonts().small, palette::text_muted, true);
    // The figure big, the unit small on its baseline; a figure too wide for the tile
    // steps down a size.
    const std::string number = format_number(tile.value, ui.language());
    const std::string unit = unit_points(ui, tile.value);
    ImFont* number_font = ui.fonts().heading;
    const float room = tile_width - 2 * padding;
    if (ui.measure(number_font, number).x + 6 + ui.measure(ui.fonts().small, unit).x > room) number_font = ui.fonts().large;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImVec2 number_size = ui.draw_text(draw_list, number_font, at,
                                            tile.muted ? palette::text_faint : palette::brand_strong, tile.value_id, number);
    const ImVec2 unit_size = ui.measure(ui.fonts().small, unit);
    ui.draw_text(draw_list, ui.fonts().small, ImVec2(at.x + number_size.x + 6, at.y + number_size.y - unit_size.y - 5),
                 palette::text_muted, std::string(tile.value_id) + "_unit", unit);
    ImGui::Dummy(ImVec2(std::min(room, number_size.x), number_size.y));
    if (!tile.note.empty()) {
      ui.label_text(tile.note_id, tile.note, ui.fonts().small, palette::text_faint, true);
    }
    ImGui::PopStyleVar();
    tile_bottom[index] = end_block() + padding;
    bottom = std::max(bottom, tile_bottom[index]);
  }
  // Backgrounds last, when every tile's height is known: a row shares its tallest.
  for (std::size_t index = 0; index < tiles.size(); ++index) {
    float row_bottom = tile_bottom[index];
    for (std::size_t other = 0; other < tiles.size(); ++other) {
      if (tile_min[other].y == tile_min[index].y) row_bottom = std::max(row_bottom, tile_bottom[other]);
    }
    const ImU32 background = index == 0 ? palette::brand_soft : palette::app_background;
    panel.fill_behind(tile_min[index], ImVec2(tile_min[index].x + tile_width, row_bottom), background, 10);
  }
  continue_at(panel.inner_left(), bottom + 18);
}

void draw_formula(Ui& ui, Panel& panel, TextKey label, std::string_view id, const std::string& formula) {
  begin_block(ImGui::GetCursorScreenPos(), panel.inner_right());
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(8, 2));
  ui.label(label, ui.fonts().small, palette::text_muted);
  ui.label_text(id, formula, ui.fonts().body, palette::text, true);
  ImGui::PopStyleVar();
  continue_at(panel.inner_left(), end_block() + 12);
}

// Tier before -> after, an upgrade in green, and how far the next tier is.
void draw_tier_change(Ui& ui, Panel& panel, const ProgramConfig& config, const OrderPreview& preview) {
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const bool upgraded = preview.tier_after > preview.tier_before;
  const float padding = 16;
  const ImVec2 box_min(panel.inner_left(), ImGui::GetCursorScreenPos().y);
  const float left = box_min.x + padding;
  const float right = panel.inner_right() - padding;
  float y = box_min.y + padding;

  ui.draw_text(draw_list, ui.fonts().small, ImVec2(left, y), upgraded ? palette::success_text : palette::text_muted,
               key_name(TextKey::preview_tier_heading), ui.tr(TextKey::preview_tier_heading));
  y += ui.measure(ui.fonts().small, "Ag").y + 8;

  // Chips: before, an arrow, after; the badge to their right (or below, when narrow).
  const std::string before = tier_name(config, preview.tier_before, ui);
  const std::string after = tier_name(config, preview.tier_after, ui);
  const ImVec2 before_size = draw_tier_chip(ui, draw_list, ImVec2(left, y), preview.tier_before, "preview_tier_before", before);
  const float arrow_left = left + before_size.x + 10;
  const float arrow_y = y + before_size.y * 0.5f;
  const ImU32 arrow_color = upgraded ? palette::success_text : palette::text_faint;
  draw_list->AddLine(ImVec2(arrow_left, arrow_y), ImVec2(arrow_left + 22, arrow_y), arrow_color, 2);
  draw_list->AddLine(ImVec2(arrow_left + 16, arrow_y - 6), ImVec2(arrow_left + 22.5f, arrow_y), arrow_color, 2);
  draw_list->AddLine(ImVec2(arrow_left + 16, arrow_y + 6), ImVec2(arrow_left + 22.5f, arrow_y), arrow_color, 2);
  const ImVec2 after_size =
      draw_tier_chip(ui, draw_list, ImVec2(arrow_left + 32, y), preview.tier_after, "preview_tier_after", after);
  const TextKey badge_key = upgraded ? TextKey::preview_tier_upgrade : TextKey::preview_tier_unchanged;
  const std::string_view badge = ui.tr(badge_key);
  const float badge_width = ui.measure(ui.fonts().small, badge).x + 20;
  float badge_left = arrow_left + 32 + after_size.x + 14;
  float badge_top = y + (after_size.y - 22) * 0.5f;
  y += after_size.y;
  if (badge_left + badge_width > right) {
    badge_left = left;
    badge_top = y + 10;
    y += 10 + 22;
  }
  ui.draw_pill(draw_list, ImVec2(badge_left, badge_top), upgraded ? palette::brand : palette::surface,
               upgraded ? palette::on_brand : palette::text_muted, key_name(badge_key), badge);
  y += 16;

  // Progress from the tier reached to the next one.
  const TierPoints floor_points =
      preview.tier_after >= 0 ? config.tiers[static_cast<std::size_t>(preview.tier_after)].tier_points_needed : 0;
  float fraction = 1;
  std::string to_next;
  if (preview.next_tier_index >= 0) {
    const TierPoints next_points = config.tiers[static_cast<std::size_t>(preview.next_tier_index)].tier_points_needed;
    const TierPoints span = std::max<TierPoints>(1, next_points - floor_points);
    fraction = std::clamp(static_cast<float>(static_cast<double>(preview.tier_points_after - floor_points) /
                                             static_cast<double>(span)),
                          0.0f, 1.0f);
    to_next = fill_placeholder(ui.tr(TextKey::preview_to_next_tier), "{points}",
                               format_number(preview.tier_points_to_next, ui.language()));
    to_next = fill_placeholder(to_next, "{tier}", tier_name(config, preview.next_tier_index, ui));
  } else {
    to_next = std::string(ui.tr(TextKey::preview_top_tier));
  }
  const float bar_height = 8;
  draw_list->AddRectFilled(ImVec2(left, y), ImVec2(right, y + bar_height), palette::rgb(0xE2, 0xE8, 0xF0), bar_height * 0.5f);
  if (fraction > 0) {
    draw_list->AddRectFilled(ImVec2(left, y), ImVec2(left + std::max(bar_height, (right - left) * fraction), y + bar_height),
                             tier_color(preview.next_tier_index >= 0 ? preview.next_tier_index : preview.tier_after),
                             bar_height * 0.5f);
  }
  y += bar_height + 10;
  begin_block(ImVec2(left, y), right);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(8, 2));
  ui.label_text("preview_tier_to_next", to_next, ui.fonts().body, palette::text, true);
  ui.label_text("preview_tier_points_after",
                fill_placeholder(ui.tr(TextKey::preview_tier_points_after), "{points}",
                                 format_number(preview.tier_points_after, ui.language())),
                ui.fonts().small, palette::text_muted, true);
  ImGui::PopStyleVar();
  const float box_bottom = end_block() + padding;
  // An upgrade is the news of the order: green ground and border.
  const ImVec2 box_max(panel.inner_right(), box_bottom);
  panel.fill_behind(box_min, box_max, upgraded ? palette::success_border : palette::border, 10);
  panel.fill_behind(ImVec2(box_min.x + 1, box_min.y + 1), ImVec2(box_max.x - 1, box_max.y - 1),
                    upgraded ? palette::success_soft : palette::app_background, 9);
  continue_at(panel.inner_left(), box_bottom + 18);
}

void draw_perks(Ui& ui, Panel& panel, const ProgramConfig& config, const OrderPreview& preview) {
  const loyalty::Language language = core_language(ui.language());
  ImGui::Dummy(ImVec2(0, 4));
  ui.label(TextKey::preview_perks_heading, ui.fonts().large, palette::text);
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() - 4);
  ui.label_text(key_name(TextKey::preview_perks_applying),
                fill_placeholder(ui.tr(TextKey::preview_perks_applying), "{tier}", tier_name(config, preview.tier_before, ui)),
                ui.fonts().small, palette::text_muted, true);
  for (std::size_t index = 0; index < preview.perks_applying.size(); ++index) {
    draw_list_row(ui, panel.inner_left(), panel.inner_right(), RowMark::check, palette::brand, palette::brand_soft,
                  "preview_perk_applying_" + std::to_string(index), describe_perk(*preview.perks_applying[index], language),
                  ui.fonts().body, palette::text);
  }
  if (preview.perks_applying.empty()) {
    ui.label_text("preview_perks_applying_none", ui.tr(TextKey::preview_perks_none), ui.fonts().body, palette::text_faint);
  }
  if (preview.perks_unlocked.empty()) return;
  ImGui::Dummy(ImVec2(0, 2));
  ui.label_text(key_name(TextKey::preview_perks_unlocked),
                fill_placeholder(ui.tr(TextKey::preview_perks_unlocked), "{tier}", tier_name(config, preview.tier_after, ui)),
                ui.fonts().small, palette::success_text, true);
  for (std::size_t index = 0; index < preview.perks_unlocked.size(); ++index) {
    draw_list_row(ui, panel.inner_left(), panel.inner_right(), RowMark::plus, palette::success_text, palette::success_soft,
                  "preview_perk_unlocked_" + std::to_string(index), describe_perk(*preview.perks_unlocked[index], language),
                  ui.fonts().body, palette::success_text);
  }
}

void publish_preview_state(Ui& ui, const ProgramConfig& config, const PreviewFormResult& result) {
  ui.publish_state("preview.valid", result.preview ? "true" : "false");
  if (!result.preview) return;
  const OrderPreview& preview = *result.preview;
  ui.publish_state("preview.earn_base_vnd", std::to_string(preview.earning.earn_base_vnd));
  ui.publish_state("preview.buyer_points", std::to_string(preview.earning.buyer_points));
  ui.publish_state("preview.referrer_points", std::to_string(preview.earning.referrer_points));
  ui.publish_state("preview.tier_points_earned", std::to_string(preview.earning.tier_points));
  ui.publish_state("preview.tier_points_after", std::to_string(preview.tier_points_after));
  ui.publish_state("preview.tier_before", tier_name(config, preview.tier_before, ui));
  ui.publish_state("preview.tier_after", tier_name(config, preview.tier_after, ui));
  ui.publish_state("preview.tier_upgraded", preview.tier_after > preview.tier_before ? "true" : "false");
  ui.publish_state("preview.tier_points_to_next", std::to_string(preview.tier_points_to_next));
  ui.publish_state("preview.perks_applying", std::to_string(preview.perks_applying.size()));
  ui.publish_state("preview.perks_unlocked", std::to_string(preview.perks_unlocked.size()));
}

void draw_result(Ui& ui, const ProgramConfig& config, const PreviewFormResult& result, bool has_referrer, float width) {
  Panel panel(width, panel_padding);
  ui.label(TextKey::preview_result_heading, ui.fonts().large, palette::text);
  if (!result.preview) {
    // No figures from a form that cannot be read: say what to do instead.
    const ImVec2 box_min = ImGui::GetCursorScreenPos();
    begin_block(ImVec2(box_min.x + 16, box_min.y + 14), panel.inner_right() - 16);
    ui.label_wrapped(TextKey::preview_result_invalid, ui.fonts().body, palette::danger_text);
    const float box_bottom = end_block() + 14;
    panel.fill_behind(box_min, ImVec2(panel.inner_right(), box_bottom), palette::danger_soft, 10);
    continue_at(panel.inner_left(), box_bottom);
    panel.end();
    return;
  }
  const OrderPreview& preview = *result.preview;
  const loyalty::Language language = core_language(ui.language());
  ImGui::Dummy(ImVec2(0, 2));
  draw_tiles(ui, panel,
             {{
                 {TextKey::preview_buyer_points_label, "preview_buyer_points", preview.earning.buyer_points, false, {}, {}},
                 {TextKey::preview_referrer_points_label, "preview_referrer_points", preview.earning.referrer_points,
                  !has_referrer, "preview_referrer_note",
                  has_referrer ? std::string() : std::string(ui.tr(TextKey::preview_no_referrer))},
                 {TextKey::preview_tier_points_earned_label, "preview_tier_points_earned", preview.earning.tier_points,
                  false, {}, {}},
             }});

  draw_tier_change(ui, panel, config, preview);

  ui.label(TextKey::preview_how_heading, ui.fonts().large, palette::text);
  draw_formula(ui, panel, TextKey::preview_formula_buyer, "preview_buyer_formula",
               describe_buyer_formula(preview.earning, language));
  if (has_referrer) {
    draw_formula(ui, panel, TextKey::preview_formula_referrer, "preview_referrer_formula",
                 describe_referrer_formula(preview.earning, language));
  }
  draw_formula(ui, panel, TextKey::preview_formula_tier, "preview_tier_formula",
               describe_tier_formula(preview.earning, language));

  draw_perks(ui, panel, config, preview);
  panel.end();
}

void draw_calculator_column(Ui& ui, WalletTiersView& view, const ProgramConfig& config,
                            const PreviewFormResult& result, float width) {
  const Language language = ui.language();
  ImGui::BeginGroup();
  {
    Panel panel(width, panel_padding);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(8, 2));
    ui.label(TextKey::preview_calculator_heading, ui.fonts().large, palette::text);
    ui.label_wrapped(TextKey::preview_calculator_subtitle, ui.fonts().small, palette::text_muted);
    ImGui::PopStyleVar();
    ImGui::Dummy(ImVec2(0, 6));
    const FormLayout layout = form_layout(ui, panel.inner_left(), panel.inner_right());
    const auto money_beside = [&](InputProblem problem, Vnd value) {
      return problem == InputProblem::none ? format_money(value, language) : std::string();
    };
    draw_section_caption(ui, TextKey::preview_order_section, panel.inner_left(), panel.inner_right(), panel);
    draw_number_field(ui, layout,
                      {"preview_amount_vnd", TextKey::preview_amount_label, TextKey::preview_amount_note, &view.amount_vnd,
                       result.amount_vnd, money_beside(result.amount_vnd, result.amounts.amount_vnd), true});
    draw_number_field(ui, layout,
                      {"preview_shipping_vnd", TextKey::preview_shipping_label, std::nullopt, &view.shipping_vnd,
                       result.shipping_vnd, money_beside(result.shipping_vnd, result.amounts.shipping_vnd), true});
    draw_number_field(ui, layout,
                      {"preview_voucher_discount_vnd", TextKey::preview_discount_label, std::nullopt,
                       &view.voucher_discount_vnd, result.voucher_discount_vnd,
                       money_beside(result.voucher_discount_vnd, result.amounts.voucher_discount_vnd), true});
    ImGui::Dummy(ImVec2(0, 2));
    draw_section_caption(ui, TextKey::preview_member_section, panel.inner_left(), panel.inner_right(), panel);
    const std::string current_tier =
        result.tier_index_now ? fill_placeholder(ui.tr(TextKey::preview_current_tier), "{tier}",
                                                 tier_name(config, *result.tier_index_now, ui))
                              : std::string();
    draw_number_field(ui, layout,
                      {"preview_tier_points", TextKey::preview_tier_points_label, std::nullopt, &view.tier_points,
                       result.tier_points, current_tier, false});
    draw_referrer_checkbox(ui, layout, view.has_referrer);
    panel.end();
  }
  ImGui::Dummy(ImVec2(0, section_gap - ImGui::GetStyle().ItemSpacing.y));
  draw_result(ui, config, result, view.has_referrer, width);
  ImGui::EndGroup();
}

}  // namespace

// [SECTION] The screen -----------------------------------------------------------------------------
ViewRequest WalletTiersView::draw(Ui& ui, const DemoProgram& program, const ModeSummary& mode) {
  const ProgramConfig& config = program.config;
  draw_screen_heading(ui, screen_title(Screen::wallet_tiers), screen_description(Screen::wallet_tiers));
  if (mode.connected) {
    // Signed in to a store, yet this screen still shows the example program: say so.
    Panel note(ImGui::GetContentRegionAvail().x, 14, palette::amber_soft, palette::amber_soft);
    ui.label_text(key_name(TextKey::preview_connected_note),
                  fill_placeholder(ui.tr(TextKey::preview_connected_note), "{store}", mode.store_name),
                  ui.fonts().body, palette::amber_text, true);
    note.end();
    ImGui::Dummy(ImVec2(0, 4));
  }

  // What is typed is read afresh every frame: the result always matches the fields.
  const PreviewFormResult result =
      preview_form(config, PreviewForm{amount_vnd, shipping_vnd, voucher_discount_vnd, tier_points, has_referrer});
  publish_preview_state(ui, config, result);

  const float available = ImGui::GetContentRegionAvail().x;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  float bottom = origin.y;
  if (available >= two_columns_min_width) {
    const float left_width = std::floor((available - column_gap) * 0.45f);
    const float right_width = available - column_gap - left_width;
    draw_program_column(ui, config, left_width);
    bottom = std::max(bottom, ImGui::GetItemRectMax().y);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + left_width + column_gap, origin.y));
    draw_calculator_column(ui, *this, config, result, right_width);
    bottom = std::max(bottom, ImGui::GetItemRectMax().y);
  } else {
    // Stacked: the calculator first, it is what a demo is for.
    draw_calculator_column(ui, *this, config, result, available);
    ImGui::Dummy(ImVec2(0, section_gap - ImGui::GetStyle().ItemSpacing.y));
    draw_program_column(ui, config, available);
    bottom = ImGui::GetItemRectMax().y;
  }
  ImGui::SetCursorScreenPos(ImVec2(origin.x, bottom));
  ImGui::Dummy(ImVec2(0, 24));
  return {};
}

}  // namespace loyalty::console
