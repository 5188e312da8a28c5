#include "server/auth/utc_time.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace loyalty::server::auth {

std::int64_t current_unix_time_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string format_utc_time(std::int64_t unix_time_s) {
  const std::time_t time = static_cast<std::time_t>(unix_time_s);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[sizeof "2026-11-24T10:00:00Z"];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::optional<std::int64_t> parse_utc_time(std::string_view text) {
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      text[13] != ':' || text[16] != ':' || text[19] != 'Z') {
    return std::nullopt;
  }
  auto number = [&](std::size_t from, std::size_t digits) -> int {
    int value = 0;
    for (std::size_t index = from; index < from + digits; ++index) {
      if (text[index] < '0' || text[index] > '9') return -1;
      value = value * 10 + (text[index] - '0');
    }
    return value;
  };
  std::tm utc{};
  utc.tm_year = number(0, 4) - 1900;
  utc.tm_mon = number(5, 2) - 1;
  utc.tm_mday = number(8, 2);
  utc.tm_hour = number(11, 2);
  utc.tm_min = number(14, 2);
  utc.tm_sec = number(17, 2);
  if (utc.tm_year < 0 || utc.tm_mon < 0 || utc.tm_mday < 0 || utc.tm_hour < 0 ||
      utc.tm_min < 0 || utc.tm_sec < 0) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(timegm(&utc));
}

}  // namespace loyalty::server::auth
