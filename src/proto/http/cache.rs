//! Remembered resolutions: open files with their response headers, directories with
//! their rendered listings, and "not found"s — so a request for something served a
//! moment ago costs no `openat2`, `statx` or `close` (the three took a fifth of the
//! server's time per 1 KiB request), the way nginx's `open_file_cache` and lighttpd's
//! stat cache save them.
//!
//! Never stale, which a time-to-live cache cannot promise: before an entry is made,
//! inotify(7) watches are placed on every directory its resolution walks through (the
//! root, each parent, a directory itself) and on the opened file; before every lookup
//! the inotify queue is read, and an event of any kind drops every entry. The kernel
//! queues an event inside the system call that made the change, so a change completed
//! before a request was read is always seen before that request is answered; a change
//! during a resolution keeps its result out of the cache.
//!
//! inotify cannot see writes through a shared `mmap(2)` or changes made by another
//! host on a network filesystem; `--no-cache` serves such trees. The fork engine runs
//! without the cache (each child would drain a queue its siblings share), and so does a
//! server whose `inotify_init1` fails (`fs.inotify.max_user_instances`) or that has no
//! `/proc/self/fd` to watch open files through.
//!
//! A remembered small file keeps its bytes too (`entry.rs`, at most
//! [`SMALL_FILE`](super::entry::SMALL_FILE) each and
//! [`MEMORY_BUDGET`](super::entry::MEMORY_BUDGET) in all). They are read after the
//! file's watch is placed and kept only if the queue is still empty after the read,
//! so they are exactly as fresh as the entry: any change after the watch drops both.
//!
//! Bounded: at most [`MAX_ENTRIES`] entries (never more than an eighth of
//! `RLIMIT_NOFILE`, since an entry may hold a descriptor), [`MAX_WATCHES`] watches and
//! [`MAX_KEY_BYTES`] of paths; reaching a bound drops everything.

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::fs::File;
use std::os::fd::{AsFd, AsRawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify};

use super::entry::Resident;
pub use super::entry::{Dir, OpenFile};
use super::fs::{CleanPath, PathError, ResolveError, Resolved, Root, clean_raw_path};

/// Most remembered resolutions.
pub const MAX_ENTRIES: usize = 1024;
/// Most inotify watches before everything is dropped (the system-wide default
/// `fs.inotify.max_user_watches` is 8,192 on small machines).
pub const MAX_WATCHES: usize = 2048;
/// Most bytes of remembered paths (request lines may be 8 KiB long).
pub const MAX_KEY_BYTES: usize = 1 << 20;
/// How long to wait before trying `inotify_init1` again after it failed.
const RETRY_INIT: Duration = Duration::from_secs(1);

/// What changes a watched directory or file: anything but reads and opens (our own
/// `sendfile` must not invalidate what it reads).
fn watch_mask() -> AddWatchFlags {
    AddWatchFlags::IN_MODIFY
        | AddWatchFlags::IN_ATTRIB
        | AddWatchFlags::IN_CLOSE_WRITE
        | AddWatchFlags::IN_CREATE
        | AddWatchFlags::IN_DELETE
        | AddWatchFlags::IN_DELETE_SELF
        | AddWatchFlags::IN_MOVED_FROM
        | AddWatchFlags::IN_MOVED_TO
        | AddWatchFlags::IN_MOVE_SELF
}

/// What a clean path names.
#[derive(Debug, Clone)]
pub enum Found {
    File(Arc<OpenFile>),
    Dir(Arc<Dir>),
}

/// A resolution, as remembered.
pub type Outcome = Result<Found, ResolveError>;

/// Resolve without remembering.
fn resolve_now(root: &Root, path: &CleanPath, cached: bool) -> Outcome {
    Ok(match root.resolve(path)? {
        Resolved::File(name, file, meta) => {
            Found::File(Arc::new(OpenFile::new(&name, file, &meta)))
        }
        Resolved::Dir(real) => Found::Dir(Arc::new(Dir::new(real, path.clone(), cached))),
    })
}

#[derive(Debug)]
struct State {
    inotify: Option<Inotify>,
    /// When `inotify_init1` last failed (retried after [`RETRY_INIT`]).
    init_failed: Option<Instant>,
    entries: HashMap<Vec<u8>, Outcome>,
    /// Directories watched since the last reset (a rename of one raises an event
    /// and so a reset, so a path here still names the watched directory).
    watched_dirs: HashSet<PathBuf>,
    watches: usize,
    key_bytes: usize,
    /// Where inotify events are read to (made on first use).
    events: Option<Vec<u8>>,
}

/// Resolutions shared by every connection (and every `--workers` thread).
#[derive(Debug)]
pub struct FsCache {
    /// Off with `--no-cache`, without /proc/self/fd, or under an engine whose
    /// connections share no memory ([`FsCache::disable`]).
    enabled: std::sync::atomic::AtomicBool,
    max_entries: usize,
    state: Mutex<State>,
    /// Bytes of small files held in memory by the entries (and responses in flight).
    memory: Arc<std::sync::atomic::AtomicUsize>,
}

impl FsCache {
    /// A cache holding at most `max_entries` (capped by [`MAX_ENTRIES`] and an eighth
    /// of the open-file limit); `enabled` false resolves every time.
    pub fn new(enabled: bool, max_entries: usize) -> FsCache {
        // Open files are watched through /proc/self/fd: without it, nothing could
        // be remembered and every miss would pay for the attempt.
        let enabled = enabled && std::path::Path::new("/proc/self/fd").is_dir();
        let (nofile, _) = crate::net::limits::nofile();
        let by_fds = usize::try_from(nofile / 8).unwrap_or(usize::MAX);
        FsCache {
            enabled: std::sync::atomic::AtomicBool::new(enabled),
            max_entries: max_entries.min(MAX_ENTRIES).min(by_fds),
            state: Mutex::new(State {
                inotify: None,
                init_failed: None,
                entries: HashMap::new(),
                watched_dirs: HashSet::new(),
                watches: 0,
                key_bytes: 0,
                events: None,
            }),
            memory: Arc::default(),
        }
    }

    /// What the raw request path `raw` (still percent-encoded, starting with `/`)
    /// names below `root`, remembered while nothing it depends on changes. Keyed by
    /// the raw bytes, so a hit costs no decoding and no allocation. The inotify queue
    /// is read first, so a change made before the request was read is seen.
    pub fn resolve(&self, root: &Root, raw: &[u8]) -> Result<Outcome, PathError> {
        self.lookup(root, raw, true)
    }

    /// [`resolve`](Self::resolve) without reading the queue first: only for a request
    /// read before the latest [`refresh`](Self::refresh) (an event loop reads every
    /// ready connection, refreshes once, then answers them all).
    pub fn resolve_refreshed(&self, root: &Root, raw: &[u8]) -> Result<Outcome, PathError> {
        self.lookup(root, raw, false)
    }

    /// Read the inotify queue now, forgetting everything if anything changed.
    pub fn refresh(&self) {
        if self.enabled.load(std::sync::atomic::Ordering::Relaxed) {
            self.lock().drain();
        }
    }

    /// Whether resolutions are remembered at all (so refreshing once per turn pays).
    /// Resolve every request afresh from now on (called before the first request:
    /// forked children would each keep a copy and drain one inotify queue).
    pub fn disable(&self) {
        self.enabled
            .store(false, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled.load(std::sync::atomic::Ordering::Relaxed) && self.max_entries > 0
    }

    fn lookup(&self, root: &Root, raw: &[u8], drain_first: bool) -> Result<Outcome, PathError> {
        if !self.is_enabled() {
            return Ok(resolve_now(root, &clean_raw_path(raw)?, false));
        }
        let mut st = self.lock();
        if !st.ready() {
            drop(st);
            return Ok(resolve_now(root, &clean_raw_path(raw)?, false));
        }
        if drain_first {
            st.drain();
        }
        if let Some(hit) = st.entries.get(raw) {
            return Ok(hit.clone());
        }
        let path = clean_raw_path(raw)?;
        if st.entries.len() >= self.max_entries
            || st.watches >= MAX_WATCHES
            || st.key_bytes + raw.len() > MAX_KEY_BYTES
        {
            st.reset();
            if !st.ready() {
                drop(st);
                return Ok(resolve_now(root, &path, false));
            }
        }
        let mut watched = st.watch_walk(root, &path);
        let outcome = resolve_now(root, &path, watched);
        let mut bytes = None;
        if let (true, Ok(Found::File(f))) = (watched, &outcome) {
            watched = st.watch_fd(&f.file);
            if watched {
                bytes = Resident::load(&f.file, f.size, &self.memory);
            }
        }
        // Anything queued now may have happened while we looked: do not remember (nor
        // serve the bytes just read: they may not match the size and tag).
        if watched && !st.drain() {
            if let (Some(b), Ok(Found::File(f))) = (bytes, &outcome) {
                f.keep_in_memory(b);
            }
            st.key_bytes += raw.len();
            st.entries.insert(raw.to_vec(), outcome.clone());
        }
        Ok(outcome)
    }

    /// How many resolutions are remembered (for tests).
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many inotify watches are placed (for tests).
    #[cfg(test)]
    fn watches(&self) -> usize {
        self.lock().watches
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    /// Whether an inotify instance exists (made on first use, retried after failure).
    fn ready(&mut self) -> bool {
        if self.inotify.is_some() {
            return true;
        }
        if self.init_failed.is_some_and(|t| t.elapsed() < RETRY_INIT) {
            return false;
        }
        match Inotify::init(InitFlags::IN_NONBLOCK | InitFlags::IN_CLOEXEC) {
            Ok(i) => {
                self.inotify = Some(i);
                self.init_failed = None;
                true
            }
            Err(_) => {
                self.init_failed = Some(Instant::now());
                false
            }
        }
    }

    /// Read the queue; if anything changed, forget everything. Returns whether it did.
    fn drain(&mut self) -> bool {
        let Some(ino) = &self.inotify else {
            return false;
        };
        // Any event means "forget everything", so the events need no parsing: plain
        // read(2)s into a buffer kept for it (nix's read_events zeroes 4 KiB per
        // call, a sixth of a small request's instructions when done every turn).
        let buf = self.events.get_or_insert_with(|| vec![0u8; 4096]);
        let mut changed = false;
        loop {
            match nix::unistd::read(ino.as_fd(), buf) {
                Ok(n) if n > 0 => changed = true,
                Err(Errno::EINTR) => continue,
                Ok(_) | Err(Errno::EAGAIN) => break,
                Err(_) => {
                    changed = true;
                    break;
                }
            }
        }
        if changed {
            self.reset();
        }
        changed
    }

    /// Forget every entry and watch: a new inotify instance replaces the old one (closing
    /// it removes all its watches at once).
    fn reset(&mut self) {
        self.entries.clear();
        self.watched_dirs.clear();
        self.watches = 0;
        self.key_bytes = 0;
        self.inotify = None;
        self.init_failed = None;
        self.ready();
    }

    /// Watch the root and each directory along `path` that exists. A missing or
    /// non-directory component ends the walk: its parent's watch sees it appear.
    /// False when a watch could not be placed (then nothing may be remembered).
    fn watch_walk(&mut self, root: &Root, path: &CleanPath) -> bool {
        let mut dir = root.canonical.clone();
        for i in 0..=path.segments.len() {
            if i > 0 {
                dir.push(OsStr::from_bytes(&path.segments[i - 1]));
            }
            if self.watched_dirs.contains(&dir) {
                continue;
            }
            match self.add_watch(&dir, AddWatchFlags::IN_ONLYDIR) {
                Ok(()) => {
                    self.watched_dirs.insert(dir.clone());
                }
                Err(Errno::ENOENT | Errno::ENOTDIR) => return true,
                Err(_) => return false,
            }
        }
        true
    }

    /// Watch the inode behind an open file (via `/proc/self/fd`): a hard link changed
    /// from a directory we do not watch still raises an event.
    fn watch_fd(&mut self, file: &File) -> bool {
        let link = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
        self.add_watch(&link, AddWatchFlags::empty()).is_ok()
    }

    fn add_watch(&mut self, path: &std::path::Path, extra: AddWatchFlags) -> nix::Result<()> {
        let Some(ino) = &self.inotify else {
            return Err(Errno::EBADF);
        };
        ino.add_watch(path, watch_mask() | extra)?;
        self.watches += 1;
        Ok(())
    }
}

#[cfg(test)]
#[path = "cache_tests.rs"]
mod tests;
