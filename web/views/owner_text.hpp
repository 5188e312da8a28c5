// owner_text.hpp: the words of the owner's screens (audit log, staff, API keys) and of the
// store chooser, in Vietnamese and English; ids are what the browser tests find.
#pragma once
#include "views/staff_text.hpp"

namespace loyalty::console::phrases {

// Shared by the three screens
inline constexpr Phrase owner_not_allowed{"owner_not_allowed", "Chỉ chủ cửa hàng xem được mục này.",
                                          "Only the store's owner can see this."};
inline constexpr Phrase refresh{"owner_refresh", "Tải lại", "Refresh"};
// The audit log
inline constexpr Phrase audit_column_when{"audit_column_when", "Thời điểm", "When"};
inline constexpr Phrase audit_column_who{"audit_column_who", "Người thực hiện", "Who"};
inline constexpr Phrase audit_column_what{"audit_column_what", "Thao tác", "What"};
inline constexpr Phrase audit_column_reason{"audit_column_reason", "Lý do", "Reason"};
inline constexpr Phrase audit_empty{"audit_empty", "Nhật ký chưa có mục nào.", "The log has no entries yet."};
inline constexpr Phrase audit_page{"audit_page", "Trang {page}/{pages} · {count} mục, mới nhất trước",
                                   "Page {page} of {pages} · {count} entries, newest first"};
inline constexpr Phrase audit_newer{"audit_newer", "‹ Mới hơn", "‹ Newer"};
inline constexpr Phrase audit_older{"audit_older", "Cũ hơn ›", "Older ›"};
inline constexpr Phrase audit_key_actor{"audit_key_actor", "Khóa API {name}", "API key {name}"};
// Staff accounts
inline constexpr Phrase staff_column_name{"staff_column_name", "Họ tên", "Name"};
inline constexpr Phrase staff_column_email{"staff_column_email", "Email", "Email"};
inline constexpr Phrase staff_column_role{"staff_column_role", "Vai trò", "Role"};
inline constexpr Phrase staff_add_heading{"staff_add_heading", "Thêm nhân viên", "Add a staff member"};
inline constexpr Phrase staff_email_label{"staff_email_label", "Email đăng nhập", "Sign-in email"};
inline constexpr Phrase staff_name_label{"staff_name_label", "Họ tên", "Name"};
inline constexpr Phrase staff_password_label{"staff_password_label", "Mật khẩu ban đầu (ít nhất 12 ký tự)",
                                             "First password (at least 12 characters)"};
inline constexpr Phrase staff_role_label{"staff_role_label", "Vai trò", "Role"};
inline constexpr Phrase staff_add_button{"staff_add_button", "Thêm nhân viên", "Add"};
inline constexpr Phrase staff_added{"staff_added", "Đã thêm {email}. Hãy đưa cho họ mật khẩu ban đầu.",
                                    "{email} added. Give them the first password."};
inline constexpr Phrase staff_remove{"staff_remove", "Tắt quyền", "Disable"};
inline constexpr Phrase staff_remove_question{"staff_remove_question", "Tắt quyền vào cửa hàng của {email}?",
                                              "Take away {email}'s access to the store?"};
inline constexpr Phrase staff_remove_yes{"staff_remove_yes", "Tắt quyền", "Disable"};
inline constexpr Phrase staff_you{"staff_you", "(bạn)", "(you)"};
inline constexpr Phrase cancel{"owner_cancel", "Thôi", "Cancel"};
// API keys
inline constexpr Phrase keys_column_name{"keys_column_name", "Tên", "Name"};
inline constexpr Phrase keys_column_prefix{"keys_column_prefix", "Mã đầu", "Prefix"};
inline constexpr Phrase keys_column_scopes{"keys_column_scopes", "Phạm vi", "Scopes"};
inline constexpr Phrase keys_column_state{"keys_column_state", "Trạng thái", "State"};
inline constexpr Phrase keys_active{"keys_active", "Đang dùng", "Active"};
inline constexpr Phrase keys_revoked{"keys_revoked", "Đã thu hồi {date}", "Revoked {date}"};
inline constexpr Phrase keys_create_heading{"keys_create_heading", "Tạo khóa API", "Create an API key"};
inline constexpr Phrase keys_name_label{"keys_name_label", "Tên (ví dụ: Máy POS quầy 1)", "Name (e.g. Till 1)"};
inline constexpr Phrase keys_scope_orders{"keys_scope_orders", "orders: đơn hàng và hoàn tiền", "orders: orders and refunds"};
inline constexpr Phrase keys_scope_holds{"keys_scope_holds", "holds: giữ và trừ điểm khi thanh toán",
                                         "holds: hold and spend points at checkout"};
inline constexpr Phrase keys_scope_lookups{"keys_scope_lookups", "lookups: tra thành viên theo thẻ hoặc điện thoại",
                                           "lookups: find a member by card or phone"};
inline constexpr Phrase keys_scope_vouchers{"keys_scope_vouchers", "vouchers: nhận và kiểm tra voucher",
                                            "vouchers: claim and check vouchers"};
inline constexpr Phrase keys_create_button{"keys_create_button", "Tạo khóa", "Create the key"};
inline constexpr Phrase keys_secret_heading{"keys_secret_heading", "Khóa mới: chỉ hiện một lần. Hãy sao chép ngay.",
                                            "The new key: shown only once. Copy it now."};
inline constexpr Phrase keys_copy{"keys_copy", "Sao chép khóa", "Copy the key"};
inline constexpr Phrase keys_copied{"keys_copied", "Đã sao chép.", "Copied."};
inline constexpr Phrase keys_secret_done{"keys_secret_done", "Đã lưu khóa, ẩn đi", "Saved it, hide it"};
inline constexpr Phrase keys_revoke{"keys_revoke", "Thu hồi", "Revoke"};
inline constexpr Phrase keys_revoke_question{"keys_revoke_question", "Thu hồi khóa {name}? Máy dùng khóa này sẽ bị từ chối ngay.",
                                             "Revoke the key {name}? Whatever uses it is refused at once."};
inline constexpr Phrase keys_none{"keys_none", "Chưa có khóa API.", "No API keys yet."};
// The store chooser
inline constexpr Phrase stores_heading{"stores_heading", "Chọn cửa hàng", "Choose a store"};
inline constexpr Phrase stores_body{"stores_body", "Tài khoản của bạn làm việc ở nhiều cửa hàng. Hôm nay bạn làm ở cửa hàng nào?",
                                    "Your account works in several stores. Which one now?"};
inline constexpr Phrase stores_switch{"stores_switch", "Đổi cửa hàng", "Switch store"};
inline constexpr Phrase banner_choose_store{"banner_choose_store", "Đã kết nối · {email} · Hãy chọn cửa hàng để làm việc",
                                            "Connected · {email} · Choose the store to work on"};
// What an audit entry records, for people (the server's action names: server/http/*_routes.cpp).
inline constexpr Phrase audit_points_adjusted{"points.adjusted", "Điều chỉnh điểm", "Points adjusted"};
inline constexpr Phrase audit_pending_released{"pending.released", "Cho dùng điểm chờ", "Pending points released"};
inline constexpr Phrase audit_pending_cancelled{"pending.cancelled", "Hủy điểm chờ", "Pending points cancelled"};
inline constexpr Phrase audit_member_updated{"member.updated", "Sửa thông tin thành viên", "Member details changed"};
inline constexpr Phrase audit_member_blocked{"member.blocked", "Khóa thành viên", "Member blocked"};
inline constexpr Phrase audit_member_unblocked{"member.unblocked", "Mở khóa thành viên", "Member unblocked"};
inline constexpr Phrase audit_tier_assigned{"tier.assigned", "Gán hạng", "Tier assigned"};
inline constexpr Phrase audit_program_saved{"program.saved", "Lưu chương trình", "Program saved"};
inline constexpr Phrase audit_staff_created{"staff.created", "Thêm nhân viên", "Staff member added"};
inline constexpr Phrase audit_staff_role_changed{"staff.role_changed", "Đổi vai trò nhân viên", "Staff role changed"};
inline constexpr Phrase audit_staff_removed{"staff.removed", "Tắt quyền nhân viên", "Staff access removed"};
inline constexpr Phrase audit_api_key_created{"api_key.created", "Tạo khóa API", "API key created"};
inline constexpr Phrase audit_api_key_revoked{"api_key.revoked", "Thu hồi khóa API", "API key revoked"};

}  // namespace loyalty::console::phrases
