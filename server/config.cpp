#include "server/config.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <string_view>

namespace loyalty::server {
namespace {

struct Setting {
  std::string_view flag;
  std::string_view environment_variable;
  std::string_view value_name;
  std::string_view description;
  std::string Config::*text_field;  // nullptr for the port, which is parsed as a number
};

// The one list the parser and the help text both read, so they cannot disagree.
const Setting settings[] = {
    {"--port", "PORT", "NUMBER", "TCP port to listen on (1-65535)", nullptr},
    {"--host", "HOST", "ADDRESS", "address to listen on; 0.0.0.0 for every interface",
     &Config::host},
    {"--database", "LOYALTY_DATABASE", "FILE",
     "SQLite database file; created with its folder when missing", &Config::database_path},
    {"--web-root", "LOYALTY_WEB_ROOT", "FOLDER", "the console's static files", &Config::web_root},
    {"--demo-store", "LOYALTY_DEMO_STORE", "FILE",
     "on the first start of an empty database, build the demo store from these commands", &Config::demo_store_path},
};

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end || value < 1 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

// Stores `value` in the setting's field; an error message (naming `source`) when invalid.
std::string apply(Config& config, const Setting& setting, const std::string& value,
                  std::string_view source) {
  if (setting.text_field == nullptr) {
    auto port = parse_port(value);
    if (!port) {
      return std::string(source) + ": '" + value +
             "' is not a port number (expected a whole number from 1 to 65535)";
    }
    config.port = *port;
    return {};
  }
  if (value.empty()) return std::string(source) + ": the value is empty";
  config.*setting.text_field = value;
  return {};
}

const Setting* find_setting(std::string_view flag) {
  for (const Setting& setting : settings) {
    if (setting.flag == flag) return &setting;
  }
  return nullptr;
}

ConfigOutcome invalid(std::string message) {
  ConfigOutcome outcome;
  outcome.kind = ConfigOutcome::Kind::invalid;
  outcome.error_message = std::move(message);
  return outcome;
}

}  // namespace

ConfigOutcome parse_config(
    std::span<const std::string> arguments,
    const std::function<std::optional<std::string>(const std::string&)>& read_environment) {
  ConfigOutcome outcome;
  for (const Setting& setting : settings) {
    const std::string variable(setting.environment_variable);
    if (auto value = read_environment(variable)) {
      const std::string source = "environment variable " + variable;
      if (auto error = apply(outcome.config, setting, *value, source); !error.empty()) {
        return invalid(error);
      }
    }
  }
  for (std::size_t index = 0; index < arguments.size(); ++index) {
    const std::string& argument = arguments[index];
    if (argument == "--help" || argument == "-h") {
      outcome.kind = ConfigOutcome::Kind::show_help;
      return outcome;
    }
    // Both "--port 8080" and "--port=8080".
    const std::size_t equals = argument.find('=');
    const std::string flag = argument.substr(0, equals);
    const Setting* setting = find_setting(flag);
    if (setting == nullptr) {
      return invalid("unknown option '" + argument + "' (see --help)");
    }
    std::string value;
    if (equals != std::string::npos) {
      value = argument.substr(equals + 1);
    } else if (index + 1 < arguments.size()) {
      value = arguments[++index];
    } else {
      return invalid(flag + ": a value is missing (" + flag + " " +
                     std::string(setting->value_name) + ")");
    }
    if (auto error = apply(outcome.config, *setting, value, flag); !error.empty()) {
      return invalid(error);
    }
  }
  return outcome;
}

std::string usage_text() {
  const Config defaults;
  std::string text =
      "Usage: loyalty-server [options]\n"
      "Serves the loyalty console and its API.\n\n"
      "Options (each can also be set by the environment variable shown):\n";
  for (const Setting& setting : settings) {
    const std::string default_value = setting.text_field == nullptr
                                          ? std::to_string(defaults.port)
                                          : defaults.*setting.text_field;
    std::string left = "  " + std::string(setting.flag) + " " + std::string(setting.value_name);
    left.resize(std::max<std::size_t>(left.size() + 1, 28), ' ');
    text += left + std::string(setting.description) + "\n" + std::string(28, ' ') + "env " +
            std::string(setting.environment_variable) + ", default " + default_value + "\n";
  }
  text += "  --help                    this text\n";
  text +=
      "\nOperator's commands, run instead of the server (each has --help):\n"
      "  create-store, create-staff, grant-role, reset-password, backup\n";
  return text;
}

}  // namespace loyalty::server
