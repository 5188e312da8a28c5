#include "server/auth/rate_limiter.hpp"

#include <algorithm>

namespace loyalty::server::auth {
namespace {
}  // namespace

void SlidingWindowLimiter::drop_expired(std::deque<std::int64_t>& failures,
                                        std::int64_t now_s) const {
  while (!failures.empty() && failures.front() <= now_s - window_s_) failures.pop_front();
}

void SlidingWindowLimiter::drop_idle_keys(std::int64_t now_s) {
  for (auto entry = failures_by_key_.begin(); entry != failures_by_key_.end();) {
    drop_expired(entry->second, now_s);
    entry = entry->second.empty() ? failures_by_key_.erase(entry) : std::next(entry);
  }
}

std::optional<std::int64_t> SlidingWindowLimiter::retry_after_s(const std::string& key,
                                                                std::int64_t now_s) {
  std::lock_guard lock(mutex_);
  auto found = failures_by_key_.find(key);
  if (found == failures_by_key_.end()) return std::nullopt;
  std::deque<std::int64_t>& failures = found->second;
  drop_expired(failures, now_s);
  if (failures.size() < failures_max_) return std::nullopt;
  // The key may try again once enough of its failures have left the window.
  const std::int64_t frees_at_s = failures[failures.size() - failures_max_] + window_s_;
  return std::max<std::int64_t>(1, frees_at_s - now_s);
}

void SlidingWindowLimiter::record_failure(const std::string& key, std::int64_t now_s) {
  std::lock_guard lock(mutex_);
  if (failures_by_key_.size() >= sweep_at_keys_) {
    drop_idle_keys(now_s);
    // Twice what is left: a spray of keys costs amortised constant time per failure,
    // and memory stays within twice what the window really holds.
    sweep_at_keys_ = std::max(keys_before_sweep, 2 * failures_by_key_.size());
  }
  std::deque<std::int64_t>& failures = failures_by_key_[key];
  drop_expired(failures, now_s);
  failures.push_back(now_s);
  // Older failures than the limit can never matter again.
  while (failures.size() > failures_max_) failures.pop_front();
}

void SlidingWindowLimiter::forget(const std::string& key) {
  std::lock_guard lock(mutex_);
  failures_by_key_.erase(key);
}

}  // namespace loyalty::server::auth
