// Notifications (core/notifications): documents and placeholders, quiet hours, each
// scenario with hand-computed times (Asia/Ho_Chi_Minh against UTC, 29/02, N days before an
// expiry, a threshold crossed twice), audiences and who is excluded, idempotent marks and
// retries, a host that crashes and asks again, and replay and snapshots answering alike.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "core/commands/command_runner.hpp"
#include "core/snapshot/store_snapshot.hpp"
#include "store_fixture.hpp"

using namespace loyalty;
using loyalty::testing::at;

namespace {

// Bạc from 0, Vàng from 500 tier points (10,000,000 VND); points at once, no pending.
ProgramConfig notification_program(const char* zone = "Asia/Ho_Chi_Minh", ExpiryRule expiry = ExpiryRule::never) {
  ProgramConfig config = loyalty::testing::seed_program();
  config.time_zone = *time_zone_from_name(zone);
  config.expiry.rule = expiry;
  config.expiry.months = 1;
  return config;
}

// Commands through the JSON runner, journaled as a host journals them.
struct Session {
  CommandRunner runner;
  std::vector<std::string> journal;
  std::size_t line = 0;

  explicit Session(const ProgramConfig& program = notification_program()) {
    REQUIRE(result({{"command", "save_program"}, {"time", "2026-01-01T00:00:00Z"}, {"program", program_config_to_json(program)}}) == "ok");
  }
  Json run(const Json& command) {
    const std::string text = command.dump();
    CommandOutput output = runner.run_line(text, ++line);
    if (!output.journal_before.empty()) journal.push_back(output.journal_before);
    if (output.journal) journal.push_back(text);
    return output.result;
  }
  std::string result(const Json& command) { return run(command)["result"].get<std::string>(); }
  Json data(const Json& read) {
    Json output = run(read);
    REQUIRE_MESSAGE(output["result"] == "ok", output.dump());
    return output["data"];
  }
  void member(const std::string& id, const std::string& phone, Json extra = Json::object()) {
    Json command{{"command", "create_member"}, {"time", "2026-01-02T00:00:00Z"}, {"member_id", id}, {"phone", phone}, {"name", "Khách " + id}};
    command.update(extra);
    REQUIRE(result(command) == "ok");
  }
  void due(const char* time) { REQUIRE(result({{"command", "process_due"}, {"time", time}}) == "ok"); }
  Json due_deliveries(const std::string& after = "", std::int64_t limit = 1000) {
    Json read{{"command", "due_deliveries"}, {"limit", limit}};
    if (!after.empty()) read["after"] = after;
    return data(read);
  }
  std::vector<std::string> due_ids() {
    std::vector<std::string> ids;
    const Json due = due_deliveries();   // kept: the loop reads into it
    for (const Json& delivery : due["deliveries"]) ids.push_back(delivery["delivery_id"]);
    return ids;
  }
  std::string mark(const std::string& kind, const std::string& delivery_id, const char* time, Json extra = Json::object()) {
    Json command{{"command", "mark_delivery_" + kind}, {"time", time}, {"delivery_id", delivery_id}};
    command.update(extra);
    return result(command);
  }
  Json occasions(const std::string& scenario_id) { return data({{"command", "get_scenario"}, {"scenario_id", scenario_id}})["deliveries"]; }
};

Json notification(const std::string& id, Json extra = Json::object()) {
  Json document{{"notification_id", id}, {"title", "Chào {name}"}, {"body", "Bạn có {points} điểm ({points_value}), hạng {tier}."}};
  document.update(extra);
  return document;
}

Json scenario(const std::string& id, const std::string& kind, Json extra = Json::object()) {
  Json document{{"scenario_id", id}, {"name", "Kịch bản " + id}, {"kind", kind}, {"title", "Chào {name}"}, {"body", "Bạn có {points} điểm."}};
  document.update(extra);
  return document;
}

// The reads a host makes, for comparing a live store with a rebuilt one.
Json answers(const CommandRunner& runner) {
  Json all = Json::array();
  for (const Json& read : {Json{{"command", "due_deliveries"}, {"limit", 1000}}, Json{{"command", "list_notifications"}},
                           Json{{"command", "list_scenarios"}}}) {
    all.push_back(runner.run_read(read, 1).result);
  }
  return all;
}

// Replaying the journal, and a snapshot, answer every read as the live store does.
void check_rebuilt_alike(const Session& session) {
  CHECK(session.runner.store().check_invariants() == "");
  CommandRunner replayed;
  for (std::size_t i = 0; i < session.journal.size(); ++i) REQUIRE(replayed.replay_line(session.journal[i], i + 1).journal);
  CHECK(answers(replayed) == answers(session.runner));
  CHECK(replayed.clock_utc() == session.runner.clock_utc());
  const std::string bytes = StoreSnapshot::write(session.runner.store());
  SnapshotReading reading = StoreSnapshot::read(bytes);
  REQUIRE_MESSAGE(reading.store.has_value(), reading.error);
  CHECK(StoreSnapshot::write(*reading.store) == bytes);
  CHECK(StoreSnapshot::write(replayed.store()) == bytes);
  CommandRunner restored(std::move(*reading.store));
  CHECK(answers(restored) == answers(session.runner));
}

}  // namespace

TEST_CASE("notifications: quiet hours push a delivery to their end, crossing midnight or not, in the store's zone") {
  const TimeZone vietnam = *time_zone_from_name("Asia/Ho_Chi_Minh");
  const QuietHours night{21 * 60, 8 * 60};
  // 22:30 local (15:30Z) -> 08:00 local the next day (01:00Z).
  CHECK(next_allowed_utc(at("2026-03-02T15:30:00Z"), night, vietnam) == at("2026-03-03T01:00:00Z"));
  // 21:00 sharp is quiet; 20:59:59 is not.
  CHECK(next_allowed_utc(at("2026-03-02T14:00:00Z"), night, vietnam) == at("2026-03-03T01:00:00Z"));
  CHECK(next_allowed_utc(at("2026-03-02T13:59:59Z"), night, vietnam) == at("2026-03-02T13:59:59Z"));
  // 07:59 local (00:59Z) -> 08:00 the same local day; 08:00 sharp is allowed.
  CHECK(next_allowed_utc(at("2026-03-03T00:59:00Z"), night, vietnam) == at("2026-03-03T01:00:00Z"));
  CHECK(next_allowed_utc(at("2026-03-03T01:00:00Z"), night, vietnam) == at("2026-03-03T01:00:00Z"));
  // 00:30 local is the previous UTC day (17:30Z): still the night, ends 08:00 local.
  CHECK(next_allowed_utc(at("2026-03-02T17:30:00Z"), night, vietnam) == at("2026-03-03T01:00:00Z"));
  // Quiet hours within a day: 12:00-13:30 local.
  const QuietHours lunch{12 * 60, 13 * 60 + 30};
  CHECK(next_allowed_utc(at("2026-03-02T05:10:00Z"), lunch, vietnam) == at("2026-03-02T06:30:00Z"));
  CHECK(next_allowed_utc(at("2026-03-02T06:30:00Z"), lunch, vietnam) == at("2026-03-02T06:30:00Z"));
  // The same wall times in UTC.
  const TimeZone utc = *time_zone_from_name("UTC");
  CHECK(next_allowed_utc(at("2026-03-02T22:30:00Z"), night, utc) == at("2026-03-03T08:00:00Z"));
  CHECK(next_allowed_utc(at("2026-03-02T15:30:00Z"), night, utc) == at("2026-03-02T15:30:00Z"));
  CHECK(next_allowed_utc(at("2026-03-02T15:30:00Z"), QuietHours{}, vietnam) == at("2026-03-02T15:30:00Z"));
}

TEST_CASE("notifications: documents are validated with paths; unknown placeholders are named; targets and groups must exist") {
  Session session;
  Json refused = session.run({{"command", "save_notification"}, {"time", "2026-03-01T00:00:00Z"},
                              {"notification", notification("khuyen-mai", {{"title", "Chào {ten}"}, {"body", "Còn {points điểm"}})}});
  REQUIRE(refused["result"] == "invalid_field");
  REQUIRE(refused["errors"].size() == 2);
  CHECK(refused["errors"][0]["field"] == "notification.title");
  CHECK(refused["errors"][0]["en"] == "there is no placeholder {ten}; known: {name}, {points}, {points_value}, {tier}");
  CHECK(refused["errors"][1]["field"] == "notification.body");
  // {campaign} only with a campaign target; the campaign must exist.
  refused = session.run({{"command", "save_notification"}, {"time", "2026-03-01T00:00:00Z"},
                         {"notification", notification("khuyen-mai", {{"body", "Xem {campaign}"}})}});
  CHECK(refused["errors"][0]["field"] == "notification.body");
  refused = session.run({{"command", "save_notification"}, {"time", "2026-03-01T00:00:00Z"},
                         {"notification", notification("khuyen-mai", {{"body", "Xem {campaign}"},
                                                                      {"target", {{"kind", "campaign"}, {"campaign_id", "khong-co"}}}})}});
  REQUIRE(refused["result"] == "invalid_field");
  CHECK(refused["errors"][0]["field"] == "notification.target.campaign_id");
  refused = session.run({{"command", "save_notification"}, {"time", "2026-03-01T00:00:00Z"},
                         {"notification", notification("khuyen-mai", {{"audience_group_id", "khong-co"}})}});
  CHECK(refused["errors"][0]["field"] == "notification.audience_group_id");
  refused = session.run({{"command", "save_notification"}, {"time", "2026-03-01T00:00:00Z"},
                         {"notification", notification("khuyen/mai", {{"target", {{"kind", "link"}, {"url", "ftp://x"}}}, {"channel", "fax"}})}});
  REQUIRE(refused["errors"].size() == 3);
  CHECK(refused["errors"][0]["field"] == "notification.notification_id");
  CHECK(refused["errors"][1]["field"] == "notification.target.url");
  CHECK(refused["errors"][2]["field"] == "notification.channel");
  // A scenario's placeholders follow its kind; settings of another kind are refused.
  refused = session.run({{"command", "save_scenario"}, {"time", "2026-03-01T00:00:00Z"},
                         {"scenario", scenario("sinh-nhat", "birthday", {{"body", "{order_id}"}, {"delay_minutes", 5}})}});
  REQUIRE(refused["errors"].size() == 2);
  CHECK(refused["errors"][0]["field"] == "scenario.delay_minutes");
  CHECK(refused["errors"][1]["field"] == "scenario.body");
  CHECK(session.result({{"command", "save_scenario"}, {"time", "2026-03-01T00:00:00Z"},
                        {"scenario", scenario("cam-on", "order_thanks", {{"body", "Đơn {order_id}: {order_amount}"}})}}) == "ok");
  CHECK(session.result({{"command", "save_scenario"}, {"time", "2026-03-01T00:01:00Z"},
                        {"scenario", scenario("cam-on", "order_thanks", {{"body", "Đơn {order_id}: {order_amount}"}})}}) == "already_applied");
  refused = session.run({{"command", "save_scenario"}, {"time", "2026-03-01T00:02:00Z"}, {"scenario", scenario("cam-on", "tier_upgrade")}});
  CHECK(refused["errors"][0]["field"] == "scenario.kind");
  refused = session.run({{"command", "save_scenario"}, {"time", "2026-03-01T00:02:00Z"},
                         {"scenario", scenario("nguong", "balance_threshold", {{"quiet_hours", {{"from", "21:00"}, {"to", "24:00"}}}})}});
  REQUIRE(refused["errors"].size() == 2);
  CHECK(refused["errors"][0]["field"] == "scenario.threshold_points");
  CHECK(refused["errors"][1]["field"] == "scenario.quiet_hours.to");
  CHECK(session.result({{"command", "schedule_notification"}, {"time", "2026-03-01T00:03:00Z"}, {"notification_id", "khong-co"}}) ==
        "notification_not_found");
}

TEST_CASE("notifications: a scheduled notification to everyone: the audience at its send time, opted-out and blocked members skipped") {
  Session session;
  session.member("an", "0912000001", {{"email", "an@example.vn"}});
  session.member("binh", "0912000002", {{"opt_ins", {{"push", false}}}});
  session.member("cuong", "0912000003");
  session.member("dung", "0912000004");
  REQUIRE(session.result({{"command", "update_member"}, {"time", "2026-01-03T00:00:00Z"}, {"member_id", "cuong"}, {"status", "blocked"}}) == "ok");
  REQUIRE(session.result({{"command", "adjust_points"}, {"time", "2026-01-03T00:00:00Z"}, {"member_id", "an"}, {"points", 1250},
                          {"reason", "quà"}, {"actor", "chu"}, {"idempotency_key", "q-1"}}) == "ok");
  // Sent at 10:00 local on 20/03 (03:00Z), given in the store's zone.
  REQUIRE(session.result({{"command", "save_notification"}, {"time", "2026-03-15T00:00:00Z"},
                          {"notification", notification("thang-3", {{"send_at", "2026-03-20T10:00:00+07:00"}})}}) == "ok");
  REQUIRE(session.result({{"command", "schedule_notification"}, {"time", "2026-03-15T00:01:00Z"}, {"notification_id", "thang-3"}}) == "ok");
  CHECK(session.result({{"command", "schedule_notification"}, {"time", "2026-03-15T00:02:00Z"}, {"notification_id", "thang-3"}}) == "already_applied");
  CHECK(session.data({{"command", "get_notification"}, {"notification_id", "thang-3"}})["status"] == "scheduled");
  CHECK(session.runner.store().next_due_utc() == at("2026-03-20T03:00:00Z"));
  // A member who joins before the send time is in the audience; nothing is due before it.
  session.member("em", "0912000005");
  session.due("2026-03-20T02:59:59Z");
  CHECK(session.due_deliveries()["count"] == 0);
  CHECK(session.mark("sent", "n/thang-3/an", "2026-03-20T02:59:59Z") == "delivery_not_due");
  session.due("2026-03-20T03:00:00Z");
  Json notification_read = session.data({{"command", "get_notification"}, {"notification_id", "thang-3"}});
  CHECK(notification_read["status"] == "sending");
  CHECK(notification_read["started_at"] == "2026-03-20T03:00:00Z");
  CHECK(notification_read["deliveries"]["audience"] == 5);
  CHECK(notification_read["deliveries"]["skipped"] == 2);   // binh opted out of push, cuong is blocked
  CHECK(session.due_ids() == std::vector<std::string>{"n/thang-3/an", "n/thang-3/dung", "n/thang-3/em"});
  // The message as it renders now: points with dots, VND with the dong sign.
  const Json first = session.due_deliveries()["deliveries"][0];
  CHECK(first["title"] == "Chào Khách an");
  CHECK(first["body"] == "Bạn có 1.250 điểm (1.250.000 ₫), hạng Bạc.");
  CHECK(first["due_at"] == "2026-03-20T03:00:00Z");
  // A member joining after the start is not in it; a member opting out before their
  // delivery is skipped, and stays skipped when opting in again.
  session.member("giang", "0912000006");
  CHECK(session.mark("sent", "n/thang-3/giang", "2026-03-20T03:00:01Z") == "delivery_not_found");
  REQUIRE(session.result({{"command", "update_member"}, {"time", "2026-03-20T03:00:02Z"}, {"member_id", "dung"}, {"opt_ins", {{"push", false}}}}) == "ok");
  REQUIRE(session.result({{"command", "update_member"}, {"time", "2026-03-20T03:00:03Z"}, {"member_id", "dung"}, {"opt_ins", {{"push", true}}}}) == "ok");
  CHECK(session.due_ids() == std::vector<std::string>{"n/thang-3/an", "n/thang-3/em"});
  CHECK(session.mark("sent", "n/thang-3/an", "2026-03-20T03:00:04Z") == "ok");
  CHECK(session.mark("sent", "n/thang-3/an", "2026-03-20T03:00:05Z") == "already_applied");
  // An opt-out after the delivery was sent changes nothing; when the last is done, it is sent.
  REQUIRE(session.result({{"command", "update_member"}, {"time", "2026-03-20T03:00:06Z"}, {"member_id", "an"}, {"opt_ins", {{"push", false}}}}) == "ok");
  CHECK(session.mark("sent", "n/thang-3/em", "2026-03-20T03:00:07Z") == "ok");
  notification_read = session.data({{"command", "get_notification"}, {"notification_id", "thang-3"}});
  CHECK(notification_read["status"] == "sent");
  CHECK(notification_read["finished_at"] == "2026-03-20T03:00:07Z");
  CHECK(notification_read["deliveries"]["sent"] == 2);
  CHECK(notification_read["deliveries"]["skipped"] == 3);
  CHECK(session.due_deliveries()["count"] == 0);
  check_rebuilt_alike(session);
}

TEST_CASE("notifications: an email notification reaches those opted in with an address; a group audience is fixed at the start") {
  Session session;
  session.member("an", "0912000001", {{"email", "an@example.vn"}, {"opt_ins", {{"email", true}}}});
  session.member("binh", "0912000002", {{"opt_ins", {{"email", true}}}});   // no address
  session.member("cuong", "0912000003", {{"email", "cuong@example.vn"}});    // not opted in
  session.member("dung", "0912000004", {{"email", "dung@example.vn"}, {"opt_ins", {{"email", true}}}});
  REQUIRE(session.result({{"command", "save_group"}, {"time", "2026-03-01T00:00:00Z"}, {"group_id", "vip"}, {"name", "VIP"}, {"kind", "static"}}) == "ok");
  REQUIRE(session.result({{"command", "add_group_members"}, {"time", "2026-03-01T00:00:00Z"}, {"group_id", "vip"},
                          {"member_ids", {"an", "binh", "cuong"}}}) == "ok");
  REQUIRE(session.result({{"command", "save_notification"}, {"time", "2026-03-01T00:01:00Z"},
                          {"notification", notification("thu", {{"audience_group_id", "vip"}, {"channel", "email"},
                                                                {"send_at", "2026-03-02T00:00:00Z"}})}}) == "ok");
  REQUIRE(session.result({{"command", "schedule_notification"}, {"time", "2026-03-01T00:02:00Z"}, {"notification_id", "thu"}}) == "ok");
  // The group stays while the notification waits for its send time.
  CHECK(session.result({{"command", "delete_group"}, {"time", "2026-03-01T00:03:00Z"}, {"group_id", "vip"}}) == "group_in_use");
  session.due("2026-03-02T00:00:00Z");
  REQUIRE(session.result({{"command", "add_group_members"}, {"time", "2026-03-02T00:00:01Z"}, {"group_id", "vip"},
                          {"member_ids", {"dung"}}}) == "ok");
  CHECK(session.due_ids() == std::vector<std::string>{"n/thu/an"});
  CHECK(session.data({{"command", "get_notification"}, {"notification_id", "thu"}})["deliveries"]["audience"] == 3);
  CHECK(session.mark("sent", "n/thu/dung", "2026-03-02T00:00:02Z") == "delivery_not_found");
  check_rebuilt_alike(session);
}

TEST_CASE("notifications: cancel: a scheduled one never starts; a sending one has nothing more due, a send already made is still recorded") {
  Session session;
  session.member("an", "0912000001");
  session.member("binh", "0912000002");
  REQUIRE(session.result({{"command", "save_notification"}, {"time", "2026-03-01T00:00:00Z"},
                          {"notification", notification("mot", {{"send_at", "2026-03-05T00:00:00Z"}})}}) == "ok");
  REQUIRE(session.result({{"command", "schedule_notification"}, {"time", "2026-03-01T00:00:00Z"}, {"notification_id", "mot"}}) == "ok");
  REQUIRE(session.result({{"command", "cancel_notification"}, {"time", "2026-03-02T00:00:00Z"}, {"notification_id", "mot"}}) == "ok");
  CHECK(session.result({{"command", "cancel_notification"}, {"time", "2026-03-02T00:00:01Z"}, {"notification_id", "mot"}}) == "already_applied");
  CHECK(session.result({{"command", "schedule_notification"}, {"time", "2026-03-02T00:00:02Z"}, {"notification_id", "mot"}}) ==
        "notification_status_not_allowed");
  session.due("2026-03-06T00:00:00Z");
  Json read = session.data({{"command", "get_notification"}, {"notification_id", "mot"}});
  CHECK(read["status"] == "cancelled");
  CHECK(read["deliveries"]["audience"] == 0);
  // No send time: it starts when scheduled.
  REQUIRE(session.result({{"command", "save_notification"}, {"time", "2026-03-06T00:00:00Z"}, {"notification", notification("hai")}}) == "ok");
  REQUIRE(session.result({{"command", "schedule_notification"}, {"time", "2026-03-06T01:00:00Z"}, {"notification_id", "hai"}}) == "ok");
  CHECK(session.due_ids() == std::vector<std::string>{"n/hai/an", "n/hai/binh"});
  CHECK(session.result({{"command", "save_notification"}, {"time", "2026-03-06T01:00:01Z"},
                        {"notification", notification("hai", {{"title", "Khác"}})}}) == "notification_status_not_allowed");
  REQUIRE(session.result({{"command", "cancel_notification"}, {"time", "2026-03-06T01:00:02Z"}, {"notification_id", "hai"}}) == "ok");
  CHECK(session.due_deliveries()["count"] == 0);
  CHECK(session.mark("sent", "n/hai/an", "2026-03-06T01:00:03Z") == "ok");
  read = session.data({{"command", "get_notification"}, {"notification_id", "hai"}});
  CHECK(read["status"] == "cancelled");
  CHECK(read["deliveries"]["sent"] == 1);
  CHECK(session.result({{"command", "cancel_notification"}, {"time", "2026-03-06T01:00:04Z"}, {"notification_id", "hai"}}) == "already_applied");
  check_rebuilt_alike(session);
}

TEST_CASE("notifications: marks are idempotent; a failed attempt is due again after 60 s, then 120 s; the third failure is final") {
  Session session;
  session.member("an", "0912000001");
  REQUIRE(session.result({{"command", "save_notification"}, {"time", "2026-03-01T00:00:00Z"}, {"notification", notification("mot")}}) == "ok");
  REQUIRE(session.result({{"command", "schedule_notification"}, {"time", "2026-03-01T00:00:00Z"}, {"notification_id", "mot"}}) == "ok");
  const std::string id = "n/mot/an";
  CHECK(session.mark("opened", id, "2026-03-01T00:00:01Z") == "delivery_not_sent");
  CHECK(session.mark("failed", id, "2026-03-01T00:00:05Z", {{"attempt", 2}, {"reason", "x"}}) == "invalid_field");
  CHECK(session.mark("failed", id, "2026-03-01T00:00:05Z", {{"attempt", 1}, {"reason", "gateway 503"}}) == "ok");
  CHECK(session.mark("failed", id, "2026-03-01T00:00:06Z", {{"attempt", 1}, {"reason", "gateway 503"}}) == "already_applied");
  CHECK(session.runner.store().next_due_utc() == at("2026-03-01T00:01:05Z"));
  session.due("2026-03-01T00:01:04Z");
  CHECK(session.due_deliveries()["count"] == 0);
  session.due("2026-03-01T00:01:05Z");
  Json due = session.due_deliveries();
  REQUIRE(due["count"] == 1);
  CHECK(due["deliveries"][0]["attempt"] == 2);
  CHECK(due["deliveries"][0]["due_at"] == "2026-03-01T00:01:05Z");
  CHECK(due["deliveries"][0]["last_failure"] == "gateway 503");
  CHECK(session.mark("failed", id, "2026-03-01T00:01:10Z", {{"attempt", 2}, {"reason", "timeout"}}) == "ok");
  session.due("2026-03-01T00:03:09Z");
  CHECK(session.due_deliveries()["count"] == 0);
  session.due("2026-03-01T00:03:10Z");
  CHECK(session.due_deliveries()["count"] == 1);
  CHECK(session.mark("failed", id, "2026-03-01T00:03:11Z", {{"attempt", 3}, {"reason", "timeout"}}) == "ok");
  Json delivery = session.data({{"command", "get_delivery"}, {"delivery_id", id}});
  CHECK(delivery["state"] == "failed");
  CHECK(delivery["failures"] == 3);
  CHECK(session.data({{"command", "get_notification"}, {"notification_id", "mot"}})["status"] == "sent");   // every delivery done
  CHECK(session.due_deliveries()["count"] == 0);
  // The host finds out it went through after all: recorded, once; then opened and clicked.
  CHECK(session.mark("sent", id, "2026-03-01T00:04:00Z") == "ok");
  CHECK(session.mark("failed", id, "2026-03-01T00:04:01Z", {{"attempt", 3}, {"reason", "x"}}) == "delivery_already_sent");
  CHECK(session.mark("clicked", id, "2026-03-01T00:05:00Z") == "ok");   // a click opens it too
  CHECK(session.mark("opened", id, "2026-03-01T00:05:01Z") == "already_applied");
  CHECK(session.mark("clicked", id, "2026-03-01T00:05:02Z") == "already_applied");
  Json counts = session.data({{"command", "get_notification"}, {"notification_id", "mot"}})["deliveries"];
  CHECK(counts["sent"] == 1);
  CHECK(counts["failed"] == 0);
  CHECK(counts["opened"] == 1);
  CHECK(counts["clicked"] == 1);
  CHECK(session.mark("sent", "n/mot/khong-co", "2026-03-01T00:06:00Z") == "delivery_not_found");
  CHECK(session.mark("sent", "x/mot/an", "2026-03-01T00:06:00Z") == "invalid_field");
  check_rebuilt_alike(session);
}

TEST_CASE("notifications: a host pages through 2,000 due deliveries, crashes, rebuilds from its journal and asks again: none twice, none skipped") {
  Session session;
  for (int i = 0; i < 2000; ++i) {
    char id[16], phone[16];
    std::snprintf(id, sizeof id, "M%05d", i);
    std::snprintf(phone, sizeof phone, "09120%05d", i);
    session.member(id, phone, i % 10 == 0 ? Json{{"opt_ins", {{"push", false}}}} : Json::object());
  }
  REQUIRE(session.result({{"command", "save_notification"}, {"time", "2026-03-01T00:00:00Z"}, {"notification", notification("tat-ca")}}) == "ok");
  REQUIRE(session.result({{"command", "schedule_notification"}, {"time", "2026-03-01T00:00:00Z"}, {"notification_id", "tat-ca"}}) == "ok");
  std::set<std::string> sent;
  std::size_t marks_ok = 0;
  // First run: pages of 300, each marked sent as it goes; it crashes after 850 marks, with
  // the last 50 of its third page sent but not marked.
  std::string after;
  std::vector<std::string> unmarked;
  while (marks_ok < 850) {
    const Json page = session.due_deliveries(after, 300);
    CHECK(page["count"] == 1800 - marks_ok);
    for (const Json& delivery : page["deliveries"]) {
      const std::string id = delivery["delivery_id"];
      if (marks_ok < 850) {
        REQUIRE(session.mark("sent", id, "2026-03-01T00:01:00Z") == "ok");
        sent.insert(id);
        ++marks_ok;
      } else if (unmarked.size() < 50) {
        unmarked.push_back(id);
      }
    }
    after = page["next_after"].is_null() ? "" : page["next_after"].get<std::string>();
  }
  // The crash: a new host rebuilds the store from the journal and starts from the top.
  Session restarted;
  restarted.runner = CommandRunner();
  restarted.journal.clear();
  for (std::size_t i = 0; i < session.journal.size(); ++i) {
    REQUIRE(restarted.runner.replay_line(session.journal[i], i + 1).journal);
    restarted.journal.push_back(session.journal[i]);
  }
  after.clear();
  std::size_t pages = 0;
  for (;;) {
    const Json page = restarted.due_deliveries(after, 300);
    ++pages;
    for (const Json& delivery : page["deliveries"]) {
      const std::string id = delivery["delivery_id"];
      CHECK(sent.count(id) == 0);   // never one marked sent
      REQUIRE(restarted.mark("sent", id, "2026-03-01T00:02:00Z") == "ok");
      sent.insert(id);
    }
    if (page["next_after"].is_null()) break;
    after = page["next_after"];
  }
  CHECK(pages == 4);   // 950 left: pages of 300, 300, 300 and 50
  CHECK(sent.size() == 1800);   // every member opted in, each once
  for (const std::string& id : unmarked) CHECK(sent.count(id) == 1);
  // The deliveries sent before the crash, marked again by a confused host, change nothing.
  CHECK(restarted.mark("sent", "n/tat-ca/M00001", "2026-03-01T00:03:00Z") == "already_applied");
  CHECK(restarted.mark("sent", "n/tat-ca/M00000", "2026-03-01T00:03:00Z") == "ok");   // skipped (opted out), but the host says it sent it
  Json read = restarted.data({{"command", "get_notification"}, {"notification_id", "tat-ca"}});
  CHECK(read["status"] == "sent");
  CHECK(read["deliveries"]["sent"] == 1801);
  CHECK(read["deliveries"]["skipped"] == 199);
  check_rebuilt_alike(restarted);
}

TEST_CASE("scenarios: a birthday at 06:00 local: Asia/Ho_Chi_Minh greets at 23:00Z the day before, UTC at 06:00Z; quiet hours push it") {
  Session vietnam;
  vietnam.member("an", "0912000001", {{"birthday", {{"day", 15}, {"month", 6}}}});
  vietnam.member("binh", "0912000002", {{"birthday", {{"day", 14}, {"month", 6}}}});
  vietnam.member("cuong", "0912000003", {{"birthday", {{"day", 15}, {"month", 6}}}, {"opt_ins", {{"push", false}}}});
  REQUIRE(vietnam.result({{"command", "save_scenario"}, {"time", "2026-06-01T00:00:00Z"},
                          {"scenario", scenario("sinh-nhat", "birthday", {{"local_time", "06:00"}})}}) == "ok");
  CHECK(vietnam.data({{"command", "get_scenario"}, {"scenario_id", "sinh-nhat"}})["next_run"] == "2026-06-01T23:00:00Z");
  vietnam.due("2026-06-13T22:59:59Z");
  CHECK(vietnam.occasions("sinh-nhat")["occasions"] == 0);
  vietnam.due("2026-06-13T23:00:00Z");   // 14/06 06:00 local
  CHECK(vietnam.due_ids() == std::vector<std::string>{"s/sinh-nhat/1"});
  CHECK(vietnam.due_deliveries()["deliveries"][0]["member_id"] == "binh");
  vietnam.due("2026-06-14T22:59:59Z");   // still 14/06 local: an is not greeted yet, on the UTC day of 15/06 neither
  CHECK(vietnam.occasions("sinh-nhat")["occasions"] == 1);
  vietnam.due("2026-06-14T23:00:00Z");
  Json due = vietnam.due_deliveries();
  REQUIRE(due["count"] == 2);
  CHECK(due["deliveries"][1]["delivery_id"] == "s/sinh-nhat/2");
  CHECK(due["deliveries"][1]["member_id"] == "an");   // cuong opted out: never an occasion
  CHECK(due["deliveries"][1]["due_at"] == "2026-06-14T23:00:00Z");
  check_rebuilt_alike(vietnam);

  Session utc(notification_program("UTC"));
  utc.member("an", "0912000001", {{"birthday", {{"day", 15}, {"month", 6}}}});
  REQUIRE(utc.result({{"command", "save_scenario"}, {"time", "2026-06-01T00:00:00Z"},
                      {"scenario", scenario("sinh-nhat", "birthday", {{"local_time", "06:00"}})}}) == "ok");
  utc.due("2026-06-15T05:59:59Z");
  CHECK(utc.occasions("sinh-nhat")["occasions"] == 0);
  utc.due("2026-06-15T06:00:00Z");
  CHECK(utc.due_deliveries()["deliveries"][0]["due_at"] == "2026-06-15T06:00:00Z");

  // Quiet hours 22:00-07:00 local push a 06:00 greeting to 07:00 (00:00Z).
  Session quiet;
  quiet.member("an", "0912000001", {{"birthday", {{"day", 15}, {"month", 6}}}});
  REQUIRE(quiet.result({{"command", "save_scenario"}, {"time", "2026-06-01T00:00:00Z"},
                        {"scenario", scenario("sinh-nhat", "birthday", {{"local_time", "06:00"}, {"quiet_hours", {{"from", "22:00"}, {"to", "07:00"}}}})}}) == "ok");
  quiet.due("2026-06-14T23:00:00Z");
  CHECK(quiet.occasions("sinh-nhat")["occasions"] == 1);
  CHECK(quiet.due_deliveries()["count"] == 0);   // made, not yet due
  CHECK(quiet.mark("sent", "s/sinh-nhat/1", "2026-06-14T23:30:00Z") == "delivery_not_due");
  CHECK(quiet.runner.store().next_due_utc() == at("2026-06-15T00:00:00Z"));
  quiet.due("2026-06-15T00:00:00Z");
  CHECK(quiet.due_deliveries()["deliveries"][0]["due_at"] == "2026-06-15T00:00:00Z");
  check_rebuilt_alike(quiet);
}

TEST_CASE("scenarios: a 29/02 birthday is greeted on 28/02 in other years and on 29/02 in leap years, once a year") {
  Session session;
  session.member("an", "0912000001", {{"birthday", {{"day", 29}, {"month", 2}}}});
  session.member("binh", "0912000002", {{"birthday", {{"day", 28}, {"month", 2}}}});
  REQUIRE(session.result({{"command", "save_scenario"}, {"time", "2027-01-01T00:00:00Z"},
                          {"scenario", scenario("sinh-nhat", "birthday", {{"title", "Chúc mừng sinh nhật {name}"}})}}) == "ok");
  session.due("2027-02-28T01:59:59Z");
  CHECK(session.occasions("sinh-nhat")["occasions"] == 0);
  session.due("2027-02-28T02:00:00Z");   // 28/02/2027 09:00 local
  Json due = session.due_deliveries();
  REQUIRE(due["count"] == 2);
  CHECK(due["deliveries"][0]["member_id"] == "an");
  CHECK(due["deliveries"][1]["member_id"] == "binh");
  CHECK(due["deliveries"][0]["title"] == "Chúc mừng sinh nhật Khách an");
  // Saving it again with a later hour the same day greets nobody twice.
  REQUIRE(session.result({{"command", "save_scenario"}, {"time", "2027-02-28T03:00:00Z"},
                          {"scenario", scenario("sinh-nhat", "birthday", {{"title", "Chúc mừng sinh nhật {name}"}, {"local_time", "18:00"}})}}) == "ok");
  session.due("2027-03-01T12:00:00Z");
  CHECK(session.occasions("sinh-nhat")["occasions"] == 2);
  session.due("2028-02-28T23:59:59Z");   // 28/02/2028 local has passed: a leap year
  CHECK(session.occasions("sinh-nhat")["occasions"] == 3);   // binh only
  session.due("2028-02-29T11:00:00Z");   // 29/02/2028 18:00 local
  CHECK(session.occasions("sinh-nhat")["occasions"] == 4);
  due = session.due_deliveries();
  CHECK(due["deliveries"][3]["member_id"] == "an");
  CHECK(due["deliveries"][3]["due_at"] == "2028-02-29T11:00:00Z");
  check_rebuilt_alike(session);
}

TEST_CASE("scenarios: a thank-you 90 minutes after a completed order, once per order, quiet hours crossing midnight") {
  Session session;
  session.member("an", "0912000001");
  REQUIRE(session.result({{"command", "save_scenario"}, {"time", "2026-03-01T00:00:00Z"},
                          {"scenario", scenario("cam-on", "order_thanks", {{"delay_minutes", 90}, {"body", "Đơn {order_id}: {order_amount}, {order_points} điểm."},
                                                                            {"quiet_hours", {{"from", "21:00"}, {"to", "08:00"}}}})}}) == "ok");
  const Json order{{"command", "order"}, {"time", "2026-03-02T12:00:00Z"}, {"order_id", "DH-1"}, {"member_id", "an"},
                   {"status", "completed"}, {"amount_vnd", 1000000}};
  REQUIRE(session.result(order) == "ok");   // 19:00 local: due 20:30 local (13:30Z)
  Json later = order;
  later["time"] = "2026-03-02T13:00:00Z";
  CHECK(session.result(later) == "already_applied");   // the same order again: no second thank-you
  later["order_id"] = "DH-2";
  REQUIRE(session.result(later) == "ok");   // 20:00 local: 21:30 is quiet, so 08:00 local (01:00Z)
  session.due("2026-03-02T13:29:59Z");
  CHECK(session.due_deliveries()["count"] == 0);
  session.due("2026-03-02T13:30:00Z");
  Json due = session.due_deliveries();
  REQUIRE(due["count"] == 1);
  CHECK(due["deliveries"][0]["body"] == "Đơn DH-1: 1.000.000 ₫, 10 điểm.");
  session.due("2026-03-03T00:59:59Z");
  CHECK(session.due_deliveries()["count"] == 1);
  session.due("2026-03-03T01:00:00Z");
  due = session.due_deliveries();
  REQUIRE(due["count"] == 2);
  CHECK(due["deliveries"][1]["due_at"] == "2026-03-03T01:00:00Z");
  CHECK(session.occasions("cam-on")["occasions"] == 2);
  // Turned off, it sends nothing more, not even what it had made due.
  REQUIRE(session.result({{"command", "save_scenario"}, {"time", "2026-03-03T02:00:00Z"},
                          {"scenario", scenario("cam-on", "order_thanks", {{"enabled", false}, {"delay_minutes", 90}, {"body", "Đơn {order_id}: {order_amount}, {order_points} điểm."},
                                                                            {"quiet_hours", {{"from", "21:00"}, {"to", "08:00"}}}})}}) == "ok");
  CHECK(session.due_deliveries()["count"] == 0);
  CHECK(session.occasions("cam-on")["skipped"] == 2);
  check_rebuilt_alike(session);
}

TEST_CASE("scenarios: a tier upgrade fires once per upgrade, never on joining; its message names both tiers") {
  Session session;
  REQUIRE(session.result({{"command", "save_scenario"}, {"time", "2026-01-01T00:00:00Z"},
                          {"scenario", scenario("len-hang", "tier_upgrade", {{"title", "{name} lên hạng {tier}"}, {"body", "Từ {previous_tier} lên {tier}."}})}}) == "ok");
  session.member("an", "0912000001");
  CHECK(session.occasions("len-hang")["occasions"] == 0);
  // 10,000,000 VND at 20,000 VND per tier point: 500, Vàng.
  REQUIRE(session.result({{"command", "order"}, {"time", "2026-03-02T12:00:00Z"}, {"order_id", "DH-1"}, {"member_id", "an"},
                          {"status", "completed"}, {"amount_vnd", 9980000}}) == "ok");
  CHECK(session.occasions("len-hang")["occasions"] == 0);   // 499 tier points
  REQUIRE(session.result({{"command", "order"}, {"time", "2026-03-02T13:00:00Z"}, {"order_id", "DH-2"}, {"member_id", "an"},
                          {"status", "completed"}, {"amount_vnd", 20000}}) == "ok");
  Json due = session.due_deliveries();
  REQUIRE(due["count"] == 1);
  CHECK(due["deliveries"][0]["title"] == "Khách an lên hạng Vàng");
  CHECK(due["deliveries"][0]["body_en"] == "Từ Silver lên Gold.");
  CHECK(due["deliveries"][0]["due_at"] == "2026-03-02T13:00:00Z");
  REQUIRE(session.result({{"command", "order"}, {"time", "2026-03-02T14:00:00Z"}, {"order_id", "DH-3"}, {"member_id", "an"},
                          {"status", "completed"}, {"amount_vnd", 100000}}) == "ok");
  CHECK(session.occasions("len-hang")["occasions"] == 1);
  check_rebuilt_alike(session);
}

TEST_CASE("scenarios: points expiring 3 days before the last day they can be spent, once per lot's date") {
  Session session(notification_program("Asia/Ho_Chi_Minh", ExpiryRule::months_after));
  session.member("an", "0912000001");
  // 10:00 local on 10/03: the lot expires at 10:00 local on 10/04, its last day 10/04.
  REQUIRE(session.result({{"command", "order"}, {"time", "2026-03-10T03:00:00Z"}, {"order_id", "DH-1"}, {"member_id", "an"},
                          {"status", "completed"}, {"amount_vnd", 1500000}}) == "ok");
  REQUIRE(session.result({{"command", "save_scenario"}, {"time", "2026-04-01T00:00:00Z"},
                          {"scenario", scenario("het-han", "points_expiring", {{"days_before", 3}, {"body", "{expiring_points} điểm hết hạn sau {expiry_date}."}})}}) == "ok");
  CHECK(session.data({{"command", "get_scenario"}, {"scenario_id", "het-han"}})["next_run"] == "2026-04-01T02:00:00Z");
  session.due("2026-04-07T01:59:59Z");
  CHECK(session.occasions("het-han")["occasions"] == 0);
  session.due("2026-04-07T02:00:00Z");   // 07/04 09:00 local
  Json due = session.due_deliveries();
  REQUIRE(due["count"] == 1);
  CHECK(due["deliveries"][0]["body"] == "15 điểm hết hạn sau 10/04/2026.");
  session.due("2026-04-09T12:00:00Z");
  CHECK(session.occasions("het-han")["occasions"] == 1);
  check_rebuilt_alike(session);
}

TEST_CASE("scenarios: a balance reaching the threshold fires once per crossing, again after falling below") {
  Session session;
  session.member("an", "0912000001");
  session.member("binh", "0912000002");
  auto adjust = [&](const char* member, Points points, const char* key, const char* time) {
    REQUIRE(session.result({{"command", "adjust_points"}, {"time", time}, {"member_id", member}, {"points", points},
                            {"reason", "điều chỉnh"}, {"actor", "chu"}, {"idempotency_key", key}}) == "ok");
  };
  adjust("binh", 700, "b-1", "2026-02-01T00:00:00Z");
  REQUIRE(session.result({{"command", "save_scenario"}, {"time", "2026-03-01T00:00:00Z"},
                          {"scenario", scenario("du-diem", "balance_threshold", {{"threshold_points", 500}, {"body", "Bạn đã có {points} điểm, vượt {threshold}."}})}}) == "ok");
  adjust("binh", 1, "b-2", "2026-03-01T01:00:00Z");   // already above when saved: no crossing
  adjust("an", 499, "a-1", "2026-03-01T02:00:00Z");
  CHECK(session.occasions("du-diem")["occasions"] == 0);
  adjust("an", 1, "a-2", "2026-03-01T03:00:00Z");   // 500: reached
  adjust("an", 100, "a-3", "2026-03-01T04:00:00Z");
  Json due = session.due_deliveries();
  REQUIRE(due["count"] == 1);
  CHECK(due["deliveries"][0]["body"] == "Bạn đã có 600 điểm, vượt 500.");
  CHECK(due["deliveries"][0]["due_at"] == "2026-03-01T03:00:00Z");
  adjust("an", -101, "a-4", "2026-03-02T00:00:00Z");   // 499: below again
  adjust("an", 1, "a-5", "2026-03-03T00:00:00Z");      // 500: a second crossing
  CHECK(session.occasions("du-diem")["occasions"] == 2);
  CHECK(session.due_deliveries()["deliveries"][1]["due_at"] == "2026-03-03T00:00:00Z");
  // Blocked members never get one.
  REQUIRE(session.result({{"command", "update_member"}, {"time", "2026-03-04T00:00:00Z"}, {"member_id", "an"}, {"status", "blocked"}}) == "ok");
  CHECK(session.due_deliveries()["count"] == 0);
  CHECK(session.occasions("du-diem")["skipped"] == 2);
  check_rebuilt_alike(session);
}

TEST_CASE("notifications: due_deliveries answers at the clock, not after it; a cursor that is not a delivery is refused") {
  Session session;
  session.member("an", "0912000001");
  Json refused = session.run({{"command", "due_deliveries"}, {"time", "2030-01-01T00:00:00Z"}});
  CHECK(refused["result"] == "invalid_field");
  CHECK(refused["errors"][0]["field"] == "time");
  refused = session.run({{"command", "due_deliveries"}, {"after", "n/khong-co/an"}});
  CHECK(refused["errors"][0]["field"] == "after");
  CHECK(session.run({{"command", "due_deliveries"}, {"limit", 0}})["result"] == "invalid_field");
}

TEST_CASE("notifications: metrics: deliveries, opens and clicks; orders within 7 days after an open are attributed to its campaign") {
  Session session;
  session.member("an", "0912000001");
  session.member("binh", "0912000002");
  REQUIRE(session.result({{"command", "save_campaign"}, {"time", "2026-03-01T00:00:00Z"},
                          {"campaign", {{"campaign_id", "he"}, {"name", "Hè"}, {"starts_at", "2026-03-01T00:00:00Z"}, {"ends_at", "2026-09-01T00:00:00Z"},
                                        {"reward", {{"kind", "fixed_amount"}, {"amount_vnd", 50000}}}, {"total_quantity", 100}}}}) == "ok");
  REQUIRE(session.result({{"command", "save_notification"}, {"time", "2026-03-01T00:00:00Z"},
                          {"notification", notification("he", {{"body", "Xem {campaign}"}, {"target", {{"kind", "campaign"}, {"campaign_id", "he"}}}})}}) == "ok");
  REQUIRE(session.result({{"command", "schedule_notification"}, {"time", "2026-03-01T00:00:00Z"}, {"notification_id", "he"}}) == "ok");
  CHECK(session.due_deliveries()["deliveries"][0]["body"] == "Xem Hè");
  auto order = [&](const char* id, const char* member, const char* time, Vnd amount) {
    REQUIRE(session.result({{"command", "order"}, {"time", time}, {"order_id", id}, {"member_id", member}, {"status", "completed"}, {"amount_vnd", amount}}) == "ok");
  };
  order("DH-0", "an", "2026-03-01T12:00:00Z", 100000);   // before the open: not attributed
  REQUIRE(session.mark("sent", "n/he/an", "2026-03-02T00:00:00Z") == "ok");
  REQUIRE(session.mark("sent", "n/he/binh", "2026-03-02T00:00:00Z") == "ok");
  REQUIRE(session.mark("clicked", "n/he/an", "2026-03-02T10:00:00Z") == "ok");
  order("DH-1", "an", "2026-03-05T00:00:00Z", 300000);   // 2 days 14 h after the open
  order("DH-2", "an", "2026-03-09T10:00:00Z", 200000);   // exactly 7 days after: still attributed
  order("DH-3", "an", "2026-03-09T10:00:01Z", 400000);   // one second later: not
  order("DH-4", "binh", "2026-03-05T00:00:00Z", 500000); // binh never opened it
  Json metrics = session.data({{"command", "metrics"}, {"from", "2026-03-01T00:00:00Z"}, {"to", "2026-04-01T00:00:00Z"}, {"bucket", "month"}});
  REQUIRE(metrics["notifications"].size() == 1);
  const Json figures = metrics["notifications"][0];
  CHECK(figures["notification_id"] == "he");
  CHECK(figures["campaign_id"] == "he");
  CHECK(figures["deliveries"] == 2);
  CHECK(figures["sent"] == 2);
  CHECK(figures["opened"] == 1);
  CHECK(figures["clicked"] == 1);
  CHECK(figures["opened_in_period"] == 1);
  CHECK(figures["attributed_orders"] == 2);
  CHECK(figures["attributed_revenue_vnd"] == 500000);
  CHECK(metrics["campaign_attribution"] == Json::parse(R"([{"campaign_id":"he","orders":2,"revenue_vnd":500000}])"));
  // A window of 2 days takes none; a period that ends before the orders counts none either.
  metrics = session.data({{"command", "metrics"}, {"from", "2026-03-01T00:00:00Z"}, {"to", "2026-04-01T00:00:00Z"}, {"bucket", "month"}, {"attribution_days", 2}});
  CHECK(metrics["notifications"][0]["attributed_orders"] == 0);
  metrics = session.data({{"command", "metrics"}, {"from", "2026-03-01T00:00:00Z"}, {"to", "2026-03-05T00:00:00Z"}, {"bucket", "month"}});
  CHECK(metrics["notifications"][0]["attributed_orders"] == 0);
  CHECK(session.run({{"command", "metrics"}, {"from", "2026-03-01T00:00:00Z"}, {"attribution_days", 91}})["result"] == "invalid_field");
  check_rebuilt_alike(session);
}

TEST_CASE("notifications: the Zalo opt-in is a member field set by update_member; a Zalo notification and a group filter read it") {
  Session session;
  session.member("an", "0912000001", {{"opt_ins", {{"zalo", true}}}});
  session.member("binh", "0912000002");
  CHECK(session.data({{"command", "get_member"}, {"member_id", "binh"}})["member"]["opt_ins"]["zalo"] == false);
  REQUIRE(session.result({{"command", "update_member"}, {"time", "2026-02-01T00:00:00Z"}, {"member_id", "binh"}, {"opt_ins", {{"zalo", true}}}}) == "ok");
  REQUIRE(session.result({{"command", "update_member"}, {"time", "2026-02-01T00:00:00Z"}, {"member_id", "an"}, {"opt_ins", {{"zalo", false}}}}) == "ok");
  REQUIRE(session.result({{"command", "save_group"}, {"time", "2026-02-01T00:00:00Z"}, {"group_id", "zalo"}, {"name", "Zalo"},
                          {"kind", "dynamic"}, {"filter", {{"opt_in", "zalo"}}}}) == "ok");
  const Json members = session.data({{"command", "group_members"}, {"group_id", "zalo"}});
  REQUIRE(members["members"].size() == 1);
  CHECK(members["members"][0]["member_id"] == "binh");
  REQUIRE(session.result({{"command", "save_notification"}, {"time", "2026-02-01T00:00:00Z"}, {"notification", notification("zalo", {{"channel", "zalo"}})}}) == "ok");
  REQUIRE(session.result({{"command", "schedule_notification"}, {"time", "2026-02-01T00:00:00Z"}, {"notification_id", "zalo"}}) == "ok");
  CHECK(session.due_ids() == std::vector<std::string>{"n/zalo/binh"});
  CHECK(session.due_deliveries()["deliveries"][0]["channel"] == "zalo");
  check_rebuilt_alike(session);
}

TEST_CASE("notifications: a config built by hand is held to the document's rules") {
  loyalty::testing::StoreFixture fixture;
  NotificationConfig config;
  config.notification_id = "a/b";   // a '/' would break the delivery ids
  config.message = MessageText{"Chào {ten}", "Thân", "", ""};
  Result result = fixture.store.save_notification(config, at("2026-03-01T00:00:00Z"), fixture.changes);
  REQUIRE(result.code == ResultCode::invalid_field);
  REQUIRE(result.errors.size() == 2);
  CHECK(result.errors[0].path == "notification.notification_id");
  CHECK(result.errors[1].path == "notification.title");
  ScenarioConfig scenario;
  scenario.scenario_id = "nguong";
  scenario.name = "Ngưỡng";
  scenario.kind = ScenarioKind::balance_threshold;
  scenario.message = MessageText{"Chào", "Thân", "", ""};
  scenario.threshold_points = 0;   // the document requires 1 or more
  result = fixture.store.save_scenario(scenario, at("2026-03-01T00:00:00Z"), fixture.changes);
  REQUIRE(result.code == ResultCode::invalid_field);
  CHECK(result.errors[0].path == "scenario.threshold_points");
  CHECK(fixture.store.notifications().notifications().empty());
  CHECK(fixture.store.notifications().scenarios().empty());
}

TEST_CASE("notifications: marking a delivery sent carries a delivery_sent event with its message, once") {
  Session session;
  session.member("an", "0912000001");
  REQUIRE(session.result({{"command", "save_notification"}, {"time", "2026-03-01T00:00:00Z"},
                          {"notification", notification("mot", {{"target", {{"kind", "link"}, {"url", "https://cua-hang.vn/a"}}}})}}) == "ok");
  REQUIRE(session.result({{"command", "schedule_notification"}, {"time", "2026-03-01T00:00:00Z"}, {"notification_id", "mot"}}) == "ok");
  const Json sent = session.run({{"command", "mark_delivery_sent"}, {"time", "2026-03-01T00:00:05Z"}, {"delivery_id", "n/mot/an"}});
  REQUIRE(sent["result"] == "ok");
  REQUIRE(sent["events"].size() == 1);
  const Json event = sent["events"][0];
  CHECK(event["kind"] == "delivery_sent");
  CHECK(event["time"] == "2026-03-01T00:00:05Z");
  CHECK(event["member_id"] == "an");
  CHECK(event["delivery_id"] == "n/mot/an");
  CHECK(event["state"] == "sent");
  CHECK(event["title"] == "Chào Khách an");
  CHECK(event["body"] == "Bạn có 0 điểm (0 ₫), hạng Bạc.");
  CHECK(event["target"] == Json::parse(R"({"kind":"link","url":"https://cua-hang.vn/a"})"));
  const Json again = session.run({{"command", "mark_delivery_sent"}, {"time", "2026-03-01T00:00:06Z"}, {"delivery_id", "n/mot/an"}});
  CHECK(again["result"] == "already_applied");
  CHECK(again["events"].empty());
  check_rebuilt_alike(session);
}
