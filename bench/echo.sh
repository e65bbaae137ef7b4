#!/usr/bin/env bash
# Echo benchmark: every nettool engine against a minimal C epoll echo server
# (bench/c_echo.c), measuring what each server *spends*, not only what the client can
# push: on a 2-core machine the load generator saturates its own core first, so
# round trips/s alone hides the server's cost.
#
# Builds nettool (release) and bench/c_echo.c (cc -O2), starts every server once
# (pinned to CPU $SERVER_CPU; the load generator `nettool tcp-echo bench` runs on
# $LOAD_CPU), then in $ROUNDS alternating rounds (server by server, so a slow minute on
# a shared machine does not land on one server only) measures
#   1. 100 connections x 64-byte ping-pong for $DURATION
#   2. 1,000 connections x 64-byte ping-pong for $DURATION
#   3. one connection streaming $BULK bytes through the echo
# and for each the server's CPU time over the run (utime+stime of the server process,
# its threads and its children — reaped or running — from /proc/PID/stat). Each cell
# is the median of its rounds: round trips/s, round trips per server CPU-second, MB/s,
# MB per server CPU-second. Then, once per server:
#   4. syscalls per round trip: `strace -c -f` attached for a short separate 100-connection
#      run (strace slows the server; the count per round trip is what it measures)
#   5. idle: $IDLE_CONNS connections held open (poll, epoll-*, reactor, io-uring and the
#      C server), the server's RSS read while they are held
# Every echoed byte is checked by the load generator; errors are counted per server.
# Prints a Markdown table with the ratios against the C server.
#
# Environment: DURATION (3s), ROUNDS (3), PIPELINE (1), BULK (1G), IDLE_CONNS (10000),
# IDLE_HOLD (2s), STRACE_RUN (1s), SERVER_CPU (0), LOAD_CPU (1), ENGINES
# (space-separated subset; default: all). Traffic stays on 127.0.0.1; every step is
# bounded in time.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-3s}
ROUNDS=${ROUNDS:-3}
PIPELINE=${PIPELINE:-1}
BULK=${BULK:-1G}
IDLE_CONNS=${IDLE_CONNS:-10000}
IDLE_HOLD=${IDLE_HOLD:-2s}
STRACE_RUN=${STRACE_RUN:-1s}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}

for t in jq cc; do
    command -v "$t" >/dev/null || { echo "echo.sh: needs $t" >&2; exit 1; }
done

cargo build --release --quiet
NT=$PWD/target/release/nettool
mkdir -p target/bench
WORK=$(mktemp -d "$PWD/target/bench/echo.XXXXXX")
declare -A PID ADDR
cleanup() {
    for name in "${!PID[@]}"; do stop_server "$name"; done
    rm -rf "$WORK"
}
trap cleanup EXIT
cc -O2 -o target/bench/c_echo bench/c_echo.c
C_ECHO=$PWD/target/bench/c_echo
TICKS=$(getconf CLK_TCK)

# shellcheck source=bench/lib.sh
source bench/lib.sh
echo_pinning

if [ -n "${ENGINES:-}" ]; then
    read -r -a engines <<<"$ENGINES"
else
    # clap lists the valid values when given an invalid one.
    list=$({ "$NT" tcp-echo serve --engine '?' 2>&1 || true; } | sed -n 's/.*\[possible values: \(.*\)\].*/\1/p' | tr -d ',')
    read -r -a engines <<<"$list"
fi
[ ${#engines[@]} -gt 0 ] || { echo "echo.sh: could not read the engine list" >&2; exit 1; }
servers=(c-epoll "${engines[@]}")

# tree_ticks PID: CPU ticks (user + system) of PID, its reaped children and, recursively,
# its running children.
tree_ticks() {
    local pid=$1 total=0 t c
    t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$t
    for c in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
        total=$((total + $(tree_ticks "$c")))
    done
    echo "$total"
}

# load NAME ARGS...: run the load generator pinned against server NAME; prints its JSON
# and the server's CPU ticks over the run as `TICKS JSON`.
load() {
    local name=$1 before after out
    shift
    before=$(tree_ticks "${PID[$name]}")
    out=$("${ON_LOAD[@]}" "$NT" --json tcp-echo bench "${ADDR[$name]}" "$@" 2>>"$WORK/load.log" || true)
    # A fork server's children exit (and are reaped, their time moving to the
    # parent's cutime) just after the load closes them: read once they are gone.
    for _ in $(seq 100); do
        [ -z "$(cat /proc/"${PID[$name]}"/task/*/children 2>/dev/null)" ] && break
        sleep 0.05
    done
    after=$(tree_ticks "${PID[$name]}")
    echo "$((after - before)) ${out:-null}"
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : 0) }'; }
per_cpu() { awk -v n="$1" -v t="$2" -v hz="$TICKS" 'BEGIN { printf "%.0f", (t > 0 ? n / (t / hz) : 0) }'; }

start_server c-epoll "$C_ECHO" 0
for e in "${engines[@]}"; do
    start_server "$e" "$NT" -q tcp-echo serve --engine "$e" -l 127.0.0.1:0
done

declare -A cell errs
for name in "${servers[@]}"; do errs[$name]=0; done
for round in $(seq "$ROUNDS"); do
    for name in "${servers[@]}"; do
        echo "== round $round: $name" >&2
        for c in 100 1000; do
            read -r t j < <(load "$name" -c "$c" --size 64 --pipeline "$PIPELINE" -d "$DURATION")
            cell[$name,rt$c]+="$(jget .rt_per_sec 0 "$j") "
            cell[$name,cpu$c]+="$(per_cpu "$(jget .round_trips 0 "$j")" "$t") "
            errs[$name]=$((errs[$name] + $(jget .errors 1 "$j")))
        done
        read -r t j < <(load "$name" -c 1 --bulk "$BULK" -d 120s)
        cell[$name,mbs]+="$(jget .mb_per_sec 0 "$j") "
        cell[$name,mbcpu]+="$(per_cpu "$(jget .bytes 0 "$j" | awk '{ print $1 / 1e6 }')" "$t") "
        errs[$name]=$((errs[$name] + $(jget .errors 1 "$j")))
    done
done

# Syscalls per round trip: one short traced run per server.
declare -A sys_rt
if command -v strace >/dev/null; then
    for name in "${servers[@]}"; do
        echo "== strace: $name" >&2
        strace -c -f -p "${PID[$name]}" -o "$WORK/$name.strace" 2>/dev/null &
        spid=$!
        sleep 0.5 # attached to every thread
        out=$("${ON_LOAD[@]}" "$NT" --json tcp-echo bench "${ADDR[$name]}" -c 100 --size 64 -d "$STRACE_RUN" 2>>"$WORK/load.log" || true)
        sleep 0.2
        kill -INT "$spid" 2>/dev/null || true
        wait "$spid" 2>/dev/null || true
        calls=$(awk '$NF == "total" { print $4 }' "$WORK/$name.strace" 2>/dev/null || echo 0)
        sys_rt[$name]=$(awk -v c="${calls:-0}" -v n="$(jget .round_trips 0 "$out")" 'BEGIN { printf "%.2f", (n > 0 ? c / n : 0) }')
    done
fi

# Idle connections: the server's RSS while they are held.
declare -A idle
for name in "${servers[@]}"; do
    case $name in
        c-epoll | poll | epoll-* | reactor | io-uring) ;;
        *) idle[$name]="- -"; continue ;;
    esac
    echo "== idle: $name" >&2
    : >"$WORK/idle.err"
    "${ON_LOAD[@]}" "$NT" --json tcp-echo bench "${ADDR[$name]}" -c "$IDLE_CONNS" --idle "$IDLE_HOLD" \
        >"$WORK/idle.json" 2>"$WORK/idle.err" &
    idle_pid=$!
    for _ in $(seq 1200); do # at most 60 s to open them all
        grep -q '^holding' "$WORK/idle.err" && break
        kill -0 "$idle_pid" 2>/dev/null || break
        sleep 0.05
    done
    rss=$(($(rss_kib "${PID[$name]}") / 1024))
    wait "$idle_pid" || true
    held=$(jq -r '"\(.still_served)/\(.requested)"' "$WORK/idle.json" 2>/dev/null || echo "failed")
    idle[$name]="$rss $held"
done

med() { median <<<"${cell[$1,$2]}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $PINNING; $(uname -r)"
echo "round trips: 100 and 1,000 connections x 64 B, pipeline $PIPELINE, $DURATION; bulk: 1 connection x $BULK;"
echo "median of $ROUNDS alternating rounds; per CPU-s = per second of server CPU (utime+stime, threads and children);"
echo "syscalls/rt: strace -c -f over a $STRACE_RUN run of 100 connections; idle: $IDLE_CONNS connections held $IDLE_HOLD"
echo
echo "| server | rt/s (100) | rt per CPU-s (100) | vs C | rt/s (1,000) | rt per CPU-s (1,000) | vs C | bulk MB/s | MB per CPU-s | vs C | syscalls/rt | idle RSS (MiB) | idle held | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for name in "${servers[@]}"; do
    read -r rss held <<<"${idle[$name]}"
    printf '| %s | %.0f | %s | %s | %.0f | %s | %s | %.0f | %s | %s | %s | %s | %s | %s |\n' "$name" \
        "$(med "$name" rt100)" "$(med "$name" cpu100)" "$(ratio "$(med "$name" cpu100)" "$(med c-epoll cpu100)")" \
        "$(med "$name" rt1000)" "$(med "$name" cpu1000)" "$(ratio "$(med "$name" cpu1000)" "$(med c-epoll cpu1000)")" \
        "$(med "$name" mbs)" "$(med "$name" mbcpu)" "$(ratio "$(med "$name" mbcpu)" "$(med c-epoll mbcpu)")" \
        "${sys_rt[$name]:--}" "$rss" "$held" "${errs[$name]}"
done
if [ -s "$WORK/load.log" ]; then
    echo
    echo "load generator messages:" >&2
    sort -u "$WORK/load.log" >&2
fi
