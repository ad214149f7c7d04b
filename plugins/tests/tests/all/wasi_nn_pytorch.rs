//! End-to-end tests of wasi_nn_pytorch: written with its backend or plug-in.
