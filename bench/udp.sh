#!/usr/bin/env bash
# UDP datagrams per second on loopback: `nettool udp send` → `nettool udp recv`
# against `socat` → `socat`, 64-byte and 1,400-byte payloads, loss counted.
#
# Both senders read the same pipe (head -c N*SIZE /dev/zero) and cut it into SIZE-byte
# datagrams; both receivers get a 4 MiB receive buffer and write payloads to stdout,
# which is counted (bytes / SIZE = datagrams delivered). "sent/s" is datagrams over
# the sender's wall time; "delivered" is what reached the receiver's stdout.
# Loopback only. Usage: bench/udp.sh [DATAGRAMS]   (default 300000; needs socat)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-300000}
cargo build --release -q
BIN=$PWD/target/release/nettool
command -v socat >/dev/null || { echo "needs socat" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

free_port() { python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
now() { date +%s.%N; }

# run_one TOOL SIZE → prints "TOOL SIZE sent/s delivered loss%"
run_one() {
  local tool=$1 size=$2 port count_file=$tmp/count
  port=$(free_port)
  if [ "$tool" = nettool ]; then
    ( "$BIN" -q udp recv -l 127.0.0.1:$port -n "$N" -w 1 2>"$tmp/recv.err" | wc -c >"$count_file" ) &
    until grep -q "listening on" "$tmp/recv.err" 2>/dev/null; do sleep 0.01; done
  else
    ( socat -u -T 1 -b 65536 UDP-RECV:$port,bind=127.0.0.1,rcvbuf=4194304 STDOUT | wc -c >"$count_file" ) &
    # socat prints nothing when ready; wait until the port is bound.
    until ss -Hlun "sport = :$port" | grep -q .; do sleep 0.01; done
  fi
  local rpid=$! t0 t1
  t0=$(now)
  if [ "$tool" = nettool ]; then
    head -c $((N * size)) /dev/zero | "$BIN" udp send 127.0.0.1:$port --raw --size "$size"
  else
    head -c $((N * size)) /dev/zero | socat -u -b "$size" STDIN UDP-SENDTO:127.0.0.1:$port
  fi
  t1=$(now)
  wait "$rpid" || true
  local bytes got
  bytes=$(cat "$count_file")
  got=$((bytes / size))
  awk -v tool="$tool" -v size="$size" -v n="$N" -v got="$got" -v t0="$t0" -v t1="$t1" 'BEGIN {
    printf "| %-7s | %5d | %10.0f | %9d | %5.2f%% |\n", tool, size, n / (t1 - t0), got, 100 * (n - got) / n }'
}

echo "| tool    | bytes |    sent/s  | delivered |  loss  |"
echo "|---------|-------|------------|-----------|--------|"
for size in 64 1400; do
  for tool in nettool socat; do
    run_one "$tool" "$size"
  done
done
echo "($N datagrams each; $(nproc) cores, $(uname -r))"
