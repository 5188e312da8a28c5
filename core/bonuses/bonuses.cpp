// bonuses.cpp: fixed points on moments of a member's life (welcome, first order, referral,
// profile completion, tier-up), each once per member, and their reversal when the order
// that triggered one is refunded in full within its pending period.
#include "core/store.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "core/store_limits.hpp"

namespace loyalty {

namespace {
constexpr std::uint8_t bonus_bit(BonusKind kind) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(kind)); }
// Set on a member's first completed order, whatever the program: a first-order bonus added
// to the program later is never given on a later order.
constexpr std::uint8_t completed_order_bit = 0x80;

TransactionKind transaction_kind_of(BonusKind kind) {
  switch (kind) {
    case BonusKind::welcome: return TransactionKind::welcome_bonus;
    case BonusKind::first_order: return TransactionKind::first_order_bonus;
    case BonusKind::referral: return TransactionKind::referral_bonus;
    case BonusKind::profile_completion: return TransactionKind::profile_completion_bonus;
    case BonusKind::tier_up: return TransactionKind::tier_up_bonus;
  }
  return TransactionKind::welcome_bonus;
}

EventKind event_kind_of(BonusKind kind) {
  switch (kind) {
    case BonusKind::welcome: return EventKind::welcome_bonus;
    case BonusKind::first_order: return EventKind::first_order_bonus;
    case BonusKind::referral: return EventKind::referral_bonus;
    case BonusKind::profile_completion: return EventKind::profile_completion_bonus;
    case BonusKind::tier_up: return EventKind::tier_up_bonus;
  }
  return EventKind::welcome_bonus;
}

}  // namespace

bool profile_complete(const Member& member) {
  return !member.name.empty() && !member.phone.empty() && !member.email.empty() && member.birthday.known();
}

std::string_view bonus_kind_name(BonusKind kind) {
  static constexpr std::array<std::string_view, 5> names = {"welcome", "first_order", "referral", "profile_completion", "tier_up"};
  return names.at(static_cast<std::size_t>(kind));
}

bool Store::completed_an_order(MemberIndex member) const { return (members_[member].bonuses_given & completed_order_bit) != 0; }

void Store::plan_order_bonuses(MemberIndex member, const ProgramConfig& config, EarningPlan& plan) const {
  const Member& buyer = members_[member];
  if ((buyer.bonuses_given & completed_order_bit) != 0) return;   // not the member's first completed order
  const BonusConfig& bonuses = config.bonuses;
  if ((buyer.bonuses_given & bonus_bit(BonusKind::first_order)) == 0) plan.first_order_bonus = bonuses.first_order_points;
  if (plan.referrer != no_member && (buyer.bonuses_given & bonus_bit(BonusKind::referral)) == 0) {
    plan.referral_referrer_bonus = bonuses.referral_referrer_points;
    plan.referral_new_member_bonus = bonuses.referral_new_member_points;
    if (bonuses.referral_instead_of_percentage) {
      // This order pays the referrer the fixed points instead of the percentage.
      plan.earning.referrer_points = 0;
      for (LineEarning& line : plan.earning.lines) line.referrer_points = 0;
    }
  }
}

void Store::give_bonus(BonusKind kind, MemberIndex member, std::uint32_t order, Points points, std::int32_t tier_index,
                       UtcSeconds earned_at, UtcSeconds now, const ProgramConfig& config, bool pending, std::uint32_t actor,
                       Changes& changes) {
  // A bonus the pool cannot pay is not given (the order's own points were checked first).
  if (points <= 0 || points > ledger_.balance(SystemAccount::pool)) return;
  const auto bonus_index = static_cast<std::uint32_t>(bonuses_.size());
  const MemberAccount destination = pending ? MemberAccount::pending : MemberAccount::points;
  const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(SystemAccount::pool), -points},
                                                  PostingRequest{account_of(member, destination), points}};
  changes.transactions.push_back(ledger_.post(transaction_kind_of(kind), now, earned_at, bonus_index, actor, postings));
  BonusRecord record{kind, member, order, UINT32_MAX, points, tier_index};
  record.lot = create_lot(member, order, points, earned_at, config, pending);
  if (order != no_index) {
    record.next_of_order = orders_[order].first_bonus;
    orders_[order].first_bonus = bonus_index;
  }
  bonuses_.push_back(record);
  members_[member].points_earned += points;
  touch(member, changes);
  changes.events.push_back(Event{event_kind_of(kind), now, member, order, points});
}

void Store::give_order_bonuses(std::uint32_t order_index, UtcSeconds now, std::uint32_t actor, const EarningPlan& plan,
                               Changes& changes) {
  const Order& order = orders_[order_index];
  const ProgramConfig& config = plan.program->config;
  const bool pending = config.pending.days > 0;
  Member& buyer = members_[order.member];
  buyer.bonuses_given |= completed_order_bit;
  if (plan.first_order_bonus > 0) {
    buyer.bonuses_given |= bonus_bit(BonusKind::first_order);
    give_bonus(BonusKind::first_order, order.member, order_index, plan.first_order_bonus, -1, order.completed_at_utc, now, config,
               pending, actor, changes);
  }
  if (plan.referral_referrer_bonus > 0 || plan.referral_new_member_bonus > 0) {
    members_[order.member].bonuses_given |= bonus_bit(BonusKind::referral);
    give_bonus(BonusKind::referral, order.referrer, order_index, plan.referral_referrer_bonus, -1, order.completed_at_utc, now, config,
               pending, actor, changes);
    give_bonus(BonusKind::referral, order.member, order_index, plan.referral_new_member_bonus, -1, order.completed_at_utc, now, config,
               pending, actor, changes);
  }
}

void Store::give_member_bonuses(MemberIndex member, UtcSeconds now, bool joining, Changes& changes) {
  const ProgramVersion* program = program_at(now);
  if (program == nullptr || members_[member].status == MemberStatus::blocked) return;
  const BonusConfig& bonuses = program->config.bonuses;
  Member& record = members_[member];
  // The welcome bonus only on joining: a program that adds it later does not give it to members who joined before.
  if (joining && bonuses.welcome_points > 0 && (record.bonuses_given & bonus_bit(BonusKind::welcome)) == 0) {
    record.bonuses_given |= bonus_bit(BonusKind::welcome);
    give_bonus(BonusKind::welcome, member, no_index, bonuses.welcome_points, -1, now, now, program->config, false, 0, changes);
  }
  if (bonuses.profile_completion_points > 0 && (members_[member].bonuses_given & bonus_bit(BonusKind::profile_completion)) == 0 &&
      profile_complete(members_[member])) {
    members_[member].bonuses_given |= bonus_bit(BonusKind::profile_completion);
    give_bonus(BonusKind::profile_completion, member, no_index, bonuses.profile_completion_points, -1, now, now, program->config, false,
               0, changes);
  }
}

std::vector<std::uint32_t> Store::pending_bonuses_of(const Order& order) const {
  std::vector<std::uint32_t> found;
  for (std::uint32_t index = order.first_bonus; index != no_index; index = bonuses_[index].next_of_order) {
    const PointLot& lot = lots_[bonuses_[index].lot];
    if (!bonuses_[index].reversed && lot.pending && lot.points_remaining > 0) found.push_back(index);
  }
  std::reverse(found.begin(), found.end());   // the order's list is newest first
  return found;
}

void Store::reverse_order_bonuses(std::uint32_t order_index, UtcSeconds now, std::uint32_t actor, Changes& changes) {
  for (std::uint32_t index = orders_[order_index].first_bonus; index != no_index; index = bonuses_[index].next_of_order) {
    BonusRecord& bonus = bonuses_[index];
    if (bonus.reversed) continue;
    bonus.reversed = true;
    PointLot& lot = lots_[bonus.lot];
    // Still pending: what the lot holds; available: what has not expired (a spent part is
    // taken from the balance, which may go negative and is recovered from later points).
    const bool pending = lot.pending;
    const Points back = pending ? lot.points_remaining : bonus.points - lot.points_expired;
    if (back <= 0) continue;
    const MemberAccount source = pending ? MemberAccount::pending : MemberAccount::points;
    const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(bonus.member, source), -back},
                                                    PostingRequest{account_of(SystemAccount::pool), back}};
    const std::uint32_t transaction = ledger_.post(TransactionKind::bonus_reversal, now, lot.earned_at_utc, index, actor, postings);
    changes.transactions.push_back(transaction);
    if (pending) {
      lots_[bonus.lot].points_remaining -= back;
    } else {
      members_[bonus.member].debt_points += consume_lots(bonus.member, back, now, transaction, bonus.lot);
    }
    members_[bonus.member].points_reversed += back;
    touch(bonus.member, changes);
    changes.events.push_back(Event{EventKind::bonus_reversed, now, bonus.member, order_index, back});
  }
}

}  // namespace loyalty
