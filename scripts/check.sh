#!/usr/bin/env bash
# What a developer runs before pushing: formatting, lints (the [lints] table in Cargo.toml, as
# errors) and every test that needs no desktop session. No root, no apt: `.ci/run` installs the
# run-time packages first, calls this with --lint-only, then runs the README's test command itself.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
if [ "${1:-}" != "--lint-only" ]; then
  # The README's test command.
  cargo test
fi
