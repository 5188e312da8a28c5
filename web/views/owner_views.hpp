// owner_views.hpp: the store owner's screens: the audit log, staff accounts and API keys,
// and the store chooser of a staff member with several stores.
//
// [SECTION] The audit log
// [SECTION] Staff accounts
// [SECTION] API keys
// [SECTION] The store chooser
//
// Like every view they hold UI state only and ask the Backend; the server decides who may
// (owners), and offline the backend refuses them with `needs_store_server`, which the
// screens say in its own words.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backend/backend.hpp"
#include "core/basics/time.hpp"
#include "ui.hpp"
#include "views/staff_text.hpp"

namespace loyalty::console {

// [SECTION] The audit log ----------------------------------------------------------------------
struct AuditLogRow {
  std::string when;      // "01/12/2026 19:05", in the store's zone
  std::string who;       // "chu@demo.vn", "Khóa API pos-1"
  std::string what;      // "points.adjusted · member:KH00001"
  std::string reason;    // the request's reason, "" when it had none
};
struct AuditLogView {
  void draw(Ui& ui, Backend& backend);
  std::uint64_t data_generation = UINT64_MAX;   // asked again after any accepted write
  Ticket page_ticket = 0;
  Json entries = Json::array();                 // as the server sent them, oldest first
  std::optional<BackendReply> refusal;
  Ticket zone_ticket = 0;                       // the program's time zone
  std::optional<TimeZone> zone;
  int page = 0;                                 // 0: the newest entries
};

// [SECTION] Staff accounts -----------------------------------------------------------------------
struct StaffAccountsView {
  void draw(Ui& ui, Backend& backend, std::string_view signed_in_email);
  std::uint64_t data_generation = UINT64_MAX;
  Ticket list_ticket = 0;
  Json staff = Json::array();
  std::optional<BackendReply> refusal;
  // The new account's form.
  std::string email, name, password;
  int role_index = 2;                           // support: the role most often added
  Ticket add_ticket = 0;
  std::optional<BackendReply> add_reply;
  std::string added_email;
  // A role change or a removal, one at a time.
  Ticket change_ticket = 0;
  std::optional<BackendReply> change_reply;
  std::int64_t removing_staff_id = 0;           // asked "disable?" for this account
};

// [SECTION] API keys ----------------------------------------------------------------------------------
struct ApiKeysView {
  void draw(Ui& ui, Backend& backend);
  std::uint64_t data_generation = UINT64_MAX;
  Ticket list_ticket = 0;
  Json keys = Json::array();
  std::optional<BackendReply> refusal;
  std::string name;
  bool scope_orders = true, scope_holds = false, scope_lookups = true, scope_vouchers = false;
  Ticket create_ticket = 0;
  std::optional<BackendReply> create_reply;
  std::string secret;                           // the new key: shown until dismissed, never again
  bool copied = false;
  Ticket revoke_ticket = 0;
  std::optional<BackendReply> revoke_reply;
  std::int64_t revoking_key_id = 0;
};

// A question before a change that cannot be undone ("Disable …?", "Revoke …?"): the
// sentence, the button `yes` (recorded as "<yes.id>_confirm") and Cancel. Returns true for
// yes; `asked_id` goes back to 0 on either answer.
bool draw_confirm_question(Ui& ui, std::string_view question_id, const std::string& question, const Phrase& yes,
                           bool enabled, std::int64_t& asked_id);

// [SECTION] The store chooser ------------------------------------------------------------------------
// After sign-in, when the account works in several stores; the chosen store's id, or "".
std::string draw_store_chooser(Ui& ui, const std::vector<StoreAccess>& stores);

}  // namespace loyalty::console
