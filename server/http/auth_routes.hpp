// auth_routes.hpp: signing in and out, staff, API keys and the audit log over HTTP, and
// the guard every store route uses.
//
//   POST   /api/v1/auth/sign-in                         {email, password}
//   POST   /api/v1/auth/sign-out
//   GET    /api/v1/auth/me
//   GET    /api/v1/stores/{store_id}/staff               owner
//   POST   /api/v1/stores/{store_id}/staff               owner {email, name, role, password}
//   PATCH  /api/v1/stores/{store_id}/staff/{staff_id}    owner {role}
//   DELETE /api/v1/stores/{store_id}/staff/{staff_id}    owner (removes from this store)
//   GET    /api/v1/stores/{store_id}/api-keys            owner
//   POST   /api/v1/stores/{store_id}/api-keys            owner {name, scopes}
//   DELETE /api/v1/stores/{store_id}/api-keys/{key_id}   owner (revokes)
//   GET    /api/v1/stores/{store_id}/audit-log?after=&limit=   owner
#pragma once
#include <optional>
#include <string_view>

#include "server/auth/authenticator.hpp"
#include "server/auth/principal.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace loyalty::server::storage {
class Database;
}

namespace loyalty::server::http {

void register_auth_routes(httplib::Server& server, storage::Database& database,
                          auth::Authenticator& authenticator);

// The guard of a store route: the principal acting in `store_id` when it allows
// `permission`; otherwise nullopt after answering 401 (not signed in, expired), 403
// (csrf_failed, forbidden: no role in the store, a key of another store, a role or scope
// without the permission) or 503. A store that does not exist is `forbidden` too, so a
// refusal never tells whether a store exists.
std::optional<auth::Principal> authorize(const httplib::Request& request,
                                         httplib::Response& response,
                                         auth::Authenticator& authenticator,
                                         std::string_view store_id, auth::Permission permission,
                                         std::string_view request_id);

void send_auth_failure(httplib::Response& response, const auth::AuthFailure& failure,
                       std::string_view request_id);

}  // namespace loyalty::server::http
