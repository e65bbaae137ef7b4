
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'nettool' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'nettool'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'nettool' {
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('tcp-echo', 'tcp-echo', [CompletionResultType]::ParameterValue, 'TCP echo server, netcat-style client and listener, load generator')
            [CompletionResult]::new('udp', 'udp', [CompletionResultType]::ParameterValue, 'UDP: echo server for many peers, sender (with replies), receiver')
            [CompletionResult]::new('broadcast', 'broadcast', [CompletionResultType]::ParameterValue, 'Broadcast datagrams on a link, and receive them')
            [CompletionResult]::new('multicast', 'multicast', [CompletionResultType]::ParameterValue, 'Multicast: send to a group, join it and receive (ASM and SSM, IPv4 and IPv6)')
            [CompletionResult]::new('stat', 'stat', [CompletionResultType]::ParameterValue, 'Sockets and their TCP states (like ss), live --watch of transitions, -g groups, --packets on the wire')
            [CompletionResult]::new('serve-http', 'serve-http', [CompletionResultType]::ParameterValue, 'Static HTTP file server with directory listings')
            [CompletionResult]::new('unix', 'unix', [CompletionResultType]::ParameterValue, 'Unix domain sockets: echo server, netcat-style client and listener')
            [CompletionResult]::new('heartbeat', 'heartbeat', [CompletionResultType]::ParameterValue, 'Application heartbeats: ping-pong responder, dead-peer detection, reconnect')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write the man pages into a directory (used to refresh man/)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;tcp-echo' {
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to ADDR and copy stdin to it and it to stdout (netcat''s client mode)')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Accept a connection and copy it to stdout and stdin to it (netcat''s -l)')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Echo every byte back, on the concurrency engine of your choice')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Forward every connection to TARGET (TCP or Unix), on the engine of your choice')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Load an echo server and measure it, or compare every engine (--compare)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;tcp-echo;connect' {
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'With -z: how many probes are in flight at once')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)')
            [CompletionResult]::new('--sh-exec', '--sh-exec', [CompletionResultType]::ParameterName, 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Connect from this local address: ADDR or ADDR:PORT (bind before connect)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Connect from this local address: ADDR or ADDR:PORT (bind before connect)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--eof-timeout', '--eof-timeout', [CompletionResultType]::ParameterName, 'Exit this long after stdin EOF even if the peer keeps the connection open')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'Trust the CA certificates in FILE (PEM) instead of the system roots')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'Trust exactly the certificate with this SHA-256 fingerprint (as a server with a self-signed certificate prints it); chain, dates and name are then not checked')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'Server name to send (SNI) and to verify, instead of the host dialled')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'Application protocols to offer (ALPN), most preferred first: h2,http/1.1')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Certificate chain to present, PEM, leaf first (with --key)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key of --cert, PEM (PKCS#8, RSA or EC)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'Scan ports: ADDR is HOST:PORTS (22, 8000-8010, 22,80,443); print `open HOST:PORT` per port that answers (with -v the others too); -w bounds each probe (default 2s, UDP 1s); exit 0 when one is open')
            [CompletionResult]::new('--scan', '--scan', [CompletionResultType]::ParameterName, 'Scan ports: ADDR is HOST:PORTS (22, 8000-8010, 22,80,443); print `open HOST:PORT` per port that answers (with -v the others too); -w bounds each probe (default 2s, UDP 1s); exit 0 when one is open')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--send-only', '--send-only', [CompletionResultType]::ParameterName, 'Only send stdin; ignore what the peer sends and exit at stdin EOF')
            [CompletionResult]::new('--recv-only', '--recv-only', [CompletionResultType]::ParameterName, 'Only print what the peer sends; never read stdin')
            [CompletionResult]::new('--no-shutdown', '--no-shutdown', [CompletionResultType]::ParameterName, 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print bytes in/out, duration and throughput at exit and on SIGUSR1')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)')
            [CompletionResult]::new('--crlf', '--crlf', [CompletionResultType]::ParameterName, 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)')
            [CompletionResult]::new('--packets', '--packets', [CompletionResultType]::ParameterName, 'Show this connection''s TCP segments and state changes on stderr, from the SYN to TIME-WAIT (as `stat --packets`; needs CAP_NET_RAW)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS 1.3/1.2 (rustls), checking the server''s certificate against the system roots')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Check nothing of the server''s certificate (encrypted, but anyone on the path can be the server); the handshake report says what the check would have found')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;tcp-echo;listen' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'With -k: refuse clients beyond N at once (closed at once, logged with -v; ncat -m)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'With -k: refuse clients beyond N at once (closed at once, logged with -v; ncat -m)')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'With -k: the engine serving the clients at once — select, poll, epoll-lt or epoll-et (the others cannot share stdin and stdout) [default: epoll-et]')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)')
            [CompletionResult]::new('--sh-exec', '--sh-exec', [CompletionResultType]::ParameterName, 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--eof-timeout', '--eof-timeout', [CompletionResultType]::ParameterName, 'Exit this long after stdin EOF even if the peer keeps the connection open')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Certificate chain to present, PEM, leaf first (with --key)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key of --cert, PEM (PKCS#8, RSA or EC)')
            [CompletionResult]::new('--client-ca', '--client-ca', [CompletionResultType]::ParameterName, 'Require a client certificate issued by a CA in FILE (PEM)')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'Application protocols to accept (ALPN), most preferred first: h2,http/1.1')
            [CompletionResult]::new('--handshake-timeout', '--handshake-timeout', [CompletionResultType]::ParameterName, 'Close a connection whose TLS handshake is not done this long after it opened')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Keep listening and serve clients at the same time (ncat -k): stdin goes to every connected client, what each sends to stdout; a client''s EOF ends that client')
            [CompletionResult]::new('--keep-open', '--keep-open', [CompletionResultType]::ParameterName, 'Keep listening and serve clients at the same time (ncat -k): stdin goes to every connected client, what each sends to stdout; a client''s EOF ends that client')
            [CompletionResult]::new('--broker', '--broker', [CompletionResultType]::ParameterName, 'With -k: pass each client''s bytes to every other client instead of stdout (ncat --broker); stdin still goes to all')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--send-only', '--send-only', [CompletionResultType]::ParameterName, 'Only send stdin; ignore what the peer sends and exit at stdin EOF')
            [CompletionResult]::new('--recv-only', '--recv-only', [CompletionResultType]::ParameterName, 'Only print what the peer sends; never read stdin')
            [CompletionResult]::new('--no-shutdown', '--no-shutdown', [CompletionResultType]::ParameterName, 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print bytes in/out, duration and throughput at exit and on SIGUSR1')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)')
            [CompletionResult]::new('--crlf', '--crlf', [CompletionResultType]::ParameterName, 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS 1.3/1.2 (rustls) with --cert/--key, or with a self-signed certificate made for the listen address (its SHA-256 is printed beside `listening on`, for --pin)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;tcp-echo;serve' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer')
            [CompletionResult]::new('--rcvbuf', '--rcvbuf', [CompletionResultType]::ParameterName, 'SO_RCVBUF for every connection (e.g. 4k, 1M)')
            [CompletionResult]::new('--sndbuf', '--sndbuf', [CompletionResultType]::ParameterName, 'SO_SNDBUF for every connection (e.g. 4k, 1M)')
            [CompletionResult]::new('--backlog', '--backlog', [CompletionResultType]::ParameterName, 'The listen(2) backlog: connections the kernel completes before we accept them')
            [CompletionResult]::new('--workers', '--workers', [CompletionResultType]::ParameterName, 'Run N engine instances, each with its own SO_REUSEPORT listener')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Certificate chain to present, PEM, leaf first (with --key)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key of --cert, PEM (PKCS#8, RSA or EC)')
            [CompletionResult]::new('--client-ca', '--client-ca', [CompletionResultType]::ParameterName, 'Require a client certificate issued by a CA in FILE (PEM)')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'Application protocols to accept (ALPN), most preferred first: h2,http/1.1')
            [CompletionResult]::new('--handshake-timeout', '--handshake-timeout', [CompletionResultType]::ParameterName, 'Close a connection whose TLS handshake is not done this long after it opened')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('--no-reap', '--no-reap', [CompletionResultType]::ParameterName, 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all')
            [CompletionResult]::new('--no-reuseaddr', '--no-reuseaddr', [CompletionResultType]::ParameterName, 'Do not set SO_REUSEADDR: a restart then fails while old connections sit in TIME-WAIT (the error names the TIME-WAIT socket and its seconds left)')
            [CompletionResult]::new('--reuseport', '--reuseport', [CompletionResultType]::ParameterName, 'Set SO_REUSEPORT: several servers may share the port, the kernel spreads connections')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS 1.3/1.2 (rustls) with --cert/--key, or with a self-signed certificate made for the listen address (its SHA-256 is printed beside `listening on`, for --pin)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;tcp-echo;relay' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Another target (repeatable); a connection tries them in --balance order until one answers')
            [CompletionResult]::new('--balance', '--balance', [CompletionResultType]::ParameterName, 'How a connection picks among several targets')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer')
            [CompletionResult]::new('--rcvbuf', '--rcvbuf', [CompletionResultType]::ParameterName, 'SO_RCVBUF for every connection (e.g. 4k, 1M)')
            [CompletionResult]::new('--sndbuf', '--sndbuf', [CompletionResultType]::ParameterName, 'SO_SNDBUF for every connection (e.g. 4k, 1M)')
            [CompletionResult]::new('--backlog', '--backlog', [CompletionResultType]::ParameterName, 'The listen(2) backlog: connections the kernel completes before we accept them')
            [CompletionResult]::new('--workers', '--workers', [CompletionResultType]::ParameterName, 'Run N engine instances, each with its own SO_REUSEPORT listener')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Certificate chain to present, PEM, leaf first (with --key)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key of --cert, PEM (PKCS#8, RSA or EC)')
            [CompletionResult]::new('--client-ca', '--client-ca', [CompletionResultType]::ParameterName, 'Require a client certificate issued by a CA in FILE (PEM)')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'Application protocols to accept (ALPN), most preferred first: h2,http/1.1')
            [CompletionResult]::new('--handshake-timeout', '--handshake-timeout', [CompletionResultType]::ParameterName, 'Close a connection whose TLS handshake is not done this long after it opened')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('--no-reap', '--no-reap', [CompletionResultType]::ParameterName, 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all')
            [CompletionResult]::new('--no-reuseaddr', '--no-reuseaddr', [CompletionResultType]::ParameterName, 'Do not set SO_REUSEADDR: a restart then fails while old connections sit in TIME-WAIT (the error names the TIME-WAIT socket and its seconds left)')
            [CompletionResult]::new('--reuseport', '--reuseport', [CompletionResultType]::ParameterName, 'Set SO_REUSEPORT: several servers may share the port, the kernel spreads connections')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS 1.3/1.2 (rustls) with --cert/--key, or with a self-signed certificate made for the listen address (its SHA-256 is printed beside `listening on`, for --pin)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;tcp-echo;bench' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Concurrent connections')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Concurrent connections')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'How long to measure [default: 5s]; with --bulk, the time limit [default: 60s]')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'How long to measure [default: 5s]; with --bulk, the time limit [default: 60s]')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Bytes per message (K, M, G suffixes are powers of 1024)')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Messages in flight per connection')
            [CompletionResult]::new('--bulk', '--bulk', [CompletionResultType]::ParameterName, 'Instead of messages, stream SIZE bytes per connection and check the echo')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'Start a local server per engine (a comma-separated list, or all) and compare them')
            [CompletionResult]::new('--background', '--background', [CompletionResultType]::ParameterName, 'With --compare: hold N idle connections open to each server while measuring')
            [CompletionResult]::new('--sweep', '--sweep', [CompletionResultType]::ParameterName, 'With --compare: measure at each of these idle-connection counts (N,N,…)')
            [CompletionResult]::new('--idle', '--idle', [CompletionResultType]::ParameterName, 'Open CONNS connections, hold them idle for DURATION, check each still echoes')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;tcp-echo;help' {
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to ADDR and copy stdin to it and it to stdout (netcat''s client mode)')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Accept a connection and copy it to stdout and stdin to it (netcat''s -l)')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Echo every byte back, on the concurrency engine of your choice')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Forward every connection to TARGET (TCP or Unix), on the engine of your choice')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Load an echo server and measure it, or compare every engine (--compare)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;tcp-echo;help;connect' {
            break
        }
        'nettool;tcp-echo;help;listen' {
            break
        }
        'nettool;tcp-echo;help;serve' {
            break
        }
        'nettool;tcp-echo;help;relay' {
            break
        }
        'nettool;tcp-echo;help;bench' {
            break
        }
        'nettool;tcp-echo;help;help' {
            break
        }
        'nettool;udp' {
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Echo every datagram back to its sender (many peers on one socket)')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send datagrams (MESSAGE arguments or stdin) and optionally print replies')
            [CompletionResult]::new('recv', 'recv', [CompletionResultType]::ParameterValue, 'Receive datagrams and write them to stdout')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'netcat''s UDP listener (nc -u -l): datagrams to stdout, stdin lines back to the peer')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;udp;serve' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Stop after echoing N datagrams')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Stop after echoing N datagrams')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('--no-reap', '--no-reap', [CompletionResultType]::ParameterName, 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;udp;send' {
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'With -z: how many probes are in flight at once')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Pause this long between datagrams (otherwise they leave in sendmmsg batches)')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Bytes per datagram for --raw (1400) and --probe (64)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)')
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'After sending, wait this long for (more) replies and print them (no reply at all: exit 1)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'After sending, wait this long for (more) replies and print them (no reply at all: exit 1)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'Scan ports: ADDR is HOST:PORTS (22, 8000-8010, 22,80,443); print `open HOST:PORT` per port that answers (with -v the others too); -w bounds each probe (default 2s, UDP 1s); exit 0 when one is open')
            [CompletionResult]::new('--scan', '--scan', [CompletionResultType]::ParameterName, 'Scan ports: ADDR is HOST:PORTS (22, 8000-8010, 22,80,443); print `open HOST:PORT` per port that answers (with -v the others too); -w bounds each probe (default 2s, UDP 1s); exit 0 when one is open')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Read stdin in chunks of --size bytes instead of one datagram per line')
            [CompletionResult]::new('--probe', '--probe', [CompletionResultType]::ParameterName, 'Send probes (sequence number + send time) for a `recv --probe` to measure loss')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;udp;recv' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Address to receive on (port 0 picks a free port)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to receive on (port 0 picks a free port)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Exit (status 0) after N datagrams')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Exit (status 0) after N datagrams')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up (status 1) after this long without a datagram; a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up (status 1) after this long without a datagram; a bare number means seconds')
            [CompletionResult]::new('--buffer', '--buffer', [CompletionResultType]::ParameterName, 'Receive buffer per datagram; larger datagrams are reported as truncated')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)')
            [CompletionResult]::new('--probe', '--probe', [CompletionResultType]::ParameterName, 'Expect probes from `send --probe`: report loss, duplicates, reordering, delay per sender')
            [CompletionResult]::new('--reuse-port', '--reuse-port', [CompletionResultType]::ParameterName, 'Also set SO_REUSEPORT, to share the port with programs that set only that. Off by default: Linux may then give a multicast datagram to one member of the reuseport group only, ignoring the members'' source filters')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;udp;listen' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'With -k: track at most N senders; datagrams from more are dropped (-v logs them)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'With -k: track at most N senders; datagrams from more are dropped (-v logs them)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'End after this long without a datagram (exit 0 after some, 1 if none came)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'End after this long without a datagram (exit 0 after some, 1 if none came)')
            [CompletionResult]::new('--eof-timeout', '--eof-timeout', [CompletionResultType]::ParameterName, 'End this long after stdin ends (without it, receiving goes on, as with nc)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Hear every sender and answer the latest (without -k the first peer is the only one, as with nc -u -l; others are dropped, logged with -v)')
            [CompletionResult]::new('--keep-open', '--keep-open', [CompletionResultType]::ParameterName, 'Hear every sender and answer the latest (without -k the first peer is the only one, as with nc -u -l; others are dropped, logged with -v)')
            [CompletionResult]::new('--to-all', '--to-all', [CompletionResultType]::ParameterName, 'With -k: send stdin to every sender seen, not only the latest')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Never read stdin: only print what arrives')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Never read stdin: only print what arrives')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;udp;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Echo every datagram back to its sender (many peers on one socket)')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send datagrams (MESSAGE arguments or stdin) and optionally print replies')
            [CompletionResult]::new('recv', 'recv', [CompletionResultType]::ParameterValue, 'Receive datagrams and write them to stdout')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'netcat''s UDP listener (nc -u -l): datagrams to stdout, stdin lines back to the peer')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;udp;help;serve' {
            break
        }
        'nettool;udp;help;send' {
            break
        }
        'nettool;udp;help;recv' {
            break
        }
        'nettool;udp;help;listen' {
            break
        }
        'nettool;udp;help;help' {
            break
        }
        'nettool;broadcast' {
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Broadcast datagrams (SO_BROADCAST) on an interface or to an address')
            [CompletionResult]::new('recv', 'recv', [CompletionResultType]::ParameterValue, 'Receive broadcast datagrams on a port (several receivers may share it)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;broadcast;send' {
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Pause this long between datagrams (otherwise they leave in sendmmsg batches)')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Bytes per datagram for --raw (1400) and --probe (64)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)')
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Send out of this interface, to its broadcast address (unless --to is given)')
            [CompletionResult]::new('--iface', '--iface', [CompletionResultType]::ParameterName, 'Send out of this interface, to its broadcast address (unless --to is given)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Broadcast address to send to (e.g. 192.0.2.255 or 255.255.255.255)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Read stdin in chunks of --size bytes instead of one datagram per line')
            [CompletionResult]::new('--probe', '--probe', [CompletionResultType]::ParameterName, 'Send probes (sequence number + send time) for a `recv --probe` to measure loss')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;broadcast;recv' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Only datagrams that arrive on this interface (SO_BINDTODEVICE)')
            [CompletionResult]::new('--iface', '--iface', [CompletionResultType]::ParameterName, 'Only datagrams that arrive on this interface (SO_BINDTODEVICE)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Exit (status 0) after N datagrams')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Exit (status 0) after N datagrams')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up (status 1) after this long without a datagram; a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up (status 1) after this long without a datagram; a bare number means seconds')
            [CompletionResult]::new('--buffer', '--buffer', [CompletionResultType]::ParameterName, 'Receive buffer per datagram; larger datagrams are reported as truncated')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)')
            [CompletionResult]::new('--probe', '--probe', [CompletionResultType]::ParameterName, 'Expect probes from `send --probe`: report loss, duplicates, reordering, delay per sender')
            [CompletionResult]::new('--reuse-port', '--reuse-port', [CompletionResultType]::ParameterName, 'Also set SO_REUSEPORT, to share the port with programs that set only that. Off by default: Linux may then give a multicast datagram to one member of the reuseport group only, ignoring the members'' source filters')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;broadcast;help' {
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Broadcast datagrams (SO_BROADCAST) on an interface or to an address')
            [CompletionResult]::new('recv', 'recv', [CompletionResultType]::ParameterValue, 'Receive broadcast datagrams on a port (several receivers may share it)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;broadcast;help;send' {
            break
        }
        'nettool;broadcast;help;recv' {
            break
        }
        'nettool;broadcast;help;help' {
            break
        }
        'nettool;multicast' {
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send datagrams to a multicast group')
            [CompletionResult]::new('recv', 'recv', [CompletionResultType]::ParameterValue, 'Join a multicast group and print what arrives')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Find out why a receiver gets nothing: interface, route, rp_filter, join, firewall')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;multicast;send' {
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Pause this long between datagrams (otherwise they leave in sendmmsg batches)')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Bytes per datagram for --raw (1400) and --probe (64)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)')
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Local address to send from (ADDR or ADDR:PORT; netcat''s -s)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Send out of this interface (IP_MULTICAST_IF / IPV6_MULTICAST_IF by index)')
            [CompletionResult]::new('--iface', '--iface', [CompletionResultType]::ParameterName, 'Send out of this interface (IP_MULTICAST_IF / IPV6_MULTICAST_IF by index)')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Hop limit: 0 stays on this host, 1 this link (IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Read stdin in chunks of --size bytes instead of one datagram per line')
            [CompletionResult]::new('--probe', '--probe', [CompletionResultType]::ParameterName, 'Send probes (sequence number + send time) for a `recv --probe` to measure loss')
            [CompletionResult]::new('--loop', '--loop', [CompletionResultType]::ParameterName, 'Deliver a copy to receivers on this host too (the default; IP_MULTICAST_LOOP)')
            [CompletionResult]::new('--no-loop', '--no-loop', [CompletionResultType]::ParameterName, 'Do not deliver to receivers on this host (the last of --loop/--no-loop wins)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;multicast;recv' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Join on this interface (by index, ip_mreqn); default: the route''s interface')
            [CompletionResult]::new('--iface', '--iface', [CompletionResultType]::ParameterName, 'Join on this interface (by index, ip_mreqn); default: the route''s interface')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Only datagrams from this source (SSM: IP_ADD_SOURCE_MEMBERSHIP; IPv6: MCAST_JOIN_SOURCE_GROUP)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Exit (status 0) after N datagrams')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Exit (status 0) after N datagrams')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up (status 1) after this long without a datagram; a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up (status 1) after this long without a datagram; a bare number means seconds')
            [CompletionResult]::new('--buffer', '--buffer', [CompletionResultType]::ParameterName, 'Receive buffer per datagram; larger datagrams are reported as truncated')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)')
            [CompletionResult]::new('--probe', '--probe', [CompletionResultType]::ParameterName, 'Expect probes from `send --probe`: report loss, duplicates, reordering, delay per sender')
            [CompletionResult]::new('--reuse-port', '--reuse-port', [CompletionResultType]::ParameterName, 'Also set SO_REUSEPORT, to share the port with programs that set only that. Off by default: Linux may then give a multicast datagram to one member of the reuseport group only, ignoring the members'' source filters')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;multicast;doctor' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'The interface receivers join on (default: the one the route to the group uses)')
            [CompletionResult]::new('--iface', '--iface', [CompletionResultType]::ParameterName, 'The interface receivers join on (default: the one the route to the group uses)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'The sender''s address: checks that reverse-path filtering lets it through')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;multicast;help' {
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send datagrams to a multicast group')
            [CompletionResult]::new('recv', 'recv', [CompletionResultType]::ParameterValue, 'Join a multicast group and print what arrives')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Find out why a receiver gets nothing: interface, route, rp_filter, join, firewall')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;multicast;help;send' {
            break
        }
        'nettool;multicast;help;recv' {
            break
        }
        'nettool;multicast;help;doctor' {
            break
        }
        'nettool;multicast;help;help' {
            break
        }
        'nettool;stat' {
            [CompletionResult]::new('--iface', '--iface', [CompletionResultType]::ParameterName, 'With --packets: capture on this interface only (default: lo and every other)')
            [CompletionResult]::new('--buffer', '--buffer', [CompletionResultType]::ParameterName, 'With --packets: the most the kernel queues for nettool (SO_RCVBUF); a full queue drops packets and says how many')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'With --packets: stop after this long (exit 1 if nothing was seen)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --packets: stop after this long (exit 1 if nothing was seen)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Only these states (TCP diagram names, or all, connected, synchronized, bucket, big)')
            [CompletionResult]::new('--sport', '--sport', [CompletionResultType]::ParameterName, 'Only sockets with this local port (a number, :PORT or a service name such as http)')
            [CompletionResult]::new('--dport', '--dport', [CompletionResultType]::ParameterName, 'Only sockets with this peer port (a number, :PORT or a service name such as https)')
            [CompletionResult]::new('--pid', '--pid', [CompletionResultType]::ParameterName, 'Only sockets held open by this process')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Refresh every DURATION, marking new (+) and closed (-) sockets and state changes (~ FROM→); with --json: the first snapshot as "socket" lines, then one line per change ("new", "closed", "state" with "from" and "to")')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'With --watch: stop after this many snapshots; with --packets: after this many packets')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'With --watch: stop after this many snapshots; with --packets: after this many packets')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'TCP sockets')
            [CompletionResult]::new('--tcp', '--tcp', [CompletionResultType]::ParameterName, 'TCP sockets')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'UDP sockets')
            [CompletionResult]::new('--udp', '--udp', [CompletionResultType]::ParameterName, 'UDP sockets')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Unix domain sockets')
            [CompletionResult]::new('--unix', '--unix', [CompletionResultType]::ParameterName, 'Unix domain sockets')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only listening sockets (and unconnected UDP/Unix datagram sockets)')
            [CompletionResult]::new('--listening', '--listening', [CompletionResultType]::ParameterName, 'Only listening sockets (and unconnected UDP/Unix datagram sockets)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Sockets in every state (default: connected ones without TIME-WAIT and SYN-RECV)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Sockets in every state (default: connected ones without TIME-WAIT and SYN-RECV)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Numeric ports (no service names from /etc/services)')
            [CompletionResult]::new('--numeric', '--numeric', [CompletionResultType]::ParameterName, 'Numeric ports (no service names from /etc/services)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Resolve host addresses to names')
            [CompletionResult]::new('--resolve', '--resolve', [CompletionResultType]::ParameterName, 'Resolve host addresses to names')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Show the processes holding each socket (name, pid, fd)')
            [CompletionResult]::new('--processes', '--processes', [CompletionResultType]::ParameterName, 'Show the processes holding each socket (name, pid, fd)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Show uid and inode')
            [CompletionResult]::new('--extended', '--extended', [CompletionResultType]::ParameterName, 'Show uid and inode')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Show TCP internals: congestion control, rtt, rto, cwnd, retransmits, bytes, and the sliding window in numbers: advmss, rcv_space, snd_wnd (the peer''s window; 0 = zero window), rcv_wnd (ours)')
            [CompletionResult]::new('--info', '--info', [CompletionResultType]::ParameterName, 'Show TCP internals: congestion control, rtt, rto, cwnd, retransmits, bytes, and the sliding window in numbers: advmss, rcv_space, snd_wnd (the peer''s window; 0 = zero window), rcv_wnd (ours)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Show socket memory as ss -m does: skmem:(r rmem_alloc, rb rcvbuf, t wmem_alloc, tb sndbuf, f fwd_alloc, w wmem_queued, o optmem, bl backlog, d drops), in bytes; TCP, UDP and Unix (netlink only: /proc/net has none)')
            [CompletionResult]::new('--memory', '--memory', [CompletionResultType]::ParameterName, 'Show socket memory as ss -m does: skmem:(r rmem_alloc, rb rcvbuf, t wmem_alloc, tb sndbuf, f fwd_alloc, w wmem_queued, o optmem, bl backlog, d drops), in bytes; TCP, UDP and Unix (netlink only: /proc/net has none)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Show timers (retransmit, keepalive, zero-window probe, TIME-WAIT countdown)')
            [CompletionResult]::new('--options', '--options', [CompletionResultType]::ParameterName, 'Show timers (retransmit, keepalive, zero-window probe, TIME-WAIT countdown)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Print the totals ss -s prints (all sockets; TCP estab, closed, orphaned, timewait; RAW, UDP, TCP, INET, FRAG per family), then sockets per state')
            [CompletionResult]::new('--summary', '--summary', [CompletionResultType]::ParameterName, 'Print the totals ss -s prints (all sockets; TCP estab, closed, orphaned, timewait; RAW, UDP, TCP, INET, FRAG per family), then sockets per state')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Print multicast group memberships per interface (netstat -g)')
            [CompletionResult]::new('--groups', '--groups', [CompletionResultType]::ParameterName, 'Print multicast group memberships per interface (netstat -g)')
            [CompletionResult]::new('--packets', '--packets', [CompletionResultType]::ParameterName, 'Show the packets: one line per TCP segment (flags, seq/ack relative to each side''s ISN, window, options) or UDP datagram, with the TCP state changes of the sockets between them; needs CAP_NET_RAW. --sport/--dport match a port on either end (both given: the two ends); -t/-u, -4/-6 as for sockets')
            [CompletionResult]::new('--absolute', '--absolute', [CompletionResultType]::ParameterName, 'With --packets: raw sequence and acknowledgement numbers, not relative to the ISN')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('--self', '--self', [CompletionResultType]::ParameterName, 'Only sockets held open by the process that started nettool (a shell, a script)')
            [CompletionResult]::new('--proc', '--proc', [CompletionResultType]::ParameterName, 'Read /proc/net instead of netlink sock_diag (what netstat reads; no timers, tcp_info, listener backlogs or Unix queues there). NETTOOL_STAT_PROC=1 (or true, yes, on) in the environment does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;serve-http' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer')
            [CompletionResult]::new('--rcvbuf', '--rcvbuf', [CompletionResultType]::ParameterName, 'SO_RCVBUF for every connection (e.g. 4k, 1M)')
            [CompletionResult]::new('--sndbuf', '--sndbuf', [CompletionResultType]::ParameterName, 'SO_SNDBUF for every connection (e.g. 4k, 1M)')
            [CompletionResult]::new('--backlog', '--backlog', [CompletionResultType]::ParameterName, 'The listen(2) backlog: connections the kernel completes before we accept them')
            [CompletionResult]::new('--workers', '--workers', [CompletionResultType]::ParameterName, 'Run N engine instances, each with its own SO_REUSEPORT listener')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Certificate chain to present, PEM, leaf first (with --key)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key of --cert, PEM (PKCS#8, RSA or EC)')
            [CompletionResult]::new('--client-ca', '--client-ca', [CompletionResultType]::ParameterName, 'Require a client certificate issued by a CA in FILE (PEM)')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'Application protocols to accept (ALPN), most preferred first: h2,http/1.1')
            [CompletionResult]::new('--handshake-timeout', '--handshake-timeout', [CompletionResultType]::ParameterName, 'Close a connection whose TLS handshake is not done this long after it opened')
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, 'File served for a directory when it exists')
            [CompletionResult]::new('--header-timeout', '--header-timeout', [CompletionResultType]::ParameterName, 'Close a connection whose request head is not complete this long after the server started waiting for it (slowloris defence; also the keep-alive timeout)')
            [CompletionResult]::new('--compress-max', '--compress-max', [CompletionResultType]::ParameterName, 'Largest file --compress compresses')
            [CompletionResult]::new('--cache-control', '--cache-control', [CompletionResultType]::ParameterName, 'Cache-Control value for files (default: none; listings always say no-cache)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Add a header line to every response, e.g. ''X-Frame-Options: DENY'' (repeatable)')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Require HTTP Basic authentication with this user and password (repeatable; visible to other local users in the process list: prefer --auth-file)')
            [CompletionResult]::new('--auth-file', '--auth-file', [CompletionResultType]::ParameterName, 'Require HTTP Basic authentication for the users in FILE: lines `user:HASH` with an argon2 ($argon2id$…) or bcrypt ($2b$…, as `htpasswd -nB` writes) hash')
            [CompletionResult]::new('--max-upload', '--max-upload', [CompletionResultType]::ParameterName, 'Largest upload accepted (413 beyond it)')
            [CompletionResult]::new('--spa', '--spa', [CompletionResultType]::ParameterName, 'Serve FILE (a path below DIR) with 200 for every path that does not exist, as a single-page application wants')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('--no-reap', '--no-reap', [CompletionResultType]::ParameterName, 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all')
            [CompletionResult]::new('--no-reuseaddr', '--no-reuseaddr', [CompletionResultType]::ParameterName, 'Do not set SO_REUSEADDR: a restart then fails while old connections sit in TIME-WAIT (the error names the TIME-WAIT socket and its seconds left)')
            [CompletionResult]::new('--reuseport', '--reuseport', [CompletionResultType]::ParameterName, 'Set SO_REUSEPORT: several servers may share the port, the kernel spreads connections')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS 1.3/1.2 (rustls) with --cert/--key, or with a self-signed certificate made for the listen address (its SHA-256 is printed beside `listening on`, for --pin)')
            [CompletionResult]::new('--no-listing', '--no-listing', [CompletionResultType]::ParameterName, 'Answer 403 for directories without an index instead of listing them')
            [CompletionResult]::new('--hidden', '--hidden', [CompletionResultType]::ParameterName, 'Serve and list dotfiles (hidden by default: 404)')
            [CompletionResult]::new('--follow-symlinks', '--follow-symlinks', [CompletionResultType]::ParameterName, 'Follow symlinks that lead outside DIR (refused with 403 by default)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Open and stat files on every request instead of keeping them open until inotify reports a change (for trees changed through shared mmap or by other hosts on a network filesystem, which inotify does not see)')
            [CompletionResult]::new('--precompressed', '--precompressed', [CompletionResultType]::ParameterName, 'Serve F.br, F.zst or F.gz next to F with Content-Encoding when the client''s Accept-Encoding allows (each with its own ETag; ranges apply to the encoded bytes)')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Gzip listings and text files (HTML, CSS, JavaScript, JSON, SVG, …) of at most --compress-max bytes on the fly for clients that accept gzip')
            [CompletionResult]::new('--cors', '--cors', [CompletionResultType]::ParameterName, 'Allow cross-origin reads: Access-Control-Allow-Origin: * on every response, and answers to preflight OPTIONS requests (GET and HEAD only)')
            [CompletionResult]::new('--upload', '--upload', [CompletionResultType]::ParameterName, 'Accept uploads: PUT /dir/name, or a multipart/form-data POST from the listing page''s form (written to a temporary file, then renamed into place)')
            [CompletionResult]::new('--overwrite', '--overwrite', [CompletionResultType]::ParameterName, 'Let uploads replace existing files (otherwise 409)')
            [CompletionResult]::new('--ktls', '--ktls', [CompletionResultType]::ParameterName, 'After each TLS handshake hand the record keys to the kernel (kernel TLS, tls(7)), so file bodies still go out with sendfile(2); fails at start where the kernel has no TLS')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;unix' {
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Echo server on a Unix socket (stream on any engine, or --dgram)')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to a Unix socket and relay stdin/stdout (netcat -U)')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Forward every connection on a Unix socket to TARGET (TCP or Unix)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;unix;serve' {
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'Permissions of the socket file, octal (in force from the moment it exists)')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Certificate chain to present, PEM, leaf first (with --key)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key of --cert, PEM (PKCS#8, RSA or EC)')
            [CompletionResult]::new('--client-ca', '--client-ca', [CompletionResultType]::ParameterName, 'Require a client certificate issued by a CA in FILE (PEM)')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'Application protocols to accept (ALPN), most preferred first: h2,http/1.1')
            [CompletionResult]::new('--handshake-timeout', '--handshake-timeout', [CompletionResultType]::ParameterName, 'Close a connection whose TLS handshake is not done this long after it opened')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--dgram', '--dgram', [CompletionResultType]::ParameterName, 'Datagram socket (SOCK_DGRAM): each datagram is echoed to its sender')
            [CompletionResult]::new('--no-reap', '--no-reap', [CompletionResultType]::ParameterName, 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS 1.3/1.2 (rustls) with --cert/--key, or with a self-signed certificate made for the listen address (its SHA-256 is printed beside `listening on`, for --pin)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;unix;listen' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'With -k: refuse clients beyond N at once (closed at once, logged with -v; ncat -m)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'With -k: refuse clients beyond N at once (closed at once, logged with -v; ncat -m)')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'With -k: the engine serving the clients at once — select, poll, epoll-lt or epoll-et (the others cannot share stdin and stdout) [default: epoll-et]')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'Permissions of the socket file, octal')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--eof-timeout', '--eof-timeout', [CompletionResultType]::ParameterName, 'Exit this long after stdin EOF even if the peer keeps the connection open')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)')
            [CompletionResult]::new('--sh-exec', '--sh-exec', [CompletionResultType]::ParameterName, 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Certificate chain to present, PEM, leaf first (with --key)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key of --cert, PEM (PKCS#8, RSA or EC)')
            [CompletionResult]::new('--client-ca', '--client-ca', [CompletionResultType]::ParameterName, 'Require a client certificate issued by a CA in FILE (PEM)')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'Application protocols to accept (ALPN), most preferred first: h2,http/1.1')
            [CompletionResult]::new('--handshake-timeout', '--handshake-timeout', [CompletionResultType]::ParameterName, 'Close a connection whose TLS handshake is not done this long after it opened')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Keep listening and serve clients at the same time (ncat -k): stdin goes to every connected client, what each sends to stdout; a client''s EOF ends that client')
            [CompletionResult]::new('--keep-open', '--keep-open', [CompletionResultType]::ParameterName, 'Keep listening and serve clients at the same time (ncat -k): stdin goes to every connected client, what each sends to stdout; a client''s EOF ends that client')
            [CompletionResult]::new('--broker', '--broker', [CompletionResultType]::ParameterName, 'With -k: pass each client''s bytes to every other client instead of stdout (ncat --broker); stdin still goes to all')
            [CompletionResult]::new('--dgram', '--dgram', [CompletionResultType]::ParameterName, 'Datagram socket: print datagrams, send stdin to the latest sender (every sender is heard without -k; there is no connection to half-close or send-only on)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--send-only', '--send-only', [CompletionResultType]::ParameterName, 'Only send stdin; ignore what the peer sends and exit at stdin EOF')
            [CompletionResult]::new('--recv-only', '--recv-only', [CompletionResultType]::ParameterName, 'Only print what the peer sends; never read stdin')
            [CompletionResult]::new('--no-shutdown', '--no-shutdown', [CompletionResultType]::ParameterName, 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print bytes in/out, duration and throughput at exit and on SIGUSR1')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)')
            [CompletionResult]::new('--crlf', '--crlf', [CompletionResultType]::ParameterName, 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS 1.3/1.2 (rustls) with --cert/--key, or with a self-signed certificate made for the listen address (its SHA-256 is printed beside `listening on`, for --pin)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;unix;connect' {
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--eof-timeout', '--eof-timeout', [CompletionResultType]::ParameterName, 'Exit this long after stdin EOF even if the peer keeps the connection open')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Run CMD (split at spaces, no shell) with the connection as its stdin and stdout; its exit status ends the command (listen -k: a child per connection)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)')
            [CompletionResult]::new('--sh-exec', '--sh-exec', [CompletionResultType]::ParameterName, 'As --exec, but CMD is a shell command line (/bin/sh -c CMD)')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'Trust the CA certificates in FILE (PEM) instead of the system roots')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'Trust exactly the certificate with this SHA-256 fingerprint (as a server with a self-signed certificate prints it); chain, dates and name are then not checked')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'Server name to send (SNI) and to verify, instead of the host dialled')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'Application protocols to offer (ALPN), most preferred first: h2,http/1.1')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Certificate chain to present, PEM, leaf first (with --key)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key of --cert, PEM (PKCS#8, RSA or EC)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--dgram', '--dgram', [CompletionResultType]::ParameterName, 'Datagram socket: each stdin line goes out as one datagram (as udp send sends them); -w bounds the wait for replies (no half-close there, so --no-shutdown and --eof-timeout do not apply)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'With --dgram: each chunk read from stdin is one datagram, not each line')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--send-only', '--send-only', [CompletionResultType]::ParameterName, 'Only send stdin; ignore what the peer sends and exit at stdin EOF')
            [CompletionResult]::new('--recv-only', '--recv-only', [CompletionResultType]::ParameterName, 'Only print what the peer sends; never read stdin')
            [CompletionResult]::new('--no-shutdown', '--no-shutdown', [CompletionResultType]::ParameterName, 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print bytes in/out, duration and throughput at exit and on SIGUSR1')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)')
            [CompletionResult]::new('--crlf', '--crlf', [CompletionResultType]::ParameterName, 'Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP by hand; ncat''s -C)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS 1.3/1.2 (rustls), checking the server''s certificate against the system roots')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Check nothing of the server''s certificate (encrypted, but anyone on the path can be the server); the handshake report says what the check would have found')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;unix;relay' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Socket path to listen on, or @NAME for the Linux abstract namespace')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Socket path to listen on, or @NAME for the Linux abstract namespace')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Another target (repeatable); a connection tries them in --balance order until one answers')
            [CompletionResult]::new('--balance', '--balance', [CompletionResultType]::ParameterName, 'How a connection picks among several targets')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'Permissions of the socket file, octal (in force from the moment it exists)')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--no-reap', '--no-reap', [CompletionResultType]::ParameterName, 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;unix;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Echo server on a Unix socket (stream on any engine, or --dgram)')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to a Unix socket and relay stdin/stdout (netcat -U)')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Forward every connection on a Unix socket to TARGET (TCP or Unix)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;unix;help;serve' {
            break
        }
        'nettool;unix;help;listen' {
            break
        }
        'nettool;unix;help;connect' {
            break
        }
        'nettool;unix;help;relay' {
            break
        }
        'nettool;unix;help;help' {
            break
        }
        'nettool;heartbeat' {
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Answer every beat with a pong carrying our time, uptime and connection count')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Beat every interval, report replies, declare the peer dead, reconnect')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;heartbeat;serve' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Concurrency engine that serves the connections (datagram servers: select, poll, epoll-lt or epoll-et)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Refuse connections beyond this many at once (datagram servers: drop datagrams from new peers while this many are tracked)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a connection after this long without traffic (datagram servers: forget a peer silent this long)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every connection''s bytes (>) sent and (<) received as hex + ASCII to FILE (- for stderr); datagram servers dump each datagram, labelled with its peer')
            [CompletionResult]::new('--rcvbuf', '--rcvbuf', [CompletionResultType]::ParameterName, 'SO_RCVBUF for every connection (e.g. 4k, 1M)')
            [CompletionResult]::new('--sndbuf', '--sndbuf', [CompletionResultType]::ParameterName, 'SO_SNDBUF for every connection (e.g. 4k, 1M)')
            [CompletionResult]::new('--backlog', '--backlog', [CompletionResultType]::ParameterName, 'The listen(2) backlog: connections the kernel completes before we accept them')
            [CompletionResult]::new('--workers', '--workers', [CompletionResultType]::ParameterName, 'Run N engine instances, each with its own SO_REUSEPORT listener')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Certificate chain to present, PEM, leaf first (with --key)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key of --cert, PEM (PKCS#8, RSA or EC)')
            [CompletionResult]::new('--client-ca', '--client-ca', [CompletionResultType]::ParameterName, 'Require a client certificate issued by a CA in FILE (PEM)')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'Application protocols to accept (ALPN), most preferred first: h2,http/1.1')
            [CompletionResult]::new('--handshake-timeout', '--handshake-timeout', [CompletionResultType]::ParameterName, 'Close a connection whose TLS handshake is not done this long after it opened')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--udp', '--udp', [CompletionResultType]::ParameterName, 'Speak the protocol over UDP (one frame per datagram)')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('--no-reap', '--no-reap', [CompletionResultType]::ParameterName, 'A lesson, fork engine only: never waitpid(2) a finished child, so each stays a zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps them all')
            [CompletionResult]::new('--no-reuseaddr', '--no-reuseaddr', [CompletionResultType]::ParameterName, 'Do not set SO_REUSEADDR: a restart then fails while old connections sit in TIME-WAIT (the error names the TIME-WAIT socket and its seconds left)')
            [CompletionResult]::new('--reuseport', '--reuseport', [CompletionResultType]::ParameterName, 'Set SO_REUSEPORT: several servers may share the port, the kernel spreads connections')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS 1.3/1.2 (rustls) with --cert/--key, or with a self-signed certificate made for the listen address (its SHA-256 is printed beside `listening on`, for --pin)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;heartbeat;connect' {
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Dump every frame''s bytes sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--hexdump', '--hexdump', [CompletionResultType]::ParameterName, 'Dump every frame''s bytes sent (>) and received (<) as hex + ASCII to FILE (- for stderr)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between beats; a reply must arrive within it')
            [CompletionResult]::new('--misses', '--misses', [CompletionResultType]::ParameterName, 'Consecutive unanswered beats before the peer is declared dead')
            [CompletionResult]::new('--backoff', '--backoff', [CompletionResultType]::ParameterName, 'Reconnect delays: exponential from MIN to MAX, with jitter')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Stop after this many beats (and their replies or misses)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Stop after this many beats (and their replies or misses)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Connect from this local address: ADDR or ADDR:PORT (bind before connect)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Connect from this local address: ADDR or ADDR:PORT (bind before connect)')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'Trust the CA certificates in FILE (PEM) instead of the system roots')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'Trust exactly the certificate with this SHA-256 fingerprint (as a server with a self-signed certificate prints it); chain, dates and name are then not checked')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'Server name to send (SNI) and to verify, instead of the host dialled')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'Application protocols to offer (ALPN), most preferred first: h2,http/1.1')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Certificate chain to present, PEM, leaf first (with --key)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key of --cert, PEM (PKCS#8, RSA or EC)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--reconnect', '--reconnect', [CompletionResultType]::ParameterName, 'After a dead verdict, reconnect (with back-off) instead of exiting 1')
            [CompletionResult]::new('--udp', '--udp', [CompletionResultType]::ParameterName, 'Beat over UDP instead of TCP')
            [CompletionResult]::new('--tcp-keepalive', '--tcp-keepalive', [CompletionResultType]::ParameterName, 'No beats: use the kernel''s TCP keepalive (idle/interval/count from --interval and --misses) and TCP_USER_TIMEOUT, and report when the kernel drops the connection')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('--packets', '--packets', [CompletionResultType]::ParameterName, 'Show the TCP segments (or UDP datagrams) of this client''s connections and their state changes on stderr, reconnects included (as `stat --packets`; needs CAP_NET_RAW)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS 1.3/1.2 (rustls), checking the server''s certificate against the system roots')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Check nothing of the server''s certificate (encrypted, but anyone on the path can be the server); the handshake report says what the check would have found')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;heartbeat;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Answer every beat with a pong carrying our time, uptime and connection count')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Beat every interval, report replies, declare the peer dead, reconnect')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;heartbeat;help;serve' {
            break
        }
        'nettool;heartbeat;help;connect' {
            break
        }
        'nettool;heartbeat;help;help' {
            break
        }
        'nettool;completions' {
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;man' {
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print every socket call in C terms as it is made: setup (socket, setsockopt, bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring submissions, enters and completions), a few per descriptor')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv adds debug lines: address and service lookups, every socket call with its result, the engine''s limits)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the setup calls (as --explain) and stop before any traffic')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;help' {
            [CompletionResult]::new('tcp-echo', 'tcp-echo', [CompletionResultType]::ParameterValue, 'TCP echo server, netcat-style client and listener, load generator')
            [CompletionResult]::new('udp', 'udp', [CompletionResultType]::ParameterValue, 'UDP: echo server for many peers, sender (with replies), receiver')
            [CompletionResult]::new('broadcast', 'broadcast', [CompletionResultType]::ParameterValue, 'Broadcast datagrams on a link, and receive them')
            [CompletionResult]::new('multicast', 'multicast', [CompletionResultType]::ParameterValue, 'Multicast: send to a group, join it and receive (ASM and SSM, IPv4 and IPv6)')
            [CompletionResult]::new('stat', 'stat', [CompletionResultType]::ParameterValue, 'Sockets and their TCP states (like ss), live --watch of transitions, -g groups, --packets on the wire')
            [CompletionResult]::new('serve-http', 'serve-http', [CompletionResultType]::ParameterValue, 'Static HTTP file server with directory listings')
            [CompletionResult]::new('unix', 'unix', [CompletionResultType]::ParameterValue, 'Unix domain sockets: echo server, netcat-style client and listener')
            [CompletionResult]::new('heartbeat', 'heartbeat', [CompletionResultType]::ParameterValue, 'Application heartbeats: ping-pong responder, dead-peer detection, reconnect')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write the man pages into a directory (used to refresh man/)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;help;tcp-echo' {
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to ADDR and copy stdin to it and it to stdout (netcat''s client mode)')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Accept a connection and copy it to stdout and stdin to it (netcat''s -l)')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Echo every byte back, on the concurrency engine of your choice')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Forward every connection to TARGET (TCP or Unix), on the engine of your choice')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Load an echo server and measure it, or compare every engine (--compare)')
            break
        }
        'nettool;help;tcp-echo;connect' {
            break
        }
        'nettool;help;tcp-echo;listen' {
            break
        }
        'nettool;help;tcp-echo;serve' {
            break
        }
        'nettool;help;tcp-echo;relay' {
            break
        }
        'nettool;help;tcp-echo;bench' {
            break
        }
        'nettool;help;udp' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Echo every datagram back to its sender (many peers on one socket)')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send datagrams (MESSAGE arguments or stdin) and optionally print replies')
            [CompletionResult]::new('recv', 'recv', [CompletionResultType]::ParameterValue, 'Receive datagrams and write them to stdout')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'netcat''s UDP listener (nc -u -l): datagrams to stdout, stdin lines back to the peer')
            break
        }
        'nettool;help;udp;serve' {
            break
        }
        'nettool;help;udp;send' {
            break
        }
        'nettool;help;udp;recv' {
            break
        }
        'nettool;help;udp;listen' {
            break
        }
        'nettool;help;broadcast' {
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Broadcast datagrams (SO_BROADCAST) on an interface or to an address')
            [CompletionResult]::new('recv', 'recv', [CompletionResultType]::ParameterValue, 'Receive broadcast datagrams on a port (several receivers may share it)')
            break
        }
        'nettool;help;broadcast;send' {
            break
        }
        'nettool;help;broadcast;recv' {
            break
        }
        'nettool;help;multicast' {
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send datagrams to a multicast group')
            [CompletionResult]::new('recv', 'recv', [CompletionResultType]::ParameterValue, 'Join a multicast group and print what arrives')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Find out why a receiver gets nothing: interface, route, rp_filter, join, firewall')
            break
        }
        'nettool;help;multicast;send' {
            break
        }
        'nettool;help;multicast;recv' {
            break
        }
        'nettool;help;multicast;doctor' {
            break
        }
        'nettool;help;stat' {
            break
        }
        'nettool;help;serve-http' {
            break
        }
        'nettool;help;unix' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Echo server on a Unix socket (stream on any engine, or --dgram)')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to a Unix socket and relay stdin/stdout (netcat -U)')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Forward every connection on a Unix socket to TARGET (TCP or Unix)')
            break
        }
        'nettool;help;unix;serve' {
            break
        }
        'nettool;help;unix;listen' {
            break
        }
        'nettool;help;unix;connect' {
            break
        }
        'nettool;help;unix;relay' {
            break
        }
        'nettool;help;heartbeat' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Answer every beat with a pong carrying our time, uptime and connection count')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Beat every interval, report replies, declare the peer dead, reconnect')
            break
        }
        'nettool;help;heartbeat;serve' {
            break
        }
        'nettool;help;heartbeat;connect' {
            break
        }
        'nettool;help;completions' {
            break
        }
        'nettool;help;man' {
            break
        }
        'nettool;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
