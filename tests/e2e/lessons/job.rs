//! The commands of a lesson as processes: each a `sh -c` line in a process group of
//! its own (killed whole on drop, pipelines included), its stdout and stderr collected
//! as they come so a test can wait for a line, and a keyboard (stdin) to type into.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::util::{bin, wait_until};

/// What a foreground command left behind.
pub struct Ran {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// stdout then stderr, as a terminal would show them.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// A command line run by `sh -c` in a process group of its own (killed whole on
/// drop), its stdout and stderr collected as they come.
pub struct Job {
    child: Child,
    pub pid: i32,
    stdin: Option<ChildStdin>,
    stdout: Collected,
    stderr: Collected,
    line: String,
}

#[derive(Clone, Default)]
struct Collected {
    bytes: Arc<Mutex<Vec<u8>>>,
    done: Arc<AtomicBool>,
}

impl Collected {
    fn read_from(mut from: impl Read + Send + 'static) -> Collected {
        let c = Collected::default();
        let kept = c.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = from.read(&mut buf) {
                if n == 0 {
                    break;
                }
                kept.bytes.lock().unwrap().extend_from_slice(&buf[..n]);
            }
            kept.done.store(true, Ordering::SeqCst);
        });
        c
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes.lock().unwrap()).into_owned()
    }
}

impl Job {
    pub fn spawn(line: &str, stdin: Stdio, cwd: &std::path::Path) -> Job {
        let dir = bin().parent().expect("binary directory");
        let path = format!(
            "{}:{}",
            dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        // A lone command is exec'd, so the job's pid is nettool's own ($! in a shell).
        let script = if line.contains(['|', ';', '&', '<', '>']) {
            line.to_string()
        } else {
            format!("exec {line}")
        };
        let mut child = Command::new("sh")
            .args(["-c", &script])
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .env_remove("RUST_LOG")
            .current_dir(cwd)
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("sh -c {script:?}: {e}"));
        let stdout = Collected::read_from(child.stdout.take().unwrap());
        let stderr = Collected::read_from(child.stderr.take().unwrap());
        Job {
            pid: child.id() as i32,
            stdin: child.stdin.take(),
            child,
            stdout,
            stderr,
            line: line.to_string(),
        }
    }

    /// Everything printed so far, stdout then stderr.
    pub fn text(&self) -> String {
        format!("{}{}", self.stdout.text(), self.stderr.text())
    }

    /// Wait up to `timeout` until the job has printed `needle`; the line holding it.
    pub fn wait_for(&self, needle: &str, timeout: Duration) -> Option<String> {
        let mut found = None;
        wait_until(timeout, || {
            found = self
                .text()
                .lines()
                .find(|l| l.contains(needle))
                .map(str::to_string);
            found.is_some()
        });
        found
    }

    /// Type `text` into the job's stdin (a terminal's keyboard).
    pub fn type_in(&mut self, text: &str) {
        let stdin = self.stdin.as_mut().expect("job stdin still open");
        stdin.write_all(text.as_bytes()).expect("write job stdin");
        stdin.flush().unwrap();
    }

    /// Ctrl-D: end of the job's stdin.
    pub fn end_input(&mut self) {
        self.stdin.take();
    }

    /// Wait (bounded) for the job to exit; what it printed.
    pub fn finish(&mut self, bound: Duration) -> Ran {
        self.end_input();
        let exited = wait_until(bound, || matches!(self.child.try_wait(), Ok(Some(_))));
        assert!(
            exited,
            "{:?} did not end within {bound:?}; it printed:\n{}",
            self.line,
            self.text()
        );
        let status = self.child.wait().expect("wait");
        // Output still in the pipes (a grandchild may hold them: give up after 2 s).
        wait_until(Duration::from_secs(2), || {
            self.stdout.done.load(Ordering::SeqCst) && self.stderr.done.load(Ordering::SeqCst)
        });
        Ran {
            status,
            stdout: self.stdout.text(),
            stderr: self.stderr.text(),
        }
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("[{}] printed:\n{}", self.line, self.text());
        }
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(self.pid),
            nix::sys::signal::Signal::SIGKILL,
        );
        let _ = self.child.wait();
    }
}
