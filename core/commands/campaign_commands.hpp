// campaign_commands.hpp: the JSON commands of voucher campaigns (docs/commands.md, "Voucher
// campaigns"), kept apart from command_runner.cpp, which calls them by name.
#pragma once
#include <string_view>

#include "core/basics/json_fields.hpp"
#include "core/commands/command_runner.hpp"
#include "core/store.hpp"

namespace loyalty {

bool is_campaign_write_command(std::string_view name);   // save_campaign, claim_voucher, ...
bool is_campaign_command(std::string_view name);         // the writes and get_campaign, list_campaigns, ...
// Runs one campaign command. `errors` holds what the runner found already (the time);
// reads never change the store (they use it as const).
CommandOutput run_campaign_command(Store& store, Changes& changes, const Json& command, const std::string& name,
                                   UtcSeconds time, std::vector<FieldError>& errors, std::size_t line_number, bool replaying);
Json voucher_code_to_json(const Store& store, std::uint32_t code);
Json campaign_to_json(const Store& store, std::uint32_t campaign);

}  // namespace loyalty
