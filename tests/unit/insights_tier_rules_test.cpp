// insights_tier_rules_test.cpp: the Core IV rules where the store is read rather than
// written: program impact and backtest under a candidate that qualifies by spend or by
// orders, over a calendar year, with retention, manual tiers and bonuses; a group's tier
// condition; a promotion's tier and group checked on save; the preview naming each line;
// memory_bytes counting Core IV's state. Expected values are worked out in the comments.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/commands/command_runner.hpp"
#include "core/insights/insights.hpp"
#include "core/snapshot/store_snapshot.hpp"
#include "store_fixture.hpp"

namespace loyalty {
namespace {

using testing::at;
using testing::seed_program;
using testing::StoreFixture;

const ProgramConfig& program_of(const Store& store) { return store.current_program()->config; }

// Members per tier as the store holds them (tier order, "none" last).
std::vector<std::int64_t> store_tiers(const Store& store) {
  std::vector<std::int64_t> counts(program_of(store).tiers.size() + 1, 0);
  for (const Member& member : store.members()) {
    ++counts[member.tier_index >= 0 ? static_cast<std::size_t>(member.tier_index) : program_of(store).tiers.size()];
  }
  return counts;
}

// Saves `candidate` at `time` in a copy of the store (through its snapshot) and returns where
// the store placed each member: what program_impact says "after" must be.
std::vector<std::int64_t> tiers_once_saved(const Store& store, const ProgramConfig& candidate, UtcSeconds time) {
  SnapshotReading copy = StoreSnapshot::read(StoreSnapshot::write(store));
  REQUIRE(copy.store);
  Changes changes;
  REQUIRE(copy.store->save_program(candidate, time, "owner", changes).ok());
  return store_tiers(*copy.store);
}

// A mover of program_impact's or backtest_program's sample.
void check_move(const TierMove& move, MemberIndex member, std::int32_t tier_from, std::int32_t tier_to, std::int64_t measure_from,
                std::int64_t measure_to) {
  CHECK(move.member == member);
  CHECK(move.tier_from == tier_from);
  CHECK(move.tier_to == tier_to);
  CHECK(move.measure_from == measure_from);
  CHECK(move.measure_to == measure_to);
}

// Tiers by spend: Bạc 0, Vàng from 2,000,000 VND, Bạch kim from 10,000,000 VND.
ProgramConfig by_spend() {
  ProgramConfig config = seed_program();
  config.tier_points.qualify_by = TierMeasure::spend_vnd;
  config.tiers[1].tier_points_needed = 2'000'000;
  config.tiers[2].tier_points_needed = 10'000'000;
  return config;
}

// ----- program impact ----------------------------------------------------------------------

TEST_CASE("program impact: a candidate by spend or by order count places members as the store would") {
  StoreFixture fixture;
  fixture.add_member("A", "0912000001", "An");
  fixture.add_member("B", "0912000002", "Bình");
  fixture.add_member("C", "0912000003", "Cường");
  // A: 12,000,000 VND in one order, 600 tier points (Vàng). B: three orders of 1,000,000,
  // 150 tier points (Bạc). C: nothing (Bạc).
  REQUIRE(fixture.order("O1", "A", 12'000'000, OrderStatus::completed).ok());
  for (const char* id : {"O2", "O3", "O4"}) REQUIRE(fixture.order(id, "B", 1'000'000, OrderStatus::completed).ok());
  const UtcSeconds time = at("2026-03-01T00:00:00Z");

  // By spend: A 12,000,000 -> Bạch kim, B 3,000,000 -> Vàng, C -> Bạc.
  const ProgramImpact spend = program_impact(fixture.store, program_of(fixture.store), by_spend(), time, 10);
  CHECK(spend.members_by_tier_now == std::vector<std::int64_t>{2, 1, 0, 0});
  CHECK(spend.members_by_tier_after == std::vector<std::int64_t>{1, 1, 1, 0});
  CHECK(spend.moved_up == 2);
  CHECK(spend.moved_down == 0);
  REQUIRE(spend.sample.size() == 2);
  check_move(spend.sample[0], 0, 1, 2, 600, 12'000'000);
  check_move(spend.sample[1], 1, 0, 1, 150, 3'000'000);
  CHECK(tiers_once_saved(fixture.store, by_spend(), time) == spend.members_by_tier_after);

  // By order count (Vàng from 3 orders, Bạch kim from 10): A 1 order -> Bạc, B 3 -> Vàng.
  ProgramConfig by_orders = seed_program();
  by_orders.tier_points.qualify_by = TierMeasure::order_count;
  by_orders.tiers[1].tier_points_needed = 3;
  by_orders.tiers[2].tier_points_needed = 10;
  const ProgramImpact orders = program_impact(fixture.store, program_of(fixture.store), by_orders, time, 10);
  CHECK(orders.members_by_tier_after == std::vector<std::int64_t>{2, 1, 0, 0});
  CHECK(orders.moved_up == 1);
  CHECK(orders.moved_down == 1);
  CHECK(tiers_once_saved(fixture.store, by_orders, time) == orders.members_by_tier_after);

  SUBCASE("a full refund takes the order out of the count, a partial one leaves it") {
    REQUIRE(fixture.refund("O3", "r1", 500'000, "2026-02-05T10:00:00Z").ok());
    CHECK(program_impact(fixture.store, program_of(fixture.store), by_orders, time, 0).members_by_tier_after ==
          std::vector<std::int64_t>{2, 1, 0, 0});
    REQUIRE(fixture.refund("O4", "r2", 1'000'000, "2026-02-05T10:00:00Z").ok());
    const ProgramImpact after_refund = program_impact(fixture.store, program_of(fixture.store), by_orders, time, 10);
    CHECK(after_refund.members_by_tier_after == std::vector<std::int64_t>{3, 0, 0, 0});
    // B's spend: 3,000,000 − 500,000 − 1,000,000 = 1,500,000: Bạc by spend too.
    const ProgramImpact spend_after = program_impact(fixture.store, program_of(fixture.store), by_spend(), time, 10);
    REQUIRE(spend_after.sample.size() == 1);
    CHECK(spend_after.sample[0].member == 0);
    CHECK(tiers_once_saved(fixture.store, by_orders, time) == after_refund.members_by_tier_after);
  }
}

TEST_CASE("program impact: a calendar year counts only this year's orders, from 1 January 00:00 in the store's zone") {
  StoreFixture fixture;
  fixture.add_member("A", "0912000001", "An");
  // 500 tier points in June, 200 at 23:59:59 on 31/12 local, 500 at 00:00 on 1/1 local (UTC+7).
  REQUIRE(fixture.order("O1", "A", 10'000'000, OrderStatus::completed, "2026-06-01T10:00:00Z").ok());
  REQUIRE(fixture.order("O2", "A", 4'000'000, OrderStatus::completed, "2026-12-31T16:59:59Z").ok());
  REQUIRE(fixture.order("O3", "A", 10'000'000, OrderStatus::completed, "2026-12-31T17:00:00Z").ok());
  ProgramConfig yearly = seed_program();
  yearly.tier_points.calendar_year_start_month = 1;
  yearly.tiers[1].tier_points_needed = 600;
  const UtcSeconds february = at("2027-02-01T00:00:00Z");
  // Lifetime: 1,200 (Vàng now). The candidate's year 2027: O3's 500 only, below 600: Bạc.
  const ProgramImpact impact = program_impact(fixture.store, program_of(fixture.store), yearly, february, 10);
  CHECK(impact.members_by_tier_now == std::vector<std::int64_t>{0, 1, 0, 0});
  CHECK(impact.members_by_tier_after == std::vector<std::int64_t>{1, 0, 0, 0});
  REQUIRE(impact.sample.size() == 1);
  check_move(impact.sample[0], 0, 1, 0, 1200, 500);
  CHECK(tiers_once_saved(fixture.store, yearly, february) == impact.members_by_tier_after);
  // At the last second of 2026 local, the year holds O1 and O2: 700, Vàng.
  const ProgramImpact december = program_impact(fixture.store, program_of(fixture.store), yearly, at("2026-12-31T16:59:59Z"), 10);
  CHECK(december.members_by_tier_after == std::vector<std::int64_t>{0, 1, 0, 0});
  // Vàng from 500: the order at the year's first moment is in it.
  yearly.tiers[1].tier_points_needed = 500;
  CHECK(program_impact(fixture.store, program_of(fixture.store), yearly, february, 0).members_by_tier_after ==
        std::vector<std::int64_t>{0, 1, 0, 0});
}

TEST_CASE("program impact: retention keeps members in the after, falling one step once safe no more; a manual tier is a floor") {
  StoreFixture fixture;
  Changes& changes = fixture.changes;
  fixture.add_member("A", "0912000001", "An");
  fixture.add_member("B", "0912000002", "Bình");
  fixture.add_member("C", "0912000003", "Cường");
  // A 600 (Vàng), B 2,500 (Bạch kim), both since 01/02 10:00; C assigned Vàng until 01/12.
  REQUIRE(fixture.order("O1", "A", 12'000'000, OrderStatus::completed).ok());
  REQUIRE(fixture.order("O2", "B", 50'000'000, OrderStatus::completed).ok());
  REQUIRE(fixture.store.assign_tier({"C", "vang", "Khách quen", "chu", at("2026-12-01T00:00:00Z")}, at("2026-02-02T00:00:00Z"), changes).ok());
  CHECK(store_tiers(fixture.store) == std::vector<std::int64_t>{0, 2, 1, 0});

  // The candidate: Vàng from 700, Bạch kim from 5,000, a tier kept 3 months, then down one.
  ProgramConfig harder = seed_program();
  harder.tiers[1].tier_points_needed = 700;
  harder.tiers[2].tier_points_needed = 5000;
  harder.tier_retention = {3, true};
  // 01/03: A (qualifies for Bạc) and B (Vàng) are safe until 01/05 10:00: nobody moves.
  const UtcSeconds march = at("2026-03-01T00:00:00Z");
  const ProgramImpact kept = program_impact(fixture.store, program_of(fixture.store), harder, march, 10);
  CHECK(kept.members_by_tier_now == std::vector<std::int64_t>{0, 2, 1, 0});
  CHECK(kept.members_by_tier_after == std::vector<std::int64_t>{0, 2, 1, 0});
  CHECK(kept.moved_up + kept.moved_down == 0);
  CHECK(tiers_once_saved(fixture.store, harder, march) == kept.members_by_tier_after);
  // 01/06: safe no more, each falls one step: A to Bạc, B to Vàng (not Bạc); C stays Vàng (manual).
  const ProgramImpact fallen = program_impact(fixture.store, program_of(fixture.store), harder, at("2026-06-01T00:00:00Z"), 10);
  CHECK(fallen.members_by_tier_after == std::vector<std::int64_t>{1, 2, 0, 0});
  CHECK(fallen.moved_down == 2);
  REQUIRE(fallen.sample.size() == 2);
  check_move(fallen.sample[0], 0, 1, 0, 600, 600);
  check_move(fallen.sample[1], 1, 2, 1, 2500, 2500);
  // Without retention, on 01/03 already: A Bạc, B Vàng, C still Vàng.
  ProgramConfig plain = harder;
  plain.tier_retention = {};
  const ProgramImpact at_once = program_impact(fixture.store, program_of(fixture.store), plain, march, 10);
  CHECK(at_once.members_by_tier_after == std::vector<std::int64_t>{1, 2, 0, 0});
  CHECK(tiers_once_saved(fixture.store, plain, march) == at_once.members_by_tier_after);
  // The manual tier's end (01/12): C is placed by what they qualify for.
  CHECK(program_impact(fixture.store, program_of(fixture.store), plain, at("2026-12-01T00:00:00Z"), 0).members_by_tier_after ==
        std::vector<std::int64_t>{2, 1, 0, 0});
}

TEST_CASE("a program saved by spend after one by tier points finds the spend of the orders before it") {
  StoreFixture fixture;
  const MemberIndex member = fixture.add_member("B", "0912000002", "Bình");
  REQUIRE(fixture.order("O1", "B", 6'000'000, OrderStatus::completed).ok());   // 300 tier points: Bạc
  CHECK(fixture.store.members()[member].tier_index == 0);
  REQUIRE(fixture.store.save_program(by_spend(), at("2026-03-01T00:00:00Z"), "owner", fixture.changes).ok());
  CHECK(fixture.store.members()[member].tier_index == 1);   // 6,000,000 VND: Vàng
  CHECK(fixture.store.tier_status(member, at("2026-03-01T00:00:00Z")).measure == 6'000'000);
  fixture.check_invariants();
}

// ----- backtest ----------------------------------------------------------------------------

// The seed program with bonuses: welcome 50, first order 20, referral 30 to the referrer and
// 10 to the new member, 100 on first reaching Bạch kim, and 7 days pending.
ProgramConfig with_bonuses() {
  ProgramConfig config = seed_program();
  config.bonuses.welcome_points = 50;
  config.bonuses.first_order_points = 20;
  config.bonuses.referral_referrer_points = 30;
  config.bonuses.referral_new_member_points = 10;
  config.tiers[2].tier_up_bonus_points = 100;
  config.pending.days = 7;
  return config;
}

// A (joined 02/01) and B (referred by A). O1: A 50,000,000 on 01/02 (500 points, 2,500 tier
// points: Bạch kim). O3: B 4,000,000 on 10/03 (40 points, 20 to A, 200 tier points), refunded
// in full on 12/03, inside the 7 days.
struct BonusStory {
  Store store;
  Changes changes;
  explicit BonusStory(const ProgramConfig& config) {
    REQUIRE(store.save_program(config, at("2026-01-01T00:00:00Z"), "owner", changes).ok());
    NewMember a;
    a.member_id = "A";
    a.phone = "0912000001";
    a.name = "An";
    REQUIRE(store.create_member(a, at("2026-01-02T00:00:00Z"), changes).ok());
    NewMember b = a;
    b.member_id = "B";
    b.phone = "0912000002";
    b.name = "Bình";
    b.referrer_id = "A";
    REQUIRE(store.create_member(b, at("2026-01-02T00:00:00Z"), changes).ok());
    order("O1", "A", 50'000'000, "2026-02-01T10:00:00Z");
    order("O3", "B", 4'000'000, "2026-03-10T10:00:00Z");
    REQUIRE(store.refund_order(RefundEvent{"O3", "r1", 4'000'000, "staff"}, at("2026-03-12T10:00:00Z"), changes).ok());
  }
  void order(const char* id, const char* member_id, Vnd amount_vnd, const char* time) {
    OrderEvent event;
    event.order_id = id;
    event.member_id = member_id;
    event.amounts.amount_vnd = amount_vnd;
    event.status = OrderStatus::completed;
    event.actor = "pos";
    REQUIRE(store.record_order(event, at(time), changes).ok());
  }
};

TEST_CASE("backtest: bonuses count in the points a program gives, and go back with a refund inside the pending period") {
  const BonusStory story(with_bonuses());
  const UtcSeconds from = at("2026-01-01T00:00:00+07:00");
  const UtcSeconds to = at("2026-04-01T00:00:00+07:00");
  const ProgramConfig& current = program_of(story.store);
  // The store gave: welcome 2 × 50, first orders 2 × 20, referral 30 + 10, tier-up 100 (A on
  // O1) = 280; O3's refund took back its 40 + 20 pending points and its 60 of bonuses: 120.
  const Backtest same = backtest_program(story.store, current, current, from, to, 10);
  REQUIRE(same.code == ResultCode::ok);
  CHECK(same.current.buyer_points == 540);
  CHECK(same.current.referrer_points == 20);
  CHECK(same.current.bonus_points == 280);
  CHECK(same.current.points_reversed == 120);
  CHECK(same.current.points_net == 720);
  CHECK(same.current.outstanding_points == 720);   // A 500 + 50 + 20 + 100, B 50
  CHECK(same.candidate.buyer_points == 540);
  CHECK(same.candidate.referrer_points == 20);
  CHECK(same.candidate.bonus_points == 280);
  CHECK(same.candidate.points_reversed == 120);
  CHECK(same.candidate.outstanding_points == same.current.outstanding_points);
  CHECK(same.candidate.members_by_tier == std::vector<std::int64_t>{1, 0, 1, 0});
  CHECK(same.moved_up + same.moved_down == 0);

  // Without bonuses: 540 + 20 − 60 = 500.
  ProgramConfig none = with_bonuses();
  none.bonuses = {};
  none.tiers[2].tier_up_bonus_points = 0;
  const Backtest plain = backtest_program(story.store, current, none, from, to, 10);
  CHECK(plain.candidate.bonus_points == 0);
  CHECK(plain.candidate.points_reversed == 60);
  CHECK(plain.candidate.points_net == 500);
  CHECK(plain.candidate.outstanding_points == 720 + 500 - 720);
  // Only a welcome bonus of 50: both members joined in the period, 100.
  ProgramConfig welcome = none;
  welcome.bonuses.welcome_points = 50;
  const Backtest welcomed = backtest_program(story.store, current, welcome, from, to, 10);
  CHECK(welcomed.candidate.bonus_points == 100);
  CHECK(welcomed.candidate.points_net == 600);
  // From February on, the joining (02/01) is before the period: no welcome counted.
  CHECK(backtest_program(story.store, current, welcome, at("2026-02-01T00:00:00+07:00"), to, 10).candidate.bonus_points == 0);
  // No pending period: the bonuses stay with the refunded order (540 + 20 + 280 − 60).
  ProgramConfig at_once = with_bonuses();
  at_once.pending.days = 0;
  const Backtest kept = backtest_program(story.store, current, at_once, from, to, 10);
  CHECK(kept.candidate.bonus_points == 280);
  CHECK(kept.candidate.points_reversed == 60);
  CHECK(kept.candidate.points_net == 780);
  // The referral paid instead of the percentage: O3 gives A 30, not 20.
  ProgramConfig instead = with_bonuses();
  instead.bonuses.referral_instead_of_percentage = true;
  const Backtest fixed = backtest_program(story.store, current, instead, from, to, 10);
  CHECK(fixed.candidate.referrer_points == 0);
  CHECK(fixed.candidate.points_reversed == 100);   // 40 + the 60 of bonuses
}

TEST_CASE("backtest: a jump past a middle tier pays both tiers' tier-up bonuses, as the store does") {
  // O1 takes A from the first tier to Bạch kim (index 2) past index 1: with 40 on index 1
  // too, the store gave 280 + 40 = 320 in bonuses, and the backtest of the same program must.
  ProgramConfig config = with_bonuses();
  config.tiers[1].tier_up_bonus_points = 40;
  const BonusStory story(config);
  const Backtest same = backtest_program(story.store, program_of(story.store), program_of(story.store),
                                         at("2026-01-01T00:00:00+07:00"), at("2026-04-01T00:00:00+07:00"), 10);
  REQUIRE(same.code == ResultCode::ok);
  CHECK(same.current.bonus_points == 320);
  CHECK(same.candidate.bonus_points == 320);
  CHECK(same.candidate.outstanding_points == same.current.outstanding_points);
}

TEST_CASE("backtest: tiers by spend over a calendar year, with retention, at the end of the period") {
  StoreFixture fixture;
  fixture.add_member("A", "0912000001", "An");
  fixture.add_member("B", "0912000002", "Bình");
  REQUIRE(fixture.order("O1", "A", 10'000'000, OrderStatus::completed, "2026-06-01T10:00:00Z").ok());   // 500
  REQUIRE(fixture.order("O3", "B", 3'000'000, OrderStatus::completed, "2026-06-01T10:00:00Z").ok());    // 150
  REQUIRE(fixture.order("O2", "A", 4'000'000, OrderStatus::completed, "2027-01-10T10:00:00Z").ok());    // 200
  const UtcSeconds from = at("2027-01-01T00:00:00+07:00");
  const UtcSeconds to = at("2027-02-01T00:00:00+07:00");
  // By spend over the calendar year, Vàng from 5,000,000: in 2027 A spent 4,000,000 (Bạc).
  // The store (lifetime tier points): A 700 Vàng, B 150 Bạc.
  ProgramConfig yearly = seed_program();
  yearly.tier_points.qualify_by = TierMeasure::spend_vnd;
  yearly.tier_points.calendar_year_start_month = 1;
  yearly.tiers[1].tier_points_needed = 5'000'000;
  yearly.tiers[2].tier_points_needed = 20'000'000;
  const Backtest tried = backtest_program(fixture.store, program_of(fixture.store), yearly, from, to, 10);
  REQUIRE(tried.code == ResultCode::ok);
  CHECK(tried.current.members_by_tier == std::vector<std::int64_t>{1, 1, 0, 0});
  CHECK(tried.candidate.members_by_tier == std::vector<std::int64_t>{2, 0, 0, 0});
  CHECK(tried.moved_down == 1);
  REQUIRE(tried.sample.size() == 1);
  check_move(tried.sample[0], 0, 1, 0, 700, 4'000'000);
  // Over a lifetime A's 14,000,000 keep Vàng.
  ProgramConfig lifetime = yearly;
  lifetime.tier_points.calendar_year_start_month = 0;
  CHECK(backtest_program(fixture.store, program_of(fixture.store), lifetime, from, to, 10).moved_down == 0);
  // Vàng reached on 01/06/2026 (10,000,000 in 2026) and kept 12 months: still Vàng at the end.
  ProgramConfig retained = yearly;
  retained.tier_retention = {12, true};
  const Backtest kept = backtest_program(fixture.store, program_of(fixture.store), retained, from, to, 10);
  CHECK(kept.candidate.members_by_tier == std::vector<std::int64_t>{1, 1, 0, 0});
  CHECK(kept.moved_up + kept.moved_down == 0);
  // Kept only 3 months: safe no more by O2 (10/01/2027), A falls to Bạc.
  retained.tier_retention = {3, true};
  CHECK(backtest_program(fixture.store, program_of(fixture.store), retained, from, to, 10).moved_down == 1);
}

TEST_CASE("backtest: a manual tier staff assigned is a floor in the replay, and gives no tier-up bonus") {
  StoreFixture fixture;
  fixture.add_member("A", "0912000001", "An");
  REQUIRE(fixture.store.assign_tier({"A", "bach_kim", "VIP", "chu", at("2026-06-01T00:00:00Z")}, at("2026-01-10T00:00:00Z"),
                                    fixture.changes).ok());
  REQUIRE(fixture.order("O1", "A", 1'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());   // at Bạch kim: 15 points
  const UtcSeconds from = at("2026-01-01T00:00:00+07:00");
  const UtcSeconds to = at("2026-04-01T00:00:00+07:00");
  ProgramConfig candidate = seed_program();
  candidate.tiers[2].tier_up_bonus_points = 100;
  const Backtest tried = backtest_program(fixture.store, program_of(fixture.store), candidate, from, to, 10);
  CHECK(tried.current.buyer_points == 15);
  CHECK(tried.candidate.buyer_points == 15);   // valued at Bạch kim (x1.5), as the store did
  CHECK(tried.candidate.bonus_points == 0);
  CHECK(tried.candidate.members_by_tier == std::vector<std::int64_t>{0, 0, 1, 0});
  CHECK(tried.moved_up + tried.moved_down == 0);
  // After the assignment's end (01/06): Bạc in both.
  const Backtest later = backtest_program(fixture.store, program_of(fixture.store), candidate, from, at("2026-07-01T00:00:00+07:00"), 10);
  CHECK(later.candidate.members_by_tier == std::vector<std::int64_t>{1, 0, 0, 0});
  CHECK(later.current.members_by_tier == std::vector<std::int64_t>{1, 0, 0, 0});
}

// ----- a group's tier condition ------------------------------------------------------------

TEST_CASE("group filter: the tier condition is the member's tier as the profile shows it (spend, retention, a manual tier)") {
  StoreFixture fixture;
  Store& store = fixture.store;
  Changes& changes = fixture.changes;
  // By spend over one month, Vàng from 5,000,000 VND, a tier kept 3 months.
  ProgramConfig config = seed_program(1);
  config.tier_points.qualify_by = TierMeasure::spend_vnd;
  config.tiers[1].tier_points_needed = 5'000'000;
  config.tiers[2].tier_points_needed = 20'000'000;
  config.tier_retention = {3, true};
  REQUIRE(store.save_program(config, at("2026-01-01T12:00:00Z"), "owner", changes).ok());
  const MemberIndex b = fixture.add_member("B", "0912000002", "Bình");
  const MemberIndex c = fixture.add_member("C", "0912000003", "Cường");
  auto save = [&](const char* id, const Json& filter) {
    GroupFilterReading reading = read_group_filter(filter, "filter");
    REQUIRE(reading.filter);
    REQUIRE(store.save_group(GroupDefinition{id, id, "", "", GroupKind::dynamic, *reading.filter}, at("2026-01-03T00:00:00Z"), changes)
                .code == ResultCode::ok);
  };
  save("vang", Json{{"tier", "vang"}});
  save("busy", Json{{"tier_points", {{"min", 200}}}});
  // B: 5,500,000 VND on 01/02 (275 tier points, below Vàng's 500 by tier points): Vàng by spend.
  REQUIRE(fixture.order("O1", "B", 5'500'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  REQUIRE(store.assign_tier({"C", "vang", "Khách quen", "chu", at("2026-04-01T00:00:00Z")}, at("2026-02-02T00:00:00Z"), changes).ok());
  CHECK(store.member_in_group(b, "vang", at("2026-02-15T00:00:00Z")));
  CHECK(store.member_in_group(c, "vang", at("2026-02-15T00:00:00Z")));
  CHECK(store.member_in_group(b, "busy", at("2026-02-15T00:00:00Z")));
  // 15/03: B's spend left the one-month window, the tier is kept until 01/05 10:00 UTC.
  CHECK(store.member_in_group(b, "vang", at("2026-03-15T00:00:00Z")));
  CHECK_FALSE(store.member_in_group(b, "busy", at("2026-03-15T00:00:00Z")));
  // The whole group at once agrees.
  MemberSet members(store.members().size(), false);
  REQUIRE(store.evaluate_group("vang", at("2026-02-15T00:00:00Z"), members).ok());
  CHECK(members.contains(b));
  CHECK(members.contains(c));
  // 01/04: C's assignment ends (the store places C by what C qualifies for: Bạc, no retention).
  REQUIRE(store.process_due(at("2026-04-02T00:00:00Z"), changes).ok());
  CHECK_FALSE(store.member_in_group(c, "vang", at("2026-04-02T00:00:00Z")));
  REQUIRE(store.evaluate_group("vang", at("2026-04-02T00:00:00Z"), members).ok());
  CHECK(members.contains(b));
  CHECK_FALSE(members.contains(c));
  // 01/05 10:00 UTC: B is safe no more and falls to Bạc.
  CHECK(store.member_in_group(b, "vang", at("2026-05-01T09:59:59Z")));
  CHECK_FALSE(store.member_in_group(b, "vang", at("2026-05-01T10:00:00Z")));
  for (const MemberIndex member : {b, c}) {
    const std::int32_t tier = store.tier_status(member, at("2026-04-02T00:00:00Z")).tier_index;
    CHECK(store.member_in_group(member, "vang", at("2026-04-02T00:00:00Z")) == (tier == 1));
  }
}

// ----- a promotion's tier and group, checked on save ---------------------------------------

TEST_CASE("save_program: a promotion for a tier the program lacks or a group the store lacks is refused, naming the field") {
  CommandRunner runner;
  auto program = [](const std::string& promotion) {
    return R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0}],"promotions":[)" +
           promotion + "]}}";
  };
  const std::string dates = R"("starts_at":"2026-02-01T00:00:00Z","ends_at":"2026-03-01T00:00:00Z","multiplier_bp":20000)";
  const CommandOutput tier = runner.run_line(program(R"({"id":"p1",)" + dates + R"(,"tier_id":"kim_cuong"})"), 1);
  CHECK(tier.result["result"] == "program_invalid");
  REQUIRE(tier.result["errors"].size() == 1);
  CHECK(tier.result["errors"][0]["field"] == "promotions[0].tier_id");
  CHECK(tier.result["errors"][0]["en"] == "no tier of the program has this id");
  const CommandOutput group = runner.run_line(
      program(R"({"id":"p1",)" + dates + R"(,"tier_id":"bac"},{"id":"p2",)" + dates + R"(,"group_id":"vip"})"), 2);
  CHECK(group.result["result"] == "program_invalid");
  REQUIRE(group.result["errors"].size() == 1);
  CHECK(group.result["errors"][0]["field"] == "promotions[1].group_id");
  CHECK(runner.store().program_versions().empty());
  CHECK_FALSE(group.journal);
  REQUIRE(runner.run_line(R"({"command":"save_group","time":"2026-01-01T00:00:00Z","group_id":"vip","name":"VIP","kind":"static"})", 3)
              .result["result"] == "ok");
  const CommandOutput saved = runner.run_line(
      program(R"({"id":"p1",)" + dates + R"(,"tier_id":"bac"},{"id":"p2",)" + dates + R"(,"group_id":"vip"})"), 4);
  CHECK(saved.result["result"] == "ok");
  CHECK(runner.store().program_versions().size() == 1);
  // A candidate for program_impact is read the same way.
  const CommandOutput impact = runner.run_read(
      Json::parse(R"({"command":"program_impact","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"promotions":[{"id":"p1",)" + dates + R"(,"tier_id":"vang"}]}})"), 5);
  CHECK(impact.result["result"] == "program_invalid");
  CHECK(impact.result["errors"][0]["field"] == "promotions[0].tier_id");
}

// ----- the preview names each line ---------------------------------------------------------

TEST_CASE("preview: each line of the breakdown names its product and category") {
  CommandRunner runner;
  REQUIRE(runner.run_line(R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0}],"earning":{"excluded_categories":["thuoc-la"],"category_multipliers":[{"category":"huu-co","multiplier_bp":20000}]}}})", 1)
              .result["result"] == "ok");
  // tra: 300,000 × x2 × 1 % = 6 points; gao 400,000 × 1 % = 4; thuoc-la earns nothing.
  const CommandOutput preview = runner.run_read(Json::parse(
      R"({"command":"preview","amount_vnd":800000,"lines":[{"product_id":"gao-st25","category":"gao","quantity":2,"amount_vnd":400000},{"product_id":"tra-o-long","category":"huu-co","amount_vnd":300000},{"product_id":"thuoc-la-x","category":"thuoc-la","amount_vnd":100000}]})"), 2);
  REQUIRE(preview.result["result"] == "ok");
  const Json& lines = preview.result["data"]["lines"];
  REQUIRE(lines.size() == 3);
  CHECK(lines[0]["product_id"] == "gao-st25");
  CHECK(lines[0]["category"] == "gao");
  CHECK(lines[0]["buyer_points"] == 4);
  CHECK(lines[1]["product_id"] == "tra-o-long");
  CHECK(lines[1]["multiplier_bp"] == 20000);
  CHECK(lines[1]["buyer_points"] == 6);
  CHECK(lines[2]["product_id"] == "thuoc-la-x");
  CHECK(lines[2]["excluded"] == true);
  CHECK(lines[2]["buyer_points"] == 0);
}

// ----- memory_bytes ------------------------------------------------------------------------

TEST_CASE("memory_bytes counts Core IV's state: order lines, bonuses, tier assignments") {
  StoreFixture fixture;
  Store& store = fixture.store;
  fixture.add_member("A", "0912000001", "An");
  REQUIRE(fixture.order("O0", "A", 10'000, OrderStatus::completed).ok());   // the orders' first chunk is there
  const std::size_t before = store.memory_bytes();
  OrderEvent event;
  event.order_id = "O1";
  event.member_id = "A";
  event.status = OrderStatus::completed;
  event.actor = "pos";
  event.amounts.amount_vnd = 1'000'000;
  for (int i = 0; i < 100; ++i) {
    const std::string number = std::to_string(1000 + i);
    event.lines.push_back({"san-pham-co-ma-dai-hon-muoi-lam-ky-tu-" + number, "nganh-hang-co-ten-dai-" + number, 1, 10'000});
  }
  REQUIRE(store.record_order(event, at("2026-02-02T10:00:00Z"), fixture.changes).ok());
  const std::size_t with_lines = store.memory_bytes();
  // Each line: its record and its two strings (longer than the 15 bytes kept in place).
  CHECK(with_lines - before >= 100 * (sizeof(StoredOrderLine) + 42 + 27));
  const std::string reason(2000, 'x');
  REQUIRE(store.assign_tier({"A", "vang", reason, "chu", at("2026-06-01T00:00:00Z")}, at("2026-02-03T00:00:00Z"), fixture.changes).ok());
  CHECK(store.memory_bytes() - with_lines >= sizeof(TierAssignment) + 2000);
}

}  // namespace
}  // namespace loyalty
