//! The default search paths: `WASMEDGE_PLUGIN_PATH` and the library-directory rule, on real
//! directories; and, in a child process, the real environment variable and the stderr report.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

use wedge_plugin::PluginRegistry;
use wedge_plugin::paths::plugin_paths;

use crate::{build_named, build_plugin, fresh_dir, sorted_names};

#[test]
fn env_entries_and_library_rule_are_all_searched() {
    let root = fresh_dir("default_paths");
    build_named(&root.join("env_a/a.so"), "default_env_a");
    build_named(&root.join("env_b/nested/b.so"), "default_env_b");
    build_named(&root.join("single/c.so"), "default_env_file");
    // L = root/install/bin is not under /usr or /lib, so L/../plugin is searched.
    build_named(&root.join("install/plugin/d.so"), "default_lib_rule");
    std::fs::create_dir_all(root.join("install/bin")).unwrap();
    // And L/wasmedge is not (that is the rule for /usr and /lib only).
    build_named(
        &root.join("install/bin/wasmedge/e.so"),
        "default_wrong_rule",
    );

    let mut env = OsString::from(":");
    env.push(root.join("env_a"));
    env.push("::");
    env.push(root.join("env_b"));
    env.push(":");
    env.push(root.join("single/c.so"));
    env.push(":");
    env.push(root.join("does_not_exist"));
    env.push(":::"); // trailing colons: no crash, no extra entry
    let search = plugin_paths(Some(&env), Some(&root.join("install/bin")));
    assert_eq!(search.len(), 6, "{search:?}"); // "", a, b, c.so, missing, L/../plugin

    let registry = PluginRegistry::new();
    let report = registry.try_load_search_paths(&search);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(
        sorted_names(&report.loaded),
        [
            "default_env_a",
            "default_env_b",
            "default_env_file",
            "default_lib_rule"
        ]
    );
    // Load order follows the search list.
    let order: Vec<&str> = report.loaded.iter().map(|p| p.name()).collect();
    assert_eq!(
        order,
        [
            "default_env_a",
            "default_env_b",
            "default_env_file",
            "default_lib_rule"
        ]
    );
}

#[test]
fn search_entries_that_are_not_plugin_files_are_skipped_quietly() {
    let root = fresh_dir("default_paths_quiet");
    let versioned = build_named(&root.join("libv.so.1"), "quiet_versioned");
    let registry = PluginRegistry::new();
    let report = registry.try_load_search_paths([versioned, root.join("nothing-here")]);
    assert!(
        report.loaded.is_empty() && report.problems.is_empty(),
        "{:?}",
        report.problems
    );
}

/// The body of the child process below; does nothing when run as an ordinary test.
#[test]
fn child_load_default_paths() {
    let Some(lib_dir) = std::env::var_os("WEDGE_PLUGIN_TEST_CHILD_LIBDIR") else {
        return;
    };
    let registry = PluginRegistry::new();
    let report = registry.load_default_paths_from(Some(Path::new(&lib_dir)));
    for plugin in &report.loaded {
        // Leading newline: the test harness has printed "test … " on the current line.
        println!("\nloaded {}", plugin.name());
    }
}

#[test]
fn environment_variable_is_read_and_problems_are_printed_one_line_each() {
    let root = fresh_dir("default_paths_child");
    build_named(&root.join("env/good.so"), "child_good");
    let v4 = build_plugin(&root.join("env/v4.so"), &["API_VERSION=4"]);
    build_named(&root.join("env/dup.so"), "child_good"); // sorts before good.so: it wins
    build_named(&root.join("prefix/plugin/lib.so"), "child_lib_rule");
    std::fs::create_dir_all(root.join("prefix/bin")).unwrap();

    let mut env = root.join("env").into_os_string();
    env.push(":"); // a trailing colon aborts WasmEdge
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "default_paths::child_load_default_paths",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("WASMEDGE_PLUGIN_PATH", &env)
        .env("WEDGE_PLUGIN_TEST_CHILD_LIBDIR", root.join("prefix/bin"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    let loaded: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("loaded "))
        .collect();
    assert_eq!(loaded, ["child_good", "child_lib_rule"], "{stdout}");

    let problems: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: ") || l.starts_with("warning: "))
        .collect();
    assert_eq!(problems.len(), 2, "{stderr}");
    assert_eq!(
        problems[0],
        format!(
            "warning: plug-in {}: a plug-in named `child_good` is already loaded from {}; this one is skipped",
            root.join("env/good.so").display(),
            root.join("env/dup.so").display()
        )
    );
    assert_eq!(
        problems[1],
        format!(
            "error: plug-in {}: plug-in API version 4 (expected 5)",
            v4.display()
        )
    );
}
