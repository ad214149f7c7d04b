//! The plug-in registry: which plug-ins this process has loaded, found by walking paths.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use crate::error::{Error, ErrorKind};
use crate::load::load_file;
use crate::paths;
use crate::plugin::Plugin;

/// File extensions a plug-in file may have, exactly (so `x.so.1` is not one).
pub const PLUGIN_EXTENSIONS: [&str; 3] = ["so", "dylib", "dll"];

/// Whether `path` names a plug-in file by its extension (`.so`, `.dylib` or `.dll`, exactly).
pub fn has_plugin_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PLUGIN_EXTENSIONS.contains(&e))
}

/// What one `load_*` call did.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// The plug-ins this call registered, in load order.
    pub loaded: Vec<Arc<Plugin>>,
    /// Files that did not load, and warnings (duplicate names), in the order met.
    pub problems: Vec<Error>,
}

impl LoadReport {
    /// Prints each problem on stderr, one line each: `warning: …` for a duplicate name,
    /// `error: …` for a file that did not load.
    pub fn print_problems(&self) {
        for problem in &self.problems {
            let level = if problem.is_warning() {
                "warning"
            } else {
                "error"
            };
            eprintln!("{level}: {problem}");
        }
    }
}

/// The plug-ins loaded into this process: thread-safe, names unique (the first loaded wins).
///
/// Loading is idempotent per path string: a file already loaded under that path is not opened
/// again. A registered plug-in's library is never unloaded. One registry per process is the plan
/// ([`PluginRegistry::global`]); separate ones exist for tests.
#[derive(Debug, Default)]
pub struct PluginRegistry {
    /// Serialises loading (dlopen and the plug-in's descriptor call), without holding `state`, so
    /// a plug-in that asks the registry something while it is being opened does not deadlock.
    load_lock: Mutex<()>,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    plugins: Vec<Arc<Plugin>>,
    loaded_paths: HashSet<PathBuf>,
}

impl PluginRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// The process's registry.
    pub fn global() -> &'static Self {
        static GLOBAL: OnceLock<PluginRegistry> = OnceLock::new();
        GLOBAL.get_or_init(Self::new)
    }

    /// Loads the default search paths ([`paths::default_plugin_paths`]) with the running
    /// executable's directory as the library directory, and prints problems on stderr.
    pub fn load_default_paths(&self) -> LoadReport {
        self.load_default_paths_from(paths::current_exe_dir().as_deref())
    }

    /// Loads the default search paths for the library directory `lib_dir` (the directory of the
    /// binary or library holding the runtime), and prints problems on stderr. Paths that do not
    /// exist are skipped silently, as are files whose extension is not a plug-in's.
    pub fn load_default_paths_from(&self, lib_dir: Option<&Path>) -> LoadReport {
        let report = self.try_load_search_paths(paths::default_plugin_paths(lib_dir));
        report.print_problems();
        report
    }

    /// Loads each entry of a search list (as [`paths::plugin_paths`] gives) the way default paths
    /// load: an entry that does not exist, is empty, or is a file not named like a shared library
    /// is skipped silently. Does not print.
    pub fn try_load_search_paths<I>(&self, search_paths: I) -> LoadReport
    where
        I: IntoIterator,
        I::Item: AsRef<Path>,
    {
        let mut report = LoadReport::default();
        for path in search_paths {
            self.load_any(path.as_ref(), false, &mut report);
        }
        report
    }

    /// Loads a plug-in file or every plug-in under a directory, and prints problems on stderr.
    pub fn load_path(&self, path: impl AsRef<Path>) -> LoadReport {
        let report = self.try_load_path(path);
        report.print_problems();
        report
    }

    /// As [`PluginRegistry::load_path`], without printing. A path that does not exist, or a file
    /// that is not named like a shared library, is reported too (it was asked for by name). An
    /// empty path loads nothing.
    pub fn try_load_path(&self, path: impl AsRef<Path>) -> LoadReport {
        let mut report = LoadReport::default();
        self.load_any(path.as_ref(), true, &mut report);
        report
    }

    /// Every registered plug-in, in load order.
    pub fn plugins(&self) -> Vec<Arc<Plugin>> {
        self.state().plugins.clone()
    }

    /// Every registered plug-in loaded from a file whose name is not forbidden, in load order:
    /// the ones whose modules a new VM registers besides the built-in ones, which the runtime
    /// defines itself (WasmEdge registers its built-in `wasi:logging/logging` in every VM, loaded
    /// or not, and never forbids it).
    pub fn plugins_except(&self, forbidden: &ForbiddenPlugins) -> Vec<Arc<Plugin>> {
        self.state()
            .plugins
            .iter()
            .filter(|p| !p.is_builtin() && !forbidden.contains(p.name()))
            .cloned()
            .collect()
    }

    /// Registers a plug-in compiled into the runtime ([`Plugin::builtin`]) after those already
    /// registered, unless one of that name is registered (WasmEdge registers its built-in
    /// `wasi_logging` so, each time it loads the default paths, before loading them). Returns
    /// whether it was added.
    pub fn register_builtin(&self, plugin: Plugin) -> bool {
        let _loading = self
            .load_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut state = self.state();
        if state.plugins.iter().any(|p| p.name() == plugin.name()) {
            return false;
        }
        state.plugins.push(Arc::new(plugin));
        true
    }

    /// The registered plug-in with this name.
    pub fn find(&self, name: &str) -> Option<Arc<Plugin>> {
        self.state()
            .plugins
            .iter()
            .find(|p| p.name() == name)
            .cloned()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The state is consistent after any panic (each update is one push), so poison is ignored.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A file or a directory; `explicit` when the user named this path.
    fn load_any(&self, path: &Path, explicit: bool, report: &mut LoadReport) {
        if path.as_os_str().is_empty() {
            return;
        }
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => self.walk(path, report),
            Ok(_) if has_plugin_extension(path) => self.load_one(path, report),
            Ok(_) if explicit => report
                .problems
                .push(Error::new(path, ErrorKind::NotALibraryName)),
            Ok(_) => {}
            Err(e) if explicit => report.problems.push(Error::new(path, ErrorKind::Io(e))),
            Err(_) => {}
        }
    }

    /// Walks a directory recursively in name order: permission-denied entries are skipped,
    /// directory symlinks are not followed, files and file symlinks load if their extension is a
    /// plug-in's.
    fn walk(&self, dir: &Path, report: &mut LoadReport) {
        // A directory we may not read (or that vanished) is skipped, like WasmEdge's
        // `skip_permission_denied` walk.
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let Ok(meta) = fs::symlink_metadata(&path) else {
                continue;
            };
            let is_file = if meta.is_dir() {
                self.walk(&path, report);
                continue;
            } else if meta.is_symlink() {
                // Follow a symlink only to a regular file; one to a directory is not walked.
                fs::metadata(&path).is_ok_and(|m| m.is_file())
            } else {
                meta.is_file()
            };
            if is_file && has_plugin_extension(&path) {
                self.load_one(&path, report);
            }
        }
    }

    /// Loads one file unless this path string is already loaded, and registers it unless its name
    /// is taken.
    fn load_one(&self, path: &Path, report: &mut LoadReport) {
        let _loading = self
            .load_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.state().loaded_paths.contains(path) {
            return;
        }
        let mut plugin = match load_file(path) {
            Ok(plugin) => plugin,
            Err(e) => {
                report.problems.push(e);
                return;
            }
        };
        let mut state = self.state();
        if let Some(first) = state.plugins.iter().find(|p| p.name() == plugin.name()) {
            report.problems.push(Error::new(
                path,
                ErrorKind::DuplicateName {
                    name: plugin.name().to_owned(),
                    first: first.path().to_path_buf(),
                },
            ));
            drop(state);
            // Dropping `plugin` closes its library.
            return;
        }
        plugin.keep_loaded_forever();
        let plugin = Arc::new(plugin);
        state.loaded_paths.insert(path.to_path_buf());
        state.plugins.push(Arc::clone(&plugin));
        report.loaded.push(plugin);
    }
}

/// The plug-in names given to `--forbidden-plugin`: loaded, but never registered into a VM.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForbiddenPlugins(HashSet<String>);

impl ForbiddenPlugins {
    /// The set of these names.
    pub fn new<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self(names.into_iter().map(Into::into).collect())
    }

    /// Adds a name.
    pub fn insert(&mut self, name: impl Into<String>) {
        self.0.insert(name.into());
    }

    /// Whether the plug-in named `name` is forbidden.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains(name)
    }

    /// Whether no name is forbidden.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_extension_must_be_exact() {
        assert!(has_plugin_extension(Path::new("/a/libx.so")));
        assert!(has_plugin_extension(Path::new("x.dylib")));
        assert!(has_plugin_extension(Path::new("x.dll")));
        assert!(!has_plugin_extension(Path::new("x.so.1")));
        assert!(!has_plugin_extension(Path::new("x.SO")));
        assert!(!has_plugin_extension(Path::new("x.sox")));
        assert!(!has_plugin_extension(Path::new(".so")));
        assert!(!has_plugin_extension(Path::new("so")));
    }

    #[test]
    fn forbidden_names_are_matched_exactly() {
        let mut f = ForbiddenPlugins::new(["wasi_nn"]);
        f.insert("other");
        assert!(f.contains("wasi_nn") && f.contains("other"));
        assert!(!f.contains("wasi_n") && !f.contains("WASI_NN"));
        assert!(ForbiddenPlugins::default().is_empty());
    }
}
