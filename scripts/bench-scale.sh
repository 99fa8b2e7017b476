#!/usr/bin/env bash
# Staff pages at province scale. The demo's open campaign is grown to each size (default 20,000,
# 200,000 and 2,000,000 gifts) through the real ledger path (`server grow-demo`: donor, donation,
# journal, kept totals, receipt), and at each size this build is measured on SQLite:
#   - the finance report and the campaign's money page (median of 3 views, signed in),
#   - donations.csv: time, bytes, and the server's memory peak (VmHWM of a server started for it),
#   - check-ledger beside a raw sum over the journal, and their ratio.
# With PHAPA_BENCH_SERVER=PATH, that server binary (e.g. main's, built before migration 17) is
# measured the same way on a copy of the same database with the migrations it does not know taken
# out, in the same run. Prints a markdown table. Not part of scripts/test.sh: 2,000,000 gifts take a while.
#
# Environment:
#   PHAPA_BENCH_NO_BUILD=1     measure the build already in target/ (no cargo build)
#   PHAPA_BENCH_SIZES="20000 200000 2000000"
#   PHAPA_BENCH_SERVER=PATH    also measure that binary ("before")
#   PHAPA_BENCH_SERVER_KNOWS=N the last migration that binary knows (default 16); later ones are
#                              taken out of its copy
#   PHAPA_BENCH_DIR=DIR        keep the grown databases there as grown-SIZE.db (with their
#                              audit.key) and reuse them on the next run (default: a temporary
#                              folder, removed)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

SIZES="${PHAPA_BENCH_SIZES:-20000 200000 2000000}"
OTHER="${PHAPA_BENCH_SERVER:-}"
need curl "apt-get install curl"
need python3 "apt-get install python3"
if [ "${PHAPA_BENCH_NO_BUILD:-}" != 1 ]; then
  setup_build
  say "release build"
  build_release
fi
THIS="$CARGO_TARGET_DIR/release/server"
[ -x "$THIS" ] || die "$THIS is missing: run without PHAPA_BENCH_NO_BUILD=1"
if [ -n "$OTHER" ] && [ ! -x "$OTHER" ]; then die "PHAPA_BENCH_SERVER=$OTHER is not an executable"; fi
case "${PHAPA_BENCH_SERVER_KNOWS:-16}" in
  16 | 17 | 18) ;;
  *) die "PHAPA_BENCH_SERVER_KNOWS=${PHAPA_BENCH_SERVER_KNOWS}: this script can take out migrations 17 and 18 only (16, 17 or 18)" ;;
esac

if [ -n "${PHAPA_BENCH_DIR:-}" ]; then
  work="$PHAPA_BENCH_DIR"
  mkdir -p "$work"
else
  work="$(mktemp -d)"
fi
pid=""
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  [ -n "${PHAPA_BENCH_DIR:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

db="$work/this/phapa.db"
mkdir -p "$work/this" "$work/other"
export PHAPA_AUDIT_KEY_FILE="$work/audit.key"

# serve BINARY DB: a server on DB at $URL, its process in $pid.
serve() {
  local port=$((20000 + RANDOM % 20000))
  DATABASE_URL="sqlite://$2" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$ROOT/target/site" \
    PHAPA_DEMO="${DEMO:-0}" "$1" serve >"$work/server.log" 2>&1 &
  pid=$!
  URL="http://127.0.0.1:$port"
  wait_healthy "$URL" 120 >/dev/null || { cat "$work/server.log" >&2; die "$1 did not start"; }
}
stop() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}

# seconds CURL-ARGS...: the time of one request (fails on a non-2xx answer).
seconds() { curl -fsS -o /dev/null -w '%{time_total}' "$@"; }
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

# measure LABEL BINARY DB SIZE: one row of the table.
measure() {
  local label="$1" binary="$2" file="$3" size="$4" cookie campaign report money csv bytes peak check raw
  serve "$binary" "$file"
  cookie="$(curl -fsS -o /dev/null -D - -H "Origin: $URL" \
    --data 'username=demo-finance&password=phapa-demo-password' "$URL/login" |
    sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -n1)"
  [ -n "$cookie" ] || die "$label: could not sign in as demo-finance"
  campaign="$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select campaign_id from campaign where status='open' and is_demo=1 order by campaign_id limit 1\").fetchone()[0])" "$file")"
  local r=() m=()
  for _ in 1 2 3; do
    r+=("$(seconds -H "Cookie: $cookie" "$URL/finance/campaigns/$campaign/report")")
    m+=("$(seconds -H "Cookie: $cookie" "$URL/finance/campaigns/$campaign")")
  done
  report="$(median3 "${r[@]}")"
  money="$(median3 "${m[@]}")"
  stop
  # A server of its own for the download, so its memory peak is the download's.
  serve "$binary" "$file"
  cookie="$(curl -fsS -o /dev/null -D - -H "Origin: $URL" \
    --data 'username=demo-finance&password=phapa-demo-password' "$URL/login" |
    sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -n1)"
  local before_kb
  before_kb="$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")"
  csv="$(curl -fsS -o "$work/donations.csv" -w '%{time_total}' -H "Cookie: $cookie" \
    "$URL/finance/campaigns/$campaign/export/donations.csv")"
  bytes="$(stat -c %s "$work/donations.csv")"
  peak="$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")"
  stop
  rm -f "$work/donations.csv"
  local t0 t1
  t0="$(date +%s.%N)"
  DATABASE_URL="sqlite://$file" "$binary" check-ledger >"$work/check.log" 2>&1 ||
    { cat "$work/check.log" >&2; die "$label: check-ledger failed at $size gifts"; }
  t1="$(date +%s.%N)"
  check="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
  raw="$(python3 - "$file" <<'PY'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
c.execute("select sum(debit_satang), sum(credit_satang) from journal_line").fetchone()
t = time.perf_counter()
c.execute("select sum(debit_satang), sum(credit_satang) from journal_line").fetchone()
print(f"{time.perf_counter() - t:.3f}")
PY
)"
  ROWS+=("| $label | $(printf "%'d" "$size") | $(ms "$report") | $(ms "$money") | $(printf '%.2f' "$csv") s, $(mb "$((bytes / 1024))"), peak $(mb "$peak") (at start $(mb "$before_kb")) | $check s | $(ms "$raw") | $(awk -v a="$check" -v b="$raw" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }') |")
}
ms() { awk -v s="$1" 'BEGIN { if (s < 1) printf "%.0f ms", s * 1000; else printf "%.2f s", s }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }

# Writes SQLite's log into the database file, so a copy of the file alone is the whole database.
settle_log() {
  python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('pragma wal_checkpoint(truncate)')" "$1"
}

# A copy of the database as a server that knows migrations up to $PHAPA_BENCH_SERVER_KNOWS
# (default 16) expects it: the later migrations' tables and indexes dropped, their rows gone.
before_other() {
  python3 - "$1" "${PHAPA_BENCH_SERVER_KNOWS:-16}" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
knows = int(sys.argv[2])
if knows < 18:
    c.execute("drop index if exists donation_received_hours")
if knows < 17:
    c.executescript("""
drop table if exists journal_balance;
drop table if exists campaign_money_hour;
drop index if exists donation_campaign_newest;
drop index if exists donation_open_pledges;
drop index if exists journal_line_entry;
drop index if exists journal_line_campaign_sums;
create index if not exists journal_line_campaign_account on journal_line (campaign_id, account);
""")
c.execute("delete from _sqlx_migrations where version > ?", (knows,))
c.commit()
PY
}

gifts() {
  python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select donation_count from campaign_fund f join campaign c on c.campaign_id = f.campaign_id where c.status='open' and c.is_demo=1 order by c.campaign_id limit 1\").fetchone()[0])" "$1"
}

say "a fresh SQLite database with the demo"
rm -f "$db" "$db"-wal "$db"-shm
DEMO=1 serve "$THIS" "$db"
stop
have="$(gifts "$db")"
ROWS=()
for size in $SIZES; do
  if [ -f "$work/grown-$size.db" ]; then
    say "reusing $work/grown-$size.db"
    rm -f "$db"-wal "$db"-shm
    cp "$work/grown-$size.db" "$db"
    have="$(gifts "$db")"
  elif [ "$size" -gt "$have" ]; then
    say "growing the open campaign from $have to $size gifts"
    DATABASE_URL="sqlite://$db" "$THIS" grow-demo "$((size - have))"
    have="$(gifts "$db")"
    settle_log "$db"
    [ -z "${PHAPA_BENCH_DIR:-}" ] || cp "$db" "$work/grown-$size.db"
  fi
  say "$size gifts: this build"
  measure "this build" "$THIS" "$db" "$size"
  if [ -n "$OTHER" ]; then
    say "$size gifts: $OTHER"
    settle_log "$db"
    cp "$db" "$work/other/phapa.db"
    before_other "$work/other/phapa.db"
    measure "before" "$OTHER" "$work/other/phapa.db" "$size"
    rm -f "$work/other/phapa.db"*
  fi
done

echo
echo "| server | gifts | finance report | money page | donations.csv | check-ledger | raw journal sum | ratio |"
echo "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |"
printf '%s\n' "${ROWS[@]}"
