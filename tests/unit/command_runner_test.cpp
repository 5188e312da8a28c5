// The JSON command interface every host uses: results, errors naming lines and fields,
// and rebuilding a store by running its journal again.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/commands/command_runner.hpp"
#include "core/snapshot/store_snapshot.hpp"

using namespace loyalty;

namespace {
const char* program_line =
    R"({"command":"save_program","time":"2026-01-01T00:00:00Z","actor":"owner","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100,"referrer_earn_rate_bp":50},"tier_points":{"vnd_per_tier_point":20000,"window_months":12},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0},{"id":"vang","name":"Vàng","tier_points_needed":500}]}})";

struct Run {
  CommandRunner runner;
  std::vector<std::string> journal;
  std::size_t line_number = 0;
  // Like a host: persist the due work first, then the command when accepted.
  CommandOutput apply_output(const std::string& line) {
    CommandOutput output = runner.run_line(line, ++line_number);
    if (!output.journal_before.empty()) journal.push_back(output.journal_before);
    if (output.journal) journal.push_back(line);
    return output;
  }
  Json apply(const std::string& line) { return apply_output(line).result; }
};
}  // namespace

TEST_CASE("commands answer with result code, bilingual message and what changed") {
  Run run;
  CHECK(run.apply(program_line)["result"] == "ok");
  const Json member = run.apply(R"({"command":"create_member","time":"2026-01-02T00:00:00Z","phone":"0912345678","name":"Nguyễn Văn An"})");
  CHECK(member["result"] == "ok");
  CHECK(member["member_id"] == "M0000001");
  const Json order = run.apply(
      R"({"command":"order","time":"2026-02-01T00:00:00Z","order_id":"A1","member_id":"M0000001","status":"completed","amount_vnd":1000000})");
  CHECK(order["result"] == "ok");
  CHECK(order["message"]["vi"] == "Thành công.");
  CHECK(order["balances"]["M0000001"]["points"] == 10);
  CHECK(order["transactions"].size() == 2);
  CHECK(order["transactions"][0]["idempotency_key"] == "order:A1:completed");
  CHECK(order["transactions"][0]["postings"][0]["account"] == "pool");
  const Json again = run.apply(
      R"({"command":"order","time":"2026-02-01T00:00:00Z","order_id":"A1","member_id":"M0000001","status":"completed","amount_vnd":1000000})");
  CHECK(again["result"] == "already_applied");
  CHECK(run.journal.size() == 3);  // the duplicate is not journaled
}

TEST_CASE("malformed lines get an error naming the line and the field; the run goes on") {
  Run run;
  run.apply(program_line);
  const Json broken = run.apply("{\"command\": \"order\", ");
  CHECK(broken["result"] == "malformed_json");
  CHECK(broken["line"] == 2);
  const Json unknown = run.apply(R"({"command":"teleport","time":"2026-01-01T00:00:00Z"})");
  CHECK(unknown["result"] == "unknown_command");
  const Json missing = run.apply(R"({"command":"order","order_id":"A1","status":"completed"})");
  CHECK(missing["result"] == "invalid_field");
  std::vector<std::string> fields;
  for (const Json& error : missing["errors"]) fields.push_back(error["field"]);
  CHECK(fields == std::vector<std::string>{"time", "member_id", "amount_vnd"});
  const Json typo = run.apply(R"({"command":"review_tiers","time":"2026-01-01T00:00:00Z","tme":"x"})");
  CHECK(typo["errors"][0]["field"] == "tme");
  const Json bad_time = run.apply(R"({"command":"review_tiers","time":"24/11/2026"})");
  CHECK(bad_time["errors"][0]["field"] == "time");
  CHECK(run.apply(R"({"command":"audit"})")["data"]["invariants_hold"] == true);
  CHECK(run.journal.size() == 1);
}

TEST_CASE("an invalid program reports every error with its path and saves nothing") {
  Run run;
  const Json result = run.apply(
      R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":{"wallet":{"point_value_vnd":0,"buyer_earn_rate_bp":100},"tiers":[{"id":"a","name":"A","tier_points_needed":0},{"id":"b","name":"B","tier_points_needed":0},{"id":"c","name":"C","tier_points_needed":-1}]}})");
  CHECK(result["result"] == "program_invalid");
  std::vector<std::string> fields;
  for (const Json& error : result["errors"]) fields.push_back(error["field"]);
  CHECK(fields == std::vector<std::string>{"wallet.point_value_vnd", "tiers[1].tier_points_needed", "tiers[2].tier_points_needed"});
  CHECK(run.apply(R"({"command":"get_program"})")["result"] == "program_not_set");
}

TEST_CASE("reads: profile, search, history, preview of a draft, plain-language rules") {
  Run run;
  run.apply(program_line);
  run.apply(R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"an","phone":"0912345678","name":"Nguyễn Văn An"})");
  run.apply(R"({"command":"order","time":"2026-02-01T00:00:00Z","order_id":"A1","member_id":"an","status":"completed","amount_vnd":10000000})");
  const Json profile = run.apply(R"({"command":"get_member","member_id":"an","time":"2026-03-01T00:00:00Z"})");
  CHECK(profile["data"]["tier"]["tier"]["id"] == "vang");
  CHECK(profile["data"]["tier"]["upcoming_drops"][0]["at"] == "2027-02-01T00:00:00Z");
  CHECK(run.apply(R"({"command":"search_members","query":"nguyen van an"})")["data"]["members"][0]["member_id"] == "an");
  CHECK(run.apply(R"({"command":"ledger_history","member_id":"an"})")["data"]["transactions"].size() == 2);
  const Json preview = run.apply(
      R"({"command":"preview","amount_vnd":1000000,"program":{"wallet":{"point_value_vnd":1,"buyer_earn_rate_bp":100}}})");
  CHECK(preview["data"]["buyer"]["points"] == 10000);
  CHECK(preview["data"]["buyer"]["formula"]["vi"] == "1.000.000 ₫ × 1 % ÷ 1 ₫/điểm = 10.000 → 10.000 điểm (làm tròn xuống)");
  const Json rules = run.apply(R"({"command":"rules_text"})");
  CHECK(rules["data"]["vi"].get<std::string>().find("đơn hàng 1.000.000 ₫ được tích 10 điểm") != std::string::npos);
  CHECK(rules["data"]["en"].get<std::string>().find("an order of 1,000,000 VND earns 10 points") != std::string::npos);
  CHECK(run.apply(R"({"command":"get_member","member_id":"nobody"})")["result"] == "member_not_found");
}

TEST_CASE("running the journal again rebuilds exactly the same store") {
  Run original;
  original.apply(program_line);
  for (int i = 0; i < 40; ++i) {
    const std::string member = std::to_string(i);
    const std::string referrer = i > 0 ? R"(,"referrer_id":")" + std::to_string(i / 2) + "\"" : "";
    original.apply(R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":")" + member +
                   R"(","phone":"09120000)" + (i < 10 ? "0" : "") + member + R"(","name":"Thành viên )" + member + "\"" + referrer + "}");
  }
  for (int i = 0; i < 400; ++i) {
    const std::string order = "o" + std::to_string(i);
    const std::string member = std::to_string(i % 40);
    const std::string amount = std::to_string(100'000 + i * 7'919);
    original.apply(R"({"command":"order","time":"2026-02-01T00:00:00Z","order_id":")" + order + R"(","member_id":")" + member +
                   R"(","status":"completed","amount_vnd":)" + amount + "}");
    if (i % 7 == 0) {
      original.apply(R"({"command":"refund","time":"2026-02-03T00:00:00Z","order_id":")" + order + R"(","refund_id":"r","amount_vnd":50000})");
    }
  }
  Run replayed;
  for (const std::string& line : original.journal) replayed.apply(line);
  CHECK(replayed.journal.size() == original.journal.size());
  const Ledger& a = original.runner.store().ledger();
  const Ledger& b = replayed.runner.store().ledger();
  REQUIRE(a.transactions().size() == b.transactions().size());
  REQUIRE(a.postings().size() == b.postings().size());
  for (std::size_t i = 0; i < a.postings().size(); ++i) {
    CHECK(a.postings()[i].account == b.postings()[i].account);
    CHECK(a.postings()[i].amount == b.postings()[i].amount);
  }
  for (MemberIndex member = 0; member < original.runner.store().members().size(); ++member) {
    CHECK(a.balance(member, MemberAccount::points) == b.balance(member, MemberAccount::points));
  }
  CHECK(original.runner.store().check_invariants() == "");
}

TEST_CASE("the life of a point through JSON: pending, due work journaled first, holds, transfers, expiry, liability") {
  Run run;
  const std::string program = R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100,"referrer_earn_rate_bp":50},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0}],"pending":{"days":7},"expiry":{"rule":"months_after","months":12},"transfers":{"enabled":true}}})";
  REQUIRE(run.apply(program)["result"] == "ok");
  run.apply(R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"an","phone":"0912345678","name":"Nguyễn Văn An"})");
  run.apply(R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"binh","phone":"0987654321","name":"Trần Thị Bình","referrer_id":"an"})");
  const Json order = run.apply(R"({"command":"order","time":"2026-02-01T10:00:00Z","order_id":"A1","member_id":"binh","status":"completed","amount_vnd":10000000})");
  CHECK(order["balances"]["binh"]["pending"] == 100);
  CHECK(run.apply(R"({"command":"redeem_points","time":"2026-02-02T00:00:00Z","redemption_id":"R1","member_id":"binh","points":10,"reason":"Voucher"})")["result"] ==
        "insufficient_points");
  // A week later, the release happens first (reported under "due"). The redemption is
  // journaled with its time, and replaying it moves the clock the same way: no extra line.
  std::size_t journal_before = run.journal.size();
  CommandOutput output = run.apply_output(
      R"({"command":"redeem_points","time":"2026-02-09T00:00:00Z","redemption_id":"R1","member_id":"binh","points":10,"reason":"Voucher"})");
  CHECK(output.result["result"] == "ok");
  CHECK(output.journal);
  CHECK(output.journal_before.empty());
  CHECK(output.result["due"]["events"][0]["kind"] == "points_available");
  CHECK(output.result["balances"]["binh"]["points"] == 90);
  CHECK(run.journal.size() == journal_before + 1);
  // A refused command that moves the clock journals the clock's move alone.
  journal_before = run.journal.size();
  output = run.apply_output(
      R"({"command":"redeem_points","time":"2026-02-09T06:00:00Z","redemption_id":"R9","member_id":"binh","points":100000,"reason":"Voucher"})");
  CHECK(output.result["result"] == "insufficient_points");
  CHECK(!output.journal);
  CHECK(output.journal_before == R"({"command":"process_due","time":"2026-02-09T06:00:00Z"})");
  CHECK(run.journal.size() == journal_before + 1);
  const Json hold = run.apply(R"({"command":"hold_points","time":"2026-02-10T00:00:00Z","hold_id":"H1","member_id":"binh","points":40,"order_amount_vnd":200000})");
  CHECK(hold["result"] == "ok");
  CHECK(hold["hold"]["expires_at"] == "2026-02-10T00:15:00Z");
  const Json paid = run.apply(R"({"command":"order","time":"2026-02-10T00:05:00Z","order_id":"A2","member_id":"binh","status":"completed","amount_vnd":200000,"points_hold_id":"H1"})");
  CHECK(paid["result"] == "ok");
  CHECK(paid["balances"]["binh"]["held"] == 0);
  CHECK(paid["balances"]["binh"]["pending"] == 1);   // 160,000 VND paid in money earns 1 point
  const Json transfer = run.apply(R"({"command":"transfer_points","time":"2026-02-11T00:00:00Z","transfer_id":"T1","from_member_id":"binh","to_member_id":"an","points":20})");
  CHECK(transfer["result"] == "ok");
  CHECK(transfer["events"][0]["to_member_id"] == "an");
  const Json liability = run.apply(R"({"command":"liability","time":"2026-03-01T00:00:00Z"})");
  // binh: 100 - 10 redeemed - 40 paid - 20 sent + 1 pending; an: 50 as referrer + 20 received.
  CHECK(liability["data"]["outstanding_points"] == 101);
  const Json profile = run.apply(R"({"command":"get_member","member_id":"binh","time":"2026-03-01T00:00:00Z"})");
  CHECK(profile["data"]["points_by_expiry_month"][0]["month"] == "2027-02");
  CHECK(profile["data"]["statement"]["spent"] == 50);
  // Time passes first (A2's pending point becomes available on 17/02): a read alone does
  // not make anything fall due, and pending points are not listed as expiring.
  REQUIRE(run.apply(R"({"command":"process_due","time":"2027-01-20T00:00:00Z"})")["result"] == "ok");
  const Json expiring = run.apply(R"({"command":"expiring_points","time":"2027-01-20T00:00:00Z","within_days":30})");
  // Both first expire with A1's lots on 2027-02-01T10:00Z (an's 20 received carry that
  // expiry); the same moment sorts by most points: an's 50 + 20, then binh's 30 + A2's 1.
  REQUIRE(expiring["data"]["members"].size() == 2);
  CHECK(expiring["data"]["members"][0]["member_id"] == "an");
  CHECK(expiring["data"]["members"][0]["points"] == 70);
  CHECK(expiring["data"]["members"][0]["first_expiry"] == "2027-02-01T10:00:00Z");
  CHECK(expiring["data"]["members"][1]["member_id"] == "binh");
  CHECK(expiring["data"]["members"][1]["points"] == 31);
  const Json expired = run.apply(R"({"command":"process_due","time":"2027-03-01T00:00:00Z"})");
  CHECK(expired["result"] == "ok");
  // Everything outstanding has expired: the 101 of the liability above.
  CHECK(run.runner.store().ledger().balance(SystemAccount::expired) == 101);
  CHECK(run.apply(R"({"command":"audit"})")["data"]["invariants_hold"] == true);
  // Replaying the journal gives the same store.
  Run replayed;
  for (const std::string& line : run.journal) REQUIRE(replayed.apply(line)["result"] == "ok");
  CHECK(replayed.runner.store().ledger().transactions().size() == run.runner.store().ledger().transactions().size());
  CHECK(replayed.runner.store().ledger().balance(SystemAccount::expired) == run.runner.store().ledger().balance(SystemAccount::expired));
}

TEST_CASE("a command name that is not a string is a field error, not a crash") {
  Run run;
  CHECK(run.apply(R"({"command":42})")["result"] == "invalid_field");
  CHECK(run.apply(R"({"command":null,"time":"2026-01-01T00:00:00Z"})")["errors"][0]["field"] == "command");
  CHECK(run.apply(R"(["command"])")["result"] == "invalid_field");
}

TEST_CASE("due work that changes nothing is not journaled, so the journal always replays") {
  Run run;
  run.apply(R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"expiry":{"rule":"months_after","months":1}}})");
  run.apply(R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"a","phone":"0912345678","name":"A"})");
  run.apply(R"({"command":"order","time":"2026-01-06T00:00:00Z","order_id":"o1","member_id":"a","status":"completed","amount_vnd":1000000})");
  run.apply(R"({"command":"adjust_points","time":"2026-01-07T00:00:00Z","member_id":"a","points":-10,"reason":"Sửa","actor":"s","idempotency_key":"k1"})");
  const std::size_t journal_size = run.journal.size();
  // The lot's expiry falls due, but the lot is empty: nothing happens, nothing is journaled.
  const CommandOutput read = run.apply_output(R"({"command":"get_member","time":"2026-03-01T02:00:00Z","member_id":"a"})");
  CHECK(read.journal_before.empty());
  CHECK_FALSE(read.result.contains("due"));
  CHECK(run.journal.size() == journal_size);
  Run replayed;
  for (const std::string& line : run.journal) CHECK(replayed.apply(line)["result"] == "ok");
}

TEST_CASE("a staff release of pending points shows the staff member's reason in the ledger") {
  Run run;
  run.apply(R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"pending":{"days":7}}})");
  run.apply(R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"a","phone":"0912345678","name":"A"})");
  run.apply(R"({"command":"order","time":"2026-01-06T00:00:00Z","order_id":"o1","member_id":"a","status":"completed","amount_vnd":1000000})");
  const Json released = run.apply(
      R"({"command":"release_pending","time":"2026-01-07T00:00:00Z","order_id":"o1","reason":"Khách đã nhận hàng","actor":"staff-1"})");
  REQUIRE(released["result"] == "ok");
  CHECK(released["transactions"][0]["reason"]["vi"] == "Nhân viên cho dùng điểm đang chờ: Khách đã nhận hàng");
  CHECK(released["transactions"][0]["actor"] == "staff-1");
}

TEST_CASE("a refused command leaves no trace: the store rebuilt from the journal has the same snapshot bytes as the live one") {
  Run run;
  REQUIRE(run.apply(program_line)["result"] == "ok");
  REQUIRE(run.apply(R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"an","phone":"0912345678","name":"An"})")["result"] == "ok");
  REQUIRE(run.apply(R"({"command":"order","time":"2026-01-03T00:00:00Z","order_id":"A1","member_id":"an","status":"completed","amount_vnd":1000000,"actor":"pos-1"})")["result"] == "ok");
  REQUIRE(run.apply(R"({"command":"order","time":"2026-01-03T01:00:00Z","order_id":"A2","member_id":"an","status":"completed","amount_vnd":1000000,"actor":"pos-2"})")["result"] == "ok");
  // Refused with an actor the store has never seen (an unknown hold; a refund of an order
  // never completed), and with a known actor other than the last one: none is journaled.
  CHECK(run.apply(R"({"command":"order","time":"2026-01-04T00:00:00Z","order_id":"A3","member_id":"an","status":"completed","amount_vnd":1000000,"points_hold_id":"none","actor":"pos-moi"})")["result"] == "hold_not_found");
  CHECK(run.apply(R"({"command":"order","time":"2026-01-04T00:00:01Z","order_id":"A4","member_id":"an","status":"refunded","amount_vnd":1000000,"actor":"pos-khac"})")["result"] == "order_not_completed");
  CHECK(run.apply(R"({"command":"order","time":"2026-01-04T00:00:02Z","order_id":"A1","member_id":"an","status":"completed","amount_vnd":2000000,"actor":"pos-1"})")["result"] == "order_amount_mismatch");
  CHECK(run.apply(R"({"command":"refund","time":"2026-01-04T00:00:03Z","order_id":"A1","refund_id":"r1","amount_vnd":9000000,"actor":"pos-hoan"})")["result"] == "refund_exceeds_order");
  const std::string live = StoreSnapshot::write(run.runner.store());
  CommandRunner replayed;
  for (std::size_t j = 0; j < run.journal.size(); ++j) REQUIRE(replayed.replay_line(run.journal[j], j + 1).journal);
  CHECK(StoreSnapshot::write(replayed.store()) == live);
  // And an accepted command after them records its actor as a replay does.
  REQUIRE(run.apply(R"({"command":"order","time":"2026-01-05T00:00:00Z","order_id":"A5","member_id":"an","status":"completed","amount_vnd":500000,"actor":"pos-moi"})")["result"] == "ok");
  REQUIRE(replayed.replay_line(run.journal.back(), run.journal.size()).journal);
  CHECK(StoreSnapshot::write(replayed.store()) == StoreSnapshot::write(run.runner.store()));
}
