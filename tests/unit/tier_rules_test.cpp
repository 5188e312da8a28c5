// Tier rules: qualification by spend or by order count, a calendar year that starts in the
// store's zone, retention (kept at least N months, then down at most one tier per review),
// and a tier staff assign until a date.
#include <doctest/doctest.h>

#include "core/commands/command_runner.hpp"
#include "core/snapshot/store_snapshot.hpp"
#include "store_fixture.hpp"

using namespace loyalty;
using loyalty::testing::at;
using loyalty::testing::StoreFixture;

namespace {
Result save(StoreFixture& fixture, const ProgramConfig& config) {
  return fixture.store.save_program(config, at("2026-01-01T12:00:00Z"), "owner", fixture.changes);
}
std::int32_t tier_of(const StoreFixture& fixture, MemberIndex member) { return fixture.store.members()[member].tier_index; }
}  // namespace

TEST_CASE("tiers by spend: the money paid for goods places the member, and a refund takes its part back") {
  StoreFixture fixture;
  ProgramConfig config = loyalty::testing::seed_program();
  config.tier_points.qualify_by = TierMeasure::spend_vnd;
  config.tiers[1].tier_points_needed = 5'000'000;    // Vàng from 5,000,000 VND
  config.tiers[2].tier_points_needed = 20'000'000;
  REQUIRE(save(fixture, config).ok());
  const MemberIndex member = fixture.add_member("B", "0912000002", "Anh Bình");
  REQUIRE(fixture.order("D1", "B", 3'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  CHECK(tier_of(fixture, member) == 0);
  REQUIRE(fixture.order("D2", "B", 2'500'000, OrderStatus::completed, "2026-02-02T10:00:00Z").ok());
  CHECK(tier_of(fixture, member) == 1);   // 5,500,000
  CHECK(fixture.store.tier_status(member, at("2026-02-02T10:00:00Z")).measure == 5'500'000);
  CHECK(fixture.store.tier_status(member, at("2026-02-02T10:00:00Z")).tier_points_to_next == 14'500'000);
  REQUIRE(fixture.refund("D2", "R1", 1'000'000, "2026-02-03T10:00:00Z").ok());
  CHECK(fixture.store.tier_status(member, at("2026-02-03T10:00:00Z")).measure == 4'500'000);
  CHECK(tier_of(fixture, member) == 0);
  fixture.check_invariants();
}

TEST_CASE("tiers by order count: each completed order counts one, a full refund takes it back") {
  StoreFixture fixture;
  ProgramConfig config = loyalty::testing::seed_program();
  config.tier_points.qualify_by = TierMeasure::order_count;
  config.tiers[1].tier_points_needed = 3;
  config.tiers[2].tier_points_needed = 10;
  REQUIRE(save(fixture, config).ok());
  const MemberIndex member = fixture.add_member("B", "0912000002", "Anh Bình");
  for (const char* id : {"D1", "D2"}) REQUIRE(fixture.order(id, "B", 10'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  CHECK(tier_of(fixture, member) == 0);
  REQUIRE(fixture.order("D3", "B", 10'000, OrderStatus::completed, "2026-02-01T11:00:00Z").ok());
  CHECK(tier_of(fixture, member) == 1);   // three small orders, no tier points at all
  CHECK(fixture.tier_points(member) == 0);
  REQUIRE(fixture.refund("D3", "R1", 5'000, "2026-02-02T10:00:00Z").ok());
  CHECK(tier_of(fixture, member) == 1);   // a partial refund leaves the order counted
  REQUIRE(fixture.order("D3", "B", 10'000, OrderStatus::refunded, "2026-02-02T11:00:00Z").ok());
  CHECK(tier_of(fixture, member) == 0);
  CHECK(fixture.store.tier_status(member, at("2026-02-02T11:00:00Z")).measure == 2);
  fixture.check_invariants();
}

TEST_CASE("a calendar year resets at 1 January 00:00 in Hà Nội, which is 31 December 17:00 UTC") {
  StoreFixture fixture;
  ProgramConfig config = loyalty::testing::seed_program();
  config.tier_points.calendar_year_start_month = 1;
  REQUIRE(save(fixture, config).ok());
  const MemberIndex member = fixture.add_member("B", "0912000002", "Anh Bình");
  REQUIRE(fixture.order("D1", "B", 10'000'000, OrderStatus::completed, "2026-06-01T10:00:00Z").ok());   // 500: Vàng
  CHECK(tier_of(fixture, member) == 1);
  CHECK(fixture.store.tier_status(member, at("2026-12-31T16:59:59Z")).measure == 500);
  CHECK(fixture.store.tier_status(member, at("2026-12-31T17:00:00Z")).measure == 0);
  Changes& changes = fixture.changes;
  REQUIRE(fixture.store.review_tiers(at("2026-12-31T16:59:59Z"), changes).ok());
  CHECK(tier_of(fixture, member) == 1);
  REQUIRE(fixture.store.review_tiers(at("2026-12-31T17:00:00Z"), changes).ok());
  CHECK(tier_of(fixture, member) == 0);
  REQUIRE(changes.events.size() == 1);
  CHECK(changes.events[0].kind == EventKind::tier_changed);
  CHECK(changes.events[0].cause == TierChangeCause::window);
  // An order at the year's first second counts in the new year.
  REQUIRE(fixture.order("D2", "B", 10'000'000, OrderStatus::completed, "2026-12-31T17:00:00Z").ok());
  CHECK(fixture.store.tier_status(member, at("2026-12-31T17:00:00Z")).measure == 500);
  CHECK(tier_of(fixture, member) == 1);
  // A year starting in April: on 15 February 2027 it started on 1 April 2026 (local).
  config.tier_points.calendar_year_start_month = 4;
  CHECK(config.qualification_start_utc(at("2027-02-15T00:00:00Z")) == at("2026-03-31T17:00:00Z"));
  CHECK(config.qualification_start_utc(at("2027-03-31T17:00:00Z")) == at("2027-03-31T17:00:00Z"));
  fixture.check_invariants();
}

TEST_CASE("retention: a tier is kept three months, then the member falls one tier per review") {
  StoreFixture fixture;
  ProgramConfig config = loyalty::testing::seed_program(1);   // tier points count one month
  config.tier_retention = {3, true};
  REQUIRE(save(fixture, config).ok());
  const MemberIndex member = fixture.add_member("B", "0912000002", "Anh Bình");
  REQUIRE(fixture.order("D1", "B", 40'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());   // 2,000: Bạch kim
  CHECK(tier_of(fixture, member) == 2);
  Changes& changes = fixture.changes;
  // The points left the window on 1 March; the tier is safe until 1 May 10:00 UTC.
  TierStatus status = fixture.store.tier_status(member, at("2026-03-15T00:00:00Z"));
  CHECK(status.measure == 0);
  CHECK(status.qualified_tier_index == 0);
  CHECK(status.tier_index == 2);
  CHECK(status.safe_until_utc == at("2026-05-01T10:00:00Z"));
  CHECK(status.measure_to_keep == 2000);
  REQUIRE(fixture.store.review_tiers(at("2026-03-15T00:00:00Z"), changes).ok());
  CHECK(tier_of(fixture, member) == 2);
  REQUIRE(fixture.store.review_tiers(at("2026-05-01T09:59:59Z"), changes).ok());
  CHECK(tier_of(fixture, member) == 2);
  // Safe no more: down one tier only (Vàng, not Bạc), and Vàng is kept three months from now.
  REQUIRE(fixture.store.review_tiers(at("2026-05-01T10:00:00Z"), changes).ok());
  CHECK(tier_of(fixture, member) == 1);
  REQUIRE(fixture.store.review_tiers(at("2026-06-01T00:00:00Z"), changes).ok());
  CHECK(tier_of(fixture, member) == 1);
  CHECK(fixture.store.tier_status(member, at("2026-06-01T00:00:00Z")).safe_until_utc == at("2026-08-01T10:00:00Z"));
  REQUIRE(fixture.store.review_tiers(at("2026-08-01T10:00:00Z"), changes).ok());
  CHECK(tier_of(fixture, member) == 0);
  fixture.check_invariants();
}

TEST_CASE("retention without a keep period: down at most one tier per review") {
  StoreFixture fixture;
  ProgramConfig config = loyalty::testing::seed_program(1);
  config.tier_retention = {0, true};
  REQUIRE(save(fixture, config).ok());
  const MemberIndex member = fixture.add_member("B", "0912000002", "Anh Bình");
  REQUIRE(fixture.order("D1", "B", 40'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  Changes& changes = fixture.changes;
  REQUIRE(fixture.store.review_tiers(at("2026-03-15T00:00:00Z"), changes).ok());
  CHECK(tier_of(fixture, member) == 1);
  REQUIRE(fixture.store.review_tiers(at("2026-03-16T00:00:00Z"), changes).ok());
  CHECK(tier_of(fixture, member) == 0);
}

TEST_CASE("a manual tier: staff assign Bạch kim with a reason until a date; it earns x1.5, then ends") {
  StoreFixture fixture;
  Store& store = fixture.store;
  Changes& changes = fixture.changes;
  const MemberIndex member = fixture.add_member("B", "0912000002", "Anh Bình");
  TierAssignmentRequest request{"B", "bach_kim", "Khách VIP của chủ cửa hàng", "chu@demo.vn", at("2026-03-01T00:00:00Z")};
  // Refused: an unknown tier, an end not after now, no reason.
  TierAssignmentRequest wrong = request;
  wrong.tier_id = "kim_cuong";
  CHECK(store.assign_tier(wrong, at("2026-02-01T00:00:00Z"), changes).errors[0].path == "tier_id");
  wrong = request;
  wrong.ends_at_utc = at("2026-02-01T00:00:00Z");
  CHECK(store.assign_tier(wrong, at("2026-02-01T00:00:00Z"), changes).errors[0].path == "ends_at");
  wrong = request;
  wrong.reason.clear();
  CHECK(store.assign_tier(wrong, at("2026-02-01T00:00:00Z"), changes).errors[0].path == "reason");
  CHECK(tier_of(fixture, member) == 0);

  REQUIRE(store.assign_tier(request, at("2026-02-01T00:00:00Z"), changes).ok());
  CHECK(tier_of(fixture, member) == 2);
  REQUIRE(changes.events.size() == 2);
  CHECK(changes.events[0].kind == EventKind::tier_assigned);
  CHECK(changes.events[1].cause == TierChangeCause::manual_assignment);
  CHECK(store.assign_tier(request, at("2026-02-01T00:00:01Z"), changes).code == ResultCode::already_applied);
  CHECK(store.tier_assignments().size() == 1);
  CHECK(store.tier_assignments()[0].reason == "Khách VIP của chủ cửa hàng");
  // 1,000,000 VND at Bạch kim: 10 × 1.5 = 15 points.
  REQUIRE(fixture.order("D1", "B", 1'000'000, OrderStatus::completed, "2026-02-10T10:00:00Z").ok());
  CHECK(fixture.points(member) == 15);
  CHECK(tier_of(fixture, member) == 2);   // a review does not take it away
  REQUIRE(store.review_tiers(at("2026-02-20T00:00:00Z"), changes).ok());
  CHECK(tier_of(fixture, member) == 2);
  const TierStatus status = store.tier_status(member, at("2026-02-20T00:00:00Z"));
  CHECK(status.manual);
  CHECK(status.manual_ends_at_utc == at("2026-03-01T00:00:00Z"));
  CHECK(status.qualified_tier_index == 0);
  // The snapshot taken now ends the assignment the same way.
  SnapshotReading reading = StoreSnapshot::read(StoreSnapshot::write(store));
  REQUIRE(reading.store);
  // It ends at its date, by itself: the member is placed by their 50 tier points (Bạc).
  REQUIRE(store.process_due(at("2026-03-01T00:00:00Z"), changes).ok());
  CHECK(tier_of(fixture, member) == 0);
  REQUIRE(changes.events.size() == 1);
  CHECK(changes.events[0].cause == TierChangeCause::manual_assignment_ended);
  Changes other;
  REQUIRE(reading.store->process_due(at("2026-03-01T00:00:00Z"), other).ok());
  CHECK(reading.store->members()[member].tier_index == 0);
  CHECK(StoreSnapshot::write(store) == StoreSnapshot::write(*reading.store));
  fixture.check_invariants();
}

TEST_CASE("a manual tier ended early by staff, through the command line") {
  CommandRunner runner;
  auto run = [&](const std::string& line) { return runner.run_line(line, 1).result; };
  REQUIRE(run(R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":)" +
              program_config_to_json(loyalty::testing::seed_program()).dump() + "}")["result"] == "ok");
  REQUIRE(run(R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"B","phone":"0912000002","name":"Bình"})")["result"] == "ok");
  Json assigned = run(R"({"command":"assign_tier","time":"2026-02-01T00:00:00Z","member_id":"B","tier_id":"vang","ends_at":"2026-12-31T17:00:00Z","reason":"VIP","actor":"chu@demo.vn"})");
  REQUIRE(assigned["result"] == "ok");
  CHECK(assigned["events"][0]["kind"] == "tier_assigned");
  CHECK(assigned["events"][0]["reason"] == "VIP");
  Json profile = run(R"({"command":"get_member","member_id":"B"})");
  CHECK(profile["data"]["tier"]["tier"]["id"] == "vang");
  CHECK(profile["data"]["tier"]["manual"]["ends_at"] == "2026-12-31T17:00:00Z");
  CHECK(run(R"({"command":"assign_tier","time":"2026-02-02T00:00:00Z","member_id":"B","tier_id":"vang","ends_at":"2026-12-31T17:00:00Z"})")["errors"][0]["field"] == "reason");
  Json ended = run(R"({"command":"assign_tier","time":"2026-02-02T00:00:00Z","member_id":"B","tier_id":null,"reason":"hết VIP","actor":"chu@demo.vn"})");
  REQUIRE(ended["result"] == "ok");
  CHECK(ended["events"][1]["cause"] == "manual_assignment_ended");
  CHECK(run(R"({"command":"get_member","member_id":"B"})")["data"]["tier"]["tier"]["id"] == "bac");
  CHECK(run(R"({"command":"assign_tier","time":"2026-02-03T00:00:00Z","member_id":"B","tier_id":null,"reason":"x","actor":"y"})")["errors"][0]["field"] == "tier_id");
}
