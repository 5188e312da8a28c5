// audit_log_view.cpp: the owner's audit log: when (in the store's zone), who, what, and the
// reason staff gave, newest first, a page at a time.
//
// The server pages the log oldest first by cursor (GET /audit-log?after=); the view follows
// the cursors to the end, then shows the newest entries first, 20 to a page.
#include <algorithm>
#include <string>

#include "views/owner_text.hpp"
#include "views/owner_views.hpp"
#include "views/views.hpp"

namespace loyalty::console {
namespace {

constexpr int rows_per_page = 20;
constexpr std::size_t entries_kept_max = 10000;   // a bound on what one page of the browser holds

std::string who_of(const Ui& ui, const std::string& actor) {
  // "staff:an@shop.vn", "key:7:pos-quay-1" (server/auth/principal.hpp).
  if (actor.rfind("staff:", 0) == 0) return actor.substr(6);
  if (actor.rfind("key:", 0) == 0) {
    const std::size_t name_start = actor.find(':', 4);
    return fill(say(ui, phrases::audit_key_actor), {{"{name}", name_start == std::string::npos ? actor : actor.substr(name_start + 1)}});
  }
  return actor;
}

// The action in words; an action the console has no words for, as the server names it.
std::string action_text(const Ui& ui, const std::string& action) {
  for (const Phrase* phrase : {&phrases::audit_points_adjusted, &phrases::audit_pending_released, &phrases::audit_pending_cancelled,
                               &phrases::audit_member_updated, &phrases::audit_member_blocked, &phrases::audit_member_unblocked,
                               &phrases::audit_tier_assigned, &phrases::audit_program_saved, &phrases::audit_staff_created,
                               &phrases::audit_staff_role_changed, &phrases::audit_staff_removed, &phrases::audit_api_key_created,
                               &phrases::audit_api_key_revoked}) {
    if (phrase->id == action) return std::string(say(ui, *phrase));
  }
  return action;
}

AuditLogRow row_of(const Ui& ui, const Json& entry, const TimeZone& zone) {
  AuditLogRow row;
  const std::string recorded_at = json_text(entry, "recorded_at");
  const std::optional<UtcSeconds> time = parse_utc_time(recorded_at);
  row.when = time ? format_local_date_time(*time, zone) : recorded_at;
  row.who = who_of(ui, json_text(entry, "actor"));
  row.what = action_text(ui, json_text(entry, "action"));
  const std::string target = json_text(entry, "target");
  if (!target.empty()) row.what += " · " + target;
  // Corrections carry the reason staff typed in their request.
  if (entry.contains("after") && entry["after"].is_object() && entry["after"].contains("request")) {
    const Json& request = entry["after"]["request"];
    row.reason = json_text(request, "reason");
    if (request.contains("points") && request["points"].is_number_integer()) {
      const std::int64_t points = request["points"].get<std::int64_t>();
      row.what += " · " + std::string(points > 0 ? "+" : "") + points_text(points, ui);
    }
  }
  return row;
}

void draw_rows(Ui& ui, const std::vector<AuditLogRow>& rows) {
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("##audit_log", 4, flags)) return;
  ImGui::TableSetupColumn(say(ui, phrases::audit_column_when).data(), ImGuiTableColumnFlags_WidthStretch, 1.3f);
  ImGui::TableSetupColumn(say(ui, phrases::audit_column_who).data(), ImGuiTableColumnFlags_WidthStretch, 1.6f);
  ImGui::TableSetupColumn(say(ui, phrases::audit_column_what).data(), ImGuiTableColumnFlags_WidthStretch, 2.4f);
  ImGui::TableSetupColumn(say(ui, phrases::audit_column_reason).data(), ImGuiTableColumnFlags_WidthStretch, 2.0f);
  ImGui::TableHeadersRow();
  for (std::size_t index = 0; index < rows.size(); ++index) {
    const AuditLogRow& row = rows[index];
    const std::string prefix = "audit_row_" + std::to_string(index) + "_";
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ui.label_text(prefix + "when", row.when, ui.fonts().small, palette::text_muted);
    ImGui::TableNextColumn();
    ui.label_text(prefix + "who", row.who, ui.fonts().body, palette::text, true);
    ImGui::TableNextColumn();
    ui.label_text(prefix + "what", row.what, ui.fonts().body, palette::text, true);
    ImGui::TableNextColumn();
    ui.label_text(prefix + "reason", row.reason.empty() ? "—" : row.reason, ui.fonts().body, palette::text, true);
  }
  ImGui::EndTable();
}

}  // namespace

void AuditLogView::draw(Ui& ui, Backend& backend) {
  draw_screen_heading(ui, screen_title(Screen::audit_log), screen_description(Screen::audit_log));
  if (!backend.permissions().read_audit_log) {
    say_label(ui, phrases::owner_not_allowed, ui.fonts().body, palette::text_muted, true);
    return;
  }
  if (!zone && zone_ticket == 0) zone_ticket = backend.get_program();
  if (zone_ticket != 0) {
    if (std::optional<BackendReply> reply = backend.take(zone_ticket)) {
      zone_ticket = 0;
      const Json program = reply->ok() && reply->data.contains("program") ? reply->data["program"] : Json::object();
      zone = time_zone_from_name(json_text(program, "time_zone")).value_or(TimeZone{});
    }
  }
  if (page_ticket != 0) {
    if (std::optional<BackendReply> reply = backend.take(page_ticket)) {
      page_ticket = 0;
      if (!reply->ok()) {
        refusal = std::move(reply);
      } else {
        refusal.reset();
        const Json& data = reply->data;
        if (data.contains("entries") && data["entries"].is_array()) {
          for (const Json& entry : data["entries"]) entries.push_back(entry);
        }
        // The rest of the log, page after page, up to what a page of the browser holds.
        const std::string next = json_text(data, "next_cursor");
        if (data.value("has_more", false) && !next.empty() && entries.size() < entries_kept_max) {
          page_ticket = backend.audit_log(next);
        }
      }
    }
  }
  const bool refresh = say_button(ui, phrases::refresh);
  if ((refresh || data_generation != backend.data_generation()) && page_ticket == 0) {
    data_generation = backend.data_generation();
    entries = Json::array();
    page = 0;
    page_ticket = backend.audit_log("");
  }
  ImGui::Dummy(ImVec2(0, 4));
  if (refusal) {
    draw_problem(ui, "audit_refusal", say(ui, refusal->message));
    return;
  }
  if (page_ticket != 0 || !zone) {
    say_label(ui, phrases::loading, ui.fonts().body, palette::text_muted);
    return;
  }
  ui.publish_state("audit.entries", std::to_string(entries.size()));
  if (entries.empty()) {
    say_label(ui, phrases::audit_empty, ui.fonts().body, palette::text_muted);
    return;
  }
  const int count = static_cast<int>(entries.size());
  const int pages = (count + rows_per_page - 1) / rows_per_page;
  page = std::clamp(page, 0, pages - 1);
  std::vector<AuditLogRow> rows;
  for (int index = count - 1 - page * rows_per_page; index >= 0 && static_cast<int>(rows.size()) < rows_per_page; --index) {
    rows.push_back(row_of(ui, entries[static_cast<std::size_t>(index)], *zone));
  }
  ui.label_text(phrases::audit_page.id,
                fill(say(ui, phrases::audit_page), {{"{page}", std::to_string(page + 1)}, {"{pages}", std::to_string(pages)},
                                                    {"{count}", std::to_string(count)}}),
                ui.fonts().small, palette::text_muted);
  draw_rows(ui, rows);
  ImGui::Dummy(ImVec2(0, 4));
  if (say_button(ui, phrases::audit_newer, false, page > 0)) --page;
  ImGui::SameLine();
  if (say_button(ui, phrases::audit_older, false, page + 1 < pages)) ++page;
}

}  // namespace loyalty::console
