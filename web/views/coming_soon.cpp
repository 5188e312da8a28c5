// coming_soon.cpp: what a screen shows until it is built.
#include <algorithm>

#include "views/views.hpp"

namespace loyalty::console {

ViewRequest draw_coming_soon(Ui& ui, Screen screen) {
  ViewRequest request;
  draw_screen_heading(ui, screen_title(screen), screen_description(screen));

  const float width = std::min(ImGui::GetContentRegionAvail().x, 620.0f);
  Panel panel(width, 28);
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const ImVec2 pill = ui.draw_pill(draw_list, ImGui::GetCursorScreenPos(), palette::amber_soft,
                                   palette::amber_text, key_name(TextKey::coming_soon_badge),
                                   ui.tr(TextKey::coming_soon_badge));
  ImGui::Dummy(ImVec2(pill.x, pill.y + 6));
  ui.label_wrapped(TextKey::coming_soon_title, ui.fonts().large, palette::text);
  ui.label_wrapped(TextKey::coming_soon_body, ui.fonts().body, palette::text_muted);
  ImGui::Dummy(ImVec2(0, 8));

  ImGui::PushFont(ui.fonts().body);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette::on_brand));
  const std::string back_label = std::string(ui.tr(TextKey::coming_soon_back)) + "##back";
  if (ImGui::Button(back_label.c_str())) request.open_screen = Screen::overview;
  if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  ImGui::PopStyleColor();
  ui.record(key_name(TextKey::coming_soon_back), ui.tr(TextKey::coming_soon_back),
            ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  ui.check_glyphs(ui.tr(TextKey::coming_soon_back), ui.fonts().body);
  ImGui::PopFont();
  panel.end();
  return request;
}

}  // namespace loyalty::console
