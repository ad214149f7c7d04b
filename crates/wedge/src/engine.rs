//! The engine: configuration and what is shared by every module and store.

use crate::Config;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use wedge_environ::FuncType;

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
            jit: config
                .is_jit()
                .then(crate::vm::jit::EngineJit::new)
                .flatten(),
        }))
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
