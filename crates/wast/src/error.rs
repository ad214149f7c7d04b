//! The crate's error type: a script that could not be read or parsed.

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong with a script as a whole (failing directives are not errors; they are
/// counted in the [`Report`](crate::Report)).
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The script is not well-formed `.wast` text.
    Parse {
        /// The script's name.
        file: String,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// The parser's message.
        message: String,
    },
}

/// The error type of this crate: one word wide.
pub struct Error(Box<ErrorKind>);

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    #[cold]
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Error(Box::new(ErrorKind::Io {
            path: path.to_path_buf(),
            source,
        }))
    }

    #[cold]
    pub(crate) fn parse(file: &str, text: &str, err: &wast::Error) -> Self {
        let (line, col) = err.span().linecol_in(text);
        Error(Box::new(ErrorKind::Parse {
            file: file.to_string(),
            line: line + 1,
            column: col + 1,
            message: err.message(),
        }))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::Io { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            ErrorKind::Parse {
                file,
                line,
                column,
                message,
            } => {
                write!(f, "{file}:{line}:{column}: malformed script: {message}")
            }
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            ErrorKind::Io { source, .. } => Some(source),
            ErrorKind::Parse { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn error_is_one_word() {
        assert_eq!(
            std::mem::size_of::<super::Error>(),
            std::mem::size_of::<usize>()
        );
    }
}
