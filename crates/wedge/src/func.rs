//! Functions: defined in wasm or on the host.

use crate::store::{FuncKind, StoreInner};
use crate::{AsContext, AsContextMut, Error, Extern, Store, Val};
use std::sync::Arc;
use wedge_environ::FuncType;

/// A function in a store.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Func {
    pub(crate) store_id: u64,
    pub(crate) index: u32,
}

impl Func {
    /// A host function of type `ty`. It receives the calling context, its parameters and a
    /// slice to write its results into.
    pub fn new<T>(
        mut store: impl AsContextMut<Data = T>,
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Func {
        let store = store.as_context_mut();
        let host = store.hosts.len() as u32;
        store.hosts.push(Arc::new(func));
        let index = store
            .inner
            .push_func(ty, FuncKind::Host(host), std::ptr::null_mut());
        Func {
            store_id: store.inner.id,
            index,
        }
    }

    /// A host function that charges `cost` each time wasm calls it, before it runs (with
    /// [`Config::measure_cost`](crate::Config::measure_cost); WasmEdge's host-function cost).
    pub fn new_with_cost<T>(
        mut store: impl AsContextMut<Data = T>,
        ty: FuncType,
        cost: u64,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Func {
        let f = Func::new(&mut store, ty, func);
        store.as_context_mut().inner.funcs[f.index as usize].cost = cost;
        f
    }

    /// The function's signature.
    pub fn ty(&self, store: impl AsContext) -> FuncType {
        let inner = &store.as_context().inner;
        inner.check(self.store_id);
        inner.funcs[self.index as usize].ty.clone()
    }

    /// Calls the function. `results` must have room for exactly the function's results.
    pub fn call(
        &self,
        mut store: impl AsContextMut,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<(), Error> {
        let store = store.as_context_mut();
        store.inner.check(self.store_id);
        let ty = &store.inner.funcs[self.index as usize].ty;
        check_types(&store.inner, ty.params(), params, "parameters")?;
        if results.len() != ty.results().len() {
            return Err(Error::type_mismatch(format!(
                "function returns {} values but {} result slots were given",
                ty.results().len(),
                results.len()
            )));
        }
        crate::interp::invoke(store, self.index, params, results)
    }
}

fn check_types(
    store: &StoreInner,
    expected: &[wedge_environ::ValType],
    vals: &[Val],
    what: &str,
) -> Result<(), Error> {
    if expected.len() != vals.len() {
        return Err(Error::type_mismatch(format!(
            "expected {} {what}, got {}",
            expected.len(),
            vals.len()
        )));
    }
    for (i, (t, v)) in expected.iter().zip(vals).enumerate() {
        if v.ty() != *t {
            return Err(Error::type_mismatch(format!(
                "{what} {i}: expected {t}, got {}",
                v.ty()
            )));
        }
        match v {
            Val::FuncRef(Some(f)) if f.store_id != store.id => {
                return Err(Error::new(crate::ErrorKind::WrongStore));
            }
            Val::ExternRef(Some(e)) if e.store_id != store.id => {
                return Err(Error::new(crate::ErrorKind::WrongStore));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The context a host function runs in: the store and the calling instance.
pub struct Caller<'a, T> {
    pub(crate) store: &'a mut Store<T>,
    pub(crate) instance: Option<u32>,
}

impl<T> Caller<'_, T> {
    /// The host data.
    pub fn data(&self) -> &T {
        self.store.data()
    }

    /// The host data, mutable.
    pub fn data_mut(&mut self) -> &mut T {
        self.store.data_mut()
    }

    /// The calling wasm instance; None when the host called this function directly.
    pub fn instance(&self) -> Option<crate::Instance> {
        Some(crate::Instance {
            store_id: self.store.inner.id,
            index: self.instance?,
        })
    }

    /// An export of the calling instance (typically its `memory`).
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        let inst = &self.store.inner.instances[self.instance? as usize];
        inst.exports
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, e)| *e)
    }
}

impl<T> AsContext for Caller<'_, T> {
    type Data = T;
    fn as_context(&self) -> &Store<T> {
        self.store
    }
}

impl<T> AsContextMut for Caller<'_, T> {
    fn as_context_mut(&mut self) -> &mut Store<T> {
        self.store
    }
}
