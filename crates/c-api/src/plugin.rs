//! Plug-ins (`wasmedge_plugin.h`): loading through `wedge-plugin`'s process-wide registry and
//! creating their modules, which plug-ins build through this C API.
//!
//! As in WasmEdge, loading the default paths first registers the built-in plug-in
//! `wasi_logging` (module `wasi:logging/logging`, [`wedge_wasi::logging`]), so it is listed,
//! found and creates its module like a loaded one; `WasmEdge_PluginLoadFromPath` alone does not
//! register it. Every VM registers its module whether or not it is listed.

use crate::abi::WasmEdge_String;
use crate::ffi::{self, guard};
use crate::instance::{BuiltinDefine, ModuleKind, WasmEdge_ModuleInstanceContext, track_module};
use crate::store::{CStore, CStoreData};
use core::ffi::c_char;
use std::path::PathBuf;
use std::ptr;
use wedge_plugin::{
    ForbiddenPlugins, ModuleDescriptor, OptionError, OptionType, Plugin, PluginRegistry,
    PluginVersion, ProgramOption,
};

/// The built-in logging plug-in's name, as WasmEdge names it.
pub const WASI_LOGGING: &str = "wasi_logging";

/// WasmEdge's built-in `wasi_logging` plug-in: version 0.1.0.0, no description, one module
/// `wasi:logging/logging` with no description.
fn wasi_logging_plugin() -> Plugin {
    let version = PluginVersion {
        major: 0,
        minor: 1,
        patch: 0,
        build: 0,
    };
    let module = ModuleDescriptor::builtin(wedge_wasi::logging::MODULE, "", create_wasi_logging);
    Plugin::builtin(WASI_LOGGING, "", version, vec![module])
}

/// Registers the built-in plug-ins in the process's registry unless plug-ins of their names are
/// there already, as WasmEdge does each time it loads the default paths.
pub fn register_builtin_plugins() {
    PluginRegistry::global().register_builtin(wasi_logging_plugin());
}

fn define_wasi_logging(
    linker: &mut wedge::Linker<CStoreData>,
    store: &mut CStore,
) -> Result<(), wedge::Error> {
    wedge_wasi::logging::add_to_linker(linker, store, wedge_wasi::logging::LoggingCtx::default())
}

/// A new `wasi:logging/logging` module (its function is defined when it joins a store), the one
/// every VM registers and `WasmEdge_PluginCreateModule` makes.
pub(crate) fn new_wasi_logging_module() -> WasmEdge_ModuleInstanceContext {
    let define: BuiltinDefine = define_wasi_logging;
    WasmEdge_ModuleInstanceContext::new_host(
        wedge_wasi::logging::MODULE.to_string(),
        ptr::null_mut(),
        None,
        ModuleKind::Builtin(define),
    )
}

/// The built-in module's `Create` (the descriptor argument is NULL and unused).
extern "C" fn create_wasi_logging(
    _descriptor: *const wedge_plugin::abi::WasmEdge_ModuleDescriptor,
) -> *mut wedge_plugin::abi::WasmEdge_ModuleInstanceContext {
    guard(ptr::null_mut(), || {
        Box::into_raw(track_module(Box::new(new_wasi_logging_module()))).cast()
    })
}

/// `WasmEdge_PluginContext`: a loaded plug-in (lives as long as the process).
#[repr(transparent)]
pub struct WasmEdge_PluginContext(Plugin);

/// The directory WasmEdge's default plug-in path derives from: where `libwasmedge.so.0` was
/// loaded from (found with `dladdr`, as WasmEdge does). When this code is inside an executable
/// (the `wedge` binary links the runtime statically) in a `bin` directory, the sibling `lib` is
/// used, where WasmEdge's own library would be: `/usr/bin/wedge` looks in `/usr/lib/wasmedge`,
/// `~/.local/bin/wedge` in `~/.local/plugin`.
pub fn library_dir() -> Option<PathBuf> {
    let mut info = std::mem::MaybeUninit::<libc::Dl_info>::zeroed();
    let addr = library_dir as fn() -> Option<PathBuf> as *const libc::c_void;
    // SAFETY: `dladdr` only writes `info`, and `addr` is an address inside this object.
    let found = unsafe { libc::dladdr(addr, info.as_mut_ptr()) } != 0;
    // SAFETY: `dladdr` filled `info` when it returned non-zero (and it was zeroed before).
    let info = unsafe { info.assume_init() };
    let named = if found && !info.dli_fname.is_null() {
        // SAFETY: `dli_fname` is a NUL-terminated string owned by the dynamic loader.
        unsafe { ffi::cstr_lossy(info.dli_fname) }.map(PathBuf::from)
    } else {
        None
    };
    let exe = std::env::current_exe()
        .ok()
        .map(|e| e.canonicalize().unwrap_or(e));
    // The main program may be reported by its `argv[0]`; the executable's path is exact.
    let path = match named {
        Some(p) if p.is_absolute() && p.is_file() => p.canonicalize().unwrap_or(p),
        _ => exe.clone()?,
    };
    let dir = path.parent()?.to_path_buf();
    if Some(&path) == exe.as_ref() && dir.file_name().is_some_and(|n| n == "bin") {
        return Some(dir.parent()?.join("lib"));
    }
    Some(dir)
}

/// Registers the built-in plug-ins, then loads the plug-ins on WasmEdge's default paths
/// (`WASMEDGE_PLUGIN_PATH`, then the directory beside this library); problems are reported on
/// stderr.
pub fn load_default_paths() {
    register_builtin_plugins();
    // Prints each problem on stderr.
    PluginRegistry::global().load_default_paths_from(library_dir().as_deref());
}

/// Registers the built-in `wasi_logging` plug-in and loads the plug-ins on the default paths.
#[unsafe(no_mangle)]
pub extern "C" fn WasmEdge_PluginLoadWithDefaultPaths() {
    guard((), load_default_paths)
}

/// Loads a plug-in file, or every plug-in under a directory (NULL: nothing).
///
/// # Safety
/// `path` must be NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_PluginLoadFromPath(path: *const c_char) {
    guard((), || {
        // SAFETY: forwarded to the caller.
        if let Some(p) = unsafe { ffi::cstr_lossy(path) } {
            PluginRegistry::global().load_path(p);
        }
    })
}

/// A plug-in's or plug-in module's name, lent out NUL-terminated. The registry keeps its
/// plug-ins for the life of the process, so each distinct name is copied once, with its NUL,
/// and kept as long: as many copies as there are plug-in and module names.
fn registry_name(text: &str) -> WasmEdge_String {
    static NAMES: std::sync::Mutex<Vec<&'static ffi::Name>> = std::sync::Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    let name = match names.iter().find(|n| n.as_str() == text) {
        Some(n) => *n,
        None => {
            let n: &'static ffi::Name = Box::leak(Box::new(ffi::Name::new(text)));
            names.push(n);
            n
        }
    };
    ffi::borrow_string(name)
}

/// How many plug-ins are registered (loaded ones, and `wasi_logging` once the default paths
/// were loaded).
#[unsafe(no_mangle)]
pub extern "C" fn WasmEdge_PluginListPluginsLength() -> u32 {
    guard(0, || PluginRegistry::global().plugins().len() as u32)
}

/// Writes up to `len` plug-in names (borrowed, load order); returns the total.
///
/// # Safety
/// `names` must be NULL or have room for `len` strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_PluginListPlugins(names: *mut WasmEdge_String, len: u32) -> u32 {
    guard(0, || {
        let plugins = PluginRegistry::global().plugins();
        if !names.is_null() {
            for (i, p) in plugins.iter().take(len as usize).enumerate() {
                // SAFETY: `names` has room for `len` strings; registered plug-ins live forever.
                unsafe { *names.add(i) = registry_name(p.name()) };
            }
        }
        plugins.len() as u32
    })
}

/// The plug-in named `name`, or NULL.
///
/// # Safety
/// `name` must be a valid string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_PluginFind(
    name: WasmEdge_String,
) -> *const WasmEdge_PluginContext {
    guard(ptr::null(), || {
        // SAFETY: forwarded to the caller.
        let name = unsafe { ffi::string_lossy(name) };
        match PluginRegistry::global().find(&name) {
            // The registry keeps every plug-in for the life of the process.
            Some(p) => std::sync::Arc::as_ptr(&p).cast::<WasmEdge_PluginContext>(),
            None => ptr::null(),
        }
    })
}

/// The plug-in's name (borrowed; empty for NULL).
///
/// # Safety
/// `cxt` must be NULL or a plug-in context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_PluginGetPluginName(
    cxt: *const WasmEdge_PluginContext,
) -> WasmEdge_String {
    // SAFETY: the caller passes NULL or a plug-in context, which lives forever.
    match unsafe { cxt.as_ref() } {
        Some(p) => registry_name(p.0.name()),
        None => ffi::borrow_string(c""),
    }
}

/// How many modules the plug-in offers.
///
/// # Safety
/// `cxt` must be NULL or a plug-in context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_PluginListModuleLength(
    cxt: *const WasmEdge_PluginContext,
) -> u32 {
    // SAFETY: the caller passes NULL or a plug-in context.
    unsafe { cxt.as_ref() }.map_or(0, |p| p.0.modules().len() as u32)
}

/// Writes up to `len` module names (borrowed); returns the total.
///
/// # Safety
/// `cxt` NULL or a plug-in context; `names` NULL or room for `len` strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_PluginListModule(
    cxt: *const WasmEdge_PluginContext,
    names: *mut WasmEdge_String,
    len: u32,
) -> u32 {
    guard(0, || {
        // SAFETY: the caller passes NULL or a plug-in context.
        let Some(p) = (unsafe { cxt.as_ref() }) else {
            return 0;
        };
        let modules = p.0.modules();
        if !names.is_null() {
            for (i, m) in modules.iter().take(len as usize).enumerate() {
                // SAFETY: `names` has room for `len` strings; the plug-in lives forever.
                unsafe { *names.add(i) = registry_name(m.name()) };
            }
        }
        modules.len() as u32
    })
}

/// Creates an instance of the plug-in's module `name` (owned by the caller), or NULL.
///
/// # Safety
/// `cxt` must be NULL or a plug-in context; `name` a valid string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_PluginCreateModule(
    cxt: *const WasmEdge_PluginContext,
    name: WasmEdge_String,
) -> *mut WasmEdge_ModuleInstanceContext {
    guard(ptr::null_mut(), || {
        // SAFETY: the caller passes NULL or a plug-in context and a valid string.
        let (Some(p), name) = (unsafe { cxt.as_ref() }, unsafe { ffi::string_lossy(name) }) else {
            return ptr::null_mut();
        };
        match p.0.module(&name) {
            Some(m) => create_module(m),
            None => ptr::null_mut(),
        }
    })
}

/// Calls a plug-in module's `Create`. The plug-in resolves the C API to this runtime: the
/// `wedge` binary and Rust hosts export these symbols, and a C host links this library.
/// A module that is not one of ours (made by another copy of the C API the plug-in bound to) is
/// refused, and left alone, with a message.
pub(crate) fn create_module(
    m: &wedge_plugin::ModuleDescriptor,
) -> *mut WasmEdge_ModuleInstanceContext {
    // SAFETY: this crate is the C API the plug-in calls back into (see above); the result is
    // checked below before it is used as one of our module contexts.
    let p = unsafe { m.create() }.cast::<WasmEdge_ModuleInstanceContext>();
    if !p.is_null() && !crate::instance::is_our_module(p) {
        ffi::log_error(&format!(
            "plug-in module `{}` was made by another copy of the WasmEdge C API (is a second \
             libwasmedge.so.0 loaded? a Rust host must export the C API: see `embed`); it is \
             not used",
            m.name()
        ));
        return ptr::null_mut();
    }
    p
}

/// `WasmEdge_PluginInitWASINN`: sets the loaded `wasi_nn` plug-in's `nn-preload` list (each
/// `NAME:ENCODING:TARGET:PATH[:PATH…]`), as `--nn-preload` does, for the modules it creates from
/// now on; nothing when the plug-in is not loaded.
///
/// # Safety
/// `preloads` must be NULL or hold `len` C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_PluginInitWASINN(preloads: *const *const c_char, len: u32) {
    // SAFETY: forwarded to the caller.
    let specs = unsafe { crate::wasi::strings(preloads, len) };
    guard((), || {
        set_options("wasi_nn", |option| {
            (option.name() == "nn-preload" && option.ty() == OptionType::StringList)
                .then(|| option.set_list(&specs))
        });
    });
}

/// One new instance of every module of every loaded plug-in not in `forbidden`, in load order,
/// then WasmEdge's stand-ins for the official plug-ins that are missing or forbidden: the
/// modules a VM (and `wedge run`) gives guests, each with the name of the plug-in it comes from
/// (`(stand-in)` for a stand-in). A module whose `Create` fails is passed to `failed` and left
/// out.
pub(crate) fn new_plugin_modules(
    forbidden: &ForbiddenPlugins,
    mut failed: impl FnMut(&Plugin, &ModuleDescriptor),
) -> Vec<(String, Box<WasmEdge_ModuleInstanceContext>)> {
    let mut modules = Vec::new();
    for plugin in PluginRegistry::global().plugins_except(forbidden) {
        for desc in plugin.modules() {
            let p = create_module(desc);
            if p.is_null() {
                failed(&plugin, desc);
                continue;
            }
            // SAFETY: the plug-in made this module through our C API and hands it over.
            modules.push((plugin.name().to_string(), unsafe { Box::from_raw(p) }));
        }
    }
    for m in crate::standin::modules(forbidden) {
        modules.push(("(stand-in)".to_string(), m));
    }
    modules
}

/// Sets options of the loaded plug-in named `plugin` as its flags on a command line would, for
/// the modules it creates from then on (WasmEdge's `Init*` functions of the C API do this):
/// `set` is offered each option and returns the result of setting it, or `None` to leave it.
/// Errors are reported on stderr; nothing happens when no such plug-in is loaded.
pub(crate) fn set_options(
    plugin: &str,
    set: impl Fn(&ProgramOption) -> Option<Result<(), OptionError>>,
) {
    let Some(found) = PluginRegistry::global().find(plugin) else {
        return;
    };
    for option in found.options() {
        if let Some(Err(e)) = set(option) {
            eprintln!("{plugin}: {e}");
        }
    }
}
