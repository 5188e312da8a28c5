// store.cpp: the store as a whole: names of its enums, actors, program versions, and the
// invariants that tie every domain to the ledger. Each domain's rules are in its folder.
#include "core/store.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <type_traits>

#include "core/store_limits.hpp"

namespace loyalty {

std::string_view member_status_name(MemberStatus status) { return status == MemberStatus::active ? "active" : "blocked"; }

std::string_view order_status_name(OrderStatus status) {
  static constexpr std::array<std::string_view, 4> names = {"placed", "completed", "cancelled", "refunded"};
  return names.at(static_cast<std::size_t>(status));
}

std::optional<OrderStatus> order_status_from_name(std::string_view name) {
  for (OrderStatus status : {OrderStatus::placed, OrderStatus::completed, OrderStatus::cancelled, OrderStatus::refunded}) {
    if (order_status_name(status) == name) return status;
  }
  return std::nullopt;
}

std::string_view event_kind_name(EventKind kind) {
  static constexpr std::array<std::string_view, 30> names = {
      "program_saved",   "member_created",    "member_updated", "referrer_set",   "points_earned",
      "points_reversed", "points_adjusted",   "tier_changed",   "points_available", "pending_cancelled",
      "points_redeemed", "points_held",       "hold_captured",  "hold_released",  "points_transferred",
      "points_expired",  "points_returned",   "birthday_bonus", "voucher_claimed", "voucher_used",
      "voucher_returned", "voucher_claim_cancelled", "welcome_bonus", "first_order_bonus", "referral_bonus",
      "profile_completion_bonus", "tier_up_bonus", "bonus_reversed", "tier_assigned", "delivery_sent"};
  static_assert(names.size() == static_cast<std::size_t>(EventKind::delivery_sent) + 1);
  return names.at(static_cast<std::size_t>(kind));
}

std::string_view tier_change_cause_name(TierChangeCause cause) {
  static constexpr std::array<std::string_view, 9> names = {"joined", "order",           "refund",          "adjustment",
                                                            "window", "program_changed", "points_available",
                                                            "manual_assignment", "manual_assignment_ended"};
  static_assert(names.size() == static_cast<std::size_t>(TierChangeCause::manual_assignment_ended) + 1);
  return names.at(static_cast<std::size_t>(cause));
}

Store::Store() { actors_.push_back(""); actor_by_name_.emplace("", 0); }

std::uint32_t Store::intern_actor(std::string_view actor) {
  if (actors_[last_actor_] == actor) return last_actor_;
  const auto found = actor_by_name_.find(std::string(actor));
  if (found != actor_by_name_.end()) return last_actor_ = found->second;
  const auto index = static_cast<std::uint32_t>(actors_.size());
  last_actor_ = index;
  actors_.emplace_back(actor);
  actor_by_name_.emplace(std::string(actor), index);
  return index;
}

void Store::touch(MemberIndex member, Changes& changes) const {
  if (std::find(changes.members.begin(), changes.members.end(), member) == changes.members.end()) {
    changes.members.push_back(member);
  }
}

// ---------------------------------------------------------------------------------------------
// Program versions

const ProgramVersion* Store::program_at(UtcSeconds time) const {
  // Versions are saved in time order; the one in force is the last one effective by `time`.
  auto after = std::upper_bound(program_versions_.begin(), program_versions_.end(), time,
                                [](UtcSeconds t, const ProgramVersion& version) { return t < version.effective_from_utc; });
  if (after == program_versions_.begin()) return nullptr;
  return &*(after - 1);
}

const ProgramVersion* Store::current_program() const {
  return program_versions_.empty() ? nullptr : &program_versions_.back();
}

// A version takes effect at `effective_from` (default: the command's time): a later
// moment schedules it (the owner plans ahead), an earlier one than the clock takes effect
// at the clock (a program change is never retroactive). When it takes effect, every
// member's tier is placed again and the inactivity rule counts under it (a due item).
Result Store::save_program(const ProgramConfig& config, UtcSeconds time, std::string_view actor, Changes& changes,
                           std::optional<UtcSeconds> effective_from_utc) {
  const UtcSeconds requested_from = effective_from_utc.value_or(time);
  if (!program_versions_.empty() && requested_from < program_versions_.back().effective_from_utc) {
    changes.clear();
    return Result::failure(ResultCode::program_time_before_latest);
  }
  const UtcSeconds now = begin_write(time, changes);
  const UtcSeconds effective_from = std::max(requested_from, now);
  // The pool follows the configured initial pool: a larger value funds the difference; a
  // smaller one may only take back points still in the pool.
  const Points funded = ledger_.points_funded();
  const Points funding_change = config.wallet.initial_pool_points - funded;
  if (funding_change < 0 && ledger_.balance(SystemAccount::pool) + funding_change < 0) {
    return Result::field("wallet.initial_pool_points",
                         "không thể nhỏ hơn số điểm đã phát cho thành viên (" + format_points(funded - ledger_.balance(SystemAccount::pool)) + ")",
                         "cannot be less than the points already issued to members (" +
                             format_grouped_en(funded - ledger_.balance(SystemAccount::pool)) + ")");
  }
  // A promotion for a group names one of the store's groups (its tier is checked with the program).
  std::vector<FieldError> group_errors;
  for (std::size_t i = 0; i < config.promotions.size(); ++i) {
    const std::string& group_id = config.promotions[i].group_id;
    if (group_id.empty() || groups_.find(group_id) != nullptr) continue;
    group_errors.push_back(FieldError{"promotions[" + std::to_string(i) + "].group_id", "không có nhóm khách hàng này",
                                      "no customer group has this id"});
  }
  if (!group_errors.empty()) return Result{ResultCode::program_invalid, std::move(group_errors)};
  // After this point the command must succeed.
  const auto version = static_cast<std::int32_t>(program_versions_.size() + 1);
  const ProgramVersion* previous = program_versions_.empty() ? nullptr : &program_versions_.back();
  const std::int32_t inactivity_before = previous ? previous->config.expiry.inactivity_months : 0;
  const bool inactivity_changes = previous == nullptr || config.expiry.inactivity_months != inactivity_before;
  ProgramVersion saved{version, effective_from, inactivity_changes ? effective_from : previous->inactivity_since_utc, config};
  program_versions_.push_back(std::move(saved));
  if (funding_change != 0) {
    // The pool is funded when the version is saved, so that it is there when it applies.
    const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(SystemAccount::genesis), -funding_change},
                                                    PostingRequest{account_of(SystemAccount::pool), funding_change}};
    changes.transactions.push_back(ledger_.post(TransactionKind::pool_funding, now, effective_from, static_cast<std::uint32_t>(version),
                                                intern_actor(actor), postings));
  }
  changes.events.push_back(Event{EventKind::program_saved, effective_from, no_member, no_index, version});
  schedule({effective_from, DueKind::program_effective, static_cast<std::uint32_t>(version - 1)});
  settle(changes);
  return Result::success();
}

void Store::apply_program_version(std::uint32_t version_index, UtcSeconds now, Changes& changes) {
  const ProgramVersion& version = program_versions_[version_index];
  const bool inactivity_changes = version.inactivity_since_utc == version.effective_from_utc;
  if (version.config.expiry.inactivity_months > 0 && inactivity_changes) {
    // Every member gets the full new period; items scheduled under the old setting no
    // longer match their deadline and are skipped when they come up.
    for (MemberIndex member = 0; member < members_.size(); ++member) {
      const UtcSeconds deadline = inactivity_deadline(member, version.effective_from_utc);
      if (deadline != INT64_MAX) schedule({deadline, DueKind::inactivity, member});
    }
  }
  // Tiers may have new thresholds: place every member again.
  for (MemberIndex member = 0; member < members_.size(); ++member) {
    evaluate_tier(member, now, TierChangeCause::program_changed, changes);
  }
}

// ---------------------------------------------------------------------------------------------
// Invariants and size

std::string Store::check_invariants() const {
  if (std::string ledger_problem = ledger_.check_invariants(); !ledger_problem.empty()) return ledger_problem;
  for (std::size_t i = 0; i < orders_.size(); ++i) {
    const Order& order = orders_[i];
    if (order.buyer_points_reversed > order.buyer_points_earned || order.referrer_points_reversed > order.referrer_points_earned ||
        order.tier_points_reversed > order.tier_points_earned) {
      return "order " + order.order_id + " reversed more than it earned";
    }
    if (order.refunded_vnd > order.amounts.amount_vnd) return "order " + order.order_id + " refunded more than its amount";
  }
  // Held points per member in one pass over the holds (audit stays linear).
  std::vector<Points> held_by_member(members_.size(), 0);
  for (const PointsHold& hold : holds_) {
    if (hold.state == HoldState::active) held_by_member[hold.member] += hold.points;
  }
  // The lots' sums per member in one pass over the lots (every lot is in its member's list):
  // on millions of lots, far faster than walking each member's list.
  std::vector<Points> available_by_member(members_.size(), 0), pending_by_member(members_.size(), 0);
  for (std::size_t i = 0; i < lots_.size(); ++i) {
    const PointLot& lot = lots_[i];
    const std::string& member_id = members_[lot.member].member_id;
    if (lot.points_remaining < 0) return "a lot of member " + member_id + " holds less than nothing";
    if (lot.points_remaining > lot.points_earned) return "a lot of member " + member_id + " holds more than it earned";
    if (lot.points_expired < 0 || lot.points_expired > lot.points_earned) return "a lot of member " + member_id + " expired more than it earned";
    (lot.pending ? pending_by_member : available_by_member)[lot.member] += lot.points_remaining;
  }
  for (MemberIndex member = 0; member < members_.size(); ++member) {
    const Member& record = members_[member];
    const Points available = available_by_member[member], pending = pending_by_member[member];
    if (record.debt_points < 0) return "negative debt for member " + record.member_id;
    if (available - record.debt_points != ledger_.balance(member, MemberAccount::points)) {
      return "lots of member " + record.member_id + " disagree with the points balance";
    }
    if (pending != ledger_.balance(member, MemberAccount::pending)) return "pending lots of member " + record.member_id + " disagree";
    const Points held = held_by_member[member];
    if (held != ledger_.balance(member, MemberAccount::held)) return "holds of member " + record.member_id + " disagree";
    // available + pending + held = earned + received + returned - spent - expired - reversed - sent
    const Points statement = record.points_earned + record.points_received + record.points_returned - record.points_spent -
                             record.points_expired - record.points_reversed - record.points_sent;
    if (ledger_.balance(member, MemberAccount::points) + pending + held != statement) {
      return "the statement of member " + record.member_id + " does not add up";
    }
    TierPoints total = 0;
    for (const TierEntry& entry : members_[member].tier_history) total += entry.tier_points;
    if (total != ledger_.balance(member, MemberAccount::tier_points)) {
      return "tier history of member " + members_[member].member_id + " disagrees with the ledger";
    }
  }
  if (std::string problem = campaigns_.check_invariants(members_.size()); !problem.empty()) return problem;
  return notifications_.check_invariants(members_.size());
}

std::size_t Store::memory_bytes() const {
  auto string_heap = [](const std::string& text) { return text.capacity() > 15 ? text.capacity() + 1 : 0; };
  // An unordered_map node holds the pair and a next pointer; the bucket array one pointer per bucket.
  auto map_bytes = [&](const auto& map) {
    std::size_t bytes = map.bucket_count() * sizeof(void*);
    using Key = typename std::decay_t<decltype(map)>::key_type;
    for (const auto& [key, value] : map) {
      bytes += sizeof(key) + sizeof(value) + sizeof(void*) * 2;
      if constexpr (std::is_same_v<Key, std::string>) bytes += string_heap(key);
    }
    return bytes;
  };
  std::size_t bytes = ledger_.memory_bytes() + search_index_.memory_bytes() + groups_.memory_bytes() +
                      campaigns_.memory_bytes() + notifications_.memory_bytes();
  bytes += members_.capacity() * sizeof(Member);
  for (const Member& member : members_) {
    bytes += string_heap(member.member_id) + string_heap(member.card_number) + string_heap(member.phone) +
             string_heap(member.name) + string_heap(member.email);
  }
  for (const Member& member : members_) {
    bytes += member.tier_history.capacity() * sizeof(TierEntry);
  }
  bytes += lots_.memory_bytes() + lot_portions_.capacity() * sizeof(LotPortion) +
           holds_.capacity() * sizeof(PointsHold) + due_.capacity() * sizeof(DueItem) + hold_by_id_.memory_bytes();
  bytes += orders_.memory_bytes();
  for (const Order& order : orders_) bytes += string_heap(order.order_id);
  bytes += member_by_id_.memory_bytes() + member_by_phone_.memory_bytes() + member_by_card_.memory_bytes() +
           order_by_id_.memory_bytes() + map_bytes(refund_by_key_) + map_bytes(adjustment_by_key_) +
           refunds_.capacity() * sizeof(RefundRecord);
  // Core IV: orders' lines (kept for refunds by line), bonuses given, staff's tier
  // assignments, and a member's manual tier (retention's state is in Member itself).
  bytes += order_lines_.capacity() * sizeof(StoredOrderLine);
  for (const StoredOrderLine& stored : order_lines_) bytes += string_heap(stored.line.product_id) + string_heap(stored.line.category);
  bytes += bonuses_.capacity() * sizeof(BonusRecord) + tier_assignments_.capacity() * sizeof(TierAssignment);
  for (const TierAssignment& assignment : tier_assignments_) bytes += string_heap(assignment.tier_id) + string_heap(assignment.reason);
  for (const Member& member : members_) bytes += string_heap(member.manual_tier_id);
  // Staff's corrections and points actions (transfers, redemptions, pending released or cancelled).
  bytes += adjustments_.capacity() * sizeof(AdjustmentRecord) + points_actions_.capacity() * sizeof(PointsAction) +
           map_bytes(points_action_by_key_) + map_bytes(staff_action_by_transaction_);
  for (const AdjustmentRecord& adjustment : adjustments_) bytes += string_heap(adjustment.reason) + string_heap(adjustment.idempotency_key);
  for (const PointsAction& action : points_actions_) bytes += string_heap(action.action_id) + string_heap(action.reason);
  return bytes;
}

}  // namespace loyalty
