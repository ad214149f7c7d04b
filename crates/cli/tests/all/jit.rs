//! `--run-mode jit`: the same results, traps and limits as the interpreter.

use super::*;

fn wat_file(name: &str, wat: &str) -> String {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wedge-cli-jit");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, wat::parse_str(wat).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn jit_runs_the_example_like_the_interpreter() {
    let fib = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/fib.wasm");
    let fib = fib.to_string_lossy();
    wedge(&["--run-mode", "jit", "--reactor", &fib, "fib", "25"])
        .assert_code(0)
        .assert_stdout("75025\n");
    wedge(&["--run-mode=aot", "--reactor", &fib, "fib", "10"])
        .assert_code(0)
        .assert_stdout("55\n")
        .assert_stderr_has("running in the interpreter: the module has no native code");
}

#[test]
fn jit_traps_exit_134_and_time_limits_stop_compiled_loops() {
    let wasm = wat_file(
        "traps.wasm",
        r#"(module
             (memory 1)
             (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
             (func (export "oob") (result i32) (i32.load (i32.const 65535)))
             (func (export "spin") (loop (br 0))))"#,
    );
    wedge(&["--run-mode", "jit", "--reactor", &wasm, "div", "0"])
        .assert_code(134)
        .assert_stderr_has("integer divide by zero");
    wedge(&["--run-mode", "jit", "--reactor", &wasm, "oob"])
        .assert_code(134)
        .assert_stderr_has("out of bounds memory access");
    wedge(&[
        "--run-mode",
        "jit",
        "--time-limit",
        "50",
        "--reactor",
        &wasm,
        "spin",
    ])
    .assert_code(134)
    .assert_stderr_has("interrupted");
}

#[test]
fn wast_runs_scripts_on_the_compiled_tier() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wedge-cli-jit");
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("jit.wast");
    std::fs::write(
        &script,
        r#"(module
             (func (export "fac") (param i64) (result i64)
               (if (result i64) (i64.eqz (local.get 0))
                 (then (i64.const 1))
                 (else (i64.mul (local.get 0) (call 0 (i64.sub (local.get 0) (i64.const 1))))))))
           (assert_return (invoke "fac" (i64.const 20)) (i64.const 2432902008176640000))
           (assert_trap (module (func $f (call $f)) (start $f)) "call stack exhausted")"#,
    )
    .unwrap();
    wedge(&["wast", "--run-mode", "jit", &script.to_string_lossy()])
        .assert_code(0)
        .assert_stdout_has("3 passed, 0 failed");
}

#[test]
fn jit_metering_prints_the_interpreters_statistics_at_every_gas_limit() {
    let wasm = wat_file(
        "metered.wasm",
        r#"(module
             (memory 1)
             (func (export "sum") (param i32) (result i32) (local i32)
               (block
                 (loop
                   (br_if 1 (i32.eqz (local.get 0)))
                   (i32.store (i32.const 0) (local.get 1))
                   (local.set 1 (i32.add (local.get 1) (local.get 0)))
                   (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                   (br 0)))
               (i32.div_u (local.get 1) (i32.load (i32.const 0)))))"#,
    );
    // The statistics lines without their timestamps, the exit code and the output.
    let outcome = |jit: bool, limit: &str, n: &str| {
        let mut args = vec![
            "--enable-instruction-count",
            "--enable-gas-measuring",
            "--gas-limit",
            limit,
            "--reactor",
            &wasm,
            "sum",
            n,
        ];
        if jit {
            args.splice(0..0, ["--run-mode", "jit"]);
        }
        let run = wedge(&args);
        let stats: Vec<String> = run
            .stderr
            .lines()
            .filter(|l| l.contains("instructions count") || l.contains("Gas costs"))
            .map(|l| l.split("] ").last().unwrap_or(l).to_string())
            .collect();
        assert_eq!(stats.len(), 2, "{run:#?}");
        (run.code, run.stdout.clone(), stats)
    };
    // n = 1 divides by zero at the end; the limits cut every part of the loop.
    for n in ["1", "5"] {
        for limit in (0..=70).chain([1000]) {
            let limit = limit.to_string();
            assert_eq!(
                outcome(true, &limit, n),
                outcome(false, &limit, n),
                "sum {n} with --gas-limit {limit}"
            );
        }
    }
}
