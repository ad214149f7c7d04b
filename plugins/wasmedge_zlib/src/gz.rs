//! gz files: `gzopen` and the calls on a `gzFile` handle.

/// The open gz files of one module instance.
#[derive(Default)]
pub struct GzFiles {}
