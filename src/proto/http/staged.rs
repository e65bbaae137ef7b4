//! A file written under a temporary name in its directory and renamed into place
//! when complete, so nobody ever sees it half-written under its real name; removed
//! when dropped unless it was placed. Every call is relative to the directory's
//! descriptor (`openat`, `renameat2`, `linkat`, `unlinkat`), never a path.
//!
//! Placing without replacing is atomic: `renameat2(RENAME_NOREPLACE)`, or, on a
//! filesystem without it, `linkat` (which refuses an existing name) then `unlinkat`.

use std::ffi::CString;
use std::fs::File;
use std::io::Write;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag, RenameFlags};
use nix::sys::stat::Mode;
use nix::unistd::UnlinkatFlags;

/// How temporary names begin (a dotfile: never listed or served without
/// `--hidden`).
pub const TEMP_PREFIX: &str = ".nettool-upload-";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A file being written under a temporary name.
#[derive(Debug)]
pub struct Staged {
    dir: Arc<File>,
    tmp: CString,
    file: File,
    /// The name it will have.
    pub name: Vec<u8>,
    placed: bool,
}

impl Staged {
    /// Create a new temporary file (mode 0644 less the umask) in `dir`, to become
    /// `name`.
    pub fn create(dir: &Arc<File>, name: &[u8]) -> Result<Staged, Errno> {
        for _ in 0..16 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let tmp = CString::new(format!("{TEMP_PREFIX}{}-{n}", std::process::id()))
                .map_err(|_| Errno::EINVAL)?;
            let flags = OFlag::O_CREAT
                | OFlag::O_EXCL
                | OFlag::O_WRONLY
                | OFlag::O_CLOEXEC
                | OFlag::O_NOFOLLOW;
            match nix::fcntl::openat(
                dir.as_fd(),
                tmp.as_c_str(),
                flags,
                Mode::from_bits_truncate(0o644),
            ) {
                Ok(fd) => {
                    return Ok(Staged {
                        dir: Arc::clone(dir),
                        tmp,
                        file: File::from(fd),
                        name: name.to_vec(),
                        placed: false,
                    });
                }
                Err(Errno::EEXIST) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(Errno::EEXIST)
    }

    pub fn write(&mut self, data: &[u8]) -> Result<(), Errno> {
        self.file
            .write_all(data)
            .map_err(|e| Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)))
    }

    /// Rename into place: `Ok(true)` if an existing file was replaced (only with
    /// `overwrite`); `Err(EEXIST)` when the name is taken and `overwrite` is off.
    pub fn place(mut self, overwrite: bool) -> Result<bool, Errno> {
        let dir = self.dir.as_fd();
        let (tmp, name) = (self.tmp.as_c_str(), self.name.as_slice());
        let replaced =
            match nix::fcntl::renameat2(dir, tmp, dir, name, RenameFlags::RENAME_NOREPLACE) {
                Ok(()) => false,
                Err(Errno::EEXIST) if overwrite => {
                    nix::fcntl::renameat(dir, tmp, dir, name)?;
                    true
                }
                Err(Errno::EINVAL | Errno::ENOSYS) => {
                    match nix::unistd::linkat(dir, tmp, dir, name, AtFlags::empty()) {
                        Ok(()) => {
                            let _ = nix::unistd::unlinkat(dir, tmp, UnlinkatFlags::NoRemoveDir);
                            false
                        }
                        Err(Errno::EEXIST) if overwrite => {
                            nix::fcntl::renameat(dir, tmp, dir, name)?;
                            true
                        }
                        Err(e) => return Err(e),
                    }
                }
                Err(e) => return Err(e),
            };
        self.placed = true;
        Ok(replaced)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.placed {
            let _ = nix::unistd::unlinkat(
                self.dir.as_fd(),
                self.tmp.as_c_str(),
                UnlinkatFlags::NoRemoveDir,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placed_only_when_complete_and_never_over_a_file() {
        let d = tempfile::tempdir().unwrap();
        let dir = Arc::new(File::open(d.path()).unwrap());
        let mut s = Staged::create(&dir, b"a").unwrap();
        s.write(b"12").unwrap();
        assert!(!d.path().join("a").exists());
        assert_eq!(s.place(false), Ok(false));
        assert_eq!(std::fs::read(d.path().join("a")).unwrap(), b"12");
        let s = Staged::create(&dir, b"a").unwrap();
        assert_eq!(s.place(false), Err(Errno::EEXIST));
        let mut s = Staged::create(&dir, b"a").unwrap();
        s.write(b"3").unwrap();
        assert_eq!(s.place(true), Ok(true));
        assert_eq!(std::fs::read(d.path().join("a")).unwrap(), b"3");
        drop(Staged::create(&dir, b"b").unwrap());
        let names: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a"], "a dropped file leaves nothing");
    }
}
