// results.hpp: result codes, read as sentences, with messages in Vietnamese and English.
//
// Expected failures are results, never exceptions: a command checks everything first and
// returns the first code that applies (codes are listed roughly in order of precedence);
// a refused command changes nothing. Field errors carry the JSON path of the field.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loyalty {

#define LOYALTY_RESULT_CODES(X)                                                                                   \
  X(ok, "Thành công.", "Done.")                                                                                  \
  X(already_applied, "Lệnh này đã được áp dụng trước đó; không thay đổi gì.", "This command was already applied; nothing changed.") \
  X(malformed_json, "Dòng lệnh không phải JSON hợp lệ.", "The line is not valid JSON.")                          \
  X(unknown_command, "Không có lệnh này.", "There is no such command.")                                          \
  X(invalid_field, "Có trường không hợp lệ.", "A field is invalid.")                                             \
  X(program_invalid, "Cấu hình chương trình không hợp lệ; không có gì được lưu.", "The program configuration is invalid; nothing was saved.") \
  X(program_not_set, "Cửa hàng chưa có cấu hình chương trình tại thời điểm này.", "The store has no program configuration at that time.") \
  X(program_time_before_latest, "Thời điểm của cấu hình mới sớm hơn phiên bản mới nhất.", "The new configuration's time is earlier than the latest version.") \
  X(member_exists, "Mã thành viên đã tồn tại.", "A member with this id already exists.")                         \
  X(phone_taken, "Số điện thoại đã thuộc về thành viên khác.", "This phone number belongs to another member.")   \
  X(member_not_found, "Không tìm thấy thành viên.", "No such member.")                                            \
  X(member_blocked, "Thẻ thành viên đang bị khóa.", "The member's card is blocked.")                                 \
  X(referrer_not_found, "Không tìm thấy người giới thiệu.", "No such referrer.")                                  \
  X(self_referral, "Thành viên không thể tự giới thiệu chính mình.", "A member cannot refer themselves.")          \
  X(referral_cycle, "Giới thiệu này tạo thành vòng lặp.", "This referral would make a cycle.")                   \
  X(referrer_already_set, "Thành viên đã có người giới thiệu.", "The member already has a referrer.")             \
  X(order_member_mismatch, "Đơn hàng này thuộc về thành viên khác.", "This order belongs to another member.")     \
  X(order_amount_mismatch, "Số tiền khác với số tiền đã ghi nhận của đơn hàng.", "The amount differs from the order's recorded amount.") \
  X(order_not_found, "Không tìm thấy đơn hàng.", "No such order.")                                               \
  X(order_already_completed, "Đơn hàng đã hoàn thành; hãy hoàn tiền thay vì hủy.", "The order is already completed; refund it instead of cancelling.") \
  X(order_already_cancelled, "Đơn hàng đã bị hủy.", "The order was cancelled.")                                  \
  X(order_already_refunded, "Đơn hàng đã được hoàn tiền toàn bộ.", "The order was refunded in full.")            \
  X(order_not_completed, "Đơn hàng chưa hoàn thành nên chưa thể hoàn tiền.", "The order is not completed, so it cannot be refunded.") \
  X(refund_exceeds_order, "Số tiền hoàn vượt quá số tiền còn lại của đơn hàng.", "The refund exceeds what is left of the order.") \
  X(refund_conflict, "Mã hoàn tiền đã được dùng với nội dung khác.", "This refund id was used with different details.") \
  X(idempotency_key_conflict, "Khóa chống trùng lặp đã được dùng với nội dung khác.", "This idempotency key was used with different details.") \
  X(pool_exhausted, "Quỹ điểm của cửa hàng không đủ.", "The store's point pool is too small for this.")          \
  X(amount_too_large, "Số quá lớn để tính chính xác.", "The number is too large to compute exactly.")                   \
  X(insufficient_points, "Số điểm khả dụng không đủ (điểm đang chờ không dùng được).", "Not enough available points (pending points cannot be used).") \
  X(points_share_exceeded, "Số điểm vượt quá phần tối đa của đơn hàng được trả bằng điểm.", "The points exceed the largest share of the order that points may pay.") \
  X(hold_not_found, "Không tìm thấy lượt giữ điểm.", "No such points hold.")                                      \
  X(hold_not_active, "Lượt giữ điểm không còn hiệu lực (đã dùng, đã trả lại hoặc hết hạn).", "The points hold is no longer active (captured, released or timed out).") \
  X(hold_already_captured, "Điểm đã được dùng cho đơn hàng; hãy hoàn tiền đơn hàng.", "The held points were used for an order; refund the order instead.") \
  X(hold_member_mismatch, "Lượt giữ điểm thuộc về thành viên khác.", "The points hold belongs to another member.")     \
  X(transfers_disabled, "Chương trình không cho phép chuyển điểm.", "The program does not allow transfers.")        \
  X(transfer_limit_reached, "Vượt hạn mức chuyển điểm trong ngày.", "The daily transfer limit is reached.")          \
  X(nothing_pending, "Đơn hàng không có điểm đang chờ.", "The order has no pending points.")                     \
  X(too_many_buckets, "Khoảng thời gian có quá 400 mốc; hãy chọn mốc dài hơn hoặc khoảng ngắn hơn.", "The period has more than 400 buckets; choose a longer bucket or a shorter period.") \
  X(group_not_found, "Không tìm thấy nhóm khách hàng.", "No such customer group.")                                \
  X(group_not_static, "Chỉ nhóm tĩnh mới thêm, bớt hoặc nhập danh sách thành viên.", "Only a static group takes members added, removed or imported.") \
  X(group_in_use, "Bộ lọc của nhóm khác, một chương trình voucher chưa kết thúc hoặc một thông báo chưa gửi đang dùng nhóm này; hãy sửa chúng trước.", "Another group's filter, a voucher campaign not yet ended or a notification not yet sending uses this group; change them first.") \
  X(group_cycle, "Nhóm này sẽ chứa chính nó (qua các nhóm khác).", "This group would contain itself (through other groups).") \
  X(group_limit_reached, "Cửa hàng đã có số nhóm tối đa (1.000).", "The store has the largest number of groups (1,000).") \
  X(campaign_not_found, "Không tìm thấy chương trình voucher.", "No such voucher campaign.")                      \
  X(campaign_status_not_allowed, "Không thể chuyển chương trình sang trạng thái này.", "The campaign cannot move to this status.") \
  X(campaign_not_published, "Chương trình voucher chưa được công bố.", "The voucher campaign is not published yet.") \
  X(campaign_paused, "Chương trình voucher đang tạm dừng.", "The voucher campaign is paused.")                    \
  X(campaign_ended, "Chương trình voucher đã kết thúc.", "The voucher campaign has ended.")                      \
  X(campaign_not_started, "Chương trình voucher chưa bắt đầu.", "The voucher campaign has not started yet.")      \
  X(campaign_expired, "Chương trình voucher đã hết hạn.", "The voucher campaign's end time has passed.")          \
  X(campaign_not_for_member, "Chương trình voucher này không dành cho thành viên này.", "This voucher campaign is not for this member.") \
  X(campaign_sold_out, "Chương trình voucher đã hết mã.", "The voucher campaign has no codes left.")               \
  X(claim_limit_reached, "Thành viên đã nhận đủ số mã cho phép của chương trình.", "The member has claimed as many codes as the campaign allows.") \
  X(campaign_budget_exhausted, "Ngân sách của chương trình voucher không đủ.", "The voucher campaign's budget is used up.") \
  X(voucher_claim_not_found, "Không tìm thấy lượt nhận mã.", "No such voucher claim.")                           \
  X(voucher_code_not_found, "Không tìm thấy mã voucher.", "No such voucher code.")                              \
  X(voucher_code_mistyped, "Mã voucher bị gõ sai (ký tự kiểm tra không khớp).", "The voucher code is mistyped (its check character does not match).") \
  X(voucher_code_not_for_member, "Mã voucher thuộc về thành viên khác.", "The voucher code belongs to another member.") \
  X(voucher_code_void, "Mã voucher đã bị hủy.", "The voucher code was cancelled.")                              \
  X(voucher_code_used, "Mã voucher đã được dùng.", "The voucher code was already used.")                        \
  X(order_below_minimum, "Đơn hàng chưa đạt giá trị tối thiểu của voucher.", "The order does not reach the voucher's minimum.") \
  X(voucher_discount_mismatch, "Số tiền giảm khác với mức giảm của mã voucher.", "The discount differs from the voucher code's discount.") \
  X(notification_not_found, "Không tìm thấy thông báo.", "No such notification.")                                \
  X(notification_status_not_allowed, "Không thể làm việc này với thông báo ở trạng thái hiện tại.", "The notification cannot do this in its current status.") \
  X(notification_limit_reached, "Cửa hàng đã có số thông báo hoặc kịch bản tối đa.", "The store has the largest number of notifications or scenarios.") \
  X(scenario_not_found, "Không tìm thấy kịch bản.", "No such scenario.")                                          \
  X(delivery_not_found, "Không tìm thấy lượt gửi này.", "No such delivery.")                                     \
  X(delivery_not_due, "Lượt gửi này chưa đến giờ gửi.", "This delivery is not due yet.")                         \
  X(delivery_not_sent, "Lượt gửi này chưa được gửi đi.", "This delivery has not been sent.")                    \
  X(delivery_already_sent, "Lượt gửi này đã được gửi đi; không thể báo lỗi.", "This delivery was already sent; it cannot fail now.")

enum class ResultCode : std::uint8_t {
#define LOYALTY_RESULT_ENUM(name, vi, en) name,
  LOYALTY_RESULT_CODES(LOYALTY_RESULT_ENUM)
#undef LOYALTY_RESULT_ENUM
};

std::string_view result_code_name(ResultCode code);    // "member_not_found"
std::string_view result_message_vi(ResultCode code);
std::string_view result_message_en(ResultCode code);

struct FieldError {
  std::string path;        // JSON path of the field: "tiers[2].tier_points_needed"
  std::string message_vi;
  std::string message_en;
};

struct Result {
  ResultCode code = ResultCode::ok;
  std::vector<FieldError> errors;   // for invalid_field and program_invalid: every problem found

  bool ok() const { return code == ResultCode::ok || code == ResultCode::already_applied; }
  static Result success() { return {}; }
  static Result failure(ResultCode code) { return Result{code, {}}; }
  static Result field(std::string path, std::string message_vi, std::string message_en) {
    return Result{ResultCode::invalid_field, {FieldError{std::move(path), std::move(message_vi), std::move(message_en)}}};
  }
};

}  // namespace loyalty
