//! What WasmEdge's Rust SDK (wasmedge-sys 0.21) needs beyond the current C API
//! (tests/c/sdk_compat.c): the deprecated `...FromBuffer` and force-interpreter functions,
//! NUL-terminated strings, NaN instructions per second on fresh statistics, and proposal
//! dependencies as WasmEdge 0.17.1 keeps them.

use crate::*;

/// `fib`, an export named "", and a function, memory, table and global whose 24-byte names
/// end where the allocator's next chunk header begins (a missing NUL is then never 0 by luck).
const GUEST: &str = r#"
(module
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "exported_function_24byte") (result i32) (i32.const 7))
  (func (export "") (result i32) (i32.const 1))
  (memory (export "exported_memory_24_bytes") 1)
  (table (export "exported_table_24__bytes") 1 funcref)
  (global (export "exported_global_24_bytes") i32 (i32.const 5)))
"#;

/// One import with 24-byte module and field names.
const IMPORTER: &str = r#"
(module (import "imported_module_24_bytes" "imported_field_24__bytes" (func)))
"#;

#[test]
fn c_sdk_compat_buffers_force_interpreter_nul_terminated_strings_nan_rate_proposals() {
    let dir = fresh_dir("c_sdk_compat");
    let lib = install_library(&dir);
    let exe = build_c_program("sdk_compat", &dir, &lib);
    let guest = dir.join("guest.wasm");
    fs::write(&guest, wat::parse_str(GUEST).unwrap()).unwrap();
    let importer = dir.join("importer.wasm");
    fs::write(&importer, wat::parse_str(IMPORTER).unwrap()).unwrap();
    let out = Command::new(&exe)
        .args([guest.as_os_str(), importer.as_os_str(), dir.as_os_str()])
        .env("LD_LIBRARY_PATH", &lib)
        .env("WEDGE_JIT_LOG", "1")
        .env_remove("WASMEDGE_PLUGIN_PATH")
        .output()
        .expect("program runs");
    assert_success("sdk_compat", &out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("0 failures"), "{stdout}");
    // The AOT run used the native code CompilerCompileFromBuffer wrote.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("[jit] native code compiled ahead of time"),
        "{stderr}"
    );
}
