#include <doctest/doctest.h>

#include <algorithm>

#include "core/store.hpp"
#include "store_fixture.hpp"

using namespace loyalty;
using namespace loyalty::testing;

namespace {
const Event* find_tier_change(const Changes& changes) {
  const auto found = std::find_if(changes.events.begin(), changes.events.end(),
                                  [](const Event& event) { return event.kind == EventKind::tier_changed; });
  return found == changes.events.end() ? nullptr : &*found;
}
}  // namespace

TEST_CASE("a new member starts in the base tier, and upgrades at once with the cause") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  CHECK(fixture.store.members()[an].tier_index == 0);
  // 10,000,000 VND = 500 tier points: Vàng.
  REQUIRE(fixture.order("A1", "an", 10'000'000, OrderStatus::completed).ok());
  const Event* change = find_tier_change(fixture.changes);
  REQUIRE(change != nullptr);
  CHECK(change->tier_from == 0);
  CHECK(change->tier_to == 1);
  CHECK(change->cause == TierChangeCause::order);
  CHECK(fixture.store.members()[an].tier_index == 1);
}

TEST_CASE("a refund can move a member down, with the refund as cause") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  REQUIRE(fixture.order("A1", "an", 10'000'000, OrderStatus::completed).ok());
  REQUIRE(fixture.refund("A1", "r1", 100'000).ok());
  const Event* change = find_tier_change(fixture.changes);
  REQUIRE(change != nullptr);
  CHECK(change->tier_to == 0);
  CHECK(change->cause == TierChangeCause::refund);
  CHECK(fixture.store.members()[an].tier_index == 0);
}

TEST_CASE("the multiplier perk applies from the tier the member is in when ordering") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  REQUIRE(fixture.order("A1", "an", 40'000'000, OrderStatus::completed).ok());  // 2000 tier points: Bạch kim
  CHECK(fixture.points(an) == 400);  // made in Bạc: no multiplier yet
  REQUIRE(fixture.order("A2", "an", 1'000'000, OrderStatus::completed).ok());
  CHECK(fixture.points(an) == 415);  // x1.5 in Bạch kim
}

TEST_CASE("with a 12-month window, old tier points leave and the member moves down") {
  StoreFixture fixture(12);
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  REQUIRE(fixture.order("A1", "an", 10'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  REQUIRE(fixture.order("A2", "an", 2'000'000, OrderStatus::completed, "2026-06-01T10:00:00Z").ok());
  CHECK(fixture.store.window_tier_points(an, at("2026-12-01T00:00:00Z")) == 600);
  const TierStatus status = fixture.store.tier_status(an, at("2026-12-01T00:00:00Z"));
  CHECK(status.tier_index == 1);
  CHECK(status.next_tier_index == 2);
  CHECK(status.tier_points_to_next == 1400);
  REQUIRE(status.upcoming_drops.size() == 2);
  CHECK(status.upcoming_drops[0].at_utc == at("2027-02-01T10:00:00Z"));
  CHECK(status.upcoming_drops[0].tier_points == 500);
  // A second after the anniversary, the February order has left the window.
  CHECK(fixture.store.window_tier_points(an, at("2027-02-01T10:00:01Z")) == 100);
  REQUIRE(fixture.store.review_tiers(at("2027-02-01T10:00:01Z"), fixture.changes).ok());
  const Event* change = find_tier_change(fixture.changes);
  REQUIRE(change != nullptr);
  CHECK(change->cause == TierChangeCause::window);
  CHECK(change->tier_to == 0);
  // Reviewing again at the same time changes nothing.
  REQUIRE(fixture.store.review_tiers(at("2027-02-01T10:00:01Z"), fixture.changes).ok());
  CHECK(find_tier_change(fixture.changes) == nullptr);
}

TEST_CASE("the window counts calendar months back in Vietnam's time, also at a month end") {
  // The orders of the 12-month case above are at 10:00 UTC, the same date in UTC and in
  // Vietnam: a window computed on UTC's calendar would pass it. Here the local date is a
  // day ahead of UTC's and a month end: 2026-01-30T20:00Z is 31/01 03:00 in Vietnam.
  StoreFixture fixture(1);
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  REQUIRE(fixture.order("A1", "an", 10'000'000, OrderStatus::completed, "2026-01-30T20:00:00Z").ok());
  // A month before 28/02 23:59:59 Vietnam is 28/01 23:59:59: the order (31/01) still counts.
  // A month before 01/03 00:00 Vietnam (2026-02-28T17:00Z) is 01/02: it no longer does.
  // (UTC's calendar would keep it until 2026-03-01T00:00Z.)
  const TierStatus status = fixture.store.tier_status(an, at("2026-02-01T00:00:00Z"));
  REQUIRE(status.upcoming_drops.size() == 1);
  CHECK(status.upcoming_drops[0].at_utc == at("2026-02-28T17:00:00Z"));
  CHECK(fixture.store.window_tier_points(an, at("2026-02-28T16:59:59Z")) == 500);
  CHECK(fixture.store.window_tier_points(an, at("2026-02-28T17:00:00Z")) == 0);
}

TEST_CASE("a refund counts against the window at its order's completion time") {
  StoreFixture fixture(12);
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  REQUIRE(fixture.order("A1", "an", 10'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  REQUIRE(fixture.refund("A1", "r1", 5'000'000, "2026-12-01T10:00:00Z").ok());
  CHECK(fixture.store.window_tier_points(an, at("2026-12-02T00:00:00Z")) == 250);
  // When the order leaves the window, its reversal leaves with it: never a negative count.
  CHECK(fixture.store.window_tier_points(an, at("2027-03-01T00:00:00Z")) == 0);
}

TEST_CASE("lifetime tier points ignore events dated after the time asked about") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  REQUIRE(fixture.order("A1", "an", 1'000'000, OrderStatus::completed, "2026-05-01T00:00:00Z").ok());
  CHECK(fixture.store.window_tier_points(an, at("2026-04-01T00:00:00Z")) == 0);
  CHECK(fixture.store.window_tier_points(an, at("2026-05-01T00:00:00Z")) == 50);
}

TEST_CASE("saving a program with new thresholds places members again") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  REQUIRE(fixture.order("A1", "an", 2'000'000, OrderStatus::completed).ok());  // 100 tier points: Bạc
  ProgramConfig easier = seed_program();
  easier.tiers[1].tier_points_needed = 100;
  REQUIRE(fixture.store.save_program(easier, at("2026-03-01T00:00:00Z"), "owner", fixture.changes).ok());
  const Event* change = find_tier_change(fixture.changes);
  REQUIRE(change != nullptr);
  CHECK(change->cause == TierChangeCause::program_changed);
  CHECK(fixture.store.members()[an].tier_index == 1);
}
