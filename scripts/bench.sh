#!/usr/bin/env bash
# What a crowd on the public pages gets, and what durable donations cost, measured side by side
# in one run on a release build, printed as a markdown table. Not part of scripts/test.sh.
#
# - A bare axum handler (server/examples/bare.rs) serves the exact bytes and headers of each
#   page, captured from the server with `Accept-Encoding: gzip`: the baseline.
# - For `/`, a real `/campaigns/{id}`, a real `/hospitals/{code}` and one of its `/units/{tag}`
#   of the demo: the maximum
#   req/s with p50/p99 (oha, 32 connections), then p99 at half that rate (oha -q, with latency
#   correction), and every non-2xx answer or error.
# - Durable donations/s over HTTP (16 clients, server/examples/durability.rs) beside the raw
#   SQLite WAL+FULL single-row commits/s on the same disk.
# - The public first-load WASM (gzip bytes on the wire, from end2end/tests/wasm-size.spec.ts).
#
# Environment:
#   PHAPA_BENCH_NO_BUILD=1      measure the build already in target/ (no cargo build)
#   PHAPA_BENCH_SERVER=PATH     also measure that server binary in the same run (e.g. main's),
#   PHAPA_BENCH_SITE_ROOT=DIR     with its site folder (default: this build's target/site)
#   PHAPA_BENCH_SECONDS=5       length of each load run
#   PHAPA_BENCH_CONNECTIONS=32  connections of each load run
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

OHA_VERSION=1.16.0
RUN_SECONDS="${PHAPA_BENCH_SECONDS:-5}"
CONNECTIONS="${PHAPA_BENCH_CONNECTIONS:-32}"
DONATIONS=1000
OTHER_SERVER="${PHAPA_BENCH_SERVER:-}"
OTHER_SITE="${PHAPA_BENCH_SITE_ROOT:-$ROOT/target/site}"

need curl "apt-get install curl"
need jq "apt-get install jq"
if [ "$(oha --version 2>/dev/null | awk '{print $2}')" != "$OHA_VERSION" ]; then
  say "installing oha $OHA_VERSION (the load generator; a few minutes, once)"
  env -u CARGO_TARGET_DIR cargo install oha --locked --version "$OHA_VERSION"
fi

if [ "${PHAPA_BENCH_NO_BUILD:-}" != 1 ]; then
  setup_build
  say "release build"
  build_release
  # With the release build's environment, so the server it built stays fresh.
  (leptos_env; exec cargo build --quiet --release -p server --example bare --example durability)
fi
THIS_SERVER="$CARGO_TARGET_DIR/release/server"
BARE="$CARGO_TARGET_DIR/release/examples/bare"
DURABILITY="$CARGO_TARGET_DIR/release/examples/durability"
for f in "$THIS_SERVER" "$BARE" "$DURABILITY"; do
  [ -x "$f" ] || die "$f is missing: run without PHAPA_BENCH_NO_BUILD=1"
done
if [ -n "$OTHER_SERVER" ] && [ ! -x "$OTHER_SERVER" ]; then
  die "PHAPA_BENCH_SERVER=$OTHER_SERVER is not an executable"
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { echo $((20000 + RANDOM % 20000)); }

# start_server NAME BINARY SITE_ROOT: a server on a fresh SQLite with the demo, at $URL.
start_server() {
  local name="$1" binary="$2" site="$3" port
  port="$(free_port)"
  mkdir -p "$work/$name"
  DATABASE_URL="sqlite://$work/$name/phapa.db" PHAPA_DEMO=1 LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    LEPTOS_SITE_ROOT="$site" "$binary" serve >"$work/$name/server.log" 2>&1 &
  pids+=($!)
  if ! wait_healthy "http://127.0.0.1:$port" 60 >/dev/null; then
    cat "$work/$name/server.log" >&2
    die "the $name server did not become healthy"
  fi
  URL="http://127.0.0.1:$port"
}

stop_last() {
  local pid="${pids[-1]}"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset 'pids[-1]'
}

# load OUT URL [oha options]: one run of oha, its JSON summary in OUT.
load() {
  local out="$1" url="$2"
  shift 2
  oha --no-tui --output-format json -z "${RUN_SECONDS}s" -c "$CONNECTIONS" \
    -H 'Accept-Encoding: gzip' "$@" "$url" >"$out"
}

rps() { jq -r '.summary.requestsPerSec' "$1"; }
ms() { jq -r --arg p "$2" '(.latencyPercentiles[$p] // 0) * 1000' "$1"; }
# Answers that were not 2xx, and requests that got no answer (errors other than the
# deadline's own aborts).
non_2xx() {
  jq -r '([.statusCodeDistribution | to_entries[] | select(.key | startswith("2") | not) | .value] | add // 0)
       + ([.errorDistribution | to_entries[] | select(.key | test("deadline") | not) | .value] | add // 0)' "$1"
}
fmt0() { printf "%'.0f" "$1"; }
fmt1() { printf "%.1f" "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

declare -A BASE_RPS
rows=()

# measure_pages LABEL URL: max rate and half rate of each page.
measure_pages() {
  local label="$1" url="$2" path max half
  for path in "${PAGES[@]}"; do
    say "$label $path: maximum rate"
    load "$work/max.json" "$url$path"
    max="$(rps "$work/max.json")"
    half="$(awk -v r="$max" 'BEGIN { printf "%d", r / 2 }')"
    say "$label $path: half rate ($half req/s)"
    load "$work/half.json" "$url$path" -q "$half" --latency-correction
    rows+=("| \`$path\` | $label | $(fmt0 "$max") | $(ratio "$max" "${BASE_RPS[$path]}") | $(fmt1 "$(ms "$work/max.json" p50)") | $(fmt1 "$(ms "$work/max.json" p99)") | $(fmt1 "$(ms "$work/half.json" p99)") | $(( $(non_2xx "$work/max.json") + $(non_2xx "$work/half.json") )) |")
  done
}

# durability LABEL URL: donations/s over HTTP ÷ raw WAL+FULL commits/s.
declare -a durable_rows
durability() {
  local label="$1" url="$2" line
  say "$label: durable donations over HTTP"
  line="$("$DURABILITY" --url "$url" --donations "$DONATIONS" --clients 16 | awk '$1 == "server"')"
  # mode donations seconds donations/s raw-commits/s ratio
  durable_rows+=("| $label | $(awk '{print $4}' <<<"$line") | $(awk '{print $5}' <<<"$line") | $(awk '{print $6}' <<<"$line") |")
}

# wasm_size LABEL URL: the largest public first-load WASM (gzip on the wire).
declare -a wasm_rows
wasm_size() {
  local label="$1" url="$2" report="$work/size-$1.json" why=""
  if [ ! -f end2end/tests/wasm-size.spec.ts ]; then
    why="end2end/tests/wasm-size.spec.ts is missing"
  elif ! (setup_browser) >/dev/null 2>&1; then
    why="Chromium or Playwright could not be installed"
  elif ! (cd end2end && PHAPA_BASE_URL="$url" PHAPA_SIZE_REPORT="$report" \
      npx playwright test wasm-size.spec.ts -g "fresh load" >"$work/size-$label.log" 2>&1) \
      && [ ! -s "$report" ]; then
    why="the size check failed: $(tail -n 3 "$work/size-$label.log" | tr '\n' ' ')"
  fi
  if [ -z "$why" ] && [ -s "$report" ]; then
    wasm_rows+=("| $label | $(fmt0 "$(jq -r '.largest' "$report")") | $(fmt0 "$(jq -r '.limit' "$report")") |")
    if [ "$label" = "this build" ]; then cp "$report" "$ROOT/target/site-size.json"; fi
  elif [ "$label" = "this build" ] && [ -s "$ROOT/target/site-size.json" ]; then
    wasm_rows+=("| $label (from target/site-size.json) | $(fmt0 "$(jq -r '.largest' "$ROOT/target/site-size.json")") | $(fmt0 "$(jq -r '.limit' "$ROOT/target/site-size.json")") |")
  else
    wasm_rows+=("| $label | not measured: ${why:-no report} | |")
  fi
}

started=$(date +%s)
say "this build"
start_server this "$THIS_SERVER" "$ROOT/target/site"
url="$URL"
campaign="$(curl -fsS "$url/" | grep -o 'href="/campaigns/[0-9]*"' | head -n1 | tr -dc 0-9)"
[ -n "$campaign" ] || die "the demo's front page links no campaign"
# The campaign's hospitals, the first one holding a unit preferred (its units are where a label's
# QR leads). grep finding nothing must not end the script (pipefail), hence the `|| true`.
hospitals="$(curl -fsS "$url/campaigns/$campaign" | grep -o 'href="/hospitals/[0-9]*"' | sed 's/.*hospitals\///; s/"//' | awk '!seen[$0]++' || true)"
[ -n "$hospitals" ] || die "campaign $campaign names no hospital"
hospital="" unit=""
for h in $hospitals; do
  unit="$(curl -fsS "$url/hospitals/$h" | grep -o 'href="/units/[A-Z0-9-]*"' | head -n1 | sed 's/.*units\///; s/"//' || true)"
  if [ -n "$unit" ]; then hospital="$h"; break; fi
done
hospital="${hospital:-$(printf '%s\n' "$hospitals" | head -n1)}"
PAGES=(/ "/campaigns/$campaign" "/hospitals/$hospital")
if [ -n "$unit" ]; then PAGES+=("/units/$unit"); else say "no hospital of campaign $campaign holds a unit: /units/{tag} not measured"; fi

# The baseline serves what a browser gets from this build: captured after a first view.
bare_args=()
i=0
for path in "${PAGES[@]}"; do
  curl -fsS -o /dev/null -H 'Accept-Encoding: gzip' "$url$path"
  curl -fsS -H 'Accept-Encoding: gzip' -D "$work/page-$i.headers" -o "$work/page-$i.body" "$url$path"
  bare_args+=("$path=$work/page-$i")
  i=$((i + 1))
done
bare_port="$(free_port)"
"$BARE" "127.0.0.1:$bare_port" "${bare_args[@]}" >"$work/bare.log" 2>&1 &
pids+=($!)
sleep 1
for path in "${PAGES[@]}"; do
  say "bare handler $path"
  load "$work/bare.json" "http://127.0.0.1:$bare_port$path"
  BASE_RPS[$path]="$(rps "$work/bare.json")"
  rows+=("| \`$path\` | bare handler, same bytes | $(fmt0 "${BASE_RPS[$path]}") | 1.00 | $(fmt1 "$(ms "$work/bare.json" p50)") | $(fmt1 "$(ms "$work/bare.json" p99)") | | $(non_2xx "$work/bare.json") |")
done
stop_last

measure_pages "this build" "$url"
durability "this build" "$url"
wasm_size "this build" "$url"
stop_last

if [ -n "$OTHER_SERVER" ]; then
  say "other build: $OTHER_SERVER"
  start_server other "$OTHER_SERVER" "$OTHER_SITE"
  url="$URL"
  measure_pages "other build" "$url"
  durability "other build" "$url"
  wasm_size "other build" "$url"
  stop_last
fi

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
echo
echo "Machine: $(nproc) cores ($cpu), $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -sr); oha $OHA_VERSION,"
echo "$CONNECTIONS connections, ${RUN_SECONDS} s per run, requests with \`Accept-Encoding: gzip\`; $(date -u +%Y-%m-%d)."
[ -n "$OTHER_SERVER" ] && echo "Other build: \`$OTHER_SERVER\`."
echo
echo "| page | server | req/s | ÷ bare | p50 ms | p99 ms | p99 ms at half rate | non-2xx |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "| durable donations over HTTP, 16 clients | donations/s | raw WAL+FULL commits/s | ratio |"
echo "|---|---:|---:|---:|"
printf '%s\n' "${durable_rows[@]}"
echo
echo "| public first-load WASM | gzip bytes (largest page) | limit |"
echo "|---|---:|---:|"
printf '%s\n' "${wasm_rows[@]}"
echo
say "bench took $(( $(date +%s) - started )) s"
