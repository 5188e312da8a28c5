// bench_timing.hpp: what every benchmark program shares: the suffix its figures carry when
// run as wasm, and elapsed wall time.
#pragma once
#include <chrono>

namespace loyalty::bench {

#ifdef __EMSCRIPTEN__
inline constexpr const char* host_suffix = "_wasm";   // bench core_x_wasm ... next to bench core_x ...
#else
inline constexpr const char* host_suffix = "";
#endif

inline double milliseconds_since(std::chrono::steady_clock::time_point began) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count();
}

}  // namespace loyalty::bench
