// api_backend.cpp: connected mode's backend: the store's routes on the server that served
// the page (server/openapi.json), through platform/'s fetch with the session cookie and the
// CSRF token. The server sets `time` and `actor` itself; this client sends only what the
// route takes, and turns the answer back into the core's shape (backend.hpp).
#include <cassert>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.hpp"
#include "platform/platform.hpp"

namespace loyalty::console {
namespace {

// Percent-encoding of one path segment or query value (RFC 3986 unreserved kept).
std::string encode_component(std::string_view text) {
  std::string encoded;
  for (const char character : text) {
    const auto byte = static_cast<unsigned char>(character);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') ||
                            byte == '-' || byte == '_' || byte == '.' || byte == '~';
    if (unreserved) {
      encoded += character;
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", byte);
      encoded += escaped;
    }
  }
  return encoded;
}

Message unexpected_answer_message() {
  return Message{std::string(text(TextKey::sign_in_error_unexpected, Language::vietnamese)),
                 std::string(text(TextKey::sign_in_error_unexpected, Language::english))};
}

class ApiBackend final : public Backend {
 public:
  ApiBackend(const StoreAccess& store, const StaffSession& session)
      : store_prefix_("/api/v1/stores/" + encode_component(store.store_id)),
        csrf_token_(session.csrf_token),
        actor_(session.email),
        permissions_(permissions_for_role(store.role)) {}

  void poll() override {
    for (std::size_t index = 0; index < pending_.size();) {
      std::optional<platform::HttpResponse> response = platform::take_http_response(pending_[index].request);
      if (!response) {
        ++index;
        continue;
      }
      const Pending done = std::move(pending_[index]);
      pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(index));
      answer(done.ticket, reply_of(done.route, *response), done.is_write);
    }
  }

  BackendKind kind() const override { return BackendKind::store_server; }
  const Permissions& permissions() const override { return permissions_; }
  std::string_view actor() const override { return actor_; }
  bool ready() const override { return true; }

 protected:
  Ticket start(Call call) override {
    platform::HttpRequest request = request_for(call);
    // The session's CSRF token goes with every request but a GET, reads with a body too.
    if (request.method != "GET") request.csrf_token = csrf_token_;
    const bool is_write = request.method != "GET" && call.route != Route::program_impact;
    const Ticket ticket = next_ticket();
    pending_.push_back({ticket, call.route, is_write, platform::start_http_request(request)});
    return ticket;
  }

 private:
  struct Pending {
    Ticket ticket;
    Route route;
    bool is_write;
    platform::HttpRequestId request;
  };

  static std::string body_of(const Json& command, std::initializer_list<const char*> keys) {
    Json body = Json::object();
    for (const char* key : keys) {
      if (command.contains(key)) body[key] = command[key];
    }
    return body.dump(-1, ' ', false, Json::error_handler_t::replace);
  }

  platform::HttpRequest request_for(const Call& call) const {
    const Json& command = call.command;
    const std::string member = encode_component(json_text(command, "member_id"));
    const std::string order = encode_component(json_text(command, "order_id"));
    platform::HttpRequest request;
    switch (call.route) {
      case Route::search_members:
        request.path = store_prefix_ + "/members?query=" + encode_component(json_text(command, "query")) +
                       "&limit=" + std::to_string(command.value("limit", 20));
        break;
      case Route::lookup_member:
        request.path = store_prefix_ + "/members/lookup?" +
                       (command.contains("card_number") ? "card_number=" + encode_component(json_text(command, "card_number"))
                                                        : "phone=" + encode_component(json_text(command, "phone")));
        break;
      case Route::get_member: request.path = store_prefix_ + "/members/" + member; break;
      case Route::ledger_history:
        request.path = store_prefix_ + "/members/" + member + "/ledger?limit=" + std::to_string(command.value("limit", 50));
        if (command.contains("before_transaction")) {
          request.path += "&after=" + std::to_string(command["before_transaction"].get<std::int64_t>());
        }
        break;
      case Route::explain_balance: request.path = store_prefix_ + "/members/" + member + "/lots"; break;
      case Route::update_member: {
        request.method = "PATCH";
        request.path = store_prefix_ + "/members/" + member;
        Json body = command;
        body.erase("command");
        body.erase("member_id");
        request.json_body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
        break;
      }
      case Route::block_member:
      case Route::unblock_member:
        request.method = "POST";
        request.path = store_prefix_ + "/members/" + member + (call.route == Route::block_member ? "/block" : "/unblock");
        break;
      case Route::adjust_points:
        request.method = "POST";
        request.path = store_prefix_ + "/members/" + member + "/adjustments";
        request.json_body = body_of(command, {"points", "reason", "idempotency_key"});
        break;
      case Route::release_pending:
      case Route::cancel_pending:
        request.method = "POST";
        request.path = store_prefix_ + "/orders/" + order +
                       (call.route == Route::release_pending ? "/pending/release" : "/pending/cancel");
        request.json_body = body_of(command, {"reason"});
        break;
      case Route::liability: request.path = store_prefix_ + "/liability"; break;
      case Route::get_program: request.path = store_prefix_ + "/program"; break;
      case Route::program_versions: request.path = store_prefix_ + "/program/versions"; break;
      case Route::save_program:
        request.method = "PUT";
        request.path = store_prefix_ + "/program";
        request.json_body = body_of(command, {"program"});
        break;
      case Route::program_impact:
        request.method = "POST";
        request.path = store_prefix_ + "/program/impact";
        request.json_body = body_of(command, {"program", "sample_limit"});
        break;
      case Route::audit_log:
        request.path = store_prefix_ + "/audit-log?limit=100";
        if (command.contains("after")) request.path += "&after=" + encode_component(json_text(command, "after"));
        break;
      case Route::staff_accounts: request.path = store_prefix_ + "/staff"; break;
      case Route::add_staff:
        request.method = "POST";
        request.path = store_prefix_ + "/staff";
        request.json_body = body_of(command, {"email", "name", "role", "password"});
        break;
      case Route::change_staff_role:
      case Route::remove_staff:
        request.method = call.route == Route::remove_staff ? "DELETE" : "PATCH";
        request.path = store_prefix_ + "/staff/" + std::to_string(json_integer(command, "staff_id"));
        if (call.route == Route::change_staff_role) request.json_body = body_of(command, {"role"});
        break;
      case Route::api_keys: request.path = store_prefix_ + "/api-keys"; break;
      case Route::create_api_key:
        request.method = "POST";
        request.path = store_prefix_ + "/api-keys";
        request.json_body = body_of(command, {"name", "scopes"});
        break;
      case Route::revoke_api_key:
        request.method = "DELETE";
        request.path = store_prefix_ + "/api-keys/" + std::to_string(json_integer(command, "key_id"));
        break;
    }
    return request;
  }

  static BackendReply reply_of(Route route, const platform::HttpResponse& response) {
    BackendReply reply;
    if (response.status == 0) {
      reply.outcome = ReplyOutcome::no_answer;
      reply.code = "network";
      reply.message = Message{std::string(text(TextKey::sign_in_error_no_answer, Language::vietnamese)),
                              std::string(text(TextKey::sign_in_error_no_answer, Language::english))};
      return reply;
    }
    const Json body = Json::parse(response.body, nullptr, false);
    // The accounts' routes answer in the server's own shape (a removal: 204, no body).
    if (response.status >= 200 && response.status < 300 && is_account_route(route)) {
      reply.outcome = ReplyOutcome::ok;
      reply.code = "ok";
      reply.data = body.is_object() ? body : Json::object();
      return reply;
    }
    if (response.status >= 200 && response.status < 300 && body.is_object()) {
      if (route == Route::program_versions) {
        reply.outcome = ReplyOutcome::ok;
        reply.code = "ok";
        reply.data = body;
        return reply;
      }
      const bool is_write = route == Route::update_member || route == Route::block_member || route == Route::unblock_member ||
                            route == Route::adjust_points || route == Route::release_pending ||
                            route == Route::cancel_pending || route == Route::save_program;
      reply = reply_from_core_result(body, is_write);
      // The ledger's cursor paging back into the core's shape.
      if (route == Route::ledger_history && reply.data.is_object() && reply.data.contains("has_more")) {
        reply.data["more"] = reply.data["has_more"];
      }
      return reply;
    }
    reply.outcome = ReplyOutcome::refused;
    reply.session_ended = response.status == 401;
    const Json* error = body.is_object() && body.contains("error") && body["error"].is_object() ? &body["error"] : nullptr;
    if (error == nullptr) {
      reply.code = "unexpected_answer";
      reply.message = unexpected_answer_message();
      return reply;
    }
    reply.code = json_text(*error, "code");
    if (error->contains("message")) {
      reply.message = Message{json_text((*error)["message"], "vi"), json_text((*error)["message"], "en")};
    }
    if (reply.message.vietnamese.empty()) reply.message = unexpected_answer_message();
    if (error->contains("fields") && (*error)["fields"].is_array()) {
      for (const Json& field : (*error)["fields"]) {
        reply.fields.push_back({json_text(field, "field"), Message{json_text(field, "vi"), json_text(field, "en")}});
      }
    }
    return reply;
  }

  std::string store_prefix_;
  std::string csrf_token_;
  std::string actor_;
  Permissions permissions_;
  std::vector<Pending> pending_;
};

}  // namespace

std::unique_ptr<Backend> make_api_backend(const StoreAccess& store, const StaffSession& session) {
  return std::make_unique<ApiBackend>(store, session);
}

}  // namespace loyalty::console
