#!/usr/bin/env bash
# The open-data API under a crowd and at scale, on SQLite, printed as markdown tables. Not part
# of scripts/test.sh.
#
# - At 20,000 gifts (the demo's open campaign grown through the real ledger path, `server
#   grow-demo`): the maximum req/s of the campaign's page and of its `/api/v1/campaigns/{id}`,
#   one after the other on the same server (oha, 32 connections, `Accept-Encoding: gzip`), and
#   their ratio. With PHAPA_BENCH_SERVER=PATH (e.g. main's binary) the same on that server, in
#   the same run, on a database grown the same way.
# - The lists at 1,000 and 100,000 units (rows copied from a demo unit with SQL: this measures
#   reading, not the purchase path): the median time of 9 pages of `/api/v1/units?campaign=`
#   (limit 200) at cursors spread over the whole list, each a different page so none comes from
#   the page cache, and of `/api/v1/units.csv` whole.
#
# Environment:
#   PHAPA_BENCH_NO_BUILD=1      measure the build already in target/ (no cargo build)
#   PHAPA_BENCH_SERVER=PATH     also measure that server binary ("before")
#   PHAPA_BENCH_SECONDS=5       length of each load run
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

OHA_VERSION=1.16.0
RUN_SECONDS="${PHAPA_BENCH_SECONDS:-5}"
GIFTS=20000
OTHER="${PHAPA_BENCH_SERVER:-}"
need curl "apt-get install curl"
need jq "apt-get install jq"
need python3 "apt-get install python3"
if [ "$(oha --version 2>/dev/null | awk '{print $2}')" != "$OHA_VERSION" ]; then
  say "installing oha $OHA_VERSION (the load generator; a few minutes, once)"
  env -u CARGO_TARGET_DIR cargo install oha --locked --version "$OHA_VERSION"
fi
if [ "${PHAPA_BENCH_NO_BUILD:-}" != 1 ]; then
  setup_build
  say "release build"
  build_release
fi
THIS="$CARGO_TARGET_DIR/release/server"
[ -x "$THIS" ] || die "$THIS is missing: run without PHAPA_BENCH_NO_BUILD=1"
if [ -n "$OTHER" ] && [ ! -x "$OTHER" ]; then die "PHAPA_BENCH_SERVER=$OTHER is not an executable"; fi

work="$(mktemp -d)"
pid=""
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# serve BINARY DB: a server with the demo on DB at $URL, its process in $pid.
serve() {
  local port=$((20000 + RANDOM % 20000))
  DATABASE_URL="sqlite://$2" PHAPA_DEMO=1 PHAPA_AUDIT_KEY_FILE="$2.key" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    LEPTOS_SITE_ROOT="$ROOT/target/site" "$1" serve >"$work/server.log" 2>&1 &
  pid=$!
  URL="http://127.0.0.1:$port"
  wait_healthy "$URL" 120 >/dev/null || { cat "$work/server.log" >&2; die "$1 did not start"; }
}
stop() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}
sql() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$1" "$2"; }
rps() {
  oha --no-tui --output-format json -z "${RUN_SECONDS}s" -c 32 -H 'Accept-Encoding: gzip' "$1" >"$work/oha.json"
  local bad
  bad="$(jq -r '[.statusCodeDistribution | to_entries[] | select(.key | startswith("2") | not) | .value] | add // 0' "$work/oha.json")"
  [ "$bad" = 0 ] || die "$1 answered $bad non-2xx under load"
  jq -r '.summary.requestsPerSec' "$work/oha.json"
}
fmt0() { printf "%'.0f" "$1"; }

# crowd LABEL BINARY: page and API req/s at $GIFTS gifts.
CROWD=()
crowd() {
  local label="$1" binary="$2" db="$work/$1.db" campaign page api
  serve "$binary" "$db"
  stop
  say "$label: growing the demo's open campaign by $GIFTS gifts"
  DATABASE_URL="sqlite://$db" PHAPA_AUDIT_KEY_FILE="$db.key" "$binary" grow-demo "$GIFTS" >"$work/grow.log" 2>&1 ||
    { cat "$work/grow.log" >&2; die "grow-demo failed"; }
  campaign="$(sql "$db" "select campaign_id from campaign where status = 'open' and is_demo = 1 order by campaign_id limit 1")"
  serve "$binary" "$db"
  say "$label: /campaigns/$campaign"
  page="$(rps "$URL/campaigns/$campaign")"
  say "$label: /api/v1/campaigns/$campaign"
  api="$(rps "$URL/api/v1/campaigns/$campaign")"
  stop
  CROWD+=("| $label | $(fmt0 "$page") | $(fmt0 "$api") | $(awk -v a="$page" -v b="$api" 'BEGIN { printf "%.2f", a / b }') |")
}

# grow_units DB TOTAL: copies of the demo's first unit until campaign $campaign has TOTAL units.
grow_units() {
  python3 - "$1" "$2" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
total = int(sys.argv[2])
campaign, template = c.execute(
    "select campaign_id, min(equipment_unit_id) from equipment_unit group by campaign_id order by campaign_id limit 1").fetchone()
have = c.execute("select count(*) from equipment_unit where campaign_id = ?", (campaign,)).fetchone()[0]
cols = [r[1] for r in c.execute("pragma table_info(equipment_unit)") if r[1] not in ("equipment_unit_id", "asset_tag")]
names = ", ".join(cols)
c.execute(f"""with recursive n(i) as (select ? union all select i + 1 from n where i < ?)
  insert into equipment_unit (asset_tag, {names})
  select 'EQ-B-' || i, {names} from n, (select * from equipment_unit where equipment_unit_id = ?)""",
  (have + 1, total, template))
c.commit()
print(campaign)
PY
}

# lists SIZE: unit-list latency at SIZE units of one campaign (this build).
LISTS=()
lists() {
  local size="$1" db="$work/units.db" campaign count times=() t first csv
  campaign="$(grow_units "$db" "$size")"
  count="$(sql "$db" "select count(*) from equipment_unit where campaign_id = $campaign")"
  first="$(sql "$db" "select min(equipment_unit_id) from equipment_unit where campaign_id = $campaign")"
  serve "$THIS" "$db"
  for k in 0 1 2 3 4 5 6 7 8; do
    local cursor=$(( first + (count - 200) * k / 8 ))
    local path="/api/v1/units?campaign=$campaign&limit=200"
    [ "$k" = 0 ] || path="$path&cursor=$cursor"
    t="$(curl -fsS -o /dev/null -w '%{time_total}' "$URL$path")"
    times+=("$t")
  done
  csv="$(curl -fsS -o "$work/units.csv" -w '%{time_total}' "$URL/api/v1/units.csv")"
  local rows
  rows=$(( $(wc -l <"$work/units.csv") - 1 ))
  stop
  LISTS+=("| $(fmt0 "$count") | $(printf '%s\n' "${times[@]}" | sort -g | sed -n 5p | awk '{printf "%.1f", $1 * 1000}') | $(printf '%s\n' "${times[@]}" | sort -g | tail -n1 | awk '{printf "%.1f", $1 * 1000}') | $(printf '%.2f' "$csv") s, $(fmt0 "$rows") rows |")
}

started=$(date +%s)
crowd "this build" "$THIS"
[ -z "$OTHER" ] || crowd "other build" "$OTHER"
serve "$THIS" "$work/units.db"
stop
lists 1000
lists 100000

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
echo
echo "Machine: $(nproc) cores ($cpu); oha $OHA_VERSION, 32 connections, ${RUN_SECONDS} s per run; $(date -u +%Y-%m-%d)."
[ -z "$OTHER" ] || echo "Other build: \`$OTHER\`."
echo
echo "| at $(fmt0 $GIFTS) gifts | campaign page req/s | /api/v1/campaigns/{id} req/s | page ÷ API |"
echo "|---|---:|---:|---:|"
printf '%s\n' "${CROWD[@]}"
echo
echo "| units in the campaign | median ms of 9 pages (limit 200) | slowest ms | units.csv whole |"
echo "|---:|---:|---:|---|"
printf '%s\n' "${LISTS[@]}"
echo
say "bench took $(( $(date +%s) - started )) s"
