//! nettool-lessons(7) as a test reads it: its lessons (each opened by a
//! `.\" lesson: NAME` comment), each one's text with the roff escapes undone, and its
//! example commands (the `$ ` lines of its `.EX` blocks; `# ` lines are typed in the
//! root shell of a namespace). A test runs a command exactly as the page prints it,
//! through `sh -c` with this build's nettool first on PATH, after putting in what must
//! differ on a test machine: the real (ephemeral) port for the page's example port,
//! and for `$!` / `$name` the pid of the job started last / saved in `name=$!`. A
//! lesson checks when it is dropped that its test ran every command it shows.

use std::cell::RefCell;
use std::process::Stdio;
use std::time::Duration;

pub use super::job::{Job, Ran};
use crate::util::wait_until;

pub const PAGE: &str = include_str!("../../../man/nettool-lessons.7");

/// How long a foreground command of a lesson may take before the test gives up.
const COMMAND_BOUND: Duration = Duration::from_secs(60);

/// (name, roff source) of every lesson, in page order. A lesson runs from its marker
/// to the next marker or the next `.SH` section.
pub fn lessons() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut open = false;
    for line in PAGE.lines() {
        if let Some(name) = line.strip_prefix(".\\\" lesson: ") {
            out.push((name.trim().to_string(), String::new()));
            open = true;
        } else if line.starts_with(".SH ") {
            open = false;
        } else if open {
            let text = &mut out.last_mut().expect("open lesson").1;
            text.push_str(line);
            text.push('\n');
        }
    }
    out
}

/// The commands of a piece of roff: `$ `/`# ` lines inside `.EX` … `.EE`, unescaped,
/// the prompt taken off.
pub fn commands(roff: &str) -> Vec<String> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in roff.lines() {
        match line {
            ".EX" => inside = true,
            ".EE" => inside = false,
            _ if inside => {
                let line = unroff(line);
                if let Some(c) = line.strip_prefix("$ ").or_else(|| line.strip_prefix("# ")) {
                    out.push(c.to_string());
                }
            }
            _ => {}
        }
    }
    out
}

/// Roff text as a reader sees it: the escapes the page uses undone, macro names
/// (`.B`, `.BR`, …) dropped from the start of request lines.
pub fn unroff(s: &str) -> String {
    let text = match s.strip_prefix('.') {
        Some(request) => macro_text(request),
        None => s.to_string(),
    };
    text.replace("\\e", "\u{0}")
        .replace("\\-", "-")
        .replace("\\(aq", "'")
        .replace("\\(dq", "\"")
        .replace("\\(em", "—")
        .replace("\\(->", "→")
        .replace("\\&", "")
        .replace("\\fB", "")
        .replace("\\fI", "")
        .replace("\\fR", "")
        .replace("\\fP", "")
        .replace('\u{0}', "\\")
}

/// The text a font macro prints: `.B a b` → `a b`; the alternating ones (`.BR`,
/// `.RB`, …) run their arguments together: `.BR "a b" ,` → `a b,`. Other requests
/// (`.SS`, `.PP`, `.EX`) print their arguments, or nothing.
fn macro_text(request: &str) -> String {
    let (name, rest) = request.split_once(' ').unwrap_or((request, ""));
    let mut args = Vec::new();
    let mut chars = rest.chars().peekable();
    while chars.peek().is_some() {
        while chars.next_if_eq(&' ').is_some() {}
        let quoted = chars.next_if_eq(&'"').is_some();
        let mut arg = String::new();
        for c in chars.by_ref() {
            if (quoted && c == '"') || (!quoted && c == ' ') {
                break;
            }
            arg.push(c);
        }
        if quoted || !arg.is_empty() {
            args.push(arg);
        }
    }
    let alternating = name.len() == 2 && name.chars().all(|c| "BIR".contains(c));
    args.join(if alternating { "" } else { " " })
}

/// Whitespace runs as one space, so a phrase found does not depend on line breaks.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub struct Lesson {
    pub name: String,
    /// The lesson's text (prose and examples), unescaped, whitespace squeezed.
    text: String,
    commands: Vec<String>,
    used: RefCell<Vec<bool>>,
    /// (what the page says, what this machine has): ports, `$!`, `$name`, `%N`, paths.
    subs: RefCell<Vec<(String, String)>>,
    /// Jobs started so far, for `%N`.
    jobs: RefCell<usize>,
    /// The directory the commands run in (the test's own temporary one).
    cwd: tempfile::TempDir,
}

impl Lesson {
    /// The lesson marked `.\" lesson: NAME` on the page.
    pub fn open(name: &str) -> Lesson {
        let (_, roff) = lessons()
            .into_iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("nettool-lessons(7) has no lesson {name:?}"));
        let commands = commands(&roff);
        let text = squeeze(&roff.lines().map(unroff).collect::<Vec<_>>().join("\n"));
        Lesson {
            name: name.to_string(),
            text,
            used: RefCell::new(vec![false; commands.len()]),
            commands,
            subs: RefCell::new(Vec::new()),
            jobs: RefCell::new(0),
            cwd: tempfile::tempdir().expect("temporary directory"),
        }
    }

    /// The directory the lesson's commands run in, made for this test.
    pub fn dir(&self) -> &std::path::Path {
        self.cwd.path()
    }

    /// From now on, `page` in a command stands for `here`.
    pub fn set(&self, page: &str, here: &str) {
        let mut subs = self.subs.borrow_mut();
        subs.retain(|(p, _)| p != page);
        subs.push((page.to_string(), here.to_string()));
        // Longest first, so `$s` cannot eat the start of `$server`.
        subs.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    }

    /// `cmd`, which must be one of the lesson's commands as printed, marked as run
    /// and with this machine's values put in.
    fn line(&self, cmd: &str) -> String {
        self.substitute(self.mark(cmd))
    }

    /// Mark `cmd` run (the first copy not yet run, when the page shows it twice).
    fn mark<'c>(&self, cmd: &'c str) -> &'c str {
        let mut used = self.used.borrow_mut();
        let at = |unused_only: bool| {
            (0..self.commands.len()).find(|&i| self.commands[i] == cmd && !(unused_only && used[i]))
        };
        let Some(i) = at(true).or_else(|| at(false)) else {
            panic!(
                "lesson {}: the page shows no command {cmd:?}; it shows {:#?}",
                self.name, self.commands
            );
        };
        used[i] = true;
        cmd
    }

    /// What `page` (a port, a name) stands for on this machine now.
    pub fn here(&self, page: &str) -> String {
        self.substitute(page)
    }

    fn substitute(&self, cmd: &str) -> String {
        let mut line = cmd.to_string();
        for (page, here) in self.subs.borrow().iter() {
            line = line.replace(page.as_str(), here);
        }
        line.strip_prefix("sudo ").unwrap_or(&line).to_string()
    }

    /// A command the test does not run itself but stands in for (the `unshare -n`
    /// that the test's own namespace replaces): it must be on the page.
    pub fn stand_in(&self, cmd: &str) {
        self.mark(cmd);
    }

    /// Run a foreground command to its end (bounded) and return what it printed.
    pub fn run(&self, cmd: &str) -> Ran {
        let line = self.line(cmd);
        let mut job = Job::spawn(&line, Stdio::null(), self.dir());
        job.finish(COMMAND_BOUND)
    }

    /// Run a command again and again (a person looking twice) until its stdout
    /// satisfies `done`, for at most `bound`; that stdout. The moment the page shows
    /// may take a while to come (a window closing, a zombie appearing).
    pub fn run_until(&self, cmd: &str, bound: Duration, done: impl Fn(&str) -> bool) -> String {
        let mut last = String::new();
        let came = wait_until(bound, || {
            last = self.run(cmd).stdout;
            done(&last)
        });
        assert!(
            came,
            "lesson {}: {cmd:?} never showed what the page says within {bound:?}; last:\n{last}",
            self.name
        );
        last
    }

    /// Start a background command (`CMD &` or `CMD & NAME=$!` on the page), or one
    /// the page runs in a terminal of its own (a plain `CMD`), with a keyboard
    /// ([`Job::type_in`]).
    pub fn start(&self, cmd: &str) -> Job {
        self.start_with(cmd, |line| line)
    }

    /// [`start`](Self::start), `edit` applied to the command (substituted, without its
    /// `&` and `NAME=$!`, which must keep their meaning) before it runs.
    fn start_with(&self, cmd: &str, edit: impl FnOnce(String) -> String) -> Job {
        let (body, var) = split_background(self.mark(cmd)).unwrap_or((cmd, None));
        let line = edit(self.substitute(body));
        let job = Job::spawn(&line, Stdio::piped(), self.dir());
        let pid = job.pid.to_string();
        self.set("$!", &pid);
        if let Some(var) = var {
            self.set(&format!("${var}"), &pid);
        }
        let n = {
            let mut jobs = self.jobs.borrow_mut();
            *jobs += 1;
            *jobs
        };
        self.set(&format!("%{n}"), &pid);
        job
    }

    /// Start a background server whose `-l` names the example `port`: it listens on
    /// port 0 instead, and once its `listening on` line is out the real port stands
    /// for `port` in every later command.
    pub fn serve(&self, cmd: &str, port: &str) -> Job {
        let job = self.start_with(cmd, |line| line.replace(&format!(":{port}"), ":0"));
        let ready = job
            .wait_for("listening on ", Duration::from_secs(10))
            .unwrap_or_else(|| panic!("lesson {}: no `listening on` from {cmd:?}", self.name));
        let addr = ready.split("listening on ").nth(1).unwrap_or_default();
        let addr = addr.split_whitespace().next().unwrap_or_default();
        let real = addr
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .unwrap_or_default();
        assert!(real.parse::<u16>().is_ok(), "no port in {ready:?}");
        self.set(port, real);
        job
    }

    /// The page says `needle` in this lesson, and `output` shows it.
    pub fn shows(&self, output: &str, needle: &str) {
        self.says(needle);
        assert!(
            output.contains(needle),
            "lesson {}: the page says {needle:?} will be seen, but the output was:\n{output}",
            self.name
        );
    }

    /// The page says `needle` in this lesson (a claim the test checks its own way).
    pub fn says(&self, needle: &str) {
        assert!(
            self.text.contains(&squeeze(needle)),
            "lesson {}: the page does not say {needle:?}",
            self.name
        );
    }
}

impl Drop for Lesson {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let unused: Vec<&String> = self
            .commands
            .iter()
            .zip(self.used.borrow().iter())
            .filter(|(_, used)| !**used)
            .map(|(c, _)| c)
            .collect();
        assert!(
            unused.is_empty(),
            "lesson {}: the page shows commands its test does not run: {unused:?}",
            self.name
        );
    }
}

/// `CMD &` → (CMD, None); `CMD & NAME=$!` → (CMD, Some(NAME)).
fn split_background(line: &str) -> Option<(&str, Option<&str>)> {
    if let Some(body) = line.strip_suffix(" &") {
        return Some((body, None));
    }
    let (body, var) = line.rsplit_once(" & ")?;
    let var = var.strip_suffix("=$!")?;
    Some((body, Some(var)))
}

#[test]
fn roff_is_read_as_a_reader_sees_it() {
    assert_eq!(
        unroff("$ nettool \\-v tcp\\-echo \\(aqx\\(aq \\e\\-"),
        "$ nettool -v tcp-echo 'x' \\-"
    );
    assert_eq!(unroff(".B nettool\\-lessons"), "nettool-lessons");
    assert_eq!(unroff(".BR \"kill \\-INT $s\" ):"), "kill -INT $s):");
    assert_eq!(unroff(".SS \"A title\""), "A title");
    let roff = ".EX\n$ echo hi\nhi\n.EE\n$ not an example\n.EX\n# ip link\n.EE\n";
    assert_eq!(commands(roff), ["echo hi", "ip link"]);
    assert_eq!(split_background("a b &"), Some(("a b", None)));
    assert_eq!(split_background("a & s=$!"), Some(("a", Some("s"))));
    assert_eq!(split_background("a b"), None);
}
