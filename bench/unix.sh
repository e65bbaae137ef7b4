#!/usr/bin/env bash
# Stream echo over a Unix socket: nettool vs socat, and both over TCP loopback.
# Measures throughput (MiB/s, one client pushing and reading back BYTES) and round
# trips per second (one client, 64-byte ping-pong, ROUNDS times). The load tool is a
# small Python client below, the same for every server, so the figures compare the
# servers, not the clients. Run: bench/unix.sh   (builds --release first)
set -euo pipefail
cd "$(dirname "$0")/.."
BYTES=${BYTES:-$((256 << 20))}
ROUNDS=${ROUNDS:-20000}
command -v socat >/dev/null || { echo "needs socat" >&2; exit 1; }
cargo build --release -q
BIN=target/release/nettool
DIR=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$DIR"; }
trap cleanup EXIT

cat > "$DIR/load.py" <<'PY'
import socket, sys, threading, time
kind, addr, nbytes, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def conn():
    if kind == "unix":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(addr)
    else:
        h, p = addr.rsplit(":", 1)
        s = socket.create_connection((h, int(p))); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s
# throughput: a writer thread pushes, the main thread reads everything back
s = conn(); chunk = b"x" * 65536
def writer():
    left = nbytes
    while left > 0:
        n = min(left, len(chunk)); s.sendall(chunk[:n]); left -= n
    s.shutdown(socket.SHUT_WR)
t0 = time.perf_counter(); w = threading.Thread(target=writer); w.start()
got = 0
while True:
    b = s.recv(1 << 20)
    if not b: break
    got += len(b)
w.join(); dt = time.perf_counter() - t0; s.close()
assert got == nbytes, (got, nbytes)
mibs = nbytes / dt / (1 << 20)
# round trips
s = conn(); msg = b"p" * 64
t0 = time.perf_counter()
for _ in range(rounds):
    s.sendall(msg); n = 0
    while n < 64: n += len(s.recv(64 - n))
dt = time.perf_counter() - t0; s.close()
print(f"{mibs:.0f} {rounds / dt:.0f}")
PY

wait_for() { for _ in $(seq 100); do eval "$1" && return 0; sleep 0.05; done; echo "not ready: $1" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run() { # name kind addr
    read -r mibs rtt < <(python3 "$DIR/load.py" "$2" "$3" "$BYTES" "$ROUNDS")
    printf "| %-28s | %8s MiB/s | %8s round trips/s |\n" "$1" "$mibs" "$rtt"
}

echo "| server                       | throughput     | latency                 |"
echo "|------------------------------|----------------|-------------------------|"
"$BIN" -q unix serve "$DIR/n.sock" 2>/dev/null & PIDS+=($!)
wait_for "[ -S $DIR/n.sock ]"
run "nettool unix serve (thread)" unix "$DIR/n.sock"
socat UNIX-LISTEN:"$DIR/s.sock",fork PIPE & PIDS+=($!)
wait_for "[ -S $DIR/s.sock ]"
run "socat UNIX-LISTEN,fork PIPE" unix "$DIR/s.sock"
P=$(free_port)
"$BIN" -q tcp-echo serve -l 127.0.0.1:$P 2>/dev/null & PIDS+=($!)
wait_for "(exec 3<>/dev/tcp/127.0.0.1/$P) 2>/dev/null"
run "nettool tcp-echo serve (TCP)" tcp 127.0.0.1:$P
P=$(free_port)
socat TCP-LISTEN:$P,fork,reuseaddr,bind=127.0.0.1 PIPE & PIDS+=($!)
wait_for "(exec 3<>/dev/tcp/127.0.0.1/$P) 2>/dev/null"
run "socat TCP-LISTEN,fork PIPE" tcp 127.0.0.1:$P
