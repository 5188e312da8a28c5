#include "server/http/api_errors.hpp"

#include <httplib.h>

#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>

namespace loyalty::server::http {
namespace {

struct StatusError {
  int status;
  std::string_view code;
  std::string_view message_vi;
  std::string_view message_en;
};

constexpr StatusError status_errors[] = {
    {400, "bad_request", "Yêu cầu không hợp lệ.", "The request is malformed."},
    {403, "forbidden", "Không được phép truy cập.", "Access is not allowed."},
    {404, "not_found", "Không tìm thấy.", "Not found."},
    {405, "method_not_allowed", "Phương thức không được hỗ trợ.", "Method not allowed."},
    {413, "payload_too_large", "Dữ liệu gửi lên quá lớn.", "The request body is too large."},
    {414, "uri_too_long", "Địa chỉ quá dài.", "The URI is too long."},
    {416, "range_not_satisfiable", "Khoảng dữ liệu không hợp lệ.",
     "The requested range is not satisfiable."},
    {500, "internal_error", "Lỗi máy chủ.", "Internal server error."},
    {503, "unavailable", "Dịch vụ tạm thời không khả dụng.", "Service temporarily unavailable."},
};

const StatusError& error_for_status(int status) {
  for (const StatusError& error : status_errors) {
    if (error.status == status) return error;
  }
  // Anything unlisted is reported as the server's fault rather than guessed at.
  return status_errors[std::size(status_errors) - 2];
}

}  // namespace

void send_api_error(httplib::Response& response, int status, std::string_view code,
                    std::string_view message_vi, std::string_view message_en) {
  const nlohmann::json body = {
      {"error", {{"code", code}, {"message", {{"vi", message_vi}, {"en", message_en}}}}}};
  response.status = status;
  response.set_content(body.dump(), "application/json; charset=utf-8");
}

void register_api_fallback_routes(httplib::Server& server) {
  const std::string any_api_path = "/api(/.*)?";
  const auto not_found = [](const httplib::Request& request, httplib::Response& response) {
    send_api_error(response, 404, "not_found", "Không có API này.",
                   "There is no API at this path.");
  };
  server.Get(any_api_path, not_found);
  server.Post(any_api_path, not_found);
  server.Put(any_api_path, not_found);
  server.Patch(any_api_path, not_found);
  server.Delete(any_api_path, not_found);
  server.Options(any_api_path, not_found);
}

void install_error_handlers(httplib::Server& server) {
  using HandlerResponse = httplib::Server::HandlerResponse;
  // Wrapped explicitly: a lambda converts to both of httplib's handler types.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& request, httplib::Response& response) -> HandlerResponse {
        // httplib calls this for every status >= 400; keep a body a handler already wrote.
        if (!response.body.empty()) return HandlerResponse::Unhandled;
        const StatusError& error = error_for_status(response.status);
        send_api_error(response, response.status, error.code, error.message_vi,
                       error.message_en);
        return HandlerResponse::Handled;
      }));
  server.set_exception_handler([](const httplib::Request& request, httplib::Response& response,
                                  std::exception_ptr exception) {
    // A handler threw: a bug, not an expected failure. Log it and answer 500 in our shape.
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(exception);
    } catch (const std::exception& caught) {
      what = caught.what();
    } catch (...) {
    }
    std::fprintf(stderr, "error: %s %s threw: %s\n", request.method.c_str(),
                 request.path.c_str(), what.c_str());
    const StatusError& error = error_for_status(500);
    send_api_error(response, 500, error.code, error.message_vi, error.message_en);
  });
}

}  // namespace loyalty::server::http
