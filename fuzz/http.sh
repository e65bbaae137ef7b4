#!/usr/bin/env bash
# Fuzz serve-http's hostile surface: the request parser, the path normaliser and
# resolver, and a whole connection fed arbitrary bytes in arbitrary pieces — the same
# properties `cargo test` runs 256 times each (src/proto/http/proptests.rs), here
# CASES times each (default 1,000,000) in a release build. Stable Rust, no cargo-fuzz.
# Usage: fuzz/http.sh [CASES]
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-1000000}"
echo "fuzzing serve-http: $cases cases per property" >&2
start=$(date +%s)
PROPTEST_CASES="$cases" cargo test --release --lib proto::http::proptests -- --test-threads=2
echo "done: 4 properties x $cases cases in $(( $(date +%s) - start ))s" >&2
