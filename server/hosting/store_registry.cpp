#include "server/hosting/store_registry.hpp"

#include <mutex>

namespace loyalty::server::hosting {

using storage::Done;
using storage::StorageResult;

StorageResult<Done> StoreRegistry::start_all() {
  auto stores = storage_.list_stores();
  if (!stores.ok()) return StorageResult<Done>::failure(stores.error_message());
  for (const storage::StoreRecord& record : stores.value()) {
    auto host = std::make_unique<StoreHost>(record, storage_, counters_);
    if (auto started = host->start(); !started.ok()) return started;
    std::unique_lock lock(mutex_);
    hosts_.emplace(record.store_id, std::move(host));
  }
  return StorageResult<Done>::success({});
}

StorageResult<StoreHost*> StoreRegistry::create(const storage::StoreRecord& record) {
  if (auto created = storage_.create_store(record); !created.ok()) return StorageResult<StoreHost*>::failure(created.error_message());
  auto host = std::make_unique<StoreHost>(record, storage_, counters_);
  if (auto started = host->start(); !started.ok()) return StorageResult<StoreHost*>::failure(started.error_message());
  StoreHost* pointer = host.get();
  std::unique_lock lock(mutex_);
  hosts_.emplace(record.store_id, std::move(host));
  return StorageResult<StoreHost*>::success(pointer);
}

StoreHost* StoreRegistry::find(std::string_view store_id) const {
  std::shared_lock lock(mutex_);
  const auto found = hosts_.find(store_id);
  return found == hosts_.end() ? nullptr : found->second.get();
}

StoreHost* StoreRegistry::find_or_start(std::string_view store_id) {
  if (StoreHost* host = find(store_id)) return host;
  auto stores = storage_.list_stores();
  if (!stores.ok()) return nullptr;
  for (const storage::StoreRecord& record : stores.value()) {
    if (record.store_id != store_id) continue;
    std::unique_lock lock(mutex_);
    if (const auto found = hosts_.find(store_id); found != hosts_.end()) return found->second.get();   // raced
    auto host = std::make_unique<StoreHost>(record, storage_, counters_);
    if (!host->start().ok()) return nullptr;
    StoreHost* pointer = host.get();
    hosts_.emplace(record.store_id, std::move(host));
    return pointer;
  }
  return nullptr;
}

std::vector<StoreHost*> StoreRegistry::all() const {
  std::shared_lock lock(mutex_);
  std::vector<StoreHost*> hosts;
  for (const auto& [store_id, host] : hosts_) hosts.push_back(host.get());
  return hosts;
}

void StoreRegistry::stop_all() {
  std::shared_lock lock(mutex_);
  for (const auto& [store_id, host] : hosts_) host->stop();
}

}  // namespace loyalty::server::hosting
