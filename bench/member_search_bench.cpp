// member_search_bench.cpp: member search over 1,000,000 generated members.
//
// Builds the index (names with diacritics, mobile phones, card numbers from the
// sequence), then times realistic staff queries one by one: a full name with and
// without diacritics, family + given name, a given name, a word prefix, the last 4 and
// 6 digits of a phone, a full phone as people format it, and a card number. Prints
// `bench <name> <value> <unit>` lines.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/vietnamese_names.hpp"
#include "core/members/card_number.hpp"
#include "core/members/member_search.hpp"
#include "core/basics/text_fold.hpp"

namespace {

constexpr std::uint32_t member_count = 1'000'000;
constexpr std::uint32_t query_count = 12'000;
constexpr std::size_t result_limit = 20;  // one screen of results

struct Member {
  loyalty::bench::VietnameseName name;
  std::string full_name;
  std::string phone;
  std::string card_number;
};

// "0912345678" -> "0912 345 678" or "+84 912 345 678", as staff type it.
std::string formatted_phone(const std::string& phone, bool international) {
  const std::string national = phone.substr(0, 4) + " " + phone.substr(4, 3) + " " + phone.substr(7);
  return international ? "+84 " + national.substr(1) : national;
}

std::string make_query(const Member& member, std::uint32_t kind, loyalty::bench::SplitMix64& random) {
  switch (kind) {
    case 0: return member.full_name;
    case 1: return loyalty::fold_for_search(member.full_name);
    case 2: return std::string(member.name.family) + " " + std::string(member.name.given);
    case 3: return std::string(member.name.given);
    case 4: {
      // The first 2 to 4 letters of one of the name's words, without diacritics.
      const std::string folded = loyalty::fold_for_search(member.full_name);
      const auto words = loyalty::split_words(folded);
      const std::string_view word = words[random.below(static_cast<std::uint32_t>(words.size()))];
      return std::string(word.substr(0, 2 + random.below(3)));
    }
    case 5: return member.phone.substr(member.phone.size() - 4);
    case 6: return member.phone.substr(member.phone.size() - 6);
    case 7: return formatted_phone(member.phone, random.below(2) == 1);
    default: return member.card_number;
  }
}

}  // namespace

int main() {
  using Clock = std::chrono::steady_clock;
  loyalty::bench::VietnameseNameGenerator generator(20240601);
  std::vector<Member> members;
  members.reserve(member_count);
  for (std::uint32_t index = 0; index < member_count; ++index) {
    Member member;
    member.name = generator.name();
    member.full_name = member.name.full_name();
    member.phone = generator.mobile_phone();
    member.card_number = loyalty::card_number_from_sequence(index + 1);
    members.push_back(std::move(member));
  }

  loyalty::MemberSearchIndex index;
  const auto build_start = Clock::now();
  for (std::uint32_t member = 0; member < member_count; ++member) {
    index.add(member, members[member].full_name, members[member].phone, members[member].card_number);
  }
  index.flush();
  const auto build_end = Clock::now();

  loyalty::bench::SplitMix64 random(77);
  std::vector<double> durations_us;
  durations_us.reserve(query_count);
  std::size_t total_hits = 0;
  for (std::uint32_t query_index = 0; query_index < query_count; ++query_index) {
    const Member& member = members[random.below(member_count)];
    const std::string query = make_query(member, query_index % 9, random);
    const auto start = Clock::now();
    const auto hits = index.search(query, result_limit);
    const auto end = Clock::now();
    total_hits += hits.size();
    durations_us.push_back(std::chrono::duration<double, std::micro>(end - start).count());
  }
  std::sort(durations_us.begin(), durations_us.end());
  const auto percentile = [&](std::size_t percent) { return durations_us[durations_us.size() * percent / 100]; };
  const double build_ms = std::chrono::duration<double, std::milli>(build_end - build_start).count();
  const double bytes_per_member = static_cast<double>(index.memory_bytes()) / index.member_count();

  std::printf("bench core_search_p50 %.1f us\n", percentile(50));
  std::printf("bench core_search_p99 %.1f us\n", percentile(99));
  std::printf("bench core_search_index_build %.0f ms\n", build_ms);
  std::printf("bench core_search_bytes_per_member %.0f bytes\n", bytes_per_member);
  std::fprintf(stderr, "member_search_bench: %u members, %u queries, %zu hits, max %.1f us\n", member_count,
               query_count, total_hits, durations_us.back());
  return total_hits > 0 ? 0 : 1;
}
