// rate_limiter.hpp: counts failed sign-ins per key (an account, a client address) in a
// sliding window, in memory.
//
// In memory on purpose: a restart forgets the counts, which costs an attacker's guesses
// nothing they could not get by waiting out the window, and keeps sign-in off the disk.
// Time is a parameter (steady seconds), so the window is tested without waiting.
#pragma once
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace loyalty::server::auth {

class SlidingWindowLimiter {
 public:
  SlidingWindowLimiter(std::int64_t window_s, std::size_t failures_max)
      : window_s_(window_s), failures_max_(failures_max) {}

  // Seconds until `key` may try again, or nullopt when it may try now.
  std::optional<std::int64_t> retry_after_s(const std::string& key, std::int64_t now_s);
  void record_failure(const std::string& key, std::int64_t now_s);
  void forget(const std::string& key);

 private:
  void drop_expired(std::deque<std::int64_t>& failures, std::int64_t now_s) const;
  void drop_idle_keys(std::int64_t now_s);  // bounds memory under a spray of keys

  std::int64_t window_s_;
  std::size_t failures_max_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<std::int64_t>> failures_by_key_;  // times, oldest first
  // Past this many keys, every key with no failure left in the window is dropped.
  static constexpr std::size_t keys_before_sweep = 10'000;
  std::size_t sweep_at_keys_ = keys_before_sweep;
};

}  // namespace loyalty::server::auth
