//! Putting it together: one call per mode of `nettool stat` — list, summary (`-s`),
//! group memberships (`-g`), live watch (`--watch`) — writing to stdout through one
//! buffer. A closed stdout (`nettool stat | head -1`) surfaces as
//! [`StdoutClosed`](crate::error::StdoutClosed), a normal end.

use std::io::{BufWriter, Write};

use super::sockstat::Sockstat;
use super::view::{self, Names, ViewOpts};
use super::watch::{self, WatchOpts};
use super::{Query, StateSet, collect, groups, summary};
use crate::error::Stdout;
use crate::net::igmp;
use crate::net::signals::Shutdown;

/// What `nettool stat` was asked to do.
pub enum Mode<'a> {
    List,
    Summary,
    Groups,
    /// Refresh until the count is reached or the signal catcher says stop.
    Watch(WatchOpts, &'a Shutdown),
}

/// Run one mode; `json` selects JSON lines instead of a table.
pub fn run(q: &Query, view: &ViewOpts, mode: Mode<'_>, json: bool) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut w = BufWriter::with_capacity(64 * 1024, Stdout(stdout.lock()));
    match mode {
        Mode::List => {
            let rows = collect(q)?;
            if json {
                for s in &rows {
                    let v = crate::output::record("socket", view::socket_json(s, view));
                    writeln!(w, "{v}")?;
                }
            } else {
                view::write_table(&mut w, &rows, None, view, &mut Names::new(*view))?;
            }
        }
        Mode::Summary => {
            let all = Query {
                states: StateSet::all(),
                sport: None,
                dport: None,
                ..q.clone()
            };
            let kernel = Sockstat::read().map_err(|e| {
                anyhow::anyhow!("read /proc/net/sockstat: {}", crate::os_error::describe(&e))
            })?;
            let rows = collect(&all)?;
            if json {
                writeln!(w, "{}", summary::json(&kernel, &rows))?;
            } else {
                summary::write(&mut w, &kernel, &rows)?;
            }
        }
        Mode::Groups => {
            let list = igmp::memberships(q.family)?;
            if json {
                for m in &list {
                    let v = crate::output::record("membership", serde_json::to_value(m)?);
                    writeln!(w, "{v}")?;
                }
            } else {
                groups::write_table(&mut w, &list)?;
            }
        }
        Mode::Watch(opts, shutdown) => {
            let opts = WatchOpts { json, ..opts };
            watch::run(&mut w, q, view, &opts, shutdown, collect)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Whether a query over these protocols needs the Netid column: more than one
/// protocol, or Unix sockets (which come in three kinds), as in ss.
pub fn needs_netid(q: &Query) -> bool {
    q.unix || (q.tcp && q.udp)
}
