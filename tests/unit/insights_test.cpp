// insights_test.cpp: program impact, backtest and metrics (core/insights), with expected
// values worked out by hand in the comments, and the reads' promise to change nothing.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/basics/seeded_random.hpp"
#include "core/commands/command_runner.hpp"
#include "core/insights/insights.hpp"
#include "core/snapshot/store_snapshot.hpp"
#include "store_fixture.hpp"

namespace loyalty {
namespace {

using testing::at;
using testing::seed_program;
using testing::StoreFixture;

// The seed program: 1 point = 1,000 VND, buyer 1 %, referrer 0.5 %, 20,000 VND per tier
// point; Bạc 0, Vàng 500, Bạch kim 2000 (x1.5 on buyer points).
const ProgramConfig& program_of(const Store& store) { return store.current_program()->config; }

Result redeem(StoreFixture& fixture, const std::string& id, const std::string& member_id, Points points, const char* time) {
  RedemptionRequest request{id, member_id, points, "Voucher", "pos"};
  return fixture.store.redeem_points(request, at(time), fixture.changes);
}

// ----- program impact ----------------------------------------------------------------------

TEST_CASE("program impact: tiers now and under the candidate's thresholds, movers and liability") {
  StoreFixture fixture;
  fixture.add_member("A", "0912000001", "An");
  fixture.add_member("B", "0912000002", "Bình");
  fixture.add_member("C", "0912000003", "Cường");
  // A: 12,000,000 VND -> 600 tier points (Vàng), 120 points. B: 50,000,000 -> 2500 (Bạch
  // kim), 500 points (Bạc when ordering: no multiplier). C: nothing (Bạc, threshold 0).
  REQUIRE(fixture.order("O1", "A", 12'000'000, OrderStatus::completed).ok());
  REQUIRE(fixture.order("O2", "B", 50'000'000, OrderStatus::completed).ok());
  ProgramConfig candidate = seed_program();
  candidate.tiers[1].tier_points_needed = 700;   // A falls to Bạc
  candidate.wallet.point_value_vnd = 500;
  const ProgramImpact impact = program_impact(fixture.store, program_of(fixture.store), candidate, at("2026-03-01T00:00:00Z"), 10);
  CHECK(impact.members == 3);
  CHECK(impact.members_by_tier_now == std::vector<std::int64_t>{1, 1, 1, 0});
  CHECK(impact.members_by_tier_after == std::vector<std::int64_t>{2, 0, 1, 0});
  CHECK(impact.moved_up == 0);
  CHECK(impact.moved_down == 1);
  REQUIRE(impact.sample.size() == 1);
  CHECK(impact.sample[0].member == 0);
  CHECK(impact.sample[0].tier_from == 1);
  CHECK(impact.sample[0].tier_to == 0);
  CHECK(impact.sample[0].measure_from == 600);
  CHECK(impact.sample[0].measure_to == 600);
  CHECK(impact.outstanding_points == 620);
  CHECK(impact.liability_vnd_now == 620'000);
  CHECK(impact.liability_vnd_after == 310'000);
  CHECK(impact.outstanding_points == fixture.store.liability(at("2026-03-01T00:00:00Z")).outstanding_points);

  SUBCASE("a candidate's window counts only recent tier points; a tier below every threshold is none") {
    ProgramConfig windowed = seed_program(2);   // 2 months: on 15/04 local, what counted from after 15/02
    windowed.tiers[0].tier_points_needed = 1;   // nobody is below Bạc unless they have no tier points
    const ProgramImpact later = program_impact(fixture.store, program_of(fixture.store), windowed, at("2026-04-15T00:00:00+07:00"), 0);
    // Both orders (01/02) are out of the window: A and B have 0, as C: all "none".
    CHECK(later.members_by_tier_after == std::vector<std::int64_t>{0, 0, 0, 3});
    CHECK(later.moved_down == 3);   // none is below the first tier
    CHECK(later.sample.empty());    // sample_limit 0
  }
  SUBCASE("lower thresholds move members up") {
    ProgramConfig easier = seed_program();
    easier.tiers[2].tier_points_needed = 600;   // A reaches Bạch kim
    const ProgramImpact up = program_impact(fixture.store, program_of(fixture.store), easier, at("2026-03-01T00:00:00Z"), 10);
    CHECK(up.moved_up == 1);
    CHECK(up.moved_down == 0);
    CHECK(up.members_by_tier_after == std::vector<std::int64_t>{1, 0, 2, 0});
    CHECK(up.liability_vnd_after == up.liability_vnd_now);
  }
}

TEST_CASE("program_impact command: an invalid candidate is refused with save_program's errors; reads change nothing") {
  CommandRunner runner;
  const char* lines[] = {
      R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0},{"id":"vang","name":"Vàng","tier_points_needed":100}]}})",
      R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"A","phone":"0912000001","name":"An"})",
      R"({"command":"order","time":"2026-01-03T00:00:00Z","order_id":"O1","member_id":"A","status":"completed","amount_vnd":2000000})",
  };
  for (std::size_t i = 0; i < std::size(lines); ++i) REQUIRE(runner.run_line(lines[i], i + 1).result["result"] == "ok");
  const std::string before = StoreSnapshot::write(runner.store());

  const CommandOutput invalid = runner.run_line(
      R"({"command":"program_impact","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":50},{"id":"vang","name":"Vàng","tier_points_needed":10}]}})", 4);
  CHECK(invalid.result["result"] == "program_invalid");
  CHECK(invalid.result["errors"][0]["field"] == "tiers[1].tier_points_needed");
  CHECK_FALSE(invalid.journal);
  const CommandOutput missing = runner.run_line(R"({"command":"program_impact","sample_limit":101})", 5);
  CHECK(missing.result["result"] == "invalid_field");
  CHECK(missing.result["errors"].size() == 2);

  // 2,000,000 VND: 100 tier points (Vàng), 20 points. The candidate raises Vàng to 200 and
  // makes a point worth 2,000 VND.
  const CommandOutput impact = runner.run_read(Json::parse(
      R"({"command":"program_impact","program":{"wallet":{"point_value_vnd":2000,"buyer_earn_rate_bp":100},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0},{"id":"vang","name":"Vàng","tier_points_needed":200}]}})"), 6);
  REQUIRE(impact.result["result"] == "ok");
  const Json& data = impact.result["data"];
  CHECK(data["tiers_now"] == Json::parse(R"([{"tier":"bac","members":0},{"tier":"vang","members":1},{"tier":"none","members":0}])"));
  CHECK(data["tiers_after"] == Json::parse(R"([{"tier":"bac","members":1},{"tier":"vang","members":0},{"tier":"none","members":0}])"));
  CHECK(data["moved_down"] == 1);
  CHECK(data["sample"][0]["member_id"] == "A");
  CHECK(data["sample"][0]["tier_now"] == "vang");
  CHECK(data["sample"][0]["tier_after"] == "bac");
  CHECK(data["liability"]["value_vnd_now"] == 20'000);
  CHECK(data["liability"]["value_vnd_after"] == 40'000);
  CHECK(data["liability"]["change_vnd"] == 20'000);
  CHECK_FALSE(impact.journal);
  CHECK(StoreSnapshot::write(runner.store()) == before);
}

// ----- backtest ----------------------------------------------------------------------------

struct BacktestStory : StoreFixture {
  BacktestStory() {
    add_member("A", "0912000001", "An");
    add_member("B", "0912000002", "Bình", "A");
    // A: O1 01/02 50,000,000 -> 500 points, 2500 tier points (Bạch kim).
    REQUIRE(order("O1", "A", 50'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
    // A: O2 01/03 10,000,000 -> 100 x 1.5 = 150 points, 500 tier points.
    REQUIRE(order("O2", "A", 10'000'000, OrderStatus::completed, "2026-03-01T10:00:00Z").ok());
    // B: O3 10/03 4,000,000 -> 40 points; A as referrer 20; 200 tier points.
    REQUIRE(order("O3", "B", 4'000'000, OrderStatus::completed, "2026-03-10T10:00:00Z").ok());
    // O2 refunded 2,000,000 of 10,000,000 on 20/03: a fifth: 30 points, 100 tier points.
    REQUIRE(refund("O2", "r1", 2'000'000, "2026-03-20T10:00:00Z").ok());
  }
};

TEST_CASE("backtest: the current program reproduces the store's figures; a candidate's, worked by hand") {
  BacktestStory story;
  const UtcSeconds from = at("2026-03-01T00:00:00+07:00");
  const UtcSeconds to = at("2026-04-01T00:00:00+07:00");
  const std::string before = StoreSnapshot::write(story.store);
  const Backtest same = backtest_program(story.store, program_of(story.store), program_of(story.store), from, to, 10);
  CHECK(same.orders == 2);
  CHECK(same.refunds == 1);
  CHECK(same.orders_replayed == 3);
  CHECK(same.current.buyer_points == 190);
  CHECK(same.current.referrer_points == 20);
  CHECK(same.current.points_reversed == 30);
  CHECK(same.current.points_net == 180);
  CHECK(same.current.points_net_value_vnd == 180'000);
  CHECK(same.current.tier_points == 700);
  CHECK(same.current.outstanding_points == 680);   // A 500 + 150 + 20 - 30, B 40
  CHECK(same.current.members_by_tier == std::vector<std::int64_t>{1, 0, 1, 0});   // A 2900 Bạch kim, B 200 Bạc
  CHECK(same.candidate.buyer_points == same.current.buyer_points);
  CHECK(same.candidate.referrer_points == same.current.referrer_points);
  CHECK(same.candidate.points_reversed == same.current.points_reversed);
  CHECK(same.candidate.tier_points == same.current.tier_points);
  CHECK(same.candidate.members_by_tier == same.current.members_by_tier);
  CHECK(same.candidate.outstanding_points == same.current.outstanding_points);
  CHECK(same.moved_up + same.moved_down == 0);

  // Candidate: buyer 2 %, referrer 1 %, Bạch kim from 3000. O1's 2500 make A Vàng (no
  // multiplier): O2 earns 200, O3 80 and the referrer 40; the refund takes a fifth of O2's
  // 200 = 40. Net 280 + 40 - 40 = 280; outstanding 680 + 280 - 180 = 780. At the end A has
  // 2900 tier points: Vàng under the candidate, Bạch kim now: one moves down.
  ProgramConfig candidate = seed_program();
  candidate.wallet.buyer_earn_rate_bp = 200;
  candidate.wallet.referrer_earn_rate_bp = 100;
  candidate.tiers[2].tier_points_needed = 3000;
  const Backtest tried = backtest_program(story.store, program_of(story.store), candidate, from, to, 10);
  CHECK(tried.candidate.buyer_points == 280);
  CHECK(tried.candidate.referrer_points == 40);
  CHECK(tried.candidate.points_reversed == 40);
  CHECK(tried.candidate.points_net == 280);
  CHECK(tried.candidate.outstanding_points == 780);
  CHECK(tried.candidate.outstanding_value_vnd == 780'000);
  CHECK(tried.candidate.members_by_tier == std::vector<std::int64_t>{1, 1, 0, 0});
  CHECK(tried.moved_down == 1);
  REQUIRE(tried.sample.size() == 1);
  CHECK(tried.sample[0].measure_from == 2900);
  CHECK(tried.sample[0].measure_to == 2900);
  CHECK(StoreSnapshot::write(story.store) == before);

  SUBCASE("a refund in the period of an order before it counts in the period; one after `to` does not") {
    REQUIRE(story.refund("O1", "r2", 5'000'000, "2026-04-02T10:00:00Z").ok());   // after `to`
    const Backtest later = backtest_program(story.store, program_of(story.store), program_of(story.store), from, to, 10);
    CHECK(later.current.points_reversed == 30);
    CHECK(later.candidate.points_reversed == 30);
    // April: O1's refund of a tenth takes 50 of its 500 points (and 250 tier points).
    const UtcSeconds april_end = at("2026-05-01T00:00:00+07:00");
    const Backtest april = backtest_program(story.store, program_of(story.store), program_of(story.store), to, april_end, 10);
    CHECK(april.orders == 0);
    CHECK(april.current.points_reversed == 50);
    CHECK(april.candidate.points_reversed == 50);
    CHECK(april.current.points_net == -50);
  }
  SUBCASE("the tier points of orders before the period still count") {
    // The period is only April: O1 and O2 are replayed for A's tier, and counted in nothing.
    const Backtest april = backtest_program(story.store, program_of(story.store), candidate, to, at("2026-05-01T00:00:00+07:00"), 10);
    CHECK(april.orders == 0);
    CHECK(april.orders_replayed == 3);
    CHECK(april.candidate.buyer_points == 0);
    CHECK(april.moved_down == 1);
  }
}

TEST_CASE("refund times: from the ledger; a refund that moved nothing is dated by the one before it") {
  StoreFixture fixture;
  fixture.add_member("A", "0912000001", "An");
  REQUIRE(fixture.order("O1", "A", 1'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());   // 10 points, 50 tier points
  REQUIRE(fixture.order("O2", "A", 100'000, OrderStatus::completed, "2026-02-02T10:00:00Z").ok());     // 1 point, 5 tier points
  REQUIRE(fixture.refund("O1", "r1", 500'000, "2026-02-05T10:00:00Z").ok());   // 5 points, 25 tier points: posted
  // 1,000 VND of 100,000: a hundredth of 1 point and of 5 tier points, both round to 0.
  REQUIRE(fixture.refund("O2", "r2", 1'000, "2026-02-07T10:00:00Z").ok());
  const std::vector<UtcSeconds> times = refund_times(fixture.store, INT64_MIN);
  REQUIRE(times.size() == 2);
  CHECK(times[0] == at("2026-02-05T10:00:00Z"));
  CHECK(times[1] == at("2026-02-05T10:00:00Z"));   // nothing posted on 07/02: the refund before it
  // Read from 06/02 on, r1 is before the period: dated by its order's completion.
  CHECK(refund_times(fixture.store, at("2026-02-06T00:00:00Z"))[0] == at("2026-02-01T10:00:00Z"));
  CHECK(first_transaction_at(fixture.store.ledger(), at("2026-02-05T10:00:00Z")) ==
        first_transaction_at(fixture.store.ledger(), at("2026-02-03T00:00:00Z")));
}

// Random stores built in time order (every event on time), so that the store's own figures
// are well defined: the backtest with the store's program must give them back exactly.
struct RandomStory {
  CommandRunner runner;
  explicit RandomStory(std::uint64_t seed, const std::string& program, int members, int orders) {
    SeededRandom random{seed};
    std::size_t line = 0;
    auto run = [&](const Json& command) {
      const CommandOutput output = runner.run(command, ++line);
      REQUIRE_MESSAGE(output.result["result"] == "ok", output.result.dump());
    };
    run(Json::parse(R"({"command":"save_program","time":"2025-01-01T00:00:00Z","program":)" + program + "}"));
    UtcSeconds time = at("2025-01-02T00:00:00Z");
    for (int m = 0; m < members; ++m) {
      Json member{{"command", "create_member"}, {"time", format_utc_time(time)}, {"member_id", "M" + std::to_string(m)},
                  {"phone", "09" + std::to_string(10000000 + m)}, {"name", "Member " + std::to_string(m)}};
      if (m > 0 && random.below(3) == 0) member["referrer_id"] = "M" + std::to_string(random.below(m));
      run(member);
    }
    struct Open { std::string id; Vnd left; };
    std::vector<Open> open;
    for (int o = 0; o < orders; ++o) {
      time += random.below(40000);   // about 15 months for 2,000 events
      if (!open.empty() && random.below(4) == 0) {
        const std::size_t pick = static_cast<std::size_t>(random.below(static_cast<std::int64_t>(open.size())));
        Open& order = open[pick];
        const bool full = random.below(3) == 0;
        const Vnd amount = full ? order.left : 1 + static_cast<Vnd>(random.below(order.left));
        run(Json{{"command", "refund"}, {"time", format_utc_time(time)}, {"order_id", order.id},
                 {"refund_id", "R" + std::to_string(o)}, {"amount_vnd", amount}});
        order.left -= amount;
        if (order.left == 0) open.erase(open.begin() + static_cast<std::ptrdiff_t>(pick));
        continue;
      }
      const std::string id = "O" + std::to_string(o);
      const Vnd amount = 10'000 * static_cast<Vnd>(1 + random.below(2000));
      const Vnd shipping = random.below(2) == 0 ? 0 : 20'000;
      run(Json{{"command", "order"}, {"time", format_utc_time(time)}, {"order_id", id},
               {"member_id", "M" + std::to_string(random.below(members))}, {"status", "completed"},
               {"amount_vnd", amount + shipping}, {"shipping_vnd", shipping}});
      open.push_back({id, amount + shipping});
    }
  }
};

void check_backtest_reproduces(const Store& store, UtcSeconds from, UtcSeconds to) {
  const ProgramConfig& config = store.program_at(to - 1)->config;
  const Backtest result = backtest_program(store, config, config, from, to, 5);
  REQUIRE(result.code == ResultCode::ok);
  CHECK(result.orders > 0);
  CHECK(result.candidate.buyer_points == result.current.buyer_points);
  CHECK(result.candidate.referrer_points == result.current.referrer_points);
  CHECK(result.candidate.points_reversed == result.current.points_reversed);
  CHECK(result.candidate.tier_points == result.current.tier_points);
  CHECK(result.candidate.members_by_tier == result.current.members_by_tier);
  CHECK(result.moved_up == 0);
  CHECK(result.moved_down == 0);
}

TEST_CASE("backtest: random stores, the store's program reproduces points issued and reversed exactly") {
  // A 12-month window, a multiplier at Vàng, rounding half up, shipping excluded.
  const std::string windowed = R"({"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":150,"referrer_earn_rate_bp":70,"rounding":"half_up"},
    "tier_points":{"vnd_per_tier_point":20000,"window_months":12},
    "tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0},{"id":"vang","name":"Vàng","tier_points_needed":300,
      "perks":[{"type":"earning_multiplier","enabled":true,"multiplier_bp":12500}]},
      {"id":"kim","name":"Kim","tier_points_needed":1500,"perks":[{"type":"earning_multiplier","enabled":true,"multiplier_bp":20000}]}]})";
  // A pending period with tier points counted once the points are available.
  const std::string pending = R"({"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100,"referrer_earn_rate_bp":50,"exclude_shipping":false},
    "tier_points":{"vnd_per_tier_point":10000,"window_months":3},"pending":{"days":7,"tier_points":"when_available"},
    "tiers":[{"id":"bac","name":"Bạc","tier_points_needed":100},{"id":"vang","name":"Vàng","tier_points_needed":800,
      "perks":[{"type":"earning_multiplier","enabled":true,"multiplier_bp":15000}]}]})";
  for (const std::string* program : {&windowed, &pending}) {
    for (std::uint64_t seed : {1u, 2u}) {
      CAPTURE(seed);
      RandomStory story(seed, *program, 60, 2000);
      const Store& store = story.runner.store();
      REQUIRE(store.refunds().size() > 300);
      const std::string before = StoreSnapshot::write(store);
      check_backtest_reproduces(store, at("2025-01-01T00:00:00Z"), store.clock_utc() + 1);
      check_backtest_reproduces(store, at("2025-06-01T00:00:00+07:00"), at("2025-09-01T00:00:00+07:00"));
      check_backtest_reproduces(store, at("2025-11-15T00:00:00+07:00"), at("2026-02-01T00:00:00+07:00"));
      CHECK(StoreSnapshot::write(store) == before);
    }
  }
}

TEST_CASE("backtest command: period, candidate and program checks") {
  CommandRunner runner;
  CHECK(runner.run_line(R"({"command":"backtest_program","from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"tiers":[]}})", 1)
            .result["result"] == "program_not_set");
  REQUIRE(runner.run_line(R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"tiers":[]}})", 2)
              .result["result"] == "ok");
  const CommandOutput reversed = runner.run_line(
      R"({"command":"backtest_program","from":"2026-02-01T00:00:00Z","to":"2026-02-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"tiers":[]}})", 3);
  CHECK(reversed.result["result"] == "invalid_field");
  CHECK(reversed.result["errors"][0]["field"] == "to");
  const CommandOutput invalid = runner.run_line(
      R"({"command":"backtest_program","from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":10001},"tiers":[]}})", 4);
  CHECK(invalid.result["result"] == "program_invalid");
  CHECK(invalid.result["errors"][0]["field"] == "wallet.buyer_earn_rate_bp");
}

// ----- metrics -----------------------------------------------------------------------------

TEST_CASE("metrics: day buckets cut at local midnight, 29/02, ISO weeks and months") {
  const TimeZone zone;   // Asia/Ho_Chi_Minh, UTC+07:00
  // 28/02/2028 00:00 local to 02/03/2028 00:00 local: 28/02, 29/02 (a leap year), 01/03.
  const std::vector<MetricsFigures> days =
      metrics_buckets(at("2028-02-28T00:00:00+07:00"), at("2028-03-02T00:00:00+07:00"), MetricsBucket::day, zone, 400);
  REQUIRE(days.size() == 3);
  CHECK(days[0].label == "2028-02-28");
  CHECK(days[1].label == "2028-02-29");
  CHECK(days[1].start_utc == at("2028-02-28T17:00:00Z"));
  CHECK(days[2].label == "2028-03-01");
  CHECK(days[2].end_utc == at("2028-03-01T17:00:00Z"));
  // A period that starts mid-day: the first bucket is cut at `from`, the last at `to`.
  const std::vector<MetricsFigures> cut =
      metrics_buckets(at("2028-02-28T12:00:00+07:00"), at("2028-02-29T06:00:00+07:00"), MetricsBucket::day, zone, 400);
  REQUIRE(cut.size() == 2);
  CHECK(cut[0].end_utc == at("2028-02-29T00:00:00+07:00"));
  CHECK(cut[1].end_utc == at("2028-02-29T06:00:00+07:00"));
  // ISO weeks: Monday 28/12/2026 starts 2026-W53; Monday 04/01/2027 starts 2027-W01.
  const std::vector<MetricsFigures> weeks =
      metrics_buckets(at("2026-12-30T00:00:00+07:00"), at("2027-01-12T00:00:00+07:00"), MetricsBucket::week, zone, 400);
  REQUIRE(weeks.size() == 3);
  CHECK(weeks[0].label == "2026-W53");
  CHECK(weeks[0].end_utc == at("2027-01-04T00:00:00+07:00"));
  CHECK(weeks[1].label == "2027-W01");
  CHECK(weeks[2].label == "2027-W02");
  // 2024-12-30 (Monday) is in 2025-W01.
  CHECK(metrics_buckets(at("2024-12-31T00:00:00+07:00"), at("2025-01-01T00:00:00+07:00"), MetricsBucket::week, zone, 400)[0].label ==
        "2025-W01");
  const std::vector<MetricsFigures> months =
      metrics_buckets(at("2028-01-01T00:00:00+07:00"), at("2028-04-01T00:00:00+07:00"), MetricsBucket::month, zone, 400);
  REQUIRE(months.size() == 3);
  CHECK(months[1].label == "2028-02");
  CHECK(months[1].end_utc - months[1].start_utc == 29 * seconds_per_day);
  // 401 days is over the limit: no buckets (the command answers too_many_buckets).
  CHECK(metrics_buckets(at("2028-01-01T00:00:00+07:00"), at("2028-01-01T00:00:00+07:00") + 401 * seconds_per_day, MetricsBucket::day,
                        zone, 400)
            .empty());
  CHECK(metrics_buckets(at("2028-01-01T00:00:00+07:00"), at("2028-01-01T00:00:00+07:00") + 400 * seconds_per_day, MetricsBucket::day,
                        zone, 400)
            .size() == 400);
}

TEST_CASE("metrics: an empty store") {
  Store store;
  const Metrics metrics = store_metrics(store, at("2026-01-01T00:00:00+07:00"), at("2026-01-03T00:00:00+07:00"), MetricsBucket::day);
  REQUIRE(metrics.code == ResultCode::ok);
  CHECK(metrics.zone.name == "Asia/Ho_Chi_Minh");
  REQUIRE(metrics.series.size() == 2);
  CHECK(metrics.total.members_total == 0);
  CHECK(metrics.total.orders == 0);
  CHECK(metrics.total.points_outstanding == 0);
  CHECK_FALSE(metrics.total.repeat_purchase_rate_bp.has_value());
  CHECK_FALSE(metrics.total.redemption_rate_bp.has_value());
  CHECK(metrics.members_by_tier == std::vector<std::int64_t>{0});
}

TEST_CASE("metrics: members, orders at the edges of local days, refunds across the period's end, points") {
  StoreFixture fixture;   // program of 01/01/2026, members joined 02/01/2026 (UTC)
  fixture.add_member("A", "0912000001", "An");
  fixture.add_member("B", "0912000002", "Bình", "A");
  // 28/02 23:59:59 local and 01/03 00:00:00 local.
  REQUIRE(fixture.order("O1", "A", 1'000'000, OrderStatus::completed, "2026-02-28T16:59:59Z").ok());   // 10 points
  REQUIRE(fixture.order("O2", "A", 2'000'000, OrderStatus::completed, "2026-02-28T17:00:00Z").ok());   // 20 points
  REQUIRE(fixture.order("O3", "B", 3'000'000, OrderStatus::completed, "2026-03-01T03:00:00Z").ok());   // 30, A 15
  // O1 refunded by half on 02/03 local: 500,000 VND back, 5 points.
  REQUIRE(fixture.refund("O1", "r1", 500'000, "2026-03-02T03:00:00Z").ok());
  // A spends 30 of the 40 points... 10 + 20 + 15 - 5 = 40 on 03/03.
  REQUIRE(redeem(fixture, "D1", "A", 30, "2026-03-03T03:00:00Z").ok());
  const std::string before = StoreSnapshot::write(fixture.store);

  const Metrics metrics = store_metrics(fixture.store, at("2026-02-28T00:00:00+07:00"), at("2026-03-04T00:00:00+07:00"), MetricsBucket::day);
  REQUIRE(metrics.code == ResultCode::ok);
  REQUIRE(metrics.series.size() == 4);
  const MetricsFigures& feb28 = metrics.series[0];
  const MetricsFigures& mar01 = metrics.series[1];
  const MetricsFigures& mar02 = metrics.series[2];
  const MetricsFigures& mar03 = metrics.series[3];
  CHECK(feb28.orders == 1);
  CHECK(feb28.revenue_vnd == 1'000'000);
  CHECK(feb28.points_issued == 10);
  CHECK(feb28.points_outstanding == 10);
  CHECK(feb28.members_total == 2);
  CHECK(feb28.members_new == 0);   // they joined in January
  CHECK(mar01.orders == 2);
  CHECK(mar01.buyers == 2);
  CHECK(mar01.repeat_buyers == 1);   // A had ordered the day before; B's first order
  CHECK(*mar01.repeat_purchase_rate_bp == 5000);
  CHECK(mar01.revenue_vnd == 5'000'000);
  CHECK(mar01.points_issued == 65);   // 20 + 30 + 15
  CHECK(mar01.points_outstanding == 75);
  CHECK(mar02.orders == 0);
  CHECK(mar02.refunds_vnd == 500'000);
  CHECK(mar02.revenue_vnd == -500'000);
  CHECK(mar02.points_reversed == 5);
  CHECK(mar02.points_outstanding == 70);
  CHECK(mar03.points_redeemed == 30);
  CHECK(mar03.points_outstanding == 40);
  CHECK(mar03.points_outstanding_value_vnd == 40'000);
  CHECK(mar03.active_members_30d == 2);
  CHECK(metrics.total.orders == 3);
  CHECK(metrics.total.buyers == 2);
  CHECK(metrics.total.repeat_buyers == 1);   // A: two orders in the period
  CHECK(metrics.total.revenue_vnd == 5'500'000);
  CHECK(metrics.total.points_issued == 75);
  CHECK(metrics.total.points_redeemed == 30);
  CHECK(*metrics.total.redemption_rate_bp == 4000);   // 30 / 75
  CHECK(metrics.total.points_outstanding == 40);
  CHECK(metrics.total.points_outstanding == fixture.store.liability(fixture.store.clock_utc()).outstanding_points);
  CHECK(metrics.members_by_tier == std::vector<std::int64_t>{2, 0, 0, 0});   // A 25 + 100, B 150 tier points: Bạc

  SUBCASE("a month that ends before the refund: revenue in full, the refund in the next month") {
    const Metrics february = store_metrics(fixture.store, at("2026-02-01T00:00:00+07:00"), at("2026-03-01T00:00:00+07:00"), MetricsBucket::month);
    REQUIRE(february.series.size() == 1);
    CHECK(february.series[0].revenue_vnd == 1'000'000);
    CHECK(february.series[0].refunds_vnd == 0);
    CHECK(february.series[0].points_outstanding == 10);
    const Metrics march = store_metrics(fixture.store, at("2026-03-01T00:00:00+07:00"), at("2026-04-01T00:00:00+07:00"), MetricsBucket::month);
    CHECK(march.total.revenue_vnd == 4'500'000);
    CHECK(march.total.refunds_vnd == 500'000);
    // Buyers in March: A (who had ordered in February) and B: both... B's only order: not a repeat.
    CHECK(march.total.repeat_buyers == 1);
  }
  SUBCASE("active members: an order exactly 30 days before the end counts, a second earlier does not") {
    // O2 completed 01/03 00:00 local: a period ending 31/03 00:00 local is 30 days later.
    const Metrics edge = store_metrics(fixture.store, at("2026-03-30T00:00:00+07:00"), at("2026-03-31T00:00:00+07:00"), MetricsBucket::day);
    CHECK(edge.total.active_members_30d == 2);   // A (O2) and B (O3, later that day)
    const Metrics after = store_metrics(fixture.store, at("2026-03-30T00:00:00+07:00"), at("2026-03-31T00:00:01+07:00"), MetricsBucket::day);
    CHECK(after.total.active_members_30d == 1);   // O2 is now 30 days and 1 second back: only B
    CHECK(after.total.active_members_90d == 2);
    const Metrics late = store_metrics(fixture.store, at("2026-06-01T00:00:00+07:00"), at("2026-06-02T00:00:00+07:00"), MetricsBucket::day);
    CHECK(late.total.active_members_30d == 0);
    CHECK(late.total.active_members_90d == 0);   // 01/03 + 90 days = 30/05
  }
  CHECK(StoreSnapshot::write(fixture.store) == before);
}

TEST_CASE("metrics: expired points in the bucket they expired in; new members by the day they joined") {
  ProgramConfig config = seed_program();
  config.expiry.rule = ExpiryRule::months_after;
  config.expiry.months = 1;
  Store store;
  Changes changes;
  REQUIRE(store.save_program(config, at("2026-01-01T00:00:00Z"), "owner", changes).ok());
  NewMember member;
  member.member_id = "A";
  member.phone = "0912000001";
  member.name = "An";
  REQUIRE(store.create_member(member, at("2026-01-05T03:00:00Z"), changes).ok());
  OrderEvent order;
  order.order_id = "O1";
  order.member_id = "A";
  order.amounts.amount_vnd = 1'000'000;
  REQUIRE(store.record_order(order, at("2026-01-10T03:00:00Z"), changes).ok());   // 10 points, expire 10/02 10:00 local
  REQUIRE(store.process_due(at("2026-03-01T00:00:00Z"), changes).ok());
  const Metrics metrics = store_metrics(store, at("2026-01-01T00:00:00+07:00"), at("2026-03-01T00:00:00+07:00"), MetricsBucket::month);
  REQUIRE(metrics.series.size() == 2);
  CHECK(metrics.series[0].members_new == 1);
  CHECK(metrics.series[0].points_issued == 10);
  CHECK(metrics.series[0].points_expired == 0);
  CHECK(metrics.series[1].members_new == 0);
  CHECK(metrics.series[1].members_total == 1);
  CHECK(metrics.series[1].points_expired == 10);
  CHECK(metrics.series[1].points_outstanding == 0);
  CHECK(metrics.series[1].points_expired_value_vnd == 10'000);
}

TEST_CASE("metrics: sums past int64 are refused, not wrapped") {
  // No points and no tier point limit in the way: an earning rate of 0 and a big VND per tier point.
  ProgramConfig config = seed_program();
  config.wallet.buyer_earn_rate_bp = 0;
  config.wallet.referrer_earn_rate_bp = 0;
  config.tier_points.vnd_per_tier_point = 1'000'000'000;
  Store store;
  Changes changes;
  REQUIRE(store.save_program(config, at("2026-01-01T00:00:00Z"), "owner", changes).ok());
  NewMember member;
  member.member_id = "A";
  member.phone = "0912000001";
  member.name = "An";
  REQUIRE(store.create_member(member, at("2026-01-02T00:00:00Z"), changes).ok());
  // 9,000 orders of 10^15 VND: 9 x 10^18, which fits int64 (at most 9.22 x 10^18).
  auto add_orders = [&](int first, int count) {
    for (int i = first; i < first + count; ++i) {
      OrderEvent order;
      order.order_id = "O" + std::to_string(i);
      order.member_id = "A";
      order.amounts.amount_vnd = amount_vnd_max;
      REQUIRE(store.record_order(order, at("2026-01-03T00:00:00Z"), changes).ok());
    }
  };
  add_orders(0, 9000);
  const UtcSeconds from = at("2026-01-01T00:00:00+07:00");
  const UtcSeconds to = at("2026-02-01T00:00:00+07:00");
  const Metrics fits = store_metrics(store, from, to, MetricsBucket::month);
  REQUIRE(fits.code == ResultCode::ok);
  CHECK(fits.total.revenue_vnd == 9'000'000'000'000'000'000);
  add_orders(9000, 300);   // 9.3 x 10^18
  CHECK(store_metrics(store, from, to, MetricsBucket::month).code == ResultCode::amount_too_large);
  CommandRunner runner(std::move(store));
  const CommandOutput refused = runner.run_read(Json{{"command", "metrics"}, {"from", "2026-01-01T00:00:00+07:00"},
                                                     {"to", "2026-02-01T00:00:00+07:00"}, {"bucket", "month"}}, 1);
  CHECK(refused.result["result"] == "amount_too_large");
}

TEST_CASE("metrics command: fields, defaults and limits") {
  CommandRunner runner;
  REQUIRE(runner.run_line(R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0}]}})", 1)
              .result["result"] == "ok");
  const std::string before = StoreSnapshot::write(runner.store());
  const CommandOutput by_default = runner.run_read(Json::parse(R"({"command":"metrics","from":"2025-12-31T00:00:00Z"})"), 2);
  REQUIRE(by_default.result["result"] == "ok");
  CHECK(by_default.result["data"]["bucket"] == "day");
  CHECK(by_default.result["data"]["to"] == "2026-01-01T00:00:00Z");   // the store's clock
  CHECK(by_default.result["data"]["series"].size() == 2);   // 31/12 07:00 local to 01/01 07:00 local
  // No program was in force before its first second: no tiers yet.
  CHECK(by_default.result["data"]["total"]["members_by_tier"] == Json::parse(R"([{"tier":"none","members":0}])"));
  CHECK(runner.run_line(R"({"command":"metrics","from":"2025-01-01T00:00:00Z","to":"2026-02-06T00:00:00Z"})", 3).result["result"] ==
        "too_many_buckets");
  CHECK(runner.run_line(R"({"command":"metrics","from":"2025-01-01T00:00:00Z","to":"2026-02-06T00:00:00Z","bucket":"week"})", 4)
            .result["result"] == "ok");
  const CommandOutput bad = runner.run_line(R"({"command":"metrics","from":"x","bucket":"year","extra":1})", 5);
  CHECK(bad.result["result"] == "invalid_field");
  CHECK(bad.result["errors"].size() == 3);
  CHECK(StoreSnapshot::write(runner.store()) == before);
  CHECK(runner.clock_utc() == at("2026-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace loyalty
