// backend.hpp: the one data path of the console's screens.
//
// [SECTION] Replies
// [SECTION] What a screen may do (the role)
// [SECTION] Backend
// [SECTION] Choosing the backend
//
// Views ask a Backend for what they show and for the changes staff make; they never know
// whether the answer comes from the store's server (api_backend.cpp, connected mode) or
// from the core running in the page on the demo store (local_backend.cpp, offline). Both
// answer with the core's own JSON (docs/commands.md): a read's `data`, a write's whole
// result, a refusal's code, message and fields. The server's few reshapings (cursor
// paging of the ledger) are undone by the API client, so a view reads one shape.
//
// Everything is asynchronous, as HTTP in a browser is: a call returns a ticket, and the
// view asks each frame whether its reply has come (take). The local backend answers on the
// next poll, so views are written once for both.
#pragma once
#include <utility>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connection.hpp"
#include "core/basics/json_fields.hpp"

namespace loyalty::console {

// Reading the core's JSON: a text or an integer field; "" or 0 when absent or of another type.
std::string json_text(const Json& object, const char* key);
std::int64_t json_integer(const Json& object, const char* key);

// [SECTION] Replies ------------------------------------------------------------------------
enum class ReplyOutcome : std::uint8_t {
  ok,          // the core accepted it (`ok`, or `already_applied` for a retried write)
  refused,     // the core or the server said no: `code`, `message`, `fields`
  no_answer,   // the server did not answer (network, timeout): nothing is known
};
struct BackendReply {
  ReplyOutcome outcome = ReplyOutcome::no_answer;
  std::string code;                    // "ok", "member_not_found", "forbidden", ...
  Message message;                     // the refusal as a sentence, both languages
  std::vector<ApiError::Field> fields; // the fields it names ("reason", "wallet.rounding")
  Json data;                           // a read's `data`; a write's whole result
  bool session_ended = false;          // 401: the staff session is over (sign in again)
  bool ok() const { return outcome == ReplyOutcome::ok; }
  const ApiError::Field* field(std::string_view name) const;
};

// [SECTION] What a screen may do -------------------------------------------------------------
// From the staff member's role (README, "Staff, roles and API keys"); offline, the demo
// user is the store's owner. Screens hide what the role cannot do, and the server refuses
// it anyway.
struct Permissions {
  bool read_members = false;      // search, profile, history, explain
  bool write_members = false;     // edit details, block, unblock
  bool adjust_points = false;     // adjustments, release or cancel pending points
  bool read_liability = false;    // the accountant's view
  bool write_program = false;     // save a program version
  bool read_insights = false;     // the impact preview
  bool read_audit_log = false;    // owners: who did what, when, why
  bool manage_staff = false;      // owners: staff accounts and their roles
  bool manage_api_keys = false;   // owners: the tills' and partners' keys
};
Permissions permissions_for_role(std::string_view role);   // "owner", "marketing", "support"

// [SECTION] Backend ----------------------------------------------------------------------------
using Ticket = std::uint32_t;   // 0 is never a ticket

enum class BackendKind : std::uint8_t { store_server, in_page_demo };

class Backend {
 public:
  virtual ~Backend() = default;

  // Each frame: takes the server's answers, or runs what the page was asked.
  virtual void poll() = 0;
  // The reply to `ticket` once it has come (and then forgotten); nullopt while on its way.
  std::optional<BackendReply> take(Ticket ticket);
  bool waiting(Ticket ticket) const;   // asked and not yet taken
  // Replies came since the last call: the console, which draws only when something
  // changed, draws once more so that the views take them.
  bool take_replies_came() { return std::exchange(replies_came_, false); }

  virtual BackendKind kind() const = 0;     // for the banner only: views never ask
  virtual const Permissions& permissions() const = 0;
  virtual std::string_view actor() const = 0;   // who the changes are recorded as
  // Ready for calls (the demo store is loaded); calls made before are answered once it is.
  virtual bool ready() const = 0;
  // A reply said the staff session is over (401): the app returns to sign-in.
  bool session_ended() const { return session_ended_; }
  // Bumped by every accepted write: screens showing data ask again when it changes.
  std::uint64_t data_generation() const { return data_generation_; }

  // Members (support staff).
  Ticket search_members(std::string_view query, int limit);
  Ticket lookup_member(std::string_view card_or_phone);   // digits of a card, or a phone
  Ticket get_member(std::string_view member_id);
  // Newest first; `before_transaction` 0: the newest page. data: transactions, more.
  Ticket ledger_history(std::string_view member_id, int limit, std::uint32_t before_transaction);
  Ticket explain_balance(std::string_view member_id);      // lot by lot
  Ticket update_member(std::string_view member_id, const Json& changes);   // name, phone, email
  Ticket set_member_blocked(std::string_view member_id, bool blocked);
  Ticket adjust_points(std::string_view member_id, std::int64_t points, std::string_view reason,
                       std::string_view idempotency_key);
  Ticket release_pending(std::string_view order_id, std::string_view reason);
  Ticket cancel_pending(std::string_view order_id, std::string_view reason);
  Ticket liability();

  // The program (store owners).
  Ticket get_program();
  Ticket program_versions();                          // data: versions [{version, effective_from, program}]
  Ticket save_program(const Json& program);
  Ticket program_impact(const Json& program);         // members per tier now and after

  // The store's accounts (owners; the store's server only: offline they are refused with
  // `needs_store_server`). Their data is the server's own answer (server/openapi.json).
  // `after_cursor` "" is the oldest page; data: entries (oldest first), has_more, next_cursor.
  Ticket audit_log(std::string_view after_cursor);
  Ticket staff_accounts();                            // data: staff [{id, email, name, role, disabled}]
  Ticket add_staff(std::string_view email, std::string_view name, std::string_view role,
                   std::string_view password);
  Ticket change_staff_role(std::int64_t staff_id, std::string_view role);
  Ticket remove_staff(std::int64_t staff_id);         // the account stays; its role here goes
  Ticket api_keys();                                  // data: api_keys [{id, name, key_prefix, scopes, ...}]
  // data: api_key, and key: the secret, shown once.
  Ticket create_api_key(std::string_view name, const std::vector<std::string>& scopes);
  Ticket revoke_api_key(std::int64_t key_id);

 protected:
  // One call of the list above, as the core's command (its name and fields, without time
  // or actor, which the backend sets); `route` says which server route serves it.
  enum class Route : std::uint8_t {
    search_members, lookup_member, get_member, ledger_history, explain_balance, update_member,
    block_member, unblock_member, adjust_points, release_pending, cancel_pending, liability,
    get_program, program_versions, save_program, program_impact,
    // The store's accounts: served by the store's server alone.
    audit_log, staff_accounts, add_staff, change_staff_role, remove_staff, api_keys, create_api_key,
    revoke_api_key,
  };
  static bool is_account_route(Route route) { return route >= Route::audit_log; }
  struct Call {
    Route route;
    Json command;    // {"command": "search_members", "query": "..."}
  };
  virtual Ticket start(Call call) = 0;
  // Tickets are numbered across every backend of the page, so that a view still holding
  // one of a backend that ended (signed out, session over) never takes another's reply.
  Ticket next_ticket() {
    static Ticket last_ticket = 0;
    asked_.push_back(++last_ticket);
    return last_ticket;
  }
  // An accepted write bumps data_generation: screens that show data ask again.
  void answer(Ticket ticket, BackendReply reply, bool was_write);
  void data_changed() { ++data_generation_; }
  // A core result line as a reply: reads keep their data, writes their whole result.
  static BackendReply reply_from_core_result(const Json& result, bool is_write);

 private:
  struct Answered {
    Ticket ticket;
    BackendReply reply;
  };
  std::vector<Answered> answered_;
  std::vector<Ticket> asked_;
  std::uint64_t data_generation_ = 0;
  bool replies_came_ = false;
  bool session_ended_ = false;
};

// [SECTION] Choosing the backend -------------------------------------------------------------------
// Connected: the store's routes with the session's CSRF token (the cookie is HttpOnly).
std::unique_ptr<Backend> make_api_backend(const StoreAccess& store, const StaffSession& session);
// Offline: the demo store in the page, with the user's changes replayed from the browser.
std::unique_ptr<Backend> make_local_backend(UtcSeconds now);

// A key for one correction ("ADJ-<time>-<n>"): a retry of the same request reuses it.
std::string new_idempotency_key(std::string_view prefix, UtcSeconds now, std::uint32_t sequence);

}  // namespace loyalty::console
