// due_scheduler.hpp: time passes without requests.
//
// The server runs what falls due (pending points becoming available, holds timing out,
// lots expiring, the inactivity rule, scheduled program versions) at the moment it is due,
// as a journaled process_due like any command. The core says when each store's next item
// is due (Store::next_due_utc): the scheduler sleeps until the earliest, or until a write
// wakes it. Once a local day per store, just after local midnight, it also grants the
// birthday perk and reviews tiers (tier points leaving the window). Once an hour it drops
// idempotency records older than their documented 24 hours. Deliveries of notifications that
// are due are handed over at once: each by a journaled mark_delivery_sent, whose
// delivery_sent event the writer puts in the outbox in the same transaction (so a delivery
// is in the outbox exactly once, whatever restarts), and the webhook dispatcher gives it to
// the store's endpoints that take delivery_sent: the push gateway.
#pragma once
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/basics/time.hpp"
#include "server/hosting/store_registry.hpp"

namespace loyalty::server::hosting {

class DueScheduler {
 public:
  // `now_utc` is the server's clock (tests may pass another).
  DueScheduler(StoreRegistry& stores, std::function<UtcSeconds()> now_utc) : stores_(stores), now_utc_(std::move(now_utc)) {}
  ~DueScheduler() { stop(); }
  void start();
  void stop();
  void wake();   // after a write: its store's next due moment may be sooner

 private:
  void loop();
  // Runs what is due for one store; gives when it next needs to run.
  UtcSeconds run_store(StoreHost& host, UtcSeconds now);
  // Hands the store's due deliveries (core/notifications) to the outbox, a page at a time.
  void hand_over_deliveries(StoreHost& host, UtcSeconds now);

  StoreRegistry& stores_;
  std::function<UtcSeconds()> now_utc_;
  std::map<std::string, std::int64_t> daily_work_day_;   // store -> local day number of the last daily work
  UtcSeconds next_idempotency_expiry_ = 0;               // when to drop idempotency records past their time
  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace loyalty::server::hosting
