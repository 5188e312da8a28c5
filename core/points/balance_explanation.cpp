#include "core/points/balance_explanation.hpp"

#include <algorithm>
#include <cassert>
#include <vector>

#include "core/commands/store_json.hpp"

namespace loyalty {
namespace {

// The transactions that credited the member's spendable points without an order (an
// adjustment, a birthday bonus, a transfer received), oldest first: lots made by them carry
// no order, so they are matched by the moment they were made.
std::vector<std::uint32_t> credits_without_order(const Store& store, MemberIndex member) {
  std::vector<std::uint32_t> credits;
  store.ledger().visit_account_history(account_of(member, MemberAccount::points), [&](const Posting& posting, std::uint32_t index) {
    const std::uint32_t transaction = store.ledger().transaction_of(index);
    const TransactionKind kind = store.ledger().transactions()[transaction].kind;
    if (posting.amount > 0 && (kind == TransactionKind::manual_adjustment || kind == TransactionKind::birthday_bonus ||
                               kind == TransactionKind::points_transfer)) {
      credits.push_back(transaction);
    }
    return true;
  });
  std::reverse(credits.begin(), credits.end());
  return credits;
}

Json time_or_null(UtcSeconds time) { return time == INT64_MAX ? Json(nullptr) : Json(format_utc_time(time)); }

Json source_of(const Store& store, std::uint32_t lot_index, const PointLot& lot, const std::vector<std::uint32_t>& credits) {
  if (lot.order != UINT32_MAX) {
    const Order& order = store.orders()[lot.order];
    const bool referral = order.referrer_lot == lot_index;
    Json source{{"kind", referral ? "referral" : "order"}, {"order_id", order.order_id}};
    if (referral) source["buyer_id"] = store.members()[order.member].member_id;
    return source;
  }
  // The latest credit made at the lot's moment (a transfer may make several lots at once).
  for (auto credit = credits.rbegin(); credit != credits.rend(); ++credit) {
    if (store.ledger().transactions()[*credit].time_utc != lot.earned_at_utc) continue;
    const Json transaction = transaction_to_json(store, *credit);
    const TransactionKind kind = store.ledger().transactions()[*credit].kind;
    const char* name = kind == TransactionKind::manual_adjustment ? "adjustment"
                       : kind == TransactionKind::birthday_bonus  ? "birthday_bonus"
                                                                  : "transfer";
    return Json{{"kind", name}, {"transaction", transaction["id"]}, {"actor", transaction["actor"]}, {"reason", transaction["reason"]}};
  }
  return Json{{"kind", "other"}};
}

}  // namespace

Json explain_balance_to_json(const Store& store, MemberIndex member) {
  assert(member < store.members().size());
  const Ledger& ledger = store.ledger();
  std::vector<std::uint32_t> holding;
  for (const std::uint32_t lot_index : store.member_lots(member)) {
    if (store.lots()[lot_index].points_remaining > 0) holding.push_back(lot_index);
  }
  // Spendable lots in the order spends take them (soonest expiry first), then pending lots
  // in the order they become available.
  std::sort(holding.begin(), holding.end(), [&](std::uint32_t a, std::uint32_t b) {
    const PointLot& left = store.lots()[a];
    const PointLot& right = store.lots()[b];
    if (left.pending != right.pending) return !left.pending;
    const UtcSeconds left_key = left.pending ? left.available_at_utc : left.expires_at_utc;
    const UtcSeconds right_key = right.pending ? right.available_at_utc : right.expires_at_utc;
    if (left_key != right_key) return left_key < right_key;
    return a < b;
  });
  // What consumed each lot: the portions of the member's own transactions (spends, holds,
  // transfers out, expiries), found by transaction in the store's list, which is in
  // transaction order.
  std::vector<std::uint32_t> transactions;
  for (MemberAccount account : {MemberAccount::points, MemberAccount::held}) {
    ledger.visit_account_history(account_of(member, account), [&](const Posting&, std::uint32_t index) {
      transactions.push_back(ledger.transaction_of(index));
      return true;
    });
  }
  std::sort(transactions.begin(), transactions.end());
  transactions.erase(std::unique(transactions.begin(), transactions.end()), transactions.end());
  const std::vector<LotPortion>& portions = store.lot_portions();
  std::vector<LotPortion> member_portions;
  for (const std::uint32_t transaction : transactions) {
    auto portion = std::lower_bound(portions.begin(), portions.end(), transaction,
                                    [](const LotPortion& candidate, std::uint32_t wanted) { return candidate.transaction < wanted; });
    for (; portion != portions.end() && portion->transaction == transaction; ++portion) {
      if (store.lots()[portion->lot].member == member) member_portions.push_back(*portion);
    }
  }
  const std::vector<std::uint32_t> credits = credits_without_order(store, member);

  Json lots = Json::array();
  Points spendable_total = 0;
  Points pending_total = 0;
  for (const std::uint32_t lot_index : holding) {
    const PointLot& lot = store.lots()[lot_index];
    Json used = Json::array();
    Points used_points = 0;
    for (const LotPortion& portion : member_portions) {
      if (portion.lot != lot_index) continue;
      const Transaction& transaction = ledger.transactions()[portion.transaction];
      used.push_back({{"transaction", portion.transaction + 1},
                      {"kind", transaction_kind_name(transaction.kind)},
                      {"time", format_utc_time(transaction.time_utc)},
                      {"points", portion.points}});
      used_points += portion.points;
    }
    // What the portions do not tell: points given back to the lot (a refund of an order paid
    // with points, a released hold) or taken from it without a portion (a refund's reversal,
    // a debt repaid from it). Earned − used + given back − taken back = remaining.
    const Points unexplained = lot.points_remaining + used_points - lot.points_earned;
    Json entry{{"source", source_of(store, lot_index, lot, credits)},
               {"earned_at", format_utc_time(lot.earned_at_utc)},
               {"points_earned", lot.points_earned},
               {"used", std::move(used)},
               {"points_given_back", std::max<Points>(0, unexplained)},
               {"points_taken_back", std::max<Points>(0, -unexplained)},
               {"points_remaining", lot.points_remaining},
               {"pending", lot.pending},
               {"available_at", format_utc_time(lot.available_at_utc)},
               {"expires_at", time_or_null(lot.expires_at_utc)}};
    (lot.pending ? pending_total : spendable_total) += lot.points_remaining;
    lots.push_back(std::move(entry));
  }
  const Member& record = store.members()[member];
  return Json{{"member_id", record.member_id},
              {"points", ledger.balance(member, MemberAccount::points)},
              {"pending", ledger.balance(member, MemberAccount::pending)},
              {"held", ledger.balance(member, MemberAccount::held)},
              {"debt", record.debt_points},
              {"lots_points", spendable_total},
              {"lots_pending", pending_total},
              {"lots", std::move(lots)}};
}

}  // namespace loyalty
