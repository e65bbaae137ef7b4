#!/usr/bin/env bash
# Paired A/B of two nettool builds on one engine: round trips per server CPU-second
# for 64-byte ping-pong, with both servers loaded *at the same time* (two load
# generators on $LOAD_CPU, both servers on $SERVER_CPU), so whatever else the shared
# machine does lands on both alike. Each round gives a ratio B/A; the medians are
# printed. On this 2-core machine shared with other builds, alternating rounds
# (echo.sh) moved a server's per-CPU figure by 10–20% between rounds, while the A/A
# ratio of this paired run stayed within ±1.5% — enough to see a 1% change.
#
# usage: bench/echo_ab.sh A_NETTOOL B_NETTOOL
# Environment: ENGINE (io-uring), ROUNDS (5), DURATION (2s), CONNS ("100 1000"),
# SERVER_CPU (0), LOAD_CPU (1), ENV_A / ENV_B (VAR=value words set for one server).
# Server CPU is the sum of its threads' run time from /proc/PID/task/*/schedstat
# (nanoseconds, finer than the 10 ms ticks of /proc/PID/stat). Traffic stays on
# 127.0.0.1; every run is bounded by DURATION.
set -euo pipefail

cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: bench/echo_ab.sh A_NETTOOL B_NETTOOL" >&2; exit 2; }
A=$(realpath "$1")
B=$(realpath "$2")
ENGINE=${ENGINE:-io-uring}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-2s}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
read -r -a conns <<<"${CONNS:-100 1000}"
command -v jq >/dev/null || { echo "echo_ab.sh: needs jq" >&2; exit 1; }

mkdir -p target/bench
WORK=$(mktemp -d "$PWD/target/bench/echo_ab.XXXXXX")
declare -A PID ADDR
# shellcheck source=bench/lib.sh
source bench/lib.sh
echo_pinning
cleanup() {
    for name in "${!PID[@]}"; do stop_server "$name"; done
    rm -rf "$WORK"
}
trap cleanup EXIT

run_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f", s }'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : 0) }'; }
# shellcheck disable=SC2086 # ENV_A/ENV_B are words on purpose
start_server A env ${ENV_A:-} "$A" -q tcp-echo serve --engine "$ENGINE" -l 127.0.0.1:0
# shellcheck disable=SC2086
start_server B env ${ENV_B:-} "$B" -q tcp-echo serve --engine "$ENGINE" -l 127.0.0.1:0

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $PINNING; --engine $ENGINE; A=$A B=$B"
echo "$ROUNDS paired rounds of $DURATION, 64 B ping-pong; round trips per server CPU-s"
for c in "${conns[@]}"; do
    pa="" pb="" ratio="" errors=0
    for _ in $(seq "$ROUNDS"); do
        a0=$(run_ns "${PID[A]}")
        b0=$(run_ns "${PID[B]}")
        "${ON_LOAD[@]}" "$A" --json tcp-echo bench "${ADDR[A]}" -c "$c" --size 64 -d "$DURATION" >"$WORK/a.json" 2>>"$WORK/load.log" &
        la=$!
        "${ON_LOAD[@]}" "$A" --json tcp-echo bench "${ADDR[B]}" -c "$c" --size 64 -d "$DURATION" >"$WORK/b.json" 2>>"$WORK/load.log" &
        lb=$!
        wait "$la" "$lb" || true
        a=$(awk -v n="$(jget .round_trips 0 "$(cat "$WORK/a.json")")" -v t=$(($(run_ns "${PID[A]}") - a0)) 'BEGIN { printf "%.0f", (t > 0 ? n / (t / 1e9) : 0) }')
        b=$(awk -v n="$(jget .round_trips 0 "$(cat "$WORK/b.json")")" -v t=$(($(run_ns "${PID[B]}") - b0)) 'BEGIN { printf "%.0f", (t > 0 ? n / (t / 1e9) : 0) }')
        errors=$((errors + $(jget .errors 1 "$(cat "$WORK/a.json")") + $(jget .errors 1 "$(cat "$WORK/b.json")")))
        pa+="$a " pb+="$b "
        ratio+="$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", (a > 0 ? b / a : 0) }') "
    done
    printf '%5s connections: A %s, B %s (medians); B/A per round: %smedian %s; echo errors %s\n' "$c" \
        "$(median <<<"$pa")" "$(median <<<"$pb")" "$ratio" "$(median <<<"$ratio")" "$errors"
done
if [ -s "$WORK/load.log" ]; then
    echo "load generator messages:" >&2
    sort -u "$WORK/load.log" >&2
fi
