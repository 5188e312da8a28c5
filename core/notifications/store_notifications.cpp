// store_notifications.cpp: the Store's side of notifications and scenarios: what needs
// members, orders, lots, tiers and groups (the audience and who is excluded from it, what
// fires a scenario, the time in the store's zone, the message's placeholders). The
// records and their own rules are in notifications.cpp.
//
// When things happen:
//   a notification starts sending at its send time, a due item (the audience is fixed then);
//   birthday and points_expiring run once a day at their local time, a due item;
//   order_thanks is created when an order completes, due `delay_minutes` after its time;
//   tier_upgrade and balance_threshold are created by the command that moves the member
//   (tier_changed upwards; available points at or above the threshold, from below);
//   an occasion or a retry due later than the clock has a wake-up due item, so that
//   next_due_utc() tells the host when to ask again.
#include "core/store.hpp"

#include <algorithm>
#include <cassert>
#include <map>

#include "core/store_limits.hpp"

namespace loyalty {

namespace {
const TimeZone& zone_of(const ProgramVersion* program) {
  static const TimeZone fallback;
  return program != nullptr ? program->config.time_zone : fallback;
}

bool above(const std::vector<std::uint64_t>& bits, MemberIndex member) {
  return (member >> 6) < bits.size() && ((bits[member >> 6] >> (member & 63)) & 1) != 0;
}

void set_bit(std::vector<std::uint64_t>& bits, MemberIndex member, bool value) {
  if ((member >> 6) >= bits.size()) bits.resize((member >> 6) + 1, 0);
  const std::uint64_t mask = std::uint64_t{1} << (member & 63);
  bits[member >> 6] = value ? (bits[member >> 6] | mask) : (bits[member >> 6] & ~mask);
}

// Updates a notification's counters for one delivery going from `before` to `after`.
void count_flags(Notification& notification, std::uint8_t before, std::uint8_t after) {
  auto step = [&](std::uint8_t flag, std::uint32_t& counter) {
    if ((before & flag) == 0 && (after & flag) != 0) ++counter;
    if ((before & flag) != 0 && (after & flag) == 0) --counter;
  };
  const bool was_done = (before & delivery_flag::done) != 0, is_done = (after & delivery_flag::done) != 0;
  if (!was_done && is_done) ++notification.done_count;
  if (was_done && !is_done) --notification.done_count;
  step(delivery_flag::sent, notification.sent_count);
  step(delivery_flag::failed, notification.failed_count);
  step(delivery_flag::skipped, notification.skipped_count);
  step(delivery_flag::opened, notification.opened_count);
  step(delivery_flag::clicked, notification.clicked_count);
}

// The rules of the document, whoever built the config: what is saved always reads back (a
// snapshot stores the document and reads it with the same rules).
template <typename Config, typename Reading>
Result reads_back(const Config& config, Reading (*read)(const Json&, std::string_view), Json (*to_json)(const Config&),
                  const char* path) {
  Reading again = read(to_json(config), path);
  if (again.config && *again.config == config) return Result::success();
  Result invalid{ResultCode::invalid_field, std::move(again.errors)};
  if (invalid.errors.empty()) invalid.errors.push_back({path, "không đọc lại được như đã lưu", "does not read back as saved"});
  return invalid;
}

std::string tier_name(const ProgramVersion* program, std::int64_t tier_index, bool english) {
  if (program == nullptr || tier_index < 0 || tier_index >= static_cast<std::int64_t>(program->config.tiers.size())) return "";
  const Tier& tier = program->config.tiers[static_cast<std::size_t>(tier_index)];
  return english && !tier.name_en.empty() ? tier.name_en : tier.name;
}
}  // namespace

bool Store::member_reachable(MemberIndex member, NotificationChannel channel) const {
  const Member& record = members_[member];
  if (record.status == MemberStatus::blocked) return false;
  switch (channel) {
    case NotificationChannel::app_push: return record.opt_ins.push;
    case NotificationChannel::zalo: return record.opt_ins.zalo;
    case NotificationChannel::sms: return record.opt_ins.sms;
    case NotificationChannel::email: return record.opt_ins.email && !record.email.empty();
  }
  return false;
}

// What a message may point to: a campaign must exist, or nobody could open its page.
Result Store::check_message_references(const MessageTarget& target, std::string_view path) const {
  if (target.kind == TargetKind::campaign && campaigns_.find_campaign(target.campaign_id) == no_index) {
    return Result::field(std::string(path) + ".target.campaign_id", "không có chương trình voucher này", "no such voucher campaign");
  }
  return Result::success();
}

// ---------------------------------------------------------------------------------------------
// Notifications

Result Store::save_notification(const NotificationConfig& config, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  if (Result invalid = reads_back(config, read_notification_config, notification_config_to_json, "notification"); !invalid.ok()) {
    return invalid;
  }
  if (Result references = check_message_references(config.target, "notification"); !references.ok()) return references;
  if (!config.audience_group_id.empty() && groups_.find(config.audience_group_id) == nullptr) {
    return Result::field("notification.audience_group_id", "không có nhóm khách hàng này", "no such customer group");
  }
  const std::uint32_t known = notifications_.find_notification(config.notification_id);
  if (known == UINT32_MAX) {
    if (notifications_.notifications_.size() >= notifications_max) return Result::failure(ResultCode::notification_limit_reached);
    // After this point the command must succeed.
    const auto index = static_cast<std::uint32_t>(notifications_.notifications_.size());
    notifications_.notifications_.push_back(Notification{config, NotificationStatus::draft, now});
    notifications_.notification_by_id_.emplace(config.notification_id, index);
    settle(changes);
    return Result::success();
  }
  Notification& notification = notifications_.notifications_[known];
  if (notification.config == config) return Result::failure(ResultCode::already_applied);
  // Once sending has started, what members received stays what the record says.
  if (notification.status != NotificationStatus::draft && notification.status != NotificationStatus::scheduled) {
    return Result::failure(ResultCode::notification_status_not_allowed);
  }
  // After this point the command must succeed.
  notification.config = config;
  notification.saved_at_utc = now;
  if (notification.status == NotificationStatus::scheduled) {
    // A new send time replaces the old one (whose due item is then stale).
    notification.send_at_utc = std::max(config.send_at_utc.value_or(now), now);
    schedule({notification.send_at_utc, DueKind::notification_start, known});
  }
  settle(changes);
  return Result::success();
}

Result Store::schedule_notification(std::string_view notification_id, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  const std::uint32_t index = notifications_.find_notification(notification_id);
  if (index == UINT32_MAX) return Result::failure(ResultCode::notification_not_found);
  Notification& notification = notifications_.notifications_[index];
  if (notification.status == NotificationStatus::cancelled) return Result::failure(ResultCode::notification_status_not_allowed);
  if (notification.status != NotificationStatus::draft) return Result::failure(ResultCode::already_applied);
  if (Result references = check_message_references(notification.config.target, "notification"); !references.ok()) return references;
  if (!notification.config.audience_group_id.empty() && groups_.find(notification.config.audience_group_id) == nullptr) {
    return Result::failure(ResultCode::group_not_found);
  }
  // After this point the command must succeed.
  notification.status = NotificationStatus::scheduled;
  // No send time, or one already past: it starts now (settle runs its due item).
  notification.send_at_utc = std::max(notification.config.send_at_utc.value_or(now), now);
  schedule({notification.send_at_utc, DueKind::notification_start, index});
  settle(changes);
  return Result::success();
}

Result Store::cancel_notification(std::string_view notification_id, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  const std::uint32_t index = notifications_.find_notification(notification_id);
  if (index == UINT32_MAX) return Result::failure(ResultCode::notification_not_found);
  Notification& notification = notifications_.notifications_[index];
  if (notification.status == NotificationStatus::cancelled) return Result::failure(ResultCode::already_applied);
  if (notification.status == NotificationStatus::sent) return Result::failure(ResultCode::notification_status_not_allowed);
  // After this point the command must succeed. Deliveries not yet sent are no longer due;
  // one the host sent meanwhile may still be marked sent.
  notification.status = NotificationStatus::cancelled;
  notification.finished_at_utc = now;
  settle(changes);
  return Result::success();
}

// The audience is fixed at the send time: a group as it stands then, everyone who is a
// member then; those excluded then are skipped at once.
void Store::start_notification(std::uint32_t index, UtcSeconds scheduled_at, UtcSeconds now) {
  Notification& notification = notifications_.notifications_[index];
  if (notification.status != NotificationStatus::scheduled || notification.send_at_utc != scheduled_at) return;   // stale
  notification.status = NotificationStatus::sending;
  notification.started_at_utc = now;
  if (notification.config.audience_group_id.empty()) {
    notification.audience_count = static_cast<std::uint32_t>(members_.size());
  } else {
    MemberSet set;
    if (evaluate_group(notification.config.audience_group_id, now, set).ok()) {
      for (MemberIndex member = set.next(0); member != no_member; member = set.next(member + 1)) {
        notification.audience_members.push_back(member);
      }
    }
    notification.audience_count = static_cast<std::uint32_t>(notification.audience_members.size());
  }
  notification.flags.assign(notification.audience_count, 0);
  for (std::uint32_t position = 0; position < notification.audience_count; ++position) {
    if (!member_reachable(notification.member_at(position), notification.config.channel)) {
      notification.flags[position] = delivery_flag::skipped;
    }
  }
  notifications_.recount(notification);
  finish_if_done(notification, now);
}

void Store::finish_if_done(Notification& notification, UtcSeconds now) {
  if (notification.status == NotificationStatus::sending && notification.done_count == notification.audience_count) {
    notification.status = NotificationStatus::sent;
    notification.finished_at_utc = now;
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

UtcSeconds Store::next_scenario_scan(const ScenarioConfig& config, UtcSeconds now) const {
  if (!config.enabled || (config.kind != ScenarioKind::birthday && config.kind != ScenarioKind::points_expiring)) return INT64_MAX;
  const TimeZone& zone = zone_of(program_at(now));
  UtcSeconds next = local_midnight_utc(local_date(now, zone), zone) + static_cast<UtcSeconds>(config.local_minute) * 60;
  if (next <= now) next += seconds_per_day;
  return next;
}

Result Store::save_scenario(const ScenarioConfig& config, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  if (Result invalid = reads_back(config, read_scenario_config, scenario_config_to_json, "scenario"); !invalid.ok()) return invalid;
  if (Result references = check_message_references(config.target, "scenario"); !references.ok()) return references;
  std::uint32_t index = notifications_.find_scenario(config.scenario_id);
  const bool created = index == UINT32_MAX;
  if (created) {
    if (notifications_.scenarios_.size() >= scenarios_max) return Result::failure(ResultCode::notification_limit_reached);
  } else {
    const Scenario& scenario = notifications_.scenarios_[index];
    if (scenario.config == config) return Result::failure(ResultCode::already_applied);
    // An occasion's subject means what its kind says: another kind is another scenario.
    if (scenario.config.kind != config.kind) {
      return Result::field("scenario.kind", "không đổi được; hãy tạo kịch bản mới", "cannot change; create another scenario");
    }
  }
  // After this point the command must succeed.
  if (created) {
    index = static_cast<std::uint32_t>(notifications_.scenarios_.size());
    notifications_.scenarios_.push_back(Scenario{});
    notifications_.scenario_by_id_.emplace(config.scenario_id, index);
  }
  Scenario& scenario = notifications_.scenarios_[index];
  const bool was_counting = !created && scenario.config.enabled && scenario.config.threshold_points == config.threshold_points;
  scenario.config = config;
  scenario.saved_at_utc = now;
  if (!config.enabled) {
    // A scenario turned off sends nothing more, not even what it had made due.
    for (std::uint32_t i = notifications_.first_open_occasion_; i < notifications_.occasions_.size(); ++i) {
      ScenarioOccasion& occasion = notifications_.occasions_[i];
      if (occasion.scenario == index && (occasion.flags & delivery_flag::done) == 0) occasion.flags |= delivery_flag::skipped;
    }
    notifications_.advance_open_occasions();
  }
  if (config.kind == ScenarioKind::balance_threshold && config.enabled && !was_counting) {
    // Members already at or above the threshold do not fire: only a crossing from now on does.
    scenario.above_threshold.assign((members_.size() + 63) / 64, 0);
    for (MemberIndex member = 0; member < members_.size(); ++member) {
      if (available_points(member) >= config.threshold_points) set_bit(scenario.above_threshold, member, true);
    }
  }
  const UtcSeconds next_scan = next_scenario_scan(config, now);
  if (next_scan != scenario.next_scan_utc) {
    scenario.next_scan_utc = next_scan;
    if (next_scan != INT64_MAX) schedule({next_scan, DueKind::scenario_scan, index});
  }
  settle(changes);
  return Result::success();
}

// One occasion of a scenario, unless the member cannot be reached or it already fired.
void Store::add_occasion(std::uint32_t scenario_index, MemberIndex member, UtcSeconds occurred_at, UtcSeconds due_at,
                         std::int64_t subject, Points points) {
  Scenario& scenario = notifications_.scenarios_[scenario_index];
  if (!scenario.config.enabled || !member_reachable(member, scenario.config.channel)) return;
  const std::uint64_t key = occasion_key(scenario.config.kind, member, subject);
  const bool event_driven = scenario.config.kind == ScenarioKind::tier_upgrade || scenario.config.kind == ScenarioKind::balance_threshold;
  if (!scenario.fired.insert(key).second && !event_driven) return;   // once per occasion
  ScenarioOccasion occasion;
  occasion.scenario = scenario_index;
  occasion.member = member;
  occasion.occurred_at_utc = occurred_at;
  occasion.due_at_utc = next_allowed_utc(std::max(due_at, clock_utc_), scenario.config.quiet_hours, zone_of(program_at(clock_utc_)));
  occasion.subject = subject;
  occasion.points = points;
  notifications_.occasions_.push_back(occasion);
  if (occasion.due_at_utc > clock_utc_) schedule({occasion.due_at_utc, DueKind::delivery_wake, 0});
}

void Store::notice_order_completed(std::uint32_t order_index, UtcSeconds completed_at) {
  for (std::uint32_t i = 0; i < notifications_.scenarios_.size(); ++i) {
    const ScenarioConfig& config = notifications_.scenarios_[i].config;
    if (config.kind != ScenarioKind::order_thanks || !config.enabled) continue;
    const Order& order = orders_[order_index];
    add_occasion(i, order.member, completed_at, completed_at + config.delay_minutes * 60, order_index, order.buyer_points_earned);
  }
}

void Store::run_scenario_scan(std::uint32_t scenario_index, UtcSeconds at) {
  Scenario& scenario = notifications_.scenarios_[scenario_index];
  if (scenario.next_scan_utc != at || !scenario.config.enabled) return;   // stale: saved again since
  const TimeZone& zone = zone_of(program_at(at));
  const CivilDate today = local_date(at, zone);
  if (scenario.config.kind == ScenarioKind::birthday) {
    // 29/02 birthdays are greeted on 28/02 in other years (as the birthday perk gives them).
    const bool leap_year = is_valid_date(today.year, 2, 29);
    const bool also_29_02 = !leap_year && today.month == 2 && today.day == 28;
    for (MemberIndex member = 0; member < members_.size(); ++member) {
      const Birthday& birthday = members_[member].birthday;
      const bool today_is_birthday = (birthday.month == today.month && birthday.day == today.day) ||
                                     (also_29_02 && birthday.month == 2 && birthday.day == 29);
      if (today_is_birthday) add_occasion(scenario_index, member, at, at, today.year, 0);
    }
  } else {
    // The lots whose last day to be spent is `days_before` days from today, by member.
    const std::int64_t last_day = days_from_civil(today) + scenario.config.days_before;
    std::map<MemberIndex, Points> expiring;
    for (std::size_t i = 0; i < lots_.size(); ++i) {
      const PointLot& lot = lots_[i];
      if (lot.pending || lot.points_remaining <= 0 || lot.expires_at_utc == INT64_MAX) continue;
      if (days_from_civil(local_date(lot.expires_at_utc - 1, zone)) == last_day) expiring[lot.member] += lot.points_remaining;
    }
    for (const auto& [member, points] : expiring) add_occasion(scenario_index, member, at, at, last_day, points);
  }
  // Scan ids stay in range: the scenario is run again tomorrow at the same local time.
  notifications_.scenarios_[scenario_index].next_scan_utc = at + seconds_per_day;
  schedule({at + seconds_per_day, DueKind::scenario_scan, scenario_index});
}

void Store::run_notification_due(DueKind kind, std::uint32_t subject, UtcSeconds at, UtcSeconds posted_at) {
  switch (kind) {
    case DueKind::notification_start: start_notification(subject, at, posted_at); break;
    case DueKind::scenario_scan: run_scenario_scan(subject, at); break;
    default: break;   // delivery_wake: only wakes the host (next_due_utc)
  }
}

// A member who can no longer be reached is skipped wherever a delivery to them waits.
void Store::skip_unreachable(MemberIndex member) {
  for (Notification& notification : notifications_.notifications_) {
    if (notification.status != NotificationStatus::sending || member_reachable(member, notification.config.channel)) continue;
    const std::uint32_t position = notification.position_of(member);
    if (position == UINT32_MAX || (notification.flags[position] & delivery_flag::done) != 0) continue;
    const std::uint8_t before = notification.flags[position];
    notification.flags[position] = before | delivery_flag::skipped;
    count_flags(notification, before, notification.flags[position]);
    finish_if_done(notification, clock_utc_);
  }
  for (std::uint32_t i = notifications_.first_open_occasion_; i < notifications_.occasions_.size(); ++i) {
    ScenarioOccasion& occasion = notifications_.occasions_[i];
    if (occasion.member != member || (occasion.flags & delivery_flag::done) != 0) continue;
    if (!member_reachable(member, notifications_.scenarios_[occasion.scenario].config.channel)) occasion.flags |= delivery_flag::skipped;
  }
  notifications_.advance_open_occasions();
}

void Store::notice_for_notifications(Changes& changes) {
  if (notifications_.scenarios_.empty() && notifications_.notifications_.empty()) {
    noticed_events_ = changes.events.size();
    return;
  }
  for (; noticed_events_ < changes.events.size(); ++noticed_events_) {
    const Event event = changes.events[noticed_events_];   // a copy: nothing here adds events, but stay safe
    if (event.kind == EventKind::member_updated) skip_unreachable(event.member);
    if (event.kind == EventKind::tier_changed && event.tier_to > event.tier_from && event.cause != TierChangeCause::joined) {
      for (std::uint32_t i = 0; i < notifications_.scenarios_.size(); ++i) {
        if (notifications_.scenarios_[i].config.kind == ScenarioKind::tier_upgrade) {
          add_occasion(i, event.member, event.time_utc, clock_utc_, event.tier_from, 0);
        }
      }
    }
  }
  // A balance crossing the threshold upwards fires; falling below arms it again.
  for (std::uint32_t i = 0; i < notifications_.scenarios_.size(); ++i) {
    Scenario& scenario = notifications_.scenarios_[i];
    if (scenario.config.kind != ScenarioKind::balance_threshold || !scenario.config.enabled) continue;
    for (const MemberIndex member : changes.members) {
      const Points balance = available_points(member);
      const bool now_above = balance >= scenario.config.threshold_points;
      if (now_above == above(scenario.above_threshold, member)) continue;
      set_bit(notifications_.scenarios_[i].above_threshold, member, now_above);
      if (now_above) add_occasion(i, member, clock_utc_, clock_utc_, 0, balance);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Deliveries

Result Store::find_delivery(std::string_view delivery_id, DeliveryRef& ref) const {
  ref = DeliveryRef{};
  const std::size_t first = delivery_id.find('/');
  const std::size_t second = first == std::string_view::npos ? first : delivery_id.find('/', first + 1);
  if (second == std::string_view::npos || (delivery_id.substr(0, first) != "n" && delivery_id.substr(0, first) != "s")) {
    return Result::field("delivery_id", "phải có dạng n/<notification_id>/<member_id> hoặc s/<scenario_id>/<số>",
                         "must look like n/<notification_id>/<member_id> or s/<scenario_id>/<number>");
  }
  const std::string_view source_id = delivery_id.substr(first + 1, second - first - 1);
  const std::string_view rest = delivery_id.substr(second + 1);
  if (delivery_id[0] == 'n') {
    const std::uint32_t index = notifications_.find_notification(source_id);
    if (index == UINT32_MAX) return Result::failure(ResultCode::delivery_not_found);
    const Notification& notification = notifications_.notifications_[index];
    const MemberIndex member = find_member(rest);
    if (member == no_member) return Result::failure(ResultCode::delivery_not_found);
    if (notification.started_at_utc == 0) return Result::failure(ResultCode::delivery_not_due);
    const std::uint32_t position = notification.position_of(member);
    if (position == UINT32_MAX) return Result::failure(ResultCode::delivery_not_found);
    ref = DeliveryRef{false, index, position, member};
    return Result::success();
  }
  const std::uint32_t scenario = notifications_.find_scenario(source_id);
  std::uint64_t number = 0;
  const bool digits = !rest.empty() && rest.size() <= 10 && std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; });
  for (char c : rest) number = digits ? number * 10 + static_cast<std::uint64_t>(c - '0') : 0;
  if (scenario == UINT32_MAX || number == 0 || number > notifications_.occasions_.size() ||
      notifications_.occasions_[number - 1].scenario != scenario) {
    return Result::failure(ResultCode::delivery_not_found);
  }
  ref = DeliveryRef{true, static_cast<std::uint32_t>(number - 1), UINT32_MAX, notifications_.occasions_[number - 1].member};
  return Result::success();
}

std::string Store::delivery_id(const DeliveryRef& ref) const {
  if (ref.scenario) {
    const ScenarioOccasion& occasion = notifications_.occasions_[ref.source];
    return "s/" + notifications_.scenarios_[occasion.scenario].config.scenario_id + "/" + std::to_string(ref.source + 1);
  }
  return "n/" + notifications_.notifications_[ref.source].config.notification_id + "/" + members_[ref.member].member_id;
}

Result Store::mark_delivery(const DeliveryMark& mark, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  DeliveryRef ref;
  if (Result found = find_delivery(mark.delivery_id, ref); !found.ok()) return found;
  Notification* notification = ref.scenario ? nullptr : &notifications_.notifications_[ref.source];
  ScenarioOccasion* occasion = ref.scenario ? &notifications_.occasions_[ref.source] : nullptr;
  if (occasion != nullptr && occasion->due_at_utc > now) return Result::failure(ResultCode::delivery_not_due);
  const std::uint8_t before = notification ? notification->flags[ref.position] : occasion->flags;
  DeliveryFailure* failure = nullptr;
  if (occasion != nullptr) {
    failure = &occasion->failure;
  } else if (const auto found = notification->failures.find(ref.position); found != notification->failures.end()) {
    failure = &found->second;
  }
  const std::uint32_t failures = failure != nullptr ? failure->failures : 0;
  const bool sent = (before & delivery_flag::sent) != 0;
  std::uint8_t after = before;
  switch (mark.kind) {
    case DeliveryMarkKind::sent:
      if (sent) return Result::failure(ResultCode::already_applied);
      // The host says it sent it: that is what happened, whatever was decided meanwhile.
      after = static_cast<std::uint8_t>((before & ~(delivery_flag::failed | delivery_flag::skipped)) | delivery_flag::sent);
      break;
    case DeliveryMarkKind::failed:
      if (sent) return Result::failure(ResultCode::delivery_already_sent);
      if (mark.attempt >= 1 && mark.attempt <= failures) return Result::failure(ResultCode::already_applied);
      if (mark.attempt != failures + 1) {
        return Result::field("attempt", "phải là " + std::to_string(failures + 1) + " (lần thử tiếp theo)",
                             "must be " + std::to_string(failures + 1) + " (the next attempt)");
      }
      if ((before & delivery_flag::done) != 0) return Result::failure(ResultCode::already_applied);
      if (failures + 1 >= delivery_attempts_max) after = before | delivery_flag::failed;
      break;
    case DeliveryMarkKind::opened:
    case DeliveryMarkKind::clicked: {
      if (!sent) return Result::failure(ResultCode::delivery_not_sent);
      const std::uint8_t flag = mark.kind == DeliveryMarkKind::opened ? delivery_flag::opened : delivery_flag::clicked;
      if ((before & flag) != 0) return Result::failure(ResultCode::already_applied);
      after = before | flag | delivery_flag::opened;   // a click opens it too
      break;
    }
  }
  // After this point the command must succeed.
  if (mark.kind == DeliveryMarkKind::failed) {
    if (failure == nullptr) failure = &notification->failures[ref.position];
    failure->failures = failures + 1;
    failure->reason = mark.reason;
    failure->retry_at_utc = (after & delivery_flag::failed) != 0 ? 0 : now + delivery_retry_delay_s(failure->failures);
    if (failure->retry_at_utc != 0) schedule({failure->retry_at_utc, DueKind::delivery_wake, 0});
  }
  const bool opened_now = (before & delivery_flag::opened) == 0 && (after & delivery_flag::opened) != 0;
  if (mark.kind == DeliveryMarkKind::sent) {
    // What a host hands on (the server's outbox, to the push gateway): once, with the mark.
    Event event{EventKind::delivery_sent, now, ref.member};
    event.delivery = ref;
    changes.events.push_back(event);
  }
  if (notification != nullptr) {
    notification->flags[ref.position] = after;
    count_flags(*notification, before, after);
    if (opened_now) notification->opens.push_back(DeliveryOpen{ref.member, now});
    finish_if_done(*notification, now);
  } else {
    occasion->flags = after;
    if (opened_now) occasion->opened_at_utc = now;
    notifications_.advance_open_occasions();
  }
  settle(changes);
  return Result::success();
}

Result Store::due_deliveries(UtcSeconds at, std::string_view after, std::size_t limit, DueDeliveries& due) const {
  due = DueDeliveries{};
  if (at > clock_utc_) {
    return Result::field("time", "sau đồng hồ của cửa hàng: hãy gửi process_due với thời điểm này trước",
                         "is after the store's clock: send process_due with this time first");
  }
  // Where the page starts: just after the delivery `after` (a delivery id as returned).
  bool in_scenarios = false;
  std::uint32_t source = 0, position = 0;
  if (!after.empty()) {
    DeliveryRef ref;
    if (!find_delivery(after, ref).ok()) return Result::field("after", "không phải mã lượt gửi đã trả về", "is not a delivery id that was returned");
    in_scenarios = ref.scenario;
    source = ref.scenario ? ref.source + 1 : ref.source;
    position = ref.scenario ? 0 : ref.position + 1;
  }
  for (std::uint32_t index = 0; index < notifications_.notifications_.size(); ++index) {
    const Notification& notification = notifications_.notifications_[index];
    if (notification.status != NotificationStatus::sending || notification.started_at_utc > at) continue;
    // Failed attempts waiting for their retry are not due yet; the rest not done are.
    std::uint64_t waiting = 0;
    for (const auto& [waiting_position, failure] : notification.failures) {
      if ((notification.flags[waiting_position] & delivery_flag::done) == 0 && failure.retry_at_utc > at) ++waiting;
    }
    due.count += notification.audience_count - notification.done_count - waiting;
    if (in_scenarios || index < source) continue;   // the cursor is past it: counted, not listed
    const std::uint8_t* flags = notification.flags.data();
    const bool no_failures = notification.failures.empty();
    for (std::uint32_t p = index == source ? position : 0; p < notification.audience_count; ++p) {
      if ((flags[p] & delivery_flag::done) != 0) continue;
      UtcSeconds due_at = notification.send_at_utc;
      std::uint32_t attempt = 1;
      if (!no_failures) {
        if (const auto found = notification.failures.find(p); found != notification.failures.end()) {
          if (found->second.retry_at_utc > at) continue;
          due_at = std::max(due_at, found->second.retry_at_utc);
          attempt = found->second.failures + 1;
        }
      }
      if (due.page.size() >= limit) {
        due.more = true;
        break;
      }
      due.page.push_back(DueDelivery{{false, index, p, notification.member_at(p)}, due_at, attempt});
    }
  }
  for (std::uint32_t index = notifications_.first_open_occasion_; index < notifications_.occasions_.size(); ++index) {
    const ScenarioOccasion& occasion = notifications_.occasions_[index];
    if ((occasion.flags & delivery_flag::done) != 0 || occasion.due_at_utc > at) continue;
    if (occasion.failure.failures > 0 && occasion.failure.retry_at_utc > at) continue;
    const UtcSeconds due_at = std::max(occasion.due_at_utc, occasion.failure.retry_at_utc);
    ++due.count;
    if (in_scenarios && index < source) continue;
    if (due.page.size() >= limit) {
      due.more = true;
      continue;
    }
    due.page.push_back(DueDelivery{{true, index, UINT32_MAX, occasion.member}, due_at, occasion.failure.failures + 1});
  }
  return Result::success();
}

MessageText Store::render_delivery(const DeliveryRef& ref) const {
  const Member& member = members_[ref.member];
  const ProgramVersion* program = current_program();
  const Points points = available_points(ref.member);
  std::unordered_map<std::string, std::string> values;
  values["name"] = member.name;
  values["points"] = format_points(points);
  const Vnd point_value = program != nullptr ? program->config.wallet.point_value_vnd : 0;
  Vnd value_vnd = 0;
  values["points_value"] = __builtin_mul_overflow(points, point_value, &value_vnd) ? "" : format_vnd(value_vnd);
  const MessageText* text = nullptr;
  const MessageTarget* target = nullptr;
  std::int64_t previous_tier = -1;
  if (ref.scenario) {
    const ScenarioOccasion& occasion = notifications_.occasions_[ref.source];
    const ScenarioConfig& config = notifications_.scenarios_[occasion.scenario].config;
    text = &config.message;
    target = &config.target;
    switch (config.kind) {
      case ScenarioKind::order_thanks: {
        const Order& order = orders_[static_cast<std::uint32_t>(occasion.subject)];
        values["order_id"] = order.order_id;
        values["order_amount"] = format_vnd(order.amounts.amount_vnd);
        values["order_points"] = format_points(order.buyer_points_earned);
        break;
      }
      case ScenarioKind::points_expiring: {
        const CivilDate last_day = civil_from_days(occasion.subject);
        auto two = [](std::int32_t value) { return (value < 10 ? "0" : "") + std::to_string(value); };
        values["expiring_points"] = format_points(occasion.points);
        values["expiry_date"] = two(last_day.day) + "/" + two(last_day.month) + "/" + std::to_string(last_day.year);
        break;
      }
      case ScenarioKind::tier_upgrade: previous_tier = occasion.subject; break;
      case ScenarioKind::balance_threshold: values["threshold"] = format_points(config.threshold_points); break;
      case ScenarioKind::birthday: break;
    }
  } else {
    const NotificationConfig& config = notifications_.notifications_[ref.source].config;
    text = &config.message;
    target = &config.target;
  }
  const Campaign* campaign = nullptr;
  if (target->kind == TargetKind::campaign) {
    const std::uint32_t found = campaigns_.find_campaign(target->campaign_id);
    if (found != no_index) campaign = &campaigns_.campaigns()[found];
  }
  MessageText rendered;
  for (const bool english : {false, true}) {
    values["tier"] = tier_name(program, member.tier_index, english);
    values["previous_tier"] = tier_name(program, previous_tier, english);
    if (campaign != nullptr) {
      values["campaign"] = english && !campaign->config.name_en.empty() ? campaign->config.name_en : campaign->config.name;
    }
    const std::string& title = english && !text->title_en.empty() ? text->title_en : text->title;
    const std::string& body = english && !text->body_en.empty() ? text->body_en : text->body;
    (english ? rendered.title_en : rendered.title) = fill_placeholders(title, values);
    (english ? rendered.body_en : rendered.body) = fill_placeholders(body, values);
  }
  return rendered;
}

}  // namespace loyalty
