#include "server/auth/authenticator.hpp"

#include <httplib.h>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "server/auth/account_rules.hpp"
#include "server/auth/password_hashing.hpp"
#include "server/auth/secrets.hpp"
#include "server/auth/utc_time.hpp"
#include "server/storage/database.hpp"
#include "server/storage/transaction.hpp"

namespace loyalty::server::auth {
namespace {

AuthFailure unauthenticated() {
  return {401, "unauthenticated", "Bạn chưa đăng nhập.", "You are not signed in."};
}
AuthFailure session_expired() {
  return {401, "session_expired", "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.",
          "The session has expired; sign in again."};
}
AuthFailure csrf_failed() {
  return {403, "csrf_failed", "Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token).",
          "The X-CSRF-Token header is missing or does not match the session."};
}
AuthFailure forbidden() {
  return {403, "forbidden", "Bạn không có quyền thực hiện thao tác này.",
          "You are not allowed to do this."};
}
AuthFailure unavailable(const std::string& error_message) {
  std::fprintf(stderr, "error: authentication: %s\n", error_message.c_str());
  return {503, "unavailable", "Dịch vụ tạm thời không khả dụng.",
          "Service temporarily unavailable."};
}

// Long enough to spare the database nearly every lookup, short enough that a key revoked
// by another process stops working soon.
constexpr std::int64_t api_key_cache_ttl_s = 30;
constexpr std::size_t api_key_cache_entries_max = 10'000;

struct PresentedToken {
  enum class Source { none, malformed, bearer, cookie };
  Source source = Source::none;
  std::string token;
};

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t index = 0; index < prefix.size(); ++index) {
    const auto lower = [](char letter) {
      return letter >= 'A' && letter <= 'Z' ? static_cast<char>(letter - 'A' + 'a') : letter;
    };
    if (lower(text[index]) != lower(prefix[index])) return false;
  }
  return true;
}

std::optional<std::string> session_cookie(const httplib::Request& request) {
  const std::size_t header_count = request.get_header_value_count("Cookie");
  for (std::size_t header = 0; header < header_count; ++header) {
    const std::string value = request.get_header_value("Cookie", header);
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t end = std::min(rest.find(';'), rest.size());
      const std::string_view pair = trimmed(rest.substr(0, end));
      rest.remove_prefix(std::min(end + 1, rest.size()));
      const std::size_t equals = pair.find('=');
      if (equals != std::string_view::npos && pair.substr(0, equals) == session_cookie_name) {
        return std::string(trimmed(pair.substr(equals + 1)));
      }
    }
  }
  return std::nullopt;
}

PresentedToken presented_token(const httplib::Request& request) {
  if (request.has_header("Authorization")) {
    const std::string value = request.get_header_value("Authorization");
    constexpr std::string_view scheme = "Bearer ";
    if (!starts_with_ignoring_case(value, scheme)) return {PresentedToken::Source::malformed, {}};
    const std::string_view token = trimmed(std::string_view(value).substr(scheme.size()));
    if (token.empty()) return {PresentedToken::Source::malformed, {}};
    return {PresentedToken::Source::bearer, std::string(token)};
  }
  if (auto cookie = session_cookie(request); cookie && !cookie->empty()) {
    return {PresentedToken::Source::cookie, *cookie};
  }
  return {};
}

// A cross-site page can make the browser send the cookie, but cannot read or set this
// header; bearer tokens are never sent by the browser on its own, so they need none.
bool is_unsafe_method(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

std::int64_t steady_now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::int64_t positive_from_environment(const char* name, std::int64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr) return fallback;
  std::int64_t value = 0;
  const std::string_view view(text);
  auto [end, error] = std::from_chars(view.data(), view.data() + view.size(), value);
  if (error != std::errc() || end != view.data() + view.size() || value <= 0) {
    std::fprintf(stderr, "loyalty-server: warning: %s='%s' is not a positive whole number; using %lld\n",
                 name, text, static_cast<long long>(fallback));
    return fallback;
  }
  return value;
}

bool flag_from_environment(const char* name) {
  const char* text = std::getenv(name);
  return text != nullptr && (std::string_view(text) == "1" || std::string_view(text) == "true");
}

}  // namespace

AuthSettings AuthSettings::from_environment() {
  AuthSettings settings;
  settings.session_limits.idle_s =
      positive_from_environment("LOYALTY_SESSION_IDLE_S", settings.session_limits.idle_s);
  settings.session_limits.absolute_s =
      positive_from_environment("LOYALTY_SESSION_ABSOLUTE_S", settings.session_limits.absolute_s);
  settings.secure_cookies = flag_from_environment("LOYALTY_SECURE_COOKIES");
  settings.trust_forwarded_for = flag_from_environment("LOYALTY_TRUST_FORWARDED_FOR");
  return settings;
}

Authenticator::Authenticator(storage::Database& database, AuthSettings settings)
    : database_(database),
      settings_(settings),
      account_failures_(settings.failure_window_s,
                        static_cast<std::size_t>(settings.account_failures_max)),
      address_failures_(settings.failure_window_s,
                        static_cast<std::size_t>(settings.address_failures_max)) {
  ensure_sodium_ready();
  prepare_dummy_hash();
}

std::string Authenticator::client_address(const httplib::Request& request) const {
  if (settings_.trust_forwarded_for && request.has_header("X-Forwarded-For")) {
    // The proxy appends the address it saw; earlier entries are whatever the client wrote.
    const std::string forwarded = request.get_header_value("X-Forwarded-For");
    const std::size_t comma = forwarded.rfind(',');
    const std::string_view last =
        trimmed(std::string_view(forwarded).substr(comma == std::string::npos ? 0 : comma + 1));
    if (!last.empty()) return std::string(last);
  }
  return request.remote_addr;
}

std::variant<StaffSession, AuthFailure> Authenticator::authenticate_staff(
    const httplib::Request& request) {
  const PresentedToken presented = presented_token(request);
  if (presented.source == PresentedToken::Source::none ||
      presented.source == PresentedToken::Source::malformed ||
      presented.token.starts_with(api_key_marker)) {
    return unauthenticated();
  }
  const std::string token_hash = sha256_hex(presented.token);
  const std::int64_t now_s = current_unix_time_s();
  return database_.with_connection([&](sqlite3* connection) -> std::variant<StaffSession, AuthFailure> {
    auto found = find_session(connection, token_hash);
    if (!found.ok()) return unavailable(found.error_message());
    if (!found.value()) return unauthenticated();
    const SessionRecord& session = *found.value();
    switch (session_state(session, settings_.session_limits, now_s)) {
      case SessionState::live: break;
      case SessionState::revoked: return unauthenticated();
      case SessionState::idle_expired:
      case SessionState::ended: return session_expired();
    }
    auto staff = find_staff_by_id(connection, session.staff_id);
    if (!staff.ok()) return unavailable(staff.error_message());
    if (!staff.value() || staff.value()->disabled) return unauthenticated();
    if (presented.source == PresentedToken::Source::cookie && is_unsafe_method(request.method) &&
        !equal_in_constant_time(request.get_header_value("X-CSRF-Token"), session.csrf_token)) {
      return csrf_failed();
    }
    // A failed touch costs at most an early expiry; the request itself is still good.
    auto touched = touch_session(connection, session, settings_.session_limits, now_s);
    if (!touched.ok()) std::fprintf(stderr, "warning: %s\n", touched.error_message().c_str());
    return StaffSession{std::move(*staff.value()), session};
  });
}

std::variant<Principal, AuthFailure> Authenticator::authenticate(const httplib::Request& request,
                                                                 std::string_view store_id) {
  const PresentedToken presented = presented_token(request);
  if (presented.source == PresentedToken::Source::bearer &&
      presented.token.starts_with(api_key_marker)) {
    const std::string key_hash = sha256_hex(presented.token);
    const std::int64_t steady_s = steady_now_s();
    std::optional<ApiKeyRecord> key = cached_api_key(key_hash, steady_s);
    if (!key) {
      const std::uint64_t revocations_before = api_key_revocations_.load();
      auto found = database_.with_connection(
          [&](sqlite3* connection) { return find_live_api_key_by_hash(connection, key_hash); });
      if (!found.ok()) return unavailable(found.error_message());
      if (!found.value()) return unauthenticated();
      key = std::move(found.value());
      std::lock_guard lock(api_key_cache_mutex_);
      if (api_key_revocations_.load() == revocations_before) {
        if (api_key_cache_.size() >= api_key_cache_entries_max) api_key_cache_.clear();
        api_key_cache_[key_hash] = CachedApiKey{*key, steady_s};
      }
    }
    if (key->store_id != store_id) return forbidden();
    Principal principal;
    principal.kind = Principal::Kind::api_key;
    principal.store_id = key->store_id;
    principal.api_key_id = key->id;
    principal.api_key_name = key->name;
    principal.scopes = std::move(key->scopes);
    return principal;
  }
  auto staff_session = authenticate_staff(request);
  if (auto* failure = std::get_if<AuthFailure>(&staff_session)) return *failure;
  const StaffSession& signed_in = std::get<StaffSession>(staff_session);
  auto role = database_.with_connection([&](sqlite3* connection) {
    return role_in_store(connection, signed_in.staff.id, store_id);
  });
  if (!role.ok()) return unavailable(role.error_message());
  if (!role.value()) return forbidden();  // also when the store does not exist: no leak
  Principal principal;
  principal.kind = Principal::Kind::staff;
  principal.store_id = std::string(store_id);
  principal.staff_id = signed_in.staff.id;
  principal.staff_email = signed_in.staff.email;
  principal.role = *role.value();
  return principal;
}

SignInOutcome Authenticator::sign_in(std::string_view email, std::string_view password,
                                     const std::string& client_address) {
  SignInOutcome outcome;
  const std::string account_key = normalized_email(email);
  const std::string address_key = client_address;
  const std::int64_t steady_s = steady_now_s();
  const std::int64_t wait_s = std::max(account_failures_.retry_after_s(account_key, steady_s).value_or(0),
                                       address_failures_.retry_after_s(address_key, steady_s).value_or(0));
  if (wait_s > 0) {
    outcome.kind = SignInOutcome::Kind::rate_limited;
    outcome.retry_after_s = wait_s;
    return outcome;
  }

  auto found = database_.with_connection(
      [&](sqlite3* connection) { return find_staff_by_email(connection, account_key); });
  if (!found.ok()) {
    outcome.kind = SignInOutcome::Kind::unavailable;
    outcome.error_message = found.error_message();
    return outcome;
  }
  // Hashing runs outside the database lock: it takes tenths of a second.
  bool password_matches = false;
  if (found.value() && !found.value()->disabled) {
    password_matches = verify_password(password, found.value()->password_hash);
  } else {
    verify_against_dummy_hash(password);
  }
  if (!password_matches) {
    account_failures_.record_failure(account_key, steady_s);
    address_failures_.record_failure(address_key, steady_s);
    outcome.kind = SignInOutcome::Kind::refused;
    return outcome;
  }
  account_failures_.forget(account_key);

  StaffAccount staff = std::move(*found.value());
  std::optional<std::string> upgraded_hash;
  if (password_hash_needs_upgrade(staff.password_hash)) upgraded_hash = hash_password(password);

  const std::int64_t now_s = current_unix_time_s();
  std::string error_message = database_.with_connection([&](sqlite3* connection) -> std::string {
    storage::Transaction transaction(connection);
    if (!transaction.ok()) return transaction.error_message();
    if (upgraded_hash) {
      auto updated = set_password_hash(connection, staff.id, *upgraded_hash);
      if (!updated.ok()) return updated.error_message();
    }
    auto swept = delete_ended_sessions(connection, now_s);
    if (!swept.ok()) return swept.error_message();
    auto session = create_session(connection, staff.id, settings_.session_limits, now_s);
    if (!session.ok()) return session.error_message();
    auto roles = roles_of_staff(connection, staff.id);
    if (!roles.ok()) return roles.error_message();
    outcome.session = std::move(session.value());
    outcome.stores = std::move(roles.value());
    return transaction.commit();
  });
  if (!error_message.empty()) {
    outcome.kind = SignInOutcome::Kind::unavailable;
    outcome.error_message = std::move(error_message);
    return outcome;
  }
  staff.password_hash.clear();  // not needed past this point
  outcome.kind = SignInOutcome::Kind::signed_in;
  outcome.staff = std::move(staff);
  return outcome;
}

std::optional<ApiKeyRecord> Authenticator::cached_api_key(const std::string& key_hash,
                                                          std::int64_t now_s) {
  std::lock_guard lock(api_key_cache_mutex_);
  auto found = api_key_cache_.find(key_hash);
  if (found == api_key_cache_.end()) return std::nullopt;
  if (now_s - found->second.cached_at_s >= api_key_cache_ttl_s) {
    api_key_cache_.erase(found);
    return std::nullopt;
  }
  return found->second.record;
}

void Authenticator::forget_api_key(std::int64_t key_id) {
  std::lock_guard lock(api_key_cache_mutex_);
  ++api_key_revocations_;
  std::erase_if(api_key_cache_, [&](const auto& entry) { return entry.second.record.id == key_id; });
}

bool Authenticator::sign_out(const StaffSession& session) {
  return database_.with_connection([&](sqlite3* connection) {
    return revoke_session(connection, session.session.token_hash).ok();
  });
}

}  // namespace loyalty::server::auth
