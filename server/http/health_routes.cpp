#include "server/http/health_routes.hpp"

#include <httplib.h>

#include <ctime>
#include <nlohmann/json.hpp>
#include <string>

#include "server/storage/database.hpp"
#include "server/version.hpp"

namespace loyalty::server::http {
namespace {

// "2026-11-24T10:00:00Z", the same text as core's format_utc_time; written here so the
// server does not link the core for one clock read.
std::string current_utc_time_text() {
  const std::time_t now_s = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now_s, &utc);
  char text[sizeof "2026-11-24T10:00:00Z"];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

void register_health_routes(httplib::Server& server, storage::Database& database,
                            std::chrono::steady_clock::time_point started_at) {
  server.Get("/api/health", [&database, started_at](const httplib::Request& request,
                                                     httplib::Response& response) {
    const auto uptime_s = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::steady_clock::now() - started_at)
                              .count();
    nlohmann::json body = {
        {"status", "ok"},
        {"database", "ok"},
        {"version", project_version()},
        {"time_utc", current_utc_time_text()},
        {"uptime_s", uptime_s},
    };
    // Reads the file (not just "SELECT 1"), so a deleted, locked or corrupt database shows.
    auto schema_version = database.schema_version();
    if (schema_version.ok()) {
      body["schema_version"] = schema_version.value();
      response.status = 200;
    } else {
      body["status"] = "error";
      body["database"] = "error";
      body["message"] = schema_version.error_message();
      // Also the API's error shape, so the console's one error reader understands it.
      body["error"] = {{"code", "database_unavailable"},
                       {"message",
                        {{"vi", "Cơ sở dữ liệu không khả dụng."},
                         {"en", "The database is unavailable: " + schema_version.error_message()}}}};
      response.status = 503;
    }
    // A health answer is true only now: caches must not keep it.
    response.set_header("Cache-Control", "no-store");
    response.set_content(body.dump(), "application/json; charset=utf-8");
  });
}

}  // namespace loyalty::server::http
