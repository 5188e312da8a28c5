// spending.cpp: redeeming points, holds for checkouts paying with points, and transfers.
#include "core/store.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "core/store_limits.hpp"

namespace loyalty {

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
  const UtcSeconds now = begin_write(time, changes);
  Result invalid{ResultCode::invalid_field, {}};
  if (!is_valid_key(request.redemption_id, key_bytes_max)) {
    invalid.errors.push_back({"redemption_id", "bắt buộc: ký tự ASCII in được, không khoảng trắng", "required: printable ASCII without spaces"});
  }
  if (request.points <= 0 || request.points > points_max) {
    invalid.errors.push_back({"points", "phải từ 1 đến 10^12", "must be from 1 to 10^12"});
  }
  if (request.reason.find_first_not_of(" \t") == std::string::npos || request.reason.size() > reason_bytes_max) {
    invalid.errors.push_back({"reason", "bắt buộc: đổi điểm lấy gì", "required: what the points were spent on"});
  }
  if (!invalid.errors.empty()) return invalid;
  const MemberIndex member = find_member(request.member_id);
  if (member == no_member) return Result::failure(ResultCode::member_not_found);
  // A retry answers as the first did, whatever happened since (the card blocked meanwhile).
  if (Result known = check_action_id(PointsActionKind::redemption, request.redemption_id, member, request.points); !known.ok() ||
      known.code == ResultCode::already_applied) {
    return known;
  }
  if (members_[member].status == MemberStatus::blocked) return Result::failure(ResultCode::member_blocked);
  if (available_points(member) < request.points) return Result::failure(ResultCode::insufficient_points);
  // After this point the command must succeed.
  const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(member, MemberAccount::points), -request.points},
                                                  PostingRequest{account_of(SystemAccount::redeemed), request.points}};
  const auto action_index = static_cast<std::uint32_t>(points_actions_.size());
  const std::uint32_t transaction =
      ledger_.post(TransactionKind::points_redeemed, now, now, action_index, intern_actor(request.actor), postings);
  const Points uncovered = consume_lots(member, request.points, now, transaction);
  assert(uncovered == 0);
  points_actions_.push_back(PointsAction{PointsActionKind::redemption, request.redemption_id, member, no_member, request.points,
                                         request.reason, now, transaction});
  points_action_by_key_.emplace(std::to_string(static_cast<int>(PointsActionKind::redemption)) + ":" + request.redemption_id, action_index);
  members_[member].points_spent += request.points;
  changes.transactions.push_back(transaction);
  touch(member, changes);
  changes.events.push_back(Event{EventKind::points_redeemed, now, member, no_index, request.points});
  settle(changes);
  return Result::success();
}

std::uint32_t Store::find_hold(std::string_view hold_id) const {
  return hold_by_id_.find(hold_id, [this](std::uint32_t index) -> std::string_view { return holds_[index].hold_id; });
}

Result Store::hold_points(const PointsHoldRequest& request, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  Result invalid{ResultCode::invalid_field, {}};
  if (!is_valid_key(request.hold_id, key_bytes_max)) {
    invalid.errors.push_back({"hold_id", "bắt buộc: ký tự ASCII in được, không khoảng trắng", "required: printable ASCII without spaces"});
  }
  if (request.points <= 0 || request.points > points_max) {
    invalid.errors.push_back({"points", "phải từ 1 đến 10^12", "must be from 1 to 10^12"});
  }
  if (request.order_amount_vnd <= 0 || request.order_amount_vnd > amount_vnd_max) {
    invalid.errors.push_back({"order_amount_vnd", "phải lớn hơn 0", "must be greater than 0"});
  }
  if (!invalid.errors.empty()) return invalid;
  const MemberIndex member = find_member(request.member_id);
  if (member == no_member) return Result::failure(ResultCode::member_not_found);
  if (const std::uint32_t known = find_hold(request.hold_id); known != no_index) {
    const PointsHold& hold = holds_[known];
    return Result::failure(hold.member == member && hold.points == request.points ? ResultCode::already_applied
                                                                                   : ResultCode::idempotency_key_conflict);
  }
  if (members_[member].status == MemberStatus::blocked) return Result::failure(ResultCode::member_blocked);
  const ProgramVersion* program = program_at(now);
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
  const std::uint32_t transaction = ledger_.post(TransactionKind::hold_placed, now, now, hold_index, 0, postings);
  const Points uncovered = consume_lots(member, request.points, now, transaction);
  assert(uncovered == 0);
  PointsHold hold;
  hold.hold_id = request.hold_id;
  hold.member = member;
  hold.points = request.points;
  hold.value_vnd = value_vnd;
  hold.placed_at_utc = now;
  hold.expires_at_utc = now + config.pay_with_points.hold_timeout_s;
  hold.transaction = transaction;
  holds_.push_back(std::move(hold));
  hold_by_id_.insert(holds_.back().hold_id, hold_index);
  schedule({holds_.back().expires_at_utc, DueKind::hold_timeout, hold_index});
  changes.transactions.push_back(transaction);
  touch(member, changes);
  changes.events.push_back(Event{EventKind::points_held, now, member, no_index, request.points});
  settle(changes);
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
  const UtcSeconds now = begin_write(time, changes);
  const std::uint32_t hold_index = find_hold(hold_id);
  if (hold_index == no_index) return Result::failure(ResultCode::hold_not_found);
  const PointsHold& hold = holds_[hold_index];
  if (hold.state == HoldState::released || hold.state == HoldState::timed_out) return Result::failure(ResultCode::already_applied);
  if (hold.state == HoldState::captured) return Result::failure(ResultCode::hold_already_captured);
  end_hold(hold_index, HoldState::released, now, intern_actor(actor), changes);
  settle(changes);
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
  const UtcSeconds now = begin_write(time, changes);
  Result invalid{ResultCode::invalid_field, {}};
  if (!is_valid_key(request.transfer_id, key_bytes_max)) {
    invalid.errors.push_back({"transfer_id", "bắt buộc: ký tự ASCII in được, không khoảng trắng", "required: printable ASCII without spaces"});
  }
  if (request.points <= 0 || request.points > points_max) {
    invalid.errors.push_back({"points", "phải từ 1 đến 10^12", "must be from 1 to 10^12"});
  }
  if (!invalid.errors.empty()) return invalid;
  const MemberIndex sender = find_member(request.from_member_id);
  const MemberIndex receiver = find_member(request.to_member_id);
  if (sender == no_member || receiver == no_member) return Result::failure(ResultCode::member_not_found);
  if (sender == receiver) return Result::field("to_member_id", "phải khác người chuyển", "must differ from the sender");
  if (Result known = check_action_id(PointsActionKind::transfer, request.transfer_id, sender, request.points); !known.ok() ||
      known.code == ResultCode::already_applied) {
    return known;
  }
  if (members_[sender].status == MemberStatus::blocked || members_[receiver].status == MemberStatus::blocked) {
    return Result::failure(ResultCode::member_blocked);
  }
  const ProgramVersion* program = program_at(now);
  if (program == nullptr) return Result::failure(ResultCode::program_not_set);
  const TransferConfig& rules = program->config.transfers;
  if (!rules.enabled) return Result::failure(ResultCode::transfers_disabled);
  // Pending points are not the sender's to give yet: only the available balance counts.
  if (available_points(sender) < request.points + rules.minimum_balance_points) return Result::failure(ResultCode::insufficient_points);
  if (rules.daily_limit_points > 0 && transferred_today(sender, now) + request.points > rules.daily_limit_points) {
    return Result::failure(ResultCode::transfer_limit_reached);
  }
  // After this point the command must succeed.
  const auto action_index = static_cast<std::uint32_t>(points_actions_.size());
  const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(sender, MemberAccount::points), -request.points},
                                                  PostingRequest{account_of(receiver, MemberAccount::points), request.points}};
  const std::uint32_t transaction =
      ledger_.post(TransactionKind::points_transfer, now, now, action_index, intern_actor(request.actor), postings);
  const std::size_t first_portion = lot_portions_.size();
  const Points uncovered = consume_lots(sender, request.points, now, transaction);
  assert(uncovered == 0);
  // The receiver gets lots with the same expiry as those given: a transfer never extends a point's life.
  const std::size_t last_portion = lot_portions_.size();
  for (std::size_t i = first_portion; i < last_portion; ++i) {
    const LotPortion portion = lot_portions_[i];
    const auto lot_index = static_cast<std::uint32_t>(lots_.size());
    PointLot lot;
    lot.member = receiver;
    lot.points_earned = portion.points;
    lot.earned_at_utc = now;
    lot.available_at_utc = now;
    lot.expires_at_utc = lots_[portion.lot].expires_at_utc;
    append_lot(lot);
    add_to_lot(lot_index, portion.points);
    if (lot.expires_at_utc != INT64_MAX) schedule({lot.expires_at_utc, DueKind::expire_lot, lot_index});
  }
  points_actions_.push_back(PointsAction{PointsActionKind::transfer, request.transfer_id, sender, receiver, request.points, "", now, transaction});
  points_action_by_key_.emplace(std::to_string(static_cast<int>(PointsActionKind::transfer)) + ":" + request.transfer_id, action_index);
  members_[sender].points_sent += request.points;
  members_[receiver].points_received += request.points;
  changes.transactions.push_back(transaction);
  touch(sender, changes);
  touch(receiver, changes);
  Event event{EventKind::points_transferred, now, sender, no_index, request.points};
  event.other_member = receiver;
  changes.events.push_back(event);
  settle(changes);
  return Result::success();
}

}  // namespace loyalty
