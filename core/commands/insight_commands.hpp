// insight_commands.hpp: the reads that measure the program (core/insights) as JSON commands:
// program_impact, backtest_program and metrics (docs/commands.md, "Program impact and metrics").
#pragma once
#include <optional>
#include <string_view>

#include "core/commands/command_runner.hpp"

namespace loyalty {

bool is_insight_command(std::string_view name);
// Answers one of the insight reads; nullopt when `name` is not one of them. Const: it reads
// the store and changes nothing.
std::optional<CommandOutput> run_insight_command(const Store& store, std::string_view name, const Json& command,
                                                 std::size_t line_number);

}  // namespace loyalty
