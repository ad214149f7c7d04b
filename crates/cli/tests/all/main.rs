//! Runs the `wedge` binary on the modules and scripts in `tests/fixtures/` and checks its
//! stdout, stderr and exit status. Text modules (`.wat`) are assembled with the `wat` crate
//! at test time. The WASI tests (`wasi`, `escape`, `sockets`) run the C programs of
//! `tests/programs/wasi/` at the repository root.

mod compile;
mod escape;
mod jit;
mod logging;
mod metering;
mod plugins;
mod sockets;
mod tiers;
mod wasi;

use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of `wedge` did.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    #[track_caller]
    fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "wrong exit status for {self:#?}");
        self
    }

    #[track_caller]
    fn assert_stdout(&self, expected: &str) -> &Self {
        assert_eq!(self.stdout, expected, "wrong stdout for {self:#?}");
        self
    }

    #[track_caller]
    fn assert_stderr_has(&self, part: &str) -> &Self {
        assert!(
            self.stderr.contains(part),
            "stderr lacks {part:?} in {self:#?}"
        );
        self
    }

    #[track_caller]
    fn assert_stdout_has(&self, part: &str) -> &Self {
        assert!(
            self.stdout.contains(part),
            "stdout lacks {part:?} in {self:#?}"
        );
        self
    }
}

fn wedge<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_wedge"))
        .args(args)
        .output()
        .expect("the wedge binary runs");
    Run::from(out)
}

impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fixture file by name, as a string argument.
fn fixture(name: &str) -> String {
    fixtures().join(name).to_string_lossy().into_owned()
}

/// `tests/fixtures/NAME.wat` assembled into a `.wasm` file; returns its path.
fn wasm(name: &str) -> String {
    let bytes = wat::parse_file(fixtures().join(format!("{name}.wat"))).expect("fixture assembles");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-fixtures");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.wasm"));
    // Tests run in parallel: write privately, then rename into place atomically.
    let tmp = dir.join(format!("{name}.{:?}.tmp", std::thread::current().id()));
    std::fs::write(&tmp, bytes).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    path.to_string_lossy().into_owned()
}

fn reactor(module: &str, args: &[&str]) -> Run {
    let path = wasm(module);
    let mut all = vec!["--reactor", path.as_str()];
    all.extend_from_slice(args);
    wedge(&all)
}

// ---- reactor mode: arguments and results of each type ----

#[test]
fn reactor_i32_result_prints_as_signed_decimal() {
    reactor("numbers", &["add_i32", "40", "2"])
        .assert_code(0)
        .assert_stdout("42\n");
    reactor("numbers", &["add_i32", "2147483647", "1"])
        .assert_code(0)
        .assert_stdout("-2147483648\n");
}

#[test]
fn reactor_i32_arguments_accept_negative_and_hex() {
    reactor("numbers", &["add_i32", "-5", "0x10"])
        .assert_code(0)
        .assert_stdout("11\n");
    reactor("numbers", &["add_i32", "4294967295", "0"])
        .assert_code(0)
        .assert_stdout("-1\n");
}

#[test]
fn reactor_i64_keeps_all_64_bits() {
    reactor("numbers", &["add_i64", "9007199254740993", "-3"])
        .assert_code(0)
        .assert_stdout("9007199254740990\n");
    reactor("numbers", &["add_i64", "-9223372036854775808", "-1"])
        .assert_code(0)
        .assert_stdout("9223372036854775807\n");
}

#[test]
fn reactor_f32_prints_shortest_decimal() {
    reactor("numbers", &["mul_f32", "1.5", "2.5"])
        .assert_code(0)
        .assert_stdout("3.75\n");
    reactor("numbers", &["id_f32", "0.1"])
        .assert_code(0)
        .assert_stdout("0.1\n");
    reactor("numbers", &["id_f32", "1e10"])
        .assert_code(0)
        .assert_stdout("1e+10\n");
    reactor("numbers", &["id_f32", "-inf"])
        .assert_code(0)
        .assert_stdout("-inf\n");
}

#[test]
fn reactor_f64_prints_shortest_decimal_nan_and_inf() {
    reactor("numbers", &["div_f64", "1", "3"])
        .assert_code(0)
        .assert_stdout("0.3333333333333333\n");
    reactor("numbers", &["div_f64", "1", "0"])
        .assert_code(0)
        .assert_stdout("inf\n");
    reactor("numbers", &["id_f64", "nan"])
        .assert_code(0)
        .assert_stdout("nan\n");
    reactor("numbers", &["id_f64", "-2.5e-7"])
        .assert_code(0)
        .assert_stdout("-2.5e-07\n");
    reactor("numbers", &["id_f64", "1e15"])
        .assert_code(0)
        .assert_stdout("1000000000000000\n");
}

#[test]
fn reactor_v128_prints_as_unsigned_128_bit_decimal() {
    // i64x2.splat(1) = 2^64 + 1
    reactor("numbers", &["splat", "1"])
        .assert_code(0)
        .assert_stdout("18446744073709551617\n");
    reactor("numbers", &["splat", "-1"])
        .assert_code(0)
        .assert_stdout(&format!("{}\n", u128::MAX));
    reactor("numbers", &["id_v128", "0xff"])
        .assert_code(0)
        .assert_stdout("255\n");
}

#[test]
fn reactor_references_print_as_placeholders() {
    reactor("numbers", &["null_funcref"])
        .assert_code(0)
        .assert_stdout("<null funcref>\n");
    reactor("numbers", &["a_funcref"])
        .assert_code(0)
        .assert_stdout("<funcref>\n");
    reactor("numbers", &["null_externref"])
        .assert_code(0)
        .assert_stdout("<null externref>\n");
}

#[test]
fn reactor_prints_each_of_several_results_on_its_own_line() {
    reactor("numbers", &["pair"])
        .assert_code(0)
        .assert_stdout("1\n-2\n");
    reactor("numbers", &["nothing"])
        .assert_code(0)
        .assert_stdout("");
}

#[test]
fn reactor_calls_initialize_first() {
    reactor("numbers", &["get_init"])
        .assert_code(0)
        .assert_stdout("7\n");
}

// ---- reactor mode: failures ----

#[test]
fn trap_exits_134_and_logs_wasmedge_style() {
    reactor("numbers", &["div_s", "1", "0"])
        .assert_code(134)
        .assert_stdout("")
        .assert_stderr_has("[error] execution failed: integer divide by zero, Code: 0x404")
        .assert_stderr_has("When executing function name: \"div_s\"");
    reactor("numbers", &["crash"])
        .assert_code(134)
        .assert_stderr_has("unreachable, Code: 0x40a");
}

#[test]
fn runaway_recursion_traps_instead_of_crashing() {
    reactor("recurse", &["down", "0"])
        .assert_code(134)
        .assert_stderr_has("call stack exhausted")
        .assert_stderr_has("When executing function name: \"down\"");
}

#[test]
fn log_level_off_silences_the_trap_report_but_not_the_status() {
    let path = wasm("numbers");
    let run = wedge(&["--log-level=off", "--reactor", &path, "div_s", "1", "0"]);
    run.assert_code(134);
    assert_eq!(run.stderr, "");
}

#[test]
fn unknown_export_exits_1() {
    reactor("numbers", &["nope"])
        .assert_code(1)
        .assert_stderr_has("Function \"nope\" not found in the module export list.");
}

#[test]
fn missing_function_name_exits_1() {
    reactor("numbers", &[])
        .assert_code(1)
        .assert_stderr_has("A function name is required when reactor mode is enabled.");
}

#[test]
fn too_few_arguments_exit_1() {
    reactor("numbers", &["add_i32", "1"])
        .assert_code(1)
        .assert_stderr_has("function `add_i32` expects 2 argument(s), got 1");
}

#[test]
fn unreadable_argument_exits_1() {
    reactor("numbers", &["add_i32", "abc", "1"])
        .assert_code(1)
        .assert_stderr_has("Invalid argument 'abc' for parameter 1: expected i32");
    reactor("numbers", &["add_i64", "1", "99999999999999999999"])
        .assert_code(1)
        .assert_stderr_has("parameter 2: i64 out of range");
    reactor("numbers", &["take_funcref", "0"])
        .assert_code(1)
        .assert_stderr_has("funcref");
}

#[test]
fn extra_arguments_fail_the_signature_check_like_wasmedge() {
    reactor("numbers", &["add_i32", "1", "2", "3"])
        .assert_code(134)
        .assert_stderr_has("function signature mismatch, Code: 0x403");
}

// ---- command mode ----

#[test]
fn command_mode_runs_start_and_exits_0() {
    let path = wasm("start");
    wedge(&[&path]).assert_code(0).assert_stdout("");
    wedge(&["run", &path]).assert_code(0).assert_stdout("");
}

#[test]
fn command_mode_trap_exits_134() {
    wedge(&[wasm("start_trap")])
        .assert_code(134)
        .assert_stderr_has("integer divide by zero")
        .assert_stderr_has("When executing function name: \"_start\"");
}

#[test]
fn start_of_another_type_is_called_as_a_reactor_function() {
    wedge(&[wasm("start_with_params"), "5".into()])
        .assert_code(0)
        .assert_stdout("15\n");
}

#[test]
fn without_start_the_first_argument_names_the_function() {
    wedge(&[wasm("numbers"), "add_i32".into(), "1".into(), "2".into()])
        .assert_code(0)
        .assert_stdout("3\n");
}

#[test]
fn reactor_flag_skips_start() {
    reactor("start", &["ran"])
        .assert_code(0)
        .assert_stdout("0\n");
}

#[test]
fn double_dash_ends_the_options() {
    let path = wasm("numbers");
    wedge(&["--reactor", "--", &path, "add_i32", "1", "2"])
        .assert_code(0)
        .assert_stdout("3\n");
}

#[test]
fn words_after_the_file_go_to_the_guest_even_if_they_look_like_flags() {
    let path = wasm("numbers");
    wedge(&["--reactor", &path, "--help"])
        .assert_code(1)
        .assert_stderr_has("Function \"--help\" not found");
}

// ---- loading, validation, linking ----

#[test]
fn missing_file_exits_1() {
    wedge(&["--reactor", "/nonexistent/x.wasm", "f"])
        .assert_code(1)
        .assert_stderr_has("loading failed: invalid path, Code: 0x100")
        .assert_stderr_has("File name: \"/nonexistent/x.wasm\"");
}

#[test]
fn malformed_module_exits_1() {
    wedge(&["--reactor", &fixture("garbage.wasm"), "f"])
        .assert_code(1)
        .assert_stderr_has("loading failed: magic header not detected, Code: 0x103");
}

#[test]
fn invalid_module_exits_1() {
    wedge(&["--reactor", &wasm("invalid"), "f"])
        .assert_code(1)
        .assert_stderr_has("validation failed: type mismatch, Code: 0x202");
}

#[test]
fn wasi_is_always_registered() {
    wedge(&[wasm("wasi")])
        .assert_code(7)
        .assert_stdout("hello from wat\n");
}

#[test]
fn an_import_that_wasi_lacks_fails_to_link_with_a_clear_message() {
    wedge(&[wasm("wasi_unknown")])
        .assert_code(1)
        .assert_stderr_has("instantiation failed: unknown import, Code: 0x302")
        .assert_stderr_has("\"wasi_snapshot_preview1\" , function name: \"no_such_function\"")
        .assert_stderr_has("is not a function of WASI preview 1");
}

#[test]
fn trap_in_the_start_function_is_an_instantiation_failure() {
    reactor("start_section_trap", &["f"])
        .assert_code(1)
        .assert_stderr_has("unreachable, Code: 0x40a");
}

#[test]
fn module_flag_registers_an_import_source() {
    let lib = format!("lib:{}", wasm("lib"));
    wedge(&[
        "--module",
        &lib,
        "--reactor",
        &wasm("uses_lib"),
        "quad",
        "3",
    ])
    .assert_code(0)
    .assert_stdout("12\n");
    wedge(&["--reactor", &wasm("uses_lib"), "quad", "3"])
        .assert_code(1)
        .assert_stderr_has("unknown import");
    wedge(&["--module", "no-colon", &wasm("uses_lib")])
        .assert_code(1)
        .assert_stderr_has("Invalid --module format");
}

#[test]
fn memory_page_limit_caps_growth() {
    reactor("memory", &["grow", "5"])
        .assert_code(0)
        .assert_stdout("1\n");
    let path = wasm("memory");
    wedge(&["--memory-page-limit", "2", "--reactor", &path, "grow", "5"])
        .assert_code(0)
        .assert_stdout("-1\n");
    wedge(&["--memory-page-limit=6", "--reactor", &path, "grow", "5"])
        .assert_code(0)
        .assert_stdout("1\n");
}

#[test]
fn validate_reports_success_and_failure() {
    wedge(&["validate", &wasm("numbers")])
        .assert_code(0)
        .assert_stdout_has("[info] Validation succeeded.");
    wedge(&["validate", &wasm("invalid")])
        .assert_code(1)
        .assert_stderr_has("validation failed");
    wedge(&["validate", &fixture("garbage.wasm")]).assert_code(1);
}

#[test]
fn proposal_flags_change_what_validates() {
    let simd = wasm("simd");
    wedge(&["validate", &simd]).assert_code(0);
    wedge(&["validate", "--disable-simd", &simd]).assert_code(1);
    wedge(&["validate", "--wasm-1", &simd]).assert_code(1);
    let sign_ext = wasm("sign_ext");
    wedge(&["validate", "--wasm-1", &sign_ext]).assert_code(1);
    wedge(&[
        "validate",
        "--wasm-1",
        "--enable-sign-extension-operators",
        &sign_ext,
    ])
    .assert_code(0);
    wedge(&["validate", "--wasm-1", "--enable-all", &sign_ext]).assert_code(0);
}

#[test]
fn instantiate_links_and_reports() {
    wedge(&["instantiate", &wasm("start")])
        .assert_code(0)
        .assert_stdout_has("Instantiation succeeded.");
    wedge(&["instantiate", &wasm("wasi_unknown")])
        .assert_code(1)
        .assert_stderr_has("unknown import");
}

// ---- the command line itself ----

#[test]
fn unknown_option_exits_1() {
    wedge(&["--frobnicate", &wasm("start")])
        .assert_code(1)
        .assert_stderr_has("unknown option: frobnicate");
    wedge(&["validate", "--reactor", &wasm("start")])
        .assert_code(1)
        .assert_stderr_has("unknown option: reactor");
    wedge(&["--reactor=yes", &wasm("start")])
        .assert_code(1)
        .assert_stderr_has("doesn't need arguments");
}

#[test]
fn bad_option_value_exits_1() {
    wedge(&["--memory-page-limit", "lots", &wasm("start")])
        .assert_code(1)
        .assert_stderr_has("invalid integer value: lots");
    wedge(&["--memory-page-limit"])
        .assert_code(1)
        .assert_stderr_has("needs a value");
}

#[test]
fn options_not_implemented_yet_are_refused_not_ignored() {
    let path = wasm("start");
    for flags in [&["--enable-component"][..], &["--enable-coredump"]] {
        let mut args: Vec<&str> = flags.to_vec();
        args.push(&path);
        wedge(&args)
            .assert_code(1)
            .assert_stderr_has("not supported yet");
    }
}

#[test]
fn missing_file_argument_exits_1() {
    wedge::<&str>(&[])
        .assert_code(1)
        .assert_stderr_has("missing input");
    wedge(&["validate"]).assert_code(1);
}

#[test]
fn version_prints_and_exits_0() {
    let run = wedge(&["--version"]);
    run.assert_code(0);
    let first = run.stdout.lines().next().unwrap_or_default();
    assert!(
        first.ends_with(&format!(" version {}", env!("CARGO_PKG_VERSION"))),
        "{run:#?}"
    );
    assert!(first.contains("wedge"), "{run:#?}");
    // Then the plug-ins, as `wasmedge --version` lists them: the built-in one at least.
    assert!(
        run.stdout
            .lines()
            .any(|l| l == r#" (plugin "wasi_logging") version 0.1.0.0"#),
        "{run:#?}"
    );
    wedge(&["-v"]).assert_code(0).assert_stdout(&run.stdout);
}

#[test]
fn help_prints_and_exits_0() {
    wedge(&["--help"])
        .assert_code(0)
        .assert_stdout_has("USAGE")
        .assert_stdout_has("--reactor");
    wedge(&["-h"]).assert_code(0).assert_stdout_has("USAGE");
    wedge(&["validate", "--help"])
        .assert_code(0)
        .assert_stdout_has("validate [OPTIONS] FILE");
    wedge(&["wast", "--help"])
        .assert_code(0)
        .assert_stdout_has("wast [OPTIONS] FILE...");
}

#[test]
fn parse_prints_every_section_with_names() {
    let run = wedge(&["parse", &wasm("memory")]);
    run.assert_code(0).assert_stdout_has("Section Details:");
    for section in ["Type[", "Function[", "Memory[", "Export[", "Code["] {
        run.assert_stdout_has(section);
    }
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/fib.wasm");
    wedge(&["parse", &example.to_string_lossy()])
        .assert_code(0)
        .assert_stdout_has(" - func[0] sig=0 <fib>")
        .assert_stdout_has(" - func[0] <fib> -> \"fib\"");
}

#[test]
fn parse_of_a_malformed_module_exits_1() {
    wedge(&["parse", &fixture("garbage.wasm")])
        .assert_code(1)
        .assert_stderr_has("loading failed");
}

// ---- wast ----

#[test]
fn wast_passing_script_exits_0_with_counts() {
    wedge(&["wast", &fixture("pass.wast")])
        .assert_code(0)
        .assert_stdout_has("pass.wast: 4 passed, 0 failed, 0 skipped");
}

#[test]
fn wast_failing_script_exits_1_and_names_the_failure() {
    let run = wedge(&["wast", &fixture("pass.wast"), &fixture("fail.wast")]);
    run.assert_code(1)
        .assert_stdout_has("fail.wast: 2 passed, 1 failed, 0 skipped")
        .assert_stdout_has("fail.wast:6:")
        .assert_stdout_has("total (2 scripts): 6 passed, 1 failed, 0 skipped");
}

#[test]
fn wast_missing_script_exits_1() {
    wedge(&["wast", "/nonexistent/x.wast"])
        .assert_code(1)
        .assert_stderr_has("/nonexistent/x.wast");
}

// ---- the shipped example ----

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

#[test]
fn example_fib_computes_fibonacci_numbers() {
    let path = example("fib.wasm");
    let path = path.to_string_lossy();
    wedge(&["run", "--reactor", &path, "fib", "20"])
        .assert_code(0)
        .assert_stdout("6765\n");
    wedge(&["run", "--reactor", &path, "fib_i64", "90"])
        .assert_code(0)
        .assert_stdout("2880067194370816120\n");
}

#[test]
fn example_wasm_matches_its_source() {
    let built = wat::parse_file(example("fib.wat")).expect("examples/fib.wat assembles");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(example("fib.wasm"), &built).unwrap();
    }
    let committed = std::fs::read(example("fib.wasm")).expect("examples/fib.wasm exists");
    assert!(
        committed == built,
        "examples/fib.wasm is stale; rerun this test with BLESS=1"
    );
}
