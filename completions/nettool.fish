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
complete -c nettool -n "__fish_nettool_needs_command" -f -a "unix" -d 'Unix domain sockets: echo server, netcat-style client and listener'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "heartbeat" -d 'Application heartbeats: ping-pong responder, dead-peer detection, reconnect'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "man" -d 'Write the man pages into a directory (used to refresh man/)'
complete -c nettool -n "__fish_nettool_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve help" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve help" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve help" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve help" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve help" -s h -l help -d 'Print help'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve help" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve help" -f -a "connect" -d 'Connect to ADDR and copy stdin to it and it to stdout (netcat\'s client mode)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve help" -f -a "listen" -d 'Accept a connection and copy it to stdout and stdin to it (netcat\'s -l)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve help" -f -a "serve" -d 'Echo every byte back, on the concurrency engine of your choice'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and not __fish_seen_subcommand_from connect listen serve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from serve" -l engine -d 'Concurrency engine that serves the connections' -r -f -a "thread\t''"
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
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from help" -f -a "connect" -d 'Connect to ADDR and copy stdin to it and it to stdout (netcat\'s client mode)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from help" -f -a "listen" -d 'Accept a connection and copy it to stdout and stdin to it (netcat\'s -l)'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Echo every byte back, on the concurrency engine of your choice'
complete -c nettool -n "__fish_nettool_using_subcommand tcp-echo; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect help" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect help" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect help" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect help" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect help" -s h -l help -d 'Print help'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect help" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect help" -f -a "serve" -d 'Echo server on a Unix socket (stream on any engine, or --dgram)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect help" -f -a "listen" -d 'Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect help" -f -a "connect" -d 'Connect to a Unix socket and relay stdin/stdout (netcat -U)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and not __fish_seen_subcommand_from serve listen connect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l mode -d 'Permissions of the socket file, octal (in force from the moment it exists)' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l engine -d 'Concurrency engine that serves the connections' -r -f -a "thread\t''"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l max-connections -d 'Refuse connections beyond this many at once' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l idle-timeout -d 'Close a connection after this long without traffic' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l dgram -d 'Datagram socket (SOCK_DGRAM): each datagram is echoed to its sender'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l mode -d 'Permissions of the socket file, octal' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s w -l timeout -d 'Give up after this long (connect, or no data); a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l eof-timeout -d 'Exit this long after stdin EOF even if the peer keeps the connection open' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s k -l keep-open -d 'Keep listening: after a connection ends, accept the next one'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l dgram -d 'Datagram socket: print datagrams, send stdin to the latest sender'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s d -l no-stdin -d 'Do not read stdin (and do not half-close)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l send-only -d 'Only send stdin; ignore what the peer sends and exit at stdin EOF'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l recv-only -d 'Only print what the peer sends; never read stdin'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l no-shutdown -d 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from listen" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s w -l timeout -d 'Give up after this long (connect, or no data); a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l eof-timeout -d 'Exit this long after stdin EOF even if the peer keeps the connection open' -r
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l dgram -d 'Datagram socket: stdin chunks go out as datagrams; -w bounds the wait for replies'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s d -l no-stdin -d 'Do not read stdin (and do not half-close)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l send-only -d 'Only send stdin; ignore what the peer sends and exit at stdin EOF'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l recv-only -d 'Only print what the peer sends; never read stdin'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l no-shutdown -d 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from connect" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Echo server on a Unix socket (stream on any engine, or --dgram)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from help" -f -a "listen" -d 'Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from help" -f -a "connect" -d 'Connect to a Unix socket and relay stdin/stdout (netcat -U)'
complete -c nettool -n "__fish_nettool_using_subcommand unix; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -f -a "serve" -d 'Answer every beat with a pong carrying our time, uptime and connection count'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -f -a "connect" -d 'Beat every interval, report replies, declare the peer dead, reconnect'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and not __fish_seen_subcommand_from serve connect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -s l -l listen -d 'Address to listen on (port 0 picks a free port)' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l engine -d 'Concurrency engine that serves the connections' -r -f -a "thread\t''"
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l max-connections -d 'Refuse connections beyond this many at once' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l idle-timeout -d 'Close a connection after this long without traffic' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l udp -d 'Speak the protocol over UDP (one frame per datagram)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l interval -d 'Time between beats; a reply must arrive within it' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l misses -d 'Consecutive unanswered beats before the peer is declared dead' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l backoff -d 'Reconnect delays: exponential from MIN to MAX, with jitter' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s n -l count -d 'Stop after this many beats (and their replies or misses)' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s w -l timeout -d 'Give up after this long (connect, or no data); a bare number means seconds' -r
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l color -d 'When to use colour: auto (a terminal and no NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l reconnect -d 'After a dead verdict, reconnect (with back-off) instead of exiting 1'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l udp -d 'Beat over UDP instead of TCP'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l tcp-keepalive -d 'No beats: use the kernel\'s TCP keepalive (idle/interval/count from --interval and --misses) and TCP_USER_TIMEOUT, and report when the kernel drops the connection'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s 4 -d 'Use IPv4 only'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s 6 -d 'Use IPv6 only'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -l json -d 'Print events as JSON, one object per line'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s q -l quiet -d 'Say nothing but errors (the `listening on` line stays)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s v -l verbose -d 'Say more: connections, senders, limits (-vv for debug logs)'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from connect" -s V -l version -d 'Print version'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Answer every beat with a pong carrying our time, uptime and connection count'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from help" -f -a "connect" -d 'Beat every interval, report replies, declare the peer dead, reconnect'
complete -c nettool -n "__fish_nettool_using_subcommand heartbeat; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo unix heartbeat completions man help" -f -a "tcp-echo" -d 'TCP echo server, netcat-style client and listener, load generator'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo unix heartbeat completions man help" -f -a "unix" -d 'Unix domain sockets: echo server, netcat-style client and listener'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo unix heartbeat completions man help" -f -a "heartbeat" -d 'Application heartbeats: ping-pong responder, dead-peer detection, reconnect'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo unix heartbeat completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo unix heartbeat completions man help" -f -a "man" -d 'Write the man pages into a directory (used to refresh man/)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and not __fish_seen_subcommand_from tcp-echo unix heartbeat completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from tcp-echo" -f -a "connect" -d 'Connect to ADDR and copy stdin to it and it to stdout (netcat\'s client mode)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from tcp-echo" -f -a "listen" -d 'Accept a connection and copy it to stdout and stdin to it (netcat\'s -l)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from tcp-echo" -f -a "serve" -d 'Echo every byte back, on the concurrency engine of your choice'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from unix" -f -a "serve" -d 'Echo server on a Unix socket (stream on any engine, or --dgram)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from unix" -f -a "listen" -d 'Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from unix" -f -a "connect" -d 'Connect to a Unix socket and relay stdin/stdout (netcat -U)'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from heartbeat" -f -a "serve" -d 'Answer every beat with a pong carrying our time, uptime and connection count'
complete -c nettool -n "__fish_nettool_using_subcommand help; and __fish_seen_subcommand_from heartbeat" -f -a "connect" -d 'Beat every interval, report replies, declare the peer dead, reconnect'
