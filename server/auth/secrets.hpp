// secrets.hpp: random tokens and their hashes, for sessions, CSRF and API keys.
//
// A token is 32 random bytes sent as base64url (no padding); the database keeps only its
// SHA-256 in hex, so a copy of the database (a backup, a leaked file) signs no one in.
#pragma once
#include <string>
#include <string_view>

namespace loyalty::server::auth {

// Initialises libsodium once (thread-safe); aborts when the library cannot start, since
// nothing about signing in could be trusted without its random numbers.
void ensure_sodium_ready();

// 32 random bytes as base64url without padding (43 characters).
std::string random_token();

// The hex SHA-256 of `text`: the form in which tokens and keys are stored and looked up.
std::string sha256_hex(std::string_view text);

// Equal in time that depends only on the lengths, so a comparison leaks no prefix.
bool equal_in_constant_time(std::string_view left, std::string_view right);

}  // namespace loyalty::server::auth
