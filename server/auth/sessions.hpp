// sessions.hpp: signed-in staff sessions in the sessions table.
//
// A session is found by the SHA-256 of its token (the token itself is never stored). It
// ends when revoked (sign-out, password reset), after `idle_s` without a request, or
// `absolute_s` after sign-in, whichever comes first.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/storage/storage_result.hpp"

struct sqlite3;

namespace loyalty::server::auth {

struct SessionLimits {
  std::int64_t idle_s = 30 * 60;
  std::int64_t absolute_s = 12 * 60 * 60;
};

struct NewSession {
  std::string token;        // sent once: the cookie's value and the bearer token
  std::string csrf_token;
  std::int64_t expires_at_s = 0;  // the absolute end
};

struct SessionRecord {
  std::string token_hash;
  std::int64_t staff_id = 0;
  std::string csrf_token;
  std::int64_t created_at_s = 0;
  std::int64_t last_seen_at_s = 0;
  std::int64_t expires_at_s = 0;
  bool revoked = false;
};

enum class SessionState { live, idle_expired, ended, revoked };
SessionState session_state(const SessionRecord& session, const SessionLimits& limits,
                           std::int64_t now_s);

storage::StorageResult<NewSession> create_session(sqlite3* connection, std::int64_t staff_id,
                                                  const SessionLimits& limits, std::int64_t now_s);
storage::StorageResult<std::optional<SessionRecord>> find_session(sqlite3* connection,
                                                                  std::string_view token_hash);
// Moves last_seen forward, but at most once per `touch_interval_s(limits)`: a write per
// request would put an fsync on every read the console makes.
storage::StorageResult<storage::Done> touch_session(sqlite3* connection,
                                                    const SessionRecord& session,
                                                    const SessionLimits& limits,
                                                    std::int64_t now_s);
storage::StorageResult<storage::Done> revoke_session(sqlite3* connection,
                                                     std::string_view token_hash);
storage::StorageResult<storage::Done> revoke_sessions_of_staff(sqlite3* connection,
                                                               std::int64_t staff_id);
// Removes sessions past their absolute end (they can never be used again).
storage::StorageResult<storage::Done> delete_ended_sessions(sqlite3* connection,
                                                            std::int64_t now_s);

}  // namespace loyalty::server::auth
