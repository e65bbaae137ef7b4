//! The scripting contract that holds across subcommands: ports by number or service
//! name, usage errors that read as sentences, OS errors that say what to do, and one
//! way of printing durations and counts; one JSON schema for every record, one `-w`
//! rule, and the usage contract checked on every subcommand clap knows.

mod debug_logs;
pub(crate) mod json;
mod os_errors;
mod ports;
mod timeouts;
pub mod walk;
mod wording;
