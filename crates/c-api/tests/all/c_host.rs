//! C host programs using the VM API and the loader/validator/executor API (tests/c/host_vm.c),
//! and cancelling guests blocked in WASI calls (tests/c/async_blocking.c).

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

/// A module exporting only `fib`.
pub const GUEST_FIB: &str = r#"
(module
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2))))))))
"#;

/// A WASI command: prints its second argument and its environment's first entry, exits 3.
pub const WASI_GUEST: &str = r#"
(module
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func $strlen (param $p i32) (result i32) (local $n i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $n))
  (func $print (param $p i32)
    ;; iovec at 16: (p, strlen p); newline iovec at 24
    (i32.store (i32.const 16) (local.get $p))
    (i32.store (i32.const 20) (call $strlen (local.get $p)))
    (i32.store8 (i32.const 40) (i32.const 10))
    (i32.store (i32.const 24) (i32.const 40))
    (i32.store (i32.const 28) (i32.const 1))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 2) (i32.const 32))))
  (func (export "_start")
    (drop (call $args_get (i32.const 100) (i32.const 200)))
    (call $print (i32.load (i32.const 104)))
    (drop (call $environ_get (i32.const 300) (i32.const 400)))
    (call $print (i32.load (i32.const 300)))
    (call $proc_exit (i32.const 3))))
"#;

#[test]
fn c_host_runs_guests_through_the_vm_and_executor_apis() {
    let dir = fresh_dir("c_host_vm");
    let lib = install_library(&dir);
    let exe = build_c_program("host_vm", &dir, &lib);
    let guest = dir.join("guest.wasm");
    fs::write(&guest, wat::parse_str(GUEST).unwrap()).unwrap();
    let wasi_guest = dir.join("wasi.wasm");
    fs::write(&wasi_guest, wat::parse_str(WASI_GUEST).unwrap()).unwrap();
    let out = run_c_program(&exe, &lib, &[guest.as_os_str(), wasi_guest.as_os_str()]);
    assert_success("host_vm", &out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("0 failures"), "{stdout}");
    assert!(stdout.contains("from-c\nGREETING=hi\n"), "{stdout}");
}

#[test]
fn async_cancel_ends_guests_blocked_in_wasi_calls_and_the_vm_goes_on() {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let dir = fresh_dir("c_async_blocking");
    let lib = install_library(&dir);
    let exe = build_c_program("async_blocking", &dir, &lib);
    let blocking =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/programs/wasi/blocking.wasm");
    let quick = dir.join("quick.wasm");
    fs::write(
        &quick,
        wat::parse_str(r#"(module (func (export "_start")))"#).unwrap(),
    )
    .unwrap();
    let mut child = Command::new(&exe)
        .args([blocking.as_os_str(), quick.as_os_str()])
        .env("LD_LIBRARY_PATH", &lib)
        .env_remove("WASMEDGE_PLUGIN_PATH")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("program runs");
    // Held open, never written: the guest's read from it blocks.
    let stdin = child.stdin.take();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_success("async_blocking", &out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("0 failures"), "{stdout}");
    for mode in ["sleep", "stdin", "accept", "recv"] {
        assert!(
            stdout.contains(&format!("blocking in {mode}\n")),
            "{stdout}"
        );
    }
}
