//! A C host program using the VM API and the loader/validator/executor API (tests/c/host_vm.c).

use crate::*;

/// The guest the C host runs: imports the host module `env` the C program defines.
pub const GUEST: &str = r#"
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "fail" (func $fail (param i32)))
  (import "env" "term" (func $term))
  (import "env" "write" (func $write (param i32) (result i32)))
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "sum") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
  (func (export "fail") (param i32) (call $fail (local.get 0)))
  (func (export "term") (result i32) (call $term) (i32.const 7))
  (func (export "write") (result i32) (drop (call $write (i32.const 16))) (i32.load8_u (i32.const 17)))
  (func (export "write_oob") (result i32) (call $write (i32.const 32)))
  (func (export "reenter") (param i32) (result i32) (call $reenter (local.get 0)))
  (func (export "trap") unreachable)
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "spin") (loop (br 0))))
"#;

#[test]
fn c_host_runs_guests_through_the_vm_and_executor_apis() {
    let dir = fresh_dir("c_host_vm");
    let lib = install_library(&dir);
    let exe = build_c_program("host_vm", &dir, &lib);
    let guest = dir.join("guest.wasm");
    fs::write(&guest, wat::parse_str(GUEST).unwrap()).unwrap();
    let out = run_c_program(&exe, &lib, &[guest.as_os_str()]);
    assert_success("host_vm", &out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("0 failures"), "{stdout}");
}
