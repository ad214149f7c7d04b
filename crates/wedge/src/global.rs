//! Globals.

use crate::store::GlobalEntity;
use crate::vm::VMGlobalDefinition;
use crate::{AsContext, AsContextMut, Error, Val};
use wedge_environ::{GlobalType, Mutability};

/// A global in a store.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Global {
    pub(crate) store_id: u64,
    pub(crate) index: u32,
}

impl Global {
    /// A global of type `ty` holding `val`.
    pub fn new(mut store: impl AsContextMut, ty: GlobalType, val: Val) -> Result<Global, Error> {
        let inner = &mut store.as_context_mut().inner;
        if val.ty() != ty.content {
            return Err(Error::type_mismatch(format!(
                "global of type {} initialized with a {}",
                ty.content,
                val.ty()
            )));
        }
        let raw = val.to_raw(inner);
        inner.globals.push(GlobalEntity {
            def: Box::new(VMGlobalDefinition { storage: raw }),
            ty,
        });
        Ok(Global {
            store_id: inner.id,
            index: inner.globals.len() as u32 - 1,
        })
    }

    /// The global's type.
    pub fn ty(&self, store: impl AsContext) -> GlobalType {
        let inner = &store.as_context().inner;
        inner.check(self.store_id);
        inner.globals[self.index as usize].ty
    }

    /// The current value.
    pub fn get(&self, store: impl AsContext) -> Val {
        let inner = &store.as_context().inner;
        inner.check(self.store_id);
        let g = &inner.globals[self.index as usize];
        Val::from_raw(g.def.storage, g.ty.content, inner)
    }

    /// Sets the value of a mutable global.
    pub fn set(&self, mut store: impl AsContextMut, val: Val) -> Result<(), Error> {
        let inner = &mut store.as_context_mut().inner;
        inner.check(self.store_id);
        let ty = inner.globals[self.index as usize].ty;
        if ty.mutability != Mutability::Var {
            return Err(Error::type_mismatch("cannot set an immutable global"));
        }
        if val.ty() != ty.content {
            return Err(Error::type_mismatch(format!(
                "global of type {} set to a {}",
                ty.content,
                val.ty()
            )));
        }
        let raw = val.to_raw(inner);
        inner.globals[self.index as usize].def.storage = raw;
        Ok(())
    }
}
