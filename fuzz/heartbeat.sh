#!/usr/bin/env bash
# Fuzz the heartbeat wire format: the frame decoder (arbitrary bytes, frames split at
# any point) and a responder connection fed valid pings, hostile seeds and arbitrary
# bytes in arbitrary pieces — the properties `cargo test` runs 256 times each
# (src/proto/heartbeat/wire.rs, src/proto/heartbeat/mod.rs), here CASES times each
# (default 1,000,000) in a release build. Stable Rust, no cargo-fuzz.
# Usage: fuzz/heartbeat.sh [CASES]
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-1000000}"
echo "fuzzing heartbeat frames: $cases cases per property" >&2
start=$(date +%s)
PROPTEST_CASES="$cases" cargo test --release --lib proto::heartbeat -- --test-threads=2
echo "done in $(( $(date +%s) - start ))s" >&2
