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
    {TextKey::overview_card_money_label, "overview_card_money_label", "Định dạng tiền tệ",
     "Money format"},
    {TextKey::overview_card_money_note, "overview_card_money_note",
     "Ví dụ quy đổi: 1 điểm = {amount}", "Example rate: 1 point = {amount}"},
    {TextKey::overview_card_mode_label, "overview_card_mode_label", "Chế độ", "Mode"},
    {TextKey::overview_card_mode_value, "overview_card_mode_value", "Ngoại tuyến",
     "Offline"},
    {TextKey::overview_card_mode_note, "overview_card_mode_note",
     "Chưa kết nối máy chủ cửa hàng", "Not connected to a store server"},
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
     "Cấu hình ví tích điểm, các hạng Bạc, Vàng, Bạch kim và ưu đãi của từng hạng.",
     "Set up the point wallet, the Silver, Gold and Platinum tiers and their perks."},
    {TextKey::vouchers_description, "vouchers_description",
     "Tạo chương trình voucher, ẩn hoặc hiện cho từng nhóm, và theo dõi lượt nhận mã.",
     "Create voucher campaigns, hide or show them per group, and follow claimed codes."},
    {TextKey::customer_groups_description, "customer_groups_description",
     "Lọc khách hàng theo điều kiện hoặc tải lên danh sách từ tệp Excel.",
     "Filter customers by conditions or upload a list from an Excel file."},
    {TextKey::notifications_description, "notifications_description",
     "Soạn thông báo, chọn nhóm nhận, gửi ngay hoặc hẹn giờ gửi.",
     "Write a notification, pick who receives it, send now or schedule it."},
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
