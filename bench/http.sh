#!/usr/bin/env bash
# serve-http against Debian's static servers, wrk pinned to one core and each server
# to the other, same files, access logs off (python's http.server cannot turn its log
# off: it goes to /dev/null). Columns: 1 KiB keep-alive req/s, 100 KiB req/s, 10 MiB
# MB/s (bytes read over the run's length), 1,000-entry
# listing req/s, p99 latency of the 1 KiB run, peak server RSS. Each figure is the
# median of ROUNDS runs. A second table gives the same columns per second of server
# CPU time (user + system, from /proc/PID/stat): on a 2-core machine wrk saturates
# its own core first, so requests/s say as much about wrk as about the server.
# NETTOOL_BASE=/path/to/nettool adds a row for another build (say, main's) measured
# in the same interleaved rounds: the fair before/after comparison. nettool runs
# twice, on its default engine (epoll-et) and on io-uring. A third table gives system
# calls per 1 KiB request: `strace -c -f` attached to each server for a short separate
# wrk run (strace slows the server; the count per request is what it measures).
# Everything on 127.0.0.1 with free ports; servers are stopped by a trap.
# Needs: wrk nginx-light lighttpd webfs python3 (apt-get install them).
# Usage: bench/http.sh [SECONDS per run, default 5] [CONNECTIONS, default 32] [ROUNDS, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-5}"
conns="${2:-32}"
rounds="${3:-3}"
strace_secs="${STRACE_SECS:-1}"
for t in wrk nginx lighttpd webfsd python3 taskset strace; do
  command -v "$t" >/dev/null || { echo "bench/http.sh: needs $t" >&2; exit 1; }
done
cargo build --release --quiet
nettool="$PWD/target/release/nettool"
base="${NETTOOL_BASE:-}"
[[ -z $base || -x $base ]] || { echo "bench/http.sh: NETTOOL_BASE=$base is not executable" >&2; exit 1; }

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_workdir nettool-bench
www="$work/www"
mkdir -p "$www/list"
head -c 1024 /dev/urandom >"$www/1k.bin"
head -c $((100 * 1024)) /dev/urandom >"$www/100k.bin"
head -c $((10 * 1024 * 1024)) /dev/urandom >"$www/10m.bin"
for i in $(seq -w 1 1000); do echo "$i" >"$www/list/file-$i.txt"; done
touch -d '1 hour ago' "$www/list"   # settled: a listing cache may keep it
chmod -R a+rX "$www"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() {
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$1/1k.bin" && return 0
    sleep 0.1
  done
  echo "server on port $1 did not come up" >&2
  return 1
}

# wrk_run NAME URL -> prints "req/s bytes_read/s p99_ms". Only 2xx/3xx answers
# count: a server that sheds load with 503s (lighttpd limits concurrent directory
# listings that way) must not score its refusals as served requests; how many were
# counted out goes to stderr.
wrk_run() {
  local out
  out=$(taskset -c 0 wrk -t1 -c"$conns" -d"${secs}s" --latency "$2")
  echo "$out" | awk -v name="$1" -v url="$2" '
    function bytes(v,  n, u) { n = v + 0; u = v; gsub(/[0-9.]/, "", u);
      if (u == "KB") n *= 1024; else if (u == "MB") n *= 1048576; else if (u == "GB") n *= 1073741824;
      return n }
    function ms(v,  n) { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; return n }
    function secs(v,  n) { n = v + 0; if (v ~ /ms$/) n /= 1000; else if (v ~ /m$/) n *= 60; return n }
    / requests in / { total = $1; d = $4; sub(/,$/, "", d); dur = secs(d); got = bytes($5) }
    /Non-2xx or 3xx responses/ { bad = $NF }
    $1 == "99%" { p = ms($2) }
    END {
      if (bad > 0) printf "bench/http.sh: %s %s: %d of %d answers were not 2xx/3xx, not counted\n", name, url, bad, total > "/dev/stderr"
      printf "%d %.0f %.2f\n", (dur > 0 ? (total - bad) / dur : 0), (dur > 0 ? got / dur : 0), p }'
}

peak_rss_mib() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# CPU time (user + system, in clock ticks) of a process and its threads.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

start_server() { # name port -> sets spid
  local name=$1 port=$2
  case $name in
    nettool)
      taskset -c 1 "$nettool" -q serve-http "$www" -l "127.0.0.1:$port" 2>/dev/null &
      ;;
    nettool-io-uring)
      taskset -c 1 "$nettool" -q serve-http "$www" --engine io-uring -l "127.0.0.1:$port" 2>/dev/null &
      ;;
    nettool-base)
      taskset -c 1 "$base" -q serve-http "$www" -l "127.0.0.1:$port" 2>/dev/null &
      ;;
    nginx)
      mkdir -p "$work/nginx"
      cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1; master_process off; daemon off; user root;
pid $work/nginx/nginx.pid; error_log /dev/null crit;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  include /etc/nginx/mime.types;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$port; root $www; autoindex on; } }
CONF
      taskset -c 1 nginx -c "$work/nginx/nginx.conf" -e /dev/null &
      ;;
    lighttpd)
      cat >"$work/lighttpd.conf" <<CONF
server.document-root = "$www"
server.bind = "127.0.0.1"
server.port = $port
server.errorlog = "/dev/null"
server.max-keep-alive-requests = 1000000
server.network-backend = "sendfile"
dir-listing.activate = "enable"
mimetype.assign = ( ".txt" => "text/plain", ".bin" => "application/octet-stream" )
CONF
      taskset -c 1 lighttpd -D -f "$work/lighttpd.conf" &
      ;;
    webfs)
      taskset -c 1 webfsd -F -4 -c 1024 -i 127.0.0.1 -p "$port" -r "$www" >/dev/null 2>&1 &
      ;;
    python)
      taskset -c 1 python3 -m http.server "$port" --bind 127.0.0.1 -d "$www" >/dev/null 2>&1 &
      ;;
  esac
  spid=$!
  pids+=("$spid")
}

names=(nettool nettool-io-uring)
[[ -n $base ]] && names+=(nettool-base)
names+=(nginx lighttpd webfs python)
declare -A port spid_of
for name in "${names[@]}"; do
  port[$name]=$(free_port)
  start_server "$name" "${port[$name]}"
  spid_of[$name]=$spid
  wait_port "${port[$name]}"
done

# Rounds interleave the servers (column by column, server by server), so a slow
# minute on a shared machine does not land on one server only; each cell is the
# median of its rounds.
declare -A runs
for col in 1k.bin 100k.bin 10m.bin list/; do
  for _ in $(seq "$rounds"); do
    for name in "${names[@]}"; do
      before=$(cpu_ticks "${spid_of[$name]}")
      read -r rps rate p99 < <(wrk_run "$name" "http://127.0.0.1:${port[$name]}/$col")
      ticks=$(( $(cpu_ticks "${spid_of[$name]}") - before ))
      # The 10 MiB column is bytes read per second: counting whole answers would
      # drop the up to CONNECTIONS x 10 MiB still in flight when the run stops.
      [[ $col == 10m.bin ]] && rps=$rate
      runs[$name,$col]+="$rps "
      # Work per server CPU-second: the run's total over the CPU seconds it took.
      runs[$name,cpu,$col]+="$(awk -v r="$rps" -v s="$secs" -v t="$ticks" -v hz="$hz" \
        'BEGIN { printf "%.0f", (t > 0 ? r * s / (t / hz) : 0) }') "
      [[ $col == 1k.bin ]] && runs[$name,p99]+="$p99 "
    done
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '| server | 1 KiB req/s | 100 KiB req/s | 10 MiB MB/s | 1,000-entry listing req/s | p99 1 KiB (ms) | peak RSS (MiB) |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
for name in "${names[@]}"; do
  big=$(median <<<"${runs[$name,10m.bin]}")
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" \
    "$(median <<<"${runs[$name,1k.bin]}")" "$(median <<<"${runs[$name,100k.bin]}")" \
    "$(awk -v b="$big" 'BEGIN { printf "%.0f", b / 1e6 }')" \
    "$(median <<<"${runs[$name,list/]}")" "$(median <<<"${runs[$name,p99]}")" \
    "$(peak_rss_mib "${spid_of[$name]}")"
done
printf '\nPer second of server CPU time (medians of the same rounds):\n\n'
printf '| server | 1 KiB req/CPU-s | 100 KiB req/CPU-s | 10 MiB MB/CPU-s | listing req/CPU-s |\n'
printf '|---|---:|---:|---:|---:|\n'
for name in "${names[@]}"; do
  big=$(median <<<"${runs[$name,cpu,10m.bin]}")
  printf '| %s | %s | %s | %s | %s |\n' "$name" \
    "$(median <<<"${runs[$name,cpu,1k.bin]}")" "$(median <<<"${runs[$name,cpu,100k.bin]}")" \
    "$(awk -v b="$big" 'BEGIN { printf "%.0f", b / 1e6 }')" "$(median <<<"${runs[$name,cpu,list/]}")"
done

# System calls per 1 KiB request: strace -c -f attached for a short separate run
# (strace stops every call, so the count, not the speed, is what this run gives).
printf '\nSystem calls per 1 KiB request (strace -c -f over a %ss run, %s connections):\n\n' "$strace_secs" "$conns"
printf '| server | syscalls/request | the most frequent |\n'
printf '|---|---:|---|\n'
for name in "${names[@]}"; do
  trace="$work/$name.strace"
  strace -c -f -p "${spid_of[$name]}" -o "$trace" 2>/dev/null &
  tpid=$!
  sleep 0.5 # attached to every thread
  out=$(taskset -c 0 wrk -t1 -c"$conns" -d"${strace_secs}s" "http://127.0.0.1:${port[$name]}/1k.bin")
  sleep 0.2
  kill -INT "$tpid" 2>/dev/null || true
  wait "$tpid" 2>/dev/null || true
  reqs=$(awk '/ requests in / { print $1 }' <<<"$out")
  # strace -c rows: % time, seconds, usecs/call, calls, [errors,] syscall.
  total=$(awk '$NF == "total" { print $4 }' "$trace")
  top=$(awk '$1 ~ /^[0-9.]+$/ && $NF != "total" { print $4, $NF }' "$trace" | sort -rn | head -4 |
    awk -v n="${reqs:-0}" '{ printf "%s%s %.2f", (NR > 1 ? ", " : ""), $2, (n > 0 ? $1 / n : 0) }')
  printf '| %s | %s | %s |\n' "$name" \
    "$(awk -v c="${total:-0}" -v n="${reqs:-0}" 'BEGIN { printf "%.2f", (n > 0 ? c / n : 0) }')" "$top"
done
