#!/usr/bin/env bash
# Builds Phapa in release mode and serves it on http://127.0.0.1:3000 with SQLite at
# ./data/phapa.db (created, migrated and loaded with demo data on first start).
# Environment: DATABASE_URL, LEPTOS_SITE_ADDR, PHAPA_DEMO (default 1 here) override the defaults.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_build
cd "$ROOT"
say "building (release)"
build_release
export LEPTOS_SITE_ROOT="$ROOT/target/site"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export DATABASE_URL="${DATABASE_URL:-sqlite://data/phapa.db}"
export PHAPA_DEMO="${PHAPA_DEMO:-1}"
say "starting; stop with Ctrl-C"
exec "$CARGO_TARGET_DIR/release/server" serve
