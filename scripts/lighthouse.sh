#!/usr/bin/env bash
# Lighthouse (mobile preset) on the pages donors open most: /, /campaigns/1 and a waiting
# pledge's /donations/{reference}. Prints performance, accessibility, best practices and SEO for
# each, the timings behind performance and the audits that cost it points; the JSON reports are
# kept in target/lighthouse/. Not part of scripts/test.sh: scores vary with the machine's load.
#
#   bash scripts/lighthouse.sh                         build the release, serve it on a fresh
#                                                      SQLite demo database, measure, stop it
#   bash scripts/lighthouse.sh http://127.0.0.1:3000   measure a server already running (with
#                                                      the demo data)
#
# Lighthouse comes from npm through npx (pinned below; 12.x runs on Node 20) and drives Debian's
# Chromium; nothing downloads a browser.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
LIGHTHOUSE_VERSION=12.8.2

setup_browser
work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ $# -ge 1 ]; then
  base="${1%/}"
else
  setup_build
  say "release build"
  build_release
  port=$((20000 + RANDOM % 20000))
  base="http://127.0.0.1:$port"
  DATABASE_URL="sqlite://$work/lighthouse.db" PHAPA_DEMO=1 LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    LEPTOS_SITE_ROOT="$ROOT/target/site" "$CARGO_TARGET_DIR/release/server" serve >"$work/server.log" 2>&1 &
  server_pid=$!
  wait_healthy "$base" 60 || { cat "$work/server.log" >&2; die "the server did not become healthy"; }
fi

# A waiting pledge, made as a browser without JavaScript makes one: the form post answers with a
# redirect to the new donation's page.
say "pledging ฿100 on campaign 1 for its donation page"
location="$(curl -fsS -o /dev/null -w '%{redirect_url}' -H 'Accept: text/html' -H "Referer: $base/campaigns/1" \
  --data-urlencode 'input[campaign_id]=1' --data-urlencode 'input[amount]=100' \
  --data-urlencode "input[idempotency_key]=lighthouse-$(date +%s)-$RANDOM$RANDOM" \
  "$base/api/donations/pledge")"
reference="${location##*/donations/}"
[[ "$reference" =~ ^PP- ]] || die "the pledge did not lead to a donation page (got '$location')"

out="$ROOT/target/lighthouse"
mkdir -p "$out"
for page in "home /" "campaign /campaigns/1" "donation /donations/$reference"; do
  name="${page%% *}" path="${page#* }"
  say "lighthouse $path"
  CHROME_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}" npx --yes "lighthouse@$LIGHTHOUSE_VERSION" "$base$path" \
    --quiet --output=json --output-path="$out/$name.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu"
  node -e '
    const r = require(process.argv[1]);
    const score = (c) => Math.round(r.categories[c].score * 100);
    const a = r.audits;
    console.log(`${process.argv[2]}: performance ${score("performance")}, accessibility ${score("accessibility")}, best practices ${score("best-practices")}, SEO ${score("seo")}`);
    const metrics = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"];
    console.log("  " + metrics.map((m) => `${a[m].title} ${a[m].displayValue}`).join(", "));
    const failed = Object.values(r.categories).flatMap((c) => c.auditRefs.map((ref) => [c.id, ref]))
      .filter(([c, ref]) => ref.weight > 0 || c === "performance")
      .map(([c, ref]) => [c, a[ref.id]])
      .filter(([, audit]) => audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== "informative" && audit.scoreDisplayMode !== "notApplicable" && !metrics.includes(audit.id));
    for (const [c, audit] of failed) console.log(`  - ${c}: ${audit.title}${audit.displayValue ? " (" + audit.displayValue + ")" : ""}`);
  ' "$out/$name.json" "$path"
done
