// orders.cpp: order events (placed, completed, cancelled, refunded), what completing an
// order earns, and what a refund takes back.
#include "core/store.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "core/store_limits.hpp"
#include "core/basics/prefetch.hpp"

namespace loyalty {

// ---------------------------------------------------------------------------------------------
// Orders

std::uint32_t Store::find_order(std::string_view order_id) const {
  return order_by_id_.find(order_id, [this](std::uint32_t index) -> std::string_view { return orders_[index].order_id; });
}

Result Store::record_order_event(const OrderEvent& event, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  if (!is_valid_key(event.order_id, order_id_bytes_max)) {
    return Result::field("order_id", "bắt buộc: ký tự ASCII in được, không khoảng trắng, tối đa 128 byte",
                         "required: printable ASCII without spaces, at most 128 bytes");
  }
  if (Result amounts = check_order_amounts(event.amounts); !amounts.ok()) return amounts;
  if (Result lines = check_order_lines(event.lines, event.amounts); !lines.ok()) return lines;
  const MemberIndex member = find_member(event.member_id);
  if (member == no_member) return Result::failure(ResultCode::member_not_found);
  // Start the memory reads an earning will need, so that they overlap instead of waiting
  // one after the other (the accrual benchmark is bound by memory latency).
  {
    const Member& buyer = members_[member];
    prefetch(reinterpret_cast<const char*>(&buyer) + 64);   // the second line: lots and totals
    ledger_.prefetch_member(member);
    if (!buyer.tier_history.empty()) prefetch(buyer.tier_history.data() + buyer.tier_history.size() - 1);
    if (buyer.referrer != no_member) {
      prefetch(reinterpret_cast<const char*>(&members_[buyer.referrer]) + 64);
      ledger_.prefetch_member(buyer.referrer);
    }
  }
  // The actor is interned once the event is accepted: a refused event leaves no trace (the
  // journal does not hold it, so a replayed store would not have its actor).
  auto actor = [&] { return intern_actor(event.actor); };
  std::uint32_t order_index = find_order(event.order_id);
  if (order_index == no_index && time < members_[member].joined_at_utc) {
    return Result::field("time", "sớm hơn lúc thành viên tham gia", "is earlier than when the member joined");
  }
  // A checkout that pays with points names its hold, on `placed` or on `completed`; a hold
  // named when the order was placed stays with it.
  std::uint32_t hold_index = no_index;
  if (!event.points_hold_id.empty()) {
    hold_index = find_hold(event.points_hold_id);
    if (hold_index == no_index) return Result::failure(ResultCode::hold_not_found);
    if (holds_[hold_index].member != member) return Result::failure(ResultCode::hold_member_mismatch);
  }
  if (order_index != no_index && orders_[order_index].hold != no_index) {
    if (hold_index != no_index && hold_index != orders_[order_index].hold) {
      return Result::field("points_hold_id", "khác lượt giữ điểm đã gắn với đơn hàng", "differs from the points hold the order was placed with");
    }
    hold_index = orders_[order_index].hold;
  }
  if (hold_index != no_index && holds_[hold_index].order != no_index && holds_[hold_index].order != order_index) {
    return Result::field("points_hold_id", "đã gắn với đơn hàng khác", "belongs to another order");
  }
  auto amounts_with_hold = [&](OrderAmounts amounts) {
    if (hold_index != no_index) amounts.paid_with_points_vnd = holds_[hold_index].value_vnd;
    return amounts;
  };
  if (hold_index != no_index && event.amounts.paid_with_points_vnd != 0 &&
      event.amounts.paid_with_points_vnd != holds_[hold_index].value_vnd) {
    return Result::field("paid_with_points_vnd", "khác giá trị điểm đang giữ", "differs from the value of the points held");
  }

  if (order_index != no_index) {
    Order& order = orders_[order_index];
    changes.order = order_index;
    if (order.member != member) return Result::failure(ResultCode::order_member_mismatch);
    // The amounts must agree with what was recorded; a field left at 0 is not repeated.
    const OrderAmounts& known = order.amounts;
    if (known.amount_vnd != event.amounts.amount_vnd ||
        (event.amounts.shipping_vnd != 0 && known.shipping_vnd != event.amounts.shipping_vnd) ||
        (event.amounts.voucher_discount_vnd != 0 && known.voucher_discount_vnd != event.amounts.voucher_discount_vnd) ||
        (event.amounts.paid_with_points_vnd != 0 && known.paid_with_points_vnd != event.amounts.paid_with_points_vnd)) {
      return Result::failure(ResultCode::order_amount_mismatch);
    }
    // Lines come with the order's first event; a later event may repeat them, never change them.
    if (!event.lines.empty()) {
      const std::span<const StoredOrderLine> known_lines = order_lines(order);
      bool same = known_lines.size() == event.lines.size();
      for (std::size_t i = 0; same && i < known_lines.size(); ++i) same = known_lines[i].line == event.lines[i];
      if (!same) return Result::field("lines", "khác các dòng đã ghi nhận cho đơn hàng", "differ from the lines recorded for the order");
    }
    switch (event.status) {
      case OrderStatus::placed:
        return Result::failure(ResultCode::already_applied);   // placed is where every order starts
      case OrderStatus::completed: {
        if (order.status == OrderStatus::cancelled) return Result::failure(ResultCode::order_already_cancelled);
        if (order.status != OrderStatus::placed) return Result::failure(ResultCode::already_applied);
        if (members_[member].status == MemberStatus::blocked) return Result::failure(ResultCode::member_blocked);
        if (hold_index != no_index && holds_[hold_index].state != HoldState::active) return Result::failure(ResultCode::hold_not_active);
        EarningPlan plan;
        plan.hold = hold_index;
        std::vector<OrderLine> lines;
        for (const StoredOrderLine& stored : order_lines(order)) lines.push_back(stored.line);
        if (Result planned = plan_earning(member, amounts_with_hold(order.amounts), lines, time, plan); !planned.ok()) return planned;
        complete_order(order_index, time, now, actor(), plan, changes);
        settle(changes);
        return Result::success();
      }
      case OrderStatus::cancelled:
        if (order.status == OrderStatus::cancelled) return Result::failure(ResultCode::already_applied);
        if (order.status != OrderStatus::placed) return Result::failure(ResultCode::order_already_completed);
        order.status = OrderStatus::cancelled;   // cancelled before completion: nothing was earned
        if (hold_index != no_index && holds_[hold_index].state == HoldState::active) {
          end_hold(hold_index, HoldState::released, now, actor(), changes);
        }
        campaign_order_ended(order_index, now, changes);
        settle(changes);
        return Result::success();
      case OrderStatus::refunded: {
        if (order.status == OrderStatus::refunded) return Result::failure(ResultCode::already_applied);
        if (order.status != OrderStatus::completed) return Result::failure(ResultCode::order_not_completed);
        if (time < order.completed_at_utc) {
          return Result::field("time", "sớm hơn lúc đơn hàng hoàn thành", "is earlier than when the order completed");
        }
        // A full refund takes back whatever the partial refunds have not.
        record_refund(order_index, full_refund_id, order_paid_vnd(order) - order.refunded_vnd, now, actor(), changes);
        settle(changes);
        return Result::success();
      }
    }
    return Result::success();
  }
  // A first event for this order.
  if (event.status == OrderStatus::refunded) return Result::failure(ResultCode::order_not_completed);
  // Check the earning before creating the order, so that a refusal leaves no trace.
  if (hold_index != no_index && event.status != OrderStatus::cancelled && holds_[hold_index].state != HoldState::active) {
    return Result::failure(ResultCode::hold_not_active);
  }
  EarningPlan plan;
  plan.hold = hold_index;
  if (event.status == OrderStatus::completed) {
    if (members_[member].status == MemberStatus::blocked) return Result::failure(ResultCode::member_blocked);
    if (Result planned = plan_earning(member, amounts_with_hold(event.amounts), event.lines, time, plan); !planned.ok()) return planned;
  }
  order_index = static_cast<std::uint32_t>(orders_.size());
  Order order;
  order.order_id = event.order_id;
  order.member = member;
  order.status = event.status == OrderStatus::cancelled ? OrderStatus::cancelled : OrderStatus::placed;
  order.amounts = event.status == OrderStatus::cancelled ? event.amounts : amounts_with_hold(event.amounts);
  order.placed_at_utc = time;
  if (!event.lines.empty()) {
    order.first_line = static_cast<std::uint32_t>(order_lines_.size());
    order.line_count = static_cast<std::uint32_t>(event.lines.size());
    for (const OrderLine& line : event.lines) order_lines_.push_back(StoredOrderLine{line});
  }
  orders_.push_back(std::move(order));
  order_by_id_.insert(event.order_id, order_index);
  groups_.note_order(order_index, member);
  changes.order = order_index;
  if (hold_index != no_index && event.status != OrderStatus::cancelled) {
    // The hold is the order's from now on: completing the order captures it, even when the
    // completion does not name it again.
    orders_[order_index].hold = hold_index;
    holds_[hold_index].order = order_index;
  }
  if (event.status == OrderStatus::completed) complete_order(order_index, time, now, actor(), plan, changes);
  if (event.status == OrderStatus::cancelled && hold_index != no_index && holds_[hold_index].state == HoldState::active) {
    end_hold(hold_index, HoldState::released, now, actor(), changes);
  }
  if (event.status == OrderStatus::cancelled) campaign_order_ended(order_index, now, changes);
  settle(changes);
  return Result::success();
}

Vnd Store::order_paid_vnd(const Order& order) {
  return order.amounts.amount_vnd - order.amounts.voucher_discount_vnd - order.amounts.paid_with_points_vnd;
}

Vnd Store::order_goods_paid_vnd(const Order& order) const {
  const Vnd paid_vnd = order_paid_vnd(order);
  if (order.program_version <= 0) return paid_vnd;
  const ProgramConfig& config = program_versions_[static_cast<std::size_t>(order.program_version - 1)].config;
  const Vnd goods_vnd = config.wallet.exclude_shipping ? paid_vnd - order.amounts.shipping_vnd : paid_vnd;
  return goods_vnd > 0 ? goods_vnd : paid_vnd;
}

Result Store::plan_earning(MemberIndex member, const OrderAmounts& amounts, std::span<const OrderLine> lines, UtcSeconds time,
                           EarningPlan& plan) const {
  plan.program = program_at(time);
  if (plan.program == nullptr) return Result::failure(ResultCode::program_not_set);
  const ProgramConfig& config = plan.program->config;
  if (plan.hold != no_index) {
    // The hold was sized for a checkout; it must fit this order: within the order's amount
    // with shipping and discount, and within the largest share points may pay.
    if (static_cast<__int128>(amounts.paid_with_points_vnd) * basis_points_per_whole >
        static_cast<__int128>(amounts.amount_vnd) * config.pay_with_points.max_share_bp) {
      return Result::failure(ResultCode::points_share_exceeded);
    }
    if (Result amounts_fit = check_order_amounts(amounts); !amounts_fit.ok()) {
      return Result::field("points_hold_id", "giá trị điểm giữ lớn hơn phần đơn hàng có thể trả bằng điểm",
                           "the held points are worth more than the part of the order points can pay");
    }
  }
  // The buyer's tier at that time, before this order, decides the multiplier; the
  // referrer is the one the buyer had at that time, and a blocked card earns nothing.
  plan.tier_points_before = window_tier_points(member, time);
  plan.measure_before = config.tier_points.qualify_by == TierMeasure::tier_points ? plan.tier_points_before : tier_measure(member, time);
  plan.tier_before = tier_with_rules(member, config, config.tier_index_for(plan.measure_before), time);
  plan.referrer = referrer_at(member, time);
  if (plan.referrer != no_member && members_[plan.referrer].status == MemberStatus::blocked) plan.referrer = no_member;
  EarningContext context;
  context.lines = lines;
  if (!config.promotions.empty()) {
    context.promotion = promotion_for(config, time, plan.tier_before,
                                      [&](const std::string& group_id) { return member_in_group(member, group_id, time); });
  }
  plan.earning = compute_earning(config, amounts, plan.tier_before, plan.referrer != no_member, context);
  if (plan.earning.code != ResultCode::ok) return Result::failure(plan.earning.code);
  plan_order_bonuses(member, config, plan);
  const Points bonus_points = plan.first_order_bonus + plan.referral_referrer_bonus + plan.referral_new_member_bonus;
  if (plan.earning.buyer_points + plan.earning.referrer_points + bonus_points > ledger_.balance(SystemAccount::pool)) {
    return Result::failure(ResultCode::pool_exhausted);
  }
  if (plan.earning.tier_points > tier_points_issued_max + ledger_.balance(SystemAccount::tier_genesis)) {
    return Result::failure(ResultCode::amount_too_large);
  }
  return Result::success();
}

void Store::complete_order(std::uint32_t order_index, UtcSeconds time, UtcSeconds now, std::uint32_t actor,
                           const EarningPlan& plan, Changes& changes) {
  Order& order = orders_[order_index];
  const EarningBreakdown& earning = plan.earning;
  assert(plan.program != nullptr && earning.code == ResultCode::ok);
  // After this point the command must succeed.
  const ProgramConfig& config = plan.program->config;
  const bool pending = config.pending.days > 0;
  order.status = OrderStatus::completed;
  order.completed_at_utc = time;
  order.program_version = plan.program->version;
  order.referrer = plan.referrer;
  order.buyer_points_earned = earning.buyer_points;
  order.referrer_points_earned = earning.referrer_points;
  order.tier_points_earned = earning.tier_points;
  if (plan.hold != no_index) order.amounts.paid_with_points_vnd = holds_[plan.hold].value_vnd;
  for (std::size_t i = 0; i < earning.lines.size() && i < order.line_count; ++i) {
    StoredOrderLine& stored = order_lines_[order.first_line + i];
    stored.buyer_points = earning.lines[i].buyer_points;
    stored.referrer_points = earning.lines[i].referrer_points;
    stored.tier_points = earning.lines[i].tier_points;
  }

  // Earned points wait in the pending account during the return window. Postings are
  // dated at the clock; they count from the order's time (effective time).
  const MemberAccount destination = pending ? MemberAccount::pending : MemberAccount::points;
  std::array<PostingRequest, 3> postings{};
  std::size_t count = 0;
  if (earning.buyer_points + earning.referrer_points > 0) {
    postings[count++] = {account_of(SystemAccount::pool), -(earning.buyer_points + earning.referrer_points)};
    if (earning.buyer_points > 0) postings[count++] = {account_of(order.member, destination), earning.buyer_points};
    if (earning.referrer_points > 0) postings[count++] = {account_of(order.referrer, destination), earning.referrer_points};
    changes.transactions.push_back(
        ledger_.post(TransactionKind::order_earning, now, time, order_index, actor, std::span(postings.data(), count)));
  }
  // The lots count from the order's time: a late order's pending period or expiry that is
  // already over happens at the clock when the command settles.
  if (earning.buyer_points > 0) {
    order.buyer_lot = create_lot(order.member, order_index, earning.buyer_points, time, config, pending);
    members_[order.member].points_earned += earning.buyer_points;
  }
  if (earning.referrer_points > 0) {
    order.referrer_lot = create_lot(order.referrer, order_index, earning.referrer_points, time, config, pending);
    members_[order.referrer].points_earned += earning.referrer_points;
  }
  TierPoints tier_points_now = earning.tier_points;
  if (pending && config.pending.tier_points_when_available) {
    order.tier_points_deferred = earning.tier_points;   // posted when the pending period ends
    tier_points_now = 0;
    if (earning.buyer_points == 0 && earning.tier_points > 0) {
      // No lot to release: the end of the pending period counts them by itself.
      schedule({time + static_cast<UtcSeconds>(config.pending.days) * seconds_per_day, DueKind::count_tier_points, order_index});
    }
  }
  // Spend and order count count from completion, beside the tier points, whatever the
  // program qualifies by: a later program (or a candidate in program_impact) that
  // qualifies by spend or by orders finds what the members did before it.
  if (tier_points_now > 0) {
    const std::array<PostingRequest, 2> tier_postings = {
        PostingRequest{account_of(SystemAccount::tier_genesis), -tier_points_now},
        PostingRequest{account_of(order.member, MemberAccount::tier_points), tier_points_now}};
    changes.transactions.push_back(ledger_.post(TransactionKind::tier_earning, now, time, order_index, actor, tier_postings));
    order.tier_points_counted_from_utc = time;
  }
  add_tier_entry(order.member, time, tier_points_now, order_goods_paid_vnd(order), 1);
  // Points paid for the order leave the hold for good.
  if (plan.hold != no_index) {
    PointsHold& hold = holds_[plan.hold];
    hold.state = HoldState::captured;
    hold.order = order_index;
    order.hold = plan.hold;
    const std::array<PostingRequest, 2> capture = {PostingRequest{account_of(order.member, MemberAccount::held), -hold.points},
                                                   PostingRequest{account_of(SystemAccount::redeemed), hold.points}};
    changes.transactions.push_back(ledger_.post(TransactionKind::hold_captured, now, now, plan.hold, actor, capture));
    members_[order.member].points_spent += hold.points;
    changes.events.push_back(Event{EventKind::hold_captured, now, order.member, order_index, hold.points});
  }
  Member& buyer = members_[order.member];
  if (time > buyer.last_order_at_utc) {
    buyer.last_order_at_utc = time;
    if (config.expiry.inactivity_months > 0 || inactivity_deadline(order.member, now) != INT64_MAX) schedule_inactivity(order.member);
  }
  touch(order.member, changes);
  if (earning.buyer_points > 0) changes.events.push_back(Event{EventKind::points_earned, now, order.member, order_index, earning.buyer_points});
  if (earning.referrer_points > 0) {
    touch(order.referrer, changes);
    changes.events.push_back(Event{EventKind::points_earned, now, order.referrer, order_index, earning.referrer_points});
  }
  give_order_bonuses(order_index, now, actor, plan, changes);
  if (time == now) {
    // The order's tier points count from now, so they are in the window now (no second scan).
    std::int64_t measure_after = plan.tier_points_before + tier_points_now;
    if (config.tier_points.qualify_by == TierMeasure::spend_vnd) measure_after = plan.measure_before + order_goods_paid_vnd(order);
    if (config.tier_points.qualify_by == TierMeasure::order_count) measure_after = plan.measure_before + 1;
    set_tier(order.member, config, measure_after, now, TierChangeCause::order, changes);
  } else {
    // A late order: the tier is the one the member is in at the clock.
    evaluate_tier(order.member, now, TierChangeCause::order, changes);
  }
  sync_group_order(order_index);
  notice_order_completed(order_index, time);   // a thank-you scenario (core/notifications)
}

Result Store::refund_order(const RefundEvent& event, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  if (!is_valid_key(event.refund_id, order_id_bytes_max)) {
    return Result::field("refund_id", "bắt buộc: ký tự ASCII in được, không khoảng trắng, tối đa 128 byte",
                         "required: printable ASCII without spaces, at most 128 bytes");
  }
  if (event.refund_id == full_refund_id) {
    return Result::field("refund_id", "\"" + std::string(full_refund_id) + "\" dành cho hoàn tiền toàn bộ theo trạng thái đơn hàng",
                         "\"" + std::string(full_refund_id) + "\" is reserved for the full refund by order status");
  }
  if (event.amount_vnd <= 0) return Result::field("amount_vnd", "phải lớn hơn 0", "must be greater than 0");
  const std::uint32_t order_index = find_order(event.order_id);
  if (order_index == no_index) return Result::failure(ResultCode::order_not_found);
  changes.order = order_index;
  std::string refund_key = event.order_id;
  refund_key.push_back('\x1f');
  refund_key += event.refund_id;
  if (const auto known = refund_by_key_.find(refund_key); known != refund_by_key_.end()) {
    return Result::failure(refunds_[known->second].amount_vnd == event.amount_vnd ? ResultCode::already_applied
                                                                                  : ResultCode::refund_conflict);
  }
  const Order& order = orders_[order_index];
  if (order.status == OrderStatus::refunded) return Result::failure(ResultCode::order_already_refunded);
  if (order.status != OrderStatus::completed) return Result::failure(ResultCode::order_not_completed);
  if (time < order.completed_at_utc) {
    return Result::field("time", "sớm hơn lúc đơn hàng hoàn thành", "is earlier than when the order completed");
  }
  if (event.amount_vnd > order_paid_vnd(order) - order.refunded_vnd) return Result::failure(ResultCode::refund_exceeds_order);
  // Named lines must be lines of the order, each at most what is left of it, each once.
  const std::span<const StoredOrderLine> lines = order_lines(order);
  for (std::size_t i = 0; i < event.lines.size(); ++i) {
    const RefundLine& returned = event.lines[i];
    const std::string path = "lines[" + std::to_string(i) + "]";
    std::size_t found = lines.size();
    for (std::size_t j = 0; j < lines.size(); ++j) {
      if (lines[j].line.product_id == returned.product_id) found = j;
    }
    if (found == lines.size()) {
      return Result::field(path + ".product_id", "không phải dòng của đơn hàng", "is not a line of the order");
    }
    for (std::size_t k = 0; k < i; ++k) {
      if (event.lines[k].product_id == returned.product_id) return Result::field(path + ".product_id", "trùng dòng trước", "named twice");
    }
    if (returned.quantity < 1 || returned.quantity > lines[found].line.quantity - lines[found].quantity_returned) {
      return Result::field(path + ".quantity", "phải từ 1 đến số lượng chưa hoàn (" + std::to_string(lines[found].line.quantity - lines[found].quantity_returned) + ")",
                           "must be from 1 to the quantity not yet returned (" + std::to_string(lines[found].line.quantity - lines[found].quantity_returned) + ")");
    }
  }
  // After this point the command must succeed.
  record_refund(order_index, event.refund_id, event.amount_vnd, now, intern_actor(event.actor), changes, event.lines);
  settle(changes);
  return Result::success();
}

// Records a refund and takes back the share of what the order earned that the refunds so
// far cover: refunded ÷ what was paid for the goods (the paid amount excludes the voucher
// discount and the points payment; shipping is apart when the program excluded it from
// earning), at most the whole. Each refund takes the difference between the cumulative
// share owed back and what earlier refunds took, so partial refunds never take more than
// was earned, and a full refund takes back exactly everything, whatever the rounding of
// the parts. Points of the order that have already expired are not taken a second time.
void Store::record_refund(std::uint32_t order_index, std::string_view refund_id, Vnd refund_vnd, UtcSeconds now,
                          std::uint32_t actor, Changes& changes, std::span<const RefundLine> returned_lines) {
  Order& order = orders_[order_index];
  const Vnd paid_vnd = order_paid_vnd(order);
  const Vnd refunded_before_vnd = order.refunded_vnd;
  assert(refund_vnd >= 0 && order.refunded_vnd + refund_vnd <= paid_vnd);
  const auto refund_index = static_cast<std::uint32_t>(refunds_.size());
  std::string refund_key = order.order_id;
  refund_key.push_back('\x1f');
  refund_key += refund_id;
  refunds_.push_back(RefundRecord{order_index, std::string(refund_id), refund_vnd});
  refund_by_key_.emplace(std::move(refund_key), refund_index);
  order.refunded_vnd += refund_vnd;
  const bool full = order.refunded_vnd == paid_vnd;
  if (full) order.status = OrderStatus::refunded;
  if (full) campaign_order_ended(order_index, now, changes);
  const Vnd goods_paid_vnd = order_goods_paid_vnd(order);
  const bool all_goods = full || order.refunded_vnd >= goods_paid_vnd;
  auto share = [&](std::int64_t earned) -> std::int64_t {
    if (goods_paid_vnd == 0 || all_goods) return earned;
    return multiply_divide(earned, order.refunded_vnd, goods_paid_vnd, Rounding::down).value();
  };
  // A refund naming lines takes back what those lines earned, for the quantity returned
  // (rounded down, the rest with the line's last unit), on top of what was taken before; a
  // refund that ends the order takes everything that is left.
  Points line_buyer_back = 0, line_referrer_back = 0;
  TierPoints line_tier_back = 0;
  for (const RefundLine& returned : returned_lines) {
    for (std::uint32_t j = 0; j < order.line_count; ++j) {
      StoredOrderLine& stored = order_lines_[order.first_line + j];
      if (stored.line.product_id != returned.product_id) continue;
      const std::int64_t quantity = stored.line.quantity;
      const std::int64_t before = stored.quantity_returned;
      const std::int64_t after = before + returned.quantity;
      auto part = [&](std::int64_t earned) {
        return multiply_divide(earned, after, quantity, Rounding::down).value() - multiply_divide(earned, before, quantity, Rounding::down).value();
      };
      line_buyer_back += part(stored.buyer_points);
      line_referrer_back += part(stored.referrer_points);
      line_tier_back += part(stored.tier_points);
      stored.quantity_returned = after;
    }
  }
  const bool by_lines = !returned_lines.empty() && !all_goods;
  auto owed = [&](std::int64_t earned, std::int64_t reversed, std::int64_t line_back) -> std::int64_t {
    return by_lines ? reversed + line_back : share(earned);
  };
  // What a refund may still take from a party: never what already expired from the lot the
  // order gave (that left the member's balance once), and never below what was taken
  // (staff may have cancelled pending points already).
  auto takeable = [&](Points earned, Points reversed, std::uint32_t lot, Points line_back) -> Points {
    const Points expired = lot != no_index ? lots_[lot].points_expired : 0;
    return std::max<Points>(0, std::min(owed(earned, reversed, line_back), earned - expired) - reversed);
  };
  const Points buyer_back = takeable(order.buyer_points_earned, order.buyer_points_reversed, order.buyer_lot, line_buyer_back);
  const Points referrer_back =
      takeable(order.referrer_points_earned, order.referrer_points_reversed, order.referrer_lot, line_referrer_back);
  TierPoints tier_back = std::max<TierPoints>(
      0, std::min(owed(order.tier_points_earned, order.tier_points_reversed, line_tier_back), order.tier_points_earned) -
             order.tier_points_reversed);

  // Inside the pending period the points are simply cancelled; after it they come out of
  // the member's balance (which may go negative, recovered from later points).
  struct Party { MemberIndex member; std::uint32_t lot; Points back; };
  const std::array<Party, 2> parties = {Party{order.member, order.buyer_lot, buyer_back},
                                        Party{order.referrer, order.referrer_lot, referrer_back}};
  std::array<PostingRequest, 3> postings{};
  std::size_t count = 0;
  Points reversed_from_balance = 0;
  for (const Party& party : parties) {
    if (party.back <= 0) continue;
    if (party.lot != no_index && lots_[party.lot].pending) {
      cancel_pending_lot(party.lot, party.back, now, actor, changes);
    } else {
      postings[++count] = {account_of(party.member, MemberAccount::points), -party.back};
      reversed_from_balance += party.back;
    }
  }
  if (reversed_from_balance > 0) {
    postings[0] = {account_of(SystemAccount::pool), reversed_from_balance};
    // The reversal counts from the order's completion, like what it reverses.
    const std::uint32_t transaction = ledger_.post(TransactionKind::order_reversal, now, order.completed_at_utc, refund_index,
                                                   actor, std::span(postings.data(), count + 1));
    changes.transactions.push_back(transaction);
    for (const Party& party : parties) {
      if (party.back <= 0 || (party.lot != no_index && lots_[party.lot].pending)) continue;
      members_[party.member].points_reversed += party.back;
      members_[party.member].debt_points += consume_lots(party.member, party.back, now, transaction, party.lot);
    }
  }
  // Tier points not yet counted (waiting for the pending period) are taken back first.
  const TierPoints from_deferred = std::min(order.tier_points_deferred, tier_back);
  order.tier_points_deferred -= from_deferred;
  order.tier_points_reversed += from_deferred;
  tier_back -= from_deferred;
  if (tier_back > 0) {
    const std::array<PostingRequest, 2> tier_postings = {
        PostingRequest{account_of(order.member, MemberAccount::tier_points), -tier_back},
        PostingRequest{account_of(SystemAccount::tier_genesis), tier_back}};
    // Taken back from when they were counted, so that they leave the window together.
    changes.transactions.push_back(
        ledger_.post(TransactionKind::tier_reversal, now, order.tier_points_counted_from_utc, refund_index, actor, tier_postings));
  }
  // Spend and the order count leave with the refund, from the order's completion.
  const ProgramConfig* order_config =
      order.program_version > 0 ? &program_versions_[static_cast<std::size_t>(order.program_version - 1)].config : nullptr;
  const Vnd spend_back_vnd = std::min(order.refunded_vnd, goods_paid_vnd) - std::min(refunded_before_vnd, goods_paid_vnd);
  const std::int32_t orders_back = full ? 1 : 0;
  if (tier_back > 0 && (spend_back_vnd != 0 || orders_back != 0) && order.tier_points_counted_from_utc != order.completed_at_utc) {
    add_tier_entry(order.member, order.tier_points_counted_from_utc, -tier_back);
    add_tier_entry(order.member, order.completed_at_utc, 0, -spend_back_vnd, -orders_back);
  } else if (tier_back > 0 || spend_back_vnd != 0 || orders_back != 0) {
    add_tier_entry(order.member, tier_back > 0 ? order.tier_points_counted_from_utc : order.completed_at_utc, -tier_back, -spend_back_vnd,
                   -orders_back);
  }
  order.buyer_points_reversed += buyer_back;
  order.referrer_points_reversed += referrer_back;
  order.tier_points_reversed += tier_back;
  assert(order.buyer_points_reversed <= order.buyer_points_earned);
  assert(order.referrer_points_reversed <= order.referrer_points_earned);

  // Points the customer paid with come back in the same proportion, to the lots they came
  // from; what comes back to a lot that has expired meanwhile expires again at once.
  if (order.hold != no_index && holds_[order.hold].state == HoldState::captured) {
    const PointsHold& hold = holds_[order.hold];
    const Points give = share(hold.points) - order.points_paid_returned;
    if (give > 0) {
      const std::array<PostingRequest, 2> returned = {PostingRequest{account_of(SystemAccount::redeemed), -give},
                                                      PostingRequest{account_of(order.member, MemberAccount::points), give}};
      changes.transactions.push_back(ledger_.post(TransactionKind::points_returned, now, now, refund_index, actor, returned));
      members_[order.member].points_returned += give;
      changes.events.push_back(Event{EventKind::points_returned, now, order.member, order_index, give});
      restore_portions(hold.transaction, order.points_paid_returned, give, now, changes);
      order.points_paid_returned += give;
    }
  }
  touch(order.member, changes);
  if (buyer_back > 0) changes.events.push_back(Event{EventKind::points_reversed, now, order.member, order_index, buyer_back});
  if (order.referrer != no_member && referrer_back > 0) {
    touch(order.referrer, changes);
    changes.events.push_back(Event{EventKind::points_reversed, now, order.referrer, order_index, referrer_back});
  }
  // Bonuses the order triggered go back when it is refunded in full within its pending period.
  if (full && order.first_bonus != no_index && order_config != nullptr &&
      now < order.completed_at_utc + static_cast<UtcSeconds>(order_config->pending.days) * seconds_per_day) {
    reverse_order_bonuses(order_index, now, actor, changes);
  }
  evaluate_tier(order.member, now, TierChangeCause::refund, changes);
  sync_group_order(order_index);
}

}  // namespace loyalty
