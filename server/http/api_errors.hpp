// api_errors.hpp: the API's one error shape, and the routes that answer unknown paths.
//
// Every error the server sends is
//   {"error":{"code":"not_found","message":{"vi":"...","en":"..."}}}
// so that the console shows the staff a Vietnamese message and logs keep an English one,
// whatever part of the server refused the request.
#pragma once
#include <string_view>

namespace httplib {
class Server;
struct Response;
}  // namespace httplib

namespace loyalty::server::http {

void send_api_error(httplib::Response& response, int status, std::string_view code,
                    std::string_view message_vi, std::string_view message_en);

// Answers every unknown /api path (any method) with 404 not_found. Register it after the
// API's routes and before the static files, which would otherwise take GET /api/....
void register_api_fallback_routes(httplib::Server& server);

// Gives errors raised without a body (httplib's own 400, 404, 413, ...) and exceptions
// escaping a handler the same JSON shape.
void install_error_handlers(httplib::Server& server);

}  // namespace loyalty::server::http
