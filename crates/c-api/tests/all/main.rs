//! C API integration tests.
