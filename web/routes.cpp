#include "routes.hpp"

#include <cassert>
#include <cstdio>

#include "platform/platform.hpp"

namespace loyalty::console {
namespace {

bool is_unreserved(unsigned char character) {
  return (character >= 'A' && character <= 'Z') || (character >= 'a' && character <= 'z') ||
         (character >= '0' && character <= '9') || character == '-' || character == '_' || character == '.' ||
         character == '~';
}

// As encodeURIComponent: UTF-8 bytes outside the unreserved set as %XX.
std::string encode_segment(std::string_view segment) {
  std::string encoded;
  for (const char character : segment) {
    const auto byte = static_cast<unsigned char>(character);
    if (is_unreserved(byte)) {
      encoded += character;
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", byte);
      encoded += escaped;
    }
  }
  return encoded;
}

int hex_value(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  return -1;
}

// As decodeURIComponent; a malformed escape is kept as it is.
std::string decode_segment(std::string_view segment) {
  std::string decoded;
  for (std::size_t index = 0; index < segment.size(); ++index) {
    if (segment[index] == '%' && index + 2 < segment.size()) {
      const int high = hex_value(segment[index + 1]);
      const int low = hex_value(segment[index + 2]);
      if (high >= 0 && low >= 0) {
        decoded += static_cast<char>(high * 16 + low);
        index += 2;
        continue;
      }
    }
    decoded += segment[index];
  }
  return decoded;
}

}  // namespace

std::string_view screen_path(Screen screen) {
  switch (screen) {
    case Screen::overview: return "";
    case Screen::wallet_tiers: return "program";
    case Screen::customer_groups: return "groups";
    case Screen::audit_log: return "audit";
    case Screen::staff_accounts: return "staff";
    case Screen::api_keys: return "api-keys";
    default: return screen_id(screen);   // "members", "vouchers", ... and screens added later
  }
}

std::string route_address(const Route& route) {
  std::string address = "#/" + std::string(screen_path(route.screen));
  for (const std::string& segment : route.segments) {
    if (address.back() != '/') address += '/';
    address += encode_segment(segment);
  }
  return address;
}

std::optional<Route> parse_route_address(std::string_view address) {
  if (!address.empty() && address.front() == '#') address.remove_prefix(1);
  if (address.empty() || address == "/") return Route{};
  if (address.front() != '/') return std::nullopt;
  address.remove_prefix(1);
  std::vector<std::string> segments;
  while (!address.empty()) {
    const std::size_t slash = address.find('/');
    const std::string_view segment = address.substr(0, slash);
    if (!segment.empty()) segments.push_back(decode_segment(segment));
    address = slash == std::string_view::npos ? std::string_view() : address.substr(slash + 1);
  }
  if (segments.empty()) return Route{};
  for (int index = 0; index < static_cast<int>(Screen::count); ++index) {
    const auto screen = static_cast<Screen>(index);
    if (screen == Screen::overview || screen_path(screen) != segments.front()) continue;
    Route route{screen, {}};
    route.segments.assign(segments.begin() + 1, segments.end());
    return route;
  }
  return std::nullopt;
}

namespace routes {
namespace {
Route current_route;
}  // namespace

void start() {
  const std::string address = platform::location_hash();
  const std::optional<Route> route = parse_route_address(address);
  current_route = route.value_or(Route{});
  // An unknown or unusual address ("", "#/members/") becomes the route's own, in the same
  // history entry.
  if (address != route_address(current_route)) platform::set_location_hash(route_address(current_route), true);
}

bool follow_address() {
  if (!platform::take_location_changed()) return false;
  const std::string address = platform::location_hash();
  const std::optional<Route> route = parse_route_address(address);
  if (!route) {
    replace(current_route);   // not a screen: stay, and say where the app is
    return false;
  }
  const bool changed = *route != current_route;
  current_route = *route;
  return changed;
}

const Route& current() { return current_route; }

void open(const Route& route) {
  assert(route.screen != Screen::count);
  if (route == current_route) return;
  current_route = route;
  platform::set_location_hash(route_address(route), false);
}

void replace(const Route& route) {
  assert(route.screen != Screen::count);
  current_route = route;
  platform::set_location_hash(route_address(route), true);
}

std::optional<std::string> load_draft(std::string_view form, std::string_view field) {
  return platform::load_session_value("loyalty.draft." + std::string(form) + "." + std::string(field));
}

void save_draft(std::string_view form, std::string_view field, std::string_view value) {
  platform::save_session_value("loyalty.draft." + std::string(form) + "." + std::string(field), value);
}

}  // namespace routes
}  // namespace loyalty::console
