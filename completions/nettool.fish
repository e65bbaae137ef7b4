# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_nettool_global_optspecs
    string join \n json q/quiet v/verbose explain= dry-run color= h/help V/version
end

function __fish_nettool_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_nettool_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_nettool_using_subcommand
    set -l cmd (__fish_nettool_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c nettool -n "__fish_nettool_needs_command" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_needs_command" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_needs_command" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_needs_command" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_needs_command" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_needs_command" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_needs_command" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "tcp-echo" -d 'TCP echo server, netcat-style client and listener, load generator'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "udp" -d 'UDP: echo server for many peers, sender (with replies), receiver'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "broadcast" -d 'Broadcast datagrams on a link, and receive them'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "multicast" -d 'Multicast: send to a group, join it and receive (ASM and SSM, IPv4 and IPv6)'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "stat" -d 'Sockets and their TCP states (like ss), live --watch of transitions, -g groups, --packets on the wire'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "serve-http" -d 'Static HTTP file server with directory listings'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "unix" -d 'Unix domain sockets: echo server, netcat-style client and listener'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "heartbeat" -d 'Application heartbeats: ping-pong responder, dead-peer detection, reconnect'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "man" -d 'Write the man pages into a directory (used to refresh man/)'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve relay bench help" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve relay bench help" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve relay bench help" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve relay bench help" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve relay bench help" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve relay bench help" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve relay bench help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve relay bench help" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve relay bench help" -f -a "connect" -d 'Connect to ADDR and copy stdin to it and it to stdout (netcat\'s client mode)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve relay bench help" -f -a "listen" -d 'Accept a connection and copy it to stdout and stdin to it (netcat\'s -l)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve relay bench help" -f -a "serve" -d 'Echo every byte back, on the concurrency engine of your choice'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve relay bench help" -f -a "relay" -d 'Forward every connection to TARGET (TCP or Unix), on the engine of your choice'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve relay bench help" -f -a "bench" -d 'Load an echo server and measure it, or compare every engine (--compare)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve relay bench help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l parallel -d 'With -z: how many probes are in flight at once' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s e -l exec -d 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s c -l sh-exec -d 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s s -l source -d 'Connect from this local address: ADDR or ADDR:PORT (bind before connect)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s w -l timeout -d 'Give up after this long (connect, or no data); a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l eof-timeout -d 'Exit this long after stdin EOF even if the peer keeps the connection open' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s x -l hexdump -d 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l ca -d 'Trust the CA certificates in FILE (PEM) instead of the system roots' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l pin -d 'Trust exactly the certificate with this SHA-256 fingerprint (as a server with a self-signed certificate prints it); chain, dates and name are then not checked' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l sni -d 'Server name to send (SNI) and to verify, instead of the host dialled' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l alpn -d 'Application protocols to offer (ALPN), most preferred first: h2,http/1.1' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l cert -d 'Certificate chain to present, PEM, leaf first (with --key)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l key -d 'Private key of --cert, PEM (PKCS#8, RSA or EC)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s z -l scan -d 'Scan ports: ADDR is HOST:PORTS (22, 8000-8010, 22,80,443); print `open HOST:PORT` per port that answers (with -v the others too); -w bounds each probe (default 2s, UDP 1s); exit 0 when one is open'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s d -l no-stdin -d 'Do not read stdin (and do not half-close)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l send-only -d 'Only send stdin; ignore what the peer sends and exit at stdin EOF'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l recv-only -d 'Only print what the peer sends; never read stdin'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l no-shutdown -d 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l stats -d 'Print bytes in/out, duration and throughput at exit and on SIGUSR1'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s C -l crlf -d 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat\'s -C)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l packets -d 'Show this connection\'s TCP segments and state changes on stderr, from the SYN to TIME-WAIT (as `stat --packets`; needs CAP_NET_RAW)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l tls -d 'Speak TLS 1.3/1.2 (rustls), checking the server\'s certificate against the system roots'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l insecure -d 'Check nothing of the server\'s certificate (encrypted, but anyone on the path can be the server); the handshake report says what the check would have found'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s l -l listen -d 'Address to listen on (port 0 picks a free port)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s m -l max-connections -d 'With -k: refuse clients beyond N at once (closed at once, logged with -v; ncat -m)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l engine -d 'With -k: the engine serving the clients at once — select, poll, epoll-lt or epoll-et (the others cannot share stdin and stdout) [default: epoll-et]' -r -f -a "iterative\t''
fork\t''
thread\t''
busy-poll\t''
select\t''
poll\t''
epoll-lt\t''
epoll-et\t''
reactor\t''
io-uring\t''"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s e -l exec -d 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s c -l sh-exec -d 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s w -l timeout -d 'Give up after this long (connect, or no data); a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l eof-timeout -d 'Exit this long after stdin EOF even if the peer keeps the connection open' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s x -l hexdump -d 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l cert -d 'Certificate chain to present, PEM, leaf first (with --key)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l key -d 'Private key of --cert, PEM (PKCS#8, RSA or EC)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l client-ca -d 'Require a client certificate issued by a CA in FILE (PEM)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l alpn -d 'Application protocols to accept (ALPN), most preferred first: h2,http/1.1' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l handshake-timeout -d 'Close a connection whose TLS handshake is not done this long after it opened' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s k -l keep-open -d 'Keep listening and serve clients at the same time (ncat -k): stdin goes to every connected client, what each sends to stdout; a client\'s EOF ends that client'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l broker -d 'With -k: pass each client\'s bytes to every other client instead of stdout (ncat --broker); stdin still goes to all'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s d -l no-stdin -d 'Do not read stdin (and do not half-close)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l send-only -d 'Only send stdin; ignore what the peer sends and exit at stdin EOF'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l recv-only -d 'Only print what the peer sends; never read stdin'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l no-shutdown -d 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l stats -d 'Print bytes in/out, duration and throughput at exit and on SIGUSR1'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s C -l crlf -d 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat\'s -C)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l tls -d 'Speak TLS 1.3/1.2 (rustls) with --cert/--key, or with a self-signed certificate made for the listen address (its SHA-256 is printed beside `listening on`, for --pin)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -s l -l listen -d 'Address to listen on (port 0 picks a free port)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l engine -d 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)' -r -f -a "iterative\t'one client at a time: accept, serve, close; the next waits in the backlog'
fork\t'a process per connection (fork(2)), blocking I/O, SIGCHLD reaps'
thread\t'a thread per connection, blocking I/O'
busy-poll\t'non-blocking sockets asked in turn without a selector: correct, burns a core'
select\t'one thread, select(2): fd_set bitmaps, at most 1024 descriptors'
poll\t'one thread, poll(2): a pollfd array, no descriptor ceiling'
epoll-lt\t'one thread, epoll(7) level-triggered: one read per event'
epoll-et\t'one thread, epoll(7) edge-triggered: non-blocking reads drained to EAGAIN'
reactor\t'one thread, the epoll reactor: per-fd records whose handlers re-arm'
io-uring\t'one thread, io_uring(7): completions of receives and sends queued in a ring'"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l max-connections -d 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l idle-timeout -d 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -s x -l hexdump -d 'Dump every connection\'s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l rcvbuf -d 'SO_RCVBUF for every connection (e.g. 4k, 1M)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l sndbuf -d 'SO_SNDBUF for every connection (e.g. 4k, 1M)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l backlog -d 'The listen(2) backlog: connections the kernel completes before we accept them' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l workers -d 'Run N engine instances, each with its own SO_REUSEPORT listener' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l cert -d 'Certificate chain to present, PEM, leaf first (with --key)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l key -d 'Private key of --cert, PEM (PKCS#8, RSA or EC)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l client-ca -d 'Require a client certificate issued by a CA in FILE (PEM)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l alpn -d 'Application protocols to accept (ALPN), most preferred first: h2,http/1.1' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l handshake-timeout -d 'Close a connection whose TLS handshake is not done this long after it opened' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l no-reap -d 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l no-reuseaddr -d 'Do not set SO_REUSEADDR: a restart then fails while old connections sit in TIME-WAIT (the error names the TIME-WAIT socket and its seconds left)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l reuseport -d 'Set SO_REUSEPORT: several servers may share the port, the kernel spreads connections'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l tls -d 'Speak TLS 1.3/1.2 (rustls) with --cert/--key, or with a self-signed certificate made for the listen address (its SHA-256 is printed beside `listening on`, for --pin)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -s l -l listen -d 'Address to listen on (port 0 picks a free port)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l to -d 'Another target (repeatable); a connection tries them in --balance order until one answers' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l balance -d 'How a connection picks among several targets' -r -f -a "rr\t'Round robin: each new connection starts at the next target'
first\t'The first target that answers, in the order given'"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -s w -l timeout -d 'Give up after this long (connect, or no data); a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l engine -d 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)' -r -f -a "iterative\t'one client at a time: accept, serve, close; the next waits in the backlog'
fork\t'a process per connection (fork(2)), blocking I/O, SIGCHLD reaps'
thread\t'a thread per connection, blocking I/O'
busy-poll\t'non-blocking sockets asked in turn without a selector: correct, burns a core'
select\t'one thread, select(2): fd_set bitmaps, at most 1024 descriptors'
poll\t'one thread, poll(2): a pollfd array, no descriptor ceiling'
epoll-lt\t'one thread, epoll(7) level-triggered: one read per event'
epoll-et\t'one thread, epoll(7) edge-triggered: non-blocking reads drained to EAGAIN'
reactor\t'one thread, the epoll reactor: per-fd records whose handlers re-arm'
io-uring\t'one thread, io_uring(7): completions of receives and sends queued in a ring'"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l max-connections -d 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l idle-timeout -d 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -s x -l hexdump -d 'Dump every connection\'s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l rcvbuf -d 'SO_RCVBUF for every connection (e.g. 4k, 1M)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l sndbuf -d 'SO_SNDBUF for every connection (e.g. 4k, 1M)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l backlog -d 'The listen(2) backlog: connections the kernel completes before we accept them' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l workers -d 'Run N engine instances, each with its own SO_REUSEPORT listener' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l cert -d 'Certificate chain to present, PEM, leaf first (with --key)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l key -d 'Private key of --cert, PEM (PKCS#8, RSA or EC)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l client-ca -d 'Require a client certificate issued by a CA in FILE (PEM)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l alpn -d 'Application protocols to accept (ALPN), most preferred first: h2,http/1.1' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l handshake-timeout -d 'Close a connection whose TLS handshake is not done this long after it opened' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l no-reap -d 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l no-reuseaddr -d 'Do not set SO_REUSEADDR: a restart then fails while old connections sit in TIME-WAIT (the error names the TIME-WAIT socket and its seconds left)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l reuseport -d 'Set SO_REUSEPORT: several servers may share the port, the kernel spreads connections'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l tls -d 'Speak TLS 1.3/1.2 (rustls) with --cert/--key, or with a self-signed certificate made for the listen address (its SHA-256 is printed beside `listening on`, for --pin)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from relay" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s c -l connections -d 'Concurrent connections' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s d -l duration -d 'How long to measure [default: 5s]; with --bulk, the time limit [default: 60s]' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l size -d 'Bytes per message (K, M, G suffixes are powers of 1024)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l pipeline -d 'Messages in flight per connection' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l bulk -d 'Instead of messages, stream SIZE bytes per connection and check the echo' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l compare -d 'Start a local server per engine (a comma-separated list, or all) and compare them' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l background -d 'With --compare: hold N idle connections open to each server while measuring' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l sweep -d 'With --compare: measure at each of these idle-connection counts (N,N,…)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l idle -d 'Open CONNS connections, hold them idle for DURATION, check each still echoes' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s w -l timeout -d 'Give up after this long (connect, or no data); a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from help" -f -a "connect" -d 'Connect to ADDR and copy stdin to it and it to stdout (netcat\'s client mode)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from help" -f -a "listen" -d 'Accept a connection and copy it to stdout and stdin to it (netcat\'s -l)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Echo every byte back, on the concurrency engine of your choice'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from help" -f -a "relay" -d 'Forward every connection to TARGET (TCP or Unix), on the engine of your choice'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from help" -f -a "bench" -d 'Load an echo server and measure it, or compare every engine (--compare)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and not __fish_seen_subcommand_from serve send recv listen help" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand udp; and not __fish_seen_subcommand_from serve send recv listen help" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand udp; and not __fish_seen_subcommand_from serve send recv listen help" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and not __fish_seen_subcommand_from serve send recv listen help" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and not __fish_seen_subcommand_from serve send recv listen help" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and not __fish_seen_subcommand_from serve send recv listen help" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and not __fish_seen_subcommand_from serve send recv listen help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and not __fish_seen_subcommand_from serve send recv listen help" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and not __fish_seen_subcommand_from serve send recv listen help" -f -a "serve" -d 'Echo every datagram back to its sender (many peers on one socket)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and not __fish_seen_subcommand_from serve send recv listen help" -f -a "send" -d 'Send datagrams (MESSAGE arguments or stdin) and optionally print replies'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and not __fish_seen_subcommand_from serve send recv listen help" -f -a "recv" -d 'Receive datagrams and write them to stdout'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and not __fish_seen_subcommand_from serve send recv listen help" -f -a "listen" -d 'netcat\'s UDP listener (nc -u -l): datagrams to stdout, stdin lines back to the peer'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and not __fish_seen_subcommand_from serve send recv listen help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -s l -l listen -d 'Address to listen on (port 0 picks a free port)' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -s n -l count -d 'Stop after echoing N datagrams' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -l engine -d 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)' -r -f -a "iterative\t'one client at a time: accept, serve, close; the next waits in the backlog'
fork\t'a process per connection (fork(2)), blocking I/O, SIGCHLD reaps'
thread\t'a thread per connection, blocking I/O'
busy-poll\t'non-blocking sockets asked in turn without a selector: correct, burns a core'
select\t'one thread, select(2): fd_set bitmaps, at most 1024 descriptors'
poll\t'one thread, poll(2): a pollfd array, no descriptor ceiling'
epoll-lt\t'one thread, epoll(7) level-triggered: one read per event'
epoll-et\t'one thread, epoll(7) edge-triggered: non-blocking reads drained to EAGAIN'
reactor\t'one thread, the epoll reactor: per-fd records whose handlers re-arm'
io-uring\t'one thread, io_uring(7): completions of receives and sends queued in a ring'"
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -l max-connections -d 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -l idle-timeout -d 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -s x -l hexdump -d 'Dump every connection\'s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -l no-reap -d 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -l parallel -d 'With -z: how many probes are in flight at once' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -s x -l hexdump -d 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -s n -l count -d 'Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -l interval -d 'Pause this long between datagrams (otherwise they leave in sendmmsg batches)' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -l size -d 'Bytes per datagram for --raw (1400) and --probe (64)' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -s s -l bind -l source -d 'Local address to send from (ADDR or ADDR:PORT; netcat\'s -s)' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -s w -l timeout -d 'After sending, wait this long for (more) replies and print them (no reply at all: exit 1)' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -s z -l scan -d 'Scan ports: ADDR is HOST:PORTS (22, 8000-8010, 22,80,443); print `open HOST:PORT` per port that answers (with -v the others too); -w bounds each probe (default 2s, UDP 1s); exit 0 when one is open'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -l stats -d 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -l raw -d 'Read stdin in chunks of --size bytes instead of one datagram per line'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -l probe -d 'Send probes (sequence number + send time) for a `recv --probe` to measure loss'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from send" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -s l -l listen -d 'Address to receive on (port 0 picks a free port)' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -s x -l hexdump -d 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -s n -l count -d 'Exit (status 0) after N datagrams' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -s w -l timeout -d 'Give up (status 1) after this long without a datagram; a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -l buffer -d 'Receive buffer per datagram; larger datagrams are reported as truncated' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -l stats -d 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -l probe -d 'Expect probes from `send --probe`: report loss, duplicates, reordering, delay per sender'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -l reuse-port -d 'Also set SO_REUSEPORT, to share the port with programs that set only that. Off by default: Linux may then give a multicast datagram to one member of the reuseport group only, ignoring the members\' source filters'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from recv" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -s l -l listen -d 'Address to listen on (port 0 picks a free port)' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -s m -l max-connections -d 'With -k: track at most N senders; datagrams from more are dropped (-v logs them)' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -s w -l timeout -d 'End after this long without a datagram (exit 0 after some, 1 if none came)' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -l eof-timeout -d 'End this long after stdin ends (without it, receiving goes on, as with nc)' -r
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -s x -l hexdump -d 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -s k -l keep-open -d 'Hear every sender and answer the latest (without -k the first peer is the only one, as with nc -u -l; others are dropped, logged with -v)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -l to-all -d 'With -k: send stdin to every sender seen, not only the latest'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -s d -l no-stdin -d 'Never read stdin: only print what arrives'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from listen" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Echo every datagram back to its sender (many peers on one socket)'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from help" -f -a "send" -d 'Send datagrams (MESSAGE arguments or stdin) and optionally print replies'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from help" -f -a "recv" -d 'Receive datagrams and write them to stdout'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from help" -f -a "listen" -d 'netcat\'s UDP listener (nc -u -l): datagrams to stdout, stdin lines back to the peer'
complete -c nettool -n "__fish_nettool_using_subcommand udp; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and not __fish_seen_subcommand_from send recv help" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and not __fish_seen_subcommand_from send recv help" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and not __fish_seen_subcommand_from send recv help" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and not __fish_seen_subcommand_from send recv help" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and not __fish_seen_subcommand_from send recv help" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and not __fish_seen_subcommand_from send recv help" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and not __fish_seen_subcommand_from send recv help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and not __fish_seen_subcommand_from send recv help" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and not __fish_seen_subcommand_from send recv help" -f -a "send" -d 'Broadcast datagrams (SO_BROADCAST) on an interface or to an address'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and not __fish_seen_subcommand_from send recv help" -f -a "recv" -d 'Receive broadcast datagrams on a port (several receivers may share it)'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and not __fish_seen_subcommand_from send recv help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -s x -l hexdump -d 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -s n -l count -d 'Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)' -r
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -l interval -d 'Pause this long between datagrams (otherwise they leave in sendmmsg batches)' -r
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -l size -d 'Bytes per datagram for --raw (1400) and --probe (64)' -r
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -s s -l bind -l source -d 'Local address to send from (ADDR or ADDR:PORT; netcat\'s -s)' -r
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -s i -l iface -d 'Send out of this interface, to its broadcast address (unless --to is given)' -r -f -a "(__fish_print_interfaces)"
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -l to -d 'Broadcast address to send to (e.g. 192.0.2.255 or 255.255.255.255)' -r
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -l stats -d 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -l raw -d 'Read stdin in chunks of --size bytes instead of one datagram per line'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -l probe -d 'Send probes (sequence number + send time) for a `recv --probe` to measure loss'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from send" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -s i -l iface -d 'Only datagrams that arrive on this interface (SO_BINDTODEVICE)' -r -f -a "(__fish_print_interfaces)"
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -s x -l hexdump -d 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -s n -l count -d 'Exit (status 0) after N datagrams' -r
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -s w -l timeout -d 'Give up (status 1) after this long without a datagram; a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -l buffer -d 'Receive buffer per datagram; larger datagrams are reported as truncated' -r
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -l stats -d 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -l probe -d 'Expect probes from `send --probe`: report loss, duplicates, reordering, delay per sender'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -l reuse-port -d 'Also set SO_REUSEPORT, to share the port with programs that set only that. Off by default: Linux may then give a multicast datagram to one member of the reuseport group only, ignoring the members\' source filters'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from recv" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from help" -f -a "send" -d 'Broadcast datagrams (SO_BROADCAST) on an interface or to an address'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from help" -f -a "recv" -d 'Receive broadcast datagrams on a port (several receivers may share it)'
complete -c nettool -n "__fish_nettool_using_subcommand broadcast; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and not __fish_seen_subcommand_from send recv doctor help" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and not __fish_seen_subcommand_from send recv doctor help" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and not __fish_seen_subcommand_from send recv doctor help" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and not __fish_seen_subcommand_from send recv doctor help" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and not __fish_seen_subcommand_from send recv doctor help" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and not __fish_seen_subcommand_from send recv doctor help" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and not __fish_seen_subcommand_from send recv doctor help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and not __fish_seen_subcommand_from send recv doctor help" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and not __fish_seen_subcommand_from send recv doctor help" -f -a "send" -d 'Send datagrams to a multicast group'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and not __fish_seen_subcommand_from send recv doctor help" -f -a "recv" -d 'Join a multicast group and print what arrives'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and not __fish_seen_subcommand_from send recv doctor help" -f -a "doctor" -d 'Find out why a receiver gets nothing: interface, route, rp_filter, join, firewall'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and not __fish_seen_subcommand_from send recv doctor help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -s x -l hexdump -d 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -s n -l count -d 'Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)' -r
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -l interval -d 'Pause this long between datagrams (otherwise they leave in sendmmsg batches)' -r
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -l size -d 'Bytes per datagram for --raw (1400) and --probe (64)' -r
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -s s -l bind -l source -d 'Local address to send from (ADDR or ADDR:PORT; netcat\'s -s)' -r
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -s i -l iface -d 'Send out of this interface (IP_MULTICAST_IF / IPV6_MULTICAST_IF by index)' -r -f -a "(__fish_print_interfaces)"
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -l ttl -d 'Hop limit: 0 stays on this host, 1 this link (IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS)' -r
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -l stats -d 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -l raw -d 'Read stdin in chunks of --size bytes instead of one datagram per line'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -l probe -d 'Send probes (sequence number + send time) for a `recv --probe` to measure loss'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -l loop -d 'Deliver a copy to receivers on this host too (the default; IP_MULTICAST_LOOP)'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -l no-loop -d 'Do not deliver to receivers on this host (the last of --loop/--no-loop wins)'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from send" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -s i -l iface -d 'Join on this interface (by index, ip_mreqn); default: the route\'s interface' -r -f -a "(__fish_print_interfaces)"
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -l source -d 'Only datagrams from this source (SSM: IP_ADD_SOURCE_MEMBERSHIP; IPv6: MCAST_JOIN_SOURCE_GROUP)' -r
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -s x -l hexdump -d 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -s n -l count -d 'Exit (status 0) after N datagrams' -r
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -s w -l timeout -d 'Give up (status 1) after this long without a datagram; a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -l buffer -d 'Receive buffer per datagram; larger datagrams are reported as truncated' -r
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -l stats -d 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -l probe -d 'Expect probes from `send --probe`: report loss, duplicates, reordering, delay per sender'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -l reuse-port -d 'Also set SO_REUSEPORT, to share the port with programs that set only that. Off by default: Linux may then give a multicast datagram to one member of the reuseport group only, ignoring the members\' source filters'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from recv" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from doctor" -s i -l iface -d 'The interface receivers join on (default: the one the route to the group uses)' -r -f -a "(__fish_print_interfaces)"
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from doctor" -l source -d 'The sender\'s address: checks that reverse-path filtering lets it through' -r
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from doctor" -s w -l timeout -d 'Give up after this long (connect, or no data); a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from doctor" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from doctor" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from doctor" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from doctor" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from doctor" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from doctor" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from doctor" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from help" -f -a "send" -d 'Send datagrams to a multicast group'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from help" -f -a "recv" -d 'Join a multicast group and print what arrives'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from help" -f -a "doctor" -d 'Find out why a receiver gets nothing: interface, route, rp_filter, join, firewall'
complete -c nettool -n "__fish_nettool_using_subcommand multicast; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -l iface -d 'With --packets: capture on this interface only (default: lo and every other)' -r -f -a "(__fish_print_interfaces)"
complete -c nettool -n "__fish_nettool_using_subcommand stat" -l buffer -d 'With --packets: the most the kernel queues for nettool (SO_RCVBUF); a full queue drops packets and says how many' -r
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s w -l timeout -d 'With --packets: stop after this long (exit 1 if nothing was seen)' -r
complete -c nettool -n "__fish_nettool_using_subcommand stat" -l state -d 'Only these states (TCP diagram names, or all, connected, synchronized, bucket, big)' -r
complete -c nettool -n "__fish_nettool_using_subcommand stat" -l sport -d 'Only sockets with this local port (a number, :PORT or a service name such as http)' -r
complete -c nettool -n "__fish_nettool_using_subcommand stat" -l dport -d 'Only sockets with this peer port (a number, :PORT or a service name such as https)' -r
complete -c nettool -n "__fish_nettool_using_subcommand stat" -l pid -d 'Only sockets held open by this process' -r
complete -c nettool -n "__fish_nettool_using_subcommand stat" -l watch -d 'Refresh every DURATION, marking new (+) and closed (-) sockets and state changes (~ FROM→); with --json: the first snapshot as "socket" lines, then one line per change ("new", "closed", "state" with "from" and "to")' -r
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s c -l count -d 'With --watch: stop after this many snapshots; with --packets: after this many packets' -r
complete -c nettool -n "__fish_nettool_using_subcommand stat" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand stat" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s t -l tcp -d 'TCP sockets'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s u -l udp -d 'UDP sockets'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s x -l unix -d 'Unix domain sockets'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s l -l listening -d 'Only listening sockets (and unconnected UDP/Unix datagram sockets)'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s a -l all -d 'Sockets in every state (default: connected ones without TIME-WAIT and SYN-RECV)'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s n -l numeric -d 'Numeric ports (no service names from /etc/services)'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s r -l resolve -d 'Resolve host addresses to names'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s p -l processes -d 'Show the processes holding each socket (name, pid, fd)'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s e -l extended -d 'Show uid and inode'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s i -l info -d 'Show TCP internals: congestion control, rtt, rto, cwnd, retransmits, bytes, and the sliding window in numbers: advmss, rcv_space, snd_wnd (the peer\'s window; 0 = zero window), rcv_wnd (ours)'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s m -l memory -d 'Show socket memory as ss -m does: skmem:(r rmem_alloc, rb rcvbuf, t wmem_alloc, tb sndbuf, f fwd_alloc, w wmem_queued, o optmem, bl backlog, d drops), in bytes; TCP, UDP and Unix (netlink only: /proc/net has none)'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s o -l options -d 'Show timers (retransmit, keepalive, zero-window probe, TIME-WAIT countdown)'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s s -l summary -d 'Print the totals ss -s prints (all sockets; TCP estab, closed, orphaned, timewait; RAW, UDP, TCP, INET, FRAG per family), then sockets per state'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s g -l groups -d 'Print multicast group memberships per interface (netstat -g)'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -l packets -d 'Show the packets: one line per TCP segment (flags, seq/ack relative to each side\'s ISN, window, options) or UDP datagram, with the TCP state changes of the sockets between them; needs CAP_NET_RAW. --sport/--dport match a port on either end (both given: the two ends); -t/-u, -4/-6 as for sockets'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -l absolute -d 'With --packets: raw sequence and acknowledgement numbers, not relative to the ISN'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -l self -d 'Only sockets held open by the process that started nettool (a shell, a script)'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -l proc -d 'Read /proc/net instead of netlink sock_diag (what netstat reads; no timers, tcp_info, listener backlogs or Unix queues there). NETTOOL_STAT_PROC=1 (or true, yes, on) in the environment does the same'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand stat" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -s l -l listen -d 'Address to listen on (port 0 picks a free port)' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l engine -d 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)' -r -f -a "iterative\t'one client at a time: accept, serve, close; the next waits in the backlog'
fork\t'a process per connection (fork(2)), blocking I/O, SIGCHLD reaps'
thread\t'a thread per connection, blocking I/O'
busy-poll\t'non-blocking sockets asked in turn without a selector: correct, burns a core'
select\t'one thread, select(2): fd_set bitmaps, at most 1024 descriptors'
poll\t'one thread, poll(2): a pollfd array, no descriptor ceiling'
epoll-lt\t'one thread, epoll(7) level-triggered: one read per event'
epoll-et\t'one thread, epoll(7) edge-triggered: non-blocking reads drained to EAGAIN'
reactor\t'one thread, the epoll reactor: per-fd records whose handlers re-arm'
io-uring\t'one thread, io_uring(7): completions of receives and sends queued in a ring'"
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l max-connections -d 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l idle-timeout -d 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -s x -l hexdump -d 'Dump every connection\'s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l rcvbuf -d 'SO_RCVBUF for every connection (e.g. 4k, 1M)' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l sndbuf -d 'SO_SNDBUF for every connection (e.g. 4k, 1M)' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l backlog -d 'The listen(2) backlog: connections the kernel completes before we accept them' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l workers -d 'Run N engine instances, each with its own SO_REUSEPORT listener' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l cert -d 'Certificate chain to present, PEM, leaf first (with --key)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l key -d 'Private key of --cert, PEM (PKCS#8, RSA or EC)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l client-ca -d 'Require a client certificate issued by a CA in FILE (PEM)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l alpn -d 'Application protocols to accept (ALPN), most preferred first: h2,http/1.1' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l handshake-timeout -d 'Close a connection whose TLS handshake is not done this long after it opened' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l index -d 'File served for a directory when it exists' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l header-timeout -d 'Close a connection whose request head is not complete this long after the server started waiting for it (slowloris defence; also the keep-alive timeout)' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l compress-max -d 'Largest file --compress compresses' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l cache-control -d 'Cache-Control value for files (default: none; listings always say no-cache)' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l header -d 'Add a header line to every response, e.g. \'X-Frame-Options: DENY\' (repeatable)' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l auth -d 'Require HTTP Basic authentication with this user and password (repeatable; visible to other local users in the process list: prefer --auth-file)' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l auth-file -d 'Require HTTP Basic authentication for the users in FILE: lines `user:HASH` with an argon2 ($argon2id$…) or bcrypt ($2b$…, as `htpasswd -nB` writes) hash' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l max-upload -d 'Largest upload accepted (413 beyond it)' -r
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l spa -d 'Serve FILE (a path below DIR) with 200 for every path that does not exist, as a single-page application wants' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l no-reap -d 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l no-reuseaddr -d 'Do not set SO_REUSEADDR: a restart then fails while old connections sit in TIME-WAIT (the error names the TIME-WAIT socket and its seconds left)'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l reuseport -d 'Set SO_REUSEPORT: several servers may share the port, the kernel spreads connections'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l tls -d 'Speak TLS 1.3/1.2 (rustls) with --cert/--key, or with a self-signed certificate made for the listen address (its SHA-256 is printed beside `listening on`, for --pin)'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l no-listing -d 'Answer 403 for directories without an index instead of listing them'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l hidden -d 'Serve and list dotfiles (hidden by default: 404)'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l follow-symlinks -d 'Follow symlinks that lead outside DIR (refused with 403 by default)'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l no-cache -d 'Open and stat files on every request instead of keeping them open until inotify reports a change (for trees changed through shared mmap or by other hosts on a network filesystem, which inotify does not see)'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l precompressed -d 'Serve F.br, F.zst or F.gz next to F with Content-Encoding when the client\'s Accept-Encoding allows (each with its own ETag; ranges apply to the encoded bytes)'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l compress -d 'Gzip listings and text files (HTML, CSS, JavaScript, JSON, SVG, …) of at most --compress-max bytes on the fly for clients that accept gzip'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l cors -d 'Allow cross-origin reads: Access-Control-Allow-Origin: * on every response, and answers to preflight OPTIONS requests (GET and HEAD only)'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l upload -d 'Accept uploads: PUT /dir/name, or a multipart/form-data POST from the listing page\'s form (written to a temporary file, then renamed into place)'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l overwrite -d 'Let uploads replace existing files (otherwise 409)'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l ktls -d 'After each TLS handshake hand the record keys to the kernel (kernel TLS, tls(7)), so file bodies still go out with sendfile(2); fails at start where the kernel has no TLS'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand serve-http" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect relay help" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect relay help" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect relay help" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect relay help" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect relay help" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect relay help" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect relay help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect relay help" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect relay help" -f -a "serve" -d 'Echo server on a Unix socket (stream on any engine, or --dgram)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect relay help" -f -a "listen" -d 'Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect relay help" -f -a "connect" -d 'Connect to a Unix socket and relay stdin/stdout (netcat -U)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect relay help" -f -a "relay" -d 'Forward every connection on a Unix socket to TARGET (TCP or Unix)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect relay help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l mode -d 'Permissions of the socket file, octal (in force from the moment it exists)' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l engine -d 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)' -r -f -a "iterative\t'one client at a time: accept, serve, close; the next waits in the backlog'
fork\t'a process per connection (fork(2)), blocking I/O, SIGCHLD reaps'
thread\t'a thread per connection, blocking I/O'
busy-poll\t'non-blocking sockets asked in turn without a selector: correct, burns a core'
select\t'one thread, select(2): fd_set bitmaps, at most 1024 descriptors'
poll\t'one thread, poll(2): a pollfd array, no descriptor ceiling'
epoll-lt\t'one thread, epoll(7) level-triggered: one read per event'
epoll-et\t'one thread, epoll(7) edge-triggered: non-blocking reads drained to EAGAIN'
reactor\t'one thread, the epoll reactor: per-fd records whose handlers re-arm'
io-uring\t'one thread, io_uring(7): completions of receives and sends queued in a ring'"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l max-connections -d 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l idle-timeout -d 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -s x -l hexdump -d 'Dump every connection\'s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l cert -d 'Certificate chain to present, PEM, leaf first (with --key)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l key -d 'Private key of --cert, PEM (PKCS#8, RSA or EC)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l client-ca -d 'Require a client certificate issued by a CA in FILE (PEM)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l alpn -d 'Application protocols to accept (ALPN), most preferred first: h2,http/1.1' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l handshake-timeout -d 'Close a connection whose TLS handshake is not done this long after it opened' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l dgram -d 'Datagram socket (SOCK_DGRAM): each datagram is echoed to its sender'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l no-reap -d 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l tls -d 'Speak TLS 1.3/1.2 (rustls) with --cert/--key, or with a self-signed certificate made for the listen address (its SHA-256 is printed beside `listening on`, for --pin)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s m -l max-connections -d 'With -k: refuse clients beyond N at once (closed at once, logged with -v; ncat -m)' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l engine -d 'With -k: the engine serving the clients at once — select, poll, epoll-lt or epoll-et (the others cannot share stdin and stdout) [default: epoll-et]' -r -f -a "iterative\t''
fork\t''
thread\t''
busy-poll\t''
select\t''
poll\t''
epoll-lt\t''
epoll-et\t''
reactor\t''
io-uring\t''"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l mode -d 'Permissions of the socket file, octal' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s w -l timeout -d 'Give up after this long (connect, or no data); a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l eof-timeout -d 'Exit this long after stdin EOF even if the peer keeps the connection open' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s x -l hexdump -d 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s e -l exec -d 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s c -l sh-exec -d 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l cert -d 'Certificate chain to present, PEM, leaf first (with --key)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l key -d 'Private key of --cert, PEM (PKCS#8, RSA or EC)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l client-ca -d 'Require a client certificate issued by a CA in FILE (PEM)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l alpn -d 'Application protocols to accept (ALPN), most preferred first: h2,http/1.1' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l handshake-timeout -d 'Close a connection whose TLS handshake is not done this long after it opened' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s k -l keep-open -d 'Keep listening and serve clients at the same time (ncat -k): stdin goes to every connected client, what each sends to stdout; a client\'s EOF ends that client'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l broker -d 'With -k: pass each client\'s bytes to every other client instead of stdout (ncat --broker); stdin still goes to all'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l dgram -d 'Datagram socket: print datagrams, send stdin to the latest sender (every sender is heard without -k; there is no connection to half-close or send-only on)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s d -l no-stdin -d 'Do not read stdin (and do not half-close)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l send-only -d 'Only send stdin; ignore what the peer sends and exit at stdin EOF'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l recv-only -d 'Only print what the peer sends; never read stdin'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l no-shutdown -d 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l stats -d 'Print bytes in/out, duration and throughput at exit and on SIGUSR1'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s C -l crlf -d 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat\'s -C)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l tls -d 'Speak TLS 1.3/1.2 (rustls) with --cert/--key, or with a self-signed certificate made for the listen address (its SHA-256 is printed beside `listening on`, for --pin)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s w -l timeout -d 'Give up after this long (connect, or no data); a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l eof-timeout -d 'Exit this long after stdin EOF even if the peer keeps the connection open' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s x -l hexdump -d 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s e -l exec -d 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s c -l sh-exec -d 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l ca -d 'Trust the CA certificates in FILE (PEM) instead of the system roots' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l pin -d 'Trust exactly the certificate with this SHA-256 fingerprint (as a server with a self-signed certificate prints it); chain, dates and name are then not checked' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l sni -d 'Server name to send (SNI) and to verify, instead of the host dialled' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l alpn -d 'Application protocols to offer (ALPN), most preferred first: h2,http/1.1' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l cert -d 'Certificate chain to present, PEM, leaf first (with --key)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l key -d 'Private key of --cert, PEM (PKCS#8, RSA or EC)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l dgram -d 'Datagram socket: each stdin line goes out as one datagram (as udp send sends them); -w bounds the wait for replies (no half-close there, so --no-shutdown and --eof-timeout do not apply)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l raw -d 'With --dgram: each chunk read from stdin is one datagram, not each line'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s d -l no-stdin -d 'Do not read stdin (and do not half-close)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l send-only -d 'Only send stdin; ignore what the peer sends and exit at stdin EOF'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l recv-only -d 'Only print what the peer sends; never read stdin'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l no-shutdown -d 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l stats -d 'Print bytes in/out, duration and throughput at exit and on SIGUSR1'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s C -l crlf -d 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat\'s -C)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l tls -d 'Speak TLS 1.3/1.2 (rustls), checking the server\'s certificate against the system roots'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l insecure -d 'Check nothing of the server\'s certificate (encrypted, but anyone on the path can be the server); the handshake report says what the check would have found'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -s l -l listen -d 'Socket path to listen on, or @NAME for the Linux abstract namespace' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -l to -d 'Another target (repeatable); a connection tries them in --balance order until one answers' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -l balance -d 'How a connection picks among several targets' -r -f -a "rr\t'Round robin: each new connection starts at the next target'
first\t'The first target that answers, in the order given'"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -s w -l timeout -d 'Give up after this long (connect, or no data); a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -l mode -d 'Permissions of the socket file, octal (in force from the moment it exists)' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -l engine -d 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)' -r -f -a "iterative\t'one client at a time: accept, serve, close; the next waits in the backlog'
fork\t'a process per connection (fork(2)), blocking I/O, SIGCHLD reaps'
thread\t'a thread per connection, blocking I/O'
busy-poll\t'non-blocking sockets asked in turn without a selector: correct, burns a core'
select\t'one thread, select(2): fd_set bitmaps, at most 1024 descriptors'
poll\t'one thread, poll(2): a pollfd array, no descriptor ceiling'
epoll-lt\t'one thread, epoll(7) level-triggered: one read per event'
epoll-et\t'one thread, epoll(7) edge-triggered: non-blocking reads drained to EAGAIN'
reactor\t'one thread, the epoll reactor: per-fd records whose handlers re-arm'
io-uring\t'one thread, io_uring(7): completions of receives and sends queued in a ring'"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -l max-connections -d 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -l idle-timeout -d 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -s x -l hexdump -d 'Dump every connection\'s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -l no-reap -d 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from relay" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Echo server on a Unix socket (stream on any engine, or --dgram)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from help" -f -a "listen" -d 'Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from help" -f -a "connect" -d 'Connect to a Unix socket and relay stdin/stdout (netcat -U)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from help" -f -a "relay" -d 'Forward every connection on a Unix socket to TARGET (TCP or Unix)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -f -a "serve" -d 'Answer every beat with a pong carrying our time, uptime and connection count'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -f -a "connect" -d 'Beat every interval, report replies, declare the peer dead, reconnect'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -s l -l listen -d 'Address to listen on (port 0 picks a free port)' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l engine -d 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)' -r -f -a "iterative\t'one client at a time: accept, serve, close; the next waits in the backlog'
fork\t'a process per connection (fork(2)), blocking I/O, SIGCHLD reaps'
thread\t'a thread per connection, blocking I/O'
busy-poll\t'non-blocking sockets asked in turn without a selector: correct, burns a core'
select\t'one thread, select(2): fd_set bitmaps, at most 1024 descriptors'
poll\t'one thread, poll(2): a pollfd array, no descriptor ceiling'
epoll-lt\t'one thread, epoll(7) level-triggered: one read per event'
epoll-et\t'one thread, epoll(7) edge-triggered: non-blocking reads drained to EAGAIN'
reactor\t'one thread, the epoll reactor: per-fd records whose handlers re-arm'
io-uring\t'one thread, io_uring(7): completions of receives and sends queued in a ring'"
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l max-connections -d 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l idle-timeout -d 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -s x -l hexdump -d 'Dump every connection\'s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l rcvbuf -d 'SO_RCVBUF for every connection (e.g. 4k, 1M)' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l sndbuf -d 'SO_SNDBUF for every connection (e.g. 4k, 1M)' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l backlog -d 'The listen(2) backlog: connections the kernel completes before we accept them' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l workers -d 'Run N engine instances, each with its own SO_REUSEPORT listener' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l cert -d 'Certificate chain to present, PEM, leaf first (with --key)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l key -d 'Private key of --cert, PEM (PKCS#8, RSA or EC)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l client-ca -d 'Require a client certificate issued by a CA in FILE (PEM)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l alpn -d 'Application protocols to accept (ALPN), most preferred first: h2,http/1.1' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l handshake-timeout -d 'Close a connection whose TLS handshake is not done this long after it opened' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l udp -d 'Speak the protocol over UDP (one frame per datagram)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l no-reap -d 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l no-reuseaddr -d 'Do not set SO_REUSEADDR: a restart then fails while old connections sit in TIME-WAIT (the error names the TIME-WAIT socket and its seconds left)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l reuseport -d 'Set SO_REUSEPORT: several servers may share the port, the kernel spreads connections'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l tls -d 'Speak TLS 1.3/1.2 (rustls) with --cert/--key, or with a self-signed certificate made for the listen address (its SHA-256 is printed beside `listening on`, for --pin)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s x -l hexdump -d 'Dump every frame\'s bytes sent (>) and received (<) as hex + ASCII to FILE (- for stderr)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l interval -d 'Time between beats; a reply must arrive within it' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l misses -d 'Consecutive unanswered beats before the peer is declared dead' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l backoff -d 'Reconnect delays: exponential from MIN to MAX, with jitter' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s n -l count -d 'Stop after this many beats (and their replies or misses)' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s w -l timeout -d 'Give up after this long (connect, or no data); a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s s -l source -d 'Connect from this local address: ADDR or ADDR:PORT (bind before connect)' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l ca -d 'Trust the CA certificates in FILE (PEM) instead of the system roots' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l pin -d 'Trust exactly the certificate with this SHA-256 fingerprint (as a server with a self-signed certificate prints it); chain, dates and name are then not checked' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l sni -d 'Server name to send (SNI) and to verify, instead of the host dialled' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l alpn -d 'Application protocols to offer (ALPN), most preferred first: h2,http/1.1' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l cert -d 'Certificate chain to present, PEM, leaf first (with --key)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l key -d 'Private key of --cert, PEM (PKCS#8, RSA or EC)' -r -F
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l reconnect -d 'After a dead verdict, reconnect (with back-off) instead of exiting 1'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l udp -d 'Beat over UDP instead of TCP'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l tcp-keepalive -d 'No beats: use the kernel\'s TCP keepalive (idle/interval/count from --interval and --misses) and TCP_USER_TIMEOUT, and report when the kernel drops the connection'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l packets -d 'Show the TCP segments (or UDP datagrams) of this client\'s connections and their state changes on stderr, reconnects included (as `stat --packets`; needs CAP_NET_RAW)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l tls -d 'Speak TLS 1.3/1.2 (rustls), checking the server\'s certificate against the system roots'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l insecure -d 'Check nothing of the server\'s certificate (encrypted, but anyone on the path can be the server); the handshake report says what the check would have found'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Answer every beat with a pong carrying our time, uptime and connection count'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from help" -f -a "connect" -d 'Beat every interval, report replies, declare the peer dead, reconnect'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand completions" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand completions" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand completions" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand completions" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand completions" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand completions" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand completions" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand man" -l explain -d 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor' -r -f -a "calls\t'Setup and lifecycle calls (plain --explain)'
io\t'Those and every call on the I/O path, rate-limited per descriptor'"
complete -c nettool -n "__fish_nettool_using_subcommand man" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand man" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand man" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand man" -s v -l verbose -d 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine\'s limits)'
complete -c nettool -n "__fish_nettool_using_subcommand man" -l dry-run -d 'Show the setup calls (as --explain) and stop before any traffic'
complete -c nettool -n "__fish_nettool_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand man" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo udp broadcast multicast stat serve-http unix heartbeat completions man help" -f -a "tcp-echo" -d 'TCP echo server, netcat-style client and listener, load generator'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo udp broadcast multicast stat serve-http unix heartbeat completions man help" -f -a "udp" -d 'UDP: echo server for many peers, sender (with replies), receiver'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo udp broadcast multicast stat serve-http unix heartbeat completions man help" -f -a "broadcast" -d 'Broadcast datagrams on a link, and receive them'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo udp broadcast multicast stat serve-http unix heartbeat completions man help" -f -a "multicast" -d 'Multicast: send to a group, join it and receive (ASM and SSM, IPv4 and IPv6)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo udp broadcast multicast stat serve-http unix heartbeat completions man help" -f -a "stat" -d 'Sockets and their TCP states (like ss), live --watch of transitions, -g groups, --packets on the wire'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo udp broadcast multicast stat serve-http unix heartbeat completions man help" -f -a "serve-http" -d 'Static HTTP file server with directory listings'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo udp broadcast multicast stat serve-http unix heartbeat completions man help" -f -a "unix" -d 'Unix domain sockets: echo server, netcat-style client and listener'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo udp broadcast multicast stat serve-http unix heartbeat completions man help" -f -a "heartbeat" -d 'Application heartbeats: ping-pong responder, dead-peer detection, reconnect'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo udp broadcast multicast stat serve-http unix heartbeat completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo udp broadcast multicast stat serve-http unix heartbeat completions man help" -f -a "man" -d 'Write the man pages into a directory (used to refresh man/)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo udp broadcast multicast stat serve-http unix heartbeat completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from tcp-echo" -f -a "connect" -d 'Connect to ADDR and copy stdin to it and it to stdout (netcat\'s client mode)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from tcp-echo" -f -a "listen" -d 'Accept a connection and copy it to stdout and stdin to it (netcat\'s -l)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from tcp-echo" -f -a "serve" -d 'Echo every byte back, on the concurrency engine of your choice'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from tcp-echo" -f -a "relay" -d 'Forward every connection to TARGET (TCP or Unix), on the engine of your choice'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from tcp-echo" -f -a "bench" -d 'Load an echo server and measure it, or compare every engine (--compare)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from udp" -f -a "serve" -d 'Echo every datagram back to its sender (many peers on one socket)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from udp" -f -a "send" -d 'Send datagrams (MESSAGE arguments or stdin) and optionally print replies'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from udp" -f -a "recv" -d 'Receive datagrams and write them to stdout'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from udp" -f -a "listen" -d 'netcat\'s UDP listener (nc -u -l): datagrams to stdout, stdin lines back to the peer'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from broadcast" -f -a "send" -d 'Broadcast datagrams (SO_BROADCAST) on an interface or to an address'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from broadcast" -f -a "recv" -d 'Receive broadcast datagrams on a port (several receivers may share it)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from multicast" -f -a "send" -d 'Send datagrams to a multicast group'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from multicast" -f -a "recv" -d 'Join a multicast group and print what arrives'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from multicast" -f -a "doctor" -d 'Find out why a receiver gets nothing: interface, route, rp_filter, join, firewall'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from unix" -f -a "serve" -d 'Echo server on a Unix socket (stream on any engine, or --dgram)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from unix" -f -a "listen" -d 'Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from unix" -f -a "connect" -d 'Connect to a Unix socket and relay stdin/stdout (netcat -U)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from unix" -f -a "relay" -d 'Forward every connection on a Unix socket to TARGET (TCP or Unix)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from heartbeat" -f -a "serve" -d 'Answer every beat with a pong carrying our time, uptime and connection count'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from heartbeat" -f -a "connect" -d 'Beat every interval, report replies, declare the peer dead, reconnect'
