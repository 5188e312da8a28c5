// libFuzzer target: the decoding of an API request, from bytes to the core's answer.
//
// Input: the first byte picks a route's command (as server/http/store_routes.cpp maps
// them), the second how the body is sent (content type, size), the rest is the body. The
// body goes through the server's own checks (read_json_object_body: 413, 415, 400), then,
// as a route does, becomes a core command run by a CommandRunner that keeps its state
// across inputs (reset now and then), so later inputs meet members, orders and holds.
// Nothing may crash, leak, or trip a
// sanitizer; the core's invariants must hold after every command.
#include <httplib.h>

#include <cassert>
#include <cstdint>
#include <memory>
#include <string>

#include "core/commands/command_runner.hpp"
#include "server/http/api_errors.hpp"

namespace {
constexpr const char* commands[] = {"save_program", "create_member", "update_member", "set_referrer", "order", "refund",
                                    "adjust_points", "review_tiers", "process_due", "redeem_points", "hold_points",
                                    "release_hold", "transfer_points", "release_pending", "cancel_pending",
                                    "grant_birthday_bonuses", "get_member", "lookup_member", "search_members",
                                    "ledger_history", "preview", "rules_text", "get_program", "liability",
                                    "expiring_points", "audit"};
std::unique_ptr<loyalty::CommandRunner> runner;
std::size_t runs = 0;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  if (!runner || ++runs % 2000 == 0) runner = std::make_unique<loyalty::CommandRunner>();
  const char* command_name = commands[data[0] % std::size(commands)];
  const std::uint8_t mode = data[1];
  httplib::Request request;
  request.method = "POST";
  request.path = "/api/v1/stores/fuzz/orders";
  request.body.assign(reinterpret_cast<const char*>(data + 2), size - 2);
  if ((mode & 3) != 0) request.headers.emplace("Content-Type", (mode & 3) == 1 ? "application/json" : "application/json; charset=utf-8");
  if ((mode & 4) != 0) request.body.append(70 * 1024, ' ');   // an oversized body
  httplib::Response response;
  const std::optional<nlohmann::json> body = loyalty::server::http::read_json_object_body(request, response, "req_fuzz");
  if (body) {
    loyalty::Json command = *body;
    command["command"] = command_name;
    if ((mode & 8) != 0 || !command.contains("time")) command["time"] = "2026-06-01T10:00:00Z";
    const loyalty::CommandOutput output = runner->run(command, 1);
    assert(output.result.contains("result"));
    if ((runs & 63) == 0) assert(runner->store().check_invariants().empty());
  } else {
    assert(response.status == 400 || response.status == 413 || response.status == 415 || response.status == 422);
  }
  // The raw text as a command line too (the command line's and the journal's decoding).
  const std::string text(reinterpret_cast<const char*>(data + 2), size - 2);
  runner->run_line(text, 1);
  return 0;
}
