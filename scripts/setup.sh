#!/usr/bin/env bash
# Installs what building and testing Phapa needs, idempotently, on a machine that has only
# rustup/cargo, node/npm and apt. Sourced by scripts/run.sh and scripts/test.sh.
#
#   setup_build   toolchain, cargo-leptos, wasm-bindgen-cli (matching Cargo.lock), wasm-opt
#   setup_browser Debian's Chromium and Thai fonts, Playwright and axe-core (never a downloaded browser)
#   setup_postgres a running PostgreSQL on 127.0.0.1:5432 (prints its admin URL)
#
# Pinned versions live here and in rust-toolchain.toml, scripts/package.json, end2end/package.json.

CARGO_LEPTOS_VERSION=0.3.11
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/phapa-target}"
# scripts/bin first: its wasm-opt runs the one npm installed in scripts/node_modules.
export PATH="$HOME/.cargo/bin:$ROOT/scripts/bin:$ROOT/scripts/node_modules/.bin:$PATH"

# Every message carries the minutes and seconds since the script started, so a slow step shows.
PHAPA_T0="${PHAPA_T0:-$(date +%s)}"
export PHAPA_T0
say() {
  local t=$(($(date +%s) - PHAPA_T0))
  printf '\033[1m==> [%d:%02d] %s\033[0m\n' $((t / 60)) $((t % 60)) "$*" >&2
}
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# Stops a process and everything it started (cargo-leptos, its cargo, their compilers).
kill_tree() {
  local child
  # Stopped first, so it cannot start another child while its children are being stopped.
  kill -STOP "$1" 2>/dev/null || return 0
  for child in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$child"; done
  kill "$1" 2>/dev/null || true
  kill -CONT "$1" 2>/dev/null || true
}

need() { command -v "$1" >/dev/null 2>&1 || die "$1 is required: $2"; }

apt_install() {
  local prefix=""
  [ "$(id -u)" -eq 0 ] || prefix="sudo"
  if [ ! -f /tmp/.phapa-apt-updated ]; then
    $prefix apt-get update -qq && touch /tmp/.phapa-apt-updated
  fi
  DEBIAN_FRONTEND=noninteractive $prefix apt-get install -y -qq "$@" >/dev/null
}

setup_build() {
  need rustup "install Rust from rustup.rs"
  need cargo "install Rust from rustup.rs"
  need npm "install Node.js and npm"
  need node "install Node.js and npm"
  cd "$ROOT"
  # rust-toolchain.toml names the toolchain; rustup here does not install it by itself.
  rustup toolchain install >/dev/null 2>&1 || rustup toolchain install
  local toolchain
  toolchain="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"

  local wbg
  wbg="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)"
  [ -n "$wbg" ] || die "Cargo.lock names no wasm-bindgen version"

  local need_leptos=0 need_bindgen=0
  [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" = "$CARGO_LEPTOS_VERSION" ] || need_leptos=1
  [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$wbg" ] || need_bindgen=1
  if [ "${PHAPA_PREBUILD_SERVER:-0}" = 1 ] && [ $((need_leptos + need_bindgen)) -gt 0 ]; then
    start_server_prebuild
  fi

  # The two tools build at the same time, each in a temporary folder of its own (in the shared
  # target folder they would take turns on its lock): each spends long stretches on one core (a
  # big crate, a link), so together they keep both cores busy. Both mostly wait on other
  # programs, so they are compiled without optimisation, with many codegen units and no LTO,
  # except the crates that do the heavy work inside them on every release build (brotli and gzip
  # of the site, splitting the WASM, reading and rewriting it for wasm-bindgen), which keep
  # opt-level 3: at level 0 those would be many times slower.
  local pids=() names=()
  if [ "$need_leptos" = 1 ]; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (once)"
    quick_install "$toolchain" cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" -- \
      brotli brotli-decompressor alloc-no-stdlib alloc-stdlib libflate libflate_lz77 adler32 \
      crc32fast dary_heap rle-decode-fast flate2 miniz_oxide wasm_split_cli_support wasmparser \
      wasm-encoder gimli &
    pids+=($!) names+=("cargo-leptos")
  fi
  if [ "$need_bindgen" = 1 ]; then
    say "installing wasm-bindgen-cli $wbg to match Cargo.lock (once)"
    # Not --locked: the registry here can lack a version its lockfile pins.
    quick_install "$toolchain" wasm-bindgen-cli --version "$wbg" -- \
      wasm-bindgen-cli-support walrus wasmparser wasm-encoder gimli id-arena leb128 leb128fmt \
      indexmap hashbrown serde_json base64 rustc-demangle &
    pids+=($!) names+=("wasm-bindgen-cli")
  fi
  local i
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      kill "${pids[@]}" 2>/dev/null || true
      die "installing ${names[$i]} failed"
    fi
    say "installed ${names[$i]}"
  done
  finish_server_prebuild

  if [ ! -f "$ROOT/scripts/node_modules/binaryen/bin/wasm-opt" ]; then
    say "installing wasm-opt (npm binaryen; Debian's is too old and breaks hydration)"
    npm ci --prefix "$ROOT/scripts" --no-audit --no-fund --loglevel=error
  fi
}

# `quick_install TOOLCHAIN CRATE ARGS… -- HOT… &` (in the background only: it ends in exec):
# `cargo install` at opt-level 0 (many codegen
# units, no LTO, no debug info) but for the HOT crates, which keep opt-level 3, in a temporary
# target folder of its own.
quick_install() {
  local toolchain="$1" args=() hot=()
  shift
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  local crate
  for crate in "$@"; do hot+=(--config "profile.release.package.$crate.opt-level=3"); done
  # exec: run in the background, its process is cargo's own, so a failed set-up can stop it.
  exec env -u CARGO_TARGET_DIR CARGO_PROFILE_RELEASE_LTO=false \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_OPT_LEVEL=0 \
    CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_INCREMENTAL=false \
    cargo "+$toolchain" "${hot[@]}" install "${args[@]}"
}

# A first run compiles the tools for minutes; the server's release build needs none of them, so
# run.sh (PHAPA_PREBUILD_SERVER=1) starts it beside them at the lowest priority, on what they
# leave idle (links, single-crate stretches). It uses the arguments and environment cargo-leptos
# gives it (cargo-leptos 0.3.11, src/config/project.rs and src/compile/server.rs), so
# cargo-leptos later finds it fresh. Only the server: its last two crates (app, server) compile
# one after the other for minutes, so it must be the one that has started early (compiling the
# WASM beside it too was measured slower to the first page: 23:50 against 22:35).
PHAPA_PREBUILD_PID=""
start_server_prebuild() {
  say "compiling the server (release) beside the tools, at low priority"
  mkdir -p "$CARGO_TARGET_DIR"
  (
    cd "$ROOT"
    export LEPTOS_OUTPUT_NAME="${LEPTOS_OUTPUT_NAME:-phapa}"
    export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
    export LEPTOS_SITE_PKG_DIR="${LEPTOS_SITE_PKG_DIR:-pkg}"
    export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
    export LEPTOS_RELOAD_PORT="${LEPTOS_RELOAD_PORT:-3001}"
    export LEPTOS_LIB_DIR=app LEPTOS_BIN_DIR=server LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=false
    exec setsid nice -n 19 \
      cargo build --package=server --bin=server --no-default-features --release
  ) >"$CARGO_TARGET_DIR/prebuild.log" 2>&1 &
  PHAPA_PREBUILD_PID=$!
  # Whatever ends this script early ends the prebuild too.
  trap 'stop_server_prebuild' EXIT
}
stop_server_prebuild() {
  [ -n "$PHAPA_PREBUILD_PID" ] || return 0
  kill -- "-$PHAPA_PREBUILD_PID" 2>/dev/null || true
  PHAPA_PREBUILD_PID=""
}
# With the tools in place the prebuild gets its normal priority back (only root may raise it; as
# anyone else it goes on at low priority). The release build waits for it on cargo's lock.
finish_server_prebuild() {
  [ -n "$PHAPA_PREBUILD_PID" ] || return 0
  renice --priority 0 --pgrp "$PHAPA_PREBUILD_PID" >/dev/null 2>&1 || true
}
# Once the release build is done the prebuild is over (cargo's lock saw to it): nothing to stop.
forget_server_prebuild() {
  [ -n "$PHAPA_PREBUILD_PID" ] || return 0
  trap - EXIT
  PHAPA_PREBUILD_PID=""
}

setup_browser() {
  if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
    say "installing Debian's Chromium"
    apt_install chromium || die "could not install chromium"
  fi
  # Thai glyphs for screenshots and Lighthouse; without them Thai renders as boxes.
  if ! dpkg-query -W -f='${Status}' fonts-thai-tlwg 2>/dev/null | grep -q 'ok installed'; then
    say "installing Debian's Thai fonts (fonts-thai-tlwg)"
    apt_install fonts-thai-tlwg || die "could not install fonts-thai-tlwg"
  fi
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] || [ ! -d "$ROOT/end2end/node_modules/@axe-core/playwright" ]; then
    say "installing Playwright and axe-core (without a browser download)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$ROOT/end2end" --no-audit --no-fund --loglevel=error
  fi
}

# Prints the admin URL of a running PostgreSQL, starting or installing it if needed.
# CI machines run one on 127.0.0.1:5432 with trust authentication. When this script installs
# PostgreSQL itself (Debian's default asks for a password over TCP), it gives the postgres role
# the password "phapa" so the tests can connect; an existing installation is never changed.
setup_postgres() {
  local url="${PHAPA_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
  local installed=0
  if ! command -v pg_isready >/dev/null 2>&1; then
    say "installing PostgreSQL"
    apt_install postgresql >&2 || return 1
    installed=1
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    say "starting PostgreSQL"
    local version
    version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)"
    [ -n "$version" ] || return 1
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || return 1
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 || return 1
  if ! psql "$url" -qtAc 'select 1' >/dev/null 2>&1; then
    if [ "$installed" = 1 ] && [ -z "${PHAPA_TEST_POSTGRES:-}" ]; then
      runuser -u postgres -- psql -qc "alter role postgres password 'phapa'" >&2 || return 1
      url="postgres://postgres:phapa@127.0.0.1:5432/postgres"
    fi
    if ! psql "$url" -qtAc 'select 1' >/dev/null 2>&1; then
      say "PostgreSQL runs but $url does not connect; set PHAPA_TEST_POSTGRES to an administrator URL"
      return 1
    fi
  fi
  echo "$url"
}

# Builds the release site with brotli and gzip copies of its files beside them (served as they
# are, no compression per request). cargo-leptos writes its gzip copies at a low level, so they are
# redone at level 9: browsers on plain HTTP ask only for gzip. `--split` gives every lazy island
# (staff pages) its own chunk; every build of the front end must pass it.
build_release() {
  # Front end and server side by side: cargo-leptos builds them one after the other when it
  # precompresses, and wasm-opt (npm's binaryen, one thread) leaves a core idle meanwhile.
  cargo leptos build --release --split --server-only &
  local server=$!
  if ! cargo leptos build --release --precompress --split --frontend-only; then
    kill_tree "$server"
    wait "$server" 2>/dev/null || true
    return 1
  fi
  wait "$server" || return 1
  local f
  for f in "$ROOT"/target/site/pkg/*.wasm "$ROOT"/target/site/pkg/*.js "$ROOT"/target/site/pkg/*.css; do
    gzip -9 -k -f "$f"
  done
}

# Waits until a server answers /healthz, or fails after $2 seconds.
wait_healthy() {
  local url="$1" seconds="${2:-60}"
  for _ in $(seq 1 "$seconds"); do
    curl -fsS "$url/healthz" >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}
