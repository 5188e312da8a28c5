// Member search: the matches staff rely on, the ranking, limits, removal, and a
// randomised comparison with a brute-force scan over generated members.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "bench/vietnamese_names.hpp"
#include "core/members/card_number.hpp"
#include "core/members/member_search.hpp"
#include "core/members/phone.hpp"
#include "core/basics/text_fold.hpp"

using loyalty::MemberIndex;
using loyalty::MemberSearchIndex;
using loyalty::SearchHit;
using loyalty::SearchMatch;

namespace {

std::vector<MemberIndex> members_of(const std::vector<SearchHit>& hits) {
  std::vector<MemberIndex> members;
  for (const auto& hit : hits) members.push_back(hit.member);
  return members;
}

bool has_hit(const std::vector<SearchHit>& hits, MemberIndex member, SearchMatch match) {
  return std::find(hits.begin(), hits.end(), SearchHit{member, match}) != hits.end();
}

// A small store: staff examples.
MemberSearchIndex sample_index() {
  MemberSearchIndex index;
  index.add(0, "Nguyễn Văn An", "0912345678", loyalty::card_number_from_sequence(1));
  index.add(1, "Nguyễn Văn Anh", "0987655678", loyalty::card_number_from_sequence(2));
  index.add(2, "Trần Thị Văn An", "0323456789", loyalty::card_number_from_sequence(3));
  index.add(3, "Đặng Thị Ánh", "0901112233", loyalty::card_number_from_sequence(4));
  index.add(4, "Lê An Nguyễn", "0771234000", loyalty::card_number_from_sequence(5));
  index.add(5, "Phạm Minh Đức", "02438261234", "");
  index.add(6, "An Khánh", "", "");
  return index;
}

}  // namespace

TEST_CASE("search: a name with or without diacritics, in any case") {
  const MemberSearchIndex index = sample_index();
  for (const char* query : {"nguyen van an", "Nguyen Van An", "Nguyễn Văn An", "NGUYỄN VĂN AN", "  nguyen   van an "}) {
    CAPTURE(query);
    const auto hits = index.search(query, 10);
    REQUIRE_FALSE(hits.empty());
    CHECK(hits[0] == SearchHit{0, SearchMatch::name_exact});
  }
  CHECK(index.search("dang thi anh", 10)[0] == SearchHit{3, SearchMatch::name_exact});
  CHECK(index.search("Đặng", 10)[0] == SearchHit{3, SearchMatch::name_prefix});
  CHECK(index.search("pham minh duc", 10)[0] == SearchHit{5, SearchMatch::name_exact});
}

TEST_CASE("search: word prefixes and words inside the name") {
  const MemberSearchIndex index = sample_index();
  // "ngu" starts the names of 0 and 1, and a later word of 4.
  const auto ngu = index.search("ngu", 10);
  CHECK(members_of(ngu) == std::vector<MemberIndex>{0, 1, 4});
  CHECK(ngu[0].match == SearchMatch::name_prefix);
  CHECK(ngu[2].match == SearchMatch::name_words_in_order);
  // "van an" is inside "Nguyễn Văn An", "Nguyễn Văn Anh" and "Trần Thị Văn An".
  const auto van_an = index.search("van an", 10);
  CHECK(has_hit(van_an, 0, SearchMatch::name_words_in_order));
  CHECK(has_hit(van_an, 1, SearchMatch::name_words_in_order));
  CHECK(has_hit(van_an, 2, SearchMatch::name_words_in_order));
  // Whole-word "an" before "anh": the text from the matched word decides the order.
  const auto an = index.search("an", 10);
  REQUIRE(an.size() == 6);
  CHECK(an[0] == SearchHit{6, SearchMatch::name_prefix});  // "An Khánh" starts with "an"
  CHECK(members_of(an) == std::vector<MemberIndex>{6, 0, 2, 4, 1, 3});
}

TEST_CASE("search: ranking from exact name to words in any order") {
  MemberSearchIndex index;
  index.add(10, "Nguyễn An", "", "");            // any order for "an nguyen"
  index.add(11, "An Nguyễn", "", "");            // exact
  index.add(12, "An Nguyễn Văn", "", "");        // prefix
  index.add(13, "Lê An Nguyễn", "", "");         // words in order
  index.add(14, "Trần Văn Bình", "", "");        // no match
  const auto hits = index.search("an nguyen", 10);
  REQUIRE(hits.size() == 4);
  CHECK(hits[0] == SearchHit{11, SearchMatch::name_exact});
  CHECK(hits[1] == SearchHit{12, SearchMatch::name_prefix});
  CHECK(hits[2] == SearchHit{13, SearchMatch::name_words_in_order});
  CHECK(hits[3] == SearchHit{10, SearchMatch::name_words_any_order});
  CHECK(index.search("binh tran", 10) == std::vector<SearchHit>{{14, SearchMatch::name_words_any_order}});
  CHECK(index.search("nguyen an", 10)[0] == SearchHit{10, SearchMatch::name_exact});
}

TEST_CASE("search: phones, phone suffixes and card numbers") {
  const MemberSearchIndex index = sample_index();
  // The full phone in any accepted format.
  for (const char* query : {"0912345678", "0912 345 678", "+84 912 345 678", "84912345678", "(+84) 912-345-678"}) {
    CAPTURE(query);
    CHECK(index.search(query, 10) == std::vector<SearchHit>{{0, SearchMatch::phone}});
  }
  CHECK(index.search("024 3826 1234", 10) == std::vector<SearchHit>{{5, SearchMatch::phone}});
  // The last 4 or more digits; both phones ending in 5678, in phone order.
  CHECK(index.search("5678", 10) ==
        std::vector<SearchHit>{{0, SearchMatch::phone_suffix}, {1, SearchMatch::phone_suffix}});
  CHECK(index.search("345678", 10) == std::vector<SearchHit>{{0, SearchMatch::phone_suffix}});
  CHECK(index.search("345 678", 10) == std::vector<SearchHit>{{0, SearchMatch::phone_suffix}});
  // Three digits are too few to mean anything.
  CHECK(index.search("678", 10).empty());
  CHECK(index.search("0", 10).empty());
  // Card numbers, exact only.
  CHECK(index.search(loyalty::card_number_from_sequence(4), 10) == std::vector<SearchHit>{{3, SearchMatch::card_number}});
  CHECK(index.search(loyalty::card_number_from_sequence(4).substr(0, 9), 10).empty());
  CHECK(index.search("99999", 10).empty());
}

TEST_CASE("search: limit is respected and the ranked order is kept") {
  MemberSearchIndex index;
  for (MemberIndex member = 0; member < 50; ++member) {
    index.add(member, member % 2 == 0 ? "Nguyễn Văn An" : "Nguyễn Văn Anh", "", "");
  }
  const auto all = index.search("nguyen van an", 1000);
  REQUIRE(all.size() == 50);
  for (std::size_t rank = 0; rank < 25; ++rank) CHECK(all[rank] == SearchHit{MemberIndex(rank * 2), SearchMatch::name_exact});
  for (std::size_t rank = 25; rank < 50; ++rank) {
    CHECK(all[rank] == SearchHit{MemberIndex((rank - 25) * 2 + 1), SearchMatch::name_prefix});
  }
  for (std::size_t limit : {0, 1, 7, 25, 26, 49}) {
    const auto some = index.search("nguyen van an", limit);
    CHECK(some.size() == limit);
    CHECK(std::equal(some.begin(), some.end(), all.begin()));
  }
  CHECK(index.search("", 10).empty());
  CHECK(index.search("!!", 10).empty());
  CHECK(index.search("xyz", 10).empty());
}

TEST_CASE("search: remove, then re-add with a new name and phone") {
  MemberSearchIndex index = sample_index();
  CHECK(index.member_count() == 7);
  index.remove(0);
  CHECK(index.member_count() == 6);
  CHECK_FALSE(index.contains(0));
  CHECK(members_of(index.search("nguyen van an", 10)) == std::vector<MemberIndex>{1});
  CHECK(index.search("0912345678", 10).empty());
  CHECK(index.search(loyalty::card_number_from_sequence(1), 10).empty());
  index.add(0, "Hoàng Thị Mai", "0939999999", loyalty::card_number_from_sequence(1));
  CHECK(index.search("hoang thi mai", 10) == std::vector<SearchHit>{{0, SearchMatch::name_exact}});
  CHECK(index.search("0912345678", 10).empty());
  CHECK(index.search("0939999999", 10) == std::vector<SearchHit>{{0, SearchMatch::phone}});
  CHECK(members_of(index.search("nguyen van an", 10)) == std::vector<MemberIndex>{1});
  index.remove(42);  // not in the index: ignored
  CHECK(index.member_count() == 7);
  CHECK(index.memory_bytes() > 0);
}

// [SECTION] Brute force ---------------------------------------------------------------
namespace {

struct PlainMember {
  bool present = false;
  std::string folded;
  std::string phone;
  std::string card;
};

bool digit_query(std::string_view query) {
  bool any_digit = false;
  for (const char character : query) {
    if (character >= '0' && character <= '9') {
      any_digit = true;
    } else if (std::string_view(" \t.-()+/").find(character) == std::string_view::npos) {
      return false;
    }
  }
  return any_digit;
}

bool word_starts(std::string_view name, std::string_view word) {
  for (const auto name_word : loyalty::split_words(name)) {
    if (name_word.starts_with(word)) return true;
  }
  return false;
}

// The ranking rules of member_search.hpp, by scanning every member.
std::vector<SearchHit> brute_force_search(const std::vector<PlainMember>& members, std::string_view query,
                                          std::size_t limit) {
  struct Ranked {
    SearchMatch match;
    std::string key;
    MemberIndex member;
    bool operator<(const Ranked& other) const {
      return std::tie(match, key, member) < std::tie(other.match, other.key, other.member);
    }
  };
  std::vector<Ranked> ranked;
  if (digit_query(query)) {
    std::string digits;
    for (const char character : query) {
      if (character >= '0' && character <= '9') digits.push_back(character);
    }
    const auto phone = loyalty::normalize_phone_vn(query);
    for (MemberIndex member = 0; member < members.size(); ++member) {
      const PlainMember& plain = members[member];
      if (!plain.present) continue;
      if (!plain.card.empty() && plain.card == digits) {
        ranked.push_back({SearchMatch::card_number, "", member});
      } else if (phone.ok() && plain.phone == *phone.phone) {
        ranked.push_back({SearchMatch::phone, "", member});
      } else if (digits.size() >= 4 && !plain.phone.empty() && plain.phone.ends_with(digits)) {
        ranked.push_back({SearchMatch::phone_suffix, plain.phone, member});
      }
    }
  } else {
    const std::string folded_query = loyalty::fold_for_search(query);
    const auto query_words = loyalty::split_words(folded_query);
    for (MemberIndex member = 0; member < members.size() && !folded_query.empty(); ++member) {
      const PlainMember& plain = members[member];
      if (!plain.present || plain.folded.empty()) continue;
      const std::string_view name = plain.folded;
      if (name == folded_query) {
        ranked.push_back({SearchMatch::name_exact, plain.folded, member});
        continue;
      }
      if (name.starts_with(folded_query)) {
        ranked.push_back({SearchMatch::name_prefix, plain.folded, member});
        continue;
      }
      std::string best_suffix;
      bool in_order = false;
      for (std::size_t position = 1; position < name.size(); ++position) {
        if (name[position - 1] != ' ') continue;
        const std::string_view suffix = name.substr(position);
        if (suffix.starts_with(folded_query) && (!in_order || suffix < best_suffix)) {
          best_suffix = std::string(suffix);
          in_order = true;
        }
      }
      if (in_order) {
        ranked.push_back({SearchMatch::name_words_in_order, best_suffix, member});
        continue;
      }
      const bool all_words = std::all_of(query_words.begin(), query_words.end(),
                                         [name](std::string_view word) { return word_starts(name, word); });
      if (query_words.size() >= 2 && all_words) ranked.push_back({SearchMatch::name_words_any_order, plain.folded, member});
    }
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<SearchHit> hits;
  for (const Ranked& entry : ranked) {
    if (hits.size() == limit) break;
    hits.push_back({entry.member, entry.match});
  }
  return hits;
}

}  // namespace

TEST_CASE("search: randomised comparison with a brute-force scan") {
  loyalty::bench::VietnameseNameGenerator generator(2024);
  loyalty::bench::SplitMix64& random = generator.random();
  constexpr MemberIndex member_total = 4000;
  std::vector<PlainMember> plain(member_total);
  std::vector<loyalty::bench::VietnameseName> names(member_total);
  MemberSearchIndex index;

  const auto add_member = [&](MemberIndex member) {
    names[member] = generator.name();
    std::string full_name = names[member].full_name();
    if (random.below(20) == 0) full_name = loyalty::fold_for_search(full_name);  // typed without marks
    // Some members share a phone (a family), some have none.
    std::string phone;
    const std::uint32_t phone_kind = random.below(20);
    if (phone_kind == 0 && member > 0 && plain[member - 1].present) {
      phone = plain[member - 1].phone;
    } else if (phone_kind != 1) {
      phone = generator.mobile_phone();
    }
    const std::string card = random.below(10) == 0 ? "" : loyalty::card_number_from_sequence(member * 7 + random.below(7));
    index.add(member, full_name, phone, card);
    plain[member] = {true, loyalty::fold_for_search(full_name), phone, card};
  };

  const auto random_query = [&]() -> std::string {
    MemberIndex member = random.below(member_total);
    while (!plain[member].present) member = random.below(member_total);
    const PlainMember& chosen = plain[member];
    const auto& name = names[member];
    const auto words = loyalty::split_words(chosen.folded);
    switch (random.below(11)) {
      case 0: return name.full_name();
      case 1: return chosen.folded;
      case 2: return std::string(name.family) + " " + std::string(name.given);
      case 3: return std::string(name.given) + " " + std::string(name.family);
      case 4: return std::string(name.given);
      case 5: {
        const std::string_view word = words[random.below(static_cast<std::uint32_t>(words.size()))];
        return std::string(word.substr(0, 1 + random.below(3)));
      }
      case 6: {
        const std::size_t first = random.below(static_cast<std::uint32_t>(words.size()));
        std::string phrase(words[first]);
        if (first + 1 < words.size()) phrase += " " + std::string(words[first + 1].substr(0, 1 + random.below(4)));
        return phrase;
      }
      case 7: {
        if (chosen.phone.empty()) return "0912";
        return chosen.phone.substr(chosen.phone.size() - (3 + random.below(5)));
      }
      case 8: return chosen.phone.empty() ? "+84 90 000 0000" : "+84 " + chosen.phone.substr(1);
      case 9: return chosen.card.empty() ? "8000000003" : chosen.card;
      default: return std::string(words.back()) + " " + std::string(words.front().substr(0, 2));
    }
  };

  std::size_t queries_compared = 0;
  std::size_t hits_compared = 0;
  const auto compare_queries = [&](int count) {
    for (int round = 0; round < count; ++round) {
      const std::string query = random_query();
      const std::size_t limits[] = {1, 5, 20, 100000};
      const std::size_t limit = limits[random.below(4)];
      CAPTURE(query);
      CAPTURE(limit);
      const auto expected = brute_force_search(plain, query, limit);
      const auto found = index.search(query, limit);
      CHECK(found == expected);
      ++queries_compared;
      hits_compared += found.size();
    }
  };

  // A bulk load (one sort), then single adds between searches (the tail, then merges
  // of the tail into the main run), then removals and re-adds (stale entries, rebuild).
  for (MemberIndex member = 0; member < 1000; ++member) add_member(member);
  compare_queries(300);
  for (MemberIndex member = 1000; member < member_total; ++member) {
    add_member(member);
    if (member % 25 == 0) compare_queries(1);
  }
  compare_queries(300);
  for (int round = 0; round < 400; ++round) {
    const MemberIndex member = random.below(member_total);
    if (!plain[member].present) continue;
    index.remove(member);
    plain[member].present = false;
    if (round % 2 == 0) add_member(member);
    if (round % 20 == 0) compare_queries(2);
  }
  compare_queries(300);
  // Enough removals to trigger a rebuild that drops stale entries and old names.
  for (MemberIndex member = 0; member < member_total; member += 2) {
    if (!plain[member].present) continue;
    index.remove(member);
    plain[member].present = false;
  }
  compare_queries(300);
  for (MemberIndex member = 0; member < member_total; member += 4) add_member(member);
  compare_queries(300);
  std::size_t present = 0;
  for (const auto& member : plain) present += member.present ? 1 : 0;
  CHECK(index.member_count() == present);
  CHECK(queries_compared > 1500);
  CHECK(hits_compared > 10000);
}
