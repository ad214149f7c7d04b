//! WASI through the SDK's `WasiModule`: arguments, environment, preopened directories, exit
//! codes; a WAT probe for exact bytes and C programs (tests/programs/wasi) for real libc use.

use std::collections::HashMap;

use wasmedge_sdk::error::{CoreError, CoreExecutionError};
use wasmedge_sdk::vm::SyncInst;
use wasmedge_sdk::wasi::WasiModule;
use wasmedge_sdk::{AsInstance, Module, Store, Vm, WasmVal, params};
use wedge_rust_sdk_tests::{TempDir, module, wasi_program};

use crate::core;

/// Calls WASI and leaves what it got in memory for the host to read.
const PROBE: &str = r#"(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; counts at 0 and 4; argv pointers at 1024, their strings at 2048
  (func (export "args") (result i32)
    (local $e i32)
    (local.set $e (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (if (local.get $e) (then (return (local.get $e))))
    (call $args_get (i32.const 1024) (i32.const 2048)))
  ;; counts at 0 and 4; environ pointers at 3072, their strings at 4096
  (func (export "env") (result i32)
    (local $e i32)
    (local.set $e (call $environ_sizes_get (i32.const 0) (i32.const 4)))
    (if (local.get $e) (then (return (local.get $e))))
    (call $environ_get (i32.const 3072) (i32.const 4096)))
  ;; the prestat at 8 (tag byte, name length at 12), the name at 8192
  (func (export "prestat") (param $fd i32) (result i32)
    (local $e i32)
    (local.set $e (call $fd_prestat_get (local.get $fd) (i32.const 8)))
    (if (local.get $e) (then (return (local.get $e))))
    (call $fd_prestat_dir_name (local.get $fd) (i32.const 8192) (i32.load (i32.const 12))))
  ;; opens the path at 12288 (length given) under $dir, reads up to 4096 bytes to 16384:
  ;; the count read, or minus the errno
  (func (export "read_file") (param $dir i32) (param $len i32) (result i32)
    (local $e i32) (local $fd i32)
    (local.set $e (call $path_open (local.get $dir) (i32.const 1) (i32.const 12288) (local.get $len)
                        (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 16)))
    (if (local.get $e) (then (return (i32.sub (i32.const 0) (local.get $e)))))
    (local.set $fd (i32.load (i32.const 16)))
    (i32.store (i32.const 24) (i32.const 16384))
    (i32.store (i32.const 28) (i32.const 4096))
    (local.set $e (call $fd_read (local.get $fd) (i32.const 24) (i32.const 1) (i32.const 32)))
    (drop (call $fd_close (local.get $fd)))
    (if (local.get $e) (then (return (i32.sub (i32.const 0) (local.get $e)))))
    (i32.load (i32.const 32)))
  (func (export "exit") (param i32) (call $proc_exit (local.get 0)) (unreachable)))"#;

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

/// The NUL-terminated strings a WASI `*_get` call left: `count` pointers at `ptrs`.
fn strings(memory: &[u8], ptrs: usize, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let start = u32_at(memory, ptrs + 4 * i) as usize;
            let end = start + memory[start..].iter().position(|&b| b == 0).unwrap();
            String::from_utf8(memory[start..end].to_vec()).unwrap()
        })
        .collect()
}

#[test]
fn args_env_and_a_preopened_file_reach_the_guest() {
    let dir = TempDir::new("wasi-probe");
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/in.txt"), "from the host\n").unwrap();
    let preopen = format!("/data:{}", dir.path().display());

    let mut wasi = WasiModule::create(
        Some(vec!["probe.wasm", "two words", "ünïcode", ""]),
        Some(vec!["A=1", "EMPTY=", "X=y=z"]),
        Some(vec![&preopen]),
    )
    .unwrap();
    let mut instances: HashMap<String, &mut dyn SyncInst> = HashMap::new();
    instances.insert(wasi.name().to_string(), wasi.as_mut());
    let mut vm = Vm::new(Store::new(None, instances).unwrap());
    vm.register_module(None, module(PROBE)).unwrap();

    let memory = |vm: &Vm<'_, dyn SyncInst>| {
        let inst = vm.active_module().unwrap();
        inst.get_memory_ref("memory")
            .unwrap()
            .get_data(0, 65536)
            .unwrap()
    };

    assert_eq!(vm.run_func(None, "args", params!()).unwrap()[0].to_i32(), 0);
    let mem = memory(&vm);
    assert_eq!(u32_at(&mem, 0), 4);
    assert_eq!(
        u32_at(&mem, 4) as usize,
        "probe.wasm two words ünïcode ".len() + 1
    );
    assert_eq!(
        strings(&mem, 1024, 4),
        ["probe.wasm", "two words", "ünïcode", ""]
    );

    assert_eq!(vm.run_func(None, "env", params!()).unwrap()[0].to_i32(), 0);
    let mem = memory(&vm);
    assert_eq!(u32_at(&mem, 0), 3);
    assert_eq!(strings(&mem, 3072, 3), ["A=1", "EMPTY=", "X=y=z"]);

    // fd 3 is the preopened directory, under its guest name; fd 4 is not there (EBADF = 8).
    assert_eq!(
        vm.run_func(None, "prestat", params!(3i32)).unwrap()[0].to_i32(),
        0
    );
    let mem = memory(&vm);
    assert_eq!(mem[8], 0, "a directory");
    assert_eq!(&mem[8192..8192 + u32_at(&mem, 12) as usize], b"/data");
    assert_eq!(
        vm.run_func(None, "prestat", params!(4i32)).unwrap()[0].to_i32(),
        8
    );

    let read = |vm: &mut Vm<'_, dyn SyncInst>, path: &str| {
        let inst = vm.active_module_mut().unwrap();
        inst.get_memory_mut("memory")
            .unwrap()
            .set_data(path, 12288)
            .unwrap();
        vm.run_func(None, "read_file", params!(3i32, path.len() as i32))
            .unwrap()[0]
            .to_i32()
    };
    assert_eq!(read(&mut vm, "sub/in.txt"), 14);
    assert_eq!(&memory(&vm)[16384..16384 + 14], b"from the host\n");
    // Missing (ENOENT = 44) and outside the directory (ENOTCAPABLE = 76 or EPERM = 63).
    assert_eq!(read(&mut vm, "sub/none.txt"), -44);
    let escape = read(&mut vm, "../etc/passwd");
    assert!(
        escape == -76 || escape == -63,
        "escaping the preopen gave {escape}"
    );

    // proc_exit: run_func succeeds (WasmEdge counts "terminated" as OK), the code is kept.
    assert!(vm.run_func(None, "exit", params!(3i32)).unwrap().is_empty());
    drop(vm);
    assert_eq!(wasi.exit_code(), 3);

    // Its descriptors outlive the store: stdio are the host's 0, 1, 2; fd 3 is the directory.
    assert_eq!(wasi.get_native_handler(1).unwrap(), 1);
    assert_eq!(wasi.get_native_handler(2).unwrap(), 2);
    assert!(wasi.get_native_handler(3).unwrap() > 2);
    assert!(wasi.get_native_handler(4).is_err());
}

/// Runs `_start` of a committed C program with `args` and a directory preopened as
/// `/sandbox`; returns run_func's result and the WASI exit code.
fn run_c(
    name: &str,
    args: &[&str],
    sandbox: Option<&TempDir>,
) -> (Result<(), Box<wasmedge_sdk::error::WasmEdgeError>>, u32) {
    let program = format!("{name}.wasm");
    let mut argv = vec![program.as_str()];
    argv.extend_from_slice(args);
    let preopen = sandbox.map(|d| format!("/sandbox:{}", d.path().display()));
    let mut wasi =
        WasiModule::create(Some(argv), None, preopen.as_deref().map(|p| vec![p])).unwrap();
    let result = {
        let mut instances: HashMap<String, &mut dyn SyncInst> = HashMap::new();
        instances.insert(wasi.name().to_string(), wasi.as_mut());
        let mut vm = Vm::new(Store::new(None, instances).unwrap());
        let m = Module::from_file(None, wasi_program(name)).unwrap();
        vm.register_module(Some(name), m).unwrap();
        vm.run_func(Some(name), "_start", params!())
            .map(|out| assert!(out.is_empty()))
    };
    (result, wasi.exit_code())
}

#[test]
fn exit_codes_of_a_c_program() {
    let (r, code) = run_c("exit", &["0"], None);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(code, 0);
    let (r, code) = run_c("exit", &["7"], None);
    assert!(r.is_ok(), "exit(7) is not an error to the host: {r:?}");
    assert_eq!(code, 7);
    let (r, code) = run_c("exit", &["5", "return"], None);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(code, 5);
    let (r, code) = run_c("exit", &["255", "raw"], None);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(code, 255);
    let (r, _) = run_c("exit", &["1", "trap"], None);
    assert_eq!(
        r.unwrap_err(),
        core(CoreError::Execution(CoreExecutionError::Unreachable))
    );
}

#[test]
fn a_c_program_edits_files_in_a_preopened_directory() {
    let dir = TempDir::new("wasi-files");
    let (r, code) = run_c("files", &["/sandbox"], Some(&dir));
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("data.txt")).unwrap(),
        "Jello"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("log.txt")).unwrap(),
        "one\ntwo\n"
    );
}

#[test]
fn a_wasi_module_outlives_its_store_and_serves_the_next() {
    let mut wasi = WasiModule::create(Some(vec!["first.wasm"]), None, None).unwrap();
    let args_of = |wasi: &mut WasiModule| {
        let mut instances: HashMap<String, &mut dyn SyncInst> = HashMap::new();
        instances.insert("wasi_snapshot_preview1".into(), wasi.as_mut());
        let mut vm = Vm::new(Store::new(None, instances).unwrap());
        vm.register_module(None, module(PROBE)).unwrap();
        assert_eq!(vm.run_func(None, "args", params!()).unwrap()[0].to_i32(), 0);
        let inst = vm.active_module().unwrap();
        let mem = inst
            .get_memory_ref("memory")
            .unwrap()
            .get_data(0, 65536)
            .unwrap();
        let n = u32_at(&mem, 0) as usize;
        let args = strings(&mem, 1024, n);
        assert!(
            vm.run_func(None, "exit", params!(n as i32))
                .unwrap()
                .is_empty()
        );
        args
    };
    assert_eq!(args_of(&mut wasi), ["first.wasm"]);
    assert_eq!(wasi.exit_code(), 1);
    // The first store is gone; the module serves a second one, re-initialized.
    wasi.init_wasi(Some(vec!["second.wasm", "x"]), Some(vec!["K=V"]), None);
    assert_eq!(args_of(&mut wasi), ["second.wasm", "x"]);
    assert_eq!(wasi.exit_code(), 2);
}
