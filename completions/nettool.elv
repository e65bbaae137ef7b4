
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
            cand bench 'Load an echo server and measure it, or compare every engine (--compare)'
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
        &'nettool;tcp-echo;bench'= {
            cand -c 'Concurrent connections'
            cand --connections 'Concurrent connections'
            cand -d 'How long to measure [default: 5s]; with --bulk, the time limit [default: 60s]'
            cand --duration 'How long to measure [default: 5s]; with --bulk, the time limit [default: 60s]'
            cand --size 'Bytes per message (K, M, G suffixes are powers of 1024)'
            cand --pipeline 'Messages in flight per connection'
            cand --bulk 'Instead of messages, stream SIZE bytes per connection and check the echo'
            cand --compare 'Start a local server per engine (a comma-separated list, or all) and compare them'
            cand --idle 'Open CONNS connections, hold them idle for DURATION, check each still echoes'
            cand -w 'Give up after this long (connect, or no data); a bare number means seconds'
            cand --timeout 'Give up after this long (connect, or no data); a bare number means seconds'
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
        &'nettool;help;completions'= {
        }
        &'nettool;help;man'= {
        }
        &'nettool;help;help'= {
        }
    ]
    $completions[$command]
}
