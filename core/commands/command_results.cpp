#include "core/commands/command_results.hpp"

namespace loyalty {

Json result_head(std::size_t line_number, std::string_view command, ResultCode code) {
  return Json{{"line", line_number}, {"command", command}, {"result", result_code_name(code)}, {"message", message_json(code)}};
}

CommandOutput refusal_output(std::size_t line_number, std::string_view command, ResultCode code, const std::vector<FieldError>& errors) {
  Json json = result_head(line_number, command, code);
  if (!errors.empty()) json["errors"] = errors_to_json(errors);
  return CommandOutput{json, false};
}

}  // namespace loyalty
