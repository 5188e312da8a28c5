// program_views.hpp: the store owner's program screen: the rule preview, the editor and
// the versions.
//
// [SECTION] The editor's state
// [SECTION] The program screen
//
// The editor keeps the draft as the program configuration document itself
// (docs/commands.md), and what is typed into each numeric field as typed. Every keystroke
// puts the value into the draft and the core's own reader (read_program_config) checks the
// whole document, so the messages under the fields are the ones the server would give.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backend/backend.hpp"
#include "demo_program.hpp"
#include "views/staff_text.hpp"

namespace loyalty::console {

struct ViewRequest;
struct ModeSummary;
struct WalletTiersView;

// [SECTION] The editor's state -----------------------------------------------------------------
struct ProgramEditor {
  Json draft;                                  // the document being edited
  std::map<std::string, std::string> typed;    // field path -> text as typed
  std::vector<FieldError> problems;            // the core's, for the draft as it stands
  std::string checked_draft;                   // the draft the problems are for
  std::optional<ProgramConfig> config;         // the draft read, when it has no problem
  Ticket save_ticket = 0;
  std::optional<BackendReply> save_reply;
  Ticket impact_ticket = 0;
  Json impact;                                 // program_impact's data for `impact_draft`
  std::string impact_draft;
  std::optional<BackendReply> impact_refusal;
  std::string example_amount_vnd = "1000000";  // the inline example's order
  std::string import_text;                     // JSON pasted to import
  std::vector<std::string> import_problems;    // why the last import changed nothing
  std::string imported_from;                   // the file the draft was last loaded from
  std::uint32_t file_choice = 0;               // the file chooser is open (platform_files.hpp)
  bool reload_draft = false;                   // saved: the draft becomes the new version
};

// [SECTION] The program screen -------------------------------------------------------------------
struct ProgramView {
  enum class Tab : std::uint8_t { preview, edit, versions };
  // `preview` is the calculator of the rule preview; `fallback` its program until the
  // store's has come.
  ViewRequest draw(Ui& ui, Backend* backend, const ModeSummary& mode, WalletTiersView& preview,
                   const DemoProgram& fallback);
  // The draft differs from the version in force: leaving asks first.
  bool has_unsaved_changes() const;
  void discard_changes();

  Tab tab = Tab::preview;
  std::uint64_t data_generation = UINT64_MAX;
  Ticket program_ticket = 0;
  Json in_force;                               // get_program's data: version, program
  std::optional<DemoProgram> program;          // the program in force, for the preview
  ProgramEditor editor;
  Ticket versions_ticket = 0;
  Json versions;                               // [{version, effective_from, program}]
  std::optional<std::size_t> open_version;     // index into versions, read-only
};

}  // namespace loyalty::console
