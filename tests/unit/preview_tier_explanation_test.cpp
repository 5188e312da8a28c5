// The preview says why the member's tier stays or changes: the measure in its period, and
// retention or a manual tier when they, not the measure, hold the tier.
#include <doctest/doctest.h>

#include "core/commands/command_runner.hpp"
#include "store_fixture.hpp"

using namespace loyalty;

namespace {
struct Runner {
  CommandRunner runner;
  Json run(const std::string& line) { return runner.run_line(line, 1).result; }
  void setup(const ProgramConfig& config) {
    REQUIRE(run(R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":)" + program_config_to_json(config).dump() + "}")["result"] == "ok");
    REQUIRE(run(R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"B","phone":"0912000002","name":"Bình"})")["result"] == "ok");
  }
  Json preview(const std::string& time, Vnd amount_vnd) {
    Json result = run(R"({"command":"preview","time":")" + time + R"(","member_id":"B","amount_vnd":)" + std::to_string(amount_vnd) + "}");
    REQUIRE(result["result"] == "ok");
    return result["data"];
  }
};
}  // namespace

TEST_CASE("preview tier explanation: retention keeps Vàng until its safe-until date, then the measure places the member") {
  ProgramConfig config = loyalty::testing::seed_program(3);   // Vàng from 500 tier points, counted over 3 months
  config.tier_retention.keep_months = 6;
  Runner runner;
  runner.setup(config);
  // 10,000,000 VND = 500 tier points: Vàng from 01/02/2026 17:00 in Hà Nội; they leave the window on 01/05/2026.
  REQUIRE(runner.run(R"({"command":"order","time":"2026-02-01T10:00:00Z","order_id":"D1","member_id":"B","status":"completed","amount_vnd":10000000,"actor":"pos"})")["result"] == "ok");
  Json data = runner.preview("2026-06-15T03:00:00Z", 1'000'000);   // 50 tier points, Bạc's measure
  const Json& explanation = data["tier_explanation"];
  CHECK(data["tier_before"]["id"] == "vang");
  CHECK(data["tier_after"]["id"] == "vang");
  CHECK(explanation["measure"] == "tier_points");
  CHECK(explanation["period"] == "window");
  CHECK(explanation["window_months"] == 3);
  CHECK(explanation["measure_before"] == 0);
  CHECK(explanation["measure_after"] == 50);
  CHECK(explanation["qualified_tier_after"]["id"] == "bac");
  CHECK(explanation["held_by"] == "retention");
  CHECK(explanation["safe_until"] == "2026-08-01T10:00:00Z");   // 6 months after entering Vàng
  CHECK(explanation["vi"] == "Giữ hạng Vàng đến 01/08/2026 (50 điểm phân hạng trong 3 tháng gần nhất, hạng Vàng cần 500 điểm phân hạng).");
  CHECK(explanation["en"] == "Keeps Gold until 01/08/2026 (50 tier points in the last 3 months; Gold needs 500 tier points).");
  // One second before the safe-until moment still kept; at it, the measure places the member in Bạc.
  CHECK(runner.preview("2026-08-01T09:59:59Z", 1'000'000)["tier_explanation"]["held_by"] == "retention");
  data = runner.preview("2026-08-01T10:00:00Z", 1'000'000);
  CHECK(data["tier_after"]["id"] == "bac");
  CHECK(data["tier_explanation"]["held_by"] == "measure");
  CHECK_FALSE(data["tier_explanation"].contains("safe_until"));
  CHECK(data["tier_explanation"]["vi"] == "Ở hạng Bạc nhờ 50 điểm phân hạng trong 3 tháng gần nhất.");
}

TEST_CASE("preview tier explanation: a manual VIP tier is held until its end; past it, the member falls one tier per review") {
  ProgramConfig config = loyalty::testing::seed_program();
  Runner runner;
  runner.setup(config);
  REQUIRE(runner.run(R"({"command":"assign_tier","time":"2026-02-01T00:00:00Z","member_id":"B","tier_id":"bach_kim","ends_at":"2026-12-31T17:00:00Z","reason":"VIP","actor":"chu@demo.vn"})")["result"] == "ok");
  const Json data = runner.preview("2026-03-01T03:00:00Z", 1'000'000);
  const Json& explanation = data["tier_explanation"];
  CHECK(data["tier_before"]["id"] == "bach_kim");
  CHECK(data["tier_after"]["id"] == "bach_kim");
  CHECK(explanation["period"] == "lifetime");
  CHECK(explanation["measure_after"] == 50);
  CHECK(explanation["held_by"] == "manual");
  CHECK(explanation["manual_ends_at"] == "2026-12-31T17:00:00Z");
  CHECK(explanation["vi"] == "Hạng Bạch kim do cửa hàng gán đến 01/01/2027 (50 điểm phân hạng từ khi tham gia chỉ đạt: Bạc).");
  CHECK(explanation["en"] == "Platinum is assigned by the store until 01/01/2027 (50 tier points since joining only reaches: Silver).");
}

TEST_CASE("preview tier explanation: without retention months, a member falls at most one tier per review") {
  ProgramConfig config = loyalty::testing::seed_program(3);
  config.tier_retention.fall_at_most_one_tier = true;
  Runner runner;
  runner.setup(config);
  // 40,000,000 VND = 2,000 tier points: Bạch kim; out of the 3-month window from 01/05/2026, no review since.
  REQUIRE(runner.run(R"({"command":"order","time":"2026-02-01T10:00:00Z","order_id":"D1","member_id":"B","status":"completed","amount_vnd":40000000,"actor":"pos"})")["result"] == "ok");
  const Json data = runner.preview("2026-06-15T03:00:00Z", 1'000'000);
  CHECK(data["tier_after"]["id"] == "vang");
  CHECK(data["tier_explanation"]["qualified_tier_after"]["id"] == "bac");
  CHECK(data["tier_explanation"]["held_by"] == "one_step_fall");
  CHECK(data["tier_explanation"]["en"] == "Falls to Gold only: one tier down per review (50 tier points in the last 3 months only reaches: Silver).");
  // A review first: the member is in Vàng, and the order's evaluation takes them one more tier down.
  REQUIRE(runner.run(R"({"command":"review_tiers","time":"2026-06-15T03:00:00Z"})")["result"] == "ok");
  CHECK(runner.preview("2026-06-15T03:00:00Z", 1'000'000)["tier_after"]["id"] == "bac");
}

TEST_CASE("preview tier explanation: the order moves the member up by spend") {
  ProgramConfig config = loyalty::testing::seed_program();
  config.tier_points.qualify_by = TierMeasure::spend_vnd;
  config.tiers[1].tier_points_needed = 5'000'000;   // Vàng from 5,000,000 VND spent
  config.tiers[2].tier_points_needed = 20'000'000;
  Runner runner;
  runner.setup(config);
  REQUIRE(runner.run(R"({"command":"order","time":"2026-02-01T10:00:00Z","order_id":"D1","member_id":"B","status":"completed","amount_vnd":4000000,"actor":"pos"})")["result"] == "ok");
  const Json data = runner.preview("2026-02-05T03:00:00Z", 1'500'000);
  const Json& explanation = data["tier_explanation"];
  CHECK(data["tier_before"]["id"] == "bac");
  CHECK(data["tier_after"]["id"] == "vang");
  CHECK(explanation["measure"] == "spend_vnd");
  CHECK(explanation["measure_before"] == 4'000'000);
  CHECK(explanation["measure_after"] == 5'500'000);
  CHECK(explanation["held_by"] == "measure");
  CHECK(explanation["vi"] == "Lên hạng Vàng nhờ 5.500.000 ₫ chi tiêu từ khi tham gia (hạng Vàng cần 5.000.000 ₫ chi tiêu).");
  CHECK(explanation["en"] == "Reaches Gold by 5,500,000 VND spent since joining (Gold needs 5,000,000 VND spent).");
  CHECK(data["tier_points_to_next"] == 14'500'000);
}
