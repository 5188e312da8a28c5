#include "server/http/auth_routes.hpp"

// [SECTION] helpers: ids in paths, JSON of staff and keys, storage failures
// [SECTION] the guard
// [SECTION] sign-in, sign-out, me
// [SECTION] staff of a store
// [SECTION] API keys of a store
// [SECTION] the audit log
#include <httplib.h>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "server/auth/account_rules.hpp"
#include "server/auth/api_keys.hpp"
#include "server/auth/audit_log.hpp"
#include "server/auth/password_hashing.hpp"
#include "server/auth/staff_accounts.hpp"
#include "server/auth/utc_time.hpp"
#include "server/http/api_errors.hpp"
#include "server/storage/database.hpp"
#include "server/storage/transaction.hpp"

namespace loyalty::server::http {
namespace {

using nlohmann::json;
using Request = httplib::Request;
using Response = httplib::Response;

// ---------------------------------------------------------------- [SECTION] helpers

constexpr std::int64_t audit_page_default_entries = 50;
constexpr std::int64_t audit_page_max_entries = 100;

const std::string store_path = R"(/api/v1/stores/([^/]+))";

json staff_member_json(const auth::StoreStaffMember& member) {
  return {{"id", member.staff_id},
          {"email", member.email},
          {"name", member.display_name},
          {"role", auth::role_name(member.role)},
          {"disabled", member.disabled}};
}

json api_key_json(const auth::ApiKeyRecord& key) {
  return {{"id", key.id},
          {"name", key.name},
          {"key_prefix", key.key_prefix},
          {"scopes", key.scopes},
          {"created_at", key.created_at_utc},
          {"created_by_staff_id", key.created_by_staff_id ? json(*key.created_by_staff_id) : json()},
          {"revoked_at", key.revoked_at_utc ? json(*key.revoked_at_utc) : json()}};
}

json stores_json(const std::vector<auth::StoreRole>& roles) {
  json stores = json::array();
  for (const auth::StoreRole& role : roles) {
    stores.push_back({{"store_id", role.store_id}, {"name", role.store_name},
                      {"role", auth::role_name(role.role)}});
  }
  return stores;
}

void send_json(Response& response, int status, const json& body) {
  response.status = status;
  // Credentials, keys and staff lists: no cache may keep them.
  response.set_header("Cache-Control", "no-store");
  response.set_content(body.dump(), "application/json; charset=utf-8");
}

void send_unavailable(Response& response, const std::string& error_message,
                      std::string_view request_id) {
  std::fprintf(stderr, "error: request %.*s: %s\n", static_cast<int>(request_id.size()),
               request_id.data(), error_message.c_str());
  send_api_error(response, 503, "unavailable", "Dịch vụ tạm thời không khả dụng.",
                 "Service temporarily unavailable.", {}, request_id);
}

void send_not_found(Response& response, std::string_view request_id) {
  send_api_error(response, 404, "not_found", "Không tìm thấy.", "Not found.", {}, request_id);
}

// What a handler inside a transaction decided: an answer to send, or a storage failure.
struct Answer {
  int status = 200;
  json body;
  std::string error_code;        // set for a refusal (status >= 400)
  std::string message_vi;
  std::string message_en;
  std::string storage_error;     // set when the database failed: answered 503
};

Answer refusal(int status, std::string code, std::string vi, std::string en) {
  return Answer{status, {}, std::move(code), std::move(vi), std::move(en), {}};
}
Answer storage_failure(std::string message) {
  Answer answer;
  answer.storage_error = message.empty() ? "unknown storage failure" : std::move(message);
  return answer;
}

void send_answer(Response& response, const Answer& answer, std::string_view request_id) {
  if (!answer.storage_error.empty()) return send_unavailable(response, answer.storage_error, request_id);
  if (!answer.error_code.empty()) {
    return send_api_error(response, answer.status, answer.error_code, answer.message_vi,
                          answer.message_en, {}, request_id);
  }
  if (answer.status == 204) {
    response.status = 204;
    return;
  }
  send_json(response, answer.status, answer.body);
}

// Runs `work(connection)` in one transaction, committed only when it answers success.
template <class Work>
Answer in_transaction(storage::Database& database, Work&& work) {
  return database.with_connection([&](sqlite3* connection) -> Answer {
    storage::Transaction transaction(connection);
    if (!transaction.ok()) return storage_failure(transaction.error_message());
    Answer answer = work(connection);
    if (!answer.storage_error.empty() || !answer.error_code.empty()) return answer;  // rolled back
    if (std::string error = transaction.commit(); !error.empty()) return storage_failure(error);
    return answer;
  });
}

Answer last_owner_refusal() {
  return refusal(409, "last_owner", "Cửa hàng phải còn ít nhất một chủ cửa hàng.",
                 "The store must keep at least one owner.");
}

}  // namespace

// ---------------------------------------------------------------- [SECTION] the guard

void send_auth_failure(Response& response, const auth::AuthFailure& failure,
                       std::string_view request_id) {
  send_api_error(response, failure.status, failure.code, failure.message_vi, failure.message_en,
                 {}, request_id);
}

std::optional<auth::Principal> authorize(const Request& request, Response& response,
                                         auth::Authenticator& authenticator,
                                         std::string_view store_id, auth::Permission permission,
                                         std::string_view request_id) {
  auto outcome = authenticator.authenticate(request, store_id);
  if (auto* failure = std::get_if<auth::AuthFailure>(&outcome)) {
    send_auth_failure(response, *failure, request_id);
    return std::nullopt;
  }
  auth::Principal& principal = std::get<auth::Principal>(outcome);
  if (!auth::allows(principal, permission)) {
    // The same answer as for a store one has no role in: the role says nothing more.
    send_api_error(response, 403, "forbidden", "Bạn không có quyền thực hiện thao tác này.",
                   "You are not allowed to do this.", {}, request_id);
    return std::nullopt;
  }
  return std::move(principal);
}

namespace {

// ---------------------------------------------------------------- [SECTION] sign-in, sign-out, me

std::string session_cookie_text(const std::string& token, std::int64_t max_age_s, bool secure) {
  std::string cookie = std::string(auth::session_cookie_name) + "=" + token +
                       "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age_s);
  if (secure) cookie += "; Secure";
  return cookie;
}

void register_session_routes(httplib::Server& server, storage::Database& database,
                             auth::Authenticator& authenticator) {
  server.Post("/api/v1/auth/sign-in", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    auto body = read_json_object_body(request, response, request_id);
    if (!body) return;
    std::vector<FieldError> fields = check_body_fields(
        *body, {{"email", FieldType::string, true}, {"password", FieldType::string, true}});
    if (fields.empty()) {
      // A malformed address cannot be an account: refusing it tells nothing about accounts,
      // and keeps the rate limiter's keys short.
      if (auto problem = auth::check_email(body->at("email").get<std::string>())) {
        fields.push_back({"email", problem->message_vi, problem->message_en});
      }
    }
    if (!fields.empty()) return send_invalid_fields(response, fields, request_id);

    const auth::SignInOutcome outcome = authenticator.sign_in(
        body->at("email").get<std::string>(), body->at("password").get<std::string>(),
        authenticator.client_address(request).substr(0, 64));
    switch (outcome.kind) {
      case auth::SignInOutcome::Kind::rate_limited:
        response.set_header("Retry-After", std::to_string(outcome.retry_after_s));
        return send_api_error(response, 429, "too_many_sign_in_attempts",
                              "Đăng nhập sai quá nhiều lần, vui lòng thử lại sau.",
                              "Too many failed sign-ins; try again later.", {}, request_id);
      case auth::SignInOutcome::Kind::refused:
        // One answer for an unknown email, a wrong password and a disabled account.
        return send_api_error(response, 401, "invalid_credentials",
                              "Email hoặc mật khẩu không đúng.",
                              "The email or the password is wrong.", {}, request_id);
      case auth::SignInOutcome::Kind::unavailable:
        return send_unavailable(response, outcome.error_message, request_id);
      case auth::SignInOutcome::Kind::signed_in: break;
    }
    const auth::AuthSettings& settings = authenticator.settings();
    response.set_header("Set-Cookie",
                        session_cookie_text(outcome.session.token, settings.session_limits.absolute_s,
                                            settings.secure_cookies));
    send_json(response, 200,
              {{"staff", {{"id", outcome.staff.id}, {"email", outcome.staff.email},
                          {"name", outcome.staff.display_name}}},
               {"stores", stores_json(outcome.stores)},
               {"csrf_token", outcome.session.csrf_token},
               {"token", outcome.session.token},
               {"expires_at", auth::format_utc_time(outcome.session.expires_at_s)},
               {"idle_timeout_s", settings.session_limits.idle_s}});
  });

  server.Post("/api/v1/auth/sign-out", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    auto outcome = authenticator.authenticate_staff(request);
    if (auto* failure = std::get_if<auth::AuthFailure>(&outcome)) {
      return send_auth_failure(response, *failure, request_id);
    }
    if (!authenticator.sign_out(std::get<auth::StaffSession>(outcome))) {
      return send_unavailable(response, "ending a session failed", request_id);
    }
    response.set_header("Set-Cookie",
                        session_cookie_text("", 0, authenticator.settings().secure_cookies));
    response.set_header("Cache-Control", "no-store");
    response.status = 204;
  });

  server.Get("/api/v1/auth/me", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    auto outcome = authenticator.authenticate_staff(request);
    if (auto* failure = std::get_if<auth::AuthFailure>(&outcome)) {
      return send_auth_failure(response, *failure, request_id);
    }
    const auth::StaffSession& signed_in = std::get<auth::StaffSession>(outcome);
    auto roles = database.with_connection(
        [&](sqlite3* connection) { return auth::roles_of_staff(connection, signed_in.staff.id); });
    if (!roles.ok()) return send_unavailable(response, roles.error_message(), request_id);
    // The CSRF token is given again so that a reloaded console can write without signing in.
    send_json(response, 200,
              {{"staff", {{"id", signed_in.staff.id}, {"email", signed_in.staff.email},
                          {"name", signed_in.staff.display_name}}},
               {"stores", stores_json(roles.value())},
               {"csrf_token", signed_in.session.csrf_token},
               {"expires_at", auth::format_utc_time(signed_in.session.expires_at_s)},
               {"idle_timeout_s", authenticator.settings().session_limits.idle_s}});
  });
}

// ---------------------------------------------------------------- [SECTION] staff of a store

std::optional<auth::Role> parse_role_field(const json& body, std::vector<FieldError>& fields) {
  auto found = body.find("role");
  if (found == body.end() || !found->is_string()) return std::nullopt;  // reported already
  auto role = auth::role_from_name(found->get<std::string>());
  if (!role) {
    fields.push_back({"role", "Vai trò phải là owner, marketing hoặc support.",
                      "The role must be owner, marketing or support."});
  }
  return role;
}

void register_staff_routes(httplib::Server& server, storage::Database& database,
                           auth::Authenticator& authenticator) {
  server.Get(store_path + "/staff", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    const std::string store_id = request.matches[1];
    if (!authorize(request, response, authenticator, store_id, auth::Permission::manage_staff,
                   request_id)) {
      return;
    }
    auto members = database.with_connection(
        [&](sqlite3* connection) { return auth::staff_of_store(connection, store_id); });
    if (!members.ok()) return send_unavailable(response, members.error_message(), request_id);
    json list = json::array();
    for (const auth::StoreStaffMember& member : members.value()) list.push_back(staff_member_json(member));
    send_json(response, 200, {{"staff", std::move(list)}});
  });

  server.Post(store_path + "/staff", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    const std::string store_id = request.matches[1];
    auto principal = authorize(request, response, authenticator, store_id,
                               auth::Permission::manage_staff, request_id);
    if (!principal) return;
    auto body = read_json_object_body(request, response, request_id);
    if (!body) return;
    std::vector<FieldError> fields = check_body_fields(*body, {{"email", FieldType::string, true},
                                                              {"name", FieldType::string, true},
                                                              {"role", FieldType::string, true},
                                                              {"password", FieldType::string, true}});
    const std::optional<auth::Role> role = parse_role_field(*body, fields);
    auto check = [&](std::string_view name, auto checker) {
      auto found = body->find(std::string(name));
      if (found == body->end() || !found->is_string()) return;
      if (auto problem = checker(found->template get<std::string>())) {
        fields.push_back({std::string(name), problem->message_vi, problem->message_en});
      }
    };
    check("email", [](const std::string& text) { return auth::check_email(text); });
    check("name", [](const std::string& text) { return auth::check_display_name(text); });
    check("password", [](const std::string& text) {
      auto problem = auth::check_new_password(text);
      return problem ? std::optional<auth::InputProblem>({problem->message_vi, problem->message_en})
                     : std::nullopt;
    });
    if (!fields.empty() || !role) return send_invalid_fields(response, fields, request_id);

    const std::string email = auth::normalized_email(body->at("email").get<std::string>());
    const std::string name = body->at("name").get<std::string>();
    // Hashed before taking the database: it takes tenths of a second.
    const std::optional<std::string> password_hash =
        auth::hash_password(body->at("password").get<std::string>());
    if (!password_hash) return send_unavailable(response, "hashing a password failed", request_id);

    const Answer answer = in_transaction(database, [&](sqlite3* connection) -> Answer {
      auto existing = auth::find_staff_by_email(connection, email);
      if (!existing.ok()) return storage_failure(existing.error_message());
      if (existing.value()) {
        // An account is added to a second store by the operator (grant-role), never by
        // another store's owner, who could otherwise take over or rename it.
        return refusal(409, "staff_exists", "Email này đã có tài khoản.",
                       "An account with this email already exists.");
      }
      auto staff_id = auth::insert_staff(connection, email, name, *password_hash,
                                         auth::format_utc_time(auth::current_unix_time_s()));
      if (!staff_id.ok()) return storage_failure(staff_id.error_message());
      if (auto set = auth::set_role(connection, staff_id.value(), store_id, *role); !set.ok()) {
        return storage_failure(set.error_message());
      }
      const json member = staff_member_json({staff_id.value(), email, name, *role, false});
      auto audited = auth::append_audit_entry(connection, store_id, principal->actor(), "staff.created",
                                              "staff:" + std::to_string(staff_id.value()), "",
                                              member.dump());
      if (!audited.ok()) return storage_failure(audited.error_message());
      return Answer{201, {{"staff", member}}, {}, {}, {}, {}};
    });
    send_answer(response, answer, request_id);
  });

  server.Patch(store_path + "/staff/([^/]+)", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    const std::string store_id = request.matches[1];
    auto principal = authorize(request, response, authenticator, store_id,
                               auth::Permission::manage_staff, request_id);
    if (!principal) return;
    const std::optional<std::int64_t> staff_id = parse_id(request.matches[2].str());
    if (!staff_id) return send_not_found(response, request_id);
    auto body = read_json_object_body(request, response, request_id);
    if (!body) return;
    std::vector<FieldError> fields = check_body_fields(*body, {{"role", FieldType::string, true}});
    const std::optional<auth::Role> role = parse_role_field(*body, fields);
    if (!fields.empty() || !role) return send_invalid_fields(response, fields, request_id);

    const Answer answer = in_transaction(database, [&](sqlite3* connection) -> Answer {
      auto member = auth::staff_member_of_store(connection, store_id, *staff_id);
      if (!member.ok()) return storage_failure(member.error_message());
      // Staff of another store are "not found" here, exactly as ids that do not exist.
      if (!member.value()) return refusal(404, "not_found", "Không tìm thấy nhân viên.", "No such staff member.");
      auth::StoreStaffMember before = *member.value();
      if (before.role == *role) return Answer{200, {{"staff", staff_member_json(before)}}, {}, {}, {}, {}};
      if (before.role == auth::Role::owner) {
        auto owners = auth::count_active_owners(connection, store_id);
        if (!owners.ok()) return storage_failure(owners.error_message());
        if (owners.value() <= 1 && !before.disabled) return last_owner_refusal();
      }
      if (auto set = auth::set_role(connection, before.staff_id, store_id, *role); !set.ok()) {
        return storage_failure(set.error_message());
      }
      auth::StoreStaffMember after = before;
      after.role = *role;
      auto audited = auth::append_audit_entry(
          connection, store_id, principal->actor(), "staff.role_changed",
          "staff:" + std::to_string(before.staff_id), staff_member_json(before).dump(),
          staff_member_json(after).dump());
      if (!audited.ok()) return storage_failure(audited.error_message());
      return Answer{200, {{"staff", staff_member_json(after)}}, {}, {}, {}, {}};
    });
    send_answer(response, answer, request_id);
  });

  server.Delete(store_path + "/staff/([^/]+)", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    const std::string store_id = request.matches[1];
    auto principal = authorize(request, response, authenticator, store_id,
                               auth::Permission::manage_staff, request_id);
    if (!principal) return;
    const std::optional<std::int64_t> staff_id = parse_id(request.matches[2].str());
    if (!staff_id) return send_not_found(response, request_id);

    const Answer answer = in_transaction(database, [&](sqlite3* connection) -> Answer {
      auto member = auth::staff_member_of_store(connection, store_id, *staff_id);
      if (!member.ok()) return storage_failure(member.error_message());
      if (!member.value()) return refusal(404, "not_found", "Không tìm thấy nhân viên.", "No such staff member.");
      const auth::StoreStaffMember& before = *member.value();
      if (before.role == auth::Role::owner) {
        auto owners = auth::count_active_owners(connection, store_id);
        if (!owners.ok()) return storage_failure(owners.error_message());
        if (owners.value() <= 1 && !before.disabled) return last_owner_refusal();
      }
      // The account stays (it may work in other stores); only its role here goes, and
      // with it every request it makes in this store, since roles are read per request.
      if (auto removed = auth::remove_role(connection, before.staff_id, store_id); !removed.ok()) {
        return storage_failure(removed.error_message());
      }
      auto audited = auth::append_audit_entry(connection, store_id, principal->actor(), "staff.removed",
                                              "staff:" + std::to_string(before.staff_id),
                                              staff_member_json(before).dump(), "");
      if (!audited.ok()) return storage_failure(audited.error_message());
      return Answer{204, {}, {}, {}, {}, {}};
    });
    send_answer(response, answer, request_id);
  });
}

// ---------------------------------------------------------------- [SECTION] API keys of a store

void register_api_key_routes(httplib::Server& server, storage::Database& database,
                             auth::Authenticator& authenticator) {
  server.Get(store_path + "/api-keys", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    const std::string store_id = request.matches[1];
    if (!authorize(request, response, authenticator, store_id, auth::Permission::manage_api_keys,
                   request_id)) {
      return;
    }
    auto keys = database.with_connection(
        [&](sqlite3* connection) { return auth::api_keys_of_store(connection, store_id); });
    if (!keys.ok()) return send_unavailable(response, keys.error_message(), request_id);
    json list = json::array();
    for (const auth::ApiKeyRecord& key : keys.value()) list.push_back(api_key_json(key));
    send_json(response, 200, {{"api_keys", std::move(list)}});
  });

  server.Post(store_path + "/api-keys", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    const std::string store_id = request.matches[1];
    auto principal = authorize(request, response, authenticator, store_id,
                               auth::Permission::manage_api_keys, request_id);
    if (!principal) return;
    auto body = read_json_object_body(request, response, request_id);
    if (!body) return;
    std::vector<FieldError> fields = check_body_fields(
        *body, {{"name", FieldType::string, true}, {"scopes", FieldType::string_array, true}});
    std::vector<std::string> scopes;
    if (fields.empty()) {
      if (auto problem = auth::check_display_name(body->at("name").get<std::string>())) {
        fields.push_back({"name", problem->message_vi, problem->message_en});
      }
      std::set<std::string> seen;
      const json& scope_list = body->at("scopes");
      for (std::size_t index = 0; index < scope_list.size(); ++index) {
        const std::string scope = scope_list[index].get<std::string>();
        const auto known = auth::known_api_key_scopes();
        const std::string field = "scopes[" + std::to_string(index) + "]";
        if (std::find(known.begin(), known.end(), scope) == known.end()) {
          fields.push_back({field, "Phạm vi phải là orders, holds, lookups hoặc vouchers.",
                            "A scope is orders, holds, lookups or vouchers."});
        } else if (!seen.insert(scope).second) {
          fields.push_back({field, "Phạm vi bị lặp lại.", "This scope is repeated."});
        } else {
          scopes.push_back(scope);
        }
      }
      if (scope_list.empty()) {
        fields.push_back({"scopes", "Cần ít nhất một phạm vi.", "At least one scope is needed."});
      }
    }
    if (!fields.empty()) return send_invalid_fields(response, fields, request_id);
    const std::string name = body->at("name").get<std::string>();

    const Answer answer = in_transaction(database, [&](sqlite3* connection) -> Answer {
      auto created = auth::create_api_key(connection, store_id, name, scopes, principal->staff_id,
                                          auth::format_utc_time(auth::current_unix_time_s()));
      if (!created.ok()) return storage_failure(created.error_message());
      const json key = api_key_json(created.value().record);  // the key itself stays out of the log
      auto audited = auth::append_audit_entry(connection, store_id, principal->actor(), "api_key.created",
                                              "api_key:" + std::to_string(created.value().record.id),
                                              "", key.dump());
      if (!audited.ok()) return storage_failure(audited.error_message());
      return Answer{201, {{"api_key", key}, {"key", created.value().key}}, {}, {}, {}, {}};
    });
    send_answer(response, answer, request_id);
  });

  server.Delete(store_path + "/api-keys/([^/]+)", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    const std::string store_id = request.matches[1];
    auto principal = authorize(request, response, authenticator, store_id,
                               auth::Permission::manage_api_keys, request_id);
    if (!principal) return;
    const std::optional<std::int64_t> key_id = parse_id(request.matches[2].str());
    if (!key_id) return send_not_found(response, request_id);

    const Answer answer = in_transaction(database, [&](sqlite3* connection) -> Answer {
      auto found = auth::find_api_key(connection, store_id, *key_id);
      if (!found.ok()) return storage_failure(found.error_message());
      if (!found.value()) return refusal(404, "not_found", "Không tìm thấy khóa API.", "No such API key.");
      const auth::ApiKeyRecord before = *found.value();
      // Revoking twice changes nothing and is not logged twice.
      if (before.revoked_at_utc) return Answer{200, {{"api_key", api_key_json(before)}}, {}, {}, {}, {}};
      const std::string now_utc = auth::format_utc_time(auth::current_unix_time_s());
      if (auto revoked = auth::revoke_api_key(connection, before.id, now_utc); !revoked.ok()) {
        return storage_failure(revoked.error_message());
      }
      auth::ApiKeyRecord after = before;
      after.revoked_at_utc = now_utc;
      auto audited = auth::append_audit_entry(connection, store_id, principal->actor(), "api_key.revoked",
                                              "api_key:" + std::to_string(before.id),
                                              api_key_json(before).dump(), api_key_json(after).dump());
      if (!audited.ok()) return storage_failure(audited.error_message());
      return Answer{200, {{"api_key", api_key_json(after)}}, {}, {}, {}, {}};
    });
    if (answer.status == 200 && answer.error_code.empty() && answer.storage_error.empty()) {
      authenticator.forget_api_key(*key_id);  // committed: no request may use it from now
    }
    send_answer(response, answer, request_id);
  });
}

// ---------------------------------------------------------------- [SECTION] the audit log

json stored_json(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  json value = json::parse(*text, nullptr, false);
  return value.is_discarded() ? json(*text) : value;  // written by us, but never trusted blindly
}

void register_audit_routes(httplib::Server& server, storage::Database& database,
                           auth::Authenticator& authenticator) {
  server.Get(store_path + "/audit-log", [&](const Request& request, Response& response) {
    const std::string request_id = request_id_of(request);
    const std::string store_id = request.matches[1];
    if (!authorize(request, response, authenticator, store_id, auth::Permission::read_audit_log,
                   request_id)) {
      return;
    }
    const std::optional<CursorPage> cursor =
        read_cursor_page(request, response, request_id, audit_page_default_entries, audit_page_max_entries,
                         {"after", "Phải là mã của một mục nhật ký.", "Must be an entry id (a cursor)."});
    if (!cursor) return;
    const std::int64_t after_id = cursor->after_id, limit = cursor->limit;
    auto page = database.with_connection([&](sqlite3* connection) {
      return auth::audit_entries_after(connection, store_id, after_id, limit);
    });
    if (!page.ok()) return send_unavailable(response, page.error_message(), request_id);
    json entries = json::array();
    for (const auth::AuditEntry& entry : page.value().entries) {
      entries.push_back({{"id", entry.id},
                         {"recorded_at", entry.recorded_at_utc},
                         {"actor", entry.actor},
                         {"action", entry.action},
                         {"target", entry.target},
                         {"before", stored_json(entry.before_json)},
                         {"after", stored_json(entry.after_json)}});
    }
    const bool has_more = page.value().has_more;
    // The cursor is the last entry's id, as text (clients must not do arithmetic on it).
    const json next_cursor = has_more ? json(std::to_string(page.value().entries.back().id)) : json();
    send_json(response, 200, {{"entries", std::move(entries)}, {"has_more", has_more},
                              {"next_cursor", next_cursor}});
  });
}

}  // namespace

void register_auth_routes(httplib::Server& server, storage::Database& database,
                          auth::Authenticator& authenticator) {
  register_session_routes(server, database, authenticator);
  register_staff_routes(server, database, authenticator);
  register_api_key_routes(server, database, authenticator);
  register_audit_routes(server, database, authenticator);
}

}  // namespace loyalty::server::http
