//! Diagnostics: checks that explain in plain sentences why something does not work,
//! each with a verdict and, for a problem, how to fix it.

pub mod group_range;
pub mod multicast;
pub mod nft;

use serde::Serialize;

/// The verdict of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Ok,
    /// Worth knowing, not necessarily wrong.
    Note,
    Problem,
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Short identifier (`interface`, `route`, `rp_filter`, …) for scripts.
    pub check: &'static str,
    pub verdict: Verdict,
    /// What was found, as a sentence.
    pub detail: String,
    /// For a problem (or a note): what to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    pub fn ok(check: &'static str, detail: impl Into<String>) -> Self {
        Check {
            check,
            verdict: Verdict::Ok,
            detail: detail.into(),
            fix: None,
        }
    }

    pub fn note(check: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Check {
            check,
            verdict: Verdict::Note,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }

    pub fn problem(check: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Check {
            check,
            verdict: Verdict::Problem,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}
