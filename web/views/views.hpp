// views.hpp: the console's screens, one file each in web/views/.
//
// [SECTION] Screens
// [SECTION] Requests (what a view asks the app to do)
// [SECTION] What the screens are told about the mode
// [SECTION] Views
//
// A view holds UI state only (what is expanded, what is typed) and draws from data it is
// given; it never owns domain data and never talks to the browser. What it wants done
// (open another screen, ...) it returns as a request; the app carries it out.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "connection.hpp"
#include "demo_program.hpp"
#include "i18n.hpp"
#include "ui.hpp"

namespace loyalty::console {

// [SECTION] Screens -----------------------------------------------------------------------
enum class Screen : std::uint8_t {
  overview,
  members,
  wallet_tiers,
  vouchers,
  customer_groups,
  notifications,
  // The owner's (shown to the roles that may: the server decides).
  audit_log,
  staff_accounts,
  api_keys,
  count,  // not a screen
};
std::string_view screen_id(Screen screen);        // "overview": test hooks, storage
TextKey screen_title(Screen screen);              // its navigation label
TextKey screen_description(Screen screen);        // one line on what the screen is for

// [SECTION] Requests ------------------------------------------------------------------------
struct SignInRequest {
  std::string email;
  std::string password;
};
struct ViewRequest {
  std::optional<Screen> open_screen;   // navigate, as if clicked in the navigation
  std::optional<SignInRequest> sign_in;  // the sign-in screen's button (or Enter)
};

// [SECTION] What the screens are told about the mode --------------------------------------
// Where the screens' data comes from, as the app knows it: views say it, never decide it.
struct ModeSummary {
  bool connected = false;       // signed in to a store server; false: the offline demo
  std::string store_name;       // connected: the store being worked on (may be empty)
};
// What the sign-in screen shows besides what staff type (the app's Connection holds it).
struct SignInScreenData {
  const std::optional<DemoStore>& demo_store;   // the demo's accounts, when the server runs it
  const std::optional<ApiError>& error;         // the server's last refusal
  bool busy = false;                            // a sign-in is on its way
};

// [SECTION] Views ------------------------------------------------------------------------------
// The members screen (MembersView) and the program editor (ProgramView) are declared in
// member_views.hpp and program_views.hpp, included at the end.
struct OverviewView {
  ViewRequest draw(Ui& ui, const ModeSummary& mode);
  float card_row_height = 0;   // last frame's tallest summary card: the row shares it
};
// "Ví điểm & hạng" is the offline rule preview: the program in use, and a calculator.
struct WalletTiersView {
  ViewRequest draw(Ui& ui, const DemoProgram& program, const ModeSummary& mode);
  // What staff typed, as typed (checked and read by preview_form each frame).
  std::string amount_vnd = "1000000";   // the seed's example order
  std::string shipping_vnd;
  std::string voucher_discount_vnd;
  std::string tier_points = "0";
  bool has_referrer = true;             // so that the referrer's share shows too
};
struct VouchersView {
  ViewRequest draw(Ui& ui);
};
struct CustomerGroupsView {
  ViewRequest draw(Ui& ui);
};
struct NotificationsView {
  ViewRequest draw(Ui& ui);
};

// The sign-in screen of connected mode: email, password (masked), the server's messages
// and the demo's accounts when the server runs the demo store.
struct SignInView {
  ViewRequest draw(Ui& ui, const SignInScreenData& data);
  void forget_password() { password.clear(); }   // once signed in: not kept in memory
  std::string email;
  std::string password;
  // What the console found wrong at the last attempt, before asking the server.
  std::optional<TextKey> email_problem;
  std::optional<TextKey> password_problem;
};

// Shared by the screens that are not built yet: heading, description, "coming soon" card.
ViewRequest draw_coming_soon(Ui& ui, Screen screen);
// Shared heading of every screen: title, then a muted description.
void draw_screen_heading(Ui& ui, TextKey title, TextKey description);

}  // namespace loyalty::console

#include "views/member_views.hpp"
#include "views/program_views.hpp"
