//! Native code kept outside the process: universal wasm files (a module with its native code in
//! a custom section, written by `wedge compile` / [`Engine::precompile`](crate::Engine::precompile))
//! and the on-disk code cache of JIT-compiled modules.
//!
//! Both hold a serialized [`CodeImage`] (its format is documented in `wedge-cranelift`), whose
//! header names the compiler that made it (the fingerprint: version, target, CPU features,
//! settings) and the module it was made from (the SHA-256 of the module's bytes without the
//! native section). Loading checks both, so code is only ever run for the module and on the
//! kind of machine it was compiled for.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use wedge_cranelift::CodeImage;

/// Name of the custom section holding native code in a universal wasm. It is always the
/// module's last section.
pub const SECTION_NAME: &str = "wedge.native";

/// The SHA-256 of `bytes`.
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn leb_u32(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut v: u64 = 0;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return u32::try_from(v).ok();
        }
    }
    None
}

/// Finds the native section of a universal wasm: (the module without it, its payload).
/// `None` for a module without one; only the last section counts. Only the section framing
/// is read, so this is cheap on any input.
pub fn split_native_section(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
        return None;
    }
    let mut at = 8;
    let mut last = None;
    while at < bytes.len() {
        let start = at;
        let id = bytes[at];
        at += 1;
        let size = leb_u32(bytes, &mut at)? as usize;
        let end = at.checked_add(size).filter(|&e| e <= bytes.len())?;
        last = (id == 0).then_some((start, at, end));
        at = end;
    }
    let (start, mut at, end) = last?;
    let name_len = leb_u32(bytes, &mut at)? as usize;
    let name_end = at.checked_add(name_len).filter(|&e| e <= end)?;
    (&bytes[at..name_end] == SECTION_NAME.as_bytes())
        .then(|| (&bytes[..start], &bytes[name_end..end]))
}

fn push_leb(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// A universal wasm: `module` (without a native section) followed by a native section with
/// `image`.
pub(crate) fn universal(module: &[u8], image: &CodeImage) -> Vec<u8> {
    let mut payload = Vec::with_capacity(image.text_len() + 1024);
    image.serialize(&sha256(module), &mut payload);
    let mut name = Vec::new();
    push_leb(&mut name, SECTION_NAME.len() as u32);
    name.extend_from_slice(SECTION_NAME.as_bytes());
    let mut out = Vec::with_capacity(module.len() + payload.len() + 16);
    out.extend_from_slice(module);
    out.push(0);
    push_leb(&mut out, (name.len() + payload.len()) as u32);
    out.extend_from_slice(&name);
    out.extend_from_slice(&payload);
    out
}

/// Reads serialized code made for `module` by a compiler compatible with `fingerprint`.
pub(crate) fn read_image<'a>(
    payload: &'a [u8],
    module: &[u8],
    fingerprint: &str,
) -> Result<(CodeImage, &'a [u8]), String> {
    let (image, key, text) =
        CodeImage::deserialize_borrowed(payload, fingerprint).map_err(|e| e.to_string())?;
    if key != sha256(module) {
        return Err("the native code was compiled from a different module".into());
    }
    Ok((image, text))
}

/// Links `object` (from `wedge_cranelift::write_object`) into the shared library `out` with the
/// system's C compiler driver (`$CC`, else `cc`), which must be installed for this output
/// format; universal wasm files need nothing.
pub(crate) fn link_shared_library(object: &[u8], out: &Path) -> Result<(), String> {
    let obj_path = out.with_extension(format!("o.{}.tmp", std::process::id()));
    std::fs::write(&obj_path, object)
        .map_err(|e| format!("cannot write {}: {e}", obj_path.display()))?;
    let cc = std::env::var_os("CC").unwrap_or_else(|| "cc".into());
    let result = std::process::Command::new(&cc)
        .arg("-shared")
        .arg("-o")
        .arg(out)
        .arg(&obj_path)
        // The float helpers (floor, ceilf, ...) come from the C math library; their absolute
        // addresses sit in the code, so allow text relocations.
        .args(["-lm", "-Wl,-z,notext"])
        .output();
    let _ = std::fs::remove_file(&obj_path);
    match result {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(format!(
            "linking with {} failed: {}",
            cc.to_string_lossy(),
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Err(format!(
            "writing a shared library needs a C compiler driver to link it ({}: {e}); \
             a universal wasm (any other output name) needs none",
            cc.to_string_lossy()
        )),
    }
}

/// Checks that `bytes` are a well-formed 64-bit ELF file whose loadable segments lie inside
/// it, so the system loader can map it without touching bytes past its end (a truncated
/// library would otherwise crash the process when its pages are read).
pub(crate) fn check_elf(bytes: &[u8]) -> Result<(), String> {
    use object::read::elf::{ElfFile64, ProgramHeader};
    let file = ElfFile64::<object::Endianness>::parse(bytes)
        .map_err(|e| format!("not a valid ELF file: {e}"))?;
    let endian = file.endian();
    for ph in file.elf_program_headers() {
        let (offset, size) = (ph.p_offset(endian), ph.p_filesz(endian));
        if offset
            .checked_add(size)
            .is_none_or(|end| end > bytes.len() as u64)
        {
            return Err("the file is truncated (a segment lies past its end)".into());
        }
    }
    Ok(())
}

/// The code cache in a directory: one file per (module, compiler fingerprint).
#[derive(Debug)]
pub(crate) struct CodeCache<'a> {
    dir: &'a Path,
}

impl<'a> CodeCache<'a> {
    pub(crate) fn new(dir: &'a Path) -> Self {
        CodeCache { dir }
    }

    fn path(&self, module: &[u8], fingerprint: &str) -> PathBuf {
        let mut h = Sha256::new();
        h.update(fingerprint.as_bytes());
        h.update([0]);
        h.update(module);
        let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{hex}.wcode"))
    }

    /// `load(image, text)` of the cached code of `module`, if there is a usable entry.
    pub(crate) fn get<T>(
        &self,
        module: &[u8],
        fingerprint: &str,
        load: impl FnOnce(&CodeImage, &[u8]) -> Result<T, String>,
    ) -> Option<T> {
        let path = self.path(module, fingerprint);
        let bytes = std::fs::read(&path).ok()?;
        let (image, text) = read_image(&bytes, module, fingerprint).ok()?;
        let loaded = load(&image, text).ok()?;
        // Recently used entries are the last to be evicted.
        if let Ok(f) = std::fs::File::options().append(true).open(&path) {
            let _ = f.set_modified(std::time::SystemTime::now());
        }
        Some(loaded)
    }

    /// Stores `image` as the code of `module`. Failures (a read-only directory, a full disk)
    /// are ignored: the cache only saves time.
    pub(crate) fn put(&self, module: &[u8], fingerprint: &str, image: &CodeImage) {
        let path = self.path(module, fingerprint);
        let mut bytes = Vec::with_capacity(image.text_len() + 1024);
        image.serialize(&sha256(module), &mut bytes);
        // Unique per process and per call, so concurrent writers never share a temporary.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = path.with_extension(format!("tmp{}-{n}", std::process::id()));
        let ok = std::fs::create_dir_all(self.dir).is_ok()
            && std::fs::write(&tmp, &bytes).is_ok()
            && std::fs::rename(&tmp, &path).is_ok();
        if !ok {
            let _ = std::fs::remove_file(&tmp);
        }
        self.evict(CACHE_LIMIT, &path);
    }

    /// Removes the least recently used entries (by modification time) until the entries
    /// take at most `limit` bytes, never `keep` (the one just written).
    fn evict(&self, limit: u64, keep: &Path) {
        let Ok(dir) = std::fs::read_dir(self.dir) else {
            return;
        };
        let mut entries: Vec<(std::time::SystemTime, u64, PathBuf)> = dir
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "wcode"))
            .filter_map(|e| {
                let m = e.metadata().ok()?;
                Some((m.modified().ok()?, m.len(), e.path()))
            })
            .collect();
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        entries.sort();
        for (_, len, path) in entries {
            if total <= limit {
                break;
            }
            if path != keep && std::fs::remove_file(&path).is_ok() {
                total -= len;
            }
        }
    }
}

/// Most bytes the code cache keeps; the least recently used entries go first.
pub const CACHE_LIMIT: u64 = 2 << 30;

#[cfg(test)]
mod tests {
    use super::*;

    /// A universal wasm whose native code was compiled from this module after a validation
    /// with the engine's features is not validated again; with other features it is.
    #[test]
    fn native_code_validated_with_the_same_features_skips_body_validation() {
        use crate::{Config, Engine, Instance, Module, NativeCode, Proposal, Store, Val};
        let valid =
            wat::parse_str(r#"(module (func (export "f") (result i32) i32.const 7))"#).unwrap();
        // The same module with a body that does not validate (an i64 for an i32 result).
        let invalid =
            wat::parse_str(r#"(module (func (export "f") (result i32) i64.const 7))"#).unwrap();
        let engine = |simd: bool| {
            let mut config = Config::new();
            config.aot(true);
            if !simd {
                config.features_mut().disable(Proposal::Simd);
            }
            Engine::new(&config)
        };
        let (_, image) = engine(true).compile_image(&valid, &|_, _| {}).unwrap();
        assert!(image.validated_features().is_some());
        // Native code that claims to be the invalid module's: only a crafted file has this.
        let crafted = universal(&invalid, &image);

        let module = Module::new(&engine(true), &crafted).unwrap();
        assert_eq!(module.native_code(), &NativeCode::Aot);
        let mut store = Store::new(module.engine(), ());
        let i = Instance::new(&mut store, &module, &[]).unwrap();
        let mut out = [Val::I32(0)];
        let f = i.get_func(&store, "f").unwrap();
        f.call(&mut store, &[], &mut out).unwrap();
        assert_eq!(out[0].i32(), Some(7));

        let err = Module::new(&engine(false), &crafted).unwrap_err();
        assert!(err.to_string().contains("type mismatch"), "{err}");
        let err = Module::new(&Engine::new(&Config::new()), &crafted).unwrap_err();
        assert!(err.to_string().contains("type mismatch"), "{err}");
    }

    #[test]
    fn the_cache_evicts_least_recently_used_entries() {
        let dir = std::env::temp_dir().join(format!("wedge-evict-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for (i, name) in ["a", "b", "c"].iter().enumerate() {
            let p = dir.join(format!("{name}.wcode"));
            std::fs::write(&p, vec![0u8; 100]).unwrap();
            let f = std::fs::File::options().append(true).open(&p).unwrap();
            f.set_modified(old + std::time::Duration::from_secs(i as u64))
                .unwrap();
        }
        std::fs::write(dir.join("other.txt"), vec![0u8; 1000]).unwrap();
        let cache = CodeCache::new(&dir);
        // 300 bytes of entries, limit 150: the two oldest go, whatever else is there stays.
        cache.evict(150, &dir.join("a.wcode"));
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        // `a` is the oldest but is the entry being kept; `b` and `c` go until 100 bytes remain.
        assert_eq!(left, ["a.wcode", "other.txt"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn finds_only_a_trailing_native_section() {
        let plain = wat::parse_str("(module (func))").unwrap();
        assert!(split_native_section(&plain).is_none());
        let mut with = plain.clone();
        with.extend_from_slice(&[0, 14, 12]);
        with.extend_from_slice(SECTION_NAME.as_bytes());
        with.push(7);
        let (module, payload) = split_native_section(&with).unwrap();
        assert_eq!(module, &plain[..]);
        assert_eq!(payload, &[7]);
        // Truncated framing is not a native section.
        assert!(split_native_section(&with[..with.len() - 1]).is_none());
        assert!(split_native_section(b"\0asm").is_none());
    }
}
