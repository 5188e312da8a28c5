#include "core/members/member_search.hpp"

#include "core/basics/prefetch.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <unordered_set>

#include "core/members/phone.hpp"
#include "core/basics/text_fold.hpp"

namespace loyalty {

namespace {

// [SECTION] Packed digits --------------------------------------------------------------
// Up to 16 digits in 4 bits each (digit + 1, so 0 marks the end), first digit in the top
// nibble: comparing keys compares the digit strings, and the keys starting with some
// digits form one range.
constexpr std::size_t packed_digits_max = 16;

bool is_digit(char character) { return character >= '0' && character <= '9'; }

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), is_digit);
}

std::uint64_t pack_digits(std::string_view digits, bool reversed) {
  assert(digits.size() <= packed_digits_max && all_digits(digits));
  std::uint64_t key = 0;
  for (std::size_t index = 0; index < digits.size(); ++index) {
    const char digit = reversed ? digits[digits.size() - 1 - index] : digits[index];
    key |= static_cast<std::uint64_t>(digit - '0' + 1) << (60 - 4 * index);
  }
  return key;
}

// The largest key that starts with the `digit_count` digits of `key`.
std::uint64_t packed_range_last(std::uint64_t key, std::size_t digit_count) {
  if (digit_count >= packed_digits_max) return key;
  return key | ((std::uint64_t(1) << (4 * (packed_digits_max - digit_count))) - 1);
}

// The same digits in the other direction: a reversed phone key back to its phone order.
std::uint64_t reverse_packed(std::uint64_t key) {
  std::size_t digit_count = 0;
  while (digit_count < packed_digits_max && ((key >> (60 - 4 * digit_count)) & 0xF) != 0) ++digit_count;
  std::uint64_t reversed = 0;
  for (std::size_t index = 0; index < digit_count; ++index) {
    const std::uint64_t nibble = (key >> (60 - 4 * index)) & 0xF;
    reversed |= nibble << (60 - 4 * (digit_count - 1 - index));
  }
  return reversed;
}

// A query made of digits and what people type between them is a card or phone query.
bool is_digit_query(std::string_view query) {
  bool any_digit = false;
  for (const char character : query) {
    if (is_digit(character)) {
      any_digit = true;
    } else if (character != ' ' && character != '\t' && character != '.' && character != '-' &&
               character != '(' && character != ')' && character != '+' && character != '/') {
      return false;
    }
  }
  return any_digit;
}

// Whether some word of the folded `name` starts with `word`.
bool has_word_starting_with(std::string_view name, std::string_view word) {
  std::size_t position = 0;
  while (position < name.size()) {
    if (name.compare(position, word.size(), word) == 0) return true;
    const std::size_t space = name.find(' ', position);
    if (space == std::string_view::npos) return false;
    position = space + 1;
  }
  return false;
}

// [SECTION] Runs ----------------------------------------------------------------------
template <typename Entry>
using Runs = MemberSearchIndex::Runs<Entry>;

// Merges sorted `tail` into sorted `main` in place, from the back: one binary search
// per tail entry and one pass of moves over main, instead of a comparison per entry.
template <typename Entry, typename Less>
void merge_into(std::vector<Entry>& main, const std::vector<Entry>& tail, Less less) {
  std::size_t main_end = main.size();
  main.resize(main.size() + tail.size());
  std::size_t write = main.size();
  for (std::size_t tail_index = tail.size(); tail_index-- > 0;) {
    const auto position = static_cast<std::size_t>(
        std::upper_bound(main.begin(), main.begin() + static_cast<std::ptrdiff_t>(main_end), tail[tail_index], less) -
        main.begin());
    std::move_backward(main.begin() + static_cast<std::ptrdiff_t>(position),
                       main.begin() + static_cast<std::ptrdiff_t>(main_end),
                       main.begin() + static_cast<std::ptrdiff_t>(write));
    write -= main_end - position;
    main_end = position;
    main[--write] = tail[tail_index];
  }
  assert(write == main_end);
}

// Sorts `pending` and merges it in. A batch that is large next to `main` (the initial
// load) is merged linearly into a new main; a small one goes into the tail, and a full
// tail into main. Returns true when main was rebuilt.
template <typename Entry, typename Less, typename Sort>
bool flush_runs(Runs<Entry>& runs, Less less, Sort sort_entries, bool into_main) {
  if (runs.pending.empty() && !(into_main && !runs.tail.empty())) return false;
  sort_entries(runs.pending);
  const std::size_t small_size = runs.pending.size() + runs.tail.size();
  if (into_main || runs.pending.size() > std::max(MemberSearchIndex::tail_entries_max, runs.main.size() / 8)) {
    std::vector<Entry> small;
    small.reserve(small_size);
    std::merge(runs.tail.begin(), runs.tail.end(), runs.pending.begin(), runs.pending.end(),
               std::back_inserter(small), less);
    if (runs.main.empty()) {
      runs.main = std::move(small);
    } else {
      std::vector<Entry> merged;
      merged.reserve(runs.main.size() + small.size());
      std::merge(runs.main.begin(), runs.main.end(), small.begin(), small.end(), std::back_inserter(merged), less);
      runs.main = std::move(merged);
    }
    std::vector<Entry>().swap(runs.tail);  // `= {}` would keep the capacity
    std::vector<Entry>().swap(runs.pending);
    return true;
  }
  std::vector<Entry> merged_tail;
  merged_tail.reserve(small_size);
  std::merge(runs.tail.begin(), runs.tail.end(), runs.pending.begin(), runs.pending.end(),
             std::back_inserter(merged_tail), less);
  runs.tail = std::move(merged_tail);
  runs.pending.clear();
  if (runs.tail.size() > MemberSearchIndex::tail_entries_max) {
    merge_into(runs.main, runs.tail, less);
    runs.tail.clear();
  }
  return false;
}

// Visits the entries of main and tail between the bounds `first_of` and `past_of` find,
// in sorted order, until `visit` returns false.
template <typename Entry, typename Less, typename Bounds, typename Visit>
void visit_range(const Runs<Entry>& runs, Less less, Bounds bounds, Visit visit) {
  const auto [main_first, main_last] = bounds(runs.main);
  const auto [tail_first, tail_last] = bounds(runs.tail);
  auto main_it = main_first;
  auto tail_it = tail_first;
  while (main_it != main_last || tail_it != tail_last) {
    const bool take_tail = main_it == main_last || (tail_it != tail_last && less(*tail_it, *main_it));
    const Entry& entry = take_tail ? *tail_it++ : *main_it++;
    if (!visit(entry)) return;
  }
}

}  // namespace

std::string_view search_match_name(SearchMatch match) {
  switch (match) {
    case SearchMatch::card_number: return "card_number";
    case SearchMatch::phone: return "phone";
    case SearchMatch::phone_suffix: return "phone_suffix";
    case SearchMatch::name_exact: return "name_exact";
    case SearchMatch::name_prefix: return "name_prefix";
    case SearchMatch::name_words_in_order: return "name_words_in_order";
    case SearchMatch::name_words_any_order: return "name_words_any_order";
  }
  return "";
}

// [SECTION] Index ---------------------------------------------------------------------
void MemberSearchIndex::add(MemberIndex member, std::string_view full_name_utf8, std::string_view phone_normalized,
                            std::string_view card_number) {
  assert(member != absent);
  assert(!contains(member));
  assert(phone_normalized.size() <= packed_digits_max && all_digits(phone_normalized));
  assert(card_number.size() <= packed_digits_max && all_digits(card_number));
  if (member >= name_offset_by_member_.size()) name_offset_by_member_.resize(std::size_t(member) + 1, absent);

  const std::string folded = fold_for_search(full_name_utf8);
  if (names_text_.empty()) names_text_.push_back('\0');  // every name follows a '\0'
  assert(names_text_.size() + folded.size() + 1 < absent);  // offsets are 32 bits
  const auto name_offset = static_cast<std::uint32_t>(names_text_.size());
  names_text_.append(folded);
  names_text_.push_back('\0');
  name_offset_by_member_[member] = name_offset;
  if (!folded.empty()) {
    full_names_.pending.push_back({member, name_offset});
    for (std::size_t position = 0; position < folded.size(); ++position) {
      if (folded[position] == ' ') {
        later_words_.pending.push_back({member, name_offset + static_cast<std::uint32_t>(position + 1)});
      }
    }
  }
  if (!phone_normalized.empty()) phones_.pending.push_back({pack_digits(phone_normalized, true), member, name_offset});
  if (!card_number.empty()) cards_.pending.push_back({pack_digits(card_number, false), member, name_offset});
  ++member_count_;
}

void MemberSearchIndex::remove(MemberIndex member) {
  if (!contains(member)) return;
  const std::string_view name = name_of(member);
  // Entries stay in the arrays until the next rebuild; count them (phone and card
  // assumed present) so that stale ones never outgrow live ones.
  stale_entries_ += 2 + (name.empty() ? 0 : 1 + static_cast<std::size_t>(std::count(name.begin(), name.end(), ' ')));
  stale_text_bytes_ += name.size() + 1;
  name_offset_by_member_[member] = absent;
  --member_count_;
}

bool MemberSearchIndex::contains(MemberIndex member) const {
  return member < name_offset_by_member_.size() && name_offset_by_member_[member] != absent;
}

void MemberSearchIndex::flush() { flush_pending(); }

std::size_t MemberSearchIndex::memory_bytes() const {
  return names_text_.capacity() + name_offset_by_member_.capacity() * sizeof(std::uint32_t) +
         full_names_.capacity_bytes() + later_words_.capacity_bytes() + phones_.capacity_bytes() +
         cards_.capacity_bytes();
}

bool MemberSearchIndex::name_entry_is_live(const NameEntry& entry) const {
  // A re-added member's new name lies after all its older ones in names_text_.
  const std::uint32_t name_offset = name_offset_by_member_[entry.member];
  return name_offset != absent && entry.text_offset >= name_offset;
}

bool MemberSearchIndex::key_entry_is_live(const KeyEntry& entry) const {
  return name_offset_by_member_[entry.member] == entry.name_offset;
}

std::string_view MemberSearchIndex::name_of(MemberIndex member) const {
  assert(contains(member));
  return std::string_view(names_text_.data() + name_offset_by_member_[member]);
}

// [SECTION] Merging -------------------------------------------------------------------
namespace {

struct NameLess {
  const char* text;
  bool operator()(const MemberSearchIndex::NameEntry& left, const MemberSearchIndex::NameEntry& right) const {
    const int order = std::strcmp(text + left.text_offset, text + right.text_offset);
    if (order != 0) return order < 0;
    if (left.member != right.member) return left.member < right.member;
    return left.text_offset < right.text_offset;
  }
};

struct KeyLess {
  bool operator()(const MemberSearchIndex::KeyEntry& left, const MemberSearchIndex::KeyEntry& right) const {
    if (left.key != right.key) return left.key < right.key;
    if (left.member != right.member) return left.member < right.member;
    return left.name_offset < right.name_offset;
  }
};

// Sorting millions of name entries by comparing text in the arena is slow (a cache miss
// per comparison); the first 8 bytes, packed big-endian next to the entry, decide most
// comparisons without touching the arena.
void sort_name_entries(std::vector<MemberSearchIndex::NameEntry>& entries, const char* text) {
  if (entries.size() < 256) {
    std::sort(entries.begin(), entries.end(), NameLess{text});
    return;
  }
  struct Keyed {
    std::uint64_t prefix;
    std::uint32_t member;
    std::uint32_t text_offset;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(entries.size());
  for (const auto& entry : entries) {
    std::uint64_t prefix = 0;
    const char* start = text + entry.text_offset;
    for (std::size_t index = 0; index < 8 && start[index] != '\0'; ++index) {
      prefix |= static_cast<std::uint64_t>(static_cast<unsigned char>(start[index])) << (56 - 8 * index);
    }
    keyed.push_back({prefix, entry.member, entry.text_offset});
  }
  std::sort(keyed.begin(), keyed.end(), [text](const Keyed& left, const Keyed& right) {
    if (left.prefix != right.prefix) return left.prefix < right.prefix;
    if ((left.prefix & 0xFF) != 0) {  // both texts go on past 8 bytes
      const int order = std::strcmp(text + left.text_offset + 8, text + right.text_offset + 8);
      if (order != 0) return order < 0;
    }
    if (left.member != right.member) return left.member < right.member;
    return left.text_offset < right.text_offset;
  });
  for (std::size_t index = 0; index < entries.size(); ++index) {
    entries[index] = {keyed[index].member, keyed[index].text_offset};
  }
}

}  // namespace

void MemberSearchIndex::flush_pending() const {
  const std::size_t entry_count = full_names_.size() + later_words_.size() + phones_.size() + cards_.size();
  if (stale_entries_ * 4 > entry_count || stale_text_bytes_ * 2 > names_text_.size()) {
    rebuild_without_stale();
    return;
  }
  const char* text = names_text_.data();
  const auto sort_names = [text](std::vector<NameEntry>& entries) { sort_name_entries(entries, text); };
  const auto sort_keys = [](std::vector<KeyEntry>& entries) { std::sort(entries.begin(), entries.end(), KeyLess{}); };
  bool rebuilt = flush_runs(full_names_, NameLess{text}, sort_names, false);
  rebuilt = flush_runs(later_words_, NameLess{text}, sort_names, false) || rebuilt;
  rebuilt = flush_runs(phones_, KeyLess{}, sort_keys, false) || rebuilt;
  rebuilt = flush_runs(cards_, KeyLess{}, sort_keys, false) || rebuilt;
  // After a large load, give back what growing by doubling left unused.
  if (rebuilt && names_text_.capacity() > names_text_.size() + names_text_.size() / 4) names_text_.shrink_to_fit();
  if (rebuilt && name_offset_by_member_.capacity() > name_offset_by_member_.size() + name_offset_by_member_.size() / 4) {
    name_offset_by_member_.shrink_to_fit();
  }
}

// Drops entries of removed members and their old names: everything goes into main,
// stale entries are filtered out, and live names are copied into a fresh arena. The
// sort order survives: text is unchanged and a member's offsets all shift alike.
void MemberSearchIndex::rebuild_without_stale() const {
  const char* text = names_text_.data();
  const auto sort_names = [text](std::vector<NameEntry>& entries) { sort_name_entries(entries, text); };
  const auto sort_keys = [](std::vector<KeyEntry>& entries) { std::sort(entries.begin(), entries.end(), KeyLess{}); };
  flush_runs(full_names_, NameLess{text}, sort_names, true);
  flush_runs(later_words_, NameLess{text}, sort_names, true);
  flush_runs(phones_, KeyLess{}, sort_keys, true);
  flush_runs(cards_, KeyLess{}, sort_keys, true);
  std::erase_if(full_names_.main, [this](const NameEntry& entry) { return !name_entry_is_live(entry); });
  std::erase_if(later_words_.main, [this](const NameEntry& entry) { return !name_entry_is_live(entry); });
  std::erase_if(phones_.main, [this](const KeyEntry& entry) { return !key_entry_is_live(entry); });
  std::erase_if(cards_.main, [this](const KeyEntry& entry) { return !key_entry_is_live(entry); });

  std::string compact_text(1, '\0');  // every name follows a '\0'
  compact_text.reserve(names_text_.size() - stale_text_bytes_);
  std::vector<std::uint32_t> new_offset_by_member(name_offset_by_member_.size(), absent);
  for (std::size_t member = 0; member < name_offset_by_member_.size(); ++member) {
    if (name_offset_by_member_[member] == absent) continue;
    new_offset_by_member[member] = static_cast<std::uint32_t>(compact_text.size());
    compact_text.append(name_of(static_cast<MemberIndex>(member)));
    compact_text.push_back('\0');
  }
  for (auto* runs : {&full_names_, &later_words_}) {
    for (auto& entry : runs->main) {
      entry.text_offset = new_offset_by_member[entry.member] + (entry.text_offset - name_offset_by_member_[entry.member]);
    }
    runs->main.shrink_to_fit();
  }
  for (auto* runs : {&phones_, &cards_}) {
    for (auto& entry : runs->main) entry.name_offset = new_offset_by_member[entry.member];
    runs->main.shrink_to_fit();
  }
  names_text_ = std::move(compact_text);
  name_offset_by_member_ = std::move(new_offset_by_member);
  stale_entries_ = 0;
  stale_text_bytes_ = 0;
}

// [SECTION] Searching -----------------------------------------------------------------
std::vector<SearchHit> MemberSearchIndex::search(std::string_view query, std::size_t limit) const {
  std::vector<SearchHit> hits;
  if (limit == 0) return hits;
  flush_pending();
  if (is_digit_query(query)) {
    search_digits(query, limit, hits);
  } else {
    const std::string folded = fold_for_search(query);
    if (!folded.empty()) search_name(folded, limit, hits);
  }
  assert(hits.size() <= limit);
  return hits;
}

namespace {

using KeyEntryIterator = std::vector<MemberSearchIndex::KeyEntry>::const_iterator;
using NameEntryIterator = std::vector<MemberSearchIndex::NameEntry>::const_iterator;

auto key_bounds(std::uint64_t first_key, std::uint64_t last_key) {
  return [first_key, last_key](const std::vector<MemberSearchIndex::KeyEntry>& entries) {
    const auto first = std::partition_point(entries.begin(), entries.end(),
                                            [&](const auto& entry) { return entry.key < first_key; });
    const auto last = std::partition_point(first, entries.end(),
                                           [&](const auto& entry) { return entry.key <= last_key; });
    return std::pair<KeyEntryIterator, KeyEntryIterator>(first, last);
  };
}

// Entries whose text starts with `prefix` (no '\0' in it).
auto text_prefix_bounds(const char* text, std::string_view prefix) {
  return [text, prefix](const std::vector<MemberSearchIndex::NameEntry>& entries) {
    const auto order = [&](const MemberSearchIndex::NameEntry& entry) {
      return std::strncmp(text + entry.text_offset, prefix.data(), prefix.size());
    };
    const auto first = std::partition_point(entries.begin(), entries.end(),
                                            [&](const auto& entry) { return order(entry) < 0; });
    const auto last = std::partition_point(first, entries.end(),
                                           [&](const auto& entry) { return order(entry) == 0; });
    return std::pair<NameEntryIterator, NameEntryIterator>(first, last);
  };
}

}  // namespace

void MemberSearchIndex::search_digits(std::string_view query, std::size_t limit,
                                      std::vector<SearchHit>& hits) const {
  std::string digits;
  for (const char character : query) {
    if (is_digit(character)) digits.push_back(character);
  }
  const auto already_hit = [&hits](MemberIndex member) {
    return std::any_of(hits.begin(), hits.end(), [member](const SearchHit& hit) { return hit.member == member; });
  };
  if (digits.size() <= packed_digits_max) {
    const std::uint64_t card_key = pack_digits(digits, false);
    visit_range(cards_, KeyLess{}, key_bounds(card_key, card_key), [&](const KeyEntry& entry) {
      if (key_entry_is_live(entry) && !already_hit(entry.member)) hits.push_back({entry.member, SearchMatch::card_number});
      return hits.size() < limit;
    });
  }
  if (hits.size() >= limit) return;
  const PhoneResult phone = normalize_phone_vn(query);
  if (phone.ok()) {
    const std::uint64_t phone_key = pack_digits(*phone.phone, true);
    visit_range(phones_, KeyLess{}, key_bounds(phone_key, phone_key), [&](const KeyEntry& entry) {
      if (key_entry_is_live(entry) && !already_hit(entry.member)) hits.push_back({entry.member, SearchMatch::phone});
      return hits.size() < limit;
    });
  }
  if (hits.size() >= limit) return;
  if (digits.size() < search_phone_suffix_digits_min || digits.size() > packed_digits_max) return;
  // Every phone ending with these digits: about members / 10^digits of them, so all are
  // collected and shown in phone order, which staff read more easily than reversed.
  const std::uint64_t suffix_key = pack_digits(digits, true);
  struct Suffixed {
    std::uint64_t phone_key;
    MemberIndex member;
  };
  std::vector<Suffixed> suffixed;
  visit_range(phones_, KeyLess{}, key_bounds(suffix_key, packed_range_last(suffix_key, digits.size())),
              [&](const KeyEntry& entry) {
                if (key_entry_is_live(entry)) suffixed.push_back({reverse_packed(entry.key), entry.member});
                return true;
              });
  std::sort(suffixed.begin(), suffixed.end(), [](const Suffixed& left, const Suffixed& right) {
    return left.phone_key != right.phone_key ? left.phone_key < right.phone_key : left.member < right.member;
  });
  for (const Suffixed& found : suffixed) {
    if (hits.size() >= limit) break;
    if (!already_hit(found.member)) hits.push_back({found.member, SearchMatch::phone_suffix});
  }
}

void MemberSearchIndex::search_name(std::string_view folded_query, std::size_t limit,
                                    std::vector<SearchHit>& hits) const {
  const char* text = names_text_.data();
  std::unordered_set<MemberIndex> hit_members;  // membership only: its order never shows

  // Names starting with the query: the exact name sorts first ("an\0" < "an ...").
  visit_range(full_names_, NameLess{text}, text_prefix_bounds(text, folded_query), [&](const NameEntry& entry) {
    if (!name_entry_is_live(entry)) return true;
    const bool exact = text[entry.text_offset + folded_query.size()] == '\0';
    hits.push_back({entry.member, exact ? SearchMatch::name_exact : SearchMatch::name_prefix});
    hit_members.insert(entry.member);
    return hits.size() < limit;
  });
  if (hits.size() >= limit) return;

  // The query starting at a later word; a member's first entry in order is its best.
  visit_range(later_words_, NameLess{text}, text_prefix_bounds(text, folded_query), [&](const NameEntry& entry) {
    if (!name_entry_is_live(entry) || !hit_members.insert(entry.member).second) return true;
    hits.push_back({entry.member, SearchMatch::name_words_in_order});
    return hits.size() < limit;
  });
  if (hits.size() >= limit) return;

  // Every word somewhere: candidates are the members having the most selective word.
  const std::vector<std::string_view> words = split_words(folded_query);
  if (words.size() < 2) return;
  std::string_view selective_word;
  std::size_t selective_count = 0;
  for (const std::string_view word : words) {
    std::size_t count = 0;
    for (const auto* runs : {&full_names_, &later_words_}) {
      for (const auto* entries : {&runs->main, &runs->tail}) {
        const auto [first, last] = text_prefix_bounds(text, word)(*entries);
        count += static_cast<std::size_t>(last - first);
      }
    }
    if (selective_word.empty() || count < selective_count) {
      selective_word = word;
      selective_count = count;
    }
  }
  // Candidates are checked on the text around the entry (one cache miss each, fetched
  // ahead so that several are in flight), and only a match looks the member up. The
  // matches are sorted afterwards, so the runs are read one after the other.
  struct Matched {
    std::uint32_t name_offset;
    MemberIndex member;
  };
  std::vector<Matched> matched;
  std::size_t candidates_left = search_any_order_candidates_max;
  constexpr std::size_t prefetch_distance = 24;
  for (const auto* runs : {&full_names_, &later_words_}) {
    for (const auto* entries : {&runs->main, &runs->tail}) {
      const auto [first, last] = text_prefix_bounds(text, selective_word)(*entries);
      const std::size_t count = std::min(static_cast<std::size_t>(last - first), candidates_left);
      candidates_left -= count;
      for (std::size_t index = 0; index < count; ++index) {
        if (index + prefetch_distance < count) {
          const char* ahead = text + first[index + prefetch_distance].text_offset;
          prefetch(ahead);
          prefetch(ahead - 24);  // where the name starts, often the line before
        }
        const NameEntry& entry = first[index];
        const char* name_start = text + entry.text_offset;
        while (name_start[-1] != '\0') --name_start;
        const std::string_view name(name_start);
        const bool all_words = std::all_of(words.begin(), words.end(), [name](std::string_view word) {
          return has_word_starting_with(name, word);
        });
        if (all_words && name_entry_is_live(entry) && hit_members.count(entry.member) == 0) {
          matched.push_back({static_cast<std::uint32_t>(name_start - text), entry.member});
        }
      }
    }
  }
  // A member found through two of its words counts once; then the first by name.
  std::sort(matched.begin(), matched.end(), [](const Matched& left, const Matched& right) {
    return left.member < right.member;
  });
  matched.erase(std::unique(matched.begin(), matched.end(),
                            [](const Matched& left, const Matched& right) { return left.member == right.member; }),
                matched.end());
  const std::size_t wanted = std::min(limit - hits.size(), matched.size());
  std::partial_sort(matched.begin(), matched.begin() + static_cast<std::ptrdiff_t>(wanted), matched.end(),
                    [text](const Matched& left, const Matched& right) {
                      const int order = std::strcmp(text + left.name_offset, text + right.name_offset);
                      return order != 0 ? order < 0 : left.member < right.member;
                    });
  for (std::size_t index = 0; index < wanted; ++index) {
    hits.push_back({matched[index].member, SearchMatch::name_words_any_order});
  }
}

}  // namespace loyalty
