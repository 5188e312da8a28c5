// prefetch.hpp: start reading memory that will be needed soon, so that cache misses
// overlap instead of waiting one after the other. Results never depend on it.
#pragma once

namespace loyalty {

inline void prefetch(const void* address) {
#ifdef __wasm__
  // WebAssembly has no prefetch instruction: a plain load starts the read, and the CPU
  // running the compiled wasm goes on while it is outstanding.
  [[maybe_unused]] volatile char touched = *static_cast<const volatile char*>(address);
#else
  __builtin_prefetch(address);
#endif
}

}  // namespace loyalty
