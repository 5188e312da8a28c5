// notifications.hpp: notifications (thông báo) sent to an audience, scenarios (kịch bản)
// that fire by themselves, and the state of every delivery.
//
// [SECTION] Messages
// [SECTION] Notification
// [SECTION] Scenario
// [SECTION] Deliveries
// [SECTION] Notifications
//
// The Store composes one Notifications: it owns the records and the rules that need no
// other domain (the documents, placeholders, quiet hours, a delivery's state and its
// idempotent marks). What reads members, orders, lots and groups (the audience, who is
// excluded, what a scenario fires on, rendering) is in store_notifications.cpp.
//
// No row per member is made when a notification is scheduled: its audience is fixed when
// it starts sending (a group is evaluated then, "everyone" is the members who exist then),
// as a sorted list of member indexes (nothing for everyone) and one byte of state per
// member of it. Members excluded then (blocked, opted out of the channel) are skipped at
// once; members who become excluded before their delivery is sent are skipped when they
// change. A delivery is due from the notification's send time until it is marked sent, or
// failed for good; a failed attempt makes it due again after a delay.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/basics/json_fields.hpp"
#include "core/basics/money.hpp"
#include "core/basics/results.hpp"
#include "core/basics/time.hpp"
#include "core/ledger/ledger.hpp"

namespace loyalty {

// [SECTION] Messages ----------------------------------------------------------------------
// app_push is what hosts send today; the others are in the model (and in members' opt-ins).
enum class NotificationChannel : std::uint8_t { app_push, zalo, sms, email };
std::string_view notification_channel_name(NotificationChannel channel);
std::optional<NotificationChannel> notification_channel_from_name(std::string_view name);

enum class TargetKind : std::uint8_t { none, campaign, link };
std::string_view target_kind_name(TargetKind kind);

struct MessageText {
  std::string title;       // Vietnamese, required
  std::string body;
  std::string title_en;    // optional: empty shows the Vietnamese text
  std::string body_en;
  friend bool operator==(const MessageText&, const MessageText&) = default;
};

// What opening the message shows: a voucher campaign's page, a link, or nothing.
struct MessageTarget {
  TargetKind kind = TargetKind::none;
  std::string campaign_id;  // campaign
  std::string url;          // link: http:// or https://
  friend bool operator==(const MessageTarget&, const MessageTarget&) = default;
};

// Placeholders a message may hold, by what it is sent for. Every message knows {name},
// {points}, {points_value} and {tier}; see docs/commands.md, "Placeholders".
enum class MessageContext : std::uint8_t {
  notification, birthday, order_thanks, tier_upgrade, points_expiring, balance_threshold
};
// Adds an error (path "<path>.title", ...) for each unknown placeholder or stray brace.
void check_placeholders(const MessageText& text, MessageContext context, bool has_campaign, std::string_view path,
                        std::vector<FieldError>& errors);
// Replaces each {placeholder} by its value (placeholders were checked when saved).
std::string fill_placeholders(std::string_view text, const std::unordered_map<std::string, std::string>& values);

// [SECTION] Notification ------------------------------------------------------------------
// draft -> scheduled (schedule_notification) -> sending (at its send time: the audience is
// fixed) -> sent (every delivery marked sent, failed for good or skipped); draft,
// scheduled and sending -> cancelled (cancel_notification).
enum class NotificationStatus : std::uint8_t { draft, scheduled, sending, sent, cancelled };
std::string_view notification_status_name(NotificationStatus status);

struct NotificationConfig {
  std::string notification_id;             // letters, digits, '-' and '_'
  MessageText message;
  MessageTarget target;
  std::string audience_group_id;           // empty: everyone
  NotificationChannel channel = NotificationChannel::app_push;
  std::optional<UtcSeconds> send_at_utc;   // none: when it is scheduled
  friend bool operator==(const NotificationConfig&, const NotificationConfig&) = default;
};

struct NotificationConfigReading {
  std::optional<NotificationConfig> config;   // set only when errors is empty
  std::vector<FieldError> errors;
};
NotificationConfigReading read_notification_config(const Json& document, std::string_view path = "notification");
Json notification_config_to_json(const NotificationConfig& config);

// One byte per member of an audience (and per scenario occasion).
namespace delivery_flag {
inline constexpr std::uint8_t sent = 1;       // the host sent it
inline constexpr std::uint8_t failed = 2;     // failed for good (delivery_attempts_max failures)
inline constexpr std::uint8_t skipped = 4;    // the member was excluded (blocked, opted out) or the scenario stopped
inline constexpr std::uint8_t opened = 8;
inline constexpr std::uint8_t clicked = 16;
inline constexpr std::uint8_t done = sent | failed | skipped;
inline constexpr std::uint8_t all = done | opened | clicked;
}  // namespace delivery_flag

// A failed attempt: due again at retry_at (60 s after the first failure, 120 s after the
// second); the third failure is final.
inline constexpr std::uint32_t delivery_attempts_max = 3;
UtcSeconds delivery_retry_delay_s(std::uint32_t failures);

struct DeliveryFailure {
  std::uint32_t failures = 0;
  UtcSeconds retry_at_utc = 0;
  std::string reason;                        // the last failure's, as the host gave it
};

struct DeliveryOpen {
  MemberIndex member = no_member;
  UtcSeconds opened_at_utc = 0;
};

struct Notification {
  NotificationConfig config;
  NotificationStatus status = NotificationStatus::draft;
  UtcSeconds saved_at_utc = 0;
  UtcSeconds send_at_utc = 0;                // once scheduled: when it starts sending
  UtcSeconds started_at_utc = 0;             // when the audience was fixed (0: not yet)
  UtcSeconds finished_at_utc = 0;            // sent or cancelled
  std::uint32_t audience_count = 0;          // members in the audience, fixed when sending starts
  std::vector<MemberIndex> audience_members; // a group's, sorted; everyone: empty (position = member index)
  std::vector<std::uint8_t> flags;           // delivery_flag per audience position
  std::unordered_map<std::uint32_t, DeliveryFailure> failures;   // by position
  std::vector<DeliveryOpen> opens;           // in the order marked
  // Derived from the flags (recounted on load).
  std::uint32_t done_count = 0;
  std::uint32_t sent_count = 0;
  std::uint32_t failed_count = 0;
  std::uint32_t skipped_count = 0;
  std::uint32_t opened_count = 0;
  std::uint32_t clicked_count = 0;
  // The member at an audience position, and the position of a member (UINT32_MAX: not in it).
  MemberIndex member_at(std::uint32_t position) const {
    return audience_members.empty() ? position : audience_members[position];
  }
  std::uint32_t position_of(MemberIndex member) const;
};

// [SECTION] Scenario ----------------------------------------------------------------------
enum class ScenarioKind : std::uint8_t { birthday, order_thanks, tier_upgrade, points_expiring, balance_threshold };
std::string_view scenario_kind_name(ScenarioKind kind);

// Local minutes of the day in which nothing is delivered: [start, end), crossing midnight
// when start > end (21:00-08:00). start == end: none.
struct QuietHours {
  std::int32_t start_minute = 0;
  std::int32_t end_minute = 0;
  bool any() const { return start_minute != end_minute; }
  friend bool operator==(const QuietHours&, const QuietHours&) = default;
};
// The first moment at or after `time` outside the quiet hours.
UtcSeconds next_allowed_utc(UtcSeconds time, const QuietHours& quiet, const TimeZone& zone);

struct ScenarioConfig {
  std::string scenario_id;                 // letters, digits, '-' and '_'
  std::string name;
  ScenarioKind kind = ScenarioKind::birthday;
  bool enabled = true;
  MessageText message;
  MessageTarget target;
  NotificationChannel channel = NotificationChannel::app_push;
  std::int32_t local_minute = 9 * 60;      // birthday, points_expiring: the local time of day it fires
  std::int64_t delay_minutes = 0;          // order_thanks: after the order completed
  std::int32_t days_before = 7;            // points_expiring: before the last day the points can be spent
  Points threshold_points = 0;             // balance_threshold: available points reaching it
  QuietHours quiet_hours;
  friend bool operator==(const ScenarioConfig&, const ScenarioConfig&) = default;
};

struct ScenarioConfigReading {
  std::optional<ScenarioConfig> config;
  std::vector<FieldError> errors;
};
ScenarioConfigReading read_scenario_config(const Json& document, std::string_view path = "scenario");
Json scenario_config_to_json(const ScenarioConfig& config);

struct Scenario {
  ScenarioConfig config;
  UtcSeconds saved_at_utc = 0;
  UtcSeconds next_scan_utc = INT64_MAX;    // birthday, points_expiring: the next daily run (a due item)
  std::vector<std::uint64_t> above_threshold;   // balance_threshold: a bit per member, at or above it
  std::unordered_set<std::uint64_t> fired; // occasion keys (derived from the occasions on load)
};

// One occasion of a scenario for one member: one delivery.
struct ScenarioOccasion {
  std::uint32_t scenario = 0;
  MemberIndex member = no_member;
  UtcSeconds occurred_at_utc = 0;          // the birthday's run, the order's completion, the upgrade...
  UtcSeconds due_at_utc = 0;               // after the delay and the quiet hours
  std::int64_t subject = 0;                // birthday: the year; order_thanks: the order; tier_upgrade:
                                           // the tier before; points_expiring: the last day (days since epoch)
  Points points = 0;                       // points_expiring: the points; balance_threshold: the balance
  std::uint8_t flags = 0;                  // delivery_flag
  DeliveryFailure failure;
  UtcSeconds opened_at_utc = 0;
};
// What makes an occasion unique within its scenario (fires once per occasion).
std::uint64_t occasion_key(ScenarioKind kind, MemberIndex member, std::int64_t subject);

// [SECTION] Deliveries --------------------------------------------------------------------
enum class DeliveryMarkKind : std::uint8_t { sent, failed, opened, clicked };
std::optional<DeliveryMarkKind> delivery_mark_from_name(std::string_view name);

struct DeliveryMark {
  std::string delivery_id;                 // "n/<notification_id>/<member_id>" or "s/<scenario_id>/<occasion>"
  DeliveryMarkKind kind = DeliveryMarkKind::sent;
  std::uint32_t attempt = 0;               // failed: 1, 2, 3 (a repeat of an attempt is a no-op)
  std::string reason;                      // failed: why
};

// A delivery named by its id: a notification's audience position or an occasion.
struct DeliveryRef {
  bool scenario = false;
  std::uint32_t source = UINT32_MAX;       // notification or occasion index
  std::uint32_t position = UINT32_MAX;     // notification: the audience position
  MemberIndex member = no_member;
};

struct DueDelivery {
  DeliveryRef ref;
  UtcSeconds due_at_utc = 0;
  std::uint32_t attempt = 1;               // failures so far + 1
};
struct DueDeliveries {
  std::vector<DueDelivery> page;
  std::uint64_t count = 0;                 // every delivery due at the time, on every page
  bool more = false;                       // deliveries follow the page
};

inline constexpr std::size_t notifications_max = 10'000;
inline constexpr std::size_t scenarios_max = 100;
inline constexpr std::size_t notification_id_bytes_max = 64;

// [SECTION] Notifications -----------------------------------------------------------------
class Notifications {
 public:
  const std::vector<Notification>& notifications() const { return notifications_; }
  const std::vector<Scenario>& scenarios() const { return scenarios_; }
  const std::vector<ScenarioOccasion>& occasions() const { return occasions_; }
  std::uint32_t find_notification(std::string_view notification_id) const;   // UINT32_MAX when unknown
  std::uint32_t find_scenario(std::string_view scenario_id) const;
  // The first occasion that may not be done yet: occasions before it are all done.
  std::uint32_t first_open_occasion() const { return first_open_occasion_; }
  std::string check_invariants(std::size_t members) const;
  std::size_t memory_bytes() const;

 private:
  friend class Store;
  friend class StoreSnapshot;
  void recount(Notification& notification) const;   // the derived counters, from the flags
  std::string rebuild_lookups();                     // after a snapshot is read
  void advance_open_occasions();

  std::vector<Notification> notifications_;
  std::vector<Scenario> scenarios_;
  std::vector<ScenarioOccasion> occasions_;
  std::unordered_map<std::string, std::uint32_t> notification_by_id_;
  std::unordered_map<std::string, std::uint32_t> scenario_by_id_;
  std::uint32_t first_open_occasion_ = 0;
};

}  // namespace loyalty
