// snapshot_bench: writing and reading a snapshot of a store of 100,000 members (Vietnamese
// names, a third referred) and 500,000 orders over a year (pending period, expiry by lot,
// partial refunds), on one core. The best of three runs of each.
// Prints (wasm names end in _wasm where native ones have no host):
//   bench core_snapshot_write_100k_members[_wasm] <milliseconds> ms
//   bench core_snapshot_read_100k_members[_wasm] <milliseconds> ms   (checks and all: what a restart costs)
//   bench core_snapshot_bytes_per_member[_wasm] <bytes> bytes
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/bench_timing.hpp"
#include "bench/vietnamese_names.hpp"
#include "core/basics/seeded_random.hpp"
#include "core/snapshot/store_snapshot.hpp"

using namespace loyalty;

namespace {
using bench::host_suffix;
using bench::milliseconds_since;
}  // namespace

int main(int argument_count, char** arguments) {
  const std::int64_t member_count = argument_count > 1 ? std::atoll(arguments[1]) : 100'000;
  const std::int64_t order_count = argument_count > 2 ? std::atoll(arguments[2]) : 500'000;
  SeededRandom random{2026};
  bench::VietnameseNameGenerator names(2026);
  Store store;
  Changes changes;
  const UtcSeconds start = *parse_utc_time("2026-01-01T00:00:00Z");
  ProgramConfig config = example_program_config();
  config.pending.days = 14;
  config.expiry.rule = ExpiryRule::months_after;
  config.expiry.months = 12;
  if (!store.save_program(config, start, "bench", changes).ok()) return 1;

  for (std::int64_t i = 0; i < member_count; ++i) {
    NewMember member;
    member.phone = "09" + std::to_string(10'000'000 + i);   // unique; the generator's phones may repeat
    member.name = names.name().full_name();
    if (i > 0 && random.below(3) == 0) member.referrer_id = store.members()[static_cast<std::size_t>(random.below(i))].member_id;
    if (store.create_member(member, start, changes).code != ResultCode::ok) return 1;
  }
  OrderEvent event;
  event.status = OrderStatus::completed;
  event.actor = "pos";
  const UtcSeconds step_s = 365 * seconds_per_day / order_count;
  for (std::int64_t i = 0; i < order_count; ++i) {
    event.order_id = "ORD-" + std::to_string(i);
    event.member_id = store.members()[static_cast<std::size_t>(random.below(member_count))].member_id;
    event.amounts.amount_vnd = 20'000 + random.below(250) * 20'000;
    const UtcSeconds time = start + seconds_per_day + i * step_s;
    if (!store.record_order(event, time, changes).ok()) return 1;
    if (random.below(20) == 0) {
      RefundEvent refund{event.order_id, "r1", event.amounts.amount_vnd / 2, "pos"};
      if (!store.refund_order(refund, time, changes).ok()) return 1;
    }
  }

  std::string bytes;
  double write_ms = 1e300, read_ms = 1e300;
  for (int run = 0; run < 3; ++run) {
    const auto began = std::chrono::steady_clock::now();
    bytes = StoreSnapshot::write(store);
    write_ms = std::min(write_ms, milliseconds_since(began));
  }
  for (int run = 0; run < 3; ++run) {
    const auto began = std::chrono::steady_clock::now();
    SnapshotReading reading = StoreSnapshot::read(bytes);
    read_ms = std::min(read_ms, milliseconds_since(began));
    if (!reading.store) {
      std::fprintf(stderr, "snapshot refused: %s\n", reading.error.c_str());
      return 1;
    }
    if (run == 0 && StoreSnapshot::write(*reading.store) != bytes) {
      std::fprintf(stderr, "the restored store writes other bytes\n");
      return 1;
    }
  }
  std::printf("bench core_snapshot_write_100k_members%s %.1f ms\n", host_suffix, write_ms);
  std::printf("bench core_snapshot_read_100k_members%s %.1f ms\n", host_suffix, read_ms);
  std::printf("bench core_snapshot_bytes_per_member%s %.0f bytes\n", host_suffix,
              static_cast<double>(bytes.size()) / static_cast<double>(member_count));
  return 0;
}
