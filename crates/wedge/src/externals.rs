//! `Extern`: any importable or exportable entity.

use crate::store::StoreInner;
use crate::{AsContext, Func, Global, Memory, Table};
use wedge_environ::ExternType;

/// A function, table, memory or global of a store.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A table.
    Table(Table),
    /// A memory.
    Memory(Memory),
    /// A global.
    Global(Global),
}

impl Extern {
    /// The function, if this is one.
    pub fn into_func(self) -> Option<Func> {
        if let Extern::Func(f) = self {
            Some(f)
        } else {
            None
        }
    }
    /// The table, if this is one.
    pub fn into_table(self) -> Option<Table> {
        if let Extern::Table(t) = self {
            Some(t)
        } else {
            None
        }
    }
    /// The memory, if this is one.
    pub fn into_memory(self) -> Option<Memory> {
        if let Extern::Memory(m) = self {
            Some(m)
        } else {
            None
        }
    }
    /// The global, if this is one.
    pub fn into_global(self) -> Option<Global> {
        if let Extern::Global(g) = self {
            Some(g)
        } else {
            None
        }
    }

    /// The entity's type.
    pub fn ty(&self, store: impl AsContext) -> ExternType {
        self.ty_inner(&store.as_context().inner)
    }

    /// The entity's type, read from a store's untyped part (used while instantiating).
    pub(crate) fn ty_inner(&self, s: &StoreInner) -> ExternType {
        match self {
            Extern::Func(f) => {
                s.check(f.store_id);
                ExternType::Func(s.funcs[f.index as usize].ty.clone())
            }
            Extern::Table(t) => {
                s.check(t.store_id);
                ExternType::Table(s.tables[t.index as usize].ty())
            }
            Extern::Memory(m) => {
                s.check(m.store_id);
                ExternType::Memory(s.memories[m.index as usize].ty())
            }
            Extern::Global(g) => {
                s.check(g.store_id);
                ExternType::Global(s.globals[g.index as usize].ty)
            }
        }
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Extern {
        Extern::Func(f)
    }
}
impl From<Table> for Extern {
    fn from(t: Table) -> Extern {
        Extern::Table(t)
    }
}
impl From<Memory> for Extern {
    fn from(m: Memory) -> Extern {
        Extern::Memory(m)
    }
}
impl From<Global> for Extern {
    fn from(g: Global) -> Extern {
        Extern::Global(g)
    }
}
