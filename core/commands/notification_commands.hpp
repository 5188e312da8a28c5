// notification_commands.hpp: the JSON commands of notifications, scenarios and deliveries
// (docs/commands.md, "Notifications"), kept apart from command_runner.cpp, which calls them by name.
#pragma once
#include <string_view>

#include "core/basics/json_fields.hpp"
#include "core/commands/command_runner.hpp"
#include "core/store.hpp"

namespace loyalty {

bool is_notification_write_command(std::string_view name);   // save_notification, mark_delivery_sent, ...
bool is_notification_command(std::string_view name);         // the writes and due_deliveries, get_notification, ...
// Runs one notification command. `errors` holds what the runner found already (the time);
// reads never change the store (they use it as const).
CommandOutput run_notification_command(Store& store, Changes& changes, const Json& command, const std::string& name,
                                       UtcSeconds time, std::vector<FieldError>& errors, std::size_t line_number, bool replaying);
Json notification_to_json(const Store& store, std::uint32_t notification);
Json scenario_to_json(const Store& store, std::uint32_t scenario);
// One delivery: its id, member, state and, with `message`, the message as it renders now.
Json delivery_to_json(const Store& store, const DeliveryRef& ref, bool message);

}  // namespace loyalty
