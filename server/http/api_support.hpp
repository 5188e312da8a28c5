// api_support.hpp: how the store routes speak for the core: the HTTP status of each core
// result code, and a core refusal in the API's error shape (api_errors.hpp).
#pragma once
#include <string_view>

#include "core/basics/json_fields.hpp"

namespace httplib {
struct Response;
}

namespace loyalty::server::http {

// "ok" and "already_applied" 200; "member_not_found" 404; conflicts with what the store
// holds 409; other refusals of a well-formed request 422.
int status_for_result(std::string_view result_code);
// {"error": {"code": <result code>, "message", "fields", "request_id"}} from a core result.
loyalty::Json error_body_for_result(const loyalty::Json& result, std::string_view request_id);
// What a client sees of a core result: everything but the input line number.
loyalty::Json public_result(loyalty::Json result);
void send_json(httplib::Response& response, int status, const loyalty::Json& body, std::string_view request_id);

}  // namespace loyalty::server::http
