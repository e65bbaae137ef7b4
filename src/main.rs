//! The `nettool` binary: parse, dispatch, turn an error into one line and an exit code
//! (which one is decided by [`nettool::error::exit_code`]).

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use nettool::cmd::Cli;
use nettool::{cmd, error, net, output};

fn main() -> ExitCode {
    net::signals::ignore_sigpipe();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; a missing subcommand shows the
            // help on stderr with 2; any other usage error is one line with 2. Under
            // --json a failure is also an error record.
            let code = e.exit_code().clamp(0, 255) as u8;
            let failure = if !e.use_stderr() {
                let _ = e.print();
                None
            } else if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                let _ = e.print();
                Some("a subcommand is required (the help above lists them)".to_string())
            } else {
                let message = usage_line(&e);
                output::error_line(&message);
                Some(message)
            };
            if let (Some(message), true) = (failure, json_requested()) {
                output::Output::new(true, output::Verbosity::Normal).error(&message, code);
            }
            return ExitCode::from(code);
        }
    };
    output::init_color(cli.global.color_when());
    output::init_logging(cli.global.verbosity());
    let out = cli.global.output();
    let bytes = cli.global.verbosity() >= output::Verbosity::Verbose;
    net::trace::init(cli.global.trace_mode(), bytes, cmd::trace_sink(&out));
    let result = cmd::dispatch(cli.command, &out);
    net::trace::finish();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The one match over causes (stdout closed, --dry-run, signals, usage).
            let code = error::exit_code(&e);
            if error::worth_a_line(&e) {
                let message = error::render(&e);
                output::error_line(&message);
                out.error(&message, code);
            }
            ExitCode::from(code)
        }
    }
}

/// clap's error as the one line every nettool error is: its first paragraph (the
/// message, and the arguments it lists on lines of their own) without the `error: `
/// prefix; the usage and tips below it are what `--help` shows.
fn usage_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let words: Vec<&str> = text
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    words.join(" ").trim_start_matches("error: ").to_string()
}

/// Whether `--json` was on a command line clap refused: its error is a record too.
fn json_requested() -> bool {
    std::env::args_os()
        .skip(1)
        .take_while(|a| a != "--")
        .any(|a| a == "--json")
}
