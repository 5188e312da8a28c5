#include "core/basics/time.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdio>

namespace loyalty {

std::optional<TimeZone> time_zone_from_name(std::string_view name) {
  struct Known { std::string_view name; std::int32_t offset_minutes; };
  static constexpr std::array<Known, 10> known = {{
      {"Asia/Ho_Chi_Minh", 420}, {"Asia/Saigon", 420}, {"Asia/Bangkok", 420}, {"Asia/Jakarta", 420},
      {"Asia/Phnom_Penh", 420},  {"Asia/Vientiane", 420}, {"Asia/Singapore", 480},
      {"Asia/Kuala_Lumpur", 480}, {"Asia/Tokyo", 540}, {"UTC", 0},
  }};
  for (const Known& zone : known) {
    if (zone.name == name) return TimeZone{std::string(zone.name), zone.offset_minutes};
  }
  return std::nullopt;
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
std::int64_t days_from_civil(CivilDate date) {
  std::int64_t year = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t month = date.month;
  const std::int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + date.day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

CivilDate civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t day_of_era = days - era * 146097;
  const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_index = (5 * day_of_year + 2) / 153;
  const std::int64_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const std::int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
  const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return CivilDate{static_cast<std::int32_t>(year), static_cast<std::int32_t>(month), static_cast<std::int32_t>(day)};
}

std::int32_t days_in_month(std::int32_t year, std::int32_t month) {
  static constexpr std::array<std::int32_t, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  assert(month >= 1 && month <= 12);
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

bool is_valid_date(std::int32_t year, std::int32_t month, std::int32_t day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

static bool read_digits(std::string_view text, std::size_t position, std::size_t count, std::int32_t& value) {
  if (position + count > text.size()) return false;
  value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[position + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

std::optional<UtcSeconds> parse_utc_time(std::string_view text) {
  std::int32_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' || !read_digits(text, 5, 2, month) ||
      text[7] != '-' || !read_digits(text, 8, 2, day) || !is_valid_date(year, month, day)) {
    return std::nullopt;
  }
  const std::int64_t days = days_from_civil({year, month, day});
  if (text.size() == 10) return days * seconds_per_day;
  if ((text[10] != 'T' && text[10] != ' ') || !read_digits(text, 11, 2, hour) || text.size() < 19 ||
      text[13] != ':' || !read_digits(text, 14, 2, minute) || text[16] != ':' || !read_digits(text, 17, 2, second) ||
      hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  std::size_t position = 19;
  if (position < text.size() && text[position] == '.') {
    ++position;
    const std::size_t digits_start = position;
    while (position < text.size() && text[position] >= '0' && text[position] <= '9') ++position;
    if (position == digits_start) return std::nullopt;
  }
  std::int64_t offset_seconds = 0;
  if (position < text.size() && (text[position] == 'Z' || text[position] == 'z')) {
    ++position;
  } else if (position < text.size() && (text[position] == '+' || text[position] == '-')) {
    std::int32_t offset_hours = 0, offset_minutes = 0;
    const int sign = text[position] == '-' ? -1 : 1;
    if (!read_digits(text, position + 1, 2, offset_hours) || position + 3 >= text.size() ||
        text[position + 3] != ':' || !read_digits(text, position + 4, 2, offset_minutes) || offset_hours > 14 ||
        offset_minutes > 59) {
      return std::nullopt;
    }
    offset_seconds = sign * (offset_hours * 3600 + offset_minutes * 60);
    position += 6;
  } else {
    return std::nullopt;  // an instant without a zone is ambiguous: refuse it
  }
  if (position != text.size()) return std::nullopt;
  return days * seconds_per_day + hour * 3600 + minute * 60 + second - offset_seconds;
}

static std::int64_t floor_divide(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

std::string format_utc_time(UtcSeconds time) {
  const std::int64_t days = floor_divide(time, seconds_per_day);
  const std::int64_t second_of_day = time - days * seconds_per_day;
  const CivilDate date = civil_from_days(days);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", date.year, date.month, date.day,
                static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
                static_cast<int>(second_of_day % 60));
  return buffer;
}

CivilDate local_date(UtcSeconds time, const TimeZone& zone) {
  return civil_from_days(floor_divide(time + zone.utc_offset_minutes * 60, seconds_per_day));
}

UtcSeconds local_midnight_utc(CivilDate date, const TimeZone& zone) {
  return days_from_civil(date) * seconds_per_day - zone.utc_offset_minutes * 60;
}

std::string format_local_date(UtcSeconds time, const TimeZone& zone) {
  const CivilDate date = local_date(time, zone);
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%02d/%02d/%04d", date.day, date.month, date.year);
  return buffer;
}

std::string format_local_date_time(UtcSeconds time, const TimeZone& zone) {
  const UtcSeconds local = time + zone.utc_offset_minutes * 60;
  const std::int64_t second_of_day = local - floor_divide(local, seconds_per_day) * seconds_per_day;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, " %02d:%02d", static_cast<int>(second_of_day / 3600),
                static_cast<int>(second_of_day / 60 % 60));
  return format_local_date(time, zone) + buffer;
}

std::string format_local_month(UtcSeconds time, const TimeZone& zone) {
  const CivilDate date = local_date(time, zone);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d", date.year, date.month);
  return buffer;
}

UtcSeconds add_months(UtcSeconds time, std::int32_t months, const TimeZone& zone) {
  const UtcSeconds local = time + zone.utc_offset_minutes * 60;
  const std::int64_t days = floor_divide(local, seconds_per_day);
  const std::int64_t second_of_day = local - days * seconds_per_day;
  CivilDate date = civil_from_days(days);
  const std::int64_t month_index = static_cast<std::int64_t>(date.year) * 12 + (date.month - 1) + months;
  date.year = static_cast<std::int32_t>(floor_divide(month_index, 12));
  date.month = static_cast<std::int32_t>(month_index - static_cast<std::int64_t>(date.year) * 12 + 1);
  date.day = std::min(date.day, days_in_month(date.year, date.month));
  return days_from_civil(date) * seconds_per_day + second_of_day - zone.utc_offset_minutes * 60;
}

UtcSeconds end_of_month_after(UtcSeconds time, std::int32_t months, const TimeZone& zone) {
  CivilDate date = local_date(time, zone);
  const std::int64_t month_index = static_cast<std::int64_t>(date.year) * 12 + (date.month - 1) + months + 1;
  CivilDate next_month_first{static_cast<std::int32_t>(floor_divide(month_index, 12)), 1, 1};
  next_month_first.month = static_cast<std::int32_t>(month_index - static_cast<std::int64_t>(next_month_first.year) * 12 + 1);
  return local_midnight_utc(next_month_first, zone) - 1;
}

}  // namespace loyalty
