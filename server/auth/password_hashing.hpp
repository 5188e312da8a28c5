// password_hashing.hpp: staff passwords, hashed with Argon2id (libsodium crypto_pwhash_str).
//
// The cost is libsodium's "interactive" level (about 64 MiB and a few tenths of a second
// per hash). The test-only environment variable LOYALTY_FAST_PASSWORD_HASH=1 selects the
// minimum cost instead, so that API tests stay fast; never set it in production. A hash
// made at another cost still verifies (the cost is part of the stored string), and a
// successful sign-in rehashes it at the current cost.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace loyalty::server::auth {

// Why a password is refused before hashing, in both languages; nullopt when acceptable.
struct PasswordProblem {
  std::string message_vi;
  std::string message_en;
};
std::optional<PasswordProblem> check_new_password(std::string_view password);

// "$argon2id$v=19$m=...": nullopt only when the machine is out of memory.
std::optional<std::string> hash_password(std::string_view password);

// True when `password` matches `stored_hash`.
bool verify_password(std::string_view password, std::string_view stored_hash);

// Verifies against a hash of a random password made at the current cost, and answers
// false: used for unknown emails so that they take as long as a wrong password.
void verify_against_dummy_hash(std::string_view password);

// Makes the dummy hash now (at start-up), so that the first unknown email is not slower.
void prepare_dummy_hash();

// True when `stored_hash` was made at another cost than the current one.
bool password_hash_needs_upgrade(std::string_view stored_hash);

}  // namespace loyalty::server::auth
