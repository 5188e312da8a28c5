// overview_view.cpp: the first screen: welcome, today's date, money format, modules.
#include <algorithm>
#include <array>
#include <string>

#include "core/basics/money.hpp"
#include "core/basics/time.hpp"
#include "views/views.hpp"

namespace loyalty::console {
namespace {

constexpr float card_gap = 16;

struct SummaryCard {
  TextKey label;
  std::string_view value_id;   // test hook id of the big value
  std::string value;
  std::string note;
  std::string_view note_id;
};

// One summary card: small caption, big value, muted note. Returns the content height.
float draw_summary_card(Ui& ui, const SummaryCard& card, float width, float min_height) {
  Panel panel(width, 20);
  ui.label(card.label, ui.fonts().small, palette::text_muted);
  ui.label_text(card.value_id, card.value, ui.fonts().large, palette::text);
  ui.label_text(card.note_id, card.note, ui.fonts().small, palette::text_muted, true);
  return panel.end(min_height);
}

// The modules list: each row opens its screen.
std::optional<Screen> draw_modules(Ui& ui, float width) {
  struct Module {
    Screen screen;
    TextKey description;
    bool available;   // built: "try it now" rather than "coming soon"
  };
  static constexpr std::array<Module, 5> modules{{
      {Screen::members, TextKey::overview_module_members, true},
      {Screen::wallet_tiers, TextKey::overview_module_wallet_tiers, true},
      {Screen::vouchers, TextKey::overview_module_vouchers, false},
      {Screen::customer_groups, TextKey::overview_module_customer_groups, false},
      {Screen::notifications, TextKey::overview_module_notifications, false},
  }};
  std::optional<Screen> clicked;
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  Panel panel(width, 8);
  // One badge column: as wide as the wider of the two badges.
  const float badge_width = std::max(ui.measure(ui.fonts().small, ui.tr(TextKey::coming_soon_badge)).x,
                                     ui.measure(ui.fonts().small, ui.tr(TextKey::overview_module_available)).x) +
                            20;
  for (std::size_t index = 0; index < modules.size(); ++index) {
    const Module& module = modules[index];
    const ImVec2 row_min(panel.inner_left(), ImGui::GetCursorScreenPos().y);
    const float text_left = row_min.x + 14;
    const float text_right = panel.inner_right() - badge_width - 28;

    ImGui::SetCursorScreenPos(ImVec2(text_left, row_min.y + 10));
    ImGui::BeginGroup();
    const float window_left = ImGui::GetWindowPos().x - ImGui::GetScrollX();
    ImGui::PushTextWrapPos(text_right - window_left);
    ui.label_text(std::string("overview_module_title_") + std::string(screen_id(module.screen)),
                  ui.tr(screen_title(module.screen)), ui.fonts().body, palette::text);
    ui.label_wrapped(module.description, ui.fonts().small, palette::text_muted);
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    const ImVec2 row_max(panel.inner_right(), ImGui::GetItemRectMax().y + 10);

    const std::string_view badge =
        ui.tr(module.available ? TextKey::overview_module_available : TextKey::coming_soon_badge);
    const float this_badge_width = ui.measure(ui.fonts().small, badge).x + 20;
    ui.draw_pill(draw_list, ImVec2(panel.inner_right() - this_badge_width - 14,
                                   (row_min.y + row_max.y) * 0.5f - 11),
                 module.available ? palette::brand_soft : palette::amber_soft,
                 module.available ? palette::brand_strong : palette::amber_text,
                 std::string("overview_module_badge_") + std::string(screen_id(module.screen)),
                 badge);

    ImGui::SetCursorScreenPos(row_min);
    ImGui::PushID(static_cast<int>(index));
    if (ImGui::InvisibleButton("##module", ImVec2(row_max.x - row_min.x, row_max.y - row_min.y))) {
      clicked = module.screen;
    }
    ImGui::PopID();
    if (ImGui::IsItemHovered()) {
      ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
      panel.fill_behind(row_min, row_max, palette::surface_hover, 8);
    }
    if (index + 1 < modules.size()) {
      panel.fill_behind(ImVec2(row_min.x + 14, row_max.y), ImVec2(row_max.x - 14, row_max.y + 1),
                        palette::border);
    }
    ImGui::SetCursorScreenPos(ImVec2(row_min.x, row_max.y + 1));
  }
  ImGui::Dummy(ImVec2(0, 0));
  panel.end();
  return clicked;
}

}  // namespace

ViewRequest OverviewView::draw(Ui& ui, const ModeSummary& mode) {
  ViewRequest request;
  draw_screen_heading(ui, TextKey::overview_welcome_heading, TextKey::overview_welcome_subtitle);

  // Summary cards: three in a row on a wide screen, fewer as it narrows.
  const TimeZone store_zone{};  // Asia/Ho_Chi_Minh: the store's local date
  const std::array<SummaryCard, 3> cards{{
      {TextKey::overview_card_today_label, "overview_today_value",
       format_local_date(ui.now(), store_zone), std::string(ui.tr(TextKey::overview_card_today_note)),
       key_name(TextKey::overview_card_today_note)},
      {TextKey::overview_card_money_label, "overview_money_value", format_vnd(1'000'000),
       std::string(ui.tr(TextKey::overview_card_money_note)), key_name(TextKey::overview_card_money_note)},
      mode.connected
          ? SummaryCard{TextKey::overview_card_mode_label, "overview_mode_value",
                        std::string(ui.tr(TextKey::overview_card_mode_connected)),
                        fill_placeholder(ui.tr(TextKey::overview_card_mode_connected_note), "{store}",
                                         mode.store_name),
                        key_name(TextKey::overview_card_mode_connected_note)}
          : SummaryCard{TextKey::overview_card_mode_label, "overview_mode_value",
                        std::string(ui.tr(TextKey::overview_card_mode_value)),
                        std::string(ui.tr(TextKey::overview_card_mode_note)),
                        key_name(TextKey::overview_card_mode_note)},
  }};
  const float available = ImGui::GetContentRegionAvail().x;
  const int columns = available >= 720 ? 3 : (available >= 460 ? 2 : 1);
  const float card_width = (available - card_gap * static_cast<float>(columns - 1)) /
                           static_cast<float>(columns);
  const ImVec2 grid_origin = ImGui::GetCursorScreenPos();
  float tallest = 0;
  float row_top = grid_origin.y;
  for (std::size_t index = 0; index < cards.size(); ++index) {
    const int column = static_cast<int>(index) % columns;
    if (column == 0 && index > 0) row_top += card_row_height + card_gap;
    ImGui::SetCursorScreenPos(
        ImVec2(grid_origin.x + static_cast<float>(column) * (card_width + card_gap), row_top));
    tallest = std::max(tallest, draw_summary_card(ui, cards[index], card_width, card_row_height));
  }
  card_row_height = tallest;  // next frame every card gets the tallest one's height
  ImGui::SetCursorScreenPos(ImVec2(grid_origin.x, row_top + card_row_height + 24));

  // Modules
  ui.label(TextKey::overview_modules_heading, ui.fonts().large, palette::text);
  if (const auto clicked = draw_modules(ui, available)) request.open_screen = clicked;
  ImGui::Dummy(ImVec2(0, 8));

  // Where the data comes from: the offline demo, or the store signed in to.
  Panel note(available, 16, palette::info_soft, palette::info_border);
  if (mode.connected) {
    ui.label_text(key_name(TextKey::overview_connected_note),
                  fill_placeholder(ui.tr(TextKey::overview_connected_note), "{store}", mode.store_name),
                  ui.fonts().body, palette::info_text, true);
  } else {
    ui.label_wrapped(TextKey::overview_offline_note, ui.fonts().body, palette::info_text);
  }
  note.end();
  ImGui::Dummy(ImVec2(0, 16));
  return request;
}

}  // namespace loyalty::console
