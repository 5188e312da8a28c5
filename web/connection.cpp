#include "connection.hpp"

#include <cassert>
#include <nlohmann/json.hpp>
#include <utility>

namespace loyalty::console {
namespace {

using nlohmann::json;

constexpr std::string_view me_path = "/api/v1/auth/me";
constexpr std::string_view demo_path = "/api/v1/auth/demo";
constexpr std::string_view sign_in_path = "/api/v1/auth/sign-in";
constexpr std::string_view sign_out_path = "/api/v1/auth/sign-out";

// The answer's body as JSON; discarded (is_discarded) when it is not JSON at all.
json parse_body(const platform::HttpResponse& response) {
  return json::parse(response.body, nullptr, false);
}

std::string string_at(const json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// The API's one error shape: {"error":{"code","message":{"vi","en"},"fields":[...]}}.
bool is_api_error(const json& body) {
  return body.is_object() && body.contains("error") && body["error"].is_object() &&
         body["error"].contains("code") && body["error"]["code"].is_string();
}

Message message_of(const json& message) {
  return Message{string_at(message, "vi"), string_at(message, "en")};
}

Message console_message(TextKey key) {
  return Message{std::string(text(key, Language::vietnamese)), std::string(text(key, Language::english))};
}

ApiError no_answer_error() {
  return ApiError{"network", console_message(TextKey::sign_in_error_no_answer), {}};
}

// What a refused request says; a body that is not the API's error still gets a message.
ApiError error_of(const platform::HttpResponse& response) {
  if (response.status == 0) return no_answer_error();
  const json body = parse_body(response);
  if (!is_api_error(body)) {
    return ApiError{"unexpected_answer", console_message(TextKey::sign_in_error_unexpected), {}};
  }
  const json& error = body["error"];
  ApiError result{error["code"].get<std::string>(),
                  error.contains("message") ? message_of(error["message"]) : Message{}, {}};
  if (result.message.vietnamese.empty() || result.message.english.empty()) {
    result.message = console_message(TextKey::sign_in_error_unexpected);
  }
  if (error.contains("fields") && error["fields"].is_array()) {
    for (const json& field : error["fields"]) {
      result.fields.push_back({string_at(field, "field"), message_of(field)});
    }
  }
  return result;
}

// The staff part of a sign-in or "me" answer; nullopt when it is not one.
std::optional<StaffSession> session_of(const json& body) {
  if (!body.is_object() || !body.contains("staff") || !body["staff"].is_object()) return std::nullopt;
  StaffSession session;
  session.email = string_at(body["staff"], "email");
  session.name = string_at(body["staff"], "name");
  session.csrf_token = string_at(body, "csrf_token");
  if (session.email.empty() || session.csrf_token.empty()) return std::nullopt;
  if (body.contains("stores") && body["stores"].is_array()) {
    for (const json& store : body["stores"]) {
      StoreAccess access{string_at(store, "store_id"), string_at(store, "name"), string_at(store, "role")};
      if (!access.store_id.empty()) session.stores.push_back(std::move(access));
    }
  }
  return session;
}

std::optional<DemoStore> demo_store_of(const json& body) {
  if (!body.is_object() || !body.contains("demo") || !body["demo"].is_object()) return std::nullopt;
  const json& demo = body["demo"];
  DemoStore store{string_at(demo, "store_id"), string_at(demo, "store_name"), {}};
  if (demo.contains("accounts") && demo["accounts"].is_array()) {
    for (const json& account : demo["accounts"]) {
      DemoAccount entry{string_at(account, "email"), string_at(account, "password"), string_at(account, "role")};
      if (!entry.email.empty() && !entry.password.empty()) store.accounts.push_back(std::move(entry));
    }
  }
  if (store.accounts.empty()) return std::nullopt;
  return store;
}

platform::HttpRequestId get(std::string_view path) {
  platform::HttpRequest request;
  request.path = std::string(path);
  return platform::start_http_request(request);
}

// Takes the answer of `pending` when it has come, and forgets the request.
std::optional<platform::HttpResponse> take(std::optional<platform::HttpRequestId>& pending) {
  if (!pending) return std::nullopt;
  std::optional<platform::HttpResponse> response = platform::take_http_response(*pending);
  if (response) pending.reset();
  return response;
}

}  // namespace

std::string_view connection_mode_id(ConnectionMode mode) {
  switch (mode) {
    case ConnectionMode::detecting: return "detecting";
    case ConnectionMode::offline: return "offline";
    case ConnectionMode::signed_out: return "signed_out";
    case ConnectionMode::signed_in: return "signed_in";
  }
  assert(false && "not a mode");
  return "detecting";
}

const ApiError::Field* ApiError::field(std::string_view name) const {
  for (const Field& candidate : fields) {
    if (candidate.name == name) return &candidate;
  }
  return nullptr;
}

void Connection::start() {
  assert(mode_ == ConnectionMode::detecting && !me_request_);
  me_request_ = get(me_path);
}

bool Connection::settled() const {
  if (mode_ == ConnectionMode::detecting) return false;
  // The sign-in screen is complete with its demo note, when there is one to show.
  return !(mode_ == ConnectionMode::signed_out && demo_request_);
}

void Connection::poll() {
  if (auto response = take(me_request_)) on_me_answer(*response);
  if (auto response = take(demo_request_)) on_demo_answer(*response);
  if (auto response = take(sign_in_request_)) on_sign_in_answer(*response);
  if (auto response = take(sign_out_request_)) on_sign_out_answer(*response);
}

void Connection::on_me_answer(const platform::HttpResponse& response) {
  assert(mode_ == ConnectionMode::detecting);
  const json body = parse_body(response);
  if (response.status == 200) {
    if (auto session = session_of(body)) {
      session_ = std::move(session);
      mode_ = ConnectionMode::signed_in;
      return;
    }
  } else if (is_api_error(body)) {
    // The server answered in its own shape: it is there. 401 is the usual "nobody signed
    // in"; any other refusal (a database outage: 503) is shown on the sign-in screen.
    if (response.status != 401) error_ = error_of(response);
    become_signed_out();
    return;
  }
  // A static host's 404 page, an HTML fallback, no answer: no loyalty server here.
  mode_ = ConnectionMode::offline;
}

void Connection::become_signed_out() {
  mode_ = ConnectionMode::signed_out;
  session_.reset();
  if (!demo_asked_) {
    demo_asked_ = true;
    demo_request_ = get(demo_path);
  }
}

void Connection::on_demo_answer(const platform::HttpResponse& response) {
  // No demo note is not worth an error: the sign-in screen works without it.
  if (response.status == 200) demo_store_ = demo_store_of(parse_body(response));
}

void Connection::sign_in(std::string_view email, std::string_view password) {
  if (mode_ != ConnectionMode::signed_out || sign_in_request_) return;
  error_.reset();
  platform::HttpRequest request;
  request.method = "POST";
  request.path = std::string(sign_in_path);
  request.json_body = json{{"email", std::string(email)}, {"password", std::string(password)}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
  sign_in_request_ = platform::start_http_request(request);
}

void Connection::on_sign_in_answer(const platform::HttpResponse& response) {
  if (response.status == 200) {
    // The answer also holds a bearer token, for API clients; the console keeps to the
    // HttpOnly cookie the same answer set, and holds no token the page's scripts could read.
    if (auto session = session_of(parse_body(response))) {
      // Signing in again after the session ended goes back to the same store; anyone
      // else chooses (when their account has several).
      if (session->email != ended_session_email_) chosen_store_id_.clear();
      ended_session_email_.clear();
      session_ = std::move(session);
      mode_ = ConnectionMode::signed_in;
      error_.reset();
      return;
    }
    error_ = ApiError{"unexpected_answer", console_message(TextKey::sign_in_error_unexpected), {}};
    return;
  }
  error_ = error_of(response);
}

void Connection::sign_out() {
  if (mode_ != ConnectionMode::signed_in || sign_out_request_ || !session_) return;
  error_.reset();
  platform::HttpRequest request;
  request.method = "POST";
  request.path = std::string(sign_out_path);
  request.csrf_token = session_->csrf_token;
  sign_out_request_ = platform::start_http_request(request);
}

void Connection::session_ended() {
  if (mode_ != ConnectionMode::signed_in || sign_out_request_) return;
  ended_session_email_ = session_ ? session_->email : std::string();
  become_signed_out();
}

void Connection::on_sign_out_answer(const platform::HttpResponse& response) {
  // 401: the session had already ended (idle, or signed out elsewhere): signed out all the same.
  if (response.status == 204 || response.status == 200 || response.status == 401) {
    chosen_store_id_.clear();
    ended_session_email_.clear();
    become_signed_out();
    return;
  }
  error_ = error_of(response);
}

const StoreAccess* Connection::current_store() const {
  if (!session_ || session_->stores.empty()) return nullptr;
  if (session_->stores.size() == 1) return &session_->stores.front();
  for (const StoreAccess& store : session_->stores) {
    if (store.store_id == chosen_store_id_) return &store;
  }
  return nullptr;
}

bool Connection::store_choice_needed() const {
  return mode_ == ConnectionMode::signed_in && session_ && session_->stores.size() > 1 && current_store() == nullptr;
}

void Connection::choose_store(std::string_view store_id) {
  if (!session_) return;
  for (const StoreAccess& store : session_->stores) {
    if (store.store_id == store_id) chosen_store_id_ = store.store_id;
  }
}

void Connection::ask_store_again() { chosen_store_id_.clear(); }

std::string_view role_label(std::string_view role, Language language) {
  if (role == "owner") return text(TextKey::role_owner, language);
  if (role == "marketing") return text(TextKey::role_marketing, language);
  if (role == "support") return text(TextKey::role_support, language);
  return role;
}

}  // namespace loyalty::console
