// routes.hpp: every screen has an address, the part of the URL after '#'.
//
// [SECTION] Routes and their addresses
// [SECTION] The router (the address bar is the one source of truth)
// [SECTION] Drafts (what was typed, across a reload)
//
//   #/                      the overview
//   #/members               the members
//   #/members/M0000123      one member's profile
//   #/program/tiers         the program's tiers
//   #/vouchers, #/groups, #/notifications
//   #/audit, #/staff, #/api-keys  the owner's screens
//
// A screen opens another with routes::open(Route{Screen::members, {"M0000123"}}), which
// adds a history entry: Back and Forward move within the app, reload keeps the screen and
// a copied address opens the same place (after sign-in, when signed out). A screen reads
// where it is with routes::current() (segments: what inside the screen, decoded). The app
// follows the router each frame; views never touch the address bar themselves.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "views/views.hpp"

namespace loyalty::console {

// [SECTION] Routes and their addresses ------------------------------------------------------
struct Route {
  Screen screen = Screen::overview;
  std::vector<std::string> segments;   // what in the screen: {"M0000123"}, {"tiers"}; decoded
  bool operator==(const Route& other) const = default;
};
std::string_view screen_path(Screen screen);              // "members", "program"; "" for the overview
std::string route_address(const Route& route);           // "#/members/M0000123" (segments encoded)
// nullopt for an address that is no screen of the console ("#/nowhere", "#top").
std::optional<Route> parse_route_address(std::string_view address);

namespace routes {

// [SECTION] The router ---------------------------------------------------------------------
void start();                         // reads the page's address (App's constructor)
// Each frame, before drawing: true when the address changed outside the app (Back,
// Forward, a link typed or clicked); current() is then the new route.
bool follow_address();
const Route& current();
void open(const Route& route);        // a new history entry; nothing when already there
void replace(const Route& route);     // the same entry, corrected (an unknown address)

// [SECTION] Drafts ------------------------------------------------------------------------------
// Small texts a form keeps for this tab (sessionStorage), so that a reload keeps what was
// typed; `form` names the form ("preview"), `field` the field ("amount_vnd").
std::optional<std::string> load_draft(std::string_view form, std::string_view field);
void save_draft(std::string_view form, std::string_view field, std::string_view value);

}  // namespace routes
}  // namespace loyalty::console
