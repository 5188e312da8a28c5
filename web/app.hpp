// app.hpp: the console application: the frame around the screens.
//
// [SECTION] App
//
// The app owns the navigation (which screen is open) and the language, and lays out the
// top bar, the left navigation and the open screen. It knows nothing about SDL, WebGL or
// the browser: main.cpp runs the loop, platform/ talks to the page.
#pragma once
#include "demo_program.hpp"
#include "i18n.hpp"
#include "platform/platform.hpp"
#include "ui.hpp"
#include "views/views.hpp"

namespace loyalty::console {

// [SECTION] App ---------------------------------------------------------------------------
class App {
 public:
  App();                                      // restores the saved language

  // One frame of UI between ImGui::NewFrame() and ImGui::Render(). `now` is this frame's
  // time; what was drawn is added to `report` (test hooks).
  void draw(const Fonts& fonts, UtcSeconds now, platform::FrameReport& report);

  Language language() const { return language_; }
  Screen screen() const { return screen_; }
  void set_language(Language language);      // remembered in the browser
  void open(Screen screen);

 private:
  void draw_top_bar(Ui& ui, ImVec2 origin, ImVec2 size);
  void draw_navigation(Ui& ui, ImVec2 origin, ImVec2 size);
  ViewRequest draw_screen(Ui& ui);
  void apply(const ViewRequest& request);

  Language language_ = Language::vietnamese;  // Vietnamese unless asked otherwise
  Screen screen_ = Screen::overview;
  // The program the offline demo runs (the seed's example); views read it, never change it.
  const DemoProgram demo_program_ = make_demo_program();
  // Views: UI state only, one per screen.
  OverviewView overview_;
  MembersView members_;
  WalletTiersView wallet_tiers_;
  VouchersView vouchers_;
  CustomerGroupsView customer_groups_;
  NotificationsView notifications_;
};

}  // namespace loyalty::console
