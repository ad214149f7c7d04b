//! Tables.

use crate::store::TableEntity;
use crate::{AsContext, AsContextMut, Error, Val};
use wedge_environ::{TableType, TrapCode};

/// A table in a store.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub(crate) store_id: u64,
    pub(crate) index: u32,
}

impl Table {
    /// A new table of type `ty` with every element set to `init`.
    pub fn new(mut store: impl AsContextMut, ty: TableType, init: Val) -> Result<Table, Error> {
        let inner = &mut store.as_context_mut().inner;
        if init.ty() != ty.element {
            return Err(Error::type_mismatch(format!(
                "table of {} initialized with a {}",
                ty.element,
                init.ty()
            )));
        }
        let raw = init.to_raw(inner) as u64;
        let cap = inner.engine.config().max_table_elements;
        let table = TableEntity::new(ty, raw, cap)?;
        inner.tables.push(table);
        Ok(Table {
            store_id: inner.id,
            index: inner.tables.len() as u32 - 1,
        })
    }

    /// The table's type, with its current size as minimum.
    pub fn ty(&self, store: impl AsContext) -> TableType {
        let inner = &store.as_context().inner;
        inner.check(self.store_id);
        inner.tables[self.index as usize].ty()
    }

    /// Current number of elements.
    pub fn size(&self, store: impl AsContext) -> u64 {
        let inner = &store.as_context().inner;
        inner.check(self.store_id);
        inner.tables[self.index as usize].elements.len() as u64
    }

    /// Element `index`, or None if out of bounds.
    pub fn get(&self, store: impl AsContext, index: u64) -> Option<Val> {
        let inner = &store.as_context().inner;
        inner.check(self.store_id);
        let t = &inner.tables[self.index as usize];
        let raw = *t.elements.get(usize::try_from(index).ok()?)?;
        Some(Val::from_raw(raw.into(), t.ty.element, inner))
    }

    /// Sets element `index`.
    pub fn set(&self, mut store: impl AsContextMut, index: u64, val: Val) -> Result<(), Error> {
        let inner = &mut store.as_context_mut().inner;
        inner.check(self.store_id);
        let ty = inner.tables[self.index as usize].ty.element;
        if val.ty() != ty {
            return Err(Error::type_mismatch(format!(
                "table of {ty} set to a {}",
                val.ty()
            )));
        }
        let raw = val.to_raw(inner) as u64;
        let slot = usize::try_from(index)
            .ok()
            .and_then(|i| inner.tables[self.index as usize].elements.get_mut(i))
            .ok_or_else(|| Error::trap(TrapCode::TableOutOfBounds))?;
        *slot = raw;
        Ok(())
    }

    /// Grows by `delta` elements set to `init`; returns the previous size.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64, init: Val) -> Result<u64, Error> {
        let inner = &mut store.as_context_mut().inner;
        inner.check(self.store_id);
        let ty = inner.tables[self.index as usize].ty.element;
        if init.ty() != ty {
            return Err(Error::type_mismatch(format!(
                "table of {ty} grown with a {}",
                init.ty()
            )));
        }
        let raw = init.to_raw(inner) as u64;
        inner.tables[self.index as usize]
            .grow(delta, raw)
            .ok_or_else(|| Error::resource(format!("table cannot grow by {delta} elements")))
    }
}
