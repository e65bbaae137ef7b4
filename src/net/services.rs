//! Service names for ports (`http` is 80/tcp, `domain` 53/udp), as getservbyname(3)
//! and getservbyport(3) find them in `/etc/services`, read once per process.
//!
//! The protocol matters: a name is registered per transport (`ssh` is 22/tcp only), so
//! every lookup says whether it is for TCP or UDP, and a name registered only for the
//! other one is refused with a sentence saying so.
//!
//! The file is parsed here rather than through libc's getservbyname(3), which is not
//! thread-safe and would be asked once per socket by `stat`; glibc's own lookup reads
//! the same file (`services: files` in nsswitch.conf).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::error::UsageError;

/// The transport a port belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport {
    Tcp,
    Udp,
}

impl Transport {
    /// The protocol column of /etc/services.
    pub fn name(self) -> &'static str {
        match self {
            Transport::Tcp => "tcp",
            Transport::Udp => "udp",
        }
    }

    fn other(self) -> Transport {
        match self {
            Transport::Tcp => Transport::Udp,
            Transport::Udp => Transport::Tcp,
        }
    }
}

/// Where the table comes from: the file `netbase` installs on Debian.
const SERVICES: &str = "/etc/services";

#[derive(Debug, Default)]
struct Table {
    by_name: HashMap<(String, Transport), u16>,
    by_port: HashMap<(u16, Transport), String>,
    /// Whether the file could be read (a missing file changes the error's hint).
    found: bool,
}

impl Table {
    /// Lines are `name port/proto [aliases…] [# comment]`; the first entry for a name
    /// or a port wins, as with getservbyname(3).
    fn parse(text: &str) -> Table {
        let mut t = Table {
            found: true,
            ..Table::default()
        };
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("");
            let mut fields = line.split_whitespace();
            let (Some(name), Some(port_proto)) = (fields.next(), fields.next()) else {
                continue;
            };
            let Some((port, proto)) = port_proto.split_once('/') else {
                continue;
            };
            let transport = match proto {
                "tcp" => Transport::Tcp,
                "udp" => Transport::Udp,
                _ => continue,
            };
            let Ok(port) = port.parse::<u16>() else {
                continue;
            };
            t.by_port
                .entry((port, transport))
                .or_insert_with(|| name.to_string());
            for n in std::iter::once(name).chain(fields) {
                t.by_name.entry((n.to_string(), transport)).or_insert(port);
            }
        }
        t
    }
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| match std::fs::read_to_string(SERVICES) {
        Ok(text) => Table::parse(&text),
        Err(e) => {
            log::debug!(
                "{SERVICES}: {}; service names unavailable",
                crate::os_error::describe(&e)
            );
            Table::default()
        }
    })
}

/// The service name of `port` for `transport` (getservbyport(3)), if it has one.
pub fn name_of(port: u16, transport: Transport) -> Option<&'static str> {
    table().by_port.get(&(port, transport)).map(String::as_str)
}

/// A port given as a number or a service name; the error says why it is neither.
pub fn port(text: &str, transport: Transport) -> Result<u16, String> {
    lookup(table(), text, transport)
}

fn lookup(t: &Table, text: &str, transport: Transport) -> Result<u16, String> {
    if text.is_empty() {
        return Err("missing port".into());
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<u16>()
            .map_err(|_| format!("port {text} is out of range (0 to 65535)"));
    }
    let valid_name = text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' || b == b'+');
    if !valid_name || text.starts_with('-') {
        return Err(format!(
            "port {text:?} is neither a number (0 to 65535) nor a service name such as http"
        ));
    }
    if let Some(&p) = t.by_name.get(&(text.to_string(), transport)) {
        log::debug!(
            "service {text}/{} is port {p} ({SERVICES})",
            transport.name()
        );
        return Ok(p);
    }
    if let Some(&p) = t.by_name.get(&(text.to_string(), transport.other())) {
        return Err(format!(
            "service {text:?} is port {p}/{} but has no {} entry in {SERVICES}; give the number",
            transport.other().name(),
            transport.name()
        ));
    }
    if !t.found {
        return Err(format!(
            "unknown service {text:?}: {SERVICES} is missing (apt-get install netbase), give the port number"
        ));
    }
    Err(format!(
        "unknown service {text:?} (not a {} service in {SERVICES})",
        transport.name()
    ))
}

/// A `PORT` argument: a number, a service name, or `:PORT` (the address form without
/// a host). The error is a usage error naming the input.
pub fn port_arg(text: &str, transport: Transport) -> Result<u16, UsageError> {
    let bare = text.trim().strip_prefix(':').unwrap_or(text.trim());
    if bare.contains(':') || bare.contains('[') {
        return Err(UsageError::invalid(format!(
            "invalid port {text:?}: give only a port (7007, :7007 or a service name such as http)"
        )));
    }
    port(bare, transport)
        .map_err(|why| UsageError::invalid(format!("invalid port {text:?}: {why}")))
}

/// clap value parser for a TCP `PORT` (`--sport http`, `:8080`).
pub fn tcp_port_arg(text: &str) -> Result<u16, String> {
    port_arg(text, Transport::Tcp).map_err(|e| without_prefix(text, e))
}

/// clap value parser for a UDP `PORT` (`broadcast send 9999`, `domain`).
pub fn udp_port_arg(text: &str) -> Result<u16, String> {
    port_arg(text, Transport::Udp).map_err(|e| without_prefix(text, e))
}

/// clap value parser for a port that may be TCP or UDP (`stat --sport`): a name is
/// looked up for TCP first, then UDP, as ss does.
pub fn any_port_arg(text: &str) -> Result<u16, String> {
    tcp_port_arg(text).or_else(|tcp_err| udp_port_arg(text).map_err(|_| tcp_err))
}

/// clap already says "invalid value 'X' for '--flag'": keep only the reason.
fn without_prefix(text: &str, usage: UsageError) -> String {
    let msg = usage.to_string();
    msg.strip_prefix(&format!("invalid port {text:?}: "))
        .map(str::to_string)
        .unwrap_or(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
# comment line
ssh\t\t22/tcp\t\t\t\t# SSH Remote Login Protocol
domain\t\t53/tcp
domain\t\t53/udp
http\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP
fsp\t\t21/udp\t\tfspd
ftp\t\t21/tcp
weird\t\t70000/tcp
";

    fn t() -> Table {
        Table::parse(SAMPLE)
    }

    #[test]
    fn names_and_aliases_resolve_per_transport() {
        let t = t();
        assert_eq!(lookup(&t, "http", Transport::Tcp), Ok(80));
        assert_eq!(lookup(&t, "www", Transport::Tcp), Ok(80));
        assert_eq!(lookup(&t, "domain", Transport::Udp), Ok(53));
        assert_eq!(lookup(&t, "fspd", Transport::Udp), Ok(21));
        assert_eq!(lookup(&t, "ftp", Transport::Tcp), Ok(21));
        assert_eq!(t.by_port.get(&(21, Transport::Udp)).unwrap(), "fsp");
        assert!(!t.by_name.contains_key(&("weird".into(), Transport::Tcp)));
    }

    #[test]
    fn the_protocol_matters() {
        let e = lookup(&t(), "ssh", Transport::Udp).unwrap_err();
        assert_eq!(
            e,
            "service \"ssh\" is port 22/tcp but has no udp entry in /etc/services; give the number"
        );
    }

    #[test]
    fn numbers_and_bad_inputs() {
        let t = t();
        assert_eq!(lookup(&t, "0", Transport::Tcp), Ok(0));
        assert_eq!(lookup(&t, "65535", Transport::Udp), Ok(65535));
        assert!(
            lookup(&t, "65536", Transport::Tcp)
                .unwrap_err()
                .contains("out of range")
        );
        assert!(
            lookup(&t, "", Transport::Tcp)
                .unwrap_err()
                .contains("missing port")
        );
        assert!(
            lookup(&t, "nope", Transport::Tcp)
                .unwrap_err()
                .contains("unknown service \"nope\"")
        );
        assert!(
            lookup(&t, "a b", Transport::Tcp)
                .unwrap_err()
                .contains("neither a number")
        );
        let missing = lookup(&Table::default(), "http", Transport::Tcp).unwrap_err();
        assert!(missing.contains("netbase"), "{missing}");
    }

    #[test]
    fn port_arguments_take_a_colon_and_refuse_hosts() {
        assert_eq!(port_arg(":17100", Transport::Tcp).unwrap(), 17100);
        assert_eq!(port_arg("9999", Transport::Udp).unwrap(), 9999);
        let e = port_arg("host:80", Transport::Tcp).unwrap_err().to_string();
        assert!(
            e.starts_with("invalid port \"host:80\": give only a port"),
            "{e}"
        );
        assert_eq!(any_port_arg(":0").unwrap(), 0);
        let e = tcp_port_arg("x y").unwrap_err();
        assert!(e.starts_with("port \"x y\" is neither"), "{e}");
    }

    #[test]
    fn the_system_file_knows_http() {
        if std::path::Path::new(SERVICES).exists() {
            assert_eq!(port("http", Transport::Tcp), Ok(80));
            assert_eq!(name_of(22, Transport::Tcp), Some("ssh"));
        }
    }
}
