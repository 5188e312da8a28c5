// store_snapshot.hpp: a store's whole state as bytes, and back, so that a host restarts
// from its newest snapshot and replays only the journal's tail.
//
// [SECTION] Format
// [SECTION] Snapshot
//
// The format is the core's own, the same bytes natively and in wasm for the same store:
// every integer is written explicitly in little-endian order (never a struct's memory),
// every string is a u32 byte count and its bytes. A snapshot reads back into a store that
// answers every command and every read exactly as the store it was taken from.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/store.hpp"

namespace loyalty {

// [SECTION] Format ---------------------------------------------------------------------
//   header    8 bytes "LOYSNAP\0", u32 format version, u64 byte count of the whole snapshot
//   sections  each a u32 tag (four ASCII letters) and its records, in this order:
//             CLCK the clock and the last actor        ACTR actor names
//             PROG program versions (config as JSON)   MEMB members (tier history inline)
//             ORDR orders    RFND refunds    ADJS adjustments    LOTS point lots
//             PORT lot portions    HOLD holds    ACTN points actions
//             STAF staff action by transaction (sorted by transaction)
//             DUEW the due-work heap, as stored (its order is the processing order)
//             LEDG the ledger: transactions with their postings, in posting order
//             SRCH the member search index as it stands (runs, pending adds, stale entries)
//             GRPS customer groups, sorted by id (a dynamic group's filter as JSON, a
//                  static group's members as sorted indexes); since version 2
//             CAMP voucher campaigns (config as JSON, status), codes, claims, batches
//             NOTI notifications (config as JSON, audience, a state byte per member of it,
//                  failures by position, opens), scenarios (config as JSON, the next daily
//                  run, threshold bits), occasions; since version 4
//             RULS order lines with what they earned, bonuses, manual tier assignments; since version 5
//   checksum  u64 snapshot_checksum of every byte before it
// The lookups (member id, phone, card, order id, hold id, refund, adjustment and action
// keys, actor names) are rebuilt on load; balances and history links are rebuilt by
// posting the ledger's transactions again.
inline constexpr std::string_view snapshot_magic{"LOYSNAP\0", 8};
// 2: customer groups (GRPS); 3: voucher campaigns (CAMP); 4: notifications (NOTI), zalo opt-in;
// 5: order lines, bonuses and tier rules (RULS, and new fields of members, tier entries and orders)
inline constexpr std::uint32_t snapshot_format_version = 5;

// The checksum at the end: FNV-1a's step (xor, multiply by 0x100000001b3) applied to the
// little-endian 8-byte words of the bytes (the last one zero-filled) in four interleaved
// lanes starting at 0xcbf29ce484222325 + lane; then, from (0xcbf29ce484222325 ^ byte
// count) * prime, the same step with each lane in turn. Any single changed byte changes it.
std::uint64_t snapshot_checksum(std::string_view bytes);

// [SECTION] Snapshot -------------------------------------------------------------------
struct SnapshotReading {
  std::optional<Store> store;   // set only when error is empty
  std::string error;            // why the bytes were refused: "snapshot: ..."
};

class StoreSnapshot {
 public:
  // The store's state as bytes. Reads the search index as it stands: call it on the
  // store's writer thread (search() merges pending adds, see member_search.hpp).
  static std::string write(const Store& store);
  // Checks the magic, the version, the byte count, the checksum, every count and index,
  // then the store's invariants; anything malformed is refused with an error, never a crash.
  static SnapshotReading read(std::string_view bytes);

 private:
  static std::string check_references(const Store& store);   // every index, list and heap
  static std::string rebuild_lookups(Store& store);           // the maps derived from the records
  static std::string check_sums(const Store& store);          // check_invariants' sums fit int64
};

}  // namespace loyalty
