#include "server/http/api_metrics.hpp"

#include <cstdio>
#include <sstream>
#include <vector>

#include "server/hosting/store_registry.hpp"

namespace loyalty::server::http {

namespace {
std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string part;
  for (char letter : path) {
    if (letter == '/') {
      parts.push_back(part);
      part.clear();
    } else {
      part.push_back(letter);
    }
  }
  parts.push_back(part);
  return parts;
}
}  // namespace

std::string ApiMetrics::route_label(const std::string& path) {
  if (path.rfind("/api/", 0) != 0 && path != "/metrics") return "static";
  std::vector<std::string> parts = split_path(path);   // "", "api", "v1", "stores", id, resource, id, ...
  if (parts.size() > 4 && parts[1] == "api" && parts[2] == "v1" && parts[3] == "stores") {
    parts[4] = "{store_id}";
    static const std::pair<const char*, const char*> resources[] = {
        {"members", "{member_id}"}, {"orders", "{order_id}"}, {"holds", "{hold_id}"},  {"staff", "{staff_id}"},
        {"api-keys", "{key_id}"},   {"webhooks", "{webhook_id}"}};
    if (parts.size() > 6) {
      for (const auto& [resource, placeholder] : resources) {
        if (parts[5] == resource && parts[6] != "lookup") parts[6] = placeholder;
      }
    }
  }
  std::string label;
  for (std::size_t i = 1; i < parts.size(); ++i) label += "/" + parts[i];
  return label.size() > 120 ? label.substr(0, 120) : label;
}

void ApiMetrics::observe_request(const std::string& method, const std::string& path, int status, double duration_s) {
  const std::string route = method.substr(0, 8) + " " + route_label(path);
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  Histogram& histogram = latency_[route];
  for (std::size_t i = 0; i < bucket_bounds_s.size(); ++i) {
    if (duration_s <= bucket_bounds_s[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum_s += duration_s;
}

std::string ApiMetrics::render(const hosting::StoreRegistry& stores) const {
  std::ostringstream text;
  auto escape = [](const std::string& value) {
    std::string escaped;
    for (char letter : value) {
      if (letter == '"' || letter == '\\') escaped.push_back('\\');
      escaped.push_back(letter == '\n' ? ' ' : letter);
    }
    return escaped;
  };
  {
    std::lock_guard lock(mutex_);
    text << "# HELP loyalty_http_requests_total Requests answered, by route and status.\n"
            "# TYPE loyalty_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
      text << "loyalty_http_requests_total{route=\"" << escape(key.first) << "\",status=\"" << key.second << "\"} " << count << "\n";
    }
    text << "# HELP loyalty_http_request_duration_seconds Time from routing to the answer, by route.\n"
            "# TYPE loyalty_http_request_duration_seconds histogram\n";
    for (const auto& [route, histogram] : latency_) {
      for (std::size_t i = 0; i < bucket_bounds_s.size(); ++i) {
        char bound[32];
        std::snprintf(bound, sizeof bound, "%g", bucket_bounds_s[i]);
        text << "loyalty_http_request_duration_seconds_bucket{route=\"" << escape(route) << "\",le=\"" << bound << "\"} "
             << histogram.buckets[i] << "\n";
      }
      text << "loyalty_http_request_duration_seconds_bucket{route=\"" << escape(route) << "\",le=\"+Inf\"} " << histogram.count << "\n";
      text << "loyalty_http_request_duration_seconds_sum{route=\"" << escape(route) << "\"} " << histogram.sum_s << "\n";
      text << "loyalty_http_request_duration_seconds_count{route=\"" << escape(route) << "\"} " << histogram.count << "\n";
    }
  }
  const hosting::HostCounters& counters = const_cast<hosting::StoreRegistry&>(stores).counters();
  const std::int64_t batches = counters.batches.load();
  text << "# HELP loyalty_commit_batches_total Group commits (one transaction and one fsync each).\n"
          "# TYPE loyalty_commit_batches_total counter\nloyalty_commit_batches_total " << batches << "\n"
       << "# HELP loyalty_commit_commands_total Commands applied in those batches.\n"
          "# TYPE loyalty_commit_commands_total counter\nloyalty_commit_commands_total " << counters.commands.load() << "\n"
       << "# HELP loyalty_commit_batch_size_average Commands per batch, on average.\n"
          "# TYPE loyalty_commit_batch_size_average gauge\nloyalty_commit_batch_size_average "
       << (batches > 0 ? static_cast<double>(counters.commands.load()) / static_cast<double>(batches) : 0.0) << "\n"
       << "# HELP loyalty_journal_lines_committed_total Journal lines written.\n"
          "# TYPE loyalty_journal_lines_committed_total counter\nloyalty_journal_lines_committed_total " << counters.journal_lines.load() << "\n"
       << "# HELP loyalty_commit_seconds_total Time spent committing (SQLite transaction and fsync).\n"
          "# TYPE loyalty_commit_seconds_total counter\nloyalty_commit_seconds_total "
       << static_cast<double>(counters.commit_microseconds_total.load()) / 1e6 << "\n"
       << "# HELP loyalty_commit_failures_total Commits that failed (the store was rebuilt from disk).\n"
          "# TYPE loyalty_commit_failures_total counter\nloyalty_commit_failures_total " << counters.commit_failures.load() << "\n"
       << "# HELP loyalty_due_runs_total Due work runs (process_due, daily birthday perk and tier review).\n"
          "# TYPE loyalty_due_runs_total counter\nloyalty_due_runs_total " << counters.due_runs.load() << "\n"
       << "# HELP loyalty_deliveries_handed_over_total Notification deliveries put in the outbox for the push gateway.\n"
          "# TYPE loyalty_deliveries_handed_over_total counter\nloyalty_deliveries_handed_over_total "
       << counters.deliveries_handed_over.load() << "\n"
       << "# HELP loyalty_snapshots_total Snapshots of a store's state saved.\n"
          "# TYPE loyalty_snapshots_total counter\nloyalty_snapshots_total " << counters.snapshots.load() << "\n"
       << "# HELP loyalty_journal_length Journal entries per store.\n# TYPE loyalty_journal_length gauge\n";
  for (const hosting::StoreHost* host : stores.all()) {
    text << "loyalty_journal_length{store=\"" << escape(host->record().store_id) << "\"} " << host->journal_length() << "\n";
  }
  return text.str();
}

}  // namespace loyalty::server::http
