#include <doctest/doctest.h>

#include "core/basics/time.hpp"

using namespace loyalty;

TEST_CASE("ISO 8601 times parse to UTC seconds and back") {
  CHECK(parse_utc_time("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_utc_time("2026-11-24T10:00:00Z") == 1795514400);
  CHECK(parse_utc_time("2026-11-24T17:00:00+07:00") == parse_utc_time("2026-11-24T10:00:00Z"));
  CHECK(parse_utc_time("2026-11-24T10:00:00.250Z") == parse_utc_time("2026-11-24T10:00:00Z"));
  CHECK(parse_utc_time("2026-11-24") == parse_utc_time("2026-11-24T00:00:00Z"));
  CHECK(format_utc_time(1795514400) == "2026-11-24T10:00:00Z");
  CHECK(format_utc_time(-1) == "1969-12-31T23:59:59Z");
  // An instant without a zone is ambiguous; invalid dates are refused.
  CHECK_FALSE(parse_utc_time("2026-11-24T10:00:00").has_value());
  CHECK_FALSE(parse_utc_time("2026-02-30T10:00:00Z").has_value());
  CHECK_FALSE(parse_utc_time("2026-11-24T24:00:00Z").has_value());
  CHECK_FALSE(parse_utc_time("hôm nay").has_value());
  CHECK(parse_utc_time("2024-02-29T00:00:00Z").has_value());
  CHECK_FALSE(parse_utc_time("2023-02-29T00:00:00Z").has_value());
}

TEST_CASE("dates are shown dd/MM/yyyy in the store's zone") {
  const TimeZone vietnam;  // Asia/Ho_Chi_Minh, UTC+7
  // 20:00 UTC on 24/11 is already 25/11 in Vietnam.
  CHECK(format_local_date(*parse_utc_time("2026-11-24T20:00:00Z"), vietnam) == "25/11/2026");
  CHECK(format_local_date_time(*parse_utc_time("2026-11-24T10:05:00Z"), vietnam) == "24/11/2026 17:05");
  CHECK(local_date(*parse_utc_time("2026-11-24T16:59:59Z"), vietnam) == CivilDate{2026, 11, 24});
  CHECK(local_date(*parse_utc_time("2026-11-24T17:00:00Z"), vietnam) == CivilDate{2026, 11, 25});
  CHECK(time_zone_from_name("Asia/Ho_Chi_Minh")->utc_offset_minutes == 420);
  CHECK_FALSE(time_zone_from_name("Mars/Olympus").has_value());
}

TEST_CASE("calendar months are added in local time, clamped to month end") {
  const TimeZone vietnam;
  CHECK(add_months(*parse_utc_time("2026-01-31T03:00:00Z"), 1, vietnam) == parse_utc_time("2026-02-28T03:00:00Z"));
  CHECK(add_months(*parse_utc_time("2028-01-31T03:00:00Z"), 1, vietnam) == parse_utc_time("2028-02-29T03:00:00Z"));
  CHECK(add_months(*parse_utc_time("2026-11-24T10:00:00Z"), -12, vietnam) == parse_utc_time("2025-11-24T10:00:00Z"));
  CHECK(add_months(*parse_utc_time("2026-03-15T10:00:00Z"), 14, vietnam) == parse_utc_time("2027-05-15T10:00:00Z"));
  // The local date decides, not UTC's: 2026-01-30T20:00Z is 31/01 03:00 in Vietnam, and a
  // month later is 28/02 03:00 in Vietnam (UTC's date, 30/01, would give 28/02 20:00 UTC).
  CHECK(add_months(*parse_utc_time("2026-01-30T20:00:00Z"), 1, vietnam) == parse_utc_time("2026-02-27T20:00:00Z"));
  // 2026-11-30T18:00Z is already 01/12 in Vietnam: the end of its month is 31/12, not 30/11.
  CHECK(end_of_month_after(*parse_utc_time("2026-11-30T18:00:00Z"), 0, vietnam) == parse_utc_time("2026-12-31T16:59:59Z"));
  CHECK(local_midnight_utc(CivilDate{2026, 12, 1}, vietnam) == parse_utc_time("2026-11-30T17:00:00Z"));
  // End of the local month: 30/11/2026 23:59:59 in Vietnam is 16:59:59 UTC.
  CHECK(end_of_month_after(*parse_utc_time("2026-11-24T10:00:00Z"), 0, vietnam) == parse_utc_time("2026-11-30T16:59:59Z"));
  CHECK(end_of_month_after(*parse_utc_time("2026-11-24T10:00:00Z"), 3, vietnam) == parse_utc_time("2027-02-28T16:59:59Z"));
}

TEST_CASE("civil day numbers round-trip over four centuries") {
  for (std::int64_t day = -146097; day <= 146097 * 2; day += 37) {
    CHECK(days_from_civil(civil_from_days(day)) == day);
  }
}
