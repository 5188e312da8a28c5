// member_table.cpp: the results table of the members screen, and its rows from the core's
// search_members data. Through ImGuiListClipper only the visible rows are laid out, so a
// table of 100,000 rows costs per frame what its visible rows cost (bench/console/).
#include <string>

#include "views/member_views.hpp"

namespace loyalty::console {
std::vector<MemberRow> member_rows_from(const Json& search_data) {
  std::vector<MemberRow> rows;
  if (!search_data.is_object() || !search_data.contains("members") || !search_data["members"].is_array()) return rows;
  for (const Json& member : search_data["members"]) {
    MemberRow row;
    row.member_id = json_text(member, "member_id");
    row.name = json_text(member, "name");
    row.phone = json_text(member, "phone");
    row.card_number = json_text(member, "card_number");
    if (member.contains("tier") && member["tier"].is_object()) row.tier_name = json_text(member["tier"], "name");
    row.points = member.value("points", std::int64_t{0});
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<std::size_t> draw_member_table(Ui& ui, const std::vector<MemberRow>& rows, float height) {
  std::optional<std::size_t> clicked;
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("##member_results", 5, flags, ImVec2(0, height))) return clicked;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(say(ui, phrases::column_name).data(), ImGuiTableColumnFlags_WidthStretch, 3.0f);
  ImGui::TableSetupColumn(say(ui, phrases::column_phone).data(), ImGuiTableColumnFlags_WidthStretch, 1.6f);
  ImGui::TableSetupColumn(say(ui, phrases::column_card).data(), ImGuiTableColumnFlags_WidthStretch, 1.6f);
  ImGui::TableSetupColumn(say(ui, phrases::column_tier).data(), ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableSetupColumn(say(ui, phrases::column_points).data(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableHeadersRow();
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(rows.size()));
  while (clipper.Step()) {
    for (int index = clipper.DisplayStart; index < clipper.DisplayEnd; ++index) {
      const MemberRow& row = rows[static_cast<std::size_t>(index)];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(index);
      if (ImGui::Selectable("##row", false, ImGuiSelectableFlags_SpanAllColumns)) clicked = static_cast<std::size_t>(index);
      if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
      ImGui::PopID();
      ImGui::SameLine(0, 0);
      const std::string row_id = "member_row_" + std::to_string(index);
      ui.label_text(row_id, row.name, ui.fonts().body, palette::text);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.phone.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.card_number.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.tier_name.empty() ? say(ui, phrases::no_tier).data() : row.tier_name.c_str());
      ImGui::TableNextColumn();
      const std::string points = points_text(row.points, ui);
      ImGui::TextUnformatted(points.c_str());
    }
  }
  ImGui::EndTable();
  return clicked;
}

}  // namespace loyalty::console
