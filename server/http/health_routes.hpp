// health_routes.hpp: GET /api/health, for load balancers, `make run` checks and tests.
#pragma once
#include <chrono>

namespace httplib {
class Server;
}

namespace loyalty::server::storage {
class Database;
}

namespace loyalty::server::http {

void register_health_routes(httplib::Server& server, storage::Database& database,
                            std::chrono::steady_clock::time_point started_at);

}  // namespace loyalty::server::http
