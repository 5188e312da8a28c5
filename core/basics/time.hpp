// time.hpp: instants in UTC, calendar arithmetic and the store's time zone.
//
// The core has no clock: every command carries its time. Instants are whole seconds
// since 1970-01-01T00:00:00Z (int64). Calendar rules (month windows, end of month,
// birthdays) are computed in the store's local time, a fixed UTC offset: Vietnam has no
// daylight saving time, so Asia/Ho_Chi_Minh is always UTC+07:00.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loyalty {

using UtcSeconds = std::int64_t;  // seconds since the Unix epoch, UTC

struct CivilDate {
  std::int32_t year = 1970;
  std::int32_t month = 1;  // 1..12
  std::int32_t day = 1;    // 1..31
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

struct TimeZone {
  std::string name = "Asia/Ho_Chi_Minh";
  std::int32_t utc_offset_minutes = 7 * 60;
};

// Known fixed-offset zones (no DST); nullopt for a name we do not know.
std::optional<TimeZone> time_zone_from_name(std::string_view name);

std::int64_t days_from_civil(CivilDate date);
CivilDate civil_from_days(std::int64_t days_since_epoch);
bool is_valid_date(std::int32_t year, std::int32_t month, std::int32_t day);
std::int32_t days_in_month(std::int32_t year, std::int32_t month);

// "2026-11-24T10:00:00Z", "2026-11-24T17:00:00+07:00", "2026-11-24T10:00:00.250Z"
// (fraction ignored), or "2026-11-24" (midnight UTC). nullopt when malformed.
std::optional<UtcSeconds> parse_utc_time(std::string_view text);
std::string format_utc_time(UtcSeconds time);                          // "2026-11-24T10:00:00Z"

CivilDate local_date(UtcSeconds time, const TimeZone& zone);           // date in the store's zone
UtcSeconds local_midnight_utc(CivilDate date, const TimeZone& zone);   // start of that local day
std::string format_local_date(UtcSeconds time, const TimeZone& zone);  // "24/11/2026"
std::string format_local_date_time(UtcSeconds time, const TimeZone& zone);  // "24/11/2026 17:00"
std::string format_local_month(UtcSeconds time, const TimeZone& zone);      // "2026-11", sorts as text

// The same local wall time `months` calendar months later (negative: earlier); the day is
// clamped to the end of a shorter month (31/01 + 1 month = 28/02 or 29/02).
UtcSeconds add_months(UtcSeconds time, std::int32_t months, const TimeZone& zone);
// The last second of the local month that `time` falls in, plus `months` months.
UtcSeconds end_of_month_after(UtcSeconds time, std::int32_t months, const TimeZone& zone);

inline constexpr UtcSeconds seconds_per_day = 86400;

}  // namespace loyalty
