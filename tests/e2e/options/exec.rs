//! Rows for `--exec` / `--sh-exec` on the four netcat ends: the peer the test holds
//! talks to the child (a `tr` that upper-cases what it reads).

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::net::{UnixListener, UnixStream};

use super::Row;
use super::fixtures::*;
use crate::util::Server;

macro_rules! exec_rows {
    ($cmd:literal, $end:expr) => {
        super::rows!($cmd:
            "--exec" => || talks($end, &["--exec", "tr a-z A-Z"]),
            "--sh-exec" => || talks($end, &["--sh-exec", "tr a-z A-Z | tr A B"]),
        )
    };
}

pub fn rows() -> Vec<Row> {
    [
        exec_rows!("tcp-echo connect", End::TcpConnect),
        exec_rows!("tcp-echo listen", End::TcpListen),
        exec_rows!("unix connect", End::UnixConnect),
        exec_rows!("unix listen", End::UnixListen),
    ]
    .concat()
}

#[derive(Clone, Copy)]
enum End {
    TcpConnect,
    TcpListen,
    UnixConnect,
    UnixListen,
}

/// Send "abc", half-close, read the child's answer: `ABC` through `tr`, `BBC` when
/// the shell pipeline ran too.
fn talks(end: End, args: &[&str]) {
    let want = if args[0] == "--exec" { "ABC" } else { "BBC" };
    let (dir, path) = temp_path("e.sock");
    let got = match end {
        End::TcpConnect => {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = l.local_addr().unwrap().to_string();
            let mut c = cmd(&[&["tcp-echo", "connect", &addr][..], args].concat())
                .spawn()
                .unwrap();
            let (s, _) = l.accept().unwrap();
            let got = tcp_round(s);
            assert!(c.wait().unwrap().success());
            got
        }
        End::TcpListen => {
            let server =
                Server::start(&[&["tcp-echo", "listen", "-l", "127.0.0.1:0"][..], args].concat());
            tcp_round(TcpStream::connect(&server.addr).unwrap())
        }
        End::UnixConnect => {
            let l = UnixListener::bind(&path).unwrap();
            let mut c = cmd(&[&["unix", "connect", &path][..], args].concat())
                .spawn()
                .unwrap();
            let (s, _) = l.accept().unwrap();
            let got = unix_round(s);
            assert!(c.wait().unwrap().success());
            got
        }
        End::UnixListen => {
            let _server = Server::start(&[&["unix", "listen", &path][..], args].concat());
            unix_round(UnixStream::connect(&path).unwrap())
        }
    };
    drop(dir);
    assert_eq!(got, want, "{args:?}");
}

/// Send "abc", half-close, read the answer to EOF.
fn round<S>(mut s: S, shut_write: fn(&S) -> std::io::Result<()>) -> String
where
    for<'a> &'a S: Read + Write,
{
    (&s).write_all(b"abc").unwrap();
    shut_write(&s).unwrap();
    let mut got = String::new();
    (&mut &s).read_to_string(&mut got).unwrap();
    let _ = &mut s;
    got
}

fn tcp_round(s: TcpStream) -> String {
    round(s, |s| s.shutdown(Shutdown::Write))
}

fn unix_round(s: UnixStream) -> String {
    round(s, |s| s.shutdown(Shutdown::Write))
}
