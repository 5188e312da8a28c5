// local_store.hpp: the offline demo's own controls, beside the Backend every screen uses.
//
// Only the app's banner reaches these (reset to the demo, how many changes are kept); no
// screen does, so screens stay unaware of the mode. The benchmark reads the runner.
#pragma once
#include <cstddef>

#include "backend/backend.hpp"

namespace loyalty {
class CommandRunner;
}

namespace loyalty::console {

class LocalStore {
 public:
  virtual ~LocalStore() = default;
  virtual void reset_to_demo() = 0;              // forgets the user's changes
  virtual std::size_t changes_kept() const = 0;  // the user's accepted writes, replayed at start
  virtual bool demo_missing() const = 0;         // the site has no demo_store.jsonl
  virtual const CommandRunner* runner() const = 0;   // nullptr until the demo is loaded
};

// The demo's controls when `backend` is the in-page one; nullptr when connected.
LocalStore* local_store_of(Backend& backend);

}  // namespace loyalty::console
