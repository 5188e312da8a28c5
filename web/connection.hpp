// connection.hpp: the console's link to the server that served its page, and the staff
// session on it. The first step of the console's two modes.
//
// [SECTION] Modes
// [SECTION] What the server said
// [SECTION] Connection
//
// At start the console asks GET /api/v1/auth/me on its own origin. An answer in the API's
// shape means a loyalty server served the page: signed in (200, a reloaded page keeps its
// session) or not (401: the sign-in screen, with GET /api/v1/auth/demo for the demo's
// accounts). Anything else (a static host's 404, no answer) means the offline demo, where
// nothing reaches a store. The app owns one Connection; views only read what it knows and
// ask for sign-in or sign-out through their requests. HTTP goes through platform/.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "i18n.hpp"
#include "platform/platform.hpp"

namespace loyalty::console {

// [SECTION] Modes ---------------------------------------------------------------------------
enum class ConnectionMode : std::uint8_t {
  detecting,    // waiting for the first GET /api/v1/auth/me
  offline,      // a static host or no server: the offline demo
  signed_out,   // the server answered; nobody is signed in: the sign-in screen
  signed_in,    // a staff session on the server
};
std::string_view connection_mode_id(ConnectionMode mode);   // "offline", ...: test hooks

// [SECTION] What the server said -----------------------------------------------------------
// A message in both languages: from the server's error body, or the console's own.
struct Message {
  std::string vietnamese;
  std::string english;
  std::string_view in(Language language) const {
    return language == Language::english ? english : vietnamese;
  }
};
// A refusal: the server's error code and message, and the fields it named.
struct ApiError {
  std::string code;             // "invalid_credentials", "network" (no answer), ...
  Message message;
  struct Field {
    std::string name;           // "email", "password"
    Message message;
  };
  std::vector<Field> fields;
  const Field* field(std::string_view name) const;   // nullptr when not named
};

struct DemoAccount {
  std::string email;
  std::string password;         // documented (README, "Demo"): shown on the sign-in screen
  std::string role;             // "owner", "marketing", "support"
};
struct DemoStore {
  std::string store_id;
  std::string store_name;
  std::vector<DemoAccount> accounts;
};

struct StoreAccess {
  std::string store_id;
  std::string name;
  std::string role;             // "owner", "marketing", "support"
};
struct StaffSession {
  std::string email;
  std::string name;
  std::vector<StoreAccess> stores;
  std::string csrf_token;       // sent with every write; the session cookie is HttpOnly
};

// [SECTION] Connection -----------------------------------------------------------------------
class Connection {
 public:
  void start();                 // asks who is signed in, if any server answers
  void poll();                  // each frame: takes the answers that came

  // Ignored unless signed out and idle (resp. signed in and idle).
  void sign_in(std::string_view email, std::string_view password);
  void sign_out();
  // A store request was refused with 401 (idle or absolute limit): back to the sign-in
  // screen; what the screens hold stays, for when the same staff member signs in again.
  void session_ended();

  ConnectionMode mode() const { return mode_; }
  // The mode is known and what its first screen shows has come (the demo's accounts).
  bool settled() const;
  bool signing_in() const { return sign_in_request_.has_value(); }
  bool signing_out() const { return sign_out_request_.has_value(); }
  // The last sign-in or sign-out refusal; cleared by the next attempt.
  const std::optional<ApiError>& error() const { return error_; }
  // Set when the server runs the demo store.
  const std::optional<DemoStore>& demo_store() const { return demo_store_; }
  const std::optional<StaffSession>& session() const { return session_; }
  // The store the console works on: the session's only store, or the one chosen among
  // several (nullptr until chosen, and without a session).
  const StoreAccess* current_store() const;
  // Signed in to an account of several stores, none chosen yet: the app asks which.
  bool store_choice_needed() const;
  void choose_store(std::string_view store_id);   // one of the session's stores
  void ask_store_again();                         // "switch store"
  // A reload in the same tab keeps the store chosen before it (the app keeps it per tab).
  void prefer_store(std::string_view store_id) { chosen_store_id_ = std::string(store_id); }

 private:
  void on_me_answer(const platform::HttpResponse& response);
  void on_demo_answer(const platform::HttpResponse& response);
  void on_sign_in_answer(const platform::HttpResponse& response);
  void on_sign_out_answer(const platform::HttpResponse& response);
  void become_signed_out();

  ConnectionMode mode_ = ConnectionMode::detecting;
  std::optional<platform::HttpRequestId> me_request_;
  std::optional<platform::HttpRequestId> demo_request_;
  std::optional<platform::HttpRequestId> sign_in_request_;
  std::optional<platform::HttpRequestId> sign_out_request_;
  bool demo_asked_ = false;
  std::optional<ApiError> error_;
  std::optional<DemoStore> demo_store_;
  std::optional<StaffSession> session_;
  std::string chosen_store_id_;       // among the session's stores; "" while none is chosen
  // Whose session ended (401): the same staff member signing in again keeps their store.
  std::string ended_session_email_;
};

// The role's name for people: "Chủ cửa hàng" / "Owner"; an unknown role as it came.
std::string_view role_label(std::string_view role, Language language);

}  // namespace loyalty::console
