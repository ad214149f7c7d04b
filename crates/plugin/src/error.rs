//! Why a plug-in path did not load.

use std::fmt;
use std::path::{Path, PathBuf};

/// A plug-in file or directory that did not load, with the path and the reason.
///
/// One word wide (the payload is boxed). Its `Display` is the one line the registry prints on
/// stderr: `plug-in <path>: <reason>`.
#[derive(Debug)]
pub struct Error(Box<Inner>);

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    kind: ErrorKind,
}

/// The reason a plug-in did not load (or, for [`ErrorKind::DuplicateName`], was not registered).
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The path given to load does not exist or cannot be read.
    Io(std::io::Error),
    /// An explicitly named file whose extension is not exactly `.so`, `.dylib` or `.dll`.
    NotALibraryName,
    /// `dlopen` failed; the text is the system's (`dlerror`).
    CannotOpen(String),
    /// The library does not export `WasmEdge_Plugin_GetDescriptor`.
    NotAPlugin {
        /// True when it exports WasmEdge's C++ entry `GetDescriptor` instead: a C++ plug-in,
        /// which only WasmEdge itself can host.
        cpp_plugin: bool,
    },
    /// `WasmEdge_Plugin_GetDescriptor` returned NULL.
    NullDescriptor,
    /// The descriptor's `APIVersion` is not the one we implement.
    ApiVersion(u32),
    /// The descriptor breaks the ABI's rules; the text says how.
    Malformed(String),
    /// A plug-in with this name is already registered (from `first`); the new one is skipped.
    /// This is a warning, not a failure.
    DuplicateName {
        /// The plug-in's name.
        name: String,
        /// Where the registered plug-in of that name came from (empty for a built-in one).
        first: PathBuf,
    },
}

impl Error {
    #[cold]
    pub(crate) fn new(path: &Path, kind: ErrorKind) -> Self {
        Self(Box::new(Inner {
            path: path.to_path_buf(),
            kind,
        }))
    }

    #[cold]
    pub(crate) fn malformed(path: &Path, what: impl Into<String>) -> Self {
        Self::new(path, ErrorKind::Malformed(what.into()))
    }

    /// The file or directory concerned.
    pub fn path(&self) -> &Path {
        &self.0.path
    }

    /// Why it did not load.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// True for problems that do not stop anything (a duplicate name): reported as warnings.
    pub fn is_warning(&self) -> bool {
        matches!(self.0.kind, ErrorKind::DuplicateName { .. })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "plug-in {}: {}", self.0.path.display(), self.0.kind)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "cannot read: {e}"),
            Self::NotALibraryName => {
                f.write_str("not a shared library name (the extension must be .so, .dylib or .dll)")
            }
            Self::CannotOpen(why) => write!(f, "cannot open: {why}"),
            Self::NotAPlugin { cpp_plugin: false } => write!(
                f,
                "not a plug-in: it does not export `{}`",
                crate::abi::GET_DESCRIPTOR_SYMBOL
            ),
            Self::NotAPlugin { cpp_plugin: true } => write!(
                f,
                "not a C plug-in: it exports WasmEdge's C++ entry `GetDescriptor`, which only \
                 WasmEdge's own C++ runtime can host (a C plug-in exports `{}`)",
                crate::abi::GET_DESCRIPTOR_SYMBOL
            ),
            Self::NullDescriptor => {
                write!(f, "`{}` returned NULL", crate::abi::GET_DESCRIPTOR_SYMBOL)
            }
            Self::ApiVersion(found) => write!(
                f,
                "plug-in API version {found} (expected {})",
                crate::abi::WasmEdge_Plugin_CurrentAPIVersion
            ),
            Self::Malformed(what) => write!(f, "malformed descriptor: {what}"),
            // A built-in plug-in has no path.
            Self::DuplicateName { name, first } if first.as_os_str().is_empty() => write!(
                f,
                "a plug-in named `{name}` is built in; this one is skipped"
            ),
            Self::DuplicateName { name, first } => write!(
                f,
                "a plug-in named `{name}` is already loaded from {}; this one is skipped",
                first.display()
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.kind {
            ErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_one_word_wide() {
        assert_eq!(size_of::<Error>(), size_of::<usize>());
    }

    #[test]
    fn display_names_path_and_reason_on_one_line() {
        let e = Error::new(Path::new("/p/x.so"), ErrorKind::ApiVersion(4));
        assert_eq!(
            e.to_string(),
            "plug-in /p/x.so: plug-in API version 4 (expected 5)"
        );
        assert!(!e.is_warning());
        let e = Error::new(
            Path::new("/p/y.so"),
            ErrorKind::DuplicateName {
                name: "n".into(),
                first: "/p/x.so".into(),
            },
        );
        assert!(e.is_warning());
        assert!(!e.to_string().contains('\n'));
    }
}
