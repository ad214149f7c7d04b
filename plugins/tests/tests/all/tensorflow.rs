//! End-to-end tests of tensorflow: written with its backend or plug-in.
