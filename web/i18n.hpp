// i18n.hpp: every string the console shows, in Vietnamese and English.
//
// [SECTION] Languages
// [SECTION] Text keys
// [SECTION] Lookup
//
// A view never writes a literal for the user to read: it asks for a TextKey in the
// current language. Vietnamese is the default; English is one toggle away. Adding a
// string means adding a key here and a row in i18n.cpp (both languages are required).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace loyalty::console {

// [SECTION] Languages ---------------------------------------------------------------------
enum class Language : std::uint8_t {
  vietnamese,  // default: the shops and their staff are in Vietnam
  english,
};
std::string_view language_code(Language language);                    // "vi", "en"
std::optional<Language> language_from_code(std::string_view code);     // nullopt if unknown

// [SECTION] Text keys -------------------------------------------------------------------------
enum class TextKey : std::uint16_t {
  // Top bar
  product_name,               // "Khách hàng thân thiết"
  product_tagline,            // small line under the product name
  offline_badge,              // pill in the top bar
  language_vietnamese,        // "Tiếng Việt" (always written in Vietnamese)
  language_english,           // "English" (always written in English)
  // Navigation
  nav_section_program,        // heading above the navigation
  nav_overview,
  nav_members,
  nav_wallet_tiers,
  nav_vouchers,
  nav_customer_groups,
  nav_notifications,
  nav_footer_version,         // small text at the bottom of the navigation
  // Overview
  overview_welcome_heading,   // "Chào mừng đến bảng điều khiển — ..."
  overview_welcome_subtitle,
  overview_card_today_label,
  overview_card_today_note,
  overview_card_money_label,
  overview_card_money_note,   // "Ví dụ quy đổi: 1 điểm = {amount}"
  overview_card_mode_label,
  overview_card_mode_value,
  overview_card_mode_note,
  overview_modules_heading,
  overview_module_members,
  overview_module_wallet_tiers,
  overview_module_vouchers,
  overview_module_customer_groups,
  overview_module_notifications,
  overview_offline_note,      // the "offline demo" note
  // Screens that are not built yet
  coming_soon_badge,
  coming_soon_title,
  coming_soon_body,
  coming_soon_back,           // button back to the overview
  members_description,
  wallet_tiers_description,
  vouchers_description,
  customer_groups_description,
  notifications_description,
  count,                      // not a key: the number of keys
};

// [SECTION] Lookup ------------------------------------------------------------------------------
std::string_view text(TextKey key, Language language);  // never empty
std::string_view key_name(TextKey key);                 // "overview_welcome_heading": test hooks

}  // namespace loyalty::console
