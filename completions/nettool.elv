
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
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv for debug logs)'
            cand --verbose 'Say more: connections, senders, limits (-vv for debug logs)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand tcp-echo 'TCP echo server, netcat-style client and listener, load generator'
            cand unix 'Unix domain sockets: echo server, netcat-style client and listener'
            cand heartbeat 'Application heartbeats: ping-pong responder, dead-peer detection, reconnect'
            cand completions 'Print a shell completion script'
            cand man 'Write the man pages into a directory (used to refresh man/)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;tcp-echo'= {
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv for debug logs)'
            cand --verbose 'Say more: connections, senders, limits (-vv for debug logs)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand connect 'Connect to ADDR and copy stdin to it and it to stdout (netcat''s client mode)'
            cand listen 'Accept a connection and copy it to stdout and stdin to it (netcat''s -l)'
            cand serve 'Echo every byte back, on the concurrency engine of your choice'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;tcp-echo;connect'= {
            cand -w 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --timeout 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --eof-timeout 'Exit this long after stdin EOF even if the peer keeps the connection open'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand -4 'Use IPv4 only'
            cand -6 'Use IPv6 only'
            cand -d 'Do not read stdin (and do not half-close)'
            cand --no-stdin 'Do not read stdin (and do not half-close)'
            cand --send-only 'Only send stdin; ignore what the peer sends and exit at stdin EOF'
            cand --recv-only 'Only print what the peer sends; never read stdin'
            cand --no-shutdown 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv for debug logs)'
            cand --verbose 'Say more: connections, senders, limits (-vv for debug logs)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;tcp-echo;listen'= {
            cand -l 'Address to listen on (port 0 picks a free port)'
            cand --listen 'Address to listen on (port 0 picks a free port)'
            cand -w 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --timeout 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --eof-timeout 'Exit this long after stdin EOF even if the peer keeps the connection open'
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
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv for debug logs)'
            cand --verbose 'Say more: connections, senders, limits (-vv for debug logs)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;tcp-echo;serve'= {
            cand -l 'Address to listen on (port 0 picks a free port)'
            cand --listen 'Address to listen on (port 0 picks a free port)'
            cand --engine 'Concurrency engine that serves the connections'
            cand --max-connections 'Refuse connections beyond this many at once'
            cand --idle-timeout 'Close a connection after this long without traffic'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand -4 'Use IPv4 only'
            cand -6 'Use IPv6 only'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv for debug logs)'
            cand --verbose 'Say more: connections, senders, limits (-vv for debug logs)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;tcp-echo;help'= {
            cand connect 'Connect to ADDR and copy stdin to it and it to stdout (netcat''s client mode)'
            cand listen 'Accept a connection and copy it to stdout and stdin to it (netcat''s -l)'
            cand serve 'Echo every byte back, on the concurrency engine of your choice'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;tcp-echo;help;connect'= {
        }
        &'nettool;tcp-echo;help;listen'= {
        }
        &'nettool;tcp-echo;help;serve'= {
        }
        &'nettool;tcp-echo;help;help'= {
        }
        &'nettool;unix'= {
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv for debug logs)'
            cand --verbose 'Say more: connections, senders, limits (-vv for debug logs)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Echo server on a Unix socket (stream on any engine, or --dgram)'
            cand listen 'Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)'
            cand connect 'Connect to a Unix socket and relay stdin/stdout (netcat -U)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nettool;unix;serve'= {
            cand --mode 'Permissions of the socket file, octal (in force from the moment it exists)'
            cand --engine 'Concurrency engine that serves the connections'
            cand --max-connections 'Refuse connections beyond this many at once'
            cand --idle-timeout 'Close a connection after this long without traffic'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --dgram 'Datagram socket (SOCK_DGRAM): each datagram is echoed to its sender'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv for debug logs)'
            cand --verbose 'Say more: connections, senders, limits (-vv for debug logs)'
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
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand -k 'Keep listening: after a connection ends, accept the next one'
            cand --keep-open 'Keep listening: after a connection ends, accept the next one'
            cand --dgram 'Datagram socket: print datagrams, send stdin to the latest sender'
            cand -d 'Do not read stdin (and do not half-close)'
            cand --no-stdin 'Do not read stdin (and do not half-close)'
            cand --send-only 'Only send stdin; ignore what the peer sends and exit at stdin EOF'
            cand --recv-only 'Only print what the peer sends; never read stdin'
            cand --no-shutdown 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv for debug logs)'
            cand --verbose 'Say more: connections, senders, limits (-vv for debug logs)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;unix;connect'= {
            cand -w 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --timeout 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --eof-timeout 'Exit this long after stdin EOF even if the peer keeps the connection open'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --dgram 'Datagram socket: stdin chunks go out as datagrams; -w bounds the wait for replies'
            cand -d 'Do not read stdin (and do not half-close)'
            cand --no-stdin 'Do not read stdin (and do not half-close)'
            cand --send-only 'Only send stdin; ignore what the peer sends and exit at stdin EOF'
            cand --recv-only 'Only print what the peer sends; never read stdin'
            cand --no-shutdown 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv for debug logs)'
            cand --verbose 'Say more: connections, senders, limits (-vv for debug logs)'
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
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv for debug logs)'
            cand --verbose 'Say more: connections, senders, limits (-vv for debug logs)'
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
            cand --engine 'Concurrency engine that serves the connections'
            cand --max-connections 'Refuse connections beyond this many at once'
            cand --idle-timeout 'Close a connection after this long without traffic'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --udp 'Speak the protocol over UDP (one frame per datagram)'
            cand -4 'Use IPv4 only'
            cand -6 'Use IPv6 only'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv for debug logs)'
            cand --verbose 'Say more: connections, senders, limits (-vv for debug logs)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;heartbeat;connect'= {
            cand --interval 'Time between beats; a reply must arrive within it'
            cand --misses 'Consecutive unanswered beats before the peer is declared dead'
            cand --backoff 'Reconnect delays: exponential from MIN to MAX, with jitter'
            cand -n 'Stop after this many beats (and their replies or misses)'
            cand --count 'Stop after this many beats (and their replies or misses)'
            cand -w 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --timeout 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --reconnect 'After a dead verdict, reconnect (with back-off) instead of exiting 1'
            cand --udp 'Beat over UDP instead of TCP'
            cand --tcp-keepalive 'No beats: use the kernel''s TCP keepalive (idle/interval/count from --interval and --misses) and TCP_USER_TIMEOUT, and report when the kernel drops the connection'
            cand -4 'Use IPv4 only'
            cand -6 'Use IPv6 only'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv for debug logs)'
            cand --verbose 'Say more: connections, senders, limits (-vv for debug logs)'
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
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv for debug logs)'
            cand --verbose 'Say more: connections, senders, limits (-vv for debug logs)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;man'= {
            cand --color 'When to use colour: auto (a terminal and no NO_COLOR), always, never'
            cand --json 'Print events as JSON, one object per line'
            cand -q 'Say nothing but errors (the `listening on` line stays)'
            cand --quiet 'Say nothing but errors (the `listening on` line stays)'
            cand -v 'Say more: connections, senders, limits (-vv for debug logs)'
            cand --verbose 'Say more: connections, senders, limits (-vv for debug logs)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'nettool;help'= {
            cand tcp-echo 'TCP echo server, netcat-style client and listener, load generator'
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
        }
        &'nettool;help;tcp-echo;connect'= {
        }
        &'nettool;help;tcp-echo;listen'= {
        }
        &'nettool;help;tcp-echo;serve'= {
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
