#!/usr/bin/env bash
# Code-latency benchmark (docs/PERFORMANCE.md, "Codes with many orders open"): N = 1, 10, 50 orders,
# per-order and batched polling, codes over 5 minutes, a simulated provider limit of 4 requests a
# second. Runs every configuration at once, in real time (about 6 minutes). By hand, never in CI.
#
#   scripts/code_latency.sh [--seconds 300] [--n 1,10,50] [--mode per-order,batched] [--seed 7]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --example code_latency
target="${CARGO_TARGET_DIR:-target}"
uptime
"$target/release/examples/code_latency" "$@"
uptime
