// lots.cpp: lots of points with their own expiry, the pending period, and the work that
// falls due with time (releases, hold timeouts, expiry, the inactivity rule).
#include "core/store.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "core/store_limits.hpp"

namespace loyalty {

namespace {
// The heap's order: earliest first; at the same moment releases before timeouts before
// expiries, then by subject, so that every run processes the same items in the same order.
bool due_later(const auto& a, const auto& b) {
  if (a.at_utc != b.at_utc) return a.at_utc > b.at_utc;
  if (a.kind != b.kind) return a.kind > b.kind;
  return a.subject > b.subject;
}
}  // namespace


std::string_view hold_state_name(HoldState state) {
  static constexpr std::array<std::string_view, 4> names = {"active", "captured", "released", "timed_out"};
  return names.at(static_cast<std::size_t>(state));
}

void Store::schedule(DueItem item) {
  due_.push_back(item);
  std::push_heap(due_.begin(), due_.end(), [](const DueItem& a, const DueItem& b) { return due_later(a, b); });
}

// ---------------------------------------------------------------------------------------------
// Lots

std::uint32_t Store::create_lot(MemberIndex member, std::uint32_t order, Points points, UtcSeconds earned_at,
                                const ProgramConfig& config, bool pending) {
  assert(points > 0);
  const auto lot_index = static_cast<std::uint32_t>(lots_.size());
  PointLot lot;
  lot.member = member;
  lot.order = order;
  lot.points_earned = points;
  lot.earned_at_utc = earned_at;
  lot.available_at_utc = pending ? earned_at + static_cast<UtcSeconds>(config.pending.days) * seconds_per_day : earned_at;
  lot.expires_at_utc = config.lot_expiry_utc(earned_at, lot.available_at_utc);
  lot.pending = pending;
  append_lot(lot);
  if (pending) {
    lots_[lot_index].points_remaining = points;
    schedule({lots_[lot_index].available_at_utc, DueKind::release_lot, lot_index});
  } else {
    add_to_lot(lot_index, points);
  }
  if (lots_[lot_index].expires_at_utc != INT64_MAX) schedule({lots_[lot_index].expires_at_utc, DueKind::expire_lot, lot_index});
  return lot_index;
}

void Store::append_lot(PointLot lot) {
  // Prepended to the member's list: linking never touches the member's older lots (a
  // cache miss per order otherwise); every reader that cares about order sorts.
  const auto lot_index = static_cast<std::uint32_t>(lots_.size());
  Member& member = members_[lot.member];
  lot.next_of_member = member.first_lot;
  lots_.push_back(lot);
  member.first_lot = lot_index;
}

void Store::add_to_lot(std::uint32_t lot_index, Points points) {
  PointLot& lot = lots_[lot_index];
  assert(!lot.pending && points >= 0);
  // A negative balance is recovered from the next points that become available.
  Member& member = members_[lot.member];
  const Points repaid = std::min(member.debt_points, points);
  member.debt_points -= repaid;
  lot.points_remaining += points - repaid;
}

Points Store::consume_lots(MemberIndex member, Points points, UtcSeconds time, std::uint32_t transaction,
                           std::uint32_t first_lot) {
  assert(points >= 0);
  auto take = [&](std::uint32_t lot_index) {
    PointLot& lot = lots_[lot_index];
    const Points taken = std::min(points, lot.points_remaining);
    if (taken <= 0) return;
    lot.points_remaining -= taken;
    points -= taken;
    lot_portions_.push_back(LotPortion{transaction, lot_index, taken});
  };
  if (first_lot != no_index && !lots_[first_lot].pending) take(first_lot);
  if (points == 0) return 0;
  std::vector<std::uint32_t> candidates;
  for (std::uint32_t lot_index : member_lots(member)) {
    const PointLot& lot = lots_[lot_index];
    if (!lot.pending && lot.points_remaining > 0 && lot.expires_at_utc > time) candidates.push_back(lot_index);
  }
  // Soonest expiry first: the member loses the fewest points to expiry.
  std::sort(candidates.begin(), candidates.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (lots_[a].expires_at_utc != lots_[b].expires_at_utc) return lots_[a].expires_at_utc < lots_[b].expires_at_utc;
    return a < b;
  });
  for (std::uint32_t lot_index : candidates) {
    if (points == 0) break;
    take(lot_index);
  }
  return points;
}

void Store::restore_portions(std::uint32_t transaction, Points already_restored, Points points, UtcSeconds time,
                             Changes& changes) {
  const auto first = std::lower_bound(lot_portions_.begin(), lot_portions_.end(), transaction,
                                      [](const LotPortion& portion, std::uint32_t t) { return portion.transaction < t; });
  // Collect first: expiring a lot below appends portions and would move the vector.
  std::vector<std::pair<std::uint32_t, Points>> restored;
  for (auto portion = first; portion != lot_portions_.end() && portion->transaction == transaction && points > 0; ++portion) {
    // Skip what earlier partial refunds already gave back.
    const Points skipped = std::min(already_restored, portion->points);
    already_restored -= skipped;
    const Points amount = std::min(points, portion->points - skipped);
    if (amount <= 0) continue;
    restored.emplace_back(portion->lot, amount);
    points -= amount;
  }
  assert(points == 0);
  std::vector<std::uint32_t> expired_again;
  for (const auto& [lot_index, amount] : restored) {
    add_to_lot(lot_index, amount);
    if (lots_[lot_index].expires_at_utc <= time) expired_again.push_back(lot_index);
  }
  if (!expired_again.empty()) {
    std::sort(expired_again.begin(), expired_again.end());
    expired_again.erase(std::unique(expired_again.begin(), expired_again.end()), expired_again.end());
    expire_lots(lots_[expired_again.front()].member, expired_again, time, changes);
  }
}

void Store::release_lot(std::uint32_t lot_index, UtcSeconds time, std::uint32_t actor, Changes& changes) {
  PointLot& lot = lots_[lot_index];
  if (!lot.pending) return;
  const MemberIndex member = lot.member;
  const Points points = lot.points_remaining;
  lot.pending = false;
  lot.points_remaining = 0;
  if (points > 0) {
    const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(member, MemberAccount::pending), -points},
                                                    PostingRequest{account_of(member, MemberAccount::points), points}};
    changes.transactions.push_back(ledger_.post(TransactionKind::pending_release, time, time, lot_index, actor, postings));
    add_to_lot(lot_index, points);
    touch(member, changes);
    changes.events.push_back(Event{EventKind::points_available, time, member, lot.order, points});
  }
  // Tier points that wait for the points to be available count from when they are: the
  // end of the pending period (a late order's may be before the clock), or now when staff
  // end it early.
  if (lot.order != no_index && orders_[lot.order].buyer_lot == lot_index) {
    count_deferred_tier_points(lot.order, time, std::min(time, lot.available_at_utc), actor, changes);
  }
  if (lot.expires_at_utc <= time && lots_[lot_index].points_remaining > 0) expire_lots(member, {lot_index}, time, changes);
}

void Store::count_deferred_tier_points(std::uint32_t order_index, UtcSeconds time, UtcSeconds counted_from,
                                      std::uint32_t actor, Changes& changes) {
  Order& order = orders_[order_index];
  if (order.tier_points_deferred <= 0) return;
  const TierPoints tier_points = order.tier_points_deferred;
  order.tier_points_deferred = 0;
  order.tier_points_counted_from_utc = counted_from;
  const std::array<PostingRequest, 2> tier_postings = {
      PostingRequest{account_of(SystemAccount::tier_genesis), -tier_points},
      PostingRequest{account_of(order.member, MemberAccount::tier_points), tier_points}};
  changes.transactions.push_back(ledger_.post(TransactionKind::tier_earning, time, counted_from, order_index, actor, tier_postings));
  add_tier_entry(order.member, counted_from, tier_points);   // order.tier_points_earned counted them at completion
  touch(order.member, changes);
  evaluate_tier(order.member, time, TierChangeCause::points_available, changes);
}

void Store::cancel_pending_lot(std::uint32_t lot_index, Points points, UtcSeconds time, std::uint32_t actor, Changes& changes) {
  PointLot& lot = lots_[lot_index];
  assert(lot.pending && points <= lot.points_remaining);
  if (points <= 0) return;
  lot.points_remaining -= points;
  const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(lot.member, MemberAccount::pending), -points},
                                                  PostingRequest{account_of(SystemAccount::pool), points}};
  changes.transactions.push_back(ledger_.post(TransactionKind::pending_cancel, time, lot.earned_at_utc, lot_index, actor, postings));
  members_[lot.member].points_reversed += points;
  touch(lot.member, changes);
  changes.events.push_back(Event{EventKind::pending_cancelled, time, lot.member, lot.order, points});
}

void Store::expire_lots(MemberIndex member, const std::vector<std::uint32_t>& lot_indexes, UtcSeconds time, Changes& changes) {
  Points total = 0;
  for (std::uint32_t lot_index : lot_indexes) total += lots_[lot_index].pending ? 0 : lots_[lot_index].points_remaining;
  if (total <= 0) return;
  const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(member, MemberAccount::points), -total},
                                                  PostingRequest{account_of(SystemAccount::expired), total}};
  const std::uint32_t transaction = ledger_.post(TransactionKind::points_expired, time, time, member, 0, postings);
  for (std::uint32_t lot_index : lot_indexes) {
    PointLot& lot = lots_[lot_index];
    if (lot.pending || lot.points_remaining <= 0) continue;
    lot_portions_.push_back(LotPortion{transaction, lot_index, lot.points_remaining});
    lot.points_expired += lot.points_remaining;
    lot.points_remaining = 0;
  }
  members_[member].points_expired += total;
  changes.transactions.push_back(transaction);
  touch(member, changes);
  changes.events.push_back(Event{EventKind::points_expired, time, member, no_index, total});
}

Points Store::available_points(MemberIndex member) const {
  return std::max<Points>(ledger_.balance(member, MemberAccount::points), 0);
}

// ---------------------------------------------------------------------------------------------
// Due work

UtcSeconds Store::begin_write(UtcSeconds time, Changes& changes) {
  changes.clear();
  noticed_events_ = 0;
  if (time > clock_utc_) {
    // In time order: the scheduled items, and the voucher campaigns that end meanwhile
    // (from their ends_at on, a campaign is ended: claims, uses and reads say so).
    for (;;) {
      const UtcSeconds due_at = due_.empty() ? INT64_MAX : due_.front().at_utc;
      const UtcSeconds end_at = campaigns_.next_end_utc();
      if (std::min(due_at, end_at) > time) break;
      clock_utc_ = std::max(clock_utc_, std::min(due_at, end_at));
      if (end_at <= due_at) {
        campaigns_.end_due(end_at);
      } else {
        run_earliest_due(due_at, changes);
        notice_for_notifications(changes);   // at the moment it fell due (scenarios fire on it)
      }
    }
    clock_utc_ = time;
  }
  return clock_utc_;
}

void Store::settle(Changes& changes) {
  // Only a late event schedules work at or before the clock; it happens now.
  while (!due_.empty() && due_.front().at_utc <= clock_utc_) run_earliest_due(clock_utc_, changes);
  notice_for_notifications(changes);
}

Result Store::process_due(UtcSeconds time, Changes& changes) {
  begin_write(time, changes);
  return Result::success();
}

UtcSeconds Store::inactivity_deadline(MemberIndex member, UtcSeconds time) const {
  const ProgramVersion* program = program_at(time);
  if (program == nullptr || program->config.expiry.inactivity_months <= 0) return INT64_MAX;
  const UtcSeconds counted_from = std::max(members_[member].last_order_at_utc, program->inactivity_since_utc);
  return add_months(counted_from, program->config.expiry.inactivity_months, program->config.time_zone);
}

void Store::schedule_inactivity(MemberIndex member) {
  const UtcSeconds deadline = inactivity_deadline(member, clock_utc_);
  if (deadline != INT64_MAX) schedule({deadline, DueKind::inactivity, member});
}

void Store::run_earliest_due(UtcSeconds posted_at, Changes& changes) {
  const auto later = [](const DueItem& a, const DueItem& b) { return due_later(a, b); };
  std::pop_heap(due_.begin(), due_.end(), later);
  const DueItem item = due_.back();
  due_.pop_back();
  switch (item.kind) {
    case DueKind::program_effective:
      apply_program_version(item.subject, posted_at, changes);
      break;
    case DueKind::release_lot:
      release_lot(item.subject, posted_at, 0, changes);
      break;
    case DueKind::count_tier_points: {
      // An order that earned tier points but no points: they count when its pending period
      // ends (a late order's, before the clock, from that moment).
      count_deferred_tier_points(item.subject, posted_at, item.at_utc, 0, changes);
      break;
    }
    case DueKind::hold_timeout:
      if (holds_[item.subject].state == HoldState::active) end_hold(item.subject, HoldState::timed_out, posted_at, 0, changes);
      break;
    case DueKind::expire_lot: {
      const PointLot& lot = lots_[item.subject];
      if (lot.pending) break;   // expires when it is released (release_lot checks)
      if (lot.points_remaining > 0) expire_lots(lot.member, {item.subject}, posted_at, changes);
      break;
    }
    case DueKind::inactivity: {
      // An order since, or a program change, moved the deadline: this item is stale (the
      // new deadline has its own item).
      if (inactivity_deadline(item.subject, item.at_utc) != item.at_utc) break;
      std::vector<std::uint32_t> open_lots;
      for (std::uint32_t lot_index : member_lots(item.subject)) {
        if (!lots_[lot_index].pending && lots_[lot_index].points_remaining > 0) open_lots.push_back(lot_index);
      }
      expire_lots(item.subject, open_lots, posted_at, changes);
      break;
    }
    case DueKind::manual_tier_end: {
      // Stale when the assignment was ended early or replaced by one with another end.
      const Member& member = members_[item.subject];
      if (!member.manual_tier_id.empty() && member.manual_tier_ends_at_utc == item.at_utc) end_manual_tier(item.subject, posted_at, changes);
      break;
    }
    case DueKind::notification_start:
    case DueKind::scenario_scan:
    case DueKind::delivery_wake:
      run_notification_due(item.kind, item.subject, item.at_utc, posted_at);
      break;
  }
}

}  // namespace loyalty
