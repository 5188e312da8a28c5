// webhook_signing.hpp: what outgoing webhooks share between the routes and the dispatcher:
// secrets, Standard Webhooks signatures, which URLs and event types an endpoint may have,
// the message body, and the retry schedule.
//
// Standard Webhooks (https://www.standardwebhooks.com/): each POST carries
//   webhook-id:        "evt_<store_id>_<outbox id>", the same on every retry (dedupe on it)
//   webhook-timestamp: unix seconds of this attempt
//   webhook-signature: "v1," + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))
// where the secret is "whsec_" + base64 of 32 random bytes, and the key is those 32 bytes
// (the base64 after the prefix, decoded).
//
// Settings from the environment (WebhookSettings::from_environment):
//   LOYALTY_WEBHOOK_BACKOFF_SCALE  multiplies every retry delay (tests: 0.0001); default 1
//   LOYALTY_WEBHOOK_ALLOW_HTTP=1   accept http:// URLs to any host (otherwise only https://,
//                                  and http:// to 127.0.0.1, localhost and [::1])
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace loyalty::server::webhooks {

struct WebhookSettings {
  double backoff_scale = 1.0;
  bool allow_http = false;
  // Reads the variables above; unreadable ones keep their defaults (with a warning on stderr).
  static WebhookSettings from_environment();
};

// "whsec_" + base64 of 32 random bytes.
std::string generate_secret();

// "v1,<base64 HMAC-SHA256>" of "{message_id}.{timestamp}.{body}" with the secret's key;
// nullopt when the secret is not "whsec_" + base64.
std::optional<std::string> sign(std::string_view secret, std::string_view message_id,
                                std::int64_t timestamp_s, std::string_view body);

struct WebhookUrl {
  std::string scheme;           // "http" or "https"
  std::string host;             // as written ("[::1]" keeps its brackets)
  int port = 0;                 // explicit or the scheme's default
  std::string path_and_query;   // "/" at least
  std::string origin() const;   // "https://host:port", what httplib::Client takes
};

struct UrlProblem {
  std::string message_vi;
  std::string message_en;
};

// The URL, or why an endpoint may not have it: only http(s), at most 2048 characters, no
// credentials or fragment, and http only to loopback unless settings.allow_http.
std::optional<WebhookUrl> parse_webhook_url(std::string_view url, const WebhookSettings& settings,
                                            UrlProblem* problem = nullptr);

// The core's event kinds an endpoint may subscribe to (docs/commands.md, "The shape of a
// result"); "*" subscribes to all of them, including kinds added later.
std::span<const std::string_view> known_event_types();
bool is_known_event_type(std::string_view type);
// `subscribed` is the endpoint's list (stored as a JSON array of strings).
bool subscribes_to(const std::vector<std::string>& subscribed, std::string_view event_type);

std::string message_id(std::string_view store_id, std::int64_t outbox_id);
// {"type", "timestamp", "store_id", "data"}: the same bytes on every retry.
std::string message_body(std::string_view store_id, std::string_view event_type,
                         std::string_view created_at_utc, std::string_view payload_json);

// The retry schedule: after the n-th consecutive failure (n from 1) the next attempt waits
// retry_delay(n) (5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h, times the
// scale); after failures_before_disable consecutive failures (about 23.7 hours of failing
// at scale 1) the endpoint is disabled instead.
constexpr int failures_before_disable = 11;
std::chrono::milliseconds retry_delay(int consecutive_failures, double scale);

// "2026-11-24T10:00:00.123Z" (milliseconds: scaled delays are shorter than a second).
std::string format_utc_time_ms(std::int64_t unix_time_ms);
// Also reads "2026-11-24T10:00:00Z"; nullopt for anything else.
std::optional<std::int64_t> parse_utc_time_ms(std::string_view text);
std::int64_t current_unix_time_ms();

}  // namespace loyalty::server::webhooks
