#!/usr/bin/env bash
# Benchmark `nettool stat` against ss and netstat with 10,000 TCP sockets open on
# loopback (5,000 connections = 10,000 sockets, plus one listener), held by a bounded
# helper that exits by itself after HOLD seconds at most.
#
#   bench/stat.sh            # prints a Markdown table (hyperfine if present, else a loop)
#
# Needs: python3 (the helper), iproute2 (ss), net-tools (netstat), hyperfine optional.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS=${CONNS:-5000}
HOLD=${HOLD:-300}
RUNS=${RUNS:-20}

have() { command -v "$1" >/dev/null 2>&1; }
need=()
have ss || need+=(iproute2)
have netstat || need+=(net-tools)
have python3 || need+=(python3)
have hyperfine || need+=(hyperfine)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # hyperfine is optional: carry on without it when the package is missing.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
       $(printf '%s\n' "${need[@]}" | grep -v hyperfine) >/dev/null
fi

cargo build --release -q
NT=target/release/nettool

ulimit -n $((CONNS * 2 + 100))
ready=$(mktemp)
trap 'kill "$helper" 2>/dev/null || true; rm -f "$ready"' EXIT
python3 - "$CONNS" "$HOLD" "$ready" <<'PY' &
import socket, sys, time
conns, hold, ready = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen(4096)
port = l.getsockname()[1]
keep = []
for _ in range(conns):
    c = socket.create_connection(("127.0.0.1", port))
    s, _ = l.accept()
    keep += [c, s]
open(ready, "w").write(str(port))
time.sleep(hold)  # bounded: exits by itself
PY
helper=$!
for _ in $(seq 600); do [ -s "$ready" ] && break; sleep 0.1; done
[ -s "$ready" ] || { echo "helper did not open its sockets" >&2; exit 1; }
echo "sockets open: $(ss -tan | wc -l) TCP lines in ss" >&2

if have hyperfine; then
  md=$(mktemp)
  hyperfine -N --warmup 3 --runs "$RUNS" --export-markdown "$md" --style none \
    "$NT stat -tan" "ss -tan" "netstat -tan" >/dev/null
  cat "$md"
  echo
  hyperfine -N --warmup 2 --runs "$RUNS" --export-markdown "$md" --style none \
    "$NT stat -tanp" "ss -tanp" >/dev/null
  cat "$md"
  rm -f "$md"
else
  time_it() {
    local t0 t1
    t0=$(date +%s%N)
    for _ in $(seq "$RUNS"); do "$@" >/dev/null; done
    t1=$(date +%s%N)
    echo "| \`$*\` | $(( (t1 - t0) / RUNS / 1000 )) µs |"
  }
  echo "| command | mean |"
  echo "|---|---|"
  for c in "$NT stat -tan" "ss -tan" "netstat -tan" "$NT stat -tanp" "ss -tanp"; do
    # shellcheck disable=SC2086
    time_it $c
  done
fi
