//! Tests of `conn.rs`.
use super::*;
use crate::engine::service::{ConnInfo, OutItem, ServiceFactory};
use crate::output::{Output, Verbosity};
use crate::proto::http::{HttpFactory, HttpOptions, fs};

fn conn(dir: &std::path::Path) -> HttpConn {
    conn_with(dir, HttpOptions::default())
}

fn conn_with(dir: &std::path::Path, opts: HttpOptions) -> HttpConn {
    let root = fs::Root::new(dir, false, false).unwrap();
    let f = HttpFactory::new(root, opts, Output::new(false, Verbosity::Quiet));
    f.open(&ConnInfo::loopback(1))
}

fn text(out: &Outbox) -> String {
    match out.front() {
        Some(OutItem::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn pipelined_requests_wait_for_the_window() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("a"), "x").unwrap();
    let mut c = conn(d.path());
    let mut out = Outbox::default();
    let one = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
    let many = one.repeat(PIPELINE_RESPONSES + 4);
    assert_eq!(c.on_data(many.as_bytes(), &mut out), Verdict::Keep);
    assert_eq!(c.in_window, PIPELINE_RESPONSES);
    assert!(c.deadline().is_none(), "sending: no header clock");
    out.clear();
    assert_eq!(c.on_flushed(&mut out), Verdict::Keep);
    assert_eq!(c.in_window, 4);
    out.clear();
    assert_eq!(c.on_flushed(&mut out), Verdict::Keep);
    assert!(out.is_empty() && c.deadline().is_some());
}

#[test]
fn half_close_after_a_flood_is_bounded() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("a"), "x").unwrap();
    let mut c = conn(d.path());
    let mut out = Outbox::default();
    let flood = "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".repeat(1000);
    c.on_data(flood.as_bytes(), &mut out);
    out.clear();
    c.in_window = 0;
    assert_eq!(c.on_eof(&mut out), Verdict::Close);
    assert_eq!(c.in_window, EOF_WINDOW.0);
}

#[test]
fn a_small_body_is_skipped_and_the_connection_kept() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("a"), "x").unwrap();
    let mut c = conn(d.path());
    let mut out = Outbox::default();
    let v = c.on_data(
        b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234",
        &mut out,
    );
    assert_eq!(v, Verdict::Keep);
    assert!(text(&out).starts_with("HTTP/1.1 405 "));
    out.clear();
    c.on_flushed(&mut out);
    assert!(c.deadline().is_none(), "reading a body: no header clock");
    let v = c.on_data(b"56789GET /a HTTP/1.1\r\nHost: x\r\n\r\n", &mut out);
    assert_eq!(v, Verdict::Keep);
    assert!(text(&out).starts_with("HTTP/1.1 200 "), "{}", text(&out));
    let mut out = Outbox::default();
    let big = format!(
        "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        MAX_SKIPPED_BODY + 1
    );
    assert_eq!(c.on_data(big.as_bytes(), &mut out), Verdict::Close);
    assert!(text(&out).contains("Connection: close"));
}

#[test]
fn a_chunked_body_is_read_through_in_pieces() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("a"), "x").unwrap();
    let mut c = conn(d.path());
    let mut out = Outbox::default();
    let raw = b"POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n";
    for piece in raw.chunks(3) {
        assert_eq!(c.on_data(piece, &mut out), Verdict::Keep);
    }
    let mut all = Vec::new();
    while let Some(OutItem::Bytes(b)) = out.front() {
        all.extend_from_slice(b);
        let n = b.len() as u64;
        out.consume(n);
    }
    let all = String::from_utf8_lossy(&all);
    assert!(all.starts_with("HTTP/1.1 405 "), "{all}");
    assert!(all.contains("HTTP/1.1 200 "), "{all}");
    // An endless chunked body is not discarded forever.
    let mut c = conn(d.path());
    let mut out = Outbox::default();
    c.on_data(
        b"POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        &mut out,
    );
    let chunk = format!("{:x}\r\n{}\r\n", 60_000, "z".repeat(60_000));
    assert_eq!(c.on_data(chunk.as_bytes(), &mut out), Verdict::Keep);
    assert_eq!(c.on_data(chunk.as_bytes(), &mut out), Verdict::Close);
}

#[test]
fn encoded_bodies_are_file_ranges_for_sendfile() {
    // Past the small-file bound, so nothing is kept in memory.
    let big = super::super::entry::SMALL_FILE as usize + 1000;
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("a.js"), "x".repeat(big)).unwrap();
    std::fs::write(d.path().join("a.js.br"), vec![1u8; big - 500]).unwrap();
    let opts = HttpOptions {
        precompressed: true,
        compress: Some(1 << 20),
        ..HttpOptions::default()
    };
    let mut c = conn_with(d.path(), opts);
    let mut body_of = |ae: &str| {
        let mut out = Outbox::default();
        let req = format!("GET /a.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: {ae}\r\n\r\n");
        c.on_data(req.as_bytes(), &mut out);
        let head_len = out.front().map_or(0, |i| i.len());
        out.consume(head_len);
        let body = match out.front() {
            Some(OutItem::File { len, .. }) => *len,
            other => panic!("{ae}: the body is not a file range: {other:?}"),
        };
        c.on_flushed(&mut Outbox::default());
        body
    };
    assert_eq!(
        body_of("br") as usize,
        big - 500,
        "the sibling, by sendfile"
    );
    let gz = body_of("gzip");
    assert!(gz < 1000, "gzip made on the fly, sent from its memfd: {gz}");
    assert_eq!(body_of("identity") as usize, big);
}

#[test]
fn a_remembered_small_file_is_one_buffer_with_its_head() {
    let d = tempfile::tempdir().unwrap();
    let body: Vec<u8> = (0..1024u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(d.path().join("1k.bin"), &body).unwrap();
    let big = vec![3u8; super::super::entry::SMALL_FILE as usize + 1];
    std::fs::write(d.path().join("big.bin"), &big).unwrap();
    let items = |cache: bool, path: &str| {
        let mut c = conn_with(
            d.path(),
            HttpOptions {
                cache,
                ..HttpOptions::default()
            },
        );
        // The first request makes the entry, the second is answered from it.
        let mut out = Outbox::default();
        for _ in 0..2 {
            out = Outbox::default();
            let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
            c.on_data(req.as_bytes(), &mut out);
            c.on_flushed(&mut Outbox::default());
        }
        let mut kinds = Vec::new();
        while let Some(item) = out.front() {
            kinds.push(match item {
                OutItem::Bytes(b) => format!("bytes {}", b.len()),
                OutItem::File { len, .. } => format!("file {len}"),
            });
            let n = item.len();
            out.consume(n);
        }
        kinds
    };
    let one = items(true, "/1k.bin");
    assert_eq!(one.len(), 1, "head and body in one buffer: {one:?}");
    let mut out = Outbox::default();
    let mut c = conn(d.path());
    c.on_data(b"GET /1k.bin HTTP/1.1\r\nHost: x\r\n\r\n", &mut out);
    c.on_flushed(&mut Outbox::default());
    c.on_data(b"GET /1k.bin HTTP/1.1\r\nHost: x\r\n\r\n", &mut out);
    let Some(OutItem::Bytes(b)) = out.front() else {
        panic!("{:?}", out.front())
    };
    assert!(
        b.ends_with(&body) && b.starts_with(b"HTTP/1.1 200 "),
        "{b:?}"
    );
    // --no-cache opens the file per request; a large file stays on sendfile.
    assert_eq!(items(false, "/1k.bin")[1], "file 1024");
    assert_eq!(items(true, "/big.bin")[1], format!("file {}", big.len()));
}

#[test]
fn bad_request_closes() {
    let d = tempfile::tempdir().unwrap();
    let mut c = conn(d.path());
    let mut out = Outbox::default();
    assert_eq!(
        c.on_data(b"GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", &mut out),
        Verdict::Keep
    );
    assert!(text(&out).starts_with("HTTP/1.1 400 "), "{}", text(&out));
    let mut out = Outbox::default();
    assert_eq!(c.on_data(b"GARBAGE\0\r\n\r\n", &mut out), Verdict::Close);
    assert!(text(&out).contains("Connection: close"));
}

#[test]
fn a_turn_of_many_reads_past_the_cap_is_answered_not_closed() {
    // io_uring may hand one connection many buffers in one turn: a PUT head with
    // more body than MAX_BUFFERED must reach its upload, not close the connection.
    let d = tempfile::tempdir().unwrap();
    let opts = HttpOptions {
        upload: Some(super::super::upload::UploadOptions {
            max: 1 << 20,
            overwrite: false,
        }),
        ..HttpOptions::default()
    };
    let mut c = conn_with(d.path(), opts);
    let mut out = Outbox::default();
    let len = 2 * MAX_BUFFERED;
    let head = format!("PUT /up.bin HTTP/1.1\r\nHost: x\r\nContent-Length: {len}\r\n\r\n");
    assert_eq!(c.on_data_batched(head.as_bytes(), &mut out), Verdict::Keep);
    let piece = vec![7u8; 64 * 1024];
    for _ in 0..len / piece.len() {
        assert_eq!(c.on_data_batched(&piece, &mut out), Verdict::Keep);
        assert!(c.buf.len() <= MAX_BUFFERED + piece.len(), "{}", c.buf.len());
    }
    assert_eq!(c.on_turn_end(&mut out), Verdict::Keep);
    assert!(text(&out).starts_with("HTTP/1.1 201 "), "{}", text(&out));
    assert_eq!(std::fs::read(d.path().join("up.bin")).unwrap().len(), len);
}
