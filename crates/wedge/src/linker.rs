//! `Linker`: resolves imports by module and field name.

use crate::{AsContext, AsContextMut, Engine, Error, ErrorKind, Extern, Instance, Module};
use std::collections::HashMap;
use std::marker::PhantomData;

/// Resolves a module's imports from definitions registered by name.
pub struct Linker<T> {
    engine: Engine,
    defs: HashMap<(String, String), Extern>,
    allow_shadowing: bool,
    _store: PhantomData<fn(T) -> T>,
}

impl<T> Linker<T> {
    /// An empty linker.
    pub fn new(engine: &Engine) -> Self {
        Linker {
            engine: engine.clone(),
            defs: HashMap::new(),
            allow_shadowing: false,
            _store: PhantomData,
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Whether a later definition may replace an earlier one of the same name.
    pub fn allow_shadowing(&mut self, allow: bool) -> &mut Self {
        self.allow_shadowing = allow;
        self
    }

    /// Every definition, as (module, name, item), in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str, Extern)> + '_ {
        self.defs
            .iter()
            .map(|((m, n), e)| (m.as_str(), n.as_str(), *e))
    }

    /// Defines `module`.`name`.
    pub fn define(
        &mut self,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<&mut Self, Error> {
        let key = (module.to_string(), name.to_string());
        if !self.allow_shadowing && self.defs.contains_key(&key) {
            return Err(Error::new(ErrorKind::DuplicateDefinition {
                module: key.0,
                name: key.1,
            }));
        }
        self.defs.insert(key, item.into());
        Ok(self)
    }

    /// Defines every export of `instance` under the module name `module` (the spec tests'
    /// `register`).
    pub fn instance(
        &mut self,
        store: impl AsContext<Data = T>,
        module: &str,
        instance: Instance,
    ) -> Result<&mut Self, Error> {
        for (name, item) in instance.exports(&store) {
            self.define(module, &name, item)?;
        }
        Ok(self)
    }

    /// A definition, if any.
    pub fn get(&self, module: &str, name: &str) -> Option<Extern> {
        self.defs
            .get(&(module.to_string(), name.to_string()))
            .copied()
    }

    /// Resolves `module`'s imports in order.
    pub fn resolve(&self, module: &Module) -> Result<Vec<Extern>, Error> {
        module
            .imports()
            .map(|imp| {
                self.get(imp.module, imp.name).ok_or_else(|| {
                    Error::new(ErrorKind::UnknownImport {
                        module: imp.module.to_string(),
                        name: imp.name.to_string(),
                        kind: imp.ty.kind_name(),
                    })
                })
            })
            .collect()
    }

    /// Resolves `module`'s imports and instantiates it.
    pub fn instantiate(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
    ) -> Result<Instance, Error> {
        let imports = self.resolve(module)?;
        Instance::new(&mut store, module, &imports)
    }
}

impl<T> std::fmt::Debug for Linker<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Linker")
            .field("definitions", &self.defs.len())
            .finish_non_exhaustive()
    }
}
