//! End-to-end tests of tensorflowlite: written with its backend or plug-in.
