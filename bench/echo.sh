#!/usr/bin/env bash
# Echo benchmark: every nettool engine against a minimal C epoll echo server.
#
# Builds nettool (release) and bench/c_echo.c (cc -O2), then for the C server and for
# every engine that `nettool tcp-echo serve --engine` accepts (read from its own list,
# so new engines join automatically) measures, with the server pinned to one core and
# the load generator (`nettool tcp-echo bench`) to the other:
#   1. round trips/s: 100 connections x 64-byte messages, request/response, $DURATION
#      ($PIPELINE messages in flight per connection)
#   2. bulk MB/s: one connection streaming $BULK bytes through the echo
#   (1 and 2 are repeated $REPEAT times and the best run is kept)
#   3. idle: $IDLE_CONNS connections held open (poll, epoll-* and reactor engines, and
#      the C server), with the server's RSS read from /proc while they are held
# Every echoed byte is checked by the load generator; a run with errors is marked.
# Prints a Markdown table with the ratios against the C server.
#
# Environment: DURATION (3s), REPEAT (3), PIPELINE (1), BULK (1G), IDLE_CONNS (10000), IDLE_HOLD (2s),
# SERVER_CPU (0), LOAD_CPU (1), ENGINES (space-separated subset; default: all).
# Traffic stays on 127.0.0.1; every step is bounded in time.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-3s}
REPEAT=${REPEAT:-3}
PIPELINE=${PIPELINE:-1}
BULK=${BULK:-1G}
IDLE_CONNS=${IDLE_CONNS:-10000}
IDLE_HOLD=${IDLE_HOLD:-2s}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}

command -v jq >/dev/null || { echo "echo.sh: needs jq" >&2; exit 1; }
command -v cc >/dev/null || { echo "echo.sh: needs cc" >&2; exit 1; }

cargo build --release --quiet
NT=$PWD/target/release/nettool
mkdir -p target/bench
WORK=$(mktemp -d)
SERVER_PID=""
trap 'stop_server; rm -rf "$WORK"' EXIT
cc -O2 -o target/bench/c_echo bench/c_echo.c
C_ECHO=$PWD/target/bench/c_echo

# Pin to one core each when there are two; otherwise run unpinned and say so.
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
    ON_SERVER=(taskset -c "$SERVER_CPU")
    ON_LOAD=(taskset -c "$LOAD_CPU")
    PINNING="server on CPU $SERVER_CPU, load on CPU $LOAD_CPU (taskset)"
else
    ON_SERVER=()
    ON_LOAD=()
    PINNING="unpinned (fewer than 2 CPUs or no taskset)"
fi

if [ -n "${ENGINES:-}" ]; then
    read -r -a engines <<<"$ENGINES"
else
    # clap lists the valid values when given an invalid one.
    list=$({ "$NT" tcp-echo serve --engine '?' 2>&1 || true; } | sed -n 's/.*\[possible values: \(.*\)\].*/\1/p' | tr -d ',')
    read -r -a engines <<<"$list"
fi
[ ${#engines[@]} -gt 0 ] || { echo "echo.sh: could not read the engine list" >&2; exit 1; }

SERVER_PID=""
ADDR=""

# start_server CMD...: start it pinned, wait (at most 10 s) for `listening on ADDR`.
start_server() {
    : >"$WORK/server.log"
    "${ON_SERVER[@]}" "$@" 2>"$WORK/server.log" >/dev/null &
    SERVER_PID=$!
    for _ in $(seq 200); do
        ADDR=$(sed -n '1s/^listening on //p' "$WORK/server.log")
        [ -n "$ADDR" ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "echo.sh: server $* did not start:" >&2
    cat "$WORK/server.log" >&2
    exit 1
}

stop_server() {
    [ -n "$SERVER_PID" ] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 200); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# load ARGS...: run the load generator pinned; prints its JSON (or nothing on failure).
load() {
    "${ON_LOAD[@]}" "$NT" --json tcp-echo bench "$ADDR" "$@" 2>>"$WORK/load.log" || true
}

# jget FIELD DEFAULT JSON: a field of the load generator's JSON, DEFAULT if absent.
jget() { jq -r "$1 // $2" <<<"${3:-null}" 2>/dev/null || echo "$2"; }

max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 > b + 0 ? a : b) }'; }

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# measure NAME IDLE(yes/no) SERVER-CMD...: one row of results into $WORK/NAME.row
measure() {
    local name=$1 idle=$2
    shift 2
    echo "== $name" >&2
    start_server "$@"
    local rr bulk rt mbs errs=0 rss="-" held="-"
    rt=0
    mbs=0
    # Best of $REPEAT: on a shared machine interference only ever makes a run slower.
    for _ in $(seq "$REPEAT"); do
        rr=$(load -c 100 --size 64 --pipeline "$PIPELINE" -d "$DURATION")
        rt=$(max "$rt" "$(jget .rt_per_sec 0 "$rr")")
        errs=$((errs + $(jget .errors 1 "$rr")))
        bulk=$(load -c 1 --bulk "$BULK" -d 120s)
        mbs=$(max "$mbs" "$(jget .mb_per_sec 0 "$bulk")")
        errs=$((errs + $(jget .errors 1 "$bulk")))
    done
    if [ "$idle" = yes ]; then
        : >"$WORK/idle.err"
        "${ON_LOAD[@]}" "$NT" --json tcp-echo bench "$ADDR" -c "$IDLE_CONNS" --idle "$IDLE_HOLD" \
            >"$WORK/idle.json" 2>"$WORK/idle.err" &
        local idle_pid=$! base_rss
        for _ in $(seq 1200); do # at most 60 s to open them all
            grep -q '^holding' "$WORK/idle.err" && break
            kill -0 "$idle_pid" 2>/dev/null || break
            sleep 0.05
        done
        rss=$(( $(rss_kib "$SERVER_PID") / 1024 ))
        wait "$idle_pid" || true
        held=$(jq -r '"\(.still_served)/\(.requested)"' "$WORK/idle.json" 2>/dev/null || echo "failed")
    fi
    stop_server
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rt" "$mbs" "$rss" "$held" "$errs" >"$WORK/$name.row"
}

measure c-epoll yes "$C_ECHO" 0
for e in "${engines[@]}"; do
    case $e in
        poll | epoll-* | reactor) idle=yes ;;
        *) idle=no ;;
    esac
    measure "$e" "$idle" "$NT" -q tcp-echo serve --engine "$e" -l 127.0.0.1:0
done

IFS=$'\t' read -r _ c_rt c_mbs _ _ _ <"$WORK/c-epoll.row"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $PINNING; $(uname -r)"
echo "round trips: 100 connections x 64 B, pipeline $PIPELINE, $DURATION; bulk: 1 connection x $BULK; best of $REPEAT; idle: $IDLE_CONNS connections held $IDLE_HOLD"
echo
echo "| server | round trips/s | vs C | bulk MB/s | vs C | idle RSS (MiB) | idle held | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for name in c-epoll "${engines[@]}"; do
    IFS=$'\t' read -r n rt mbs rss held errs <"$WORK/$name.row"
    awk -v n="$n" -v rt="$rt" -v mbs="$mbs" -v crt="$c_rt" -v cmbs="$c_mbs" -v rss="$rss" -v held="$held" -v errs="$errs" \
        'BEGIN { printf "| %s | %.0f | %.2f | %.0f | %.2f | %s | %s | %s |\n", n, rt, (crt > 0 ? rt / crt : 0), mbs, (cmbs > 0 ? mbs / cmbs : 0), rss, held, errs }'
done
if [ -s "$WORK/load.log" ]; then
    echo
    echo "load generator messages:" >&2
    sort -u "$WORK/load.log" >&2
fi
