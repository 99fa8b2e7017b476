#!/usr/bin/env bash
# How long a year of daily transfers takes to come in: a K-BIZ-shaped statement of N lines
# (default 50,000, UTF-8 with BOM, fictional names) is previewed, imported, and imported again
# over HTTP as a finance officer, against the release build on a fresh SQLite database and, when
# PostgreSQL answers, on a fresh PostgreSQL database, in one run. Prints a markdown table.
# Not part of scripts/test.sh.
#
# Environment:
#   PHAPA_BENCH_NO_BUILD=1   measure the build already in target/ (no cargo build)
#   PHAPA_BENCH_LINES=50000  lines in the statement
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

LINES="${PHAPA_BENCH_LINES:-50000}"
need curl "apt-get install curl"
need python3 "apt-get install python3"
if [ "${PHAPA_BENCH_NO_BUILD:-}" != 1 ]; then
  setup_build
  build_release
fi
bin="${CARGO_TARGET_DIR:-$ROOT/target}/release/server"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# Dated backwards from today (Bangkok), several transfers a day, running balance.
python3 - "$LINES" > "$work/statement.csv" <<'PY'
import sys, datetime
n = int(sys.argv[1])
today = (datetime.datetime.utcnow() + datetime.timedelta(hours=7)).date()
print("\ufeffรายการเดินบัญชีเงินฝากออมทรัพย์ (มีรายละเอียด),,,,,,,,,,,,")
print(",วันที่,เวลา/ วันที่มีผล,รายการ,ถอนเงิน,,ฝากเงิน,,ยอดคงเหลือ,,ช่องทาง,,รายละเอียด")
balance = 0
per_day = max(1, n // 365 + 1)
for i in range(n):
    day = today - datetime.timedelta(days=(n - 1 - i) // per_day)
    satang = 10000 + (i * 7919) % 500000
    balance += satang
    amount = f"{satang // 100:,}.{satang % 100:02d}"
    bal = f"{balance // 100:,}.{balance % 100:02d}"
    minute = i % per_day
    print(f',{day:%d/%m/%y},{8 + minute // 60:02d}:{minute % 60:02d},รับโอนเงิน,,,"{amount}",,"{bal}",,K PLUS,,จาก X{i % 10000:04d} ผู้บริจาคทดสอบ {i}')
PY
bytes=$(wc -c < "$work/statement.csv")

measure() { # engine url port
  local engine="$1" url="$2" port="$3"
  DATABASE_URL="$url" PHAPA_DEMO=1 LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$ROOT/target/site" \
    PHAPA_AUDIT_KEY_FILE="$work/audit-$engine.key" "$bin" serve > "$work/server-$engine.log" 2>&1 &
  local pid=$!
  wait_healthy "http://127.0.0.1:$port" 120 || die "the $engine server did not start"
  local cookie
  cookie=$(curl -s -o /dev/null -D - -X POST "http://127.0.0.1:$port/login" \
    -H 'content-type: application/x-www-form-urlencoded' \
    --data "username=demo-finance&password=phapa-demo-password" | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -n1)
  local base="http://127.0.0.1:$port/finance/campaigns/1/statements"
  for step in preview import import; do
    local t
    t=$(curl -s -o "$work/answer.json" -w '%{time_total}' -X POST "$base/$step?name=bench.csv" \
      -H "cookie: $cookie" -H 'content-type: application/octet-stream' --data-binary @"$work/statement.csv")
    printf '| %s | %s | %s s | %s |\n' "$engine" "$step" "$t" "$(head -c 160 "$work/answer.json" | tr '\n|' '  ')"
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

echo "| engine | step | time | answer (start) |"
echo "|---|---|---:|---|"
measure sqlite "sqlite://$work/bench.db" 3811
if url="$(setup_postgres 2>/dev/null)"; then
  db="phapa_bench_$RANDOM$RANDOM"
  psql "$url" -qc "create database $db" >/dev/null
  measure postgres "${url%/*}/$db" 3812
  psql "$url" -qc "drop database $db" >/dev/null 2>&1 || true
fi
echo
echo "$LINES lines, $bytes bytes"
