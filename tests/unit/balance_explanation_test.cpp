// "Why this balance?" (explain_balance): every point a member holds, lot by lot, through the
// command runner as hosts run it. Numbers are worked out by hand from the program below:
// 1 point = 1,000 VND, the buyer earns 1 %, the referrer 0.5 %, lots expire 12 months after
// they are earned, transfers allowed.
#include <doctest/doctest.h>

#include <string>

#include "core/commands/command_runner.hpp"

using namespace loyalty;

namespace {

constexpr const char* program_line =
    R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100,"referrer_earn_rate_bp":50},)"
    R"("tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0}],"expiry":{"rule":"months_after","months":12},"transfers":{"enabled":true}}})";

struct Explained {
  CommandRunner runner;
  Json run(const std::string& line) {
    const CommandOutput output = runner.run_line(line, 1);
    return output.result;
  }
  void write(const std::string& line) {
    const Json result = run(line);
    INFO(line);
    INFO(result.dump());
    REQUIRE(result["result"] == "ok");
  }
  Json explain(const char* member_id) {
    const Json result = run(std::string(R"({"command":"explain_balance","member_id":")") + member_id + R"("})");
    REQUIRE(result["result"] == "ok");
    return result["data"];
  }
  Explained() {
    write(program_line);
    write(R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"an","phone":"0912345678","name":"Nguyễn Văn An"})");
    write(R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"binh","phone":"0987654321","name":"Trần Thị Bình","referrer_id":"an"})");
  }
};

// Each lot adds up: what it earned, less what was used, plus what came back, less what was
// taken back, is what it holds; and the lots hold exactly the member's balances.
void check_lots_add_up(const Json& data) {
  std::int64_t spendable = 0;
  std::int64_t pending = 0;
  for (const Json& lot : data["lots"]) {
    std::int64_t used = 0;
    for (const Json& portion : lot["used"]) used += portion["points"].get<std::int64_t>();
    CHECK(lot["points_earned"].get<std::int64_t>() - used + lot["points_given_back"].get<std::int64_t>() -
              lot["points_taken_back"].get<std::int64_t>() ==
          lot["points_remaining"].get<std::int64_t>());
    CHECK(lot["points_remaining"].get<std::int64_t>() > 0);
    (lot["pending"].get<bool>() ? pending : spendable) += lot["points_remaining"].get<std::int64_t>();
  }
  CHECK(spendable == data["points"]);
  CHECK(pending == data["pending"]);
  CHECK(data["lots_points"] == data["points"]);
  CHECK(data["lots_pending"] == data["pending"]);
}

}  // namespace

TEST_CASE("explain_balance: lots soonest expiry first, each with the order or action that gave it and what spent it") {
  Explained store;
  store.write(R"({"command":"order","time":"2026-02-01T10:00:00Z","order_id":"A1","member_id":"binh","status":"completed","amount_vnd":1000000})");
  store.write(R"({"command":"order","time":"2026-05-01T10:00:00Z","order_id":"A2","member_id":"binh","status":"completed","amount_vnd":2000000})");
  store.write(R"({"command":"adjust_points","time":"2026-06-01T00:00:00Z","member_id":"binh","points":40,"reason":"Quà tặng","actor":"ho-tro","idempotency_key":"Q1"})");
  // 15 points: A1's 10 (expires first), then 5 of A2's 20.
  store.write(R"({"command":"redeem_points","time":"2026-06-02T00:00:00Z","redemption_id":"R1","member_id":"binh","points":15,"reason":"Voucher 15.000 ₫","actor":"quay-1"})");

  const Json binh = store.explain("binh");
  CHECK(binh["points"] == 55);   // 10 + 20 + 40 - 15
  REQUIRE(binh["lots"].size() == 2);   // A1's lot is empty: it holds nothing to explain
  const Json& a2 = binh["lots"][0];
  CHECK(a2["source"] == Json{{"kind", "order"}, {"order_id", "A2"}});
  CHECK(a2["points_earned"] == 20);
  CHECK(a2["points_remaining"] == 15);
  REQUIRE(a2["used"].size() == 1);
  CHECK(a2["used"][0]["kind"] == "points_redeemed");
  CHECK(a2["used"][0]["points"] == 5);
  CHECK(a2["used"][0]["time"] == "2026-06-02T00:00:00Z");
  CHECK(a2["expires_at"] == "2027-05-01T10:00:00Z");
  CHECK(a2["pending"] == false);
  const Json& gift = binh["lots"][1];
  CHECK(gift["source"]["kind"] == "adjustment");
  CHECK(gift["source"]["actor"] == "ho-tro");
  CHECK(gift["source"]["reason"]["vi"] == "Quà tặng");
  CHECK(gift["points_remaining"] == 40);
  CHECK(gift["expires_at"] == "2027-06-01T00:00:00Z");
  check_lots_add_up(binh);

  // An's points are the referrer's share of Binh's orders: 0.5 % of each.
  const Json an = store.explain("an");
  CHECK(an["points"] == 15);
  REQUIRE(an["lots"].size() == 2);
  CHECK(an["lots"][0]["source"] == Json{{"kind", "referral"}, {"order_id", "A1"}, {"buyer_id", "binh"}});
  CHECK(an["lots"][0]["points_remaining"] == 5);
  CHECK(an["lots"][1]["source"]["order_id"] == "A2");
  CHECK(an["lots"][1]["points_remaining"] == 10);
  check_lots_add_up(an);

  // When A2's lot expires, what is left of it expires and the lot is no longer listed.
  store.write(R"({"command":"process_due","time":"2027-05-01T10:00:00Z"})");
  const Json later = store.explain("binh");
  CHECK(later["points"] == 40);
  REQUIRE(later["lots"].size() == 1);
  CHECK(later["lots"][0]["source"]["kind"] == "adjustment");
  check_lots_add_up(later);
}

TEST_CASE("explain_balance: pending lots last, transfers received, refunds taken back, and a debt") {
  Explained store;
  store.write(R"({"command":"order","time":"2026-02-01T10:00:00Z","order_id":"A1","member_id":"an","status":"completed","amount_vnd":5000000})");
  store.write(R"({"command":"transfer_points","time":"2026-02-02T10:00:00Z","transfer_id":"T1","from_member_id":"an","to_member_id":"binh","points":20,"actor":"an"})");
  // Half of A1 refunded: 25 of An's 50 points are taken back; 30 were left after the
  // transfer, so the lot gives them, recorded like any spend.
  store.write(R"({"command":"refund","time":"2026-02-03T10:00:00Z","order_id":"A1","refund_id":"F1","amount_vnd":2500000})");
  const Json an = store.explain("an");
  CHECK(an["points"] == 5);
  REQUIRE(an["lots"].size() == 1);
  CHECK(an["lots"][0]["points_earned"] == 50);
  CHECK(an["lots"][0]["used"][0]["kind"] == "points_transfer");
  CHECK(an["lots"][0]["used"][0]["points"] == 20);
  REQUIRE(an["lots"][0]["used"].size() == 2);
  CHECK(an["lots"][0]["used"][1]["kind"] == "order_reversal");
  CHECK(an["lots"][0]["used"][1]["points"] == 25);
  CHECK(an["lots"][0]["points_taken_back"] == 0);
  CHECK(an["lots"][0]["points_remaining"] == 5);
  check_lots_add_up(an);

  // Binh's transferred points keep the expiry of the lot they came from.
  const Json binh = store.explain("binh");
  REQUIRE(binh["lots"].size() == 1);
  CHECK(binh["lots"][0]["source"]["kind"] == "transfer");
  CHECK(binh["lots"][0]["points_remaining"] == 20);
  CHECK(binh["lots"][0]["expires_at"] == "2027-02-01T10:00:00Z");
  check_lots_add_up(binh);

  // The rest of A1 refunded: 25 more are taken back, beyond An's 5: the balance is -20 and
  // no lot holds anything.
  store.write(R"({"command":"refund","time":"2026-02-04T10:00:00Z","order_id":"A1","refund_id":"F2","amount_vnd":2500000})");
  const Json in_debt = store.explain("an");
  CHECK(in_debt["points"] == -20);
  CHECK(in_debt["lots"].empty());
  CHECK(in_debt["lots_points"] == 0);
  CHECK(in_debt["debt"] == 20);

  // A program with a 7-day return window: the new order's points are pending, listed last.
  std::string pending_program = program_line;
  pending_program.replace(pending_program.find("2026-01-01"), 10, "2026-03-01");
  pending_program.replace(pending_program.find(R"("transfers")"), 0, R"("pending":{"days":7},)");
  store.write(pending_program);
  store.write(R"({"command":"order","time":"2026-03-02T10:00:00Z","order_id":"B1","member_id":"binh","status":"completed","amount_vnd":3000000})");
  const Json waiting = store.explain("binh");
  CHECK(waiting["points"] == 20);
  CHECK(waiting["pending"] == 30);
  REQUIRE(waiting["lots"].size() == 2);
  CHECK(waiting["lots"][1]["pending"] == true);
  CHECK(waiting["lots"][1]["available_at"] == "2026-03-09T10:00:00Z");
  CHECK(waiting["lots"][1]["source"]["order_id"] == "B1");
  check_lots_add_up(waiting);
}

TEST_CASE("explain_balance: refusals, and a read that changes nothing") {
  Explained store;
  const Json unknown = store.run(R"({"command":"explain_balance","member_id":"nobody"})");
  CHECK(unknown["result"] == "member_not_found");
  const Json typo = store.run(R"({"command":"explain_balance","member_id":"an","lots":true})");
  CHECK(typo["result"] == "invalid_field");
  CHECK(typo["errors"][0]["field"] == "lots");
  const Json missing = store.run(R"({"command":"explain_balance"})");
  CHECK(missing["result"] == "invalid_field");
  // A read, even with a later time: not journaled, the clock does not move.
  const UtcSeconds clock = store.runner.clock_utc();
  const CommandOutput output = store.runner.run_line(R"({"command":"explain_balance","member_id":"an","time":"2030-01-01T00:00:00Z"})", 1);
  CHECK(output.result["result"] == "ok");
  CHECK_FALSE(output.journal);
  CHECK(output.journal_before.empty());
  CHECK(store.runner.clock_utc() == clock);
  CHECK(store.explain("an")["lots"].empty());
}
