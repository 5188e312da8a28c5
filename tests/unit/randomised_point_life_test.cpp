// Randomised runs of the life of a point from fixed seeds: pending periods, expiry,
// holds, transfers, redemptions, refunds and adjustments interleaved, with time moving
// on. After every step the store's invariants must hold: the ledger conserves points, no
// lot holds less than nothing or more than it earned, and for every member
// available + pending + held = earned + received + returned - spent - expired - reversed - sent.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/basics/seeded_random.hpp"
#include "core/store.hpp"
#include "store_fixture.hpp"

using namespace loyalty;
using namespace loyalty::testing;

namespace {

using Random = SeededRandom;

struct Counts {
  int completed = 0, refunds = 0, redemptions = 0, holds = 0, captured = 0, transfers = 0, expiries = 0, releases = 0;
};

Counts run_life(std::uint64_t seed, int steps) {
  Random random{seed};
  Store store;
  Changes changes;
  ProgramConfig config = seed_program();
  config.wallet.initial_pool_points = 5'000'000;
  config.pending.days = static_cast<std::int32_t>(random.below(3) * 7);
  config.pending.tier_points_when_available = random.below(2) == 0;
  config.expiry.rule = static_cast<ExpiryRule>(random.below(3));
  config.expiry.months = 2;
  config.expiry.inactivity_months = random.below(2) == 0 ? 4 : 0;
  config.transfers.enabled = true;
  config.transfers.daily_limit_points = 200;
  config.transfers.minimum_balance_points = 3;
  UtcSeconds time = at("2026-01-01T00:00:00Z");
  REQUIRE(store.save_program(config, time, "owner", changes).ok());
  std::vector<std::string> members;
  Counts counts;
  auto some_member = [&] { return members[static_cast<std::size_t>(random.below(static_cast<std::int64_t>(members.size())))]; };

  for (int step = 0; step < steps; ++step) {
    time += random.below(6 * 3600);
    // Like the command runner: what fell due happens first.
    REQUIRE(store.process_due(time, changes).ok());
    for (std::uint32_t transaction : changes.transactions) {
      const TransactionKind kind = store.ledger().transactions()[transaction].kind;
      counts.expiries += kind == TransactionKind::points_expired;
      counts.releases += kind == TransactionKind::pending_release;
    }
    const std::int64_t action = random.below(100);
    if (action < 8 || members.size() < 4) {
      NewMember member;
      member.member_id = "m" + std::to_string(members.size());
      member.phone = "09" + std::to_string(20'000'000 + members.size());
      member.name = "Thành viên " + member.member_id;
      if (!members.empty() && random.below(2) == 0) member.referrer_id = some_member();
      REQUIRE(store.create_member(member, time, changes).ok());
      members.push_back(member.member_id);
    } else if (action < 40) {
      OrderEvent event;
      event.order_id = "o" + std::to_string(random.below(1500));
      const std::uint32_t known = store.find_order(event.order_id);
      event.member_id = known != UINT32_MAX ? store.members()[store.orders()[known].member].member_id : some_member();
      event.amounts.amount_vnd = known != UINT32_MAX ? store.orders()[known].amounts.amount_vnd : 100'000 + random.below(3'000'000);
      event.status = static_cast<OrderStatus>(random.below(4));
      if (event.status == OrderStatus::completed && random.below(3) == 0 && known == UINT32_MAX) {
        // Pay part with points when the member can.
        const std::string hold_id = "h" + std::to_string(step);
        const Points points = 1 + random.below(60);
        if (store.hold_points(PointsHoldRequest{hold_id, event.member_id, points, event.amounts.amount_vnd}, time, changes).ok()) {
          ++counts.holds;
          if (random.below(4) != 0) event.points_hold_id = hold_id;   // sometimes the checkout is lost
        }
      }
      const Result result = store.record_order(event, time, changes);
      if (result.code == ResultCode::ok && event.status == OrderStatus::completed) {
        ++counts.completed;
        counts.captured += !event.points_hold_id.empty();
      }
    } else if (action < 55) {
      const std::string order_id = "o" + std::to_string(random.below(1500));
      const Result result = store.refund_order(RefundEvent{order_id, "r" + std::to_string(random.below(4)), 1 + random.below(1'500'000), "staff"},
                                               time, changes);
      counts.refunds += result.code == ResultCode::ok;
    } else if (action < 67) {
      const Result result = store.redeem_points(
          RedemptionRequest{"d" + std::to_string(random.below(2000)), some_member(), 1 + random.below(40), "Quà", "staff"}, time, changes);
      counts.redemptions += result.code == ResultCode::ok;
    } else if (action < 77) {
      const Result result = store.transfer_points(
          TransferRequest{"t" + std::to_string(random.below(2000)), some_member(), some_member(), 1 + random.below(30), "member"}, time, changes);
      counts.transfers += result.code == ResultCode::ok;
    } else if (action < 85) {
      const Points points = random.below(120) - 40;
      (void)store.adjust_points(PointsAdjustment{some_member(), points == 0 ? 1 : points, "Điều chỉnh", "staff", "k" + std::to_string(random.below(3000))},
                                time, changes);
    } else if (action < 90) {
      if (!store.holds().empty()) {
        (void)store.release_hold(store.holds()[static_cast<std::size_t>(random.below(static_cast<std::int64_t>(store.holds().size())))].hold_id,
                                 time, "pos", changes);
      }
    } else if (action < 94) {
      const std::string order_id = "o" + std::to_string(random.below(1500));
      if (random.below(2) == 0) {
        (void)store.release_pending(order_id, "Khách đã nhận hàng", "staff", time, changes);
      } else {
        (void)store.cancel_pending(order_id, "Nghi gian lận", "staff", time, changes);
      }
    } else if (action < 97) {
      time += random.below(40) * seconds_per_day;   // a quiet spell: expiries and inactivity
    } else {
      REQUIRE(store.review_tiers(time, changes).ok());
    }
    const std::string problem = store.check_invariants();
    REQUIRE_MESSAGE(problem.empty(), "seed ", seed, " step ", step, ": ", problem);
  }
  return counts;
}

}  // namespace

TEST_CASE("randomised life of a point: every invariant after every step, seeds 11 to 18") {
  Counts total;
  for (std::uint64_t seed = 11; seed <= 18; ++seed) {
    CAPTURE(seed);
    const Counts counts = run_life(seed, 4000);
    total.completed += counts.completed;
    total.refunds += counts.refunds;
    total.redemptions += counts.redemptions;
    total.holds += counts.holds;
    total.captured += counts.captured;
    total.transfers += counts.transfers;
    total.expiries += counts.expiries;
    total.releases += counts.releases;
  }
  // The runs exercised every path, not just refusals.
  CHECK(total.completed > 1500);
  CHECK(total.refunds > 200);
  CHECK(total.redemptions > 300);
  CHECK(total.holds > 60);
  CHECK(total.captured > 30);
  CHECK(total.transfers > 100);
  CHECK(total.expiries > 50);
  CHECK(total.releases > 200);
}
