//! `stat -g`: the multicast group memberships ([`crate::net::igmp`]) as a table.

use std::io;

use crate::net::igmp::Membership;

/// The memberships as a table, as `netstat -g` prints them.
pub fn write_table(w: &mut impl std::io::Write, list: &[Membership]) -> io::Result<()> {
    let iw = list
        .iter()
        .map(|m| m.iface.len())
        .max()
        .unwrap_or(0)
        .max("Interface".len());
    writeln!(w, "{:<iw$}  {:>6}  Group", "Interface", "RefCnt")?;
    for m in list {
        writeln!(w, "{:<iw$}  {:>6}  {}", m.iface, m.users, m.group)?;
    }
    Ok(())
}
