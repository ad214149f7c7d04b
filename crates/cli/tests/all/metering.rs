//! The metering flags: `--gas-limit`, `--time-limit`, `--enable-instruction-count`,
//! `--enable-gas-measuring`, `--enable-time-measuring`, `--enable-all-statistics`.
//!
//! The time limit bounds the run's wall time, time spent blocked in WASI calls included: the
//! guest `tests/programs/wasi/blocking.c` sleeps, reads an empty pipe, accepts or receives
//! forever, and each of the three tiers must stop it at the limit.

use super::{Run, wedge};
use std::path::Path;
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The test modules, assembled into `NAME.wasm` under the test scratch directory.
fn module(name: &str) -> String {
    let wat = match name {
        // sum(n) = n + (n-1) + ... + 1 with a loop; each iteration runs 13 instructions.
        "sum" => {
            r#"(module
              (func (export "sum") (param i32) (result i32) (local i32)
                (block
                  (loop
                    (br_if 1 (i32.eqz (local.get 0)))
                    (local.set 1 (i32.add (local.get 1) (local.get 0)))
                    (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                    (br 0)))
                (local.get 1)))"#
        }
        "spin" => r#"(module (func (export "_start") (loop (br 0))))"#,
        "quick" => r#"(module (func (export "_start") (nop)))"#,
        "exit3" => {
            r#"(module
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (func (export "_start") (call $exit (i32.const 3))))"#
        }
        "init" => {
            r#"(module
              (global $g (mut i32) (i32.const 0))
              (func (export "_initialize") (global.set $g (i32.const 5)))
              (func (export "get") (result i32) (global.get $g)))"#
        }
        other => panic!("no module {other}"),
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-metering");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.wasm"));
    let tmp = dir.join(format!("{name}.{:?}.tmp", std::thread::current().id()));
    std::fs::write(&tmp, wat::parse_str(wat).unwrap()).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    path.to_string_lossy().into_owned()
}

/// The number logged after `label` in the statistics summary.
fn stat(run: &Run, label: &str) -> u64 {
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no {label:?} in {run:#?}"));
    let tail = &line[line.find(label).unwrap() + label.len()..];
    let digits: String = tail
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap()
}

#[test]
fn instruction_count_is_logged_on_stderr_after_the_call() {
    let sum = module("sum");
    let run = wedge(&["--enable-instruction-count", "--reactor", &sum, "sum", "3"]);
    run.assert_code(0).assert_stdout("6\n");
    // block, loop, 3 x (12 in the body + the `loop` again), br_if, i32.eqz's 3, end, get, end.
    assert_eq!(stat(&run, "Executed wasm instructions count:"), 8 + 3 * 13);
    run.assert_stderr_has("[info] ====================  Statistics  ====================");
    run.assert_stderr_has("[info] =======================   End   ======================");
    assert!(!run.stderr.contains("Gas costs"), "{run:#?}");
    assert!(!run.stderr.contains("execution time"), "{run:#?}");
}

#[test]
fn gas_measuring_logs_the_gas_used() {
    let sum = module("sum");
    let run = wedge(&["--enable-gas-measuring", "--reactor", &sum, "sum", "3"]);
    run.assert_code(0).assert_stdout("6\n");
    assert_eq!(stat(&run, "Gas costs:"), 47);
    assert!(!run.stderr.contains("instructions count"), "{run:#?}");
}

#[test]
fn gas_limit_stops_the_guest_with_134_at_the_limit() {
    let sum = module("sum");
    let run = wedge(&["--gas-limit", "40", "--reactor", &sum, "sum", "100"]);
    run.assert_code(134)
        .assert_stdout("")
        .assert_stderr_has("Cost exceeded limit. Force terminate the execution.")
        .assert_stderr_has("cost limit exceeded, Code: 0x003")
        .assert_stderr_has("When executing function name: \"sum\"");
    // The gas limit turns gas measuring on; the total stops at the limit.
    assert_eq!(stat(&run, "Gas costs:"), 40);
    // A limit that suffices changes nothing; the last --gas-limit wins.
    wedge(&[
        "--gas-limit",
        "5",
        "--gas-limit=47",
        "--reactor",
        &sum,
        "sum",
        "3",
    ])
    .assert_code(0)
    .assert_stdout("6\n");
    wedge(&["--gas-limit", "46", "--reactor", &sum, "sum", "3"]).assert_code(134);
    // WasmEdge casts the value to u32: -1 is no limit to speak of.
    wedge(&["--gas-limit=-1", "--reactor", &sum, "sum", "1000"])
        .assert_code(0)
        .assert_stdout("500500\n");
}

#[test]
fn time_limit_stops_an_infinite_loop() {
    let spin = module("spin");
    let start = Instant::now();
    let run = wedge(&["--time-limit", "200", &spin]);
    let took = start.elapsed();
    run.assert_code(134)
        .assert_stderr_has("execution interrupted")
        .assert_stderr_has("When executing function name: \"_start\"");
    assert!(
        took >= Duration::from_millis(200),
        "stopped early: {took:?}"
    );
    assert!(took < Duration::from_secs(10), "stopped late: {took:?}");
}

#[test]
fn time_limit_zero_is_no_limit_and_a_quick_run_is_not_stopped() {
    let quick = module("quick");
    wedge(&["--time-limit", "0", &quick]).assert_code(0);
    wedge(&["--time-limit", "60000", &quick]).assert_code(0);
}

#[test]
fn all_statistics_log_every_line_wasmedge_logs() {
    let sum = module("sum");
    let run = wedge(&["--enable-all-statistics", "--reactor", &sum, "sum", "10"]);
    run.assert_code(0).assert_stdout("55\n");
    for label in [
        " Total execution time: ",
        " Wasm instructions execution time: ",
        " Host functions execution time: ",
        " Executed wasm instructions count: ",
        " Gas costs: ",
        " Instructions per second: ",
    ] {
        stat(&run, label);
    }
    assert_eq!(
        stat(&run, "Executed wasm instructions count:"),
        stat(&run, "Gas costs:")
    );
    let total = stat(&run, "Total execution time:");
    let parts = stat(&run, "Wasm instructions execution time:")
        + stat(&run, "Host functions execution time:");
    assert_eq!(total, parts);
}

#[test]
fn statistics_follow_each_call_and_a_proc_exit() {
    let init = module("init");
    let run = wedge(&["--enable-instruction-count", "--reactor", &init, "get"]);
    run.assert_code(0).assert_stdout("5\n");
    // The global's initializer at instantiation (const, end), `_initialize` (const, set,
    // end), then `get` (get, end): the count adds up over the run.
    let counts: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("instructions count"))
        .collect();
    assert_eq!(counts.len(), 2, "{run:#?}");
    assert!(
        counts[0].ends_with(": 5") && counts[1].ends_with(": 7"),
        "{run:#?}"
    );

    let exit3 = module("exit3");
    wedge(&["--enable-instruction-count", &exit3])
        .assert_code(3)
        .assert_stderr_has("Executed wasm instructions count: 2");
}

#[test]
fn no_statistics_without_the_flags() {
    let sum = module("sum");
    let run = wedge(&["--reactor", &sum, "sum", "3"]);
    run.assert_code(0).assert_stdout("6\n");
    assert!(!run.stderr.contains("Statistics"), "{run:#?}");
}

#[test]
fn bad_metering_values_exit_1() {
    let quick = module("quick");
    wedge(&["--gas-limit", "lots", &quick])
        .assert_code(1)
        .assert_stderr_has("invalid integer value: lots");
    wedge(&["--time-limit", "-5", &quick]).assert_code(1);
    wedge(&["--enable-gas-measuring=1", &quick]).assert_code(1);
    // Flags after the file belong to the guest.
    wedge(&[&quick, "--gas-limit", "x"]).assert_code(0);
}

/// `blocking.wasm` compiled with `wedge compile --interruptible`, once for all tests.
fn blocking_aot() -> &'static str {
    static AOT: OnceLock<String> = OnceLock::new();
    AOT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-metering");
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("blocking.aot.wasm");
        let blocking = super::wasi::program("blocking");
        wedge(&[
            "compile",
            "--interruptible",
            &blocking,
            &out.to_string_lossy(),
        ])
        .assert_code(0);
        out.to_string_lossy().into_owned()
    })
}

/// Runs `blocking MODE` with `--time-limit 500` on each tier, standard input a pipe that stays
/// open with nothing in it, and checks that each run stops at the limit: status 134, "execution
/// interrupted", well before the guest's call would end. A run still going after 30 s is
/// killed and fails the test.
fn time_limit_stops_a_guest_blocked_in(mode: &str) {
    let blocking = super::wasi::program("blocking");
    let tiers: [(&str, Vec<&str>); 3] = [
        ("interpreter", vec![&blocking]),
        ("jit", vec!["--run-mode", "jit", &blocking]),
        ("aot --interruptible", vec![blocking_aot()]),
    ];
    for (tier, file) in tiers {
        let start = Instant::now();
        let mut child = super::wasi::command(&["--time-limit", "500"])
            .args(file)
            .arg(mode)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the wedge binary runs");
        // Held open, never written: a read from it blocks.
        let stdin = child.stdin.take();
        while child.try_wait().unwrap().is_none() {
            if start.elapsed() > Duration::from_secs(30) {
                let _ = child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let took = start.elapsed();
        drop(stdin);
        let run = Run::from(child.wait_with_output().unwrap());
        run.assert_code(134)
            .assert_stdout(&format!("blocking in {mode}\n"))
            .assert_stderr_has("execution interrupted, Code: 0x007")
            .assert_stderr_has("When executing function name: \"_start\"");
        assert!(
            took >= Duration::from_millis(500),
            "{tier}: stopped early, after {took:?}"
        );
        assert!(
            took < Duration::from_secs(10),
            "{tier}: stopped late, after {took:?}"
        );
    }
}

#[test]
fn time_limit_stops_a_guest_sleeping_in_poll_oneoff() {
    time_limit_stops_a_guest_blocked_in("sleep");
}

#[test]
fn time_limit_stops_a_guest_reading_an_empty_pipe() {
    time_limit_stops_a_guest_blocked_in("stdin");
}

#[test]
fn time_limit_stops_a_guest_waiting_in_sock_accept() {
    time_limit_stops_a_guest_blocked_in("accept");
}

#[test]
fn time_limit_stops_a_guest_waiting_in_sock_recv() {
    time_limit_stops_a_guest_blocked_in("recv");
}

#[test]
fn a_blocking_guest_under_a_time_limit_it_does_not_reach_runs_to_its_end() {
    // The guest's read ends when its input does; a time limit that allows it changes nothing.
    let blocking = super::wasi::program("blocking");
    let out = super::wasi::command(&["--time-limit", "60000", &blocking, "stdin"])
        .stdin(Stdio::null())
        .output()
        .expect("the wedge binary runs");
    Run::from(out)
        .assert_code(0)
        .assert_stdout("blocking in stdin\nread returned 0\n");
}
