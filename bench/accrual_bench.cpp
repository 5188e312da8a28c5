// accrual_bench: 1,000,000 completed orders across 100,000 members (a third referred by
// another member), through the store's typed commands, on one core; then, in the same run,
// a baseline doing the same random memory work without the domain's rules.
// Prints (wasm names end in _wasm where native ones have no host):
//   bench core_accrual_<native|wasm> <orders per second> orders/s
//   bench core_accrual_<native|wasm>_ns <nanoseconds per order> ns
//   bench core_accrual_baseline[_wasm] <orders per second> orders/s
//   bench core_accrual_over_baseline[_wasm] <store's rate / baseline's rate> ratio
//   bench core_bytes_per_member[_wasm] <bytes> bytes
// Absolute speeds differ from one machine to the next; the ratio to the baseline, measured
// in the same process on the same data, is the figure to compare.
// scripts/run_benchmarks.sh runs the native and wasm builds several times and prints the
// medians and the wasm-over-native ratio.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "core/basics/chunked_vector.hpp"
#include "core/basics/key_index.hpp"
#include "core/basics/seeded_random.hpp"
#include "core/store.hpp"

using namespace loyalty;

namespace {
using Random = SeededRandom;
#ifdef __EMSCRIPTEN__
constexpr const char* host = "wasm";
constexpr const char* host_suffix = "_wasm";
#else
constexpr const char* host = "native";
constexpr const char* host_suffix = "";
#endif

// [SECTION] The baseline: what an order costs in memory, with no rule applied ----------------
// Per order the store looks the member up by id, updates its accounts (and the referrer's),
// and appends the postings of two transactions. The baseline does exactly that memory work
// on records as big as the store's, with the same index structure, for the same random
// sequence of members and amounts: no program version, no tier, no rounding rule, no lots,
// no idempotency, no events.
struct BaselineAccounts {
  std::string member_id;
  MemberIndex referrer = no_member;
  std::int64_t points = 0;
  std::int64_t tier_points = 0;
  std::int64_t points_earned = 0;
  UtcSeconds last_order_at_utc = 0;
};
// As big as a member of the store, so that the same number of cache lines is spread as far.
struct alignas(64) BaselineMember : BaselineAccounts {
  std::byte rest_of_the_record[sizeof(Member) - sizeof(BaselineAccounts)];
};
static_assert(sizeof(BaselineMember) == sizeof(Member));

struct BaselinePosting {   // 16 bytes, like the ledger's
  std::uint32_t account = 0;
  std::uint32_t previous_in_account = UINT32_MAX;
  std::int64_t amount = 0;
};
static_assert(sizeof(BaselinePosting) == 16);

struct BaselineRun {
  double elapsed_s = 0;
  std::int64_t postings_sum = 0;    // must be 0: every "transaction" balances
  std::int64_t pool_points = 0;
  std::int64_t points_held = 0;     // by all members: must equal what left the pool
};

// `random` is in the state the store's order loop started from: the same members and amounts.
template <typename FormatMemberId>
BaselineRun run_baseline(const Store& store, Random random, std::int64_t order_count, FormatMemberId format_member_id) {
  const std::int64_t member_count = static_cast<std::int64_t>(store.members().size());
  std::vector<BaselineMember> members(static_cast<std::size_t>(member_count));
  KeyIndex member_by_id;
  auto member_id_of = [&](std::uint32_t index) { return std::string_view(members[index].member_id); };
  for (std::int64_t i = 0; i < member_count; ++i) {
    members[static_cast<std::size_t>(i)].member_id = store.members()[static_cast<std::size_t>(i)].member_id;
    members[static_cast<std::size_t>(i)].referrer = store.members()[static_cast<std::size_t>(i)].referrer;
    member_by_id.insert(members[static_cast<std::size_t>(i)].member_id, static_cast<std::uint32_t>(i));
  }
  ChunkedVector<BaselinePosting> postings;
  // Accounts numbered like the ledger's: a few system accounts, then four per member.
  constexpr std::uint32_t pool_account = 1;
  constexpr std::uint32_t tier_genesis_account = 2;
  auto points_account = [](std::uint32_t member) { return 8 + member * 4; };
  auto tier_account = [](std::uint32_t member) { return 8 + member * 4 + 3; };
  BaselineRun run;
  const UtcSeconds start = *parse_utc_time("2026-01-01T00:00:00Z");
  const UtcSeconds step_s = 365 * seconds_per_day / order_count;
  const auto began = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < order_count; ++i) {
    const std::string_view member_id = format_member_id(random.below(member_count));
    const std::int64_t amount_vnd = 20'000 + random.below(4'980'000);
    const std::uint32_t buyer = member_by_id.find(member_id, member_id_of);
    if (buyer == KeyIndex::not_found) return run;   // cannot happen: every id was inserted
    BaselineMember& record = members[buyer];
    const std::int64_t buyer_points = amount_vnd / 100 / 1000;        // 1 %, 1,000 VND a point
    const std::int64_t referrer_points = amount_vnd / 200 / 1000;     // 0.5 %
    const std::int64_t tier_points = amount_vnd / 20'000;
    record.points += buyer_points;
    record.points_earned += buyer_points;
    record.tier_points += tier_points;
    record.last_order_at_utc = start + seconds_per_day + i * step_s;
    std::int64_t pool_debit = buyer_points;
    postings.push_back({points_account(buyer), UINT32_MAX, buyer_points});
    if (record.referrer != no_member) {
      BaselineMember& referrer = members[record.referrer];
      referrer.points += referrer_points;
      referrer.points_earned += referrer_points;
      pool_debit += referrer_points;
      postings.push_back({points_account(record.referrer), UINT32_MAX, referrer_points});
    }
    postings.push_back({pool_account, UINT32_MAX, -pool_debit});
    run.pool_points -= pool_debit;
    postings.push_back({tier_genesis_account, UINT32_MAX, -tier_points});
    postings.push_back({tier_account(buyer), UINT32_MAX, tier_points});
  }
  run.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  // Read everything back, so that no work can be optimised away, and check it balances.
  for (const BaselinePosting& posting : postings) run.postings_sum += posting.amount;
  for (const BaselineMember& member : members) run.points_held += member.points;
  return run;
}

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
  const Random random_at_orders = random;   // the baseline replays the same sequence
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
  const BaselineRun baseline = run_baseline(store, random_at_orders, order_count, format_member_id);
  if (baseline.elapsed_s <= 0 || baseline.postings_sum != 0 || baseline.points_held != -baseline.pool_points) {
    std::fprintf(stderr, "the baseline did not run or does not balance\n");
    return 1;
  }
  const double store_orders_per_s = static_cast<double>(order_count) / elapsed_s;
  const double baseline_orders_per_s = static_cast<double>(order_count) / baseline.elapsed_s;
  std::printf("bench core_accrual_%s %.0f orders/s\n", host, store_orders_per_s);
  std::printf("bench core_accrual_%s_ns %.1f ns\n", host, elapsed_s * 1e9 / static_cast<double>(order_count));
  std::printf("bench core_accrual_baseline%s %.0f orders/s\n", host_suffix, baseline_orders_per_s);
  std::printf("bench core_accrual_over_baseline%s %.2f ratio\n", host_suffix, store_orders_per_s / baseline_orders_per_s);
  std::printf("bench core_bytes_per_member%s %.0f bytes\n", host_suffix,
              static_cast<double>(store.memory_bytes()) / static_cast<double>(member_count));
  return 0;
}
