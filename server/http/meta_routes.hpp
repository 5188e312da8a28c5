// meta_routes.hpp: what describes and measures the API: GET /api/v1/openapi.json (the
// OpenAPI 3.1 document, server/openapi.json, built into the program) and GET /metrics.
#pragma once
#include <string_view>

namespace httplib {
class Server;
}
namespace loyalty::server::hosting {
class StoreRegistry;
}

namespace loyalty::server::http {

class ApiMetrics;

std::string_view openapi_document();
void register_meta_routes(httplib::Server& server, const hosting::StoreRegistry& stores, const ApiMetrics& metrics);

}  // namespace loyalty::server::http
