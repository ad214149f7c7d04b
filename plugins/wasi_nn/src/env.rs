//! The state of one `wasi_ephemeral_nn` instance: preloaded specs, the `load_by_name` cache and
//! the graph and context tables.
//!
//! Concurrency (the rules of WasmEdge's wasi-nn design):
//! - graph and context ids come from counters and are never reused, so a stale id is an errno,
//!   never another graph;
//! - calls on the contexts of one graph (`set_input`, `compute`, `get_output` and the streaming
//!   calls) are serialized by a lock of the graph;
//! - `unload` takes the graph out of the table (and the name cache) and marks it unloaded: a
//!   compute already running finishes, a later `compute` on one of its contexts is refused, and
//!   the graph is freed when its last context is finalized.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::backend::{self, Backend, Context, Graph};
use crate::preload::Preload;
use crate::types::{Encoding, ErrNo, NnResult, Target};

/// Finds the backend of an encoding.
pub type Resolver = fn(Encoding) -> NnResult<&'static dyn Backend>;

/// A loaded graph.
pub struct GraphEntry {
    /// Its encoding.
    pub encoding: Encoding,
    graph: Box<dyn Graph>,
    /// Held by every call on a context of this graph.
    run: Mutex<()>,
    unloaded: AtomicBool,
}

/// An execution context.
pub struct ContextEntry {
    /// The graph it was made from (which may since have been unloaded).
    pub graph_id: u32,
    graph: Arc<GraphEntry>,
    context: Mutex<Box<dyn Context>>,
}

/// The state of one module instance.
pub struct NnState {
    preloads: HashMap<String, Preload>,
    /// `load_by_name`'s cache: name → graph id. Held while a named graph is built.
    by_name: Mutex<HashMap<String, u32>>,
    graphs: Mutex<HashMap<u32, Arc<GraphEntry>>>,
    contexts: Mutex<HashMap<u32, Arc<ContextEntry>>>,
    next_graph: AtomicU32,
    next_context: AtomicU32,
    resolve: Resolver,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The next id from `counter`, or `TooLarge` once 2^32 ids have been handed out.
fn next_id(counter: &AtomicU32) -> NnResult<u32> {
    counter
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_add(1))
        .map_err(|_| {
            crate::log("no graph or context ids are left in this instance");
            ErrNo::TooLarge
        })
}

impl NnState {
    /// A state with the given `--nn-preload` specs and backends.
    #[must_use]
    pub fn new(specs: &[String], resolve: Resolver) -> Self {
        let mut preloads = HashMap::new();
        for spec in specs {
            if let Some(p) = Preload::parse(spec) {
                preloads.entry(p.name.clone()).or_insert(p);
            }
        }
        Self {
            preloads,
            by_name: Mutex::new(HashMap::new()),
            graphs: Mutex::new(HashMap::new()),
            contexts: Mutex::new(HashMap::new()),
            next_graph: AtomicU32::new(0),
            next_context: AtomicU32::new(0),
            resolve,
        }
    }

    /// The state a new instance gets: `--nn-preload` and Wedge's backends.
    #[must_use]
    pub fn from_options() -> Self {
        Self::new(&crate::NN_PRELOAD.get(), backend::for_encoding)
    }

    /// Loads a graph; returns its id.
    pub fn load(&self, builders: &[Vec<u8>], encoding: Encoding, target: Target) -> NnResult<u32> {
        let backend = (self.resolve)(encoding)?;
        let graph = backend.load(builders, target)?;
        let id = next_id(&self.next_graph)?;
        let entry = Arc::new(GraphEntry {
            encoding,
            graph,
            run: Mutex::new(()),
            unloaded: AtomicBool::new(false),
        });
        lock(&self.graphs).insert(id, entry);
        Ok(id)
    }

    /// `load_by_name`: the cached graph of `name`, or a new one built from its preload spec
    /// (with `config`, when not empty, as one more builder). `NotFound` for a name not preloaded.
    pub fn load_by_name(&self, name: &str, config: &[u8]) -> NnResult<u32> {
        let mut cache = lock(&self.by_name);
        if let Some(&id) = cache.get(name) {
            return Ok(id);
        }
        let Some(preload) = self.preloads.get(name) else {
            crate::log(&format!("load_by_name: no model is preloaded as {name:?}."));
            return Err(ErrNo::NotFound);
        };
        let mut builders = preload.builders();
        if !config.is_empty() {
            builders.push(config.to_vec());
        }
        let id = self.load(&builders, preload.encoding, preload.target)?;
        cache.insert(name.to_owned(), id);
        Ok(id)
    }

    fn graph(&self, id: u32) -> Option<Arc<GraphEntry>> {
        lock(&self.graphs).get(&id).cloned()
    }

    fn context(&self, id: u32, call: &str) -> NnResult<Arc<ContextEntry>> {
        lock(&self.contexts).get(&id).cloned().ok_or_else(|| {
            crate::log(&format!("{call}: Context ID {id} does not exist."));
            ErrNo::InvalidArgument
        })
    }

    /// A new execution context of graph `graph_id`.
    pub fn init_execution_context(&self, graph_id: u32) -> NnResult<u32> {
        let Some(graph) = self.graph(graph_id) else {
            crate::log(&format!(
                "init_execution_context: Graph ID {graph_id} does not exist or is unloaded."
            ));
            return Err(ErrNo::InvalidArgument);
        };
        let context = graph.graph.init_context()?;
        let id = next_id(&self.next_context)?;
        let entry = Arc::new(ContextEntry {
            graph_id,
            graph,
            context: Mutex::new(context),
        });
        lock(&self.contexts).insert(id, entry);
        Ok(id)
    }

    /// Runs `f` on context `id`, holding its graph's lock.
    pub fn with_context<T>(
        &self,
        id: u32,
        call: &str,
        f: impl FnOnce(&mut dyn Context) -> NnResult<T>,
    ) -> NnResult<T> {
        let entry = self.context(id, call)?;
        let _run = lock(&entry.graph.run);
        let mut context = lock(&entry.context);
        f(context.as_mut())
    }

    /// `compute` (or `compute_single` with `single`): refused once the graph is unloaded.
    pub fn compute(&self, id: u32, single: bool) -> NnResult<()> {
        let call = if single { "compute_single" } else { "compute" };
        let entry = self.context(id, call)?;
        let _run = lock(&entry.graph.run);
        if entry.graph.unloaded.load(Ordering::Acquire) {
            crate::log(&format!(
                "{call}: Graph ID {} for context ID {id} does not exist or has released.",
                entry.graph_id
            ));
            return Err(ErrNo::InvalidArgument);
        }
        let mut context = lock(&entry.context);
        if single {
            context.compute_single()
        } else {
            context.compute()
        }
    }

    /// Unloads graph `id`: see the module's documentation.
    pub fn unload(&self, id: u32) -> NnResult<()> {
        let Some(graph) = lock(&self.graphs).remove(&id) else {
            crate::log(&format!("unload: GraphId {id} does not exist."));
            return Err(ErrNo::InvalidArgument);
        };
        graph.unloaded.store(true, Ordering::Release);
        lock(&self.by_name).retain(|_, g| *g != id);
        Ok(())
    }

    /// Drops context `id`.
    pub fn finalize_execution_context(&self, id: u32) -> NnResult<()> {
        match lock(&self.contexts).remove(&id) {
            Some(_) => Ok(()),
            None => {
                crate::log(&format!(
                    "finalize_execution_context: Context ID {id} does not exist."
                ));
                Err(ErrNo::InvalidArgument)
            }
        }
    }
}
