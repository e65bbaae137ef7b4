//! A socket address as the kernel receives it: the C struct (`sockaddr_in`,
//! `sockaddr_in6`, `sockaddr_un`) with its fields named, the port through `htons`
//! because the struct holds it in network byte order (big-endian) while the CPU
//! counts little-endian. At `-v` the bytes themselves follow, so the byte order can
//! be seen: port 17001 is `42 69`, 127.0.0.1 is `7f 00 00 01`, and only the family
//! (a host-order `sa_family_t`) reads backwards on x86.
//!
//! strace prints the same structs (with `sa_family` for every family); here each
//! field carries the name the C header gives it.

use std::net::{SocketAddr, SocketAddrV6};

use socket2::SockAddr;

/// `{sin_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}` and the
/// IPv6 and Unix forms; at `-v` followed by the bytes in network order.
pub fn addr(a: &SockAddr) -> String {
    let text = c_struct(a);
    if super::TRACER.get().is_some_and(|t| t.bytes) {
        format!("{text} /* bytes: {} */", addr_bytes(a))
    } else {
        text
    }
}

/// [`addr`] for an Internet address.
pub fn inet(a: &SocketAddr) -> String {
    addr(&SockAddr::from(*a))
}

fn c_struct(a: &SockAddr) -> String {
    match a.as_socket() {
        Some(SocketAddr::V4(v4)) => format!(
            "{{sin_family=AF_INET, sin_port=htons({}), sin_addr=inet_addr(\"{}\")}}",
            v4.port(),
            v4.ip()
        ),
        Some(SocketAddr::V6(v6)) => format!(
            "{{sin6_family=AF_INET6, sin6_port=htons({}), sin6_flowinfo=htonl({}), \
             inet_pton(AF_INET6, \"{}\", &sin6_addr), sin6_scope_id={}}}",
            v6.port(),
            v6.flowinfo(),
            v6.ip(),
            scope(&v6)
        ),
        None if a.is_unix() => unix(a.as_pathname(), a.as_abstract_namespace()),
        None => format!("{{sa_family={}}}", a.family()),
    }
}

/// `{sun_family=AF_UNIX, sun_path="/run/x.sock"}`; an abstract name with `@` for its
/// leading NUL byte, as strace shows it; an unnamed socket with no path at all.
pub fn unix(path: Option<&std::path::Path>, abstract_name: Option<&[u8]>) -> String {
    if let Some(p) = path {
        format!(
            "{{sun_family=AF_UNIX, sun_path={:?}}}",
            p.display().to_string()
        )
    } else if let Some(n) = abstract_name {
        format!(
            "{{sun_family=AF_UNIX, sun_path=@{:?}}}",
            String::from_utf8_lossy(n)
        )
    } else {
        "{sun_family=AF_UNIX}".into()
    }
}

/// A scope id by the interface it names (`if_nametoindex("eth0")`), as the user gave it.
fn scope(v6: &SocketAddrV6) -> String {
    let id = v6.scope_id();
    if id == 0 {
        return "0".into();
    }
    match nix::net::if_::if_indextoname(id) {
        Ok(name) => format!("if_nametoindex({:?})", name.to_string_lossy()),
        Err(_) => id.to_string(),
    }
}

/// The struct's meaningful bytes, in memory order: the family (host order), then port
/// and address in network order (`sin_zero` left out), or the path of a Unix address.
pub fn addr_bytes(a: &SockAddr) -> String {
    let mut b: Vec<u8> = a.family().to_ne_bytes().to_vec();
    match a.as_socket() {
        Some(SocketAddr::V4(v4)) => {
            b.extend(v4.port().to_be_bytes());
            b.extend(v4.ip().octets());
        }
        Some(SocketAddr::V6(v6)) => {
            b.extend(v6.port().to_be_bytes());
            b.extend(v6.flowinfo().to_be_bytes());
            b.extend(v6.ip().octets());
            b.extend(v6.scope_id().to_ne_bytes());
        }
        None => {
            if let Some(p) = a.as_pathname() {
                b.extend(p.as_os_str().as_encoded_bytes());
            } else if let Some(n) = a.as_abstract_namespace() {
                b.push(0);
                b.extend(n);
            }
        }
    }
    let hex: Vec<String> = b.iter().map(|x| format!("{x:02x}")).collect();
    hex.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inet_addresses_read_as_their_c_structs() {
        let v4: SocketAddr = "127.0.0.1:17001".parse().unwrap();
        assert_eq!(
            c_struct(&v4.into()),
            "{sin_family=AF_INET, sin_port=htons(17001), sin_addr=inet_addr(\"127.0.0.1\")}"
        );
        let v6: SocketAddr = "[::1]:80".parse().unwrap();
        assert_eq!(
            c_struct(&v6.into()),
            "{sin6_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), \
             inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}"
        );
    }

    #[test]
    fn unix_addresses_read_as_sockaddr_un() {
        let p = SockAddr::unix("/tmp/x.sock").unwrap();
        assert_eq!(
            c_struct(&p),
            "{sun_family=AF_UNIX, sun_path=\"/tmp/x.sock\"}"
        );
        let a = SockAddr::unix("\0echo").unwrap();
        assert_eq!(c_struct(&a), "{sun_family=AF_UNIX, sun_path=@\"echo\"}");
    }

    #[test]
    fn bytes_show_network_order() {
        let v4: SocketAddr = "127.0.0.1:17001".parse().unwrap();
        let fam = (libc::AF_INET as u16).to_ne_bytes();
        assert_eq!(
            addr_bytes(&v4.into()),
            format!("{:02x} {:02x} 42 69 7f 00 00 01", fam[0], fam[1])
        );
    }
}
