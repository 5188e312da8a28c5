// Snapshots of the store's state (core/snapshot): a store restored from a snapshot answers
// every later command and every read exactly as the store it was taken from, and as a full
// replay of the journal; damaged or malformed snapshots are refused with an error, never a crash.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/basics/seeded_random.hpp"
#include "core/commands/command_runner.hpp"
#include "core/snapshot/store_snapshot.hpp"

using namespace loyalty;

namespace {

// [SECTION] Command streams -------------------------------------------------------------------
// Programs that switch on every part of a point's life, so that a snapshot taken anywhere
// holds pending lots, expiring lots, holds, deferred tier points and scheduled versions.
std::string program_json(SeededRandom& random) {
  const char* pending_days[] = {"0", "7", "3"};
  const char* expiry[] = {R"({"rule":"never"})", R"({"rule":"months_after","months":2})",
                          R"({"rule":"end_of_month_after","months":1,"inactivity_months":3})"};
  const char* tier_points_when[] = {"at_once", "when_available"};
  const char* window[] = {"0", "6", "12"};
  return std::string(R"({"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":)") + std::to_string(300 + random.below(3) * 100) +
         R"(,"referrer_earn_rate_bp":50,"rounding":"half_up"},"tier_points":{"vnd_per_tier_point":20000,"window_months":)" +
         window[random.below(3)] +
         R"(},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0,"perks":[{"type":"birthday_bonus","enabled":true,"birthday_bonus_points":30}]},)"
         R"({"id":"vang","name":"Vàng","name_en":"Gold","tier_points_needed":60,"perks":[{"type":"earning_multiplier","enabled":true,"multiplier_bp":15000},{"type":"birthday_bonus","enabled":true,"birthday_bonus_points":80}]},)"
         R"({"id":"kim_cuong","name":"Kim cương","tier_points_needed":300,"perks":[{"type":"custom","enabled":true,"text_vi":"Quà","text_en":"Gift"}]}],)"
         R"("pending":{"days":)" + pending_days[random.below(3)] + R"(,"tier_points":")" + tier_points_when[random.below(2)] +
         R"("},"expiry":)" + expiry[random.below(3)] +
         R"(,"pay_with_points":{"max_share_bp":5000,"hold_timeout_s":3600},"transfers":{"enabled":true,"daily_limit_points":500}})";
}

struct StreamState {
  SeededRandom random;
  UtcSeconds time = *parse_utc_time("2026-01-01T00:00:00Z");
  int members = 0;
  int counter = 0;
  std::vector<std::string> order_members;   // the buyer of each order id "o<index>"
  std::vector<std::string> hold_ids;
  std::vector<std::string> claim_ids;
};

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

// A random command line: mostly writes of every kind (some dated late, some refused), and reads.
std::string next_command(StreamState& state) {
  SeededRandom& random = state.random;
  const std::int64_t roll = random.below(100);
  state.time += random.below(86400);
  UtcSeconds time = state.time;
  if (random.below(10) == 0) time -= random.below(5 * 86400);   // a late event
  const std::string at = quoted(format_utc_time(time));
  auto member = [&]() { return quoted("m" + std::to_string(state.members == 0 ? 0 : random.below(state.members + 1))); };
  const auto orders = static_cast<std::int64_t>(state.order_members.size());
  // Mostly recent orders: those still have pending points to release, cancel or refund.
  auto order_index = [&]() -> std::int64_t {
    if (orders == 0) return 0;
    return random.below(2) == 0 ? random.below(orders) : std::max<std::int64_t>(0, orders - 1 - random.below(5));
  };
  auto order = [&]() { return quoted("o" + std::to_string(order_index())); };
  auto hold = [&]() {
    return quoted(state.hold_ids.empty() ? "h0" : state.hold_ids[static_cast<std::size_t>(random.below(static_cast<std::int64_t>(state.hold_ids.size())))]);
  };
  const std::string id = std::to_string(++state.counter);
  static const char* family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"};
  static const char* middle[] = {"Văn", "Thị", "Minh", "Ngọc"};
  static const char* given[] = {"An", "Anh", "Bình", "Lan", "Hùng", "Mai"};

  if (state.counter == 1 || roll < 2) {
    std::string line = R"({"command":"save_program","time":)" + at + R"(,"actor":"owner","program":)" + program_json(random);
    // Sometimes planned ahead: the version is scheduled and takes effect later.
    if (state.counter > 1 && random.below(2) == 0) line += R"(,"effective_from":)" + quoted(format_utc_time(state.time + 10 * 86400));
    return line + "}";
  }
  // A voucher campaign with partner codes from the start (core/campaigns), then claims,
  // codes on orders, cancelled claims and print runs below.
  if (state.counter == 2) {
    return R"({"command":"save_campaign","time":)" + at + R"(,"campaign":{"campaign_id":"tet","name":"Tết","starts_at":"2026-01-01T00:00:00Z","ends_at":"2027-01-01T00:00:00Z","reward":{"kind":"fixed_amount","amount_vnd":20000},"point_cost":10,"total_quantity":200,"limit_per_member":3,"budget_vnd":10000000,"code_prefix":"TET"}})";
  }
  if (state.counter == 3) return R"({"command":"set_campaign_status","time":)" + at + R"(,"campaign_id":"tet","status":"visible"})";
  if (state.counter == 4) {
    return R"({"command":"import_voucher_codes","time":)" + at +
           R"(,"batch_id":"doi-tac","campaign_id":"tet","codes":["DOITAC00","DOITAC01","DOITAC02","DOITAC03","DOITAC04","DOITAC05","DOITAC06","DOITAC07"]})";
  }
  // Notifications (core/notifications): every scenario kind from the start, a notification
  // to everyone every 50 lines (scheduled a day ahead, some cancelled), and marks of
  // deliveries, many of them refused (not due, not sent, repeated).
  if (state.counter == 5) {
    return R"({"command":"save_scenario","time":)" + at + R"(,"scenario":{"scenario_id":"sinh-nhat","name":"Sinh nhật","kind":"birthday","local_time":"08:30","title":"Chúc mừng {name}","body":"{points} điểm","quiet_hours":{"from":"21:00","to":"09:00"}}})";
  }
  if (state.counter == 6) {
    return R"({"command":"save_scenario","time":)" + at + R"(,"scenario":{"scenario_id":"cam-on","name":"Cảm ơn","kind":"order_thanks","delay_minutes":)" +
           std::to_string(random.below(600)) + R"(,"title":"Cảm ơn {name}","body":"{order_id}: {order_amount}","quiet_hours":{"from":"22:00","to":"07:00"}}})";
  }
  if (state.counter == 7) {
    return R"({"command":"save_scenario","time":)" + at + R"(,"scenario":{"scenario_id":"len-hang","name":"Lên hạng","kind":"tier_upgrade","title":"{tier}","body":"từ {previous_tier}"}})";
  }
  if (state.counter == 8) {
    return R"({"command":"save_scenario","time":)" + at + R"(,"scenario":{"scenario_id":"du-diem","name":"Đủ điểm","kind":"balance_threshold","threshold_points":)" +
           std::to_string(20 + random.below(40)) + R"(,"title":"{threshold}","body":"{points}"}})";
  }
  if (state.counter == 9) {
    return R"({"command":"save_scenario","time":)" + at + R"(,"scenario":{"scenario_id":"het-han","name":"Sắp hết hạn","kind":"points_expiring","days_before":)" +
           std::to_string(1 + random.below(20)) + R"(,"title":"{expiring_points}","body":"{expiry_date}"}})";
  }
  if (state.counter % 50 == 10) {
    return R"({"command":"save_notification","time":)" + at + R"(,"notification":{"notification_id":"t)" + std::to_string(state.counter / 50) +
           R"(","title":"{name}","body":"{points} {tier}","send_at":)" + quoted(format_utc_time(state.time + 86400)) +
           (random.below(2) ? R"(,"audience_group_id":"s1")" : "") + "}}";
  }
  if (state.counter % 50 == 11 || state.counter % 50 == 30) {
    return R"({"command":")" + std::string(state.counter % 50 == 11 || random.below(3) ? "schedule" : "cancel") +
           R"(_notification","time":)" + at + R"(,"notification_id":"t)" + std::to_string(state.counter / 50) + "\"}";
  }
  if (state.counter % 5 == 2 && state.counter > 12) {
    const char* marks[] = {"sent", "sent", "sent", "failed", "opened", "clicked"};
    const std::string kind = marks[random.below(6)];
    const std::string member_id = member();   // quoted
    const std::string delivery = random.below(2) ? "n/t" + std::to_string(random.below(state.counter / 50 + 1)) + "/" + member_id.substr(1, member_id.size() - 2)
                                                 : "s/" + std::string(random.below(2) ? "cam-on" : "len-hang") + "/" + std::to_string(1 + random.below(20));
    return R"({"command":"mark_delivery_)" + kind + R"(","time":)" + at + R"(,"delivery_id":")" + delivery + "\"" +
           (kind == "failed" ? R"(,"attempt":)" + std::to_string(1 + random.below(3)) + R"(,"reason":"503")" : std::string()) + "}";
  }
  // Every 25 lines m0 gets points and claims a voucher with them, so every stream has claims.
  if (state.counter % 25 == 0) {
    return R"({"command":"adjust_points","time":)" + at + R"(,"member_id":"m0","points":20,"reason":"Voucher","actor":"staff","idempotency_key":"kv)" + id + "\"}";
  }
  if (state.counter % 25 == 1 && state.counter > 1) {
    state.claim_ids.push_back("v" + id);
    return R"({"command":"claim_voucher","time":)" + at + R"(,"claim_id":"v)" + id + R"(","member_id":"m0","campaign_id":"tet","seed":"seed-)" + id + R"(-0123456789abcdef"})";
  }
  if (state.members < 3 || (roll < 14 && state.members < 16)) {
    const int index = state.members++;
    std::string phone = std::to_string(900000000 + index * 7919 % 100000000);
    phone = "09" + phone.substr(phone.size() - 8);
    std::string line = R"({"command":"create_member","time":)" + at + R"(,"member_id":"m)" + std::to_string(index) +
                       R"(","phone":")" + phone + R"(","name":")" + family[random.below(5)] + " " + middle[random.below(4)] + " " +
                       given[random.below(6)] + "\"";
    if (random.below(2) == 0) line += R"(,"birthday":{"day":)" + std::to_string(1 + random.below(28)) + R"(,"month":)" + std::to_string(1 + random.below(12)) + "}";
    if (index > 0 && random.below(3) == 0) line += R"(,"referrer_id":"m)" + std::to_string(random.below(index)) + "\"";
    return line + "}";
  }
  if (roll < 40) {
    // A later event of a known order (same buyer and amount), or a new order.
    const bool known = random.below(4) == 0 && orders > 0;
    const std::int64_t index = known ? order_index() : orders;
    if (!known) state.order_members.push_back(member());
    const std::string& buyer = state.order_members[static_cast<std::size_t>(index)];
    const char* statuses[] = {"completed", "completed", "completed", "placed", "cancelled", "refunded"};
    std::string line = R"({"command":"order","time":)" + at + R"(,"order_id":"o)" + std::to_string(index) + R"(","member_id":)" +
                       buyer + R"(,"status":")" + statuses[random.below(6)] + R"(","amount_vnd":)" +
                       std::to_string(200000 + (index * 7 % 40) * 250000) + R"(,"shipping_vnd":20000,"actor":"pos")";
    if (random.below(4) == 0) line += R"(,"points_hold_id":)" + hold();
    return line + "}";
  }
  if (roll < 48) {
    return R"({"command":"refund","time":)" + at + R"(,"order_id":)" + order() + R"(,"refund_id":"r)" + std::to_string(random.below(3)) +
           R"(","amount_vnd":)" + std::to_string(10000 + random.below(20) * 100000) + "}";
  }
  if (roll < 53) {
    const std::int64_t points = random.below(2) == 0 ? 1 + random.below(200) : -(1 + random.below(50));
    return R"({"command":"adjust_points","time":)" + at + R"(,"member_id":)" + member() + R"(,"points":)" + std::to_string(points) +
           R"(,"reason":"Điều chỉnh","actor":"staff-)" + std::to_string(random.below(3)) + R"(","idempotency_key":"k)" + id + "\"}";
  }
  if (roll < 59) {
    state.hold_ids.push_back("h" + id);
    return R"({"command":"hold_points","time":)" + at + R"(,"hold_id":"h)" + id + R"(","member_id":)" + member() + R"(,"points":)" +
           std::to_string(1 + random.below(40)) + R"(,"order_amount_vnd":200000})";
  }
  if (roll < 62) return R"({"command":"release_hold","time":)" + at + R"(,"hold_id":)" + hold() + "}";
  if (roll < 66) {
    return R"({"command":"transfer_points","time":)" + at + R"(,"transfer_id":"t)" + id + R"(","from_member_id":)" + member() +
           R"(,"to_member_id":)" + member() + R"(,"points":)" + std::to_string(1 + random.below(30)) + "}";
  }
  if (roll < 70) {
    return R"({"command":"redeem_points","time":)" + at + R"(,"redemption_id":"d)" + id + R"(","member_id":)" + member() +
           R"(,"points":)" + std::to_string(1 + random.below(30)) + R"(,"reason":"Voucher 20.000 ₫"})";
  }
  if (roll < 73) {
    return std::string(R"({"command":")") + (random.below(2) ? "release_pending" : "cancel_pending") + R"(","time":)" + at +
           R"(,"order_id":)" + order() + R"(,"reason":"Khách đã nhận hàng","actor":"support"})";
  }
  if (roll < 77) {
    // Renames and new phones leave stale entries in the search index.
    std::string line = R"({"command":"update_member","time":)" + at + R"(,"member_id":)" + member();
    switch (random.below(4)) {
      case 0: line += std::string(R"(,"name":")") + family[random.below(5)] + " " + given[random.below(6)] + "\""; break;
      case 1: line += R"(,"phone":"03)" + std::to_string(10000000 + random.below(89999999)) + "\""; break;
      case 2: line += R"(,"status":"blocked")"; break;
      default: line += R"(,"status":"active","email":"a@example.vn")"; break;
    }
    return line + "}";
  }
  if (roll < 79) return R"({"command":"set_referrer","time":)" + at + R"(,"member_id":)" + member() + R"(,"referrer_id":)" + member() + "}";
  if (roll < 81) return R"({"command":"grant_birthday_bonuses","time":)" + at + "}";
  if (roll < 83) return R"({"command":"review_tiers","time":)" + at + "}";
  if (roll < 84) return R"({"command":"process_due","time":)" + quoted(format_utc_time(state.time + random.below(20) * 86400)) + "}";
  if (roll < 88) {
    // Customer groups: static lists (by id and by CSV), dynamic filters, some naming others.
    const std::string group = std::to_string(random.below(3));
    switch (random.below(6)) {
      case 0: return R"({"command":"save_group","time":)" + at + R"(,"group_id":"s)" + group + R"(","name":"Danh sách )" + group + R"(","kind":"static"})";
      case 1: {
        const char* filters[] = {R"({"any":[{"birthday_month":6},{"orders":{"last_days":30,"spent_min_vnd":1000000}}]})",
                                 R"({"all":[{"tier":"vang"},{"not":{"in_group":"s0"}}]})",
                                 R"({"any":[{"in_group":"d0"},{"birthday_within_days":30},{"points":{"min":50}}]})"};
        return R"({"command":"save_group","time":)" + at + R"(,"group_id":"d)" + group + R"(","name":"Bộ lọc","kind":"dynamic","filter":)" +
               filters[random.below(3)] + "}";
      }
      case 2: return R"({"command":"add_group_members","time":)" + at + R"(,"group_id":"s)" + group + R"(","member_ids":[)" + member() + "]}";
      case 3: return R"({"command":"remove_group_members","time":)" + at + R"(,"group_id":"s)" + group + R"(","member_ids":[)" + member() + "]}";
      case 4: {
        // The phones of create_member above, as Excel writes them (a lost 0, spaces), and a stranger.
        std::string csv = R"(SĐT;Tên
)";
        for (int row = 0; row < 3; ++row) {
          std::string phone = std::to_string(900000000 + random.below(state.members + 1) * 7919 % 100000000);
          csv += "9" + phone.substr(phone.size() - 8) + R"(;Khách
)";
        }
        csv += R"(0399000000;Lạ
)";
        return R"({"command":"import_group_members","time":)" + at + R"(,"group_id":"s)" + group + R"(","csv":")" + csv + "\"" +
               (random.below(2) ? R"(,"mode":"replace")" : "") + "}";
      }
      default: return R"({"command":"delete_group","time":)" + at + R"(,"group_id":")" + (random.below(2) ? "s" : "d") + group + "\"}";
    }
  }
  if (roll < 89) {
    state.claim_ids.push_back("v" + id);
    return R"({"command":"claim_voucher","time":)" + at + R"(,"claim_id":"v)" + id + R"(","member_id":)" + member() +
           R"(,"campaign_id":"tet","seed":"seed-)" + id + R"(-0123456789abcdef"})";
  }
  if (roll < 90) {
    state.order_members.push_back(member());
    return R"({"command":"order","time":)" + at + R"(,"order_id":"o)" + std::to_string(orders) + R"(","member_id":)" +
           state.order_members.back() + R"(,"status":"completed","amount_vnd":300000,"voucher_code":"doitac-0)" +
           std::to_string(random.below(8)) + "\"}";
  }
  if (roll < 91) {
    const std::string claim = state.claim_ids.empty() ? "v0" : state.claim_ids[static_cast<std::size_t>(random.below(static_cast<std::int64_t>(state.claim_ids.size())))];
    return R"({"command":"cancel_voucher_claim","time":)" + at + R"(,"claim_id":")" + claim + R"(","reason":"Khách đổi ý","actor":"support"})";
  }
  if (roll < 92) {
    return R"({"command":"issue_voucher_codes","time":)" + at + R"(,"batch_id":"b)" + id +
           R"(","campaign_id":"tet","count":2,"seed":"print-)" + id + R"(-0123456789abcdef"})";
  }
  // Reads: part of the stream, so that both runners flush the search index at the same moments.
  if (roll < 93) return R"({"command":"get_member","member_id":)" + member() + "}";
  if (roll < 94) return R"({"command":"ledger_history","member_id":)" + member() + R"(,"limit":5})";
  const char* queries[] = {"nguyen", "van an", "an nguyen", "thi", "lan", "0900", "09"};
  return R"({"command":"search_members","query":")" + std::string(queries[random.below(7)]) + R"(","limit":5})";
}

std::vector<std::string> command_stream(std::uint64_t seed, std::size_t count) {
  StreamState state{SeededRandom{seed}};
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < count; ++i) lines.push_back(next_command(state));
  return lines;
}

// [SECTION] Comparing ------------------------------------------------------------------------
std::string answer(const CommandOutput& output) {
  return output.result.dump() + (output.journal ? " journal " : " ") + output.journal_before;
}

// Every read of the whole store, as JSON text: members, histories, liability, audit, expiry, search.
std::vector<std::string> all_reads(CommandRunner& runner) {
  std::vector<std::string> lines;
  for (const Member& member : runner.store().members()) {
    lines.push_back(R"({"command":"get_member","member_id":")" + member.member_id + "\"}");
    lines.push_back(R"({"command":"ledger_history","member_id":")" + member.member_id + R"(","limit":1000})");
    lines.push_back(R"({"command":"member_vouchers","member_id":")" + member.member_id + "\"}");
    lines.push_back(R"({"command":"list_campaigns","member_id":")" + member.member_id + "\"}");
  }
  lines.push_back(R"({"command":"list_campaigns"})");
  lines.push_back(R"({"command":"liability"})");
  lines.push_back(R"({"command":"audit"})");
  lines.push_back(R"({"command":"expiring_points","within_days":90})");
  lines.push_back(R"({"command":"get_program"})");
  for (const char* query : {"nguyen", "van", "nguyen van an", "an nguyen", "thi lan", "0900", "1234", "anh"}) {
    lines.push_back(R"({"command":"search_members","query":")" + std::string(query) + R"(","limit":100})");
  }
  if (!runner.store().members().empty()) {
    lines.push_back(R"({"command":"search_members","query":")" + runner.store().members().back().card_number + "\"}");
  }
  lines.push_back(R"({"command":"list_groups"})");
  lines.push_back(R"({"command":"list_notifications"})");
  lines.push_back(R"({"command":"list_scenarios"})");
  lines.push_back(R"({"command":"due_deliveries","limit":1000})");
  for (const CustomerGroup& group : runner.store().groups().groups()) {
    lines.push_back(R"({"command":"get_group","group_id":")" + group.group_id + "\"}");
    lines.push_back(R"({"command":"group_members","group_id":")" + group.group_id + R"(","limit":1000})");
    lines.push_back(R"({"command":"group_members","group_id":")" + group.group_id + R"(","limit":1000,"time":"2026-06-01T00:00:00Z"})");
  }
  std::vector<std::string> answers;
  for (const std::string& line : lines) answers.push_back(runner.run_line(line, 0).result.dump());
  answers.push_back("next due " + std::to_string(runner.store().next_due_utc()) + ", clock " + std::to_string(runner.clock_utc()));
  return answers;
}

CommandRunner restored(const std::string& bytes) {
  SnapshotReading reading = StoreSnapshot::read(bytes);
  REQUIRE_MESSAGE(reading.store.has_value(), reading.error);
  CHECK(reading.error.empty());
  return CommandRunner(std::move(*reading.store));
}

void check_same_reads(const std::vector<std::string>& expected, const std::vector<std::string>& actual) {
  REQUIRE(expected.size() == actual.size());
  for (std::size_t i = 0; i < expected.size(); ++i) REQUIRE_MESSAGE(expected[i] == actual[i], "read ", i);
}

// A small store with something in every section.
std::string small_snapshot() {
  CommandRunner runner;
  std::size_t line_number = 0;
  for (const std::string& line : command_stream(7, 120)) runner.run_line(line, ++line_number);
  for (const char* line : {R"({"command":"save_group","time":"2030-01-01T00:00:00Z","group_id":"vip","name":"VIP","kind":"static"})",
                           R"({"command":"add_group_members","time":"2030-01-01T00:00:00Z","group_id":"vip","member_ids":["m0","m2"]})",
                           R"({"command":"save_group","time":"2030-01-01T00:00:00Z","group_id":"vip-june","name":"VIP tháng 6","kind":"dynamic","filter":{"any":[{"in_group":"vip"},{"birthday_month":6}]}})",
                           R"({"command":"save_notification","time":"2030-01-01T00:00:00Z","notification":{"notification_id":"vip-tin","title":"{name}","body":"{points}","audience_group_id":"vip"}})",
                           R"({"command":"schedule_notification","time":"2030-01-01T00:00:00Z","notification_id":"vip-tin"})",
                           R"({"command":"mark_delivery_sent","time":"2030-01-01T00:01:00Z","delivery_id":"n/vip-tin/m0"})",
                           R"({"command":"mark_delivery_opened","time":"2030-01-01T00:02:00Z","delivery_id":"n/vip-tin/m0"})",
                           R"({"command":"mark_delivery_failed","time":"2030-01-01T00:01:00Z","delivery_id":"n/vip-tin/m2","attempt":1,"reason":"503"})"}) {
    runner.run_line(line, ++line_number);
  }
  // The damage tests reach the groups' section too: a static list with members and a filter.
  const auto& groups = runner.store().groups().groups();
  REQUIRE(std::any_of(groups.begin(), groups.end(), [](const CustomerGroup& group) { return !group.members.empty(); }));
  REQUIRE(std::any_of(groups.begin(), groups.end(), [](const CustomerGroup& group) { return group.kind == GroupKind::dynamic; }));
  return StoreSnapshot::write(runner.store());
}

void set_u32(std::string& bytes, std::size_t at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}
void set_checksum(std::string& bytes) {
  const std::uint64_t hash = snapshot_checksum(std::string_view(bytes).substr(0, bytes.size() - 8));
  for (int i = 0; i < 8; ++i) bytes[bytes.size() - 8 + i] = static_cast<char>((hash >> (8 * i)) & 0xFF);
}

}  // namespace

// [SECTION] Snapshot + tail = the original, and = a full replay --------------------------------------
TEST_CASE("snapshot: a store restored anywhere in a random stream answers the rest exactly as the original") {
  for (const std::uint64_t seed : {1ULL, 2ULL, 3ULL}) {
    const std::vector<std::string> lines = command_stream(seed, 400);
    CommandRunner original;
    std::vector<std::string> answers;
    std::vector<std::string> snapshots;   // snapshots[k]: before line k, every 25 lines
    std::vector<std::string> journal;
    std::vector<std::size_t> journal_size_at;
    for (std::size_t k = 0; k < lines.size(); ++k) {
      if (k % 25 == 0) {
        snapshots.push_back(StoreSnapshot::write(original.store()));
        journal_size_at.push_back(journal.size());
      }
      const CommandOutput output = original.run_line(lines[k], k + 1);
      if (!output.journal_before.empty()) journal.push_back(output.journal_before);
      if (output.journal) journal.push_back(lines[k]);
      answers.push_back(answer(output));
    }
    REQUIRE(original.store().check_invariants() == "");
    const std::vector<std::string> expected_reads = all_reads(original);

    for (std::size_t cut = 0; cut < snapshots.size(); ++cut) {
      CAPTURE(seed);
      CAPTURE(cut);
      // The same bytes again from the restored store: nothing is lost or added.
      CommandRunner copy = restored(snapshots[cut]);
      REQUIRE(StoreSnapshot::write(copy.store()) == snapshots[cut]);
      for (std::size_t k = cut * 25; k < lines.size(); ++k) {
        REQUIRE_MESSAGE(answer(copy.run_line(lines[k], k + 1)) == answers[k], "line ", k + 1, ": ", lines[k]);
      }
      check_same_reads(expected_reads, all_reads(copy));

      // The host's case: the snapshot and the journal's tail, replayed as the server does
      // (replay_line), give what the whole journal gives; every entry is accepted again.
      CommandRunner from_snapshot = restored(snapshots[cut]);
      for (std::size_t j = journal_size_at[cut]; j < journal.size(); ++j) {
        REQUIRE_MESSAGE(from_snapshot.replay_line(journal[j], j + 1).journal, "journal entry ", j + 1, ": ", journal[j]);
      }
      check_same_reads(expected_reads, all_reads(from_snapshot));
    }
    CommandRunner replayed;
    for (std::size_t j = 0; j < journal.size(); ++j) REQUIRE(replayed.replay_line(journal[j], j + 1).journal);
    const std::string replayed_bytes = StoreSnapshot::write(replayed.store());   // before reads merge the search index
    check_same_reads(expected_reads, all_reads(replayed));
    // replay_line leaves out the details of an answer, never its effect: line by line, the
    // same store as run_line gives.
    CommandRunner run_again;
    for (std::size_t j = 0; j < journal.size(); ++j) run_again.run_line(journal[j], j + 1);
    REQUIRE(StoreSnapshot::write(run_again.store()) == replayed_bytes);
  }
}

TEST_CASE("snapshot: every feature, snapshot after every command, equals the original to the end") {
  // A scripted life of a store: late events, holds paying orders, deferred tier points, a
  // scheduled program version, renames (stale search entries), staff actions, expiry.
  const std::vector<std::string> lines = {
      R"({"command":"save_program","time":"2026-01-01T00:00:00Z","actor":"owner","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100,"referrer_earn_rate_bp":50},"tier_points":{"vnd_per_tier_point":20000,"window_months":12},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0,"perks":[{"type":"birthday_bonus","enabled":true,"birthday_bonus_points":40}]},{"id":"vang","name":"Vàng","tier_points_needed":50}],"pending":{"days":7,"tier_points":"when_available"},"expiry":{"rule":"months_after","months":2,"inactivity_months":4},"pay_with_points":{"max_share_bp":5000,"hold_timeout_s":3600},"transfers":{"enabled":true}}})",
      R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"a","phone":"0912345678","name":"Nguyễn Văn An","birthday":{"day":20,"month":3}})",
      R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"b","phone":"0987654321","name":"Trần Thị Bình","referrer_id":"a"})",
      R"({"command":"create_member","time":"2026-01-03T00:00:00Z","phone":"0901234567","name":"Lê Minh Anh"})",
      R"({"command":"order","time":"2026-01-05T10:00:00Z","order_id":"o1","member_id":"b","status":"completed","amount_vnd":2000000,"shipping_vnd":30000,"actor":"pos-1"})",
      R"({"command":"order","time":"2026-01-06T10:00:00Z","order_id":"o2","member_id":"a","status":"completed","amount_vnd":3000000})",
      R"({"command":"order","time":"2026-01-04T10:00:00Z","order_id":"o3","member_id":"M0000003","status":"completed","amount_vnd":500000})",
      R"({"command":"release_pending","time":"2026-01-07T00:00:00Z","order_id":"o2","reason":"Khách đã nhận hàng","actor":"support"})",
      R"({"command":"cancel_pending","time":"2026-01-07T01:00:00Z","order_id":"o3","reason":"Đơn lỗi","actor":"support"})",
      R"({"command":"adjust_points","time":"2026-01-08T00:00:00Z","member_id":"a","points":100,"reason":"Quà","actor":"staff","idempotency_key":"k1"})",
      R"({"command":"hold_points","time":"2026-01-09T00:00:00Z","hold_id":"h1","member_id":"a","points":20,"order_amount_vnd":100000})",
      R"({"command":"order","time":"2026-01-09T00:10:00Z","order_id":"o4","member_id":"a","status":"completed","amount_vnd":100000,"points_hold_id":"h1"})",
      R"({"command":"hold_points","time":"2026-01-09T01:00:00Z","hold_id":"h2","member_id":"a","points":10,"order_amount_vnd":100000})",
      R"({"command":"refund","time":"2026-01-10T00:00:00Z","order_id":"o4","refund_id":"r1","amount_vnd":40000})",
      R"({"command":"refund","time":"2026-01-10T00:00:00Z","order_id":"o1","refund_id":"r1","amount_vnd":500000})",
      R"({"command":"transfer_points","time":"2026-01-15T00:00:00Z","transfer_id":"t1","from_member_id":"a","to_member_id":"b","points":15})",
      R"({"command":"redeem_points","time":"2026-01-16T00:00:00Z","redemption_id":"d1","member_id":"a","points":5,"reason":"Voucher"})",
      R"({"command":"update_member","time":"2026-01-17T00:00:00Z","member_id":"b","name":"Trần Thị Bích","phone":"0398765432"})",
      R"({"command":"update_member","time":"2026-01-17T00:00:00Z","member_id":"M0000003","status":"blocked","email":"anh@example.vn"})",
      R"({"command":"set_referrer","time":"2026-01-18T00:00:00Z","member_id":"M0000003","referrer_id":"b"})",
      R"({"command":"save_program","time":"2026-01-20T00:00:00Z","effective_from":"2026-02-15T00:00:00Z","actor":"owner","program":{"wallet":{"initial_pool_points":2000000000,"point_value_vnd":1000,"buyer_earn_rate_bp":200},"tier_points":{"vnd_per_tier_point":10000,"window_months":6},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0},{"id":"vang","name":"Vàng","tier_points_needed":100}],"expiry":{"rule":"end_of_month_after","months":1}}})",
      R"({"command":"create_member","time":"2026-01-21T00:00:00Z","member_id":"c","phone":"0933333333","name":"Phạm Ngọc Lan","birthday":{"day":10,"month":2,"year":1990}})",
      R"({"command":"grant_birthday_bonuses","time":"2026-02-10T03:00:00Z"})",
      R"({"command":"grant_birthday_bonuses","time":"2026-02-10T09:00:00Z"})",
      R"({"command":"order","time":"2026-01-25T00:00:00Z","order_id":"o5","member_id":"b","status":"placed","amount_vnd":700000})",
      R"({"command":"order","time":"2026-02-20T00:00:00Z","order_id":"o5","member_id":"b","status":"completed","amount_vnd":700000})",
      R"({"command":"order","time":"2026-02-21T00:00:00Z","order_id":"o6","member_id":"a","status":"cancelled","amount_vnd":100000})",
      R"({"command":"grant_birthday_bonuses","time":"2026-03-20T03:00:00Z"})",
      R"({"command":"order","time":"2026-03-01T00:00:00Z","order_id":"o1","member_id":"b","status":"refunded","amount_vnd":2000000,"shipping_vnd":30000})",
      R"({"command":"review_tiers","time":"2026-04-01T00:00:00Z"})",
      R"({"command":"save_campaign","time":"2026-04-01T00:00:00Z","campaign":{"campaign_id":"he","name":"Hè","starts_at":"2026-04-01T00:00:00Z","ends_at":"2026-08-01T00:00:00Z","reward":{"kind":"percentage","percent_bp":1000,"max_discount_vnd":30000},"point_cost":5,"total_quantity":10,"limit_per_member":2,"budget_vnd":300000}})",
      R"({"command":"set_campaign_status","time":"2026-04-01T00:00:00Z","campaign_id":"he","status":"visible"})",
      R"({"command":"adjust_points","time":"2026-04-02T00:00:00Z","member_id":"a","points":50,"reason":"Quà","actor":"staff","idempotency_key":"k2"})",
      R"({"command":"claim_voucher","time":"2026-04-02T00:00:00Z","claim_id":"v1","member_id":"a","campaign_id":"he","seed":"0123456789abcdef-1"})",
      R"({"command":"claim_voucher","time":"2026-04-02T00:00:00Z","claim_id":"v2","member_id":"a","campaign_id":"he","seed":"0123456789abcdef-2"})",
      R"({"command":"import_voucher_codes","time":"2026-04-03T00:00:00Z","batch_id":"p1","campaign_id":"he","codes":["GRAB-0001","GRAB-0002"]})",
      R"({"command":"issue_voucher_codes","time":"2026-04-03T00:00:00Z","batch_id":"in1","campaign_id":"he","count":2,"seed":"0123456789abcdef-3"})",
      R"({"command":"order","time":"2026-04-04T00:00:00Z","order_id":"o7","member_id":"a","status":"completed","amount_vnd":500000,"voucher_code":"grab 0001"})",
      R"({"command":"order","time":"2026-04-05T00:00:00Z","order_id":"o7","member_id":"a","status":"refunded","amount_vnd":500000})",
      R"({"command":"cancel_voucher_claim","time":"2026-04-06T00:00:00Z","claim_id":"v2","reason":"Khách đổi ý","actor":"support"})",
      R"({"command":"set_campaign_status","time":"2026-04-07T00:00:00Z","campaign_id":"he","status":"paused"})",
      R"({"command":"search_members","query":"tran thi"})",
      R"({"command":"save_scenario","time":"2026-04-08T00:00:00Z","scenario":{"scenario_id":"cam-on","name":"Cảm ơn","kind":"order_thanks","delay_minutes":30,"title":"Cảm ơn {name}","body":"{order_id}"}})",
      R"({"command":"save_scenario","time":"2026-04-08T00:00:00Z","scenario":{"scenario_id":"du-diem","name":"Đủ điểm","kind":"balance_threshold","threshold_points":60,"title":"{points}","body":"{threshold}"}})",
      R"({"command":"save_notification","time":"2026-04-08T00:00:00Z","notification":{"notification_id":"he","title":"{name}","body":"{points}","target":{"kind":"campaign","campaign_id":"he"}}})",
      R"({"command":"schedule_notification","time":"2026-04-08T00:00:00Z","notification_id":"he"})",
      R"({"command":"order","time":"2026-04-08T01:00:00Z","order_id":"o8","member_id":"b","status":"completed","amount_vnd":900000})",
      R"({"command":"mark_delivery_sent","time":"2026-04-08T02:00:00Z","delivery_id":"n/he/a"})",
      R"({"command":"mark_delivery_opened","time":"2026-04-08T02:10:00Z","delivery_id":"n/he/a"})",
      R"({"command":"mark_delivery_failed","time":"2026-04-08T02:00:00Z","delivery_id":"n/he/b","attempt":1,"reason":"gateway 503"})",
      R"({"command":"mark_delivery_sent","time":"2026-04-08T02:00:00Z","delivery_id":"s/cam-on/1"})",
      R"({"command":"process_due","time":"2026-09-01T00:00:00Z"})",
      R"({"command":"get_member","member_id":"a"})",
  };
  CommandRunner original;
  std::vector<std::string> answers;
  std::vector<std::string> snapshots;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    snapshots.push_back(StoreSnapshot::write(original.store()));
    const CommandOutput output = original.run_line(lines[k], k + 1);
    answers.push_back(answer(output));
  }
  // The script does reach every section: a refusal here means the script lost its way.
  const Store& store = original.store();
  CHECK(store.program_versions().size() == 2);
  CHECK(store.refunds().size() >= 3);
  CHECK(store.adjustments().size() == 2);
  CHECK(store.holds().size() == 2);
  CHECK(store.points_actions().size() >= 4);
  CHECK(store.lot_portions().size() >= 3);
  CHECK(store.check_invariants() == "");
  CHECK(store.campaigns().codes().size() == 6);
  CHECK(store.campaigns().claims().size() == 2);
  CHECK(store.campaigns().batches().size() == 2);
  const std::vector<std::string> expected_reads = all_reads(original);
  for (std::size_t cut = 0; cut < snapshots.size(); ++cut) {
    CAPTURE(cut);
    CommandRunner copy = restored(snapshots[cut]);
    for (std::size_t k = cut; k < lines.size(); ++k) {
      REQUIRE_MESSAGE(answer(copy.run_line(lines[k], k + 1)) == answers[k], "line ", k + 1, ": ", lines[k]);
    }
    check_same_reads(expected_reads, all_reads(copy));
  }
}

TEST_CASE("snapshot: the same store gives the same bytes, and an empty store round-trips") {
  const std::string empty = StoreSnapshot::write(Store{});
  CHECK(empty.substr(0, 8) == std::string("LOYSNAP\0", 8));
  CommandRunner restored_empty = restored(empty);
  CHECK(StoreSnapshot::write(restored_empty.store()) == empty);
  const std::string small = small_snapshot();
  CHECK(small == small_snapshot());
  CommandRunner copy = restored(small);
  CHECK(StoreSnapshot::write(copy.store()) == small);
  CHECK(copy.store().check_invariants() == "");
  // The small store holds campaigns too: imported, claimed and printed codes.
  CHECK(copy.store().campaigns().codes().size() > 8);
  CHECK(!copy.store().campaigns().claims().empty());
  // ...and notifications: a notification sending with marks, scenario occasions.
  const Notifications& notifications = copy.store().notifications();
  const std::uint32_t vip = notifications.find_notification("vip-tin");
  REQUIRE(vip != UINT32_MAX);
  CHECK(notifications.notifications()[vip].audience_members.size() == 2);
  CHECK(notifications.notifications()[vip].opened_count == 1);
  CHECK(notifications.notifications()[vip].failures.size() == 1);
  CHECK(notifications.scenarios().size() == 5);
  CHECK(!notifications.occasions().empty());
}

// [SECTION] Refusals -------------------------------------------------------------------------------
TEST_CASE("snapshot: every truncation, every flipped byte, a wrong version and a wrong checksum are refused") {
  const std::string bytes = small_snapshot();
  REQUIRE(StoreSnapshot::read(bytes).store.has_value());
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    const SnapshotReading reading = StoreSnapshot::read(std::string_view(bytes).substr(0, length));
    REQUIRE_MESSAGE(!reading.store.has_value(), "length ", length);
    REQUIRE(reading.error.rfind("snapshot: ", 0) == 0);
  }
  // One byte changed anywhere: the checksum changes with every single byte, so each is refused.
  SeededRandom random{99};
  for (std::size_t position = 0; position < bytes.size(); ++position) {
    std::string damaged = bytes;
    damaged[position] = static_cast<char>(damaged[position] ^ static_cast<char>(1 + random.below(255)));
    const SnapshotReading reading = StoreSnapshot::read(damaged);
    REQUIRE_MESSAGE(!reading.store.has_value(), "byte ", position);
    REQUIRE(!reading.error.empty());
  }
  std::string extended = bytes + "x";
  CHECK(StoreSnapshot::read(extended).error.find("bytes") != std::string::npos);

  std::string wrong_version = bytes;
  set_u32(wrong_version, 8, snapshot_format_version + 1);
  set_checksum(wrong_version);
  CHECK(StoreSnapshot::read(wrong_version).error == "snapshot: format version 6, this build reads version 5");

  std::string wrong_checksum = bytes;
  wrong_checksum.back() = static_cast<char>(wrong_checksum.back() ^ 0x40);
  CHECK(StoreSnapshot::read(wrong_checksum).error == "snapshot: the checksum does not match (damaged)");

  std::string not_a_snapshot = bytes;
  not_a_snapshot[0] = 'X';
  CHECK(StoreSnapshot::read(not_a_snapshot).error == "snapshot: not a snapshot (no LOYSNAP magic)");
  CHECK(!StoreSnapshot::read("").error.empty());
}

TEST_CASE("snapshot: bytes changed behind a valid checksum are refused or read into a consistent store, never a crash") {
  // The checksum is recomputed after each change, so that the reader's own checks are what
  // stands between the bytes and the store: counts, indexes, enums, lists, heap, invariants.
  const std::string bytes = small_snapshot();
  SeededRandom random{2026};
  int refused = 0, accepted = 0;
  for (int iteration = 0; iteration < 3000; ++iteration) {
    std::string damaged = bytes;
    const std::int64_t changes = 1 + random.below(3);
    for (std::int64_t c = 0; c < changes; ++c) {
      // Past the header (its checks are tested above), before the checksum.
      const auto position = static_cast<std::size_t>(20 + random.below(static_cast<std::int64_t>(bytes.size()) - 28));
      switch (random.below(3)) {
        case 0: damaged[position] = static_cast<char>(damaged[position] ^ (1 << random.below(8))); break;
        case 1: damaged[position] = static_cast<char>(random.below(256)); break;
        default: damaged[position] = static_cast<char>(0xFF); break;
      }
    }
    set_checksum(damaged);
    SnapshotReading reading = StoreSnapshot::read(damaged);
    if (!reading.store) {
      REQUIRE(reading.error.rfind("snapshot: ", 0) == 0);
      ++refused;
      continue;
    }
    ++accepted;
    REQUIRE(reading.store->check_invariants() == "");
    // An accepted store is consistent enough to answer every read.
    CommandRunner runner(std::move(*reading.store));
    for (const std::string& answer_text : all_reads(runner)) REQUIRE(!answer_text.empty());
  }
  CHECK(refused > accepted);
  MESSAGE("changed snapshots: ", refused, " refused, ", accepted, " accepted (a changed name or amount can still be consistent)");
}
