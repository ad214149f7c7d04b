//! The AOT compiler API (tests/c/compiler.c): a C program compiles a module into a universal
//! wasm and a shared library and runs both in AOT run mode.

use crate::*;

#[test]
fn c_compiler_api_writes_files_the_aot_run_mode_runs() {
    let dir = fresh_dir("c_compiler");
    let lib = install_library(&dir);
    let exe = build_c_program("compiler", &dir, &lib);
    let guest = dir.join("fib.wasm");
    std::fs::write(&guest, wat::parse_str(c_host::GUEST_FIB).unwrap()).unwrap();
    let out = Command::new(&exe)
        .args([guest.as_os_str(), dir.as_os_str()])
        .env("LD_LIBRARY_PATH", &lib)
        .env("WEDGE_JIT_LOG", "1")
        .output()
        .expect("program runs");
    assert_success("compiler", &out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("0 failures"), "{stdout}");
    // Both AOT runs used the native code; the plain module and the interpreter did not.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr
            .matches("[jit] native code compiled ahead of time")
            .count(),
        2,
        "{stderr}"
    );
    assert!(stderr.contains("the module has no native code"), "{stderr}");
    assert!(
        std::fs::read(dir.join("fib.so"))
            .unwrap()
            .starts_with(b"\x7fELF")
    );
}
