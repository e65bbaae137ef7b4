//! Structure read from the fuzzer's flat bytes: a cursor that never fails (an
//! exhausted input reads as zeros), so every byte string is a valid test case and
//! AFL's mutations of a control byte change one decision, not the whole parse.

/// A cursor over the test case.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Input<'a> {
        Input { data }
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next byte, or 0 past the end.
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    /// A flag: the low bit of the next byte.
    pub fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    /// Big-endian, from the next eight bytes (zeros past the end).
    pub fn u64(&mut self) -> u64 {
        (0..8).fold(0u64, |n, _| n << 8 | u64::from(self.byte()))
    }

    pub fn u16(&mut self) -> u16 {
        u16::from(self.byte()) << 8 | u16::from(self.byte())
    }

    /// Up to `n` bytes.
    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.data.split_at(n.min(self.data.len()));
        self.data = rest;
        head
    }

    /// Everything up to the next `sep` (consumed) or the end.
    pub fn until(&mut self, sep: u8) -> &'a [u8] {
        match self.data.iter().position(|&b| b == sep) {
            Some(i) => {
                let head = &self.data[..i];
                self.data = &self.data[i + 1..];
                head
            }
            None => self.rest(),
        }
    }

    /// All that is left.
    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.data)
    }
}

/// Cut `stream` into pieces whose lengths come from `cuts` (each byte `b` a piece of
/// `b + 1` bytes, cycling; no cuts: one piece) — how bytes arrive from a socket.
pub fn pieces<'a>(stream: &'a [u8], cuts: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut rest = stream;
    let mut i = 0;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let n = match cuts.get(i % cuts.len().max(1)) {
            Some(&b) => usize::from(b) + 1,
            None => rest.len(),
        };
        i += 1;
        let (piece, tail) = rest.split_at(n.min(rest.len()));
        rest = tail;
        Some(piece)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exhausted_input_reads_zeros() {
        let mut i = Input::new(&[1, 2]);
        assert_eq!(i.u16(), 0x0102);
        assert_eq!((i.byte(), i.u64(), i.rest()), (0, 0, &[][..]));
    }

    #[test]
    fn pieces_cycle_and_cover_the_stream() {
        let s: Vec<u8> = (0..10).collect();
        let p: Vec<&[u8]> = pieces(&s, &[0, 2]).collect();
        assert_eq!(p, [&[0][..], &[1, 2, 3], &[4], &[5, 6, 7], &[8], &[9]]);
        assert_eq!(pieces(&s, &[]).count(), 1);
        let mut i = Input::new(b"ab\xffcd");
        assert_eq!((i.until(0xff), i.until(0xff)), (&b"ab"[..], &b"cd"[..]));
    }
}
