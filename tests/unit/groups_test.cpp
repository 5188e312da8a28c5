// Customer groups (core/groups/): CSV import as Excel writes it, every filter condition at
// its boundaries, time zone days and 29/02, blocked members, references between groups
// (no cycles), paging, and replay: a store rebuilt from its journal, or from a snapshot and
// the journal's tail, answers every group read exactly as the live one.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/basics/seeded_random.hpp"
#include "core/commands/command_runner.hpp"
#include "core/groups/group_csv.hpp"
#include "core/members/card_number.hpp"
#include "core/snapshot/store_snapshot.hpp"
#include "tests/unit/store_fixture.hpp"

using namespace loyalty;
using loyalty::testing::at;
using loyalty::testing::StoreFixture;

namespace {

const char* program_line =
    R"({"command":"save_program","time":"2026-01-01T00:00:00Z","actor":"owner","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"tier_points":{"vnd_per_tier_point":20000,"window_months":12},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0},{"id":"vang","name":"Vàng","tier_points_needed":500}]}})";

// A runner that keeps its journal as a host does.
struct Run {
  CommandRunner runner;
  std::vector<std::string> journal;
  std::size_t line_number = 0;
  Json apply(const std::string& line) {
    CommandOutput output = runner.run_line(line, ++line_number);
    if (!output.journal_before.empty()) journal.push_back(output.journal_before);
    if (output.journal) journal.push_back(line);
    return output.result;
  }
  Json apply(const Json& command) { return apply(command.dump()); }
  std::string result(const Json& command) { return apply(command)["result"].get<std::string>(); }
};

Json member_line(const std::string& id, const std::string& phone, const char* time = "2026-01-02T00:00:00Z") {
  return Json{{"command", "create_member"}, {"time", time}, {"member_id", id}, {"phone", phone}, {"name", "Khách " + id}};
}

Json static_group(const std::string& id, const char* time = "2026-01-03T00:00:00Z") {
  return Json{{"command", "save_group"}, {"time", time}, {"group_id", id}, {"name", "Nhóm " + id}, {"kind", "static"}};
}

Json dynamic_group(const std::string& id, const Json& filter, const char* time = "2026-01-03T00:00:00Z") {
  return Json{{"command", "save_group"}, {"time", time}, {"group_id", id}, {"name", "Nhóm " + id}, {"kind", "dynamic"}, {"filter", filter}};
}

Json import_line(const std::string& group_id, const std::string& csv, const char* time = "2026-01-04T00:00:00Z") {
  return Json{{"command", "import_group_members"}, {"time", time}, {"group_id", group_id}, {"csv", csv}};
}

// The member ids of a whole group at `time` (or the clock), read through group_members.
std::vector<std::string> ids_of(Run& run, const std::string& group_id, const char* time = nullptr) {
  Json command{{"command", "group_members"}, {"group_id", group_id}, {"limit", 1000}};
  if (time != nullptr) command["time"] = time;
  const Json result = run.apply(command);
  REQUIRE_MESSAGE(result["result"] == "ok", result.dump());
  std::vector<std::string> ids;
  for (const Json& member : result["data"]["members"]) ids.push_back(member["member_id"].get<std::string>());
  CHECK(result["data"]["count"] == ids.size());
  return ids;
}

std::vector<std::string> error_fields(const Json& result) {
  std::vector<std::string> fields;
  for (const Json& error : result.value("errors", Json::array())) fields.push_back(error["field"].get<std::string>());
  return fields;
}

// A store with the program and members a (0912345678), b (0987654321), c (0358111222).
Run three_members() {
  Run run;
  REQUIRE(run.result(Json::parse(program_line)) == "ok");
  REQUIRE(run.result(member_line("a", "0912345678")) == "ok");
  REQUIRE(run.result(member_line("b", "0987654321")) == "ok");
  REQUIRE(run.result(member_line("c", "0358111222")) == "ok");
  return run;
}

}  // namespace

// [SECTION] CSV -------------------------------------------------------------------------------
TEST_CASE("groups: CSV records as Excel writes them: BOM, semicolons, quotes, line breaks in quotes, CRLF, CR, sep=") {
  std::vector<std::string> cells;
  {
    CsvReader csv("\xEF\xBB\xBF" "Tên;SĐT\r\n\"Nguyễn; An\";0912 345 678\r\n\"Lê \"\"Bé\"\"\";\"09\r\n87\"\r\n");
    CHECK(csv.delimiter() == ';');
    REQUIRE(csv.next(cells));
    CHECK(cells == std::vector<std::string>{"Tên", "SĐT"});
    REQUIRE(csv.next(cells));
    CHECK(cells == std::vector<std::string>{"Nguyễn; An", "0912 345 678"});
    REQUIRE(csv.next(cells));
    CHECK(cells == std::vector<std::string>{"Lê \"Bé\"", "09\r\n87"});
    CHECK(csv.row() == 3);
    CHECK(!csv.next(cells));
    CHECK(!csv.failed());
  }
  {
    CsvReader csv("phone,name\r0912345678,An\r0987654321,\"Bình, Trần\"");   // old Mac line ends, no final one
    CHECK(csv.delimiter() == ',');
    REQUIRE(csv.next(cells));
    REQUIRE(csv.next(cells));
    CHECK(cells == std::vector<std::string>{"0912345678", "An"});
    REQUIRE(csv.next(cells));
    CHECK(cells == std::vector<std::string>{"0987654321", "Bình, Trần"});
    CHECK(!csv.next(cells));
  }
  {
    CsvReader csv("sep=,\nmember_id;x,phone\n");   // Excel's hint wins over counting
    CHECK(csv.delimiter() == ',');
    REQUIRE(csv.next(cells));
    CHECK(cells == std::vector<std::string>{"member_id;x", "phone"});
    CHECK(csv.row() == 1);
  }
  {
    CsvReader csv("phone\tname\n0912345678\tAn\n");
    CHECK(csv.delimiter() == '\t');
  }
  {
    CsvReader csv("phone\n\"0912345678\n");
    REQUIRE(csv.next(cells));
    CHECK(!csv.next(cells));
    CHECK(csv.failed());
    CHECK(csv.row() == 2);
  }
  CHECK(restore_phone_zero("912345678") == "0912345678");
  CHECK(restore_phone_zero("2438261234") == "02438261234");
  CHECK(restore_phone_zero("123456789") == "123456789");
}

TEST_CASE("groups: header names in Vietnamese or English, with or without diacritics") {
  CHECK(csv_column_from_header("Số điện thoại") == CsvColumn::phone);
  CHECK(csv_column_from_header("SĐT") == CsvColumn::phone);
  CHECK(csv_column_from_header("so dien thoai") == CsvColumn::phone);
  CHECK(csv_column_from_header("Phone") == CsvColumn::phone);
  CHECK(csv_column_from_header("Mã thẻ") == CsvColumn::card_number);
  CHECK(csv_column_from_header("card_number") == CsvColumn::card_number);
  CHECK(csv_column_from_header("member_id") == CsvColumn::member_id);
  CHECK(csv_column_from_header("Mã khách hàng") == CsvColumn::member_id);
  CHECK(csv_column_from_header("Họ tên") == CsvColumn::other);
}

// [SECTION] Import ----------------------------------------------------------------------------
TEST_CASE("groups: an import reports rows matched, unmatched and invalid with their row numbers") {
  Run run = three_members();
  REQUIRE(run.result(static_group("vip")) == "ok");
  // Row 1 the header; a (Excel dropped the 0), b twice (the second a duplicate, +84 form),
  // c by card number, an unknown phone, an invalid phone, a blank row, a row without an id.
  const std::string csv = "\xEF\xBB\xBF" "Họ tên;Số điện thoại;Mã thẻ\r\n"
                          "An;912345678;\r\n"
                          "Bình;0987 654 321;\r\n"
                          "Bình;+84 987.654.321;\r\n"
                          "Cường;;8000000037\r\n"
                          "Dũng;0900000000;\r\n"
                          "Em;0123;\r\n"
                          ";;\r\n"
                          "Giang;;\r\n";
  const Json result = run.apply(import_line("vip", csv));
  REQUIRE_MESSAGE(result["result"] == "ok", result.dump());
  const Json& report = result["import"];
  CHECK(report["rows"] == 7);
  CHECK(report["blank_rows"] == 1);
  CHECK(report["matched"] == 4);
  CHECK(report["duplicates"] == 1);
  CHECK(report["added"] == 3);
  CHECK(report["unmatched"] == 1);
  CHECK(report["invalid"] == 2);
  CHECK(report["listed_members"] == 3);
  CHECK(report["unmatched_rows"] == Json::parse(R"([{"row":6,"value":"0900000000"}])"));
  REQUIRE(report["invalid_rows"].size() == 2);
  CHECK(report["invalid_rows"][0]["row"] == 7);
  CHECK(report["invalid_rows"][0]["value"] == "0123");
  CHECK(report["invalid_rows"][1]["row"] == 9);
  CHECK(report["invalid_rows"][1]["en"] == "no phone, card number or member_id");
  CHECK(ids_of(run, "vip") == std::vector<std::string>{"a", "b", "c"});

  // The same file again changes nothing: already_applied, not journaled.
  const std::size_t journal_size = run.journal.size();
  const Json again = run.apply(import_line("vip", csv));
  CHECK(again["result"] == "already_applied");
  CHECK(again["import"]["already_members"] == 3);
  CHECK(run.journal.size() == journal_size);
}

TEST_CASE("groups: a refused import changes nothing: empty, header only, no id column, open quote, all_rows_required") {
  Run run = three_members();
  REQUIRE(run.result(static_group("vip")) == "ok");
  REQUIRE(run.apply(import_line("vip", "member_id\nc\n"))["result"] == "ok");
  const std::size_t journal_size = run.journal.size();
  auto refused_on_csv = [&](const std::string& csv, const char* english) {
    const Json result = run.apply(import_line("vip", csv));
    CHECK_MESSAGE(result["result"] == "invalid_field", result.dump());
    REQUIRE(result.contains("errors"));
    CHECK(result["errors"][0]["field"].get<std::string>().rfind("csv", 0) == 0);
    CHECK_MESSAGE(result["errors"][0]["en"].get<std::string>().find(english) != std::string::npos, result.dump());
    CHECK(!result.contains("import"));
  };
  refused_on_csv("", "is empty");
  refused_on_csv("\xEF\xBB\xBF", "is empty");
  refused_on_csv("Số điện thoại\r\n", "no rows below the header");
  refused_on_csv("Số điện thoại;Tên\r\n;\r\n\r\n", "no rows below the header");
  refused_on_csv("Họ tên;Ghi chú\nAn;x\n", "no phone, card number or member_id column");
  refused_on_csv("phone\n0912345678\n\"0987654321\n", "row 3 is never closed");
  {
    Json line = import_line("vip", "phone\n0912345678\n0900000000\n0123\n");
    line["all_rows_required"] = true;
    const Json result = run.apply(line);
    CHECK(result["result"] == "invalid_field");
    CHECK(error_fields(result) == std::vector<std::string>{"csv[3]", "csv[4]"});
    CHECK(result["errors"][0]["en"] == "no member has this phone number: 0900000000");
  }
  {
    // The import of a dynamic group, or of no group.
    REQUIRE(run.result(dynamic_group("birthday", Json{{"birthday_month", 6}})) == "ok");
    CHECK(run.result(import_line("birthday", "phone\n0912345678\n")) == "group_not_static");
    CHECK(run.result(import_line("nobody", "phone\n0912345678\n")) == "group_not_found");
  }
  CHECK(ids_of(run, "vip") == std::vector<std::string>{"c"});
  CHECK(run.journal.size() == journal_size + 1);   // only the dynamic group's save
}

TEST_CASE("groups: replace mode sets the list to the file's members; add and remove by member id") {
  Run run = three_members();
  REQUIRE(run.result(static_group("vip")) == "ok");
  Json add{{"command", "add_group_members"}, {"time", "2026-01-04T00:00:00Z"}, {"group_id", "vip"}, {"member_ids", {"a", "b"}}};
  Json result = run.apply(add);
  CHECK(result["result"] == "ok");
  CHECK(result["change"] == Json::parse(R"({"group_id":"vip","added":2,"already_members":0,"listed_members":2})"));
  CHECK(run.result(add) == "already_applied");
  Json replace = import_line("vip", "card_number\n8000000037\n8000000011\n");
  replace["mode"] = "replace";
  result = run.apply(replace);
  CHECK(result["import"]["added"] == 1);
  CHECK(result["import"]["removed"] == 1);
  CHECK(result["import"]["already_members"] == 1);
  CHECK(ids_of(run, "vip") == std::vector<std::string>{"a", "c"});
  // An unknown member refuses the whole command, naming the entry.
  Json remove{{"command", "remove_group_members"}, {"time", "2026-01-04T00:00:00Z"}, {"group_id", "vip"}, {"member_ids", {"a", "zz"}}};
  result = run.apply(remove);
  CHECK(result["result"] == "invalid_field");
  CHECK(error_fields(result) == std::vector<std::string>{"member_ids[1]"});
  CHECK(ids_of(run, "vip") == std::vector<std::string>{"a", "c"});
  remove["member_ids"] = {"a", "b"};
  result = run.apply(remove);
  CHECK(result["change"] == Json::parse(R"({"group_id":"vip","removed":1,"not_members":1,"listed_members":1})"));
  CHECK(run.result(Json{{"command", "add_group_members"}, {"time", "2026-01-04T00:00:00Z"}, {"group_id", "vip"}, {"member_ids", Json::array()}}) ==
        "invalid_field");
}

TEST_CASE("groups: 100,000 rows import in one command, duplicates and unknown phones counted") {
  Store store;
  Changes changes;
  REQUIRE(store.save_program(loyalty::testing::seed_program(), at("2026-01-01T00:00:00Z"), "owner", changes).ok());
  constexpr int members = 50'000;
  for (int i = 0; i < members; ++i) {
    NewMember member;
    member.phone = "09" + std::to_string(10'000'000 + i);
    member.name = "Khách " + std::to_string(i);
    REQUIRE(store.create_member(member, at("2026-01-02T00:00:00Z"), changes).code == ResultCode::ok);
  }
  GroupDefinition definition;
  definition.group_id = "lon";
  definition.name = "Danh sách lớn";
  REQUIRE(store.save_group(definition, at("2026-01-03T00:00:00Z"), changes).ok());
  // Every member twice (once as "09x xxx xxxx" with spaces, once lost its 0 in Excel), and
  // unknown numbers: 100,000 rows and a header.
  std::string csv = "Số điện thoại;Tên\r\n";
  for (int i = 0; i < members; ++i) {
    const std::string phone = "09" + std::to_string(10'000'000 + i);
    csv += phone.substr(0, 4) + " " + phone.substr(4, 3) + " " + phone.substr(7) + ";Khách\r\n";
    csv += (i % 10 == 0 ? "0399" + std::to_string(100'000 + i) : phone.substr(1)) + ";Khách\r\n";
  }
  GroupImportRequest request{"lon", csv, ImportMode::add, false};
  GroupImportReport report;
  REQUIRE(store.import_group_members(request, at("2026-01-04T00:00:00Z"), changes, report).code == ResultCode::ok);
  CHECK(report.rows == 100'000);
  CHECK(report.matched == 95'000);
  CHECK(report.duplicates == 45'000);
  CHECK(report.unmatched_count == 5'000);
  CHECK(report.unmatched.size() == import_problems_listed);
  CHECK(report.unmatched[0].row == 3);
  CHECK(report.added == 50'000);
  MemberSet set;
  REQUIRE(store.evaluate_group("lon", at("2026-01-04T00:00:00Z"), set).ok());
  CHECK(set.count() == 50'000);
}

// [SECTION] Filters ---------------------------------------------------------------------------
TEST_CASE("groups: birthdays by month and within N local days: 29/02 in other years, year ends, the zone's midnight") {
  StoreFixture fixture;
  Store& store = fixture.store;
  auto add = [&](const char* id, const char* phone, std::int32_t day, std::int32_t month) {
    fixture.add_member(id, phone, id);
    MemberUpdate update;
    update.member_id = id;
    update.birthday = Birthday{day, month, 0};
    REQUIRE(store.update_member(update, at("2026-01-02T00:00:00Z"), fixture.changes).ok());
  };
  add("leap", "0912000001", 29, 2);
  add("june", "0912000002", 15, 6);
  add("jan", "0912000003", 2, 1);
  fixture.add_member("none", "0912000004", "none");
  auto save = [&](const char* id, const Json& filter) {
    GroupFilterReading reading = read_group_filter(filter, "filter");
    REQUIRE(reading.filter);
    REQUIRE(store.save_group(GroupDefinition{id, id, "", "", GroupKind::dynamic, *reading.filter}, at("2026-01-03T00:00:00Z"),
                             fixture.changes).code == ResultCode::ok);
  };
  save("june", Json{{"birthday_month", 6}});
  save("today", Json{{"birthday_within_days", 0}});
  save("week", Json{{"birthday_within_days", 7}});
  save("year", Json{{"birthday_within_days", 364}});
  const MemberIndex leap = store.find_member("leap"), june = store.find_member("june"), jan = store.find_member("jan");
  const MemberIndex none = store.find_member("none");
  CHECK(store.member_in_group(june, "june", at("2026-01-03T00:00:00Z")));
  CHECK(!store.member_in_group(leap, "june", at("2026-01-03T00:00:00Z")));
  CHECK(!store.member_in_group(none, "june", at("2026-01-03T00:00:00Z")));
  // 2027 is not a leap year: 29/02 is kept on 28/02 (local day, UTC+7).
  CHECK(store.member_in_group(leap, "today", at("2027-02-27T17:00:00Z")));    // 28/02 00:00 local
  CHECK(!store.member_in_group(leap, "today", at("2027-02-27T16:59:59Z")));   // still 27/02 local
  CHECK(store.member_in_group(leap, "week", at("2027-02-21T17:00:00Z")));     // 22/02: 6 days ahead
  CHECK(!store.member_in_group(leap, "week", at("2027-03-01T00:00:00Z")));    // next is 29/02/2028
  CHECK(!store.member_in_group(leap, "year", at("2027-03-01T00:00:00Z")));    // 365 days ahead
  CHECK(store.member_in_group(leap, "today", at("2028-02-28T17:00:00Z")));    // 29/02/2028 itself
  CHECK(!store.member_in_group(leap, "today", at("2028-02-27T17:00:00Z")));   // 28/02/2028: not in a leap year
  // Across the year's end: from 30/12 local, 02/01 is 3 days ahead.
  CHECK(store.member_in_group(jan, "week", at("2026-12-29T17:00:00Z")));
  save("three", Json{{"birthday_within_days", 3}});
  save("two", Json{{"birthday_within_days", 2}});
  CHECK(store.member_in_group(jan, "three", at("2026-12-29T17:00:00Z")));
  CHECK(!store.member_in_group(jan, "two", at("2026-12-29T17:00:00Z")));
  // Whole groups give the same answer as one member at a time.
  MemberSet set;
  REQUIRE(store.evaluate_group("today", at("2027-02-27T17:00:00Z"), set).ok());
  CHECK(set.count() == 1);
  CHECK(set.contains(leap));
}

TEST_CASE("groups: tier, tier points and points at the evaluation time; ranges include both bounds") {
  StoreFixture fixture(12);   // a 12-month window
  Store& store = fixture.store;
  const MemberIndex an = fixture.add_member("an", "0912345678", "An");
  const MemberIndex binh = fixture.add_member("binh", "0987654321", "Bình");
  REQUIRE(fixture.order("A1", "an", 10'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());   // 500 tier points: Vàng
  REQUIRE(fixture.order("B1", "binh", 9'980'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());  // 499
  auto save = [&](const char* id, const Json& filter) {
    GroupFilterReading reading = read_group_filter(filter, "filter");
    REQUIRE_MESSAGE(reading.filter, Json(filter).dump());
    REQUIRE(store.save_group(GroupDefinition{id, id, "", "", GroupKind::dynamic, *reading.filter}, at("2026-02-02T00:00:00Z"),
                             fixture.changes).code == ResultCode::ok);
  };
  save("vang", Json{{"tier", "vang"}});
  save("499_500", Json::parse(R"({"tier_points":{"min":499,"max":500}})"));
  save("500_up", Json::parse(R"({"tier_points":{"min":500}})"));
  save("rich", Json::parse(R"({"points":{"min":100}})"));
  save("unknown_tier", Json{{"tier", "kim_cuong"}});
  const UtcSeconds june = at("2026-06-01T00:00:00Z");
  CHECK(store.member_in_group(an, "vang", june));
  CHECK(!store.member_in_group(binh, "vang", june));
  CHECK(store.member_in_group(an, "499_500", june));
  CHECK(store.member_in_group(binh, "499_500", june));
  CHECK(store.member_in_group(an, "500_up", june));
  CHECK(!store.member_in_group(binh, "500_up", june));
  CHECK(!store.member_in_group(an, "unknown_tier", june));
  // Before the order, and once its tier points leave the window, An is not Vàng.
  CHECK(!store.member_in_group(an, "vang", at("2026-02-01T09:00:00Z")));
  CHECK(store.member_in_group(an, "vang", at("2027-02-01T09:59:59Z")));
  CHECK(!store.member_in_group(an, "vang", at("2027-02-01T10:00:00Z")));
  CHECK(store.tier_status(an, at("2027-02-01T10:00:00Z")).tier_index == 0);   // as get_member says
  // Points: An has 100 (1 %), Bình 99.
  CHECK(fixture.points(an) == 100);
  CHECK(store.member_in_group(an, "rich", june));
  CHECK(!store.member_in_group(binh, "rich", june));
}

TEST_CASE("groups: joined, last order and orders in a period, at their boundaries; refunds count as they stand") {
  StoreFixture fixture;
  Store& store = fixture.store;
  const MemberIndex an = fixture.add_member("an", "0912345678", "An");        // joined 2026-01-02T00:00:00Z
  const MemberIndex binh = fixture.add_member("binh", "0987654321", "Bình");
  REQUIRE(fixture.order("A1", "an", 3'000'000, OrderStatus::completed, "2026-03-01T00:00:00Z").ok());
  REQUIRE(fixture.order("A2", "an", 3'000'000, OrderStatus::completed, "2026-05-29T00:00:00Z").ok());
  REQUIRE(fixture.order("B1", "binh", 6'000'000, OrderStatus::completed, "2026-05-01T00:00:00Z").ok());
  auto save = [&](const char* id, const Json& filter) {
    GroupFilterReading reading = read_group_filter(filter, "filter");
    REQUIRE_MESSAGE(reading.filter, Json(filter).dump());
    REQUIRE(store.save_group(GroupDefinition{id, id, "", "", GroupKind::dynamic, *reading.filter}, at("2026-06-01T00:00:00Z"),
                             fixture.changes).code == ResultCode::ok);
  };
  save("joined_from", Json::parse(R"({"joined":{"after":"2026-01-02T00:00:00Z"}})"));
  save("joined_before", Json::parse(R"({"joined":{"before":"2026-01-02T00:00:00Z"}})"));
  save("lapsed", Json::parse(R"({"last_order":{"before":"2026-05-29T00:00:00Z"}})"));
  save("spent_90", Json::parse(R"({"orders":{"last_days":90,"spent_min_vnd":5000001}})"));
  save("two_orders", Json::parse(R"({"orders":{"count_min":2}})"));
  save("march", Json::parse(R"({"orders":{"from":"2026-03-01T00:00:00Z","to":"2026-04-01T00:00:00Z","count_min":1}})"));
  save("no_orders_may", Json::parse(R"({"orders":{"from":"2026-05-01T00:00:00Z","to":"2026-05-29T00:00:00Z","count_max":0}})"));
  const UtcSeconds june = at("2026-06-01T00:00:00Z");
  CHECK(store.member_in_group(an, "joined_from", june));      // after is inclusive
  CHECK(!store.member_in_group(an, "joined_before", june));   // before is exclusive
  CHECK(!store.member_in_group(an, "lapsed", june));          // last order 29/05, not before it
  CHECK(store.member_in_group(binh, "lapsed", june));
  CHECK(store.member_in_group(an, "lapsed", at("2026-05-28T23:59:59Z")));   // A2 not yet completed then
  // The last 90 days are (at - 90 days, at]: with A1 (01/03) and A2 (29/05), 6,000,000.
  CHECK(store.member_in_group(an, "spent_90", at("2026-05-29T00:00:00Z")));
  CHECK(!store.member_in_group(an, "spent_90", at("2026-05-28T23:59:59Z")));   // A1 only
  // A1 leaves the window exactly 90 days after it completed.
  CHECK(store.member_in_group(an, "spent_90", at("2026-03-01T00:00:00Z") + 90 * seconds_per_day - 1));
  CHECK(!store.member_in_group(an, "spent_90", at("2026-03-01T00:00:00Z") + 90 * seconds_per_day));
  CHECK(store.member_in_group(binh, "spent_90", june));
  CHECK(store.member_in_group(an, "two_orders", june));
  CHECK(!store.member_in_group(binh, "two_orders", june));
  CHECK(store.member_in_group(an, "march", june));
  CHECK(!store.member_in_group(binh, "march", june));
  CHECK(store.member_in_group(an, "no_orders_may", june));    // [01/05, 29/05): A2 is on the 29th
  CHECK(!store.member_in_group(binh, "no_orders_may", june));
  // Bình's refund of 1,000,001 takes her to 4,999,999: out. A full refund of A2 leaves An one order.
  REQUIRE(fixture.refund("B1", "r1", 1'000'001, "2026-06-01T01:00:00Z").ok());
  CHECK(!store.member_in_group(binh, "spent_90", june));
  REQUIRE(fixture.refund("A2", "r1", 3'000'000, "2026-06-01T01:00:00Z").ok());
  CHECK(!store.member_in_group(an, "two_orders", june));
  CHECK(store.member_in_group(an, "lapsed", june));   // the refunded order is no longer the last one
}

TEST_CASE("groups: referrers, opt-ins, not, blocked members and members who joined later") {
  Run run = three_members();
  REQUIRE(run.result(Json{{"command", "set_referrer"}, {"time", "2026-02-01T00:00:00Z"}, {"member_id", "b"}, {"referrer_id", "a"}}) == "ok");
  REQUIRE(run.result(Json{{"command", "update_member"}, {"time", "2026-02-01T00:00:00Z"}, {"member_id", "c"}, {"opt_ins", {{"sms", true}, {"push", false}}}}) == "ok");
  REQUIRE(run.result(dynamic_group("referred", Json{{"has_referrer", true}}, "2026-02-02T00:00:00Z")) == "ok");
  REQUIRE(run.result(dynamic_group("not_referred", Json{{"has_referrer", false}}, "2026-02-02T00:00:00Z")) == "ok");
  REQUIRE(run.result(dynamic_group("sms", Json{{"opt_in", "sms"}}, "2026-02-02T00:00:00Z")) == "ok");
  REQUIRE(run.result(dynamic_group("push", Json{{"opt_in", "push"}}, "2026-02-02T00:00:00Z")) == "ok");
  REQUIRE(run.result(dynamic_group("no_sms", Json::parse(R"({"not":{"opt_in":"sms"}})"), "2026-02-02T00:00:00Z")) == "ok");
  REQUIRE(run.result(static_group("list", "2026-02-02T00:00:00Z")) == "ok");
  REQUIRE(run.result(Json{{"command", "add_group_members"}, {"time", "2026-02-02T00:00:00Z"}, {"group_id", "list"}, {"member_ids", {"a", "c"}}}) == "ok");
  CHECK(ids_of(run, "referred") == std::vector<std::string>{"b"});
  CHECK(ids_of(run, "referred", "2026-01-31T23:59:59Z").empty());   // the referrer counts from when it was set
  CHECK(ids_of(run, "not_referred") == std::vector<std::string>{"a", "c"});
  CHECK(ids_of(run, "sms") == std::vector<std::string>{"c"});
  CHECK(ids_of(run, "push") == std::vector<std::string>{"a", "b"});
  CHECK(ids_of(run, "no_sms") == std::vector<std::string>{"a", "b"});
  // Blocked: in no group, static or dynamic, while blocked; the static list keeps the member.
  REQUIRE(run.result(Json{{"command", "update_member"}, {"time", "2026-02-03T00:00:00Z"}, {"member_id", "a"}, {"status", "blocked"}}) == "ok");
  CHECK(ids_of(run, "not_referred") == std::vector<std::string>{"c"});
  CHECK(ids_of(run, "list") == std::vector<std::string>{"c"});
  CHECK(run.apply(Json{{"command", "get_group"}, {"group_id", "list"}})["data"]["listed_members"] == 2);
  CHECK(run.apply(Json{{"command", "member_groups"}, {"member_id", "a"}})["data"]["groups"].empty());
  REQUIRE(run.result(Json{{"command", "update_member"}, {"time", "2026-02-03T00:00:00Z"}, {"member_id", "a"}, {"status", "active"}}) == "ok");
  CHECK(ids_of(run, "list") == std::vector<std::string>{"a", "c"});
  // A member who joins later is not in a dynamic group evaluated before they joined.
  REQUIRE(run.result(member_line("d", "0358111333", "2026-03-01T00:00:00Z")) == "ok");
  CHECK(ids_of(run, "not_referred") == std::vector<std::string>{"a", "c", "d"});
  CHECK(ids_of(run, "not_referred", "2026-02-28T00:00:00Z") == std::vector<std::string>{"a", "c"});
}

TEST_CASE("groups: a group in another group; no group may contain itself; a group in use cannot be deleted") {
  Run run = three_members();
  REQUIRE(run.result(static_group("list")) == "ok");
  REQUIRE(run.result(Json{{"command", "add_group_members"}, {"time", "2026-01-04T00:00:00Z"}, {"group_id", "list"}, {"member_ids", {"a", "b"}}}) == "ok");
  REQUIRE(run.result(dynamic_group("outer", Json::parse(R"({"all":[{"in_group":"list"},{"not":{"in_group":"inner"}}]})"))) == "invalid_field");
  REQUIRE(run.result(dynamic_group("inner", Json{{"opt_in", "push"}})) == "ok");
  REQUIRE(run.result(dynamic_group("outer", Json::parse(R"({"all":[{"in_group":"list"},{"not":{"in_group":"inner"}}]})"))) == "ok");
  CHECK(ids_of(run, "outer").empty());
  REQUIRE(run.result(dynamic_group("inner", Json{{"opt_in", "sms"}})) == "ok");   // an update
  CHECK(ids_of(run, "outer") == std::vector<std::string>{"a", "b"});
  CHECK(run.result(dynamic_group("self", Json{{"in_group", "self"}})) == "group_cycle");
  // inner -> outer -> inner: refused, and inner keeps its filter.
  CHECK(run.result(dynamic_group("inner", Json{{"in_group", "outer"}})) == "group_cycle");
  CHECK(run.apply(Json{{"command", "get_group"}, {"group_id", "inner"}})["data"]["filter"] == Json{{"opt_in", "sms"}});
  CHECK(run.result(Json{{"command", "delete_group"}, {"time", "2026-01-05T00:00:00Z"}, {"group_id", "inner"}}) == "group_in_use");
  CHECK(run.result(Json{{"command", "delete_group"}, {"time", "2026-01-05T00:00:00Z"}, {"group_id", "outer"}}) == "ok");
  CHECK(run.result(Json{{"command", "delete_group"}, {"time", "2026-01-05T00:00:00Z"}, {"group_id", "inner"}}) == "ok");
  CHECK(run.result(Json{{"command", "delete_group"}, {"time", "2026-01-05T00:00:00Z"}, {"group_id", "inner"}}) == "group_not_found");
  // A chain of groups nests at most 8 deep.
  REQUIRE(run.result(dynamic_group("g0", Json{{"opt_in", "push"}})) == "ok");
  for (int i = 1; i <= 8; ++i) {
    REQUIRE(run.result(dynamic_group("g" + std::to_string(i), Json{{"in_group", "g" + std::to_string(i - 1)}})) == "ok");
  }
  const Json too_deep = run.apply(dynamic_group("g9", Json{{"in_group", "g8"}}));
  CHECK(too_deep["result"] == "invalid_field");
  CHECK(error_fields(too_deep) == std::vector<std::string>{"filter"});
}

TEST_CASE("groups: filters are checked whole: nesting, sizes, unknown conditions and fields, bounds") {
  auto errors = [](const std::string& text) {
    std::vector<std::string> paths;
    for (const FieldError& error : read_group_filter(Json::parse(text), "filter").errors) paths.push_back(error.path);
    return paths;
  };
  CHECK(errors(R"({"all":[{"birthday_month":13},{"tier":""},{"colour":"red"}]})") ==
        std::vector<std::string>{"filter.all[0].birthday_month", "filter.all[1].tier", "filter.all[2].colour"});
  CHECK(errors(R"({"birthday_month":6,"tier":"vang"})") == std::vector<std::string>{"filter"});
  CHECK(errors(R"({"any":[]})") == std::vector<std::string>{"filter.any"});
  CHECK(errors(R"({"tier_points":{}})") == std::vector<std::string>{"filter.tier_points"});
  CHECK(errors(R"({"tier_points":{"min":10,"max":9}})") == std::vector<std::string>{"filter.tier_points.max"});
  CHECK(errors(R"({"joined":{"after":"2026-01-01T00:00:00Z","before":"2026-01-01T00:00:00Z"}})") ==
        std::vector<std::string>{"filter.joined.before"});
  CHECK(errors(R"({"orders":{"last_days":90}})") == std::vector<std::string>{"filter.orders"});
  CHECK(errors(R"({"orders":{"last_days":90,"from":"2026-01-01T00:00:00Z","count_min":1}})") ==
        std::vector<std::string>{"filter.orders.last_days"});
  CHECK(errors(R"({"opt_in":"fax"})") == std::vector<std::string>{"filter.opt_in"});
  CHECK(errors(R"({"has_referrer":"yes"})") == std::vector<std::string>{"filter.has_referrer"});
  CHECK(errors(R"([1,2])") == std::vector<std::string>{"filter"});
  // 8 levels of all/any/not are accepted, 9 are not.
  std::string deep = R"({"birthday_month":6})";
  for (int i = 0; i < 8; ++i) deep = (i % 2 ? R"({"not":)" : R"({"all":[)") + deep + (i % 2 ? "}" : "]}");
  CHECK(errors(deep).empty());
  CHECK(errors(R"({"any":[)" + deep + "]}").size() == 1);
  // At most 100 conditions.
  std::string wide = R"({"any":[)";
  for (int i = 0; i < 50; ++i) wide += std::string(i ? "," : "") + R"({"all":[{"birthday_month":1},{"birthday_month":2}]})";
  wide += "]}";
  CHECK(errors(wide).size() == 1);
  // The canonical form reads back to the same filter.
  const std::string text = R"({"any":[{"all":[{"birthday_month":6},{"tier":"vang"}]},{"orders":{"last_days":90,"spent_min_vnd":5000001}},{"not":{"points":{"min":-5,"max":10}}},{"last_order":{"after":"2026-01-01T00:00:00Z"}},{"has_referrer":false},{"opt_in":"email"},{"birthday_within_days":0}]})";
  const GroupFilterReading reading = read_group_filter(Json::parse(text), "filter");
  REQUIRE(reading.filter);
  CHECK(group_filter_to_json(*reading.filter).dump() == text);
}

TEST_CASE("groups: save_group checks, updates and idempotent retries; at most 1,000 groups") {
  Run run = three_members();
  Json line = dynamic_group("june", Json{{"birthday_month", 6}});
  line["name_en"] = "Born in June";
  line["description"] = "Sinh nhật tháng 6";
  Json result = run.apply(line);
  REQUIRE(result["result"] == "ok");
  CHECK(result["group"]["name_en"] == "Born in June");
  CHECK(result["group"]["created_at"] == "2026-01-03T00:00:00Z");
  CHECK(run.result(line) == "already_applied");
  line["time"] = "2026-02-01T00:00:00Z";
  line["filter"] = Json{{"birthday_month", 7}};
  result = run.apply(line);
  CHECK(result["group"]["created_at"] == "2026-01-03T00:00:00Z");
  CHECK(result["group"]["updated_at"] == "2026-02-01T00:00:00Z");
  line["kind"] = "static";
  line.erase("filter");
  CHECK(error_fields(run.apply(line)) == std::vector<std::string>{"kind"});
  CHECK(error_fields(run.apply(dynamic_group("x", nullptr))) == std::vector<std::string>{"filter"});
  Json static_with_filter = static_group("y");
  static_with_filter["filter"] = Json{{"birthday_month", 6}};
  CHECK(error_fields(run.apply(static_with_filter)) == std::vector<std::string>{"filter"});
  CHECK(error_fields(run.apply(static_group("has space"))) == std::vector<std::string>{"group_id"});
  Json unnamed = static_group("z");
  unnamed["name"] = "   ";
  CHECK(error_fields(run.apply(unnamed)) == std::vector<std::string>{"name"});
  for (int i = 1; i < 1000; ++i) REQUIRE(run.result(static_group("s" + std::to_string(i))) == "ok");
  CHECK(run.result(static_group("one_too_many")) == "group_limit_reached");
  CHECK(run.result(dynamic_group("june", Json{{"birthday_month", 8}})) == "ok");   // updates still work
  CHECK(run.apply(Json{{"command", "list_groups"}})["data"]["groups"].size() == 1000);
}

TEST_CASE("groups: group_members counts, samples and pages by cursor") {
  Run run;
  REQUIRE(run.result(Json::parse(program_line)) == "ok");
  for (int i = 0; i < 25; ++i) {
    REQUIRE(run.result(member_line("m" + std::to_string(100 + i), "09" + std::to_string(12'345'600 + i))) == "ok");
  }
  REQUIRE(run.result(dynamic_group("all", Json{{"opt_in", "push"}})) == "ok");
  Json page = run.apply(Json{{"command", "group_members"}, {"group_id", "all"}, {"limit", 0}})["data"];
  CHECK(page["count"] == 25);
  CHECK(page["members"].empty());
  CHECK(page["next_after"].is_null());
  std::vector<std::string> seen;
  Json command{{"command", "group_members"}, {"group_id", "all"}, {"limit", 10}};
  for (int pages = 0; pages < 5; ++pages) {
    page = run.apply(command)["data"];
    for (const Json& member : page["members"]) seen.push_back(member["member_id"].get<std::string>());
    if (page["next_after"].is_null()) break;
    command["after"] = page["next_after"];
  }
  CHECK(seen.size() == 25);
  CHECK(seen.front() == "m100");
  CHECK(seen.back() == "m124");
  CHECK(run.apply(Json{{"command", "group_members"}, {"group_id", "all"}, {"after", "nobody"}})["result"] == "invalid_field");
  CHECK(run.apply(Json{{"command", "group_members"}, {"group_id", "nobody"}})["result"] == "group_not_found");
  // Reads change nothing and are not journaled.
  CHECK(run.journal.size() == 27);
}

TEST_CASE("groups: a whole group's evaluation equals member_in_group for every member, through both order paths") {
  StoreFixture fixture;
  Store& store = fixture.store;
  SeededRandom random{7};
  for (int i = 0; i < 300; ++i) {
    NewMember member;
    member.member_id = "m" + std::to_string(i);
    member.phone = "09" + std::to_string(20'000'000 + i);
    member.name = "Khách";
    member.birthday = Birthday{static_cast<std::int32_t>(1 + random.below(28)), static_cast<std::int32_t>(1 + random.below(12)), 0};
    member.opt_ins.sms = random.below(2) == 0;
    REQUIRE(store.create_member(member, at("2026-01-02T00:00:00Z") + random.below(100) * seconds_per_day, fixture.changes).code == ResultCode::ok);
  }
  for (int i = 0; i < 900; ++i) {
    const std::string member_id = "m" + std::to_string(random.below(300));
    const UtcSeconds time = at("2026-05-01T00:00:00Z") + random.below(200) * seconds_per_day;
    fixture.order("o" + std::to_string(i), member_id, 100'000 * (1 + random.below(40)), OrderStatus::completed,
                  format_utc_time(time).c_str());
  }
  auto save = [&](const char* id, const char* filter) {
    GroupFilterReading reading = read_group_filter(Json::parse(filter), "filter");
    REQUIRE(reading.filter);
    REQUIRE(store.save_group(GroupDefinition{id, id, "", "", GroupKind::dynamic, *reading.filter}, store.clock_utc(), fixture.changes).ok());
  };
  // Broad (the orders are scanned) and narrow (each member's orders are walked) conditions.
  save("broad", R"({"any":[{"all":[{"birthday_month":6},{"tier":"vang"}]},{"orders":{"last_days":90,"spent_min_vnd":5000001}}]})");
  save("narrow", R"({"all":[{"birthday_month":3},{"orders":{"last_days":60,"count_min":2}},{"last_order":{"after":"2026-08-01T00:00:00Z"}}]})");
  save("mixed", R"({"any":[{"not":{"opt_in":"sms"}},{"in_group":"narrow"},{"tier_points":{"min":100,"max":300}}]})");
  int members_seen = 0;
  for (const char* group : {"broad", "narrow", "mixed"}) {
    for (const char* time : {"2026-03-01T00:00:00Z", "2026-08-15T00:00:00Z", "2026-11-01T00:00:00Z"}) {
      MemberSet set;
      REQUIRE(store.evaluate_group(group, at(time), set).ok());
      for (MemberIndex member = 0; member < store.members().size(); ++member) {
        REQUIRE_MESSAGE(set.contains(member) == store.member_in_group(member, group, at(time)), group, " ", time, " ", member);
      }
      members_seen += static_cast<int>(set.count());
    }
  }
  CHECK(members_seen > 100);   // the groups are not empty
}

// [SECTION] Replay and snapshots ------------------------------------------------------------------
TEST_CASE("groups: the journal replayed, and a snapshot with the journal's tail, answer every group read as the live store") {
  Run live = three_members();
  std::vector<std::string> lines = {
      static_group("vip").dump(),
      import_line("vip", "\xEF\xBB\xBFSĐT;Tên\r\n0912 345 678;An\r\n0900000000;X\r\n").dump(),
      dynamic_group("spenders", Json::parse(R"({"orders":{"last_days":30,"spent_min_vnd":1000000}})"), "2026-01-05T00:00:00Z").dump(),
      R"({"command":"order","time":"2026-01-10T00:00:00Z","order_id":"A1","member_id":"b","status":"completed","amount_vnd":2000000})",
      dynamic_group("both", Json::parse(R"({"any":[{"in_group":"vip"},{"in_group":"spenders"}]})"), "2026-01-11T00:00:00Z").dump(),
      // A refused write with a later time: the clock moves, a process_due is journaled.
      dynamic_group("bad", Json{{"in_group", "bad"}}, "2026-01-20T00:00:00Z").dump(),
      R"({"command":"add_group_members","time":"2026-01-21T00:00:00Z","group_id":"vip","member_ids":["c"]})",
      R"({"command":"update_member","time":"2026-01-22T00:00:00Z","member_id":"c","status":"blocked"})",
      R"({"command":"order","time":"2026-01-23T00:00:00Z","order_id":"C1","member_id":"a","status":"completed","amount_vnd":1500000})",
      R"({"command":"remove_group_members","time":"2026-01-24T00:00:00Z","group_id":"vip","member_ids":["a"]})",
      R"({"command":"delete_group","time":"2026-01-25T00:00:00Z","group_id":"both"})",
  };
  auto reads = [](Run& run) {
    std::vector<std::string> answers;
    for (const char* line : {R"({"command":"list_groups"})", R"({"command":"get_group","group_id":"vip"})",
                             R"({"command":"group_members","group_id":"vip"})", R"({"command":"group_members","group_id":"spenders"})",
                             R"({"command":"group_members","group_id":"spenders","time":"2026-02-15T00:00:00Z"})",
                             R"({"command":"group_members","group_id":"both","time":"2026-01-15T00:00:00Z"})",
                             R"({"command":"member_groups","member_id":"a"})", R"({"command":"member_groups","member_id":"b"})"}) {
      answers.push_back(run.runner.run_line(line, 0).result.dump());
    }
    return answers;
  };
  std::vector<std::string> snapshots;
  std::vector<std::size_t> journal_at;
  for (const std::string& line : lines) {
    snapshots.push_back(StoreSnapshot::write(live.runner.store()));
    journal_at.push_back(live.journal.size());
    live.apply(line);
  }
  const std::vector<std::string> expected = reads(live);
  CHECK(expected[6].find("\"spenders\"") != std::string::npos);
  Run replayed;
  for (std::size_t i = 0; i < live.journal.size(); ++i) REQUIRE(replayed.runner.replay_line(live.journal[i], i + 1).journal);
  CHECK(reads(replayed) == expected);
  CHECK(StoreSnapshot::write(replayed.runner.store()) == StoreSnapshot::write(live.runner.store()));
  for (std::size_t cut = 0; cut < snapshots.size(); ++cut) {
    CAPTURE(cut);
    SnapshotReading reading = StoreSnapshot::read(snapshots[cut]);
    REQUIRE_MESSAGE(reading.store, reading.error);
    Run restored{CommandRunner(std::move(*reading.store))};
    for (std::size_t i = journal_at[cut]; i < live.journal.size(); ++i) REQUIRE(restored.runner.replay_line(live.journal[i], i + 1).journal);
    CHECK(reads(restored) == expected);
  }
}

TEST_CASE("groups: a snapshot holds the groups, and refuses malformed group bytes") {
  Run run = three_members();
  REQUIRE(run.result(static_group("vip")) == "ok");
  REQUIRE(run.result(Json{{"command", "add_group_members"}, {"time", "2026-01-04T00:00:00Z"}, {"group_id", "vip"}, {"member_ids", {"a", "c"}}}) == "ok");
  REQUIRE(run.result(dynamic_group("june", Json::parse(R"({"all":[{"birthday_month":6},{"not":{"in_group":"vip"}}]})"))) == "ok");
  const std::string bytes = StoreSnapshot::write(run.runner.store());
  SnapshotReading reading = StoreSnapshot::read(bytes);
  REQUIRE_MESSAGE(reading.store, reading.error);
  CHECK(reading.store->groups().groups().size() == 2);
  CHECK(reading.store->groups().find("vip")->members == std::vector<MemberIndex>{0, 2});
  CHECK(StoreSnapshot::write(*reading.store) == bytes);
  // Every byte of the GRPS section changed behind a valid checksum: refused, or a store
  // whose groups are consistent (a changed name is still a name).
  const std::size_t section = bytes.rfind("GRPS");
  REQUIRE(section != std::string::npos);
  auto with_checksum = [](std::string damaged) {
    const std::uint64_t checksum = snapshot_checksum(std::string_view(damaged).substr(0, damaged.size() - 8));
    for (int i = 0; i < 8; ++i) damaged[damaged.size() - 8 + static_cast<std::size_t>(i)] = static_cast<char>((checksum >> (8 * i)) & 0xFF);
    return damaged;
  };
  int refused = 0;
  for (std::size_t position = section; position < bytes.size() - 8; ++position) {
    for (const unsigned char value : {0x00, 0x01, 0x7F, 0xFF}) {
      std::string damaged = bytes;
      if (static_cast<unsigned char>(damaged[position]) == value) continue;
      damaged[position] = static_cast<char>(value);
      SnapshotReading changed = StoreSnapshot::read(with_checksum(damaged));
      if (!changed.store) {
        CHECK(changed.error.rfind("snapshot: ", 0) == 0);
        ++refused;
        continue;
      }
      bool cycle = false;
      CHECK(CustomerGroups::check_references(changed.store->groups().references(), cycle) == "");
      for (const CustomerGroup& group : changed.store->groups().groups()) {
        for (std::size_t k = 0; k < group.members.size(); ++k) {
          CHECK(group.members[k] < changed.store->members().size());
          if (k > 0) CHECK(group.members[k - 1] < group.members[k]);
        }
        MemberSet set;
        CHECK(changed.store->evaluate_group(group.group_id, changed.store->clock_utc(), set).ok());
      }
    }
  }
  CHECK(refused > 100);
}
