//! `wedge compile` (universal wasm), `--run-mode aot`, what the default mode does with native
//! code, and the code cache of `--run-mode jit`.

use super::*;

fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("wedge-cli-compile")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `bytes` with the compiler version in the native code's fingerprint changed (same length).
fn patch_version(bytes: &[u8]) -> Vec<u8> {
    let needle = b"wedge-cranelift=";
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("a fingerprint")
        + needle.len();
    let mut out = bytes.to_vec();
    out[at] = if out[at] == b'9' { b'8' } else { b'9' };
    out
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

const MATH: &str = r#"(module
  (memory 1)
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "floor") (param f64) (result f64) (f64.floor (local.get 0)))
  (func (export "oob") (result i32) (i32.load (i32.const 65535))))"#;

/// The default mode and `--run-mode aot` run `file`'s native code with the interpreter's
/// results, traps and exit codes; `--run-mode interpreter` runs the module in it.
#[track_caller]
fn check_native_runs(file: &Path) {
    for mode in [None, Some("--run-mode=aot")] {
        let run = |args: &[&str]| {
            let mut all: Vec<String> = mode.into_iter().map(String::from).collect();
            all.extend(["--reactor".to_string(), s(file)]);
            all.extend(args.iter().map(|a| a.to_string()));
            wedge(&all)
        };
        let r = run(&["fib", "25"]);
        r.assert_code(0).assert_stdout("75025\n");
        assert!(!r.stderr.contains("interpreter"), "{r:#?}");
        run(&["floor", "-2.5"]).assert_code(0).assert_stdout("-3\n");
        run(&["oob"])
            .assert_code(134)
            .assert_stderr_has("out of bounds memory access");
    }
    wedge(&[
        "--run-mode",
        "interpreter",
        "--reactor",
        &s(file),
        "fib",
        "10",
    ])
    .assert_code(0)
    .assert_stdout("55\n");
}

#[test]
fn compile_writes_a_universal_wasm_that_runs_natively() {
    let d = dir("universal");
    let input = d.join("math.wasm");
    std::fs::write(&input, wat::parse_str(MATH).unwrap()).unwrap();
    let out = d.join("math.aot.wasm");
    wedge(&["compile", &s(&input), &s(&out)])
        .assert_code(0)
        .assert_stdout_has("compile done");
    let plain = std::fs::read(&input).unwrap();
    let universal = std::fs::read(&out).unwrap();
    assert!(universal.starts_with(&plain) && universal.len() > plain.len());

    check_native_runs(&out);
    wedge(&["validate", &s(&out)]).assert_code(0);

    // Options may follow the files; --generic-binary code runs on this CPU.
    let generic = d.join("generic.wasm");
    wedge(&[
        "compile",
        &s(&input),
        &s(&generic),
        "--generic-binary",
        "--optimize",
        "3",
    ])
    .assert_code(0);
    check_native_runs(&generic);
}

#[test]
fn mismatched_native_code_falls_back_to_the_interpreter_with_a_message() {
    let d = dir("mismatch");
    let input = d.join("math.wasm");
    std::fs::write(&input, wat::parse_str(MATH).unwrap()).unwrap();
    // Code from another optimization level runs natively.
    let o0 = d.join("o0.wasm");
    wedge(&["compile", "--optimize", "0", &s(&input), &s(&o0)]).assert_code(0);
    let run = wedge(&["--reactor", &s(&o0), "fib", "20"]);
    run.assert_code(0).assert_stdout("6765\n");
    assert!(!run.stderr.contains("interpreter"), "{run:#?}");
    // Code from another version of Wedge does not.
    let foreign = d.join("foreign.wasm");
    std::fs::write(&foreign, patch_version(&std::fs::read(&o0).unwrap())).unwrap();
    wedge(&["--reactor", &s(&foreign), "fib", "20"])
        .assert_code(0)
        .assert_stdout("6765\n")
        .assert_stderr_has(
            "running in the interpreter: native code made for another setup: wedge-cranelift",
        );
    // A plain module under --run-mode aot runs interpreted, with a warning.
    wedge(&["--run-mode", "aot", "--reactor", &s(&input), "fib", "20"])
        .assert_code(0)
        .assert_stdout("6765\n")
        .assert_stderr_has("the module has no native code");
}

#[test]
fn compile_reports_bad_input_and_flags() {
    let d = dir("bad");
    let bad = d.join("bad.wasm");
    std::fs::write(
        &bad,
        wat::parse_str("(module (func (result i32) (i64.const 0)))").unwrap(),
    )
    .unwrap();
    let out = d.join("out.wasm");
    wedge(&["compile", &s(&bad), &s(&out)])
        .assert_code(1)
        .assert_stderr_has("type mismatch");
    assert!(!out.exists());
    wedge(&["compile", &s(&d.join("missing.wasm")), &s(&out)])
        .assert_code(1)
        .assert_stderr_has("No such file");
    wedge(&["compile", &s(&bad)])
        .assert_code(1)
        .assert_stderr_has("missing output: `wedge compile [OPTIONS] IN OUT`");
    wedge(&["compile", "--optimize", "4", "a.wasm", "b.wasm"])
        .assert_code(1)
        .assert_stderr_has("invalid --optimize value");
    wedge(&["compile", "--dump", "a.wasm", "b.wasm"])
        .assert_code(1)
        .assert_stderr_has("no LLVM IR");
    wedge(&["compile", "--help"])
        .assert_code(0)
        .assert_stdout_has("--generic-binary");
}

#[test]
fn jit_keeps_compiled_code_in_the_code_cache() {
    let d = dir("cache");
    let input = d.join("math.wasm");
    std::fs::write(&input, wat::parse_str(MATH).unwrap()).unwrap();
    let cache = d.join("cache");
    let run = |extra: &[&str], env: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wedge"));
        cmd.env("WEDGE_JIT_LOG", "1").env_remove("WEDGE_CODE_CACHE");
        if let Some(v) = env {
            cmd.env("WEDGE_CODE_CACHE", v);
        }
        cmd.args(["--run-mode", "jit"]).args(extra);
        cmd.args(["--reactor", &s(&input), "fib", "20"]);
        let r = Run::from(cmd.output().unwrap());
        r.assert_code(0).assert_stdout("6765\n");
        r
    };
    let flag = ["--code-cache", &s(&cache)];
    run(&flag, None).assert_stderr_has("[jit] compiled");
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 1);
    run(&flag, None).assert_stderr_has("[jit] compiled code from the code cache");
    // The environment variable moves it too; `off` turns it off (the flag wins).
    run(&[], Some(&s(&cache))).assert_stderr_has("from the code cache");
    run(&[], Some("off")).assert_stderr_has("[jit] compiled\n");
    run(&["--code-cache", "off"], Some(&s(&cache))).assert_stderr_has("[jit] compiled\n");
    let other = d.join("other");
    run(&[], Some(&s(&other))).assert_stderr_has("[jit] compiled\n");
    assert_eq!(std::fs::read_dir(&other).unwrap().count(), 1);
}

#[test]
fn compile_to_so_writes_a_shared_library_that_runs() {
    let d = dir("shared");
    let input = d.join("math.wasm");
    std::fs::write(&input, wat::parse_str(MATH).unwrap()).unwrap();
    for (name, extra) in [("math.so", None), ("generic.so", Some("--generic-binary"))] {
        let out = d.join(name);
        let mut args = vec!["compile".to_string(), s(&input), s(&out)];
        args.extend(extra.map(String::from));
        wedge(&args).assert_code(0);
        assert!(std::fs::read(&out).unwrap().starts_with(b"\x7fELF"));
        check_native_runs(&out);
    }
    // A library from another version of Wedge runs interpreted, with the reason.
    let foreign = d.join("foreign.so");
    std::fs::write(
        &foreign,
        patch_version(&std::fs::read(d.join("math.so")).unwrap()),
    )
    .unwrap();
    wedge(&["--reactor", &s(&foreign), "fib", "10"])
        .assert_code(0)
        .assert_stdout("55\n")
        .assert_stderr_has("wedge-cranelift");
    // A truncated library is refused before the system loader maps it (it would crash).
    let bytes = std::fs::read(d.join("math.so")).unwrap();
    for cut in [100, bytes.len() / 2, bytes.len() - 1] {
        let truncated = d.join("truncated.so");
        std::fs::write(&truncated, &bytes[..cut]).unwrap();
        wedge(&["--reactor", &s(&truncated), "fib", "10"])
            .assert_code(1)
            .assert_stderr_has("cannot load");
    }
    // Some other shared library is refused with a clear message.
    let libc_path = [
        "/lib/x86_64-linux-gnu/libm.so.6",
        "/lib/aarch64-linux-gnu/libm.so.6",
    ]
    .into_iter()
    .find(|p| Path::new(p).exists());
    if let Some(p) = libc_path {
        wedge(&["--reactor", p, "f"])
            .assert_code(1)
            .assert_stderr_has("not a Wedge native library");
    }
}

#[test]
fn statistics_compiled_in_give_the_interpreters_counts_and_must_match_at_run_time() {
    let d = dir("statistics");
    let input = d.join("math.wasm");
    std::fs::write(&input, wat::parse_str(MATH).unwrap()).unwrap();
    let out = d.join("metered.wasm");
    let stats = ["--enable-instruction-count", "--enable-gas-measuring"];
    let mut args = vec!["compile"];
    args.extend(stats);
    let (i, o) = (s(&input), s(&out));
    args.extend([i.as_str(), o.as_str()]);
    wedge(&args).assert_code(0);
    let run = |mode: &str, with_stats: bool| {
        let mut a = vec![mode];
        if with_stats {
            a.extend(stats);
        }
        a.extend(["--reactor", o.as_str(), "fib", "15"]);
        let r = wedge(&a);
        r.assert_code(0).assert_stdout("610\n");
        r
    };
    let native = run("--run-mode=aot", true);
    assert!(!native.stderr.contains("interpreter"), "{native:#?}");
    let interpreted = run("--run-mode=interpreter", true);
    let counts = |r: &Run| -> Vec<String> {
        r.stderr
            .lines()
            .filter(|l| l.contains("instructions count") || l.contains("Gas costs"))
            .map(|l| l.split("] ").last().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(counts(&native).len(), 2, "{native:#?}");
    assert_eq!(counts(&native), counts(&interpreted));
    // Without the statistics flags the metered code does not fit: interpreted, with the reason.
    run("--run-mode=aot", false).assert_stderr_has("running in the interpreter");
}

#[test]
fn a_compile_on_a_terminal_shows_its_progress() {
    // `script` (util-linux) gives wedge a terminal; without one it prints no progress line.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to provide a terminal");
        return;
    }
    let d = dir("progress");
    let input = d.join("many.wasm");
    let mut wat = String::from("(module");
    for i in 0..200 {
        wat.push_str(&format!(
            "(func (export \"f{i}\") (result i32) (i32.const {i}))"
        ));
    }
    wat.push(')');
    std::fs::write(&input, wat::parse_str(&wat).unwrap()).unwrap();
    let out = d.join("many.aot.wasm");
    let command = format!(
        "{} compile {} {}",
        env!("CARGO_BIN_EXE_wedge"),
        s(&input),
        s(&out)
    );
    let run = Command::new("script")
        .args(["-qefc", &command, "/dev/null"])
        .env("WEDGE_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{shown}");
    assert!(
        shown.contains("[compile] 200/200 functions (100%)"),
        "{shown}"
    );
    // Without a terminal, no progress line.
    wedge(&["compile", &s(&input), &s(&out)]).assert_code(0);
    let plain = Command::new(env!("CARGO_BIN_EXE_wedge"))
        .args(["compile", &s(&input), &s(&out)])
        .env("WEDGE_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&plain.stderr).contains("[compile]"));
}

#[test]
fn interruptible_code_stops_at_the_time_limit_and_code_without_polls_still_runs_natively() {
    let d = dir("interruptible");
    let input = d.join("spin.wasm");
    std::fs::write(
        &input,
        wat::parse_str(
            r#"(module
                 (func (export "spin") (loop (br 0)))
                 (func (export "count") (param i32) (result i32) (local $s i32)
                   (loop $l
                     (local.set $s (i32.add (local.get $s) (local.get 0)))
                     (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))
                     (br_if $l))
                   (local.get $s)))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let polls = d.join("polls.wasm");
    let plain = d.join("plain.wasm");
    wedge(&["compile", "--interruptible", &s(&input), &s(&polls)]).assert_code(0);
    wedge(&["compile", &s(&input), &s(&plain)]).assert_code(0);
    wedge(&[
        "--run-mode=aot",
        "--time-limit",
        "100",
        "--reactor",
        &s(&polls),
        "spin",
    ])
    .assert_code(134)
    .assert_stderr_has("interrupted");
    // Code without polls is still native code for an interruptible run (as in WasmEdge, a
    // time limit cannot stop it, which a warning says); both files compute alike.
    for (file, warned) in [(&polls, false), (&plain, true)] {
        let r = wedge(&[
            "--run-mode=aot",
            "--time-limit",
            "60000",
            "--reactor",
            &s(file),
            "count",
            "100",
        ]);
        r.assert_code(0).assert_stdout("5050\n");
        assert!(!r.stderr.contains("running in the interpreter"), "{r:#?}");
        assert_eq!(
            r.stderr.contains("the time limit cannot stop it"),
            warned,
            "{r:#?}"
        );
    }
}
