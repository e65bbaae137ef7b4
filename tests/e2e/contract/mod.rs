//! The scripting contract that holds across subcommands: ports by number or service
//! name, usage errors that read as sentences, OS errors that say what to do, and one
//! way of printing durations and counts.

mod debug_logs;
mod os_errors;
mod ports;
mod wording;
