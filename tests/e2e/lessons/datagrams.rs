//! The lessons past TCP: UDP, broadcast and multicast (in a network namespace of the
//! test's own, as the page's `unshare -n`), Unix sockets (stream, datagram,
//! abstract), heartbeats and the web server.

use std::time::Duration;

use super::page::Lesson;
use crate::util::netns::{available, in_new_netns};
use crate::util::require;

#[test]
fn udp() {
    let l = Lesson::open("udp");
    let server = l.serve("nettool --explain udp serve -l 127.0.0.1:7007 &", "7007");
    let setup = server.text();
    l.shows(&setup, "SOCK_DGRAM");
    l.shows(&setup, "bind(8, {sin_family=AF_INET");
    assert!(
        !setup.contains("listen(") && !setup.contains("accept4("),
        "{setup}"
    );
    let out = l.run("nettool udp send 127.0.0.1:7007 hello -w 1");
    assert!(out.status.success(), "{}", out.all());
    l.shows(&out.stdout, "hello");
    let table = l.run("nettool stat -ul --sport 7007").stdout;
    l.shows(&table, "UNCONN");
}

/// The `unshare -n` shell of the page: the test's thread is in a namespace of its
/// own already, so the lines typed there run as they are.
fn namespace_shell(l: &Lesson, setup: &[&str]) {
    l.stand_in("sudo unshare -n sh");
    for cmd in setup {
        let out = l.run(cmd);
        assert!(out.status.success(), "{cmd}: {}", out.all());
    }
}

#[test]
fn broadcast() {
    if !available() {
        return;
    }
    in_new_netns(|| {
        let l = Lesson::open("broadcast");
        namespace_shell(
            &l,
            &[
                "ip link set lo up",
                "ip link add lab0 type veth peer name lab1",
                "ip addr add 192.0.2.1/24 brd + dev lab0",
                "ip link set lab0 up",
                "ip link set lab1 up",
            ],
        );
        let mut recv = l.start("nettool broadcast recv 9999 -n 1 -w 10 &");
        assert!(
            recv.wait_for("listening on", Duration::from_secs(10))
                .is_some()
        );
        let send = l.run("nettool --explain broadcast send 9999 hello -i lab0");
        assert!(send.status.success(), "{}", send.all());
        l.shows(&send.stderr, "SO_BROADCAST, 1) = 0");
        let got = recv.finish(Duration::from_secs(15));
        assert!(got.status.success(), "{}", got.all());
        l.shows(&got.stdout, "hello");
    });
}

#[test]
fn multicast() {
    if !available() {
        return;
    }
    in_new_netns(|| {
        let l = Lesson::open("multicast");
        namespace_shell(
            &l,
            &["ip link set lo up", "ip route add 224.0.0.0/4 dev lo"],
        );
        let mut recv =
            l.start("nettool --explain multicast recv 239.1.2.3:5000 -i lo -n 1 -w 10 &");
        let joined = recv.wait_for("joined 239.1.2.3 on lo", Duration::from_secs(10));
        l.shows(&joined.unwrap_or_default(), "joined 239.1.2.3 on lo");
        let setup = recv.text();
        l.shows(&setup, "IP_ADD_MEMBERSHIP");
        l.shows(&setup, "ifindex 1 (lo)");
        l.shows(&setup, "is in 239.0.0.0/8 administratively scoped");
        let groups = l.run("nettool stat -g").stdout;
        assert!(
            groups
                .lines()
                .any(|r| r.starts_with("lo ") && r.ends_with(" 239.1.2.3")),
            "{groups}"
        );
        l.says("the group in stat -g");
        let send = l.run("nettool multicast send 239.1.2.3:5000 hello -i lo");
        assert!(send.status.success(), "{}", send.all());
        let got = recv.finish(Duration::from_secs(15));
        assert!(got.status.success(), "{}", got.all());
        l.shows(&got.stdout, "hello");
        let control = l.run("nettool multicast recv 224.0.0.5:5000 -i lo -n 1 -w 1");
        assert_eq!(control.status.code(), Some(1), "{}", control.all());
        l.shows(&control.stderr, "224.0.0.0/24 link-local control");
        l.shows(&control.stderr, "joined anyway");
    });
}

#[test]
fn unix_stream() {
    let l = Lesson::open("unix-stream");
    let path = l.dir().join("echo.sock");
    l.set("/tmp/echo.sock", path.to_str().unwrap());
    let mut server = l.start("nettool -v unix serve /tmp/echo.sock &");
    assert!(
        server
            .wait_for("listening on", Duration::from_secs(10))
            .is_some()
    );
    let ls = l.run("ls -l /tmp/echo.sock").stdout;
    assert!(ls.starts_with('s'), "{ls}");
    assert_eq!(ls.split_whitespace().nth(4), Some("0"), "{ls}");
    l.says("the s at the start of the mode, size 0");
    let out = l.run("echo hi | nettool unix connect /tmp/echo.sock");
    assert_eq!(out.stdout, "hi\n", "{}", out.all());
    let log = server.wait_for("connection 1 from pid ", Duration::from_secs(10));
    l.shows(&log.unwrap_or_default(), "connection 1 from pid ");
    let table = l.run("nettool stat -xa | grep echo.sock").stdout;
    let row = table
        .lines()
        .find(|r| r.contains(path.to_str().unwrap()))
        .unwrap_or_else(|| panic!("{table}"));
    l.shows(row, "u_str");
    l.shows(row, "LISTEN");
    assert!(l.run("kill %1").status.success());
    assert!(server.finish(Duration::from_secs(10)).status.success());
    let gone = l.run("ls /tmp/echo.sock");
    assert!(!gone.status.success() && !path.exists());
    l.shows(&gone.stderr, "No such file or directory");
}

#[test]
fn unix_dgram() {
    let l = Lesson::open("unix-dgram");
    let path = l.dir().join("echo.dgram");
    l.set("/tmp/echo.dgram", path.to_str().unwrap());
    let server = l.start("nettool -v unix serve --dgram /tmp/echo.dgram &");
    assert!(
        server
            .wait_for("listening on", Duration::from_secs(10))
            .is_some()
    );
    let out = l.run("echo hi | nettool unix connect --dgram -w 1 /tmp/echo.dgram");
    assert_eq!(out.stdout, "hi\n", "{}", out.all());
    let line = server
        .wait_for("datagram from ", Duration::from_secs(10))
        .unwrap_or_default();
    l.shows(&line, "datagram from /");
    assert!(line.contains(".sock (pid "), "{line}");
}

#[test]
fn unix_abstract() {
    let l = Lesson::open("unix-abstract");
    let name = format!(
        "@lesson-{}-{}",
        std::process::id(),
        l.dir().display().to_string().len()
    );
    l.set("@lesson", &name);
    let server = l.start("nettool unix serve @lesson &");
    assert!(
        server
            .wait_for("listening on", Duration::from_secs(10))
            .is_some()
    );
    let out = l.run("echo hi | nettool unix connect @lesson");
    assert_eq!(out.stdout, "hi\n", "{}", out.all());
    let table = l.run("nettool stat -xl | grep @lesson").stdout;
    let row = table
        .lines()
        .find(|r| r.contains(&format!("{name}:")))
        .unwrap_or_else(|| panic!("{table}"));
    l.says("@lesson in the socket table");
    assert!(row.contains("LISTEN"), "{row}");
    let files: Vec<_> = std::fs::read_dir(l.dir()).unwrap().collect();
    assert!(
        files.is_empty(),
        "an abstract socket left a file: {files:?}"
    );
}

#[test]
fn heartbeat() {
    let l = Lesson::open("heartbeat");
    let _server = l.serve(
        "nettool heartbeat serve -l 127.0.0.1:7009 & server=$!",
        "7009",
    );
    let mut client =
        l.start("nettool heartbeat connect --interval 200ms --misses 3 127.0.0.1:7009 &");
    let pong = client.wait_for("seq=1 ", Duration::from_secs(10));
    l.shows(&pong.unwrap_or_default(), "pong from 127.0.0.1:");
    assert!(l.run("kill -STOP $server").status.success());
    let out = client.finish(Duration::from_secs(20));
    assert!(l.run("kill -CONT $server").status.success());
    assert_eq!(out.status.code(), Some(1), "{}", out.all());
    let text = out.all();
    l.shows(&text, "no reply to beat");
    l.shows(&text, "(3 in a row)");
    l.shows(&text, "is dead: 3 consecutive beats unanswered");
}

#[test]
fn web_server() {
    if !require("curl") {
        return;
    }
    let l = Lesson::open("web-server");
    let made = l.run("mkdir site && echo '<h1>hi</h1>' > site/index.html");
    assert!(made.status.success(), "{}", made.all());
    let server = l.serve("nettool serve-http site -l 127.0.0.1:8080 &", "8080");
    let out = l.run("curl -si http://127.0.0.1:8080/");
    assert!(out.status.success(), "{}", out.all());
    l.shows(&out.stdout, "HTTP/1.1 200 OK");
    l.shows(&out.stdout, "Content-Length: 12");
    l.shows(&out.stdout, "<h1>hi</h1>");
    let log = server.wait_for("GET / 200", Duration::from_secs(10));
    l.shows(&log.unwrap_or_default(), "GET / 200");
}
