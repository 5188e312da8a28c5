#include "server/auth/principal.hpp"

#include <algorithm>
#include <array>

namespace loyalty::server::auth {
namespace {

// The role matrix (also in README.md, "Staff, roles and API keys"). One row per
// permission; "key scope" is the API-key scope that grants it.
//
//   permission        owner  marketing  support  key scope
//   read_program        x        x         x
//   write_program       x        x
//   read_members        x                  x      lookups (the till reads the profile it found)
//   write_members       x                  x
//   lookup_members      x                  x      lookups
//   adjust_points       x                  x
//   orders              x                         orders
//   holds               x                         holds
//   read_liability      x
//   read_insights       x        x
//   manage_groups       x        x
//   manage_campaigns    x        x
//   claim_vouchers      x                  x      vouchers
//   check_vouchers      x                  x      orders, vouchers
//   manage_notifications x       x
//   read_audit_log      x
//   manage_staff        x
//   manage_api_keys     x
//   manage_webhooks     x
//
// Why these choices:
// - support reads the program because it explains to a customer what an order earns;
//   marketing does not see members (the program only, until campaigns and groups need
//   segments, which will get their own permission).
// - liability is what the store owes its members, a figure for the owner and the
//   accountant (who signs in as an owner), not for the desk that looks members up.
// - marketing builds customer groups (the audiences of campaigns and notifications); a
//   group lists member ids, which is all marketing sees of members.
// - marketing writes the notifications and scenarios sent to those audiences; a delivery
//   names a member id and renders the member's name and points into the message, which is
//   what a push needs and no more.
// - marketing weighs program changes (impact, backtest) and reads the store's metrics,
//   which are counts and sums, never a member's details beyond a sample's names.
// - marketing runs voucher campaigns as it runs groups: their documents, statuses, print
//   runs and partner codes, never a member's balance.
// - support claims a voucher for a customer at the desk or on the phone and checks a code,
//   and cancels a claim (adjust_points: it gives points back, with a reason, audited). The
//   member app's backend claims with a `vouchers` key; a checkout checks a code before it
//   reports the order with an `orders` key (the order itself then uses the code).
// - order events and holds come from a checkout; staff do not type them in, so support
//   corrects points with an adjustment (which carries a reason and is audited) instead.
struct RoleRow {
  Permission permission;
  bool marketing;
  bool support;
  std::array<std::string_view, 2> key_scopes;  // empty: no API key may do this
};

constexpr std::array role_rows{
    RoleRow{Permission::read_program, true, true, {}},
    RoleRow{Permission::write_program, true, false, {}},
    RoleRow{Permission::read_members, false, true, {"lookups"}},
    RoleRow{Permission::write_members, false, true, {}},
    RoleRow{Permission::lookup_members, false, true, {"lookups"}},
    RoleRow{Permission::adjust_points, false, true, {}},
    RoleRow{Permission::orders, false, false, {"orders"}},
    RoleRow{Permission::holds, false, false, {"holds"}},
    RoleRow{Permission::read_liability, false, false, {}},
    RoleRow{Permission::read_insights, true, false, {}},
    RoleRow{Permission::manage_groups, true, false, {}},
    RoleRow{Permission::manage_campaigns, true, false, {}},
    RoleRow{Permission::claim_vouchers, false, true, {"vouchers"}},
    RoleRow{Permission::check_vouchers, false, true, {"orders", "vouchers"}},
    RoleRow{Permission::manage_notifications, true, false, {}},
    RoleRow{Permission::read_audit_log, false, false, {}},
    RoleRow{Permission::manage_staff, false, false, {}},
    RoleRow{Permission::manage_api_keys, false, false, {}},
    RoleRow{Permission::manage_webhooks, false, false, {}},
};

const RoleRow* row_for(Permission permission) {
  for (const RoleRow& row : role_rows) {
    if (row.permission == permission) return &row;
  }
  return nullptr;  // a permission added to the enum but not to the table: refused
}

}  // namespace

std::string_view role_name(Role role) {
  switch (role) {
    case Role::owner: return "owner";
    case Role::marketing: return "marketing";
    case Role::support: return "support";
  }
  return "support";
}

std::optional<Role> role_from_name(std::string_view name) {
  for (Role role : {Role::owner, Role::marketing, Role::support}) {
    if (role_name(role) == name) return role;
  }
  return std::nullopt;
}

std::string Principal::actor() const {
  if (kind == Kind::api_key) return "key:" + std::to_string(api_key_id) + ":" + api_key_name;
  return "staff:" + staff_email;
}

bool allows(const Principal& principal, Permission permission) {
  const RoleRow* row = row_for(permission);
  if (row == nullptr) return false;
  if (principal.kind == Principal::Kind::api_key) {
    return std::any_of(row->key_scopes.begin(), row->key_scopes.end(), [&](std::string_view scope) {
      return !scope.empty() && std::find(principal.scopes.begin(), principal.scopes.end(), scope) != principal.scopes.end();
    });
  }
  switch (principal.role) {
    case Role::owner: return true;
    case Role::marketing: return row->marketing;
    case Role::support: return row->support;
  }
  return false;
}

}  // namespace loyalty::server::auth
