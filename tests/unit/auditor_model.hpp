// auditor_model.hpp: an independent model of the store's documented rules, for the
// differential test.
//
// [SECTION] Units and records
// [SECTION] Members, lots, orders, holds
// [SECTION] What a read should answer
// [SECTION] The model
//
// Written from docs/commands.md, the time model draft (the store's clock, pure reads,
// late events applied at the clock) and the defect list of issue 7, NOT from core/'s
// code: it includes no store header and calls no rule of the core. It borrows only the
// calendar (core/basics/time.hpp), the rounding helpers (core/basics/money.hpp) and the
// program document's reader (core/program/program_config.hpp, to hold a program).
//
// It takes the same JSON commands as the CommandRunner and predicts, on its own, each
// command's result code and every member's balances, lot by lot. Simple and obviously
// right rather than fast: plain vectors and linear scans. No exceptions, no threads, no
// files: it runs in the wasm build too.
//
// Where the documents leave a choice open, the model takes the one a real store would
// expect and says so in a comment marked "Rule decided here"; the differential test's
// report lists them.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/basics/json_fields.hpp"
#include "core/basics/money.hpp"
#include "core/basics/time.hpp"
#include "core/program/program_config.hpp"

namespace loyalty::auditor {

// [SECTION] Units and records --------------------------------------------------------------
inline constexpr UtcSeconds never_utc = INT64_MAX;   // a lot that never expires
inline constexpr std::size_t none = SIZE_MAX;        // no member, lot, order or hold

struct ProgramVersion {
  ProgramConfig config;
  UtcSeconds given_time_utc = 0;      // the `time` the save carried
  UtcSeconds effective_from_utc = 0;  // the later of that time and the clock
};

// What a member's points statement says (get_member's `statement`).
struct Statement {
  Points earned = 0, received = 0, returned = 0, spent = 0, expired = 0, reversed = 0, sent = 0;
  friend bool operator==(const Statement&, const Statement&) = default;
};

// [SECTION] Members, lots, orders, holds -------------------------------------------------
// One credit of points: an order's buyer or referrer points, an adjustment, a birthday
// bonus, or what a transfer brought. Spends take from lots, soonest expiry first.
struct Lot {
  std::size_t member = none;
  Points remaining_points = 0;        // in the lot now: pending, or available
  Points expired_points = 0;          // what expired out of it, ever
  bool pending = false;               // waiting for its pending period
  UtcSeconds pending_end_utc = 0;     // when the pending period ends by itself
  UtcSeconds expiry_utc = never_utc;  // fixed when the lot is created
  std::string order_id;               // the order that earned it ("" for other credits)
  std::size_t order = none;
  bool buyer_lot = false;             // the order's buyer lot (its tier points may wait for it)
};

struct LotShare {
  std::size_t lot = none;
  Points points = 0;
};

struct TierEntry {
  UtcSeconds enter_utc = 0;   // counts in the window from this moment
  TierPoints tier_points = 0; // negative for a refund's reversal (same moment as the order)
  std::size_t order = none;   // the order that gave (or took back) them
  Vnd spend_vnd = 0;          // tiers by spend: money paid for goods (negative: refunded)
  std::int64_t orders = 0;    // tiers by orders: 1 per completed order (-1: refunded in full)
};

struct TransferSent {
  std::int64_t local_day = 0;  // days since the epoch of the local date it was applied on
  Points points = 0;
};

struct Member {
  std::string member_id, phone, name;
  UtcSeconds joined_utc = 0;
  bool blocked = false;
  std::int32_t birthday_day = 0, birthday_month = 0;   // 0: unknown
  std::size_t referrer = none;
  UtcSeconds referrer_since_utc = 0;                   // orders from then on pay the referrer
  Points debt_points = 0;                              // taken back beyond the balance
  Points held_points = 0;
  TierPoints tier_points_lifetime = 0;
  std::vector<TierEntry> tier_entries;
  std::vector<std::size_t> lots;                       // every lot ever, in creation order
  Statement statement;
  UtcSeconds last_order_utc = 0;                       // last completed order (own time), or joining
  UtcSeconds inactivity_fired_utc = -1;                // the inactivity deadline that already fired
  std::vector<std::int32_t> birthday_years;            // years the birthday perk was given
  std::vector<TransferSent> transfers_sent;
  std::string email;
  // The tier the member was last placed in and since when (retention counts from then), a
  // tier staff assigned until a date, and the tiers whose tier-up bonus was given.
  int tier = -1;
  UtcSeconds tier_since_utc = 0;
  std::string manual_tier_id;
  UtcSeconds manual_end_utc = 0;
  std::uint32_t tier_up_given = 0;
  bool completed_an_order = false;                     // bonuses: a first order has been completed
  bool profile_bonus_given = false;
};

enum class OrderStatus : std::uint8_t { placed, completed, cancelled, refunded };

struct Refund {
  std::string refund_id;
  Vnd amount_vnd = 0;
};

// An order line (docs: `order`, `lines`) with what it earned.
struct OrderLine {
  std::string product_id, category;
  std::int64_t quantity = 1, returned = 0;
  Vnd amount_vnd = 0;
  Points buyer_points = 0, referrer_points = 0;
  TierPoints tier_points = 0;
};
// A bonus an order gave (docs: `bonuses`): its lot, taken back with a full refund in the pending period.
struct OrderBonus {
  std::size_t lot = none;
  Points points = 0;
  bool reversed = false;
};
struct Order {
  std::vector<OrderLine> lines;
  std::vector<OrderBonus> bonuses;
  std::string order_id;
  std::size_t member = none;
  OrderStatus status = OrderStatus::placed;
  Vnd amount_vnd = 0, shipping_vnd = 0, voucher_discount_vnd = 0, paid_with_points_vnd = 0;
  std::string hold_id;                 // the hold named by any event of the order
  bool hold_linked = false;            // the hold is the order's (placed or completed with it; not a first-event cancel)
  UtcSeconds completed_utc = 0;        // its own time
  Vnd paid_vnd = 0;                    // what was paid in money: what refunds may give back
  std::size_t buyer_lot = none, referrer_lot = none;
  Points buyer_points = 0, referrer_points = 0;
  Points buyer_taken = 0, referrer_taken = 0;   // taken back so far (refunds, cancelled pending)
  TierPoints tier_points = 0, tier_taken = 0;
  bool tier_counted = false;           // its tier points entered the window
  UtcSeconds tier_enter_utc = 0;
  std::vector<Refund> refunds;
  Vnd refunded_vnd = 0;
  Points held_points_paid = 0, points_returned = 0;
  bool staff_released = false, staff_cancelled = false;
};

enum class HoldState : std::uint8_t { active, captured, released, timed_out };

struct Hold {
  std::string hold_id;
  std::size_t member = none;
  Points points = 0;
  Vnd value_vnd = 0;
  HoldState state = HoldState::active;
  UtcSeconds expires_utc = 0;
  std::vector<LotShare> taken_from;   // the lots the points came from, soonest expiry first
};

struct Redemption {
  std::string redemption_id;
  std::size_t member = none;
  Points points = 0;
};

struct Adjustment {
  std::string idempotency_key, member_id, reason;
  Points points = 0;
};

struct Transfer {
  std::string transfer_id;
  std::size_t from = none;
  Points points = 0;
};

// [SECTION] What a read should answer ------------------------------------------------------
struct Balances {
  Points points = 0, pending = 0, held = 0;
  TierPoints tier_points_lifetime = 0;
  std::optional<Vnd> points_value_vnd;   // absent before any version
  friend bool operator==(const Balances&, const Balances&) = default;
};

struct MonthPoints {
  std::string month;   // "2028-04" or "never"
  Points points = 0;
  friend bool operator==(const MonthPoints&, const MonthPoints&) = default;
};

struct PendingLine {
  Points points = 0;
  UtcSeconds available_at_utc = 0;
  std::string order_id;
  friend bool operator==(const PendingLine&, const PendingLine&) = default;
};

struct TierDrop {
  UtcSeconds at_utc = 0;
  TierPoints tier_points = 0;
  friend bool operator==(const TierDrop&, const TierDrop&) = default;
};

struct MemberView {
  Balances balances;
  TierPoints window_tier_points = 0;
  std::optional<std::string> tier_id;          // nullopt: no tier (or no version)
  std::vector<TierDrop> upcoming_drops;        // at most 3, soonest first
  std::vector<MonthPoints> points_by_expiry_month;
  std::vector<PendingLine> pending;            // sorted by (available_at, order_id, points)
  Statement statement;
  Points debt_points = 0;
};

struct ExpiringLine {
  std::string member_id;
  Points points = 0;
  UtcSeconds first_expiry_utc = 0;
  friend bool operator==(const ExpiringLine&, const ExpiringLine&) = default;
};

struct TierPointsLine {
  std::string tier;   // tier id or "none"
  Points points = 0;
  friend bool operator==(const TierPointsLine&, const TierPointsLine&) = default;
};

struct LiabilityView {
  Points available = 0, pending = 0, held = 0, debt = 0, outstanding = 0;
  std::optional<Vnd> point_value_vnd;          // of the version in force at the read's time
  std::vector<MonthPoints> by_expiry_month;    // available and pending lots (held points are in no lot)
  std::vector<TierPointsLine> by_tier;         // by the tier each member is in at the read's time
};

struct AuditView {
  Points points_funded = 0, pool = 0, redeemed = 0, expired = 0, adjustments = 0;
  std::size_t members = 0, orders = 0;
};

// A command's predicted result. `any_refusal`: the documents say it must be refused but
// not with which code (an order dated before the member joined, a refund dated before
// its order completed): any code other than ok and already_applied is right.
struct Prediction {
  std::string result = "ok";
  bool any_refusal = false;
};

// [SECTION] The model ------------------------------------------------------------------------
class AuditorModel {
 public:
  // A write (or process_due): moves the clock, applies the command, returns its result.
  Prediction apply(const Json& command);

  UtcSeconds clock_utc() const { return clock_utc_; }
  const std::vector<Member>& members() const { return members_; }
  const std::vector<Order>& orders() const { return orders_; }
  const std::vector<Hold>& holds() const { return holds_; }
  const std::vector<Lot>& lots() const { return lots_; }
  const std::vector<ProgramVersion>& versions() const { return versions_; }
  std::size_t find_member(const std::string& member_id) const;
  std::size_t find_order(const std::string& order_id) const;
  std::size_t find_hold(const std::string& hold_id) const;
  const ProgramVersion* version_at(UtcSeconds time) const;   // nullptr before the first

  // Reads: pure. Balances are as of the clock; time-dependent rules as of `time`.
  Balances balances(std::size_t member) const;
  Points available_points(std::size_t member) const;   // the spendable balance (negative: debt)
  MemberView member_view(std::size_t member, UtcSeconds time) const;
  LiabilityView liability(UtcSeconds time) const;
  std::vector<ExpiringLine> expiring_points(UtcSeconds time, std::int32_t within_days) const;
  AuditView audit() const;
  Points pool_points() const { return pool_points_; }
  TierPoints window_tier_points(std::size_t member, UtcSeconds time, std::size_t excluded_order = none) const;
  // What tiers qualify by (tier points, spend or orders) in the period at `time`, and the tier
  // the member is in at `time`: by that, a tier staff assigned, and retention.
  std::int64_t tier_measure(std::size_t member, UtcSeconds time) const;
  int tier_at(std::size_t member, UtcSeconds time) const;
  UtcSeconds period_start_utc(UtcSeconds time, const ProgramConfig* config) const;
  int tier_index_at(TierPoints tier_points, const ProgramConfig& config) const;
  bool in_window(UtcSeconds enter_utc, UtcSeconds time, std::int32_t window_months) const;
  UtcSeconds leaves_window_utc(UtcSeconds enter_utc, std::int32_t window_months) const;

  // A time the docs accept: a full instant with a zone; nullopt for a bare date or no zone.
  static std::optional<UtcSeconds> read_time(const Json& command);

 private:
  // Something that falls due at a known moment, in a min-heap. Entries are checked when
  // taken out (the lot may be spent, the hold captured, the deadline moved): a stale one
  // is dropped, so pushing more than needed is always safe.
  enum class DueKind : std::uint8_t { pending_end, hold_timeout, lot_expiry, inactivity, manual_tier_end };
  struct DueItem {
    UtcSeconds due_utc = 0;
    DueKind kind = DueKind::pending_end;
    std::size_t index = 0;   // lot, hold or member
    bool operator>(const DueItem& other) const;
  };
  void schedule(UtcSeconds due_utc, DueKind kind, std::size_t index);
  void schedule_inactivity(std::size_t member);

  // Time passing.
  void process_due_until(UtcSeconds until_utc);
  UtcSeconds inactivity_deadline_utc(const Member& member) const;
  void release_pending_lot(std::size_t lot, UtcSeconds at_utc);
  void expire_lot(std::size_t lot);
  void return_to_lot(std::size_t lot, Points points, UtcSeconds at_utc);
  void release_hold_points(std::size_t hold, HoldState state, UtcSeconds at_utc);
  void expire_all_available(std::size_t member);

  // Points moving.
  std::size_t credit_lot(std::size_t member, Points points, UtcSeconds expiry_utc, bool pending,
                         UtcSeconds pending_end_utc, std::size_t order, bool buyer_lot);
  std::vector<LotShare> debit_available(std::size_t member, Points points);
  void take_back(std::size_t order, bool buyer, Points target_points);
  void cancel_pending_of_order(std::size_t order);
  // Why a member is placed again: a manual tier gives no tier-up bonus; an order's tier-up
  // bonus is the order's, pending like its points.
  enum class PlaceCause : std::uint8_t { other, order, manual };
  void place_tier(std::size_t member, PlaceCause cause = PlaceCause::other, std::size_t order = none);
  void place_tier_at(std::size_t member, UtcSeconds at_utc, PlaceCause cause = PlaceCause::other, std::size_t order = none);
  void end_manual_tier(std::size_t member, UtcSeconds at_utc);
  void give_profile_bonus(std::size_t member);
  void count_order_tier_points(std::size_t order, UtcSeconds enter_utc);
  UtcSeconds lot_expiry_utc(const ProgramConfig& config, UtcSeconds earned_utc) const;

  // Commands.
  Prediction save_program(const Json& command, UtcSeconds time);
  Prediction create_member(const Json& command, UtcSeconds time);
  Prediction update_member(const Json& command);
  Prediction set_referrer(const Json& command, UtcSeconds time);
  Prediction order(const Json& command, UtcSeconds time);
  Prediction refund(std::size_t order, const std::string& refund_id, Vnd amount_vnd, UtcSeconds time,
                    const Json& lines = Json::array());
  void give_bonus(std::size_t member, Points points, const ProgramConfig& config, UtcSeconds earned_utc, bool pending,
                  std::size_t order);
  Prediction adjust_points(const Json& command);
  Prediction redeem_points(const Json& command);
  Prediction hold_points(const Json& command);
  Prediction release_hold(const Json& command);
  Prediction transfer_points(const Json& command);
  Prediction pending_action(const Json& command, bool release);
  Prediction grant_birthday_bonuses();
  Prediction review_tiers();
  Prediction assign_tier(const Json& command, UtcSeconds time);
  Prediction save_group(const Json& command);

  const ProgramVersion* latest_version() const { return versions_.empty() ? nullptr : &versions_.back(); }
  const TimeZone& zone() const;
  const TimeZone& zone_at(UtcSeconds time) const;

  UtcSeconds clock_utc_ = 0;
  Points points_funded_ = 0, pool_points_ = 0, redeemed_points_ = 0, expired_points_ = 0, adjustments_points_ = 0;
  std::vector<ProgramVersion> versions_;
  std::vector<Member> members_;
  std::vector<Lot> lots_;
  std::vector<Order> orders_;
  std::vector<Hold> holds_;
  std::vector<Redemption> redemptions_;
  std::vector<Adjustment> adjustments_;
  std::vector<Transfer> transfers_;
  std::vector<DueItem> due_heap_;
  // Groups saved (docs: `save_group`): only dynamic groups by birthday month are modelled.
  struct Group { std::string group_id; std::int32_t birthday_month = 0; std::string definition; };
  std::vector<Group> groups_;
  bool in_group(std::size_t member, const std::string& group_id) const;   // std::push_heap / pop_heap with std::greater
};

}  // namespace loyalty::auditor
