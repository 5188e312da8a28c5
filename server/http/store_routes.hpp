// store_routes.hpp: the /api/v1/stores/{store_id}/... routes over the hosted core.
//
// Each route checks the caller (auth::Authenticator) and the permission it needs, turns the
// request into one core command (docs/commands.md), and answers with the core's result.
// Writes carry the server's time, or for order events and refunds the business time the
// checkout gives (not later than a few minutes ahead of the server's clock). A write that a
// checkout may retry takes an Idempotency-Key header: the same key and body replay the
// first answer; the same key with another body is refused (422); a retry while the first
// is in flight gets 409.
#pragma once
#include <functional>
#include <mutex>
#include <set>
#include <string>

#include "core/basics/time.hpp"

namespace httplib {
class Server;
}
namespace loyalty::server::hosting {
class StoreRegistry;
}
namespace loyalty::server::auth {
class Authenticator;
}
namespace loyalty::server::storage {
class Database;
}

namespace loyalty::server::http {

class ApiMetrics;

// Keys whose first request has not been answered yet, by store and principal.
class IdempotencyInFlight {
 public:
  bool begin(const std::string& key) {
    std::lock_guard lock(mutex_);
    return keys_.insert(key).second;
  }
  void end(const std::string& key) {
    std::lock_guard lock(mutex_);
    keys_.erase(key);
  }

 private:
  std::mutex mutex_;
  std::set<std::string> keys_;
};

struct StoreApiContext {
  hosting::StoreRegistry& stores;
  auth::Authenticator& authenticator;
  storage::Database& database;                  // the audit log
  std::function<UtcSeconds()> now_utc;
  IdempotencyInFlight& in_flight;
};

void register_store_routes(httplib::Server& server, StoreApiContext& context);

}  // namespace loyalty::server::http
