// Table-driven tests through the JSON commands:
// - the whole order status table of docs/commands.md ("Status changes"): every state an
//   order can be in, times every status an `order` command can send, with the result code,
//   the buyer's points afterwards and the state the order is left in;
// - every required field of every command: leaving it out is `invalid_field` naming it,
//   while the same command with all its fields is accepted.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/commands/command_runner.hpp"

using namespace loyalty;

namespace {

struct Run {
  CommandRunner runner;
  std::size_t line_number = 0;
  Json apply(const Json& command) { return runner.run(command, ++line_number).result; }
  Json apply(const std::string& line) { return runner.run_line(line, ++line_number).result; }
};

// ------------------------------------------------------------------------------------------
// The order status table

enum class OrderState { none, placed, completed, cancelled, refunded_in_part, refunded };

const char* state_name(OrderState state) {
  switch (state) {
    case OrderState::none: return "none";
    case OrderState::placed: return "placed";
    case OrderState::completed: return "completed";
    case OrderState::cancelled: return "cancelled";
    case OrderState::refunded_in_part: return "refunded in part";
    case OrderState::refunded: return "refunded";
  }
  return "?";
}

// 1,000,000 VND at 1 % and 1,000 VND a point: 10 points; a refund of a quarter takes 2 (2.5
// rounded down), so a quarter-refunded order leaves 8.
constexpr std::int64_t amount_vnd = 1'000'000;
constexpr std::int64_t points_when_completed = 10;
constexpr std::int64_t points_after_quarter_refund = 8;

Json order_command(const char* status, const char* time) {
  return {{"command", "order"}, {"time", time}, {"order_id", "A1"}, {"member_id", "an"}, {"status", status},
          {"amount_vnd", amount_vnd}};
}

// A store with one member whose order A1 is in `state`, reached by events in time order.
void bring_order_to(Run& run, OrderState state) {
  REQUIRE(run.apply(std::string(R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0}]}})"))["result"] == "ok");
  REQUIRE(run.apply(std::string(R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"an","phone":"0912345678","name":"Nguyễn Văn An"})"))["result"] == "ok");
  switch (state) {
    case OrderState::none: break;
    case OrderState::placed:
      REQUIRE(run.apply(order_command("placed", "2026-02-01T00:00:00Z"))["result"] == "ok");
      break;
    case OrderState::completed:
      REQUIRE(run.apply(order_command("completed", "2026-02-01T00:00:00Z"))["result"] == "ok");
      break;
    case OrderState::cancelled:
      REQUIRE(run.apply(order_command("placed", "2026-02-01T00:00:00Z"))["result"] == "ok");
      REQUIRE(run.apply(order_command("cancelled", "2026-02-01T01:00:00Z"))["result"] == "ok");
      break;
    case OrderState::refunded_in_part:
      REQUIRE(run.apply(order_command("completed", "2026-02-01T00:00:00Z"))["result"] == "ok");
      REQUIRE(run.apply(Json{{"command", "refund"}, {"time", "2026-02-01T01:00:00Z"}, {"order_id", "A1"},
                             {"refund_id", "quarter"}, {"amount_vnd", amount_vnd / 4}})["result"] == "ok");
      break;
    case OrderState::refunded:
      REQUIRE(run.apply(order_command("completed", "2026-02-01T00:00:00Z"))["result"] == "ok");
      REQUIRE(run.apply(order_command("refunded", "2026-02-01T01:00:00Z"))["result"] == "ok");
      break;
  }
}

std::int64_t points_of_an(Run& run) {
  const Json profile = run.apply(Json{{"command", "get_member"}, {"member_id", "an"}});
  REQUIRE(profile["result"] == "ok");
  return profile["data"]["balances"]["points"].get<std::int64_t>();
}

// Which state the order is in, told apart by what a refund of 1,000 VND answers, and (for
// placed against cancelled) by what a completion answers. It changes the store: last step.
OrderState probe_state(Run& run) {
  const Json refund = run.apply(Json{{"command", "refund"}, {"time", "2026-02-03T00:00:00Z"}, {"order_id", "A1"},
                                     {"refund_id", "probe"}, {"amount_vnd", 1000}});
  const std::string code = refund["result"];
  if (code == "order_not_found") return OrderState::none;
  if (code == "order_already_refunded") return OrderState::refunded;
  if (code == "ok") {
    // A completed order: was part of it refunded before the probe?
    // A completed order: was a quarter of it refunded before? (The probe's 1,000 VND take
    // back nothing: 10 points x 0.1 % rounds down to 0.)
    const std::int64_t points = points_of_an(run);
    REQUIRE((points == points_when_completed || points == points_after_quarter_refund));
    return points == points_after_quarter_refund ? OrderState::refunded_in_part : OrderState::completed;
  }
  REQUIRE(code == "order_not_completed");
  const std::string completion = run.apply(order_command("completed", "2026-02-03T00:01:00Z"))["result"];
  REQUIRE((completion == "ok" || completion == "order_already_cancelled"));
  return completion == "ok" ? OrderState::placed : OrderState::cancelled;
}

struct StatusCase {
  OrderState before;
  const char* sent;
  const char* expected_result;
  std::int64_t expected_points;   // the buyer's spendable points afterwards
  OrderState expected_after;
};

// docs/commands.md, `order`, "Status changes, for an order already known", plus the first
// event ("A first event may be placed, completed or cancelled; a first refunded answers
// order_not_completed") and an order refunded in part, which is still completed.
const StatusCase status_table[] = {
    {OrderState::none, "placed", "ok", 0, OrderState::placed},
    {OrderState::none, "completed", "ok", points_when_completed, OrderState::completed},
    {OrderState::none, "cancelled", "ok", 0, OrderState::cancelled},
    {OrderState::none, "refunded", "order_not_completed", 0, OrderState::none},

    {OrderState::placed, "placed", "already_applied", 0, OrderState::placed},
    {OrderState::placed, "completed", "ok", points_when_completed, OrderState::completed},
    {OrderState::placed, "cancelled", "ok", 0, OrderState::cancelled},
    {OrderState::placed, "refunded", "order_not_completed", 0, OrderState::placed},

    {OrderState::completed, "placed", "already_applied", points_when_completed, OrderState::completed},
    {OrderState::completed, "completed", "already_applied", points_when_completed, OrderState::completed},
    {OrderState::completed, "cancelled", "order_already_completed", points_when_completed, OrderState::completed},
    {OrderState::completed, "refunded", "ok", 0, OrderState::refunded},

    {OrderState::cancelled, "placed", "already_applied", 0, OrderState::cancelled},
    {OrderState::cancelled, "completed", "order_already_cancelled", 0, OrderState::cancelled},
    {OrderState::cancelled, "cancelled", "already_applied", 0, OrderState::cancelled},
    {OrderState::cancelled, "refunded", "order_not_completed", 0, OrderState::cancelled},

    {OrderState::refunded_in_part, "placed", "already_applied", points_after_quarter_refund, OrderState::refunded_in_part},
    {OrderState::refunded_in_part, "completed", "already_applied", points_after_quarter_refund, OrderState::refunded_in_part},
    {OrderState::refunded_in_part, "cancelled", "order_already_completed", points_after_quarter_refund,
     OrderState::refunded_in_part},
    {OrderState::refunded_in_part, "refunded", "ok", 0, OrderState::refunded},   // the rest, refund id "full"

    {OrderState::refunded, "placed", "already_applied", 0, OrderState::refunded},
    {OrderState::refunded, "completed", "already_applied", 0, OrderState::refunded},
    {OrderState::refunded, "cancelled", "order_already_completed", 0, OrderState::refunded},
    {OrderState::refunded, "refunded", "already_applied", 0, OrderState::refunded},
};

}  // namespace

TEST_CASE("order status table: every state of an order times every status sent") {
  for (const StatusCase& row : status_table) {
    const std::string before = state_name(row.before);
    const std::string sent = row.sent;
    CAPTURE(before);
    CAPTURE(sent);
    Run run;
    bring_order_to(run, row.before);
    const std::size_t transactions_before = run.runner.store().ledger().transactions().size();
    const Json result = run.apply(order_command(row.sent, "2026-02-02T00:00:00Z"));
    CHECK(result["result"] == row.expected_result);
    CHECK(result["line"] == run.line_number);
    const bool accepted = std::string(row.expected_result) == "ok";
    if (!accepted) {
      // A refusal or a retry posts nothing; a refusal carries no transactions at all.
      CHECK(run.runner.store().ledger().transactions().size() == transactions_before);
      if (std::string(row.expected_result) != "already_applied") CHECK_FALSE(result.contains("transactions"));
    }
    CHECK(points_of_an(run) == row.expected_points);
    CHECK(state_name(probe_state(run)) == std::string(state_name(row.expected_after)));
    CHECK(run.runner.store().check_invariants() == "");
  }
}

TEST_CASE("order status table: the state probe tells every state apart") {
  // Without this the table above could pass with a probe that always answers the same.
  for (OrderState state : {OrderState::none, OrderState::placed, OrderState::completed, OrderState::cancelled,
                           OrderState::refunded_in_part, OrderState::refunded}) {
    const std::string name = state_name(state);
    CAPTURE(name);
    Run run;
    bring_order_to(run, state);
    CHECK(std::string(state_name(probe_state(run))) == state_name(state));
  }
}

// ------------------------------------------------------------------------------------------
// Every required field omitted

namespace {

struct CommandCase {
  const char* command;
  const char* full;                              // accepted as it is, in the store of `fields_store`
  const char* expected_result;                   // what the full command answers
  std::vector<const char*> required;             // docs/commands.md: Required "yes"
};

// A store where every command below, given in full, is accepted: a program with a pending
// period and transfers, two members (an with 200 points, binh), an order with pending
// points and a hold.
void fields_store(Run& run) {
  const char* setup[] = {
      R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0}],"pending":{"days":7},"transfers":{"enabled":true}}})",
      R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"an","phone":"0912345678","name":"Nguyễn Văn An"})",
      R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"binh","phone":"0987654321","name":"Trần Thị Bình"})",
      R"({"command":"adjust_points","time":"2026-01-03T00:00:00Z","member_id":"an","points":200,"reason":"Quà","actor":"staff","idempotency_key":"gift"})",
      R"({"command":"order","time":"2026-01-04T00:00:00Z","order_id":"P1","member_id":"an","status":"completed","amount_vnd":1000000})",
      R"({"command":"order","time":"2026-01-04T00:00:00Z","order_id":"P2","member_id":"an","status":"completed","amount_vnd":1000000})",
      R"({"command":"hold_points","time":"2026-01-05T00:00:00Z","hold_id":"H1","member_id":"an","points":10,"order_amount_vnd":100000})",
  };
  for (const char* line : setup) REQUIRE(run.apply(std::string(line))["result"] == "ok");
}

// All at 2026-01-05T00:01:00Z, after the setup and inside the pending period and the hold.
const CommandCase command_cases[] = {
    {"save_program",
     R"({"command":"save_program","time":"2026-01-05T00:01:00Z","actor":"owner","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0}],"pending":{"days":7},"transfers":{"enabled":true}}})",
     "ok", {"command", "time", "program"}},
    {"create_member",
     R"({"command":"create_member","time":"2026-01-05T00:01:00Z","member_id":"cuong","phone":"0358111222","name":"Lê Văn Cường","email":"cuong@example.vn","birthday":{"day":1,"month":2},"referrer_id":"an","opt_ins":{"sms":true}})",
     "ok", {"command", "time", "phone", "name"}},
    {"update_member",
     R"({"command":"update_member","time":"2026-01-05T00:01:00Z","member_id":"binh","email":"binh@example.vn"})",
     "ok", {"command", "time", "member_id"}},
    {"set_referrer",
     R"({"command":"set_referrer","time":"2026-01-05T00:01:00Z","member_id":"binh","referrer_id":"an"})",
     "ok", {"command", "time", "member_id", "referrer_id"}},
    {"order",
     R"({"command":"order","time":"2026-01-05T00:01:00Z","order_id":"A1","member_id":"binh","status":"completed","amount_vnd":500000,"shipping_vnd":10000,"actor":"pos"})",
     "ok", {"command", "time", "order_id", "member_id", "status", "amount_vnd"}},
    {"refund",
     R"({"command":"refund","time":"2026-01-05T00:01:00Z","order_id":"P1","refund_id":"r1","amount_vnd":100000,"actor":"staff"})",
     "ok", {"command", "time", "order_id", "refund_id", "amount_vnd"}},
    {"adjust_points",
     R"({"command":"adjust_points","time":"2026-01-05T00:01:00Z","member_id":"binh","points":5,"reason":"Bù điểm","actor":"staff","idempotency_key":"k2"})",
     "ok", {"command", "time", "member_id", "points", "reason", "actor", "idempotency_key"}},
    {"review_tiers", R"({"command":"review_tiers","time":"2026-01-05T00:01:00Z"})", "ok", {"command", "time"}},
    {"get_member", R"({"command":"get_member","member_id":"an","time":"2026-01-05T00:01:00Z"})", "ok",
     {"command", "member_id"}},
    {"search_members", R"({"command":"search_members","query":"nguyen","limit":5})", "ok", {"command", "query"}},
    {"ledger_history", R"({"command":"ledger_history","member_id":"an","limit":5})", "ok", {"command", "member_id"}},
    {"preview", R"({"command":"preview","amount_vnd":1000000,"member_id":"an"})", "ok", {"command", "amount_vnd"}},
    {"rules_text", R"({"command":"rules_text"})", "ok", {"command"}},
    {"get_program", R"({"command":"get_program"})", "ok", {"command"}},
    {"audit", R"({"command":"audit"})", "ok", {"command"}},
    {"release_pending",
     R"({"command":"release_pending","time":"2026-01-05T00:01:00Z","order_id":"P1","reason":"Đã giao hàng","actor":"staff"})",
     "ok", {"command", "time", "order_id", "reason", "actor"}},
    {"cancel_pending",
     R"({"command":"cancel_pending","time":"2026-01-05T00:01:00Z","order_id":"P2","reason":"Đơn thử","actor":"staff"})",
     "ok", {"command", "time", "order_id", "reason", "actor"}},
    {"redeem_points",
     R"({"command":"redeem_points","time":"2026-01-05T00:01:00Z","redemption_id":"D1","member_id":"an","points":5,"reason":"Voucher","actor":"pos"})",
     "ok", {"command", "time", "redemption_id", "member_id", "points", "reason"}},
    {"hold_points",
     R"({"command":"hold_points","time":"2026-01-05T00:01:00Z","hold_id":"H2","member_id":"an","points":10,"order_amount_vnd":100000})",
     "ok", {"command", "time", "hold_id", "member_id", "points", "order_amount_vnd"}},
    {"release_hold", R"({"command":"release_hold","time":"2026-01-05T00:01:00Z","hold_id":"H1","actor":"pos"})", "ok",
     {"command", "time", "hold_id"}},
    {"transfer_points",
     R"({"command":"transfer_points","time":"2026-01-05T00:01:00Z","transfer_id":"T1","from_member_id":"an","to_member_id":"binh","points":5,"actor":"app"})",
     "ok", {"command", "time", "transfer_id", "from_member_id", "to_member_id", "points"}},
    {"grant_birthday_bonuses", R"({"command":"grant_birthday_bonuses","time":"2026-01-05T00:01:00Z"})", "ok",
     {"command", "time"}},
    {"expiring_points", R"({"command":"expiring_points","within_days":30,"limit":10,"time":"2026-01-05T00:01:00Z"})", "ok",
     {"command"}},
    {"liability", R"({"command":"liability","time":"2026-01-05T00:01:00Z"})", "ok", {"command"}},
    {"process_due", R"({"command":"process_due","time":"2026-01-05T00:01:00Z"})", "ok", {"command", "time"}},
};

std::vector<std::string> error_fields(const Json& result) {
  std::vector<std::string> fields;
  if (result.contains("errors")) {
    for (const Json& error : result["errors"]) fields.push_back(error["field"].get<std::string>());
  }
  return fields;
}

}  // namespace

TEST_CASE("every command given in full is accepted in the fields store") {
  for (const CommandCase& row : command_cases) {
    const std::string command_name = row.command;
    CAPTURE(command_name);
    Run run;
    fields_store(run);
    const Json result = run.apply(std::string(row.full));
    CHECK(result["command"] == row.command);
    CHECK(result["result"] == row.expected_result);
  }
}

TEST_CASE("every required field left out is invalid_field naming that field") {
  for (const CommandCase& row : command_cases) {
    for (const char* field : row.required) {
      const std::string command_name = row.command;
      const std::string field_name = field;
      CAPTURE(command_name);
      CAPTURE(field_name);
      Run run;
      fields_store(run);
      Json command = Json::parse(row.full);
      REQUIRE(command.contains(field));
      command.erase(field);
      const std::size_t transactions_before = run.runner.store().ledger().transactions().size();
      const Json result = run.apply(command);
      CHECK(result["result"] == "invalid_field");
      const std::vector<std::string> fields = error_fields(result);
      CHECK(std::find(fields.begin(), fields.end(), field) != fields.end());
      // A refused command posts nothing.
      CHECK(run.runner.store().ledger().transactions().size() == transactions_before);
    }
  }
}
