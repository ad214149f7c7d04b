//! Placeholder; replaced by the area's implementation.

/// A socket descriptor (placeholder).
pub(crate) struct Socket;

pub(crate) fn register<T: 'static>(_r: &mut crate::Registrar<'_, T>) -> Result<(), wedge::Error> {
    Ok(())
}
