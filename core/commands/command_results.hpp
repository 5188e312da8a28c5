// command_results.hpp: what the results of every command file share: a result's head, a
// refusal, and a write's result with its changes (docs/commands.md, "The shape of a result").
#pragma once
#include <string_view>
#include <vector>

#include "core/commands/command_runner.hpp"
#include "core/commands/store_json.hpp"

namespace loyalty {

// {"line", "command", "result", "message"}.
Json result_head(std::size_t line_number, std::string_view command, ResultCode code);
// A refusal: the head and, for field problems, "errors"; nothing to journal.
CommandOutput refusal_output(std::size_t line_number, std::string_view command, ResultCode code,
                             const std::vector<FieldError>& errors = {});

// A write's result: a refusal, or the head, the changes and `extra()` under `key` (on ok
// and already_applied; a replayed line carries only the head). Journaled when ok.
template <typename Extra>
CommandOutput write_output(const Store& store, const Changes& changes, const Result& result, std::size_t line_number,
                           std::string_view command, bool replaying, std::string_view key, Extra extra) {
  if (!result.ok()) return refusal_output(line_number, command, result.code, result.errors);
  Json json = result_head(line_number, command, result.code);
  if (!replaying) {
    json.update(changes_to_json(store, changes));
    json[std::string(key)] = extra();
  }
  return CommandOutput{json, result.code == ResultCode::ok};
}

}  // namespace loyalty
