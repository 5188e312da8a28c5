// routes.hpp: every route of the server, in the order httplib must try them.
#pragma once
#include <chrono>
#include <filesystem>

namespace httplib {
class Server;
}

namespace loyalty::server::storage {
class Database;
}

namespace loyalty::server::http {

struct RouteContext {
  storage::Database& database;
  std::filesystem::path web_root;
  std::chrono::steady_clock::time_point started_at;
};

// Also installs the error shape and the request log.
void register_routes(httplib::Server& server, const RouteContext& context);

}  // namespace loyalty::server::http
