//! The `-x/--hexdump` format (`net::hexdump`): any bytes rendered under any header
//! label the recorders write (a time, `conn N`, `peer ADDR` — and a peer label is
//! whatever the kernel says a Unix peer is called), then parsed back; and any text
//! parsed.
//!
//! Invariants: a dump parses back to exactly the chunks that were dumped, in order,
//! with their directions; parsing arbitrary text never panics, and whatever it
//! accepts renders to a dump that parses back to the same chunks.
//!
//! Input: a direction byte, then `0xff`-separated label and data; the whole input
//! is also parsed as text.

use nettool::net::hexdump::{Direction, parse, render};
use nettool_fuzz::input::Input;

fn check(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(chunks) = parse(text)
    {
        let again: String = chunks.iter().map(|(d, b)| render(*d, b, "T")).collect();
        assert_eq!(parse(&again).as_ref(), Ok(&chunks), "re-rendered {text:?}");
    }
    let mut input = Input::new(data);
    let dirs = input.byte();
    let label = String::from_utf8_lossy(input.until(0xff)).into_owned();
    let bytes = input.rest();
    let dir = |i: u8| {
        if dirs >> (i % 8) & 1 == 1 {
            Direction::Sent
        } else {
            Direction::Received
        }
    };
    let times = [
        "2026-11-29T02:10:00.123Z".to_string(),
        format!(
            "2026-11-29T02:10:00.123Z conn {}",
            u64::from(dirs) * 1_000_003
        ),
        format!("2026-11-29T02:10:00.123Z peer {label}"),
    ];
    // Two chunks, to see the boundary survive.
    let (a, b) = bytes.split_at(bytes.len() / 2);
    let time = &times[usize::from(dirs % 3)];
    let text = render(dir(0), a, time) + &render(dir(1), b, time);
    let back = parse(&text).unwrap_or_else(|e| panic!("{e}: {text:?}"));
    assert_eq!(
        back,
        vec![(dir(0), a.to_vec()), (dir(1), b.to_vec())],
        "{text:?}"
    );
}

fn main() {
    afl::fuzz!(|data: &[u8]| check(data));
}
