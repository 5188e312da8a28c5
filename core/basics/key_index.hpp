// key_index.hpp: an open-addressing map from a string key to a dense record index, for
// the store's hot lookups (member id, phone, card number, order id).
//
// The keys are not copied: they live in the records (members_, orders_) and the caller
// passes `key_of(index)` to read them. A slot is 8 bytes (index + 32 bits of the hash),
// against 50+ bytes and a pointer chase per node in std::unordered_map, which matters at
// a million orders: the accrual benchmark spends most of its time in these lookups.
#pragma once
#include <cassert>
#include <cstdint>
#include <string_view>
#include <vector>

namespace loyalty {

class KeyIndex {
 public:
  static constexpr std::uint32_t not_found = UINT32_MAX;

  template <typename KeyOf>
  std::uint32_t find(std::string_view key, KeyOf key_of) const {
    if (slots_.empty()) return not_found;
    const std::uint32_t hash = hash_key(key);
    for (std::size_t position = hash & mask(); ; position = (position + 1) & mask()) {
      const Slot& slot = slots_[position];
      if (slot.index == empty_slot) return not_found;
      if (slot.hash == hash && key_of(slot.index) == key) return slot.index;
    }
  }

  // The key must not be present (find first).
  void insert(std::string_view key, std::uint32_t index) {
    assert(index != empty_slot);
    if ((count_ + 1) * 2 > slots_.size()) grow();
    place(Slot{index, hash_key(key)});
    ++count_;
  }

  // Removes `key` (present, mapped to `index`). Linear probing allows deleting without
  // tombstones: later entries of the same run shift back into the hole.
  template <typename KeyOf>
  void erase(std::string_view key, std::uint32_t index, KeyOf key_of) {
    assert(find(key, key_of) == index);
    const std::uint32_t hash = hash_key(key);
    std::size_t hole = hash & mask();
    while (slots_[hole].index != index) hole = (hole + 1) & mask();
    for (std::size_t next = (hole + 1) & mask(); slots_[next].index != empty_slot; next = (next + 1) & mask()) {
      const std::size_t home = slots_[next].hash & mask();
      // Move back the entry at `next` unless its home lies cyclically in (hole, next].
      const bool home_after_hole = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
      if (!home_after_hole) {
        slots_[hole] = slots_[next];
        hole = next;
      }
    }
    slots_[hole] = Slot{};
    --count_;
  }

  std::size_t size() const { return count_; }
  std::size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot); }

  // FNV-1a with a final mix: the same on every platform, good enough spread for ids.
  static std::uint32_t hash_key(std::string_view key) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (char c : key) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccdULL;
    hash ^= hash >> 33;
    return static_cast<std::uint32_t>(hash);
  }

 private:
  static constexpr std::uint32_t empty_slot = UINT32_MAX;
  struct Slot {
    std::uint32_t index = empty_slot;
    std::uint32_t hash = 0;
  };

  std::size_t mask() const { return slots_.size() - 1; }
  void place(Slot slot) {
    std::size_t position = slot.hash & mask();
    while (slots_[position].index != empty_slot) position = (position + 1) & mask();
    slots_[position] = slot;
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    for (const Slot& slot : old) {
      if (slot.index != empty_slot) place(slot);  // the stored hash places it: no key is read
    }
  }

  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

}  // namespace loyalty
