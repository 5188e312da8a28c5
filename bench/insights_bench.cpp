// insights_bench: the reads of core/insights on big stores, natively.
//   bench core_backtest_1m <ms> ms          a year of 1,000,000 orders (100,000 members, refunds),
//                                           replayed under a candidate program
//   bench core_metrics_1m <ms> ms           a month's metrics by day over the metrics store
//   bench core_metrics_members <n> members  the metrics store's size (default 1,000,000 members
//   bench core_metrics_orders <n> orders     and 10,000,000 orders over a year)
// usage: insights_bench [metrics_members] [metrics_orders]
// Each figure is the best of 3 runs of the read. Building the stores is not measured (it is
// printed to stderr). The backtest is also checked: under the store's own program it must
// give the store's figures exactly.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/basics/seeded_random.hpp"
#include "core/insights/insights.hpp"

using namespace loyalty;

namespace {

double seconds_since(std::chrono::steady_clock::time_point began) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
}

ProgramConfig bench_program() {
  ProgramConfig config = example_program_config();
  config.tier_points.window_months = 12;
  config.wallet.referrer_earn_rate_bp = 50;
  return config;
}

// Members (a third referred), then orders in time order over a year from 2026-01-02, amounts
// 20,000 to 5,000,000 VND; one order in 30 is refunded in part 3 days later.
bool build_store(Store& store, std::int64_t member_count, std::int64_t order_count, std::uint64_t seed) {
  SeededRandom random{seed};
  Changes changes;
  const UtcSeconds start = *parse_utc_time("2026-01-01T00:00:00Z");
  if (!store.save_program(bench_program(), start, "bench", changes).ok()) return false;
  for (std::int64_t i = 0; i < member_count; ++i) {
    NewMember member;
    member.phone = "09" + std::to_string(10'000'000 + i);
    member.name = "Thành viên " + std::to_string(i);
    if (i > 0 && random.below(3) == 0) member.referrer_id = store.members()[static_cast<std::size_t>(random.below(i))].member_id;
    if (!store.create_member(member, start, changes).ok()) return false;
  }
  OrderEvent event;
  event.status = OrderStatus::completed;
  event.actor = "pos";
  struct Later { std::string order_id; Vnd amount_vnd; UtcSeconds at; };
  std::vector<Later> refunds;
  std::size_t next_refund = 0;
  for (std::int64_t i = 0; i < order_count; ++i) {
    const UtcSeconds time = start + seconds_per_day + i * (365 * seconds_per_day) / order_count;
    while (next_refund < refunds.size() && refunds[next_refund].at <= time) {
      const Later& later = refunds[next_refund++];
      if (!store.refund_order(RefundEvent{later.order_id, "r", later.amount_vnd, "staff"}, later.at, changes).ok()) return false;
    }
    event.order_id = "ORD-" + std::to_string(i);
    event.member_id = store.members()[static_cast<std::size_t>(random.below(member_count))].member_id;
    event.amounts.amount_vnd = 20'000 + random.below(4'980'000);
    if (!store.record_order(event, time, changes).ok()) return false;
    if (random.below(30) == 0) refunds.push_back({event.order_id, event.amounts.amount_vnd / 2, time + 3 * seconds_per_day});
  }
  return true;
}

template <typename Read>
double best_ms(Read read) {
  double best = 1e300;
  for (int run = 0; run < 3; ++run) {
    const auto began = std::chrono::steady_clock::now();
    read();
    best = std::min(best, seconds_since(began) * 1000);
  }
  return best;
}

}  // namespace

int main(int argument_count, char** arguments) {
  const std::int64_t metrics_members = argument_count > 1 ? std::atoll(arguments[1]) : 1'000'000;
  const std::int64_t metrics_orders = argument_count > 2 ? std::atoll(arguments[2]) : 10'000'000;
  const UtcSeconds year_from = *parse_utc_time("2026-01-01T00:00:00+07:00");
  const UtcSeconds year_to = *parse_utc_time("2027-01-03T00:00:00+07:00");

  {
    Store store;
    auto began = std::chrono::steady_clock::now();
    if (!build_store(store, 100'000, 1'000'000, 2026)) { std::fprintf(stderr, "building the backtest store failed\n"); return 1; }
    std::fprintf(stderr, "backtest store: 100000 members, 1000000 orders, %zu refunds, built in %.1f s\n", store.refunds().size(),
                 seconds_since(began));
    const ProgramConfig& current = store.current_program()->config;
    ProgramConfig candidate = current;
    candidate.wallet.buyer_earn_rate_bp = 150;
    candidate.tiers[1].tier_points_needed /= 2;
    Backtest result;
    const double backtest_ms = best_ms([&] { result = backtest_program(store, current, candidate, year_from, year_to, 20); });
    const Backtest same = backtest_program(store, current, current, year_from, year_to, 20);
    if (same.code != ResultCode::ok || same.candidate.buyer_points != same.current.buyer_points ||
        same.candidate.referrer_points != same.current.referrer_points ||
        same.candidate.points_reversed != same.current.points_reversed || same.moved_up + same.moved_down != 0 ||
        same.orders != 1'000'000) {
      std::fprintf(stderr, "the backtest under the store's own program differs from the store\n");
      return 1;
    }
    std::fprintf(stderr, "candidate: %lld points net against %lld, %lld members up, %lld down\n",
                 static_cast<long long>(result.candidate.points_net), static_cast<long long>(result.current.points_net),
                 static_cast<long long>(result.moved_up), static_cast<long long>(result.moved_down));
    std::printf("bench core_backtest_1m %.0f ms\n", backtest_ms);
    std::fflush(stdout);
  }
  {
    Store store;
    auto began = std::chrono::steady_clock::now();
    if (!build_store(store, metrics_members, metrics_orders, 2027)) { std::fprintf(stderr, "building the metrics store failed\n"); return 1; }
    std::fprintf(stderr, "metrics store: %lld members, %lld orders, %zu refunds, %zu transactions, built in %.1f s, %.0f MB\n",
                 static_cast<long long>(metrics_members), static_cast<long long>(metrics_orders), store.refunds().size(),
                 static_cast<std::size_t>(store.ledger().transactions().size()), seconds_since(began),
                 static_cast<double>(store.memory_bytes()) / 1e6);
    const UtcSeconds month_from = *parse_utc_time("2026-12-01T00:00:00+07:00");
    const UtcSeconds month_to = *parse_utc_time("2027-01-01T00:00:00+07:00");
    Metrics metrics;
    const double metrics_ms = best_ms([&] { metrics = store_metrics(store, month_from, month_to, MetricsBucket::day); });
    if (metrics.code != ResultCode::ok || metrics.series.size() != 31 || metrics.total.orders <= 0) {
      std::fprintf(stderr, "the metrics read failed\n");
      return 1;
    }
    std::fprintf(stderr, "December: %lld orders, %lld buyers, %lld active in 30 days, revenue %lld VND\n",
                 static_cast<long long>(metrics.total.orders), static_cast<long long>(metrics.total.buyers),
                 static_cast<long long>(metrics.total.active_members_30d), static_cast<long long>(metrics.total.revenue_vnd));
    std::printf("bench core_metrics_1m %.0f ms\n", metrics_ms);
    std::printf("bench core_metrics_members %lld members\n", static_cast<long long>(metrics_members));
    std::printf("bench core_metrics_orders %lld orders\n", static_cast<long long>(metrics_orders));
  }
  return 0;
}
