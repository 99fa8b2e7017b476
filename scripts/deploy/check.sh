#!/usr/bin/env bash
# Checks the production set-up with the programs that will read it: systemd's own verifier for
# the unit, Caddy's validator for its configuration, and that the environment file sets only
# settings the server reads. Run by scripts/test.sh with the release binary as $1 (the unit's
# ExecStart must name a program that exists; /opt/phapa/server is where the README installs it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
binary="${1:?usage: check.sh SERVER_BINARY}"
[ -x "$binary" ] || die "$binary is not an executable"
command -v systemd-analyze >/dev/null || apt_install systemd || die "could not install systemd"
command -v caddy >/dev/null || apt_install caddy || die "could not install caddy"
deploy="$ROOT/scripts/deploy"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

sed "s#/opt/phapa/server#$binary#" "$deploy/phapa.service" >"$tmp/phapa.service"
# Unknown or misspelt keys are only warnings to systemd; here any message fails the check.
if ! systemd-analyze verify "$tmp/phapa.service" 2>"$tmp/verify.txt" || [ -s "$tmp/verify.txt" ]; then
  cat "$tmp/verify.txt" >&2
  die "systemd-analyze verify refused scripts/deploy/phapa.service"
fi
say "phapa.service: systemd-analyze verify passes"

if ! caddy validate --adapter caddyfile --config "$deploy/Caddyfile" >"$tmp/caddy.txt" 2>&1; then
  cat "$tmp/caddy.txt" >&2
  die "caddy validate refused scripts/deploy/Caddyfile"
fi
say "Caddyfile: caddy validate passes ($(caddy version | awk '{print $1}'))"

while IFS= read -r name; do
  grep -q "\"$name\"" "$ROOT/server/src/config.rs" ||
    die "phapa.env sets $name, which the server does not read"
done < <(grep -E '^[A-Z_]+=' "$deploy/phapa.env" | cut -d= -f1)
say "phapa.env: every setting is one the server reads"
