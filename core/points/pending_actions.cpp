// pending_actions.cpp: staff ending an order's pending period early, or cancelling it.
#include "core/store.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "core/store_limits.hpp"

namespace loyalty {

// ---------------------------------------------------------------------------------------------
// Staff actions on pending points

Result Store::release_pending(std::string_view order_id, std::string_view reason, std::string_view actor, UtcSeconds time,
                              Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  if (reason.find_first_not_of(" \t") == std::string_view::npos) return Result::field("reason", "bắt buộc", "is required");
  const std::uint32_t order_index = find_order(order_id);
  if (order_index == no_index) return Result::failure(ResultCode::order_not_found);
  const Order& order = orders_[order_index];
  const bool any_pending = has_pending_points(order);
  if (!any_pending) {
    // A retry of a release already made is not an error.
    return Result::failure(staff_acted_on(PointsActionKind::pending_release, order_id) ? ResultCode::already_applied
                                                                                         : ResultCode::nothing_pending);
  }
  changes.order = order_index;
  const std::uint32_t actor_index = intern_actor(actor);
  const std::size_t first_transaction = changes.transactions.size();
  const auto action_index = static_cast<std::uint32_t>(points_actions_.size());
  points_actions_.push_back(PointsAction{PointsActionKind::pending_release, std::string(order_id), order.member, no_member,
                                         0, std::string(reason), now, static_cast<std::uint32_t>(ledger_.transactions().size())});
  for (std::uint32_t lot_index : {order.buyer_lot, order.referrer_lot}) {
    if (lot_index != no_index && lots_[lot_index].pending) {
      points_actions_[action_index].points += lots_[lot_index].points_remaining;
      release_lot(lot_index, now, actor_index, changes);
    }
  }
  // The bonuses the order gave (first order, referral on both sides, tier-up) wait with its
  // points and are released with them.
  for (std::uint32_t index : pending_bonuses_of(order)) {
    points_actions_[action_index].points += lots_[bonuses_[index].lot].points_remaining;
    release_lot(bonuses_[index].lot, now, actor_index, changes);
  }
  // Only this action's transactions: `changes` also holds what fell due before it.
  for (std::size_t i = first_transaction; i < changes.transactions.size(); ++i) {
    staff_action_by_transaction_.emplace(changes.transactions[i], action_index);
  }
  settle(changes);
  return Result::success();
}

Result Store::cancel_pending(std::string_view order_id, std::string_view reason, std::string_view actor, UtcSeconds time,
                             Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  if (reason.find_first_not_of(" \t") == std::string_view::npos) return Result::field("reason", "bắt buộc", "is required");
  const std::uint32_t order_index = find_order(order_id);
  if (order_index == no_index) return Result::failure(ResultCode::order_not_found);
  Order& order = orders_[order_index];
  const bool any_pending = has_pending_points(order);
  if (!any_pending) {
    return Result::failure(staff_acted_on(PointsActionKind::pending_cancel, order_id) ? ResultCode::already_applied
                                                                                        : ResultCode::nothing_pending);
  }
  changes.order = order_index;
  const std::uint32_t actor_index = intern_actor(actor);
  const std::size_t first_transaction = changes.transactions.size();
  const auto action_index = static_cast<std::uint32_t>(points_actions_.size());
  points_actions_.push_back(PointsAction{PointsActionKind::pending_cancel, std::string(order_id), order.member, no_member, 0,
                                         std::string(reason), now, static_cast<std::uint32_t>(ledger_.transactions().size())});
  if (order.buyer_lot != no_index && lots_[order.buyer_lot].pending) {
    const Points points = lots_[order.buyer_lot].points_remaining;
    points_actions_.back().points += points;
    cancel_pending_lot(order.buyer_lot, points, now, actor_index, changes);
    order.buyer_points_reversed += points;
  }
  if (order.referrer_lot != no_index && lots_[order.referrer_lot].pending) {
    const Points points = lots_[order.referrer_lot].points_remaining;
    points_actions_.back().points += points;
    cancel_pending_lot(order.referrer_lot, points, now, actor_index, changes);
    order.referrer_points_reversed += points;
  }
  // The bonuses the order gave go with its points, as a refund in full in the pending
  // period takes them: each is given once per member, so a later order does not give it again.
  for (std::uint32_t index : pending_bonuses_of(order)) {
    BonusRecord& bonus = bonuses_[index];
    bonus.reversed = true;
    const Points points = lots_[bonus.lot].points_remaining;
    points_actions_.back().points += points;
    cancel_pending_lot(bonus.lot, points, now, actor_index, changes);
  }
  // Deferred tier points never count.
  order.tier_points_reversed += order.tier_points_deferred;
  order.tier_points_deferred = 0;
  // Only this action's transactions: `changes` also holds what fell due before it.
  for (std::size_t i = first_transaction; i < changes.transactions.size(); ++i) {
    staff_action_by_transaction_.emplace(changes.transactions[i], action_index);
  }
  settle(changes);
  return Result::success();
}

bool Store::has_pending_points(const Order& order) const {
  // A pending lot that a refund emptied has nothing left to release or cancel.
  auto waiting = [&](std::uint32_t lot) { return lot != no_index && lots_[lot].pending && lots_[lot].points_remaining > 0; };
  return waiting(order.buyer_lot) || waiting(order.referrer_lot) || !pending_bonuses_of(order).empty();
}

bool Store::staff_acted_on(PointsActionKind kind, std::string_view order_id) const {
  return std::any_of(points_actions_.begin(), points_actions_.end(),
                     [&](const PointsAction& action) { return action.kind == kind && action.action_id == order_id; });
}

const PointsAction* Store::staff_action_for(std::uint32_t transaction) const {
  const auto found = staff_action_by_transaction_.find(transaction);
  return found == staff_action_by_transaction_.end() ? nullptr : &points_actions_[found->second];
}

}  // namespace loyalty
