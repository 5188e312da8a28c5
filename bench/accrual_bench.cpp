// accrual_bench: 1,000,000 completed orders across 100,000 members (a third referred by
// another member), through the store's typed commands, on one core.
// Prints:
//   bench core_accrual_<native|wasm> <orders per second> orders/s
//   bench core_accrual_<native|wasm>_ns <nanoseconds per order> ns
//   bench core_bytes_per_member <bytes> bytes
// scripts/run_benchmarks.sh runs the native and wasm builds and prints their ratio.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "core/basics/seeded_random.hpp"
#include "core/store.hpp"

using namespace loyalty;

namespace {
using Random = SeededRandom;
#ifdef __EMSCRIPTEN__
constexpr const char* host = "wasm";
#else
constexpr const char* host = "native";
#endif
}  // namespace

int main(int argument_count, char** arguments) {
  const std::int64_t member_count = argument_count > 1 ? std::atoll(arguments[1]) : 100'000;
  const std::int64_t order_count = argument_count > 2 ? std::atoll(arguments[2]) : 1'000'000;
  Random random{2026};
  Store store;
  Changes changes;
  const UtcSeconds start = *parse_utc_time("2026-01-01T00:00:00Z");
  if (!store.save_program(example_program_config(), start, "bench", changes).ok()) return 1;

  // Members get the store's generated ids M0000001, M0000002, ...; a third are referred.
  // Ids are formatted by hand: printf is slow in wasm and would be measured instead of the core.
  char member_id[9] = "M0000000";
  auto format_member_id = [&](std::int64_t index) {
    std::int64_t number = index + 1;
    for (int position = 7; position >= 1; --position, number /= 10) member_id[position] = static_cast<char>('0' + number % 10);
    return std::string_view(member_id, 8);
  };
  char order_id[16] = "ORD-";
  auto format_order_id = [&](std::int64_t number) {
    char digits[20];
    int count = 0;
    do { digits[count++] = static_cast<char>('0' + number % 10); number /= 10; } while (number != 0);
    for (int i = 0; i < count; ++i) order_id[4 + i] = digits[count - 1 - i];
    return std::string_view(order_id, static_cast<std::size_t>(4 + count));
  };
  for (std::int64_t i = 0; i < member_count; ++i) {
    NewMember member;
    member.phone = "09" + std::to_string(10'000'000 + i);
    member.name = "Thành viên " + std::to_string(i);
    if (i > 0 && random.below(3) == 0) member.referrer_id = format_member_id(random.below(i));
    if (store.create_member(member, start, changes).code != ResultCode::ok) return 1;
    if (store.members().back().member_id != format_member_id(i)) return 1;
  }

  // Orders over one year, in time order, amounts from 20,000 to 5,000,000 VND.
  std::vector<OrderEvent> events(1);
  OrderEvent& event = events[0];
  event.status = OrderStatus::completed;
  event.actor = "pos";
  const UtcSeconds step_s = 365 * seconds_per_day / order_count;
  const auto began = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < order_count; ++i) {
    event.order_id.assign(format_order_id(i));
    // A till sends the member's id as text: format it rather than read a random string from memory.
    event.member_id.assign(format_member_id(random.below(member_count)));
    event.amounts.amount_vnd = 20'000 + random.below(4'980'000);
    const Result result = store.record_order(event, start + seconds_per_day + i * step_s, changes);
    if (result.code != ResultCode::ok) {
      std::fprintf(stderr, "order %lld refused: %s\n", static_cast<long long>(i), std::string(result_code_name(result.code)).c_str());
      return 1;
    }
  }
  const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  if (!store.check_invariants().empty()) {
    std::fprintf(stderr, "invariants broken: %s\n", store.check_invariants().c_str());
    return 1;
  }
  std::printf("bench core_accrual_%s %.0f orders/s\n", host, static_cast<double>(order_count) / elapsed_s);
  std::printf("bench core_accrual_%s_ns %.1f ns\n", host, elapsed_s * 1e9 / static_cast<double>(order_count));
  std::printf("bench core_bytes_per_member%s %.0f bytes\n", host[0] == 'n' ? "" : "_wasm",
              static_cast<double>(store.memory_bytes()) / static_cast<double>(member_count));
  return 0;
}
