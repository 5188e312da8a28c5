// command_runner.hpp: the core's commands and results as plain JSON.
//
// One command in, one result out, for every host: the `loyalty` command line, the server
// and the console. Commands and their fields are documented in docs/commands.md. A write
// that succeeds reports `journal = true`: the host appends the command to its journal
// before it answers, and rebuilds the store later by running the journal again.
#pragma once
#include <string_view>

#include "core/basics/json_fields.hpp"
#include "core/store.hpp"

namespace loyalty {

struct CommandOutput {
  Json result;               // {"line", "command", "result", "message", ...}
  bool journal = false;      // an accepted write: persist the command before answering
  // Time passing is a write too: when the command's time made pending points available,
  // holds time out or lots expire, this holds a process_due command to persist first
  // (even when the command itself was refused), so that replay does the same at the same point.
  std::string journal_before;
};

class CommandRunner {
 public:
  // `line_number` (1-based) is echoed in the result so that errors name their line.
  CommandOutput run_line(std::string_view line, std::size_t line_number);
  CommandOutput run(const Json& command, std::size_t line_number);

  const Store& store() const { return store_; }
  // Reads without a "time" are answered as of the latest time any command carried.
  UtcSeconds latest_time_utc() const { return latest_time_utc_; }

 private:
  CommandOutput run_command(const Json& command, std::size_t line_number);

  Store store_;
  Changes changes_;
  UtcSeconds latest_time_utc_ = 0;
};

}  // namespace loyalty
