//! Modules: decoded and validated once, shareable across threads and stores.

use crate::interp::CompiledFunc;
use crate::{Engine, Error};
use std::sync::{Arc, OnceLock};
use wedge_environ::{EntityIndex, ExternType, ModuleInfo, VMOffsets};

/// A validated WebAssembly module. Cheap to clone; `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Module(Arc<ModuleInner>);

/// A function's interpreter code, or why it could not be translated.
pub(crate) type Translated = Result<Arc<CompiledFunc>, String>;

#[derive(Debug)]
pub(crate) struct ModuleInner {
    pub(crate) engine: Engine,
    pub(crate) info: ModuleInfo,
    pub(crate) bytes: Box<[u8]>,
    /// Engine-wide signature id of each type index.
    pub(crate) type_ids: Box<[u32]>,
    /// Interpreter code of each defined function, translated on first call.
    pub(crate) code: Box<[OnceLock<Translated>]>,
    /// The VM context layout of this module's instances.
    pub(crate) offsets: VMOffsets,
    /// Native code of every defined function, when the engine compiles and Cranelift could.
    #[cfg(feature = "cranelift")]
    pub(crate) compiled: Option<wedge_cranelift::CompiledModule>,
    native: NativeCode,
}

impl ModuleInner {
    /// The interpreter code of defined function `def` (translated on first use).
    pub(crate) fn code(&self, def: u32) -> Result<&Arc<CompiledFunc>, Error> {
        let slot = &self.code[def as usize];
        let translate = || {
            // A bug in the translator must not take the host down: it becomes this function's
            // error (the panic message is printed by the panic hook as usual).
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                crate::interp::translate(self, def)
            }))
            .unwrap_or_else(|panic| {
                let what = panic
                    .downcast_ref::<&str>()
                    .copied()
                    .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
                    .unwrap_or("a panic");
                Err(format!(
                    "internal error in the interpreter's translator: {what}"
                ))
            })
            .map(Arc::new)
        };
        match slot.get_or_init(translate) {
            Ok(f) => Ok(f),
            Err(m) => Err(Error::new(crate::ErrorKind::Module(
                wedge_environ::ModuleError {
                    kind: wedge_environ::ModuleErrorKind::Unsupported,
                    offset: self.info.bodies[def as usize].range.start,
                    func_index: Some(self.info.num_imported_funcs + def),
                    message: m.clone(),
                },
            ))),
        }
    }
}

/// An import a module declares.
#[derive(Clone, Debug)]
pub struct ImportType<'a> {
    /// Module name.
    pub module: &'a str,
    /// Field name.
    pub name: &'a str,
    /// Expected type.
    pub ty: ExternType,
}

/// Where a module's native code came from ([`Module::native_code`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NativeCode {
    /// The module is interpreted; with the reason when native code was asked for
    /// ([`Config::aot`](crate::Config::aot), [`Config::jit`](crate::Config::jit)) but could
    /// not be used (no native section, code for another CPU or configuration, a construct
    /// the compiler does not support yet).
    Interpreted(Option<String>),
    /// Compiled when the module was loaded ([`Config::jit`](crate::Config::jit)).
    Compiled,
    /// Compiled earlier, read from the code cache ([`Config::code_cache`](crate::Config::code_cache)).
    Cached,
    /// The native code in the module's own native section (a universal wasm, [`Config::aot`](crate::Config::aot)).
    Aot,
}

impl std::fmt::Display for NativeCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NativeCode::Interpreted(None) => f.write_str("interpreted"),
            NativeCode::Interpreted(Some(why)) => write!(f, "interpreted: {why}"),
            NativeCode::Compiled => f.write_str("compiled"),
            NativeCode::Cached => f.write_str("compiled code from the code cache"),
            NativeCode::Aot => f.write_str("native code compiled ahead of time"),
        }
    }
}

/// An export a module declares.
#[derive(Clone, Debug)]
pub struct ExportType<'a> {
    /// Export name.
    pub name: &'a str,
    /// Its type.
    pub ty: ExternType,
}

impl Module {
    /// Decodes and validates a binary module with the engine's feature set. The function
    /// bodies of a module whose native code it loads (a universal wasm's, or the code
    /// cache's) are not validated again when that code was compiled from this module after a
    /// validation with the same features, as its fingerprint records: the native code is
    /// trusted anyway.
    pub fn new(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Module, Error> {
        let bytes = bytes.as_ref();
        let (info, bodies) =
            ModuleInfo::parse_deferring_bodies(bytes, engine.config().features.to_wasmparser())?;
        #[cfg(feature = "cranelift")]
        let (compiled, native) = match engine.jit() {
            // Validates the bodies unless it loads code compiled from them after a validation.
            Some(jit) => jit.code_for(engine.config(), &info, bytes, bodies)?,
            None => {
                bodies.validate()?;
                (None, NativeCode::Interpreted(None))
            }
        };
        #[cfg(not(feature = "cranelift"))]
        let native = {
            bodies.validate()?;
            NativeCode::Interpreted(None)
        };
        // A universal wasm's native section is not kept: its code is loaded or unused.
        let module = crate::aot::split_native_section(bytes).map_or(bytes, |(m, _)| m);
        Ok(Self::assemble(
            engine,
            info,
            module,
            #[cfg(feature = "cranelift")]
            compiled,
            native,
        ))
    }

    /// Loads a shared library written by `wedge compile OUT.so`
    /// ([`Engine::precompile_shared_library`](crate::Engine::precompile_shared_library)): the
    /// module inside it, validated with the engine's features, and with
    /// [`Config::aot`](crate::Config::aot) its native code, when it was made for this CPU and
    /// configuration ([`Module::native_code`] says what happened). The library is opened with
    /// the system loader, which runs its initializers: load only libraries you trust. As in
    /// [`Module::new`], the function bodies are not validated again when the library's code
    /// was compiled after a validation with the engine's features.
    #[cfg(feature = "cranelift")]
    pub fn from_shared_library(
        engine: &Engine,
        path: impl AsRef<std::path::Path>,
    ) -> Result<Module, Error> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)
            .map_err(|e| Error::resource(format!("cannot read {}: {e}", path.display())))?;
        crate::aot::check_elf(&bytes)
            .map_err(|e| Error::resource(format!("cannot load {}: {e}", path.display())))?;
        let lib = crate::vm::native_lib::NativeLibrary::open(path)
            .map_err(|e| Error::resource(format!("cannot load {}: {e}", path.display())))?;
        let lib = Arc::new(lib);
        let parts = lib
            .parts()
            .map_err(|e| Error::resource(format!("cannot load {}: {e}", path.display())))?;
        let (info, bodies) = ModuleInfo::parse_deferring_bodies(
            parts.wasm,
            engine.config().features.to_wasmparser(),
        )?;
        let (compiled, native) = match engine.jit() {
            Some(jit) if engine.config().is_aot() => {
                jit.library_code(&info, &parts, || Box::new(lib.clone()))
            }
            _ => (None, NativeCode::Interpreted(None)),
        };
        match &compiled {
            Some(code) => crate::vm::jit::validate_unless_vouched(bodies, code, engine.config())?,
            None => bodies.validate()?,
        }
        let wasm = parts.wasm.to_vec();
        Ok(Self::assemble(engine, info, &wasm, compiled, native))
    }

    fn assemble(
        engine: &Engine,
        info: ModuleInfo,
        bytes: &[u8],
        #[cfg(feature = "cranelift")] compiled: Option<wedge_cranelift::CompiledModule>,
        native: NativeCode,
    ) -> Module {
        let type_ids = info.types.iter().map(|t| engine.type_id(t)).collect();
        let code = (0..info.bodies.len()).map(|_| OnceLock::new()).collect();
        let offsets = VMOffsets::new(std::mem::size_of::<usize>() as u32, &info);
        Module(Arc::new(ModuleInner {
            engine: engine.clone(),
            info,
            bytes: bytes.into(),
            type_ids,
            code,
            offsets,
            #[cfg(feature = "cranelift")]
            compiled,
            native,
        }))
    }

    /// Checks that `bytes` decode and validate with the engine's feature set, without keeping
    /// the module (this accepts proposals the engine cannot run yet).
    pub fn validate(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<(), Error> {
        ModuleInfo::validate(bytes.as_ref(), engine.config().features.to_wasmparser())?;
        Ok(())
    }

    /// Whether the module's functions run as native code (see `Config::jit`); false when the
    /// engine interprets or Cranelift cannot compile the module yet (then it is interpreted).
    pub fn is_compiled(&self) -> bool {
        #[cfg(feature = "cranelift")]
        return self.0.compiled.is_some();
        #[cfg(not(feature = "cranelift"))]
        false
    }

    /// Whether a deadline or an [`InterruptHandle`](crate::InterruptHandle) can stop the
    /// module's functions: always when they are interpreted; for native code, only when it
    /// was compiled for an interruptible engine (`wedge compile --interruptible`,
    /// [`Config::interruptible`](crate::Config::interruptible)), as in WasmEdge.
    pub fn can_be_interrupted(&self) -> bool {
        #[cfg(feature = "cranelift")]
        return self
            .0
            .compiled
            .as_ref()
            .is_none_or(|c| c.polls_for_interrupts());
        #[cfg(not(feature = "cranelift"))]
        true
    }

    /// The module's binary (for a module from a shared library, the module inside it; for
    /// a universal wasm, the module without its native section).
    pub fn bytes(&self) -> &[u8] {
        &self.0.bytes
    }

    /// Where the module's native code came from, or why it is interpreted.
    pub fn native_code(&self) -> &NativeCode {
        &self.0.native
    }

    /// The engine the module was validated with.
    pub fn engine(&self) -> &Engine {
        &self.0.engine
    }

    /// The module's name from its `name` section.
    pub fn name(&self) -> Option<&str> {
        self.0.info.name.as_deref()
    }

    /// The imports the module needs, in order.
    pub fn imports(&self) -> impl ExactSizeIterator<Item = ImportType<'_>> + '_ {
        let info = &self.0.info;
        info.imports.iter().map(move |i| ImportType {
            module: &i.module,
            name: &i.name,
            ty: info.entity_type(i.index),
        })
    }

    /// The module's exports, in order.
    pub fn exports(&self) -> impl ExactSizeIterator<Item = ExportType<'_>> + '_ {
        let info = &self.0.info;
        info.exports.iter().map(move |e| ExportType {
            name: &e.name,
            ty: info.entity_type(e.index),
        })
    }

    /// The type of an export, if it exists.
    pub fn get_export(&self, name: &str) -> Option<ExternType> {
        self.0
            .info
            .export_map
            .get(name)
            .map(|&i: &EntityIndex| self.0.info.entity_type(i))
    }

    pub(crate) fn inner(&self) -> &ModuleInner {
        &self.0
    }
}
