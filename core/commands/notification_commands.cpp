#include "core/commands/notification_commands.hpp"

#include <algorithm>

#include "core/commands/command_results.hpp"
#include "core/commands/store_json.hpp"

namespace loyalty {

namespace {
constexpr std::string_view notification_writes[] = {"save_notification",   "schedule_notification", "cancel_notification",
                                                    "save_scenario",       "mark_delivery_sent",    "mark_delivery_failed",
                                                    "mark_delivery_opened", "mark_delivery_clicked"};
constexpr std::string_view notification_reads[] = {"get_notification", "list_notifications", "get_scenario",
                                                   "list_scenarios",   "due_deliveries",     "get_delivery"};
constexpr std::size_t due_page_default = 100;
constexpr std::size_t due_page_max = 1000;

Json target_json(const MessageTarget& target) {
  Json json{{"kind", target_kind_name(target.kind)}};
  if (target.kind == TargetKind::campaign) json["campaign_id"] = target.campaign_id;
  if (target.kind == TargetKind::link) json["url"] = target.url;
  return json;
}

std::string_view delivery_state(std::uint8_t flags) {
  if ((flags & delivery_flag::sent) != 0) return "sent";
  if ((flags & delivery_flag::failed) != 0) return "failed";
  if ((flags & delivery_flag::skipped) != 0) return "skipped";
  return "pending";
}
}  // namespace

bool is_notification_write_command(std::string_view name) {
  return std::find(std::begin(notification_writes), std::end(notification_writes), name) != std::end(notification_writes);
}
bool is_notification_command(std::string_view name) {
  return is_notification_write_command(name) ||
         std::find(std::begin(notification_reads), std::end(notification_reads), name) != std::end(notification_reads);
}

Json notification_to_json(const Store& store, std::uint32_t index) {
  const Notification& notification = store.notifications().notifications()[index];
  Json json = notification_config_to_json(notification.config);
  json["status"] = notification_status_name(notification.status);
  if (notification.send_at_utc != 0) json["sending_from"] = format_utc_time(notification.send_at_utc);
  if (notification.started_at_utc != 0) json["started_at"] = format_utc_time(notification.started_at_utc);
  if (notification.finished_at_utc != 0) json["finished_at"] = format_utc_time(notification.finished_at_utc);
  json["deliveries"] = {{"audience", notification.audience_count},
                        {"waiting", notification.audience_count - notification.done_count},
                        {"sent", notification.sent_count},
                        {"failed", notification.failed_count},
                        {"skipped", notification.skipped_count},
                        {"opened", notification.opened_count},
                        {"clicked", notification.clicked_count}};
  return json;
}

Json scenario_to_json(const Store& store, std::uint32_t index) {
  const Scenario& scenario = store.notifications().scenarios()[index];
  Json json = scenario_config_to_json(scenario.config);
  if (scenario.next_scan_utc != INT64_MAX) json["next_run"] = format_utc_time(scenario.next_scan_utc);
  std::int64_t occasions = 0, waiting = 0, sent = 0, failed = 0, skipped = 0, opened = 0, clicked = 0;
  for (const ScenarioOccasion& occasion : store.notifications().occasions()) {
    if (occasion.scenario != index) continue;
    ++occasions;
    waiting += (occasion.flags & delivery_flag::done) == 0;
    sent += (occasion.flags & delivery_flag::sent) != 0;
    failed += (occasion.flags & delivery_flag::failed) != 0;
    skipped += (occasion.flags & delivery_flag::skipped) != 0;
    opened += (occasion.flags & delivery_flag::opened) != 0;
    clicked += (occasion.flags & delivery_flag::clicked) != 0;
  }
  json["deliveries"] = {{"occasions", occasions}, {"waiting", waiting}, {"sent", sent},       {"failed", failed},
                        {"skipped", skipped},     {"opened", opened},   {"clicked", clicked}};
  return json;
}

Json delivery_to_json(const Store& store, const DeliveryRef& ref, bool message) {
  const Notifications& notifications = store.notifications();
  Json json{{"delivery_id", store.delivery_id(ref)}};
  std::uint8_t flags = 0;
  const DeliveryFailure* failure = nullptr;
  UtcSeconds due_at = 0;
  const MessageTarget* target = nullptr;
  NotificationChannel channel = NotificationChannel::app_push;
  if (ref.scenario) {
    const ScenarioOccasion& occasion = notifications.occasions()[ref.source];
    const Scenario& scenario = notifications.scenarios()[occasion.scenario];
    json["scenario_id"] = scenario.config.scenario_id;
    json["kind"] = scenario_kind_name(scenario.config.kind);
    flags = occasion.flags;
    failure = &occasion.failure;
    due_at = occasion.due_at_utc;
    target = &scenario.config.target;
    channel = scenario.config.channel;
  } else {
    const Notification& notification = notifications.notifications()[ref.source];
    json["notification_id"] = notification.config.notification_id;
    flags = notification.flags[ref.position];
    if (const auto found = notification.failures.find(ref.position); found != notification.failures.end()) failure = &found->second;
    due_at = notification.send_at_utc;
    target = &notification.config.target;
    channel = notification.config.channel;
  }
  json["member_id"] = store.members()[ref.member].member_id;
  json["channel"] = notification_channel_name(channel);
  json["state"] = delivery_state(flags);
  json["opened"] = (flags & delivery_flag::opened) != 0;
  json["clicked"] = (flags & delivery_flag::clicked) != 0;
  const std::uint32_t failures = failure != nullptr ? failure->failures : 0;
  json["failures"] = failures;
  if (failures > 0) {
    json["last_failure"] = failure->reason;
    if (failure->retry_at_utc != 0) due_at = std::max(due_at, failure->retry_at_utc);
  }
  json["due_at"] = format_utc_time(due_at);
  if (message) {
    const MessageText text = store.render_delivery(ref);
    json["title"] = text.title;
    json["body"] = text.body;
    json["title_en"] = text.title_en;
    json["body_en"] = text.body_en;
    json["target"] = target_json(*target);
  }
  return json;
}

CommandOutput run_notification_command(Store& store, Changes& changes, const Json& command, const std::string& name, UtcSeconds time,
                                       std::vector<FieldError>& errors, std::size_t line_number, bool replaying) {
  FieldReader reader{errors};
  auto text = [&](std::string_view key, std::size_t max_bytes, bool required) {
    return reader.text(command, key, "", max_bytes, required).value_or("");
  };
  auto refusal = [&](ResultCode code, const std::vector<FieldError>& field_errors = {}) {
    return refusal_output(line_number, name, code, field_errors);
  };
  auto invalid = [&]() { return refusal(ResultCode::invalid_field, errors); };
  auto finish_write = [&](const Result& result, std::string_view key, auto extra) {
    return write_output(store, changes, result, line_number, name, replaying, key, extra);
  };

  if (name == "save_notification" || name == "save_scenario") {
    const bool scenario = name == "save_scenario";
    const char* key = scenario ? "scenario" : "notification";
    reader.reject_unknown_keys(command, "", {"command", "time", key});
    const auto document = command.find(key);
    if (document == command.end()) reader.add(key, "bắt buộc", "is required");
    if (reader.has_errors()) return invalid();
    if (scenario) {
      ScenarioConfigReading reading = read_scenario_config(*document, "scenario");
      if (!reading.config) return refusal(ResultCode::invalid_field, reading.errors);
      const std::string id = reading.config->scenario_id;
      return finish_write(store.save_scenario(*reading.config, time, changes), "scenario",
                          [&] { return scenario_to_json(store, store.notifications().find_scenario(id)); });
    }
    NotificationConfigReading reading = read_notification_config(*document, "notification");
    if (!reading.config) return refusal(ResultCode::invalid_field, reading.errors);
    const std::string id = reading.config->notification_id;
    return finish_write(store.save_notification(*reading.config, time, changes), "notification",
                        [&] { return notification_to_json(store, store.notifications().find_notification(id)); });
  }
  if (name == "schedule_notification" || name == "cancel_notification") {
    reader.reject_unknown_keys(command, "", {"command", "time", "notification_id"});
    const std::string id = text("notification_id", notification_id_bytes_max, true);
    if (reader.has_errors()) return invalid();
    const Result result = name == "schedule_notification" ? store.schedule_notification(id, time, changes)
                                                          : store.cancel_notification(id, time, changes);
    return finish_write(result, "notification", [&] { return notification_to_json(store, store.notifications().find_notification(id)); });
  }
  if (name.starts_with("mark_delivery_")) {
    const bool failed = name == "mark_delivery_failed";
    if (failed) {
      reader.reject_unknown_keys(command, "", {"command", "time", "delivery_id", "attempt", "reason"});
    } else {
      reader.reject_unknown_keys(command, "", {"command", "time", "delivery_id"});
    }
    DeliveryMark mark;
    mark.kind = delivery_mark_from_name(std::string_view(name).substr(std::string_view("mark_delivery_").size())).value_or(DeliveryMarkKind::sent);
    mark.delivery_id = text("delivery_id", 300, true);
    if (failed) {
      mark.attempt = static_cast<std::uint32_t>(reader.integer(command, "attempt", "", 1, delivery_attempts_max, true).value_or(0));
      mark.reason = text("reason", 1000, true);
    }
    if (reader.has_errors()) return invalid();
    return finish_write(store.mark_delivery(mark, time, changes), "delivery", [&] {
      DeliveryRef ref;
      store.find_delivery(mark.delivery_id, ref);
      return delivery_to_json(store, ref, false);
    });
  }

  // ----- reads --------------------------------------------------------------------------
  const Store& read_store = store;
  auto read_result = [&](Json data) {
    Json json = result_head(line_number, name, ResultCode::ok);
    json["data"] = std::move(data);
    return CommandOutput{json, false};
  };
  if (name == "get_notification" || name == "get_scenario") {
    const bool scenario = name == "get_scenario";
    const char* key = scenario ? "scenario_id" : "notification_id";
    reader.reject_unknown_keys(command, "", {"command", "time", key});
    const std::string id = text(key, notification_id_bytes_max, true);
    if (reader.has_errors()) return invalid();
    const Notifications& notifications = read_store.notifications();
    const std::uint32_t index = scenario ? notifications.find_scenario(id) : notifications.find_notification(id);
    if (index == UINT32_MAX) return refusal(scenario ? ResultCode::scenario_not_found : ResultCode::notification_not_found);
    return read_result(scenario ? scenario_to_json(read_store, index) : notification_to_json(read_store, index));
  }
  if (name == "list_notifications") {
    reader.reject_unknown_keys(command, "", {"command", "time", "status"});
    const std::string status = reader.text(command, "status", "", 16, false).value_or("");
    if (!status.empty() && status != "draft" && status != "scheduled" && status != "sending" && status != "sent" && status != "cancelled") {
      reader.add("status", "phải là draft, scheduled, sending, sent hoặc cancelled", "must be draft, scheduled, sending, sent or cancelled");
    }
    if (reader.has_errors()) return invalid();
    Json list = Json::array();
    const auto& notifications = read_store.notifications().notifications();
    for (std::uint32_t i = 0; i < notifications.size(); ++i) {
      if (status.empty() || notification_status_name(notifications[i].status) == status) list.push_back(notification_to_json(read_store, i));
    }
    return read_result(Json{{"notifications", list}});
  }
  if (name == "list_scenarios") {
    reader.reject_unknown_keys(command, "", {"command", "time"});
    if (reader.has_errors()) return invalid();
    Json list = Json::array();
    for (std::uint32_t i = 0; i < read_store.notifications().scenarios().size(); ++i) list.push_back(scenario_to_json(read_store, i));
    return read_result(Json{{"scenarios", list}});
  }
  if (name == "get_delivery") {
    reader.reject_unknown_keys(command, "", {"command", "time", "delivery_id"});
    const std::string id = text("delivery_id", 300, true);
    if (reader.has_errors()) return invalid();
    DeliveryRef ref;
    if (const Result found = read_store.find_delivery(id, ref); !found.ok()) return refusal(found.code, found.errors);
    return read_result(delivery_to_json(read_store, ref, true));
  }
  if (name == "due_deliveries") {
    reader.reject_unknown_keys(command, "", {"command", "time", "after", "limit"});
    const std::string after = reader.text(command, "after", "", 300, false).value_or("");
    const auto limit = static_cast<std::size_t>(reader.integer(command, "limit", "", 1, due_page_max, false).value_or(due_page_default));
    if (reader.has_errors()) return invalid();
    DueDeliveries due;
    if (const Result result = read_store.due_deliveries(time, after, limit, due); !result.ok()) {
      return refusal(result.code, result.errors);
    }
    Json list = Json::array();
    for (const DueDelivery& delivery : due.page) {
      Json entry = delivery_to_json(read_store, delivery.ref, true);
      entry["attempt"] = delivery.attempt;
      list.push_back(std::move(entry));
    }
    Json data{{"time", format_utc_time(time)}, {"count", due.count}, {"deliveries", list}};
    data["next_after"] = due.more && !due.page.empty() ? Json(read_store.delivery_id(due.page.back().ref)) : Json(nullptr);
    return read_result(data);
  }
  return refusal(ResultCode::unknown_command);
}

}  // namespace loyalty
