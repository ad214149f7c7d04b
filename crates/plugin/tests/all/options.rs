//! Program options written into a real plug-in's storage, read back through the test plug-in's
//! own accessor functions.

#![allow(
    unsafe_code,
    reason = "calling the test plug-in's accessor functions through dlsym"
)]

use core::ffi::c_char;

use wedge_plugin::{OptionError, PluginRegistry};

use crate::{build_named, fresh_dir};

#[test]
fn option_values_reach_the_plugins_storage() {
    let dir = fresh_dir("options_storage");
    let path = build_named(&dir.join("opts.so"), "options_storage");
    let registry = PluginRegistry::new();
    registry.try_load_path(&path);
    let plugin = registry.find("options_storage").unwrap();
    let option = |name: &str| plugin.options().iter().find(|o| o.name() == name).unwrap();

    // SAFETY: the same file is already open (the registry keeps it loaded), so this only takes
    // another reference to it; the accessors' C signatures are the ones declared here.
    let lib = unsafe { libloading::Library::new(&path) }.unwrap();
    let level = || {
        // SAFETY: `int32_t wedge_test_level(void)`.
        unsafe {
            lib.get::<unsafe extern "C" fn() -> i32>("wedge_test_level")
                .unwrap()()
        }
    };
    let verbose = || {
        // SAFETY: `bool wedge_test_verbose(void)`.
        unsafe {
            lib.get::<unsafe extern "C" fn() -> bool>("wedge_test_verbose")
                .unwrap()()
        }
    };
    let ratio = || {
        // SAFETY: `double wedge_test_ratio(void)`.
        unsafe {
            lib.get::<unsafe extern "C" fn() -> f64>("wedge_test_ratio")
                .unwrap()()
        }
    };
    let model = || {
        let mut length = 0u32;
        // SAFETY: `const char *wedge_test_model(uint32_t *length)`; the returned buffer, when
        // non-NULL, holds `length` bytes and is never freed.
        unsafe {
            let f = lib
                .get::<unsafe extern "C" fn(*mut u32) -> *const c_char>("wedge_test_model")
                .unwrap();
            let buf = f(&mut length);
            if buf.is_null() {
                None
            } else {
                Some(std::slice::from_raw_parts(buf.cast::<u8>(), length as usize).to_vec())
            }
        }
    };

    // Nothing is written before a flag is applied: the plug-in's initial values remain.
    assert_eq!(
        (level(), verbose(), ratio(), model()),
        (-1, false, 0.0, None)
    );

    option("wedge-test-level").set(Some("42")).unwrap();
    assert_eq!(level(), 42);
    // A bare flag writes the plug-in's DefaultValue (3).
    option("wedge-test-level").set(None).unwrap();
    assert_eq!(level(), 3);
    assert!(matches!(
        option("wedge-test-level").set(Some("x")),
        Err(OptionError::InvalidValue { .. })
    ));
    assert_eq!(level(), 3);

    option("wedge-test-verbose").set(None).unwrap();
    assert!(verbose());

    option("wedge-test-ratio").set(Some("0.25")).unwrap();
    assert_eq!(ratio(), 0.25);
    // No DefaultValue: a bare flag is an error, and storage is unchanged.
    assert!(matches!(
        option("wedge-test-ratio").set(None),
        Err(OptionError::MissingValue { .. })
    ));
    assert_eq!(ratio(), 0.25);

    option("wedge-test-model").set(Some("llama.gguf")).unwrap();
    assert_eq!(model().as_deref(), Some(&b"llama.gguf"[..]));
}
