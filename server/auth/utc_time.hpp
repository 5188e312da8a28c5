// utc_time.hpp: the server's wall clock as whole seconds, and the UTC text the database
// keeps ("2026-11-24T10:00:00Z", as the migrations write it).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loyalty::server::auth {

std::int64_t current_unix_time_s();
std::string format_utc_time(std::int64_t unix_time_s);
// nullopt when `text` is not exactly "YYYY-MM-DDTHH:MM:SSZ".
std::optional<std::int64_t> parse_utc_time(std::string_view text);

}  // namespace loyalty::server::auth
