//! The PyTorch backend (encoding 3): TorchScript models on libtorch 2.13, run by
//! `libwedge_nn_torch.so` (the crate `plugins/wasi_nn/torch`, which links libtorch through
//! `tch`), opened at the first load of encoding 3, once per process.
//!
//! - **Runtime**: a backend library (see [`super::library`]): `libwedge_nn_torch.so` is looked
//!   for at `$WEDGE_NN_TORCH_LIB` when it is set, else at
//!   `~/.cache/wedge/nn/libtorch/lib/libwedge_nn_torch.so`, next to libtorch, where
//!   `scripts/nn-runtimes.sh pytorch` puts it (its RUNPATH `$ORIGIN` finds libtorch there).
//! - **Behaviour**: the library's, with WasmEdge's torch backend's answers and log lines: see
//!   the module doc of `plugins/wasi_nn/torch/src/lib.rs` (one builder, targets, F32 inputs
//!   only, inputs that grow to the largest index, outputs as F32, and where Wedge answers an
//!   errno where WasmEdge would crash).
//!
//! Cost (`scripts/nn/pytorch.sh --bench`: bench.pt, 4 x [256, 1024] @ [1024, 1024] + relu,
//! release `wedge` and plug-in, a quiet shared 2-core machine, four rounds of 50 runs, libtorch's
//! default 2 threads): a run through a guest (set_input + compute + get_output) 19.0-29.3 ms,
//! median 22.7, vs libtorch called natively through tch 20.1-26.2 ms, median 24.2; the first
//! load, opening `libwedge_nn_torch.so` and libtorch included, 340-512 ms, plus a first run of
//! 31-43 ms, vs 138-187 ms natively for load and first run (libtorch already linked). Per run
//! the library copies the input once into its tensor and the output once out of it (into the
//! buffer it lends), and the plug-in copies that into the guest.

use super::library::LibraryBackend;

/// The PyTorch backend.
pub static PYTORCH: LibraryBackend = LibraryBackend::new(
    "PyTorch",
    "libwedge_nn_torch.so",
    "WEDGE_NN_TORCH_LIB",
    "libtorch/lib",
    ", with libtorch 2.13 next to it",
    "pytorch",
);
