// The calendar rules in zones other than the default Asia/Ho_Chi_Minh (UTC+07:00): expiry
// months, the tier window, the local day of the transfer limit and the birthday perk.
//
// The store knows fixed-offset zones only (core/basics/time.cpp). Asia/Tokyo (UTC+09:00)
// has its local midnight at 15:00 UTC, neither UTC's nor Vietnam's (17:00 UTC), so a rule
// computed in the wrong zone lands on another instant; UTC (+00:00) is the zone farthest
// from Vietnam's. Every expectation is computed by hand and written as a literal UTC
// instant, with the local wall time beside it; where it helps, the comment also says what
// Vietnam's or UTC's calendar would give instead, so that it is clear the case can fail.
//
// Everything goes through the JSON commands, in time order, so the tests hold whether
// late events are applied at their own time or at the store's clock.
#include <doctest/doctest.h>

#include <string>

#include "core/commands/command_runner.hpp"

using namespace loyalty;

namespace {

constexpr const char* tokyo = "Asia/Tokyo";   // UTC+09:00, no daylight saving time
constexpr const char* utc = "UTC";

struct ZoneRun {
  CommandRunner runner;
  std::size_t line_number = 0;

  Json apply(const Json& command) { return runner.run(command, ++line_number).result; }

  // A program in `zone`: 1 point = 1,000 VND, the buyer earns 1 %, 20,000 VND = 1 tier
  // point; one tier (Bạc, 0) whose perk gives 50 points on the birthday; `sections` adds
  // or replaces top-level sections (expiry, tier_points, transfers...).
  explicit ZoneRun(const char* zone, const Json& sections = Json::object()) {
    Json program = {
        {"time_zone", zone},
        {"wallet", {{"point_value_vnd", 1000}, {"buyer_earn_rate_bp", 100}}},
        {"tier_points", {{"vnd_per_tier_point", 20000}}},
        {"tiers", Json::array({{{"id", "bac"}, {"name", "Bạc"}, {"tier_points_needed", 0},
                                {"perks", Json::array({{{"type", "birthday_bonus"}, {"enabled", true},
                                                        {"birthday_bonus_points", 50}}})}},
                               {{"id", "vang"}, {"name", "Vàng"}, {"tier_points_needed", 500}}})},
    };
    for (const auto& [key, value] : sections.items()) program[key] = value;
    const Json saved = apply({{"command", "save_program"}, {"time", "2025-12-01T00:00:00Z"}, {"program", program}});
    REQUIRE(saved["result"] == "ok");
  }

  void add_member(const std::string& member_id, const std::string& phone, const Json& birthday = nullptr) {
    Json command = {{"command", "create_member"}, {"time", "2025-12-02T00:00:00Z"}, {"member_id", member_id},
                    {"phone", phone}, {"name", "Thành viên " + member_id}};
    if (!birthday.is_null()) command["birthday"] = birthday;
    REQUIRE(apply(command)["result"] == "ok");
  }

  Json order(const std::string& order_id, const std::string& member_id, Vnd amount_vnd, const char* time) {
    return apply({{"command", "order"}, {"time", time}, {"order_id", order_id}, {"member_id", member_id},
                  {"status", "completed"}, {"amount_vnd", amount_vnd}});
  }

  Json process_due(const char* time) { return apply({{"command", "process_due"}, {"time", time}}); }

  // The member's spendable points, as a read without a time answers them.
  std::int64_t points(const std::string& member_id) {
    const Json profile = apply({{"command", "get_member"}, {"member_id", member_id}});
    REQUIRE(profile["result"] == "ok");
    return profile["data"]["balances"]["points"].get<std::int64_t>();
  }

  Json tier(const std::string& member_id, const char* time) {
    const Json profile = apply({{"command", "get_member"}, {"member_id", member_id}, {"time", time}});
    REQUIRE(profile["result"] == "ok");
    return profile["data"]["tier"];
  }

  // The first expiry of the member's points, as `expiring_points` reports it at `time`.
  std::string first_expiry(const std::string& member_id, const char* time) {
    const Json expiring = apply({{"command", "expiring_points"}, {"time", time}, {"within_days", 366}});
    REQUIRE(expiring["result"] == "ok");
    for (const Json& member : expiring["data"]["members"]) {
      if (member["member_id"] == member_id) return member["first_expiry"].get<std::string>();
    }
    return "(nothing expiring)";
  }

  std::string first_expiry_month(const char* time) {
    const Json liability = apply({{"command", "liability"}, {"time", time}});
    REQUIRE(liability["result"] == "ok");
    REQUIRE_FALSE(liability["data"]["by_expiry_month"].empty());
    return liability["data"]["by_expiry_month"][0]["month"].get<std::string>();
  }
};

Json expiry(const char* rule, int months) { return {{"expiry", {{"rule", rule}, {"months", months}}}}; }

}  // namespace

TEST_CASE("other zone: end_of_month_after ends the local month in Tokyo") {
  ZoneRun run(tokyo, expiry("end_of_month_after", 1));
  run.add_member("an", "0912345678");
  // 2026-01-31T15:30Z is 01/02 00:30 in Tokyo: February, so the lot expires at the end of
  // March, 31/03 23:59:59 Tokyo. (In Vietnam it is still 31/01, 22:30: the end of February.)
  REQUIRE(run.order("A1", "an", 1'000'000, "2026-01-31T15:30:00Z")["result"] == "ok");
  CHECK(run.first_expiry("an", "2026-02-01T00:00:00Z") == "2026-03-31T14:59:59Z");
  CHECK(run.first_expiry_month("2026-02-01T00:00:00Z") == "2026-03");
  // The lot expires at that moment, not at the end of Vietnam's or UTC's day.
  REQUIRE(run.process_due("2026-03-31T14:59:58Z")["result"] == "ok");
  CHECK(run.points("an") == 10);
  const Json expired = run.process_due("2026-03-31T15:00:00Z");
  REQUIRE(expired["result"] == "ok");
  REQUIRE(expired["transactions"].size() == 1);
  CHECK(expired["transactions"][0]["kind"] == "points_expired");
  CHECK(expired["transactions"][0]["time"] == "2026-03-31T14:59:59Z");
  CHECK(run.points("an") == 0);
}

TEST_CASE("other zone: months_after adds local calendar months, clamped to the local month's end, in Tokyo") {
  ZoneRun run(tokyo, expiry("months_after", 1));
  run.add_member("an", "0912345678");
  run.add_member("binh", "0987654321");
  // 2026-01-30T16:00Z is 31/01 01:00 Tokyo; a month later is 28/02 01:00 Tokyo (clamped).
  // (Vietnam: 30/01 23:00 + 1 month = 28/02 23:00, 2026-02-28T16:00Z.)
  REQUIRE(run.order("A1", "an", 1'000'000, "2026-01-30T16:00:00Z")["result"] == "ok");
  CHECK(run.first_expiry("an", "2026-01-31T00:00:00Z") == "2026-02-27T16:00:00Z");
  // A leap year: 31/01/2028 01:00 Tokyo + 1 month = 29/02/2028 01:00 Tokyo.
  REQUIRE(run.order("B1", "binh", 2'000'000, "2028-01-30T16:00:00Z")["result"] == "ok");
  CHECK(run.first_expiry("binh", "2028-01-31T00:00:00Z") == "2028-02-28T16:00:00Z");
}

TEST_CASE("other zone: the liability's expiry month is the local month of Tokyo") {
  ZoneRun run(tokyo, expiry("months_after", 2));
  run.add_member("an", "0912345678");
  // 01/02 00:30 Tokyo + 2 months = 01/04 00:30 Tokyo = 2026-03-31T15:30Z: April in Tokyo,
  // March in UTC and in Vietnam.
  REQUIRE(run.order("A1", "an", 1'000'000, "2026-01-31T15:30:00Z")["result"] == "ok");
  CHECK(run.first_expiry("an", "2026-02-01T00:00:00Z") == "2026-03-31T15:30:00Z");
  CHECK(run.first_expiry_month("2026-02-01T00:00:00Z") == "2026-04");
}

TEST_CASE("other zone: expiry months in UTC") {
  SUBCASE("months_after clamps on UTC's date, not Vietnam's") {
    ZoneRun run(utc, expiry("months_after", 1));
    run.add_member("an", "0912345678");
    // 30/01 20:00 UTC + 1 month = 28/02 20:00 UTC. (In Vietnam it is 31/01 03:00, whose
    // month later is 28/02 03:00 Vietnam, 2026-02-27T20:00Z.)
    REQUIRE(run.order("A1", "an", 1'000'000, "2026-01-30T20:00:00Z")["result"] == "ok");
    CHECK(run.first_expiry("an", "2026-01-31T00:00:00Z") == "2026-02-28T20:00:00Z");
  }
  SUBCASE("end_of_month_after ends UTC's month") {
    ZoneRun run(utc, expiry("end_of_month_after", 1));
    run.add_member("an", "0912345678");
    // 31/03 20:00 UTC (01/04 in Vietnam): the end of April, UTC.
    REQUIRE(run.order("A1", "an", 1'000'000, "2026-03-31T20:00:00Z")["result"] == "ok");
    CHECK(run.first_expiry("an", "2026-04-01T00:00:00Z") == "2026-04-30T23:59:59Z");
    CHECK(run.first_expiry_month("2026-04-01T00:00:00Z") == "2026-04");
  }
}

TEST_CASE("other zone: the tier window counts local calendar months back, from 31/03, in Tokyo") {
  ZoneRun run(tokyo, {{"tier_points", {{"vnd_per_tier_point", 20000}, {"window_months", 1}}}});
  run.add_member("an", "0912345678");
  // 31/03 10:00 Tokyo: 500 tier points, Vàng.
  REQUIRE(run.order("A1", "an", 10'000'000, "2026-03-31T01:00:00Z")["result"] == "ok");
  // A month before 30/04 23:59:59 Tokyo is 30/03 23:59:59: the order still counts. A month
  // before 01/05 00:00 Tokyo (2026-04-30T15:00Z) is 01/04 00:00: it no longer does.
  // (Vietnam's window would hold it until 2026-04-30T17:00Z, UTC's until 2026-05-01T00:00Z.)
  const Json before = run.tier("an", "2026-04-01T00:00:00Z");
  CHECK(before["tier_points"] == 500);
  REQUIRE(before["upcoming_drops"].size() == 1);
  CHECK(before["upcoming_drops"][0]["at"] == "2026-04-30T15:00:00Z");
  CHECK(before["upcoming_drops"][0]["tier_points"] == 500);
  // review_tiers moves the member down at that moment, not at Vietnam's midnight (times in order).
  CHECK(run.tier("an", "2026-04-30T14:59:59Z")["tier_points"] == 500);
  const Json kept = run.apply({{"command", "review_tiers"}, {"time", "2026-04-30T14:59:59Z"}});
  REQUIRE(kept["result"] == "ok");
  CHECK(kept["events"].empty());
  CHECK(run.tier("an", "2026-04-30T15:00:00Z")["tier_points"] == 0);
  const Json dropped = run.apply({{"command", "review_tiers"}, {"time", "2026-04-30T15:00:00Z"}});
  REQUIRE(dropped["result"] == "ok");
  REQUIRE(dropped["events"].size() == 1);
  CHECK(dropped["events"][0]["kind"] == "tier_changed");
  CHECK(dropped["events"][0]["to"]["id"] == "bac");
  CHECK(dropped["events"][0]["time"] == "2026-04-30T15:00:00Z");
}

TEST_CASE("other zone: tier points earned on a local 29/02 leave a 12-month window at local midnight of 01/03, in Tokyo") {
  ZoneRun run(tokyo, {{"tier_points", {{"vnd_per_tier_point", 20000}, {"window_months", 12}}}});
  run.add_member("an", "0912345678");
  // 2028-02-28T16:00Z is 29/02/2028 01:00 Tokyo (still 28/02 in UTC and in Vietnam).
  REQUIRE(run.order("A1", "an", 10'000'000, "2028-02-28T16:00:00Z")["result"] == "ok");
  // Twelve months before 28/02/2029 23:59:59 Tokyo is 28/02/2028 23:59:59: still inside.
  // Twelve months before 01/03/2029 00:00 Tokyo (2029-02-28T15:00Z) is 01/03/2028: outside.
  // (UTC's calendar would keep them until 2029-02-28T16:00Z.)
  const Json before = run.tier("an", "2028-03-01T00:00:00Z");
  REQUIRE(before["upcoming_drops"].size() == 1);
  CHECK(before["upcoming_drops"][0]["at"] == "2029-02-28T15:00:00Z");
  CHECK(run.tier("an", "2029-02-28T14:59:59Z")["tier_points"] == 500);
  CHECK(run.tier("an", "2029-02-28T15:00:00Z")["tier_points"] == 0);
}

TEST_CASE("other zone: the transfer limit is per local day of Tokyo, whose midnight is 15:00 UTC") {
  ZoneRun run(tokyo, {{"transfers", {{"enabled", true}, {"daily_limit_points", 30}}}});
  run.add_member("an", "0912345678");
  run.add_member("binh", "0987654321");
  REQUIRE(run.apply({{"command", "adjust_points"}, {"time", "2026-02-10T00:00:00Z"}, {"member_id", "an"}, {"points", 100},
                     {"reason", "Quà tặng"}, {"actor", "staff"}, {"idempotency_key", "gift"}})["result"] == "ok");
  auto transfer = [&](const char* transfer_id, std::int64_t points, const char* time) {
    return run.apply({{"command", "transfer_points"}, {"time", time}, {"transfer_id", transfer_id}, {"from_member_id", "an"},
                      {"to_member_id", "binh"}, {"points", points}})["result"].get<std::string>();
  };
  // 10/02 23:59 Tokyo: 20 of the day's 30.
  CHECK(transfer("T1", 20, "2026-02-10T14:59:00Z") == "ok");
  CHECK(transfer("T2", 11, "2026-02-10T14:59:30Z") == "transfer_limit_reached");
  // 11/02 00:00 Tokyo, still 10/02 in UTC and in Vietnam (22:00): a new local day.
  CHECK(transfer("T3", 30, "2026-02-10T15:00:00Z") == "ok");
  // 11/02 10:00 Tokyo, a new UTC day but the same local day as T3: the limit is used up.
  CHECK(transfer("T4", 1, "2026-02-11T01:00:00Z") == "transfer_limit_reached");
  // 12/02 00:00 Tokyo: the next local day.
  CHECK(transfer("T5", 30, "2026-02-11T15:00:00Z") == "ok");
  CHECK(run.points("an") == 20);
  CHECK(run.points("binh") == 80);
}

TEST_CASE("other zone: the birthday starts at local midnight") {
  SUBCASE("Tokyo: 15/06 starts at 2026-06-14T15:00Z") {
    ZoneRun run(tokyo);
    run.add_member("an", "0912345678", {{"day", 15}, {"month", 6}, {"year", 1990}});
    auto grant = [&](const char* time) {
      const Json granted = run.apply({{"command", "grant_birthday_bonuses"}, {"time", time}});
      REQUIRE(granted["result"] == "ok");
      return granted;
    };
    grant("2026-06-14T14:59:59Z");   // 14/06 23:59:59 Tokyo
    CHECK(run.points("an") == 0);
    const Json granted = grant("2026-06-14T15:00:00Z");   // 15/06 00:00 Tokyo; 14/06 22:00 in Vietnam
    REQUIRE(granted["transactions"].size() == 1);
    CHECK(granted["transactions"][0]["kind"] == "birthday_bonus");
    CHECK(run.points("an") == 50);
    grant("2026-06-15T14:59:59Z");   // the last second of 15/06 Tokyo: once a year
    CHECK(run.points("an") == 50);
  }
  SUBCASE("Tokyo: 29/02 is celebrated on 28/02 in a common year, from local midnight") {
    ZoneRun run(tokyo);
    run.add_member("leap", "0912345679", {{"day", 29}, {"month", 2}});
    REQUIRE(run.apply({{"command", "grant_birthday_bonuses"}, {"time", "2027-02-27T14:59:59Z"}})["result"] == "ok");
    CHECK(run.points("leap") == 0);
    REQUIRE(run.apply({{"command", "grant_birthday_bonuses"}, {"time", "2027-02-27T15:00:00Z"}})["result"] == "ok");
    CHECK(run.points("leap") == 50);
  }
  SUBCASE("UTC: 15/06 starts at 2026-06-15T00:00Z, when it is already 07:00 in Vietnam") {
    ZoneRun run(utc);
    run.add_member("an", "0912345678", {{"day", 15}, {"month", 6}});
    REQUIRE(run.apply({{"command", "grant_birthday_bonuses"}, {"time", "2026-06-14T23:59:59Z"}})["result"] == "ok");
    CHECK(run.points("an") == 0);
    REQUIRE(run.apply({{"command", "grant_birthday_bonuses"}, {"time", "2026-06-15T00:00:00Z"}})["result"] == "ok");
    CHECK(run.points("an") == 50);
  }
}
