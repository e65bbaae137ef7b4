//! The `nettool` binary: parse, dispatch, turn an error into one line and an exit code
//! (which one is decided by [`nettool::error::exit_code`]).

use std::process::ExitCode;

use clap::Parser;
use nettool::cmd::Cli;
use nettool::{cmd, error, net, output};

fn main() -> ExitCode {
    net::signals::ignore_sigpipe();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    output::init_color(cli.global.color_when());
    output::init_logging(cli.global.verbosity());
    let out = cli.global.output();
    net::trace::init(cli.global.trace_mode(), cmd::trace_sink(&out));
    match cmd::dispatch(cli.command, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if error::worth_a_line(&e) {
                output::error_line(&error::render(&e));
            }
            // The one match over causes (stdout closed, --dry-run, signals, usage).
            ExitCode::from(error::exit_code(&e))
        }
    }
}
