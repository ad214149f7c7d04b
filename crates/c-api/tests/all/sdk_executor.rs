//! What WasmEdge's Rust SDK does with an executor, as a C program (tests/c/sdk_executor.c):
//! pre/post host-function hooks, timeouts that `siglongjmp` out of `WasmEdge_ExecutorInvoke`
//! followed by more calls, independent host functions, WASI descriptors after `StoreDelete`.

use crate::*;

/// The guest: host calls, loops to be stopped, recursion, a trap.
const GUEST: &str = r#"
(module
  (import "env" "tick" (func $tick))
  (func (export "ticks") (param $n i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (call $tick)
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l))))
  (func $spin (export "spin") (loop (br 0)))
  (func $deep (export "deep_spin") (param $n i32)
    (if (i32.eqz (local.get $n)) (then (call $spin)) (else (call $deep (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "tick_spin") (loop (call $tick) (br 0)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "trap") (param i32) (result i32) unreachable))
"#;

#[test]
fn sdk_executor_patterns_timeouts_by_siglongjmp_hooks_independent_host_functions_wasi_after_store_delete()
 {
    let dir = fresh_dir("c_sdk_executor");
    let lib = install_library(&dir);
    let exe = build_c_program("sdk_executor", &dir, &lib);
    let guest = dir.join("guest.wasm");
    fs::write(&guest, wat::parse_str(GUEST).unwrap()).unwrap();
    let wasi_guest = dir.join("wasi.wasm");
    fs::write(&wasi_guest, wat::parse_str(c_host::WASI_GUEST).unwrap()).unwrap();
    let out = run_c_program(
        &exe,
        &lib,
        &[guest.as_os_str(), wasi_guest.as_os_str(), dir.as_os_str()],
    );
    assert_success("sdk_executor", &out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("\n0 failures"), "{stdout}");
}
