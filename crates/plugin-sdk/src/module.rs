//! [`Module`]: a module a plug-in offers, and how one instance of it is built through the C API.
//!
//! Ownership: an instance's host data ([`HostData`], given to
//! `WasmEdge_ModuleInstanceCreateWithData`) owns the instance's state and one [`Slot`] per
//! function; each slot is the data pointer of one `WasmEdge_FunctionInstanceCreate`, which has
//! no finalizer of its own. The runtime calls [`finalize`] when it destroys the instance, after
//! its last call, and that frees everything.

use core::ffi::c_void;
use core::ptr::{self, NonNull};
use std::panic::{self, AssertUnwindSafe};

use crate::ffi::{self, Api, WasmEdge_ModuleInstanceContext, WasmEdge_String};
use crate::func::{HostFunc, IntoFunc, Slot, trampoline};

/// A module of a plug-in: a name, host functions, and the state each instance of it carries.
///
/// `S` is the per-instance state: [`Module::new`]'s function makes a fresh one for every
/// instance the runtime creates, host functions see it through [`Caller::state`]
/// (`&S`, since calls may run on several threads at once), and it is dropped with the
/// instance. Mutable state therefore lives in atomics or a `Mutex`.
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use wedge_plugin_sdk::{Caller, Module};
///
/// let module = Module::new("stats", || AtomicU64::new(0))
///     .description("counts calls")
///     .func("hit", |c: Caller<'_, AtomicU64>| {
///         c.state().fetch_add(1, Ordering::Relaxed);
///     })
///     .func("double", |x: f64| x * 2.0);
/// assert_eq!(module.name(), "stats");
/// assert_eq!(module.func_names().collect::<Vec<_>>(), ["hit", "double"]);
/// ```
///
/// [`Caller::state`]: crate::Caller::state
pub struct Module<S: 'static> {
    name: String,
    descriptor_name: Option<String>,
    description: String,
    new_state: Box<dyn Fn() -> S + Send + Sync>,
    funcs: Vec<(String, HostFunc<S>)>,
}

impl<S: Send + Sync + 'static> Module<S> {
    /// A module named `name` whose instances each start with the state `new_state()` makes
    /// (`|| ()` for none).
    ///
    /// # Panics
    ///
    /// If `name` contains a NUL byte (it becomes a C string).
    pub fn new(name: impl Into<String>, new_state: impl Fn() -> S + Send + Sync + 'static) -> Self {
        let name = name.into();
        assert!(
            !name.contains('\0'),
            "module name {name:?} contains a NUL byte"
        );
        Self {
            name,
            descriptor_name: None,
            description: String::new(),
            new_state: Box::new(new_state),
            funcs: Vec::new(),
        }
    }

    /// Names the module's descriptor `name`, when it differs from the name instances are
    /// imported by (WasmEdge's `wasi_crypto` plug-in describes the module `wasi_crypto_common`,
    /// whose instances are `wasi_ephemeral_crypto_common`). Hosts find a module by its descriptor
    /// name (`WasmEdge_PluginCreateModule`); guests import the instance's name.
    ///
    /// # Panics
    ///
    /// If `name` contains a NUL byte.
    #[must_use]
    pub fn descriptor_name(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        assert!(
            !name.contains('\0'),
            "descriptor name {name:?} contains a NUL byte"
        );
        self.descriptor_name = Some(name);
        self
    }

    /// Sets the help text shown by the runtime.
    ///
    /// # Panics
    ///
    /// If `text` contains a NUL byte.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        assert!(
            !text.contains('\0'),
            "description of module {:?} contains a NUL byte",
            self.name
        );
        self.description = text;
        self
    }

    /// Adds the host function `name`; see [`IntoFunc`] for the functions that fit.
    ///
    /// # Panics
    ///
    /// If the module already has a function `name`, or `name` is longer than 4 GiB.
    #[must_use]
    pub fn func<P, R>(mut self, name: impl Into<String>, func: impl IntoFunc<S, P, R>) -> Self {
        let name = name.into();
        assert!(
            self.funcs.iter().all(|(n, _)| *n != name),
            "module {:?} declares function {name:?} twice",
            self.name
        );
        assert!(u32::try_from(name.len()).is_ok(), "function name too long");
        self.funcs.push((name, func.into_func()));
        self
    }
}

impl<S: 'static> Module<S> {
    /// The name its instances are imported by.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The name of its descriptor: the one given to [`Module::descriptor_name`], else
    /// [`Module::name`].
    #[must_use]
    pub fn descriptor(&self) -> &str {
        self.descriptor_name.as_deref().unwrap_or(&self.name)
    }

    /// The names of its functions, in the order they were added.
    pub fn func_names(&self) -> impl Iterator<Item = &str> {
        self.funcs.iter().map(|(n, _)| n.as_str())
    }
}

/// A module with its state type erased, as the plug-in keeps it.
pub(crate) trait ModuleDef: Send + Sync {
    /// The descriptor's name (see [`Module::descriptor`]).
    fn name(&self) -> &str;
    fn description(&self) -> &str;
    /// Builds one instance through `api`; NULL on failure.
    fn instantiate(&'static self, api: &'static Api) -> *mut WasmEdge_ModuleInstanceContext;
}

impl<S: Send + Sync + 'static> ModuleDef for Module<S> {
    fn name(&self) -> &str {
        self.descriptor()
    }

    fn description(&self) -> &str {
        &self.description
    }

    fn instantiate(&'static self, api: &'static Api) -> *mut WasmEdge_ModuleInstanceContext {
        let Ok(state) = panic::catch_unwind(AssertUnwindSafe(|| (self.new_state)())) else {
            return ptr::null_mut();
        };
        let host = HostData::new(state, &self.funcs, Some(api));
        let slots = host.slots;
        let host = Box::into_raw(Box::new(host));
        let Some(name) = WasmEdge_String::wrap(&self.name) else {
            // SAFETY: `host` came from `Box::into_raw` just above and was given to no one.
            drop(unsafe { Box::from_raw(host) });
            return ptr::null_mut();
        };
        // SAFETY: `name` borrows `self.name` for the call (the runtime copies it); `host` is
        // handed to the runtime, which passes it to `finalize::<S>` exactly once.
        let module = unsafe {
            (api.module_instance_create_with_data)(name, host.cast(), Some(finalize::<S>))
        };
        if module.is_null() {
            // SAFETY: the runtime did not take `host` (no module, so no finalizer call).
            drop(unsafe { Box::from_raw(host) });
            return ptr::null_mut();
        }
        for (i, (fname, func)) in self.funcs.iter().enumerate() {
            // `slots` has one slot per function, in order; the pointer is only passed on.
            let slot = slots.as_ptr().cast::<Slot<S>>().wrapping_add(i);
            if !add_function(api, module, fname, func, slot) {
                // SAFETY: `module` is ours; deleting it runs `finalize`, which frees `host`.
                unsafe { (api.module_instance_delete)(module) };
                return ptr::null_mut();
            }
        }
        module
    }
}

/// Creates the function `name` on `module` with `slot` as its data; false on failure.
fn add_function<S: 'static>(
    api: &Api,
    module: *mut WasmEdge_ModuleInstanceContext,
    name: &str,
    func: &HostFunc<S>,
    slot: *mut Slot<S>,
) -> bool {
    let (Ok(np), Ok(nr), Some(name)) = (
        u32::try_from(func.params.len()),
        u32::try_from(func.results.len()),
        WasmEdge_String::wrap(name),
    ) else {
        return false;
    };
    let types = |v: &[ffi::WasmEdge_ValType]| {
        if v.is_empty() {
            ptr::null()
        } else {
            v.as_ptr()
        }
    };
    // SAFETY: each type array holds `np` / `nr` values (or is NULL when empty); the runtime
    // copies them.
    let ty =
        unsafe { (api.function_type_create)(types(&func.params), np, types(&func.results), nr) };
    if ty.is_null() {
        return false;
    }
    // SAFETY: `ty` is live (the runtime copies it); `slot` is a live `Slot<S>` owned by the
    // module's host data, so it outlives the function, as `trampoline::<S>` requires.
    let instance = unsafe { (api.function_instance_create)(ty, trampoline::<S>, slot.cast(), 0) };
    // SAFETY: `ty` was created above and is deleted once; the function holds its own copy.
    unsafe { (api.function_type_delete)(ty) };
    if instance.is_null() {
        return false;
    }
    // SAFETY: `module` and `instance` are live; the module takes ownership of `instance` and
    // copies `name`.
    unsafe { (api.module_instance_add_function)(module, name, instance) };
    true
}

/// The host data of one module instance: its state and one slot per function, each allocated
/// once and freed by `Drop`. Raw pointers, not boxes, so the pointers handed to the runtime stay
/// valid however this struct moves.
struct HostData<S: 'static> {
    state: NonNull<S>,
    slots: NonNull<[Slot<S>]>,
}

impl<S: 'static> HostData<S> {
    fn new(state: S, funcs: &'static [(String, HostFunc<S>)], api: Option<&'static Api>) -> Self {
        let state = NonNull::from(Box::leak(Box::new(state)));
        let slots: Box<[Slot<S>]> = funcs
            .iter()
            .map(|(_, func)| Slot {
                func,
                api,
                state: state.as_ptr(),
            })
            .collect();
        Self {
            state,
            slots: NonNull::from(Box::leak(slots)),
        }
    }
}

impl<S: 'static> Drop for HostData<S> {
    fn drop(&mut self) {
        // SAFETY: both came from `Box::leak` in `new` and are freed only here; the runtime calls
        // the finalizer after the instance's last call, so no slot or state is in use.
        unsafe {
            drop(Box::from_raw(self.slots.as_ptr()));
            drop(Box::from_raw(self.state.as_ptr()));
        }
    }
}

/// The host-data finalizer of a module instance with state `S`.
///
/// # Safety
///
/// `data` must be a `HostData<S>` from `Box::into_raw` in [`Module::instantiate`], passed once,
/// after the instance's last call.
unsafe extern "C" fn finalize<S: 'static>(data: *mut c_void) {
    if data.is_null() {
        return;
    }
    // SAFETY: this function's contract.
    let host = unsafe { Box::from_raw(data.cast::<HostData<S>>()) };
    // The state's `Drop` is the author's code: a panic in it must not unwind into C.
    let _ = panic::catch_unwind(AssertUnwindSafe(move || drop(host)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Caller;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Counts drops, to check that host data frees its state exactly once.
    struct Tracked(Arc<AtomicUsize>);
    impl Drop for Tracked {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn finalizer_drops_state_once_and_survives_a_panicking_drop() {
        let drops = Arc::new(AtomicUsize::new(0));
        let m: &'static Module<Tracked> = Box::leak(Box::new(
            Module::new("m", || unreachable!()).func("f", |_: Caller<'_, Tracked>| {}),
        ));
        let host = Box::into_raw(Box::new(HostData::new(
            Tracked(drops.clone()),
            &m.funcs,
            None,
        )));
        // SAFETY: as `instantiate` hands it to the runtime, once.
        unsafe { finalize::<Tracked>(host.cast()) };
        assert_eq!(drops.load(Ordering::SeqCst), 1);

        struct Panics;
        impl Drop for Panics {
            fn drop(&mut self) {
                panic!("drop");
            }
        }
        let host = Box::into_raw(Box::new(HostData::new(Panics, &[], None)));
        // SAFETY: as above.
        unsafe { finalize::<Panics>(host.cast()) };
    }

    #[test]
    fn slots_point_at_the_state_and_their_functions() {
        let m: &'static Module<u8> = Box::leak(Box::new(
            Module::new("m", || 0)
                .func("a", || 1i32)
                .func("b", |x: i64| x),
        ));
        let host = HostData::new(5u8, &m.funcs, None);
        // SAFETY: `host` owns the slots and keeps them alive here.
        let slots = unsafe { host.slots.as_ref() };
        assert_eq!(slots.len(), 2);
        for (slot, (_, func)) in slots.iter().zip(&m.funcs) {
            assert!(ptr::eq(slot.func, func));
            assert_eq!(slot.state, host.state.as_ptr().cast_const());
        }
    }

    #[test]
    #[should_panic(expected = "declares function \"f\" twice")]
    fn a_duplicate_function_is_refused() {
        let _ = Module::new("m", || ()).func("f", || ()).func("f", || ());
    }
}
