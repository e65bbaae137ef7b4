//! Network namespaces made by the test itself: the only place broadcast, multicast and
//! fault injection may send traffic. Names are unique per test (pid + counter), every
//! namespace is deleted on Drop, addresses come from 192.0.2.0/24 (TEST-NET-1).

use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Run `ip ARGS…` (or any command) and panic with its stderr if it fails.
pub fn run(program: &str, args: &[&str]) -> Output {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// One namespace: a host of its own with `lo` up and a multicast route on `lo`.
pub struct Netns {
    pub name: String,
}

impl Netns {
    /// Create `nt-<tag>-<pid>-<n>` (short: interface and namespace names are limited).
    pub fn new(tag: &str) -> Netns {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let name = format!(
            "nt{}{}-{}",
            &tag[..tag.len().min(4)],
            std::process::id() % 100000,
            n
        );
        run("ip", &["netns", "add", &name]);
        let ns = Netns { name };
        ns.ip(&["link", "set", "lo", "up"]);
        ns
    }

    /// `ip -n NAME ARGS…`.
    pub fn ip(&self, args: &[&str]) -> Output {
        let mut full = vec!["-n", &self.name];
        full.extend_from_slice(args);
        run("ip", &full)
    }

    /// A command that runs inside this namespace.
    pub fn command(&self, program: &str) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.name, program]);
        c
    }

    /// The binary under test, inside this namespace.
    pub fn nettool(&self) -> Command {
        let mut c = self.command(super::bin().to_str().expect("utf-8 path"));
        c.env_remove("RUST_LOG").env("NO_COLOR", "1");
        c
    }

    /// `nettool ARGS…` in this namespace as a server (stdout piped for JSON events),
    /// returned once its `listening on` line is out.
    pub fn serve(&self, args: &[&str]) -> super::Server {
        let mut cmd = self.nettool();
        cmd.args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped());
        super::Server::start_cmd(cmd)
    }

    /// `nettool ARGS…` in this namespace, which must succeed.
    pub fn run_ok(&self, args: &[&str]) -> Output {
        let out = self
            .nettool()
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "nettool {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Route multicast (224.0.0.0/4) via `dev`, so group traffic has a way out.
    pub fn multicast_route(&self, dev: &str) {
        self.ip(&["route", "add", "224.0.0.0/4", "dev", dev]);
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
    }
}

/// Join two namespaces with a veth pair: `a_if` (address `a_addr`, CIDR) in `a`,
/// `b_if` (`b_addr`) in `b`, both up.
pub fn veth(a: &Netns, a_if: &str, a_addr: &str, b: &Netns, b_if: &str, b_addr: &str) {
    run(
        "ip",
        &[
            "link", "add", a_if, "netns", &a.name, "type", "veth", "peer", "name", b_if, "netns",
            &b.name,
        ],
    );
    a.ip(&["addr", "add", a_addr, "dev", a_if]);
    b.ip(&["addr", "add", b_addr, "dev", b_if]);
    a.ip(&["link", "set", a_if, "up"]);
    b.ip(&["link", "set", b_if, "up"]);
}

impl Netns {
    /// `sysctl -w KEY=VALUE` inside this namespace (net.* keys are per namespace).
    pub fn sysctl(&self, key: &str, value: &str) {
        let out = self
            .command("sysctl")
            .args(["-qw", &format!("{key}={value}")])
            .output()
            .expect("sysctl");
        assert!(
            out.status.success(),
            "sysctl {key}={value}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Load an nftables ruleset (the text of `nft -f -`) into this namespace.
    pub fn nft(&self, ruleset: &str) {
        use std::io::Write;
        let mut child = self
            .command("nft")
            .args(["-f", "-"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("nft");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(ruleset.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success(), "nft -f: {ruleset}");
    }
}

/// A small lab: `n` hosts, each a namespace with `eth0` at 192.0.2.(i+1)/24 and
/// 2001:db8::(i+1)/64, all plugged into one bridge `br0` in a switch namespace of its
/// own. IPv6 duplicate address detection is off so addresses work at once, multicast
/// snooping is off so the bridge floods groups to every port (as a dumb switch does),
/// and each host routes 224.0.0.0/4 out of eth0. Everything is deleted on drop
/// (hosts first, then the switch).
pub struct Lab {
    pub hosts: Vec<Netns>,
    /// Owned only so it is deleted after the hosts (fields drop in order).
    _switch: Netns,
}

/// Whether namespaces can be built here (root, `ip`); otherwise the test is skipped
/// (or, under CI, fails) saying which is missing.
pub fn available() -> bool {
    super::require_root() && super::require("ip")
}

impl Lab {
    /// [`Lab::new`] where namespaces can be built ([`available`]), `None` otherwise.
    pub fn try_new(tag: &str, n: usize) -> Option<Lab> {
        available().then(|| Lab::new(tag, n))
    }

    pub fn new(tag: &str, n: usize) -> Lab {
        let switch = Netns::new(&format!("s{tag}"));
        switch.ip(&[
            "link",
            "add",
            "br0",
            "type",
            "bridge",
            "mcast_snooping",
            "0",
        ]);
        switch.ip(&["link", "set", "br0", "up"]);
        let mut hosts = Vec::new();
        for i in 0..n {
            let h = Netns::new(tag);
            h.sysctl("net.ipv6.conf.all.accept_dad", "0");
            h.sysctl("net.ipv6.conf.default.accept_dad", "0");
            let port = format!("p{i}");
            run(
                "ip",
                &[
                    "link",
                    "add",
                    "eth0",
                    "netns",
                    &h.name,
                    "type",
                    "veth",
                    "peer",
                    "name",
                    &port,
                    "netns",
                    &switch.name,
                ],
            );
            switch.ip(&["link", "set", &port, "master", "br0", "up"]);
            h.ip(&[
                "addr",
                "add",
                &format!("192.0.2.{}/24", i + 1),
                "dev",
                "eth0",
            ]);
            h.ip(&[
                "addr",
                "add",
                &format!("2001:db8::{}/64", i + 1),
                "dev",
                "eth0",
                "nodad",
            ]);
            h.ip(&["link", "set", "eth0", "up"]);
            h.multicast_route("eth0");
            hosts.push(h);
        }
        Lab {
            hosts,
            _switch: switch,
        }
    }
}

/// Run `f` on a thread of its own moved into a new network namespace
/// (`unshare(CLONE_NEWNET)`; only that thread moves, and whatever it spawns inherits
/// the namespace), with `lo` up. Sockets `f` opens, and the tools it runs, see a
/// namespace holding nothing else: snapshots taken there do not change under them.
pub fn in_new_netns<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(move || {
        nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)
            .expect("unshare(CLONE_NEWNET) (needs root)");
        run("ip", &["link", "set", "lo", "up"]);
        f()
    })
    .join()
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
