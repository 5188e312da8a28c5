#include "server/http/api_errors.hpp"

#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>
#include <random>
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
    {401, "unauthenticated", "Bạn chưa đăng nhập.", "You are not signed in."},
    {403, "forbidden", "Không được phép truy cập.", "Access is not allowed."},
    {404, "not_found", "Không tìm thấy.", "Not found."},
    {405, "method_not_allowed", "Phương thức không được hỗ trợ.", "Method not allowed."},
    {413, "payload_too_large", "Dữ liệu gửi lên quá lớn.", "The request body is too large."},
    {414, "uri_too_long", "Địa chỉ quá dài.", "The URI is too long."},
    {415, "unsupported_media_type", "Dữ liệu phải là JSON (Content-Type: application/json).",
     "The body must be JSON (Content-Type: application/json)."},
    {416, "range_not_satisfiable", "Khoảng dữ liệu không hợp lệ.",
     "The requested range is not satisfiable."},
    {422, "invalid_fields", "Dữ liệu không hợp lệ.", "Some fields are not valid."},
    {429, "too_many_requests", "Quá nhiều yêu cầu, vui lòng thử lại sau.",
     "Too many requests; try again later."},
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

void send_api_error(httplib::Response& response, int status, std::string_view code,
                    std::string_view message_vi, std::string_view message_en,
                    const std::vector<FieldError>& fields, std::string_view request_id) {
  nlohmann::json field_list = nlohmann::json::array();
  for (const FieldError& field : fields) {
    field_list.push_back({{"field", field.field}, {"vi", field.message_vi}, {"en", field.message_en}});
  }
  const nlohmann::json body = {{"error",
                                {{"code", code},
                                 {"message", {{"vi", message_vi}, {"en", message_en}}},
                                 {"fields", std::move(field_list)},
                                 {"request_id", request_id}}}};
  response.status = status;
  response.set_header("X-Request-Id", std::string(request_id));
  // Replace, not throw: a field name copied from the request may hold invalid UTF-8.
  response.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                       "application/json; charset=utf-8");
}

std::string request_id_of(const httplib::Request& request) {
  const std::string given = request.get_header_value("X-Request-Id");
  const bool usable = !given.empty() && given.size() <= 64 &&
                      std::all_of(given.begin(), given.end(), [](char letter) {
                        return (letter >= 'a' && letter <= 'z') || (letter >= 'A' && letter <= 'Z') ||
                               (letter >= '0' && letter <= '9') || letter == '.' || letter == '_' ||
                               letter == '-';
                      });
  if (usable) return given;
  // Not a secret, only unlikely to repeat: a per-thread generator is enough.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  char text[sizeof "req_0123456789abcdef"];
  std::snprintf(text, sizeof text, "req_%016llx", static_cast<unsigned long long>(generator()));
  return text;
}

namespace {

bool is_json_content_type(const std::string& content_type) {
  std::string media_type = content_type.substr(0, content_type.find(';'));
  while (!media_type.empty() && media_type.back() == ' ') media_type.pop_back();
  std::transform(media_type.begin(), media_type.end(), media_type.begin(),
                 [](unsigned char letter) { return static_cast<char>(std::tolower(letter)); });
  return media_type == "application/json";
}

const char* type_name_en(FieldType type) {
  switch (type) {
    case FieldType::string: return "a string";
    case FieldType::string_array: return "an array of strings";
    case FieldType::integer: return "a whole number";
    case FieldType::boolean: return "true or false";
  }
  return "a value";
}

const char* type_name_vi(FieldType type) {
  switch (type) {
    case FieldType::string: return "một chuỗi";
    case FieldType::string_array: return "một mảng chuỗi";
    case FieldType::integer: return "một số nguyên";
    case FieldType::boolean: return "true hoặc false";
  }
  return "một giá trị";
}

bool has_type(const nlohmann::json& value, FieldType type) {
  switch (type) {
    case FieldType::string: return value.is_string();
    case FieldType::integer: return value.is_number_integer();
    case FieldType::boolean: return value.is_boolean();
    case FieldType::string_array:
      return value.is_array() && std::all_of(value.begin(), value.end(),
                                             [](const nlohmann::json& item) { return item.is_string(); });
  }
  return false;
}

}  // namespace

std::optional<nlohmann::json> read_json_object_body(const httplib::Request& request,
                                                    httplib::Response& response,
                                                    std::string_view request_id) {
  if (request.body.size() > json_body_max_bytes) {
    send_api_error(response, 413, "payload_too_large", "Dữ liệu gửi lên quá lớn (tối đa 64 KiB).",
                   "The request body is too large (at most 64 KiB).", {}, request_id);
    return std::nullopt;
  }
  if (!is_json_content_type(request.get_header_value("Content-Type"))) {
    send_api_error(response, 415, "unsupported_media_type",
                   "Dữ liệu phải là JSON (Content-Type: application/json).",
                   "The body must be JSON (Content-Type: application/json).", {}, request_id);
    return std::nullopt;
  }
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    send_api_error(response, 400, "malformed_json", "Dữ liệu không phải một đối tượng JSON hợp lệ.",
                   "The body is not a valid JSON object.", {}, request_id);
    return std::nullopt;
  }
  return body;
}

std::vector<FieldError> check_body_fields(const nlohmann::json& body,
                                          std::initializer_list<FieldSpec> specs) {
  std::vector<FieldError> errors;
  for (const auto& item : body.items()) {
    const std::string name = item.key();   // not a structured binding: clang 14 cannot capture one
    const bool known = std::any_of(specs.begin(), specs.end(),
                                   [&](const FieldSpec& spec) { return spec.name == name; });
    if (!known) errors.push_back({name, "Trường không được hỗ trợ.", "Unknown field."});
  }
  for (const FieldSpec& spec : specs) {
    const std::string name(spec.name);
    auto found = body.find(name);
    if (found == body.end()) {
      if (spec.required) errors.push_back({name, "Thiếu trường bắt buộc.", "This field is required."});
    } else if (!has_type(*found, spec.type)) {
      errors.push_back({name, std::string("Phải là ") + type_name_vi(spec.type) + ".",
                        std::string("Must be ") + type_name_en(spec.type) + "."});
    }
  }
  return errors;
}

void send_invalid_fields(httplib::Response& response, const std::vector<FieldError>& fields,
                         std::string_view request_id) {
  send_api_error(response, 422, "invalid_fields", "Dữ liệu không hợp lệ.",
                 "Some fields are not valid.", fields, request_id);
}

void register_api_fallback_routes(httplib::Server& server) {
  const std::string any_api_path = "/api(/.*)?";
  const auto not_found = [](const httplib::Request& request, httplib::Response& response) {
    send_api_error(response, 404, "not_found", "Không có API này.",
                   "There is no API at this path.", {}, request_id_of(request));
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
                       error.message_en, {}, request_id_of(request));
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
    send_api_error(response, 500, error.code, error.message_vi, error.message_en, {},
                   request_id_of(request));
  });
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

std::optional<CursorPage> read_cursor_page(const httplib::Request& request, httplib::Response& response,
                                           std::string_view request_id, std::int64_t limit_default, std::int64_t limit_max,
                                           const FieldError& after_meaning) {
  std::vector<FieldError> fields;
  CursorPage page{0, limit_default};
  if (request.has_param("after")) {
    if (auto parsed = parse_id(request.get_param_value("after"))) {
      page.after_id = *parsed;
    } else {
      fields.push_back(after_meaning);
    }
  }
  if (request.has_param("limit")) {
    auto parsed = parse_id(request.get_param_value("limit"));
    if (!parsed || *parsed < 1 || *parsed > limit_max) {
      fields.push_back({"limit", "Phải là số nguyên từ 1 đến " + std::to_string(limit_max) + ".",
                        "Must be a whole number from 1 to " + std::to_string(limit_max) + "."});
    } else {
      page.limit = *parsed;
    }
  }
  if (!fields.empty()) {
    send_invalid_fields(response, fields, request_id);
    return std::nullopt;
  }
  return page;
}

}  // namespace loyalty::server::http
