
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
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('tcp-echo', 'tcp-echo', [CompletionResultType]::ParameterValue, 'TCP echo server, netcat-style client and listener, load generator')
            [CompletionResult]::new('unix', 'unix', [CompletionResultType]::ParameterValue, 'Unix domain sockets: echo server, netcat-style client and listener')
            [CompletionResult]::new('heartbeat', 'heartbeat', [CompletionResultType]::ParameterValue, 'Application heartbeats: ping-pong responder, dead-peer detection, reconnect')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write the man pages into a directory (used to refresh man/)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;tcp-echo' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to ADDR and copy stdin to it and it to stdout (netcat''s client mode)')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Accept a connection and copy it to stdout and stdin to it (netcat''s -l)')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Echo every byte back, on the concurrency engine of your choice')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;tcp-echo;connect' {
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--eof-timeout', '--eof-timeout', [CompletionResultType]::ParameterName, 'Exit this long after stdin EOF even if the peer keeps the connection open')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--send-only', '--send-only', [CompletionResultType]::ParameterName, 'Only send stdin; ignore what the peer sends and exit at stdin EOF')
            [CompletionResult]::new('--recv-only', '--recv-only', [CompletionResultType]::ParameterName, 'Only print what the peer sends; never read stdin')
            [CompletionResult]::new('--no-shutdown', '--no-shutdown', [CompletionResultType]::ParameterName, 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;tcp-echo;listen' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--eof-timeout', '--eof-timeout', [CompletionResultType]::ParameterName, 'Exit this long after stdin EOF even if the peer keeps the connection open')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Keep listening: after a connection ends, accept the next one')
            [CompletionResult]::new('--keep-open', '--keep-open', [CompletionResultType]::ParameterName, 'Keep listening: after a connection ends, accept the next one')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--send-only', '--send-only', [CompletionResultType]::ParameterName, 'Only send stdin; ignore what the peer sends and exit at stdin EOF')
            [CompletionResult]::new('--recv-only', '--recv-only', [CompletionResultType]::ParameterName, 'Only print what the peer sends; never read stdin')
            [CompletionResult]::new('--no-shutdown', '--no-shutdown', [CompletionResultType]::ParameterName, 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;tcp-echo;serve' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Concurrency engine that serves the connections')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Refuse connections beyond this many at once')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a connection after this long without traffic')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
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
        'nettool;tcp-echo;help;help' {
            break
        }
        'nettool;unix' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Echo server on a Unix socket (stream on any engine, or --dgram)')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to a Unix socket and relay stdin/stdout (netcat -U)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;unix;serve' {
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'Permissions of the socket file, octal (in force from the moment it exists)')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Concurrency engine that serves the connections')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Refuse connections beyond this many at once')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a connection after this long without traffic')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--dgram', '--dgram', [CompletionResultType]::ParameterName, 'Datagram socket (SOCK_DGRAM): each datagram is echoed to its sender')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;unix;listen' {
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'Permissions of the socket file, octal')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--eof-timeout', '--eof-timeout', [CompletionResultType]::ParameterName, 'Exit this long after stdin EOF even if the peer keeps the connection open')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Keep listening: after a connection ends, accept the next one')
            [CompletionResult]::new('--keep-open', '--keep-open', [CompletionResultType]::ParameterName, 'Keep listening: after a connection ends, accept the next one')
            [CompletionResult]::new('--dgram', '--dgram', [CompletionResultType]::ParameterName, 'Datagram socket: print datagrams, send stdin to the latest sender')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--send-only', '--send-only', [CompletionResultType]::ParameterName, 'Only send stdin; ignore what the peer sends and exit at stdin EOF')
            [CompletionResult]::new('--recv-only', '--recv-only', [CompletionResultType]::ParameterName, 'Only print what the peer sends; never read stdin')
            [CompletionResult]::new('--no-shutdown', '--no-shutdown', [CompletionResultType]::ParameterName, 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
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
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--dgram', '--dgram', [CompletionResultType]::ParameterName, 'Datagram socket: stdin chunks go out as datagrams; -w bounds the wait for replies')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Do not read stdin (and do not half-close)')
            [CompletionResult]::new('--send-only', '--send-only', [CompletionResultType]::ParameterName, 'Only send stdin; ignore what the peer sends and exit at stdin EOF')
            [CompletionResult]::new('--recv-only', '--recv-only', [CompletionResultType]::ParameterName, 'Only print what the peer sends; never read stdin')
            [CompletionResult]::new('--no-shutdown', '--no-shutdown', [CompletionResultType]::ParameterName, 'Keep the write side open at stdin EOF (no shutdown(SHUT_WR))')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
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
        'nettool;unix;help;help' {
            break
        }
        'nettool;heartbeat' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
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
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Concurrency engine that serves the connections')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Refuse connections beyond this many at once')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a connection after this long without traffic')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--udp', '--udp', [CompletionResultType]::ParameterName, 'Speak the protocol over UDP (one frame per datagram)')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;heartbeat;connect' {
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between beats; a reply must arrive within it')
            [CompletionResult]::new('--misses', '--misses', [CompletionResultType]::ParameterName, 'Consecutive unanswered beats before the peer is declared dead')
            [CompletionResult]::new('--backoff', '--backoff', [CompletionResultType]::ParameterName, 'Reconnect delays: exponential from MIN to MAX, with jitter')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Stop after this many beats (and their replies or misses)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Stop after this many beats (and their replies or misses)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--reconnect', '--reconnect', [CompletionResultType]::ParameterName, 'After a dead verdict, reconnect (with back-off) instead of exiting 1')
            [CompletionResult]::new('--udp', '--udp', [CompletionResultType]::ParameterName, 'Beat over UDP instead of TCP')
            [CompletionResult]::new('--tcp-keepalive', '--tcp-keepalive', [CompletionResultType]::ParameterName, 'No beats: use the kernel''s TCP keepalive (idle/interval/count from --interval and --misses) and TCP_USER_TIMEOUT, and report when the kernel drops the connection')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
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
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal and no NO_COLOR), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print events as JSON, one object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing but errors (the `listening on` line stays)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: connections, senders, limits (-vv for debug logs)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'nettool;help' {
            [CompletionResult]::new('tcp-echo', 'tcp-echo', [CompletionResultType]::ParameterValue, 'TCP echo server, netcat-style client and listener, load generator')
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
        'nettool;help;unix' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Echo server on a Unix socket (stream on any engine, or --dgram)')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to a Unix socket and relay stdin/stdout (netcat -U)')
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
