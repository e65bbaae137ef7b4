//! The lessons of the engine ladder: one client at a time, fork and its zombies,
//! threads, busy polling, select's sets and its 1024 wall, poll, epoll edge- and
//! level-triggered, and the reactor.

use std::time::Duration;

use super::page::{Job, Lesson};
use crate::util::wait_until;

/// The number just before `suffix` in `line` (`70 waits` → 70, `(1.0 per` → 1.0).
fn number_before(line: &str, suffix: &str) -> f64 {
    let at = line
        .find(suffix)
        .unwrap_or_else(|| panic!("no {suffix:?} in {line}"));
    let digits: String = line[..at]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number before {suffix:?} in {line}"))
}

/// Stop a server the way the page does (`kill …`) and return its stderr.
fn stop(l: &Lesson, kill: &str, server: &mut Job) -> String {
    assert!(l.run(kill).status.success());
    let out = server.finish(Duration::from_secs(15));
    assert!(out.status.success(), "{}", out.all());
    out.stderr
}

/// The page's server (`serve`: its line and example port), its bench run to success,
/// then the server stopped with `kill`: the server's stderr.
fn benched(l: &Lesson, serve: (&str, &str), bench: &str, kill: &str) -> String {
    let mut server = l.serve(serve.0, serve.1);
    let out = l.run(bench);
    assert!(out.status.success(), "{}", out.all());
    stop(l, kill, &mut server)
}

/// The `engine NAME: …` counters line of a summary.
fn counters<'a>(stderr: &'a str, engine: &str) -> &'a str {
    stderr
        .lines()
        .find(|l| l.starts_with(&format!("engine {engine}: ")))
        .unwrap_or_else(|| panic!("no counters line for {engine} in\n{stderr}"))
}

#[test]
fn iterative() {
    let l = Lesson::open("iterative");
    let _server = l.serve(
        "nettool tcp-echo serve --engine iterative -l 127.0.0.1:7007 &",
        "7007",
    );
    let _first = l.start("nettool tcp-echo connect -d 127.0.0.1:7007 & first=$!");
    // As a person typing: the first client is connected before the second starts.
    let port = l.here("7007");
    assert!(wait_until(Duration::from_secs(10), || {
        std::process::Command::new(crate::util::bin())
            .args(["stat", "-tn", "--dport", &port])
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("ESTABLISHED"))
    }));
    let mut second = l.start("echo second | nettool tcp-echo connect 127.0.0.1:7007 &");
    let table = l.run_until(
        "nettool stat -tl --sport 7007",
        Duration::from_secs(10),
        |t| {
            // The second client waits in the backlog.
            t.lines()
                .any(|r| r.starts_with("LISTEN") && r.split_whitespace().nth(1) == Some("1"))
        },
    );
    l.says("Recv-Q 1 on the LISTEN row");
    l.shows(&table, "4096");
    assert!(!second.text().contains("second"), "served too early");
    assert!(l.run("kill $first").status.success());
    let out = second.finish(Duration::from_secs(15));
    l.shows(&out.stdout, "second");
}

#[test]
fn fork() {
    let l = Lesson::open("fork");
    let server = l.serve(
        "nettool -v tcp-echo serve --engine fork -l 127.0.0.1:7007 &",
        "7007",
    );
    let out = l.run("echo hi | nettool tcp-echo connect 127.0.0.1:7007");
    assert_eq!(out.stdout, "hi\n");
    let forked = server
        .wait_for(" serves connection 1", Duration::from_secs(10))
        .expect("a child line");
    l.says("child PID serves connection 1");
    let child = forked.split_whitespace().nth(1).unwrap().to_string();
    let reaped = format!("reaped {child} (exit 0)");
    let line = server.wait_for(&reaped, Duration::from_secs(10));
    assert!(line.is_some(), "no {reaped:?} in\n{}", server.text());
    l.says("reaped PID (exit 0)");
    l.shows(&server.text(), "connection 1 from 127.0.0.1:");
}

#[test]
fn zombies() {
    let l = Lesson::open("zombies");
    let mut server = l.serve(
        "nettool -v tcp-echo serve --engine fork --no-reap -l 127.0.0.1:7007 & server=$!",
        "7007",
    );
    let out = l.run("echo hi | nettool tcp-echo connect 127.0.0.1:7007");
    assert_eq!(out.stdout, "hi\n");
    let ps = l.run_until(
        "ps -o pid,stat,cmd --ppid $server",
        Duration::from_secs(10),
        |ps| ps.contains("<defunct>"),
    );
    let row = ps.lines().find(|r| r.contains("<defunct>")).unwrap();
    assert!(
        row.split_whitespace().nth(1).unwrap().starts_with('Z'),
        "{ps}"
    );
    l.shows(row, "Z");
    l.shows(row, "<defunct>");
    let pid = row.split_whitespace().next().unwrap();
    let stderr = stop(&l, "kill -INT $server", &mut server);
    l.says("reaped");
    assert!(
        stderr.contains(&format!("reaped {pid} (exit 0)")),
        "{stderr}"
    );
}

#[test]
fn thread() {
    let l = Lesson::open("thread");
    let _server = l.serve(
        "nettool tcp-echo serve --engine thread -l 127.0.0.1:7007 & server=$!",
        "7007",
    );
    let _a = l.start("nettool tcp-echo connect -d 127.0.0.1:7007 &");
    let _b = l.start("nettool tcp-echo connect -d 127.0.0.1:7007 &");
    let ps = l.run_until(
        "ps -L -o pid,lwp,comm -p $server",
        Duration::from_secs(10),
        |ps| ps.contains("conn-1") && ps.contains("conn-2"),
    );
    l.shows(&ps, "conn-1");
    l.shows(&ps, "conn-2");
    let pids: Vec<&str> = ps
        .lines()
        .skip(1)
        .filter_map(|r| r.split_whitespace().next())
        .collect();
    assert!(
        pids.len() >= 3 && pids.iter().all(|p| *p == pids[0]),
        "{ps}"
    );
}

#[test]
fn busy_poll() {
    let l = Lesson::open("busy-poll");
    let mut server = l.serve(
        "nettool tcp-echo serve --engine busy-poll -l 127.0.0.1:7007 &",
        "7007",
    );
    let _idle = l.start("nettool tcp-echo connect -d 127.0.0.1:7007 &");
    assert!(l.run("sleep 1").status.success());
    let stderr = stop(&l, "kill %1", &mut server);
    let line = counters(&stderr, "busy-poll");
    l.shows(line, "0 waits");
    l.shows(line, "(never waited)");
    l.shows(line, " EAGAIN");
    // Asked without end: thousands of EAGAINs in a second, even on a busy machine.
    let eagain = number_before(line, " EAGAIN");
    assert!(eagain >= 1000.0, "{line}");
    assert_eq!(
        number_before(line, " reads"),
        eagain,
        "every read an EAGAIN: {line}"
    );
    l.says("tens of thousands of reads, each answered EAGAIN");
}

#[test]
fn select_sets() {
    let l = Lesson::open("select-sets");
    let server = l.serve(
        "nettool --explain=io tcp-echo serve --engine select -l 127.0.0.1:7007 &",
        "7007",
    );
    let out = l.run("echo hi | nettool tcp-echo connect 127.0.0.1:7007");
    assert_eq!(out.stdout, "hi\n");
    l.says("hi");
    assert!(server.wait_for("close(", Duration::from_secs(10)).is_some());
    let text = server.text();
    l.shows(&text, "= 0 (EOF: the peer sent FIN)");
    l.shows(&text, "close(");
    // select(N, [in…], …) = 1 (in [ready], …): N is the highest fd passed plus one,
    // and what comes back is one of the descriptors passed in.
    let call = text
        .lines()
        .find(|r| r.starts_with("select(") && r.contains(" = 1 (in [") && !r.contains("(in [], "))
        .unwrap_or_else(|| panic!("no select call that returned a ready fd:\n{text}"));
    let nfds: i32 = call["select(".len()..]
        .split(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let set = |s: &str| -> Vec<i32> {
        s.split(']')
            .next()
            .unwrap()
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect()
    };
    let passed = set(call.split(", [").nth(1).unwrap());
    let ready = set(call.split("(in [").nth(1).unwrap());
    assert_eq!(nfds, passed.iter().max().unwrap() + 1, "{call}");
    assert!(ready.iter().all(|fd| passed.contains(fd)), "{call}");
    l.shows(&text, "select(");
    l.shows(&text, "(in [");
}

#[test]
fn select_wall() {
    let l = Lesson::open("select-wall");
    let server = l.serve(
        "nettool tcp-echo serve --engine select -l 127.0.0.1:7007 &",
        "7007",
    );
    let out = l.run("nettool tcp-echo bench 127.0.0.1:7007 -c 1100 --idle 1s");
    assert_eq!(out.status.code(), Some(1), "{}", out.all());
    let warning = server
        .wait_for("FD_SETSIZE", Duration::from_secs(10))
        .expect("a warning about FD_SETSIZE");
    l.shows(&warning, "beyond select's FD_SETSIZE (1024)");
    let served = number_before(&out.stdout, " of 1100 connections opened");
    assert!((900.0..1024.0).contains(&served), "{}", out.stdout);
    l.says("about a thousand of the 1100 connections served");
}

#[test]
fn poll() {
    let l = Lesson::open("poll");
    let _server = l.serve(
        "nettool tcp-echo serve --engine poll -l 127.0.0.1:7007 &",
        "7007",
    );
    let out = l.run("nettool tcp-echo bench 127.0.0.1:7007 -c 1100 --idle 1s");
    assert!(out.status.success(), "{}", out.all());
    l.shows(&out.stdout, "1100 of 1100");
}

#[test]
fn epoll_et() {
    let l = Lesson::open("epoll-et");
    let server = l.serve(
        "nettool --explain=io tcp-echo serve -l 127.0.0.1:7007 &",
        "7007",
    );
    let out = l.run("echo hi | nettool tcp-echo connect 127.0.0.1:7007");
    assert_eq!(out.stdout, "hi\n");
    assert!(server.wait_for("close(", Duration::from_secs(10)).is_some());
    let text = server.text();
    l.says("fcntl(12, F_SETFL, O_RDWR|O_NONBLOCK)");
    l.shows(&text, "F_SETFL, O_RDWR|O_NONBLOCK) = 0");
    l.shows(&text, "EPOLLET");
    l.shows(&text, "-1 EAGAIN");
    l.shows(&text, "epoll_wait(");
}

#[test]
fn epoll_lt_et() {
    let l = Lesson::open("epoll-lt-et");
    let lt_err = benched(
        &l,
        (
            "nettool tcp-echo serve --engine epoll-lt -l 127.0.0.1:7007 & lt=$!",
            "7007",
        ),
        "nettool tcp-echo bench 127.0.0.1:7007 -c 1 --bulk 4M",
        "kill -INT $lt",
    );
    let et_err = benched(
        &l,
        (
            "nettool tcp-echo serve --engine epoll-et -l 127.0.0.1:7008 & et=$!",
            "7008",
        ),
        "nettool tcp-echo bench 127.0.0.1:7008 -c 1 --bulk 4M",
        "kill -INT $et",
    );
    let lt_line = counters(&lt_err, "epoll-lt");
    let et_line = counters(&et_err, "epoll-et");
    l.shows(lt_line, "0 EAGAIN");
    let lt_per_wake = number_before(lt_line, " per wake-up");
    let et_per_wake = number_before(et_line, " per wake-up");
    assert!(lt_per_wake <= 1.0, "{lt_line}");
    assert!(
        number_before(lt_line, " reads") <= number_before(lt_line, " events"),
        "level-triggered: one read per event at most: {lt_line}"
    );
    assert!(
        et_per_wake > lt_per_wake,
        "edge-triggered should read more per wake-up:\n{lt_line}\n{et_line}"
    );
    l.says("more reads per wake-up");
}

#[test]
fn reactor() {
    let l = Lesson::open("reactor");
    let stderr = benched(
        &l,
        (
            "nettool --explain=io tcp-echo serve --engine reactor --sndbuf 4k -l 127.0.0.1:7007 &",
            "7007",
        ),
        "nettool tcp-echo bench 127.0.0.1:7007 -c 1 --bulk 1M",
        "kill %1",
    );
    let mods: Vec<&str> = stderr
        .lines()
        .filter(|r| r.contains("EPOLL_CTL_MOD, "))
        .collect();
    let out_at = mods.iter().position(|r| r.contains("{events=EPOLLOUT"));
    let back = out_at.and_then(|i| mods[i..].iter().position(|r| r.contains("{events=EPOLLIN")));
    assert!(back.is_some(), "re-armed for EPOLLOUT and back:\n{stderr}");
    l.shows(&stderr, "EPOLL_CTL_MOD");
    l.shows(&stderr, "{events=EPOLLOUT");
    let line = counters(&stderr, "reactor");
    l.shows(line, "re-arms (EPOLL_CTL_MOD)");
    assert!(number_before(line, " re-arms") >= 1.0, "{line}");
}
