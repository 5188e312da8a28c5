// app.hpp: the console application: the frame around the screens.
//
// [SECTION] App
//
// The app owns the navigation (which screen is open), the language and the connection to
// the server, and lays out the top bar, the mode banner (offline demo, or which store and
// role is signed in), the left navigation and the open screen, or the sign-in screen when
// a server answered and nobody is signed in. It knows nothing about SDL, WebGL or the
// browser: main.cpp runs the loop, platform/ talks to the page.
#pragma once
#include <memory>

#include "backend/backend.hpp"
#include "connection.hpp"
#include "demo_program.hpp"
#include "i18n.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"
#include "ui.hpp"
#include "views/owner_views.hpp"
#include "views/views.hpp"

namespace loyalty::console {

// [SECTION] App ---------------------------------------------------------------------------
class App {
 public:
  App();                                      // restores the saved language, asks the server

  // One frame of UI between ImGui::NewFrame() and ImGui::Render(). `now` is this frame's
  // time; what was drawn is added to `report` (test hooks).
  void draw(const Fonts& fonts, UtcSeconds now, platform::FrameReport& report);

  // The mode is known and its first screen complete: the page may stop showing "loading".
  bool settled() const { return connection_.settled(); }
  Language language() const { return language_; }
  Screen screen() const { return screen_; }
  void set_language(Language language);      // remembered in the browser
  void open(Screen screen);                  // through the router: a history entry

 private:
  void draw_top_bar(Ui& ui, ImVec2 origin, ImVec2 size, bool compact);
  void draw_mode_banner(Ui& ui, ImVec2 origin, ImVec2 size);
  bool draw_navigation(Ui& ui, ImVec2 origin, ImVec2 size);   // true when an item was clicked
  // Narrow screens: the navigation slides over the content from the menu button.
  bool draw_menu_button(Ui& ui, ImVec2 min, float size);
  void draw_navigation_drawer(Ui& ui, float top, ImVec2 display);
  void keep_preview_draft();                  // the rule preview's fields, across a reload
  ViewRequest draw_screen(Ui& ui);
  void apply(const ViewRequest& request);
  void follow_connection();                   // reacts to a sign-in or sign-out that came back
  ModeSummary mode_summary() const;
  void publish_session_state(Ui& ui) const;
  void follow_backend();                      // the data path of the mode, and its replies
  void draw_demo_controls(Ui& ui, ImVec2 origin, ImVec2 size);   // offline: reset to the demo
  void draw_leave_question(Ui& ui);           // leaving a changed program asks first
  // A screen the role may see (the owner's screens only to owners; the server decides anyway).
  bool screen_allowed(Screen screen) const;
  // Another store or another staff member: what the screens held belongs to someone else.
  void forget_store_views();

  Language language_ = Language::vietnamese;  // Vietnamese unless asked otherwise
  Screen screen_ = Screen::overview;         // routes::current()'s, each frame
  bool navigation_open_ = false;              // the drawer, on narrow screens
  Connection connection_;                     // the server that served the page, if any
  ConnectionMode last_mode_ = ConnectionMode::detecting;
  // What the screens ask: the store's server when signed in, the in-page demo offline.
  std::unique_ptr<Backend> backend_;
  std::optional<Screen> leave_to_;            // asked to open while the program has changes
  // The program the offline demo runs (the seed's example); views read it, never change it.
  const DemoProgram demo_program_ = make_demo_program();
  // Views: UI state only, one per screen.
  OverviewView overview_;
  MembersView members_;
  WalletTiersView wallet_tiers_;
  ProgramView program_;
  VouchersView vouchers_;
  CustomerGroupsView customer_groups_;
  NotificationsView notifications_;
  SignInView sign_in_;
  AuditLogView audit_log_;
  StaffAccountsView staff_accounts_;
  ApiKeysView api_keys_;
  // Whose data the views hold ("offline", or "email/store_id"): kept across an expired
  // session, so that what was typed is still there after signing in again.
  std::string views_owner_;
};

}  // namespace loyalty::console
