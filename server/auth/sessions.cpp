#include "server/auth/sessions.hpp"

#include <sqlite3.h>

#include <algorithm>

#include "server/auth/secrets.hpp"
#include "server/auth/utc_time.hpp"
#include "server/storage/statement.hpp"

namespace loyalty::server::auth {
namespace {

using storage::Done;
using storage::Statement;
using storage::StorageResult;
using storage::describe_error;

// A tenth of the idle limit, at most a minute: a session may end up to that much early,
// which nobody notices in 30 minutes, and the console's reads cost no write.
std::int64_t touch_interval_s(const SessionLimits& limits) {
  return std::clamp<std::int64_t>(limits.idle_s / 10, 0, 60);
}

StorageResult<Done> run_change(sqlite3* connection, Statement& change, std::string_view what) {
  if (!change.ok()) return StorageResult<Done>::failure(change.error_message());
  if (change.step() != SQLITE_DONE) {
    return StorageResult<Done>::failure(describe_error(connection, what));
  }
  return StorageResult<Done>::success({});
}

}  // namespace

SessionState session_state(const SessionRecord& session, const SessionLimits& limits,
                           std::int64_t now_s) {
  if (session.revoked) return SessionState::revoked;
  if (now_s >= session.expires_at_s) return SessionState::ended;
  if (now_s - session.last_seen_at_s >= limits.idle_s) return SessionState::idle_expired;
  return SessionState::live;
}

StorageResult<NewSession> create_session(sqlite3* connection, std::int64_t staff_id,
                                         const SessionLimits& limits, std::int64_t now_s) {
  NewSession session{random_token(), random_token(), now_s + limits.absolute_s};
  Statement insert(connection,
                   "INSERT INTO sessions (token_hash, staff_id, csrf_token, created_at_utc, "
                   "last_seen_at_utc, expires_at_utc) VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return StorageResult<NewSession>::failure(insert.error_message());
  const std::string now_utc = format_utc_time(now_s);
  insert.bind_text(1, sha256_hex(session.token));
  insert.bind_integer(2, staff_id);
  insert.bind_text(3, session.csrf_token);
  insert.bind_text(4, now_utc);
  insert.bind_text(5, now_utc);
  insert.bind_text(6, format_utc_time(session.expires_at_s));
  if (insert.step() != SQLITE_DONE) {
    return StorageResult<NewSession>::failure(describe_error(connection, "starting a session"));
  }
  return StorageResult<NewSession>::success(std::move(session));
}

StorageResult<std::optional<SessionRecord>> find_session(sqlite3* connection,
                                                         std::string_view token_hash) {
  using Result = StorageResult<std::optional<SessionRecord>>;
  Statement query(connection,
                  "SELECT staff_id, csrf_token, created_at_utc, last_seen_at_utc, expires_at_utc, "
                  "revoked FROM sessions WHERE token_hash = ?");
  if (!query.ok()) return Result::failure(query.error_message());
  query.bind_text(1, token_hash);
  const int code = query.step();
  if (code == SQLITE_DONE) return Result::success(std::nullopt);
  if (code != SQLITE_ROW) return Result::failure(describe_error(connection, "reading a session"));
  SessionRecord session;
  session.token_hash = std::string(token_hash);
  session.staff_id = query.column_integer(0);
  session.csrf_token = query.column_text(1);
  // An unreadable time makes the session count as ended (0), never as live.
  session.created_at_s = parse_utc_time(query.column_text(2)).value_or(0);
  session.last_seen_at_s = parse_utc_time(query.column_text(3)).value_or(0);
  session.expires_at_s = parse_utc_time(query.column_text(4)).value_or(0);
  session.revoked = query.column_integer(5) != 0;
  return Result::success(std::move(session));
}

StorageResult<Done> touch_session(sqlite3* connection, const SessionRecord& session,
                                  const SessionLimits& limits, std::int64_t now_s) {
  if (now_s - session.last_seen_at_s < touch_interval_s(limits) ||
      now_s <= session.last_seen_at_s) {
    return StorageResult<Done>::success({});
  }
  Statement update(connection, "UPDATE sessions SET last_seen_at_utc = ? WHERE token_hash = ?");
  update.bind_text(1, format_utc_time(now_s));
  update.bind_text(2, session.token_hash);
  return run_change(connection, update, "touching a session");
}

StorageResult<Done> revoke_session(sqlite3* connection, std::string_view token_hash) {
  Statement update(connection, "UPDATE sessions SET revoked = 1 WHERE token_hash = ?");
  update.bind_text(1, token_hash);
  return run_change(connection, update, "ending a session");
}

StorageResult<Done> revoke_sessions_of_staff(sqlite3* connection, std::int64_t staff_id) {
  Statement update(connection, "UPDATE sessions SET revoked = 1 WHERE staff_id = ?");
  update.bind_integer(1, staff_id);
  return run_change(connection, update, "ending sessions");
}

StorageResult<Done> delete_ended_sessions(sqlite3* connection, std::int64_t now_s) {
  Statement remove(connection, "DELETE FROM sessions WHERE expires_at_utc <= ?");
  remove.bind_text(1, format_utc_time(now_s));
  return run_change(connection, remove, "removing ended sessions");
}

}  // namespace loyalty::server::auth
