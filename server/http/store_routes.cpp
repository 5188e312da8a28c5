#include "server/http/store_routes.hpp"

#include <httplib.h>

#include <cstdlib>
#include <optional>
#include <regex>
#include <string>

#include "core/commands/campaign_commands.hpp"
#include "core/commands/command_runner.hpp"
#include "core/groups/group_csv.hpp"
#include "core/program/program_config.hpp"
#include "server/auth/authenticator.hpp"
#include "server/auth/secrets.hpp"
#include "server/http/api_errors.hpp"
#include "server/http/api_support.hpp"
#include "server/http/auth_routes.hpp"
#include "server/hosting/store_registry.hpp"

namespace loyalty::server::http {

namespace {

using auth::Permission;
using json = loyalty::Json;

// Store ids are what create-store accepts; a path id is printable ASCII without '/'.
const std::string store_prefix = R"(/api/v1/stores/([a-z0-9][a-z0-9_-]{0,63}))";
const std::string id_segment = R"(([!-.0-~]{1,128}))";
// A business time may run ahead of the server's clock by this much (clocks of tills drift).
constexpr UtcSeconds business_time_ahead_max_s = 300;

struct Call {
  const httplib::Request& request;
  httplib::Response& response;
  std::string request_id;
  auth::Principal principal;
  hosting::StoreHost* host = nullptr;
  json body = json::object();
  UtcSeconds now = 0;
  // The core's name of a refused field -> the route's (a body that is one field of the
  // command, rows of a CSV); null: as the core names it.
  std::function<std::string(const std::string&)> rename_field;
  std::string path_param(std::size_t index) const { return request.matches[static_cast<int>(index)].str(); }
};

void send_fields(Call& call, int status, std::string_view code, std::string_view vi, std::string_view en,
                 const std::vector<FieldError>& fields) {
  send_api_error(call.response, status, code, vi, en, fields, call.request_id);
}

// Authenticates the caller for the store in the path and checks the permission; finds the
// store's host. False when an answer was already sent.
bool admit(StoreApiContext& context, Call& call, Permission permission) {
  const std::string store_id = call.path_param(1);
  std::optional<auth::Principal> principal =
      authorize(call.request, call.response, context.authenticator, store_id, permission, call.request_id);
  if (!principal) return false;
  call.principal = std::move(*principal);
  call.host = context.stores.find_or_start(store_id);
  if (call.host == nullptr) {
    send_fields(call, 503, "store_unavailable", "Cửa hàng tạm thời không phục vụ được.", "The store is temporarily unavailable.", {});
    return false;
  }
  call.now = context.now_utc();
  return true;
}

// Answers with what the core said: the result (200, or `created_status` for a new resource)
// or its refusal in the API's error shape.
hosting::HttpAnswer answer_for(const json& result, std::string_view request_id, int created_status,
                               const std::function<std::string(const std::string&)>& rename_field = nullptr) {
  const std::string code = result.value("result", "");
  const int status = status_for_result(code);
  if (status != 200) {
    json body = error_body_for_result(result, request_id);
    if (rename_field) {
      for (json& field : body["error"]["fields"]) field["field"] = rename_field(field.value("field", ""));
    }
    return {status, body.dump(-1, ' ', false, json::error_handler_t::replace)};
  }
  return {code == "ok" ? created_status : 200, public_result(result).dump(-1, ' ', false, json::error_handler_t::replace)};
}

struct WriteRoute {
  const char* command;
  Permission permission;
  int created_status = 200;
  bool business_time = false;   // the body may carry `time`: when the order or refund happened
  bool actor = false;           // the command records who made it
  bool allow_empty_body = false;
  const char* audit_action = nullptr;   // a manual operation: recorded in the audit log
  // Puts path parameters into the command; false when an answer was sent.
  std::function<bool(Call&, json&)> fill;
};

// What a campaign's audit entry shows before: the campaign as it stood; for a cancelled
// claim also its code and the member's balances. Empty when there is nothing yet.
std::string campaign_audit_before(const CommandRunner& runner, const std::string& campaign_id, const std::string& claim_id) {
  const Store& store = runner.store();
  const Campaigns& campaigns = store.campaigns();
  json before = json::object();
  if (!claim_id.empty()) {
    const std::uint32_t claim = campaigns.find_claim(claim_id);
    if (claim == UINT32_MAX) return {};
    const VoucherClaim& record = campaigns.claims()[claim];
    before["campaign"] = campaign_to_json(store, record.campaign);
    before["voucher"] = voucher_code_to_json(store, record.code);
    const json member = runner.run_read(json{{"command", "get_member"}, {"member_id", store.members()[record.member].member_id}}, 1).result;
    if (member.value("result", "") == "ok") before["balances"] = member["data"]["balances"];
  } else {
    const std::uint32_t campaign = campaigns.find_campaign(campaign_id);
    if (campaign == UINT32_MAX) return {};
    before["campaign"] = campaign_to_json(store, campaign);
  }
  return before.dump(-1, ' ', false, json::error_handler_t::replace);
}

void handle_write(StoreApiContext& context, const WriteRoute& route, const httplib::Request& request, httplib::Response& response) {
  Call call{request, response, request_id_of(request), {}, nullptr};
  if (!admit(context, call, route.permission)) return;
  if (!(request.body.empty() && route.allow_empty_body)) {
    std::optional<json> body = read_json_object_body(request, response, call.request_id);
    if (!body) return;
    call.body = std::move(*body);
  }
  std::vector<FieldError> fields;
  for (const char* owned : {"command", "actor"}) {
    if (call.body.contains(owned)) fields.push_back({owned, "do máy chủ đặt", "is set by the server"});
  }
  if (!route.business_time && call.body.contains("time")) fields.push_back({"time", "do máy chủ đặt", "is set by the server"});
  json command = call.body;
  command["command"] = route.command;
  UtcSeconds time = call.now;
  if (route.business_time && call.body.contains("time")) {
    const json& given = call.body["time"];
    const std::optional<UtcSeconds> parsed = given.is_string() && given.get<std::string>().size() > 10
                                                 ? parse_utc_time(given.get<std::string>())
                                                 : std::nullopt;
    if (!parsed) {
      fields.push_back({"time", "phải là thời điểm ISO 8601 có múi giờ", "must be an ISO 8601 time with a zone"});
    } else if (*parsed > call.now + business_time_ahead_max_s) {
      fields.push_back({"time", "ở tương lai so với đồng hồ máy chủ", "is in the future by the server's clock"});
    } else {
      time = *parsed;
    }
  }
  if (!fields.empty()) return send_invalid_fields(response, fields, call.request_id);
  command["time"] = format_utc_time(time);
  if (route.actor) command["actor"] = call.principal.actor();
  if (route.fill && !route.fill(call, command)) return;

  // Idempotency (the IETF draft's and Stripe's contract), scoped to the store and the caller.
  const std::string idempotency_key = request.get_header_value("Idempotency-Key");
  std::optional<storage::IdempotencyRecord> idempotency;
  std::string in_flight_key;
  if (!idempotency_key.empty()) {
    const bool usable = idempotency_key.size() <= 255 &&
                        idempotency_key.find_first_not_of("!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
                                                          "abcdefghijklmnopqrstuvwxyz{|}~") == std::string::npos;
    if (!usable) {
      return send_fields(call, 400, "invalid_idempotency_key", "Idempotency-Key phải là 1-255 ký tự ASCII in được.",
                         "Idempotency-Key must be 1 to 255 printable ASCII characters.", {{"Idempotency-Key", "", ""}});
    }
    const std::string principal = call.principal.actor();
    const std::string request_hash = auth::sha256_hex(request.method + " " + request.path + "\n" + call.body.dump());
    in_flight_key = call.path_param(1) + '\x1f' + principal + '\x1f' + idempotency_key;
    if (!context.in_flight.begin(in_flight_key)) {
      return send_fields(call, 409, "idempotency_in_flight", "Yêu cầu với khóa này đang được xử lý; hãy thử lại sau.",
                         "A request with this key is still being processed; retry later.", {});
    }
    auto known = context.stores.storage().find_idempotency_record(call.path_param(1), principal, idempotency_key);
    if (!known.ok()) {
      context.in_flight.end(in_flight_key);
      return send_fields(call, 503, "storage_unavailable", "Không đọc được dữ liệu; hãy thử lại.", "Storage is unavailable; retry.", {});
    }
    if (known.value()) {
      context.in_flight.end(in_flight_key);
      if (known.value()->request_hash != request_hash) {
        return send_fields(call, 422, "idempotency_key_reused", "Khóa Idempotency-Key đã được dùng cho một yêu cầu khác.",
                           "This Idempotency-Key was used for a different request.", {{"Idempotency-Key", "", ""}});
      }
      response.set_header("Idempotent-Replayed", "true");
      response.status = known.value()->status;
      response.set_header("X-Request-Id", call.request_id);
      response.set_content(known.value()->response_json, "application/json; charset=utf-8");
      return;
    }
    idempotency = storage::IdempotencyRecord{principal, idempotency_key, request_hash, 0, {}};
    // A points adjustment is idempotent in the core by its key: the header gives it one.
    if (std::string_view(route.command) == "adjust_points" && !command.contains("idempotency_key")) {
      command["idempotency_key"] = idempotency_key;
    }
  }

  hosting::WriteRequest write;
  write.command = command;
  const std::string request_id = call.request_id;
  const int created_status = route.created_status;
  write.answer = [request_id, created_status, rename_field = call.rename_field](const CommandOutput& output) {
    return answer_for(output.result, request_id, created_status, rename_field);
  };
  write.idempotency = idempotency;
  if (route.audit_action != nullptr) {
    // Who, what, on what, before and after: the program in force or the member's balances
    // and status before; the request and what it left after.
    const std::string actor = call.principal.actor();
    const std::string action = route.audit_action;
    const json request_body = call.body;
    const std::string member_id = command.value("member_id", std::string());
    const std::string order_id = command.value("order_id", std::string());
    const bool program = action == "program.saved";
    // A group's change: its document before (a CSV import's rows are in the request after).
    const std::string group_id = action.rfind("group.", 0) == 0 ? command.value("group_id", std::string()) : std::string();
    // A campaign's change: the campaign before; a claim's cancel: its campaign, its code and
    // the member's balances before.
    const std::string campaign_id = action.rfind("campaign.", 0) == 0 ? command.value("campaign_id", std::string()) : std::string();
    const std::string claim_id = action == "voucher_claim.cancelled" ? command.value("claim_id", std::string()) : std::string();
    // A notification's or a scenario's change: its document before too, as "notification:<id>".
    json document_read;
    std::string document_target;
    for (const std::string kind : {"notification", "scenario"}) {
      if (action.rfind(kind + ".", 0) != 0) continue;
      const json& holder = command.contains(kind) ? command[kind] : command;
      const std::string id = holder.value(kind + "_id", std::string());
      document_read = json{{"command", "get_" + kind}, {kind + "_id", id}};
      document_target = kind + ":" + id;
    }
    write.audit_before = [program, member_id, group_id, campaign_id, claim_id, document_read](const CommandRunner& runner) -> std::string {
      if (!campaign_id.empty() || !claim_id.empty()) return campaign_audit_before(runner, campaign_id, claim_id);
      json read = program ? json{{"command", "get_program"}}
                  : !document_read.is_null() ? document_read
                  : !group_id.empty() ? json{{"command", "get_group"}, {"group_id", group_id}}
                                      : json{{"command", "get_member"}, {"member_id", member_id}};
      if (!program && group_id.empty() && member_id.empty() && document_read.is_null()) return {};
      const json result = runner.run_read(read, 1).result;
      if (result.value("result", "") != "ok") return {};
      const json& data = result["data"];
      json before = program || !group_id.empty() || !document_read.is_null() ? data : json{{"balances", data["balances"]}, {"status", data["member"]["status"]}};
      return before.dump(-1, ' ', false, json::error_handler_t::replace);
    };
    write.audit = [actor, action, request_body, member_id, order_id, program, group_id, campaign_id, claim_id, document_target](
                      const CommandOutput& output, const std::string& before) -> std::optional<storage::AuditRow> {
      if (output.result.value("result", "") != "ok") return std::nullopt;
      std::string target = !member_id.empty() ? "member:" + member_id : "order:" + order_id;
      json after{{"request", request_body}};
      if (program) {
        target = "program:" + std::to_string(output.result.value("version", 0));
      } else if (!document_target.empty()) {
        target = document_target;
      } else if (!group_id.empty()) {
        target = "group:" + group_id;
      } else if (!campaign_id.empty()) {
        target = "campaign:" + campaign_id;
        if (output.result.contains("campaign")) after["campaign"] = output.result["campaign"];
        if (output.result.contains("codes")) after["codes_issued"] = output.result["codes"].size();
      } else if (!claim_id.empty()) {
        target = "claim:" + claim_id;
        after["voucher"] = output.result.value("voucher", json(nullptr));
        after["balances"] = output.result.value("balances", json::object());
      } else if (output.result.contains("balances")) {
        after["balances"] = output.result["balances"];
      }
      return storage::AuditRow{actor, action, target, before, after.dump(-1, ' ', false, json::error_handler_t::replace)};
    };
  }
  const hosting::WriteOutcome outcome = call.host->write(std::move(write));
  if (!in_flight_key.empty()) context.in_flight.end(in_flight_key);
  if (!outcome.durable) {
    return send_fields(call, 503, "storage_unavailable", "Chưa ghi được; không có gì thay đổi. Hãy thử lại.",
                       "Could not be saved; nothing changed. Retry.", {});
  }
  response.status = outcome.answer.status;
  response.set_header("X-Request-Id", call.request_id);
  response.set_content(outcome.answer.body, "application/json; charset=utf-8");
}

// Query parameters are text; the core's fields are typed. Integers are converted here.
bool query_integer(Call& call, const char* name, json& command, const char* field) {
  if (!call.request.has_param(name)) return true;
  const std::string text = call.request.get_param_value(name);
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || end == nullptr || *end != '\0' || text.size() > 18) {
    send_invalid_fields(call.response, {{name, "phải là số nguyên", "must be an integer"}}, call.request_id);
    return false;
  }
  command[field] = value;
  return true;
}
bool query_text(Call& call, const char* name, json& command, const char* field) {
  if (call.request.has_param(name)) command[field] = call.request.get_param_value(name);
  return true;
}

struct ReadRoute {
  const char* command;
  Permission permission;
  std::function<bool(Call&, json&)> fill;
  // Reshapes the core's result for the API (e.g. cursor paging); null: as it is.
  std::function<json(const Call&, json)> shape;
  // Fields the core names otherwise than the route's parameters: {core's name, the route's}.
  std::vector<std::pair<std::string, std::string>> renamed_fields = {};
};

// Runs a read command on the store and answers with its result (reshaped by `shape`) or
// its refusal, whose field names are given as the route names them (`renamed_fields`).
void answer_read(Call& call, const json& command, const std::function<json(const Call&, json)>& shape = nullptr,
                 const std::vector<std::pair<std::string, std::string>>& renamed_fields = {}) {
  json result = call.host->run_read(command);
  const int status = status_for_result(result.value("result", ""));
  if (status != 200) {
    json body = error_body_for_result(result, call.request_id);
    for (json& field : body["error"]["fields"]) {
      for (const auto& [core_name, route_name] : renamed_fields) {
        if (field.value("field", "") == core_name) field["field"] = route_name;
      }
    }
    return send_json(call.response, status, body, call.request_id);
  }
  result = public_result(std::move(result));
  if (shape) result = shape(call, std::move(result));
  send_json(call.response, 200, result, call.request_id);
}

void handle_read(StoreApiContext& context, const ReadRoute& route, const httplib::Request& request, httplib::Response& response) {
  Call call{request, response, request_id_of(request), {}, nullptr};
  if (!admit(context, call, route.permission)) return;
  json command{{"command", route.command}};
  if (request.has_param("time") && !query_text(call, "time", command, "time")) return;
  if (route.fill && !route.fill(call, command)) return;
  answer_read(call, command, route.shape, route.renamed_fields);
}

bool path_member(Call& call, json& command) {
  command["member_id"] = call.path_param(2);
  return true;
}
bool path_order(Call& call, json& command) {
  command["order_id"] = call.path_param(2);
  return true;
}

// PUT /campaigns/{campaign_id}: the body is the campaign document; the path names it. The
// core's paths ("campaign.reward.amount_vnd") are given as the body's ("reward.amount_vnd").
bool campaign_document_from_body(Call& call, json& command) {
  json document = json::object();
  for (const auto& [key, value] : command.items()) {
    if (key != "command" && key != "time") document[key] = value;
  }
  const std::string campaign_id = call.path_param(2);
  if (document.contains("campaign_id") && document["campaign_id"] != campaign_id) {
    send_invalid_fields(call.response, {{"campaign_id", "khác mã chương trình trong đường dẫn", "differs from the campaign id in the path"}},
                        call.request_id);
    return false;
  }
  document["campaign_id"] = campaign_id;
  command = json{{"command", command["command"]}, {"time", command["time"]}, {"campaign", std::move(document)}};
  call.rename_field = [](const std::string& field) { return field.rfind("campaign.", 0) == 0 ? field.substr(9) : field; };
  return true;
}

// The campaign from the path; the command's id (a claim's, a print run's) from the body,
// else the Idempotency-Key (a retry is the same claim), else a new random one.
bool path_campaign_with_id(Call& call, json& command, const char* id_field) {
  command["campaign_id"] = call.path_param(2);
  if (!command.contains(id_field)) {
    const std::string key = call.request.get_header_value("Idempotency-Key");
    command[id_field] = key.empty() ? auth::random_token() : key;
  }
  return true;
}

// The random text a claim's or a print run's codes are drawn from: the server's, journaled
// with the command, so that a replay draws the same codes.
bool draw_seed(Call& call, json& command) {
  if (command.contains("seed")) {
    send_invalid_fields(call.response, {{"seed", "do máy chủ đặt", "is set by the server"}}, call.request_id);
    return false;
  }
  command["seed"] = auth::random_token();
  return true;
}

// A partner's codes as a JSON list (`codes`) or as a spreadsheet (`csv`): the header is row
// 1, each later row's first cell a code, rows with an empty first cell skipped. A refused
// code is named by its row: "csv[3]".
bool codes_from_csv(Call& call, json& command) {
  if (!command.contains("csv")) return true;
  if (command.contains("codes") || !command["csv"].is_string()) {
    send_invalid_fields(call.response, {{"csv", "một chuỗi CSV, không kèm codes", "a CSV text, without codes"}}, call.request_id);
    return false;
  }
  const std::string text = command["csv"].get<std::string>();
  CsvReader reader(text);
  std::vector<std::string> cells;
  std::vector<std::uint32_t> rows;
  json codes = json::array();
  bool header = true;
  while (reader.next(cells)) {
    if (header) {
      header = false;
      continue;
    }
    const std::string_view code = cells.empty() ? std::string_view() : trim_cell(cells[0]);
    if (code.empty()) continue;
    codes.push_back(std::string(code));
    rows.push_back(reader.row());
  }
  if (reader.failed() || codes.empty()) {
    const std::string row = std::to_string(reader.row());
    send_invalid_fields(call.response,
                        {{"csv", reader.failed() ? "dấu ngoặc kép không được đóng ở dòng " + row : "không có mã nào dưới dòng tiêu đề",
                          reader.failed() ? "a quote is never closed at row " + row : "holds no code below its header row"}},
                        call.request_id);
    return false;
  }
  command.erase("csv");
  command["codes"] = std::move(codes);
  call.rename_field = [rows](const std::string& field) {
    // "codes[7]" -> the row it came from
    if (field.rfind("codes[", 0) != 0 || field.back() != ']') return field;
    const std::size_t index = std::strtoull(field.c_str() + 6, nullptr, 10);
    return index < rows.size() ? "csv[" + std::to_string(rows[index]) + "]" : std::string("csv");
  };
  return true;
}

// "/members/{member_id}/ledger" -> the route's regex: each {name} one path segment.
// Templates are written as in the OpenAPI document (server/openapi.json), which a test
// compares with the routes registered here.
std::string path_regex(const std::string& path_template) {
  return store_prefix + std::regex_replace(path_template, std::regex(R"(\{[a-z_]+\})"), id_segment);
}

}  // namespace

void register_store_routes(httplib::Server& server, StoreApiContext& context) {
  auto write = [&](auto method, const std::string& pattern, WriteRoute route) {
    (server.*method)(path_regex(pattern), [&context, route](const httplib::Request& request, httplib::Response& response) {
      handle_write(context, route, request, response);
    });
  };
  auto read = [&](const std::string& pattern, ReadRoute route) {
    server.Get(path_regex(pattern), [&context, route](const httplib::Request& request, httplib::Response& response) {
      handle_read(context, route, request, response);
    });
  };
  using Server = httplib::Server;
  using Handler = Server& (Server::*)(const std::string&, httplib::Server::Handler);
  const Handler post = &Server::Post;
  const Handler put = &Server::Put;
  const Handler patch = &Server::Patch;
  const Handler del = &Server::Delete;

  // ----- the program -----------------------------------------------------------------------
  read("/program", {"get_program", Permission::read_program, nullptr, nullptr});
  read("/program/rules-text", {"rules_text", Permission::read_program, nullptr, nullptr});
  write(put, "/program", {"save_program", Permission::write_program, 200, false, true, false, "program.saved", nullptr});
  // A read with a body (an order to preview, a program to try): POST, not journaled.
  auto post_read = [&](const std::string& pattern, std::string command_name, Permission permission) {
    server.Post(path_regex(pattern), [&context, command_name, permission](const httplib::Request& request, httplib::Response& response) {
      Call call{request, response, request_id_of(request), {}, nullptr};
      if (!admit(context, call, permission)) return;
      std::optional<json> body = read_json_object_body(request, response, call.request_id);
      if (!body) return;
      if (body->contains("command")) return send_invalid_fields(response, {{"command", "không được gửi", "must not be sent"}}, call.request_id);
      json command = std::move(*body);
      command["command"] = command_name;
      answer_read(call, command);
    });
  };
  post_read("/program/preview", "preview", Permission::read_program);
  // Before saving a change: how the tiers and the liability would move, and what last
  // period's orders would have earned under it (docs/commands.md, "Program impact and metrics").
  post_read("/program/impact", "program_impact", Permission::read_insights);
  post_read("/program/backtest", "backtest_program", Permission::read_insights);
  server.Get(path_regex("/program/versions"), [&context](const httplib::Request& request, httplib::Response& response) {
    Call call{request, response, request_id_of(request), {}, nullptr};
    if (!admit(context, call, Permission::read_program)) return;
    const json versions = call.host->read([](const CommandRunner& runner) {
      json list = json::array();
      for (const ProgramVersion& version : runner.store().program_versions()) {
        list.push_back({{"version", version.version}, {"effective_from", format_utc_time(version.effective_from_utc)},
                        {"program", program_config_to_json(version.config)}});
      }
      return list;
    });
    send_json(response, 200, json{{"versions", versions}}, call.request_id);
  });

  // ----- members ---------------------------------------------------------------------------
  write(post, "/members", {"create_member", Permission::write_members, 201, false, false, false, nullptr, nullptr});
  read("/members", {"search_members", Permission::read_members,
                    [](Call& call, json& command) {
                      if (!call.request.has_param("query")) {
                        send_invalid_fields(call.response, {{"query", "bắt buộc", "is required"}}, call.request_id);
                        return false;
                      }
                      return query_text(call, "query", command, "query") && query_integer(call, "limit", command, "limit");
                    },
                    nullptr});
  read("/members/lookup", {"lookup_member", Permission::lookup_members,
                           [](Call& call, json& command) {
                             return query_text(call, "card_number", command, "card_number") && query_text(call, "phone", command, "phone");
                           },
                           nullptr});
  read("/members/{member_id}", {"get_member", Permission::read_members, path_member, nullptr});
  write(patch, "/members/{member_id}", {"update_member", Permission::write_members, 200, false, false, false, "member.updated", path_member});
  auto set_status = [](std::string member_status) {
    return [member_status](Call& call, json& command) {
      command["member_id"] = call.path_param(2);
      command["status"] = member_status;
      return true;
    };
  };
  write(post, "/members/{member_id}/block",
        {"update_member", Permission::write_members, 200, false, false, true, "member.blocked", set_status("blocked")});
  write(post, "/members/{member_id}/unblock",
        {"update_member", Permission::write_members, 200, false, false, true, "member.unblocked", set_status("active")});
  read("/members/{member_id}/ledger",
       {"ledger_history", Permission::read_members,
        [](Call& call, json& command) {
          command["member_id"] = call.path_param(2);
          return query_integer(call, "limit", command, "limit") && query_integer(call, "after", command, "before_transaction");
        },
        [](const Call&, json result) {
          // Cursor paging, newest first: `after` is the last transaction id seen; stable
          // while new entries arrive (they have higher ids).
          json& data = result["data"];
          const bool more = data.value("more", false);
          data.erase("more");
          data["has_more"] = more;
          data["next_cursor"] = more && !data["transactions"].empty() ? json(data["transactions"].back()["id"]) : json(nullptr);
          return result;
        },
        {{"before_transaction", "after"}}});
  // "Why this balance?": the member's points lot by lot, for support staff at the counter.
  read("/members/{member_id}/lots", {"explain_balance", Permission::read_members, path_member, nullptr});
  write(post, "/members/{member_id}/adjustments",
        {"adjust_points", Permission::adjust_points, 201, false, true, false, "points.adjusted", path_member});
  // A tier staff assign (a VIP) with a reason and an end date: audited like an adjustment.
  write(post, "/members/{member_id}/tier",
        {"assign_tier", Permission::adjust_points, 200, false, true, false, "tier.assigned", path_member});

  // ----- orders and the life of a point --------------------------------------------------------
  write(post, "/orders", {"order", Permission::orders, 200, true, true, false, nullptr, nullptr});
  write(post, "/orders/{order_id}/refunds", {"refund", Permission::orders, 201, true, true, false, nullptr, path_order});
  write(post, "/orders/{order_id}/pending/release",
        {"release_pending", Permission::adjust_points, 200, false, true, false, "pending.released", path_order});
  write(post, "/orders/{order_id}/pending/cancel",
        {"cancel_pending", Permission::adjust_points, 200, false, true, false, "pending.cancelled", path_order});
  write(post, "/holds", {"hold_points", Permission::holds, 201, false, false, false, nullptr, nullptr});
  write(post, "/holds/{hold_id}/release",
        {"release_hold", Permission::holds, 200, false, true, true, nullptr, [](Call& call, json& command) {
           command["hold_id"] = call.path_param(2);
           return true;
         }});
  write(post, "/redemptions", {"redeem_points", Permission::holds, 201, false, true, false, nullptr, nullptr});
  write(post, "/transfers", {"transfer_points", Permission::holds, 201, false, true, false, nullptr, nullptr});
  read("/expiring-points", {"expiring_points", Permission::read_members,
                            [](Call& call, json& command) {
                              return query_integer(call, "within_days", command, "within_days") &&
                                     query_integer(call, "limit", command, "limit");
                            },
                            nullptr});
  // ----- customer groups (nhóm khách hàng) -------------------------------------------------------
  auto path_group = [](Call& call, json& command) {
    command["group_id"] = call.path_param(2);
    return true;
  };
  read("/groups", {"list_groups", Permission::manage_groups, nullptr, nullptr});
  read("/groups/{group_id}", {"get_group", Permission::manage_groups, path_group, nullptr});
  write(put, "/groups/{group_id}", {"save_group", Permission::manage_groups, 200, false, false, false, "group.saved", path_group});
  write(del, "/groups/{group_id}", {"delete_group", Permission::manage_groups, 200, false, false, true, "group.deleted", path_group});
  read("/groups/{group_id}/members",
       {"group_members", Permission::manage_groups,
        [](Call& call, json& command) {
          command["group_id"] = call.path_param(2);
          return query_integer(call, "limit", command, "limit") && query_text(call, "after", command, "after");
        },
        nullptr});
  write(post, "/groups/{group_id}/members",
        {"add_group_members", Permission::manage_groups, 200, false, false, false, "group.members_added", path_group});
  write(post, "/groups/{group_id}/members/remove",
        {"remove_group_members", Permission::manage_groups, 200, false, false, false, "group.members_removed", path_group});
  write(post, "/groups/{group_id}/import",
        {"import_group_members", Permission::manage_groups, 200, false, false, false, "group.imported", path_group});
  read("/members/{member_id}/groups", {"member_groups", Permission::manage_groups, path_member, nullptr});

  // ----- voucher campaigns (chương trình voucher) -----------------------------------------------
  // Marketing runs campaigns (manage_campaigns); support or the member app claims for a
  // member; a checkout checks a code, then reports the order with its voucher_code (the
  // order route), which uses it. Codes are drawn from a seed the server draws per command.
  auto path_campaign = [](Call& call, json& command) {
    command["campaign_id"] = call.path_param(2);
    return true;
  };
  read("/campaigns", {"list_campaigns", Permission::manage_campaigns, nullptr, nullptr});
  read("/campaigns/{campaign_id}", {"get_campaign", Permission::manage_campaigns, path_campaign, nullptr});
  write(put, "/campaigns/{campaign_id}",
        {"save_campaign", Permission::manage_campaigns, 200, false, false, false, "campaign.saved", campaign_document_from_body});
  write(post, "/campaigns/{campaign_id}/status",
        {"set_campaign_status", Permission::manage_campaigns, 200, false, false, false, "campaign.status_changed", path_campaign});
  write(post, "/campaigns/{campaign_id}/codes",
        {"issue_voucher_codes", Permission::manage_campaigns, 201, false, true, false, "campaign.codes_issued",
         [](Call& call, json& command) { return path_campaign_with_id(call, command, "batch_id") && draw_seed(call, command); }});
  write(post, "/campaigns/{campaign_id}/codes/import",
        {"import_voucher_codes", Permission::manage_campaigns, 201, false, true, false, "campaign.codes_imported",
         [](Call& call, json& command) { return path_campaign_with_id(call, command, "batch_id") && codes_from_csv(call, command); }});
  write(post, "/campaigns/{campaign_id}/claims",
        {"claim_voucher", Permission::claim_vouchers, 201, false, true, false, nullptr,
         [](Call& call, json& command) { return path_campaign_with_id(call, command, "claim_id") && draw_seed(call, command); }});
  write(post, "/claims/{claim_id}/cancel",
        {"cancel_voucher_claim", Permission::adjust_points, 200, false, true, false, "voucher_claim.cancelled", [](Call& call, json& command) {
           command["claim_id"] = call.path_param(2);
           return true;
         }});
  post_read("/vouchers/check", "check_voucher", Permission::check_vouchers);
  read("/members/{member_id}/vouchers", {"member_vouchers", Permission::claim_vouchers, path_member, nullptr});
  read("/members/{member_id}/campaigns", {"list_campaigns", Permission::claim_vouchers, path_member, nullptr});

  // ----- notifications and scenarios (thông báo, kịch bản) --------------------------------------
  // PUT bodies are the documents (docs/commands.md, "Notifications"); the id is the path's.
  auto document_from_path = [](const char* key, const char* id_key) {
    return [key, id_key](Call& call, json& command) {
      json document = json::object();
      for (const auto& [field, value] : command.items()) {
        if (field != "command" && field != "time") document[field] = value;
      }
      document[id_key] = call.path_param(2);
      command = json{{"command", command["command"]}, {"time", command["time"]}, {key, std::move(document)}};
      return true;
    };
  };
  auto path_notification = [](Call& call, json& command) {
    command["notification_id"] = call.path_param(2);
    return true;
  };
  const Permission notifications = Permission::manage_notifications;
  read("/notifications", {"list_notifications", notifications,
                          [](Call& call, json& command) { return query_text(call, "status", command, "status"); }, nullptr});
  read("/notifications/{notification_id}", {"get_notification", notifications, path_notification, nullptr});
  write(put, "/notifications/{notification_id}",
        {"save_notification", notifications, 200, false, false, false, "notification.saved", document_from_path("notification", "notification_id")});
  write(post, "/notifications/{notification_id}/schedule",
        {"schedule_notification", notifications, 200, false, false, true, "notification.scheduled", path_notification});
  write(post, "/notifications/{notification_id}/cancel",
        {"cancel_notification", notifications, 200, false, false, true, "notification.cancelled", path_notification});
  read("/scenarios", {"list_scenarios", notifications, nullptr, nullptr});
  read("/scenarios/{scenario_id}", {"get_scenario", notifications,
                                    [](Call& call, json& command) {
                                      command["scenario_id"] = call.path_param(2);
                                      return true;
                                    },
                                    nullptr});
  write(put, "/scenarios/{scenario_id}",
        {"save_scenario", notifications, 200, false, false, false, "scenario.saved", document_from_path("scenario", "scenario_id")});
  // Deliveries: their ids hold '/', so they travel in the query or the body, not the path.
  read("/deliveries", {"get_delivery", notifications,
                       [](Call& call, json& command) { return query_text(call, "delivery_id", command, "delivery_id"); }, nullptr});
  read("/deliveries/due", {"due_deliveries", notifications,
                           [](Call& call, json& command) {
                             return query_text(call, "after", command, "after") && query_integer(call, "limit", command, "limit");
                           },
                           nullptr});
  write(post, "/deliveries/sent", {"mark_delivery_sent", notifications, 200, false, false, false, nullptr, nullptr});
  write(post, "/deliveries/failed", {"mark_delivery_failed", notifications, 200, false, false, false, nullptr, nullptr});
  write(post, "/deliveries/opened", {"mark_delivery_opened", notifications, 200, false, false, false, nullptr, nullptr});
  write(post, "/deliveries/clicked", {"mark_delivery_clicked", notifications, 200, false, false, false, nullptr, nullptr});

  read("/liability", {"liability", Permission::read_liability, nullptr, nullptr});
  read("/ledger/audit", {"audit", Permission::read_liability, nullptr, nullptr});
  read("/metrics", {"metrics", Permission::read_insights,
                    [](Call& call, json& command) {
                      return query_text(call, "from", command, "from") && query_text(call, "to", command, "to") &&
                             query_text(call, "bucket", command, "bucket") &&
                             query_integer(call, "attribution_days", command, "attribution_days");
                    },
                    nullptr});
}

}  // namespace loyalty::server::http
