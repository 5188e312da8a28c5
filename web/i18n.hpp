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
  overview_module_available,  // badge of a module that is built
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
  // Points & tiers: the offline rule preview
  preview_program_heading,    // caption above the program's name
  preview_program_badge,      // pill: the offline demo's program
  preview_point_value_label,
  preview_point_value_note,
  preview_buyer_rate_label,
  preview_rate_value,         // "{rate} giá trị đơn"
  preview_buyer_rate_note,    // "Điểm lẻ: {rounding}"
  preview_referrer_rate_label,
  preview_referrer_rate_note,
  preview_tier_rate_label,
  preview_tier_rate_value,    // "1 điểm / {amount}"
  preview_window_months,      // "Tính trong {months} tháng gần nhất"
  preview_window_lifetime,
  preview_tiers_heading,
  preview_tier_threshold,     // "Từ {points} điểm phân hạng"
  preview_tier_no_perks,
  preview_rules_heading,
  preview_rules_note,
  preview_calculator_heading,
  preview_calculator_subtitle,
  preview_order_section,      // small caps caption
  preview_amount_label,
  preview_amount_note,
  preview_shipping_label,
  preview_discount_label,
  preview_member_section,     // small caps caption
  preview_tier_points_label,
  preview_current_tier,       // "Hạng {tier}"
  preview_has_referrer,
  preview_error_empty_amount,
  preview_error_not_whole_number,
  preview_error_negative,
  preview_error_too_large,    // "Quá lớn: tối đa {max}."
  preview_error_discount_exceeds_amount,
  preview_error_shipping_exceeds_amount,
  preview_result_heading,
  preview_result_invalid,
  preview_buyer_points_label,
  preview_referrer_points_label,
  preview_tier_points_earned_label,
  preview_unit_point,         // after the number 1
  preview_unit_points,        // after any other number
  preview_no_referrer,
  preview_how_heading,
  preview_formula_buyer,
  preview_formula_referrer,
  preview_formula_tier,
  preview_tier_heading,
  preview_tier_upgrade,       // badge when the order reaches a higher tier
  preview_tier_unchanged,
  preview_no_tier,
  preview_to_next_tier,       // "Còn {points} điểm phân hạng nữa để lên {tier}"
  preview_top_tier,
  preview_tier_points_after,  // "Sau đơn này: {points} điểm phân hạng"
  preview_perks_heading,
  preview_perks_applying,     // "Ưu đãi áp dụng cho đơn này · hạng {tier}"
  preview_perks_unlocked,     // "Mở khóa khi lên hạng {tier}"
  preview_perks_none,
  // Connected mode: the banner, the sign-in screen, roles
  connecting,                 // while the console asks whether a server is there
  connected_badge,            // pill in the top bar (the offline one is offline_badge)
  banner_offline,             // the mode banner under the top bar
  banner_signed_out,
  banner_signed_in,           // "{store}", "{role}", "{email}"
  banner_no_store,
  sign_out_button,
  signing_out,
  // Sign-in screen
  sign_in_heading,
  sign_in_subtitle,
  sign_in_email_label,
  sign_in_password_label,
  sign_in_button,
  signing_in,
  sign_in_error_empty_email,
  sign_in_error_empty_password,
  sign_in_error_no_answer,    // no answer at all (network, timeout)
  sign_in_error_unexpected,
  demo_note_heading,          // "{store}"
  demo_note_body,
  // Staff roles
  role_owner,
  role_marketing,
  role_support,
  // Overview when connected
  overview_card_mode_connected,
  overview_card_mode_connected_note,
  overview_connected_note,
  preview_connected_note,
  // The owner's screens (and the store chooser)
  nav_audit_log,
  nav_staff_accounts,
  nav_api_keys,
  audit_log_description,
  staff_accounts_description,
  api_keys_description,
  count,                      // not a key: the number of keys
};

// [SECTION] Lookup ------------------------------------------------------------------------------
std::string_view text(TextKey key, Language language);  // never empty
std::string_view key_name(TextKey key);                 // "overview_welcome_heading": test hooks

}  // namespace loyalty::console
