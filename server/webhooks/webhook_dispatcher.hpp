// webhook_dispatcher.hpp: delivers the outbox to the stores' webhook endpoints.
//
// Each enabled endpoint has a progress pointer, delivered_outbox_id: the events of its store
// after it are sent in outbox order, one at a time (one request in flight per endpoint), so
// that every event arrives at least once and in order (per endpoint, hence per member). The
// pointer moves only after a 2xx answer; every attempt is a row of webhook_deliveries. A
// failure (no answer within the timeout, a refused connection, a status other than 2xx)
// holds the endpoint's queue until the next attempt, which waits by the retry schedule of
// webhook_signing.hpp (5 s, 30 s, 2 min, ... about 24 h in all); after
// failures_before_disable failures in a row the endpoint is disabled (enabled=0 with a
// disabled_reason, and an audit entry) until staff enable it again, and then resumes from
// its pointer. Everything is in the database, so a restart resumes where it stopped; a
// request cut off by the shutdown is not recorded and is sent again (at least once).
//
// The database connection is held only to read the next event and to record an attempt,
// never during a request.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "server/webhooks/webhook_signing.hpp"

namespace httplib {
class Client;
}
namespace loyalty::server::storage {
class Database;
}

namespace loyalty::server::webhooks {

struct DispatcherOptions {
  WebhookSettings settings = WebhookSettings::from_environment();
  std::size_t worker_count = 4;                          // endpoints served at once
  std::chrono::milliseconds poll_interval{200};          // how soon a new event is seen
  std::chrono::seconds request_timeout{5};               // connect, send, and read each
};

class WebhookDispatcher {
 public:
  explicit WebhookDispatcher(storage::Database& database, DispatcherOptions options = {});
  ~WebhookDispatcher();  // stop()
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  void start();
  // Cuts off requests in flight (they are sent again after a restart) and joins the threads.
  void stop();

 private:
  void scheduler_loop();
  void worker_loop();
  // Delivers the endpoint's next events until one fails, none is left, or a batch is done.
  void serve_endpoint(std::int64_t endpoint_id);

  storage::Database& database_;
  DispatcherOptions options_;

  std::mutex mutex_;
  std::condition_variable scheduler_wakeup_;
  std::condition_variable work_available_;
  bool stopping_ = false;
  bool started_ = false;
  bool rescan_ = false;                            // a worker finished: look again now
  std::deque<std::int64_t> queue_;                 // endpoints to serve
  std::set<std::int64_t> busy_;                    // queued or being served
  std::set<httplib::Client*> clients_in_flight_;   // cut off by stop()

  std::thread scheduler_;
  std::vector<std::thread> workers_;
};

}  // namespace loyalty::server::webhooks
