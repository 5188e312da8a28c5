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
  // Time passing is a write too: when the command's time moved the store's clock but the
  // command itself is not journaled (refused, or already applied), this holds a
  // process_due command to persist instead, so that replay moves the clock the same way.
  std::string journal_before;
};

class CommandRunner {
 public:
  CommandRunner() = default;
  // Continues from a store restored from a snapshot (core/snapshot): the journal's tail is
  // then run through this runner.
  explicit CommandRunner(Store store) : store_(std::move(store)) {}

  // `line_number` (1-based) is echoed in the result so that errors name their line.
  CommandOutput run_line(std::string_view line, std::size_t line_number);
  CommandOutput run(const Json& command, std::size_t line_number);
  // Replays a journal line: the same effect as run_line, but an accepted write's result
  // carries only line, command, result and message (no transactions, balances or events),
  // since a host rebuilding its store discards them: a restart is several times faster.
  CommandOutput replay_line(std::string_view line, std::size_t line_number);

  // Runs a read (a command that is not a write): const, so hosts may run reads from many
  // threads at once. A write given here is refused with invalid_field.
  CommandOutput run_read(const Json& command, std::size_t line_number) const;
  static bool is_write_command(std::string_view name);

  const Store& store() const { return store_; }
  // Reads without a "time" are answered as of the store's clock.
  UtcSeconds clock_utc() const { return store_.clock_utc(); }

 private:
  CommandOutput run_command(const Json& command, std::size_t line_number);

  Store store_;
  Changes changes_;
  bool replaying_ = false;   // replay_line: results without their details
};

}  // namespace loyalty
