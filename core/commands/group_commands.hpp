// group_commands.hpp: the customer groups' commands (docs/commands.md, "Customer groups")
// as JSON, called by the command runner. Writes: save_group, delete_group,
// add_group_members, remove_group_members, import_group_members. Reads: get_group,
// list_groups, group_members, member_groups.
#pragma once
#include <optional>
#include <string_view>

#include "core/commands/command_runner.hpp"

namespace loyalty {

bool is_group_write_command(std::string_view name);
bool is_group_command(std::string_view name);

// Runs the group command `name` (is_group_command). `time` is the command's time (the
// store's clock for a read without one); `reader` already holds the errors of `time`.
// A read runs on a const store: `store` is changed by writes only.
CommandOutput run_group_command(Store& store, Changes& changes, const Json& command, const std::string& name, UtcSeconds time,
                                FieldReader& reader, const std::vector<FieldError>& errors, std::size_t line_number, bool replaying);

Json group_to_json(const CustomerGroup& group);           // the whole definition
Json group_summary_to_json(const CustomerGroup& group);   // for lists

}  // namespace loyalty
