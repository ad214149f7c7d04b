//! The engine: configuration and what is shared by every module and store.

use crate::Config;
#[cfg(feature = "cranelift")]
use crate::Error;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use wedge_environ::FuncType;
#[cfg(feature = "cranelift")]
use wedge_environ::ModuleInfo;

/// Compiles and validates modules and owns engine-wide state (the signature registry).
///
/// Cheap to clone; `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Engine(Arc<EngineInner>);

#[derive(Debug)]
struct EngineInner {
    config: Config,
    /// Engine-wide signature ids, so a signature check is one integer compare across modules.
    types: Mutex<HashMap<FuncType, u32>>,
    /// The compiled tier, when `Config::jit` is on.
    #[cfg(feature = "cranelift")]
    jit: Option<crate::vm::jit::EngineJit>,
}

impl Engine {
    /// An engine with this configuration.
    pub fn new(config: &Config) -> Engine {
        Engine(Arc::new(EngineInner {
            config: config.clone(),
            types: Mutex::default(),
            #[cfg(feature = "cranelift")]
            jit: (config.is_jit() || config.is_aot())
                .then(|| crate::vm::jit::EngineJit::new(config))
                .flatten(),
        }))
    }

    /// Compiles `wasm` (validated with the engine's features) into a *universal wasm*: the
    /// module followed by a custom section holding its native code for this engine's compiler
    /// settings and CPU (see [`crate::aot`]), which an engine with [`Config::aot`] runs without
    /// compiling. A native section already in `wasm` is replaced. `progress(done, total)`
    /// reports compiled functions from the compiling threads.
    ///
    /// Fails if the engine has no compiled tier (the `cranelift` feature is off) or the module
    /// uses something the compiler does not support yet. Code compiled for an engine that
    /// counts instructions or charges costs meters like the interpreter; it runs only in an
    /// engine with the same metering settings and cost table (they are part of the fingerprint).
    #[cfg(feature = "cranelift")]
    pub fn precompile(
        &self,
        wasm: &[u8],
        progress: &(dyn Fn(u32, u32) + Sync),
    ) -> Result<Vec<u8>, Error> {
        let (module, image) = self.compile_image(wasm, progress)?;
        Ok(crate::aot::universal(module, &image))
    }

    /// Compiles `wasm` like [`Engine::precompile`] into the shared library `out` (the code in
    /// its text, the module and the code's description as data; see
    /// `wedge_cranelift::symbols`), linked by the system's C compiler driver (`$CC` or `cc`),
    /// which must be installed. [`Module::from_shared_library`](crate::Module::from_shared_library)
    /// loads it.
    #[cfg(feature = "cranelift")]
    pub fn precompile_shared_library(
        &self,
        wasm: &[u8],
        out: &std::path::Path,
        progress: &(dyn Fn(u32, u32) + Sync),
    ) -> Result<(), Error> {
        let (module, image) = self.compile_image(wasm, progress)?;
        let object = wedge_cranelift::write_object(&image, &crate::aot::sha256(module), module)
            .map_err(|e| Error::new(crate::ErrorKind::Compile(e.to_string())))?;
        crate::aot::link_shared_library(&object, out)
            .map_err(|e| Error::new(crate::ErrorKind::Compile(e)))
    }

    /// The module in `wasm` (without a native section it may carry), validated, and its code.
    #[cfg(feature = "cranelift")]
    pub(crate) fn compile_image<'w>(
        &self,
        wasm: &'w [u8],
        progress: &(dyn Fn(u32, u32) + Sync),
    ) -> Result<(&'w [u8], wedge_cranelift::CodeImage), Error> {
        let module = crate::aot::split_native_section(wasm).map_or(wasm, |(m, _)| m);
        let info = ModuleInfo::parse(module, self.0.config.features.to_wasmparser())?;
        let jit = match &self.0.jit {
            Some(jit) => jit,
            None => &crate::vm::jit::EngineJit::new(&self.0.config).ok_or_else(|| {
                Error::new(crate::ErrorKind::Compile(
                    "the compiled tier is not available on this host".into(),
                ))
            })?,
        };
        Ok((module, jit.compile_image(&info, module, progress)?))
    }

    /// The engine's configuration.
    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// The engine-wide id of a signature.
    pub(crate) fn type_id(&self, ty: &FuncType) -> u32 {
        let mut types = self.0.types.lock().unwrap_or_else(PoisonError::into_inner);
        let next = types.len() as u32;
        *types.entry(ty.clone()).or_insert(next)
    }

    /// The compiled tier, if this engine compiles.
    #[cfg(feature = "cranelift")]
    pub(crate) fn jit(&self) -> Option<&crate::vm::jit::EngineJit> {
        self.0.jit.as_ref()
    }

    /// Whether two handles are the same engine.
    pub fn same(a: &Engine, b: &Engine) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(&Config::default())
    }
}
