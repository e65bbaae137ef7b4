#!/usr/bin/env bash
# Relays: nettool tcp-echo relay (on several engines) vs socat's
# TCP-LISTEN:…,fork TCP:…, and both vs a direct connection, all in front of the same
# echo backend (nettool tcp-echo serve --engine epoll-et).
#   throughput  one client pushes BYTES and reads them back (MiB/s, both directions)
#   latency     one client, 64-byte ping-pong ROUNDS times; "added" is the relay's
#               share of each round trip (µs) over the direct connection
#   CPU         the relay's CPU time (user+sys, its reaped children included: fork and
#               socat) per GiB relayed and per round trip. On a shared 2-core box the
#               load tool competes for the CPU; the per-unit CPU figures are the steady ones.
# Every run is bounded (BYTES, ROUNDS, a timeout per run). Run: bench/relay.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BYTES=${BYTES:-$((256 << 20))}
ROUNDS=${ROUNDS:-20000}
ENGINES=${ENGINES:-"epoll-et epoll-lt poll thread fork"}
command -v socat >/dev/null || { echo "needs socat" >&2; exit 1; }
cargo build --release -q
BIN=target/release/nettool
DIR=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$DIR"; }
trap cleanup EXIT
TICK=$(getconf CLK_TCK)

cat > "$DIR/load.py" <<'PY'
import socket, sys, threading, time
mode, addr, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
h, p = addr.rsplit(":", 1)
s = socket.create_connection((h, int(p))); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
if mode == "bulk":
    chunk = b"x" * 65536
    def writer():
        left = n
        while left > 0:
            k = min(left, len(chunk)); s.sendall(chunk[:k]); left -= k
        s.shutdown(socket.SHUT_WR)
    t0 = time.perf_counter(); w = threading.Thread(target=writer); w.start()
    got = 0
    while True:
        b = s.recv(1 << 20)
        if not b: break
        got += len(b)
    w.join(); dt = time.perf_counter() - t0
    assert got == n, (got, n)
    print(f"{n / dt / (1 << 20):.0f}")
else:
    msg = b"p" * 64
    t0 = time.perf_counter()
    for _ in range(n):
        s.sendall(msg); k = 0
        while k < 64: k += len(s.recv(64 - k))
    dt = time.perf_counter() - t0
    print(f"{n / dt:.0f}")
s.close()
PY

# CPU ticks of a process and its reaped children (utime stime cutime cstime).
ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$1/stat"; }
listening() { # pid errfile -> host:port once the ready line is there
    for _ in $(seq 200); do
        a=$(sed -n 's/^listening on //p' "$2" | head -1)
        [ -n "$a" ] && { echo "$a"; return; }
        grep -o 'listening on AF=2 [0-9.:]*' "$2" 2>/dev/null | head -1 | sed 's/.*AF=2 //' | grep . && return
        sleep 0.05
    done
    echo "not ready: $1" >&2; exit 1
}

"$BIN" -q tcp-echo serve -l 127.0.0.1:0 --engine epoll-et 2>"$DIR/backend.err" & PIDS+=($!)
BACKEND=$(listening $! "$DIR/backend.err")

DIRECT_RTT=0
row() { # name pid addr
    local name=$1 pid=$2 addr=$3 t0 t1 t2 mibs rtt
    t0=$([ "$pid" = - ] && echo 0 || ticks "$pid")
    mibs=$(timeout 120 python3 "$DIR/load.py" bulk "$addr" "$BYTES")
    t1=$([ "$pid" = - ] && echo 0 || ticks "$pid")
    rtt=$(timeout 120 python3 "$DIR/load.py" rtt "$addr" "$ROUNDS")
    t2=$([ "$pid" = - ] && echo 0 || ticks "$pid")
    if [ "$pid" = - ]; then
        DIRECT_RTT=$rtt
        printf "| %-22s | %6s MiB/s | %7s rt/s | %10s | %12s | %11s |\n" "$name" "$mibs" "$rtt" "-" "-" "-"
        return
    fi
    awk -v n="$name" -v m="$mibs" -v r="$rtt" -v d="$DIRECT_RTT" -v a="$t0" -v b="$t1" -v c="$t2" \
        -v tick="$TICK" -v bytes="$BYTES" -v rounds="$ROUNDS" 'BEGIN {
        added = (1e6 / r) - (1e6 / d)
        gib = 2 * bytes / 2^30   # each byte crosses the relay twice (there and back)
        printf "| %-22s | %6s MiB/s | %7s rt/s | %7.1f µs | %7.2f s/GiB | %8.1f µs |\n",
            n, m, r, added, (b - a) / tick / gib, (c - b) / tick / rounds * 1e6 }'
}

echo "backend: nettool tcp-echo serve --engine epoll-et on $BACKEND; $((BYTES >> 20)) MiB each way, $ROUNDS round trips"
printf "| %-22s | %12s | %12s | %10s | %12s | %11s |\n" "path" "throughput" "ping-pong" "added" "relay CPU" "CPU per rt"
printf "|%s|\n" "------------------------|--------------|--------------|------------|--------------|-------------"
row "direct" - "$BACKEND"

socat -d -d TCP-LISTEN:0,bind=127.0.0.1,fork,reuseaddr "TCP:$BACKEND" 2>"$DIR/socat.err" & SP=$!; PIDS+=($SP)
row "socat (fork)" "$SP" "$(listening $SP "$DIR/socat.err")"
kill "$SP"

for e in $ENGINES; do
    "$BIN" -q tcp-echo relay -l 127.0.0.1:0 "$BACKEND" --engine "$e" 2>"$DIR/relay-$e.err" & RP=$!; PIDS+=($RP)
    row "nettool relay $e" "$RP" "$(listening $RP "$DIR/relay-$e.err")"
    kill "$RP"
done
