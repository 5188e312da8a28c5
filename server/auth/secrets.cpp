#include "server/auth/secrets.hpp"

#include <sodium.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace loyalty::server::auth {

void ensure_sodium_ready() {
  static std::once_flag once;
  std::call_once(once, [] {
    // sodium_init returns 1 when already initialised, -1 on failure.
    if (sodium_init() < 0) {
      std::fputs("loyalty-server: libsodium failed to initialise\n", stderr);
      std::abort();
    }
  });
}

std::string random_token() {
  ensure_sodium_ready();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)> text{};
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes.data(), bytes.size());
  return std::string(text.data());
}

std::string sha256_hex(std::string_view text) {
  ensure_sodium_ready();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()),
                     text.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

bool equal_in_constant_time(std::string_view left, std::string_view right) {
  if (left.size() != right.size() || left.empty()) return false;
  return sodium_memcmp(left.data(), right.data(), left.size()) == 0;
}

}  // namespace loyalty::server::auth
