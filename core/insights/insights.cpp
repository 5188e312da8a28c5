// insights.cpp: program impact, backtest and metrics: reads over a const store.
#include "core/insights/insights.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <span>
#include <unordered_map>

#include "core/program/earning.hpp"

namespace loyalty {

namespace {

constexpr std::uint32_t none_index = UINT32_MAX;

// The member's balances that make up what the store owes: spendable (negative in debt),
// pending and held. Tier points are another unit.
bool is_owed_account(AccountId account) {
  return is_member_account(account) && member_account_kind(account) != MemberAccount::tier_points;
}

// Everything members hold now: points funded minus what sits in the system accounts
// (pool + members + redeemed + expired + adjustments = funded, ledger.hpp).
Points outstanding_now(const Store& store) {
  const Ledger& ledger = store.ledger();
  return ledger.points_funded() - ledger.balance(SystemAccount::pool) - ledger.balance(SystemAccount::redeemed) -
         ledger.balance(SystemAccount::expired) - ledger.balance(SystemAccount::adjustments);
}

// The slot of a tier index in a "by tier" list: the tiers, then "none".
std::size_t tier_slot(std::int32_t tier_index, std::size_t tier_count) {
  return tier_index >= 0 ? static_cast<std::size_t>(tier_index) : tier_count;
}

// A sum kept in 128 bits, reported only if it fits int64.
struct WideSum {
  __int128 value = 0;
  void add(std::int64_t amount) { value += amount; }
  bool fits() const { return value <= INT64_MAX && value >= INT64_MIN; }
  std::int64_t get() const { return static_cast<std::int64_t>(value); }
};

std::optional<BasisPoints> rate_bp(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return divide_rounded(static_cast<__int128>(part) * basis_points_per_whole, whole, Rounding::down);
}

// A refund's share of what an order earned (orders.cpp, record_refund): refunded ÷ the money
// paid for the goods (shipping apart when the program excludes it), the whole once all of it is.
struct RefundShare {
  Vnd refunded_vnd = 0;
  Vnd paid_vnd = 0;
  Vnd goods_paid_vnd = 0;
  std::int64_t of(std::int64_t earned) const {
    const bool all_goods = refunded_vnd == paid_vnd || refunded_vnd >= goods_paid_vnd;
    if (goods_paid_vnd == 0 || all_goods) return earned;
    return multiply_divide(earned, refunded_vnd, goods_paid_vnd, Rounding::down).value();
  }
};
Vnd paid_vnd_of(const Order& order) {
  return order.amounts.amount_vnd - order.amounts.voucher_discount_vnd - order.amounts.paid_with_points_vnd;
}
Vnd goods_paid_vnd_of(const Order& order, const ProgramConfig& config) {
  const Vnd paid_vnd = paid_vnd_of(order);
  const Vnd goods_vnd = config.wallet.exclude_shipping ? paid_vnd - order.amounts.shipping_vnd : paid_vnd;
  return goods_vnd > 0 ? goods_vnd : paid_vnd;
}
bool was_completed(const Order& order) { return order.program_version > 0; }

}  // namespace

// ---------------------------------------------------------------------------------------------
// Shared

std::uint32_t first_transaction_at(const Ledger& ledger, UtcSeconds time) {
  const ChunkedVector<Transaction>& transactions = ledger.transactions();
  std::uint32_t low = 0, high = static_cast<std::uint32_t>(transactions.size());
  while (low < high) {
    const std::uint32_t middle = low + (high - low) / 2;
    if (transactions[middle].time_utc < time) low = middle + 1; else high = middle;
  }
  return low;
}

std::vector<UtcSeconds> refund_times(const Store& store, UtcSeconds from) {
  const std::vector<RefundRecord>& refunds = store.refunds();
  std::vector<UtcSeconds> times(refunds.size(), INT64_MIN);
  if (refunds.empty()) return times;
  // The refunds of each order in the order they were applied: runs of `by_order`, and how
  // many of each run are dated (refunds of an order are dated in turn).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> by_order;   // (order, refund), sorted
  by_order.reserve(refunds.size());
  for (std::uint32_t refund = 0; refund < refunds.size(); ++refund) by_order.emplace_back(refunds[refund].order, refund);
  std::sort(by_order.begin(), by_order.end());
  std::vector<std::uint32_t> run_of(refunds.size());      // refund -> the start of its order's run
  std::vector<std::uint32_t> dated(refunds.size(), 0);     // at a run's start: how many of it are dated
  for (std::uint32_t i = 0; i < by_order.size(); ++i) {
    run_of[by_order[i].second] = i > 0 && by_order[i - 1].first == by_order[i].first ? run_of[by_order[i - 1].second] : i;
  }
  auto date = [&](std::uint32_t refund, UtcSeconds time) {
    if (times[refund] != INT64_MIN) return;
    times[refund] = time;
    const std::uint32_t run = run_of[refund];
    std::uint32_t& next = dated[run];
    while (run + next < by_order.size() && by_order[run + next].first == by_order[run].first &&
           times[by_order[run + next].second] != INT64_MIN) {
      ++next;
    }
  };
  // A refund's transactions are posted one after the other; the pending points it cancels
  // (subject: the lot) come first, then those whose subject is the refund itself.
  const Ledger& ledger = store.ledger();
  const ChunkedVector<Transaction>& transactions = ledger.transactions();
  std::uint32_t group_order = none_index;
  UtcSeconds group_time = 0;
  auto close_group = [&]() {
    if (group_order == none_index) return;
    const auto run = static_cast<std::uint32_t>(
        std::lower_bound(by_order.begin(), by_order.end(), std::make_pair(group_order, 0u)) - by_order.begin());
    const std::uint32_t next = run + dated[run];
    if (next < by_order.size() && by_order[next].first == group_order) date(by_order[next].second, group_time);
    group_order = none_index;
  };
  for (std::uint32_t index = first_transaction_at(ledger, from); index < transactions.size(); ++index) {
    const Transaction& transaction = transactions[index];
    switch (transaction.kind) {
      case TransactionKind::order_reversal:
      case TransactionKind::tier_reversal:
      case TransactionKind::points_returned:
        group_order = none_index;   // the refund it belongs to is named: no guess needed
        date(transaction.subject, transaction.time_utc);
        break;
      case TransactionKind::pending_cancel: {
        if (store.staff_action_for(index) != nullptr) { close_group(); break; }
        const std::uint32_t order = store.lots()[transaction.subject].order;
        if (order != group_order) close_group();
        group_order = order;
        group_time = transaction.time_utc;
        break;
      }
      default:
        close_group();
    }
  }
  close_group();
  UtcSeconds latest = INT64_MIN;
  for (std::uint32_t refund = 0; refund < refunds.size(); ++refund) {
    if (times[refund] == INT64_MIN) times[refund] = std::max(latest, store.orders()[refunds[refund].order].completed_at_utc);
    latest = std::max(latest, times[refund]);
  }
  return times;
}

// ---------------------------------------------------------------------------------------------
// Program impact

ProgramImpact program_impact(const Store& store, const ProgramConfig& current, const ProgramConfig& candidate,
                             UtcSeconds time, std::size_t sample_limit) {
  ProgramImpact impact;
  const std::vector<Member>& members = store.members();
  impact.members = static_cast<std::int64_t>(members.size());
  impact.members_by_tier_now.assign(current.tiers.size() + 1, 0);
  impact.members_by_tier_after.assign(candidate.tiers.size() + 1, 0);
  // Each member's tier as the store computes it: now under the program in force, after as
  // saving the candidate would place them (its measure and period, retention from the
  // member's tier, a manual tier in force).
  for (MemberIndex member = 0; member < members.size(); ++member) {
    const std::vector<TierEntry>& history = members[member].tier_history;
    const std::int64_t now_measure = tier_measure_in_period(history, current, time);
    const std::int64_t after_measure = tier_measure_in_period(history, candidate, time);
    const std::int32_t now_tier = store.tier_with_rules(member, current, current.tier_index_for(now_measure), time);
    const std::int32_t after_tier = store.tier_with_rules(member, candidate, candidate.tier_index_for(after_measure), time);
    ++impact.members_by_tier_now[tier_slot(now_tier, current.tiers.size())];
    ++impact.members_by_tier_after[tier_slot(after_tier, candidate.tiers.size())];
    if (after_tier == now_tier) continue;
    ++(after_tier > now_tier ? impact.moved_up : impact.moved_down);
    if (impact.sample.size() < sample_limit) impact.sample.push_back({member, now_tier, after_tier, now_measure, after_measure});
  }
  assert(impact.moved_up + impact.moved_down <= impact.members);
  // Points are at most 10^12 and a point at most 10^6 VND: the values fit int64 (money.hpp).
  impact.outstanding_points = outstanding_now(store);
  impact.point_value_vnd_now = current.wallet.point_value_vnd;
  impact.point_value_vnd_after = candidate.wallet.point_value_vnd;
  impact.liability_vnd_now = impact.outstanding_points * impact.point_value_vnd_now;
  impact.liability_vnd_after = impact.outstanding_points * impact.point_value_vnd_after;
  return impact;
}

// ---------------------------------------------------------------------------------------------
// Backtest
//
// A lean replay: the orders completed before `to` and the refunds applied before it, in time
// order. Each member's tier history is rebuilt under the candidate (TierEntry, as the store
// keeps it: tier points, spend and the order at completion, or tier points at the end of the
// pending period) and read by the store's own tier_measure_in_period and tier_with_rules, so
// the candidate's measure, period (window or calendar year), retention and the manual tiers
// staff assigned place the member as the store would. Each order is valued by compute_earning
// (core/program/earning.*) with the buyer's tier under the candidate, as Store::plan_earning
// values it; each refund takes back the share Store::record_refund would take. The
// candidate's bonuses are given as core/bonuses gives them: welcome on joining, profile
// completion when the store saw the profile complete (on joining when it gave no bonus), first
// order and referral on the member's first completed order, tier-up on first reaching a tier
// by what the member did; those of an order are reversed when a refund ends it within the
// pending period. Lots, spending, expiry and the pool's balance are not replayed; a member's
// tier is reviewed at each of their orders and refunds and at the end of the period.

namespace {

struct SimEvent {
  UtcSeconds time;
  std::uint32_t kind_and_index;   // completion: order index; refund: high bit + refund index
  bool operator<(const SimEvent& other) const {
    return time != other.time ? time < other.time : kind_and_index < other.kind_and_index;
  }
};
constexpr std::uint32_t refund_bit = 0x80000000u;

struct SimOrder {              // per order, indexed like store.orders()
  Points buyer_points = 0;
  Points referrer_points = 0;
  TierPoints tier_points_earned = 0;
  Points buyer_reversed = 0;
  Points referrer_reversed = 0;
  TierPoints tier_reversed = 0;
  Vnd refunded_vnd = 0;
  Vnd spend_counted_vnd = 0;              // its goods in its entry, less what refunds took back
  Points bonus_points = 0;               // bonuses it triggered (first order, referral, tier-up)
  bool bonuses_reversed = false;
  std::uint32_t entry = none_index;      // its entry at completion (index into Replay::entries_)
  std::uint32_t tier_entry = none_index; // where its tier points count: the entry, or one at the end of the pending period
};

// A member's entries are one contiguous run, sorted by effective time and placed before the
// replay (an order's values are filled in when it completes), so the store's period sums read
// it as they read a member's tier history.
struct SimMember {
  std::uint32_t first = 0;     // first entry of the run
  std::uint32_t size = 0;
  std::int32_t tier_index = -1;
  UtcSeconds tier_since_utc = 0;
  bool joined = false;         // placed in a tier as of joining
  bool completed_an_order = false;
  std::uint32_t tier_up_bonus_tiers = 0;
  std::uint32_t first_assignment = none_index;   // its tier assignments (Replay::assignments_), in time order
  std::uint32_t assignment_count = 0;
};

class Replay {
 public:
  Replay(const Store& store, const ProgramConfig& config, const std::vector<SimEvent>& events, UtcSeconds from, UtcSeconds to)
      : store_(store), config_(config), from_(from), to_(to) {
    orders_.resize(store.orders().size());
    members_.resize(store.members().size());
    deferred_days_ = config.pending.days > 0 && config.pending.tier_points_when_available ? config.pending.days : 0;
    // Where each completion's entries go: (member, effective time, order, second) sorted.
    struct Slot { MemberIndex member; UtcSeconds at; std::uint32_t order; bool tier_part; };
    std::vector<Slot> slots;
    slots.reserve(events.size() * (deferred_days_ > 0 ? 2 : 1));
    for (const SimEvent& event : events) {
      if (event.kind_and_index & refund_bit) continue;
      const MemberIndex member = store.orders()[event.kind_and_index].member;
      slots.push_back({member, event.time, event.kind_and_index, false});
      if (deferred_days_ > 0) slots.push_back({member, event.time + deferred_days_ * seconds_per_day, event.kind_and_index, true});
    }
    std::sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) {
      if (a.member != b.member) return a.member < b.member;
      if (a.at != b.at) return a.at < b.at;
      if (a.order != b.order) return a.order < b.order;
      return a.tier_part < b.tier_part;
    });
    entries_.resize(slots.size());
    for (std::uint32_t index = 0; index < slots.size(); ++index) {
      const Slot& slot = slots[index];
      SimMember& member = members_[slot.member];
      if (member.size == 0) member.first = index;
      ++member.size;
      entries_[index].effective_time_utc = slot.at;
      SimOrder& order = orders_[slot.order];
      (slot.tier_part ? order.tier_entry : order.entry) = index;
      if (!slot.tier_part && deferred_days_ == 0) order.tier_entry = index;
    }
    // Staff's tier assignments by member, in the order they were made (time order).
    const std::vector<TierAssignment>& assignments = store.tier_assignments();
    std::vector<std::uint32_t> by_member(assignments.size());
    for (std::uint32_t index = 0; index < assignments.size(); ++index) by_member[index] = index;
    std::stable_sort(by_member.begin(), by_member.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return assignments[a].member < assignments[b].member; });
    assignments_ = std::move(by_member);
    for (std::uint32_t position = 0; position < assignments_.size(); ++position) {
      SimMember& member = members_[assignments[assignments_[position]].member];
      if (member.assignment_count++ == 0) member.first_assignment = position;
    }
  }

  void complete(std::uint32_t order_index) {
    const Order& order = store_.orders()[order_index];
    const UtcSeconds time = order.completed_at_utc;
    SimMember& member = members_[order.member];
    join(order.member);
    // The buyer's tier at that time, before this order, decides the multiplier (plan_earning).
    const Place before = tier_at(order.member, time);
    const std::int32_t tier = before.tier_index;
    EarningContext context;
    lines_.clear();
    for (const StoredOrderLine& stored : store_.order_lines(order)) lines_.push_back(stored.line);
    context.lines = lines_;
    if (!config_.promotions.empty()) {
      context.promotion = promotion_for(config_, time, tier, [&](const std::string& group_id) {
        return store_.member_in_group(order.member, group_id, time);
      });
    }
    const bool referred = order.referrer != no_member;
    const EarningBreakdown earning = compute_earning(config_, order.amounts, tier, referred, context);
    SimOrder& sim = orders_[order_index];
    if (earning.code == ResultCode::ok) {
      sim.buyer_points = earning.buyer_points;
      sim.referrer_points = referred ? earning.referrer_points : 0;
      sim.tier_points_earned = earning.tier_points;
    }
    // The first completed order's bonuses (Store::plan_order_bonuses).
    if (!member.completed_an_order) {
      member.completed_an_order = true;
      const BonusConfig& bonuses = config_.bonuses;
      give(sim, bonuses.first_order_points, time);
      if (referred) {
        give(sim, bonuses.referral_referrer_points, time);
        give(sim, bonuses.referral_new_member_points, time);
        if (bonuses.referral_instead_of_percentage) sim.referrer_points = 0;
      }
    }
    sim.spend_counted_vnd = goods_paid_vnd_of(order, config_);
    TierEntry& entry = entries_[sim.entry];
    entry.spend_vnd = sim.spend_counted_vnd;
    entry.orders = 1;
    entries_[sim.tier_entry].tier_points = sim.tier_points_earned;
    // The measure after the order is the one before plus what its entry at `time` adds (as
    // complete_order counts it), without summing the history again.
    std::int64_t measure_after = before.measure + 1;
    if (config_.tier_points.qualify_by == TierMeasure::spend_vnd) measure_after = before.measure + entry.spend_vnd;
    if (config_.tier_points.qualify_by == TierMeasure::tier_points) {
      measure_after = before.measure + (sim.tier_entry == sim.entry ? sim.tier_points_earned : 0);
    }
    review(order.member, time, &sim, measure_after);
  }

  // Returns the points the refund takes back (bonuses its order gave included).
  Points refund(std::uint32_t refund_index, UtcSeconds time) {
    const RefundRecord& record = store_.refunds()[refund_index];
    const Order& order = store_.orders()[record.order];
    SimOrder& sim = orders_[record.order];
    if (sim.entry == none_index || order.completed_at_utc >= to_) return 0;   // its order completed at or after `to`
    sim.refunded_vnd += record.amount_vnd;
    const RefundShare share{sim.refunded_vnd, paid_vnd_of(order), goods_paid_vnd_of(order, config_)};
    const Points buyer_back = std::max<Points>(0, share.of(sim.buyer_points) - sim.buyer_reversed);
    const Points referrer_back = std::max<Points>(0, share.of(sim.referrer_points) - sim.referrer_reversed);
    const TierPoints tier_back = std::max<TierPoints>(0, share.of(sim.tier_points_earned) - sim.tier_reversed);
    sim.buyer_reversed += buyer_back;
    sim.referrer_reversed += referrer_back;
    sim.tier_reversed += tier_back;
    // Tier points, spend and the order leave from when they were counted, as the store's
    // negative tier entries do.
    const bool full = sim.refunded_vnd == paid_vnd_of(order);
    const Vnd spend_left_vnd = std::max<Vnd>(0, share.goods_paid_vnd - std::min(sim.refunded_vnd, share.goods_paid_vnd));
    entries_[sim.tier_entry].tier_points -= tier_back;
    entries_[sim.entry].spend_vnd -= sim.spend_counted_vnd - spend_left_vnd;
    sim.spend_counted_vnd = spend_left_vnd;
    if (full) entries_[sim.entry].orders = 0;
    Points back = buyer_back + referrer_back;
    // Bonuses go back when a refund ends the order within its pending period (refund_order).
    if (full && !sim.bonuses_reversed && sim.bonus_points > 0 &&
        time < order.completed_at_utc + static_cast<UtcSeconds>(config_.pending.days) * seconds_per_day) {
      sim.bonuses_reversed = true;
      back += sim.bonus_points;
    }
    review(order.member, time, nullptr);
    return back;
  }

  // The member's place at `time` as the store would compute it from the replayed history.
  struct Place { std::int32_t tier_index; std::int32_t qualified; std::int64_t measure; bool manual; };
  // `known_measure` (when not negative) is the measure already known at `time`.
  Place tier_at(MemberIndex member, UtcSeconds time, std::int64_t known_measure = -1) const {
    const SimMember& state = members_[member];
    const std::span<const TierEntry> history(entries_.data() + state.first, state.size);
    const std::int64_t measure = known_measure >= 0 ? known_measure : tier_measure_in_period(history, config_, time);
    const std::int32_t qualified = config_.tier_index_for(measure);
    TierState tier_state{state.tier_index, state.tier_since_utc, {}, 0};
    // The assignment in force at `time`: the last one made by then (an empty tier id ended it early).
    for (std::uint32_t i = 0; i < state.assignment_count; ++i) {
      const TierAssignment& assignment = store_.tier_assignments()[assignments_[state.first_assignment + i]];
      if (assignment.assigned_at_utc > time) break;
      tier_state.manual_tier_id = assignment.tier_id;
      tier_state.manual_tier_ends_at_utc = assignment.ends_at_utc;
    }
    const std::int32_t tier = tier_with_rules(tier_state, config_, qualified, time);
    const bool manual = !tier_state.manual_tier_id.empty() && time < tier_state.manual_tier_ends_at_utc && tier > qualified;
    return {tier, qualified, measure, manual};
  }

  // Places the member at `time` (Store::set_tier): a tier first reached by what the member did
  // gives its tier-up bonus, with the order that reached it.
  void review(MemberIndex member, UtcSeconds time, SimOrder* order, std::int64_t known_measure = -1) {
    const Place place = tier_at(member, time, known_measure);
    SimMember& state = members_[member];
    if (place.tier_index == state.tier_index) return;
    // Every tier reached on the way up pays its bonus once, lowest first, as Store::set_tier.
    if (place.tier_index > state.tier_index && !place.manual) {
      for (std::int32_t reached = std::max<std::int32_t>(state.tier_index + 1, 0); reached <= place.tier_index && reached < 32;
           ++reached) {
        const Tier& tier = config_.tiers[static_cast<std::size_t>(reached)];
        const std::uint32_t bit = 1u << static_cast<unsigned>(reached);
        if (tier.tier_up_bonus_points <= 0 || (state.tier_up_bonus_tiers & bit) != 0) continue;
        state.tier_up_bonus_tiers |= bit;
        if (order != nullptr) {
          give(*order, tier.tier_up_bonus_points, time);
        } else if (time >= from_ && time < to_) {
          bonus_points_.add(tier.tier_up_bonus_points);
        }
      }
    }
    state.tier_index = place.tier_index;
    state.tier_since_utc = time;
  }

  // Placed as of joining (Store::create_member evaluates the new member's tier), once.
  void join(MemberIndex member) {
    SimMember& state = members_[member];
    if (state.joined) return;
    state.joined = true;
    state.tier_since_utc = store_.members()[member].joined_at_utc;
    review(member, state.tier_since_utc, nullptr);
  }

  // Welcome and profile completion, the bonuses of no order, for every member.
  void give_member_bonuses() {
    const BonusConfig& bonuses = config_.bonuses;
    if (bonuses.welcome_points == 0 && bonuses.profile_completion_points == 0) return;
    std::vector<UtcSeconds> completed_at(store_.members().size(), INT64_MIN);
    for (const BonusRecord& bonus : store_.bonuses()) {
      if (bonus.kind == BonusKind::profile_completion) completed_at[bonus.member] = store_.lots()[bonus.lot].earned_at_utc;
    }
    for (MemberIndex member = 0; member < store_.members().size(); ++member) {
      const Member& record = store_.members()[member];
      if (record.joined_at_utc >= from_ && record.joined_at_utc < to_) bonus_points_.add(bonuses.welcome_points);
      const UtcSeconds profile_at =
          completed_at[member] != INT64_MIN ? completed_at[member] : profile_complete(record) ? record.joined_at_utc : INT64_MIN;
      if (profile_at >= from_ && profile_at < to_) bonus_points_.add(bonuses.profile_completion_points);
    }
  }

  const SimOrder& order(std::uint32_t index) const { return orders_[index]; }
  const WideSum& bonus_points() const { return bonus_points_; }

 private:
  void give(SimOrder& order, Points points, UtcSeconds time) {
    if (points <= 0) return;
    order.bonus_points += points;
    if (time >= from_ && time < to_) bonus_points_.add(points);
  }

  const Store& store_;
  const ProgramConfig& config_;
  UtcSeconds from_;
  UtcSeconds to_;
  std::vector<OrderLine> lines_;   // the order being valued's lines (reused)
  std::vector<SimOrder> orders_;
  std::vector<SimMember> members_;
  std::vector<TierEntry> entries_;
  std::vector<std::uint32_t> assignments_;   // store.tier_assignments() indexes, by member
  WideSum bonus_points_;
  std::int32_t deferred_days_ = 0;
};

std::vector<std::int64_t> count_tiers(const std::vector<std::int32_t>& tiers, std::size_t tier_count) {
  std::vector<std::int64_t> counts(tier_count + 1, 0);
  for (std::int32_t tier : tiers) ++counts[tier_slot(tier, tier_count)];
  return counts;
}

}  // namespace

Backtest backtest_program(const Store& store, const ProgramConfig& current, const ProgramConfig& candidate, UtcSeconds from,
                          UtcSeconds to, std::size_t sample_limit) {
  Backtest result;
  const ChunkedVector<Order>& orders = store.orders();
  const std::vector<UtcSeconds> refund_at = refund_times(store, INT64_MIN);

  std::vector<SimEvent> events;
  events.reserve(orders.size() + refund_at.size());
  WideSum buyer, referrer, tier, bonus;
  for (std::uint32_t index = 0; index < orders.size(); ++index) {
    const Order& order = orders[index];
    if (!was_completed(order) || order.completed_at_utc >= to) continue;
    events.push_back({order.completed_at_utc, index});
    if (order.completed_at_utc < from) continue;
    ++result.orders;
    buyer.add(order.buyer_points_earned);
    referrer.add(order.referrer_points_earned);
    tier.add(order.tier_points_earned);
  }
  // The bonuses the store gave, by the moment they count from (their lot's).
  for (const BonusRecord& bonus_given : store.bonuses()) {
    const UtcSeconds earned_at = store.lots()[bonus_given.lot].earned_at_utc;
    if (earned_at >= from && earned_at < to) bonus.add(bonus_given.points);
  }
  result.orders_replayed = static_cast<std::int64_t>(events.size());
  for (std::uint32_t refund = 0; refund < refund_at.size(); ++refund) {
    // Refunds after the period are replayed too (after every order of it): a refund takes its
    // tier points back from when they were counted, so the tiers at `to` as the store sees
    // them now are without them. What they take back is not counted in the period.
    events.push_back({refund_at[refund], refund_bit | refund});
    if (refund_at[refund] >= from && refund_at[refund] < to) ++result.refunds;
  }
  // Orders mostly arrive as they complete, and refunds are dated in the order they were
  // applied: two sorted runs, merged (sorted in full only when a late order broke the first).
  const auto refunds_begin = events.begin() + result.orders_replayed;
  if (!std::is_sorted(events.begin(), refunds_begin)) std::sort(events.begin(), refunds_begin);
  if (!std::is_sorted(refunds_begin, events.end())) std::sort(refunds_begin, events.end());
  std::inplace_merge(events.begin(), refunds_begin, events.end());

  // What the store took back in the period: its reversals (bonuses' too) and the pending
  // points refunds cancelled (not staff's cancellations).
  WideSum reversed;
  const ChunkedVector<Transaction>& transactions = store.ledger().transactions();
  for (std::uint32_t index = first_transaction_at(store.ledger(), from); index < transactions.size(); ++index) {
    const Transaction& transaction = transactions[index];
    if (transaction.time_utc >= to) break;
    if (transaction.kind != TransactionKind::order_reversal && transaction.kind != TransactionKind::pending_cancel &&
        transaction.kind != TransactionKind::bonus_reversal) {
      continue;
    }
    if (transaction.kind == TransactionKind::pending_cancel && store.staff_action_for(index) != nullptr) continue;
    for (const Posting& posting : store.ledger().postings_of(transaction)) {
      if (posting.account == account_of(SystemAccount::pool)) reversed.add(posting.amount);
    }
  }

  Replay replay(store, candidate, events, from, to);
  replay.give_member_bonuses();
  WideSum sim_buyer, sim_referrer, sim_tier, sim_reversed;
  for (const SimEvent& event : events) {
    if (event.kind_and_index & refund_bit) {
      const Points back = replay.refund(event.kind_and_index & ~refund_bit, event.time);
      if (event.time >= from && event.time < to) sim_reversed.add(back);
      continue;
    }
    replay.complete(event.kind_and_index);
    if (event.time < from) continue;
    const SimOrder& sim = replay.order(event.kind_and_index);
    sim_buyer.add(sim.buyer_points);
    sim_referrer.add(sim.referrer_points);
    sim_tier.add(sim.tier_points_earned);
  }

  // Tiers at the end of the period: the store's (its tier history, the program in force at
  // `to`, the member's retention and manual tier) against the replay's, each reviewed once
  // more then. `to` is exclusive: tiers as of its last second.
  const UtcSeconds end = to - 1;
  const std::vector<Member>& members = store.members();
  std::vector<std::int32_t> tiers_now(members.size(), -1), tiers_after(members.size(), -1);
  for (MemberIndex member = 0; member < members.size(); ++member) {
    if (members[member].joined_at_utc > end) {
      tiers_now[member] = tiers_after[member] = -1;   // not a member yet
      continue;
    }
    const std::int64_t now_measure = tier_measure_in_period(members[member].tier_history, current, end);
    tiers_now[member] = store.tier_with_rules(member, current, current.tier_index_for(now_measure), end);
    replay.join(member);
    replay.review(member, end, nullptr);
    const Replay::Place after = replay.tier_at(member, end);
    tiers_after[member] = after.tier_index;
    if (tiers_after[member] == tiers_now[member]) continue;
    ++(tiers_after[member] > tiers_now[member] ? result.moved_up : result.moved_down);
    if (result.sample.size() < sample_limit) {
      result.sample.push_back({member, tiers_now[member], tiers_after[member], now_measure, after.measure});
    }
  }
  const WideSum& sim_bonus = replay.bonus_points();
  const WideSum* sums[] = {&buyer, &referrer, &tier, &bonus, &reversed, &sim_buyer, &sim_referrer, &sim_tier, &sim_bonus, &sim_reversed};
  for (const WideSum* sum : sums) {
    if (!sum->fits()) {
      result.code = ResultCode::amount_too_large;
      return result;
    }
  }

  auto fill = [&](BacktestFigures& figures, const ProgramConfig& config, const WideSum& buyer_sum, const WideSum& referrer_sum,
                  const WideSum& bonus_sum, const WideSum& reversed_sum, const WideSum& tier_sum, const std::vector<std::int32_t>& tiers) {
    figures.buyer_points = buyer_sum.get();
    figures.referrer_points = referrer_sum.get();
    figures.bonus_points = bonus_sum.get();
    figures.points_reversed = reversed_sum.get();
    // Each sum fits int64, and each is at most the pool's 10^12 points times the orders: in 128 bits.
    const __int128 net = static_cast<__int128>(figures.buyer_points) + figures.referrer_points + figures.bonus_points -
                         figures.points_reversed;
    figures.points_net = net > INT64_MAX || net < INT64_MIN ? 0 : static_cast<Points>(net);
    figures.point_value_vnd = config.wallet.point_value_vnd;
    figures.tier_points = tier_sum.get();
    figures.members_by_tier = count_tiers(tiers, config.tiers.size());
    return net <= INT64_MAX && net >= INT64_MIN;
  };
  if (!fill(result.current, current, buyer, referrer, bonus, reversed, tier, tiers_now) ||
      !fill(result.candidate, candidate, sim_buyer, sim_referrer, sim_bonus, sim_reversed, sim_tier, tiers_after)) {
    result.code = ResultCode::amount_too_large;
    return result;
  }
  result.current.outstanding_points = outstanding_now(store);
  // Spending and expiry as they happened: the candidate's difference in points issued is
  // what its members would hold more (or less) now.
  const __int128 candidate_outstanding = static_cast<__int128>(result.current.outstanding_points) + result.candidate.points_net -
                                         result.current.points_net;
  if (candidate_outstanding > INT64_MAX || candidate_outstanding < INT64_MIN) {
    result.code = ResultCode::amount_too_large;
    return result;
  }
  result.candidate.outstanding_points = static_cast<Points>(candidate_outstanding);
  for (BacktestFigures* figures : {&result.current, &result.candidate}) {
    const __int128 net_value = static_cast<__int128>(figures->points_net) * figures->point_value_vnd;
    const __int128 outstanding_value = static_cast<__int128>(figures->outstanding_points) * figures->point_value_vnd;
    if (net_value > INT64_MAX || net_value < INT64_MIN || outstanding_value > INT64_MAX || outstanding_value < INT64_MIN) {
      result.code = ResultCode::amount_too_large;
      return result;
    }
    figures->points_net_value_vnd = static_cast<Vnd>(net_value);
    figures->outstanding_value_vnd = static_cast<Vnd>(outstanding_value);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Metrics

std::string_view metrics_bucket_name(MetricsBucket bucket) {
  switch (bucket) {
    case MetricsBucket::day: return "day";
    case MetricsBucket::week: return "week";
    case MetricsBucket::month: return "month";
  }
  return "day";
}

std::optional<MetricsBucket> metrics_bucket_from_name(std::string_view name) {
  for (MetricsBucket bucket : {MetricsBucket::day, MetricsBucket::week, MetricsBucket::month}) {
    if (metrics_bucket_name(bucket) == name) return bucket;
  }
  return std::nullopt;
}

namespace {

std::string two_digits(std::int32_t value) { return (value < 10 ? "0" : "") + std::to_string(value); }

// The ISO week of a local day: weeks start on Monday, and week 1 holds the year's first Thursday.
std::string iso_week_label(std::int64_t days) {
  const std::int64_t weekday = ((days + 3) % 7 + 7) % 7;   // 1970-01-01 was a Thursday; Monday = 0
  const std::int64_t thursday = days - weekday + 3;
  const CivilDate date = civil_from_days(thursday);
  const std::int64_t day_of_year = thursday - days_from_civil({date.year, 1, 1});
  return std::to_string(date.year) + "-W" + two_digits(static_cast<std::int32_t>(day_of_year / 7 + 1));
}

}  // namespace

std::vector<MetricsFigures> metrics_buckets(UtcSeconds from, UtcSeconds to, MetricsBucket bucket, const TimeZone& zone,
                                            std::size_t limit) {
  std::vector<MetricsFigures> buckets;
  UtcSeconds start = from;
  while (start < to) {
    if (buckets.size() == limit) return {};   // more than `limit`: the caller refuses
    const CivilDate date = local_date(start, zone);
    const std::int64_t days = days_from_civil(date);
    CivilDate next;
    std::string label;
    switch (bucket) {
      case MetricsBucket::day:
        next = civil_from_days(days + 1);
        label = std::to_string(date.year) + "-" + two_digits(date.month) + "-" + two_digits(date.day);
        break;
      case MetricsBucket::week:
        next = civil_from_days(days - ((days + 3) % 7 + 7) % 7 + 7);
        label = iso_week_label(days);
        break;
      case MetricsBucket::month:
        next = date.month == 12 ? CivilDate{date.year + 1, 1, 1} : CivilDate{date.year, date.month + 1, 1};
        label = std::to_string(date.year) + "-" + two_digits(date.month);
        break;
    }
    MetricsFigures figures;
    figures.start_utc = start;
    figures.end_utc = std::min(to, local_midnight_utc(next, zone));
    figures.label = std::move(label);
    buckets.push_back(std::move(figures));
    start = buckets.back().end_utc;
  }
  return buckets;
}

namespace {

// Which spans (of a chunk of at most 64) a moment falls in, or is within `window` before the end of.
struct SpanIndex {
  std::vector<UtcSeconds> starts;
  std::vector<UtcSeconds> ends;
  // The span holding `time`, or -1.
  int span_of(UtcSeconds time) const {
    const auto it = std::upper_bound(ends.begin(), ends.end(), time);
    if (it == ends.end()) return -1;
    const auto span = static_cast<int>(it - ends.begin());
    return starts[static_cast<std::size_t>(span)] <= time ? span : -1;
  }
  // Bits of the spans whose end E has E − window <= time < E.
  std::uint64_t active_bits(UtcSeconds time, UtcSeconds window) const {
    const auto first = static_cast<int>(std::upper_bound(ends.begin(), ends.end(), time) - ends.begin());
    const auto last = static_cast<int>(std::upper_bound(ends.begin(), ends.end(), time + window) - ends.begin());   // exclusive
    return bits(first, last);
  }
  static std::uint64_t bits(int first, int last) {   // [first, last)
    if (first >= last) return 0;
    const std::uint64_t upto_last = last >= 64 ? ~0ull : (1ull << last) - 1;
    const std::uint64_t below_first = first >= 64 ? ~0ull : (1ull << first) - 1;
    return upto_last & ~below_first;
  }
};

struct CompactOrder {
  MemberIndex member;
  UtcSeconds completed_at_utc;
};

// Distinct members per span: buyers, repeat buyers, active in the 30 and 90 days before the
// span's end. One pass over the orders per chunk of 64 spans, a bit per span per member (a
// member's four masks in one half cache line). `ordered_before`: a bit per member who
// completed an order before the first span.
void count_members(const std::vector<CompactOrder>& orders, std::vector<std::uint64_t> ordered_before, std::size_t member_count,
                   std::vector<MetricsFigures*>& spans) {
  constexpr UtcSeconds days_30 = 30 * seconds_per_day;
  constexpr UtcSeconds days_90 = 90 * seconds_per_day;
  struct Masks { std::uint64_t once, twice, active_30, active_90; };
  std::vector<Masks> masks(member_count);
  for (std::size_t chunk = 0; chunk < spans.size(); chunk += 64) {
    const std::size_t count = std::min<std::size_t>(64, spans.size() - chunk);
    SpanIndex index;
    for (std::size_t k = 0; k < count; ++k) {
      index.starts.push_back(spans[chunk + k]->start_utc);
      index.ends.push_back(spans[chunk + k]->end_utc);
    }
    std::fill(masks.begin(), masks.end(), Masks{0, 0, 0, 0});
    for (const CompactOrder& order : orders) {
      Masks& member = masks[order.member];
      if (const int span = index.span_of(order.completed_at_utc); span >= 0) {
        const std::uint64_t bit = 1ull << span;
        member.twice |= member.once & bit;
        member.once |= bit;
      }
      member.active_30 |= index.active_bits(order.completed_at_utc, days_30);
      member.active_90 |= index.active_bits(order.completed_at_utc, days_90);
    }
    auto add = [&](std::uint64_t mask, std::int64_t MetricsFigures::*field) {
      for (; mask != 0; mask &= mask - 1) ++(spans[chunk + static_cast<std::size_t>(std::countr_zero(mask))]->*field);
    };
    for (std::size_t member = 0; member < member_count; ++member) {
      const Masks& bits = masks[member];
      add(bits.once, &MetricsFigures::buyers);
      add(bits.active_30, &MetricsFigures::active_members_30d);
      add(bits.active_90, &MetricsFigures::active_members_90d);
      if (bits.once == 0) continue;
      // A buyer repeats in a span with a second order in it, or an order before it: before
      // this chunk, or in an earlier span of it (every span but the first with an order).
      std::uint64_t& before = ordered_before[member / 64];
      const std::uint64_t member_bit = 1ull << (member % 64);
      const std::uint64_t earlier = (before & member_bit) != 0 ? ~0ull : bits.once & (bits.once - 1);
      add(bits.once & (bits.twice | earlier), &MetricsFigures::repeat_buyers);
      before |= member_bit;
    }
  }
}

}  // namespace

Metrics store_metrics(const Store& store, UtcSeconds from, UtcSeconds to, MetricsBucket bucket, std::int32_t attribution_days) {
  Metrics metrics;
  const ProgramVersion* program_at_end = store.program_at(to - 1);
  metrics.zone = program_at_end ? program_at_end->config.time_zone : TimeZone{};
  metrics.series = metrics_buckets(from, to, bucket, metrics.zone, metrics_buckets_max);
  if (metrics.series.empty() && from < to) {
    metrics.code = ResultCode::too_many_buckets;
    return metrics;
  }
  metrics.total.start_utc = from;
  metrics.total.end_utc = to;
  metrics.total.label = "total";
  std::vector<MetricsFigures*> spans;
  for (MetricsFigures& figures : metrics.series) spans.push_back(&figures);
  spans.push_back(&metrics.total);
  // The series spans are in time order and cover [from, to): which one a moment is in.
  auto series_span = [&](UtcSeconds time) -> MetricsFigures* {
    if (time < from || time >= to) return nullptr;
    const auto it = std::upper_bound(metrics.series.begin(), metrics.series.end(), time,
                                     [](UtcSeconds t, const MetricsFigures& figures) { return t < figures.end_utc; });
    return &*it;
  };

  // Members joined: members are kept in the order they joined.
  const std::vector<Member>& members = store.members();
  std::int64_t joined_before = 0;
  for (const Member& member : members) {
    if (member.joined_at_utc < from) { ++joined_before; continue; }
    if (MetricsFigures* span = series_span(member.joined_at_utc)) { ++span->members_new; ++metrics.total.members_new; }
  }
  std::int64_t running = joined_before;
  for (MetricsFigures& figures : metrics.series) figures.members_total = (running += figures.members_new);
  metrics.total.members_total = running;

  // Orders: revenue and counts by span; who ordered before the period, and the orders from
  // 90 days before it for the distinct-member counts.
  const ChunkedVector<Order>& orders = store.orders();
  std::vector<std::uint64_t> ordered_before((members.size() + 63) / 64, 0);
  std::vector<CompactOrder> recent;
  std::vector<WideSum> revenue(metrics.series.size()), refunds(metrics.series.size());
  WideSum total_revenue, total_refunds;
  const UtcSeconds recent_from = from - 90 * seconds_per_day;
  for (std::uint32_t index = 0; index < orders.size(); ++index) {
    const Order& order = orders[index];
    if (!was_completed(order)) continue;
    const UtcSeconds time = order.completed_at_utc;
    if (time < from) ordered_before[order.member / 64] |= 1ull << (order.member % 64);
    if (time < recent_from || time >= to) continue;
    recent.push_back({order.member, time});
    if (MetricsFigures* span = series_span(time)) {
      ++span->orders;
      ++metrics.total.orders;
      revenue[static_cast<std::size_t>(span - metrics.series.data())].add(paid_vnd_of(order));
      total_revenue.add(paid_vnd_of(order));
    }
  }
  const std::vector<UtcSeconds> refund_at = refund_times(store, from);
  for (std::uint32_t refund = 0; refund < refund_at.size(); ++refund) {
    if (MetricsFigures* span = series_span(refund_at[refund])) {
      refunds[static_cast<std::size_t>(span - metrics.series.data())].add(store.refunds()[refund].amount_vnd);
      total_refunds.add(store.refunds()[refund].amount_vnd);
    }
  }
  for (std::size_t k = 0; k <= metrics.series.size(); ++k) {
    const bool is_total = k == metrics.series.size();
    const WideSum& paid = is_total ? total_revenue : revenue[k];
    const WideSum& back = is_total ? total_refunds : refunds[k];
    WideSum net;
    net.value = paid.value - back.value;
    if (!paid.fits() || !back.fits() || !net.fits()) {
      metrics.code = ResultCode::amount_too_large;
      return metrics;
    }
    MetricsFigures& figures = is_total ? metrics.total : metrics.series[k];
    figures.refunds_vnd = back.get();
    figures.revenue_vnd = net.get();
  }
  // The series' spans do not overlap; the total overlaps them all, so it is counted apart.
  std::vector<MetricsFigures*> series_spans(spans.begin(), spans.end() - 1), total_span{&metrics.total};
  count_members(recent, ordered_before, members.size(), series_spans);
  count_members(recent, ordered_before, members.size(), total_span);

  // Points, from the ledger by the time each transaction was posted. What members hold at a
  // span's end is what they hold now less what was posted to them from then on.
  struct PointSums { WideSum issued, reversed, redeemed, expired; };
  std::vector<PointSums> sums(metrics.series.size());
  std::vector<WideSum> owed_after_end(metrics.series.size());   // posted to members in [end, ...)
  const Ledger& ledger = store.ledger();
  const ChunkedVector<Transaction>& transactions = ledger.transactions();
  for (std::uint32_t index = first_transaction_at(ledger, from); index < transactions.size(); ++index) {
    const Transaction& transaction = transactions[index];
    MetricsFigures* span = series_span(transaction.time_utc);
    const std::size_t span_index = span ? static_cast<std::size_t>(span - metrics.series.data()) : metrics.series.size();
    Points owed = 0;
    for (const Posting& posting : ledger.postings_of(transaction)) {
      if (is_owed_account(posting.account)) { owed += posting.amount; continue; }
      if (span == nullptr) continue;
      PointSums& sum = sums[span_index];
      if (posting.account == account_of(SystemAccount::pool) && transaction.kind != TransactionKind::pool_funding) {
        (posting.amount < 0 ? sum.issued : sum.reversed).add(posting.amount < 0 ? -posting.amount : posting.amount);
      } else if (posting.account == account_of(SystemAccount::redeemed)) {
        sum.redeemed.add(posting.amount);
      } else if (posting.account == account_of(SystemAccount::expired)) {
        sum.expired.add(posting.amount);
      }
    }
    // It counts after the end of every span that ends at or before it.
    if (owed != 0) {
      const std::size_t first_after = span ? span_index : metrics.series.size();
      if (first_after > 0) owed_after_end[first_after - 1].add(owed);
    }
  }
  PointSums total_sums;
  WideSum owed_later;   // posted to members after the current span's end
  owed_later.value = 0;
  const Points outstanding = outstanding_now(store);
  for (std::size_t k = metrics.series.size(); k-- > 0;) {
    owed_later.value += owed_after_end[k].value;
    MetricsFigures& figures = metrics.series[k];
    const __int128 at_end = static_cast<__int128>(outstanding) - owed_later.value;
    for (const WideSum* sum : {&sums[k].issued, &sums[k].reversed, &sums[k].redeemed, &sums[k].expired}) {
      if (!sum->fits()) { metrics.code = ResultCode::amount_too_large; return metrics; }
    }
    if (at_end > INT64_MAX || at_end < INT64_MIN) { metrics.code = ResultCode::amount_too_large; return metrics; }
    figures.points_issued = sums[k].issued.get();
    figures.points_reversed = sums[k].reversed.get();
    figures.points_redeemed = sums[k].redeemed.get();
    figures.points_expired = sums[k].expired.get();
    figures.points_outstanding = static_cast<Points>(at_end);
    total_sums.issued.add(figures.points_issued);
    total_sums.reversed.add(figures.points_reversed);
    total_sums.redeemed.add(figures.points_redeemed);
    total_sums.expired.add(figures.points_expired);
  }
  for (const WideSum* sum : {&total_sums.issued, &total_sums.reversed, &total_sums.redeemed, &total_sums.expired}) {
    if (!sum->fits()) { metrics.code = ResultCode::amount_too_large; return metrics; }
  }
  metrics.total.points_issued = total_sums.issued.get();
  metrics.total.points_reversed = total_sums.reversed.get();
  metrics.total.points_redeemed = total_sums.redeemed.get();
  metrics.total.points_expired = total_sums.expired.get();
  metrics.total.points_outstanding = metrics.series.empty() ? outstanding : metrics.series.back().points_outstanding;

  for (MetricsFigures* figures : spans) {
    figures->repeat_purchase_rate_bp = rate_bp(figures->repeat_buyers, figures->buyers);
    figures->redemption_rate_bp = rate_bp(figures->points_redeemed, figures->points_issued);
    const ProgramVersion* program = store.program_at(figures->end_utc - 1);
    figures->point_value_vnd = program ? program->config.wallet.point_value_vnd : 0;
    const std::pair<Points, Vnd*> values[] = {{figures->points_issued, &figures->points_issued_value_vnd},
                                              {figures->points_redeemed, &figures->points_redeemed_value_vnd},
                                              {figures->points_expired, &figures->points_expired_value_vnd},
                                              {figures->points_outstanding, &figures->points_outstanding_value_vnd}};
    for (const auto& [points, value] : values) {
      const __int128 product = static_cast<__int128>(points) * figures->point_value_vnd;
      if (product > INT64_MAX || product < INT64_MIN) { metrics.code = ResultCode::amount_too_large; return metrics; }
      *value = static_cast<Vnd>(product);
    }
  }

  // Members by tier at the end of the period, under the program in force then.
  if (program_at_end != nullptr) {
    const ProgramConfig& config = program_at_end->config;
    metrics.members_by_tier.assign(config.tiers.size() + 1, 0);
    for (MemberIndex member = 0; member < members.size(); ++member) {
      ++metrics.members_by_tier[tier_slot(store.tier_under(member, config, to - 1), config.tiers.size())];
    }
  } else {
    metrics.members_by_tier.assign(1, static_cast<std::int64_t>(members.size()));
  }
  // ----- voucher campaigns (campaign_metrics.cpp).
  std::optional<std::vector<CampaignFigures>> campaigns = campaign_metrics(store, from, to);
  if (!campaigns) {
    metrics.code = ResultCode::amount_too_large;
    return metrics;
  }
  metrics.campaigns = std::move(*campaigns);
  // ----- notifications and scenarios (core/notifications/notification_metrics.cpp).
  metrics.notifications = notification_figures(store, from, to, attribution_days, metrics.campaign_attribution);
  return metrics;
}

}  // namespace loyalty
