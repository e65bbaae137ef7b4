//! The peers a datagram server knows: its stand-in for connections.
//!
//! UDP and Unix datagrams have no connection to open or close, so "who is talking to
//! us" is bookkeeping: a peer is *tracked* from its first datagram and *forgotten*
//! after `--idle-timeout` of silence (as a NAT or conntrack table forgets a UDP flow).
//! `--max-connections` bounds the table: a datagram from a new peer beyond it is
//! *refused* (dropped unanswered, logged), exactly as a stream server refuses a
//! connection; peers already tracked are served on.
//!
//! Without `--max-connections` the table still has a ceiling ([`DEFAULT_CEILING`]):
//! anyone can invent new UDP source addresses, and an unbounded table would be a
//! memory leak on demand. Beyond the ceiling new peers are *served untracked* —
//! answered, counted in the totals, but without a table entry — and the server warns
//! once. The table is a hash index over a slab, so a lookup per datagram is O(1) and a
//! batch refers to its peers by slab key.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use slab::Slab;

use crate::engine::stats::{Slot, Tap};
use crate::net::peer::Peer;

/// Peers tracked at most when `--max-connections` is not given.
pub const DEFAULT_CEILING: usize = 65_536;

/// What one peer did since it was first seen.
#[derive(Debug)]
pub struct PeerEntry {
    /// Its id and its place in the server's counters, given back when it is dropped.
    pub slot: Slot,
    pub peer: Peer,
    /// Counts its bytes into the server's counters and feeds `-x`, labelled with it.
    pub tap: Tap,
    pub last_seen: Instant,
    pub datagrams_in: u64,
    pub bytes_in: u64,
    pub datagrams_out: u64,
    pub bytes_out: u64,
    /// Replies that could not be sent to it.
    pub unanswered: u64,
}

impl PeerEntry {
    pub fn new(slot: Slot, peer: Peer, tap: Tap, now: Instant) -> PeerEntry {
        PeerEntry {
            slot,
            peer,
            tap,
            last_seen: now,
            datagrams_in: 0,
            bytes_in: 0,
            datagrams_out: 0,
            bytes_out: 0,
            unanswered: 0,
        }
    }

    pub fn id(&self) -> u64 {
        self.slot.id()
    }
}

/// The table's answer for a datagram's sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Tracked already, under this key.
    Known(usize),
    /// New, and there is room: [`PeerTable::insert`] it.
    Room,
    /// New, and the table is at `--max-connections`.
    Refused,
    /// New, and the table is at its default ceiling: serve it untracked.
    Full,
}

/// Tracked peers, bounded.
#[derive(Debug)]
pub struct PeerTable {
    index: HashMap<Peer, usize>,
    slots: Slab<PeerEntry>,
    /// `--max-connections`: refuse beyond.
    max: Option<usize>,
    /// Without it: track at most this many.
    ceiling: usize,
}

impl PeerTable {
    pub fn new(max: Option<usize>, ceiling: usize) -> PeerTable {
        PeerTable {
            index: HashMap::new(),
            slots: Slab::new(),
            max,
            ceiling,
        }
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Look `peer` up, or say whether it may be tracked.
    pub fn admit(&self, peer: &Peer) -> Admission {
        if let Some(&k) = self.index.get(peer) {
            return Admission::Known(k);
        }
        match self.max {
            Some(max) if self.len() >= max => Admission::Refused,
            Some(_) => Admission::Room,
            None if self.len() >= self.ceiling => Admission::Full,
            None => Admission::Room,
        }
    }

    /// Start tracking a peer [`admit`](Self::admit) found room for; returns its key.
    pub fn insert(&mut self, entry: PeerEntry) -> usize {
        let peer = entry.peer.clone();
        let k = self.slots.insert(entry);
        self.index.insert(peer, k);
        k
    }

    pub fn get_mut(&mut self, k: usize) -> Option<&mut PeerEntry> {
        self.slots.get_mut(k)
    }

    /// Forget the peers silent for `idle` or longer at `now`.
    pub fn expire(&mut self, now: Instant, idle: Duration) -> Vec<PeerEntry> {
        let old: Vec<usize> = self
            .slots
            .iter()
            .filter(|(_, e)| now.saturating_duration_since(e.last_seen) >= idle)
            .map(|(k, _)| k)
            .collect();
        old.into_iter().map(|k| self.remove(k)).collect()
    }

    /// Forget every peer (the server stops).
    pub fn drain(&mut self) -> Vec<PeerEntry> {
        self.index.clear();
        self.slots.drain().collect()
    }

    fn remove(&mut self, k: usize) -> PeerEntry {
        let e = self.slots.remove(k);
        self.index.remove(&e.peer);
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(port: u16) -> Peer {
        Peer::Inet(([127, 0, 0, 1], port).into())
    }

    fn slot() -> Slot {
        std::sync::Arc::new(crate::engine::stats::Counters::default())
            .admit(None)
            .unwrap()
    }

    fn track(t: &mut PeerTable, port: u16, now: Instant) -> usize {
        assert_eq!(t.admit(&peer(port)), Admission::Room, "port {port}");
        t.insert(PeerEntry::new(slot(), peer(port), Tap::detached(), now))
    }

    #[test]
    fn max_connections_refuses_new_peers_only() {
        let now = Instant::now();
        let mut t = PeerTable::new(Some(2), DEFAULT_CEILING);
        let a = track(&mut t, 1, now);
        let b = track(&mut t, 2, now);
        assert_ne!(a, b);
        assert_eq!(t.admit(&peer(3)), Admission::Refused);
        // The two tracked peers are still served.
        assert_eq!(t.admit(&peer(1)), Admission::Known(a));
        assert_eq!(t.admit(&peer(2)), Admission::Known(b));
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn the_default_ceiling_serves_untracked_instead_of_refusing() {
        let now = Instant::now();
        let mut t = PeerTable::new(None, 2);
        track(&mut t, 1, now);
        track(&mut t, 2, now);
        assert_eq!(t.admit(&peer(3)), Admission::Full);
    }

    #[test]
    fn idle_peers_are_forgotten_and_make_room() {
        let start = Instant::now();
        let mut t = PeerTable::new(Some(2), DEFAULT_CEILING);
        track(&mut t, 1, start);
        let b = track(&mut t, 2, start);
        let idle = Duration::from_secs(10);
        // Peer 2 spoke again at +8 s; at +12 s only peer 1 has been silent for 10 s.
        t.get_mut(b).unwrap().last_seen = start + Duration::from_secs(8);
        assert!(t.expire(start + Duration::from_secs(9), idle).is_empty());
        let gone = t.expire(start + Duration::from_secs(12), idle);
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].peer, peer(1));
        assert_eq!(t.admit(&peer(1)), Admission::Room, "forgotten, then new");
        assert_eq!(t.admit(&peer(2)), Admission::Known(b));
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn unix_peers_differ_by_name_and_by_credentials() {
        use crate::net::peer::PeerCred;
        use crate::net::peer::UnixName;
        let unnamed = |pid| Peer::Unix {
            name: UnixName::Unnamed,
            cred: Some(PeerCred {
                pid,
                uid: 0,
                gid: 0,
            }),
        };
        let now = Instant::now();
        let mut t = PeerTable::new(None, DEFAULT_CEILING);
        for p in [unnamed(1), unnamed(2)] {
            assert_eq!(t.admit(&p), Admission::Room);
            t.insert(PeerEntry::new(slot(), p, Tap::detached(), now));
        }
        assert_eq!(t.len(), 2, "two unnamed processes are two peers");
        assert!(matches!(t.admit(&unnamed(1)), Admission::Known(_)));
        assert_eq!(t.drain().len(), 2);
        assert!(t.is_empty() && t.admit(&unnamed(1)) == Admission::Room);
    }
}
