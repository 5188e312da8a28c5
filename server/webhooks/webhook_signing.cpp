#include "server/webhooks/webhook_signing.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>

#include "core/store.hpp"
#include "server/auth/secrets.hpp"

namespace loyalty::server::webhooks {
namespace {

constexpr std::string_view secret_prefix = "whsec_";
constexpr std::size_t secret_key_bytes = 32;
constexpr std::size_t url_max_characters = 2048;

std::string to_base64(const unsigned char* bytes, std::size_t length) {
  std::string text(sodium_base64_ENCODED_LEN(length, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes, length, sodium_base64_VARIANT_ORIGINAL);
  text.resize(std::char_traits<char>::length(text.c_str()));  // without the terminating NUL
  return text;
}

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

bool is_loopback_host(std::string_view host) {
  const std::string name = lower(host);
  return name == "127.0.0.1" || name == "localhost" || name == "[::1]";
}

// Every kind of the core's EventKind (core/store.cpp asserts delivery_sent is the last).
const std::vector<std::string_view>& event_types() {
  static const std::vector<std::string_view> types = [] {
    std::vector<std::string_view> names;
    for (int kind = 0; kind <= static_cast<int>(loyalty::EventKind::delivery_sent); ++kind) {
      names.push_back(loyalty::event_kind_name(static_cast<loyalty::EventKind>(kind)));
    }
    return names;
  }();
  return types;
}

}  // namespace

WebhookSettings WebhookSettings::from_environment() {
  WebhookSettings settings;
  if (const char* scale = std::getenv("LOYALTY_WEBHOOK_BACKOFF_SCALE"); scale != nullptr && *scale != '\0') {
    char* end = nullptr;
    const double value = std::strtod(scale, &end);
    if (end != nullptr && *end == '\0' && std::isfinite(value) && value > 0 && value <= 1000) {
      settings.backoff_scale = value;
    } else {
      std::fprintf(stderr, "loyalty-server: warning: LOYALTY_WEBHOOK_BACKOFF_SCALE=%s is not a number "
                           "above 0 and at most 1000; using 1\n", scale);
    }
  }
  if (const char* allow = std::getenv("LOYALTY_WEBHOOK_ALLOW_HTTP"); allow != nullptr) {
    settings.allow_http = std::string_view(allow) == "1" || std::string_view(allow) == "true";
  }
  return settings;
}

std::string generate_secret() {
  auth::ensure_sodium_ready();
  std::array<unsigned char, secret_key_bytes> key{};
  randombytes_buf(key.data(), key.size());
  std::string secret = std::string(secret_prefix) + to_base64(key.data(), key.size());
  sodium_memzero(key.data(), key.size());
  return secret;
}

std::optional<std::string> sign(std::string_view secret, std::string_view message_id,
                                std::int64_t timestamp_s, std::string_view body) {
  auth::ensure_sodium_ready();
  if (secret.substr(0, secret_prefix.size()) != secret_prefix) return std::nullopt;
  const std::string_view encoded = secret.substr(secret_prefix.size());
  std::vector<unsigned char> key(encoded.size());
  std::size_t key_length = 0;
  if (encoded.empty() ||
      sodium_base642bin(key.data(), key.size(), encoded.data(), encoded.size(), nullptr, &key_length,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  const std::string prefix = std::string(message_id) + "." + std::to_string(timestamp_s) + ".";
  crypto_auth_hmacsha256_state state;
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_init(&state, key.data(), key_length);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(prefix.data()), prefix.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(key.data(), key.size());
  return "v1," + to_base64(mac.data(), mac.size());
}

std::string WebhookUrl::origin() const { return scheme + "://" + host + ":" + std::to_string(port); }

std::optional<WebhookUrl> parse_webhook_url(std::string_view url, const WebhookSettings& settings,
                                            UrlProblem* problem) {
  auto refuse = [&](std::string vi, std::string en) -> std::optional<WebhookUrl> {
    if (problem != nullptr) *problem = {std::move(vi), std::move(en)};
    return std::nullopt;
  };
  if (url.size() > url_max_characters) {
    return refuse("Địa chỉ dài quá 2048 ký tự.", "The URL is longer than 2048 characters.");
  }
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7f) {
      return refuse("Địa chỉ không được chứa khoảng trắng hay ký tự đặc biệt (hãy mã hóa chúng).",
                    "The URL may not contain spaces or non-ASCII characters (percent-encode them).");
    }
  }
  WebhookUrl parsed;
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return refuse("Địa chỉ phải bắt đầu bằng https://.", "The URL must start with https://.");
  }
  parsed.scheme = lower(url.substr(0, scheme_end));
  if (parsed.scheme != "https" && parsed.scheme != "http") {
    return refuse("Chỉ nhận địa chỉ https:// (hoặc http://).", "Only https:// (or http://) URLs are accepted.");
  }
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find('#') != std::string_view::npos) {
    return refuse("Địa chỉ không được có phần #.", "The URL may not have a #fragment.");
  }
  const std::size_t authority_end = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, authority_end);
  parsed.path_and_query = authority_end == std::string_view::npos ? "/" : std::string(rest.substr(authority_end));
  if (!parsed.path_and_query.empty() && parsed.path_and_query.front() == '?') {
    parsed.path_and_query = "/" + parsed.path_and_query;
  }
  if (authority.find('@') != std::string_view::npos) {
    return refuse("Địa chỉ không được chứa tên đăng nhập hay mật khẩu.", "The URL may not contain credentials.");
  }
  std::string_view host = authority;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return refuse("Tên máy không hợp lệ.", "The host is not valid.");
    host = authority.substr(0, close + 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return refuse("Tên máy không hợp lệ.", "The host is not valid.");
      port_text = after.substr(1);
    }
  } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port_text = authority.substr(colon + 1);
  }
  const bool host_ok = !host.empty() && std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '[' || c == ']' || c == ':';
  });
  if (!host_ok) return refuse("Địa chỉ cần một tên máy hợp lệ.", "The URL needs a valid host.");
  parsed.host = lower(host);
  parsed.port = parsed.scheme == "https" ? 443 : 80;
  if (!port_text.empty() || authority.back() == ':') {
    int port = 0;
    auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      return refuse("Cổng phải từ 1 đến 65535.", "The port must be from 1 to 65535.");
    }
    parsed.port = port;
  }
  if (parsed.scheme == "http" && !settings.allow_http && !is_loopback_host(parsed.host)) {
    return refuse("Chỉ nhận https:// (http:// chỉ dành cho 127.0.0.1 và localhost).",
                  "Only https:// is accepted (http:// only for 127.0.0.1 and localhost).");
  }
  return parsed;
}

std::span<const std::string_view> known_event_types() { return event_types(); }

bool is_known_event_type(std::string_view type) {
  const auto& types = event_types();
  return std::find(types.begin(), types.end(), type) != types.end();
}

bool subscribes_to(const std::vector<std::string>& subscribed, std::string_view event_type) {
  return std::any_of(subscribed.begin(), subscribed.end(),
                     [&](const std::string& type) { return type == "*" || type == event_type; });
}

std::string message_id(std::string_view store_id, std::int64_t outbox_id) {
  return "evt_" + std::string(store_id) + "_" + std::to_string(outbox_id);
}

std::string message_body(std::string_view store_id, std::string_view event_type,
                         std::string_view created_at_utc, std::string_view payload_json) {
  nlohmann::ordered_json body;
  body["type"] = event_type;
  body["timestamp"] = created_at_utc;
  body["store_id"] = store_id;
  nlohmann::ordered_json data = nlohmann::ordered_json::parse(payload_json, nullptr, false);
  body["data"] = data.is_discarded() ? nlohmann::ordered_json::object() : std::move(data);
  return body.dump();
}

std::chrono::milliseconds retry_delay(int consecutive_failures, double scale) {
  static constexpr std::array<std::int64_t, 10> delays_s = {5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 28800};
  const std::size_t index =
      static_cast<std::size_t>(std::clamp(consecutive_failures, 1, static_cast<int>(delays_s.size()))) - 1;
  const double scaled_ms = static_cast<double>(delays_s[index]) * 1000.0 * scale;
  return std::chrono::milliseconds(std::max<std::int64_t>(1, std::llround(scaled_ms)));
}

std::string format_utc_time_ms(std::int64_t unix_time_ms) {
  const std::int64_t seconds = unix_time_ms >= 0 ? unix_time_ms / 1000 : (unix_time_ms - 999) / 1000;
  const int millis = static_cast<int>(unix_time_ms - seconds * 1000);
  const std::time_t time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[sizeof "2026-11-24T10:00:00"];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char result[sizeof "2026-11-24T10:00:00.000Z"];
  std::snprintf(result, sizeof result, "%s.%03dZ", text, millis);
  return result;
}

std::optional<std::int64_t> parse_utc_time_ms(std::string_view text) {
  if (text.size() != 20 && text.size() != 24) return std::nullopt;
  if (text.back() != 'Z' || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  int millis = 0;
  if (text.size() == 24) {
    if (text[19] != '.') return std::nullopt;
    for (std::size_t index = 20; index < 23; ++index) {
      if (text[index] < '0' || text[index] > '9') return std::nullopt;
      millis = millis * 10 + (text[index] - '0');
    }
  }
  std::tm utc{};
  auto number = [&](std::size_t from, std::size_t digits) -> int {
    int value = 0;
    for (std::size_t index = from; index < from + digits; ++index) {
      if (text[index] < '0' || text[index] > '9') return -1;
      value = value * 10 + (text[index] - '0');
    }
    return value;
  };
  utc.tm_year = number(0, 4) - 1900;
  utc.tm_mon = number(5, 2) - 1;
  utc.tm_mday = number(8, 2);
  utc.tm_hour = number(11, 2);
  utc.tm_min = number(14, 2);
  utc.tm_sec = number(17, 2);
  if (utc.tm_year < 0 || utc.tm_mon < 0 || utc.tm_mday < 1 || utc.tm_hour < 0 || utc.tm_min < 0 || utc.tm_sec < 0) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(timegm(&utc)) * 1000 + millis;
}

std::int64_t current_unix_time_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace loyalty::server::webhooks
