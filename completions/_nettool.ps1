
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
            [CompletionResult]::new('stat', 'stat', [CompletionResultType]::ParameterValue, 'Sockets and their TCP states (like ss), live --watch of transitions, -g groups')
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
        'nettool;stat' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Only these states (TCP diagram names, or all, connected, synchronized, bucket, big)')
            [CompletionResult]::new('--sport', '--sport', [CompletionResultType]::ParameterName, 'Only sockets with this local port')
            [CompletionResult]::new('--dport', '--dport', [CompletionResultType]::ParameterName, 'Only sockets with this peer port')
            [CompletionResult]::new('--pid', '--pid', [CompletionResultType]::ParameterName, 'Only sockets held open by this process')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Refresh every DURATION, marking new (+) and closed (-) sockets and state changes (~ FROM→); with --json: the first snapshot as "socket" lines, then one line per change ("new", "closed", "state" with "from" and "to")')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'With --watch: stop after this many snapshots')
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
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Show TCP internals: congestion control, rtt, rto, cwnd, retransmits, bytes')
            [CompletionResult]::new('--info', '--info', [CompletionResultType]::ParameterName, 'Show TCP internals: congestion control, rtt, rto, cwnd, retransmits, bytes')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Show timers (retransmit, keepalive, zero-window probe, TIME-WAIT countdown)')
            [CompletionResult]::new('--options', '--options', [CompletionResultType]::ParameterName, 'Show timers (retransmit, keepalive, zero-window probe, TIME-WAIT countdown)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Print totals per protocol, family and state')
            [CompletionResult]::new('--summary', '--summary', [CompletionResultType]::ParameterName, 'Print totals per protocol, family and state')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Print multicast group memberships per interface (netstat -g)')
            [CompletionResult]::new('--groups', '--groups', [CompletionResultType]::ParameterName, 'Print multicast group memberships per interface (netstat -g)')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 only')
            [CompletionResult]::new('--self', '--self', [CompletionResultType]::ParameterName, 'Only sockets held open by the process that started nettool (a shell, a script)')
            [CompletionResult]::new('--proc', '--proc', [CompletionResultType]::ParameterName, 'Read /proc/net instead of netlink sock_diag (what netstat reads; no timers, tcp_info, listener backlogs or Unix queues there)')
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
            [CompletionResult]::new('stat', 'stat', [CompletionResultType]::ParameterValue, 'Sockets and their TCP states (like ss), live --watch of transitions, -g groups')
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
        'nettool;help;stat' {
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
