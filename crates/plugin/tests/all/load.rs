//! Loading one file: what a valid descriptor becomes, and each way a file fails.

use std::fs;

use wedge_plugin::{ErrorKind, OptionType, PluginVersion, load_file};

use crate::{build_plugin, fresh_dir};

#[test]
fn valid_descriptor_is_copied_into_rust_types() {
    let dir = fresh_dir("valid_descriptor");
    let path = build_plugin(&dir.join("valid.so"), &[]);
    let plugin = load_file(&path).unwrap();
    assert_eq!(plugin.path(), path);
    assert_eq!(plugin.name(), "wedge_test");
    assert_eq!(plugin.description(), "a plug-in for Wedge's loader tests");
    assert_eq!(
        plugin.version(),
        PluginVersion {
            major: 1,
            minor: 2,
            patch: 3,
            build: 4
        }
    );
    assert_eq!(plugin.version().to_string(), "1.2.3.4");

    let modules: Vec<(&str, &str)> = plugin
        .modules()
        .iter()
        .map(|m| (m.name(), m.description()))
        .collect();
    assert_eq!(
        modules,
        [
            ("wedge_test_module_a", "the first test module"),
            ("wedge_test_module_b", "")
        ]
    );
    assert!(plugin.module("wedge_test_module_b").is_some());
    assert!(plugin.module("nope").is_none());
    // The raw entry is the plug-in's own descriptor entry (what Create will be given).
    assert!(!plugin.modules()[0].raw_descriptor().is_null());

    let options: Vec<(&str, OptionType, bool)> = plugin
        .options()
        .iter()
        .map(|o| (o.name(), o.ty(), o.has_default()))
        .collect();
    assert_eq!(
        options,
        [
            ("wedge-test-level", OptionType::Int32, true),
            ("wedge-test-verbose", OptionType::Toggle, true),
            ("wedge-test-model", OptionType::String, false),
            ("wedge-test-ratio", OptionType::Double, false),
        ]
    );
    assert_eq!(plugin.options()[0].description(), "an int32");
    assert_eq!(plugin.options()[1].description(), "");
}

/// Loads a plug-in built with `defines` and returns the error's kind and message.
fn load_error(test: &str, defines: &[&str]) -> (ErrorKind, String) {
    let dir = fresh_dir(test);
    let path = build_plugin(&dir.join(format!("{test}.so")), defines);
    let err = load_file(&path).expect_err("the plug-in must not load");
    assert_eq!(err.path(), path);
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("plug-in {}: ", path.display())),
        "{message}"
    );
    assert!(!message.contains('\n'), "{message}");
    assert!(!err.is_warning());
    let kind = match err.kind() {
        ErrorKind::NotAPlugin { cpp_plugin } => ErrorKind::NotAPlugin {
            cpp_plugin: *cpp_plugin,
        },
        ErrorKind::NullDescriptor => ErrorKind::NullDescriptor,
        ErrorKind::ApiVersion(v) => ErrorKind::ApiVersion(*v),
        ErrorKind::Malformed(what) => ErrorKind::Malformed(what.clone()),
        other => panic!("unexpected error kind {other:?}"),
    };
    (kind, message)
}

#[test]
fn library_without_the_entry_symbol_is_not_a_plugin() {
    let (kind, message) = load_error("no_entry", &["NO_ENTRY"]);
    assert!(matches!(kind, ErrorKind::NotAPlugin { cpp_plugin: false }));
    assert!(message.ends_with("not a plug-in: it does not export `WasmEdge_Plugin_GetDescriptor`"));
}

#[test]
fn cpp_style_entry_is_reported_as_a_cpp_plugin() {
    let (kind, message) = load_error("cpp_entry", &["CPP_ENTRY"]);
    assert!(matches!(kind, ErrorKind::NotAPlugin { cpp_plugin: true }));
    assert!(message.contains("C++"), "{message}");
}

#[test]
fn null_descriptor_is_rejected() {
    let (kind, message) = load_error("null_descriptor", &["NULL_DESCRIPTOR"]);
    assert!(matches!(kind, ErrorKind::NullDescriptor));
    assert!(message.ends_with("`WasmEdge_Plugin_GetDescriptor` returned NULL"));
}

#[test]
fn api_version_4_is_rejected_with_both_versions() {
    let (kind, message) = load_error("api_version_4", &["API_VERSION=4"]);
    assert!(matches!(kind, ErrorKind::ApiVersion(4)));
    assert!(
        message.ends_with("plug-in API version 4 (expected 5)"),
        "{message}"
    );
    let (kind, _) = load_error("api_version_6", &["API_VERSION=6"]);
    assert!(matches!(kind, ErrorKind::ApiVersion(6)));
}

#[test]
fn malformed_descriptors_say_what_is_wrong() {
    let cases = [
        ("null_name", "NULL_NAME", "plug-in Name is NULL"),
        ("empty_name", "PLUGIN_NAME=\"\"", "plug-in Name is empty"),
        (
            "bad_utf8_name",
            "PLUGIN_NAME=\"\\xff\\xfe\"",
            "plug-in Name is not valid UTF-8",
        ),
        (
            "count_without_array",
            "COUNT_WITHOUT_ARRAY",
            "ModuleCount is 2 but ModuleDescriptions is NULL",
        ),
        (
            "null_create",
            "NULL_CREATE",
            "module 1 (`wedge_test_module_b`): Create is NULL",
        ),
        (
            "bad_option_type",
            "BAD_OPTION_TYPE",
            "program option `wedge-test-level`: unknown Type 99",
        ),
    ];
    for (test, define, expected) in cases {
        let (kind, message) = load_error(test, &[define]);
        let ErrorKind::Malformed(what) = kind else {
            panic!("{test}: {message}")
        };
        assert_eq!(what, expected, "{test}");
        assert!(
            message.ends_with(&format!("malformed descriptor: {expected}")),
            "{message}"
        );
    }
}

#[test]
fn file_that_is_not_a_library_cannot_be_opened() {
    let dir = fresh_dir("not_elf");
    let path = dir.join("x.so");
    fs::write(&path, "this is not a shared library\n").unwrap();
    let err = load_file(&path).unwrap_err();
    let ErrorKind::CannotOpen(why) = err.kind() else {
        panic!("{err}")
    };
    // dlerror's text, whatever the system's wording, is passed on.
    assert!(!why.is_empty() && why != "dlopen failed", "{why}");
    assert!(err.to_string().contains("cannot open: "), "{err}");
}

/// Whether the dynamic loader has `path` mapped into this process.
#[cfg(target_os = "linux")]
fn is_mapped(path: &std::path::Path) -> bool {
    let maps = fs::read_to_string("/proc/self/maps").unwrap();
    let canonical = fs::canonicalize(path).unwrap();
    maps.lines()
        .any(|line| line.ends_with(canonical.to_str().unwrap()))
}

#[cfg(target_os = "linux")]
#[test]
fn failed_plugin_is_unloaded_and_registered_plugin_stays_loaded() {
    let dir = fresh_dir("unload_on_failure");
    let bad = build_plugin(
        &dir.join("v4.so"),
        &["API_VERSION=4", "PLUGIN_NAME=\"unload_v4\""],
    );
    assert!(load_file(&bad).is_err());
    assert!(!is_mapped(&bad), "a rejected plug-in must be closed again");

    let good = crate::build_named(&dir.join("good.so"), "unload_good");
    let registry = wedge_plugin::PluginRegistry::new();
    let report = registry.try_load_path(&good);
    assert_eq!(report.loaded.len(), 1);
    drop(report);
    drop(registry);
    assert!(is_mapped(&good), "a registered plug-in is never unloaded");
}
