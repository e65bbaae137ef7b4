#!/usr/bin/env bash
# UDP on loopback, two measurements, each the median of ROUNDS interleaved rounds:
#
# 1. send → recv: `nettool udp send` → `nettool udp recv` against `socat` → `socat`,
#    64-byte and 1,400-byte payloads, loss counted. Both senders read the same pipe
#    (head -c N*SIZE /dev/zero) and cut it into SIZE-byte datagrams; both receivers get
#    a 4 MiB receive buffer and write payloads to stdout, which is counted (bytes / SIZE
#    = datagrams delivered). "sent/s" is datagrams over the sender's wall time.
# 2. echo: `nettool udp serve` (the datagram engine) answering a small Python client
#    that keeps WINDOW datagrams in flight (so nothing is lost to a full queue), server
#    pinned to CPU 0 and client to CPU 1. "echoed/s" is round trips over the client's
#    wall time (the client is the bottleneck on 2 cores); "per server CPU-s" is echoes
#    per second of CPU the server used (utime + stime from /proc), the server's own cost.
#
# NETTOOL=path uses that binary instead of building; BASELINE=path adds a second binary
# (e.g. main's) whose rounds alternate with NETTOOL's, for before/after figures. A
# baseline without `udp serve --engine` runs its one loop, labelled "baseline".
# Loopback only; every step is bounded (timeout). Needs socat, python3, taskset.
# Usage: bench/udp.sh [DATAGRAMS (300000)] [ECHOES (200000)] [ROUNDS (3)]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-300000}
E=${2:-200000}
ROUNDS=${3:-3}
WINDOW=${WINDOW:-32}
ENGINES=${ENGINES:-"epoll-et epoll-lt poll select"}
if [ -z "${NETTOOL:-}" ]; then
  cargo build --release -q
  NETTOOL=$PWD/target/release/nettool
fi
for t in socat python3 taskset; do
  command -v "$t" >/dev/null || { echo "bench/udp.sh: needs $t" >&2; exit 1; }
done
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
now() { date +%s.%N; }
# Wait (at most 10 s) for a `listening on` line in FILE.
wait_listening() {
  for _ in $(seq 1000); do grep -q "listening on" "$1" 2>/dev/null && return 0; sleep 0.01; done
  echo "bench/udp.sh: no listening line in $1" >&2; cat "$1" >&2; exit 1
}

# send_recv BIN TOOL SIZE → "sendrecv TOOL SIZE sent/s delivered"
send_recv() {
  local bin=$1 tool=$2 size=$3 port count_file=$tmp/count rpid t0 t1
  port=$(free_port)
  if [ "$tool" = socat ]; then
    ( timeout 120 socat -u -T 1 -b 65536 UDP-RECV:"$port",bind=127.0.0.1,rcvbuf=4194304 STDOUT | wc -c >"$count_file" ) &
    rpid=$!
    # socat prints nothing when ready; wait until the port is bound.
    until ss -Hlun "sport = :$port" | grep -q .; do sleep 0.01; done
  else
    : >"$tmp/recv.err"
    ( timeout 120 "$bin" -q udp recv -l 127.0.0.1:"$port" -n "$N" -w 1 2>"$tmp/recv.err" | wc -c >"$count_file" ) &
    rpid=$!
    wait_listening "$tmp/recv.err"
  fi
  t0=$(now)
  if [ "$tool" = socat ]; then
    head -c $((N * size)) /dev/zero | timeout 120 socat -u -b "$size" STDIN UDP-SENDTO:127.0.0.1:"$port"
  else
    head -c $((N * size)) /dev/zero | timeout 120 "$bin" udp send 127.0.0.1:"$port" --raw --size "$size"
  fi
  t1=$(now)
  wait "$rpid" || true
  awk -v tool="$tool" -v size="$size" -v n="$N" -v bytes="$(cat "$count_file")" -v t0="$t0" -v t1="$t1" \
    'BEGIN { printf "sendrecv %s %d %.0f %d\n", tool, size, n / (t1 - t0), int(bytes / size) }'
}

cat >"$tmp/echo_client.py" <<'PY'
import socket, sys, time
port, n, size, window = (int(a) for a in sys.argv[1:5])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(("127.0.0.1", port))
s.settimeout(1.0)
payload = b"\0" * size
sent = got = 0
t0 = time.perf_counter()
while sent < n:
    k = min(window, n - sent)
    for _ in range(k):
        s.send(payload)
    sent += k
    try:
        for _ in range(k):
            if len(s.recv(65536)) == size:
                got += 1
    except socket.timeout:
        pass  # counted as lost
print(got, time.perf_counter() - t0)
PY

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# echo_run BIN LABEL SIZE [ENGINE] → "echo LABEL SIZE echoed/s per-server-cpu-s lost"
echo_run() {
  local bin=$1 label=$2 size=$3 engine=${4:-} port spid c0 c1 res
  port=$(free_port)
  : >"$tmp/serve.err"
  local args=(-q udp serve -l 127.0.0.1:"$port")
  [ -n "$engine" ] && args+=(--engine "$engine")
  # taskset execs the server, so $! is its pid (for /proc/PID/stat); the trap stops it.
  taskset -c 0 "$bin" "${args[@]}" 2>"$tmp/serve.err" &
  spid=$!
  pids+=("$spid")
  wait_listening "$tmp/serve.err"
  c0=$(cpu_ticks "$spid")
  res=$(taskset -c 1 timeout 300 python3 "$tmp/echo_client.py" "$port" "$E" "$size" "$WINDOW")
  c1=$(cpu_ticks "$spid")
  kill -TERM "$spid"; wait "$spid" || true
  awk -v label="$label" -v size="$size" -v n="$E" -v res="$res" -v ticks=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN { split(res, r, " "); cpu = ticks / hz; if (cpu <= 0) cpu = 1 / hz;
             printf "echo %s %d %.0f %.0f %d\n", label, size, r[1] / r[2], r[1] / cpu, n - r[1] }'
}

has_engine_flag() { "$1" udp serve --help 2>/dev/null | grep -q -- "--engine"; }

results=$tmp/results
for round in $(seq "$ROUNDS"); do
  for which in NETTOOL BASELINE; do
    bin=${!which:-}
    [ -n "$bin" ] || continue
    tag=$( [ "$which" = NETTOOL ] && echo new || echo baseline )
    for size in 64 1400; do
      send_recv "$bin" "nettool-$tag" "$size" >>"$results"
      if has_engine_flag "$bin"; then
        for engine in $ENGINES; do echo_run "$bin" "$tag-$engine" "$size" "$engine" >>"$results"; done
      else
        echo_run "$bin" "$tag" "$size" >>"$results"
      fi
    done
  done
  for size in 64 1400; do send_recv "" socat "$size" >>"$results"; done
  echo "round $round of $ROUNDS done" >&2
done

# Medians per (kind, label, size).
python3 - "$results" "$N" "$E" "$WINDOW" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    kind, label, size, *vals = line.split()
    rows.setdefault((kind, label, int(size)), []).append([float(v) for v in vals])
def med(vals, i):
    return statistics.median(v[i] for v in vals)
print("send → recv (%s datagrams a run; medians of %d rounds)" % (sys.argv[2], len(next(iter(rows.values())))))
print("| sender → receiver | bytes | sent/s | delivered | loss |")
print("|---|---|---|---|---|")
n = int(sys.argv[2])
for (kind, label, size), vals in sorted(rows.items()):
    if kind == "sendrecv":
        got = med(vals, 1)
        print(f"| {label} | {size} | {med(vals, 0):,.0f} | {got:,.0f} | {100 * (n - got) / n:.2f}% |")
print()
print("udp serve echo (%s round trips a run, window %s; medians)" % (sys.argv[3], sys.argv[4]))
print("| server | bytes | echoed/s | echoes per server CPU-s | lost |")
print("|---|---|---|---|---|")
for (kind, label, size), vals in sorted(rows.items()):
    if kind == "echo":
        print(f"| {label} | {size} | {med(vals, 0):,.0f} | {med(vals, 1):,.0f} | {med(vals, 2):.0f} |")
PY
echo "($(nproc) cores, $(uname -r))"
