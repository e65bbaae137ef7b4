//! What the fuzz targets share (each target is one binary in `src/bin/`, see
//! `fuzz/README.md`): reading structure out of the fuzzer's bytes ([`input`]), the
//! fixture tree every file-serving target resolves against ([`fixture`]), driving a
//! sans-IO connection service the way an engine does ([`drive`]), and the checker
//! that decides whether bytes are a well-framed sequence of HTTP responses ([`http`]).
//!
//! Nothing here opens a socket, and the only files touched are the fixture's, made in
//! a temporary directory (`run.sh` points `TMPDIR` at a directory it removes).

pub mod drive;
pub mod fixture;
pub mod http;
pub mod input;
