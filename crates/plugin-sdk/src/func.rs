//! Typed host functions: [`IntoFunc`] turns a Rust function into a [`HostFunc`] (its wasm type and
//! a type-erased call), and [`trampoline`] is the `WasmEdge_HostFunc_t` the runtime calls.

use core::ffi::c_void;
use core::panic::AssertUnwindSafe;
use std::panic;

use crate::caller::Caller;
use crate::error::{Error, SUCCESS};
use crate::ffi::{
    Api, WasmEdge_CallingFrameContext, WasmEdge_Result, WasmEdge_ValType, WasmEdge_Value,
};
use crate::value::{HostReturn, WasmResults, WasmType, number_type, param};

/// The type-erased call: decode the parameters, run the author's function, encode the results.
type Call<S> = dyn Fn(Caller<'_, S>, &[WasmEdge_Value], &mut [WasmEdge_Value]) -> Result<(), Error>
    + Send
    + Sync;

/// A host function ready to be instantiated: its wasm type and its call.
pub struct HostFunc<S> {
    pub(crate) params: Vec<WasmEdge_ValType>,
    pub(crate) results: Vec<WasmEdge_ValType>,
    call: Box<Call<S>>,
}

impl<S> HostFunc<S> {
    /// Runs the function on decoded slices of exactly `params.len()` and `results.len()` values,
    /// turning a panic into [`Error::host_func_error`]: nothing unwinds past this point.
    pub(crate) fn invoke(
        &self,
        caller: Caller<'_, S>,
        params: &[WasmEdge_Value],
        results: &mut [WasmEdge_Value],
    ) -> WasmEdge_Result {
        // AssertUnwindSafe: after a panic the SDK touches nothing the function may have left
        // half-done; the module state is the author's, shared and `Sync`, and stays usable (a
        // `Mutex` in it is poisoned as usual).
        match panic::catch_unwind(AssertUnwindSafe(|| (self.call)(caller, params, results))) {
            Ok(Ok(())) => SUCCESS,
            Ok(Err(e)) => e.to_result(),
            Err(payload) => {
                // Dropping the payload runs its destructor, which could panic too.
                let _ = panic::catch_unwind(AssertUnwindSafe(move || drop(payload)));
                Error::host_func_error().to_result()
            }
        }
    }
}

/// A Rust function or closure that can be a host function of a module with state `S`.
///
/// Implemented for every `Fn` that is `Send + Sync + 'static` and
/// - takes up to 12 parameters, each a [`WasmType`] (`i32`, `u32`, `i64`, `u64`, `f32`, `f64`),
///   optionally preceded by a [`Caller<'_, S>`](Caller) for the state and the guest's memory;
/// - returns `()`, a [`WasmType`], a tuple of up to 8 of them, or a `Result` of those whose error
///   converts into [`Error`].
///
/// `Params` and `Results` are inferred; closures need their parameter types written out.
pub trait IntoFunc<S, Params, Results>: Send + Sync + 'static {
    /// The host function.
    #[doc(hidden)]
    fn into_func(self) -> HostFunc<S>;
}

macro_rules! into_func {
    ($($a:ident $i:tt),*) => {
        impl<S, F, R, $($a,)*> IntoFunc<S, ($($a,)*), R> for F
        where
            F: Fn($($a),*) -> R + Send + Sync + 'static,
            R: HostReturn,
            $($a: WasmType,)*
        {
            fn into_func(self) -> HostFunc<S> {
                HostFunc {
                    params: vec![$(number_type($a::CODE)),*],
                    results: R::Results::types(),
                    call: Box::new(move |_: Caller<'_, S>, _params, results| {
                        self($(param::<$a>(_params, $i)),*).into_result()?.store(results);
                        Ok(())
                    }),
                }
            }
        }

        impl<S, F, R, $($a,)*> IntoFunc<S, (Caller<'static, S>, $($a,)*), R> for F
        where
            S: 'static,
            F: Fn(Caller<'_, S>, $($a),*) -> R + Send + Sync + 'static,
            R: HostReturn,
            $($a: WasmType,)*
        {
            fn into_func(self) -> HostFunc<S> {
                HostFunc {
                    params: vec![$(number_type($a::CODE)),*],
                    results: R::Results::types(),
                    call: Box::new(move |caller: Caller<'_, S>, _params, results| {
                        self(caller, $(param::<$a>(_params, $i)),*).into_result()?.store(results);
                        Ok(())
                    }),
                }
            }
        }
    };
}

into_func!();
into_func!(A1 0);
into_func!(A1 0, A2 1);
into_func!(A1 0, A2 1, A3 2);
into_func!(A1 0, A2 1, A3 2, A4 3);
into_func!(A1 0, A2 1, A3 2, A4 3, A5 4);
into_func!(A1 0, A2 1, A3 2, A4 3, A5 4, A6 5);
into_func!(A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6);
into_func!(A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6, A8 7);
into_func!(A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6, A8 7, A9 8);
into_func!(A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6, A8 7, A9 8, A10 9);
into_func!(A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6, A8 7, A9 8, A10 9, A11 10);
into_func!(A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6, A8 7, A9 8, A10 9, A11 10, A12 11);

/// What a host function's data pointer points to: the function, the state of the module
/// instance it was added to, and the C API of the runtime that made the instance. Owned by that
/// instance's host data (see `module.rs`).
pub(crate) struct Slot<S: 'static> {
    pub(crate) func: &'static HostFunc<S>,
    /// `None` only in unit tests, which have no runtime.
    pub(crate) api: Option<&'static Api>,
    /// The instance's state, alive as long as the instance.
    pub(crate) state: *const S,
}

/// The `WasmEdge_HostFunc_t` of every SDK host function with module state `S`.
///
/// # Safety
///
/// `data` must point to a live [`Slot<S>`], `frame` must be the current calling frame or NULL,
/// and `params` and `returns` must hold as many values as the function type has parameters and
/// results. The runtime guarantees all this for a function made by `module.rs`.
pub(crate) unsafe extern "C" fn trampoline<S: 'static>(
    data: *mut c_void,
    frame: *const WasmEdge_CallingFrameContext,
    params: *const WasmEdge_Value,
    returns: *mut WasmEdge_Value,
) -> WasmEdge_Result {
    // SAFETY: `data` is the slot given to `WasmEdge_FunctionInstanceCreate`, which lives as
    // long as the module instance, which outlives its calls (this function's contract).
    let slot = unsafe { &*data.cast::<Slot<S>>() };
    // SAFETY: the slot's state belongs to the same instance and is only ever shared.
    let state = unsafe { &*slot.state };
    let func = slot.func;
    let (np, nr) = (func.params.len(), func.results.len());
    if (np > 0 && params.is_null()) || (nr > 0 && returns.is_null()) {
        return Error::host_func_error().to_result();
    }
    let params: &[WasmEdge_Value] = if np == 0 {
        &[]
    } else {
        // SAFETY: non-NULL and holding `np` values (this function's contract).
        unsafe { core::slice::from_raw_parts(params, np) }
    };
    let results: &mut [WasmEdge_Value] = if nr == 0 {
        &mut []
    } else {
        // SAFETY: non-NULL, holding `nr` values, and not aliased by `params` (the runtime passes
        // separate arrays).
        unsafe { core::slice::from_raw_parts_mut(returns, nr) }
    };
    func.invoke(Caller::new(frame, slot.api, state), params, results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::code;

    fn zero() -> WasmEdge_Value {
        WasmEdge_Value {
            Value: 0,
            Type: number_type(0),
        }
    }

    fn val(bits: u128) -> WasmEdge_Value {
        WasmEdge_Value {
            Value: bits,
            Type: number_type(code::I32),
        }
    }

    /// Calls `f` through the C trampoline, as the runtime would, with no calling frame.
    fn call<S: 'static>(
        f: &'static HostFunc<S>,
        state: &S,
        params: &[WasmEdge_Value],
        results: &mut [WasmEdge_Value],
    ) -> WasmEdge_Result {
        let slot = Slot {
            func: f,
            api: None,
            state,
        };
        // SAFETY: the slot and state outlive the call; the arrays have the function's arity.
        unsafe {
            trampoline::<S>(
                (&raw const slot).cast_mut().cast(),
                core::ptr::null(),
                params.as_ptr(),
                results.as_mut_ptr(),
            )
        }
    }

    fn leak<S, P, R>(f: impl IntoFunc<S, P, R>) -> &'static HostFunc<S> {
        Box::leak(Box::new(f.into_func()))
    }

    #[test]
    fn typed_function_gets_its_wasm_type() {
        let f = leak::<(), _, _>(|a: i32, b: u64, c: f32| -> (f64, i64) {
            (f64::from(c), a as i64 + b as i64)
        });
        assert_eq!(
            f.params,
            [
                number_type(code::I32),
                number_type(code::I64),
                number_type(code::F32)
            ]
        );
        assert_eq!(f.results, [number_type(code::F64), number_type(code::I64)]);
    }

    #[test]
    fn trampoline_decodes_params_and_encodes_results() {
        let add = leak::<(), _, _>(|a: i32, b: i32| a.wrapping_add(b));
        let mut out = [zero()];
        let r = call(add, &(), &[val(0xFFFF_FFFF), val(3)], &mut out);
        assert_eq!(r, SUCCESS);
        assert_eq!(out[0].Value, 2, "-1 + 3");
        assert_eq!(out[0].Type, number_type(code::I32));
    }

    #[test]
    fn the_caller_sees_the_slot_state() {
        use std::sync::atomic::{AtomicI64, Ordering};
        let counter = leak(|c: Caller<'_, AtomicI64>| -> i64 {
            c.state().fetch_add(1, Ordering::Relaxed) + 1
        });
        let (a, b) = (AtomicI64::new(0), AtomicI64::new(100));
        let mut out = [zero()];
        call(counter, &a, &[], &mut out);
        call(counter, &a, &[], &mut out);
        assert_eq!(out[0].Value, 2);
        call(counter, &b, &[], &mut out);
        assert_eq!(out[0].Value, 101, "each state counts on its own");
    }

    #[test]
    fn errors_become_their_result_codes() {
        let fail = leak::<(), _, _>(|code: u32| -> Result<(), Error> { Err(Error::user(code)) });
        assert_eq!(call(fail, &(), &[val(42)], &mut []).Code, 0x0100_002A);
        let stop = leak::<(), _, _>(|| -> Result<i32, Error> { Err(Error::terminate()) });
        assert_eq!(call(stop, &(), &[], &mut [zero()]).Code, 1);
        let custom = leak::<(), _, _>(|| -> Result<(), Custom> { Err(Custom) });
        assert_eq!(call(custom, &(), &[], &mut []), Error::user(9).to_result());
    }

    struct Custom;
    impl From<Custom> for Error {
        fn from(_: Custom) -> Error {
            Error::user(9)
        }
    }

    #[test]
    fn a_panic_becomes_a_host_function_error() {
        let boom = leak::<(), _, _>(|x: i32| -> i32 {
            if x > 0 {
                panic!("boom");
            }
            x
        });
        let mut out = [zero()];
        assert_eq!(
            call(boom, &(), &[val(1)], &mut out),
            Error::host_func_error().to_result()
        );
        assert_eq!(
            call(boom, &(), &[val(0)], &mut out),
            SUCCESS,
            "still callable"
        );
    }

    #[test]
    fn a_panicking_panic_payload_is_contained() {
        struct Bomb;
        impl Drop for Bomb {
            fn drop(&mut self) {
                panic!("payload drop");
            }
        }
        let f = leak::<(), _, _>(|| -> () { std::panic::panic_any(Bomb) });
        assert_eq!(
            call(f, &(), &[], &mut []),
            Error::host_func_error().to_result()
        );
    }

    #[test]
    fn memory_without_a_frame_is_out_of_bounds() {
        let f = leak(|c: Caller<'_, ()>, p: u32| -> Result<i32, Error> {
            let m = c.memory(0)?;
            m.write(u64::from(p), b"x")?;
            Ok(1)
        });
        assert_eq!(
            call(f, &(), &[val(0)], &mut [zero()]),
            Error::memory_out_of_bounds().to_result()
        );
    }

    #[test]
    fn null_arrays_for_a_function_with_values_are_refused() {
        let add = leak::<(), _, _>(|a: i32| a);
        let slot = Slot {
            func: add,
            api: None,
            state: &raw const *Box::leak(Box::new(())),
        };
        // SAFETY: the slot is live; the NULL arrays are what is being tested.
        let r = unsafe {
            trampoline::<()>(
                (&raw const slot).cast_mut().cast(),
                core::ptr::null(),
                core::ptr::null(),
                core::ptr::null_mut(),
            )
        };
        assert_eq!(r, Error::host_func_error().to_result());
    }
}
