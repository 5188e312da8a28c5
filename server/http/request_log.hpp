// request_log.hpp: one line per request on stderr: "GET /api/health 200 0.3ms".
//
// Uses httplib's pre-routing handler to note the start time; a later pre-routing need
// (authentication, say) must be added inside install_request_log's handler, not beside it.
#pragma once

namespace httplib {
class Server;
}

namespace loyalty::server::http {

class ApiMetrics;
// Also counts each request, by route and status, with its latency, in `metrics`.
void install_request_log(httplib::Server& server, ApiMetrics& metrics);

}  // namespace loyalty::server::http
