// notifications.cpp: the documents of notifications and scenarios, placeholders, quiet
// hours, and the records' own bookkeeping (lookups, counters, invariants).
#include "core/notifications/notifications.hpp"

#include <algorithm>
#include <array>
#include <cassert>

namespace loyalty {

namespace {
constexpr std::size_t title_bytes_max = 200;
constexpr std::size_t body_bytes_max = 2000;
constexpr std::size_t url_bytes_max = 2000;
constexpr std::int64_t delay_minutes_max = 60 * 24 * 365;
constexpr std::int32_t days_before_max = 365;

bool is_id_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Ids name deliveries ("n/<notification_id>/<member_id>"), so they never hold a '/'.
void read_id(FieldReader& reader, const Json& document, std::string_view key, std::string_view path, std::string& id) {
  if (auto text = reader.text(document, key, path, notification_id_bytes_max, true)) {
    if (!std::all_of(text->begin(), text->end(), is_id_character)) {
      reader.add(FieldReader::join(path, key), "chỉ gồm chữ cái, chữ số, '-' và '_'", "letters, digits, '-' and '_' only");
    }
    id = *text;
  }
}

void read_message(FieldReader& reader, const Json& document, std::string_view path, MessageText& text) {
  text.title = reader.text(document, "title", path, title_bytes_max, true).value_or("");
  text.body = reader.text(document, "body", path, body_bytes_max, true).value_or("");
  text.title_en = reader.text(document, "title_en", path, title_bytes_max, false, true).value_or("");
  text.body_en = reader.text(document, "body_en", path, body_bytes_max, false, true).value_or("");
}

void read_target(FieldReader& reader, const Json& document, std::string_view path, MessageTarget& target) {
  const auto found = document.find("target");
  if (found == document.end() || found->is_null()) return;
  const std::string target_path = FieldReader::join(path, "target");
  if (!reader.require_object(*found, target_path)) return;
  reader.reject_unknown_keys(*found, target_path, {"kind", "campaign_id", "url"});
  const std::string kind = reader.text(*found, "kind", target_path, 16, true).value_or("");
  if (kind == "none") {
    target.kind = TargetKind::none;
  } else if (kind == "campaign") {
    target.kind = TargetKind::campaign;
    if (auto id = reader.text(*found, "campaign_id", target_path, 64, true)) target.campaign_id = *id;
  } else if (kind == "link") {
    target.kind = TargetKind::link;
    if (auto url = reader.text(*found, "url", target_path, url_bytes_max, true)) {
      const bool scheme = url->starts_with("https://") || url->starts_with("http://");
      const bool printable = std::all_of(url->begin(), url->end(), [](char c) { return c > ' ' && c < 127; });
      if (!scheme || !printable || url->size() <= 8) {
        reader.add(FieldReader::join(target_path, "url"), "phải là địa chỉ http:// hoặc https:// không có khoảng trắng",
                   "must be an http:// or https:// address without spaces");
      }
      target.url = *url;
    }
  } else if (!kind.empty()) {
    reader.add(FieldReader::join(target_path, "kind"), "phải là none, campaign hoặc link", "must be none, campaign or link");
  }
  if (target.kind != TargetKind::campaign && found->contains("campaign_id")) {
    reader.add(FieldReader::join(target_path, "campaign_id"), "chỉ dùng với kind campaign", "only with kind campaign");
  }
  if (target.kind != TargetKind::link && found->contains("url")) {
    reader.add(FieldReader::join(target_path, "url"), "chỉ dùng với kind link", "only with kind link");
  }
}

Json target_to_json(const MessageTarget& target) {
  Json json{{"kind", target_kind_name(target.kind)}};
  if (target.kind == TargetKind::campaign) json["campaign_id"] = target.campaign_id;
  if (target.kind == TargetKind::link) json["url"] = target.url;
  return json;
}

void message_to_json(const MessageText& text, Json& json) {
  json["title"] = text.title;
  json["body"] = text.body;
  if (!text.title_en.empty()) json["title_en"] = text.title_en;
  if (!text.body_en.empty()) json["body_en"] = text.body_en;
}

NotificationChannel read_channel(FieldReader& reader, const Json& document, std::string_view path) {
  const auto name = reader.text(document, "channel", path, 16, false);
  if (!name) return NotificationChannel::app_push;
  const auto channel = notification_channel_from_name(*name);
  if (!channel) reader.add(FieldReader::join(path, "channel"), "phải là app_push, zalo, sms hoặc email", "must be app_push, zalo, sms or email");
  return channel.value_or(NotificationChannel::app_push);
}

// "HH:MM" (00:00 to 23:59) as minutes of the day.
std::optional<std::int32_t> parse_local_minute(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (hour > 23 || minute > 59) return std::nullopt;
  return hour * 60 + minute;
}

std::string format_local_minute(std::int32_t minutes) {
  std::string text = "00:00";
  text[0] = static_cast<char>('0' + minutes / 600);
  text[1] = static_cast<char>('0' + minutes / 60 % 10);
  text[3] = static_cast<char>('0' + minutes % 60 / 10);
  text[4] = static_cast<char>('0' + minutes % 10);
  return text;
}

std::int32_t read_local_minute(FieldReader& reader, const Json& object, std::string_view key, std::string_view path, bool required,
                               std::int32_t fallback) {
  const auto text = reader.text(object, key, path, 5, required);
  if (!text) return fallback;
  const auto minute = parse_local_minute(*text);
  if (!minute) reader.add(FieldReader::join(path, key), "phải là giờ địa phương HH:MM, ví dụ 09:00", "must be a local time HH:MM, e.g. 09:00");
  return minute.value_or(fallback);
}

// The placeholders each context knows, beyond the member's own.
std::vector<std::string_view> context_placeholders(MessageContext context, bool has_campaign) {
  std::vector<std::string_view> names = {"name", "points", "points_value", "tier"};
  if (has_campaign) names.push_back("campaign");
  switch (context) {
    case MessageContext::notification:
    case MessageContext::birthday: break;
    case MessageContext::order_thanks: names.insert(names.end(), {"order_id", "order_amount", "order_points"}); break;
    case MessageContext::tier_upgrade: names.push_back("previous_tier"); break;
    case MessageContext::points_expiring: names.insert(names.end(), {"expiring_points", "expiry_date"}); break;
    case MessageContext::balance_threshold: names.push_back("threshold"); break;
  }
  return names;
}

std::string join_placeholders(const std::vector<std::string_view>& names) {
  std::string list;
  for (std::string_view name : names) {
    if (!list.empty()) list += ", ";
    list += "{" + std::string(name) + "}";
  }
  return list;
}

void check_one_text(std::string_view text, const std::vector<std::string_view>& known, const std::string& path,
                    std::vector<FieldError>& errors) {
  std::size_t position = 0;
  while (position < text.size()) {
    const std::size_t open = text.find_first_of("{}", position);
    if (open == std::string_view::npos) return;
    const std::size_t close = text[open] == '{' ? text.find('}', open) : std::string_view::npos;
    const std::size_t next_open = text.find('{', open + 1);
    if (close == std::string_view::npos || (next_open != std::string_view::npos && next_open < close)) {
      errors.push_back({path, "có dấu ngoặc nhọn không thành cặp; chỗ giữ chỗ có dạng {name}",
                        "has a brace without its pair; a placeholder looks like {name}"});
      return;
    }
    const std::string_view name = text.substr(open + 1, close - open - 1);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      const std::string list = join_placeholders(known);
      errors.push_back({path, "không có chỗ giữ chỗ {" + std::string(name) + "}; dùng được: " + list,
                        "there is no placeholder {" + std::string(name) + "}; known: " + list});
    }
    position = close + 1;
  }
}
}  // namespace

std::string_view notification_channel_name(NotificationChannel channel) {
  static constexpr std::array<std::string_view, 4> names = {"app_push", "zalo", "sms", "email"};
  return names.at(static_cast<std::size_t>(channel));
}

std::optional<NotificationChannel> notification_channel_from_name(std::string_view name) {
  for (NotificationChannel channel : {NotificationChannel::app_push, NotificationChannel::zalo, NotificationChannel::sms,
                                      NotificationChannel::email}) {
    if (notification_channel_name(channel) == name) return channel;
  }
  return std::nullopt;
}

std::string_view target_kind_name(TargetKind kind) {
  static constexpr std::array<std::string_view, 3> names = {"none", "campaign", "link"};
  return names.at(static_cast<std::size_t>(kind));
}

std::string_view notification_status_name(NotificationStatus status) {
  static constexpr std::array<std::string_view, 5> names = {"draft", "scheduled", "sending", "sent", "cancelled"};
  return names.at(static_cast<std::size_t>(status));
}

std::string_view scenario_kind_name(ScenarioKind kind) {
  static constexpr std::array<std::string_view, 5> names = {"birthday", "order_thanks", "tier_upgrade", "points_expiring",
                                                            "balance_threshold"};
  return names.at(static_cast<std::size_t>(kind));
}

std::optional<DeliveryMarkKind> delivery_mark_from_name(std::string_view name) {
  if (name == "sent") return DeliveryMarkKind::sent;
  if (name == "failed") return DeliveryMarkKind::failed;
  if (name == "opened") return DeliveryMarkKind::opened;
  if (name == "clicked") return DeliveryMarkKind::clicked;
  return std::nullopt;
}

void check_placeholders(const MessageText& text, MessageContext context, bool has_campaign, std::string_view path,
                        std::vector<FieldError>& errors) {
  const std::vector<std::string_view> known = context_placeholders(context, has_campaign);
  check_one_text(text.title, known, FieldReader::join(path, "title"), errors);
  check_one_text(text.body, known, FieldReader::join(path, "body"), errors);
  check_one_text(text.title_en, known, FieldReader::join(path, "title_en"), errors);
  check_one_text(text.body_en, known, FieldReader::join(path, "body_en"), errors);
}

std::string fill_placeholders(std::string_view text, const std::unordered_map<std::string, std::string>& values) {
  std::string filled;
  filled.reserve(text.size() + 32);
  std::size_t position = 0;
  while (position < text.size()) {
    const std::size_t open = text.find('{', position);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) break;
    filled.append(text.substr(position, open - position));
    const auto value = values.find(std::string(text.substr(open + 1, close - open - 1)));
    if (value != values.end()) filled += value->second;
    position = close + 1;
  }
  filled.append(text.substr(std::min(position, text.size())));
  return filled;
}

UtcSeconds delivery_retry_delay_s(std::uint32_t failures) {
  assert(failures >= 1);
  return UtcSeconds{60} << std::min<std::uint32_t>(failures - 1, 10);
}

UtcSeconds next_allowed_utc(UtcSeconds time, const QuietHours& quiet, const TimeZone& zone) {
  if (!quiet.any()) return time;
  const UtcSeconds local = time + static_cast<UtcSeconds>(zone.utc_offset_minutes) * 60;
  const UtcSeconds day_start_local = local - ((local % seconds_per_day) + seconds_per_day) % seconds_per_day;
  const auto minute = static_cast<std::int32_t>((local - day_start_local) / 60);
  const bool crosses_midnight = quiet.start_minute > quiet.end_minute;
  const bool quiet_now = crosses_midnight ? (minute >= quiet.start_minute || minute < quiet.end_minute)
                                          : (minute >= quiet.start_minute && minute < quiet.end_minute);
  if (!quiet_now) return time;
  // The end of the quiet hours: today's when it is still ahead, else tomorrow's.
  UtcSeconds end_local = day_start_local + static_cast<UtcSeconds>(quiet.end_minute) * 60;
  if (end_local <= local) end_local += seconds_per_day;
  return end_local - static_cast<UtcSeconds>(zone.utc_offset_minutes) * 60;
}

std::uint64_t occasion_key(ScenarioKind kind, MemberIndex member, std::int64_t subject) {
  // An order has one member: its index alone names the occasion.
  if (kind == ScenarioKind::order_thanks) return static_cast<std::uint64_t>(subject);
  return (static_cast<std::uint64_t>(member) << 32) | static_cast<std::uint32_t>(subject);
}

std::uint32_t Notification::position_of(MemberIndex member) const {
  if (audience_members.empty()) return member < audience_count ? member : UINT32_MAX;
  const auto found = std::lower_bound(audience_members.begin(), audience_members.end(), member);
  return found != audience_members.end() && *found == member ? static_cast<std::uint32_t>(found - audience_members.begin())
                                                             : UINT32_MAX;
}

// ---------------------------------------------------------------------------------------------
// Documents

NotificationConfigReading read_notification_config(const Json& document, std::string_view path) {
  NotificationConfigReading reading;
  FieldReader reader(reading.errors);
  if (!reader.require_object(document, path)) return reading;
  reader.reject_unknown_keys(document, path, {"notification_id", "title", "body", "title_en", "body_en", "target",
                                              "audience_group_id", "channel", "send_at"});
  NotificationConfig config;
  read_id(reader, document, "notification_id", path, config.notification_id);
  read_message(reader, document, path, config.message);
  read_target(reader, document, path, config.target);
  if (auto group = reader.text(document, "audience_group_id", path, 64, false)) {
    if (!is_valid_key(*group, 64)) {
      reader.add(FieldReader::join(path, "audience_group_id"), "chỉ gồm ký tự ASCII in được, không khoảng trắng", "printable ASCII without spaces only");
    }
    config.audience_group_id = *group;
  }
  config.channel = read_channel(reader, document, path);
  config.send_at_utc = reader.time(document, "send_at", path, false);
  check_placeholders(config.message, MessageContext::notification, config.target.kind == TargetKind::campaign, path, reading.errors);
  if (reading.errors.empty()) reading.config = std::move(config);
  return reading;
}

Json notification_config_to_json(const NotificationConfig& config) {
  Json json{{"notification_id", config.notification_id}};
  message_to_json(config.message, json);
  json["target"] = target_to_json(config.target);
  if (!config.audience_group_id.empty()) json["audience_group_id"] = config.audience_group_id;
  json["channel"] = notification_channel_name(config.channel);
  if (config.send_at_utc) json["send_at"] = format_utc_time(*config.send_at_utc);
  return json;
}

ScenarioConfigReading read_scenario_config(const Json& document, std::string_view path) {
  ScenarioConfigReading reading;
  FieldReader reader(reading.errors);
  if (!reader.require_object(document, path)) return reading;
  reader.reject_unknown_keys(document, path, {"scenario_id", "name", "kind", "enabled", "title", "body", "title_en", "body_en",
                                              "target", "channel", "local_time", "delay_minutes", "days_before",
                                              "threshold_points", "quiet_hours"});
  ScenarioConfig config;
  read_id(reader, document, "scenario_id", path, config.scenario_id);
  config.name = reader.text(document, "name", path, 200, true).value_or("");
  const std::string kind = reader.text(document, "kind", path, 32, true).value_or("");
  bool kind_known = kind.empty();
  for (ScenarioKind candidate : {ScenarioKind::birthday, ScenarioKind::order_thanks, ScenarioKind::tier_upgrade,
                                 ScenarioKind::points_expiring, ScenarioKind::balance_threshold}) {
    if (scenario_kind_name(candidate) == kind) {
      config.kind = candidate;
      kind_known = true;
    }
  }
  if (!kind_known) {
    reader.add(FieldReader::join(path, "kind"), "phải là birthday, order_thanks, tier_upgrade, points_expiring hoặc balance_threshold",
               "must be birthday, order_thanks, tier_upgrade, points_expiring or balance_threshold");
  }
  config.enabled = reader.boolean(document, "enabled", path, false).value_or(true);
  read_message(reader, document, path, config.message);
  read_target(reader, document, path, config.target);
  config.channel = read_channel(reader, document, path);
  // Each kind's own settings, and only those.
  const bool daily = config.kind == ScenarioKind::birthday || config.kind == ScenarioKind::points_expiring;
  auto only_for = [&](std::string_view key, bool allowed, std::string_view kinds) {
    if (!allowed && document.contains(key)) {
      reader.add(FieldReader::join(path, key), "chỉ dùng với kind " + std::string(kinds), "only with kind " + std::string(kinds));
    }
  };
  if (kind_known && !kind.empty()) {
    only_for("local_time", daily, "birthday, points_expiring");
    only_for("delay_minutes", config.kind == ScenarioKind::order_thanks, "order_thanks");
    only_for("days_before", config.kind == ScenarioKind::points_expiring, "points_expiring");
    only_for("threshold_points", config.kind == ScenarioKind::balance_threshold, "balance_threshold");
  }
  if (daily) config.local_minute = read_local_minute(reader, document, "local_time", path, false, 9 * 60);
  if (config.kind == ScenarioKind::order_thanks) {
    config.delay_minutes = reader.integer(document, "delay_minutes", path, 0, delay_minutes_max, false).value_or(0);
  }
  if (config.kind == ScenarioKind::points_expiring) {
    config.days_before = static_cast<std::int32_t>(reader.integer(document, "days_before", path, 1, days_before_max, false).value_or(7));
  }
  if (config.kind == ScenarioKind::balance_threshold) {
    config.threshold_points = reader.integer(document, "threshold_points", path, 1, points_max, true).value_or(0);
  }
  if (const auto quiet = document.find("quiet_hours"); quiet != document.end() && !quiet->is_null()) {
    const std::string quiet_path = FieldReader::join(path, "quiet_hours");
    if (reader.require_object(*quiet, quiet_path)) {
      reader.reject_unknown_keys(*quiet, quiet_path, {"from", "to"});
      config.quiet_hours.start_minute = read_local_minute(reader, *quiet, "from", quiet_path, true, 0);
      config.quiet_hours.end_minute = read_local_minute(reader, *quiet, "to", quiet_path, true, 0);
      if (reading.errors.empty() && !config.quiet_hours.any()) {
        reader.add(FieldReader::join(quiet_path, "to"), "phải khác from", "must differ from from");
      }
    }
  }
  if (kind_known) {
    static constexpr std::array<MessageContext, 5> contexts = {MessageContext::birthday, MessageContext::order_thanks,
                                                               MessageContext::tier_upgrade, MessageContext::points_expiring,
                                                               MessageContext::balance_threshold};
    check_placeholders(config.message, contexts[static_cast<std::size_t>(config.kind)], config.target.kind == TargetKind::campaign,
                       path, reading.errors);
  }
  if (reading.errors.empty()) reading.config = std::move(config);
  return reading;
}

Json scenario_config_to_json(const ScenarioConfig& config) {
  Json json{{"scenario_id", config.scenario_id}, {"name", config.name}, {"kind", scenario_kind_name(config.kind)},
            {"enabled", config.enabled}};
  message_to_json(config.message, json);
  json["target"] = target_to_json(config.target);
  json["channel"] = notification_channel_name(config.channel);
  switch (config.kind) {
    case ScenarioKind::birthday: json["local_time"] = format_local_minute(config.local_minute); break;
    case ScenarioKind::order_thanks: json["delay_minutes"] = config.delay_minutes; break;
    case ScenarioKind::tier_upgrade: break;
    case ScenarioKind::points_expiring:
      json["local_time"] = format_local_minute(config.local_minute);
      json["days_before"] = config.days_before;
      break;
    case ScenarioKind::balance_threshold: json["threshold_points"] = config.threshold_points; break;
  }
  if (config.quiet_hours.any()) {
    json["quiet_hours"] = {{"from", format_local_minute(config.quiet_hours.start_minute)},
                           {"to", format_local_minute(config.quiet_hours.end_minute)}};
  }
  return json;
}

// ---------------------------------------------------------------------------------------------
// Records

std::uint32_t Notifications::find_notification(std::string_view notification_id) const {
  const auto found = notification_by_id_.find(std::string(notification_id));
  return found == notification_by_id_.end() ? UINT32_MAX : found->second;
}

std::uint32_t Notifications::find_scenario(std::string_view scenario_id) const {
  const auto found = scenario_by_id_.find(std::string(scenario_id));
  return found == scenario_by_id_.end() ? UINT32_MAX : found->second;
}

void Notifications::recount(Notification& notification) const {
  notification.done_count = notification.sent_count = notification.failed_count = notification.skipped_count = 0;
  notification.opened_count = notification.clicked_count = 0;
  for (const std::uint8_t flags : notification.flags) {
    notification.done_count += (flags & delivery_flag::done) != 0;
    notification.sent_count += (flags & delivery_flag::sent) != 0;
    notification.failed_count += (flags & delivery_flag::failed) != 0;
    notification.skipped_count += (flags & delivery_flag::skipped) != 0;
    notification.opened_count += (flags & delivery_flag::opened) != 0;
    notification.clicked_count += (flags & delivery_flag::clicked) != 0;
  }
}

void Notifications::advance_open_occasions() {
  while (first_open_occasion_ < occasions_.size() && (occasions_[first_open_occasion_].flags & delivery_flag::done) != 0) {
    ++first_open_occasion_;
  }
}

std::string Notifications::rebuild_lookups() {
  notification_by_id_.clear();
  scenario_by_id_.clear();
  for (std::uint32_t i = 0; i < notifications_.size(); ++i) {
    if (!notification_by_id_.emplace(notifications_[i].config.notification_id, i).second) {
      return "snapshot: notification " + notifications_[i].config.notification_id + " is held twice";
    }
    recount(notifications_[i]);
  }
  for (std::uint32_t i = 0; i < scenarios_.size(); ++i) {
    if (!scenario_by_id_.emplace(scenarios_[i].config.scenario_id, i).second) {
      return "snapshot: scenario " + scenarios_[i].config.scenario_id + " is held twice";
    }
    scenarios_[i].fired.clear();
  }
  for (const ScenarioOccasion& occasion : occasions_) {
    Scenario& scenario = scenarios_[occasion.scenario];
    if (!scenario.fired.insert(occasion_key(scenario.config.kind, occasion.member, occasion.subject)).second &&
        scenario.config.kind != ScenarioKind::tier_upgrade && scenario.config.kind != ScenarioKind::balance_threshold) {
      return "snapshot: an occasion of scenario " + scenario.config.scenario_id + " is held twice";
    }
  }
  first_open_occasion_ = 0;
  advance_open_occasions();
  return {};
}

std::string Notifications::check_invariants(std::size_t members) const {
  for (const Notification& notification : notifications_) {
    const std::string& id = notification.config.notification_id;
    const bool started = notification.started_at_utc != 0 || notification.status == NotificationStatus::sending ||
                         notification.status == NotificationStatus::sent;
    if (notification.flags.size() != notification.audience_count) return "notification " + id + " has flags for another audience";
    if (!started && notification.audience_count != 0) return "notification " + id + " has an audience before it started";
    if (!notification.audience_members.empty() && notification.audience_members.size() != notification.audience_count) {
      return "notification " + id + " lists another audience than it counts";
    }
    if (notification.audience_members.empty() && notification.audience_count > members) {
      return "notification " + id + " counts more members than the store has";
    }
    for (std::size_t i = 0; i < notification.audience_members.size(); ++i) {
      if (notification.audience_members[i] >= members || (i > 0 && notification.audience_members[i] <= notification.audience_members[i - 1])) {
        return "notification " + id + " has an audience that is not sorted member indexes";
      }
    }
    for (const std::uint8_t flags : notification.flags) {
      if ((flags & ~delivery_flag::all) != 0) return "notification " + id + " has an unknown delivery flag";
      if ((flags & (delivery_flag::opened | delivery_flag::clicked)) != 0 && (flags & delivery_flag::sent) == 0) {
        return "notification " + id + " has a delivery opened before it was sent";
      }
    }
    if (notification.status == NotificationStatus::sent && notification.done_count != notification.audience_count) {
      return "notification " + id + " is sent with deliveries not done";
    }
    for (const auto& [position, failure] : notification.failures) {
      if (position >= notification.audience_count || failure.failures == 0 || failure.failures > delivery_attempts_max) {
        return "notification " + id + " has a failure out of range";
      }
    }
    if (notification.opens.size() != notification.opened_count) return "notification " + id + " lists other opens than it counts";
    for (const DeliveryOpen& open : notification.opens) {
      if (notification.position_of(open.member) == UINT32_MAX) return "notification " + id + " has an open outside its audience";
    }
  }
  for (const Scenario& scenario : scenarios_) {
    if (!scenario.above_threshold.empty() && scenario.above_threshold.size() != (members + 63) / 64) {
      return "scenario " + scenario.config.scenario_id + " has threshold bits for another member count";
    }
  }
  for (const ScenarioOccasion& occasion : occasions_) {
    if (occasion.scenario >= scenarios_.size() || occasion.member >= members) return "an occasion is out of range";
    if ((occasion.flags & ~delivery_flag::all) != 0 || occasion.failure.failures > delivery_attempts_max) {
      return "an occasion has an unknown state";
    }
    if ((occasion.flags & (delivery_flag::opened | delivery_flag::clicked)) != 0 && (occasion.flags & delivery_flag::sent) == 0) {
      return "an occasion was opened before it was sent";
    }
  }
  return {};
}

std::size_t Notifications::memory_bytes() const {
  std::size_t bytes = notifications_.capacity() * sizeof(Notification) + scenarios_.capacity() * sizeof(Scenario) +
                      occasions_.capacity() * sizeof(ScenarioOccasion);
  for (const Notification& notification : notifications_) {
    bytes += notification.audience_members.capacity() * sizeof(MemberIndex) + notification.flags.capacity() +
             notification.failures.size() * (sizeof(DeliveryFailure) + 32) + notification.opens.capacity() * sizeof(DeliveryOpen);
  }
  for (const Scenario& scenario : scenarios_) {
    bytes += scenario.above_threshold.capacity() * sizeof(std::uint64_t) + scenario.fired.size() * 24;
  }
  return bytes;
}

}  // namespace loyalty
