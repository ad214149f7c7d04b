//! End-to-end tests of wasi_nn_openvino: written with its backend or plug-in.
