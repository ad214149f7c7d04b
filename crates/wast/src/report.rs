//! The outcome of running one script.

use std::fmt;

/// Counts of passed, failed and skipped directives of one script, with the failures.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// The script's name (usually its path).
    pub name: String,
    /// Directives that did what they assert.
    pub passed: usize,
    /// Directives that did not.
    pub failed: usize,
    /// Directives not run (a proposal out of scope).
    pub skipped: usize,
    /// Every failure, in script order.
    pub failures: Vec<Failure>,
    /// Every skipped directive, in script order.
    pub skips: Vec<Skip>,
}

/// A directive that failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// The directive (`assert_return`, `module`, ...).
    pub directive: &'static str,
    /// What was expected and what happened.
    pub message: String,
}

/// A directive that was not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// The directive.
    pub directive: &'static str,
    /// Why it was not run.
    pub reason: String,
}

impl Report {
    /// An empty report for the script `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Report {
            name: name.into(),
            ..Report::default()
        }
    }

    /// Whether no directive failed.
    pub fn is_success(&self) -> bool {
        self.failed == 0
    }

    /// Directives run or skipped.
    pub fn total(&self) -> usize {
        self.passed + self.failed + self.skipped
    }

    /// The one-line summary: `NAME: P passed, F failed, S skipped`.
    pub fn summary(&self) -> Summary<'_> {
        Summary(self)
    }
}

/// The one-line summary of a [`Report`], from [`Report::summary`].
#[derive(Clone, Copy, Debug)]
pub struct Summary<'a>(&'a Report);

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.0;
        write!(
            f,
            "{}: {} passed, {} failed, {} skipped",
            r.name, r.passed, r.failed, r.skipped
        )
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.line, self.column, self.directive, self.message
        )
    }
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: skipped: {}",
            self.line, self.column, self.directive, self.reason
        )
    }
}

impl fmt::Display for Report {
    /// The summary line, then one line per failure (`NAME:LINE:COL: directive: message`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.summary())?;
        for fail in &self.failures {
            write!(f, "\n  {}:{fail}", self.name)?;
        }
        Ok(())
    }
}
