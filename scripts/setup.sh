#!/usr/bin/env bash
# Installs what building and testing Phapa needs, idempotently, on a machine that has only
# rustup/cargo, node/npm and apt. Sourced by scripts/run.sh and scripts/test.sh.
#
#   setup_build   the toolchain and the site's prebuilt tools from npm (wasm-opt, esbuild, lightningcss)
#   build_release the server and the site (target/site), both release builds, side by side
#   setup_browser Debian's Chromium and Thai fonts, Playwright and axe-core (never a downloaded browser)
#   setup_postgres a running PostgreSQL on 127.0.0.1:5432 (prints its admin URL)
#
# Pinned versions live here and in rust-toolchain.toml, scripts/package.json, end2end/package.json.

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
  local bin
  for bin in wasm-opt esbuild lightningcss; do
    if [ ! -x "$ROOT/scripts/node_modules/.bin/$bin" ]; then
      say "installing the site's tools from npm: wasm-opt, esbuild, lightningcss (once)"
      npm ci --prefix "$ROOT/scripts" --no-audit --no-fund --loglevel=error
      break
    fi
  done
}

# The environment cargo-leptos 0.3.11 gave both builds (src/config/project.rs, `to_envs`, from
# Cargo.toml's metadata): the same values whatever the environment says at run time, so a warm
# target folder stays fresh and the server finds its site where it always did.
leptos_env() {
  export LEPTOS_OUTPUT_NAME=phapa LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
  export LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=app LEPTOS_BIN_DIR=server
  export LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=false
}

# Builds the server and the site side by side: the server's release build is the longest single
# step, and the site's steps (its own WASM build, the packager, wasm-opt on one core at a time)
# fill the other core. Without cargo-leptos: `build_front` does what it did for this project.
build_release() {
  (leptos_env; exec cargo build --package=server --bin=server --no-default-features --release) &
  local server=$!
  if ! build_front; then
    kill_tree "$server"
    wait "$server" 2>/dev/null || true
    return 1
  fi
  wait "$server" || return 1
  say "server built"
}

# The release site in target/site, built in target/site.new and then put in place whole:
# - the app's WASM (`wasm-release`: size-optimised, LTO), linked with its relocations so that
#   xtask can split every `#[island(lazy)]` into a chunk of its own (staff pages), then
#   wasm-bindgen's glue (xtask/src/main.rs); xtask is compiled beside the WASM build;
# - wasm-opt -Oz on every module, two at a time;
# - the glue minified by esbuild, style/main.css by lightningcss for the `defaults` browsers;
# - public/ copied in, and gzip (`gzip -9`) and brotli copies of every file beside it (served
#   as they are, no compression per request; browsers on plain HTTP ask only for gzip).
build_front() {
  local tool_dir="$CARGO_TARGET_DIR/tool" front_dir="$CARGO_TARGET_DIR/front"
  local site="$ROOT/target/site" next="$ROOT/target/site.new"
  say "building the site: WASM and its packager (xtask)"
  cargo build --package=xtask --profile=tool --target-dir="$tool_dir" --quiet &
  local tool=$!
  if ! (leptos_env
        export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-Clink-args=--emit-relocs"
        exec cargo build --package=app --lib --target-dir="$front_dir" \
          --target=wasm32-unknown-unknown --no-default-features --features=hydrate \
          --profile=wasm-release); then
    kill_tree "$tool"
    wait "$tool" 2>/dev/null || true
    return 1
  fi
  wait "$tool" || return 1
  rm -rf "$next"
  mkdir -p "$next/pkg"
  cp -R "$ROOT/public/." "$next/"
  say "splitting the lazy islands, wasm-bindgen"
  "$tool_dir/tool/xtask" front --wasm "$front_dir/wasm32-unknown-unknown/wasm-release/app.wasm" \
    --out-dir "$next/pkg" --name phapa || return 1
  say "wasm-opt on $(ls "$next"/pkg/*.wasm | wc -l) modules"
  # wasm-opt warns about every module's name section (a subsection it does not know); its
  # output is shown only when it fails.
  find "$next/pkg" -name '*.wasm' -print0 | xargs -0 -P 2 -I{} sh -c \
    'out=$(wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$1" -o "$1" 2>&1) ||
       { printf "%s\n" "$out" >&2; exit 1; }' wasm-opt {} || return 1
  # The glue imports the splitter's loader once per lazy island, all into one object under the
  # same key (the same module each time): esbuild's warning about those keys is silenced.
  esbuild "$next/pkg/phapa.js" --minify --format=esm --log-level=warning \
    --log-override:duplicate-object-key=silent --allow-overwrite --outfile="$next/pkg/phapa.js" || return 1
  lightningcss --minify --targets defaults "$ROOT/style/main.css" -o "$next/pkg/phapa.css" || return 1
  find "$next" -type f ! -name '*.gz' ! -name '*.br' -exec gzip -9 -n -k -f {} + || return 1
  node "$ROOT/scripts/precompress.mjs" "$next" || return 1
  rm -rf "$site"
  mv "$next" "$site"
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
