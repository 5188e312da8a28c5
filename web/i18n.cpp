#include "i18n.hpp"

#include <array>
#include <cassert>
#include <cstddef>

namespace loyalty::console {
namespace {

struct Entry {
  TextKey key;
  std::string_view name;        // stable id used by the browser tests
  std::string_view vietnamese;
  std::string_view english;
};

constexpr std::size_t key_count = static_cast<std::size_t>(TextKey::count);

// One row per key, in the order of the enum (checked at compile time below).
constexpr std::array<Entry, key_count> entries{{
    {TextKey::product_name, "product_name", "Khách hàng thân thiết", "Loyal customers"},
    {TextKey::product_tagline, "product_tagline", "Bảng điều khiển cửa hàng",
     "Store console"},
    {TextKey::offline_badge, "offline_badge", "Demo ngoại tuyến", "Offline demo"},
    {TextKey::language_vietnamese, "language_vietnamese", "Tiếng Việt", "Tiếng Việt"},
    {TextKey::language_english, "language_english", "English", "English"},

    {TextKey::nav_section_program, "nav_section_program", "CHƯƠNG TRÌNH", "PROGRAM"},
    {TextKey::nav_overview, "nav_overview", "Tổng quan", "Overview"},
    {TextKey::nav_members, "nav_members", "Thành viên", "Members"},
    {TextKey::nav_wallet_tiers, "nav_wallet_tiers", "Ví điểm & hạng", "Points & tiers"},
    {TextKey::nav_vouchers, "nav_vouchers", "Voucher", "Vouchers"},
    {TextKey::nav_customer_groups, "nav_customer_groups", "Nhóm khách hàng", "Customer groups"},
    {TextKey::nav_notifications, "nav_notifications", "Thông báo", "Notifications"},
    {TextKey::nav_footer_version, "nav_footer_version", "Phiên bản thử nghiệm",
     "Preview version"},

    {TextKey::overview_welcome_heading, "overview_welcome_heading",
     "Chào mừng đến bảng điều khiển — chương trình khách hàng thân thiết",
     "Welcome to the console — your customer loyalty program"},
    {TextKey::overview_welcome_subtitle, "overview_welcome_subtitle",
     "Quản lý ví tích điểm, phân hạng, ưu đãi, voucher và thông báo đẩy cho cửa hàng của "
     "bạn ở một nơi.",
     "Manage the point wallet, tiers, perks, vouchers and push notifications of your "
     "store in one place."},
    {TextKey::overview_card_today_label, "overview_card_today_label", "Hôm nay", "Today"},
    {TextKey::overview_card_today_note, "overview_card_today_note",
     "Giờ Việt Nam (Asia/Ho_Chi_Minh, UTC+7)", "Vietnam time (Asia/Ho_Chi_Minh, UTC+7)"},
    {TextKey::overview_card_money_label, "overview_card_money_label", "Tiền tệ",
     "Currency"},
    {TextKey::overview_card_money_note, "overview_card_money_note",
     "Mọi số tiền tính bằng đồng, không có số lẻ: giá, giảm giá và giá trị điểm.",
     "Every amount is in whole dong: prices, discounts and what points are worth."},
    {TextKey::overview_card_mode_label, "overview_card_mode_label", "Chế độ", "Mode"},
    {TextKey::overview_card_mode_value, "overview_card_mode_value", "Ngoại tuyến",
     "Offline"},
    {TextKey::overview_card_mode_note, "overview_card_mode_note",
     "Không có máy chủ cửa hàng nào trả lời trang này: bản demo chạy trong trình duyệt",
     "No store server answers this page: the demo runs in your browser"},
    {TextKey::overview_modules_heading, "overview_modules_heading", "Các phân hệ",
     "Modules"},
    {TextKey::overview_module_members, "overview_module_members",
     "Tra cứu thành viên theo số điện thoại, tên hoặc mã thẻ; điều chỉnh có ghi lý do.",
     "Look members up by phone, name or card number; corrections keep a reason."},
    {TextKey::overview_module_wallet_tiers, "overview_module_wallet_tiers",
     "Tỉ lệ quy đổi điểm, tỉ lệ tích điểm, điểm phân hạng và ưu đãi theo hạng.",
     "Point value, earning rates, tier points and perks per tier."},
    {TextKey::overview_module_vouchers, "overview_module_vouchers",
     "Chương trình voucher, mã giảm giá và đổi điểm lấy quà.",
     "Voucher campaigns, discount codes and redeeming points for gifts."},
    {TextKey::overview_module_customer_groups, "overview_module_customer_groups",
     "Nhóm khách hàng theo bộ lọc (ví dụ: sinh nhật tháng 6) hoặc từ bảng tính.",
     "Customer groups from a filter (e.g. birthday in June) or a spreadsheet."},
    {TextKey::overview_module_notifications, "overview_module_notifications",
     "Kịch bản thông báo đẩy: gửi ngay hoặc hẹn giờ, theo dõi phản hồi.",
     "Push notification scenarios: send now or later, and track the response."},
    {TextKey::overview_offline_note, "overview_offline_note",
     "Bản demo ngoại tuyến: mọi thứ chạy ngay trong trình duyệt, không có dữ liệu nào "
     "được gửi đi.",
     "Offline demo: everything runs in your browser; no data is sent anywhere."},
    {TextKey::overview_module_available, "overview_module_available", "Dùng thử ngay",
     "Try it now"},

    {TextKey::coming_soon_badge, "coming_soon_badge", "Sắp ra mắt", "Coming soon"},
    {TextKey::coming_soon_title, "coming_soon_title", "Màn hình này đang được xây dựng",
     "This screen is being built"},
    {TextKey::coming_soon_body, "coming_soon_body",
     "Chúng tôi sẽ mở màn hình này trong phiên bản tới. Trong lúc chờ, hãy xem phần "
     "Tổng quan.",
     "It opens in a coming version. Meanwhile, have a look at the Overview."},
    {TextKey::coming_soon_back, "coming_soon_back", "Về Tổng quan", "Back to Overview"},
    {TextKey::members_description, "members_description",
     "Tìm khách hàng có dấu hoặc không dấu, xem điểm, hạng, voucher và lịch sử.",
     "Find customers with or without diacritics; see points, tier, vouchers and history."},
    {TextKey::wallet_tiers_description, "wallet_tiers_description",
     "Xem thử quy tắc tích điểm và phân hạng: nhập một đơn hàng, xem khách hàng nhận được "
     "gì, ngay trên máy, không cần máy chủ.",
     "Try the earning and tier rules: enter an order and see what the customer gets, right "
     "here, with no server."},
    {TextKey::vouchers_description, "vouchers_description",
     "Tạo chương trình voucher, ẩn hoặc hiện cho từng nhóm, và theo dõi lượt nhận mã.",
     "Create voucher campaigns, hide or show them per group, and follow claimed codes."},
    {TextKey::customer_groups_description, "customer_groups_description",
     "Lọc khách hàng theo điều kiện hoặc tải lên danh sách từ tệp Excel.",
     "Filter customers by conditions or upload a list from an Excel file."},
    {TextKey::notifications_description, "notifications_description",
     "Soạn thông báo, chọn nhóm nhận, gửi ngay hoặc hẹn giờ gửi.",
     "Write a notification, pick who receives it, send now or schedule it."},

    {TextKey::preview_program_heading, "preview_program_heading", "Chương trình đang dùng",
     "Program in use"},
    {TextKey::preview_program_badge, "preview_program_badge", "Chương trình mẫu",
     "Example program"},
    {TextKey::preview_point_value_label, "preview_point_value_label", "Giá trị 1 điểm",
     "Value of 1 point"},
    {TextKey::preview_point_value_note, "preview_point_value_note", "Khi dùng điểm để đổi quà hoặc trừ tiền",
     "When points are spent on gifts or discounts"},
    {TextKey::preview_buyer_rate_label, "preview_buyer_rate_label", "Người mua được tích",
     "Buyer earns"},
    {TextKey::preview_rate_value, "preview_rate_value", "{rate} giá trị đơn",
     "{rate} of the order"},
    {TextKey::preview_buyer_rate_note, "preview_buyer_rate_note", "Điểm lẻ: {rounding}",
     "Fractions: {rounding}"},
    {TextKey::preview_referrer_rate_label, "preview_referrer_rate_label", "Người giới thiệu được tích",
     "Referrer earns"},
    {TextKey::preview_referrer_rate_note, "preview_referrer_rate_note", "Trên mỗi đơn của người được giới thiệu",
     "On every order of the members they referred"},
    {TextKey::preview_tier_rate_label, "preview_tier_rate_label", "Điểm phân hạng",
     "Tier points"},
    {TextKey::preview_tier_rate_value, "preview_tier_rate_value", "1 điểm / {amount}",
     "1 per {amount}"},
    {TextKey::preview_window_months, "preview_window_months", "Tính trong {months} tháng gần nhất",
     "Counted over the last {months} months"},
    {TextKey::preview_window_lifetime, "preview_window_lifetime", "Cộng dồn từ khi tham gia",
     "Counted since joining"},
    {TextKey::preview_tiers_heading, "preview_tiers_heading", "Các hạng thành viên",
     "Member tiers"},
    {TextKey::preview_tier_threshold, "preview_tier_threshold", "Từ {points} điểm phân hạng",
     "From {points} tier points"},
    {TextKey::preview_tier_no_perks, "preview_tier_no_perks", "Chưa có ưu đãi",
     "No perks yet"},
    {TextKey::preview_rules_heading, "preview_rules_heading", "Quy tắc bằng lời",
     "The rules in plain words"},
    {TextKey::preview_rules_note, "preview_rules_note", "Tạo tự động từ cấu hình, đúng như khách hàng sẽ đọc.",
     "Generated from the configuration, exactly as customers will read them."},
    {TextKey::preview_calculator_heading, "preview_calculator_heading", "Tính thử một đơn hàng",
     "Try an order"},
    {TextKey::preview_calculator_subtitle, "preview_calculator_subtitle", "Khách hàng nhận được gì với đơn hàng này? Kết quả cập nhật ngay khi bạn nhập.",
     "What does the customer get for this order? The result updates as you type."},
    {TextKey::preview_order_section, "preview_order_section", "ĐƠN HÀNG",
     "ORDER"},
    {TextKey::preview_amount_label, "preview_amount_label", "Giá trị đơn hàng",
     "Order amount"},
    {TextKey::preview_amount_note, "preview_amount_note", "Đã gồm phí vận chuyển",
     "Shipping included"},
    {TextKey::preview_shipping_label, "preview_shipping_label", "Phí vận chuyển",
     "Shipping"},
    {TextKey::preview_discount_label, "preview_discount_label", "Giảm giá voucher",
     "Voucher discount"},
    {TextKey::preview_member_section, "preview_member_section", "KHÁCH HÀNG",
     "CUSTOMER"},
    {TextKey::preview_tier_points_label, "preview_tier_points_label", "Điểm phân hạng hiện có",
     "Current tier points"},
    {TextKey::preview_current_tier, "preview_current_tier", "Hạng {tier}",
     "Tier: {tier}"},
    {TextKey::preview_has_referrer, "preview_has_referrer", "Có người giới thiệu",
     "Has a referrer"},
    {TextKey::preview_error_empty_amount, "preview_error_empty_amount", "Hãy nhập giá trị đơn hàng.",
     "Enter the order amount."},
    {TextKey::preview_error_not_whole_number, "preview_error_not_whole_number", "Chỉ nhập số nguyên, ví dụ 1000000.",
     "Whole numbers only, e.g. 1000000."},
    {TextKey::preview_error_negative, "preview_error_negative", "Không được là số âm.",
     "Cannot be negative."},
    {TextKey::preview_error_too_large, "preview_error_too_large", "Quá lớn: tối đa {max}.",
     "Too large: at most {max}."},
    {TextKey::preview_error_discount_exceeds_amount, "preview_error_discount_exceeds_amount", "Giảm giá (cùng phí vận chuyển) lớn hơn giá trị đơn hàng.",
     "The discount (with shipping) is larger than the order amount."},
    {TextKey::preview_error_shipping_exceeds_amount, "preview_error_shipping_exceeds_amount", "Phí vận chuyển lớn hơn giá trị đơn hàng.",
     "Shipping is larger than the order amount."},
    {TextKey::preview_result_heading, "preview_result_heading", "Khách hàng nhận được",
     "What the customer gets"},
    {TextKey::preview_result_invalid, "preview_result_invalid", "Chưa tính được: hãy sửa ô được đánh dấu đỏ.",
     "Nothing to show yet: correct the field marked in red."},
    {TextKey::preview_buyer_points_label, "preview_buyer_points_label", "Điểm thưởng người mua",
     "Buyer's reward points"},
    {TextKey::preview_referrer_points_label, "preview_referrer_points_label", "Người giới thiệu",
     "Referrer"},
    {TextKey::preview_tier_points_earned_label, "preview_tier_points_earned_label", "Điểm phân hạng",
     "Tier points"},
    {TextKey::preview_unit_point, "preview_unit_point", "điểm",
     "point"},
    {TextKey::preview_unit_points, "preview_unit_points", "điểm",
     "points"},
    {TextKey::preview_no_referrer, "preview_no_referrer", "Không có người giới thiệu",
     "No referrer"},
    {TextKey::preview_how_heading, "preview_how_heading", "Cách tính",
     "How it is computed"},
    {TextKey::preview_formula_buyer, "preview_formula_buyer", "Điểm thưởng người mua",
     "Buyer's reward points"},
    {TextKey::preview_formula_referrer, "preview_formula_referrer", "Điểm người giới thiệu",
     "Referrer's points"},
    {TextKey::preview_formula_tier, "preview_formula_tier", "Điểm phân hạng",
     "Tier points"},
    {TextKey::preview_tier_heading, "preview_tier_heading", "Hạng thành viên",
     "Tier"},
    {TextKey::preview_tier_upgrade, "preview_tier_upgrade", "Lên hạng!",
     "Tier up!"},
    {TextKey::preview_tier_unchanged, "preview_tier_unchanged", "Giữ nguyên hạng",
     "Same tier"},
    {TextKey::preview_no_tier, "preview_no_tier", "Chưa có hạng",
     "No tier"},
    {TextKey::preview_to_next_tier, "preview_to_next_tier", "Còn {points} điểm phân hạng nữa để lên {tier}",
     "{points} more tier points to reach {tier}"},
    {TextKey::preview_top_tier, "preview_top_tier", "Đã ở hạng cao nhất",
     "Already in the top tier"},
    {TextKey::preview_tier_points_after, "preview_tier_points_after", "Sau đơn này: {points} điểm phân hạng",
     "After this order: {points} tier points"},
    {TextKey::preview_perks_heading, "preview_perks_heading", "Ưu đãi",
     "Perks"},
    {TextKey::preview_perks_applying, "preview_perks_applying", "Ưu đãi áp dụng cho đơn này · hạng {tier}",
     "Perks that apply to this order · {tier}"},
    {TextKey::preview_perks_unlocked, "preview_perks_unlocked", "Mở khóa khi lên hạng {tier}",
     "Unlocked with {tier}"},
    {TextKey::preview_perks_none, "preview_perks_none", "Không có ưu đãi nào",
     "No perks"},

    {TextKey::connecting, "connecting", "Đang kết nối máy chủ…",
     "Connecting to the server…"},
    {TextKey::connected_badge, "connected_badge", "Đã kết nối",
     "Connected"},
    {TextKey::banner_offline, "banner_offline", "Demo ngoại tuyến: mọi thứ chạy trong trình duyệt này, không có dữ liệu nào được gửi tới cửa hàng.",
     "Offline demo: everything runs in this browser; nothing reaches a store."},
    {TextKey::banner_signed_out, "banner_signed_out", "Đã kết nối máy chủ cửa hàng. Hãy đăng nhập để làm việc với cửa hàng của bạn.",
     "Connected to the store server. Sign in to work on your store."},
    {TextKey::banner_signed_in, "banner_signed_in", "Đã kết nối · Cửa hàng: {store} · Vai trò: {role} · {email}",
     "Connected · Store: {store} · Role: {role} · {email}"},
    {TextKey::banner_no_store, "banner_no_store", "Đã kết nối · Tài khoản {email} chưa được giao cửa hàng nào",
     "Connected · The account {email} has no store yet"},
    {TextKey::sign_out_button, "sign_out_button", "Đăng xuất",
     "Sign out"},
    {TextKey::signing_out, "signing_out", "Đang đăng xuất…",
     "Signing out…"},
    {TextKey::sign_in_heading, "sign_in_heading", "Đăng nhập",
     "Sign in"},
    {TextKey::sign_in_subtitle, "sign_in_subtitle", "Dùng tài khoản nhân viên cửa hàng của bạn.",
     "Use your store staff account."},
    {TextKey::sign_in_email_label, "sign_in_email_label", "Email",
     "Email"},
    {TextKey::sign_in_password_label, "sign_in_password_label", "Mật khẩu",
     "Password"},
    {TextKey::sign_in_button, "sign_in_button", "Đăng nhập",
     "Sign in"},
    {TextKey::signing_in, "signing_in", "Đang đăng nhập…",
     "Signing in…"},
    {TextKey::sign_in_error_empty_email, "sign_in_error_empty_email", "Hãy nhập email.",
     "Enter your email."},
    {TextKey::sign_in_error_empty_password, "sign_in_error_empty_password", "Hãy nhập mật khẩu.",
     "Enter your password."},
    {TextKey::sign_in_error_no_answer, "sign_in_error_no_answer", "Không kết nối được máy chủ. Hãy kiểm tra mạng rồi thử lại.",
     "The server did not answer. Check your connection and try again."},
    {TextKey::sign_in_error_unexpected, "sign_in_error_unexpected", "Máy chủ trả lời không như mong đợi. Hãy thử lại.",
     "The server gave an unexpected answer. Try again."},
    {TextKey::demo_note_heading, "demo_note_heading", "Máy chủ này chạy cửa hàng demo: {store}",
     "This server runs the demo store: {store}"},
    {TextKey::demo_note_body, "demo_note_body", "Đăng nhập thử bằng một tài khoản demo dưới đây; bấm vào một dòng để điền sẵn.",
     "Try a demo account below; click a row to fill it in."},
    {TextKey::role_owner, "role_owner", "Chủ cửa hàng",
     "Owner"},
    {TextKey::role_marketing, "role_marketing", "Tiếp thị",
     "Marketing"},
    {TextKey::role_support, "role_support", "Hỗ trợ khách hàng",
     "Support"},
    {TextKey::overview_card_mode_connected, "overview_card_mode_connected", "Đã kết nối",
     "Connected"},
    {TextKey::overview_card_mode_connected_note, "overview_card_mode_connected_note", "Cửa hàng: {store}",
     "Store: {store}"},
    {TextKey::overview_connected_note, "overview_connected_note", "Đã kết nối với cửa hàng {store}. Các màn hình dữ liệu của cửa hàng đang được xây dựng; phần xem thử quy tắc vẫn dùng chương trình mẫu, chưa phải chương trình của cửa hàng.",
     "Connected to the store {store}. The store's data screens are being built; the rule preview still uses the example program, not the store's."},
    {TextKey::preview_connected_note, "preview_connected_note", "Bản xem thử này dùng chương trình mẫu, chưa phải chương trình của cửa hàng {store}.",
     "This preview uses the example program, not the program of {store}."},
    {TextKey::nav_audit_log, "nav_audit_log", "Nhật ký thao tác", "Audit log"},
    {TextKey::nav_staff_accounts, "nav_staff_accounts", "Nhân viên", "Staff"},
    {TextKey::nav_api_keys, "nav_api_keys", "Khóa API", "API keys"},
    {TextKey::audit_log_description, "audit_log_description",
     "Ai đã làm gì trong cửa hàng, lúc nào và vì sao: điều chỉnh điểm, chương trình, nhân viên, khóa API.",
     "Who did what in the store, when and why: point adjustments, the program, staff, API keys."},
    {TextKey::staff_accounts_description, "staff_accounts_description",
     "Thêm nhân viên với một vai trò, đổi vai trò, hoặc tắt quyền vào cửa hàng.",
     "Add staff with a role, change a role, or take away access to the store."},
    {TextKey::api_keys_description, "api_keys_description",
     "Khóa cho máy POS tại quầy và đối tác: tạo với phạm vi cần dùng, thu hồi khi không dùng nữa.",
     "Keys for the tills and partners: create one with the scopes it needs, revoke it when no longer used."},
}};

constexpr bool entries_follow_enum_order() {
  for (std::size_t index = 0; index < entries.size(); ++index) {
    if (static_cast<std::size_t>(entries[index].key) != index) return false;
    if (entries[index].vietnamese.empty() || entries[index].english.empty()) return false;
  }
  return true;
}
static_assert(entries_follow_enum_order(),
              "i18n.cpp: every TextKey needs one row, in enum order, with both languages");

const Entry& entry(TextKey key) {
  const auto index = static_cast<std::size_t>(key);
  assert(index < entries.size());
  assert(entries[index].key == key);
  return entries[index];
}

}  // namespace

std::string_view language_code(Language language) {
  return language == Language::english ? "en" : "vi";
}

std::optional<Language> language_from_code(std::string_view code) {
  if (code == "vi") return Language::vietnamese;
  if (code == "en") return Language::english;
  return std::nullopt;
}

std::string_view text(TextKey key, Language language) {
  const Entry& found = entry(key);
  return language == Language::english ? found.english : found.vietnamese;
}

std::string_view key_name(TextKey key) { return entry(key).name; }

}  // namespace loyalty::console
