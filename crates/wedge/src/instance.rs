//! Instantiation: resolving imports, creating entities, running segment initializers and the
//! start function.

use crate::store::{FuncKind, GlobalEntity, InstanceEntity, StoreInner, TableEntity};
use crate::vm::memory::LinearMemory;
use crate::vm::{VMContextBox, VMGlobalDefinition};
use crate::{
    AsContext, AsContextMut, Error, ErrorKind, Extern, Func, Global, Memory, Module, Table,
};
use wedge_environ::{
    ConstExpr, ConstOp, DataMode, ElemMode, EntityIndex, ExternType, ModuleInfo, TrapCode,
    VMOffsets,
};

/// An instance of a module in a store.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    pub(crate) store_id: u64,
    pub(crate) index: u32,
}

impl Instance {
    /// Instantiates `module` with `imports` given in the module's import order.
    pub fn new(
        mut store: impl AsContextMut,
        module: &Module,
        imports: &[Extern],
    ) -> Result<Instance, Error> {
        let store = store.as_context_mut();
        let index = instantiate(&mut store.inner, module, imports)?;
        let instance = Instance {
            store_id: store.inner.id,
            index,
        };
        if let Some(start) = module.inner().info.start {
            let f = store.inner.instances[index as usize].funcs[start as usize];
            crate::interp::invoke(store, f, &[], &mut [])?;
        }
        Ok(instance)
    }

    /// An export by name.
    pub fn get_export(&self, store: impl AsContext, name: &str) -> Option<Extern> {
        let inner = &store.as_context().inner;
        inner.check(self.store_id);
        inner.instances[self.index as usize]
            .exports
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, e)| *e)
    }

    /// Memory `index` in the instance's own index space (imported memories first).
    pub fn memory_at(&self, store: impl AsContext, index: u32) -> Option<Memory> {
        let inner = &store.as_context().inner;
        inner.check(self.store_id);
        let m = *inner.instances[self.index as usize]
            .memories
            .get(index as usize)?;
        Some(Memory {
            store_id: self.store_id,
            index: m,
        })
    }

    /// An exported function.
    pub fn get_func(&self, store: impl AsContext, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }
    /// An exported memory.
    pub fn get_memory(&self, store: impl AsContext, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }
    /// An exported global.
    pub fn get_global(&self, store: impl AsContext, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }
    /// An exported table.
    pub fn get_table(&self, store: impl AsContext, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }

    /// Every export, in the module's order.
    pub fn exports(&self, store: impl AsContext) -> Vec<(String, Extern)> {
        let inner = &store.as_context().inner;
        inner.check(self.store_id);
        inner.instances[self.index as usize].exports.clone()
    }

    /// The module this is an instance of.
    pub fn module(&self, store: impl AsContext) -> Module {
        let inner = &store.as_context().inner;
        inner.check(self.store_id);
        inner.instances[self.index as usize].module.clone()
    }
}

fn incompatible(info: &ModuleInfo, i: usize, detail: String) -> Error {
    let imp = &info.imports[i];
    Error::new(ErrorKind::IncompatibleImportType {
        module: imp.module.clone(),
        name: imp.name.clone(),
        detail,
    })
}

/// Checks an import's actual type against the declared one.
pub(crate) fn check_import(
    store: &StoreInner,
    info: &ModuleInfo,
    i: usize,
    item: &Extern,
) -> Result<(), Error> {
    let expected = info.entity_type(info.imports[i].index);
    let actual = item.ty_inner(store);
    let ok = match (&expected, &actual) {
        (ExternType::Func(e), ExternType::Func(a)) => e == a,
        (ExternType::Global(e), ExternType::Global(a)) => e == a,
        (ExternType::Table(e), ExternType::Table(a)) => {
            e.element == a.element && a.limits.matches(&e.limits)
        }
        (ExternType::Memory(e), ExternType::Memory(a)) => {
            e.shared == a.shared && e.memory64 == a.memory64 && a.limits.matches(&e.limits)
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(incompatible(
            info,
            i,
            format!("expected {expected:?}, found {actual:?}"),
        ))
    }
}

/// Evaluates a constant expression to a raw value.
pub(crate) fn eval_const(store: &StoreInner, inst: &InstanceEntity, expr: &ConstExpr) -> u128 {
    let mut stack: Vec<u128> = Vec::with_capacity(2);
    for op in &expr.ops {
        let v = match *op {
            ConstOp::I32Const(v) => v as u32 as u128,
            ConstOp::I64Const(v) => v as u64 as u128,
            ConstOp::F32Const(v) => v as u128,
            ConstOp::F64Const(v) => v as u128,
            ConstOp::V128Const(v) => v,
            ConstOp::GlobalGet(g) => store.globals[inst.globals[g as usize] as usize].def.storage,
            ConstOp::RefNull(_) => 0,
            ConstOp::RefFunc(f) => store.func_raw(inst.funcs[f as usize]) as u128,
            ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                let b = stack.pop().unwrap_or(0) as u32;
                let a = stack.pop().unwrap_or(0) as u32;
                (match op {
                    ConstOp::I32Add => a.wrapping_add(b),
                    ConstOp::I32Sub => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                }) as u128
            }
            ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                let b = stack.pop().unwrap_or(0) as u64;
                let a = stack.pop().unwrap_or(0) as u64;
                (match op {
                    ConstOp::I64Add => a.wrapping_add(b),
                    ConstOp::I64Sub => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                }) as u128
            }
        };
        stack.push(v);
    }
    stack.pop().unwrap_or(0)
}

/// Creates the instance's entities and runs its segment initializers (not the start function).
fn instantiate(store: &mut StoreInner, module: &Module, imports: &[Extern]) -> Result<u32, Error> {
    if !crate::Engine::same(module.engine(), &store.engine) {
        return Err(Error::new(ErrorKind::WrongStore));
    }
    let info = &module.inner().info;
    if imports.len() != info.imports.len() {
        return Err(Error::type_mismatch(format!(
            "module needs {} imports, {} were given",
            info.imports.len(),
            imports.len()
        )));
    }
    for (i, item) in imports.iter().enumerate() {
        check_import(store, info, i, item)?;
    }
    let metering = &store.engine.config().metering;
    store.meter.charge_instantiation(metering, info)?;

    let instance_index = store.instances.len() as u32;
    let mut inst = InstanceEntity {
        module: module.clone(),
        vmctx: VMContextBox::new(VMOffsets::new(std::mem::size_of::<usize>() as u32, info)),
        funcs: Vec::with_capacity(info.funcs.len()),
        tables: Vec::with_capacity(info.tables.len()),
        memories: Vec::with_capacity(info.memories.len()),
        globals: Vec::with_capacity(info.globals.len()),
        elems: Vec::with_capacity(info.elems.len()),
        data_dropped: vec![false; info.datas.len()],
        exports: Vec::with_capacity(info.exports.len()),
    };
    let limits: *mut crate::vm::VMRuntimeLimits = &mut *store.limits;
    inst.vmctx.set_limits(limits);
    for item in imports {
        match *item {
            Extern::Func(f) => inst.funcs.push(f.index),
            Extern::Table(t) => inst.tables.push(t.index),
            Extern::Memory(m) => inst.memories.push(m.index),
            Extern::Global(g) => inst.globals.push(g.index),
        }
    }
    let vmctx_ptr = inst.vmctx.as_ptr();
    for def in 0..info.bodies.len() as u32 {
        let ty = info.func_type(info.num_imported_funcs + def).clone();
        let kind = FuncKind::Wasm {
            instance: instance_index,
            module: module.clone(),
            def,
        };
        let id = store.push_func(ty, kind, vmctx_ptr);
        inst.funcs.push(id);
        // Compiled code reaches every function through its VMFuncRef: its own code, or the
        // exit trampoline into the interpreter.
        #[cfg(feature = "cranelift")]
        match &module.inner().compiled {
            Some(c) => crate::vm::jit::route_to_code(store, id, c.function(def)),
            None => crate::vm::jit::route_through_exit(store, id),
        }
    }
    // Libcalls and exits find the instance from its VM context.
    inst.vmctx.set_runtime(instance_index as usize as *mut ());
    let page_limit = store.engine.config().memory_page_limit;
    for ty in &info.memories[info.num_imported_memories as usize..] {
        let mem = LinearMemory::new(*ty, page_limit).map_err(Error::resource)?;
        store.memories.push(mem);
        inst.memories.push(store.memories.len() as u32 - 1);
    }
    for (i, ty) in info.globals[info.num_imported_globals as usize..]
        .iter()
        .enumerate()
    {
        let value = eval_const(store, &inst, &info.global_inits[i]);
        store.globals.push(GlobalEntity {
            def: Box::new(VMGlobalDefinition { storage: value }),
            ty: *ty,
        });
        inst.globals.push(store.globals.len() as u32 - 1);
    }
    let table_cap = store.engine.config().max_table_elements;
    for (i, ty) in info.tables[info.num_imported_tables as usize..]
        .iter()
        .enumerate()
    {
        let init = info.table_inits[i]
            .as_ref()
            .map_or(0, |e| eval_const(store, &inst, e) as u64);
        store.tables.push(TableEntity::new(*ty, init, table_cap)?);
        inst.tables.push(store.tables.len() as u32 - 1);
    }

    // The VM context: pointers to every entity's definition.
    for (i, &m) in inst.memories.iter().enumerate() {
        let memory = &mut store.memories[m as usize];
        let base = memory.base();
        inst.vmctx.set_memory(i as u32, memory.definition(), base);
    }
    for (i, &t) in inst.tables.iter().enumerate() {
        let def: *mut _ = &mut *store.tables[t as usize].def;
        inst.vmctx.set_table(i as u32, def);
    }
    for (i, &g) in inst.globals.iter().enumerate() {
        let def: *mut _ = &mut *store.globals[g as usize].def;
        inst.vmctx.set_global(i as u32, def);
    }
    for (i, &f) in inst.funcs.iter().enumerate() {
        let r: *const _ = &*store.funcs[f as usize].func_ref;
        inst.vmctx.set_func(i as u32, r);
    }
    for (i, &id) in module.inner().type_ids.iter().enumerate() {
        inst.vmctx.set_type_id(i as u32, id);
    }

    for seg in &info.elems {
        let items: Box<[u64]> = seg
            .items
            .iter()
            .map(|e| eval_const(store, &inst, e) as u64)
            .collect();
        inst.elems.push(items);
    }
    for e in &info.exports {
        let item = match e.index {
            EntityIndex::Func(i) => Extern::Func(Func {
                store_id: store.id,
                index: inst.funcs[i as usize],
            }),
            EntityIndex::Table(i) => Extern::Table(Table {
                store_id: store.id,
                index: inst.tables[i as usize],
            }),
            EntityIndex::Memory(i) => Extern::Memory(Memory {
                store_id: store.id,
                index: inst.memories[i as usize],
            }),
            EntityIndex::Global(i) => Extern::Global(Global {
                store_id: store.id,
                index: inst.globals[i as usize],
            }),
        };
        inst.exports.push((e.name.clone(), item));
    }

    // Segment initialization, in order; a trap leaves earlier effects in place (as the spec says).
    let result = init_segments(store, &mut inst, info);
    store.instances.push(inst);
    result.map(|()| instance_index)
}

fn init_segments(
    store: &mut StoreInner,
    inst: &mut InstanceEntity,
    info: &ModuleInfo,
) -> Result<(), Error> {
    for (i, seg) in info.elems.iter().enumerate() {
        match &seg.mode {
            ElemMode::Active { table, offset } => {
                let offset = eval_const(store, inst, offset) as u32 as u64;
                let t = &mut store.tables[inst.tables[*table as usize] as usize];
                let items = &inst.elems[i];
                let end = offset
                    .checked_add(items.len() as u64)
                    .filter(|&e| e <= t.elements.len() as u64);
                let Some(end) = end else {
                    return Err(Error::trap(TrapCode::TableOutOfBounds));
                };
                t.elements[offset as usize..end as usize].copy_from_slice(items);
                inst.elems[i] = Box::new([]);
            }
            ElemMode::Declared => inst.elems[i] = Box::new([]),
            ElemMode::Passive => {}
        }
    }
    for (i, seg) in info.datas.iter().enumerate() {
        if let DataMode::Active { memory, offset } = &seg.mode {
            let offset = eval_const(store, inst, offset);
            let offset = if info.memories[*memory as usize].memory64 {
                offset as u64
            } else {
                offset as u32 as u64
            };
            let mem = store.memories[inst.memories[*memory as usize] as usize].data_mut();
            let dst = usize::try_from(offset)
                .ok()
                .and_then(|o| Some(o..o.checked_add(seg.data.len())?))
                .and_then(|r| mem.get_mut(r))
                .ok_or_else(|| Error::trap(TrapCode::MemoryOutOfBounds))?;
            dst.copy_from_slice(&seg.data);
            inst.data_dropped[i] = true;
        }
    }
    Ok(())
}
