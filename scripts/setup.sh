#!/usr/bin/env bash
# Installs every dependency of the project on a Debian 12 machine, idempotently.
# A second run on a ready machine only checks and takes seconds.
#   - Debian packages (compilers, Emscripten, libraries, fonts and fontTools, Chromium)
#   - SDL2 and Dear ImGui sources from Debian's source packages
#   - SDL2 built for wasm once, cached outside the checkout, keyed by version
#   - playwright-core from npm, from the committed lock file
set -euo pipefail

repo_dir=$(cd "$(dirname "$0")/.." && pwd)
cache_dir=${LOYALTY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/loyalty}
export NODE_PATH=/usr/share/nodejs

step() { printf '\n==> setup: %s\n' "$*"; }
fail() { printf '\nsetup FAILED at step "%s": %s\n' "$current_step" "$*" >&2; exit 1; }
current_step="start"
trap 'rc=$?; [ $rc -ne 0 ] && printf "\nsetup FAILED at step \"%s\" (exit %s). Read the output above for the cause.\n" "$current_step" "$rc" >&2' EXIT

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

debian_packages=(
  build-essential cmake pkg-config git ca-certificates dpkg-dev
  emscripten
  nlohmann-json3-dev doctest-dev libcpp-httplib-dev libsqlite3-dev libsodium-dev
  fonts-noto-core fonts-dejavu-core fonttools
  chromium
  sqlite3 clang libclang-rt-14-dev wrk
)

# ---------------------------------------------------------------------------
current_step="Debian packages"
step "$current_step"
missing=()
for package in "${debian_packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -q || fail "apt-get update failed (is the Debian archive reachable?)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
    || fail "apt-get install ${missing[*]} failed"
else
  echo "all ${#debian_packages[@]} packages present"
fi

# ---------------------------------------------------------------------------
current_step="Debian source packages (SDL2, Dear ImGui)"
step "$current_step"
mkdir -p "$cache_dir"
sdl_source_dir="$cache_dir/sources/sdl2"
imgui_source_dir="$cache_dir/sources/imgui"
fetch_source() { # name, destination: unpacks `apt-get source name` into destination
  local name=$1 destination=$2
  if [ -f "$destination/.complete" ]; then echo "$name sources cached in $destination"; return; fi
  if [ ! -f /etc/apt/sources.list.d/loyalty-deb-src.sources ]; then
    echo "enabling deb-src lines"
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
      | as_root tee /etc/apt/sources.list.d/loyalty-deb-src.sources >/dev/null
    as_root apt-get update -q || fail "apt-get update with deb-src failed"
  fi
  local work_dir
  work_dir=$(mktemp -d)
  (cd "$work_dir" && apt-get source -q --download-only "$name" >/dev/null && dpkg-source -x --no-check ./*.dsc unpacked >/dev/null) \
    || fail "apt-get source $name failed"
  rm -rf "$destination"
  mkdir -p "$(dirname "$destination")"
  mv "$work_dir/unpacked" "$destination"
  rm -rf "$work_dir"
  touch "$destination/.complete"
  echo "$name sources unpacked into $destination"
}
fetch_source libsdl2 "$sdl_source_dir"
fetch_source imgui "$imgui_source_dir"

# ---------------------------------------------------------------------------
current_step="Emscripten version"
step "$current_step"
expected_emcc=$(tr -d ' \n' < "$repo_dir/emsdk-version.txt")
actual_emcc=$(emcc --version 2>/dev/null | sed -n '1s/.* \([0-9][0-9.]*\) .*/\1/p;1s/.* \([0-9][0-9.]*\)$/\1/p' | head -1)
[ "$actual_emcc" = "$expected_emcc" ] \
  || fail "emcc is $actual_emcc but emsdk-version.txt says $expected_emcc: install emscripten $expected_emcc or update emsdk-version.txt"
echo "emcc $actual_emcc matches emsdk-version.txt"

# ---------------------------------------------------------------------------
current_step="SDL2 for wasm"
step "$current_step"
sdl_version=$(sed -n 's/^Version: //p' "$sdl_source_dir"/debian/../*.dsc 2>/dev/null | head -1 || true)
[ -n "$sdl_version" ] || sdl_version=$(cd "$sdl_source_dir" && dpkg-parsechangelog -S Version)
# Built lean for the console, which uses only SDL's window, events and WebGL context: no
# software blitters, RLE, YUV or software renderer (SDL_LEAN_AND_MEAN), no audio, renderer,
# haptic, sensor, power, HIDAPI, locale, filesystem or loadso subsystems, optimised for size.
# That takes about 250 KB off the console's wasm. The options are part of the cache's name.
sdl_flavour=lean1
sdl_prefix="$cache_dir/sdl2-wasm/$sdl_version-emcc$actual_emcc-$sdl_flavour"
if [ -f "$sdl_prefix/lib/libSDL2.a" ]; then
  echo "SDL2 $sdl_version for wasm ($sdl_flavour) cached in $sdl_prefix"
else
  echo "building SDL2 $sdl_version for wasm (about 4 minutes on 2 cores, once)"
  sdl_build_dir=$(mktemp -d)
  (cd "$sdl_build_dir" \
    && emcmake cmake "$sdl_source_dir" -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF \
         -DCMAKE_BUILD_TYPE=MinSizeRel -DCMAKE_C_FLAGS=-DSDL_LEAN_AND_MEAN=1 \
         -DSDL_AUDIO=OFF -DSDL_RENDER=OFF -DSDL_HAPTIC=OFF -DSDL_SENSOR=OFF -DSDL_POWER=OFF \
         -DSDL_HIDAPI=OFF -DSDL_LOCALE=OFF -DSDL_FILESYSTEM=OFF -DSDL_LOADSO=OFF \
         -DCMAKE_INSTALL_PREFIX="$sdl_prefix.partial" >/dev/null \
    && emmake make -j"$(nproc)" install >/dev/null) || fail "building SDL2 for wasm failed (build folder kept: $sdl_build_dir)"
  rm -rf "$sdl_prefix" && mv "$sdl_prefix.partial" "$sdl_prefix"
  rm -rf "$sdl_build_dir"
  echo "SDL2 for wasm installed into $sdl_prefix"
fi
# A name of its own: worktrees still on the full build's "current" keep working beside it.
ln -sfn "$sdl_prefix" "$cache_dir/sdl2-wasm/$sdl_flavour"
ln -sfn "$imgui_source_dir" "$cache_dir/imgui-current"

# ---------------------------------------------------------------------------
current_step="browser test tools (npm)"
step "$current_step"
e2e_dir="$repo_dir/tests/e2e"
lock_stamp="$e2e_dir/node_modules/.lock-sha256"
lock_hash=$(sha256sum "$e2e_dir/package-lock.json" | cut -d' ' -f1)
if [ -f "$lock_stamp" ] && [ "$(cat "$lock_stamp")" = "$lock_hash" ]; then
  echo "node_modules matches package-lock.json"
else
  (cd "$e2e_dir" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in tests/e2e failed"
  echo "$lock_hash" > "$lock_stamp"
fi

current_step="done"
step "ready (cache: $cache_dir)"
