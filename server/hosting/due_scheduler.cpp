#include "server/hosting/due_scheduler.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace loyalty::server::hosting {

namespace {
// Every store is looked at again at least this often (new items, new stores, clock jumps).
constexpr UtcSeconds idle_recheck_s = 1;   // cheap: a heap top and a clock per store
// Idempotency records are kept this long (the API's documented contract: 24 hours), and
// looked through for old ones this often.
constexpr UtcSeconds idempotency_record_keep_s = 24 * 3600;
constexpr UtcSeconds idempotency_expiry_every_s = 3600;

Json timed(const char* command, UtcSeconds now) { return Json{{"command", command}, {"time", format_utc_time(now)}}; }

WriteRequest internal_write(Json command) {
  WriteRequest request;
  request.command = std::move(command);
  request.answer = [](const CommandOutput& output) { return HttpAnswer{200, output.result.dump()}; };
  return request;
}
}  // namespace

void DueScheduler::start() { thread_ = std::thread([this] { loop(); }); }

void DueScheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DueScheduler::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
}

UtcSeconds DueScheduler::run_store(StoreHost& host, UtcSeconds now) {
  struct Look {
    UtcSeconds next_due = INT64_MAX;
    UtcSeconds clock = 0;
    TimeZone zone;
    bool has_program = false;
  };
  const Look look = host.read([](const CommandRunner& runner) {
    Look result;
    result.next_due = runner.store().next_due_utc();
    result.clock = runner.store().clock_utc();
    if (const ProgramVersion* program = runner.store().current_program()) {
      result.zone = program->config.time_zone;
      result.has_program = true;
    }
    return result;
  });
  if (look.next_due <= now) {
    host.write(internal_write(timed("process_due", now)));
    ++stores_.counters().due_runs;
  }
  // Daily work, once per local day, as soon as the day has begun.
  const CivilDate today = local_date(now, look.zone);
  const std::int64_t day = days_from_civil(today);
  UtcSeconds next = now + idle_recheck_s;
  if (look.has_program) {
    auto& last_day = daily_work_day_[host.record().store_id];
    if (last_day != day) {
      host.write(internal_write(timed("grant_birthday_bonuses", now)));
      host.write(internal_write(timed("review_tiers", now)));
      stores_.counters().due_runs += 2;
      last_day = day;
    }
    next = std::min(next, local_midnight_utc(civil_from_days(day + 1), look.zone));
  }
  hand_over_deliveries(host, now);
  const UtcSeconds next_due = host.read([](const CommandRunner& runner) { return runner.store().next_due_utc(); });
  return std::min(next, next_due);
}

void DueScheduler::hand_over_deliveries(StoreHost& host, UtcSeconds now) {
  // A page at a time, a bounded number per run, so that other stores get their turn.
  constexpr int pages_per_run = 20;
  constexpr int page_size = 500;
  for (int page = 0; page < pages_per_run; ++page) {
    const Json due = host.run_read(Json{{"command", "due_deliveries"}, {"limit", page_size}});
    if (due.value("result", "") != "ok") return;
    const Json& deliveries = due["data"]["deliveries"];
    if (deliveries.empty()) return;
    // Handed over only to a push gateway: a store without one has its deliveries pulled by
    // its own sender (GET .../deliveries/due, then POST .../deliveries/sent), so none is
    // marked sent that nobody will deliver. Asked of the database only when something is due.
    if (page == 0) {
      const auto gateway = stores_.storage().has_push_gateway(host.record().store_id);
      if (!gateway.ok()) {
        std::fprintf(stderr, "loyalty-server: %s\n", gateway.error_message().c_str());
        return;
      }
      if (!gateway.value()) return;
    }
    std::vector<WriteRequest> marks;
    for (const Json& delivery : deliveries) {
      marks.push_back(internal_write(Json{{"command", "mark_delivery_sent"}, {"time", format_utc_time(now)},
                                          {"delivery_id", delivery["delivery_id"]}}));
    }
    for (const WriteOutcome& outcome : host.write_many(std::move(marks))) {
      if (!outcome.durable) return;   // the disk refused: the same deliveries are due next time
    }
    stores_.counters().deliveries_handed_over += static_cast<std::int64_t>(deliveries.size());
    if (due["data"]["next_after"].is_null()) return;
  }
}

void DueScheduler::loop() {
  for (;;) {
    const UtcSeconds now = now_utc_();
    UtcSeconds next = now + idle_recheck_s;
    for (StoreHost* host : stores_.all()) next = std::min(next, run_store(*host, now));
    if (now >= next_idempotency_expiry_) {
      const auto expired = stores_.storage().expire_idempotency_records(format_utc_time(now - idempotency_record_keep_s));
      if (!expired.ok()) std::fprintf(stderr, "loyalty-server: %s\n", expired.error_message().c_str());
      next_idempotency_expiry_ = now + idempotency_expiry_every_s;
    }
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    // Due items are whole seconds: wake at the start of the second they fall due in.
    const auto wait = std::chrono::seconds(std::max<UtcSeconds>(0, next - now_utc_()));
    changed_.wait_for(lock, wait, [&] { return stopping_ || woken_; });
    woken_ = false;
    if (stopping_) return;
  }
}

}  // namespace loyalty::server::hosting
