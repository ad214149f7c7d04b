//! Shared libraries written by `wedge compile OUT.so`, opened with the system loader.

use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};
use wedge_cranelift::symbols;

/// An open shared library (through `libloading`, as plug-ins are opened); closed on drop
/// (after every module using its code is gone: the compiled module owns it).
#[derive(Debug)]
pub(crate) struct NativeLibrary {
    lib: Library,
}

/// What a Wedge shared library holds.
pub(crate) struct LibraryParts<'a> {
    /// The code's start.
    pub(crate) text: *const u8,
    /// The code's size.
    pub(crate) text_len: usize,
    /// The format version.
    pub(crate) version: u32,
    /// The code's description.
    pub(crate) meta: &'a [u8],
    /// The wasm module.
    pub(crate) wasm: &'a [u8],
}

impl NativeLibrary {
    /// Opens the library at `path`. Like any native library, its code is trusted: opening it
    /// runs its initializers.
    pub(crate) fn open(path: &std::path::Path) -> Result<NativeLibrary, String> {
        // SAFETY: loading a library is the documented purpose of this function (its code is
        // trusted, see above); symbols are resolved now so that a missing one fails here.
        let lib = unsafe { Library::open(Some(path), RTLD_NOW | RTLD_LOCAL) }
            .map_err(|e| e.to_string())?;
        Ok(NativeLibrary { lib })
    }

    fn symbol(&self, name: &str) -> Result<*const u8, String> {
        // SAFETY: the symbol is read as an address (of code or data), not called or read
        // through here; the library stays open while `self` lives.
        let sym = unsafe { self.lib.get::<*const u8>(name.as_bytes()) }
            .map_err(|_| format!("not a Wedge native library: no symbol {name}"))?;
        let p = *sym;
        if p.is_null() {
            Err(format!("not a Wedge native library: no symbol {name}"))
        } else {
            Ok(p)
        }
    }

    /// A data symbol and its `<name>_size` companion, as bytes (`wedge_text_size` itself is
    /// 8 bytes, described by `wedge_text_size_size`).
    fn data(&self, name: &str) -> Result<&[u8], String> {
        let p = self.symbol(name)?;
        let size = self.symbol(&format!("{name}_size"))?;
        // SAFETY: `<name>_size` is an 8-byte little-endian size written by
        // `wedge_cranelift::write_object`, in the library's read-only data.
        let len = u64::from_le_bytes(unsafe { size.cast::<[u8; 8]>().read_unaligned() });
        let len = usize::try_from(len).map_err(|_| format!("{name} is too large"))?;
        // SAFETY: the symbol is `len` bytes of read-only data that stays mapped while the
        // library is open, which `&self` guarantees for the returned lifetime.
        Ok(unsafe { std::slice::from_raw_parts(p, len) })
    }

    /// The parts of a library written by `wedge_cranelift::write_object`.
    pub(crate) fn parts(&self) -> Result<LibraryParts<'_>, String> {
        let version = self.data(symbols::VERSION)?;
        let version = <[u8; 4]>::try_from(version)
            .map(u32::from_le_bytes)
            .map_err(|_| "malformed version symbol".to_owned())?;
        let text = self.symbol(symbols::TEXT)?;
        let size = self.data(&format!("{}_size", symbols::TEXT))?;
        let text_len = <[u8; 8]>::try_from(size)
            .ok()
            .and_then(|b| usize::try_from(u64::from_le_bytes(b)).ok())
            .ok_or_else(|| "malformed code size symbol".to_owned())?;
        Ok(LibraryParts {
            text,
            text_len,
            version,
            meta: self.data(symbols::META)?,
            wasm: self.data(symbols::WASM)?,
        })
    }
}
