//! The one error type of the embedding API.

use std::fmt;
use wedge_environ::{ModuleError, TrapCode};

/// A trap: guest execution stopped abnormally.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trap {
    code: TrapCode,
}

impl Trap {
    /// A trap with this code.
    pub fn new(code: TrapCode) -> Self {
        Trap { code }
    }
    /// Why the guest trapped.
    pub fn code(&self) -> TrapCode {
        self.code
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)
    }
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The module could not be decoded or did not validate.
    Module(ModuleError),
    /// An import could not be resolved.
    UnknownImport {
        /// Module name.
        module: String,
        /// Field name.
        name: String,
        /// What kind of entity was expected.
        kind: &'static str,
    },
    /// An import was found but has the wrong type.
    IncompatibleImportType {
        /// Module name.
        module: String,
        /// Field name.
        name: String,
        /// What is wrong.
        detail: String,
    },
    /// A name was defined twice in a linker.
    DuplicateDefinition {
        /// Module name.
        module: String,
        /// Field name.
        name: String,
    },
    /// Guest execution trapped.
    Trap(Trap),
    /// A value did not have the expected type (wrong argument types, setting a const global).
    TypeMismatch(String),
    /// A memory or table could not be created or grown (limits, page cap, host memory).
    Resource(String),
    /// An entity was used with a store it does not belong to.
    WrongStore,
    /// A host function failed.
    Host(Box<dyn std::error::Error + Send + Sync>),
    /// The module could not be compiled to native code.
    Compile(String),
}

/// The error type of the embedding API: one word wide.
pub struct Error(Box<ErrorKind>);

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// The trap, if this error is a trap.
    pub fn as_trap(&self) -> Option<&Trap> {
        match &*self.0 {
            ErrorKind::Trap(t) => Some(t),
            _ => None,
        }
    }

    /// The trap code, if this error is a trap.
    pub fn trap_code(&self) -> Option<TrapCode> {
        self.as_trap().map(Trap::code)
    }

    /// The matching `WasmEdge_ErrCode` value.
    pub fn wasmedge_code(&self) -> u32 {
        match &*self.0 {
            ErrorKind::Module(e) => e.wasmedge_code(),
            ErrorKind::UnknownImport { .. } => 0x0302,
            ErrorKind::IncompatibleImportType { .. } => 0x0301,
            ErrorKind::DuplicateDefinition { .. } => 0x0300,
            ErrorKind::Trap(t) => t.code().wasmedge_code(),
            ErrorKind::TypeMismatch(_) => 0x0402,
            ErrorKind::Resource(_) => 0x0002,
            ErrorKind::WrongStore => 0x0400,
            ErrorKind::Host(_) => 0x040E,
            ErrorKind::Compile(_) => 0x0002,
        }
    }

    /// A host-function failure carrying `message`.
    #[cold]
    pub fn host(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Host(message.into().into()))
    }

    /// A host-function failure carrying a typed error, which the embedder can get back with
    /// [`Error::downcast_host`] (WASI's `proc_exit` travels this way).
    #[cold]
    pub fn from_host(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error::new(ErrorKind::Host(Box::new(error)))
    }

    /// The typed host error, if this error carries one of type `E`.
    pub fn downcast_host<E: std::error::Error + 'static>(&self) -> Option<&E> {
        match &*self.0 {
            ErrorKind::Host(e) => e.downcast_ref::<E>(),
            _ => None,
        }
    }

    #[cold]
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }

    #[cold]
    pub(crate) fn trap(code: TrapCode) -> Self {
        Error::new(ErrorKind::Trap(Trap::new(code)))
    }

    #[cold]
    pub(crate) fn type_mismatch(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::TypeMismatch(message.into()))
    }

    #[cold]
    pub(crate) fn resource(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Resource(message.into()))
    }
}

impl From<ModuleError> for Error {
    #[cold]
    fn from(e: ModuleError) -> Self {
        Error::new(ErrorKind::Module(e))
    }
}

impl From<TrapCode> for Error {
    #[cold]
    fn from(code: TrapCode) -> Self {
        Error::trap(code)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::Module(e) => write!(f, "{e}"),
            ErrorKind::UnknownImport { module, name, kind } => {
                write!(
                    f,
                    "unknown import: {kind} \"{module}\" \"{name}\" is not defined"
                )
            }
            ErrorKind::IncompatibleImportType {
                module,
                name,
                detail,
            } => {
                write!(
                    f,
                    "incompatible import type for \"{module}\" \"{name}\": {detail}"
                )
            }
            ErrorKind::DuplicateDefinition { module, name } => {
                write!(f, "\"{module}\" \"{name}\" is already defined")
            }
            ErrorKind::Trap(t) => write!(f, "wasm trap: {t}"),
            ErrorKind::TypeMismatch(m) => write!(f, "type mismatch: {m}"),
            ErrorKind::Resource(m) => write!(f, "{m}"),
            ErrorKind::WrongStore => f.write_str("object used with the wrong store"),
            ErrorKind::Host(e) => write!(f, "host function failed: {e}"),
            ErrorKind::Compile(m) => write!(f, "compilation failed: {m}"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl std::error::Error for Error {}

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
