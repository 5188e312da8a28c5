#include "app.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <string>
#include <tuple>
#include <utility>

#include "backend/local_store.hpp"
#include "platform/platform_storage.hpp"
#include "views/owner_text.hpp"

namespace loyalty::console {
namespace {

constexpr std::string_view language_setting_key = "loyalty.console.language";
constexpr float top_bar_height = 64;
constexpr float banner_height = 40;         // the mode banner under the top bar
constexpr float content_max_width = 1120;   // wider screens centre the content
// Narrower than this (phones, a split window): the navigation hides behind a menu button.
constexpr float compact_layout_width = 640;
constexpr std::string_view preview_draft_form = "preview";
// The store chosen among several, for this tab (a reload keeps it).
constexpr std::string_view session_draft_form = "session";
constexpr float pi = 3.14159265f;

float navigation_width(float display_width) {
  if (display_width >= 960) return 248;
  if (display_width >= 640) return 208;
  return 172;
}

// [SECTION] Drawn marks (no icon font: a few strokes each) -------------------------------
void draw_brand_mark(ImDrawList* draw_list, ImVec2 min, float size) {
  const ImVec2 max(min.x + size, min.y + size);
  draw_list->AddRectFilled(min, max, palette::brand, 10);
  // A five-pointed star: a convex pentagon plus five triangles.
  const ImVec2 center(min.x + size * 0.5f, min.y + size * 0.53f);
  const float outer = size * 0.32f;
  const float inner = outer * 0.45f;
  std::array<ImVec2, 5> outer_points{};
  std::array<ImVec2, 5> inner_points{};
  for (int index = 0; index < 5; ++index) {
    const float outer_angle = -pi / 2 + static_cast<float>(index) * 2 * pi / 5;
    const float inner_angle = outer_angle + pi / 5;
    outer_points[index] = ImVec2(center.x + outer * std::cos(outer_angle),
                                 center.y + outer * std::sin(outer_angle));
    inner_points[index] = ImVec2(center.x + inner * std::cos(inner_angle),
                                 center.y + inner * std::sin(inner_angle));
  }
  draw_list->AddConvexPolyFilled(inner_points.data(), 5, palette::on_brand);
  for (int index = 0; index < 5; ++index) {
    draw_list->AddTriangleFilled(inner_points[(index + 4) % 5], outer_points[index],
                                 inner_points[index], palette::on_brand);
  }
}

void draw_screen_icon(ImDrawList* draw_list, Screen screen, ImVec2 center, ImU32 color) {
  const float thickness = 1.6f;
  const auto at = [center](float x, float y) { return ImVec2(center.x + x, center.y + y); };
  switch (screen) {
    case Screen::overview:
      for (const float x : {-7.0f, 1.0f}) {
        for (const float y : {-7.0f, 1.0f}) {
          draw_list->AddRect(at(x, y), at(x + 6, y + 6), color, 2, 0, thickness);
        }
      }
      break;
    case Screen::members:
      draw_list->AddCircle(at(0, -3.5f), 3.5f, color, 16, thickness);
      draw_list->PathArcTo(at(0, 8), 7, pi, 2 * pi, 12);
      draw_list->PathStroke(color, 0, thickness);
      break;
    case Screen::wallet_tiers:
      draw_list->AddRect(at(-8, -6), at(8, 6), color, 3, 0, thickness);
      draw_list->AddLine(at(-8, -2), at(8, -2), color, thickness);
      draw_list->AddCircleFilled(at(4, 2.5f), 1.8f, color, 10);
      break;
    case Screen::vouchers:
      draw_list->AddRect(at(-8, -5), at(8, 5), color, 2, 0, thickness);
      for (const float y : {-3.5f, -0.5f, 2.5f}) {
        draw_list->AddLine(at(2, y), at(2, y + 1.5f), color, thickness);
      }
      break;
    case Screen::customer_groups:
      draw_list->AddCircle(at(-3.5f, -3), 3, color, 14, thickness);
      draw_list->AddCircle(at(4.5f, -2), 2.5f, color, 12, thickness);
      draw_list->PathArcTo(at(-3.5f, 8), 6, pi, 2 * pi, 12);
      draw_list->PathStroke(color, 0, thickness);
      draw_list->PathArcTo(at(4.5f, 7.5f), 4.5f, pi * 1.25f, 2 * pi, 8);
      draw_list->PathStroke(color, 0, thickness);
      break;
    case Screen::notifications:
      draw_list->PathArcTo(at(0, -1), 5, pi, 2 * pi, 12);
      draw_list->PathLineTo(at(5, 3));
      draw_list->PathLineTo(at(6.5f, 5));
      draw_list->PathLineTo(at(-6.5f, 5));
      draw_list->PathLineTo(at(-5, 3));
      draw_list->PathStroke(color, ImDrawFlags_Closed, thickness);
      draw_list->AddCircleFilled(at(0, 7.5f), 1.6f, color, 10);
      break;
    case Screen::audit_log:   // a page with lines
      draw_list->AddRect(at(-6, -8), at(6, 8), color, 2, 0, thickness);
      for (const float y : {-4.0f, 0.0f, 4.0f}) draw_list->AddLine(at(-3, y), at(3, y), color, thickness);
      break;
    case Screen::staff_accounts:   // a badge on a lanyard
      draw_list->AddRect(at(-6, -4), at(6, 8), color, 2, 0, thickness);
      draw_list->AddLine(at(-3, -4), at(0, -8), color, thickness);
      draw_list->AddLine(at(3, -4), at(0, -8), color, thickness);
      draw_list->AddCircle(at(0, 1.5f), 2.2f, color, 10, thickness);
      break;
    case Screen::api_keys:   // a key
      draw_list->AddCircle(at(-4, 0), 3.5f, color, 14, thickness);
      draw_list->AddLine(at(-0.5f, 0), at(8, 0), color, thickness);
      draw_list->AddLine(at(5, 0), at(5, 3.5f), color, thickness);
      draw_list->AddLine(at(8, 0), at(8, 3.5f), color, thickness);
      break;
    case Screen::count:
      assert(false && "not a screen");
      break;
  }
}

}  // namespace

// [SECTION] App ---------------------------------------------------------------------------------
App::App() {
  if (const auto saved = platform::load_setting(language_setting_key)) {
    if (const auto language = language_from_code(*saved)) language_ = *language;
  }
  platform::set_document_language(language_code(language_));
  platform::set_document_title(text(TextKey::product_name, language_));
  routes::start();
  screen_ = routes::current().screen;
  // What was typed into the rule preview before a reload.
  for (auto [field, value] : {std::pair{"amount_vnd", &wallet_tiers_.amount_vnd},
                              std::pair{"shipping_vnd", &wallet_tiers_.shipping_vnd},
                              std::pair{"voucher_discount_vnd", &wallet_tiers_.voucher_discount_vnd},
                              std::pair{"tier_points", &wallet_tiers_.tier_points}}) {
    if (auto draft = routes::load_draft(preview_draft_form, field)) *value = std::move(*draft);
  }
  if (auto draft = routes::load_draft(preview_draft_form, "has_referrer")) wallet_tiers_.has_referrer = *draft == "1";
  if (auto store_id = routes::load_draft(session_draft_form, "store_id")) connection_.prefer_store(*store_id);
  connection_.start();
}

void App::keep_preview_draft() {
  static WalletTiersView saved;   // what sessionStorage holds: write only what changed
  const WalletTiersView& view = wallet_tiers_;
  for (auto [field, value, last] :
       {std::tuple{"amount_vnd", &view.amount_vnd, &saved.amount_vnd},
        std::tuple{"shipping_vnd", &view.shipping_vnd, &saved.shipping_vnd},
        std::tuple{"voucher_discount_vnd", &view.voucher_discount_vnd, &saved.voucher_discount_vnd},
        std::tuple{"tier_points", &view.tier_points, &saved.tier_points}}) {
    if (*value == *last) continue;
    routes::save_draft(preview_draft_form, field, *value);
    *last = *value;
  }
  if (view.has_referrer != saved.has_referrer) {
    routes::save_draft(preview_draft_form, "has_referrer", view.has_referrer ? "1" : "0");
    saved.has_referrer = view.has_referrer;
  }
}

void App::set_language(Language language) {
  if (language == language_) return;
  language_ = language;
  platform::save_setting(language_setting_key, language_code(language));
  platform::set_document_language(language_code(language));
  platform::set_document_title(text(TextKey::product_name, language));
}

void App::open(Screen screen) {
  assert(screen != Screen::count);
  if (screen_ == Screen::wallet_tiers && screen != screen_ && program_.has_unsaved_changes()) {
    leave_to_ = screen;
    return;
  }
  routes::open(Route{screen, {}});
  screen_ = screen;
}

void App::apply(const ViewRequest& request) {
  if (request.open_screen) open(*request.open_screen);
  if (request.sign_in) connection_.sign_in(request.sign_in->email, request.sign_in->password);
}

void App::follow_connection() {
  connection_.poll();
  const ConnectionMode mode = connection_.mode();
  if (mode == last_mode_) return;
  if (mode == ConnectionMode::signed_in) {
    sign_in_.forget_password();
    // Ready for the next sign-in on this browser, also when the session came with a reload.
    sign_in_.email = connection_.session()->email;
    // The address stays: a shared link opens its screen once signed in.
  }
  last_mode_ = mode;
}

void App::follow_backend() {
  const ConnectionMode mode = connection_.mode();
  const StoreAccess* store = connection_.current_store();
  // Whose data a backend serves now: the demo, or this staff member in this store.
  std::string owner;
  if (mode == ConnectionMode::offline) owner = "offline";
  if (mode == ConnectionMode::signed_in && store != nullptr) owner = connection_.session()->email + "/" + store->store_id;
  // No backend while signed out or choosing a store; another one for another store.
  if (owner.empty() || owner != views_owner_) backend_.reset();
  if (!owner.empty() && !backend_) {
    if (!views_owner_.empty() && owner != views_owner_) forget_store_views();
    views_owner_ = owner;
    if (mode == ConnectionMode::offline) {
      backend_ = make_local_backend(platform::now_utc_seconds());
    } else {
      backend_ = make_api_backend(*store, *connection_.session());
      routes::save_draft(session_draft_form, "store_id", store->store_id);
    }
  }
  if (!backend_) return;
  backend_->poll();
  if (backend_->session_ended()) {
    connection_.session_ended();
    backend_.reset();
  }
}

bool App::screen_allowed(Screen screen) const {
  const bool owners_only = screen == Screen::audit_log || screen == Screen::staff_accounts || screen == Screen::api_keys;
  if (!owners_only) return true;
  if (!backend_) return false;
  const Permissions& permissions = backend_->permissions();
  return permissions.read_audit_log || permissions.manage_staff || permissions.manage_api_keys;
}

void App::forget_store_views() {
  members_ = MembersView{};
  program_ = ProgramView{};
  audit_log_ = AuditLogView{};
  staff_accounts_ = StaffAccountsView{};
  api_keys_ = ApiKeysView{};
  // The address named the other store's member or screen: start from the overview.
  routes::open(Route{Screen::overview, {}});
  screen_ = Screen::overview;
  platform::request_redraw_after_ms(0);   // the address changed inside a frame: draw it
}

ModeSummary App::mode_summary() const {
  ModeSummary summary;
  summary.connected = connection_.mode() == ConnectionMode::signed_in;
  if (const StoreAccess* store = connection_.current_store()) summary.store_name = store->name;
  return summary;
}

// What the tests read instead of parsing the banner (window.consoleState).
void App::publish_session_state(Ui& ui) const {
  ui.publish_state("session.mode", connection_mode_id(connection_.mode()));
  if (const auto& session = connection_.session()) {
    ui.publish_state("session.email", session->email);
    if (const StoreAccess* store = connection_.current_store()) {
      ui.publish_state("session.store_id", store->store_id);
      ui.publish_state("session.store_name", store->name);
      ui.publish_state("session.role", store->role);
    }
    ui.publish_state("session.stores", std::to_string(session->stores.size()));
  }
  if (const auto& demo = connection_.demo_store()) ui.publish_state("session.demo_store_id", demo->store_id);
}

void App::draw(const Fonts& fonts, UtcSeconds now, platform::FrameReport& report) {
  // The address is the one source of truth: Back, Forward, a link, or a view's routes::open.
  if (routes::follow_address()) navigation_open_ = false;
  // Back, Forward or a link away from a changed program asks first, as the navigation does:
  // the address goes back to the program until the question is answered.
  if (routes::current().screen != screen_ && screen_ == Screen::wallet_tiers && program_.has_unsaved_changes()) {
    leave_to_ = routes::current().screen;
    routes::replace(Route{screen_, {}});
  }
  screen_ = routes::current().screen;
  // The route this frame draws (a click below may open another, drawn next frame).
  const std::string drawn_route = route_address(routes::current());
  follow_connection();
  follow_backend();
  Ui ui(language_, fonts, now, report);
  const ConnectionMode mode = connection_.mode();
  const bool detecting = mode == ConnectionMode::detecting;
  const bool signing_in = mode == ConnectionMode::signed_out;
  const bool choosing_store = connection_.store_choice_needed();
  report.language = std::string(language_code(language_));
  report.screen = detecting ? "connecting" : signing_in ? "sign_in" : choosing_store ? "store_chooser" : std::string(screen_id(screen_));
  publish_session_state(ui);

  const ImVec2 display = ImGui::GetIO().DisplaySize;
  // The sign-in screen has no navigation: nothing behind it is open yet.
  const bool has_navigation = !detecting && !signing_in && !choosing_store;
  const bool compact = display.x < compact_layout_width;
  if (!compact || !has_navigation) navigation_open_ = false;
  const float nav_width = has_navigation && !compact ? navigation_width(display.x) : 0.0f;
  const float content_top = top_bar_height + (detecting ? 0.0f : banner_height);
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(display);
  ImGui::PushFont(fonts.body);
  ImGui::Begin("##console", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                   ImGuiWindowFlags_NoScrollWithMouse);

  // The open screen scrolls in its own child window, right of the navigation and under
  // the top bar; the bars are drawn on the host window around it.
  ImGui::SetCursorScreenPos(ImVec2(nav_width, content_top));
  const ImVec2 content_size(std::max(1.0f, display.x - nav_width),
                            std::max(1.0f, display.y - content_top));
  const float side_padding = content_size.x < 560
                                 ? 16.0f
                                 : std::max(32.0f, (content_size.x - content_max_width) * 0.5f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(side_padding, 24));
  ImGui::BeginChild("##content", content_size, false, ImGuiWindowFlags_AlwaysUseWindowPadding);
  ImGui::PopStyleVar();
  ViewRequest request;
  if (detecting) {
    // Behind the page's loading indicator, for the moment the server takes to answer.
    ui.label(TextKey::connecting, ui.fonts().body, palette::text_muted);
  } else if (signing_in) {
    request = sign_in_.draw(ui, SignInScreenData{connection_.demo_store(), connection_.error(),
                                                 connection_.signing_in()});
  } else if (choosing_store) {
    const std::string chosen = draw_store_chooser(ui, connection_.session()->stores);
    if (!chosen.empty()) connection_.choose_store(chosen);
  } else {
    request = draw_screen(ui);
  }
  ImGui::EndChild();

  draw_top_bar(ui, ImVec2(0, 0), ImVec2(display.x, top_bar_height), compact && has_navigation);
  if (!detecting) draw_mode_banner(ui, ImVec2(0, top_bar_height), ImVec2(display.x, banner_height));
  if (mode == ConnectionMode::offline) draw_demo_controls(ui, ImVec2(0, top_bar_height), ImVec2(display.x, banner_height));
  if (nav_width > 0) {
    draw_navigation(ui, ImVec2(0, content_top), ImVec2(nav_width, content_size.y));
  }
  if (leave_to_) draw_leave_question(ui);
  platform::set_leave_warning(program_.has_unsaved_changes());
  ImGui::End();
  if (navigation_open_) draw_navigation_drawer(ui, content_top, display);
  ImGui::PopFont();
  ui.publish_state("route", drawn_route);
  ui.publish_state("ui.words_broken", std::to_string(ui.words_broken()));
  ui.publish_state("ui.navigation", !has_navigation ? "none" : !compact ? "side" : navigation_open_ ? "drawer_open" : "menu");
  apply(request);
  keep_preview_draft();
  // The demo store loading in the page, or replies the views take next frame: nothing
  // else may wake the loop (the console draws only when something changed).
  if (backend_ && !backend_->ready()) platform::request_redraw_after_ms(50);
  if (backend_ && backend_->take_replies_came()) platform::request_redraw_after_ms(0);
}

bool App::draw_menu_button(Ui& ui, ImVec2 min, float size) {
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  ImGui::SetCursorScreenPos(min);
  const bool clicked = ImGui::InvisibleButton("##navigation_menu", ImVec2(size, size));
  const bool hovered = ImGui::IsItemHovered();
  const ImVec2 max(min.x + size, min.y + size);
  if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  draw_list->AddRectFilled(min, max, navigation_open_ ? palette::brand_soft : hovered ? palette::surface_hover : palette::surface, 10);
  draw_list->AddRect(min, max, palette::border, 10);
  const ImU32 color = navigation_open_ ? palette::brand_strong : palette::text;
  for (int line = -1; line <= 1; ++line) {
    const float y = min.y + size * 0.5f + static_cast<float>(line) * 6.0f;
    draw_list->AddLine(ImVec2(min.x + size * 0.28f, y), ImVec2(max.x - size * 0.28f, y), color, 2.0f);
  }
  ui.record("navigation_menu_button", ui.tr(TextKey::nav_section_program), min, max);
  return clicked;
}

// The navigation over the content, under the bars, with the rest of the screen dimmed;
// a click beside it, Escape or choosing a screen closes it.
void App::draw_navigation_drawer(Ui& ui, float top, ImVec2 display) {
  const ImVec2 origin(0, top);
  const ImVec2 size(display.x, std::max(1.0f, display.y - top));
  ImGui::SetNextWindowPos(origin);
  ImGui::SetNextWindowSize(size);
  ImGui::SetNextWindowFocus();
  ImGui::Begin("##navigation_drawer", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBackground);
  ImGui::GetWindowDrawList()->AddRectFilled(origin, ImVec2(size.x, top + size.y), palette::rgb(0x1B, 0x24, 0x30, 90));
  const float drawer_width = std::min(300.0f, std::floor(display.x * 0.82f));
  const bool chose = draw_navigation(ui, origin, ImVec2(drawer_width, size.y));
  // Beside the drawer: submitted last, so the drawer's items keep their clicks.
  ImGui::SetCursorScreenPos(ImVec2(drawer_width, top));
  const bool beside = ImGui::InvisibleButton("##navigation_backdrop", ImVec2(std::max(1.0f, size.x - drawer_width), size.y));
  const bool escape = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
  ImGui::End();
  if (chose || beside || escape) navigation_open_ = false;
}

void App::draw_leave_question(Ui& ui) {
  assert(leave_to_);
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const float width = std::min(display.x - 32, 460.0f);
  ImGui::SetCursorScreenPos(ImVec2((display.x - width) * 0.5f, display.y * 0.3f));
  ImGui::BeginGroup();
  Panel panel(width, 24, palette::surface, palette::amber_text);
  say_label(ui, phrases::leave_heading, ui.fonts().large, palette::text);
  say_label(ui, phrases::leave_body, ui.fonts().body, palette::text_muted, true);
  if (say_button(ui, phrases::leave_yes, true)) {
    program_.discard_changes();
    routes::open(Route{*leave_to_, {}});
    screen_ = *leave_to_;
    leave_to_.reset();
  } else {
    ImGui::SameLine();
    if (say_button(ui, phrases::leave_no)) leave_to_.reset();
  }
  panel.end();
  ImGui::EndGroup();
}

// Offline: how many of the user's changes the browser keeps, and "reset to the demo".
void App::draw_demo_controls(Ui& ui, ImVec2 origin, ImVec2 size) {
  LocalStore* store = backend_ ? local_store_of(*backend_) : nullptr;
  if (store == nullptr) return;
  ui.publish_state("demo.changes_kept", std::to_string(store->changes_kept()));
  const std::string_view label = say(ui, phrases::demo_reset);
  const ImVec2 label_size = ui.measure(ui.fonts().small, label);
  const ImVec2 button_size(label_size.x + 24, 28);
  const ImVec2 button_min(origin.x + size.x - 20 - button_size.x, origin.y + (size.y - button_size.y) * 0.5f);
  ImGui::SetCursorScreenPos(button_min);
  ImGui::PushFont(ui.fonts().small);
  const std::string id = std::string(label) + "###demo_reset";
  if (ImGui::Button(id.c_str(), button_size)) store->reset_to_demo();
  ImGui::PopFont();
  ui.record(phrases::demo_reset.id, label, button_min, ImVec2(button_min.x + button_size.x, button_min.y + button_size.y));
  ui.check_glyphs(label, ui.fonts().small);
}

ViewRequest App::draw_screen(Ui& ui) {
  switch (screen_) {
    case Screen::overview: return overview_.draw(ui, mode_summary());
    case Screen::members: {
      // A member's profile has its address (#/members/M0000123): a link or Back opens it,
      // and opening or leaving one in the view writes the address.
      const std::vector<std::string>& segments = routes::current().segments;
      const std::string address_member = segments.empty() ? std::string() : segments.front();
      if (address_member != members_.open_member_id) {
        if (address_member.empty()) {
          members_.open_member_id.clear();
          members_.profile.forget();
        } else {
          members_.open_member(address_member);
        }
      }
      ViewRequest request = members_.draw(ui, backend_.get());
      if (members_.open_member_id != address_member) {
        routes::open(members_.open_member_id.empty() ? Route{Screen::members, {}} : Route{Screen::members, {members_.open_member_id}});
      }
      return request;
    }
    case Screen::wallet_tiers:
      return program_.draw(ui, backend_.get(), mode_summary(), wallet_tiers_, demo_program_);
    case Screen::vouchers: return vouchers_.draw(ui);
    case Screen::customer_groups: return customer_groups_.draw(ui);
    case Screen::notifications: return notifications_.draw(ui);
    case Screen::audit_log:
    case Screen::staff_accounts:
    case Screen::api_keys:
      if (backend_ == nullptr || !backend_->ready()) {
        draw_screen_heading(ui, screen_title(screen_), screen_description(screen_));
        say_label(ui, phrases::loading, ui.fonts().body, palette::text_muted);
      } else if (screen_ == Screen::audit_log) {
        audit_log_.draw(ui, *backend_);
      } else if (screen_ == Screen::staff_accounts) {
        staff_accounts_.draw(ui, *backend_, connection_.session() ? connection_.session()->email : std::string());
      } else {
        api_keys_.draw(ui, *backend_);
      }
      return {};
    case Screen::count: break;
  }
  assert(false && "no view for this screen");
  return {};
}

void App::draw_top_bar(Ui& ui, ImVec2 origin, ImVec2 size, bool compact) {
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const ImVec2 corner(origin.x + size.x, origin.y + size.y);
  draw_list->AddRectFilled(origin, corner, palette::surface);
  draw_list->AddLine(ImVec2(origin.x, corner.y - 0.5f), ImVec2(corner.x, corner.y - 0.5f),
                     palette::border);

  // Narrow: the menu button where the brand mark was, the name in body type.
  const float mark_size = compact ? 40 : 36;
  const float mark_left = compact ? origin.x + 12 : origin.x + 20;
  if (compact) {
    if (draw_menu_button(ui, ImVec2(mark_left, origin.y + (size.y - mark_size) * 0.5f), mark_size)) {
      navigation_open_ = !navigation_open_;
    }
  } else {
    draw_brand_mark(draw_list, ImVec2(mark_left, origin.y + (size.y - mark_size) * 0.5f), mark_size);
  }
  const float name_left = mark_left + mark_size + 12;
  const bool narrow = size.x < compact_layout_width;

  // Language toggle: a two-segment control at the right.
  const std::array<std::pair<Language, TextKey>, 2> segments{{
      {Language::vietnamese, TextKey::language_vietnamese},
      {Language::english, TextKey::language_english},
  }};
  // Narrow windows show the language codes: the full names would cover the product name.
  const auto segment_label = [&](Language language, TextKey key) {
    return narrow ? language_code(language) == "vi" ? std::string_view("VI") : std::string_view("EN") : ui.tr(key);
  };
  float segment_width = 0;
  for (const auto& [language, key] : segments) {
    segment_width = std::max(segment_width, ui.measure(ui.fonts().body, segment_label(language, key)).x + (narrow ? 20 : 28));
  }
  const float toggle_height = 34;
  const ImVec2 toggle_min(corner.x - 20 - 2 * segment_width - 4,
                          origin.y + (size.y - toggle_height) * 0.5f);
  const ImVec2 toggle_max(corner.x - 20, toggle_min.y + toggle_height);

  // The product name, cut short rather than running under the toggle on narrow windows.
  draw_list->PushClipRect(origin, ImVec2(std::max(name_left, toggle_min.x - 12), corner.y), true);
  const ImVec2 name_size =
      ui.draw_text(draw_list, narrow ? ui.fonts().body : ui.fonts().large, ImVec2(name_left, origin.y + (narrow ? 12 : 8)),
                   palette::text, key_name(TextKey::product_name), ui.tr(TextKey::product_name));
  ui.draw_text(draw_list, ui.fonts().small, ImVec2(name_left + 1, origin.y + (narrow ? 14 : 8) + name_size.y),
               palette::text_muted, key_name(TextKey::product_tagline),
               ui.tr(TextKey::product_tagline));
  draw_list->PopClipRect();

  draw_list->AddRectFilled(toggle_min, toggle_max, palette::app_background, toggle_height * 0.5f);
  draw_list->AddRect(toggle_min, toggle_max, palette::border, toggle_height * 0.5f);
  for (std::size_t index = 0; index < segments.size(); ++index) {
    const auto& [language, key] = segments[index];
    const ImVec2 segment_min(toggle_min.x + 2 + static_cast<float>(index) * segment_width,
                             toggle_min.y + 2);
    const ImVec2 segment_max(segment_min.x + segment_width, toggle_max.y - 2);
    ImGui::SetCursorScreenPos(segment_min);
    ImGui::PushID(static_cast<int>(index));
    const bool clicked = ImGui::InvisibleButton("##language", ImVec2(segment_width, segment_max.y - segment_min.y));
    const bool hovered = ImGui::IsItemHovered();
    ImGui::PopID();
    const bool active = language == language_;
    if (hovered && !active) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    if (active) {
      draw_list->AddRectFilled(segment_min, segment_max, palette::brand,
                               (segment_max.y - segment_min.y) * 0.5f);
    }
    const std::string_view label = segment_label(language, key);
    const ImVec2 label_size = ui.measure(ui.fonts().body, label);
    const ImVec2 label_position(segment_min.x + (segment_width - label_size.x) * 0.5f,
                                segment_min.y + (segment_max.y - segment_min.y - label_size.y) * 0.5f);
    const ImU32 label_color = active ? palette::on_brand : (hovered ? palette::text : palette::text_muted);
    draw_list->AddText(ui.fonts().body, ui.font_size(ui.fonts().body), label_position, label_color,
                       label.data(), label.data() + label.size());
    // The test hook records the whole segment: that is what a user clicks.
    ui.record(key_name(key), label, segment_min, segment_max);
    ui.check_glyphs(label, ui.fonts().body);
    if (clicked) set_language(language);
  }

  // "Offline demo" or "Connected" left of the toggle, when there is room for it.
  if (connection_.mode() == ConnectionMode::detecting) return;
  const TextKey badge_key =
      connection_.mode() == ConnectionMode::offline ? TextKey::offline_badge : TextKey::connected_badge;
  const std::string_view badge = ui.tr(badge_key);
  const float badge_width = ui.measure(ui.fonts().small, badge).x + 20;
  if (toggle_min.x - badge_width - 16 > name_left + name_size.x + 24) {
    ui.draw_pill(draw_list, ImVec2(toggle_min.x - badge_width - 16, origin.y + (size.y - 22) * 0.5f),
                 palette::brand_soft, palette::brand_strong, key_name(badge_key), badge);
  }
}

// One line under the top bar on every screen: the offline demo (nothing reaches a store),
// or the server, and once signed in which store and role, with the sign-out button.
void App::draw_mode_banner(Ui& ui, ImVec2 origin, ImVec2 size) {
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const ImVec2 corner(origin.x + size.x, origin.y + size.y);
  const ConnectionMode mode = connection_.mode();
  assert(mode != ConnectionMode::detecting);
  const bool offline = mode == ConnectionMode::offline;
  const ImU32 background = offline ? palette::amber_soft : palette::success_soft;
  const ImU32 color = offline ? palette::amber_text : palette::success_text;
  draw_list->AddRectFilled(origin, corner, background);
  draw_list->AddLine(ImVec2(origin.x, corner.y - 0.5f), ImVec2(corner.x, corner.y - 0.5f), palette::border);

  std::string message;
  if (offline) {
    message = std::string(ui.tr(TextKey::banner_offline));
  } else if (mode == ConnectionMode::signed_out) {
    message = std::string(ui.tr(TextKey::banner_signed_out));
  } else if (const StoreAccess* store = connection_.current_store()) {
    message = fill_placeholder(ui.tr(TextKey::banner_signed_in), "{store}", store->name);
    message = fill_placeholder(message, "{role}", role_label(store->role, ui.language()));
    message = fill_placeholder(message, "{email}", connection_.session()->email);
  } else if (connection_.store_choice_needed()) {
    message = fill_placeholder(say(ui, phrases::banner_choose_store), "{email}", connection_.session()->email);
  } else {
    message = fill_placeholder(ui.tr(TextKey::banner_no_store), "{email}", connection_.session()->email);
  }
  // A sign-out that failed says why in place of the store line (the session goes on).
  if (mode == ConnectionMode::signed_in && connection_.error()) {
    message = std::string(connection_.error()->message.in(ui.language()));
  }

  float text_right = corner.x - 20;
  if (mode == ConnectionMode::signed_in) {
    const bool busy = connection_.signing_out();
    const std::string_view label = ui.tr(busy ? TextKey::signing_out : TextKey::sign_out_button);
    const ImVec2 label_size = ui.measure(ui.fonts().small, label);
    const ImVec2 button_size(label_size.x + 24, 28);
    const ImVec2 button_min(corner.x - 20 - button_size.x, origin.y + (size.y - button_size.y) * 0.5f);
    const ImVec2 button_max(button_min.x + button_size.x, button_min.y + button_size.y);
    ImGui::SetCursorScreenPos(button_min);
    const bool clicked = ImGui::InvisibleButton("##sign_out", button_size);
    const bool hovered = ImGui::IsItemHovered();
    if (hovered && !busy) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    draw_list->AddRectFilled(button_min, button_max, hovered ? palette::surface_hover : palette::surface,
                             button_size.y * 0.5f);
    draw_list->AddRect(button_min, button_max, palette::success_border, button_size.y * 0.5f);
    draw_list->AddText(ui.fonts().small, ui.font_size(ui.fonts().small),
                       ImVec2(button_min.x + 12, button_min.y + (button_size.y - label_size.y) * 0.5f),
                       palette::success_text, label.data(), label.data() + label.size());
    ui.record("sign_out_button", label, button_min, button_max);
    ui.check_glyphs(label, ui.fonts().small);
    if (clicked && !busy) connection_.sign_out();
    text_right = button_min.x - 16;
    // An account of several stores switches here (the screens then show the other store).
    if (connection_.session()->stores.size() > 1 && connection_.current_store() != nullptr) {
      const std::string_view switch_label = say(ui, phrases::stores_switch);
      const ImVec2 switch_size(ui.measure(ui.fonts().small, switch_label).x + 24, 28);
      const ImVec2 switch_min(text_right - switch_size.x, button_min.y);
      ImGui::SetCursorScreenPos(switch_min);
      ImGui::PushFont(ui.fonts().small);
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette::on_brand));
      if (ImGui::Button((std::string(switch_label) + "###stores_switch").c_str(), switch_size) && !busy) {
        connection_.ask_store_again();
      }
      ImGui::PopStyleColor();
      ImGui::PopFont();
      ui.record(phrases::stores_switch.id, switch_label, switch_min, ImVec2(switch_min.x + switch_size.x, switch_min.y + switch_size.y));
      ui.check_glyphs(switch_label, ui.fonts().small);
      text_right = switch_min.x - 12;
    }
  }
  // Smaller type before it is cut short on a narrow window.
  ImFont* font = ui.measure(ui.fonts().body, message).x <= text_right - origin.x - 20 ? ui.fonts().body
                                                                                     : ui.fonts().small;
  const float text_height = ui.measure(font, message).y;
  draw_list->PushClipRect(origin, ImVec2(std::max(origin.x + 20, text_right), corner.y), true);
  ui.draw_text(draw_list, font, ImVec2(origin.x + 20, origin.y + (size.y - text_height) * 0.5f), color,
               "mode_banner", message);
  draw_list->PopClipRect();
}

bool App::draw_navigation(Ui& ui, ImVec2 origin, ImVec2 size) {
  bool chose = false;
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const ImVec2 corner(origin.x + size.x, origin.y + size.y);
  draw_list->AddRectFilled(origin, corner, palette::surface);
  draw_list->AddLine(ImVec2(corner.x - 0.5f, origin.y), ImVec2(corner.x - 0.5f, corner.y),
                     palette::border);

  ui.draw_text(draw_list, ui.fonts().small, ImVec2(origin.x + 24, origin.y + 20),
               palette::text_faint, key_name(TextKey::nav_section_program),
               ui.tr(TextKey::nav_section_program));

  const float item_height = 40;
  float item_top = origin.y + 46;
  for (int index = 0; index < static_cast<int>(Screen::count); ++index) {
    const auto screen = static_cast<Screen>(index);
    if (!screen_allowed(screen)) continue;
    const ImVec2 item_min(origin.x + 12, item_top);
    const ImVec2 item_max(corner.x - 12, item_top + item_height);
    ImGui::SetCursorScreenPos(item_min);
    ImGui::PushID(index);
    const bool clicked = ImGui::InvisibleButton("##nav", ImVec2(item_max.x - item_min.x, item_height));
    const bool hovered = ImGui::IsItemHovered();
    ImGui::PopID();
    const bool active = screen == screen_;
    if (active) {
      draw_list->AddRectFilled(item_min, item_max, palette::brand_soft, 8);
      draw_list->AddRectFilled(ImVec2(item_min.x, item_min.y + 10),
                               ImVec2(item_min.x + 3, item_max.y - 10), palette::brand, 2);
    } else if (hovered) {
      draw_list->AddRectFilled(item_min, item_max, palette::surface_hover, 8);
      ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    }
    const ImU32 color = active ? palette::brand_strong : palette::text;
    const ImU32 icon_color = active ? palette::brand : palette::text_muted;
    draw_screen_icon(draw_list, screen, ImVec2(item_min.x + 22, item_min.y + item_height * 0.5f),
                     icon_color);
    const TextKey title = screen_title(screen);
    const float label_height = ui.measure(ui.fonts().body, ui.tr(title)).y;
    ui.draw_text(draw_list, ui.fonts().body,
                 ImVec2(item_min.x + 44, item_min.y + (item_height - label_height) * 0.5f), color,
                 key_name(title), ui.tr(title));
    if (clicked) {
      open(screen);
      chose = true;
    }
    item_top += item_height + 4;
  }

  const std::string_view footer = ui.tr(TextKey::nav_footer_version);
  const float footer_height = ui.measure(ui.fonts().small, footer).y;
  if (corner.y - 20 - footer_height > item_top + 16) {
    ui.draw_text(draw_list, ui.fonts().small, ImVec2(origin.x + 24, corner.y - 20 - footer_height),
                 palette::text_faint, key_name(TextKey::nav_footer_version), footer);
  }
  return chose;
}

}  // namespace loyalty::console
