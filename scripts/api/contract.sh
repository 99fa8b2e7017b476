#!/usr/bin/env bash
# The open-data contract test: schemathesis reads the OpenAPI document the running server
# publishes and tries every operation with generated input (valid and invalid, every check,
# a fixed seed), failing on any 5xx, any answer the document does not describe, and any bad
# parameter that is not refused with a documented 4xx.
#
#   bash scripts/api/contract.sh http://127.0.0.1:3000 [report.xml]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
base="${1:?give the address of the server, such as http://127.0.0.1:3000}"
report="${2:-}"
venv="$(setup_schemathesis)" || die "schemathesis could not be installed"
args=(
  --config-file "$ROOT/scripts/api/schemathesis.toml"
  run "$base/api/v1/openapi.json" --url "$base"
  --checks all --seed 20261205 --max-examples 40 --generation-database none
  --workers 1 --no-color --warnings off
)
[ -n "$report" ] && args+=(--report junit --report-junit-path "$report")
started=$(date +%s)
# schemathesis keeps a cache of what it found in `.schemathesis/` of its working folder: a
# temporary one, so runs stay independent and nothing lands in the clone.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && "$venv/bin/schemathesis" "${args[@]}")
say "open-data contract held in $(( $(date +%s) - started )) s"
