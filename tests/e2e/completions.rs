//! The committed completion scripts, loaded into real shells and asked for
//! completions: `-i/--iface` offers the host's interface names (not file names) in
//! bash, zsh and fish.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::require;

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions")
        .join(name)
}

/// The interfaces of this host, as the scripts should offer them.
fn interfaces() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("/sys/class/net")
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn run_in(dir: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(out.status.success(), "{program} {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A directory holding a file, so that offering file names would show.
fn cwd_with_a_file() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-file-not-an-interface"), b"").unwrap();
    dir
}

fn assert_offers_interfaces(shell: &str, line: &str, got: &[String]) {
    let mut got: Vec<String> = got.to_vec();
    got.sort();
    got.dedup();
    assert_eq!(got, interfaces(), "{shell}: `{line}` offered {got:?}");
}

const LINES: [&str; 3] = [
    "nettool multicast recv -i ",
    "nettool broadcast send 9999 --iface ",
    "nettool multicast doctor 239.1.2.3:5000 -i ",
];

#[test]
fn bash_completes_interface_names() {
    let dir = cwd_with_a_file();
    let path = script("nettool.bash");
    for line in LINES {
        let words: Vec<&str> = line.split_whitespace().collect();
        let program = format!(
            "source {}; COMP_WORDS=({} ''); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; \
             _nettool nettool '' {}; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path.display(),
            words.join(" "),
            words.len(),
            words.last().unwrap()
        );
        let out = run_in(dir.path(), "bash", &["-c", &program]);
        let got: Vec<String> = out.lines().map(str::to_string).collect();
        assert_offers_interfaces("bash", line, &got);
    }
}

#[test]
fn fish_completes_interface_names() {
    if !require("fish") {
        return;
    }
    let dir = cwd_with_a_file();
    let path = script("nettool.fish");
    for line in LINES {
        let program = format!("source {}; complete -C '{line}'", path.display());
        let out = run_in(dir.path(), "fish", &["-c", &program]);
        let got: Vec<String> = out
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect();
        assert_offers_interfaces("fish", line, &got);
    }
}

/// zsh completes only in its line editor: an interactive zsh on a pseudo-terminal
/// (zsh/zpty) gets the line and a TAB, and a wrapper around `compadd` prints every
/// candidate the completion system adds, between `<<` and `>>` lines.
const ZSH_DRIVER: &str = r#"
zmodload zsh/zpty
script=$1; line=$2
zpty z zsh -f -i
zpty -w z 'PROMPT=; RPROMPT=; autoload -U compinit; compinit -u -D'
zpty -w z "source ${(q)script}; compdef _nettool nettool"
zpty -w z 'compadd() { local -a got; builtin compadd -O got "$@"; print -rl -- "" "<<" $got ">>" >/dev/tty; builtin compadd "$@" }'
zpty -w z 'print READY'
zpty -r z ready '*READY*'
zpty -r z ready '*READY*'
zpty -w -n z "$line"$'\t'
out=
for i in {1..100}; do
  sleep 0.1
  while zpty -r -t z chunk; do out+=$chunk; done
  [[ $out == *'>>'* ]] && break
done
zpty -d z
print -r -- ${out//$'\r'/}
"#;

#[test]
fn zsh_completes_interface_names() {
    if !require("zsh") {
        return;
    }
    let dir = cwd_with_a_file();
    let driver = dir.path().join("driver.zsh");
    std::fs::write(&driver, ZSH_DRIVER).unwrap();
    let path = script("_nettool");
    for line in LINES {
        let out = run_in(
            dir.path(),
            "zsh",
            &["-f", driver.to_str().unwrap(), path.to_str().unwrap(), line],
        );
        let mut got = Vec::new();
        let mut inside = false;
        for l in out.lines().map(str::trim) {
            match l {
                "<<" => inside = true,
                ">>" => inside = false,
                "" => {}
                name if inside => got.push(name.to_string()),
                _ => {}
            }
        }
        assert_offers_interfaces("zsh", line, &got);
    }
}
