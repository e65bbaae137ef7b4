#!/usr/bin/env bash
# HTTPS: serve-http --tls against nginx with ssl (Debian's nginx-light), the same
# certificate (ECDSA P-256), TLS 1.3 on both, access logs off, wrk pinned to one core
# and each server to the other. Columns: 1 KiB keep-alive req/s, 10 MiB MB/s (bytes
# read over the run's length), and — since on this 2-core box wrk saturates its core
# first — the work per server CPU-second for both (requests, or MB, per second of
# the server's own user+system time, from /proc/PID/stat). Each figure is the median
# of ROUNDS runs, servers interleaved round by round.
# With kernel TLS (tls(7)) available, serve-http --ktls and nginx with
# `ssl_conf_command Options KTLS` get rows of their own; without it the script says
# so in one line (serve-http --ktls refuses to start there).
# Everything on 127.0.0.1 with free ports; every run is bounded by SECONDS; servers
# are stopped by a trap.
# Needs: wrk nginx-light openssl curl python3 taskset (apt-get install them).
# Usage: bench/https.sh [SECONDS per run, default 5] [CONNECTIONS, default 32] [ROUNDS, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-5}"
conns="${2:-32}"
rounds="${3:-3}"
for t in wrk nginx openssl curl python3 taskset; do
  command -v "$t" >/dev/null || { echo "bench/https.sh: needs $t" >&2; exit 1; }
done
cargo build --release --quiet
nettool="$PWD/target/release/nettool"

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_workdir nettool-https
www="$work/www"
mkdir -p "$www"
head -c 1024 /dev/urandom >"$www/1k.bin"
head -c $((10 * 1024 * 1024)) /dev/urandom >"$www/10m.bin"
chmod -R a+rX "$www"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() {
  for _ in $(seq 100); do
    curl -sk -o /dev/null "https://127.0.0.1:$1/1k.bin" && return 0
    sleep 0.1
  done
  echo "server on port $1 did not come up" >&2
  return 1
}

# wrk reports through its Lua `done` hook: requests, bytes, microseconds, errors.
cat >"$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("%d %d %d %d\n", summary.requests, summary.bytes, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout))
end
LUA

hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# run_wrk PID URL -> "req/s MB/s req_per_cpu_s MB_per_cpu_s"
run_wrk() {
  local before after reqs bytes us errs
  before=$(cpu_ticks "$1")
  read -r reqs bytes us errs < <(taskset -c 0 wrk -t1 -c"$conns" -d"${secs}s" -s "$work/report.lua" "$2" | tail -1)
  after=$(cpu_ticks "$1")
  [ "$errs" -eq 0 ] || echo "bench/https.sh: $2: $errs errors" >&2
  awk -v r="$reqs" -v b="$bytes" -v us="$us" -v t=$((after - before)) -v hz="$hz" 'BEGIN {
    s = us / 1e6; c = t / hz; if (c <= 0) c = 1 / hz
    printf "%.0f %.1f %.0f %.1f\n", r / s, b / s / 1e6, r / c, b / c / 1e6 }'
}

start_server() { # name port -> sets spid
  local name=$1 port=$2
  case $name in
    nettool | nettool-ktls)
      local k=()
      [[ $name == nettool-ktls ]] && k=(--ktls)
      taskset -c 1 "$nettool" -q serve-http "$www" -l "127.0.0.1:$port" --tls \
        --cert "$work/cert.pem" --key "$work/key.pem" "${k[@]}" 2>/dev/null &
      ;;
    nginx | nginx-ktls)
      local k=""
      [[ $name == nginx-ktls ]] && k="ssl_conf_command Options KTLS;"
      mkdir -p "$work/$name"
      cat >"$work/$name/nginx.conf" <<CONF
worker_processes 1; master_process off; daemon off; user root;
pid $work/$name/nginx.pid; error_log /dev/null crit;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  include /etc/nginx/mime.types;
  client_body_temp_path $work/$name; proxy_temp_path $work/$name; fastcgi_temp_path $work/$name;
  uwsgi_temp_path $work/$name; scgi_temp_path $work/$name;
  server { listen 127.0.0.1:$port ssl; root $www;
    ssl_certificate $work/cert.pem; ssl_certificate_key $work/key.pem;
    ssl_protocols TLSv1.3; $k } }
CONF
      taskset -c 1 nginx -c "$work/$name/nginx.conf" -e /dev/null &
      ;;
  esac
  spid=$!
  pids+=("$spid")
}

names=(nettool nginx)
if ktls_why=$("$nettool" serve-http "$www" --tls --ktls --dry-run -l 127.0.0.1:0 2>&1 >/dev/null); then
  names+=(nettool-ktls nginx-ktls)
else
  ktls_why=$(tail -1 <<<"$ktls_why")
  echo "bench/https.sh: no kernel TLS rows: ${ktls_why#nettool: }" >&2
fi

declare -A port spid_of
for name in "${names[@]}"; do
  port[$name]=$(free_port)
  start_server "$name" "${port[$name]}"
  spid_of[$name]=$spid
  wait_port "${port[$name]}"
done

declare -A runs
for col in 1k.bin 10m.bin; do
  for _ in $(seq "$rounds"); do
    for name in "${names[@]}"; do
      read -r rps mbs rpc mbc < <(run_wrk "${spid_of[$name]}" "https://127.0.0.1:${port[$name]}/$col")
      if [[ $col == 1k.bin ]]; then
        runs[$name,rps]+="$rps "
        runs[$name,rpc]+="$rpc "
      else
        runs[$name,mbs]+="$mbs "
        runs[$name,mbc]+="$mbc "
      fi
    done
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '| server | 1 KiB req/s | 1 KiB req per server CPU-s | 10 MiB MB/s | 10 MiB MB per server CPU-s |\n'
printf '|---|---:|---:|---:|---:|\n'
for name in "${names[@]}"; do
  printf '| %s | %s | %s | %s | %s |\n' "$name" \
    "$(median <<<"${runs[$name,rps]}")" "$(median <<<"${runs[$name,rpc]}")" \
    "$(median <<<"${runs[$name,mbs]}")" "$(median <<<"${runs[$name,mbc]}")"
done
