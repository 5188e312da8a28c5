// notification_bench: a notification to everyone in a store of 1,000,000 members (1 in 20
// opted out of push, 1 in 100 blocked) on one core. Prints (wasm names end in _wasm):
//   bench core_notification_start_1m[_wasm] <milliseconds> ms
//       the send time falls due: the audience is fixed, excluded members skipped
//   bench core_due_deliveries_1m[_wasm] <milliseconds> ms
//       the deliveries due: the first page of 100 (rendered) and the count of all (best of 5)
//   bench core_due_deliveries_1m_half_sent[_wasm] <milliseconds> ms
//       the same once the first half of the audience is marked sent (best of 5)
//   bench core_due_deliveries_1m_all_pages[_wasm] <milliseconds> ms
//       every page of 1,000, by cursor, through the whole audience
//   bench core_mark_delivery_sent[_wasm] <nanoseconds> ns      (per mark, journaled command's work)
//   bench core_due_deliveries_count_1m[_wasm] <count> deliveries
// Argument: member count (default 1,000,000).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/bench_timing.hpp"
#include "core/store.hpp"

using namespace loyalty;

namespace {
using bench::host_suffix;
using bench::milliseconds_since;

// The first page and the count, rendered as a host asks for it.
double first_page_ms(const Store& store, UtcSeconds at, std::uint64_t& count) {
  double best_ms = 1e18;
  for (int run = 0; run < 5; ++run) {
    const auto began = std::chrono::steady_clock::now();
    DueDeliveries due;
    if (!store.due_deliveries(at, "", 100, due).ok()) std::exit(1);
    std::size_t rendered_bytes = 0;
    for (const DueDelivery& delivery : due.page) rendered_bytes += store.render_delivery(delivery.ref).body.size();
    best_ms = std::min(best_ms, milliseconds_since(began));
    count = due.count;
    if (rendered_bytes == 0 && !due.page.empty()) std::exit(1);
  }
  return best_ms;
}
}  // namespace

int main(int argument_count, char** arguments) {
  const std::int64_t member_count = argument_count > 1 ? std::atoll(arguments[1]) : 1'000'000;
  Store store;
  Changes changes;
  const UtcSeconds start = *parse_utc_time("2026-01-01T00:00:00Z");
  if (!store.save_program(example_program_config(), start, "bench", changes).ok()) return 1;
  for (std::int64_t i = 0; i < member_count; ++i) {
    NewMember member;
    member.phone = "09" + std::to_string(10'000'000 + i);
    member.name = "Khách " + std::to_string(i);
    member.opt_ins.push = i % 20 != 0;
    if (store.create_member(member, start, changes).code != ResultCode::ok) return 1;
  }
  for (std::int64_t i = 7; i < member_count; i += 100) {
    MemberUpdate update;
    update.member_id = store.members()[static_cast<std::size_t>(i)].member_id;
    update.status = MemberStatus::blocked;
    if (!store.update_member(update, start, changes).ok()) return 1;
  }

  NotificationConfig config;
  config.notification_id = "tat-ca";
  config.message = MessageText{"Chào {name}", "Bạn có {points} điểm ({points_value}), hạng {tier}.", "", ""};
  const UtcSeconds send_at = start + seconds_per_day;
  config.send_at_utc = send_at;
  if (!store.save_notification(config, start, changes).ok() || !store.schedule_notification("tat-ca", start, changes).ok()) return 1;
  auto began = std::chrono::steady_clock::now();
  if (!store.process_due(send_at, changes).ok()) return 1;
  std::printf("bench core_notification_start_1m%s %.3f ms\n", host_suffix, milliseconds_since(began));

  std::uint64_t count = 0;
  std::printf("bench core_due_deliveries_1m%s %.3f ms\n", host_suffix, first_page_ms(store, send_at, count));
  std::printf("bench core_due_deliveries_count_1m%s %llu deliveries\n", host_suffix, static_cast<unsigned long long>(count));

  // Half the audience marked sent, in order, as a host goes through its pages.
  const Notification& notification = store.notifications().notifications()[0];
  DeliveryMark mark;
  mark.kind = DeliveryMarkKind::sent;
  std::int64_t marks = 0;
  began = std::chrono::steady_clock::now();
  for (std::uint32_t position = 0; position < notification.audience_count / 2; ++position) {
    if ((notification.flags[position] & delivery_flag::done) != 0) continue;
    mark.delivery_id = "n/tat-ca/" + store.members()[position].member_id;
    if (store.mark_delivery(mark, send_at + 60, changes).code != ResultCode::ok) return 1;
    ++marks;
  }
  const double marking_ms = milliseconds_since(began);
  std::printf("bench core_mark_delivery_sent%s %.0f ns\n", host_suffix, marks > 0 ? marking_ms * 1e6 / static_cast<double>(marks) : 0.0);
  std::printf("bench core_due_deliveries_1m_half_sent%s %.3f ms\n", host_suffix, first_page_ms(store, send_at + 60, count));

  began = std::chrono::steady_clock::now();
  std::string after;
  std::uint64_t paged = 0;
  for (;;) {
    DueDeliveries due;
    if (!store.due_deliveries(send_at + 60, after, 1000, due).ok()) return 1;
    paged += due.page.size();
    if (!due.more) break;
    after = store.delivery_id(due.page.back().ref);
  }
  std::printf("bench core_due_deliveries_1m_all_pages%s %.3f ms\n", host_suffix, milliseconds_since(began));
  return paged == count ? 0 : 1;
}
