
use builtin;
use str;

set edit:completion:arg-completer[nettool] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'nettool'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'nettool'= {
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand tcp-echo 'TCP echo server, netcat-style client and listener, load generator'
            cand udp 'UDP: echo server for many peers, sender (with replies), receiver'
            cand broadcast 'Broadcast datagrams on a link, and receive them'
            cand multicast 'Multicast: send to a group, join it and receive (ASM and SSM, IPv4 and IPv6)'
            cand stat 'Sockets and their TCP states (like ss), live --watch of transitions, -g groups, --packets on the wire'
            cand serve-http 'Static HTTP file server with directory listings'
            cand unix 'Unix domain sockets: echo server, netcat-style client and listener'
            cand heartbeat 'Application heartbeats: ping-pong responder, dead-peer detection, reconnect'
            cand completions 'Print a shell completion script'
            cand man 'Write the man pages into a directory (used to refresh man/)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;tcp-echo'= {
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand connect 'Connect to ADDR and copy stdin to it and it to stdout (netcat''s client mode)'
            cand listen 'Accept a connection and copy it to stdout and stdin to it (netcat''s -l)'
            cand serve 'Echo every byte back, on the concurrency engine of your choice'
            cand bench 'Load an echo server and measure it, or compare every engine (--compare)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;tcp-echo;connect'= {
            cand --parallel 'With -z: how many probes are in flight at once'
            cand -e 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)'
            cand --exec 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)'
            cand -c 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)'
            cand --sh-exec 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)'
            cand -s 'Connect from this local address: ADDR or ADDR:PORT (bind before connect)'
            cand --source 'Connect from this local address: ADDR or ADDR:PORT (bind before connect)'
            cand -w 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --timeout 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --eof-timeout 'Exit this long after stdin EOF even if the peer keeps the connection open'
            cand -x 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand --hexdump 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand -z 'Scan ports: ADDR is HOST:PORTS (22, 8000-8010, 22,80,443); print `open HOST:PORT` per port that answers (with -v the others too); -w bounds each probe (default 2s, UDP 1s); exit 0 when one is open'
            cand --scan 'Scan ports: ADDR is HOST:PORTS (22, 8000-8010, 22,80,443); print `open HOST:PORT` per port that answers (with -v the others too); -w bounds each probe (default 2s, UDP 1s); exit 0 when one is open'
            cand -4 'Use IPv4 only'
            cand -6 'Use IPv6 only'
            cand -d 'Do not read stdin (and do not half-close)'
            cand --no-stdin 'Do not read stdin (and do not half-close)'
            cand --send-only 'Only send stdin; ignore what the peer sends and exit at stdin EOF'
            cand --recv-only 'Only print what the peer sends; never read stdin'
            cand --no-shutdown 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))'
            cand --stats 'Print bytes in/out, duration and throughput at exit and on SIGUSR1'
            cand -C 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)'
            cand --crlf 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)'
            cand --packets 'Show this connection''s TCP segments and state changes on stderr, from the SYN to TIME-WAIT (as `stat --packets`; needs CAP_NET_RAW)'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;tcp-echo;listen'= {
            cand -l 'Address to listen on (port 0 picks a free port)'
            cand --listen 'Address to listen on (port 0 picks a free port)'
            cand -e 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)'
            cand --exec 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)'
            cand -c 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)'
            cand --sh-exec 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)'
            cand -w 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --timeout 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --eof-timeout 'Exit this long after stdin EOF even if the peer keeps the connection open'
            cand -x 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand --hexdump 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand -k 'Keep listening: after a connection ends, accept the next one'
            cand --keep-open 'Keep listening: after a connection ends, accept the next one'
            cand -4 'Use IPv4 only'
            cand -6 'Use IPv6 only'
            cand -d 'Do not read stdin (and do not half-close)'
            cand --no-stdin 'Do not read stdin (and do not half-close)'
            cand --send-only 'Only send stdin; ignore what the peer sends and exit at stdin EOF'
            cand --recv-only 'Only print what the peer sends; never read stdin'
            cand --no-shutdown 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))'
            cand --stats 'Print bytes in/out, duration and throughput at exit and on SIGUSR1'
            cand -C 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)'
            cand --crlf 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;tcp-echo;serve'= {
            cand -l 'Address to listen on (port 0 picks a free port)'
            cand --listen 'Address to listen on (port 0 picks a free port)'
            cand --engine 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)'
            cand --max-connections 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)'
            cand --idle-timeout 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)'
            cand -x 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer'
            cand --hexdump 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer'
            cand --rcvbuf 'SO_RCVBUF for every connection (e.g. 4k, 1M)'
            cand --sndbuf 'SO_SNDBUF for every connection (e.g. 4k, 1M)'
            cand --backlog 'The listen(2) backlog: connections the kernel completes before we accept them'
            cand --workers 'Run N engine instances, each with its own SO_REUSEPORT listener'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand -4 'Use IPv4 only'
            cand -6 'Use IPv6 only'
            cand --no-reap 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all'
            cand --no-reuseaddr 'Do not set SO_REUSEADDR: a restart then fails while old connections sit in TIME-WAIT'
            cand --reuseport 'Set SO_REUSEPORT: several servers may share the port, the kernel spreads connections'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;tcp-echo;bench'= {
            cand -c 'Concurrent connections'
            cand --connections 'Concurrent connections'
            cand -d 'How long to measure [default: 5s]; with --bulk, the time limit [default: 60s]'
            cand --duration 'How long to measure [default: 5s]; with --bulk, the time limit [default: 60s]'
            cand --size 'Bytes per message (K, M, G suffixes are powers of 1024)'
            cand --pipeline 'Messages in flight per connection'
            cand --bulk 'Instead of messages, stream SIZE bytes per connection and check the echo'
            cand --compare 'Start a local server per engine (a comma-separated list, or all) and compare them'
            cand --background 'With --compare: hold N idle connections open to each server while measuring'
            cand --sweep 'With --compare: measure at each of these idle-connection counts (N,N,…)'
            cand --idle 'Open CONNS connections, hold them idle for DURATION, check each still echoes'
            cand -w 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --timeout 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand -4 'Use IPv4 only'
            cand -6 'Use IPv6 only'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;tcp-echo;help'= {
            cand connect 'Connect to ADDR and copy stdin to it and it to stdout (netcat''s client mode)'
            cand listen 'Accept a connection and copy it to stdout and stdin to it (netcat''s -l)'
            cand serve 'Echo every byte back, on the concurrency engine of your choice'
            cand bench 'Load an echo server and measure it, or compare every engine (--compare)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;tcp-echo;help;connect'= {
        }
        &'nettool;tcp-echo;help;listen'= {
        }
        &'nettool;tcp-echo;help;serve'= {
        }
        &'nettool;tcp-echo;help;bench'= {
        }
        &'nettool;tcp-echo;help;help'= {
        }
        &'nettool;udp'= {
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Echo every datagram back to its sender (many peers on one socket)'
            cand send 'Send datagrams (MESSAGE arguments or stdin) and optionally print replies'
            cand recv 'Receive datagrams and write them to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;udp;serve'= {
            cand -l 'Address to listen on (port 0 picks a free port)'
            cand --listen 'Address to listen on (port 0 picks a free port)'
            cand -n 'Stop after echoing N datagrams'
            cand --count 'Stop after echoing N datagrams'
            cand --engine 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)'
            cand --max-connections 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)'
            cand --idle-timeout 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)'
            cand -x 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer'
            cand --hexdump 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand -4 'Use IPv4 only'
            cand -6 'Use IPv6 only'
            cand --no-reap 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;udp;send'= {
            cand --parallel 'With -z: how many probes are in flight at once'
            cand -x 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand --hexdump 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand -n 'Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)'
            cand --count 'Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)'
            cand --interval 'Pause this long between datagrams (otherwise they leave in sendmmsg batches)'
            cand --size 'Bytes per datagram for --raw (1400) and --probe (64)'
            cand -s 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)'
            cand --bind 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)'
            cand --source 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)'
            cand -w 'After sending, wait this long for (more) replies and print them (no reply at all: exit 1)'
            cand --timeout 'After sending, wait this long for (more) replies and print them (no reply at all: exit 1)'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand -z 'Scan ports: ADDR is HOST:PORTS (22, 8000-8010, 22,80,443); print `open HOST:PORT` per port that answers (with -v the others too); -w bounds each probe (default 2s, UDP 1s); exit 0 when one is open'
            cand --scan 'Scan ports: ADDR is HOST:PORTS (22, 8000-8010, 22,80,443); print `open HOST:PORT` per port that answers (with -v the others too); -w bounds each probe (default 2s, UDP 1s); exit 0 when one is open'
            cand --stats 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)'
            cand --raw 'Read stdin in chunks of --size bytes instead of one datagram per line'
            cand --probe 'Send probes (sequence number + send time) for a `recv --probe` to measure loss'
            cand -4 'Use IPv4 only'
            cand -6 'Use IPv6 only'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;udp;recv'= {
            cand -l 'Address to receive on (port 0 picks a free port)'
            cand --listen 'Address to receive on (port 0 picks a free port)'
            cand -x 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand --hexdump 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand -n 'Exit (status 0) after N datagrams'
            cand --count 'Exit (status 0) after N datagrams'
            cand -w 'Give up (status 1) after this long without a datagram; a bare number means seconds'
            cand --timeout 'Give up (status 1) after this long without a datagram; a bare number means seconds'
            cand --buffer 'Receive buffer per datagram; larger datagrams are reported as truncated'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --stats 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)'
            cand --probe 'Expect probes from `send --probe`: report loss, duplicates, reordering, delay per sender'
            cand --reuse-port 'Also set SO_REUSEPORT, to share the port with programs that set only that. Off by default: Linux may then give a multicast datagram to one member of the reuseport group only, ignoring the members'' source filters'
            cand -4 'Use IPv4 only'
            cand -6 'Use IPv6 only'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;udp;help'= {
            cand serve 'Echo every datagram back to its sender (many peers on one socket)'
            cand send 'Send datagrams (MESSAGE arguments or stdin) and optionally print replies'
            cand recv 'Receive datagrams and write them to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;udp;help;serve'= {
        }
        &'nettool;udp;help;send'= {
        }
        &'nettool;udp;help;recv'= {
        }
        &'nettool;udp;help;help'= {
        }
        &'nettool;broadcast'= {
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand send 'Broadcast datagrams (SO_BROADCAST) on an interface or to an address'
            cand recv 'Receive broadcast datagrams on a port (several receivers may share it)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;broadcast;send'= {
            cand -x 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand --hexdump 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand -n 'Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)'
            cand --count 'Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)'
            cand --interval 'Pause this long between datagrams (otherwise they leave in sendmmsg batches)'
            cand --size 'Bytes per datagram for --raw (1400) and --probe (64)'
            cand -s 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)'
            cand --bind 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)'
            cand --source 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)'
            cand -i 'Send out of this interface, to its broadcast address (unless --to is given)'
            cand --iface 'Send out of this interface, to its broadcast address (unless --to is given)'
            cand --to 'Broadcast address to send to (e.g. 192.0.2.255 or 255.255.255.255)'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --stats 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)'
            cand --raw 'Read stdin in chunks of --size bytes instead of one datagram per line'
            cand --probe 'Send probes (sequence number + send time) for a `recv --probe` to measure loss'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;broadcast;recv'= {
            cand -i 'Only datagrams that arrive on this interface (SO_BINDTODEVICE)'
            cand --iface 'Only datagrams that arrive on this interface (SO_BINDTODEVICE)'
            cand -x 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand --hexdump 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand -n 'Exit (status 0) after N datagrams'
            cand --count 'Exit (status 0) after N datagrams'
            cand -w 'Give up (status 1) after this long without a datagram; a bare number means seconds'
            cand --timeout 'Give up (status 1) after this long without a datagram; a bare number means seconds'
            cand --buffer 'Receive buffer per datagram; larger datagrams are reported as truncated'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --stats 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)'
            cand --probe 'Expect probes from `send --probe`: report loss, duplicates, reordering, delay per sender'
            cand --reuse-port 'Also set SO_REUSEPORT, to share the port with programs that set only that. Off by default: Linux may then give a multicast datagram to one member of the reuseport group only, ignoring the members'' source filters'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;broadcast;help'= {
            cand send 'Broadcast datagrams (SO_BROADCAST) on an interface or to an address'
            cand recv 'Receive broadcast datagrams on a port (several receivers may share it)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;broadcast;help;send'= {
        }
        &'nettool;broadcast;help;recv'= {
        }
        &'nettool;broadcast;help;help'= {
        }
        &'nettool;multicast'= {
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand send 'Send datagrams to a multicast group'
            cand recv 'Join a multicast group and print what arrives'
            cand doctor 'Find out why a receiver gets nothing: interface, route, rp_filter, join, firewall'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;multicast;send'= {
            cand -x 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand --hexdump 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand -n 'Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)'
            cand --count 'Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)'
            cand --interval 'Pause this long between datagrams (otherwise they leave in sendmmsg batches)'
            cand --size 'Bytes per datagram for --raw (1400) and --probe (64)'
            cand -s 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)'
            cand --bind 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)'
            cand --source 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)'
            cand -i 'Send out of this interface (IP_MULTICAST_IF / IPV6_MULTICAST_IF by index)'
            cand --iface 'Send out of this interface (IP_MULTICAST_IF / IPV6_MULTICAST_IF by index)'
            cand --ttl 'Hop limit: 0 stays on this host, 1 this link (IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS)'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --stats 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)'
            cand --raw 'Read stdin in chunks of --size bytes instead of one datagram per line'
            cand --probe 'Send probes (sequence number + send time) for a `recv --probe` to measure loss'
            cand --loop 'Deliver a copy to receivers on this host too (the default; IP_MULTICAST_LOOP)'
            cand --no-loop 'Do not deliver to receivers on this host (the last of --loop/--no-loop wins)'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;multicast;recv'= {
            cand -i 'Join on this interface (by index, ip_mreqn); default: the route''s interface'
            cand --iface 'Join on this interface (by index, ip_mreqn); default: the route''s interface'
            cand --source 'Only datagrams from this source (SSM: IP_ADD_SOURCE_MEMBERSHIP; IPv6: MCAST_JOIN_SOURCE_GROUP)'
            cand -x 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand --hexdump 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand -n 'Exit (status 0) after N datagrams'
            cand --count 'Exit (status 0) after N datagrams'
            cand -w 'Give up (status 1) after this long without a datagram; a bare number means seconds'
            cand --timeout 'Give up (status 1) after this long without a datagram; a bare number means seconds'
            cand --buffer 'Receive buffer per datagram; larger datagrams are reported as truncated'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --stats 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)'
            cand --probe 'Expect probes from `send --probe`: report loss, duplicates, reordering, delay per sender'
            cand --reuse-port 'Also set SO_REUSEPORT, to share the port with programs that set only that. Off by default: Linux may then give a multicast datagram to one member of the reuseport group only, ignoring the members'' source filters'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;multicast;doctor'= {
            cand -i 'The interface receivers join on (default: the one the route to the group uses)'
            cand --iface 'The interface receivers join on (default: the one the route to the group uses)'
            cand --source 'The sender''s address: checks that reverse-path filtering lets it through'
            cand -w 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --timeout 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;multicast;help'= {
            cand send 'Send datagrams to a multicast group'
            cand recv 'Join a multicast group and print what arrives'
            cand doctor 'Find out why a receiver gets nothing: interface, route, rp_filter, join, firewall'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;multicast;help;send'= {
        }
        &'nettool;multicast;help;recv'= {
        }
        &'nettool;multicast;help;doctor'= {
        }
        &'nettool;multicast;help;help'= {
        }
        &'nettool;stat'= {
            cand --iface 'With --packets: capture on this interface only (default: lo and every other)'
            cand --buffer 'With --packets: the most the kernel queues for nettool (SO_RCVBUF); a full queue drops packets and says how many'
            cand -w 'With --packets: stop after this long (exit 1 if nothing was seen)'
            cand --timeout 'With --packets: stop after this long (exit 1 if nothing was seen)'
            cand --state 'Only these states (TCP diagram names, or all, connected, synchronized, bucket, big)'
            cand --sport 'Only sockets with this local port (a number, :PORT or a service name such as http)'
            cand --dport 'Only sockets with this peer port (a number, :PORT or a service name such as https)'
            cand --pid 'Only sockets held open by this process'
            cand --watch 'Refresh every DURATION, marking new (+) and closed (-) sockets and state changes (~ FROM→); with --json: the first snapshot as "socket" lines, then one line per change ("new", "closed", "state" with "from" and "to")'
            cand -c 'With --watch: stop after this many snapshots; with --packets: after this many packets'
            cand --count 'With --watch: stop after this many snapshots; with --packets: after this many packets'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand -t 'TCP sockets'
            cand --tcp 'TCP sockets'
            cand -u 'UDP sockets'
            cand --udp 'UDP sockets'
            cand -x 'Unix domain sockets'
            cand --unix 'Unix domain sockets'
            cand -l 'Only listening sockets (and unconnected UDP/Unix datagram sockets)'
            cand --listening 'Only listening sockets (and unconnected UDP/Unix datagram sockets)'
            cand -a 'Sockets in every state (default: connected ones without TIME-WAIT and SYN-RECV)'
            cand --all 'Sockets in every state (default: connected ones without TIME-WAIT and SYN-RECV)'
            cand -n 'Numeric ports (no service names from /etc/services)'
            cand --numeric 'Numeric ports (no service names from /etc/services)'
            cand -r 'Resolve host addresses to names'
            cand --resolve 'Resolve host addresses to names'
            cand -p 'Show the processes holding each socket (name, pid, fd)'
            cand --processes 'Show the processes holding each socket (name, pid, fd)'
            cand -e 'Show uid and inode'
            cand --extended 'Show uid and inode'
            cand -i 'Show TCP internals: congestion control, rtt, rto, cwnd, retransmits, bytes'
            cand --info 'Show TCP internals: congestion control, rtt, rto, cwnd, retransmits, bytes'
            cand -o 'Show timers (retransmit, keepalive, zero-window probe, TIME-WAIT countdown)'
            cand --options 'Show timers (retransmit, keepalive, zero-window probe, TIME-WAIT countdown)'
            cand -s 'Print the totals ss -s prints (all sockets; TCP estab, closed, orphaned, timewait; RAW, UDP, TCP, INET, FRAG per family), then sockets per state'
            cand --summary 'Print the totals ss -s prints (all sockets; TCP estab, closed, orphaned, timewait; RAW, UDP, TCP, INET, FRAG per family), then sockets per state'
            cand -g 'Print multicast group memberships per interface (netstat -g)'
            cand --groups 'Print multicast group memberships per interface (netstat -g)'
            cand --packets 'Show the packets: one line per TCP segment (flags, seq/ack relative to each side''s ISN, window, options) or UDP datagram, with the TCP state changes of the sockets between them; needs CAP_NET_RAW. --sport/--dport match a port on either end (both given: the two ends); -t/-u, -4/-6 as for sockets'
            cand --absolute 'With --packets: raw sequence and acknowledgement numbers, not relative to the ISN'
            cand -4 'Use IPv4 only'
            cand -6 'Use IPv6 only'
            cand --self 'Only sockets held open by the process that started nettool (a shell, a script)'
            cand --proc 'Read /proc/net instead of netlink sock_diag (what netstat reads; no timers, tcp_info, listener backlogs or Unix queues there). NETTOOL_STAT_PROC=1 (or true, yes, on) in the environment does the same'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;serve-http'= {
            cand -l 'Address to listen on (port 0 picks a free port)'
            cand --listen 'Address to listen on (port 0 picks a free port)'
            cand --engine 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)'
            cand --max-connections 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)'
            cand --idle-timeout 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)'
            cand -x 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer'
            cand --hexdump 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer'
            cand --rcvbuf 'SO_RCVBUF for every connection (e.g. 4k, 1M)'
            cand --sndbuf 'SO_SNDBUF for every connection (e.g. 4k, 1M)'
            cand --backlog 'The listen(2) backlog: connections the kernel completes before we accept them'
            cand --workers 'Run N engine instances, each with its own SO_REUSEPORT listener'
            cand --index 'File served for a directory when it exists'
            cand --header-timeout 'Close a connection whose request head is not complete this long after the server started waiting for it (slowloris defence; also the keep-alive timeout)'
            cand --compress-max 'Largest file --compress compresses'
            cand --cache-control 'Cache-Control value for files (default: none; listings always say no-cache)'
            cand --header 'Add a header line to every response, e.g. ''X-Frame-Options: DENY'' (repeatable)'
            cand --auth 'Require HTTP Basic authentication with this user and password (repeatable; visible to other local users in the process list: prefer --auth-file)'
            cand --auth-file 'Require HTTP Basic authentication for the users in FILE: lines `user:HASH` with an argon2 ($argon2id$…) or bcrypt ($2b$…, as `htpasswd -nB` writes) hash'
            cand --max-upload 'Largest upload accepted (413 beyond it)'
            cand --spa 'Serve FILE (a path below DIR) with 200 for every path that does not exist, as a single-page application wants'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand -4 'Use IPv4 only'
            cand -6 'Use IPv6 only'
            cand --no-reap 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all'
            cand --no-reuseaddr 'Do not set SO_REUSEADDR: a restart then fails while old connections sit in TIME-WAIT'
            cand --reuseport 'Set SO_REUSEPORT: several servers may share the port, the kernel spreads connections'
            cand --no-listing 'Answer 403 for directories without an index instead of listing them'
            cand --hidden 'Serve and list dotfiles (hidden by default: 404)'
            cand --follow-symlinks 'Follow symlinks that lead outside DIR (refused with 403 by default)'
            cand --no-cache 'Open and stat files on every request instead of keeping them open until inotify reports a change (for trees changed through shared mmap or by other hosts on a network filesystem, which inotify does not see)'
            cand --precompressed 'Serve F.br, F.zst or F.gz next to F with Content-Encoding when the client''s Accept-Encoding allows (each with its own ETag; ranges apply to the encoded bytes)'
            cand --compress 'Gzip listings and text files (HTML, CSS, JavaScript, JSON, SVG, …) of at most --compress-max bytes on the fly for clients that accept gzip'
            cand --cors 'Allow cross-origin reads: Access-Control-Allow-Origin: * on every response, and answers to preflight OPTIONS requests (GET and HEAD only)'
            cand --upload 'Accept uploads: PUT /dir/name, or a multipart/form-data POST from the listing page''s form (written to a temporary file, then renamed into place)'
            cand --overwrite 'Let uploads replace existing files (otherwise 409)'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;unix'= {
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Echo server on a Unix socket (stream on any engine, or --dgram)'
            cand listen 'Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)'
            cand connect 'Connect to a Unix socket and relay stdin/stdout (netcat -U)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;unix;serve'= {
            cand --mode 'Permissions of the socket file, octal (in force from the moment it exists)'
            cand --engine 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)'
            cand --max-connections 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)'
            cand --idle-timeout 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)'
            cand -x 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer'
            cand --hexdump 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --dgram 'Datagram socket (SOCK_DGRAM): each datagram is echoed to its sender'
            cand --no-reap 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;unix;listen'= {
            cand --mode 'Permissions of the socket file, octal'
            cand -w 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --timeout 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --eof-timeout 'Exit this long after stdin EOF even if the peer keeps the connection open'
            cand -x 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand --hexdump 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand -e 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)'
            cand --exec 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)'
            cand -c 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)'
            cand --sh-exec 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand -k 'Keep listening: after a connection ends, accept the next one'
            cand --keep-open 'Keep listening: after a connection ends, accept the next one'
            cand --dgram 'Datagram socket: print datagrams, send stdin to the latest sender (every sender is heard without -k; there is no connection to half-close or send-only on)'
            cand -d 'Do not read stdin (and do not half-close)'
            cand --no-stdin 'Do not read stdin (and do not half-close)'
            cand --send-only 'Only send stdin; ignore what the peer sends and exit at stdin EOF'
            cand --recv-only 'Only print what the peer sends; never read stdin'
            cand --no-shutdown 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))'
            cand --stats 'Print bytes in/out, duration and throughput at exit and on SIGUSR1'
            cand -C 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)'
            cand --crlf 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;unix;connect'= {
            cand -w 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --timeout 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --eof-timeout 'Exit this long after stdin EOF even if the peer keeps the connection open'
            cand -x 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand --hexdump 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand -e 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)'
            cand --exec 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)'
            cand -c 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)'
            cand --sh-exec 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --dgram 'Datagram socket: each stdin line goes out as one datagram (as udp send sends them); -w bounds the wait for replies (no half-close there, so --no-shutdown and --eof-timeout do not apply)'
            cand --raw 'With --dgram: each chunk read from stdin is one datagram, not each line'
            cand -d 'Do not read stdin (and do not half-close)'
            cand --no-stdin 'Do not read stdin (and do not half-close)'
            cand --send-only 'Only send stdin; ignore what the peer sends and exit at stdin EOF'
            cand --recv-only 'Only print what the peer sends; never read stdin'
            cand --no-shutdown 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))'
            cand --stats 'Print bytes in/out, duration and throughput at exit and on SIGUSR1'
            cand -C 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)'
            cand --crlf 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;unix;help'= {
            cand serve 'Echo server on a Unix socket (stream on any engine, or --dgram)'
            cand listen 'Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)'
            cand connect 'Connect to a Unix socket and relay stdin/stdout (netcat -U)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;unix;help;serve'= {
        }
        &'nettool;unix;help;listen'= {
        }
        &'nettool;unix;help;connect'= {
        }
        &'nettool;unix;help;help'= {
        }
        &'nettool;heartbeat'= {
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Answer every beat with a pong carrying our time, uptime and connection count'
            cand connect 'Beat every interval, report replies, declare the peer dead, reconnect'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;heartbeat;serve'= {
            cand -l 'Address to listen on (port 0 picks a free port)'
            cand --listen 'Address to listen on (port 0 picks a free port)'
            cand --engine 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)'
            cand --max-connections 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)'
            cand --idle-timeout 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)'
            cand -x 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer'
            cand --hexdump 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer'
            cand --rcvbuf 'SO_RCVBUF for every connection (e.g. 4k, 1M)'
            cand --sndbuf 'SO_SNDBUF for every connection (e.g. 4k, 1M)'
            cand --backlog 'The listen(2) backlog: connections the kernel completes before we accept them'
            cand --workers 'Run N engine instances, each with its own SO_REUSEPORT listener'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --udp 'Speak the protocol over UDP (one frame per datagram)'
            cand -4 'Use IPv4 only'
            cand -6 'Use IPv6 only'
            cand --no-reap 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all'
            cand --no-reuseaddr 'Do not set SO_REUSEADDR: a restart then fails while old connections sit in TIME-WAIT'
            cand --reuseport 'Set SO_REUSEPORT: several servers may share the port, the kernel spreads connections'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;heartbeat;connect'= {
            cand -x 'Dump every frame''s bytes sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand --hexdump 'Dump every frame''s bytes sent (>) and received (<) as hex + ASCII to FILE (- for stderr)'
            cand --interval 'Time between beats; a reply must arrive within it'
            cand --misses 'Consecutive unanswered beats before the peer is declared dead'
            cand --backoff 'Reconnect delays: exponential from MIN to MAX, with jitter'
            cand -n 'Stop after this many beats (and their replies or misses)'
            cand --count 'Stop after this many beats (and their replies or misses)'
            cand -w 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --timeout 'Give up after this long (connect, or no data); a bare number means seconds'
            cand -s 'Connect from this local address: ADDR or ADDR:PORT (bind before connect)'
            cand --source 'Connect from this local address: ADDR or ADDR:PORT (bind before connect)'
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --reconnect 'After a dead verdict, reconnect (with back-off) instead of exiting 1'
            cand --udp 'Beat over UDP instead of TCP'
            cand --tcp-keepalive 'No beats: use the kernel''s TCP keepalive (idle/interval/count from --interval and --misses) and TCP_USER_TIMEOUT, and report when the kernel drops the connection'
            cand -4 'Use IPv4 only'
            cand -6 'Use IPv6 only'
            cand --packets 'Show the TCP segments (or UDP datagrams) of this client''s connections and their state changes on stderr, reconnects included (as `stat --packets`; needs CAP_NET_RAW)'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;heartbeat;help'= {
            cand serve 'Answer every beat with a pong carrying our time, uptime and connection count'
            cand connect 'Beat every interval, report replies, declare the peer dead, reconnect'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;heartbeat;help;serve'= {
        }
        &'nettool;heartbeat;help;connect'= {
        }
        &'nettool;heartbeat;help;help'= {
        }
        &'nettool;completions'= {
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;man'= {
            cand --explain 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send), a few per descriptor'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --verbose 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)'
            cand --dry-run 'Show the setup calls (as --explain) and stop before any traffic'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;help'= {
            cand tcp-echo 'TCP echo server, netcat-style client and listener, load generator'
            cand udp 'UDP: echo server for many peers, sender (with replies), receiver'
            cand broadcast 'Broadcast datagrams on a link, and receive them'
            cand multicast 'Multicast: send to a group, join it and receive (ASM and SSM, IPv4 and IPv6)'
            cand stat 'Sockets and their TCP states (like ss), live --watch of transitions, -g groups, --packets on the wire'
            cand serve-http 'Static HTTP file server with directory listings'
            cand unix 'Unix domain sockets: echo server, netcat-style client and listener'
            cand heartbeat 'Application heartbeats: ping-pong responder, dead-peer detection, reconnect'
            cand completions 'Print a shell completion script'
            cand man 'Write the man pages into a directory (used to refresh man/)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;help;tcp-echo'= {
            cand connect 'Connect to ADDR and copy stdin to it and it to stdout (netcat''s client mode)'
            cand listen 'Accept a connection and copy it to stdout and stdin to it (netcat''s -l)'
            cand serve 'Echo every byte back, on the concurrency engine of your choice'
            cand bench 'Load an echo server and measure it, or compare every engine (--compare)'
        }
        &'nettool;help;tcp-echo;connect'= {
        }
        &'nettool;help;tcp-echo;listen'= {
        }
        &'nettool;help;tcp-echo;serve'= {
        }
        &'nettool;help;tcp-echo;bench'= {
        }
        &'nettool;help;udp'= {
            cand serve 'Echo every datagram back to its sender (many peers on one socket)'
            cand send 'Send datagrams (MESSAGE arguments or stdin) and optionally print replies'
            cand recv 'Receive datagrams and write them to stdout'
        }
        &'nettool;help;udp;serve'= {
        }
        &'nettool;help;udp;send'= {
        }
        &'nettool;help;udp;recv'= {
        }
        &'nettool;help;broadcast'= {
            cand send 'Broadcast datagrams (SO_BROADCAST) on an interface or to an address'
            cand recv 'Receive broadcast datagrams on a port (several receivers may share it)'
        }
        &'nettool;help;broadcast;send'= {
        }
        &'nettool;help;broadcast;recv'= {
        }
        &'nettool;help;multicast'= {
            cand send 'Send datagrams to a multicast group'
            cand recv 'Join a multicast group and print what arrives'
            cand doctor 'Find out why a receiver gets nothing: interface, route, rp_filter, join, firewall'
        }
        &'nettool;help;multicast;send'= {
        }
        &'nettool;help;multicast;recv'= {
        }
        &'nettool;help;multicast;doctor'= {
        }
        &'nettool;help;stat'= {
        }
        &'nettool;help;serve-http'= {
        }
        &'nettool;help;unix'= {
            cand serve 'Echo server on a Unix socket (stream on any engine, or --dgram)'
            cand listen 'Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)'
            cand connect 'Connect to a Unix socket and relay stdin/stdout (netcat -U)'
        }
        &'nettool;help;unix;serve'= {
        }
        &'nettool;help;unix;listen'= {
        }
        &'nettool;help;unix;connect'= {
        }
        &'nettool;help;heartbeat'= {
            cand serve 'Answer every beat with a pong carrying our time, uptime and connection count'
            cand connect 'Beat every interval, report replies, declare the peer dead, reconnect'
        }
        &'nettool;help;heartbeat;serve'= {
        }
        &'nettool;help;heartbeat;connect'= {
        }
        &'nettool;help;completions'= {
        }
        &'nettool;help;man'= {
        }
        &'nettool;help;help'= {
        }
    ]
    $completions[$command]
}
