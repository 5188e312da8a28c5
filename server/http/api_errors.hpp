// api_errors.hpp: the API's one error shape, the checks of a request body that answer in
// it, and the routes that answer unknown paths.
//
// Every error the server sends is
//   {"error":{"code":"not_found","message":{"vi":"...","en":"..."},
//             "fields":[{"field":"email","vi":"...","en":"..."}],"request_id":"..."}}
// so that the console shows the staff a Vietnamese message and logs keep an English one,
// whatever part of the server refused the request. `fields` names the inputs at fault
// (empty when none); `request_id` is the client's X-Request-Id or one made up, and is
// also sent back in the X-Request-Id header, so that a report ties to the log.
//
// Status by kind of fault, the same on every route:
//   400 malformed_json      the body is not JSON, or not a JSON object
//   413 payload_too_large   the body is over 64 KiB
//   415 unsupported_media_type  a body that is not Content-Type: application/json
//   422 invalid_fields      a JSON object with unknown fields, wrong types, missing or
//                           out-of-range values; also bad query parameters (limit=abc)
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace loyalty::server::http {

struct FieldError {
  std::string field;        // "email", "scopes[1]", or "" for the body as a whole
  std::string message_vi;
  std::string message_en;
};

// The short form, without fields or request id (kept for the health check and static files).
void send_api_error(httplib::Response& response, int status, std::string_view code,
                    std::string_view message_vi, std::string_view message_en);
void send_api_error(httplib::Response& response, int status, std::string_view code,
                    std::string_view message_vi, std::string_view message_en,
                    const std::vector<FieldError>& fields, std::string_view request_id);

// The request's X-Request-Id when it is 1-64 of [A-Za-z0-9._-], else a new random
// "req_…". A made-up id differs on each call: call it once per request and keep it.
std::string request_id_of(const httplib::Request& request);

constexpr std::size_t json_body_max_bytes = 64 * 1024;

// The body as a JSON object, or nullopt after answering 413, 415, 400 or 422 (see above).
std::optional<nlohmann::json> read_json_object_body(const httplib::Request& request,
                                                    httplib::Response& response,
                                                    std::string_view request_id);

// What a body's fields must be; anything not listed is an unknown field.
enum class FieldType { string, string_array, integer, boolean };
struct FieldSpec {
  std::string_view name;
  FieldType type;
  bool required;
};
// Unknown, missing and mistyped fields, one FieldError each (empty when all is well).
std::vector<FieldError> check_body_fields(const nlohmann::json& body,
                                          std::initializer_list<FieldSpec> specs);
// Answers 422 invalid_fields naming `fields`.
void send_invalid_fields(httplib::Response& response, const std::vector<FieldError>& fields,
                         std::string_view request_id);

// A positive decimal id from a path or query; nullopt for anything else ("7x", "-1", "").
std::optional<std::int64_t> parse_id(std::string_view text);

// The query of a list paged by cursor: `after` (the last id seen, default 0) and `limit`
// (1 to limit_max, default limit_default). Nullopt when either is wrong: the 422 naming it
// (`after_meaning`: what an id of this list is) has been sent.
struct CursorPage {
  std::int64_t after_id = 0;
  std::int64_t limit = 0;
};
std::optional<CursorPage> read_cursor_page(const httplib::Request& request, httplib::Response& response,
                                           std::string_view request_id, std::int64_t limit_default, std::int64_t limit_max,
                                           const FieldError& after_meaning);

// Answers every unknown /api path (any method) with 404 not_found. Register it after the
// API's routes and before the static files, which would otherwise take GET /api/....
void register_api_fallback_routes(httplib::Server& server);

// Gives errors raised without a body (httplib's own 400, 404, 413, ...) and exceptions
// escaping a handler the same JSON shape.
void install_error_handlers(httplib::Server& server);

}  // namespace loyalty::server::http
