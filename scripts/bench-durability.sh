#!/usr/bin/env bash
# What power-loss-safe commits cost: donations/s over HTTP (16 clients, release build) with
# SQLite synchronous = normal and = full, beside the raw WAL+FULL single-row commit rate on the
# same disk. Arguments go to the program: --donations N (default 2000), --clients N (default 16).
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet --release -p server --example durability -- "$@"
