//! `wasi:logging/logging` through the command line: every `wedge run` guest can import it,
//! without a flag, as in WasmEdge.

use super::Run;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A command guest that logs once to each console destination and once to a file, and a
/// reactor function `bad_level` that passes level 6.
const GUEST: &str = r#"
(module
  (import "wasi:logging/logging" "log" (func $log (param i32 i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "stderr")
  (data (i32.const 16) "guest.log")
  (data (i32.const 32) "to stderr {}")
  (data (i32.const 64) "to stdout")
  (data (i32.const 80) "to a file")
  (func (export "_start")
    (call $log (i32.const 3) (i32.const 0) (i32.const 6) (i32.const 32) (i32.const 12))
    (call $log (i32.const 2) (i32.const 0) (i32.const 0) (i32.const 64) (i32.const 9))
    (call $log (i32.const 4) (i32.const 16) (i32.const 9) (i32.const 80) (i32.const 9)))
  (func (export "bad_level")
    (call $log (i32.const 6) (i32.const 0) (i32.const 6) (i32.const 32) (i32.const 12))))
"#;

/// A fresh directory holding the guest as `logging.wasm`; the runs use it as their working
/// directory.
fn setup(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("logging")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("test directory");
    let wasm = wat::parse_str(GUEST).expect("guest assembles");
    std::fs::write(dir.join("logging.wasm"), wasm).expect("guest written");
    dir
}

fn wedge_in(dir: &Path, args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_wedge"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("the wedge binary runs")
        .into()
}

#[test]
fn run_guest_logs_to_stdout_and_stderr_and_files_are_refused() {
    let dir = setup("consoles");
    let run = wedge_in(&dir, &["run", "logging.wasm"]);
    run.assert_code(0)
        .assert_stdout_has("] [info] to stdout\n")
        .assert_stderr_has("] [warning] to stderr {}\n")
        .assert_stderr_has(
            "] [warning] [WasiLogging] Not logging into file \"guest.log\": the embedder \
             granted no log directory",
        )
        .assert_stderr_has("] [error] to a file\n");
    assert_eq!(run.stdout.lines().count(), 1, "{run:#?}");
    assert!(run.stdout.starts_with('['), "{run:#?}");
    assert!(
        !dir.join("guest.log").exists(),
        "the guest wrote a host file"
    );
}

#[test]
fn run_guest_with_an_unknown_level_traps_with_a_host_error() {
    let dir = setup("bad-level");
    wedge_in(&dir, &["run", "--reactor", "logging.wasm", "bad_level"])
        .assert_code(134)
        .assert_stdout("")
        .assert_stderr_has("host function failed, Code: 0x40e")
        .assert_stderr_has("Unrecognized Logging Level: 6")
        .assert_stderr_has("When executing function name: \"bad_level\"");
}
