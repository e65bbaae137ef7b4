//! Protocols: what is said on a connection, as sans-IO services the engines drive.

pub mod echo;
pub mod fanout;
pub mod heartbeat;
pub mod http;
pub mod relay;
