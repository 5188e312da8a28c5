// store.hpp: one store's whole loyalty state, and the commands that change it.
//
// [SECTION] Members
// [SECTION] Orders
// [SECTION] Events
// [SECTION] Commands
// [SECTION] Store
//
// Pure and deterministic: no I/O, no system clock. The store keeps its own clock, the
// latest time a write has told it, which only moves forward (docs/commands.md, "the
// store's clock"): a write dated later first processes what fell due up to its time; a
// write dated earlier (a late event) is applied at the clock and never undoes what fell
// due. Every command checks everything before it changes anything ("after this point the
// command must succeed"), so a refused command changes nothing but the clock. Reads are
// const. The same commands in the same order give the same state, natively and in wasm:
// that is how a host rebuilds a store from its journal.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/campaigns/campaigns.hpp"
#include "core/program/earning.hpp"
#include "core/basics/key_index.hpp"
#include "core/groups/groups.hpp"
#include "core/ledger/ledger.hpp"
#include "core/members/member_search.hpp"
#include "core/notifications/notifications.hpp"
#include "core/program/program_config.hpp"
#include "core/basics/results.hpp"

namespace loyalty {

// [SECTION] Members -------------------------------------------------------------------------
struct Birthday {
  std::int32_t day = 0;    // 0: unknown
  std::int32_t month = 0;
  std::int32_t year = 0;   // 0: the member did not say
  bool known() const { return day != 0; }
  friend bool operator==(const Birthday&, const Birthday&) = default;
};

enum class MemberStatus : std::uint8_t { active, blocked };
std::string_view member_status_name(MemberStatus status);

struct ChannelOptIns {
  bool push = true;
  bool sms = false;
  bool email = false;
  bool zalo = false;            // notifications on Zalo (core/notifications)
  friend bool operator==(const ChannelOptIns&, const ChannelOptIns&) = default;
};

// A member's tier points by the time they count from, kept beside the ledger (which stays
// the truth: check_invariants compares them) so that the window is one contiguous read.
struct TierEntry {
  UtcSeconds effective_time_utc = 0;
  TierPoints tier_points = 0;
  Vnd spend_vnd = 0;              // money paid for goods by the orders (minus refunds), for tiers by spend
  std::int32_t orders = 0;        // completed orders (minus full refunds), for tiers by order count
};

// The fields every order reads or writes come first, in the first two cache lines (an
// adjacent-line pair): the accrual benchmark is bound by memory latency, not arithmetic.
struct alignas(64) Member {
  // [first line] the lookup key and what the earning rule reads
  std::string member_id;        // the store's key for the member, e.g. "M0000001"
  MemberIndex referrer = no_member;
  std::int32_t tier_index = -1; // tier as last evaluated at the store's clock; -1: none
  std::vector<TierEntry> tier_history;  // sorted by effective time
  // [second line] what crediting points updates
  std::uint32_t first_lot = UINT32_MAX; // the member's point lots, newest first: a list through
                                        // PointLot::next_of_member (no allocation per member)
  Points debt_points = 0;               // taken back beyond what the lots held: repaid by the next points
  UtcSeconds last_order_at_utc = 0;     // last completed order (joined_at until one), for the inactivity rule
  // Running totals for the member's statement: available + pending + held =
  // earned + received + returned - spent - expired - reversed - sent.
  Points points_earned = 0;             // from orders, referrals and positive adjustments
  Points points_spent = 0;              // redeemed, paid for orders, negative adjustments
  Points points_expired = 0;
  Points points_reversed = 0;           // taken back by refunds and cancelled pending points
  Points points_received = 0;           // transfers in
  // [the rest] what staff read
  Points points_sent = 0;               // transfers out
  Points points_returned = 0;           // points paid for an order, back with its refund
  std::string card_number;      // 10 digits with a Luhn check digit, used at the till
  std::string phone;            // national form: 0912345678
  std::string name;
  std::string email;
  Birthday birthday;
  UtcSeconds joined_at_utc = 0;
  ChannelOptIns opt_ins;
  MemberStatus status = MemberStatus::active;
  std::int32_t birthday_bonus_year = 0; // the last year the birthday perk was given
  UtcSeconds referrer_since_utc = 0;     // orders completed from then on pay the referrer
  // Bonuses given (core/bonuses): a bit per BonusKind, and a bit per tier whose tier-up bonus was given.
  std::uint8_t bonuses_given = 0;
  std::uint32_t tier_up_bonus_tiers = 0;
  UtcSeconds tier_since_utc = 0;         // when the member entered their tier (tier retention counts from it)
  std::string manual_tier_id;            // a tier staff assigned (empty: none), in force until manual_tier_ends_at_utc
  UtcSeconds manual_tier_ends_at_utc = 0;
};

struct NewMember {
  std::string member_id;        // empty: the store generates one
  std::string phone;            // any accepted format; normalised
  std::string name;
  std::string email;
  Birthday birthday;
  std::string referrer_id;      // empty: none
  ChannelOptIns opt_ins;
};

// Support staff correct a member's details; only the fields given change.
struct MemberUpdate {
  std::string member_id;
  std::optional<std::string> phone;
  std::optional<std::string> name;
  std::optional<std::string> email;          // "" clears it
  std::optional<Birthday> birthday;          // Birthday{} clears it
  std::optional<ChannelOptIns> opt_ins;
  std::optional<MemberStatus> status;        // blocked: the card cannot earn or spend
};
std::optional<MemberStatus> member_status_from_name(std::string_view name);

// [SECTION] Orders --------------------------------------------------------------------------
enum class OrderStatus : std::uint8_t { placed, completed, cancelled, refunded };
std::string_view order_status_name(OrderStatus status);
std::optional<OrderStatus> order_status_from_name(std::string_view name);

struct Order {
  std::string order_id;
  MemberIndex member = no_member;
  MemberIndex referrer = no_member;     // the buyer's referrer when the order completed
  OrderStatus status = OrderStatus::placed;
  std::int32_t program_version = 0;     // version the order was valued by (1-based; 0: not yet)
  OrderAmounts amounts;
  Vnd refunded_vnd = 0;
  UtcSeconds placed_at_utc = 0;
  UtcSeconds completed_at_utc = 0;
  Points buyer_points_earned = 0;
  Points referrer_points_earned = 0;
  TierPoints tier_points_earned = 0;
  Points buyer_points_reversed = 0;
  Points referrer_points_reversed = 0;
  TierPoints tier_points_reversed = 0;
  TierPoints tier_points_deferred = 0;  // not yet posted: tier points count when the points become available
  UtcSeconds tier_points_counted_from_utc = 0;   // when its tier points entered the window (a refund takes them back from there)
  std::uint32_t buyer_lot = UINT32_MAX;
  std::uint32_t referrer_lot = UINT32_MAX;
  std::uint32_t hold = UINT32_MAX;      // the checkout hold that paid part of it with points
  Points points_paid_returned = 0;      // of the hold's points, returned by refunds
  std::uint32_t first_line = UINT32_MAX;   // its lines in order_lines() (line_count of them)
  std::uint32_t line_count = 0;
  std::uint32_t first_bonus = UINT32_MAX;  // bonuses the order triggered (bonuses(), through next_of_order)
};

// An order's line with what it earned, so that a refund of the line takes back its part.
struct StoredOrderLine {
  OrderLine line;
  std::int64_t quantity_returned = 0;
  Points buyer_points = 0;
  Points referrer_points = 0;
  TierPoints tier_points = 0;
};

// Fixed bonuses (core/bonuses/bonuses.cpp): each once per member.
enum class BonusKind : std::uint8_t { welcome, first_order, referral, profile_completion, tier_up };
std::string_view bonus_kind_name(BonusKind kind);
bool profile_complete(const Member& member);   // name, phone, email and birthday known: the profile-completion bonus
struct BonusRecord {
  BonusKind kind = BonusKind::welcome;
  MemberIndex member = no_member;          // who received it
  std::uint32_t order = UINT32_MAX;        // the order that triggered it, if any
  std::uint32_t lot = UINT32_MAX;
  Points points = 0;
  std::int32_t tier_index = -1;            // tier_up: the tier reached
  bool reversed = false;                   // its order was refunded within the pending period
  std::uint32_t next_of_order = UINT32_MAX;
};

// A tier staff assigned to a member (a VIP), with why and until when.
struct TierAssignment {
  MemberIndex member = no_member;
  std::string tier_id;                     // empty: the assignment was ended early
  std::string reason;
  std::uint32_t actor = 0;
  UtcSeconds assigned_at_utc = 0;
  UtcSeconds ends_at_utc = 0;
};
struct TierAssignmentRequest {
  std::string member_id;
  std::string tier_id;                     // empty: end the member's assignment now
  std::string reason;                      // required
  std::string actor;                       // required
  UtcSeconds ends_at_utc = 0;              // required with a tier: after the command's time
};

struct OrderEvent {
  std::string order_id;
  std::string member_id;
  OrderStatus status = OrderStatus::completed;
  OrderAmounts amounts;
  std::string points_hold_id;      // a hold from hold_points: captured on completion, released on cancel
  std::string actor;               // who reported it: "pos", a staff account...
  std::string voucher_code;        // with the first event: the core computes voucher_discount_vnd (core/campaigns)
  std::vector<OrderLine> lines;    // with the order's first event (optional); a later event repeats them or omits them
};

struct RefundLine {
  std::string product_id;          // a line of the order
  std::int64_t quantity = 0;       // how many of it come back
};

struct RefundEvent {
  std::string order_id;
  std::string refund_id;           // idempotency key of this refund within the order
  Vnd amount_vnd = 0;              // refunded part of the order's amount
  std::string actor;
  std::vector<RefundLine> lines;   // the lines it returns: points follow what they earned; empty: the share of the amount
};

struct PointsAdjustment {
  std::string member_id;
  Points points = 0;               // positive: given from the pool; negative: taken away
  std::string reason;              // required: why staff made the correction
  std::string actor;               // required: the staff member
  std::string idempotency_key;     // required: a retry with the same key changes nothing
};

// [SECTION] Lots, holds, transfers -------------------------------------------------------------
// Points earned together form a lot with its own expiry. Spends take the lots that expire
// soonest first and record which lots they consumed (lot_portions), so that a refund can
// give points back where they came from and expiry never takes more than a lot holds.
struct PointLot {
  MemberIndex member = no_member;
  std::uint32_t order = UINT32_MAX;         // the order that earned it, if any
  Points points_earned = 0;
  Points points_remaining = 0;              // still spendable (or still pending)
  UtcSeconds earned_at_utc = 0;
  UtcSeconds available_at_utc = 0;          // the end of the pending period
  UtcSeconds expires_at_utc = INT64_MAX;    // INT64_MAX: never
  Points points_expired = 0;                // what expiry took from it: a refund never takes that again
  bool pending = false;
  std::uint32_t next_of_member = UINT32_MAX;   // the member's next lot
};

// The lots of one member, newest first: `for (std::uint32_t lot : store.member_lots(member))`.
class MemberLots {
 public:
  struct Iterator {
    const ChunkedVector<PointLot>* lots;
    std::uint32_t index;
    std::uint32_t operator*() const { return index; }
    Iterator& operator++() { index = (*lots)[index].next_of_member; return *this; }
    bool operator!=(const Iterator& other) const { return index != other.index; }
  };
  MemberLots(const ChunkedVector<PointLot>& lots, std::uint32_t first) : lots_(&lots), first_(first) {}
  Iterator begin() const { return {lots_, first_}; }
  Iterator end() const { return {lots_, UINT32_MAX}; }

 private:
  const ChunkedVector<PointLot>* lots_;
  std::uint32_t first_;
};

struct LotPortion {
  std::uint32_t transaction = 0;            // the spend, hold, transfer or expiry
  std::uint32_t lot = 0;
  Points points = 0;
};

enum class HoldState : std::uint8_t { active, captured, released, timed_out };
std::string_view hold_state_name(HoldState state);

struct PointsHold {
  std::string hold_id;
  MemberIndex member = no_member;
  Points points = 0;
  Vnd value_vnd = 0;                        // points x point value when placed
  UtcSeconds placed_at_utc = 0;
  UtcSeconds expires_at_utc = 0;
  HoldState state = HoldState::active;
  std::uint32_t order = UINT32_MAX;         // once captured
  std::uint32_t transaction = 0;            // the hold_placed transaction (its lot portions)
};

struct PointsHoldRequest {
  std::string hold_id;
  std::string member_id;
  Points points = 0;
  Vnd order_amount_vnd = 0;                 // the checkout's total, for the maximum share
};

struct TransferRequest {
  std::string transfer_id;
  std::string from_member_id;
  std::string to_member_id;
  Points points = 0;
  std::string actor;
};

struct RedemptionRequest {
  std::string redemption_id;
  std::string member_id;
  Points points = 0;
  std::string reason;                       // what the points bought: "Voucher 50.000 ₫"
  std::string actor;
};

// Transfers, redemptions and staff actions on pending points, for idempotency and history.
enum class PointsActionKind : std::uint8_t { transfer, redemption, pending_release, pending_cancel };
struct PointsAction {
  PointsActionKind kind = PointsActionKind::redemption;
  std::string action_id;                    // transfer_id, redemption_id, or the order id for pending actions
  MemberIndex member = no_member;           // the sender, the redeemer, or the buyer
  MemberIndex other_member = no_member;     // the receiver of a transfer
  Points points = 0;
  std::string reason;
  UtcSeconds time_utc = 0;
  std::uint32_t transaction = UINT32_MAX;
};

// Outstanding points: what the store owes its members.
struct LiabilityBucket {
  std::string key;                          // "2027-02" (local month of expiry), "never", or a tier id
  Points points = 0;
  Vnd value_vnd = 0;
};
struct Liability {
  Points available_points = 0;
  Points pending_points = 0;
  Points held_points = 0;
  Points debt_points = 0;                   // negative balances still to recover
  Points outstanding_points = 0;            // available + pending + held - debt
  Vnd outstanding_value_vnd = 0;
  std::vector<LiabilityBucket> by_expiry_month;   // soonest first, "never" last
  std::vector<LiabilityBucket> by_tier;           // in tier order, "none" last
};

struct ExpiringPoints {
  MemberIndex member = no_member;
  Points points = 0;                        // expiring within the window
  UtcSeconds first_expiry_utc = 0;
};

struct RefundRecord {
  std::uint32_t order = UINT32_MAX;
  std::string refund_id;           // "full" for a refund by order status
  Vnd amount_vnd = 0;
};

struct AdjustmentRecord {
  MemberIndex member = no_member;
  Points points = 0;
  std::string reason;
  std::string idempotency_key;
  std::uint32_t actor = 0;
  std::uint32_t transaction = 0;
};

// [SECTION] Events -----------------------------------------------------------------------------
enum class EventKind : std::uint8_t {
  program_saved, member_created, member_updated, referrer_set, points_earned, points_reversed, points_adjusted, tier_changed,
  points_available, pending_cancelled, points_redeemed, points_held, hold_captured, hold_released,
  points_transferred, points_expired, points_returned, birthday_bonus,
  voucher_claimed, voucher_used, voucher_returned, voucher_claim_cancelled,   // core/campaigns
  welcome_bonus, first_order_bonus, referral_bonus, profile_completion_bonus, tier_up_bonus, bonus_reversed,   // core/bonuses
  tier_assigned,
  delivery_sent,                                                              // core/notifications
};
enum class TierChangeCause : std::uint8_t {
  joined, order, refund, adjustment, window, program_changed, points_available, manual_assignment, manual_assignment_ended };
std::string_view event_kind_name(EventKind kind);
std::string_view tier_change_cause_name(TierChangeCause cause);

struct Event {
  EventKind kind = EventKind::points_earned;
  UtcSeconds time_utc = 0;
  MemberIndex member = no_member;
  std::uint32_t order = UINT32_MAX;            // order index, for order-caused events
  std::int64_t points = 0;                     // points (or tier points) moved
  std::int32_t tier_from = -1;                 // tier_changed
  std::int32_t tier_to = -1;
  TierChangeCause cause = TierChangeCause::order;
  MemberIndex other_member = no_member;        // points_transferred: the receiver
  std::uint32_t voucher_code = UINT32_MAX;     // voucher_*: the code (campaigns().codes())
  DeliveryRef delivery;                        // delivery_sent: the delivery (notifications())
};

// What one command did: filled by each command, read by the host to answer and notify.
struct Changes {
  std::vector<std::uint32_t> transactions;     // indexes into ledger().transactions()
  std::vector<Event> events;
  std::vector<MemberIndex> members;            // members whose balances changed
  MemberIndex created_member = no_member;
  std::uint32_t order = UINT32_MAX;
  std::vector<std::uint32_t> voucher_codes;    // codes issued, used or given back (campaigns().codes())
  void clear() {
    transactions.clear(); events.clear(); members.clear(); created_member = no_member; order = UINT32_MAX; voucher_codes.clear();
  }
};

// [SECTION] Tier status ----------------------------------------------------------------------
struct WindowDrop {
  UtcSeconds at_utc = 0;            // when these tier points leave the window
  TierPoints tier_points = 0;
};
struct TierStatus {
  TierPoints tier_points = 0;               // counted within the window at the given time
  std::int32_t tier_index = -1;             // the tier the member is in (retention and a manual tier included)
  std::int32_t qualified_tier_index = -1;   // the tier the measure alone reaches
  std::int64_t measure = 0;                 // what tiers qualify by, in the period: tier points, VND or orders
  UtcSeconds safe_until_utc = 0;            // retention: the tier cannot fall before (0: no retention)
  std::int64_t measure_to_keep = 0;         // the tier's threshold: reaching it keeps the tier
  bool manual = false;                      // staff assigned the tier
  UtcSeconds manual_ends_at_utc = 0;
  std::int32_t next_tier_index = -1;        // -1: already at the top
  TierPoints tier_points_to_next = 0;
  std::vector<WindowDrop> upcoming_drops;   // soonest first, at most 3
};

// The tier points of a tier history in the qualification period of `config` at `time`
// (lifetime without a program), and the measure `config` qualifies by (tier points, VND
// or orders) in that period: what the store, the group filters and the insights count.
TierPoints tier_points_in_period(std::span<const TierEntry> history, const ProgramConfig* config, UtcSeconds time);
std::int64_t tier_measure_in_period(std::span<const TierEntry> history, const ProgramConfig& config, UtcSeconds time);
// What retention and a manual tier read: a member's (Store::tier_state) or a replay's.
struct TierState {
  std::int32_t tier_index = -1;             // as last evaluated
  UtcSeconds tier_since_utc = 0;            // when the member entered it
  std::string_view manual_tier_id;          // empty: none
  UtcSeconds manual_tier_ends_at_utc = 0;
};
// The tier a member in `state` is in at `time` when the measure alone reaches `qualified`:
// a manual tier in force wins; retention keeps a higher tier until it is safe no more, and
// then the member falls by at most one tier when the program says so.
std::int32_t tier_with_rules(const TierState& state, const ProgramConfig& config, std::int32_t qualified, UtcSeconds time);

// The first moment tier points counted from `entered_at` are out of the window.
UtcSeconds window_exit_utc(UtcSeconds entered_at, std::int32_t window_months, const TimeZone& zone);

struct ProgramVersion {
  std::int32_t version = 0;                 // 1, 2, ...
  UtcSeconds effective_from_utc = 0;
  // When the inactivity setting in force took effect: inactivity counts from no earlier,
  // so turning the rule on or changing its length is never retroactive.
  UtcSeconds inactivity_since_utc = 0;
  ProgramConfig config;
};

// [SECTION] Voucher campaigns (core/campaigns/store_campaigns.cpp) ----------------------------
struct VoucherClaimRequest {
  std::string claim_id;            // idempotency key
  std::string member_id;
  std::string campaign_id;
  std::string seed;                // the host's random text the code is drawn from (replay: the same code)
  std::string actor;
};
struct VoucherIssueRequest {       // a print run (count, seed) or an import of partner codes (codes)
  std::string batch_id;            // idempotency key
  std::string campaign_id;
  std::int64_t count = 0;
  std::string seed;
  std::vector<std::string> codes;
  std::string actor;
};
struct VoucherUse {                // a code on an order (check_voucher reads it, use_voucher writes it)
  std::string code;                // as typed: case, spaces and dashes do not matter
  std::string member_id;
  std::string order_id;
  Vnd amount_vnd = 0;              // the order's total, shipping included
  Vnd shipping_vnd = 0;
};
struct VoucherCheck {
  Result result;
  std::uint32_t code = UINT32_MAX; // the code found (campaigns().codes())
  Vnd discount_vnd = 0;
};

// [SECTION] Store ------------------------------------------------------------------------------
class Store {
 public:
  Store();

  // Commands. Each clears and fills `changes`; a refused command changes nothing but the
  // clock (what fell due up to its time is processed first and reported in `changes`).
  // The version takes effect at `effective_from_utc` (default `time`), never before the clock.
  Result save_program(const ProgramConfig& config, UtcSeconds time, std::string_view actor, Changes& changes,
                      std::optional<UtcSeconds> effective_from_utc = std::nullopt);
  Result create_member(const NewMember& member, UtcSeconds time, Changes& changes);
  Result update_member(const MemberUpdate& update, UtcSeconds time, Changes& changes);
  Result set_referrer(std::string_view member_id, std::string_view referrer_id, UtcSeconds time, Changes& changes);
  Result record_order(const OrderEvent& event, UtcSeconds time, Changes& changes);
  Result refund_order(const RefundEvent& event, UtcSeconds time, Changes& changes);
  Result adjust_points(const PointsAdjustment& adjustment, UtcSeconds time, Changes& changes);
  // Re-evaluates every member's tier at `time`: tier points leaving the window move members down.
  Result review_tiers(UtcSeconds time, Changes& changes);
  // Staff place a member in a tier until a date, with a reason (core/tiers/manual_tiers.cpp).
  Result assign_tier(const TierAssignmentRequest& request, UtcSeconds time, Changes& changes);
  // Moves the clock to `time`, first processing everything due by then, in time order:
  // pending points that become available, holds that time out, lots that expire, the
  // inactivity rule. Each is posted at the time it fell due. A time not after the clock
  // does nothing.
  Result process_due(UtcSeconds time, Changes& changes);
  // The store's clock: the latest time a write has told it (0 before any).
  UtcSeconds clock_utc() const { return clock_utc_; }
  // When the next due item falls due (INT64_MAX: nothing scheduled), for a host's timer: a
  // scheduled item, or the end of a voucher campaign (which a read then shows as ended).
  UtcSeconds next_due_utc() const { return std::min(due_.empty() ? INT64_MAX : due_.front().at_utc, campaigns_.next_end_utc()); }
  Result redeem_points(const RedemptionRequest& request, UtcSeconds time, Changes& changes);
  Result hold_points(const PointsHoldRequest& request, UtcSeconds time, Changes& changes);
  Result release_hold(std::string_view hold_id, UtcSeconds time, std::string_view actor, Changes& changes);
  Result transfer_points(const TransferRequest& request, UtcSeconds time, Changes& changes);
  // Staff: end an order's pending period now, or cancel its pending points, with a reason.
  Result release_pending(std::string_view order_id, std::string_view reason, std::string_view actor, UtcSeconds time,
                         Changes& changes);
  Result cancel_pending(std::string_view order_id, std::string_view reason, std::string_view actor, UtcSeconds time,
                        Changes& changes);
  // Gives the birthday perk's points to every member whose birthday is today in the store's
  // zone (29/02 on 28/02 in other years) and whose tier has the perk enabled; once a year
  // per member, so running it again the same day gives nothing twice.
  Result grant_birthday_bonuses(UtcSeconds time, Changes& changes);
  // Voucher campaigns (core/campaigns/store_campaigns.cpp; docs/commands.md "Voucher campaigns").
  Result save_campaign(const CampaignConfig& config, UtcSeconds time, Changes& changes);
  Result set_campaign_status(std::string_view campaign_id, CampaignStatus status, UtcSeconds time, Changes& changes);
  Result claim_voucher(const VoucherClaimRequest& request, UtcSeconds time, Changes& changes);
  Result issue_voucher_codes(const VoucherIssueRequest& request, UtcSeconds time, Changes& changes);
  Result import_voucher_codes(const VoucherIssueRequest& request, UtcSeconds time, Changes& changes);
  Result use_voucher(const VoucherUse& use, UtcSeconds time, Changes& changes);
  Result cancel_voucher_claim(std::string_view claim_id, std::string_view reason, std::string_view actor, UtcSeconds time,
                              Changes& changes);
  // Notifications and scenarios (core/notifications/store_notifications.cpp; docs/commands.md "Notifications").
  Result save_notification(const NotificationConfig& config, UtcSeconds time, Changes& changes);
  Result schedule_notification(std::string_view notification_id, UtcSeconds time, Changes& changes);
  Result cancel_notification(std::string_view notification_id, UtcSeconds time, Changes& changes);
  Result save_scenario(const ScenarioConfig& config, UtcSeconds time, Changes& changes);
  // A delivery sent, failed (attempt n), opened or clicked: a repeat is already_applied.
  Result mark_delivery(const DeliveryMark& mark, UtcSeconds time, Changes& changes);

  // Reads.
  const std::vector<ProgramVersion>& program_versions() const { return program_versions_; }
  const ProgramVersion* program_at(UtcSeconds time) const;   // version in force at `time`
  const ProgramVersion* current_program() const;
  const std::vector<Member>& members() const { return members_; }
  MemberIndex find_member(std::string_view member_id) const;
  MemberIndex find_member_by_phone(std::string_view phone_normalized) const;
  MemberIndex find_member_by_card(std::string_view card_number) const;
  std::vector<SearchHit> search_members(std::string_view query, std::size_t limit) const;
  // Finishes the lazy work of reads (the search index's merge of new members), so that
  // reads from many threads at once change nothing. Hosts call it after each batch of writes.
  void prepare_for_reads() const { search_index_.prepare_for_reads(); }
  TierStatus tier_status(MemberIndex member, UtcSeconds time) const;
  TierPoints window_tier_points(MemberIndex member, UtcSeconds time) const;
  // What tiers qualify by under the program in force at `time`, counted in its period.
  std::int64_t tier_measure(MemberIndex member, UtcSeconds time) const;
  // The free tier_with_rules with the member's state.
  TierState tier_state(MemberIndex member) const;
  std::int32_t tier_with_rules(MemberIndex member, const ProgramConfig& config, std::int32_t qualified, UtcSeconds time) const;
  // The tier the store places the member in at `time` under `config`: its measure and
  // period, retention from the member's tier and a manual tier. With the program in force
  // it is the profile's tier (tier_status); with another, where saving it would place them.
  std::int32_t tier_under(MemberIndex member, const ProgramConfig& config, UtcSeconds time) const;
  std::span<const StoredOrderLine> order_lines(const Order& order) const {
    return order.line_count == 0 ? std::span<const StoredOrderLine>() : std::span(order_lines_.data() + order.first_line, order.line_count);
  }
  const std::vector<BonusRecord>& bonuses() const { return bonuses_; }
  bool completed_an_order(MemberIndex member) const;   // since the first, no first-order or referral bonus (core/bonuses)
  const std::vector<TierAssignment>& tier_assignments() const { return tier_assignments_; }
  const ChunkedVector<Order>& orders() const { return orders_; }
  std::uint32_t find_order(std::string_view order_id) const;   // UINT32_MAX when unknown
  const std::vector<RefundRecord>& refunds() const { return refunds_; }
  const std::vector<AdjustmentRecord>& adjustments() const { return adjustments_; }
  const ChunkedVector<PointLot>& lots() const { return lots_; }
  MemberLots member_lots(MemberIndex member) const { return MemberLots(lots_, members_[member].first_lot); }
  const std::vector<LotPortion>& lot_portions() const { return lot_portions_; }
  const std::vector<PointsHold>& holds() const { return holds_; }
  std::uint32_t find_hold(std::string_view hold_id) const;      // UINT32_MAX when unknown
  const std::vector<PointsAction>& points_actions() const { return points_actions_; }
  // The staff action (release or cancel of pending points, with its reason) behind a
  // transaction, or nullptr when time or a refund caused it.
  const PointsAction* staff_action_for(std::uint32_t transaction) const;
  // Points spendable now: the points balance (pending and held are apart), never negative.
  Points available_points(MemberIndex member) const;
  Points transferred_today(MemberIndex member, UtcSeconds time) const;
  Liability liability(UtcSeconds time) const;
  // The referrer who earns on the member's orders completed at `time` (no_member: none).
  MemberIndex referrer_at(MemberIndex member, UtcSeconds time) const;
  std::vector<ExpiringPoints> expiring_points(UtcSeconds time, std::int32_t within_days, std::size_t limit) const;
  const Ledger& ledger() const { return ledger_; }

  // Customer groups (core/groups/groups.hpp, store_groups.cpp). Writes: save (create or
  // update), delete, add or remove members of a static group, import a CSV list. Reads:
  // whether a member is in a group at `at`, and a whole group at once (one pass over the
  // members, and over the orders when the filter reads them), for campaigns and audiences.
  Result save_group(const GroupDefinition& definition, UtcSeconds time, Changes& changes);
  Result delete_group(std::string_view group_id, UtcSeconds time, Changes& changes);
  Result change_group_members(std::string_view group_id, const std::vector<std::string>& member_ids, bool add, UtcSeconds time,
                              Changes& changes, GroupMembersChange& report);
  Result import_group_members(const GroupImportRequest& request, UtcSeconds time, Changes& changes, GroupImportReport& report);
  const CustomerGroups& groups() const { return groups_; }
  bool member_in_group(MemberIndex member, std::string_view group_id, UtcSeconds at) const;
  Result evaluate_group(std::string_view group_id, UtcSeconds at, MemberSet& members) const;   // group_not_found

  const Campaigns& campaigns() const { return campaigns_; }
  // A code on an order at `time`, without using it: the discount, or why not.
  VoucherCheck check_voucher(const VoucherUse& use, UtcSeconds time) const;
  // Why the member cannot claim from the campaign at `time` (ok: they can), and the cost after their tier perk.
  ResultCode claim_refusal(MemberIndex member, std::uint32_t campaign, UtcSeconds time, Points& cost) const;
  // Whether the campaign is meant for the member (its target group; hidden: the group only).
  bool campaign_for_member(MemberIndex member, std::uint32_t campaign, UtcSeconds time) const;
  const Notifications& notifications() const { return notifications_; }
  // The deliveries due at `at` (not after the clock) and not done, in a fixed order,
  // starting after the delivery id `after` ("": from the first); count covers every page.
  Result due_deliveries(UtcSeconds at, std::string_view after, std::size_t limit, DueDeliveries& due) const;
  Result find_delivery(std::string_view delivery_id, DeliveryRef& ref) const;   // invalid_field, delivery_not_found, delivery_not_due
  std::string delivery_id(const DeliveryRef& ref) const;
  // The delivery's message with its placeholders filled as the store stands at the clock.
  MessageText render_delivery(const DeliveryRef& ref) const;
  // Not blocked, opted in to the channel (and, for email, has an address).
  bool member_reachable(MemberIndex member, NotificationChannel channel) const;
  std::string_view actor_name(std::uint32_t actor) const { return actors_[actor]; }
  std::string check_invariants() const;    // empty when every invariant holds
  std::size_t memory_bytes() const;        // approximate heap bytes held

 private:
  friend class StoreSnapshot;   // core/snapshot: writes and reads the whole state
  // Every write starts here: clears `changes`, moves the clock to `time` if later
  // (processing what fell due), and returns the moment the command is applied at.
  UtcSeconds begin_write(UtcSeconds time, Changes& changes);
  // Every accepted write ends here: what it made due at or before the clock (a late
  // order's pending period already over, a lot already expired) happens now.
  void settle(Changes& changes);
  std::uint32_t intern_actor(std::string_view actor);
  Result record_order_event(const OrderEvent& event, UtcSeconds time, Changes& changes);   // record_order without the voucher
  // Whether the member is in the campaign's target group at `time` (member_in_group).
  bool campaign_group_allows(MemberIndex member, const std::string& group_id, UtcSeconds time) const;
  // An order cancelled or refunded in full gives its voucher code back while the campaign runs.
  void campaign_order_ended(std::uint32_t order_index, UtcSeconds now, Changes& changes);
  VoucherCheck plan_voucher(const VoucherUse& use, MemberIndex member, UtcSeconds time) const;
  // What completing an order earns, checked before anything changes.
  struct EarningPlan {
    const ProgramVersion* program = nullptr;
    EarningBreakdown earning;
    TierPoints tier_points_before = 0;   // in the window at the order's time
    std::int64_t measure_before = 0;     // what tiers qualify by, at the order's time
    std::int32_t tier_before = -1;       // the buyer's tier at the order's time (the multiplier's)
    Points first_order_bonus = 0;        // bonuses the order triggers (core/bonuses)
    Points referral_referrer_bonus = 0;
    Points referral_new_member_bonus = 0;
    std::uint32_t hold = UINT32_MAX;     // the points hold paying part of the order
    MemberIndex referrer = no_member;    // who earns the referral points (the referrer at the order's time)
  };
  static Vnd order_paid_vnd(const Order& order);   // what the customer paid in money: the refundable amount
  // What a refund's share is measured against: the money paid for the goods (shipping
  // apart when the order's program excludes it), so refunding all the goods takes back
  // everything they earned.
  Vnd order_goods_paid_vnd(const Order& order) const;
  Result plan_earning(MemberIndex member, const OrderAmounts& amounts, std::span<const OrderLine> lines, UtcSeconds time,
                      EarningPlan& plan) const;
  // Bonuses (core/bonuses/bonuses.cpp).
  void plan_order_bonuses(MemberIndex member, const ProgramConfig& config, EarningPlan& plan) const;
  void give_order_bonuses(std::uint32_t order_index, UtcSeconds now, std::uint32_t actor, const EarningPlan& plan, Changes& changes);
  // Gives `points` from the pool (nothing when the pool is short); the lot is pending when `pending`.
  void give_bonus(BonusKind kind, MemberIndex member, std::uint32_t order, Points points, std::int32_t tier_index, UtcSeconds earned_at,
                  UtcSeconds now, const ProgramConfig& config, bool pending, std::uint32_t actor, Changes& changes);
  void give_member_bonuses(MemberIndex member, UtcSeconds now, bool joining, Changes& changes);   // welcome (joining), profile completion
  void reverse_order_bonuses(std::uint32_t order_index, UtcSeconds now, std::uint32_t actor, Changes& changes);
  // The bonuses an order gave that are still pending and not taken back, in the order given.
  std::vector<std::uint32_t> pending_bonuses_of(const Order& order) const;
  void end_manual_tier(MemberIndex member, UtcSeconds now, Changes& changes);   // core/tiers/manual_tiers.cpp
  // `time` is when the order completed (it values the order); `now` the clock it is applied at.
  void complete_order(std::uint32_t order_index, UtcSeconds time, UtcSeconds now, std::uint32_t actor, const EarningPlan& plan,
                      Changes& changes);
  void evaluate_tier(MemberIndex member, UtcSeconds time, TierChangeCause cause, Changes& changes);
  void set_tier(MemberIndex member, const ProgramConfig& config, std::int64_t measure, UtcSeconds time,
                TierChangeCause cause, Changes& changes);
  void add_tier_entry(MemberIndex member, UtcSeconds effective_time_utc, TierPoints tier_points, Vnd spend_vnd = 0,
                      std::int32_t orders = 0);
  void record_refund(std::uint32_t order_index, std::string_view refund_id, Vnd amount_vnd, UtcSeconds time,
                     std::uint32_t actor, Changes& changes, std::span<const RefundLine> lines = {});
  void touch(MemberIndex member, Changes& changes) const;
  void sync_group_order(std::uint32_t order_index);   // the groups' copy of what an order counts for (store_groups.cpp)
  void sync_group_member(MemberIndex member);         // the groups' copy of a member's birthday
  // Checks a member's details; phone_normalized is set when the phone is valid.
  void check_member_details(const std::string* phone, const std::string* name, const std::string* email,
                            const Birthday* birthday, UtcSeconds time, std::string& phone_normalized,
                            std::vector<FieldError>& errors) const;

  // Lots (store_points.cpp).
  std::uint32_t create_lot(MemberIndex member, std::uint32_t order, Points points, UtcSeconds earned_at,
                           const ProgramConfig& config, bool pending);
  void add_to_lot(std::uint32_t lot_index, Points points);   // repays debt first when available
  void append_lot(PointLot lot);                              // to lots_ and the front of the member's list
  // Takes `points` from the member's available lots, soonest expiry first, recording the
  // portions under `transaction`; returns what the lots could not cover.
  Points consume_lots(MemberIndex member, Points points, UtcSeconds time, std::uint32_t transaction,
                      std::uint32_t first_lot = UINT32_MAX);
  // Gives back up to `points` of the portions recorded under `transaction` to their lots;
  // lots that have expired meanwhile expire again at once.
  void restore_portions(std::uint32_t transaction, Points already_restored, Points points, UtcSeconds time, Changes& changes);
  void release_lot(std::uint32_t lot_index, UtcSeconds time, std::uint32_t actor, Changes& changes);
  // Tier points waiting for the pending period (pending.tier_points when_available) count
  // from `counted_from`; nothing when none wait any more.
  void count_deferred_tier_points(std::uint32_t order_index, UtcSeconds time, UtcSeconds counted_from, std::uint32_t actor,
                                  Changes& changes);
  void cancel_pending_lot(std::uint32_t lot_index, Points points, UtcSeconds time, std::uint32_t actor, Changes& changes);
  void expire_lots(MemberIndex member, const std::vector<std::uint32_t>& lot_indexes, UtcSeconds time, Changes& changes);
  void end_hold(std::uint32_t hold_index, HoldState state, UtcSeconds time, std::uint32_t actor, Changes& changes);
  Result check_action_id(PointsActionKind kind, std::string_view action_id, MemberIndex member, Points points) const;
  bool staff_acted_on(PointsActionKind kind, std::string_view order_id) const;
  bool has_pending_points(const Order& order) const;

  // Work that falls due with time, ordered by (at, kind, subject) so replay is deterministic.
  enum class DueKind : std::uint8_t {
    program_effective, release_lot, count_tier_points, hold_timeout, expire_lot, inactivity, manual_tier_end,
    notification_start, scenario_scan, delivery_wake   // core/notifications: subject the notification, the scenario, 0
  };
  struct DueItem {
    UtcSeconds at_utc;
    DueKind kind;
    std::uint32_t subject;   // the lot, hold or member
  };
  void schedule(DueItem item);
  void apply_program_version(std::uint32_t version_index, UtcSeconds now, Changes& changes);
  // Processes the earliest due item, posting it at `posted_at` (its own moment when the
  // clock passes it; the clock when a late event made it due in the past).
  void run_earliest_due(UtcSeconds posted_at, Changes& changes);
  // The inactivity deadline of a member under the program in force at `time` (INT64_MAX: none).
  UtcSeconds inactivity_deadline(MemberIndex member, UtcSeconds time) const;
  void schedule_inactivity(MemberIndex member);   // at its deadline under the program in force at the clock

  // Notifications (store_notifications.cpp): what commands and due work fire.
  void notice_for_notifications(Changes& changes);   // the events since noticed_events_, the members touched
  void notice_order_completed(std::uint32_t order_index, UtcSeconds completed_at);
  void run_notification_due(DueKind kind, std::uint32_t subject, UtcSeconds at, UtcSeconds posted_at);
  void start_notification(std::uint32_t index, UtcSeconds scheduled_at, UtcSeconds now);
  void finish_if_done(Notification& notification, UtcSeconds now);
  void run_scenario_scan(std::uint32_t scenario_index, UtcSeconds at);
  UtcSeconds next_scenario_scan(const ScenarioConfig& config, UtcSeconds now) const;
  void add_occasion(std::uint32_t scenario_index, MemberIndex member, UtcSeconds occurred_at, UtcSeconds due_at,
                    std::int64_t subject, Points points);
  void skip_unreachable(MemberIndex member);
  Result check_message_references(const MessageTarget& target, std::string_view path) const;

  std::vector<ProgramVersion> program_versions_;
  std::vector<Member> members_;
  KeyIndex member_by_id_;
  KeyIndex member_by_phone_;
  KeyIndex member_by_card_;
  MemberSearchIndex search_index_;
  ChunkedVector<Order> orders_;
  KeyIndex order_by_id_;
  std::vector<RefundRecord> refunds_;
  std::unordered_map<std::string, std::uint32_t> refund_by_key_;   // "order_id\x1frefund_id" -> refund
  std::vector<AdjustmentRecord> adjustments_;
  std::unordered_map<std::string, std::uint32_t> adjustment_by_key_;
  ChunkedVector<PointLot> lots_;
  std::vector<LotPortion> lot_portions_;   // in transaction order
  std::vector<PointsHold> holds_;
  KeyIndex hold_by_id_;
  std::vector<PointsAction> points_actions_;
  std::unordered_map<std::string, std::uint32_t> points_action_by_key_;   // kind + id -> action
  std::unordered_map<std::uint32_t, std::uint32_t> staff_action_by_transaction_;
  std::vector<DueItem> due_;               // a min-heap by (at, kind, subject)
  UtcSeconds clock_utc_ = 0;
  std::vector<std::string> actors_;
  std::uint32_t last_actor_ = 0;                             // orders mostly come from one actor
  std::unordered_map<std::string, std::uint32_t> actor_by_name_;
  std::vector<StoredOrderLine> order_lines_;
  std::vector<BonusRecord> bonuses_;
  std::vector<TierAssignment> tier_assignments_;
  Ledger ledger_;
  CustomerGroups groups_;
  Campaigns campaigns_;
  Notifications notifications_;
  std::size_t noticed_events_ = 0;   // of the current command's events, those notice_for_notifications has read
};

}  // namespace loyalty
