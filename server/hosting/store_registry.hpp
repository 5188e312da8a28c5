// store_registry.hpp: every store this server hosts, each with its StoreHost.
#pragma once
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "server/hosting/store_host.hpp"

namespace loyalty::server::hosting {

class StoreRegistry {
 public:
  explicit StoreRegistry(storage::StoreStorage& storage) : storage_(storage) {}
  ~StoreRegistry() { stop_all(); }

  // Rebuilds every store listed in storage; fails on the first store that cannot start.
  storage::StorageResult<storage::Done> start_all();
  // Records a new store and starts hosting it (empty: no program, no members yet).
  storage::StorageResult<StoreHost*> create(const storage::StoreRecord& record);
  StoreHost* find(std::string_view store_id) const;
  // The host, starting it first when the store was created since (by the operator's
  // create-store while the server runs); nullptr when storage has no such store.
  StoreHost* find_or_start(std::string_view store_id);
  std::vector<StoreHost*> all() const;
  HostCounters& counters() { return counters_; }
  storage::StoreStorage& storage() { return storage_; }
  void stop_all();

 private:
  storage::StoreStorage& storage_;
  HostCounters counters_;
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::unique_ptr<StoreHost>, std::less<>> hosts_;
};

}  // namespace loyalty::server::hosting
