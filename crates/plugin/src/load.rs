//! Loading one shared library: `dlopen`, `WasmEdge_Plugin_GetDescriptor`, and a validated copy of
//! the descriptor.
//!
//! `libloading::Library::new` opens with `RTLD_LAZY | RTLD_LOCAL` on Unix, as WasmEdge does. The
//! plug-in's own references to the C API (`WasmEdge_ModuleInstanceCreate`, …) are resolved from
//! the global scope: the runtime's C API symbols must therefore already be visible there (exported
//! by the `wedge` binary, or by `libwasmedge.so.0` which the plug-in names as `DT_NEEDED`) before a
//! plug-in that uses them can be opened (with `RTLD_LAZY`, before its functions are first called).

#![allow(
    unsafe_code,
    reason = "dlopen, dlsym and reading a plug-in's C descriptor"
)]

use core::ffi::{CStr, c_char};
use std::path::{Path, PathBuf};

use crate::abi::{
    CPP_GET_DESCRIPTOR_SYMBOL, GET_DESCRIPTOR_SYMBOL, WasmEdge_Plugin_CurrentAPIVersion,
    WasmEdge_Plugin_GetDescriptorFn, WasmEdge_PluginDescriptor,
};
use crate::error::{Error, ErrorKind};
use crate::options::{OptionType, ProgramOption};
use crate::plugin::{ModuleDescriptor, Plugin, PluginVersion};

/// Opens `path` as a plug-in and reads its descriptor.
///
/// On success the returned [`Plugin`] holds the library open (a registry then keeps it open
/// forever); on failure the library is closed again before this returns.
pub fn load_file(path: &Path) -> Result<Plugin, Error> {
    // A bare file name would make dlopen search the system's library path; this is a file.
    let dl_path: PathBuf = if path.is_relative() && path.parent() == Some(Path::new("")) {
        Path::new(".").join(path)
    } else {
        path.to_path_buf()
    };

    // SAFETY: opening runs the library's initialisers, which is the point of loading a plug-in:
    // the user put the file in a plug-in directory or named it. Nothing else is assumed.
    let library = unsafe { libloading::Library::new(&dl_path) }
        .map_err(|e| Error::new(path, ErrorKind::CannotOpen(dl_text(&e))))?;

    // SAFETY: the C ABI declares `const WasmEdge_PluginDescriptor *WasmEdge_Plugin_GetDescriptor(void)`,
    // which is the type we read the symbol as; the fn pointer is copied out while `library` lives.
    let get = unsafe { library.get::<WasmEdge_Plugin_GetDescriptorFn>(GET_DESCRIPTOR_SYMBOL) };
    let get: WasmEdge_Plugin_GetDescriptorFn = match get {
        Ok(symbol) => *symbol,
        Err(_) => {
            // SAFETY: only the symbol's presence is checked; it is never called or read.
            let cpp = unsafe { library.get::<*const u8>(CPP_GET_DESCRIPTOR_SYMBOL) }.is_ok();
            return Err(Error::new(path, ErrorKind::NotAPlugin { cpp_plugin: cpp }));
        }
    };

    // SAFETY: `get` is the plug-in's exported entry with the ABI's signature (no arguments); the
    // library is loaded for the duration of the call.
    let descriptor = unsafe { get() };
    // SAFETY: a non-NULL result points to the plug-in's descriptor, which the ABI requires to
    // live as long as the library (it is static data in every known plug-in), and `library` is
    // moved into the returned `Plugin`, so it outlives every pointer copied from it.
    let mut plugin = unsafe { read_descriptor(path, descriptor) }?;
    plugin.library = Some(library);
    Ok(plugin)
}

/// Validates a descriptor and copies it into a [`Plugin`] (without a library handle).
///
/// # Safety
///
/// `descriptor` is NULL or points to a `WasmEdge_PluginDescriptor` whose pointers are each NULL or
/// valid as the ABI says (NUL-terminated strings, arrays of the stated counts), and all of it stays
/// valid for as long as the returned `Plugin` and its copies are used.
pub(crate) unsafe fn read_descriptor(
    path: &Path,
    descriptor: *const WasmEdge_PluginDescriptor,
) -> Result<Plugin, Error> {
    // SAFETY: the caller guarantees a non-NULL pointer is a valid descriptor.
    let Some(d) = (unsafe { descriptor.as_ref() }) else {
        return Err(Error::new(path, ErrorKind::NullDescriptor));
    };
    if d.APIVersion != WasmEdge_Plugin_CurrentAPIVersion {
        return Err(Error::new(path, ErrorKind::ApiVersion(d.APIVersion)));
    }
    // SAFETY: descriptor strings are NULL or NUL-terminated (caller's guarantee).
    let name = unsafe { required_str(d.Name) }
        .map_err(|why| Error::malformed(path, format!("plug-in Name {why}")))?;
    // SAFETY: as above.
    let description = unsafe { optional_str(d.Description) };

    // SAFETY: the caller guarantees the array holds `ModuleCount` entries when non-NULL.
    let raw_modules = unsafe { array(d.ModuleDescriptions.cast_const(), d.ModuleCount) }
        .ok_or_else(|| {
            Error::malformed(
                path,
                format!(
                    "ModuleCount is {} but ModuleDescriptions is NULL",
                    d.ModuleCount
                ),
            )
        })?;
    let mut modules = Vec::with_capacity(raw_modules.len());
    for (i, m) in raw_modules.iter().enumerate() {
        // SAFETY: module strings are NULL or NUL-terminated (caller's guarantee).
        let module_name = unsafe { required_str(m.Name) }
            .map_err(|why| Error::malformed(path, format!("module {i}: Name {why}")))?;
        let Some(create) = m.Create else {
            return Err(Error::malformed(
                path,
                format!("module {i} (`{module_name}`): Create is NULL"),
            ));
        };
        modules.push(ModuleDescriptor {
            name: module_name,
            // SAFETY: as above.
            description: unsafe { optional_str(m.Description) },
            create,
            raw: m,
        });
    }

    // SAFETY: the caller guarantees the array holds `ProgramOptionCount` entries when non-NULL.
    let raw_options = unsafe { array(d.ProgramOptions.cast_const(), d.ProgramOptionCount) }
        .ok_or_else(|| {
            Error::malformed(
                path,
                format!(
                    "ProgramOptionCount is {} but ProgramOptions is NULL",
                    d.ProgramOptionCount
                ),
            )
        })?;
    let mut options = Vec::with_capacity(raw_options.len());
    for (i, o) in raw_options.iter().enumerate() {
        // SAFETY: option strings are NULL or NUL-terminated (caller's guarantee).
        let option_name = unsafe { required_str(o.Name) }
            .map_err(|why| Error::malformed(path, format!("program option {i}: Name {why}")))?;
        let Some(ty) = OptionType::from_raw(o.Type) else {
            return Err(Error::malformed(
                path,
                format!("program option `{option_name}`: unknown Type {}", o.Type),
            ));
        };
        if ty != OptionType::None && o.Storage.is_null() {
            return Err(Error::malformed(
                path,
                format!("program option `{option_name}`: Storage is NULL"),
            ));
        }
        // SAFETY: the ABI says Storage and DefaultValue point to values of the C type `ty` names,
        // in the plug-in's memory, which lives as long as the library (caller's guarantee).
        options.push(unsafe {
            ProgramOption::from_raw(
                option_name,
                optional_str(o.Description),
                ty,
                o.Storage,
                o.DefaultValue,
            )
        });
    }

    Ok(Plugin {
        path: path.to_path_buf(),
        name,
        description,
        version: PluginVersion {
            major: d.Version.Major,
            minor: d.Version.Minor,
            patch: d.Version.Patch,
            build: d.Version.Build,
        },
        modules,
        options,
        builtin: false,
        library: None,
    })
}

/// The system's text for a dlopen/dlsym failure.
fn dl_text(e: &libloading::Error) -> String {
    match std::error::Error::source(e) {
        Some(source) => source.to_string(),
        None => e.to_string(),
    }
}

/// A required C string: non-NULL, non-empty, UTF-8.
///
/// # Safety
///
/// `ptr` is NULL or points to a NUL-terminated string that outlives this call.
unsafe fn required_str(ptr: *const c_char) -> Result<String, &'static str> {
    if ptr.is_null() {
        return Err("is NULL");
    }
    // SAFETY: non-NULL and NUL-terminated (caller's guarantee).
    let s = unsafe { CStr::from_ptr(ptr) };
    match s.to_str() {
        Ok("") => Err("is empty"),
        Ok(s) => Ok(s.to_owned()),
        Err(_) => Err("is not valid UTF-8"),
    }
}

/// An optional C string (a description): NULL is empty, invalid UTF-8 is replaced.
///
/// # Safety
///
/// As for [`required_str`].
unsafe fn optional_str(ptr: *const c_char) -> String {
    if ptr.is_null() {
        return String::new();
    }
    // SAFETY: non-NULL and NUL-terminated (caller's guarantee).
    unsafe { CStr::from_ptr(ptr) }
        .to_string_lossy()
        .into_owned()
}

/// A C array of `count` entries as a slice; `None` when `count > 0` and `ptr` is NULL.
///
/// # Safety
///
/// When `ptr` is non-NULL it points to `count` initialised, aligned `T`s that outlive the slice.
unsafe fn array<'a, T>(ptr: *const T, count: u32) -> Option<&'a [T]> {
    if count == 0 {
        return Some(&[]);
    }
    if ptr.is_null() {
        return None;
    }
    // SAFETY: non-NULL with `count` valid entries (caller's guarantee); u32 fits in usize on every
    // target we build for.
    Some(unsafe { std::slice::from_raw_parts(ptr, count as usize) })
}
