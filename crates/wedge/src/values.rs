//! Values crossing the embedding API.

use crate::store::StoreInner;
use crate::{AsContext, AsContextMut, Func};
use std::any::Any;
use wedge_environ::ValType;

/// A WebAssembly value.
#[derive(Clone, Debug)]
pub enum Val {
    /// i32
    I32(i32),
    /// i64
    I64(i64),
    /// f32, as its bits (so NaN payloads survive)
    F32(u32),
    /// f64, as its bits
    F64(u64),
    /// v128
    V128(u128),
    /// funcref (None = null)
    FuncRef(Option<Func>),
    /// externref (None = null)
    ExternRef(Option<ExternRef>),
}

impl Val {
    /// The value's type.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FuncRef,
            Val::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// The zero value (or null reference) of a type.
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::V128 => Val::V128(0),
            ValType::FuncRef => Val::FuncRef(None),
            ValType::ExternRef => Val::ExternRef(None),
        }
    }

    /// The i32, if this is one.
    pub fn i32(&self) -> Option<i32> {
        if let Val::I32(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The i64, if this is one.
    pub fn i64(&self) -> Option<i64> {
        if let Val::I64(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The f32, if this is one.
    pub fn f32(&self) -> Option<f32> {
        if let Val::F32(v) = self {
            Some(f32::from_bits(*v))
        } else {
            None
        }
    }
    /// The f64, if this is one.
    pub fn f64(&self) -> Option<f64> {
        if let Val::F64(v) = self {
            Some(f64::from_bits(*v))
        } else {
            None
        }
    }

    /// The raw 128-bit representation used on the value stack, tables and globals.
    pub(crate) fn to_raw(&self, store: &StoreInner) -> u128 {
        match self {
            Val::I32(v) => *v as u32 as u128,
            Val::I64(v) => *v as u64 as u128,
            Val::F32(v) => *v as u128,
            Val::F64(v) => *v as u128,
            Val::V128(v) => *v,
            Val::FuncRef(None) | Val::ExternRef(None) => 0,
            Val::FuncRef(Some(f)) => {
                store.check(f.store_id);
                store.func_raw(f.index) as u128
            }
            Val::ExternRef(Some(e)) => {
                store.check(e.store_id);
                u128::from(e.index) + 1
            }
        }
    }

    /// Reads a value of type `ty` from its raw representation.
    pub(crate) fn from_raw(raw: u128, ty: ValType, store: &StoreInner) -> Val {
        match ty {
            ValType::I32 => Val::I32(raw as u32 as i32),
            ValType::I64 => Val::I64(raw as u64 as i64),
            ValType::F32 => Val::F32(raw as u32),
            ValType::F64 => Val::F64(raw as u64),
            ValType::V128 => Val::V128(raw),
            ValType::FuncRef => {
                Val::FuncRef(crate::vm::func_ref_id(raw as u64).map(|index| Func {
                    store_id: store.id,
                    index,
                }))
            }
            ValType::ExternRef => Val::ExternRef(if raw == 0 {
                None
            } else {
                Some(ExternRef {
                    store_id: store.id,
                    index: (raw - 1) as u32,
                })
            }),
        }
    }
}

impl From<i32> for Val {
    fn from(v: i32) -> Val {
        Val::I32(v)
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::I64(v)
    }
}
impl From<f32> for Val {
    fn from(v: f32) -> Val {
        Val::F32(v.to_bits())
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::F64(v.to_bits())
    }
}

/// A reference to a host value owned by a store.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ExternRef {
    pub(crate) store_id: u64,
    pub(crate) index: u32,
}

impl ExternRef {
    /// Moves `value` into the store and returns a reference to it.
    pub fn new(mut store: impl AsContextMut, value: impl Any + Send + Sync) -> ExternRef {
        let inner = &mut store.as_context_mut().inner;
        inner.externrefs.push(Box::new(value));
        ExternRef {
            store_id: inner.id,
            index: inner.externrefs.len() as u32 - 1,
        }
    }

    /// The host value.
    pub fn data<'a, S: AsContext + 'a>(&self, store: &'a S) -> &'a (dyn Any + Send + Sync) {
        let inner = &store.as_context().inner;
        inner.check(self.store_id);
        &*inner.externrefs[self.index as usize]
    }
}
