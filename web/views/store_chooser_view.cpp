// store_chooser_view.cpp: which store, for a staff member whose account works in several:
// after sign-in, and again from the banner's "switch store".
#include <string>

#include "views/owner_text.hpp"
#include "views/owner_views.hpp"
#include "views/views.hpp"

namespace loyalty::console {

std::string draw_store_chooser(Ui& ui, const std::vector<StoreAccess>& stores) {
  std::string chosen;
  const float width = std::min(ImGui::GetContentRegionAvail().x, 520.0f);
  Panel panel(width, 24);
  say_label(ui, phrases::stores_heading, ui.fonts().heading, palette::text);
  say_label(ui, phrases::stores_body, ui.fonts().body, palette::text_muted, true);
  ImGui::Dummy(ImVec2(0, 8));
  for (const StoreAccess& store : stores) {
    // One button a store: its name and the role there.
    const std::string label = store.name + " · " + std::string(role_label(store.role, ui.language()));
    const std::string id = "store_choice_" + store.store_id;
    ImGui::PushFont(ui.fonts().body);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette::on_brand));
    const bool clicked = ImGui::Button((label + "###" + id).c_str(), ImVec2(panel.inner_width(), 44));
    ImGui::PopStyleColor();
    if (clicked) chosen = store.store_id;
    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ui.record(id, label, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    ui.check_glyphs(label, ui.fonts().body);
    ImGui::PopFont();
  }
  panel.end();
  return chosen;
}

}  // namespace loyalty::console
