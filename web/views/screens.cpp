// screens.cpp: the list of screens and the heading they all share.
#include <array>
#include <cassert>
#include <cstddef>

#include "views/views.hpp"

namespace loyalty::console {
namespace {

struct ScreenInfo {
  Screen screen;
  std::string_view id;
  TextKey title;
  TextKey description;
};

constexpr std::array<ScreenInfo, static_cast<std::size_t>(Screen::count)> screens{{
    {Screen::overview, "overview", TextKey::nav_overview, TextKey::overview_welcome_subtitle},
    {Screen::members, "members", TextKey::nav_members, TextKey::members_description},
    {Screen::wallet_tiers, "wallet_tiers", TextKey::nav_wallet_tiers,
     TextKey::wallet_tiers_description},
    {Screen::vouchers, "vouchers", TextKey::nav_vouchers, TextKey::vouchers_description},
    {Screen::customer_groups, "customer_groups", TextKey::nav_customer_groups,
     TextKey::customer_groups_description},
    {Screen::notifications, "notifications", TextKey::nav_notifications,
     TextKey::notifications_description},
    {Screen::audit_log, "audit_log", TextKey::nav_audit_log, TextKey::audit_log_description},
    {Screen::staff_accounts, "staff_accounts", TextKey::nav_staff_accounts, TextKey::staff_accounts_description},
    {Screen::api_keys, "api_keys", TextKey::nav_api_keys, TextKey::api_keys_description},
}};

constexpr bool screens_follow_enum_order() {
  for (std::size_t index = 0; index < screens.size(); ++index) {
    if (static_cast<std::size_t>(screens[index].screen) != index) return false;
  }
  return true;
}
static_assert(screens_follow_enum_order(), "screens.cpp: one row per Screen, in enum order");

const ScreenInfo& info(Screen screen) {
  const auto index = static_cast<std::size_t>(screen);
  assert(index < screens.size());
  return screens[index];
}

}  // namespace

std::string_view screen_id(Screen screen) { return info(screen).id; }
TextKey screen_title(Screen screen) { return info(screen).title; }
TextKey screen_description(Screen screen) { return info(screen).description; }

void draw_screen_heading(Ui& ui, TextKey title, TextKey description) {
  ui.label_wrapped(title, ui.fonts().heading, palette::text);
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() - 2);  // the description belongs to the title
  ui.label_wrapped(description, ui.fonts().body, palette::text_muted);
  ImGui::Dummy(ImVec2(0, 8));
}

}  // namespace loyalty::console
