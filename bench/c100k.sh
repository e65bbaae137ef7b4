#!/usr/bin/env bash
# C100K where the limits allow: hold as many idle connections as the descriptor limit
# allows (100,000 when it allows that many) to each server, prove every one still
# echoes after the hold, and report what an idle connection costs.
#
# For each engine in $ENGINES (default: epoll-et io-uring): start `tcp-echo serve -v`
# (its limits line says how far RLIMIT_NOFILE went and which ceiling stopped it), warm
# it up, read its RSS and the kernel's slab memory, open the connections with
# `tcp-echo bench --idle` (spread over 127.0.0.1, 127.0.0.2, … so one address's
# ephemeral ports are no wall), read both again while they are held, and let the
# bench check that each connection still echoes. Reported per engine:
#   * user-space bytes per idle connection: the server's RSS growth / connections
#   * kernel bytes per connection end: slab growth / (2 x connections) — both ends of
#     every connection live in this one kernel (approximate: the machine is shared)
#   * what 100,000 would take: descriptors for each side and memory, from those figures
#
# Environment: ENGINES, CONNS (default: the most the limit allows, at most 100000),
# HOLD (5s). Needs jq. Traffic stays on loopback; every step is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
ENGINES=${ENGINES:-"epoll-et io-uring"}
HOLD=${HOLD:-5s}
command -v jq >/dev/null || { echo "c100k.sh: needs jq" >&2; exit 1; }
cargo build --release --quiet
NT=$PWD/target/release/nettool
mkdir -p target/bench
WORK=$(mktemp -d "$PWD/target/bench/c100k.XXXXXX")
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

nr_open=$(cat /proc/sys/fs/nr_open)
hard=$(ulimit -Hn)
# Can this process raise its hard limit (CAP_SYS_RESOURCE)? nettool then goes to fs.nr_open.
if (ulimit -Hn "$nr_open") 2>/dev/null; then
    limit=$nr_open
    why="fs.nr_open ($nr_open)"
else
    limit=$hard
    why="the hard limit ($hard; raising it needs CAP_SYS_RESOURCE)"
fi
# Each side holds one descriptor per connection plus a few of its own.
most=$((limit - 64))
conns=${CONNS:-$((most < 100000 ? most : 100000))}
if [ "$conns" -gt "$most" ]; then
    echo "c100k.sh: $conns connections do not fit: the limit is $limit, set by $why" >&2
    exit 1
fi

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
slab_kib() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }

declare -A row
for e in $ENGINES; do
    echo "== $e: $conns connections" >&2
    "$NT" -v tcp-echo serve --engine "$e" -l 127.0.0.1:0 2>"$WORK/server.log" >/dev/null &
    SERVER_PID=$!
    addr=""
    for _ in $(seq 200); do
        addr=$(sed -n '1s/^listening on //p' "$WORK/server.log")
        [ -n "$addr" ] && break
        sleep 0.05
    done
    [ -n "$addr" ] || { cat "$WORK/server.log" >&2; exit 1; }
    "$NT" -q tcp-echo bench "$addr" -c 10 -d 200ms >/dev/null # warm-up
    ceiling=$(grep -o 'connection ceiling.*' "$WORK/server.log" | head -1)
    rss0=$(rss_kib "$SERVER_PID")
    slab0=$(slab_kib)
    : >"$WORK/idle.err"
    timeout 600 "$NT" --json tcp-echo bench "$addr" -c "$conns" --idle "$HOLD" -w 10 \
        >"$WORK/idle.json" 2>"$WORK/idle.err" &
    idle_pid=$!
    for _ in $(seq 6000); do # at most 10 minutes to open them all
        grep -q '^holding' "$WORK/idle.err" && break
        kill -0 "$idle_pid" 2>/dev/null || break
        sleep 0.1
    done
    rss1=$(rss_kib "$SERVER_PID")
    slab1=$(slab_kib)
    wait "$idle_pid" || true
    j=$(cat "$WORK/idle.json" 2>/dev/null || echo null)
    served=$(jq -r '.still_served // 0' <<<"$j")
    sources=$(jq -r '.sources // 0' <<<"$j")
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" || true
    SERVER_PID=""
    user=$(( (rss1 - rss0) * 1024 / conns ))
    kernel=$(( (slab1 - slab0) * 1024 / (2 * conns) ))
    row[$e]="$served $sources $user $kernel"
    echo "$e: $ceiling" >&2
    if [ "$served" -ne "$conns" ]; then
        echo "c100k.sh: $e: only $served of $conns idle connections still echoed" >&2
        grep -v '^holding' "$WORK/idle.err" >&2 || true
    fi
done

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r); RLIMIT_NOFILE reachable: $limit, set by $why"
echo "$conns idle connections per server, held $HOLD, every one echoing before and after"
echo
echo "| server | held and still echoing | source addresses | user-space bytes / connection | kernel bytes / connection end | 100,000 would take |"
echo "|---|---:|---:|---:|---:|---|"
for e in $ENGINES; do
    read -r served sources user kernel <<<"${row[$e]}"
    need=$(awk -v u="$user" -v k="$kernel" 'BEGIN { printf "100,064 descriptors per side (RLIMIT_NOFILE >= 100064); %.0f MiB of server RSS, %.0f MiB of kernel memory for both ends", u * 1e5 / 1048576, 2 * k * 1e5 / 1048576 }')
    echo "| $e | $served/$conns | $sources | $user | $kernel | $need |"
done
