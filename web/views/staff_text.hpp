// staff_text.hpp: the words of the members and program screens, in Vietnamese and English.
//
// [SECTION] Phrases
// [SECTION] Widgets the two screens share
//
// Like i18n.hpp, every string has a stable id (the browser tests find it by that id) and
// both languages; the phrases of these screens live here, beside the screens that use them.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "backend/backend.hpp"
#include "ui.hpp"

namespace loyalty::console {

// [SECTION] Phrases ------------------------------------------------------------------------
struct Phrase {
  std::string_view id;           // test hooks: "members_search_label"
  std::string_view vietnamese;
  std::string_view english;
};
inline std::string_view say(const Ui& ui, const Phrase& phrase) {
  return ui.language() == Language::english ? phrase.english : phrase.vietnamese;
}
inline std::string_view say(const Ui& ui, const Message& message) { return message.in(ui.language()); }

namespace phrases {
// Members: search and till
inline constexpr Phrase members_tab_search{"members_tab_search", "Tìm thành viên", "Find members"};
inline constexpr Phrase members_tab_liability{"members_tab_liability", "Công nợ điểm", "Points liability"};
inline constexpr Phrase search_label{"members_search_label", "Tên, số điện thoại hoặc số thẻ",
                                     "Name, phone or card number"};
inline constexpr Phrase search_hint{"members_search_hint", "Gõ tên có dấu hoặc không dấu, hoặc 4 số cuối điện thoại",
                                    "Type a name with or without diacritics, or a phone's last 4 digits"};
inline constexpr Phrase till_label{"members_till_label", "Tại quầy: quẹt thẻ hoặc nhập số điện thoại",
                                   "At the till: scan the card or type the phone"};
inline constexpr Phrase till_button{"members_till_button", "Mở", "Open"};
inline constexpr Phrase results_count{"members_results_count", "{count} thành viên", "{count} members"};
inline constexpr Phrase results_none{"members_results_none", "Không tìm thấy thành viên nào.", "No member found."};
inline constexpr Phrase searching{"members_searching", "Đang tìm…", "Searching…"};
inline constexpr Phrase column_name{"members_column_name", "Họ tên", "Name"};
inline constexpr Phrase column_phone{"members_column_phone", "Điện thoại", "Phone"};
inline constexpr Phrase column_card{"members_column_card", "Số thẻ", "Card"};
inline constexpr Phrase column_tier{"members_column_tier", "Hạng", "Tier"};
inline constexpr Phrase column_points{"members_column_points", "Điểm", "Points"};
inline constexpr Phrase not_allowed{"members_not_allowed", "Vai trò của bạn không xem được thành viên.",
                                    "Your role cannot see members."};
inline constexpr Phrase loading{"loading", "Đang tải…", "Loading…"};
// Profile
inline constexpr Phrase back_to_results{"profile_back", "‹ Kết quả tìm kiếm", "‹ Search results"};
inline constexpr Phrase spendable{"profile_spendable_label", "Điểm dùng được", "Spendable points"};
inline constexpr Phrase pending{"profile_pending_label", "Điểm đang chờ", "Pending points"};
inline constexpr Phrase held{"profile_held_label", "Điểm đang giữ", "Held points"};
inline constexpr Phrase worth{"profile_worth", "Trị giá {amount}", "Worth {amount}"};
inline constexpr Phrase tier_heading{"profile_tier_heading", "Hạng thành viên", "Tier"};
inline constexpr Phrase tier_progress{"profile_tier_progress", "{points} điểm phân hạng · còn {missing} điểm để lên {tier}",
                                      "{points} tier points · {missing} more to reach {tier}"};
inline constexpr Phrase tier_top{"profile_tier_top", "{points} điểm phân hạng · hạng cao nhất",
                                 "{points} tier points · the highest tier"};
inline constexpr Phrase tier_drop{"profile_tier_drop", "{points} điểm phân hạng hết hạn tính vào ngày {date}",
                                  "{points} tier points leave the window on {date}"};
inline constexpr Phrase expiry_heading{"profile_expiry_heading", "Điểm theo tháng hết hạn", "Points by expiry month"};
inline constexpr Phrase never_expires{"profile_never_expires", "Không hết hạn", "Never expire"};
inline constexpr Phrase pending_heading{"profile_pending_heading", "Điểm đang chờ theo đơn", "Pending points by order"};
inline constexpr Phrase pending_line{"profile_pending_line", "{points} điểm · đơn {order} · dùng được từ {date}",
                                     "{points} points · order {order} · spendable from {date}"};
inline constexpr Phrase release_button{"profile_release_button", "Cho dùng ngay", "Release now"};
inline constexpr Phrase cancel_button{"profile_cancel_button", "Hủy điểm chờ", "Cancel pending"};
inline constexpr Phrase history_heading{"profile_history_heading", "Lịch sử điểm", "Points history"};
inline constexpr Phrase history_more{"profile_history_more", "Xem thêm", "Show more"};
inline constexpr Phrase history_by{"profile_history_by", "bởi {actor}", "by {actor}"};
inline constexpr Phrase details_heading{"profile_details_heading", "Thông tin", "Details"};
inline constexpr Phrase name_label{"profile_name_label", "Họ tên", "Name"};
inline constexpr Phrase phone_label{"profile_phone_label", "Điện thoại", "Phone"};
inline constexpr Phrase email_label{"profile_email_label", "Email", "Email"};
inline constexpr Phrase birthday_label{"profile_birthday_label", "Sinh nhật (ngày/tháng hoặc ngày/tháng/năm)",
                                      "Birthday (day/month or day/month/year)"};
inline constexpr Phrase birthday_unreadable{"profile_birthday_unreadable", "Nhập ngày sinh như 14/02/1990 hoặc 14/02, hoặc để trống.",
                                            "Type the birthday as 14/02/1990 or 14/02, or leave it empty."};
inline constexpr Phrase card_label{"profile_card_label", "Số thẻ", "Card number"};
inline constexpr Phrase joined_label{"profile_joined_label", "Tham gia", "Joined"};
inline constexpr Phrase save_details{"profile_save_details", "Lưu thông tin", "Save details"};
inline constexpr Phrase blocked_badge{"profile_blocked_badge", "Thẻ đang bị khóa", "Card blocked"};
inline constexpr Phrase block_button{"profile_block_button", "Khóa thẻ", "Block the card"};
inline constexpr Phrase unblock_button{"profile_unblock_button", "Mở khóa thẻ", "Unblock the card"};
inline constexpr Phrase adjust_heading{"profile_adjust_heading", "Điều chỉnh điểm", "Adjust points"};
inline constexpr Phrase adjust_points_label{"profile_adjust_points_label", "Số điểm (+ cộng, - trừ)",
                                            "Points (+ give, - take)"};
inline constexpr Phrase reason_label{"profile_reason_label", "Lý do (bắt buộc, ghi vào lịch sử)",
                                     "Reason (required, kept in the history)"};
inline constexpr Phrase adjust_button{"profile_adjust_button", "Điều chỉnh…", "Adjust…"};
inline constexpr Phrase reason_required{"profile_reason_required", "Hãy nhập lý do.", "Give a reason."};
inline constexpr Phrase points_required{"profile_points_required", "Nhập số điểm khác 0, ví dụ 100 hoặc -30.",
                                        "Type a number of points other than 0, e.g. 100 or -30."};
inline constexpr Phrase confirm_heading{"confirm_heading", "Xác nhận", "Please confirm"};
inline constexpr Phrase confirm_adjust{"confirm_adjust", "{points} điểm cho {name}. Lý do: {reason}",
                                       "{points} points for {name}. Reason: {reason}"};
inline constexpr Phrase confirm_release{"confirm_release", "Cho dùng ngay điểm đang chờ của đơn {order}. Lý do: {reason}",
                                        "Release the pending points of order {order} now. Reason: {reason}"};
inline constexpr Phrase confirm_cancel{"confirm_cancel", "Hủy điểm đang chờ của đơn {order}. Lý do: {reason}",
                                       "Cancel the pending points of order {order}. Reason: {reason}"};
inline constexpr Phrase confirm_block{"confirm_block",
                                     "Khóa thẻ của {name}? Thẻ bị khóa không tích, đổi, giữ hay chuyển điểm được cho đến khi mở khóa.",
                                     "Block {name}'s card? A blocked card cannot earn, redeem, hold or transfer points until it is unblocked."};
inline constexpr Phrase confirm_unblock{"confirm_unblock", "Mở khóa thẻ của {name}? Thẻ lại tích và dùng điểm được.",
                                       "Unblock {name}'s card? The card earns and spends points again."};
inline constexpr Phrase confirm_yes{"confirm_yes", "Xác nhận", "Confirm"};
inline constexpr Phrase confirm_no{"confirm_no", "Quay lại", "Go back"};
inline constexpr Phrase done{"action_done", "Đã lưu.", "Saved."};
inline constexpr Phrase explain_button{"profile_explain_button", "Vì sao số dư này?", "Why this balance?"};
inline constexpr Phrase explain_heading{"explain_heading", "Số dư theo từng lô điểm", "The balance, lot by lot"};
inline constexpr Phrase explain_total{"explain_total",
                                      "{points} điểm dùng được và {pending} điểm đang chờ nằm trong {lots} lô dưới đây.",
                                      "{points} spendable and {pending} pending points, in the {lots} lots below."};
inline constexpr Phrase explain_from_order{"explain_from_order", "Đơn {order}", "Order {order}"};
inline constexpr Phrase explain_from_referral{"explain_from_referral", "Giới thiệu: đơn {order} của {buyer}",
                                              "Referral: order {order} of {buyer}"};
inline constexpr Phrase explain_from_adjustment{"explain_from_adjustment", "Điều chỉnh: {reason}", "Adjustment: {reason}"};
inline constexpr Phrase explain_from_birthday{"explain_from_birthday", "Quà sinh nhật", "Birthday bonus"};
inline constexpr Phrase explain_from_transfer{"explain_from_transfer", "Nhận chuyển điểm", "Transfer received"};
inline constexpr Phrase explain_from_other{"explain_from_other", "Khác", "Other"};
inline constexpr Phrase explain_lot_line{"explain_lot_line", "Nhận {earned} điểm ngày {date}; còn {remaining}",
                                         "{earned} points on {date}; {remaining} left"};
inline constexpr Phrase explain_used{"explain_used", "-{points} ngày {date}: {kind}", "-{points} on {date}: {kind}"};
inline constexpr Phrase explain_taken_back{"explain_taken_back", "-{points} bị trừ lại (hoàn tiền, hủy)",
                                           "-{points} taken back (refund, cancel)"};
inline constexpr Phrase explain_given_back{"explain_given_back", "+{points} được trả lại", "+{points} given back"};
inline constexpr Phrase explain_expires{"explain_expires", "Hết hạn ngày {date}", "Expires on {date}"};
inline constexpr Phrase explain_no_expiry{"explain_no_expiry", "Không hết hạn", "Never expires"};
inline constexpr Phrase explain_pending_until{"explain_pending_until", "Đang chờ đến {date}", "Pending until {date}"};
inline constexpr Phrase explain_debt{"explain_debt", "Còn nợ {points} điểm (bị trừ quá số dư), trừ vào điểm sau.",
                                     "{points} points still owed (taken beyond the balance), recovered from later points."};
// Liability
inline constexpr Phrase liability_heading{"liability_heading", "Cửa hàng đang nợ thành viên", "What the store owes its members"};
inline constexpr Phrase liability_total{"liability_total", "{points} điểm, trị giá {amount}", "{points} points, worth {amount}"};
inline constexpr Phrase liability_by_month{"liability_by_month", "Theo tháng hết hạn", "By expiry month"};
inline constexpr Phrase liability_by_tier{"liability_by_tier", "Theo hạng", "By tier"};
inline constexpr Phrase column_month{"liability_column_month", "Tháng", "Month"};
inline constexpr Phrase column_value{"liability_column_value", "Giá trị", "Value"};
// Program editor
inline constexpr Phrase program_tab_preview{"program_tab_preview", "Xem trước", "Preview"};
inline constexpr Phrase program_tab_edit{"program_tab_edit", "Chỉnh chương trình", "Edit the program"};
inline constexpr Phrase program_tab_versions{"program_tab_versions", "Các phiên bản", "Versions"};
inline constexpr Phrase unsaved_badge{"program_unsaved", "Có thay đổi chưa lưu", "Unsaved changes"};
inline constexpr Phrase wallet_heading{"program_wallet_heading", "Ví điểm và tích điểm", "Point wallet and earning"};
inline constexpr Phrase program_name_label{"program_name_label", "Tên chương trình", "Program name"};
inline constexpr Phrase point_value_label{"program_point_value_label", "Giá trị 1 điểm (₫)", "Value of 1 point (VND)"};
inline constexpr Phrase buyer_rate_label{"program_buyer_rate_label", "Người mua được tích (% giá trị đơn)",
                                         "Buyer earns (% of the order)"};
inline constexpr Phrase referrer_rate_label{"program_referrer_rate_label", "Người giới thiệu được tích (%)",
                                            "Referrer earns (%)"};
inline constexpr Phrase rounding_label{"program_rounding_label", "Làm tròn điểm", "Rounding"};
inline constexpr Phrase rounding_down{"program_rounding_down", "Xuống", "Down"};
inline constexpr Phrase rounding_half_up{"program_rounding_half_up", "Gần nhất", "Nearest"};
inline constexpr Phrase rounding_up{"program_rounding_up", "Lên", "Up"};
inline constexpr Phrase exclude_shipping_label{"program_exclude_shipping", "Phí vận chuyển không được tích điểm",
                                               "Shipping earns no points"};
inline constexpr Phrase example_line{"program_example", "Đơn {amount} được {points} điểm", "An order of {amount} earns {points} points"};
inline constexpr Phrase tier_rate_label{"program_tier_rate_label", "Số tiền cho 1 điểm phân hạng (₫)",
                                        "VND per tier point"};
inline constexpr Phrase window_label{"program_window_label", "Tính điểm phân hạng trong (tháng; 0 = trọn đời)",
                                     "Tier points count for (months; 0 = lifetime)"};
inline constexpr Phrase tiers_heading{"program_tiers_heading", "Hạng và ưu đãi", "Tiers and perks"};
inline constexpr Phrase tier_name_label{"program_tier_name", "Tên hạng", "Tier name"};
inline constexpr Phrase tier_id_label{"program_tier_id", "Mã hạng (chữ thường không dấu)", "Tier id (lowercase ASCII)"};
inline constexpr Phrase tier_needed_label{"program_tier_needed", "Điểm phân hạng cần", "Tier points needed"};
inline constexpr Phrase tier_description_label{"program_tier_description", "Mô tả", "Description"};
inline constexpr Phrase tier_add{"program_tier_add", "+ Thêm hạng", "+ Add a tier"};
inline constexpr Phrase tier_remove{"program_tier_remove", "Xóa hạng", "Remove"};
inline constexpr Phrase tier_up{"program_tier_up", "Lên trên", "Move up"};
inline constexpr Phrase tier_down{"program_tier_down", "Xuống dưới", "Move down"};
inline constexpr Phrase perk_voucher{"perk_voucher", "Đổi voucher ít điểm hơn (%)", "Vouchers cost fewer points (%)"};
inline constexpr Phrase perk_multiplier{"perk_multiplier", "Nhân điểm tích (x, ví dụ 1,2)", "Earning multiplier (x, e.g. 1.2)"};
inline constexpr Phrase perk_birthday{"perk_birthday", "Điểm thưởng sinh nhật", "Birthday bonus points"};
inline constexpr Phrase perk_shipping{"perk_shipping", "Miễn phí vận chuyển cho đơn từ (₫)", "Free shipping from (VND)"};
inline constexpr Phrase perk_price_list{"perk_price_list", "Bảng giá riêng (mã bảng giá)", "Private price list (its id)"};
inline constexpr Phrase life_heading{"program_life_heading", "Vòng đời của điểm", "The life of a point"};
inline constexpr Phrase pending_days_label{"program_pending_days", "Điểm chờ (ngày đổi trả; 0 = dùng ngay)",
                                           "Pending period (days; 0 = at once)"};
inline constexpr Phrase expiry_rule_label{"program_expiry_rule", "Điểm hết hạn", "Points expire"};
inline constexpr Phrase expiry_never{"program_expiry_never", "Không bao giờ", "Never"};
inline constexpr Phrase expiry_months_after{"program_expiry_months_after", "Sau N tháng", "N months after"};
inline constexpr Phrase expiry_end_of_month{"program_expiry_end_of_month", "Cuối tháng thứ N", "End of the Nth month"};
inline constexpr Phrase expiry_months_label{"program_expiry_months", "N (tháng)", "N (months)"};
inline constexpr Phrase inactivity_label{"program_inactivity", "Hết hạn khi không mua trong (tháng; 0 = tắt)",
                                         "Expire after months without an order (0 = off)"};
inline constexpr Phrase pay_share_label{"program_pay_share", "Điểm trả tối đa (% đơn)", "Points pay at most (% of an order)"};
inline constexpr Phrase hold_timeout_label{"program_hold_timeout", "Giữ điểm khi thanh toán (giây)", "Checkout hold (seconds)"};
inline constexpr Phrase transfers_label{"program_transfers", "Cho phép chuyển điểm", "Allow transfers"};
inline constexpr Phrase transfer_limit_label{"program_transfer_limit", "Hạn mức chuyển mỗi ngày (0 = không giới hạn)",
                                             "Daily transfer limit (0 = none)"};
inline constexpr Phrase transfer_minimum_label{"program_transfer_minimum", "Số dư tối thiểu giữ lại", "Minimum balance kept"};
inline constexpr Phrase expiry_from_label{"program_expiry_from", "Tính hạn dùng điểm từ", "Expiry counted from"};
inline constexpr Phrase expiry_from_completion{"program_expiry_from_completion", "Khi đơn hoàn tất", "The order's completion"};
inline constexpr Phrase expiry_from_available{"program_expiry_from_available", "Khi hết thời gian chờ", "The end of the pending period"};
inline constexpr Phrase bonuses_heading{"program_bonuses_heading", "Điểm thưởng", "Bonuses"};
inline constexpr Phrase welcome_bonus_label{"program_welcome_bonus", "Thưởng chào mừng khi tham gia (điểm)",
                                            "Welcome bonus on joining (points)"};
inline constexpr Phrase first_order_bonus_label{"program_first_order_bonus", "Thưởng đơn hàng đầu tiên (điểm)",
                                                "First order bonus (points)"};
inline constexpr Phrase referral_referrer_bonus_label{"program_referral_referrer_bonus", "Thưởng người giới thiệu (điểm)",
                                                      "Referral bonus for the referrer (points)"};
inline constexpr Phrase referral_new_member_bonus_label{"program_referral_new_member_bonus",
                                                        "Thưởng thành viên được giới thiệu (điểm)",
                                                        "Referral bonus for the new member (points)"};
inline constexpr Phrase referral_instead_label{"program_referral_instead",
                                               "Đơn đầu tiên: thưởng người giới thiệu thay cho phần trăm",
                                               "First order: the referrer's bonus instead of the percentage"};
inline constexpr Phrase profile_bonus_label{"program_profile_bonus", "Thưởng hoàn thiện hồ sơ (điểm)",
                                            "Profile completion bonus (points)"};
inline constexpr Phrase tier_up_bonus_label{"program_tier_up_bonus", "Thưởng lên hạng (điểm)", "Tier-up bonus (points)"};
inline constexpr Phrase qualification_heading{"program_qualification_heading", "Xét hạng", "Tier qualification"};
inline constexpr Phrase qualify_by_label{"program_qualify_by", "Xếp hạng theo", "Tiers by"};
inline constexpr Phrase qualify_tier_points{"program_qualify_tier_points", "Điểm phân hạng", "Tier points"};
inline constexpr Phrase qualify_spend{"program_qualify_spend", "Chi tiêu (₫)", "Spend (VND)"};
inline constexpr Phrase qualify_orders{"program_qualify_orders", "Số đơn hàng", "Number of orders"};
inline constexpr Phrase period_label{"program_period", "Tính trong", "Counted over"};
inline constexpr Phrase period_lifetime{"program_period_lifetime", "Trọn đời", "Lifetime"};
inline constexpr Phrase period_window{"program_period_window", "N tháng gần nhất", "The last N months"};
inline constexpr Phrase period_calendar_year{"program_period_calendar_year", "Năm (từ tháng bắt đầu)", "A year (from its start month)"};
inline constexpr Phrase year_start_month_label{"program_year_start_month", "Tháng bắt đầu năm (1 đến 12)", "The year's start month (1 to 12)"};
inline constexpr Phrase keep_months_label{"program_keep_months", "Giữ hạng ít nhất (tháng; 0 = không giữ)",
                                          "Keep a tier at least (months; 0 = no)"};
inline constexpr Phrase fall_one_tier_label{"program_fall_one_tier", "Mỗi lần xét chỉ xuống tối đa một hạng",
                                            "Fall at most one tier per review"};
inline constexpr Phrase tier_spend_needed_label{"program_tier_spend_needed", "Chi tiêu cần (₫)", "Spend needed (VND)"};
inline constexpr Phrase tier_orders_needed_label{"program_tier_orders_needed", "Số đơn cần", "Orders needed"};
inline constexpr Phrase limits_heading{"program_limits_heading", "Giới hạn tích điểm", "Earning limits"};
inline constexpr Phrase minimum_order_label{"program_minimum_order", "Đơn tối thiểu để tích điểm (₫; 0 = không)",
                                            "Minimum order to earn (VND; 0 = none)"};
inline constexpr Phrase maximum_points_label{"program_maximum_points", "Điểm tối đa mỗi đơn (0 = không giới hạn)",
                                             "Maximum points per order (0 = none)"};
inline constexpr Phrase excluded_categories_label{"program_excluded_categories", "Danh mục không tích điểm (cách nhau bởi dấu phẩy)",
                                                  "Categories that earn nothing (separated by commas)"};
inline constexpr Phrase excluded_products_label{"program_excluded_products", "Mã sản phẩm không tích điểm (cách nhau bởi dấu phẩy)",
                                                "Products that earn nothing (ids, separated by commas)"};
inline constexpr Phrase category_multipliers_heading{"program_category_multipliers", "Nhân điểm theo danh mục",
                                                     "Category multipliers"};
inline constexpr Phrase category_multiplier_category{"program_category_multiplier_category", "Danh mục", "Category"};
inline constexpr Phrase category_multiplier_value{"program_category_multiplier_value", "Nhân điểm (x)", "Multiplier (x)"};
inline constexpr Phrase category_multiplier_add{"program_category_multiplier_add", "+ Thêm danh mục nhân điểm",
                                                "+ Add a category multiplier"};
inline constexpr Phrase category_multiplier_remove{"program_category_multiplier_remove", "Xóa", "Remove"};
inline constexpr Phrase promotions_heading{"program_promotions_heading", "Khuyến mãi nhân điểm", "Promotions"};
inline constexpr Phrase promotion_id_label{"program_promotion_id", "Mã khuyến mãi", "Promotion id"};
inline constexpr Phrase promotion_name_label{"program_promotion_name", "Tên khuyến mãi", "Promotion name"};
inline constexpr Phrase promotion_starts_label{"program_promotion_starts", "Từ (ví dụ 2028-07-06T00:00:00+07:00)",
                                               "From (e.g. 2028-07-06T00:00:00+07:00)"};
inline constexpr Phrase promotion_ends_label{"program_promotion_ends", "Đến (không gồm thời điểm này)", "Until (not included)"};
inline constexpr Phrase promotion_multiplier_label{"program_promotion_multiplier", "Nhân điểm (x, ví dụ 2)", "Multiplier (x, e.g. 2)"};
inline constexpr Phrase promotion_tier_label{"program_promotion_tier", "Chỉ cho hạng (mã hạng; trống = mọi hạng)",
                                             "Only for a tier (its id; empty = every tier)"};
inline constexpr Phrase promotion_group_label{"program_promotion_group", "Chỉ cho nhóm khách hàng (mã nhóm; trống = mọi người)",
                                              "Only for a customer group (its id; empty = everyone)"};
inline constexpr Phrase promotion_combine_label{"program_promotion_combine", "Với hệ số nhân của hạng", "With the tier's multiplier"};
inline constexpr Phrase promotion_combine_multiply{"program_promotion_combine_multiply", "Nhân với nhau", "Multiply both"};
inline constexpr Phrase promotion_combine_highest{"program_promotion_combine_highest", "Lấy hệ số cao hơn", "The higher one"};
inline constexpr Phrase promotion_add{"program_promotion_add", "+ Thêm khuyến mãi", "+ Add a promotion"};
inline constexpr Phrase promotion_remove{"program_promotion_remove", "Xóa khuyến mãi", "Remove the promotion"};
inline constexpr Phrase diff_promotions{"program_diff_promotions", "Khuyến mãi nhân điểm thay đổi", "The promotions changed"};
inline constexpr Phrase review_heading{"program_review_heading", "Trước khi lưu", "Before saving"};
inline constexpr Phrase diff_heading{"program_diff_heading", "Thay đổi so với phiên bản đang áp dụng",
                                     "Changes from the version in force"};
inline constexpr Phrase diff_tier_added{"program_diff_tier_added", "Thêm hạng {name}: từ {points} điểm phân hạng",
                                        "New tier {name}: from {points} tier points"};
inline constexpr Phrase diff_tier_removed{"program_diff_tier_removed", "Bỏ hạng {name}", "Tier {name} removed"};
inline constexpr Phrase diff_perk_on{"program_diff_perk_on", "{tier}: thêm ưu đãi {perk}", "{tier}: new perk {perk}"};
inline constexpr Phrase diff_perk_off{"program_diff_perk_off", "{tier}: bỏ ưu đãi {perk}", "{tier}: perk removed: {perk}"};
inline constexpr Phrase diff_order{"program_diff_order", "Thứ tự các hạng thay đổi", "The tiers' order changed"};
inline constexpr Phrase yes_word{"word_yes", "có", "yes"};
inline constexpr Phrase no_word{"word_no", "không", "no"};
inline constexpr Phrase diff_none{"program_diff_none", "Chưa có thay đổi.", "No changes yet."};
inline constexpr Phrase rules_heading{"program_rules_heading", "Thể lệ bằng lời (khách hàng sẽ đọc)",
                                      "The rules in plain words (as customers read them)"};
inline constexpr Phrase copy_rules{"program_copy_rules", "Sao chép thể lệ", "Copy the rules"};
inline constexpr Phrase impact_heading{"program_impact_heading", "Số thành viên mỗi hạng: hiện nay → sau khi lưu",
                                       "Members per tier: now → after saving"};
inline constexpr Phrase impact_button{"program_impact_button", "Tính ảnh hưởng", "Work out the impact"};
inline constexpr Phrase impact_moved{"program_impact_moved", "{up} lên hạng, {down} xuống hạng",
                                     "{up} move up, {down} move down"};
inline constexpr Phrase no_tier{"program_no_tier", "Chưa có hạng", "No tier"};
inline constexpr Phrase save_button{"program_save_button", "Lưu thành phiên bản mới", "Save as a new version"};
inline constexpr Phrase discard_button{"program_discard_button", "Bỏ thay đổi", "Discard changes"};
inline constexpr Phrase saved_version{"program_saved_version", "Đã lưu phiên bản {version}.", "Saved version {version}."};
inline constexpr Phrase invalid_summary{"program_invalid_summary", "Còn {count} chỗ cần sửa trước khi lưu.",
                                        "{count} problems to fix before saving."};
inline constexpr Phrase save_not_allowed{"program_save_not_allowed", "Vai trò của bạn chỉ xem được chương trình.",
                                         "Your role can only read the program."};
inline constexpr Phrase export_heading{"program_export_heading", "Xuất / nhập JSON", "Export / import JSON"};
inline constexpr Phrase export_copy{"program_export_copy", "Sao chép JSON", "Copy the JSON"};
inline constexpr Phrase import_button{"program_import_button", "Nhập JSON đã dán", "Import the pasted JSON"};
inline constexpr Phrase export_download{"program_export_download", "Tải xuống tệp", "Download the file"};
inline constexpr Phrase import_file{"program_import_file", "Mở tệp", "Open a file"};
inline constexpr Phrase imported_from{"program_imported_from", "Đã mở {file}: chưa lưu, xem thay đổi ở trên rồi lưu.",
                                      "Opened {file}: not saved yet; check the changes above, then save."};
inline constexpr Phrase import_invalid{"program_import_invalid", "Không nhập được: chương trình đang sửa không đổi.",
                                       "Not imported: the program being edited is unchanged."};
inline constexpr Phrase import_not_json{"program_import_not_json", "Nội dung không phải JSON.", "The content is not JSON."};
inline constexpr Phrase import_not_program{"program_import_not_program",
                                           "JSON phải là một chương trình: một đối tượng {…} như tệp tải xuống.",
                                           "The JSON must be a program: an object {…} like the downloaded file."};
inline constexpr Phrase import_too_large{"program_import_too_large", "Tệp quá lớn (tối đa 1 MiB).", "The file is too large (1 MiB at most)."};
inline constexpr Phrase import_unreadable{"program_import_unreadable", "Không đọc được tệp.", "The file could not be read."};
inline constexpr Phrase versions_heading{"program_versions_heading", "Phiên bản", "Versions"};
inline constexpr Phrase version_line{"program_version_line", "Phiên bản {version} · áp dụng từ {date}",
                                     "Version {version} · in force from {date}"};
inline constexpr Phrase version_open{"program_version_open", "Xem", "Open"};
inline constexpr Phrase version_read_only{"program_version_read_only", "Phiên bản {version} (chỉ xem)",
                                          "Version {version} (read-only)"};
inline constexpr Phrase leave_heading{"leave_heading", "Rời trang khi chưa lưu?", "Leave without saving?"};
inline constexpr Phrase leave_body{"leave_body", "Chương trình có thay đổi chưa lưu. Rời đi sẽ bỏ các thay đổi này.",
                                   "The program has unsaved changes. Leaving discards them."};
inline constexpr Phrase leave_yes{"leave_yes", "Bỏ thay đổi và rời đi", "Discard and leave"};
inline constexpr Phrase leave_no{"leave_no", "Ở lại", "Stay"};
// The offline demo's controls
inline constexpr Phrase demo_reset{"demo_reset_button", "Đặt lại dữ liệu demo", "Reset the demo"};
inline constexpr Phrase demo_changes{"demo_changes_kept", "{count} thay đổi của bạn được giữ trên trình duyệt này",
                                     "{count} of your changes are kept in this browser"};
}  // namespace phrases

// [SECTION] Widgets the two screens share -------------------------------------------------------
// The phrase at the cursor, recorded under its id.
void say_label(Ui& ui, const Phrase& phrase, ImFont* font, ImU32 color, bool wrapped = false);
// A button with the phrase; recorded so a test can click it. `enabled` false draws it dimmed.
bool say_button(Ui& ui, const Phrase& phrase, bool primary = false, bool enabled = true,
                std::string_view id_suffix = {});
// The ring around the text input just drawn while it has the keyboard (red with a problem).
void draw_focus_ring(bool has_problem);
// A labelled one-line input, recorded under `id`; `problem` (if any) is drawn under it in red.
bool labelled_input(Ui& ui, std::string_view id, const Phrase& label, std::string& text, float width,
                    const std::string* problem = nullptr, bool read_only = false);
// A refusal, in red, with the server's or the core's own words.
void draw_problem(Ui& ui, std::string_view id, std::string_view message);
// The text without blanks around it ("  an " -> "an"): what staff meant to type.
std::string trimmed(std::string_view text);
// A reply's message for one field, when it names it.
std::string field_problem(const Ui& ui, const BackendReply& reply, std::string_view field);

// Formatting as the core writes it: "1.000.000 ₫", "1.500", dates "dd/MM/yyyy" (Vietnam time).
std::string format_date(std::string_view iso_time);
std::string points_text(std::int64_t points, const Ui& ui);
std::string money_text(std::int64_t amount_vnd, const Ui& ui);
std::string fill(std::string_view pattern, std::initializer_list<std::pair<std::string_view, std::string>> values);

}  // namespace loyalty::console
