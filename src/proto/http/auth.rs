//! HTTP Basic authentication (RFC 7617) for `--auth USER:PASS` and `--auth-file`
//! (lines `user:$argon2id$…` or `user:$2b$…`, as `htpasswd -B` writes them).
//!
//! No oracle, by construction:
//! - every request is checked before its path is looked at, and every refusal is the
//!   same 401 page with `WWW-Authenticate`, so nothing says whether a path exists;
//! - user names and plain passwords are compared as SHA-256 digests with
//!   constant-time equality (subtle), so the time taken says nothing about how much
//!   of a guess was right;
//! - an unknown user costs the same as a known one with a wrong password: the
//!   password is still checked, against the first user's secret, and the answer
//!   thrown away (so give every user the same kind of hash and cost, as htpasswd
//!   does, or the cost tells the kinds apart).
//!
//! Hashes are slow on purpose (tens of milliseconds), and a browser sends its
//! credentials with every request; so a verified `Authorization` value is
//! remembered (by its SHA-256, at most [`MAX_REMEMBERED`]) and later requests with it
//! cost one digest. Wrong ones are never remembered.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use base64::Engine as _;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Most verified credentials remembered; then the memory starts over.
pub const MAX_REMEMBERED: usize = 256;
/// The realm named in `WWW-Authenticate`.
pub const CHALLENGE: &str = "Basic realm=\"nettool\", charset=\"UTF-8\"";

type Digest32 = [u8; 32];

fn sha256(b: &[u8]) -> Digest32 {
    Sha256::digest(b).into()
}

#[derive(Debug, Clone)]
enum Secret {
    Plain(Digest32),
    Argon2(String),
    Bcrypt(String),
}

impl Secret {
    fn parse(s: &str) -> Result<Secret, String> {
        if s.starts_with("$argon2") {
            argon2::PasswordHash::new(s).map_err(|why| format!("not an argon2 hash: {why}"))?;
            return Ok(Secret::Argon2(s.to_string()));
        }
        let b = s.as_bytes();
        let bcrypt_like = b.len() == 60
            && b[0] == b'$'
            && b[1] == b'2'
            && matches!(b[2], b'a' | b'b' | b'x' | b'y')
            && b[3] == b'$'
            && b[4].is_ascii_digit()
            && b[5].is_ascii_digit()
            && b[6] == b'$'
            && b[7..]
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b'.' || c == b'/');
        if bcrypt_like {
            return Ok(Secret::Bcrypt(s.to_string()));
        }
        Err("expected an argon2 ($argon2id$…) or bcrypt ($2b$…) hash".into())
    }

    /// Whether `password` is this secret. Takes the same time whatever the password.
    fn verify(&self, password: &[u8]) -> bool {
        match self {
            Secret::Plain(d) => bool::from(sha256(password).ct_eq(d)),
            Secret::Argon2(h) => {
                use argon2::PasswordVerifier;
                argon2::Argon2::default()
                    .verify_password(password, h.as_str())
                    .is_ok()
            }
            Secret::Bcrypt(h) => bcrypt::verify(password, h).unwrap_or(false),
        }
    }

    fn is_slow(&self) -> bool {
        !matches!(self, Secret::Plain(_))
    }
}

#[derive(Debug)]
struct User {
    name: Digest32,
    secret: Secret,
}

/// The accepted credentials.
#[derive(Debug)]
pub struct Auth {
    users: Vec<User>,
    remembered: Mutex<HashSet<Digest32>>,
    /// Password checks done (for tests: an unknown user must cost one too).
    #[cfg(test)]
    checks: std::sync::atomic::AtomicUsize,
}

impl Auth {
    /// Credentials from `--auth USER:PASS` values and an `--auth-file`. Errors name
    /// what is wrong (and the file line).
    pub fn new(plain: &[String], file: Option<&Path>) -> Result<Auth, String> {
        let mut users = Vec::new();
        for spec in plain {
            let (user, pass) = spec
                .split_once(':')
                .ok_or_else(|| format!("--auth {spec:?}: expected USER:PASS"))?;
            if user.is_empty() {
                return Err("--auth: the user name is empty".into());
            }
            users.push(User {
                name: sha256(user.as_bytes()),
                secret: Secret::Plain(sha256(pass.as_bytes())),
            });
        }
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("--auth-file {}: {e}", path.display()))?;
            for (i, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let at = || format!("--auth-file {} line {}", path.display(), i + 1);
                let (user, hash) = line
                    .split_once(':')
                    .ok_or_else(|| format!("{}: expected user:hash", at()))?;
                if user.is_empty() {
                    return Err(format!("{}: the user name is empty", at()));
                }
                let secret = Secret::parse(hash).map_err(|e| format!("{}: {e}", at()))?;
                users.push(User {
                    name: sha256(user.as_bytes()),
                    secret,
                });
            }
        }
        if users.is_empty() {
            return Err("--auth-file: no users in it".into());
        }
        Ok(Auth {
            users,
            remembered: Mutex::new(HashSet::new()),
            #[cfg(test)]
            checks: Default::default(),
        })
    }

    /// Whether an `Authorization` field value admits the request.
    pub fn admits(&self, authorization: Option<&[u8]>) -> bool {
        let Some(value) = authorization else {
            return false;
        };
        let Some(token) = basic_token(value) else {
            return false;
        };
        let key = sha256(token);
        let remembered = |s: &Self| {
            s.remembered
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .contains(&key)
        };
        if remembered(self) {
            return true;
        }
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(token) else {
            return false;
        };
        let (user, pass) = match decoded.iter().position(|&b| b == b':') {
            Some(c) => (&decoded[..c], &decoded[c + 1..]),
            None => (&decoded[..], &b""[..]),
        };
        let name = sha256(user);
        // Compare with every user, so the time does not depend on which one (if any)
        // matched.
        let mut matched: Option<&User> = None;
        for u in &self.users {
            if bool::from(u.name.ct_eq(&name)) && matched.is_none() {
                matched = Some(u);
            }
        }
        #[cfg(test)]
        self.checks
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let ok = match matched {
            Some(u) => u.secret.verify(pass),
            None => {
                // The same work as a known user with a wrong password.
                let _ = self.users[0].secret.verify(pass);
                false
            }
        };
        if ok && matched.is_some_and(|u| u.secret.is_slow()) {
            let mut r = self
                .remembered
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if r.len() >= MAX_REMEMBERED {
                r.clear();
            }
            r.insert(key);
        }
        ok
    }
}

/// The base64 part of `Basic <token>` (scheme case-insensitive, RFC 7617 §2).
fn basic_token(value: &[u8]) -> Option<&[u8]> {
    let sp = value.iter().position(|&b| b == b' ')?;
    if !value[..sp].eq_ignore_ascii_case(b"basic") {
        return None;
    }
    let token = value[sp..].trim_ascii();
    (!token.is_empty() && token.len() <= 4096).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    fn header(user: &str, pass: &str) -> Vec<u8> {
        let b = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
        format!("Basic {b}").into_bytes()
    }

    #[test]
    fn plain_credentials() {
        let a = Auth::new(&["alice:s3cret".into(), "bob:pa:ss".into()], None).unwrap();
        assert!(a.admits(Some(&header("alice", "s3cret"))));
        assert!(a.admits(Some(&header("bob", "pa:ss"))));
        assert!(!a.admits(Some(&header("alice", "s3cre"))));
        assert!(!a.admits(Some(&header("alice", "s3cret "))));
        assert!(!a.admits(Some(&header("bob", "s3cret"))));
        assert!(!a.admits(Some(&header("carol", "s3cret"))));
        assert!(!a.admits(None));
        assert!(!a.admits(Some(b"Bearer abc")));
        assert!(!a.admits(Some(b"Basic !!!")));
        let lower = String::from_utf8(header("alice", "s3cret"))
            .unwrap()
            .replace("Basic", "bAsIc");
        assert!(a.admits(Some(lower.as_bytes())));
        assert!(Auth::new(&["nocolon".into()], None).is_err());
        assert!(Auth::new(&[":x".into()], None).is_err());
    }

    #[test]
    fn an_unknown_user_costs_a_password_check_too() {
        let a = Auth::new(&["alice:x".into()], None).unwrap();
        a.admits(Some(&header("mallory", "x")));
        a.admits(Some(&header("alice", "y")));
        assert_eq!(a.checks.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn hashed_credentials_and_the_memory_of_good_ones() {
        use argon2::PasswordHasher;
        let dir = tempfile::tempdir().unwrap();
        let bc = bcrypt::hash("bpass", 4).unwrap();
        let params = argon2::Params::new(1024, 1, 1, None).unwrap();
        let ar = argon2::Argon2::from(params)
            .hash_password(b"apass")
            .unwrap()
            .to_string();
        let file = dir.path().join("users");
        std::fs::write(&file, format!("# users\n\nbea:{bc}\nara:{ar}\n")).unwrap();
        let a = Auth::new(&[], Some(&file)).unwrap();
        assert!(a.admits(Some(&header("bea", "bpass"))));
        assert!(a.admits(Some(&header("ara", "apass"))));
        assert!(!a.admits(Some(&header("ara", "bpass"))));
        assert!(!a.admits(Some(&header("bea", "apass"))));
        let before = a.checks.load(Ordering::Relaxed);
        assert!(a.admits(Some(&header("bea", "bpass"))));
        assert_eq!(a.checks.load(Ordering::Relaxed), before, "remembered");
        assert!(!a.admits(Some(&header("bea", "wrong"))));
        assert!(!a.admits(Some(&header("bea", "wrong"))));
        assert_eq!(
            a.checks.load(Ordering::Relaxed),
            before + 2,
            "wrong ones never are"
        );
        std::fs::write(&file, "x:plaintext\n").unwrap();
        let e = Auth::new(&[], Some(&file)).unwrap_err();
        assert!(e.contains("line 1"), "{e}");
        std::fs::write(&file, "# nobody\n").unwrap();
        assert!(Auth::new(&[], Some(&file)).is_err());
    }
}
