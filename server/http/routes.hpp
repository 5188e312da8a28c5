// routes.hpp: every route of the server, in the order httplib must try them.
#pragma once
#include <cstdint>
#include <functional>
#include <chrono>
#include <filesystem>

namespace httplib {
class Server;
}

namespace loyalty::server::storage {
class Database;
}
namespace loyalty::server::hosting {
class StoreRegistry;
}
namespace loyalty::server::auth {
class Authenticator;
}

namespace loyalty::server::http {

struct RouteContext {
  storage::Database& database;
  std::filesystem::path web_root;
  std::chrono::steady_clock::time_point started_at;
  hosting::StoreRegistry& stores;
  auth::Authenticator& authenticator;
  std::function<std::int64_t()> now_utc;     // the server's clock, seconds since the epoch (UTC)
  bool demo_store_enabled = false;           // started with --demo-store: GET /api/v1/auth/demo answers it
};

// Also installs the error shape and the request log.
void register_routes(httplib::Server& server, const RouteContext& context);

}  // namespace loyalty::server::http
