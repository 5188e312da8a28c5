// account_rules.hpp: what makes an email, a display name, a store id or a time zone
// acceptable. Shared by the operator's commands and the API, so both refuse the same input.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace loyalty::server::auth {

struct InputProblem {
  std::string message_vi;
  std::string message_en;
};

// Emails are compared without case (the column is NOCASE) and kept in lower case.
std::string normalized_email(std::string_view email);
std::optional<InputProblem> check_email(std::string_view email);
std::optional<InputProblem> check_display_name(std::string_view name);
// Store ids appear in every API path: 1-64 of a-z, 0-9 and '-', starting with a letter or digit.
std::optional<InputProblem> check_store_id(std::string_view store_id);
// An IANA zone name such as "Asia/Ho_Chi_Minh" (checked for its shape only).
std::optional<InputProblem> check_time_zone(std::string_view time_zone);

}  // namespace loyalty::server::auth
