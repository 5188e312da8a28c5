// api_metrics.hpp: the figures GET /metrics shows, in Prometheus' text format.
//
// Requests by route and status, request latency histograms by route; and from the hosts:
// group-commit batches, commands and journal lines committed, commit time, commit
// failures, each store's journal length, and due work processed.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace loyalty::server::hosting {
class StoreRegistry;
}

namespace loyalty::server::http {

class ApiMetrics {
 public:
  // `path` as requested: ids are folded into the route's template, so labels stay few.
  void observe_request(const std::string& method, const std::string& path, int status, double duration_s);
  std::string render(const hosting::StoreRegistry& stores) const;
  // "/api/v1/stores/x/members/M1" -> "/api/v1/stores/{store_id}/members/{member_id}".
  static std::string route_label(const std::string& path);

 private:
  static constexpr std::array<double, 12> bucket_bounds_s = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025,
                                                              0.05,   0.1,   0.25,  0.5,   1.0,  2.5};
  struct Histogram {
    std::array<std::int64_t, bucket_bounds_s.size()> buckets{};
    std::int64_t count = 0;
    double sum_s = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::int64_t> requests_;   // (method route, status) -> count
  std::map<std::string, Histogram> latency_;                       // method route -> histogram
};

}  // namespace loyalty::server::http
