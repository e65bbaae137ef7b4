//! `nettool completions SHELL` and the hidden `nettool man DIR`: shell completion
//! scripts and man pages generated from the clap definition, so they cannot drift
//! from the real options. The copies committed in `completions/` and `man/` are
//! checked by a unit test (`NETTOOL_BLESS=1 cargo test` rewrites them).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::Shell;

use super::Run;
use crate::cmd::Cli;
use crate::output::Output;

#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  nettool completions bash > /etc/bash_completion.d/nettool\n  nettool completions zsh > ~/.zfunc/_nettool\n  nettool completions fish > ~/.config/fish/completions/nettool.fish"
)]
pub struct CompletionsArgs {
    /// The shell to generate for
    #[arg(value_enum)]
    pub shell: ShellArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

impl ShellArg {
    fn shell(self) -> Shell {
        match self {
            ShellArg::Bash => Shell::Bash,
            ShellArg::Zsh => Shell::Zsh,
            ShellArg::Fish => Shell::Fish,
            ShellArg::Powershell => Shell::PowerShell,
            ShellArg::Elvish => Shell::Elvish,
        }
    }

    /// The file name under `completions/`.
    pub fn file_name(self) -> &'static str {
        match self {
            ShellArg::Bash => "nettool.bash",
            ShellArg::Zsh => "_nettool",
            ShellArg::Fish => "nettool.fish",
            ShellArg::Powershell => "_nettool.ps1",
            ShellArg::Elvish => "nettool.elv",
        }
    }
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Directory to write nettool.1 and nettool-<subcommand>.1 into
    pub dir: PathBuf,
}

/// The completion script for `shell`, rendered in memory (writing straight to a
/// closed pipe would panic inside clap_complete).
pub fn completion_script(shell: ShellArg) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell.shell(), &mut cmd, "nettool", &mut buf);
    let script = String::from_utf8(buf).expect("clap_complete writes UTF-8");
    complete_interfaces(shell, &interface_options(&cmd), &script).into_bytes()
}

/// The value name of every option that takes a network interface (`-i/--iface`).
const IFACE: &str = "IFACE";

/// `(short, long)` of the options whose value is an interface name.
fn interface_options(cmd: &clap::Command) -> Vec<(Option<char>, Option<String>)> {
    let mut found: Vec<(Option<char>, Option<String>)> = cmd
        .get_arguments()
        .filter(|a| {
            a.get_value_names()
                .is_some_and(|v| v.iter().any(|n| n.as_str() == IFACE))
        })
        .map(|a| (a.get_short(), a.get_long().map(str::to_string)))
        .collect();
    for sub in cmd.get_subcommands() {
        for opt in interface_options(sub) {
            if !found.contains(&opt) {
                found.push(opt);
            }
        }
    }
    found
}

/// clap_complete has no value hint for interface names (its default completes file
/// names there), so its output for IFACE options is rewritten to call each shell's
/// own lister: zsh `_net_interfaces`, fish `__fish_print_interfaces`, and for bash the
/// names under /sys/class/net.
fn complete_interfaces(
    shell: ShellArg,
    options: &[(Option<char>, Option<String>)],
    script: &str,
) -> String {
    let mut out = String::with_capacity(script.len() + 1024);
    let mut in_iface_arm = false;
    for line in script.split_inclusive('\n') {
        let trimmed = line.trim();
        let rewritten = match shell {
            ShellArg::Bash => {
                let arm = options.iter().any(|(short, long)| {
                    short.is_some_and(|c| trimmed == format!("-{c})"))
                        || long.as_ref().is_some_and(|l| trimmed == format!("--{l})"))
                });
                let was = std::mem::replace(&mut in_iface_arm, arm);
                (was && trimmed == r#"COMPREPLY=($(compgen -f "${cur}"))"#).then(|| {
                    line.replace(
                        r#"$(compgen -f "${cur}")"#,
                        r#"$(compgen -W "$(command ls /sys/class/net 2>/dev/null)" -- "${cur}")"#,
                    )
                })
            }
            ShellArg::Zsh => line.contains(&format!(":{IFACE}:_default'")).then(|| {
                line.replace(
                    &format!(":{IFACE}:_default'"),
                    &format!(":{IFACE}:_net_interfaces'"),
                )
            }),
            ShellArg::Fish => {
                let iface = options.iter().any(|(_, long)| {
                    long.as_ref()
                        .is_some_and(|l| line.contains(&format!(" -l {l} ")))
                });
                (iface && line.trim_end().ends_with(" -r"))
                    .then(|| format!("{} -f -a \"(__fish_print_interfaces)\"\n", line.trim_end()))
            }
            ShellArg::Powershell | ShellArg::Elvish => None,
        };
        out.push_str(rewritten.as_deref().unwrap_or(line));
    }
    out
}

impl Run for CompletionsArgs {
    fn run(self, _out: &Output) -> anyhow::Result<()> {
        let script = completion_script(self.shell);
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(&script)
            .and_then(|_| stdout.flush())
            .map_err(crate::error::stdout_error)
    }
}

impl Run for ManArgs {
    fn run(self, _out: &Output) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("create {}", self.dir.display()))?;
        for (name, page) in man_pages()? {
            let path = self.dir.join(&name);
            std::fs::write(&path, page).with_context(|| format!("write {}", path.display()))?;
        }
        Ok(())
    }
}

const EXIT_STATUS: &str = "\
0  success; also a server stopped by SIGINT or SIGTERM (it stops cleanly and prints its summary), a -w wait that ends a transfer after something arrived (as nc -w), and any command whose stdout reader went away (| head).
1  runtime failure: connection refused or reset, peer dead, I/O error, or a -w wait that passed with nothing received (no connection, no data, no datagram, no reply; or fewer datagrams than -n asked for).
2  usage error: an unknown option, a bad address, port or duration, -w 0.
130  a client, receiver or listener interrupted by SIGINT (128 + 2).
143  a client, receiver or listener stopped by SIGTERM (128 + 15).";

/// How an error reads: the same on every page, as `crate::os_error` words it.
const DIAGNOSTICS: &str = "\
Errors are one line on stderr: nettool: WHAT WAS BEING DONE: WHAT THE SYSTEM SAID; THE LIKELY \
FIX. The system's words never carry an errno number, and the fix is given for the common \
causes: a port in use (the socket table is asked who holds it: a listener and its pid, or \
a TIME-WAIT socket and its time left when --no-reuseaddr turned SO_REUSEADDR off — \
nettool: address 127.0.0.1:7007 in use: pid 1234 (nginx) is listening there — stop it or \
pick another port), a port below 1024, an \
address not on this host, an unreachable network or host, a link-local IPv6 address without \
%IFACE, multicast without a route (-i IFACE, or ip route add 224.0.0.0/4 dev IFACE), a Unix \
socket path that is missing, stale or of the other type, and running out of file \
descriptors. Example: nettool: connect to 127.0.0.1:9: connection refused; nothing listens \
on 127.0.0.1:9 (is the server running?)";

/// Every man page as (file name, roff): `nettool.1`, then one page per subcommand at
/// every depth (`nettool-tcp-echo.1`, `nettool-tcp-echo-connect.1`, …).
pub fn man_pages() -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    // No `help` subcommands: they have no page of their own, and listing them would
    // point to nettool-help(1) and the like, which do not exist.
    let mut cmd = without_help_subcommands(Cli::command());
    cmd.build();
    let mut pages = Vec::new();
    collect_pages(&cmd, "nettool", "nettool", &mut pages)?;
    Ok(pages)
}

fn without_help_subcommands(cmd: clap::Command) -> clap::Command {
    let cmd = cmd.disable_help_subcommand(true);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    names.into_iter().fold(cmd, |cmd, name| {
        cmd.mut_subcommand(name, without_help_subcommands)
    })
}

/// `name` is the page name (`nettool-tcp-echo`), `invocation` what a user types
/// (`nettool tcp-echo`).
fn collect_pages(
    cmd: &clap::Command,
    name: &str,
    invocation: &str,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> anyhow::Result<()> {
    pages.push((format!("{name}.1"), render_page(cmd, name)?));
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        let sub_name = format!("{name}-{}", sub.get_name());
        let sub_invocation = format!("{invocation} {}", sub.get_name());
        let renamed = sub
            .clone()
            .name(sub_name.clone())
            .bin_name(sub_invocation.clone());
        collect_pages(&renamed, &sub_name, &sub_invocation, pages)?;
    }
    Ok(())
}

fn render_page(cmd: &clap::Command, name: &str) -> anyhow::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd.clone())
        .title(name.to_uppercase())
        .date("")
        .source("nettool");
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut out)?;
    }
    let examples = examples_of(cmd);
    if !examples.is_empty() {
        writeln!(out, ".SH EXAMPLES")?;
        for (command, what) in examples {
            writeln!(
                out,
                ".TP\n.B {}\n{}",
                roff_escape(&command),
                roff_escape(&what)
            )?;
        }
    }
    let command = cmd.get_bin_name().unwrap_or("nettool");
    let command = command.strip_prefix("nettool").unwrap_or(command).trim();
    super::json_doc::render_section(&mut out, command)?;
    writeln!(out, ".SH \"EXIT STATUS\"")?;
    for line in EXIT_STATUS.lines() {
        let (code, what) = line.split_once("  ").unwrap_or((line, ""));
        writeln!(out, ".TP\n.B {code}\n{}", roff_escape(what))?;
    }
    writeln!(out, ".SH DIAGNOSTICS\n{}", roff_escape(DIAGNOSTICS))?;
    // The course, lesson by lesson, is a hand-written page of its own (man/*.7).
    if name == "nettool" {
        writeln!(out, ".SH \"SEE ALSO\"\n.BR nettool\\-lessons (7)")?;
    } else {
        writeln!(
            out,
            ".SH \"SEE ALSO\"\n.BR nettool (1),\n.BR nettool\\-lessons (7)"
        )?;
    }
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// Examples come from `after_long_help` ("Examples:" then `  command   what it does`),
/// so `--help` and the man page show the same ones. A command without its own gets
/// its subcommands' examples.
fn examples_of(cmd: &clap::Command) -> Vec<(String, String)> {
    let help = cmd
        .get_after_long_help()
        .map(|h| h.to_string())
        .unwrap_or_default();
    let mut own: Vec<(String, String)> = Vec::new();
    for l in help.lines().filter(|l| l.starts_with("  ")) {
        // A line indented past the command column carries on the description above.
        if l.starts_with("   ") {
            if let Some((_, what)) = own.last_mut() {
                what.push(' ');
                what.push_str(l.trim());
                continue;
            }
        }
        let l = l.trim();
        own.push(match l.split_once("   ") {
            Some((c, w)) => (c.trim().to_string(), w.trim().to_string()),
            None => (l.to_string(), String::new()),
        });
    }
    if !own.is_empty() {
        return own;
    }
    cmd.get_subcommands()
        .filter(|s| !s.is_hide_set())
        .flat_map(examples_of)
        .collect()
}

/// Text as roff: backslashes and hyphens escaped, a leading dot or quote literal.
pub(super) fn roff_escape(s: &str) -> String {
    let s = s.replace('\\', "\\e").replace('-', "\\-");
    if s.starts_with('.') || s.starts_with('\'') {
        format!("\\&{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_wrapped_example_description_stays_one_example() {
        let cmd = clap::Command::new("x").after_long_help(
            "Examples:\n  nettool a -l :9000     the first line,\n                         \
             and its continuation\n  nettool b              another",
        );
        assert_eq!(
            examples_of(&cmd),
            [
                (
                    "nettool a -l :9000".to_string(),
                    "the first line, and its continuation".to_string()
                ),
                ("nettool b".to_string(), "another".to_string()),
            ]
        );
    }

    /// Compare `content` with the committed file; rewrite it under NETTOOL_BLESS=1.
    fn check_fresh(path: &Path, content: &[u8], stale: &mut Vec<String>) {
        let current = std::fs::read(path).ok();
        if current.as_deref() == Some(content) {
            return;
        }
        if std::env::var_os("NETTOOL_BLESS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        } else {
            stale.push(path.display().to_string());
        }
    }

    #[test]
    fn committed_completions_and_man_pages_are_fresh() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut stale = Vec::new();
        for shell in ShellArg::value_variants() {
            check_fresh(
                &root.join("completions").join(shell.file_name()),
                &completion_script(*shell),
                &mut stale,
            );
        }
        let pages = man_pages().unwrap();
        let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        for (name, page) in &pages {
            check_fresh(&root.join("man").join(name), page, &mut stale);
        }
        for entry in std::fs::read_dir(root.join("man")).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            // Section 7 pages are written by hand, not generated.
            if !names.contains(&name.as_str()) && !name.ends_with(".7") {
                stale.push(format!("man/{name} (no such command any more)"));
            }
        }
        assert!(
            stale.is_empty(),
            "stale generated files (run NETTOOL_BLESS=1 cargo test --lib committed_): {stale:?}"
        );
    }

    /// Every `nettool-…(N)` a committed page refers to is a committed page.
    #[test]
    fn man_pages_refer_only_to_pages_that_exist() {
        let man = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
        let mut dangling = Vec::new();
        for entry in std::fs::read_dir(&man).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap().replace("\\-", "-");
            for (at, _) in text.match_indices("nettool") {
                let rest = &text[at..];
                let len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                    .unwrap_or(rest.len());
                let (page, after) = rest.split_at(len);
                let after = after.trim_start_matches(['\\', 'f', 'R', 'B', ' '].as_slice());
                for section in ["1", "7"] {
                    if after.starts_with(&format!("({section})"))
                        && !man.join(format!("{page}.{section}")).exists()
                    {
                        dangling.push(format!("{}: {page}({section})", path.display()));
                    }
                }
            }
        }
        assert!(
            dangling.is_empty(),
            "references to missing pages: {dangling:?}"
        );
    }

    #[test]
    fn every_page_has_examples_and_exit_status() {
        for (name, page) in man_pages().unwrap() {
            let page = String::from_utf8(page).unwrap();
            assert!(page.contains(".SH EXAMPLES"), "{name} lacks EXAMPLES");
            assert!(
                page.contains(".SH \"EXIT STATUS\""),
                "{name} lacks EXIT STATUS"
            );
            assert!(
                page.contains(".SH DESCRIPTION") || name == "nettool.1",
                "{name} lacks DESCRIPTION"
            );
        }
    }
}
