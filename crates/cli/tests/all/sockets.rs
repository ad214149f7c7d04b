//! TCP echo between two guests (filled in with the socket programs).
