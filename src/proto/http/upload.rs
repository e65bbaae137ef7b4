//! Uploads (`--upload`): `PUT /dir/name` with the file as the body, and a
//! `multipart/form-data` POST to a directory from the listing page's own form.
//!
//! A body is streamed into a temporary file created in the target directory
//! (`staged.rs`: `.nettool-upload-…`, a dotfile, so never listed or served) and
//! renamed into place when it is complete, so no one ever sees a partial file under
//! the final name; a failed or abandoned upload leaves nothing behind (the temporary
//! file is removed when the upload is dropped). Every file operation is relative to the target
//! directory's descriptor, which was opened with the same `openat2(RESOLVE_BENEATH)`
//! rules as any GET: nothing can be written outside the root. Without `--overwrite`
//! the rename refuses to replace anything (`renameat2(RENAME_NOREPLACE)`, or a
//! `link` then `unlink` where the filesystem lacks it), so even a file created
//! meanwhile is safe.
//!
//! Statuses (RFC 9110): 201 Created for a new file (with `Location`), 204 No Content
//! for a replaced one, 409 Conflict for an existing file without `--overwrite` or a
//! directory in the way or a missing parent, 412 when `If-Match`/`If-None-Match`
//! say no, 413 above `--max-upload`, 411 without a length, 507 when the disk is full.

use std::fs::File;
use std::os::fd::AsFd;
use std::sync::Arc;

use nix::errno::Errno;

use super::entry::etag;
use super::fs::{CleanPath, ResolveError, Root, encode_segment};
use super::listing_html::escape_html;
use super::multipart::{self, FormError, FormParser, Sink};
use super::precond::{self, Conditions, Validators};
use super::staged::Staged;

/// What `--upload` allows.
#[derive(Debug, Clone, Copy)]
pub struct UploadOptions {
    /// Largest body accepted (`--max-upload`).
    pub max: u64,
    /// Replace existing files (`--overwrite`).
    pub overwrite: bool,
}

/// An upload that cannot go on: the status to answer, and why (shown on the page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub why: String,
}

fn refuse(status: u16, why: impl Into<String>) -> Refusal {
    Refusal {
        status,
        why: why.into(),
    }
}

impl From<ResolveError> for Refusal {
    fn from(e: ResolveError) -> Refusal {
        match e {
            ResolveError::Forbidden => refuse(403, "That directory may not be written to."),
            ResolveError::NotFound => refuse(409, "The directory does not exist."),
        }
    }
}

/// 413 for an upload above `--max-upload`.
fn too_large(max: u64) -> Refusal {
    refuse(413, format!("Uploads are limited to {max} bytes."))
}

fn io_refusal(e: Errno) -> Refusal {
    match e {
        Errno::ENOSPC | Errno::EDQUOT => refuse(507, "The disk is full."),
        Errno::EACCES | Errno::EPERM | Errno::EROFS => {
            refuse(403, "That directory may not be written to.")
        }
        Errno::EISDIR | Errno::ENOTEMPTY | Errno::ENOTDIR | Errno::EEXIST => {
            refuse(409, "Something else is in the way.")
        }
        Errno::ENAMETOOLONG => refuse(400, "The file name is too long."),
        _ => refuse(500, format!("The file could not be written: {}.", e.desc())),
    }
}

/// `staged.rs`'s outcomes as answers.
fn place(t: Staged, overwrite: bool) -> Result<bool, Refusal> {
    t.place(overwrite).map_err(|e| match e {
        Errno::EEXIST => refuse(409, "A file of that name exists."),
        e => io_refusal(e),
    })
}

/// What exists under `name` in `dir`: `None`, or whether it is a directory and its
/// validators' entity tag and mtime.
fn existing(dir: &File, name: &[u8]) -> Result<Option<(bool, String, i64)>, Refusal> {
    match nix::sys::stat::fstatat(dir.as_fd(), name, nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW) {
        Ok(st) => {
            let is_dir = (st.st_mode & libc::S_IFMT) == libc::S_IFDIR;
            let tag = etag(st.st_ino, st.st_size as u64, st.st_mtime, st.st_mtime_nsec);
            Ok(Some((is_dir, tag, st.st_mtime)))
        }
        Err(Errno::ENOENT) => Ok(None),
        Err(e) => Err(io_refusal(e)),
    }
}

/// A plain name we may create: not hidden (unless `--hidden`), not too long.
fn check_name(name: &[u8], hidden: bool) -> Result<(), Refusal> {
    if name.first() == Some(&b'.') && !hidden {
        return Err(refuse(403, "Names starting with a dot are not accepted."));
    }
    if name.len() > 255 {
        return Err(refuse(400, "The file name is too long."));
    }
    Ok(())
}

/// What an upload has made, for the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    /// 201 or 204.
    pub status: u16,
    /// The URL of the (first) file created.
    pub location: String,
    /// For a form: the names stored, for the page.
    pub names: Vec<Vec<u8>>,
    /// The directory's URL (the page links back to it).
    pub dir_url: String,
}

#[derive(Debug)]
enum Kind {
    Put(Staged),
    Form {
        parser: FormParser,
        current: Option<Staged>,
        stored: Vec<(Vec<u8>, bool)>,
    },
}

/// An upload in progress.
#[derive(Debug)]
pub struct Upload {
    dir: Arc<File>,
    dir_url: String,
    kind: Kind,
    received: u64,
    opts: UploadOptions,
    hidden: bool,
}

/// The parent directory of a PUT target and the name in it.
fn split_target(path: &CleanPath) -> Option<(CleanPath, Vec<u8>)> {
    let mut parent = path.clone();
    let name = parent.segments.pop()?;
    parent.trailing_slash = true;
    Some((parent, name))
}

impl Upload {
    /// Begin a PUT of `path`, whose body is announced as `length` bytes (`None`:
    /// chunked), checking everything that can be checked before the body arrives.
    pub fn put(
        root: &Root,
        path: &CleanPath,
        length: Option<u64>,
        cond: &Conditions,
        opts: UploadOptions,
    ) -> Result<Upload, Refusal> {
        if length.is_some_and(|n| n > opts.max) {
            return Err(too_large(opts.max));
        }
        let (parent, name) = match split_target(path) {
            Some(x) if !path.trailing_slash => x,
            _ => return Err(refuse(409, "A directory cannot be replaced by a file.")),
        };
        check_name(&name, root.hidden)?;
        let dir = Arc::new(root.open_dir(&parent)?);
        let verdict = match existing(&dir, &name)? {
            Some((true, ..)) => return Err(refuse(409, "A directory of that name exists.")),
            Some((false, tag, mtime)) => {
                let v = Validators {
                    etag: &tag,
                    last_modified: Some(mtime),
                };
                let verdict = precond::evaluate(cond, &v, false);
                if verdict == precond::Verdict::Proceed && !opts.overwrite {
                    return Err(refuse(
                        409,
                        "A file of that name exists (the server runs without --overwrite).",
                    ));
                }
                verdict
            }
            None => precond::evaluate_absent(cond),
        };
        if verdict != precond::Verdict::Proceed {
            return Err(refuse(412, "A precondition of the request does not hold."));
        }
        let tmp = Staged::create(&dir, &name).map_err(io_refusal)?;
        Ok(Upload {
            dir_url: parent.url(true),
            dir,
            kind: Kind::Put(tmp),
            received: 0,
            opts,
            hidden: root.hidden,
        })
    }

    /// Begin a form upload into the directory `path`.
    pub fn form(
        root: &Root,
        path: &CleanPath,
        content_type: Option<&[u8]>,
        length: Option<u64>,
        opts: UploadOptions,
    ) -> Result<Upload, Refusal> {
        if length.is_some_and(|n| n > opts.max) {
            return Err(too_large(opts.max));
        }
        let Some(boundary) = content_type.and_then(multipart::boundary) else {
            return Err(refuse(415, "Uploads by POST must be multipart/form-data."));
        };
        let dir = Arc::new(root.open_dir(path)?);
        Ok(Upload {
            dir_url: path.url(true),
            dir,
            kind: Kind::Form {
                parser: FormParser::new(boundary),
                current: None,
                stored: Vec::new(),
            },
            received: 0,
            opts,
            hidden: root.hidden,
        })
    }

    /// More of the body.
    pub fn write(&mut self, data: &[u8]) -> Result<(), Refusal> {
        self.received += data.len() as u64;
        if self.received > self.opts.max {
            return Err(too_large(self.opts.max));
        }
        match &mut self.kind {
            Kind::Put(tmp) => tmp.write(data).map_err(io_refusal),
            Kind::Form {
                parser,
                current,
                stored,
            } => {
                let mut sink = FormSink {
                    dir: &self.dir,
                    current,
                    stored,
                    opts: self.opts,
                    hidden: self.hidden,
                };
                parser.feed(data, &mut sink).map_err(|e| match e {
                    FormError::Malformed(why) => {
                        refuse(400, format!("The form is malformed: {why}."))
                    }
                    FormError::Sink(r) => r,
                })
            }
        }
    }

    /// The body is complete: put the file(s) in place.
    pub fn finish(self) -> Result<Done, Refusal> {
        match self.kind {
            Kind::Put(tmp) => {
                let location = format!("{}{}", self.dir_url, encode_segment(&tmp.name));
                let replaced = place(tmp, self.opts.overwrite)?;
                Ok(Done {
                    status: if replaced { 204 } else { 201 },
                    location,
                    names: Vec::new(),
                    dir_url: self.dir_url,
                })
            }
            Kind::Form { parser, stored, .. } => {
                if !parser.is_complete() {
                    return Err(refuse(400, "The form ended early."));
                }
                let Some((first, _)) = stored.first() else {
                    return Err(refuse(400, "The form held no file."));
                };
                Ok(Done {
                    status: 201,
                    location: format!("{}{}", self.dir_url, encode_segment(first)),
                    names: stored.into_iter().map(|(n, _)| n).collect(),
                    dir_url: self.dir_url,
                })
            }
        }
    }
}

/// Puts a form's file parts in place one by one.
struct FormSink<'a> {
    dir: &'a Arc<File>,
    current: &'a mut Option<Staged>,
    stored: &'a mut Vec<(Vec<u8>, bool)>,
    opts: UploadOptions,
    hidden: bool,
}

impl Sink for FormSink<'_> {
    type Error = Refusal;

    fn start(&mut self, name: &[u8]) -> Result<(), Refusal> {
        check_name(name, self.hidden)?;
        match existing(self.dir, name)? {
            Some((true, ..)) => return Err(refuse(409, "A directory of that name exists.")),
            Some(_) if !self.opts.overwrite => {
                return Err(refuse(
                    409,
                    format!(
                        "{} exists already (the server runs without --overwrite).",
                        escape_html(&String::from_utf8_lossy(name))
                    ),
                ));
            }
            _ => {}
        }
        *self.current = Some(Staged::create(self.dir, name).map_err(io_refusal)?);
        Ok(())
    }

    fn data(&mut self, bytes: &[u8]) -> Result<(), Refusal> {
        match self.current {
            Some(t) => t.write(bytes).map_err(io_refusal),
            None => Ok(()),
        }
    }

    fn end(&mut self) -> Result<(), Refusal> {
        if let Some(t) = self.current.take() {
            let name = t.name.clone();
            let replaced = place(t, self.opts.overwrite)?;
            self.stored.push((name, replaced));
        }
        Ok(())
    }
}

/// The page a form upload answers with: what was stored, and the way back.
pub fn created_page(done: &Done) -> String {
    let mut items = String::new();
    for n in &done.names {
        let shown = escape_html(&String::from_utf8_lossy(n));
        items.push_str(&format!(
            "<li><a href=\"{}{}\">{shown}</a></li>",
            escape_html(&done.dir_url),
            escape_html(&encode_segment(n))
        ));
    }
    let msg = format!(
        "Stored {} file{}:</p><ul>{items}</ul><p><a href=\"{}\">Back to the listing</a>",
        done.names.len(),
        if done.names.len() == 1 { "" } else { "s" },
        escape_html(&done.dir_url)
    );
    super::response::page(201, Some(&msg))
}

#[cfg(test)]
#[path = "upload_tests.rs"]
mod tests;
