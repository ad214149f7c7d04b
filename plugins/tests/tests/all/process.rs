//! The `wasmedge_process` plug-in (`plugins/wasmedge_process`): `process.c` sets up a host
//! command from its own arguments (program, arguments, `--env`, `--stdin`, `--timeout`), runs it
//! and prints the exit code, the lengths and the outputs. The allow-list comes from `wedge run`'s
//! `--allow-command`/`--allow-command-all` and, in the C host, from
//! `WasmEdge_ModuleInstanceInitWasmEdgeProcess`.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::{
    PluginLib, assert_exit, both_hosts, c_host, guest, output, plugin_dir, stderr, stdout, wedge,
};

const PROCESS: PluginLib = PluginLib {
    lib: "wedge_plugin_process",
    package: "wedge-plugin-process",
};

/// WasmEdge's message for a command not in the allow-list.
fn denied(name: &str) -> String {
    format!(
        "Permission denied: Command \"{name}\" is not in the white list. Please use \
         --allow-command={name} or --allow-command-all to add \"{name}\" command into the white \
         list.\n"
    )
}

/// The guest.
fn process() -> PathBuf {
    guest("wasmedge_process", "process")
}

/// Runs the guest through both hosts with the same allow flags (`wedge run FLAGS` and
/// `run FLAGS`: both take `--allow-command CMD` and `--allow-command-all`), and returns each
/// host's name, output and wall time.
fn run_both(test: &str, allow: &[&str], args: &[&str]) -> Vec<(&'static str, Output, Duration)> {
    let plugins = plugin_dir(test, &[PROCESS]);
    // `run.c` takes `--allow-command CMD` only; `wedge run` gets the flags as written.
    let host_allow: Vec<&str> = allow
        .iter()
        .flat_map(|a| match a.split_once('=') {
            Some((flag, value)) => vec![flag, value],
            None => vec![*a],
        })
        .collect();
    both_hosts(&plugins, allow, &host_allow, &process(), args)
        .into_iter()
        .map(|(host, mut cmd)| {
            let started = Instant::now();
            let out = output(&mut cmd);
            (host, out, started.elapsed())
        })
        .collect()
}

#[test]
fn an_allowed_command_runs_with_its_arguments_as_given_without_a_shell() {
    for (host, out, _) in run_both(
        "process_echo",
        &["--allow-command", "echo"],
        &["echo", "hello  world", "$(pwd)", "*"],
    ) {
        assert_exit(host, &out, 0);
        assert_eq!(
            stdout(&out),
            "exit=0 code=0 stdout_len=22 stderr_len=0\nstdout:hello  world $(pwd) *\n\nstderr:\n",
            "{host}"
        );
    }
}

#[test]
fn cat_reads_the_guest_s_stdin_and_printenv_sees_only_the_guest_s_environment() {
    for (host, out, _) in run_both(
        "process_cat",
        &["--allow-command", "cat", "--allow-command=printenv"],
        &["--stdin", "line 1\n", "--stdin", "line 2", "cat"],
    ) {
        assert_exit(host, &out, 0);
        assert!(
            stdout(&out).contains("stdout:line 1\nline 2\n"),
            "{host}: {}",
            stdout(&out)
        );
    }
    // PATH and HOME are the host's, not the command's: printenv finds A only, and exits 1 for
    // the missing HOME. A repeated key keeps its first value.
    for (host, out, _) in run_both(
        "process_env",
        &["--allow-command=cat", "--allow-command", "printenv"],
        &[
            "--env", "A=1", "--env", "A=2", "--env", "B=x=y", "printenv", "A", "B", "HOME",
        ],
    ) {
        assert_exit(host, &out, 0);
        assert_eq!(
            stdout(&out),
            "exit=1 code=1 stdout_len=6 stderr_len=0\nstdout:1\nx=y\n\nstderr:\n",
            "{host}"
        );
    }
}

#[test]
fn a_command_not_allowed_returns_minus_1_with_wasmedge_s_message() {
    // Nothing allowed; another command allowed; the name with a path allowed; a comma is part
    // of one name (WasmEdge does not split the flag's value).
    for allow in [
        &[][..],
        &["--allow-command", "ls"][..],
        &["--allow-command", "/bin/echo"][..],
        &["--allow-command=echo,ls"][..],
    ] {
        for (host, out, _) in run_both("process_denied", allow, &["echo", "hi"]) {
            assert_exit(host, &out, 0);
            assert_eq!(
                stdout(&out),
                format!(
                    "exit=-1 code=-1 stdout_len=0 stderr_len=158\nstdout:\nstderr:{}\n",
                    denied("echo")
                ),
                "{host} {allow:?}"
            );
        }
    }
}

#[test]
fn a_command_that_stops_reading_a_large_stdin_neither_blocks_nor_kills_the_host() {
    // `head` exits after 10 bytes of 4 MiB, and `true` reads nothing: the host's writes never
    // meet a pipe without readers, so the C host (which does not ignore SIGPIPE) survives.
    for args in [
        &["--stdin-bytes", "4000000", "head", "-c", "10"][..],
        &["--stdin-bytes", "4000000", "true"][..],
    ] {
        for (host, out, took) in run_both("process_stdin", &["--allow-command-all"], args) {
            assert_exit(host, &out, 0);
            let expect = if args[2] == "head" {
                "exit=0 code=0 stdout_len=10 stderr_len=0\nstdout:xxxxxxxxxx\nstderr:\n"
            } else {
                "exit=0 code=0 stdout_len=0 stderr_len=0\nstdout:\nstderr:\n"
            };
            assert_eq!(stdout(&out), expect, "{host} {args:?}");
            assert!(took < Duration::from_secs(5), "{host} took {took:?}");
        }
    }
}

#[test]
fn allow_command_all_runs_any_command() {
    for (host, out, _) in run_both(
        "process_all",
        &["--allow-command-all"],
        &["sh", "-c", "echo out; echo err >&2; exit 3"],
    ) {
        assert_exit(host, &out, 0);
        assert_eq!(
            stdout(&out),
            "exit=3 code=3 stdout_len=4 stderr_len=4\nstdout:out\n\nstderr:err\n\n",
            "{host}"
        );
    }
}

#[test]
fn the_time_limit_kills_a_command_with_etimedout_without_waiting_for_it() {
    for (host, out, took) in run_both(
        "process_timeout",
        &["--allow-command", "sleep"],
        &["--timeout", "200", "sleep", "5"],
    ) {
        assert_exit(host, &out, 0);
        assert!(
            stdout(&out).starts_with("exit=110 code=110 stdout_len=0 stderr_len=0\n"),
            "{host}: {}",
            stdout(&out)
        );
        assert!(took < Duration::from_secs(3), "{host} took {took:?}");
    }
}

#[test]
fn failing_commands_give_their_exit_status_as_a_signed_byte() {
    let allow = ["--allow-command-all"];
    for (args, expect) in [
        (&["false"][..], "exit=1 code=1"),
        (&["sh", "-c", "exit 255"][..], "exit=-1 code=-1"),
        (&["sh", "-c", "exit 200"][..], "exit=-56 code=-56"),
        (&["sh", "-c", "kill -9 $$"][..], "exit=0 code=0"),
        (&["ls", "/wedge-no-such-dir"][..], "exit=2 code=2"),
    ] {
        for (host, out, _) in run_both("process_fail", &allow, args) {
            assert_exit(host, &out, 0);
            assert!(
                stdout(&out).starts_with(expect),
                "{host} {args:?}: {}",
                stdout(&out)
            );
        }
    }
    for (host, out, _) in run_both("process_missing", &allow, &["wedge-no-such-command"]) {
        assert_exit(host, &out, 0);
        assert_eq!(
            stdout(&out),
            "exit=-1 code=-1 stdout_len=0 stderr_len=19\nstdout:\nstderr:Command not found.\n\n",
            "{host}"
        );
    }
}

#[test]
fn a_flooding_command_is_capped_at_16_mib_and_the_host_survives() {
    let cap = 16 << 20;
    for (host, out, _) in run_both(
        "process_flood",
        &["--allow-command", "head"],
        &["--summary", "head", "-c", "100M", "/dev/zero"],
    ) {
        assert_exit(host, &out, 0);
        assert_eq!(
            stdout(&out),
            format!("exit=0 code=0 stdout_len={cap} stderr_len=0\n"),
            "{host}"
        );
    }
    // `yes` never ends: the time limit stops it, with the output capped.
    for (host, out, took) in run_both(
        "process_yes",
        &["--allow-command", "yes"],
        &["--summary", "--timeout", "500", "yes"],
    ) {
        assert_exit(host, &out, 0);
        assert_eq!(
            stdout(&out),
            format!("exit=110 code=110 stdout_len={cap} stderr_len=0\n"),
            "{host}"
        );
        assert!(took < Duration::from_secs(5), "{host} took {took:?}");
    }
}

#[test]
fn out_of_bounds_pointers_and_oversized_stdin_trap_without_crashing_the_host() {
    for (flag, line) in [
        ("--oob-arg", "adding an argument past the end of memory\n"),
        (
            "--oob-stdout",
            "writing stdout at the last byte of memory\n",
        ),
        ("--huge-stdin", "asking for 300 MiB of stdin\n"),
    ] {
        for (host, out, _) in run_both(
            "process_oob",
            &["--allow-command-all"],
            &[flag, "echo", "some output"],
        ) {
            // A trap: `wedge` exits 134 like WasmEdge, the C host reports the error (100).
            let code = if host == "wedge" { 134 } else { 100 };
            assert_exit(host, &out, code);
            let text = stdout(&out);
            assert!(text.ends_with(line), "{host} {flag}: {text}");
            assert!(
                !text.contains("not reached") && !text.contains("written"),
                "{text}"
            );
            let why = if host == "wedge" {
                "Code: 0x40e"
            } else {
                "run: "
            };
            assert!(stderr(&out).contains(why), "{host}: {}", stderr(&out));
        }
    }
}

#[test]
fn each_run_starts_from_scratch() {
    // The second run has no program name any more (WasmEdge clears the inputs after a run).
    for (host, out, _) in run_both(
        "process_reset",
        &["--allow-command-all"],
        &["--runs", "2", "--timeout", "5000", "echo", "once"],
    ) {
        assert_exit(host, &out, 0);
        assert_eq!(
            stdout(&out),
            "exit=0 code=0 stdout_len=5 stderr_len=0\nstdout:once\n\nstderr:\n\
             exit=-1 code=-1 stdout_len=0 stderr_len=19\nstdout:\nstderr:Command not found.\n\n",
            "{host}"
        );
    }
    for (host, out, _) in run_both(
        "process_resetup",
        &["--allow-command", "echo"],
        &["--runs", "3", "--resetup", "--summary", "echo", "again"],
    ) {
        assert_exit(host, &out, 0);
        assert_eq!(
            stdout(&out),
            "exit=0 code=0 stdout_len=6 stderr_len=0\n".repeat(3),
            "{host}"
        );
    }
}

#[test]
fn two_threads_of_the_c_host_run_commands_at_once() {
    let plugins = plugin_dir("process_threads", &[PROCESS]);
    let mut cmd = c_host(&plugins);
    cmd.args(["--threads", "2", "--allow-command", "sh"])
        .arg(process())
        .args([
            "--runs",
            "5",
            "--resetup",
            "--summary",
            "sh",
            "-c",
            "echo $$",
        ]);
    let out = output(&mut cmd);
    assert_exit("C host, 2 threads", &out, 0);
    let text = stdout(&out);
    // The two guests share the host's stdout, so their lines may interleave.
    assert_eq!(
        text.matches("exit=0 code=0 stdout_len=").count(),
        10,
        "{text}"
    );
}

#[test]
fn wedge_help_lists_the_plugin_s_options() {
    let plugins = plugin_dir("process_help", &[PROCESS]);
    let out = output(wedge(&plugins).args(["run", "--help"]));
    assert_exit("wedge run --help", &out, 0);
    let text = stdout(&out);
    assert!(text.contains("--allow-command VALUE..."), "{text}");
    assert!(text.contains("--allow-command-all"), "{text}");
    // A bare --allow-command (no value) is a usage error.
    let out = output(
        wedge(&plugins)
            .args(["run", "--allow-command", "--allow-command-all"])
            .arg(process())
            .arg("true"),
    );
    assert_exit("bare --allow-command", &out, 1);
}

/// The cost of a run: `/bin/true` started N times by the guest (set up and run each time) against
/// N native spawns from this test. Prints both; fails only if the guest is absurdly slower.
#[test]
fn cost_of_a_run_against_a_native_spawn() {
    const N: u32 = 100;
    let started = Instant::now();
    for _ in 0..N {
        assert!(Command::new("/bin/true").status().unwrap().success());
    }
    let native_us = started.elapsed().as_secs_f64() * 1e6 / f64::from(N);
    for (host, out, _) in run_both(
        "process_cost",
        &["--allow-command", "/bin/true"],
        &["--bench", &N.to_string(), "/bin/true"],
    ) {
        assert_exit(host, &out, 0);
        let text = stdout(&out);
        let guest_us: f64 = text
            .trim()
            .strip_prefix("mean_us=")
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{host}: {text}"));
        println!(
            "wasmedge_process cost ({host}): /bin/true through the guest {guest_us:.0} us per run, \
             natively spawned {native_us:.0} us"
        );
        assert!(
            guest_us < native_us * 20.0 + 20_000.0,
            "{host}: {guest_us} us"
        );
    }
}
