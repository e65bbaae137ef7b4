//! What the kernel keeps inside a socket, beyond its queues: the TCP machine's own
//! figures (`struct tcp_info`, `-i`) and the socket's memory accounting (`skmem`, `-m`).
//!
//! Both arrive as raw attributes of a sock_diag record — `INET_DIAG_INFO` is a copy of
//! `struct tcp_info` (include/uapi/linux/tcp.h), `INET_DIAG_SKMEMINFO` and
//! `UNIX_DIAG_MEMINFO` an array of `u32` indexed by `SK_MEMINFO_*`
//! (include/uapi/linux/sock_diag.h). Both only ever grow at the end, so a field is
//! shown only when the kernel's copy is long enough to hold it: an older kernel gives a
//! shorter struct, and a missing field is absent, never a made-up 0. The table text
//! uses `ss`'s words (`skmem:(r0,rb131072,…)`, `snd_wnd:65536`) so the two tools read
//! alike.

use serde::Serialize;

/// The parts of the kernel's `struct tcp_info` (`TCP_INFO`, tcp(7)) that `-i` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TcpInfo {
    /// Congestion control algorithm (`INET_DIAG_CONG`).
    pub congestion: Option<String>,
    /// Smoothed round-trip time and its variance, microseconds.
    pub rtt_us: u32,
    pub rttvar_us: u32,
    /// Retransmission timeout, microseconds.
    pub rto_us: u32,
    /// Congestion window and slow-start threshold, in segments.
    pub cwnd: u32,
    pub ssthresh: u32,
    pub mss: u32,
    /// Segments currently being retransmitted / retransmitted over the lifetime.
    pub retrans: u32,
    pub total_retrans: u32,
    pub bytes_sent: u64,
    pub bytes_acked: u64,
    pub bytes_received: u64,
    /// The MSS this end advertised to the peer in its SYN (`tcpi_advmss`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advmss: Option<u32>,
    /// How much the receiver lets the window grow to: its estimate of what the
    /// application drains per round trip (`tcpi_rcv_space`, receive buffer autotuning).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rcv_space: Option<u32>,
    /// The window the peer last advertised, in bytes: how much more we may send
    /// unacknowledged (`tcpi_snd_wnd`, Linux 5.4+). 0 is a zero window: the peer's
    /// receive buffer is full.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snd_wnd: Option<u32>,
    /// The window this end last advertised to the peer (`tcpi_rcv_wnd`, Linux 6.2+).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rcv_wnd: Option<u32>,
}

fn read_u32(b: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(off..off + 4)?.try_into().ok()?))
}

fn read_u64(b: &[u8], off: usize) -> Option<u64> {
    Some(u64::from_ne_bytes(b.get(off..off + 8)?.try_into().ok()?))
}

/// Pick fields out of a raw `struct tcp_info`. The fields every kernel since 2.6 has
/// read as 0 when absent; the window fields, added late, are `None` past the end.
pub fn tcp_info(b: &[u8]) -> TcpInfo {
    let u = |off| read_u32(b, off).unwrap_or(0);
    let ul = |off| read_u64(b, off).unwrap_or(0);
    TcpInfo {
        congestion: None,
        rto_us: u(8),
        mss: u(16),
        retrans: u(36),
        rtt_us: u(68),
        rttvar_us: u(72),
        ssthresh: u(76),
        cwnd: u(80),
        advmss: read_u32(b, 84),
        rcv_space: read_u32(b, 96),
        total_retrans: u(100),
        bytes_acked: ul(120),
        bytes_received: ul(128),
        bytes_sent: ul(200),
        snd_wnd: read_u32(b, 228),
        rcv_wnd: read_u32(b, 232),
    }
}

/// `-i` as ss -i words it: `cubic rtt:0.05/0.025 … advmss:65483 rcv_space:65483
/// snd_wnd:65536 rcv_wnd:65536`.
pub fn tcp_info_text(i: &TcpInfo) -> String {
    let mut t = String::new();
    if let Some(c) = &i.congestion {
        t.push_str(c);
        t.push(' ');
    }
    t.push_str(&format!(
        "rtt:{:.3}/{:.3} rto:{} mss:{} cwnd:{} ssthresh:{} bytes_sent:{} bytes_acked:{} \
         bytes_received:{} retrans:{}/{}",
        i.rtt_us as f64 / 1000.0,
        i.rttvar_us as f64 / 1000.0,
        i.rto_us / 1000,
        i.mss,
        i.cwnd,
        i.ssthresh,
        i.bytes_sent,
        i.bytes_acked,
        i.bytes_received,
        i.retrans,
        i.total_retrans
    ));
    for (word, v) in [
        ("advmss", i.advmss),
        ("rcv_space", i.rcv_space),
        ("snd_wnd", i.snd_wnd),
        ("rcv_wnd", i.rcv_wnd),
    ] {
        if let Some(v) = v {
            t.push_str(&format!(" {word}:{v}"));
        }
    }
    t
}

/// A socket's memory as the kernel accounts it (`sk_meminfo`, `ss -m`), in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SkMem {
    /// `r`: bytes held by the receive queue (`sk_rmem_alloc`), skb overhead included.
    pub rmem_alloc: u32,
    /// `rb`: the most the receive queue may hold (`sk_rcvbuf`, SO_RCVBUF as granted).
    pub rcvbuf: u32,
    /// `t`: bytes of sent packets not yet freed by the device (`sk_wmem_alloc`).
    pub wmem_alloc: u32,
    /// `tb`: the most the send queue may hold (`sk_sndbuf`, SO_SNDBUF as granted).
    pub sndbuf: u32,
    /// `f`: memory reserved for the socket but not in use yet (`sk_forward_alloc`).
    pub fwd_alloc: u32,
    /// `w`: bytes queued to send, unsent or unacknowledged (`sk_wmem_queued`).
    pub wmem_queued: u32,
    /// `o`: option memory (`sk_omem_alloc`: multicast memberships, filters, MD5 keys).
    pub optmem: u32,
    /// `bl`: packets that arrived while the application held the socket lock.
    pub backlog: u32,
    /// `d`: packets dropped (a full receive buffer, a filter). Absent before Linux 4.7.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drops: Option<u32>,
}

/// Parse the `u32` array of `INET_DIAG_SKMEMINFO` / `UNIX_DIAG_MEMINFO`; `None` when
/// even the eight fields every kernel with the attribute sends are not there.
pub fn skmem(b: &[u8]) -> Option<SkMem> {
    let u = |i: usize| read_u32(b, i * 4);
    Some(SkMem {
        rmem_alloc: u(0)?,
        rcvbuf: u(1)?,
        wmem_alloc: u(2)?,
        sndbuf: u(3)?,
        fwd_alloc: u(4)?,
        wmem_queued: u(5)?,
        optmem: u(6)?,
        backlog: u(7)?,
        drops: u(8),
    })
}

/// `skmem:(r0,rb131072,t0,tb2626560,f0,w0,o0,bl0,d0)`, as ss -m prints it.
pub fn skmem_text(m: &SkMem) -> String {
    let mut t = format!(
        "skmem:(r{},rb{},t{},tb{},f{},w{},o{},bl{}",
        m.rmem_alloc,
        m.rcvbuf,
        m.wmem_alloc,
        m.sndbuf,
        m.fwd_alloc,
        m.wmem_queued,
        m.optmem,
        m.backlog
    );
    if let Some(d) = m.drops {
        t.push_str(&format!(",d{d}"));
    }
    t.push(')');
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(b: &mut [u8], off: usize, v: u32) {
        b[off..off + 4].copy_from_slice(&v.to_ne_bytes());
    }

    #[test]
    fn tcp_info_reads_known_offsets_and_tolerates_short_structs() {
        let mut b = vec![0u8; 240];
        put(&mut b, 68, 1234);
        put(&mut b, 80, 10);
        put(&mut b, 84, 65483);
        put(&mut b, 96, 65000);
        put(&mut b, 228, 0);
        put(&mut b, 232, 43690);
        b[200..208].copy_from_slice(&99u64.to_ne_bytes());
        let i = tcp_info(&b);
        assert_eq!((i.rtt_us, i.cwnd, i.bytes_sent), (1234, 10, 99));
        assert_eq!(
            (i.advmss, i.rcv_space, i.snd_wnd, i.rcv_wnd),
            (Some(65483), Some(65000), Some(0), Some(43690))
        );
        // A 5.4 kernel's struct ends after snd_wnd; a 4.x one before it.
        let v54 = tcp_info(&b[..232]);
        assert_eq!((v54.snd_wnd, v54.rcv_wnd), (Some(0), None));
        let short = tcp_info(&b[..104]);
        assert_eq!((short.rtt_us, short.bytes_sent), (1234, 0));
        assert_eq!((short.rcv_space, short.snd_wnd), (Some(65000), None));
    }

    #[test]
    fn tcp_info_text_uses_ss_words_and_leaves_out_what_is_missing() {
        let mut b = vec![0u8; 236];
        put(&mut b, 84, 65483);
        put(&mut b, 96, 65483);
        put(&mut b, 228, 65536);
        put(&mut b, 232, 65536);
        let t = tcp_info_text(&tcp_info(&b));
        assert!(
            t.ends_with(" advmss:65483 rcv_space:65483 snd_wnd:65536 rcv_wnd:65536"),
            "{t}"
        );
        let t = tcp_info_text(&tcp_info(&b[..104]));
        assert!(
            !t.contains("snd_wnd") && t.contains("rcv_space:65483"),
            "{t}"
        );
        let json = serde_json::to_value(tcp_info(&b[..104])).unwrap();
        assert!(json.get("snd_wnd").is_none() && json["advmss"] == 65483);
    }

    #[test]
    fn skmem_reads_the_array_in_kernel_order() {
        let vals: Vec<u8> = [5u32, 131072, 0, 2626560, 4096, 7, 0, 1, 3]
            .iter()
            .flat_map(|v| v.to_ne_bytes())
            .collect();
        let m = skmem(&vals).unwrap();
        assert_eq!(
            skmem_text(&m),
            "skmem:(r5,rb131072,t0,tb2626560,f4096,w7,o0,bl1,d3)"
        );
        let old = skmem(&vals[..32]).unwrap();
        assert_eq!(old.drops, None);
        assert!(skmem_text(&old).ends_with(",bl1)"));
        assert!(skmem(&vals[..28]).is_none());
    }
}
