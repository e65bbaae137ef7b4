# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_nettool_global_optspecs
    string join \n json q/quiet v/verbose color= h/help V/version
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

complete -c nettool -n "__fish_nettool_needs_command" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_needs_command" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_needs_command" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_needs_command" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_needs_command" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "tcp-echo" -d 'TCP echo server, netcat-style client and listener, load generator'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "man" -d 'Write the man pages into a directory (used to refresh man/)'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve bench help" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve bench help" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve bench help" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve bench help" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve bench help" -s h -l help -d 'Print help'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve bench help" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve bench help" -f -a "connect" -d 'Connect to ADDR and copy stdin to it and it to stdout (netcat\'s client mode)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve bench help" -f -a "listen" -d 'Accept a connection and copy it to stdout and stdin to it (netcat\'s -l)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve bench help" -f -a "serve" -d 'Echo every byte back, on the concurrency engine of your choice'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve bench help" -f -a "bench" -d 'Load an echo server and measure it, or compare every engine (--compare)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve bench help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s w -l timeout -d 'Give up after this long (connect, or no data); a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l eof-timeout -d 'Exit this long after stdin EOF even if the peer keeps the connection open' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s d -l no-stdin -d 'Do not read stdin (and do not half-close)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l send-only -d 'Only send stdin; ignore what the peer sends and exit at stdin EOF'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l recv-only -d 'Only print what the peer sends; never read stdin'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l no-shutdown -d 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from connect" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s l -l listen -d 'Address to listen on (port 0 picks a free port)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s w -l timeout -d 'Give up after this long (connect, or no data); a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l eof-timeout -d 'Exit this long after stdin EOF even if the peer keeps the connection open' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s k -l keep-open -d 'Keep listening: after a connection ends, accept the next one'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s d -l no-stdin -d 'Do not read stdin (and do not half-close)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l send-only -d 'Only send stdin; ignore what the peer sends and exit at stdin EOF'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l recv-only -d 'Only print what the peer sends; never read stdin'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l no-shutdown -d 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from listen" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -s l -l listen -d 'Address to listen on (port 0 picks a free port)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l engine -d 'Concurrency engine that serves the connections' -r -f -a "fork\t''
thread\t''"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l max-connections -d 'Refuse connections beyond this many at once' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l idle-timeout -d 'Close a connection after this long without traffic' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s c -l connections -d 'Concurrent connections' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s d -l duration -d 'How long to measure [default: 5s]; with --bulk, the time limit [default: 60s]' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l size -d 'Bytes per message (K, M, G suffixes are powers of 1024)' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l pipeline -d 'Messages in flight per connection' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l bulk -d 'Instead of messages, stream SIZE bytes per connection and check the echo' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l compare -d 'Start a local server per engine (a comma-separated list, or all) and compare them' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l idle -d 'Open CONNS connections, hold them idle for DURATION, check each still echoes' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s w -l timeout -d 'Give up after this long (connect, or no data); a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from bench" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from help" -f -a "connect" -d 'Connect to ADDR and copy stdin to it and it to stdout (netcat\'s client mode)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from help" -f -a "listen" -d 'Accept a connection and copy it to stdout and stdin to it (netcat\'s -l)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Echo every byte back, on the concurrency engine of your choice'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from help" -f -a "bench" -d 'Load an echo server and measure it, or compare every engine (--compare)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand completions" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand completions" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand completions" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand completions" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand completions" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand man" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand man" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand man" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand man" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_using_subcommand man" -s h -l help -d 'Print help'
complete -c nettool -n "__fish_nettool_using_subcommand man" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo completions man help" -f -a "tcp-echo" -d 'TCP echo server, netcat-style client and listener, load generator'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo completions man help" -f -a "man" -d 'Write the man pages into a directory (used to refresh man/)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from tcp-echo" -f -a "connect" -d 'Connect to ADDR and copy stdin to it and it to stdout (netcat\'s client mode)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from tcp-echo" -f -a "listen" -d 'Accept a connection and copy it to stdout and stdin to it (netcat\'s -l)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from tcp-echo" -f -a "serve" -d 'Echo every byte back, on the concurrency engine of your choice'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from tcp-echo" -f -a "bench" -d 'Load an echo server and measure it, or compare every engine (--compare)'
