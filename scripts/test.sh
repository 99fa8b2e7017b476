#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (server, xtask and wasm), unit and property tests,
# storage and HTTP tests on SQLite and PostgreSQL, and, against the release build on both
# databases, the browser tests in Chromium and the open-data contract test (schemathesis).
#
# Under CI (CI=true) a missing PostgreSQL or Chromium fails the run. Elsewhere the run says
# clearly that it skipped them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
started=$(date +%s)
skipped=()
results="$(mktemp)"
# Runs a test step, keeping its output to count what passed.
counted() { "$@" 2>&1 | tee -a "$results"; }
trap 'rm -f "$results"' EXIT
in_ci() { [ "${CI:-}" = "true" ] || [ "${CI:-}" = "1" ]; }

setup_build

say "formatting"
cargo fmt --all -- --check

say "clippy: server and its tests"
cargo clippy -p server -p app --features app/ssr --all-targets -- -D warnings
say "clippy: the site packager (xtask)"
cargo clippy -p xtask --all-targets -- -D warnings
say "clippy: wasm build"
cargo clippy -p app --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

say "unit and property tests"
counted cargo test -p app --features ssr

if PG_URL="$(setup_postgres)"; then
  export PHAPA_TEST_POSTGRES="$PG_URL" PHAPA_REQUIRE_POSTGRES=1
  engines=(sqlite postgres)
elif in_ci; then
  die "PostgreSQL is not available; CI must test on it"
else
  say "SKIPPING PostgreSQL: none could be started (CI would fail here)"
  skipped+=("PostgreSQL")
  engines=(sqlite)
fi

say "storage and HTTP tests (${engines[*]})"
counted cargo test -p server

browser=1
if ! (setup_browser); then
  in_ci && die "Chromium could not be installed; CI must run the browser tests"
  say "SKIPPING browser tests: Chromium could not be installed"
  skipped+=("browser tests")
  browser=0
fi
contract=1
if ! (setup_schemathesis >/dev/null); then
  in_ci && die "schemathesis could not be installed; CI must run the open-data contract test"
  say "SKIPPING the open-data contract test: schemathesis could not be installed"
  skipped+=("open-data contract test")
  contract=0
fi

if [ "$browser" = 1 ] || [ "$contract" = 1 ]; then
  say "release build for the browser and contract tests"
  build_release
  work="$(mktemp -d)"
  server_pid=""
  cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    [ -n "${pg_db:-}" ] && psql "$PHAPA_TEST_POSTGRES" -qc "drop database if exists $pg_db with (force)" >/dev/null 2>&1 || true
    rm -rf "$work" "$results"
  }
  trap cleanup EXIT
  port=$((20000 + RANDOM % 20000))
  for engine in "${engines[@]}"; do
    if [ "$engine" = postgres ]; then
      pg_db="phapa_e2e_$RANDOM$RANDOM"
      psql "$PHAPA_TEST_POSTGRES" -qc "create database $pg_db" >/dev/null
      db_url="${PHAPA_TEST_POSTGRES%/*}/$pg_db"
    else
      db_url="sqlite://$work/e2e.db"
    fi
    # The browser tests play many donors from one machine, each named by the address a proxy
    # would forward (desk.spec.ts), so the server trusts X-Forwarded-For as it does behind one.
    DATABASE_URL="$db_url" PHAPA_DEMO=1 PHAPA_TRUST_PROXY=1 LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$ROOT/target/site" \
      "$CARGO_TARGET_DIR/release/server" serve >"$work/server-$engine.log" 2>&1 &
    server_pid=$!
    if ! wait_healthy "http://127.0.0.1:$port" 60; then
      cat "$work/server-$engine.log" >&2
      die "the server did not become healthy on $engine"
    fi
    if [ "$browser" = 1 ]; then
      say "browser tests on $engine"
      (cd end2end && PHAPA_BASE_URL="http://127.0.0.1:$port" counted npx playwright test) || {
        tail -n 50 "$work/server-$engine.log" >&2
        die "browser tests failed on $engine"
      }
    fi
    if [ "$contract" = 1 ]; then
      say "open-data contract (schemathesis) on $engine"
      counted bash scripts/api/contract.sh "http://127.0.0.1:$port" || {
        tail -n 50 "$work/server-$engine.log" >&2
        die "the open-data contract failed on $engine"
      }
    fi
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
    if [ "$engine" = postgres ]; then
      psql "$PHAPA_TEST_POSTGRES" -qc "drop database if exists $pg_db with (force)" >/dev/null; pg_db=""
    fi
  done
fi

say "production set-up: the systemd unit, the Caddy configuration, the environment file"
if [ -x "$CARGO_TARGET_DIR/release/server" ]; then
  bash scripts/deploy/check.sh "$CARGO_TARGET_DIR/release/server"
elif in_ci; then
  die "no release build to check the production set-up with"
else
  say "SKIPPING the production set-up check: no release build"
  skipped+=("production set-up check")
fi

cargo_passed=$(grep -oE '^test result: ok\. [0-9]+ passed' "$results" | awk '{n += $4} END {print n + 0}')
browser_passed=$(grep -oE '^ +[0-9]+ passed \(' "$results" | awk '{n += $1} END {print n + 0}')
contract_cases=$(grep -oE '^ +[0-9]+ generated, [0-9]+ passed' "$results" | awk '{n += $3} END {print n + 0}')
say "all tests passed in $(( $(date +%s) - started )) s: $cargo_passed Rust tests, $browser_passed browser tests, $contract_cases open-data contract cases"
echo "all: $((cargo_passed + browser_passed)) passed, 0 failed"
if [ ${#skipped[@]} -gt 0 ]; then
  say "SKIPPED: ${skipped[*]}"
fi
