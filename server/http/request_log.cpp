#include "server/http/request_log.hpp"

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "server/http/api_metrics.hpp"

namespace loyalty::server::http {
namespace {

using Clock = std::chrono::steady_clock;

// httplib handles a request from routing to logging on one thread, so the start time can
// live in a thread-local instead of a map keyed by request. Reset after each line so a
// request refused before routing (malformed) is not timed from an older request's start.
thread_local Clock::time_point request_started_at{};

// Paths come from the network: control characters would let a client forge log lines.
std::string printable(const std::string& text, std::size_t limit_bytes) {
  std::string shown = text.substr(0, limit_bytes);
  for (char& letter : shown) {
    if (static_cast<unsigned char>(letter) < 0x20 || letter == 0x7f) letter = '?';
  }
  if (text.size() > limit_bytes) shown += "...";
  return shown;
}

}  // namespace

void install_request_log(httplib::Server& server, ApiMetrics& metrics) {
  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    request_started_at = Clock::now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_logger([&metrics](const httplib::Request& request, const httplib::Response& response) {
    char duration_text[32] = "-";
    if (request_started_at != Clock::time_point{}) {
      const double duration_ms =
          std::chrono::duration<double, std::milli>(Clock::now() - request_started_at).count();
      metrics.observe_request(request.method, request.path, response.status, duration_ms / 1000.0);
      std::snprintf(duration_text, sizeof duration_text, "%.1fms", duration_ms);
      request_started_at = Clock::time_point{};
    }
    // One formatted write per line, so lines from concurrent requests do not interleave.
    std::fprintf(stderr, "%s %s %d %s\n", printable(request.method, 16).c_str(),
                 printable(request.path, 512).c_str(), response.status, duration_text);
  });
}

}  // namespace loyalty::server::http
