//! Handing a connection's record layer to the kernel after the handshake (`--ktls`):
//! rustls gives up the traffic secrets of both directions with their record
//! sequence numbers (`dangerous_extract_secrets`, allowed by the server config's
//! `enable_secret_extraction`), they become the kernel's `tls12_crypto_info_*`
//! structures, and [`crate::net::ktls`] makes the two `setsockopt` calls. From then
//! on the socket carries plaintext as far as nettool is concerned, so HTTP's file
//! bodies go out with `sendfile(2)` again and the kernel encrypts them on the way.
//!
//! Which: TLS 1.3 only. Its record nonces are the IV XOR the sequence number on both
//! sides; TLS 1.2's AES-GCM explicit nonces are derived differently by rustls and by
//! the kernel, and continuing one's sequence with the other's could repeat a nonce.
//!
//! When: only once everything rustls queued has been handed to the socket (the
//! kernel must not encrypt records that already are) and everything read so far ends
//! at a record boundary (the kernel cannot decrypt half a record that user space has
//! already taken off the socket). After that, records the kernel does not decrypt
//! for us (the peer's `close_notify`, an alert, a TLS 1.3 KeyUpdate) make `read(2)`
//! fail with `EIO`, which the layer reads as the end of the peer's stream
//! ([`Service::read_error_is_eof`](crate::engine::service::Service::read_error_is_eof)):
//! what is queued is still sent. A `close_notify` from us is not sent.

use std::os::fd::RawFd;

use rustls::{ConnectionTrafficSecrets, ProtocolVersion};

use crate::net::ktls::{CryptoInfo, Direction, attach, set_keys};
use crate::os_error::describe;

/// The kernel's description of one direction's keys.
pub fn crypto_info(
    version: ProtocolVersion,
    seq: u64,
    secrets: &ConnectionTrafficSecrets,
) -> Result<CryptoInfo, String> {
    let version = match version {
        ProtocolVersion::TLSv1_2 => libc::TLS_1_2_VERSION,
        ProtocolVersion::TLSv1_3 => libc::TLS_1_3_VERSION,
        other => return Err(format!("kernel TLS does not do {other:?}")),
    };
    let rec_seq = seq.to_be_bytes();
    // AES-GCM's 12-byte nonce base is a 4-byte salt and an 8-byte IV for the kernel
    // (TLS 1.2: the implicit part and the first explicit nonce; TLS 1.3: the static IV
    // split the same way); ChaCha20-Poly1305 takes all 12 as its IV.
    let info = |cipher_type| libc::tls_crypto_info {
        version,
        cipher_type,
    };
    Ok(match secrets {
        ConnectionTrafficSecrets::Aes128Gcm { key, iv } => {
            CryptoInfo::AesGcm128(libc::tls12_crypto_info_aes_gcm_128 {
                info: info(libc::TLS_CIPHER_AES_GCM_128),
                iv: bytes(&iv.as_ref()[4..]),
                key: bytes(key.as_ref()),
                salt: bytes(&iv.as_ref()[..4]),
                rec_seq,
            })
        }
        ConnectionTrafficSecrets::Aes256Gcm { key, iv } => {
            CryptoInfo::AesGcm256(libc::tls12_crypto_info_aes_gcm_256 {
                info: info(libc::TLS_CIPHER_AES_GCM_256),
                iv: bytes(&iv.as_ref()[4..]),
                key: bytes(key.as_ref()),
                salt: bytes(&iv.as_ref()[..4]),
                rec_seq,
            })
        }
        ConnectionTrafficSecrets::Chacha20Poly1305 { key, iv } => {
            CryptoInfo::Chacha20Poly1305(libc::tls12_crypto_info_chacha20_poly1305 {
                info: info(libc::TLS_CIPHER_CHACHA20_POLY1305),
                iv: bytes(iv.as_ref()),
                key: bytes(key.as_ref()),
                salt: [],
                rec_seq,
            })
        }
        _ => return Err("kernel TLS does not know this cipher".into()),
    })
}

/// A fixed-size copy of a secret whose size the cipher decides.
fn bytes<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    a.copy_from_slice(&b[..N]);
    a
}

/// Attach the kernel's TLS layer to socket `fd` — before anything is given up: it
/// fails (`ENOTCONN`) once the peer has closed its side, and then the connection
/// simply stays in user space.
pub fn attach_ulp(fd: RawFd) -> Result<(), String> {
    attach(fd).map_err(|e| format!("setsockopt(TCP_ULP, \"tls\"): {}", describe(&e)))
}

/// Move `conn`'s record layer into the kernel on socket `fd`, whose TLS layer is
/// attached ([`attach_ulp`]). On error the connection is lost (rustls gave up its
/// state): the caller closes it.
pub fn install(fd: RawFd, conn: rustls::Connection) -> Result<(), String> {
    let version = conn.protocol_version().ok_or("the handshake is not done")?;
    let secrets = conn
        .dangerous_extract_secrets()
        .map_err(|bad| format!("rustls keeps its secrets: {bad}"))?;
    let tx = crypto_info(version, secrets.tx.0, &secrets.tx.1)?;
    let rx = crypto_info(version, secrets.rx.0, &secrets.rx.1)?;
    set_keys(fd, Direction::Tx, &tx)
        .map_err(|e| format!("setsockopt(TLS_TX): {}", describe(&e)))?;
    set_keys(fd, Direction::Rx, &rx)
        .map_err(|e| format!("setsockopt(TLS_RX): {}", describe(&e)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::crypto::cipher::{AeadKey, Iv};

    /// Seal one TLS 1.3 record as the kernel does with `info`: nonce = (salt ‖ iv)
    /// XOR the record number, additional data = the record header, the inner content
    /// type after the data.
    fn kernel_seal(info: &CryptoInfo, seq: u64, data: &[u8]) -> Vec<u8> {
        let CryptoInfo::AesGcm256(i) = info else {
            panic!("the test negotiates AES-256-GCM")
        };
        let key = ring::aead::LessSafeKey::new(
            ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, &i.key).unwrap(),
        );
        let mut nonce = [0u8; 12];
        nonce[..4].copy_from_slice(&i.salt);
        nonce[4..].copy_from_slice(&i.iv);
        for (n, s) in nonce[4..].iter_mut().zip(seq.to_be_bytes()) {
            *n ^= s;
        }
        let mut body = data.to_vec();
        body.push(23);
        let len = (body.len() + 16) as u16;
        let header = [23, 3, 3, (len >> 8) as u8, len as u8];
        key.seal_in_place_append_tag(
            ring::aead::Nonce::assume_unique_for_key(nonce),
            ring::aead::Aad::from(header),
            &mut body,
        )
        .unwrap();
        let mut rec = header.to_vec();
        rec.extend(body);
        rec
    }

    #[test]
    fn extracted_secrets_seal_records_the_peer_opens() {
        use crate::tls::session::{Plain, Session};
        let id = crate::tls::selfsigned::generate(&["localhost".into()]).unwrap();
        let opts = crate::tls::ServerTlsOpts {
            ktls: true,
            ..Default::default()
        };
        let server = crate::tls::ServerTls::from_identity(id, &opts).unwrap();
        let client = crate::tls::config::client_config(&crate::tls::ClientTlsOpts {
            insecure: true,
            ..Default::default()
        })
        .unwrap();
        let name = client.server_name("localhost").unwrap();
        let mut c = Session::client(client.config, name).unwrap();
        let mut s = Session::server(server.config).unwrap();
        crate::tls::session::tests::exchange(&mut c, &mut s);
        // The server sent records of its own already (tickets): the sequence continues.
        assert!(!s.is_handshaking() && !s.wants_write());
        let conn = s.into_conn();
        let version = conn.protocol_version().unwrap();
        let secrets = conn.dangerous_extract_secrets().unwrap();
        assert!(secrets.tx.0 > 0, "tickets went out under the traffic keys");
        let tx = crypto_info(version, secrets.tx.0, &secrets.tx.1).unwrap();
        let rx = crypto_info(version, secrets.rx.0, &secrets.rx.1).unwrap();
        // What "the kernel" sends, rustls on the other side opens…
        for (i, msg) in [&b"first from the kernel"[..], b"second"]
            .iter()
            .enumerate()
        {
            let rec = kernel_seal(&tx, secrets.tx.0 + i as u64, msg);
            assert_eq!(c.feed(&rec).unwrap(), rec.len());
            let mut got = Vec::new();
            assert_eq!(c.read_plain(|b| got.extend_from_slice(b)), Plain::Data);
            assert_eq!(&got, msg);
        }
        // …and what rustls sends is what the receive keys make of the same plaintext:
        // the kernel opens it.
        c.write_plain(b"to the kernel");
        let from_client = c.take_records();
        assert_eq!(
            kernel_seal(&rx, secrets.rx.0, b"to the kernel"),
            from_client
        );
    }

    #[test]
    fn secrets_become_the_kernel_layout() {
        let iv = Iv::copy(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        let key = AeadKey::from([9u8; 32]);
        let s = ConnectionTrafficSecrets::Aes256Gcm { key, iv };
        let CryptoInfo::AesGcm256(info) = crypto_info(ProtocolVersion::TLSv1_3, 7, &s).unwrap()
        else {
            panic!("AES-256-GCM")
        };
        assert_eq!(info.info.version, libc::TLS_1_3_VERSION);
        assert_eq!(info.salt, [1, 2, 3, 4]);
        assert_eq!(info.iv, [5, 6, 7, 8, 9, 10, 11, 12]);
        assert_eq!(info.key, [9u8; 32]);
        assert_eq!(info.rec_seq, 7u64.to_be_bytes());
        let c = ConnectionTrafficSecrets::Chacha20Poly1305 {
            key: AeadKey::from([1u8; 32]),
            iv: Iv::copy(&[3u8; 12]),
        };
        let CryptoInfo::Chacha20Poly1305(info) =
            crypto_info(ProtocolVersion::TLSv1_2, 0, &c).unwrap()
        else {
            panic!("ChaCha20")
        };
        assert_eq!(
            (info.iv, info.info.version),
            ([3u8; 12], libc::TLS_1_2_VERSION)
        );
        assert!(crypto_info(ProtocolVersion::TLSv1_1, 0, &c).is_err());
    }
}
