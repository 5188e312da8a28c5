// store_points.cpp: the life of a point after it is earned: lots and their expiry,
// pending periods, spending, holds for checkouts paying with points, transfers, and the
// store's liability. Orders and members are in store.cpp.
#include <algorithm>
#include <array>
#include <cassert>

#include "core/store.hpp"

namespace loyalty {

namespace {
constexpr std::uint32_t no_index = UINT32_MAX;
constexpr std::size_t reason_bytes_max = 1000;

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
  lot.expires_at_utc = config.lot_expiry_utc(earned_at);
  lot.pending = pending;
  append_lot(lot);
  if (pending) {
    lots_[lot_index].points_remaining = points;
    schedule({lots_[lot_index].available_at_utc, DueKind::release_lot, lot_index, 0});
  } else {
    add_to_lot(lot_index, points);
  }
  if (lots_[lot_index].expires_at_utc != INT64_MAX) schedule({lots_[lot_index].expires_at_utc, DueKind::expire_lot, lot_index, 0});
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
  // Tier points that wait for the points to be available count from now.
  if (lot.order != no_index && orders_[lot.order].buyer_lot == lot_index && orders_[lot.order].tier_points_deferred > 0) {
    Order& order = orders_[lot.order];
    const TierPoints tier_points = order.tier_points_deferred;
    order.tier_points_deferred = 0;
    const std::array<PostingRequest, 2> tier_postings = {
        PostingRequest{account_of(SystemAccount::tier_genesis), -tier_points},
        PostingRequest{account_of(member, MemberAccount::tier_points), tier_points}};
    changes.transactions.push_back(ledger_.post(TransactionKind::tier_earning, time, time, lot.order, actor, tier_postings));
    add_tier_entry(member, time, tier_points);
    order.tier_points_earned += tier_points;
    evaluate_tier(member, time, TierChangeCause::points_available, changes);
  }
  if (lot.expires_at_utc <= time && lots_[lot_index].points_remaining > 0) expire_lots(member, {lot_index}, time, changes);
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

Result Store::process_due(UtcSeconds time, Changes& changes) {
  changes.clear();
  const auto later = [](const DueItem& a, const DueItem& b) { return due_later(a, b); };
  while (!due_.empty() && due_.front().at_utc <= time) {
    std::pop_heap(due_.begin(), due_.end(), later);
    const DueItem item = due_.back();
    due_.pop_back();
    switch (item.kind) {
      case DueKind::release_lot:
        release_lot(item.subject, item.at_utc, 0, changes);
        break;
      case DueKind::hold_timeout:
        if (holds_[item.subject].state == HoldState::active) end_hold(item.subject, HoldState::timed_out, item.at_utc, 0, changes);
        break;
      case DueKind::expire_lot: {
        const PointLot& lot = lots_[item.subject];
        if (lot.pending) break;   // expires when it is released (release_lot checks)
        if (lot.points_remaining > 0) expire_lots(lot.member, {item.subject}, item.at_utc, changes);
        break;
      }
      case DueKind::inactivity: {
        const Member& member = members_[item.subject];
        if (member.last_order_at_utc != item.stamp) break;   // an order since: rescheduled then
        std::vector<std::uint32_t> open_lots;
        for (std::uint32_t lot_index : member_lots(item.subject)) {
          if (!lots_[lot_index].pending && lots_[lot_index].points_remaining > 0) open_lots.push_back(lot_index);
        }
        expire_lots(item.subject, open_lots, item.at_utc, changes);
        break;
      }
    }
  }
  processed_until_utc_ = std::max(processed_until_utc_, time);
  return Result::success();
}

// ---------------------------------------------------------------------------------------------
// Spending

Result Store::check_action_id(PointsActionKind kind, std::string_view action_id, MemberIndex member, Points points) const {
  const std::string key = std::to_string(static_cast<int>(kind)) + ":" + std::string(action_id);
  const auto found = points_action_by_key_.find(key);
  if (found == points_action_by_key_.end()) return Result::success();
  const PointsAction& action = points_actions_[found->second];
  return Result::failure(action.member == member && action.points == points ? ResultCode::already_applied
                                                                             : ResultCode::idempotency_key_conflict);
}

Result Store::redeem_points(const RedemptionRequest& request, UtcSeconds time, Changes& changes) {
  changes.clear();
  Result invalid{ResultCode::invalid_field, {}};
  if (!is_valid_key(request.redemption_id, key_bytes_max)) {
    invalid.errors.push_back({"redemption_id", "bắt buộc: ký tự ASCII in được, không khoảng trắng", "required: printable ASCII without spaces"});
  }
  if (request.points <= 0 || request.points > amount_vnd_max) invalid.errors.push_back({"points", "phải lớn hơn 0", "must be greater than 0"});
  if (request.reason.find_first_not_of(" \t") == std::string::npos || request.reason.size() > reason_bytes_max) {
    invalid.errors.push_back({"reason", "bắt buộc: đổi điểm lấy gì", "required: what the points were spent on"});
  }
  if (!invalid.errors.empty()) return invalid;
  const MemberIndex member = find_member(request.member_id);
  if (member == no_member) return Result::failure(ResultCode::member_not_found);
  if (members_[member].status == MemberStatus::blocked) return Result::failure(ResultCode::member_blocked);
  if (Result known = check_action_id(PointsActionKind::redemption, request.redemption_id, member, request.points); !known.ok() ||
      known.code == ResultCode::already_applied) {
    return known;
  }
  if (available_points(member) < request.points) return Result::failure(ResultCode::insufficient_points);
  // After this point the command must succeed.
  const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(member, MemberAccount::points), -request.points},
                                                  PostingRequest{account_of(SystemAccount::redeemed), request.points}};
  const auto action_index = static_cast<std::uint32_t>(points_actions_.size());
  const std::uint32_t transaction =
      ledger_.post(TransactionKind::points_redeemed, time, time, action_index, intern_actor(request.actor), postings);
  const Points uncovered = consume_lots(member, request.points, time, transaction);
  assert(uncovered == 0);
  points_actions_.push_back(PointsAction{PointsActionKind::redemption, request.redemption_id, member, no_member, request.points,
                                         request.reason, time, transaction});
  points_action_by_key_.emplace(std::to_string(static_cast<int>(PointsActionKind::redemption)) + ":" + request.redemption_id, action_index);
  members_[member].points_spent += request.points;
  changes.transactions.push_back(transaction);
  touch(member, changes);
  changes.events.push_back(Event{EventKind::points_redeemed, time, member, no_index, request.points});
  return Result::success();
}

std::uint32_t Store::find_hold(std::string_view hold_id) const {
  return hold_by_id_.find(hold_id, [this](std::uint32_t index) -> std::string_view { return holds_[index].hold_id; });
}

Result Store::hold_points(const PointsHoldRequest& request, UtcSeconds time, Changes& changes) {
  changes.clear();
  Result invalid{ResultCode::invalid_field, {}};
  if (!is_valid_key(request.hold_id, key_bytes_max)) {
    invalid.errors.push_back({"hold_id", "bắt buộc: ký tự ASCII in được, không khoảng trắng", "required: printable ASCII without spaces"});
  }
  if (request.points <= 0 || request.points > amount_vnd_max) invalid.errors.push_back({"points", "phải lớn hơn 0", "must be greater than 0"});
  if (request.order_amount_vnd <= 0 || request.order_amount_vnd > amount_vnd_max) {
    invalid.errors.push_back({"order_amount_vnd", "phải lớn hơn 0", "must be greater than 0"});
  }
  if (!invalid.errors.empty()) return invalid;
  const MemberIndex member = find_member(request.member_id);
  if (member == no_member) return Result::failure(ResultCode::member_not_found);
  if (members_[member].status == MemberStatus::blocked) return Result::failure(ResultCode::member_blocked);
  if (const std::uint32_t known = find_hold(request.hold_id); known != no_index) {
    const PointsHold& hold = holds_[known];
    return Result::failure(hold.member == member && hold.points == request.points ? ResultCode::already_applied
                                                                                   : ResultCode::idempotency_key_conflict);
  }
  const ProgramVersion* program = program_at(time);
  if (program == nullptr) return Result::failure(ResultCode::program_not_set);
  const ProgramConfig& config = program->config;
  const Vnd value_vnd = request.points * config.wallet.point_value_vnd;
  // value <= amount × share, compared exactly in 128 bits.
  if (static_cast<__int128>(value_vnd) * basis_points_per_whole >
      static_cast<__int128>(request.order_amount_vnd) * config.pay_with_points.max_share_bp) {
    return Result::failure(ResultCode::points_share_exceeded);
  }
  if (available_points(member) < request.points) return Result::failure(ResultCode::insufficient_points);
  // After this point the command must succeed.
  const auto hold_index = static_cast<std::uint32_t>(holds_.size());
  const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(member, MemberAccount::points), -request.points},
                                                  PostingRequest{account_of(member, MemberAccount::held), request.points}};
  const std::uint32_t transaction = ledger_.post(TransactionKind::hold_placed, time, time, hold_index, 0, postings);
  const Points uncovered = consume_lots(member, request.points, time, transaction);
  assert(uncovered == 0);
  PointsHold hold;
  hold.hold_id = request.hold_id;
  hold.member = member;
  hold.points = request.points;
  hold.value_vnd = value_vnd;
  hold.placed_at_utc = time;
  hold.expires_at_utc = time + config.pay_with_points.hold_timeout_s;
  hold.transaction = transaction;
  holds_.push_back(std::move(hold));
  hold_by_id_.insert(holds_.back().hold_id, hold_index);
  schedule({holds_.back().expires_at_utc, DueKind::hold_timeout, hold_index, 0});
  changes.transactions.push_back(transaction);
  touch(member, changes);
  changes.events.push_back(Event{EventKind::points_held, time, member, no_index, request.points});
  return Result::success();
}

void Store::end_hold(std::uint32_t hold_index, HoldState state, UtcSeconds time, std::uint32_t actor, Changes& changes) {
  PointsHold& hold = holds_[hold_index];
  assert(hold.state == HoldState::active && state != HoldState::active && state != HoldState::captured);
  hold.state = state;
  const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(hold.member, MemberAccount::held), -hold.points},
                                                  PostingRequest{account_of(hold.member, MemberAccount::points), hold.points}};
  changes.transactions.push_back(ledger_.post(TransactionKind::hold_released, time, time, hold_index, actor, postings));
  touch(hold.member, changes);
  changes.events.push_back(Event{EventKind::hold_released, time, hold.member, no_index, hold.points});
  // The points go back to the lots they came from, with their own expiry.
  restore_portions(hold.transaction, 0, hold.points, time, changes);
}

Result Store::release_hold(std::string_view hold_id, UtcSeconds time, std::string_view actor, Changes& changes) {
  changes.clear();
  const std::uint32_t hold_index = find_hold(hold_id);
  if (hold_index == no_index) return Result::failure(ResultCode::hold_not_found);
  const PointsHold& hold = holds_[hold_index];
  if (hold.state == HoldState::released || hold.state == HoldState::timed_out) return Result::failure(ResultCode::already_applied);
  if (hold.state == HoldState::captured) return Result::failure(ResultCode::hold_already_captured);
  end_hold(hold_index, HoldState::released, time, intern_actor(actor), changes);
  return Result::success();
}

// ---------------------------------------------------------------------------------------------
// Transfers

Points Store::transferred_today(MemberIndex member, UtcSeconds time) const {
  const ProgramVersion* program = program_at(time);
  const TimeZone zone = program ? program->config.time_zone : TimeZone{};
  const CivilDate today = local_date(time, zone);
  Points total = 0;
  for (auto action = points_actions_.rbegin(); action != points_actions_.rend(); ++action) {
    if (action->kind == PointsActionKind::transfer && action->member == member && local_date(action->time_utc, zone) == today) {
      total += action->points;
    }
  }
  return total;
}

Result Store::transfer_points(const TransferRequest& request, UtcSeconds time, Changes& changes) {
  changes.clear();
  Result invalid{ResultCode::invalid_field, {}};
  if (!is_valid_key(request.transfer_id, key_bytes_max)) {
    invalid.errors.push_back({"transfer_id", "bắt buộc: ký tự ASCII in được, không khoảng trắng", "required: printable ASCII without spaces"});
  }
  if (request.points <= 0 || request.points > amount_vnd_max) invalid.errors.push_back({"points", "phải lớn hơn 0", "must be greater than 0"});
  if (!invalid.errors.empty()) return invalid;
  const MemberIndex sender = find_member(request.from_member_id);
  const MemberIndex receiver = find_member(request.to_member_id);
  if (sender == no_member || receiver == no_member) return Result::failure(ResultCode::member_not_found);
  if (sender == receiver) return Result::field("to_member_id", "phải khác người chuyển", "must differ from the sender");
  if (members_[sender].status == MemberStatus::blocked || members_[receiver].status == MemberStatus::blocked) {
    return Result::failure(ResultCode::member_blocked);
  }
  if (Result known = check_action_id(PointsActionKind::transfer, request.transfer_id, sender, request.points); !known.ok() ||
      known.code == ResultCode::already_applied) {
    return known;
  }
  const ProgramVersion* program = program_at(time);
  if (program == nullptr) return Result::failure(ResultCode::program_not_set);
  const TransferConfig& rules = program->config.transfers;
  if (!rules.enabled) return Result::failure(ResultCode::transfers_disabled);
  // Pending points are not the sender's to give yet: only the available balance counts.
  if (available_points(sender) < request.points + rules.minimum_balance_points) return Result::failure(ResultCode::insufficient_points);
  if (rules.daily_limit_points > 0 && transferred_today(sender, time) + request.points > rules.daily_limit_points) {
    return Result::failure(ResultCode::transfer_limit_reached);
  }
  // After this point the command must succeed.
  const auto action_index = static_cast<std::uint32_t>(points_actions_.size());
  const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(sender, MemberAccount::points), -request.points},
                                                  PostingRequest{account_of(receiver, MemberAccount::points), request.points}};
  const std::uint32_t transaction =
      ledger_.post(TransactionKind::points_transfer, time, time, action_index, intern_actor(request.actor), postings);
  const std::size_t first_portion = lot_portions_.size();
  const Points uncovered = consume_lots(sender, request.points, time, transaction);
  assert(uncovered == 0);
  // The receiver gets lots with the same expiry as those given: a transfer never extends a point's life.
  const std::size_t last_portion = lot_portions_.size();
  for (std::size_t i = first_portion; i < last_portion; ++i) {
    const LotPortion portion = lot_portions_[i];
    const auto lot_index = static_cast<std::uint32_t>(lots_.size());
    PointLot lot;
    lot.member = receiver;
    lot.points_earned = portion.points;
    lot.earned_at_utc = time;
    lot.available_at_utc = time;
    lot.expires_at_utc = lots_[portion.lot].expires_at_utc;
    append_lot(lot);
    add_to_lot(lot_index, portion.points);
    if (lot.expires_at_utc != INT64_MAX) schedule({lot.expires_at_utc, DueKind::expire_lot, lot_index, 0});
  }
  points_actions_.push_back(PointsAction{PointsActionKind::transfer, request.transfer_id, sender, receiver, request.points, "", time, transaction});
  points_action_by_key_.emplace(std::to_string(static_cast<int>(PointsActionKind::transfer)) + ":" + request.transfer_id, action_index);
  members_[sender].points_sent += request.points;
  members_[receiver].points_received += request.points;
  changes.transactions.push_back(transaction);
  touch(sender, changes);
  touch(receiver, changes);
  Event event{EventKind::points_transferred, time, sender, no_index, request.points};
  event.other_member = receiver;
  changes.events.push_back(event);
  return Result::success();
}

// ---------------------------------------------------------------------------------------------
// Staff actions on pending points

Result Store::release_pending(std::string_view order_id, std::string_view reason, std::string_view actor, UtcSeconds time,
                              Changes& changes) {
  changes.clear();
  if (reason.find_first_not_of(" \t") == std::string_view::npos) return Result::field("reason", "bắt buộc", "is required");
  const std::uint32_t order_index = find_order(order_id);
  if (order_index == no_index) return Result::failure(ResultCode::order_not_found);
  const Order& order = orders_[order_index];
  const bool any_pending = (order.buyer_lot != no_index && lots_[order.buyer_lot].pending) ||
                           (order.referrer_lot != no_index && lots_[order.referrer_lot].pending);
  if (!any_pending) {
    // A retry of a release already made is not an error.
    return Result::failure(staff_acted_on(PointsActionKind::pending_release, order_id) ? ResultCode::already_applied
                                                                                         : ResultCode::nothing_pending);
  }
  changes.order = order_index;
  const std::uint32_t actor_index = intern_actor(actor);
  const auto action_index = static_cast<std::uint32_t>(points_actions_.size());
  points_actions_.push_back(PointsAction{PointsActionKind::pending_release, std::string(order_id), order.member, no_member,
                                         0, std::string(reason), time, static_cast<std::uint32_t>(ledger_.transactions().size())});
  for (std::uint32_t lot_index : {order.buyer_lot, order.referrer_lot}) {
    if (lot_index != no_index && lots_[lot_index].pending) {
      points_actions_[action_index].points += lots_[lot_index].points_remaining;
      release_lot(lot_index, time, actor_index, changes);
    }
  }
  for (std::uint32_t transaction : changes.transactions) staff_action_by_transaction_.emplace(transaction, action_index);
  return Result::success();
}

Result Store::cancel_pending(std::string_view order_id, std::string_view reason, std::string_view actor, UtcSeconds time,
                             Changes& changes) {
  changes.clear();
  if (reason.find_first_not_of(" \t") == std::string_view::npos) return Result::field("reason", "bắt buộc", "is required");
  const std::uint32_t order_index = find_order(order_id);
  if (order_index == no_index) return Result::failure(ResultCode::order_not_found);
  Order& order = orders_[order_index];
  const bool any_pending = (order.buyer_lot != no_index && lots_[order.buyer_lot].pending) ||
                           (order.referrer_lot != no_index && lots_[order.referrer_lot].pending);
  if (!any_pending) {
    return Result::failure(staff_acted_on(PointsActionKind::pending_cancel, order_id) ? ResultCode::already_applied
                                                                                        : ResultCode::nothing_pending);
  }
  changes.order = order_index;
  const std::uint32_t actor_index = intern_actor(actor);
  const auto action_index = static_cast<std::uint32_t>(points_actions_.size());
  points_actions_.push_back(PointsAction{PointsActionKind::pending_cancel, std::string(order_id), order.member, no_member, 0,
                                         std::string(reason), time, static_cast<std::uint32_t>(ledger_.transactions().size())});
  if (order.buyer_lot != no_index && lots_[order.buyer_lot].pending) {
    const Points points = lots_[order.buyer_lot].points_remaining;
    points_actions_.back().points += points;
    cancel_pending_lot(order.buyer_lot, points, time, actor_index, changes);
    order.buyer_points_reversed += points;
  }
  if (order.referrer_lot != no_index && lots_[order.referrer_lot].pending) {
    const Points points = lots_[order.referrer_lot].points_remaining;
    points_actions_.back().points += points;
    cancel_pending_lot(order.referrer_lot, points, time, actor_index, changes);
    order.referrer_points_reversed += points;
  }
  // Deferred tier points never count.
  order.tier_points_reversed += order.tier_points_deferred;
  order.tier_points_deferred = 0;
  for (std::uint32_t transaction : changes.transactions) staff_action_by_transaction_.emplace(transaction, action_index);
  return Result::success();
}

bool Store::staff_acted_on(PointsActionKind kind, std::string_view order_id) const {
  return std::any_of(points_actions_.begin(), points_actions_.end(),
                     [&](const PointsAction& action) { return action.kind == kind && action.action_id == order_id; });
}

const PointsAction* Store::staff_action_for(std::uint32_t transaction) const {
  const auto found = staff_action_by_transaction_.find(transaction);
  return found == staff_action_by_transaction_.end() ? nullptr : &points_actions_[found->second];
}

// ---------------------------------------------------------------------------------------------
// Birthday perk

Result Store::grant_birthday_bonuses(UtcSeconds time, Changes& changes) {
  changes.clear();
  const ProgramVersion* program = program_at(time);
  if (program == nullptr) return Result::failure(ResultCode::program_not_set);
  const ProgramConfig& config = program->config;
  const CivilDate today = local_date(time, config.time_zone);
  const bool leap = days_in_month(today.year, 2) == 29;
  for (MemberIndex member = 0; member < members_.size(); ++member) {
    Member& record = members_[member];
    if (!record.birthday.known() || record.status != MemberStatus::active || record.birthday_bonus_year == today.year) continue;
    const bool birthday_today = (record.birthday.month == today.month && record.birthday.day == today.day) ||
                                (!leap && record.birthday.month == 2 && record.birthday.day == 29 && today.month == 2 && today.day == 28);
    if (!birthday_today) continue;
    Points bonus = 0;
    for (const Perk* perk : config.enabled_perks(tier_status(member, time).tier_index)) {
      if (perk->type == PerkType::birthday_bonus) bonus = std::max(bonus, perk->birthday_bonus_points);
    }
    if (bonus <= 0 || bonus > ledger_.balance(SystemAccount::pool)) continue;
    record.birthday_bonus_year = today.year;
    const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(SystemAccount::pool), -bonus},
                                                    PostingRequest{account_of(member, MemberAccount::points), bonus}};
    changes.transactions.push_back(ledger_.post(TransactionKind::birthday_bonus, time, time, member, 0, postings));
    create_lot(member, no_index, bonus, time, config, false);
    record.points_earned += bonus;
    touch(member, changes);
    changes.events.push_back(Event{EventKind::birthday_bonus, time, member, no_index, bonus});
  }
  return Result::success();
}

// ---------------------------------------------------------------------------------------------
// Liability and expiry warnings

Liability Store::liability(UtcSeconds time) const {
  Liability result;
  const ProgramVersion* program = program_at(time);
  const ProgramConfig* config = program ? &program->config : nullptr;
  const Vnd point_value_vnd = config ? config->wallet.point_value_vnd : 0;
  const TimeZone zone = config ? config->time_zone : TimeZone{};
  std::vector<std::pair<UtcSeconds, Points>> by_expiry;   // (local month start, points); never = INT64_MAX
  std::vector<Points> by_tier(config ? config->tiers.size() + 1 : 1, 0);
  for (MemberIndex member = 0; member < members_.size(); ++member) {
    const Member& record = members_[member];
    Points member_total = ledger_.balance(member, MemberAccount::pending) + ledger_.balance(member, MemberAccount::held);
    for (std::uint32_t lot_index : member_lots(member)) {
      const PointLot& lot = lots_[lot_index];
      if (lot.points_remaining <= 0) continue;
      (lot.pending ? result.pending_points : result.available_points) += lot.points_remaining;
      UtcSeconds month = INT64_MAX;
      if (lot.expires_at_utc != INT64_MAX) {
        const CivilDate date = local_date(lot.expires_at_utc, zone);
        month = local_midnight_utc({date.year, date.month, 1}, zone);
      }
      by_expiry.emplace_back(month, lot.points_remaining);
    }
    member_total += std::max<Points>(ledger_.balance(member, MemberAccount::points), 0);
    result.held_points += ledger_.balance(member, MemberAccount::held);
    result.debt_points += record.debt_points;
    const std::size_t tier_slot = record.tier_index >= 0 ? static_cast<std::size_t>(record.tier_index) : by_tier.size() - 1;
    by_tier[std::min(tier_slot, by_tier.size() - 1)] += member_total;
  }
  result.outstanding_points = result.available_points + result.pending_points + result.held_points - result.debt_points;
  result.outstanding_value_vnd = result.outstanding_points * point_value_vnd;
  std::sort(by_expiry.begin(), by_expiry.end());
  for (const auto& [month, points] : by_expiry) {
    const std::string key = month == INT64_MAX ? "never" : format_local_month(month, zone);
    if (result.by_expiry_month.empty() || result.by_expiry_month.back().key != key) result.by_expiry_month.push_back({key, 0, 0});
    result.by_expiry_month.back().points += points;
    result.by_expiry_month.back().value_vnd += points * point_value_vnd;
  }
  for (std::size_t slot = 0; slot < by_tier.size(); ++slot) {
    if (by_tier[slot] == 0) continue;
    const std::string key = config && slot < config->tiers.size() ? config->tiers[slot].id : "none";
    result.by_tier.push_back({key, by_tier[slot], by_tier[slot] * point_value_vnd});
  }
  return result;
}

std::vector<ExpiringPoints> Store::expiring_points(UtcSeconds time, std::int32_t within_days, std::size_t limit) const {
  const UtcSeconds until = time + static_cast<UtcSeconds>(within_days) * seconds_per_day;
  std::vector<ExpiringPoints> result;
  for (MemberIndex member = 0; member < members_.size(); ++member) {
    ExpiringPoints entry{member, 0, INT64_MAX};
    for (std::uint32_t lot_index : member_lots(member)) {
      const PointLot& lot = lots_[lot_index];
      if (lot.pending || lot.points_remaining <= 0 || lot.expires_at_utc <= time || lot.expires_at_utc > until) continue;
      entry.points += lot.points_remaining;
      entry.first_expiry_utc = std::min(entry.first_expiry_utc, lot.expires_at_utc);
    }
    if (entry.points > 0) result.push_back(entry);
  }
  // Soonest first, then most points: who to warn first.
  std::sort(result.begin(), result.end(), [](const ExpiringPoints& a, const ExpiringPoints& b) {
    if (a.first_expiry_utc != b.first_expiry_utc) return a.first_expiry_utc < b.first_expiry_utc;
    if (a.points != b.points) return a.points > b.points;
    return a.member < b.member;
  });
  if (result.size() > limit) result.resize(limit);
  return result;
}

}  // namespace loyalty
