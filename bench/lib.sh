# Sourced by the HTTP benchmarks (http.sh, https.sh): a work directory that every
# reader may enter (servers drop privileges), removed at exit together with every
# server whose pid was pushed onto `pids`.
bench_workdir() { # PREFIX: sets $work and $pids
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  pids=()
  trap bench_cleanup EXIT INT TERM
  chmod 755 "$work"
}

bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

# Echo-server helpers, shared by echo.sh and profile.sh. The caller declares
# `declare -A PID ADDR` and sets $WORK (a directory for the servers' logs).

# echo_pinning: pin servers to CPU $SERVER_CPU and load generators to $LOAD_CPU when
# there are two CPUs and taskset; sets ON_SERVER, ON_LOAD (command prefixes) and PINNING.
echo_pinning() {
    if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
        ON_SERVER=(taskset -c "$SERVER_CPU")
        ON_LOAD=(taskset -c "$LOAD_CPU")
        PINNING="server on CPU $SERVER_CPU, load on CPU $LOAD_CPU (taskset)"
    else
        ON_SERVER=()
        ON_LOAD=()
        PINNING="unpinned (fewer than 2 CPUs or no taskset)"
    fi
}

# start_server NAME CMD...: start it pinned, wait (at most 10 s) for `listening on ADDR`.
start_server() {
    local name=$1
    shift
    "${ON_SERVER[@]}" "$@" 2>"$WORK/$name.log" >/dev/null &
    PID[$name]=$!
    for _ in $(seq 200); do
        ADDR[$name]=$(sed -n '1s/^listening on //p' "$WORK/$name.log")
        [ -n "${ADDR[$name]}" ] && return 0
        kill -0 "${PID[$name]}" 2>/dev/null || break
        sleep 0.05
    done
    echo "$(basename "$0"): server $name did not start:" >&2
    cat "$WORK/$name.log" >&2
    exit 1
}

# stop_server NAME: SIGTERM, at most 10 s to exit, then SIGKILL.
stop_server() {
    local pid=${PID[$1]:-}
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 200); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "PID[$1]"
}

# jget FILTER DEFAULT JSON: one field of the load generator's JSON record.
jget() { jq -r "$1 // $2" <<<"${3:-null}" 2>/dev/null || echo "$2"; }
