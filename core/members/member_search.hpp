// member_search.hpp: the index support staff search members with.
//
// [SECTION] Hits
// [SECTION] Index
// [SECTION] Layout
//
// One box answers everything staff type: a name with or without diacritics ("Nguyễn
// Văn An", "nguyen van an", "van an", "ngu"), a phone in any accepted format or its last
// 4+ digits ("5678"), or a card number. Results are ranked (SearchMatch order) and
// bounded by `limit`; every query is answered from sorted arrays and binary search,
// never by a scan of all members.
//
// Ranking, best first; within a rank the order is fixed (same adds and queries give
// the same results natively and in wasm):
//   card_number, phone          exact; by member index (card hits before phone hits)
//   phone_suffix                the phone ends with the 4+ digits typed; by phone, member
//   name_exact                  the folded name equals the folded query; by member
//   name_prefix                 the name starts with the query; by folded name, member
//   name_words_in_order         the query starts at a later word of the name ("van an",
//                               "an"); by the name's text from that word, then member, so
//                               whole-word matches ("an") come before longer words ("anh")
//   name_words_any_order        every query word starts some word of the name
//                               ("an nguyen"); by folded name, member
// The last word of a name query may be partial ("nguyen van a"). A query made only of
// digits and phone punctuation is a card or phone query; fewer than 4 digits find
// nothing. Any-order matching examines at most search_any_order_candidates_max entries
// of its most selective word: beyond that a very unselective query ("van thi") may miss
// members, which staff resolve by typing more.
//
// Threads: search() is const but merges adds still pending (see flush()); call flush()
// after a batch of adds before sharing the index between threads for reading.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loyalty {

// [SECTION] Hits ----------------------------------------------------------------------
using MemberIndex = std::uint32_t;  // dense index of a member in the store

enum class SearchMatch : std::uint8_t {
  card_number,
  phone,
  phone_suffix,
  name_exact,
  name_prefix,
  name_words_in_order,
  name_words_any_order,
};
std::string_view search_match_name(SearchMatch match);  // "card_number", ...

struct SearchHit {
  MemberIndex member = 0;
  SearchMatch match = SearchMatch::name_exact;
  friend bool operator==(const SearchHit&, const SearchHit&) = default;
};

inline constexpr std::size_t search_phone_suffix_digits_min = 4;
inline constexpr std::size_t search_any_order_candidates_max = 10'000;

// [SECTION] Index ---------------------------------------------------------------------
class MemberSearchIndex {
 public:
  // phone_normalized: the national form ("0912345678") or empty; card_number: digits
  // (at most 16) or empty. The member must not be in the index (remove() first).
  void add(MemberIndex member, std::string_view full_name_utf8, std::string_view phone_normalized,
           std::string_view card_number);
  // Before re-adding with a new name or phone; a member not in the index is ignored.
  void remove(MemberIndex member);
  bool contains(MemberIndex member) const;
  // Merges pending adds into the sorted arrays now (search() does it on demand).
  void flush();

  std::vector<SearchHit> search(std::string_view query, std::size_t limit) const;
  std::size_t member_count() const { return member_count_; }
  std::size_t memory_bytes() const;  // approximate heap bytes held

  // Merges pending adds and drops stale entries now, so that searches that follow change
  // nothing (a host calls it after each batch of writes, before many threads read).
  void prepare_for_reads() const { flush_pending(); }

  // [SECTION] Layout ------------------------------------------------------------------
  // Folded names live once in `names_text_`, each followed by '\0'. A name entry
  // points at a word of a name; sorting entries by the text from that word to the end
  // of the name makes "van an" a prefix range. A key entry holds a phone (digits
  // reversed, for suffix ranges) or a card number packed in 4-bit digits.
  // Each sorted array is three runs: `main` (large, sorted), `tail` (sorted, at most
  // tail_entries_max) and `pending` (appended by add(), sorted and merged in before the
  // next search), so that an add never moves the large run.
  struct NameEntry {
    std::uint32_t member;
    std::uint32_t text_offset;
  };
  struct KeyEntry {
    std::uint64_t key;
    std::uint32_t member;
    std::uint32_t name_offset;  // the member's name_offset when added: tells stale entries
  };
  template <typename Entry>
  struct Runs {
    std::vector<Entry> main, tail, pending;
    std::size_t size() const { return main.size() + tail.size() + pending.size(); }
    std::size_t capacity_bytes() const {
      return (main.capacity() + tail.capacity() + pending.capacity()) * sizeof(Entry);
    }
  };
  static constexpr std::size_t tail_entries_max = 4096;

 private:
  friend class StoreSnapshot;   // core/snapshot: writes and reads the index as it stands
  static constexpr std::uint32_t absent = 0xFFFFFFFF;

  bool name_entry_is_live(const NameEntry& entry) const;
  bool key_entry_is_live(const KeyEntry& entry) const;
  std::string_view name_of(MemberIndex member) const;
  void flush_pending() const;
  void rebuild_without_stale() const;

  void search_digits(std::string_view query, std::size_t limit, std::vector<SearchHit>& hits) const;
  void search_name(std::string_view folded_query, std::size_t limit, std::vector<SearchHit>& hits) const;

  // Mutable: search() merges pending adds on demand, and stale entries are dropped then.
  mutable std::string names_text_;
  mutable std::vector<std::uint32_t> name_offset_by_member_;  // absent when not indexed
  mutable Runs<NameEntry> full_names_;   // entries at the first word of each name
  mutable Runs<NameEntry> later_words_;  // entries at every later word
  mutable Runs<KeyEntry> phones_;        // key: reversed phone digits
  mutable Runs<KeyEntry> cards_;         // key: card digits
  std::size_t member_count_ = 0;
  mutable std::size_t stale_entries_ = 0;      // entries of removed members, still held
  mutable std::size_t stale_text_bytes_ = 0;   // text of removed names, still held
};

}  // namespace loyalty
