//! Loading directories and explicit paths through a registry.

use std::fs;
use std::sync::Arc;

use wedge_plugin::{
    ErrorKind, ForbiddenPlugins, ModuleDescriptor, Plugin, PluginRegistry, PluginVersion,
};

use crate::{build_named, build_plugin, fresh_dir, sorted_names};

#[test]
fn directory_walk_is_recursive_and_loads_only_plugin_extensions() {
    let root = fresh_dir("walk_recursive");
    let dir = root.join("plugins");
    build_named(&dir.join("top.so"), "walk_top");
    build_named(&dir.join("a/b/c/deep.so"), "walk_deep");
    build_named(&dir.join("other.dylib"), "walk_dylib");
    // Not plug-in names: a versioned soname, no extension, another extension.
    build_named(&dir.join("libversioned.so.1"), "walk_versioned");
    build_named(&dir.join("noext"), "walk_noext");
    build_named(&dir.join("plugin.so.txt"), "walk_txt");
    fs::write(dir.join("README"), "not a plug-in").unwrap();

    let registry = PluginRegistry::new();
    let report = registry.try_load_path(&dir);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(
        sorted_names(&report.loaded),
        ["walk_deep", "walk_dylib", "walk_top"]
    );
    assert_eq!(
        sorted_names(&registry.plugins()),
        ["walk_deep", "walk_dylib", "walk_top"]
    );
    assert_eq!(
        registry.find("walk_deep").unwrap().path(),
        dir.join("a/b/c/deep.so")
    );
}

#[cfg(unix)]
#[test]
fn file_symlinks_load_and_directory_symlinks_are_not_followed() {
    use std::os::unix::fs::symlink;
    let root = fresh_dir("walk_symlinks");
    let dir = root.join("plugins");
    fs::create_dir_all(&dir).unwrap();
    let outside_file = build_named(&root.join("elsewhere/target.so"), "via_file_link");
    build_named(&root.join("linked_dir/inside.so"), "via_dir_link");
    symlink(&outside_file, dir.join("link.so")).unwrap();
    symlink(root.join("linked_dir"), dir.join("dir_link")).unwrap();
    // A dangling link and a link loop are skipped quietly.
    symlink(root.join("missing.so"), dir.join("dangling.so")).unwrap();
    symlink(dir.join("loop.so"), dir.join("loop.so")).unwrap();

    let registry = PluginRegistry::new();
    let report = registry.try_load_path(&dir);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(sorted_names(&registry.plugins()), ["via_file_link"]);
    // The link's path is the one recorded.
    assert_eq!(
        registry.find("via_file_link").unwrap().path(),
        dir.join("link.so")
    );

    // A symlink given explicitly as the path to load is followed (only walking skips them).
    let report = registry.try_load_path(dir.join("dir_link"));
    assert_eq!(sorted_names(&report.loaded), ["via_dir_link"]);
}

#[test]
fn bad_files_are_reported_and_the_rest_still_loads() {
    let dir = fresh_dir("walk_bad_files");
    build_named(&dir.join("1_good.so"), "bad_files_good");
    build_plugin(&dir.join("2_v4.so"), &["API_VERSION=4"]);
    build_plugin(&dir.join("3_nosym.so"), &["NO_ENTRY"]);
    fs::write(dir.join("4_garbage.so"), [0u8; 10]).unwrap();
    build_plugin(&dir.join("5_malformed.so"), &["COUNT_WITHOUT_ARRAY"]);
    build_named(&dir.join("6_good.so"), "bad_files_good_too");

    let registry = PluginRegistry::new();
    let report = registry.try_load_path(&dir);
    assert_eq!(
        sorted_names(&report.loaded),
        ["bad_files_good", "bad_files_good_too"]
    );
    let problems: Vec<(String, bool)> = report
        .problems
        .iter()
        .map(|e| {
            (
                e.path().file_name().unwrap().to_string_lossy().into_owned(),
                e.is_warning(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            ("2_v4.so".to_owned(), false),
            ("3_nosym.so".to_owned(), false),
            ("4_garbage.so".to_owned(), false),
            ("5_malformed.so".to_owned(), false),
        ]
    );
    assert!(matches!(
        report.problems[0].kind(),
        ErrorKind::ApiVersion(4)
    ));
    assert!(matches!(
        report.problems[1].kind(),
        ErrorKind::NotAPlugin { .. }
    ));
    assert!(matches!(
        report.problems[2].kind(),
        ErrorKind::CannotOpen(_)
    ));
    assert!(matches!(report.problems[3].kind(), ErrorKind::Malformed(_)));
}

#[test]
fn duplicate_name_first_loaded_wins_with_a_warning() {
    let dir = fresh_dir("walk_duplicates");
    let first = build_plugin(&dir.join("a_first.so"), &["PLUGIN_NAME=\"dup_name\""]);
    let second = build_plugin(&dir.join("b_second.so"), &["PLUGIN_NAME=\"dup_name\""]);

    let registry = PluginRegistry::new();
    let report = registry.try_load_path(&dir);
    assert_eq!(report.loaded.len(), 1);
    assert_eq!(registry.plugins().len(), 1);
    assert_eq!(registry.find("dup_name").unwrap().path(), first);
    assert_eq!(report.problems.len(), 1);
    let warning = &report.problems[0];
    assert!(warning.is_warning());
    assert_eq!(warning.path(), second);
    let ErrorKind::DuplicateName {
        name,
        first: recorded,
    } = warning.kind()
    else {
        panic!()
    };
    assert_eq!((name.as_str(), recorded), ("dup_name", &first));
    assert!(
        warning.to_string().contains("already loaded from"),
        "{warning}"
    );
}

#[test]
fn loading_the_same_path_again_does_nothing() {
    let dir = fresh_dir("idempotent");
    let path = build_named(&dir.join("once.so"), "idempotent_once");
    let registry = PluginRegistry::new();
    assert_eq!(registry.try_load_path(&path).loaded.len(), 1);
    let again = registry.try_load_path(&path);
    assert!(
        again.loaded.is_empty() && again.problems.is_empty(),
        "{:?}",
        again.problems
    );
    let via_dir = registry.try_load_path(&dir);
    assert!(
        via_dir.loaded.is_empty() && via_dir.problems.is_empty(),
        "{:?}",
        via_dir.problems
    );
    assert_eq!(registry.plugins().len(), 1);
}

#[test]
fn explicit_paths_that_are_missing_or_misnamed_are_reported_and_empty_is_a_no_op() {
    let dir = fresh_dir("explicit_paths");
    let registry = PluginRegistry::new();

    let report = registry.try_load_path(dir.join("missing.so"));
    assert!(matches!(report.problems[..], [ref e] if matches!(e.kind(), ErrorKind::Io(_))));

    let versioned = build_named(&dir.join("libx.so.1"), "explicit_versioned");
    let report = registry.try_load_path(&versioned);
    assert!(
        matches!(report.problems[..], [ref e] if matches!(e.kind(), ErrorKind::NotALibraryName))
    );
    assert!(report.loaded.is_empty());

    let report = registry.try_load_path("");
    assert!(report.loaded.is_empty() && report.problems.is_empty());
    assert!(registry.plugins().is_empty());
}

#[cfg(unix)]
#[test]
fn unreadable_directory_is_skipped_quietly() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fresh_dir("permission_denied");
    build_named(&dir.join("open/ok.so"), "perm_ok");
    let locked = dir.join("locked");
    build_named(&locked.join("hidden.so"), "perm_hidden");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = fs::read_dir(&locked).is_ok(); // true when the tests run as root

    let registry = PluginRegistry::new();
    let report = registry.try_load_path(&dir);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let expected: &[&str] = if readable_anyway {
        &["perm_hidden", "perm_ok"]
    } else {
        &["perm_ok"]
    };
    assert_eq!(sorted_names(&report.loaded), expected);
}

#[test]
fn forbidden_plugins_are_loaded_but_left_out_of_registration() {
    let dir = fresh_dir("forbidden");
    build_named(&dir.join("a.so"), "forbidden_a");
    build_named(&dir.join("b.so"), "forbidden_b");
    let registry = PluginRegistry::new();
    registry.try_load_path(&dir);
    let allowed = registry.plugins_except(&ForbiddenPlugins::new(["forbidden_a", "unknown"]));
    assert_eq!(sorted_names(&allowed), ["forbidden_b"]);
    assert_eq!(registry.plugins().len(), 2);
    assert!(registry.find("forbidden_a").is_some());
}

#[test]
fn concurrent_loads_register_each_plugin_once() {
    let dir = fresh_dir("concurrent");
    for i in 0..4 {
        build_named(&dir.join(format!("p{i}.so")), &format!("concurrent_{i}"));
    }
    let registry = Arc::new(PluginRegistry::new());
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let registry = Arc::clone(&registry);
            let dir = dir.clone();
            std::thread::spawn(move || registry.try_load_path(&dir))
        })
        .collect();
    let mut loaded = 0;
    for t in threads {
        let report = t.join().unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        loaded += report.loaded.len();
    }
    assert_eq!(loaded, 4);
    assert_eq!(
        sorted_names(&registry.plugins()),
        [
            "concurrent_0",
            "concurrent_1",
            "concurrent_2",
            "concurrent_3"
        ]
    );
}

#[test]
fn global_registry_is_one_per_process() {
    assert!(std::ptr::eq(
        PluginRegistry::global(),
        PluginRegistry::global()
    ));
}

/// A `Create` that makes nothing (the registry never calls it).
extern "C" fn create_nothing(
    _: *const wedge_plugin::abi::WasmEdge_ModuleDescriptor,
) -> *mut wedge_plugin::abi::WasmEdge_ModuleInstanceContext {
    std::ptr::null_mut()
}

fn builtin(name: &str) -> Plugin {
    let version = PluginVersion {
        major: 0,
        minor: 1,
        patch: 0,
        build: 0,
    };
    let module = ModuleDescriptor::builtin("wasi:logging/logging", "", create_nothing);
    Plugin::builtin(name, "", version, vec![module])
}

#[test]
fn builtin_plugins_register_once_are_listed_and_found_but_not_given_to_vms() {
    let dir = fresh_dir("builtin");
    build_named(&dir.join("a.so"), "builtin_file");
    let registry = PluginRegistry::new();
    assert!(registry.register_builtin(builtin("builtin_logging")));
    assert!(
        !registry.register_builtin(builtin("builtin_logging")),
        "once"
    );
    registry.try_load_path(&dir);
    let names: Vec<String> = registry
        .plugins()
        .iter()
        .map(|p| p.name().to_owned())
        .collect();
    assert_eq!(
        names,
        ["builtin_logging", "builtin_file"],
        "registration order"
    );
    let found = registry.find("builtin_logging").unwrap();
    assert!(found.is_builtin() && found.path().as_os_str().is_empty());
    assert_eq!(found.version().to_string(), "0.1.0.0");
    assert_eq!(found.modules()[0].name(), "wasi:logging/logging");
    assert!(found.modules()[0].raw_descriptor().is_null());
    assert!(!registry.find("builtin_file").unwrap().is_builtin());
    let for_vms = registry.plugins_except(&ForbiddenPlugins::default());
    assert_eq!(sorted_names(&for_vms), ["builtin_file"]);
}

#[test]
fn a_builtin_name_is_taken_before_and_after_a_file_of_that_name() {
    let dir = fresh_dir("builtin_clash");
    let file = build_named(&dir.join("a.so"), "builtin_clash");
    let registry = PluginRegistry::new();
    assert!(registry.register_builtin(builtin("builtin_clash")));
    let report = registry.try_load_path(&file);
    assert!(report.loaded.is_empty());
    let message = report.problems[0].to_string();
    assert!(message.contains("is built in"), "{message}");
    // A file loaded first keeps its name, as in WasmEdge.
    let registry = PluginRegistry::new();
    registry.try_load_path(&file);
    assert!(!registry.register_builtin(builtin("builtin_clash")));
    assert!(!registry.find("builtin_clash").unwrap().is_builtin());
}
