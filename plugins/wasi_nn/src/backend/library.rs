//! Backends that live in a **backend library** (`libwedge_nn_<name>.so`, see
//! `crates/nn-backend-abi`): a shared library that links one heavy runtime, built by that
//! runtime's script outside the workspace and opened here at the first load of its encoding,
//! once per process.
//!
//! A [`LibraryBackend`] names the library and where it is looked for: `$<env>` when set, else
//! `<cache>/<dir>/<file>` in the runtime cache ([`super::runtime_cache`]), where
//! `scripts/nn-runtimes.sh <script>` puts it. When it cannot be opened (absent, its runtime
//! missing, another ABI version), that and every later load of the encoding answer
//! `InvalidArgument` (WasmEdge's answer for a backend it was built without) with one log line
//! naming what is missing and the script to run.
//!
//! Everything else is the library's: graphs, contexts and outputs are its, owned here by
//! [`wedge_nn_backend_abi::import`]'s safe wrappers, and outputs are lent by it and copied once,
//! into the guest.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::OnceLock;

use wedge_nn_backend_abi::import::{LibContext, LibGraph, Library};

use super::{Backend, Context, Graph, Tensor};
use crate::types::{ErrNo, NnResult, Target, TensorType};

/// A backend in a backend library.
pub struct LibraryBackend {
    /// The backend's name in log lines ("GGML").
    pub name: &'static str,
    /// The library's file name.
    pub file: &'static str,
    /// The variable that names the library's path, overriding the cache.
    pub env: &'static str,
    /// The library's directory in the runtime cache.
    pub cache_dir: &'static str,
    /// What the library needs besides itself, for the log line ("libtorch 2.13 next to it").
    pub needs: &'static str,
    /// The `scripts/nn-runtimes.sh` runtime that builds and installs it.
    pub script: &'static str,
    /// The library, opened at first use, or why it could not be.
    library: OnceLock<Result<&'static Library, String>>,
}

impl LibraryBackend {
    /// A backend whose library is not opened yet.
    #[must_use]
    pub const fn new(
        name: &'static str,
        file: &'static str,
        env: &'static str,
        cache_dir: &'static str,
        needs: &'static str,
        script: &'static str,
    ) -> Self {
        Self {
            name,
            file,
            env,
            cache_dir,
            needs,
            script,
            library: OnceLock::new(),
        }
    }

    /// Where the cache holds the library.
    #[must_use]
    pub fn default_library(&self) -> Option<PathBuf> {
        super::runtime_cache().map(|c| c.join(self.cache_dir).join(self.file))
    }

    /// The path the library is opened from: `$<env>` when set, else [`Self::default_library`].
    #[must_use]
    pub fn library_path(&self) -> Option<PathBuf> {
        std::env::var_os(self.env)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| self.default_library())
    }

    /// The process's library, opened on first use; `InvalidArgument` with a log line saying
    /// what is missing and what to install when it cannot be opened.
    fn library(&self) -> NnResult<&'static Library> {
        let library = self.library.get_or_init(|| match self.library_path() {
            Some(path) => Library::open(&path),
            None => Err(format!("neither {} nor HOME is set", self.env)),
        });
        library.as_ref().copied().map_err(|why| {
            crate::log(&format!(
                "{} backend: {} (Wedge's {} backend{}) cannot be opened: {why}. Install it with \
                 scripts/nn-runtimes.sh {}, or set {} to the library's path.",
                self.name, self.file, self.name, self.needs, self.script, self.env
            ));
            ErrNo::InvalidArgument
        })
    }
}

/// The number a library takes for a target (wasi-nn's).
const fn target_number(target: Target) -> u32 {
    match target {
        Target::Cpu => 0,
        Target::Gpu => 1,
        Target::Tpu => 2,
        Target::Auto => 3,
    }
}

/// The number a library takes for a tensor type (wasi-nn's, as since 2025-03).
const fn tensor_number(ty: TensorType) -> u32 {
    match ty {
        TensorType::F16 => 0,
        TensorType::F32 => 1,
        TensorType::F64 => 2,
        TensorType::U8 => 3,
        TensorType::I32 => 4,
        TensorType::I64 => 5,
    }
}

impl Backend for LibraryBackend {
    fn load(&self, builders: &[Vec<u8>], target: Target) -> NnResult<Box<dyn Graph>> {
        let library = self.library()?;
        let graph = library
            .load(builders, target_number(target))
            .map_err(ErrNo::from_code)?;
        Ok(Box::new(graph))
    }
}

impl Graph for LibGraph {
    fn init_context(&self) -> NnResult<Box<dyn Context>> {
        let context = LibGraph::init_context(self).map_err(ErrNo::from_code)?;
        Ok(Box::new(context))
    }
}

impl Context for LibContext {
    fn set_input(&mut self, index: u32, tensor: Tensor) -> NnResult<()> {
        LibContext::set_input(
            self,
            index,
            &tensor.dims,
            tensor_number(tensor.ty),
            &tensor.data,
        )
        .map_err(ErrNo::from_code)
    }

    fn compute(&mut self) -> NnResult<()> {
        LibContext::compute(self).map_err(ErrNo::from_code)
    }

    fn get_output(&mut self, index: u32) -> NnResult<Cow<'_, [u8]>> {
        self.output(index)
            .map(Cow::Borrowed)
            .map_err(ErrNo::from_code)
    }

    fn compute_single(&mut self) -> NnResult<()> {
        match LibContext::compute_single(self) {
            Some(r) => r.map_err(ErrNo::from_code),
            None => Err(super::not_streaming("compute_single")),
        }
    }

    fn get_output_single(&mut self, index: u32) -> NnResult<Cow<'_, [u8]>> {
        match self.output_single(index) {
            Some(r) => r.map(Cow::Borrowed).map_err(ErrNo::from_code),
            None => Err(super::not_streaming("get_output_single")),
        }
    }

    fn fini_single(&mut self) -> NnResult<()> {
        match LibContext::fini_single(self) {
            Some(r) => r.map_err(ErrNo::from_code),
            None => Err(super::not_streaming("fini_single")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static TEST: LibraryBackend = LibraryBackend::new(
        "Test",
        "libwedge_nn_test.so",
        "WEDGE_NN_TEST_LIB_UNSET",
        "test/lib",
        ", with its runtime",
        "test",
    );

    #[test]
    fn the_cache_path_is_the_backends_directory() {
        let p = TEST.default_library().unwrap();
        assert!(
            p.ends_with("wedge/nn/test/lib/libwedge_nn_test.so"),
            "{}",
            p.display()
        );
    }

    #[test]
    fn numbers_are_wasi_nns() {
        assert_eq!(target_number(Target::Cpu), 0);
        assert_eq!(target_number(Target::Gpu), 1);
        assert_eq!(Target::from_load(1), Some(Target::Gpu));
        for n in 0..6 {
            let ty = TensorType::from_u32(n).unwrap();
            assert_eq!(tensor_number(ty), n);
        }
        assert_eq!(ErrNo::from_code(103), ErrNo::ModelNotFound);
        assert_eq!(ErrNo::from_code(42), ErrNo::RuntimeError);
    }
}
