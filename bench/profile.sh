#!/usr/bin/env bash
# Where an echo server's CPU goes: `perf record -g -e cpu-clock` attached to the C epoll
# reference (bench/c_echo.c) and to nettool engines while `nettool tcp-echo bench`
# loads each with $CONNS connections x $SIZE-byte ping-pong, then every sample's
# kernel call chain sorted into what a round trip pays:
#
#   TCP send      tcp_sendmsg… — on loopback this includes delivering the segment to
#                 the peer's socket (softirq run in the sender's context) and waking it
#   TCP receive   tcp_recvmsg… (copy out, the ACK it may send)
#   socket layer  above TCP and common to every server: sock_sendmsg/sock_recvmsg,
#                 security hooks, read/write → sock_*_iter, descriptor lookup (fdget)
#   sleep/wake    schedule() when the server waits for work (context switch)
#   io_uring …    the ring's own work, by the innermost io_* function: submission and
#                 issue, task work, CQE posting, provided buffers, file lookup
#   epoll         ep_poll, ep_send_events (tcp_poll of ready sockets), epoll_ctl
#   syscall entry/exit  entry_SYSCALL_64, do_syscall_64, the return to user space
#   other kernel  timers, interrupts, softirq outside a send, connection teardown
#   user space    the server's own code
#
# Each cell: share of the server's sampled CPU, and microseconds of server CPU per
# round trip (sampled time / round trips in the window). The last lines give each
# server's round trips per CPU-second against the C reference and the ceiling: that
# ratio if everything but its TCP send and receive went to zero (with its own TCP cost
# per round trip, and with the C reference's — the same kernel work, measured apart).
#
# perf is attached after the connections are up, for $WINDOW seconds, while the load
# runs a little longer on both sides of it; $ROUNDS alternating rounds (server by
# server, so a slow moment of a shared machine does not land on one server only), their
# samples and round trips pooled. Servers pinned to $SERVER_CPU, load to $LOAD_CPU.
# Environment: WINDOW (2), ROUNDS (3), CONNS (100), SIZE (64), FREQ (2000 samples/s), ENGINES
# ("epoll-et io-uring"), SERVER_CPU (0), LOAD_CPU (1), KEEP (a directory to keep the
# perf.data files in). Traffic stays on 127.0.0.1; every step is bounded in time.
set -euo pipefail

cd "$(dirname "$0")/.."
WINDOW=${WINDOW:-2}
CONNS=${CONNS:-100}
SIZE=${SIZE:-64}
FREQ=${FREQ:-2000}
ROUNDS=${ROUNDS:-3}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
read -r -a engines <<<"${ENGINES:-epoll-et io-uring}"

for t in jq cc perf; do
    command -v "$t" >/dev/null || { echo "profile.sh: needs $t" >&2; exit 1; }
done

cargo build --release --quiet
NT=$PWD/target/release/nettool
mkdir -p target/bench
WORK=$(mktemp -d "$PWD/target/bench/profile.XXXXXX")
declare -A PID ADDR
cleanup() {
    for name in "${!PID[@]}"; do stop_server "$name"; done
    if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$WORK"/*.data "$KEEP"/ 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
# shellcheck source=bench/lib.sh
source bench/lib.sh
echo_pinning
cc -O2 -o target/bench/c_echo bench/c_echo.c
servers=(c-epoll "${engines[@]}")

# classify: perf script's samples (period + call chain, innermost frame first) in,
# `CATEGORY<TAB>NANOSECONDS` out per category. The first rule that matches wins.
classify() {
    awk -F'\t' '
    function category(    i, f, leaf, io) {
        if (n == 0 || dso[1] !~ /kernel/) return "user space"
        for (i = 1; i <= n; i++) if (fn[i] ~ /^tcp_sendmsg/) return "TCP send (incl. loopback delivery)"
        for (i = 1; i <= n; i++) if (fn[i] ~ /^tcp_recvmsg/) return "TCP receive"
        for (i = 1; i <= n; i++) if (fn[i] ~ /^(__)?schedule$/) return "sleep/wake (schedule)"
        for (i = 1; i <= n; i++) {
            f = fn[i]
            if (f ~ /^(sock_(sendmsg|recvmsg|read_iter|write_iter|from_file)|inet_(sendmsg|recvmsg|send_prepare)|security_sock|__sys_(sendto|recvfrom)|ksys_(read|write)|vfs_(read|write)|rw_verify_area|__?fdget|__fget|fput$)/)
                return "socket layer (sock_*, security, fdget)"
        }
        for (i = 1; i <= n; i++) {
            f = fn[i]
            if (f ~ /^(__)?io_|io_uring/) {
                if (f ~ /kbuf|buffer_select|buf_ring|put_kbuf/) return "io_uring: provided buffers"
                if (f ~ /cqe|flush_completions|cq_unlock|complete|cqring_ev|commit_cqring/) return "io_uring: CQE posting"
                if (f ~ /file_get|fget/) return "io_uring: file lookup"
                if (f ~ /task_work|local_work|task_func|_tw|poll_issue|poll_check|poll_wake/) return "io_uring: task work"
                if (f ~ /cqring_wait/) return "io_uring: wait"
                return "io_uring: submit/issue/prep"
            }
        }
        for (i = 1; i <= n; i++) if (fn[i] ~ /^(ep_|do_epoll|__x64_sys_epoll|epoll)/) return "epoll (ep_poll, ep_send_events, ctl)"
        if (fn[1] ~ /^(entry_|do_syscall_64|syscall_|x64_sys_call|__x64_sys_|exit_to_user|arch_exit|fpregs|restore_fpregs|switch_fpu)/)
            return "syscall entry/exit"
        return "other kernel"
    }
    function flush() { if (have) t[category()] += period; n = 0; have = 0 }
    /^[ ]*[0-9]+ *$/ { flush(); period = $1 + 0; have = 1; next }
    /^\t/ {
        line = $0
        sub(/^\t *[0-9a-f]+ /, "", line)
        d = line; sub(/^.*\(/, "", d); sub(/\)$/, "", d)
        s = line; sub(/ \(.*$/, "", s); sub(/\+0x[0-9a-f]+$/, "", s)
        n++; fn[n] = s; dso[n] = d
        next
    }
    END { flush(); for (c in t) printf "%s\t%d\n", c, t[c] }
    '
}

start_server c-epoll target/bench/c_echo 0
for e in "${engines[@]}"; do
    start_server "$e" "$NT" -q tcp-echo serve --engine "$e" -l 127.0.0.1:0
done

declare -A ns rtw total
for name in "${servers[@]}"; do rtw[$name]=0; total[$name]=0; done
for round in $(seq "$ROUNDS"); do
    for name in "${servers[@]}"; do
        echo "== round $round: $name" >&2
        out=$WORK/$name.json
        data=$WORK/$name.$round.data
        "${ON_LOAD[@]}" "$NT" --json tcp-echo bench "${ADDR[$name]}" -c "$CONNS" --size "$SIZE" \
            -d "$((WINDOW + 2))s" >"$out" 2>>"$WORK/load.log" &
        lpid=$!
        sleep 1 # connections up and the ping-pong running
        perf record -q -g -e cpu-clock -F "$FREQ" -p "${PID[$name]}" -o "$data" \
            -- sleep "$WINDOW" >/dev/null 2>>"$WORK/perf.log" || true
        wait "$lpid" || true
        j=$(cat "$out")
        [ "$(jget .errors 1 "$j")" = 0 ] || echo "profile.sh: $name: echo errors" >&2
        rtw[$name]=$(awk -v s="${rtw[$name]}" -v r="$(jget .rt_per_sec 0 "$j")" -v w="$WINDOW" \
            'BEGIN { printf "%.0f", s + r * w }')
        while IFS=$'\t' read -r cat v; do
            ns[$name,$cat]=$((${ns[$name,$cat]:-0} + v))
            total[$name]=$((total[$name] + v))
        done < <(perf script -i "$data" -F period,ip,sym,dso 2>/dev/null | classify)
    done
done

cats=("TCP send (incl. loopback delivery)" "TCP receive" "socket layer (sock_*, security, fdget)"
    "sleep/wake (schedule)" "io_uring: submit/issue/prep" "io_uring: task work" "io_uring: CQE posting"
    "io_uring: provided buffers" "io_uring: file lookup" "io_uring: wait"
    "epoll (ep_poll, ep_send_events, ctl)" "syscall entry/exit" "other kernel" "user space")
cell() { # NAME CATEGORY: "share% · µs/rt"
    awk -v v="${ns[$1,$2]:-0}" -v t="${total[$1]}" -v r="${rtw[$1]}" \
        'BEGIN { printf "%.1f%% · %.2f", (t > 0 ? 100 * v / t : 0), (r > 0 ? v / 1000 / r : 0) }'
}
us_rt() { awk -v v="$1" -v r="${rtw[$2]}" 'BEGIN { printf "%.2f", (r > 0 ? v / 1000 / r : 0) }'; }

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $PINNING; $(uname -r)"
echo "perf record -g -e cpu-clock -F $FREQ, $ROUNDS alternating rounds of ${WINDOW}s per server pooled, $CONNS connections x $SIZE B ping-pong;"
echo "each cell: share of the server's sampled CPU · µs of server CPU per round trip"
echo
printf '| where | %s |\n' "$(IFS='|'; echo "${servers[*]}" | sed 's/|/ | /g')"
printf '|---|%s\n' "$(for _ in "${servers[@]}"; do printf -- '---:|'; done)"
for c in "${cats[@]}"; do
    any=0
    for name in "${servers[@]}"; do [ -n "${ns[$name,$c]:-}" ] && any=1; done
    [ "$any" = 1 ] || continue
    printf '| %s |' "$c"
    for name in "${servers[@]}"; do printf ' %s |' "$(cell "$name" "$c")"; done
    echo
done
printf '| **total µs per round trip** |'
for name in "${servers[@]}"; do printf ' **%s** |' "$(us_rt "${total[$name]}" "$name")"; done
echo
printf '| round trips/s while sampled |'
for name in "${servers[@]}"; do printf ' %s |' "$(awk -v r="${rtw[$name]}" -v w="$((WINDOW * ROUNDS))" 'BEGIN { printf "%.0f", r / w }')"; done
echo
echo
tcp_ns() { echo $((${ns[$1,TCP send (incl. loopback delivery)]:-0} + ${ns[$1,TCP receive]:-0})); }
for name in "${servers[@]}"; do
    awk -v name="$name" -v tot="${total[$name]}" -v tcp="$(tcp_ns "$name")" -v r="${rtw[$name]}" \
        -v ct="${total[c-epoll]}" -v ctcp="$(tcp_ns c-epoll)" -v cr="${rtw[c-epoll]}" 'BEGIN {
        if (r == 0 || cr == 0 || tcp == 0 || ctcp == 0) exit
        c = ct / cr; a = tot / r; b = tcp / r
        printf "%s: %.2f µs of server CPU per round trip = %.2fx the C reference per CPU-s; its TCP send+receive alone %.2f µs: ceiling %.2fx if all else went to zero (%.2fx with the C reference'"'"'s TCP cost)\n",
            name, a / 1000, c / a, b / 1000, c / b, ct / ctcp }'
done
if [ -s "$WORK/load.log" ]; then
    echo "load generator messages:" >&2
    sort -u "$WORK/load.log" >&2
fi
