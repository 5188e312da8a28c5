// group_bench: customer groups over a store of 1,000,000 members (Vietnamese names,
// birthdays for most, tiers from a year of orders: 2,000,000 orders) on one core.
// Prints (wasm names end in _wasm where native ones have no host):
//   bench core_group_eval_1m[_wasm] <milliseconds> ms
//       a whole dynamic group evaluated at once: born in June AND tier Vàng, OR spent
//       more than 5,000,000 ₫ in the last 90 days (best of 5)
//   bench core_csv_import_100k[_wasm] <milliseconds> ms
//       100,000 rows of phones (as Excel writes them: BOM, semicolons, CRLF, some with a
//       lost 0 or spaces, some unknown) imported into a static group (best of 3)
//   bench core_group_members_1m[_wasm] <count> members   (the size of the evaluated group)
// Arguments: member count, order count (defaults 1,000,000 and 2,000,000).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/bench_timing.hpp"
#include "bench/vietnamese_names.hpp"
#include "core/basics/seeded_random.hpp"
#include "core/store.hpp"

using namespace loyalty;

namespace {
using bench::host_suffix;
using bench::milliseconds_since;

std::string phone_of(std::int64_t index) { return "09" + std::to_string(10'000'000 + index); }
}  // namespace

int main(int argument_count, char** arguments) {
  const std::int64_t member_count = argument_count > 1 ? std::atoll(arguments[1]) : 1'000'000;
  const std::int64_t order_count = argument_count > 2 ? std::atoll(arguments[2]) : 2'000'000;
  SeededRandom random{2026};
  bench::VietnameseNameGenerator names(2026);
  Store store;
  Changes changes;
  const UtcSeconds start = *parse_utc_time("2026-01-01T00:00:00Z");
  ProgramConfig config = example_program_config();
  if (!store.save_program(config, start, "bench", changes).ok()) return 1;
  const bool has_vang = std::any_of(config.tiers.begin(), config.tiers.end(), [](const Tier& tier) { return tier.id == "vang"; });
  const std::string tier_id = has_vang ? "vang" : config.tiers.size() > 1 ? config.tiers[1].id : config.tiers[0].id;

  for (std::int64_t i = 0; i < member_count; ++i) {
    NewMember member;
    member.phone = phone_of(i);
    member.name = names.name().full_name();
    if (random.below(5) != 0) {
      member.birthday = Birthday{static_cast<std::int32_t>(1 + random.below(28)), static_cast<std::int32_t>(1 + random.below(12)), 0};
    }
    if (store.create_member(member, start, changes).code != ResultCode::ok) return 1;
  }
  OrderEvent event;
  event.status = OrderStatus::completed;
  event.actor = "pos";
  const UtcSeconds step_s = std::max<UtcSeconds>(1, 365 * seconds_per_day / std::max<std::int64_t>(1, order_count));
  for (std::int64_t i = 0; i < order_count; ++i) {
    event.order_id = "ORD-" + std::to_string(i);
    event.member_id = store.members()[static_cast<std::size_t>(random.below(member_count))].member_id;
    // Mostly small baskets, some large: a few members pass 5,000,000 ₫ in 90 days.
    event.amounts.amount_vnd = random.below(20) == 0 ? 2'000'000 + random.below(4'000'000) : 50'000 + random.below(900'000);
    if (!store.record_order(event, start + i * step_s, changes).ok()) return 1;
  }
  const UtcSeconds now = start + order_count * step_s;

  GroupDefinition definition;
  definition.group_id = "sinh-nhat-thang-6-vang-hoac-chi-nhieu";
  definition.name = "Sinh tháng 6 hạng Vàng, hoặc chi trên 5.000.000 ₫ trong 90 ngày";
  definition.kind = GroupKind::dynamic;
  const std::string filter = R"({"any":[{"all":[{"birthday_month":6},{"tier":")" + tier_id +
                             R"("}]},{"orders":{"last_days":90,"spent_min_vnd":5000001}}]})";
  GroupFilterReading reading = read_group_filter(Json::parse(filter), "filter");
  if (!reading.filter) return 1;
  definition.filter = *reading.filter;
  if (!store.save_group(definition, now, changes).ok()) return 1;

  double best_eval_ms = 1e18;
  std::size_t group_size = 0;
  for (int run = 0; run < 5; ++run) {
    const auto began = std::chrono::steady_clock::now();
    MemberSet members;
    if (!store.evaluate_group(definition.group_id, now, members).ok()) return 1;
    group_size = members.count();
    best_eval_ms = std::min(best_eval_ms, milliseconds_since(began));
  }

  // Its parts alone: the members' own fields, and the orders of the last 90 days.
  auto best_of = [&](const char* id, const char* text) {
    GroupDefinition part;
    part.group_id = id;
    part.name = id;
    part.kind = GroupKind::dynamic;
    part.filter = *read_group_filter(Json::parse(text), "filter").filter;
    if (!store.save_group(part, now, changes).ok()) std::exit(1);
    double best = 1e18;
    for (int run = 0; run < 3; ++run) {
      const auto began = std::chrono::steady_clock::now();
      MemberSet members;
      if (!store.evaluate_group(id, now, members).ok()) std::exit(1);
      best = std::min(best, milliseconds_since(began));
    }
    return best;
  };
  const double fields_ms = best_of("fields", R"({"birthday_month":6})");
  const double orders_ms = best_of("orders", R"({"orders":{"last_days":90,"spent_min_vnd":5000001}})");

  // 100,000 rows: 90 % known members in the formats Excel leaves, 10 % unknown numbers.
  std::string csv = "\xEF\xBB\xBFHọ tên;Số điện thoại;Ghi chú\r\n";
  for (int row = 0; row < 100'000; ++row) {
    const std::int64_t index = random.below(member_count);
    std::string phone = phone_of(index);
    switch (row % 10) {
      case 0: phone = "0399" + std::to_string(100'000 + row); break;            // nobody's
      case 1: phone = phone.substr(1); break;                                   // the lost 0
      case 2: phone = phone.substr(0, 4) + " " + phone.substr(4, 3) + " " + phone.substr(7); break;
      default: break;
    }
    csv += "\"Nguyễn Văn " + std::to_string(row) + "\";" + phone + ";khách quen\r\n";
  }
  double best_import_ms = 1e18;
  for (int run = 0; run < 3; ++run) {
    GroupDefinition list;
    list.group_id = "danh-sach-" + std::to_string(run);
    list.name = "Danh sách tải lên";
    if (!store.save_group(list, now, changes).ok()) return 1;
    GroupImportRequest request{list.group_id, csv, ImportMode::add, false};
    GroupImportReport report;
    const auto began = std::chrono::steady_clock::now();
    if (store.import_group_members(request, now, changes, report).code != ResultCode::ok) return 1;
    best_import_ms = std::min(best_import_ms, milliseconds_since(began));
    if (report.rows != 100'000 || report.unmatched_count != 10'000) return 1;
  }

  std::printf("bench core_group_eval_1m%s %.1f ms\n", host_suffix, best_eval_ms);
  std::printf("bench core_csv_import_100k%s %.1f ms\n", host_suffix, best_import_ms);
  std::printf("bench core_group_members_1m%s %zu members\n", host_suffix, group_size);
  std::printf("bench core_group_eval_birthday_1m%s %.1f ms\n", host_suffix, fields_ms);
  std::printf("bench core_group_eval_orders_90d_1m%s %.1f ms\n", host_suffix, orders_ms);
  return 0;
}
