//! The command-line tools in the library (tests/c/driver.c): a C program runs a WASI guest
//! through `WasmEdge_Driver_UniTool` and `WasmEdge_Driver_Tool`, compiles it with
//! `WasmEdge_Driver_Compiler` and runs the result, and gives bad command lines; it gets each
//! tool's exit status back and goes on.

use crate::*;

#[test]
fn c_program_runs_the_command_line_tools_and_gets_their_exit_statuses() {
    let dir = fresh_dir("c_driver");
    let lib = install_library(&dir);
    let exe = build_c_program("driver", &dir, &lib);
    let guest = dir.join("wasi.wasm");
    fs::write(&guest, wat::parse_str(c_host::WASI_GUEST).unwrap()).unwrap();
    let out = run_c_program(&exe, &lib, &[guest.as_os_str(), dir.as_os_str()]);
    assert_success("driver", &out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("0 failures"), "{stdout}\n{stderr}");
    // Each run's output is on stdout before the tool returns.
    let uni = "from-uni\nGREETING=uni\nok   UniTool run returns the guest's proc_exit code\n";
    assert!(stdout.starts_with(uni), "{stdout}");
    assert!(
        stdout.contains("from-uni\nGREETING=uni\nok   UniTool runs the guest again"),
        "{stdout}"
    );
    assert!(
        stdout.contains("from-default\nGREETING=default\nok   UniTool runs without"),
        "{stdout}"
    );
    assert!(
        stdout.contains("from-tool\nGREETING=tool\nok   Tool runs the guest"),
        "{stdout}"
    );
    assert!(
        stdout.contains("from-aot\nGREETING=aot\nok   the compiled guest runs"),
        "{stdout}"
    );
    // The compiled guest ran its native code; the failures said why on stderr.
    assert_eq!(
        stderr
            .matches("[jit] native code compiled ahead of time")
            .count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("unknown option: no-such-flag"), "{stderr}");
    assert!(stderr.contains("unknown option: reactor"), "{stderr}");
    // Usage messages name the tool as it was called.
    assert!(
        stderr.contains("missing output: `wasmedgec [OPTIONS] IN OUT`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("missing input: `wedge run [OPTIONS] FILE`"),
        "no command line: the default name; {stderr}"
    );
}
