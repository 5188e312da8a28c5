// seeded_random.hpp: SplitMix64, a tiny pseudo-random generator that gives the same
// sequence from the same seed on every platform (natively and in wasm). The core takes
// randomness as a parameter; tests and benchmarks use this to be reproducible.
#pragma once
#include <cstdint>

namespace loyalty {

struct SeededRandom {
  std::uint64_t state = 0;

  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // A number in [0, bound); bound > 0. The tiny modulo bias does not matter for tests.
  std::int64_t below(std::int64_t bound) { return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(bound)); }
};

}  // namespace loyalty
