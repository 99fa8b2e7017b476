#!/usr/bin/env bash
# Installs what building and testing Phapa needs, idempotently, on a machine that has only
# rustup/cargo, node/npm and apt. Sourced by scripts/run.sh and scripts/test.sh.
#
#   setup_build   the toolchain and the site's prebuilt tools from npm (wasm-opt, esbuild, lightningcss)
#   build_release the server and the site (target/site), both release builds, side by side
#   setup_browser Debian's Chromium and Thai fonts, Playwright and axe-core (never a downloaded browser)
#   setup_postgres a running PostgreSQL on 127.0.0.1:5432 (prints its admin URL)
#
# Pinned versions live in rust-toolchain.toml, Cargo.lock (xtask's splitter and wasm-bindgen),
# scripts/package.json (wasm-opt, esbuild, lightningcss) and end2end/package.json.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/phapa-target}"
# The project's tools on PATH too (build_front calls them by their paths).
export PATH="$HOME/.cargo/bin:$ROOT/scripts/bin:$ROOT/scripts/node_modules/.bin:$PATH"

# Every message carries the minutes and seconds since the script started, so a slow step shows.
PHAPA_T0="${PHAPA_T0:-$(date +%s)}"
export PHAPA_T0
say() {
  local t=$(($(date +%s) - PHAPA_T0))
  printf '\033[1m==> [%d:%02d] %s\033[0m\n' $((t / 60)) $((t % 60)) "$*" >&2
}
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# Stops a process and everything it started (cargo and its compilers).
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
  need gzip "install gzip (Debian: apt-get install gzip)"
  cd "$ROOT"
  # rust-toolchain.toml names the toolchain; rustup here does not install it by itself.
  rustup toolchain install >/dev/null 2>&1 || rustup toolchain install
  # Installed again whenever scripts/package-lock.json changes (a copy of the one installed is
  # kept beside the tools).
  local stamp="$ROOT/scripts/node_modules/.phapa-installed-lock.json"
  if ! cmp -s "$ROOT/scripts/package-lock.json" "$stamp"; then
    say "installing the site's tools from npm: wasm-opt, esbuild, lightningcss"
    npm ci --prefix "$ROOT/scripts" --no-audit --no-fund --loglevel=error
    cp "$ROOT/scripts/package-lock.json" "$stamp"
  fi
}

# The environment cargo-leptos 0.3.11 gave both builds (src/config/project.rs, `to_envs`, from
# Cargo.toml's metadata): the same values whatever the environment says at run time, so a warm
# target folder stays fresh and the server finds its site where it always did.
leptos_env() {
  export LEPTOS_OUTPUT_NAME=phapa LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
  export LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=app LEPTOS_BIN_DIR=server
  export LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=false
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

# Installs schemathesis (the open-data contract test), pinned by scripts/api/requirements.txt,
# into a virtual environment of its own beside the target folder; again only when the pins
# change. Prints the environment's folder.
setup_schemathesis() {
  local venv="${CARGO_TARGET_DIR%/*}/phapa-schemathesis" pins="$ROOT/scripts/api/requirements.txt"
  if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    say "installing Python's venv (for schemathesis)" >&2
    apt_install python3 python3-venv >&2 || return 1
  fi
  if ! cmp -s "$pins" "$venv/.phapa-installed-pins" 2>/dev/null; then
    say "installing schemathesis (PyPI, pinned)" >&2
    rm -rf "$venv"
    python3 -m venv "$venv" >&2 || return 1
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$pins" >&2 || return 1
    cp "$pins" "$venv/.phapa-installed-pins"
  fi
  (cd "$venv" && pwd)
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

# Builds started in the background, stopped with the script when it is interrupted or fails: a
# plain `cmd &` in a script ignores Ctrl-C, and a TERM to the script reaches no child, so a
# background cargo would go on holding its lock. A job leaves the list once waited for, so its
# number, free for another process, is never signalled.
PHAPA_JOBS=()
background_started() {
  PHAPA_JOBS+=("$1")
  trap 'stop_background; exit 130' INT
  trap 'stop_background; exit 143' TERM
}
# `background_wait PID`: waits for a job started with background_started; its status.
background_wait() {
  local status=0 pid left=()
  wait "$1" || status=$?
  for pid in "${PHAPA_JOBS[@]}"; do [ "$pid" = "$1" ] || left+=("$pid"); done
  PHAPA_JOBS=("${left[@]}")
  return "$status"
}
stop_background() {
  local pid
  for pid in "${PHAPA_JOBS[@]}"; do
    kill_tree "$pid"
    wait "$pid" 2>/dev/null || true
  done
  PHAPA_JOBS=()
  trap - INT TERM
}

# Builds the server and the site side by side: the server's release build is the longest single
# step, and the site's steps (its own WASM build, the packager, wasm-opt) fill the other core.
# Without cargo-leptos: `build_front` does what it did for this project.
build_release() {
  (leptos_env; exec cargo build --package=server --bin=server --no-default-features --release) &
  local server=$!
  background_started "$server"
  if ! build_front; then
    stop_background
    return 1
  fi
  background_wait "$server" || { stop_background; return 1; }
  stop_background
  say "server built"
}

# A hash of everything the site is made from: the app's WASM, the packager, the stylesheet,
# public/, the npm tools as installed, precompress.mjs, the wasm-opt wrapper, Node and gzip, and
# build_front's own steps. Any file it cannot read fails it.
site_inputs() {
  {
    declare -f build_front &&
      sha256sum "$@" "$ROOT/style/main.css" "$ROOT/scripts/node_modules/.phapa-installed-lock.json" \
        "$ROOT/scripts/precompress.mjs" "$ROOT/scripts/bin/wasm-opt" &&
      (cd "$ROOT/public" && find -L . -type f -print0 | sort -z | xargs -0 sha256sum) &&
      node --version && gzip --version | head -n 1
  } | sha256sum | cut -d' ' -f1
}
# What the site folder holds (names, sizes and times): a site changed since it was built
# (by hand, or by another build into the same folder) is built again.
site_listing() {
  (cd "$1" && find . -type f -printf '%P %s %T@\n' | sort | sha256sum | cut -d' ' -f1)
}

# The release site in target/site, built in target/site.new and then put in place whole:
# - the app's WASM (`wasm-release`: size-optimised, LTO), linked with its relocations so that
#   xtask can split every `#[island(lazy)]` into a chunk of its own (staff pages), then
#   wasm-bindgen's glue (xtask/src/main.rs); xtask is compiled beside the WASM build;
# - wasm-opt -Oz on every module, two at a time;
# - the glue and the chunk loader minified by esbuild, style/main.css by lightningcss for the
#   `defaults` browsers;
# - public/ copied in, and gzip (`gzip -9`) and brotli copies of every file beside it (served
#   as they are, no compression per request; browsers on plain HTTP ask only for gzip).
# When nothing it is made from changed (target/site-inputs holds their hash), the site is kept:
# a build with no change takes seconds instead of wasm-opt's two minutes.
build_front() {
  local tool_dir="$CARGO_TARGET_DIR/tool" front_dir="$CARGO_TARGET_DIR/front"
  local site="$ROOT/target/site" next="$ROOT/target/site.new"
  say "building the site: WASM and its packager (xtask)"
  cargo build --package=xtask --profile=tool --target-dir="$tool_dir" --quiet &
  local tool=$!
  background_started "$tool"
  # RUSTFLAGS as cargo-leptos set it. Like any RUSTFLAGS, it makes cargo ignore `rustflags` in
  # .cargo/config.toml files (this project has none; cargo-leptos merged a user's in).
  if ! (leptos_env
        export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-Clink-args=--emit-relocs"
        exec cargo build --package=app --lib --target-dir="$front_dir" \
          --target=wasm32-unknown-unknown --no-default-features --features=hydrate \
          --profile=wasm-release); then
    return 1
  fi
  background_wait "$tool" || return 1
  # This clone's own copies: the target folder may be shared with other clones building now.
  local wasm="$ROOT/target/front/app.wasm" xtask="$ROOT/target/front/xtask"
  mkdir -p "$ROOT/target/front" || return 1
  cp "$front_dir/wasm32-unknown-unknown/wasm-release/app.wasm" "$wasm" || return 1
  cp "$tool_dir/tool/xtask" "$xtask" || return 1
  local inputs stamp="$ROOT/target/site-inputs"
  inputs="$(site_inputs "$wasm" "$xtask")" || return 1
  if [ -d "$site" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$inputs $(site_listing "$site")" ]; then
    say "site unchanged: the same WASM, packager, stylesheet, public/ and tools"
    return 0
  fi
  rm -f "$stamp" || return 1
  rm -rf "$next" || return 1
  mkdir -p "$next/pkg" || return 1
  cp -R "$ROOT/public/." "$next/" || return 1
  say "splitting the lazy islands, wasm-bindgen"
  "$xtask" front --wasm "$wasm" --out-dir "$next/pkg" --name phapa || return 1
  say "wasm-opt on $(ls "$next"/pkg/*.wasm | wc -l) modules"
  # wasm-opt warns about every module's name section (a subsection it does not know); its
  # output is shown only when it fails.
  # The project's own tools by their paths, whatever else PATH holds.
  local bin="$ROOT/scripts/node_modules/.bin"
  find "$next/pkg" -name '*.wasm' -print0 | xargs -0 -P 2 -I{} sh -c \
    'out=$("$0" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$1" -o "$1" 2>&1) ||
       { printf "%s\n" "$out" >&2; exit 1; }' "$ROOT/scripts/bin/wasm-opt" {} || return 1
  # Both scripts every page loads: the glue, and the splitter's chunk loader, which cargo-leptos
  # left as written (192,165 B, 7,753 B gzipped; minified 57,224 B, 5,000 B). The glue imports
  # the loader once per lazy island, all into one object under the same key (the same module
  # each time): esbuild's warning about those keys is silenced. Exported names never change.
  local js
  for js in "$next/pkg/phapa.js" "$next/pkg/__wasm_split".*.js; do
    [ -e "$js" ] || continue  # no loader when no island is lazy
    "$bin/esbuild" "$js" --minify --format=esm --log-level=warning \
      --log-override:duplicate-object-key=silent --allow-overwrite --outfile="$js" || return 1
  done
  "$bin/lightningcss" --minify --targets defaults "$ROOT/style/main.css" -o "$next/pkg/phapa.css" || return 1
  find "$next" -type f ! -name '*.gz' ! -name '*.br' -exec gzip -9 -n -k -f {} + || return 1
  node "$ROOT/scripts/precompress.mjs" "$next" || return 1
  rm -rf "$site" || return 1
  mv "$next" "$site" || return 1
  echo "$inputs $(site_listing "$site")" >"$stamp" || return 1
  say "site built: $(du -sh "$site" | cut -f1) in target/site"
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
