#include "server/webhooks/webhook_dispatcher.hpp"

#include <httplib.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/auth/audit_log.hpp"
#include "server/storage/database.hpp"
#include "server/storage/statement.hpp"
#include "server/storage/transaction.hpp"

namespace loyalty::server::webhooks {
namespace {

using storage::Statement;

// Events scanned per read when looking for the next one an endpoint subscribes to.
constexpr int outbox_scan_rows = 200;
// Deliveries in a row to one endpoint before its worker serves another (fairness).
constexpr int deliveries_per_turn = 50;
constexpr std::size_t kept_answer_bytes = 200;
constexpr std::string_view dispatcher_actor = "system:webhooks";

struct EndpointState {
  std::string store_id;
  std::string url;
  std::string secret;
  std::vector<std::string> event_types;
  std::int64_t delivered_outbox_id = 0;
  int consecutive_failures = 0;
};

struct NextEvent {
  EndpointState endpoint;
  std::int64_t outbox_id = 0;
  std::string event_type;
  std::string payload_json;
  std::string created_at_utc;
  int attempt = 1;
};

// What reading an endpoint's queue found.
struct Lookup {
  enum class Kind { nothing, skipped_some, deliver } kind = Kind::nothing;
  NextEvent next;
};

std::vector<std::string> parse_event_types(const std::string& text) {
  std::vector<std::string> types;
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_array()) return types;
  for (const nlohmann::json& type : parsed) {
    if (type.is_string()) types.push_back(type.get<std::string>());
  }
  return types;
}

void log_storage_error(const std::string& what) {
  std::fprintf(stderr, "loyalty-server: webhooks: %s\n", what.c_str());
}

// The endpoint's next event to send, or that there is none (now), after moving its
// pointer past events it does not subscribe to.
std::optional<Lookup> find_next_event(sqlite3* connection, std::int64_t endpoint_id, std::int64_t now_ms) {
  Statement endpoint(connection,
                     "SELECT store_id, url, secret, event_types, delivered_outbox_id, consecutive_failures, "
                     "next_attempt_at_utc FROM webhook_endpoints WHERE id = ? AND enabled = 1");
  if (!endpoint.ok()) return std::nullopt;
  endpoint.bind_integer(1, endpoint_id);
  const int stepped = endpoint.step();
  if (stepped == SQLITE_DONE) return Lookup{};
  if (stepped != SQLITE_ROW) return std::nullopt;
  Lookup lookup;
  EndpointState& state = lookup.next.endpoint;
  state.store_id = endpoint.column_text(0);
  state.url = endpoint.column_text(1);
  state.secret = endpoint.column_text(2);
  state.event_types = parse_event_types(endpoint.column_text(3));
  state.delivered_outbox_id = endpoint.column_integer(4);
  state.consecutive_failures = static_cast<int>(endpoint.column_integer(5));
  if (!endpoint.column_is_null(6)) {
    const auto due = parse_utc_time_ms(endpoint.column_text(6));
    if (due && *due > now_ms) return Lookup{};  // backing off
  }

  Statement events(connection,
                   "SELECT id, event_type, payload_json, created_at_utc FROM outbox WHERE store_id = ? AND id > ? "
                   "ORDER BY id LIMIT ?");
  if (!events.ok()) return std::nullopt;
  events.bind_text(1, state.store_id);
  events.bind_integer(2, state.delivered_outbox_id);
  events.bind_integer(3, outbox_scan_rows);
  std::int64_t last_skipped = 0;
  int row_result = SQLITE_DONE;
  while ((row_result = events.step()) == SQLITE_ROW) {
    const std::int64_t id = events.column_integer(0);
    const std::string type = events.column_text(1);
    if (!subscribes_to(state.event_types, type)) {
      last_skipped = id;
      continue;
    }
    lookup.kind = Lookup::Kind::deliver;
    lookup.next.outbox_id = id;
    lookup.next.event_type = type;
    lookup.next.payload_json = events.column_text(2);
    lookup.next.created_at_utc = events.column_text(3);
    break;
  }
  if (row_result != SQLITE_ROW && row_result != SQLITE_DONE) return std::nullopt;

  if (lookup.kind == Lookup::Kind::deliver) {
    // The attempt number: one more than the last attempt at this same event.
    Statement last(connection,
                   "SELECT outbox_id, attempt FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id DESC LIMIT 1");
    if (!last.ok()) return std::nullopt;
    last.bind_integer(1, endpoint_id);
    if (last.step() == SQLITE_ROW && last.column_integer(0) == lookup.next.outbox_id) {
      lookup.next.attempt = static_cast<int>(last.column_integer(1)) + 1;
    }
    return lookup;
  }
  if (last_skipped == 0) return Lookup{};
  Statement advance(connection,
                    "UPDATE webhook_endpoints SET delivered_outbox_id = ? WHERE id = ? AND delivered_outbox_id = ?");
  if (!advance.ok()) return std::nullopt;
  advance.bind_integer(1, last_skipped);
  advance.bind_integer(2, endpoint_id);
  advance.bind_integer(3, state.delivered_outbox_id);
  if (advance.step() != SQLITE_DONE) return std::nullopt;
  lookup.kind = Lookup::Kind::skipped_some;
  return lookup;
}

struct AttemptOutcome {
  bool delivered = false;
  std::optional<int> status_code;
  std::string error;  // empty when delivered
};

nlohmann::json endpoint_summary(std::int64_t id, const EndpointState& state, bool enabled, int failures,
                                const std::string& reason) {
  return {{"id", id}, {"url", state.url}, {"enabled", enabled}, {"consecutive_failures", failures},
          {"disabled_reason", reason.empty() ? nlohmann::json() : nlohmann::json(reason)}};
}

// Records one attempt and moves the endpoint on: its pointer after a success, its next
// attempt (or disabled) after a failure. An endpoint changed meanwhile by staff (disabled,
// re-enabled, its pointer moved) keeps their change; one deleted meanwhile keeps nothing.
void record_attempt(storage::Database& database, std::int64_t endpoint_id, const NextEvent& next,
                    const AttemptOutcome& outcome, const WebhookSettings& settings) {
  const std::string error = database.with_connection([&](sqlite3* connection) -> std::string {
    storage::Transaction transaction(connection);
    if (!transaction.ok()) return transaction.error_message();
    const std::int64_t now_ms = current_unix_time_ms();
    const int failures = outcome.delivered ? 0 : next.endpoint.consecutive_failures + 1;
    const bool disable = !outcome.delivered && failures >= failures_before_disable;
    std::string reason;
    if (disable) {
      reason = "disabled after " + std::to_string(failures) + " failed deliveries in a row (last: " +
               outcome.error + ")";
    }
    Statement update(connection,
                     outcome.delivered
                         ? "UPDATE webhook_endpoints SET delivered_outbox_id = ?1, consecutive_failures = 0, "
                           "next_attempt_at_utc = NULL WHERE id = ?2 AND enabled = 1 AND delivered_outbox_id = ?3 "
                           "AND consecutive_failures = ?4"
                         : "UPDATE webhook_endpoints SET consecutive_failures = ?5, next_attempt_at_utc = ?6, "
                           "enabled = ?7, disabled_reason = ?8 WHERE id = ?2 AND enabled = 1 "
                           "AND delivered_outbox_id = ?3 AND consecutive_failures = ?4");
    if (!update.ok()) return update.error_message();
    update.bind_integer(2, endpoint_id);
    update.bind_integer(3, next.endpoint.delivered_outbox_id);
    update.bind_integer(4, next.endpoint.consecutive_failures);
    if (outcome.delivered) {
      update.bind_integer(1, next.outbox_id);
    } else {
      update.bind_integer(5, failures);
      if (disable) {
        update.bind_integer(7, 0);
        update.bind_text(8, reason);
      } else {
        update.bind_text(6, format_utc_time_ms(now_ms + retry_delay(failures, settings.backoff_scale).count()));
        update.bind_integer(7, 1);
      }
    }
    if (update.step() != SQLITE_DONE) return storage::describe_error(connection, "updating a webhook endpoint");
    const bool updated = sqlite3_changes(connection) > 0;
    if (!updated) {
      Statement exists(connection, "SELECT 1 FROM webhook_endpoints WHERE id = ?");
      if (!exists.ok()) return exists.error_message();
      exists.bind_integer(1, endpoint_id);
      if (exists.step() != SQLITE_ROW) return {};  // deleted meanwhile: nothing to record
    }
    Statement insert(connection,
                     "INSERT INTO webhook_deliveries (endpoint_id, outbox_id, attempt, status_code, error, "
                     "attempted_at_utc) VALUES (?, ?, ?, ?, NULLIF(?, ''), ?)");
    if (!insert.ok()) return insert.error_message();
    insert.bind_integer(1, endpoint_id);
    insert.bind_integer(2, next.outbox_id);
    insert.bind_integer(3, next.attempt);
    if (outcome.status_code) insert.bind_integer(4, *outcome.status_code);
    insert.bind_text(5, outcome.error);
    insert.bind_text(6, format_utc_time_ms(now_ms));
    if (insert.step() != SQLITE_DONE) return storage::describe_error(connection, "recording a webhook delivery");
    if (disable && updated) {
      auto audited = auth::append_audit_entry(
          connection, next.endpoint.store_id, dispatcher_actor, "webhook.disabled",
          "webhook:" + std::to_string(endpoint_id),
          endpoint_summary(endpoint_id, next.endpoint, true, next.endpoint.consecutive_failures, "").dump(),
          endpoint_summary(endpoint_id, next.endpoint, false, failures, reason).dump());
      if (!audited.ok()) return audited.error_message();
    }
    return transaction.commit();
  });
  if (!error.empty()) log_storage_error("recording a delivery to endpoint " + std::to_string(endpoint_id) + ": " + error);
}

std::string printable(std::string_view text) {
  std::string result;
  for (unsigned char c : text.substr(0, kept_answer_bytes)) result += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : ' ';
  return result;
}

}  // namespace

WebhookDispatcher::WebhookDispatcher(storage::Database& database, DispatcherOptions options)
    : database_(database), options_(std::move(options)) {}

WebhookDispatcher::~WebhookDispatcher() { stop(); }

void WebhookDispatcher::start() {
  std::lock_guard lock(mutex_);
  if (started_) return;
  started_ = true;
  stopping_ = false;
  scheduler_ = std::thread([this] { scheduler_loop(); });
  for (std::size_t index = 0; index < std::max<std::size_t>(1, options_.worker_count); ++index) {
    workers_.emplace_back([this] { worker_loop(); });
  }
}

void WebhookDispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!started_) return;
    stopping_ = true;
    for (httplib::Client* client : clients_in_flight_) client->stop();
  }
  scheduler_wakeup_.notify_all();
  work_available_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  std::lock_guard lock(mutex_);
  workers_.clear();
  queue_.clear();
  busy_.clear();
  started_ = false;
}

void WebhookDispatcher::scheduler_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    rescan_ = false;
    lock.unlock();
    // Enabled endpoints with events after their pointer, and when each may be tried.
    struct Due {
      std::int64_t id;
      std::optional<std::int64_t> at_ms;
    };
    std::vector<Due> due;
    const std::string error = database_.with_connection([&](sqlite3* connection) -> std::string {
      Statement query(connection,
                      "SELECT e.id, e.next_attempt_at_utc FROM webhook_endpoints e WHERE e.enabled = 1 AND EXISTS "
                      "(SELECT 1 FROM outbox o WHERE o.store_id = e.store_id AND o.id > e.delivered_outbox_id)");
      if (!query.ok()) return query.error_message();
      int stepped = SQLITE_DONE;
      while ((stepped = query.step()) == SQLITE_ROW) {
        due.push_back({query.column_integer(0),
                       query.column_is_null(1) ? std::nullopt : parse_utc_time_ms(query.column_text(1))});
      }
      if (stepped != SQLITE_DONE) return storage::describe_error(connection, "reading webhook endpoints");
      return {};
    });
    if (!error.empty()) log_storage_error(error);
    const std::int64_t now_ms = current_unix_time_ms();
    auto wake_at = std::chrono::system_clock::now() + options_.poll_interval;
    lock.lock();
    for (const Due& endpoint : due) {
      if (busy_.count(endpoint.id) != 0) continue;
      if (endpoint.at_ms && *endpoint.at_ms > now_ms) {
        const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(*endpoint.at_ms));
        wake_at = std::min(wake_at, at);
        continue;
      }
      busy_.insert(endpoint.id);
      queue_.push_back(endpoint.id);
      work_available_.notify_one();
    }
    scheduler_wakeup_.wait_until(lock, wake_at, [&] { return stopping_ || rescan_; });
  }
}

void WebhookDispatcher::worker_loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    work_available_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    const std::int64_t endpoint_id = queue_.front();
    queue_.pop_front();
    lock.unlock();
    serve_endpoint(endpoint_id);
    lock.lock();
    busy_.erase(endpoint_id);
    rescan_ = true;
    scheduler_wakeup_.notify_one();
  }
}

void WebhookDispatcher::serve_endpoint(std::int64_t endpoint_id) {
  for (int turn = 0; turn < deliveries_per_turn; ++turn) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    std::string lookup_error;
    const std::optional<Lookup> lookup = database_.with_connection([&](sqlite3* connection) {
      auto found = find_next_event(connection, endpoint_id, current_unix_time_ms());
      if (!found) lookup_error = sqlite3_errmsg(connection);
      return found;
    });
    if (!lookup) {
      log_storage_error("reading the queue of endpoint " + std::to_string(endpoint_id) + ": " + lookup_error);
      return;
    }
    if (lookup->kind == Lookup::Kind::nothing) return;
    if (lookup->kind == Lookup::Kind::skipped_some) continue;
    const NextEvent& next = lookup->next;

    AttemptOutcome outcome;
    UrlProblem problem;
    const std::optional<WebhookUrl> url = parse_webhook_url(next.endpoint.url, options_.settings, &problem);
    const std::string id = message_id(next.endpoint.store_id, next.outbox_id);
    const std::string body = message_body(next.endpoint.store_id, next.event_type, next.created_at_utc, next.payload_json);
    const std::int64_t timestamp_s = current_unix_time_ms() / 1000;
    const std::optional<std::string> signature = sign(next.endpoint.secret, id, timestamp_s, body);
    if (!url) {
      outcome.error = "the URL is refused: " + problem.message_en;
    } else if (!signature) {
      outcome.error = "the endpoint's secret is not a whsec_ secret";
    } else {
      httplib::Client client(url->origin());
      const auto timeout = static_cast<time_t>(options_.request_timeout.count());
      client.set_connection_timeout(timeout, 0);
      client.set_read_timeout(timeout, 0);
      client.set_write_timeout(timeout, 0);
      client.set_follow_location(false);
      client.set_keep_alive(false);
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        clients_in_flight_.insert(&client);
      }
      httplib::Request request;
      request.method = "POST";
      request.path = url->path_and_query;
      request.headers = {{"webhook-id", id},
                         {"webhook-timestamp", std::to_string(timestamp_s)},
                         {"webhook-signature", *signature},
                         {"User-Agent", "loyalty-server-webhooks/1"}};
      request.set_header("Content-Type", "application/json");
      request.body = body;
      std::string answer;  // the start of the answer, kept for the delivery log
      request.content_receiver = [&](const char* data, std::size_t length, std::uint64_t, std::uint64_t) {
        if (answer.size() < kept_answer_bytes) answer.append(data, std::min(length, kept_answer_bytes - answer.size()));
        return true;
      };
      const httplib::Result result = client.send(request);
      bool stopped = false;
      {
        std::lock_guard lock(mutex_);
        clients_in_flight_.erase(&client);
        stopped = stopping_;
      }
      if (stopped) return;  // cut off by the shutdown: not an attempt; sent again after the restart
      if (!result) {
        outcome.error = "no answer: " + httplib::to_string(result.error());
      } else {
        outcome.status_code = result->status;
        if (result->status >= 200 && result->status < 300) {
          outcome.delivered = true;
        } else {
          outcome.error = "HTTP " + std::to_string(result->status);
          if (const std::string text = printable(answer); !text.empty()) outcome.error += ": " + text;
        }
      }
    }
    record_attempt(database_, endpoint_id, next, outcome, options_.settings);
    if (!outcome.delivered) return;
  }
}

}  // namespace loyalty::server::webhooks
