
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
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Load an echo server and measure it, or compare every engine (--compare)')
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
        'nettool;tcp-echo;bench' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Concurrent connections')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Concurrent connections')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'How long to measure [default: 5s]; with --bulk, the time limit [default: 60s]')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'How long to measure [default: 5s]; with --bulk, the time limit [default: 60s]')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Bytes per message (K, M, G suffixes are powers of 1024)')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Messages in flight per connection')
            [CompletionResult]::new('--bulk', '--bulk', [CompletionResultType]::ParameterName, 'Instead of messages, stream SIZE bytes per connection and check the echo')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'Start a local server per engine (a comma-separated list, or all) and compare them')
            [CompletionResult]::new('--idle', '--idle', [CompletionResultType]::ParameterName, 'Open CONNS connections, hold them idle for DURATION, check each still echoes')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (connect, or no data); a bare number means seconds')
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
        'nettool;tcp-echo;help;bench' {
            break
        }
        'nettool;tcp-echo;help;help' {
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
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write the man pages into a directory (used to refresh man/)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nettool;help;tcp-echo' {
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect to ADDR and copy stdin to it and it to stdout (netcat''s client mode)')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Accept a connection and copy it to stdout and stdin to it (netcat''s -l)')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Echo every byte back, on the concurrency engine of your choice')
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
        'nettool;help;tcp-echo;bench' {
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
