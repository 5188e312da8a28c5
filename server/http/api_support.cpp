#include "server/http/api_support.hpp"

#include <httplib.h>

#include <string>

namespace loyalty::server::http {

void send_json(httplib::Response& response, int status, const loyalty::Json& body, std::string_view request_id) {
  response.status = status;
  response.set_header("X-Request-Id", std::string(request_id));
  response.set_content(body.dump(-1, ' ', false, loyalty::Json::error_handler_t::replace), "application/json; charset=utf-8");
}

int status_for_result(std::string_view code) {
  if (code == "ok" || code == "already_applied") return 200;
  if (code == "malformed_json") return 400;
  if (code == "member_not_found" || code == "order_not_found" || code == "hold_not_found" || code == "referrer_not_found" ||
      code == "campaign_not_found" || code == "voucher_claim_not_found") {
    return 404;
  }
  if (code == "member_exists" || code == "phone_taken" || code == "idempotency_key_conflict" || code == "refund_conflict" ||
      code == "order_member_mismatch" || code == "order_amount_mismatch" || code == "referrer_already_set" ||
      code == "hold_member_mismatch" || code == "program_time_before_latest") {
    return 409;
  }
  // Everything else is a well-formed request the rules refuse: a field, a balance, a state.
  return 422;
}

loyalty::Json error_body_for_result(const loyalty::Json& result, std::string_view request_id) {
  loyalty::Json error{{"code", result.value("result", "")},
                       {"message", result.value("message", loyalty::Json::object())},
                       {"fields", result.value("errors", loyalty::Json::array())},
                       {"request_id", request_id}};
  return loyalty::Json{{"error", error}};
}

loyalty::Json public_result(loyalty::Json result) {
  result.erase("line");
  return result;
}

}  // namespace loyalty::server::http
