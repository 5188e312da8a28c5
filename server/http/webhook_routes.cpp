#include "server/http/webhook_routes.hpp"

// [SECTION] helpers: ids, the endpoint's JSON, answers
// [SECTION] reading and checking a body
// [SECTION] the routes
#include <httplib.h>
#include <sqlite3.h>

#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "server/auth/audit_log.hpp"
#include "server/auth/authenticator.hpp"
#include "server/auth/utc_time.hpp"
#include "server/http/api_errors.hpp"
#include "server/http/auth_routes.hpp"
#include "server/storage/database.hpp"
#include "server/storage/statement.hpp"
#include "server/storage/transaction.hpp"
#include "server/webhooks/webhook_signing.hpp"

namespace loyalty::server::http {
namespace {

using nlohmann::json;
using Request = httplib::Request;
using Response = httplib::Response;
using storage::Statement;

// ---------------------------------------------------------------- [SECTION] helpers

constexpr std::int64_t endpoints_per_store_max = 20;
constexpr std::int64_t deliveries_page_default = 50;
constexpr std::int64_t deliveries_page_max = 100;

const std::string store_path = R"(/api/v1/stores/([^/]+))";

const webhooks::WebhookSettings& settings() {
  static const webhooks::WebhookSettings value = webhooks::WebhookSettings::from_environment();
  return value;
}

struct Endpoint {
  std::int64_t id = 0;
  std::string store_id;
  std::string url;
  std::string event_types_json;
  bool enabled = true;
  std::optional<std::string> disabled_reason;
  std::int64_t consecutive_failures = 0;
  std::int64_t delivered_outbox_id = 0;
  std::optional<std::string> next_attempt_at_utc;
  std::string created_at_utc;
};

constexpr std::string_view endpoint_columns =
    "id, store_id, url, event_types, enabled, disabled_reason, consecutive_failures, delivered_outbox_id, "
    "next_attempt_at_utc, created_at_utc";

Endpoint read_endpoint(Statement& row) {
  Endpoint endpoint;
  endpoint.id = row.column_integer(0);
  endpoint.store_id = row.column_text(1);
  endpoint.url = row.column_text(2);
  endpoint.event_types_json = row.column_text(3);
  endpoint.enabled = row.column_integer(4) != 0;
  if (!row.column_is_null(5)) endpoint.disabled_reason = row.column_text(5);
  endpoint.consecutive_failures = row.column_integer(6);
  endpoint.delivered_outbox_id = row.column_integer(7);
  if (!row.column_is_null(8)) endpoint.next_attempt_at_utc = row.column_text(8);
  endpoint.created_at_utc = row.column_text(9);
  return endpoint;
}

// The endpoint as the API shows it: never its secret.
json endpoint_json(const Endpoint& endpoint) {
  json types = json::parse(endpoint.event_types_json, nullptr, false);
  if (!types.is_array()) types = json::array();
  return {{"id", endpoint.id},
          {"url", endpoint.url},
          {"event_types", types},
          {"enabled", endpoint.enabled},
          {"disabled_reason", endpoint.disabled_reason ? json(*endpoint.disabled_reason) : json()},
          {"consecutive_failures", endpoint.consecutive_failures},
          {"delivered_outbox_id", endpoint.delivered_outbox_id},
          {"next_attempt_at", endpoint.next_attempt_at_utc ? json(*endpoint.next_attempt_at_utc) : json()},
          {"created_at", endpoint.created_at_utc}};
}

void send_json(Response& response, int status, const json& body, std::string_view request_id) {
  response.status = status;
  response.set_header("Cache-Control", "no-store");  // a new endpoint's answer holds its secret
  response.set_header("X-Request-Id", std::string(request_id));
  response.set_content(body.dump(), "application/json; charset=utf-8");
}

void send_unavailable(Response& response, const std::string& error_message, std::string_view request_id) {
  std::fprintf(stderr, "error: request %.*s: %s\n", static_cast<int>(request_id.size()), request_id.data(),
               error_message.c_str());
  send_api_error(response, 503, "unavailable", "Dịch vụ tạm thời không khả dụng.",
                 "Service temporarily unavailable.", {}, request_id);
}

void send_not_found(Response& response, std::string_view request_id) {
  send_api_error(response, 404, "not_found", "Không tìm thấy địa chỉ webhook.", "No such webhook endpoint.", {},
                 request_id);
}

// What a handler inside a transaction decided.
struct Answer {
  int status = 200;
  json body;
  std::string error_code;
  std::string message_vi;
  std::string message_en;
  std::string storage_error;
};

Answer storage_failure(std::string message) {
  Answer answer;
  answer.storage_error = message.empty() ? "unknown storage failure" : std::move(message);
  return answer;
}

void send_answer(Response& response, const Answer& answer, std::string_view request_id) {
  if (!answer.storage_error.empty()) return send_unavailable(response, answer.storage_error, request_id);
  if (answer.status == 404) return send_not_found(response, request_id);
  if (!answer.error_code.empty()) {
    return send_api_error(response, answer.status, answer.error_code, answer.message_vi, answer.message_en, {},
                          request_id);
  }
  send_json(response, answer.status, answer.body, request_id);
}

template <class Work>
Answer in_transaction(storage::Database& database, Work&& work) {
  return database.with_connection([&](sqlite3* connection) -> Answer {
    storage::Transaction transaction(connection);
    if (!transaction.ok()) return storage_failure(transaction.error_message());
    Answer answer = work(connection);
    if (!answer.storage_error.empty() || !answer.error_code.empty() || answer.status == 404) return answer;
    if (std::string error = transaction.commit(); !error.empty()) return storage_failure(error);
    return answer;
  });
}

// The store's endpoint `id`: nullopt when it has none by that id; an error text when the
// database failed.
std::optional<Endpoint> find_endpoint(sqlite3* connection, std::string_view store_id, std::int64_t id,
                                      std::string& error) {
  Statement query(connection,
                  "SELECT " + std::string(endpoint_columns) + " FROM webhook_endpoints WHERE id = ? AND store_id = ?");
  if (!query.ok()) {
    error = query.error_message();
    return std::nullopt;
  }
  query.bind_integer(1, id);
  query.bind_text(2, store_id);
  const int stepped = query.step();
  if (stepped == SQLITE_ROW) return read_endpoint(query);
  if (stepped != SQLITE_DONE) error = storage::describe_error(connection, "reading a webhook endpoint");
  return std::nullopt;
}

// ---------------------------------------------------------------- [SECTION] reading and checking a body

void check_url(const json& body, std::vector<FieldError>& fields) {
  if (!body.contains("url") || !body["url"].is_string()) return;
  webhooks::UrlProblem problem;
  if (!webhooks::parse_webhook_url(body["url"].get<std::string>(), settings(), &problem)) {
    fields.push_back({"url", problem.message_vi, problem.message_en});
  }
}

// The list as stored (a JSON array of strings), or nullopt after adding its problems.
std::optional<std::string> check_event_types(const json& body, std::vector<FieldError>& fields) {
  if (!body.contains("event_types") || !body["event_types"].is_array()) return std::nullopt;
  const json& list = body["event_types"];
  const std::size_t problems_before = fields.size();
  if (list.empty()) {
    fields.push_back({"event_types", "Cần ít nhất một loại sự kiện (hoặc \"*\" cho tất cả).",
                      "At least one event type is needed (or \"*\" for all)."});
  }
  std::set<std::string> seen;
  json types = json::array();
  for (std::size_t index = 0; index < list.size(); ++index) {
    const std::string type = list[index].get<std::string>();
    const std::string field = "event_types[" + std::to_string(index) + "]";
    if (type != "*" && !webhooks::is_known_event_type(type)) {
      fields.push_back({field, "Không có loại sự kiện này (xem docs/commands.md).",
                        "No such event type (see docs/commands.md, \"The shape of a result\")."});
    } else if (!seen.insert(type).second) {
      fields.push_back({field, "Loại sự kiện bị lặp lại.", "This event type is repeated."});
    } else {
      types.push_back(type);
    }
  }
  if (fields.size() != problems_before) return std::nullopt;
  return types.dump();
}

// `store_id` and the endpoint id from the path, after the guard; nullopt once answered.
struct Target {
  std::string store_id;
  auth::Principal principal;
  std::optional<std::int64_t> endpoint_id;
};

std::optional<Target> guard(const Request& request, Response& response, auth::Authenticator& authenticator,
                            const std::string& request_id, bool with_endpoint) {
  Target target;
  target.store_id = request.matches[1];
  auto principal = authorize(request, response, authenticator, target.store_id, auth::Permission::manage_webhooks,
                             request_id);
  if (!principal) return std::nullopt;
  target.principal = std::move(*principal);
  if (with_endpoint) {
    target.endpoint_id = parse_id(request.matches[2].str());
    if (!target.endpoint_id) {
      send_not_found(response, request_id);
      return std::nullopt;
    }
  }
  return target;
}

std::string target_name(std::int64_t id) { return "webhook:" + std::to_string(id); }

// ---------------------------------------------------------------- [SECTION] the routes

void register_list_and_create(httplib::Server& server, storage::Database& database,
                              auth::Authenticator& authenticator) {
  server.Get(store_path + "/webhooks", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    auto target = guard(request, response, authenticator, request_id, false);
    if (!target) return;
    std::string error;
    json list = json::array();
    database.with_connection([&](sqlite3* connection) {
      Statement query(connection, "SELECT " + std::string(endpoint_columns) +
                                      " FROM webhook_endpoints WHERE store_id = ? ORDER BY id");
      if (!query.ok()) return void(error = query.error_message());
      query.bind_text(1, target->store_id);
      int stepped = SQLITE_DONE;
      while ((stepped = query.step()) == SQLITE_ROW) list.push_back(endpoint_json(read_endpoint(query)));
      if (stepped != SQLITE_DONE) error = storage::describe_error(connection, "listing webhook endpoints");
    });
    if (!error.empty()) return send_unavailable(response, error, request_id);
    send_json(response, 200, {{"webhooks", std::move(list)}}, request_id);
  });

  server.Post(store_path + "/webhooks", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    auto target = guard(request, response, authenticator, request_id, false);
    if (!target) return;
    auto body = read_json_object_body(request, response, request_id);
    if (!body) return;
    std::vector<FieldError> fields = check_body_fields(
        *body, {{"url", FieldType::string, true}, {"event_types", FieldType::string_array, false}});
    std::optional<std::string> event_types = std::string(R"(["*"])");
    if (fields.empty()) {
      check_url(*body, fields);
      if (body->contains("event_types")) event_types = check_event_types(*body, fields);
    }
    if (!fields.empty()) return send_invalid_fields(response, fields, request_id);
    const std::string url = body->at("url").get<std::string>();
    const std::string secret = webhooks::generate_secret();

    const Answer answer = in_transaction(database, [&](sqlite3* connection) -> Answer {
      Statement count(connection, "SELECT COUNT(*) FROM webhook_endpoints WHERE store_id = ?");
      if (!count.ok()) return storage_failure(count.error_message());
      count.bind_text(1, target->store_id);
      if (count.step() != SQLITE_ROW) return storage_failure(storage::describe_error(connection, "counting endpoints"));
      if (count.column_integer(0) >= endpoints_per_store_max) {
        return Answer{409, {}, "too_many_webhooks", "Cửa hàng đã có 20 địa chỉ webhook.",
                      "The store already has 20 webhook endpoints.", {}};
      }
      // A new endpoint starts after the store's latest event: it receives what happens next.
      Statement insert(connection,
                       "INSERT INTO webhook_endpoints (store_id, url, secret, event_types, enabled, "
                       "delivered_outbox_id, created_at_utc) VALUES (?1, ?2, ?3, ?4, 1, "
                       "(SELECT COALESCE(MAX(id), 0) FROM outbox WHERE store_id = ?1), ?5)");
      if (!insert.ok()) return storage_failure(insert.error_message());
      insert.bind_text(1, target->store_id);
      insert.bind_text(2, url);
      insert.bind_text(3, secret);
      insert.bind_text(4, *event_types);
      insert.bind_text(5, auth::format_utc_time(auth::current_unix_time_s()));
      if (insert.step() != SQLITE_DONE) {
        return storage_failure(storage::describe_error(connection, "adding a webhook endpoint"));
      }
      std::string error;
      auto created = find_endpoint(connection, target->store_id, sqlite3_last_insert_rowid(connection), error);
      if (!created) return storage_failure(error);
      const json shown = endpoint_json(*created);  // the secret stays out of the log
      auto audited = auth::append_audit_entry(connection, target->store_id, target->principal.actor(),
                                              "webhook.created", target_name(created->id), "", shown.dump());
      if (!audited.ok()) return storage_failure(audited.error_message());
      return Answer{201, {{"webhook", shown}, {"secret", secret}}, {}, {}, {}, {}};
    });
    send_answer(response, answer, request_id);
  });
}

void register_change_and_delete(httplib::Server& server, storage::Database& database,
                                auth::Authenticator& authenticator) {
  server.Patch(store_path + "/webhooks/([^/]+)", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    auto target = guard(request, response, authenticator, request_id, true);
    if (!target) return;
    auto body = read_json_object_body(request, response, request_id);
    if (!body) return;
    std::vector<FieldError> fields = check_body_fields(*body, {{"url", FieldType::string, false},
                                                               {"event_types", FieldType::string_array, false},
                                                               {"enabled", FieldType::boolean, false}});
    std::optional<std::string> event_types;
    if (fields.empty()) {
      check_url(*body, fields);
      if (body->contains("event_types")) event_types = check_event_types(*body, fields);
    }
    if (!fields.empty()) return send_invalid_fields(response, fields, request_id);

    const Answer answer = in_transaction(database, [&](sqlite3* connection) -> Answer {
      std::string error;
      auto found = find_endpoint(connection, target->store_id, *target->endpoint_id, error);
      if (!found) return error.empty() ? Answer{404, {}, {}, {}, {}, {}} : storage_failure(error);
      const Endpoint before = *found;
      Endpoint after = before;
      bool retry_now = false;  // clear the failures: try at once
      if (body->contains("url") && body->at("url").get<std::string>() != before.url) {
        after.url = body->at("url").get<std::string>();
        retry_now = true;
      }
      if (event_types) after.event_types_json = *event_types;
      if (body->contains("enabled")) {
        const bool enabled = body->at("enabled").get<bool>();
        if (enabled && !before.enabled) {
          after.enabled = true;
          after.disabled_reason.reset();
          retry_now = true;
        } else if (!enabled && before.enabled) {
          after.enabled = false;
          after.disabled_reason = "disabled by " + target->principal.actor();
          after.next_attempt_at_utc.reset();
        }
      }
      if (retry_now) {
        after.consecutive_failures = 0;
        after.next_attempt_at_utc.reset();
      }
      const json before_json = endpoint_json(before);
      const json after_json = endpoint_json(after);
      if (before_json == after_json) return Answer{200, {{"webhook", after_json}}, {}, {}, {}, {}};
      Statement update(connection,
                       "UPDATE webhook_endpoints SET url = ?, event_types = ?, enabled = ?, disabled_reason = ?, "
                       "consecutive_failures = ?, next_attempt_at_utc = ? WHERE id = ?");
      if (!update.ok()) return storage_failure(update.error_message());
      update.bind_text(1, after.url);
      update.bind_text(2, after.event_types_json);
      update.bind_integer(3, after.enabled ? 1 : 0);
      if (after.disabled_reason) update.bind_text(4, *after.disabled_reason);
      update.bind_integer(5, after.consecutive_failures);
      if (after.next_attempt_at_utc) update.bind_text(6, *after.next_attempt_at_utc);
      update.bind_integer(7, after.id);
      if (update.step() != SQLITE_DONE) {
        return storage_failure(storage::describe_error(connection, "changing a webhook endpoint"));
      }
      auto audited = auth::append_audit_entry(connection, target->store_id, target->principal.actor(),
                                              "webhook.updated", target_name(after.id), before_json.dump(),
                                              after_json.dump());
      if (!audited.ok()) return storage_failure(audited.error_message());
      return Answer{200, {{"webhook", after_json}}, {}, {}, {}, {}};
    });
    send_answer(response, answer, request_id);
  });

  server.Delete(store_path + "/webhooks/([^/]+)", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    auto target = guard(request, response, authenticator, request_id, true);
    if (!target) return;
    const Answer answer = in_transaction(database, [&](sqlite3* connection) -> Answer {
      std::string error;
      auto found = find_endpoint(connection, target->store_id, *target->endpoint_id, error);
      if (!found) return error.empty() ? Answer{404, {}, {}, {}, {}, {}} : storage_failure(error);
      for (const char* sql : {"DELETE FROM webhook_deliveries WHERE endpoint_id = ?",
                              "DELETE FROM webhook_endpoints WHERE id = ?"}) {
        Statement remove(connection, sql);
        if (!remove.ok()) return storage_failure(remove.error_message());
        remove.bind_integer(1, found->id);
        if (remove.step() != SQLITE_DONE) {
          return storage_failure(storage::describe_error(connection, "removing a webhook endpoint"));
        }
      }
      const json shown = endpoint_json(*found);
      auto audited = auth::append_audit_entry(connection, target->store_id, target->principal.actor(),
                                              "webhook.deleted", target_name(found->id), shown.dump(), "");
      if (!audited.ok()) return storage_failure(audited.error_message());
      return Answer{200, {{"webhook", shown}, {"deleted", true}}, {}, {}, {}, {}};
    });
    send_answer(response, answer, request_id);
  });
}

void register_deliveries(httplib::Server& server, storage::Database& database, auth::Authenticator& authenticator) {
  server.Get(store_path + "/webhooks/([^/]+)/deliveries", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    auto target = guard(request, response, authenticator, request_id, true);
    if (!target) return;
    const std::optional<CursorPage> cursor =
        read_cursor_page(request, response, request_id, deliveries_page_default, deliveries_page_max,
                         {"after", "Phải là mã của một lần gửi (con trỏ).", "Must be a delivery id (a cursor)."});
    if (!cursor) return;
    const std::int64_t after_id = cursor->after_id, limit = cursor->limit;

    std::string error;
    bool exists = false;
    json deliveries = json::array();
    database.with_connection([&](sqlite3* connection) {
      exists = find_endpoint(connection, target->store_id, *target->endpoint_id, error).has_value();
      if (!exists) return;
      Statement query(connection,
                      "SELECT d.id, d.outbox_id, o.event_type, d.attempt, d.status_code, d.error, d.attempted_at_utc "
                      "FROM webhook_deliveries d LEFT JOIN outbox o ON o.id = d.outbox_id "
                      "WHERE d.endpoint_id = ? AND d.id > ? ORDER BY d.id LIMIT ?");
      if (!query.ok()) return void(error = query.error_message());
      query.bind_integer(1, *target->endpoint_id);
      query.bind_integer(2, after_id);
      query.bind_integer(3, limit + 1);  // one more tells whether there is a next page
      int stepped = SQLITE_DONE;
      while ((stepped = query.step()) == SQLITE_ROW) {
        const bool has_status = !query.column_is_null(4);
        const std::int64_t status = has_status ? query.column_integer(4) : 0;
        deliveries.push_back(
            {{"id", query.column_integer(0)},
             {"outbox_id", query.column_integer(1)},
             {"webhook_id", webhooks::message_id(target->store_id, query.column_integer(1))},
             {"event_type", query.column_is_null(2) ? json() : json(query.column_text(2))},
             {"attempt", query.column_integer(3)},
             {"status_code", has_status ? json(status) : json()},
             {"succeeded", has_status && status >= 200 && status < 300},
             {"error", query.column_is_null(5) ? json() : json(query.column_text(5))},
             {"attempted_at", query.column_text(6)}});
      }
      if (stepped != SQLITE_DONE) error = storage::describe_error(connection, "reading webhook deliveries");
    });
    if (!error.empty()) return send_unavailable(response, error, request_id);
    if (!exists) return send_not_found(response, request_id);
    const bool has_more = static_cast<std::int64_t>(deliveries.size()) > limit;
    if (has_more) deliveries.erase(deliveries.end() - 1);
    const json next_cursor = has_more ? json(std::to_string(deliveries.back()["id"].get<std::int64_t>())) : json();
    send_json(response, 200, {{"deliveries", std::move(deliveries)}, {"has_more", has_more}, {"next_cursor", next_cursor}},
              request_id);
  });
}

}  // namespace

void register_webhook_routes(httplib::Server& server, storage::Database& database, auth::Authenticator& authenticator) {
  register_list_and_create(server, database, authenticator);
  register_change_and_delete(server, database, authenticator);
  register_deliveries(server, database, authenticator);
}

}  // namespace loyalty::server::http
