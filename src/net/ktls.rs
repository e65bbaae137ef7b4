//! Kernel TLS (tls(7)): once a handshake done in user space has produced the traffic
//! keys, the kernel can take over the record layer — `setsockopt(fd, SOL_TCP,
//! TCP_ULP, "tls")` attaches the TLS "upper layer protocol" to an established TCP
//! socket, then `setsockopt(fd, SOL_TLS, TLS_TX, &crypto_info)` (and `TLS_RX`) hands
//! it the key, IV, salt and record sequence number of each direction. From then on
//! plain `write(2)` and `sendfile(2)` go out as encrypted records, and `read(2)` returns
//! decrypted application data.
//!
//! Not every kernel has it (`CONFIG_TLS`, the `tls` module; `/proc/net/tls_stat`
//! exists once it is loaded). The calls take the raw descriptor a connection layer
//! was told of ([`crate::engine::service::ConnInfo::fd`]). [`probe`] asks without a connection: attaching the ULP
//! to an unconnected socket fails with `ENOTCONN` when the kernel knows "tls" and
//! with `ENOENT` when it does not.

use std::io;
use std::os::fd::{AsRawFd, RawFd};

use socket2::{Domain, Socket, Type};

use super::trace;

/// The record keys of one direction, as the kernel takes them.
#[derive(Clone, Copy)]
pub enum CryptoInfo {
    AesGcm128(libc::tls12_crypto_info_aes_gcm_128),
    AesGcm256(libc::tls12_crypto_info_aes_gcm_256),
    Chacha20Poly1305(libc::tls12_crypto_info_chacha20_poly1305),
}

impl CryptoInfo {
    /// The C name of the cipher, for `--explain`.
    pub fn cipher_name(&self) -> &'static str {
        match self {
            CryptoInfo::AesGcm128(_) => "TLS_CIPHER_AES_GCM_128",
            CryptoInfo::AesGcm256(_) => "TLS_CIPHER_AES_GCM_256",
            CryptoInfo::Chacha20Poly1305(_) => "TLS_CIPHER_CHACHA20_POLY1305",
        }
    }

    fn as_bytes(&self) -> (*const libc::c_void, libc::socklen_t) {
        fn raw<T>(v: &T) -> (*const libc::c_void, libc::socklen_t) {
            (
                (v as *const T).cast(),
                std::mem::size_of::<T>() as libc::socklen_t,
            )
        }
        match self {
            CryptoInfo::AesGcm128(i) => raw(i),
            CryptoInfo::AesGcm256(i) => raw(i),
            CryptoInfo::Chacha20Poly1305(i) => raw(i),
        }
    }
}

impl std::fmt::Debug for CryptoInfo {
    /// Never prints the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.cipher_name())
    }
}

/// Which direction a key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Tx,
    Rx,
}

fn setsockopt(
    fd: RawFd,
    level: libc::c_int,
    name: libc::c_int,
    (ptr, len): (*const libc::c_void, libc::socklen_t),
) -> io::Result<()> {
    // SAFETY: setsockopt(2) only reads `len` bytes at `ptr`, which the caller's
    // reference keeps alive for the call; a descriptor that is not (or no longer) a
    // socket makes it fail with EBADF/ENOTSOCK, nothing worse.
    let rc = unsafe { libc::setsockopt(fd, level, name, ptr, len) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// `setsockopt(fd, SOL_TCP, TCP_ULP, "tls")`: attach the kernel's TLS layer.
pub fn attach(fd: RawFd) -> io::Result<()> {
    const NAME: &[u8] = b"tls";
    trace::call(
        "setsockopt",
        || {
            vec![
                fd.to_string(),
                "SOL_TCP".into(),
                "TCP_ULP".into(),
                "\"tls\"".into(),
            ]
        },
        || {
            setsockopt(
                fd,
                libc::SOL_TCP,
                libc::TCP_ULP,
                (NAME.as_ptr().cast(), NAME.len() as libc::socklen_t),
            )
        },
    )
}

/// `setsockopt(fd, SOL_TLS, TLS_TX or TLS_RX, &crypto_info)`: hand the kernel one
/// direction's keys.
pub fn set_keys(fd: RawFd, dir: Direction, info: &CryptoInfo) -> io::Result<()> {
    let (name, label) = match dir {
        Direction::Tx => (libc::TLS_TX, "TLS_TX"),
        Direction::Rx => (libc::TLS_RX, "TLS_RX"),
    };
    trace::call(
        "setsockopt",
        || {
            vec![
                fd.to_string(),
                "SOL_TLS".into(),
                label.into(),
                format!("{{{}, key, iv, salt, rec_seq}}", info.cipher_name()),
            ]
        },
        || setsockopt(fd, libc::SOL_TLS, name, info.as_bytes()),
    )
}

/// Whether this kernel has TLS, asked with a throw-away unconnected TCP socket.
pub fn probe() -> Result<(), String> {
    let sock = Socket::new(Domain::IPV4, Type::STREAM, None).map_err(|e| {
        format!(
            "cannot create a socket to probe kernel TLS: {}",
            crate::os_error::describe(&e)
        )
    })?;
    match attach(sock.as_raw_fd()) {
        // Attached to a socket that is not connected: the kernel knows "tls".
        Err(e) if e.raw_os_error() == Some(libc::ENOTCONN) => Ok(()),
        Ok(()) => Ok(()),
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => Err(
            "this kernel has no TLS support (CONFIG_TLS; try `modprobe tls`, then /proc/net/tls_stat exists)"
                .into(),
        ),
        Err(e) => Err(format!(
            "TCP_ULP \"tls\" refused: {}",
            crate::os_error::describe(&e)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_answers_one_way_or_the_other() {
        // Either the kernel has TLS (Ok) or the reason names the missing piece.
        if let Err(why) = probe() {
            assert!(
                why.contains("CONFIG_TLS") || why.contains("refused"),
                "{why}"
            );
        }
    }

    #[test]
    fn crypto_info_sizes_match_the_kernel_abi() {
        // uapi/linux/tls.h: 2 + 2 + iv + key + salt + rec_seq.
        assert_eq!(
            std::mem::size_of::<libc::tls12_crypto_info_aes_gcm_128>(),
            4 + 8 + 16 + 4 + 8
        );
        assert_eq!(
            std::mem::size_of::<libc::tls12_crypto_info_aes_gcm_256>(),
            4 + 8 + 32 + 4 + 8
        );
        assert_eq!(
            std::mem::size_of::<libc::tls12_crypto_info_chacha20_poly1305>(),
            4 + 12 + 32 + 8
        );
    }
}
