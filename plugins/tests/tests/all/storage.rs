//! The storage plug-in (`plugins/wasmedge_storage`): `storage.c` runs a script of storage
//! operations given as its arguments (`bs si32:1 es bl li32 ...`, see the guest), through the
//! WasmEdge 0.8 ABI (`wasmedge_native`) or the SSVM 0.7 ABI (`ssvm_native`, `--ssvm`).
//!
//! `wedge run` gets the database's directory from `--storage-dir`; the C host cannot pass plug-in
//! options, so it uses the default directory, `$XDG_DATA_HOME/wedge/storage`, with
//! `XDG_DATA_HOME` set to the test's directory. Both hosts thus share one database per test.

use std::io::{BufRead, BufReader, Lines};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Output, Stdio};

use crate::{
    PluginLib, assert_exit, assert_success, c_host, guest, output, plugin_dir, stderr, stdout,
    wedge,
};

const STORAGE: PluginLib = PluginLib {
    lib: "wedge_plugin_storage",
    package: "wedge-plugin-storage",
};

const KEY_A: &str = "key:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const KEY_B: &str = "key:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

/// Which program runs the guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Host {
    Wedge,
    C,
}

const HOSTS: [Host; 2] = [Host::Wedge, Host::C];

/// A test's plug-in directory and data directory (`XDG_DATA_HOME`).
struct Setup {
    plugins: PathBuf,
    xdg: PathBuf,
}

impl Setup {
    fn new(test: &str) -> Self {
        let plugins = plugin_dir(test, &[STORAGE]);
        let xdg = plugins.parent().unwrap().join("xdg");
        Self { plugins, xdg }
    }

    /// The storage directory both hosts use: the C host's default.
    fn storage_dir(&self) -> PathBuf {
        self.xdg.join("wedge/storage")
    }

    /// The guest run by `host` with `args`, after `flags`: `wedge run`'s (plug-in options, after
    /// `--storage-dir`) or the C host's (`--threads N`; it has no storage options).
    fn cmd(&self, host: Host, flags: &[&str], args: &[&str]) -> Command {
        let mut cmd = match host {
            Host::Wedge => {
                let mut cmd = wedge(&self.plugins);
                cmd.arg("run")
                    .arg("--storage-dir")
                    .arg(self.storage_dir())
                    .args(flags);
                cmd
            }
            Host::C => {
                let mut cmd = c_host(&self.plugins);
                cmd.args(flags);
                cmd
            }
        };
        cmd.env("XDG_DATA_HOME", &self.xdg)
            .arg(guest("wasmedge_storage", "storage"))
            .args(args);
        cmd
    }

    fn run(&self, host: Host, args: &[&str]) -> Output {
        output(&mut self.cmd(host, &[], args))
    }
}

/// `OP ok` for each operation, as the guest prints them (without the values it loads).
fn oks(ops: &[&str]) -> String {
    ops.iter().map(|op| format!("{op} ok\n")).collect()
}

/// Asserts that the run failed (a trap: `wedge` reports it and exits non-zero, the C host exits
/// 100), that its stdout is `expected` and its stderr says `message`.
fn assert_trapped(what: &str, out: &Output, expected: &str, message: &str) {
    assert!(
        !out.status.success(),
        "{what}: the run succeeded:\n{}",
        stdout(out)
    );
    assert_eq!(stdout(out), expected, "{what}");
    assert!(
        stderr(out).contains(message),
        "{what}: stderr does not say {message:?}:\n{}",
        stderr(out)
    );
}

/// A guest that commits `committed` under `KEY_A`, then begins a store under `KEY_B`, stores
/// into it, and waits (before `endStoreTx`) until its stdin closes: the child, once it printed
/// `waiting`, and the rest of its stdout (which must be read: the C host dies of `SIGPIPE` when
/// its stdout is closed).
fn hold(setup: &Setup, host: Host) -> (Child, Lines<BufReader<ChildStdout>>) {
    let mut child = setup
        .cmd(
            host,
            &[],
            &[
                KEY_A, "bs", "si32:11", "si64:-22", "es", KEY_B, "bs", "si32:33", "wait",
            ],
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    loop {
        match lines.next() {
            Some(Ok(line)) if line == "waiting" => break,
            Some(Ok(_)) => {}
            other => {
                let _ = child.kill();
                let out = child.wait_with_output().unwrap();
                panic!(
                    "{host:?}: the holder stopped ({other:?}):\n{}",
                    stderr(&out)
                );
            }
        }
    }
    (child, lines)
}

/// What loading `KEY_A` as `hold` committed it prints.
fn committed_by_hold() -> String {
    format!("{KEY_A} ok\nbl ok\ni32=11\nli32 ok\ni64=-22\nli64 ok\n")
}

#[test]
fn a_value_stored_by_one_process_is_loaded_by_the_next_through_both_hosts_and_both_abis() {
    for host in HOSTS {
        let setup = Setup::new(&format!("storage_roundtrip_{host:?}"));
        // Through wasmedge_native, with a key from createUUID.
        let out = setup.run(
            host,
            &["uuid", "bs", "si32:-5", "si64:123456789012", "si32:7", "es"],
        );
        assert_success(&format!("{host:?} store"), &out);
        let text = stdout(&out);
        let uuid = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("uuid="))
            .unwrap_or_else(|| panic!("{host:?}: no uuid in {text:?}"))
            .to_owned();
        assert!(
            uuid.len() == 32
                && uuid
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
            "{host:?}: createUUID gave {uuid:?}"
        );
        let key = format!("key:{uuid}");
        // The next process, through ssvm_native (the same data), reads it in order, rewinds with
        // endLoadTx, and reads again.
        let out = setup.run(
            host,
            &["--ssvm", &key, "bl", "li32", "li64", "li32", "el", "li32"],
        );
        assert_success(&format!("{host:?} load"), &out);
        assert_eq!(
            stdout(&out),
            format!(
                "{key} ok\nbl ok\ni32=-5\nli32 ok\ni64=123456789012\nli64 ok\ni32=7\nli32 ok\n\
                 el ok\ni32=-5\nli32 ok\n"
            ),
            "{host:?}"
        );
        // A second store under the key replaces the value.
        let out = setup.run(host, &["--ssvm", &key, "bs", "si64:9", "es"]);
        assert_success(&format!("{host:?} restore"), &out);
        let out = setup.run(host, &[&key, "bl", "li64"]);
        assert_eq!(
            stdout(&out),
            format!("{key} ok\nbl ok\ni64=9\nli64 ok\n"),
            "{host:?}"
        );
        assert!(
            setup.storage_dir().join("storage.redb").is_file(),
            "{host:?}"
        );
    }
}

#[test]
fn without_xdg_data_home_the_database_is_under_home_local_share() {
    let setup = Setup::new("storage_home");
    let home = setup.xdg.parent().unwrap().join("home");
    let out = output(
        wedge(&setup.plugins)
            .arg("run")
            .arg(guest("wasmedge_storage", "storage"))
            .args([KEY_A, "bs", "si32:1", "es"])
            .env_remove("XDG_DATA_HOME")
            .env("HOME", &home),
    );
    assert_success("store", &out);
    assert!(
        home.join(".local/share/wedge/storage/storage.redb")
            .is_file()
    );
}

#[test]
fn a_kill_9_in_the_middle_of_a_store_transaction_leaves_only_the_committed_values() {
    for host in HOSTS {
        let setup = Setup::new(&format!("storage_kill_{host:?}"));
        let (mut child, _rest) = hold(&setup, host);
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        assert!(!status.success(), "{host:?}: {status}");
        let out = setup.run(host, &[KEY_A, "bl", "li32", "li64"]);
        assert_success(&format!("{host:?} load committed"), &out);
        assert_eq!(stdout(&out), committed_by_hold(), "{host:?}");
        let out = setup.run(host, &[KEY_B, "bl"]);
        assert_trapped(
            &format!("{host:?} load unfinished"),
            &out,
            &oks(&[KEY_B]),
            "[wasmedge_storage] beginLoadTx: no value is stored under the key \
             \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"",
        );
    }
}

#[test]
fn an_unknown_key_reading_past_the_end_and_end_store_without_begin_trap_with_a_log_line() {
    for host in HOSTS {
        let setup = Setup::new(&format!("storage_errors_{host:?}"));
        let out = setup.run(host, &[KEY_A, "bl", "li32"]);
        assert_trapped(
            &format!("{host:?} unknown key"),
            &out,
            &oks(&[KEY_A]),
            "[wasmedge_storage] beginLoadTx: no value is stored under the key \
             \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
        );
        let out = setup.run(
            host,
            &[KEY_A, "bs", "si32:1", "si32:2", "es", "bl", "li32", "li64"],
        );
        assert_trapped(
            &format!("{host:?} past the end"),
            &out,
            &format!(
                "{}i32=1\nli32 ok\n",
                oks(&[KEY_A, "bs", "si32:1", "si32:2", "es", "bl"])
            ),
            "[wasmedge_storage] loadI64: load of 8 bytes at offset 4 is past the end of the \
             8-byte value",
        );
        let out = setup.run(host, &["--ssvm", "li32"]);
        assert_trapped(
            &format!("{host:?} load without a transaction"),
            &out,
            "",
            "[wasmedge_storage] loadI32: load of 4 bytes at offset 0 is past the end of the \
             0-byte value",
        );
        let out = setup.run(host, &["es"]);
        assert_trapped(
            &format!("{host:?} endStoreTx alone"),
            &out,
            "",
            "[wasmedge_storage] endStoreTx: endStoreTx without beginStoreTx",
        );
        // A key that is not all in memory: WasmEdge's out-of-bounds error, no log line needed.
        let out = setup.run(host, &["bad-key"]);
        assert!(!out.status.success(), "{host:?}: bad-key succeeded");
        assert_eq!(stdout(&out), "", "{host:?}");
        let err = stderr(&out);
        assert!(
            err.contains("0x408") || err.contains("out of bounds memory access"),
            "{host:?}: {err}"
        );
        // The failures stored nothing.
        let out = setup.run(host, &[KEY_A, "bl", "li32", "li32"]);
        assert_exit(&format!("{host:?} still there"), &out, 0);
    }
}

#[test]
fn a_second_process_on_the_same_directory_gets_a_clear_error_and_corrupts_nothing() {
    for host in HOSTS {
        let setup = Setup::new(&format!("storage_lock_{host:?}"));
        let (mut holder, rest) = hold(&setup, host);
        for other in HOSTS {
            let out = setup.run(other, &[KEY_A, "bl"]);
            assert_trapped(
                &format!("{host:?} holds, {other:?} loads"),
                &out,
                &oks(&[KEY_A]),
                "Database already open. Cannot acquire lock.",
            );
            assert!(
                stderr(&out)
                    .contains("[wasmedge_storage] beginLoadTx: cannot open the storage database"),
                "{}",
                stderr(&out)
            );
            let out = setup.run(other, &[KEY_A, "bs", "si32:99", "es"]);
            assert_trapped(
                &format!("{host:?} holds, {other:?} stores"),
                &out,
                &oks(&[KEY_A, "bs", "si32:99"]),
                "[wasmedge_storage] endStoreTx: cannot open the storage database",
            );
        }
        // The holder is unharmed: it still ends normally when its stdin closes, and the value it
        // committed is the one stored (the refused store changed nothing).
        drop(holder.stdin.take());
        let rest: Vec<String> = rest.map(Result::unwrap).collect();
        let status = holder.wait().unwrap();
        assert!(status.success(), "{host:?}: the holder ended with {status}");
        assert_eq!(rest, ["wait ok"], "{host:?}");
        let out = setup.run(host, &[KEY_A, "bl", "li32", "li64"]);
        assert_success(&format!("{host:?} load after"), &out);
        assert_eq!(stdout(&out), committed_by_hold(), "{host:?}");
    }
}

#[test]
fn two_namespaces_do_not_see_each_other_s_keys() {
    let setup = Setup::new("storage_namespaces");
    let run = |flags: &[&str], args: &[&str]| output(&mut setup.cmd(Host::Wedge, flags, args));
    let a = ["--storage-namespace", "alice"];
    let b = ["--storage-namespace=bob"];
    assert_success("alice stores", &run(&a, &[KEY_A, "bs", "si32:1", "es"]));
    let out = run(&b, &[KEY_A, "bl"]);
    assert_trapped(
        "bob loads alice's key",
        &out,
        &oks(&[KEY_A]),
        "no value is stored",
    );
    assert_success("bob stores", &run(&b, &[KEY_A, "bs", "si32:2", "es"]));
    // The default namespace (the C host's, which takes no options) has neither.
    let out = setup.run(Host::C, &[KEY_A, "bl"]);
    assert_trapped("default loads", &out, &oks(&[KEY_A]), "no value is stored");
    assert_eq!(
        stdout(&run(&a, &[KEY_A, "bl", "li32"])),
        format!("{}i32=1\nli32 ok\n", oks(&[KEY_A, "bl"]))
    );
    assert_eq!(
        stdout(&run(&b, &[KEY_A, "bl", "li32"])),
        format!("{}i32=2\nli32 ok\n", oks(&[KEY_A, "bl"]))
    );
}

#[test]
fn vms_on_several_threads_of_one_process_share_the_database() {
    // Two VMs, so two instances of each module, in one process: the second instance must use
    // the handle the first opened (redb refuses a second one on the same file).
    let setup = Setup::new("storage_threads");
    let script = [
        KEY_A,
        "bs",
        "si32:5",
        "es",
        "bl",
        "li32",
        "bench-store:20",
        "bench-load:20",
    ];
    let out = output(&mut setup.cmd(Host::C, &["--threads", "2"], &script));
    assert_success("two threads", &out);
    assert!(stdout(&out).contains("i32=5\n"), "{}", stdout(&out));
    assert_eq!(
        stdout(&out).matches("bench-load:20 ok").count(),
        2,
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_database_file_that_is_not_redb_s_is_a_clear_error_and_is_left_as_it_was() {
    for host in HOSTS {
        let setup = Setup::new(&format!("storage_corrupt_{host:?}"));
        std::fs::create_dir_all(setup.storage_dir()).unwrap();
        let file = setup.storage_dir().join("storage.redb");
        let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 + 3) as u8).collect();
        std::fs::write(&file, &garbage).unwrap();
        let out = setup.run(host, &[KEY_A, "bs", "si32:1", "es"]);
        assert_trapped(
            &format!("{host:?} store"),
            &out,
            &oks(&[KEY_A, "bs", "si32:1"]),
            "[wasmedge_storage] endStoreTx: cannot open the storage database",
        );
        assert!(
            stderr(&out).contains("Not a redb database"),
            "{}",
            stderr(&out)
        );
        assert_eq!(std::fs::read(&file).unwrap(), garbage, "{host:?}");
    }
}
