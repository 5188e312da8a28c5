// member_views.hpp: the screens of support staff: members, a member's profile, liability.
//
// [SECTION] Rows of the results table
// [SECTION] The profile of one member
// [SECTION] The members screen
//
// Each view holds UI state only (what is typed, which member is open, the tickets of the
// questions it asked) and asks the Backend for everything it shows: the same code runs on
// the store's server and on the in-page demo store.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backend/backend.hpp"
#include "views/staff_text.hpp"

namespace loyalty::console {

struct ViewRequest;

// [SECTION] Rows of the results table ------------------------------------------------------------
struct MemberRow {
  std::string member_id;
  std::string name;
  std::string phone;
  std::string card_number;
  std::string tier_name;     // "" when below every tier
  std::int64_t points = 0;   // spendable
};
std::vector<MemberRow> member_rows_from(const Json& search_data);   // search_members' data

// The results table: every row through ImGuiListClipper, so 100,000 rows cost what the
// visible ones cost. Returns the index of the row clicked, if any. `height` is the table's.
std::optional<std::size_t> draw_member_table(Ui& ui, const std::vector<MemberRow>& rows, float height);

// [SECTION] The profile of one member -------------------------------------------------------------
// A confirmation step before a change: what will happen, in words, and Confirm / Go back.
struct PendingConfirmation {
  enum class Action : std::uint8_t { adjust, release, cancel, block, unblock };
  Action action = Action::adjust;
  std::string summary;       // the sentence shown
  std::string order_id;      // release / cancel
  std::int64_t points = 0;   // adjust
  std::string reason;
};

struct MemberProfileView {
  // Draws the member `member_id`; asks again when the backend's data changed.
  void draw(Ui& ui, Backend& backend, const std::string& member_id);
  void forget();             // another member is opened

  std::string shown_member_id;
  std::uint64_t data_generation = UINT64_MAX;
  Ticket profile_ticket = 0;
  Json profile;              // get_member's data
  std::optional<BackendReply> profile_refusal;
  // History, newest first, page by page.
  Ticket history_ticket = 0;
  std::vector<Json> history;
  bool history_more = false;
  // "Why this balance?"
  bool explain_open = false;
  Ticket explain_ticket = 0;
  Json explanation;
  std::optional<BackendReply> explain_refusal;
  // Details being edited (filled from the profile when it comes).
  std::string name, phone, email;
  std::string birthday;            // "14/02/1990" or "14/02"
  Ticket details_ticket = 0;
  std::optional<BackendReply> details_reply;
  // Adjustment and pending actions, with their reason.
  std::string adjust_points_text;
  std::string reason;
  std::string reason_problem;
  std::string points_problem;
  std::string idempotency_key;     // one per correction: a retried request reuses it
  std::uint32_t key_sequence = 0;
  std::optional<PendingConfirmation> confirmation;
  Ticket action_ticket = 0;
  PendingConfirmation::Action action_kind = PendingConfirmation::Action::adjust;   // what action_reply answers
  std::optional<BackendReply> action_reply;
};

// [SECTION] The members screen ------------------------------------------------------------------------
struct LiabilityView {
  void draw(Ui& ui, Backend& backend);
  Ticket ticket = 0;
  std::uint64_t data_generation = UINT64_MAX;
  Json liability;
  std::optional<BackendReply> refusal;
};

struct MembersView {
  ViewRequest draw(Ui& ui, Backend* backend);
  // Opens a member's profile (a link, the till, a click in the results).
  void open_member(std::string member_id);

  bool liability_tab = false;
  std::string query;                 // as typed
  std::string asked_query;           // the query of the last search sent
  Ticket search_ticket = 0;
  std::uint64_t search_generation = UINT64_MAX;
  std::vector<MemberRow> rows;
  std::optional<BackendReply> search_refusal;
  std::string till_text;
  Ticket lookup_ticket = 0;
  std::optional<BackendReply> lookup_refusal;
  std::string open_member_id;        // empty: the search
  MemberProfileView profile;
  LiabilityView liability;
};

}  // namespace loyalty::console
