//! The default plug-in search paths, as WasmEdge computes them (reference §1.5).
//!
//! 1. `WASMEDGE_PLUGIN_PATH`, split on `':'` (on every OS, as WasmEdge does).
//! 2. The library-directory rule: with `L` the directory of the binary or library that holds the
//!    runtime, `L/wasmedge` when `L` starts with `/usr` or `/lib` (a plain string prefix, so
//!    `/usr/local/lib` and `/library` count), otherwise `L/../plugin`.
//!
//! Two deliberate differences from WasmEdge, both where WasmEdge fails badly:
//! - a trailing `':'` (or a trailing run of them) ends the list; WasmEdge aborts the process;
//! - when `L` is unknown the environment entries are still returned; WasmEdge returns nothing.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The environment variable that lists extra plug-in directories or files.
pub const PLUGIN_PATH_ENV: &str = "WASMEDGE_PLUGIN_PATH";

/// Splits a `WASMEDGE_PLUGIN_PATH` value into entries, as WasmEdge does.
///
/// - Runs of colons collapse: `a::b` gives `a`, `b`.
/// - A leading colon gives one empty entry: `:a` gives ``, `a`. An empty entry names no
///   directory, so loading it finds nothing (as in WasmEdge); it does *not* mean the current
///   directory.
/// - An empty value gives one empty entry.
/// - A trailing colon (or run of them) adds nothing: `a:` gives `a`. WasmEdge aborts here.
pub fn split_plugin_path(value: &OsStr) -> Vec<PathBuf> {
    let bytes = value.as_encoded_bytes();
    let mut entries = Vec::new();
    let mut rest = bytes;
    loop {
        let Some(sep) = rest.iter().position(|&b| b == b':') else {
            entries.push(path_from_bytes(rest));
            break;
        };
        entries.push(path_from_bytes(&rest[..sep]));
        match rest[sep..].iter().position(|&b| b != b':') {
            Some(next) => rest = &rest[sep + next..],
            // Only colons are left: the list ends here.
            None => break,
        }
    }
    entries
}

/// The directory the library-directory rule derives from `lib_dir` (`L`):
/// `L/wasmedge` under `/usr` or `/lib`, else `L/../plugin` (not normalised, as in WasmEdge).
pub fn library_plugin_dir(lib_dir: &Path) -> PathBuf {
    let bytes = lib_dir.as_os_str().as_encoded_bytes();
    if bytes.starts_with(b"/usr") || bytes.starts_with(b"/lib") {
        lib_dir.join("wasmedge")
    } else {
        lib_dir.join("..").join("plugin")
    }
}

/// The default search list from a `WASMEDGE_PLUGIN_PATH` value (if set) and the runtime's library
/// directory `L` (if known): the environment entries first, then [`library_plugin_dir`].
///
/// A pure function of its inputs; [`default_plugin_paths`] supplies the process's values.
pub fn plugin_paths(env_value: Option<&OsStr>, lib_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut paths = env_value.map(split_plugin_path).unwrap_or_default();
    if let Some(dir) = lib_dir {
        paths.push(library_plugin_dir(dir));
    }
    paths
}

/// The directory of the running executable, used as `L` until the C API library can pass its own
/// directory (found with `dladdr`). `None` if the OS cannot say.
pub fn current_exe_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    exe.parent().map(Path::to_path_buf)
}

/// The default search list for this process: `WASMEDGE_PLUGIN_PATH` and the library-directory rule
/// applied to `lib_dir` (pass [`current_exe_dir`] for a statically linked tool).
pub fn default_plugin_paths(lib_dir: Option<&Path>) -> Vec<PathBuf> {
    let env = std::env::var_os(PLUGIN_PATH_ENV);
    plugin_paths(env.as_deref(), lib_dir)
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    // The split is on ASCII ':', so each piece of valid text is valid text; anything else is
    // kept lossily rather than through the unsafe encoded-bytes constructor.
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        split_plugin_path(OsStr::new(s))
            .into_iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn split_single_and_multiple_entries() {
        assert_eq!(split("/a"), ["/a"]);
        assert_eq!(split("/a:/b:c"), ["/a", "/b", "c"]);
    }

    #[test]
    fn split_collapses_runs_of_colons() {
        assert_eq!(split("/a:::/b"), ["/a", "/b"]);
    }

    #[test]
    fn split_leading_colon_gives_one_empty_entry() {
        assert_eq!(split(":/a"), ["", "/a"]);
        assert_eq!(split(":::/a"), ["", "/a"]);
    }

    #[test]
    fn split_trailing_colon_ends_the_list_without_crashing() {
        assert_eq!(split("/a:"), ["/a"]);
        assert_eq!(split("/a:/b:::"), ["/a", "/b"]);
        assert_eq!(split(":"), [""]);
    }

    #[test]
    fn split_empty_value_gives_one_empty_entry() {
        assert_eq!(split(""), [""]);
    }

    #[test]
    fn library_dir_under_usr_or_lib_uses_wasmedge_subdirectory() {
        assert_eq!(
            library_plugin_dir(Path::new("/usr/lib")),
            Path::new("/usr/lib/wasmedge")
        );
        assert_eq!(
            library_plugin_dir(Path::new("/usr/local/lib")),
            Path::new("/usr/local/lib/wasmedge")
        );
        assert_eq!(
            library_plugin_dir(Path::new("/lib/x86_64-linux-gnu")),
            Path::new("/lib/x86_64-linux-gnu/wasmedge")
        );
        // A plain string prefix, as in WasmEdge: "/library" and "/usrx" count too.
        assert_eq!(
            library_plugin_dir(Path::new("/library")),
            Path::new("/library/wasmedge")
        );
        assert_eq!(
            library_plugin_dir(Path::new("/usrx/bin")),
            Path::new("/usrx/bin/wasmedge")
        );
    }

    #[test]
    fn library_dir_elsewhere_uses_sibling_plugin_directory() {
        assert_eq!(
            library_plugin_dir(Path::new("/home/me/.wasmedge/lib")),
            Path::new("/home/me/.wasmedge/lib/../plugin")
        );
        assert_eq!(
            library_plugin_dir(Path::new("/opt/usr/lib")),
            Path::new("/opt/usr/lib/../plugin")
        );
        assert_eq!(
            library_plugin_dir(Path::new("relative")),
            Path::new("relative/../plugin")
        );
    }

    #[test]
    fn plugin_paths_lists_env_entries_then_library_rule() {
        let paths = plugin_paths(Some(OsStr::new("/p1:/p2:")), Some(Path::new("/usr/lib")));
        assert_eq!(
            paths,
            [
                Path::new("/p1"),
                Path::new("/p2"),
                Path::new("/usr/lib/wasmedge")
            ]
        );
        let paths = plugin_paths(None, Some(Path::new("/opt/w/bin")));
        assert_eq!(paths, [Path::new("/opt/w/bin/../plugin")]);
        // Unknown library directory: the env entries survive (WasmEdge would drop them too).
        let paths = plugin_paths(Some(OsStr::new("/p1")), None);
        assert_eq!(paths, [Path::new("/p1")]);
        assert!(plugin_paths(None, None).is_empty());
    }
}
