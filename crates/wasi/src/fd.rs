//! Descriptors and the `fd_*` functions.

use std::collections::BTreeMap;

/// An open descriptor.
pub(crate) enum Descriptor {
    /// Standard input/output/error.
    Stdio(u32),
    /// A directory.
    Dir(cap_std::fs::Dir, Option<String>, bool),
    /// A socket.
    Socket(crate::sock::Socket),
}

impl Descriptor {
    pub(crate) fn preopen(guest: String, dir: cap_std::fs::Dir, readonly: bool) -> Descriptor {
        Descriptor::Dir(dir, Some(guest), readonly)
    }
}

pub(crate) fn install_stdio(fds: &mut BTreeMap<u32, Descriptor>) {
    for i in 0..3 {
        fds.insert(i, Descriptor::Stdio(i));
    }
}

pub(crate) fn register<T: 'static>(_r: &mut crate::Registrar<'_, T>) -> Result<(), wedge::Error> {
    Ok(())
}
