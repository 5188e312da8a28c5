// authenticator.hpp: turns a request's credentials into a Principal for one store, and
// signs staff in and out.
//
// Credentials, in order: `Authorization: Bearer <token>`, where the token is an API key
// ("lk_…", hashed in api_keys) or a session token (hashed in sessions); or the console's
// session cookie `loyalty_session` (HttpOnly, SameSite=Strict), which on every unsafe
// method (POST, PUT, PATCH, DELETE) also needs the header `X-CSRF-Token` equal to the
// session's CSRF token. Sessions expire after 30 minutes idle and 12 hours in all.
//
// Settings from the environment (AuthSettings::from_environment):
//   LOYALTY_SESSION_IDLE_S, LOYALTY_SESSION_ABSOLUTE_S  session limits (tests shorten them)
//   LOYALTY_SECURE_COOKIES=1      the cookie gets `Secure` (behind TLS, which is production)
//   LOYALTY_TRUST_FORWARDED_FOR=1 rate-limit sign-in by the last X-Forwarded-For address
//                                 (only behind a reverse proxy that sets it)
#pragma once
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "server/auth/api_keys.hpp"
#include "server/auth/principal.hpp"
#include "server/auth/rate_limiter.hpp"
#include "server/auth/sessions.hpp"
#include "server/auth/staff_accounts.hpp"

namespace httplib {
struct Request;
}
namespace loyalty::server::storage {
class Database;
}

namespace loyalty::server::auth {

constexpr std::string_view session_cookie_name = "loyalty_session";

struct AuthFailure {
  int status = 401;                 // 401 not signed in / expired; 403 not allowed in this store
  std::string code;                 // "unauthenticated", "session_expired", "csrf_failed", "forbidden"
  std::string message_vi;
  std::string message_en;
};

struct AuthSettings {
  SessionLimits session_limits;
  bool secure_cookies = false;
  bool trust_forwarded_for = false;
  std::int64_t account_failures_max = 5;   // failed sign-ins per account per window
  std::int64_t address_failures_max = 20;  // failed sign-ins per client address per window
  std::int64_t failure_window_s = 15 * 60;
  // Reads the variables above; unset or unreadable ones keep their defaults (a warning
  // names an unreadable one on stderr).
  static AuthSettings from_environment();
};

// A signed-in staff member, before any store is chosen (sign-out, "who am I").
struct StaffSession {
  StaffAccount staff;
  SessionRecord session;
};

struct SignInOutcome {
  enum class Kind { signed_in, refused, rate_limited, unavailable };
  Kind kind = Kind::refused;
  std::int64_t retry_after_s = 0;    // rate_limited
  StaffAccount staff;                // signed_in
  std::vector<StoreRole> stores;     // signed_in
  NewSession session;                // signed_in
  std::string error_message;         // unavailable: the storage failure, for the log
};

class Authenticator {
 public:
  explicit Authenticator(storage::Database& database,
                         AuthSettings settings = AuthSettings::from_environment());
  // The principal acting in `store_id`, or why not. A staff member without a role in the
  // store, or a key of another store, is `forbidden` (403), told apart from nothing else.
  std::variant<Principal, AuthFailure> authenticate(const httplib::Request& request, std::string_view store_id);
  // A staff session (cookie or bearer session token; API keys are refused), with the same
  // CSRF rule as authenticate.
  std::variant<StaffSession, AuthFailure> authenticate_staff(const httplib::Request& request);

  // Checks the rate limits, then the password (or a dummy, for an unknown email, so that
  // both take as long and answer the same), and starts a session.
  SignInOutcome sign_in(std::string_view email, std::string_view password,
                        const std::string& client_address);
  bool sign_out(const StaffSession& session);
  // Call after revoking a key: its cached entry goes at once (see api_key_cache_).
  void forget_api_key(std::int64_t key_id);

  // The address sign-in attempts are counted by (see LOYALTY_TRUST_FORWARDED_FOR).
  std::string client_address(const httplib::Request& request) const;
  const AuthSettings& settings() const { return settings_; }

 private:
  storage::Database& database_;
  AuthSettings settings_;
  SlidingWindowLimiter account_failures_;
  SlidingWindowLimiter address_failures_;

  // Checkouts send a key with every request; looking it up in SQLite would queue each read
  // behind the group commits that hold the same connection. Live keys are kept here by
  // hash for api_key_cache_ttl_s; a revocation through this server removes its entry at
  // once (forget_api_key), one made by another process within the TTL.
  struct CachedApiKey {
    ApiKeyRecord record;
    std::int64_t cached_at_s = 0;  // steady seconds
  };
  std::optional<ApiKeyRecord> cached_api_key(const std::string& key_hash, std::int64_t now_s);
  std::mutex api_key_cache_mutex_;
  std::unordered_map<std::string, CachedApiKey> api_key_cache_;
  // Bumped by every forget_api_key: a lookup that read the database before a revocation
  // must not put the revoked key back afterwards.
  std::atomic<std::uint64_t> api_key_revocations_{0};
};

// Appends one entry to the audit log (append-only): who, what, on what, before and after
// (JSON texts, or empty). Returns false when the database refused it. Inside a transaction
// of your own, use append_audit_entry (audit_log.hpp) on the held connection instead.
bool record_audit(storage::Database& database, std::string_view store_id, std::string_view actor,
                  std::string_view action, std::string_view target, std::string_view before_json,
                  std::string_view after_json);

}  // namespace loyalty::server::auth
