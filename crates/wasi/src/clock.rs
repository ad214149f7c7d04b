//! Placeholder; replaced by the area's implementation.

pub(crate) fn register<T: 'static>(_r: &mut crate::Registrar<'_, T>) -> Result<(), wedge::Error> {
    Ok(())
}
