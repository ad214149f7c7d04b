//! The WASI host module of the C API (`ModuleInstanceCreateWASI` and friends), backed by
//! `wedge-wasi`: sandboxed to the preopened directories.

use crate::ffi::{self, guard};
use crate::instance::{ModuleKind, WasmEdge_ModuleInstanceContext};
use crate::store::{CStore, with_store};
use core::ffi::c_char;
use std::ptr;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use wedge_wasi::{WasiCtx, WasiCtxBuilder};

/// `count` C strings at `list` (NULL entries skipped).
///
/// # Safety
/// `list` must be NULL or point to `count` pointers, each NULL or a C string.
pub(crate) unsafe fn strings(list: *const *const c_char, count: u32) -> Vec<String> {
    if list.is_null() {
        return Vec::new();
    }
    (0..count as usize)
        // SAFETY: `list` holds `count` pointers, each NULL or a C string.
        .filter_map(|i| unsafe { ffi::cstr_lossy(*list.add(i)) })
        .collect()
}

/// Builds a WASI context from WasmEdge's argument lists: environment entries are `NAME=VALUE`;
/// preopens are `GUEST:HOST` or one path for both, with an optional `:readonly` suffix.
/// A directory that cannot be opened is reported and skipped.
pub(crate) fn build_ctx(args: &[String], envs: &[String], preopens: &[String]) -> WasiCtx {
    build_ctx_with_fds(args, envs, preopens, [-1, -1, -1])
}

/// As [`build_ctx`], with host descriptors for the guest's stdin, stdout and stderr (a negative
/// number keeps the host's own stream). The descriptors are duplicated: the caller keeps its own.
pub(crate) fn build_ctx_with_fds(
    args: &[String],
    envs: &[String],
    preopens: &[String],
    stdio: [i32; 3],
) -> WasiCtx {
    let mut b = WasiCtxBuilder::new();
    for (stream, fd) in stdio.into_iter().enumerate() {
        if fd < 0 {
            continue;
        }
        // SAFETY: `dup` only reads the descriptor number; a bad number fails with -1.
        let dup = unsafe { libc::dup(fd) };
        if dup < 0 {
            ffi::log_error(&format!(
                "WASI: descriptor {fd} cannot be used for stream {stream}"
            ));
            continue;
        }
        // SAFETY: `dup` returned a new descriptor that nothing else owns.
        let owned = unsafe { <std::os::fd::OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(dup) };
        b = b.stdio_fd(stream as u32, owned);
    }
    for a in args {
        b = b.arg(a);
    }
    for e in envs {
        let (k, v) = e.split_once('=').unwrap_or((e, ""));
        b = b.env(k, v);
    }
    for p in preopens {
        let (spec, readonly) = match p.strip_suffix(":readonly") {
            Some(s) => (s, true),
            None => (p.as_str(), false),
        };
        let (guest, host) = spec.split_once(':').unwrap_or((spec, spec));
        match b.preopen_dir(guest, host, readonly) {
            Ok(next) => b = next,
            Err(err) => {
                ffi::log_error(&format!(
                    "WASI: cannot preopen `{host}` as `{guest}`: {err}"
                ));
                // `preopen_dir` consumed the builder; start again without this entry.
                return build_ctx_with_fds(
                    args,
                    envs,
                    &preopens
                        .iter()
                        .filter(|q| *q != p)
                        .cloned()
                        .collect::<Vec<_>>(),
                    stdio,
                );
            }
        }
    }
    b.build()
}

/// Creates the WASI module (`wasi_snapshot_preview1`) with its arguments, environment and
/// preopened directories.
///
/// # Safety
/// Each list must be NULL or hold its count of pointers, each NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ModuleInstanceCreateWASI(
    args: *const *const c_char,
    arg_len: u32,
    envs: *const *const c_char,
    env_len: u32,
    preopens: *const *const c_char,
    preopen_len: u32,
) -> *mut WasmEdge_ModuleInstanceContext {
    guard(ptr::null_mut(), || {
        // SAFETY: forwarded to the caller.
        let (a, e, p) = unsafe {
            (
                strings(args, arg_len),
                strings(envs, env_len),
                strings(preopens, preopen_len),
            )
        };
        Box::into_raw(crate::instance::track_module(Box::new(new_wasi_module(
            build_ctx(&a, &e, &p),
        ))))
    })
}

/// A WASI module context holding `ctx`.
pub(crate) fn new_wasi_module(ctx: WasiCtx) -> WasmEdge_ModuleInstanceContext {
    WasmEdge_ModuleInstanceContext::new_host(
        wedge_wasi::MODULE.to_string(),
        ptr::null_mut(),
        None,
        ModuleKind::Wasi {
            ctx: Mutex::new(Some(ctx)),
            exit_code: Arc::new(AtomicI32::new(0)),
        },
    )
}

/// Gives a WASI module bound to `store` its context back from the store, which is going away.
pub(crate) fn take_back_ctx(m: &WasmEdge_ModuleInstanceContext, store: &mut CStore) {
    let ModuleKind::Wasi { ctx, .. } = &m.kind else {
        return;
    };
    if m.binding().is_some_and(|b| b.store_id == store.id()) {
        let wasi = std::mem::replace(&mut store.data_mut().wasi, WasiCtxBuilder::new().build());
        *ctx.lock().unwrap_or_else(|e| e.into_inner()) = Some(wasi);
    }
}

/// Re-initializes a WASI module with new arguments, environment and preopens.
pub(crate) fn init_wasi(m: &WasmEdge_ModuleInstanceContext, ctx: WasiCtx) {
    let ModuleKind::Wasi {
        ctx: slot,
        exit_code,
    } = &m.kind
    else {
        return;
    };
    exit_code.store(0, Ordering::Release);
    let mut ctx = Some(ctx);
    if let Some(binding) = m.binding() {
        with_store(&binding, |s| {
            if let Some(c) = s.as_any_mut().downcast_mut::<CStore>()
                && let Some(ctx) = ctx.take()
            {
                c.data_mut().wasi = ctx;
            }
        });
    }
    if let Some(ctx) = ctx {
        *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(ctx);
    }
}

/// Re-initializes a WASI module (NULL or another module: nothing happens).
///
/// # Safety
/// `cxt` NULL or a live module; the lists as for `WasmEdge_ModuleInstanceCreateWASI`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ModuleInstanceInitWASI(
    cxt: *mut WasmEdge_ModuleInstanceContext,
    args: *const *const c_char,
    arg_len: u32,
    envs: *const *const c_char,
    env_len: u32,
    preopens: *const *const c_char,
    preopen_len: u32,
) {
    guard((), || {
        // SAFETY: the caller passes NULL or a live module.
        let Some(m) = (unsafe { cxt.as_ref() }) else {
            return;
        };
        // SAFETY: forwarded to the caller.
        let (a, e, p) = unsafe {
            (
                strings(args, arg_len),
                strings(envs, env_len),
                strings(preopens, preopen_len),
            )
        };
        init_wasi(m, build_ctx(&a, &e, &p));
    })
}

/// The exit status the guest gave `proc_exit` (0 if it returned normally); 1 for a module that
/// is not WASI.
///
/// # Safety
/// `cxt` must be NULL or a live module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ModuleInstanceWASIGetExitCode(
    cxt: *const WasmEdge_ModuleInstanceContext,
) -> u32 {
    guard(1, || {
        // SAFETY: the caller passes NULL or a live module.
        match unsafe { cxt.as_ref() }.map(|m| &m.kind) {
            Some(ModuleKind::Wasi { exit_code, .. }) => exit_code.load(Ordering::Acquire) as u32,
            _ => 1,
        }
    })
}

/// As `WasmEdge_ModuleInstanceCreateWASI`, with host descriptors for stdin, stdout and stderr
/// (duplicated; negative: the host's own stream).
///
/// # Safety
/// As for `WasmEdge_ModuleInstanceCreateWASI`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ModuleInstanceCreateWASIWithFds(
    args: *const *const c_char,
    arg_len: u32,
    envs: *const *const c_char,
    env_len: u32,
    preopens: *const *const c_char,
    preopen_len: u32,
    stdin_fd: i32,
    stdout_fd: i32,
    stderr_fd: i32,
) -> *mut WasmEdge_ModuleInstanceContext {
    guard(ptr::null_mut(), || {
        // SAFETY: forwarded to the caller.
        let (a, e, p) = unsafe {
            (
                strings(args, arg_len),
                strings(envs, env_len),
                strings(preopens, preopen_len),
            )
        };
        let ctx = build_ctx_with_fds(&a, &e, &p, [stdin_fd, stdout_fd, stderr_fd]);
        Box::into_raw(crate::instance::track_module(Box::new(new_wasi_module(
            ctx,
        ))))
    })
}

/// As `WasmEdge_ModuleInstanceInitWASI`, with host descriptors for the standard streams.
///
/// # Safety
/// As for `WasmEdge_ModuleInstanceInitWASI`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ModuleInstanceInitWASIWithFds(
    cxt: *mut WasmEdge_ModuleInstanceContext,
    args: *const *const c_char,
    arg_len: u32,
    envs: *const *const c_char,
    env_len: u32,
    preopens: *const *const c_char,
    preopen_len: u32,
    stdin_fd: i32,
    stdout_fd: i32,
    stderr_fd: i32,
) {
    guard((), || {
        // SAFETY: the caller passes NULL or a live module.
        let Some(m) = (unsafe { cxt.as_ref() }) else {
            return;
        };
        // SAFETY: forwarded to the caller.
        let (a, e, p) = unsafe {
            (
                strings(args, arg_len),
                strings(envs, env_len),
                strings(preopens, preopen_len),
            )
        };
        init_wasi(
            m,
            build_ctx_with_fds(&a, &e, &p, [stdin_fd, stdout_fd, stderr_fd]),
        );
    })
}

/// The host descriptor behind the guest's descriptor `fd`: 0 on success, 1 for NULL or a
/// module that is not WASI, 2 when `fd` is not open.
///
/// # Safety
/// `cxt` NULL or a live module; `native` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ModuleInstanceWASIGetNativeHandler(
    cxt: *const WasmEdge_ModuleInstanceContext,
    fd: i32,
    native: *mut u64,
) -> u32 {
    guard(1, || {
        // SAFETY: the caller passes NULL or a live module.
        let Some(m) = (unsafe { cxt.as_ref() }) else {
            return 1;
        };
        let ModuleKind::Wasi { ctx, .. } = &m.kind else {
            return 1;
        };
        // The store's context while the module is bound to a live store, else its own.
        let in_store = m.binding().and_then(|binding| {
            with_store(&binding, |s| {
                s.as_any_mut()
                    .downcast_mut::<CStore>()
                    .and_then(|c| c.data().wasi.native_fd(fd as u32))
            })
        });
        let found = in_store.unwrap_or_else(|| {
            ctx.lock()
                .unwrap_or_else(|e| e.into_inner())
                .as_ref()
                .and_then(|c| c.native_fd(fd as u32))
        });
        match found {
            Some(n) => {
                if !native.is_null() {
                    // SAFETY: `native` is writable (the caller's contract).
                    unsafe { *native = n as u64 };
                }
                0
            }
            None => 2,
        }
    })
}

/// Configures the loaded `wasmedge_process` plug-in, as WasmEdge does: its `allow-command` list
/// option is replaced by `cmds` (NULL entries skipped), and its `allow-command-all` toggle is set
/// when `allow_all` is true (false leaves it as it was). Modules of the plug-in created after
/// the call see the new values. Nothing happens when no plug-in of that name is loaded, or for
/// an option it lacks or declares with another type.
///
/// # Safety
/// `cmds` must be NULL or hold `len` C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ModuleInstanceInitWasmEdgeProcess(
    cmds: *const *const c_char,
    len: u32,
    allow_all: bool,
) {
    use wedge_plugin::OptionType;
    // SAFETY: `cmds` is NULL or holds `len` C strings (the caller's contract).
    let commands = unsafe { strings(cmds, len) };
    guard((), || {
        crate::plugin::set_options("wasmedge_process", |option| {
            match (option.name(), option.ty()) {
                ("allow-command", OptionType::StringList) => Some(option.set_list(&commands)),
                ("allow-command-all", OptionType::Toggle) if allow_all => Some(option.set(None)),
                _ => None,
            }
        });
    });
}
