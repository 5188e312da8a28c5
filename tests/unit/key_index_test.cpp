#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "core/basics/key_index.hpp"
#include "core/basics/seeded_random.hpp"

using namespace loyalty;

TEST_CASE("key index: inserts, finds and erases, agreeing with std::map over a random run") {
  std::vector<std::string> keys;           // record index -> key (the records own the keys)
  std::map<std::string, std::uint32_t> reference;
  KeyIndex index;
  auto key_of = [&](std::uint32_t record) -> std::string_view { return keys[record]; };
  SeededRandom random{42};
  for (int step = 0; step < 20000; ++step) {
    const std::string key = "k" + std::to_string(random.below(3000));
    const auto known = reference.find(key);
    if (known == reference.end()) {
      keys.push_back(key);
      index.insert(key, static_cast<std::uint32_t>(keys.size() - 1));
      reference.emplace(key, static_cast<std::uint32_t>(keys.size() - 1));
    } else if (random.below(2) == 0) {
      index.erase(key, known->second, key_of);
      reference.erase(known);
    }
    if (step % 97 == 0) {
      for (int probe = 0; probe < 50; ++probe) {
        const std::string probe_key = "k" + std::to_string(random.below(3000));
        const auto expected = reference.find(probe_key);
        REQUIRE(index.find(probe_key, key_of) == (expected == reference.end() ? KeyIndex::not_found : expected->second));
      }
    }
  }
  CHECK(index.size() == reference.size());
  for (const auto& entry : reference) CHECK(index.find(entry.first, key_of) == entry.second);
}
