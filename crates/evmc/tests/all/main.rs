//! `libwedge-evmc.so` loaded by a C Ethereum client (`tests/host/evmc_host.c`) through the EVMC
//! loader API, built for EVMC ABI 12 and for ABI 7: an ERC-20 token deployed and used, a
//! contract calling it, and every way a contract can fail.
//!
//! The host is built against the EVMC declarations and loader in `tests/host`, written from
//! EVMC's documentation, unless `WEDGE_EVMC_INCLUDE_<ABI>` names a directory with EVMC's own
//! `evmc/evmc.h` (and `evmc/loader.h`) of that ABI, and `WEDGE_EVMC_LOADER_<ABI>` EVMC's own
//! `loader.c`: `scripts/evmc.sh` sets them to EVMC's headers from crates.io (ABI 7) and to an
//! EVMC source tree given to it.
//!
//! The gas figures are WasmEdge-EVMC's schedule applied to the host calls each entry point of
//! `tests/contracts/erc20.c` makes; the comments add them up.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const OWNER: &str = "7fffffff";
const TOKEN: &str = "c000000000000000000000000000000000000001";
const PROXY: &str = "99";

/// A fresh, empty directory for one test.
fn fresh_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("wedge-evmc-tests")
        .join(test);
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap();
    }
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn source(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The VM library under the names hosts load it by, and the test host for each ABI.
struct Setup {
    lib: PathBuf,
    host7: PathBuf,
    host12: PathBuf,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let dir = fresh_dir("setup");
        let exe = std::env::current_exe().unwrap();
        let built = exe.parent().unwrap().join("libwedge_evmc.so");
        assert!(built.exists(), "{} is missing", built.display());
        fs::copy(&built, dir.join("libwedge-evmc.so")).unwrap();
        for alias in ["libwasmedge-evmc.so", "libssvm-evmc.so", "libother-vm.so"] {
            std::os::unix::fs::symlink("libwedge-evmc.so", dir.join(alias)).unwrap();
        }
        let host = |abi: u32| {
            let exe = dir.join(format!("evmc_host{abi}"));
            let compiler = std::env::var_os("CC").unwrap_or_else(|| "cc".into());
            let include = std::env::var_os(format!("WEDGE_EVMC_INCLUDE_{abi}"))
                .map_or_else(|| source("tests/host/include"), PathBuf::from);
            let loader = std::env::var_os(format!("WEDGE_EVMC_LOADER_{abi}"))
                .map_or_else(|| source("tests/host/loader/loader.c"), PathBuf::from);
            eprintln!(
                "ABI {abi} host: {} and {}",
                include.display(),
                loader.display()
            );
            let out = Command::new(compiler)
                .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-O1"])
                .arg(format!("-DWEDGE_EVMC_ABI={abi}"))
                .arg("-I")
                .arg(include)
                .arg("-I")
                .arg(source("tests/host/loader"))
                .arg(source("tests/host/evmc_host.c"))
                .arg(loader)
                .arg("-o")
                .arg(&exe)
                .arg("-ldl")
                .output()
                .expect("cc runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            exe
        };
        let (host7, host12) = (host(7), host(12));
        Setup {
            lib: dir,
            host7,
            host12,
        }
    })
}

/// Runs `script` in the host for `abi`, loading the library as `lib_name`; returns its lines.
fn run_host(abi: u32, lib_name: &str, script: &str, env: &[(&str, &str)]) -> Vec<String> {
    let s = setup();
    let host = if abi == 7 { &s.host7 } else { &s.host12 };
    let dir = fresh_dir(&format!("run-{abi}-{lib_name}-{:x}", hash(script)));
    let script_file = dir.join("script");
    fs::write(&script_file, script).unwrap();
    let out = Command::new(host)
        .arg(s.lib.join(lib_name))
        .arg(&script_file)
        .current_dir(source("tests/contracts"))
        .env_remove("WEDGE_EVMC_ABI")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "host failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// A 32-byte ABI word holding `n`.
fn word(n: u64) -> String {
    format!("{n:064x}")
}

/// An address as an ABI word.
fn addr(a: &str) -> String {
    format!("{a:0>64}")
}

/// Writes the WAT `text` as a `.wasm` file in `dir`.
fn wasm(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, wat::parse_str(text).unwrap()).unwrap();
    path
}

/// Gas of the token's entry points, from the EEI schedule: `useGas(100)` at entry,
/// `getCallDataSize` 2 (twice: the dispatcher and the argument check), `callDataCopy` 3 + 3 per
/// word, a Keccak key 700 + 6 for 64 bytes plus `returnDataCopy` 3 + 3, `storageLoad` 200,
/// `storageStore` 5000 (+15000 from zero), `getCaller` 2, `log` with 3 topics and 32 bytes
/// 375 + 3 * 375 + 8 * 32.
mod gas {
    pub const KEY: i64 = 706 + 6;
    pub const LOG: i64 = 375 + 3 * 375 + 8 * 32;
    /// Entry, two data-size checks, the copy of 4 + 32 * args bytes.
    pub const fn entry(args: i64) -> i64 {
        100 + 2 + 2 + 3 + 3 * ((4 + 32 * args + 31) / 32)
    }
    /// Deployment: caller, total supply and balance stored from zero, a key, a log.
    pub const DEPLOY: i64 = 100 + 2 + 20000 + KEY + 20000 + LOG;
    pub const TOTAL_SUPPLY: i64 = entry(0) + 200;
    pub const BALANCE_OF: i64 = entry(1) + KEY + 200;
    /// Two keys, two loads, a store over a nonzero balance and one from zero, a log.
    pub const TRANSFER_TO_NEW: i64 = entry(2) + 2 + 2 * KEY + 2 * 200 + 5000 + 20000 + LOG;
    pub const TRANSFER_TO_HOLDER: i64 = entry(2) + 2 + 2 * KEY + 2 * 200 + 5000 + 5000 + LOG;
    /// An allowance key is two hashes.
    pub const APPROVE_NEW: i64 = entry(2) + 2 + 2 * KEY + 20000 + LOG;
    pub const ALLOWANCE: i64 = entry(2) + 2 * KEY + 200;
    pub const TRANSFER_FROM_TO_NEW: i64 =
        entry(3) + 2 + 2 * KEY + 200 + 5000 + TRANSFER_TO_NEW - entry(2) - 2;
}

/// The ERC-20 sequence: deploy, read, transfer, approve, transferFrom, read again.
fn erc20_script() -> String {
    let bob = "b0b";
    let carol = "ca401";
    [
        "create 7fffffff 1000000 erc20_deploy.wasm".to_string(),
        "logs".to_string(),
        format!("call {OWNER} {TOKEN} 100000 70a08231{}", addr(OWNER)),
        format!("call {OWNER} {TOKEN} 100000 18160ddd"),
        format!(
            "call {OWNER} {TOKEN} 100000 a9059cbb{}{}",
            addr(bob),
            word(20)
        ),
        "logs".to_string(),
        format!(
            "call {OWNER} {TOKEN} 100000 095ea7b3{}{}",
            addr(carol),
            word(300)
        ),
        format!(
            "call {OWNER} {TOKEN} 100000 dd62ed3e{}{}",
            addr(OWNER),
            addr(carol)
        ),
        format!(
            "call {carol} {TOKEN} 100000 23b872dd{}{}{}",
            addr(OWNER),
            addr(carol),
            word(120)
        ),
        format!(
            "call {OWNER} {TOKEN} 100000 dd62ed3e{}{}",
            addr(OWNER),
            addr(carol)
        ),
        format!("call {OWNER} {TOKEN} 100000 70a08231{}", addr(OWNER)),
        format!("call {OWNER} {TOKEN} 100000 70a08231{}", addr(bob)),
        format!("call {OWNER} {TOKEN} 100000 70a08231{}", addr(carol)),
        format!("call {OWNER} {TOKEN} 100000 18160ddd"),
        // A second transfer to a holder pays 5000, not 20000, for the new balance.
        format!(
            "call {OWNER} {TOKEN} 100000 a9059cbb{}{}",
            addr(bob),
            word(1)
        ),
    ]
    .join("\n")
}

fn call_line(gas_used: i64, output: &str) -> String {
    format!("call 0 {} {output}", 100_000 - gas_used)
}

fn expected_erc20(abi: u32) -> Vec<String> {
    let log = |from: &str, amount: u64| {
        let _ = from;
        format!("log {TOKEN} 3 {}", word(amount))
    };
    let ok = word(1);
    vec![
        format!("vm {abi} wedge 0.1.0 2"),
        format!("create 0 {} {TOKEN}", 1_000_000 - gas::DEPLOY),
        log(OWNER, 1000),
        call_line(gas::BALANCE_OF, &word(1000)),
        call_line(gas::TOTAL_SUPPLY, &word(1000)),
        call_line(gas::TRANSFER_TO_NEW, &ok),
        log(OWNER, 20),
        call_line(gas::APPROVE_NEW, &ok),
        call_line(gas::ALLOWANCE, &word(300)),
        call_line(gas::TRANSFER_FROM_TO_NEW, &ok),
        call_line(gas::ALLOWANCE, &word(180)),
        call_line(gas::BALANCE_OF, &word(860)),
        call_line(gas::BALANCE_OF, &word(20)),
        call_line(gas::BALANCE_OF, &word(120)),
        call_line(gas::TOTAL_SUPPLY, &word(1000)),
        call_line(gas::TRANSFER_TO_HOLDER, &ok),
    ]
}

#[test]
fn an_erc20_token_deploys_and_works_through_evmc_abi_12() {
    let lines = run_host(12, "libwedge-evmc.so", &erc20_script(), &[]);
    assert_eq!(lines, expected_erc20(12));
}

#[test]
fn an_erc20_token_deploys_and_works_through_evmc_abi_7() {
    // Under WasmEdge-EVMC's file name EVMC's loader finds the ABI-7 create function.
    let lines = run_host(7, "libwasmedge-evmc.so", &erc20_script(), &[]);
    assert_eq!(lines, expected_erc20(7));
    let lines = run_host(7, "libssvm-evmc.so", "", &[]);
    assert_eq!(lines, ["vm 7 wedge 0.1.0 2"]);
}

#[test]
fn the_file_name_or_wedge_evmc_abi_picks_the_abi_and_a_mismatch_is_refused() {
    // An ABI-7 host loading the ABI-12 name gets the loader's mismatch error, and survives.
    let lines = run_host(7, "libwedge-evmc.so", "", &[]);
    assert_eq!(lines.len(), 1);
    assert!(lines[0].starts_with("load-error 5 "), "{lines:?}");
    // Under another name the loader falls back to `evmc_create`: ABI 12 unless asked for 7.
    assert_eq!(
        run_host(12, "libother-vm.so", "", &[]),
        ["vm 12 wedge 0.1.0 2"]
    );
    assert_eq!(
        run_host(7, "libother-vm.so", "", &[("WEDGE_EVMC_ABI", "7")]),
        ["vm 7 wedge 0.1.0 2"]
    );
}

#[test]
fn out_of_gas_revert_trap_and_malformed_contracts_get_their_status() {
    let dir = fresh_dir("failures");
    let w = |name: &str, text: &str| wasm(&dir, name, text).display().to_string();
    let unreachable = w(
        "unreachable.wasm",
        r#"(module (memory (export "memory") 1) (func (export "main") unreachable))"#,
    );
    let div = w(
        "div.wasm",
        r#"(module (memory (export "memory") 1)
             (func (export "main") (drop (i32.div_s (i32.const 1) (i32.const 0)))))"#,
    );
    let recursion = w(
        "recursion.wasm",
        r#"(module (memory (export "memory") 1) (func $f (export "main") (call $f)))"#,
    );
    let start = w(
        "start.wasm",
        r#"(module (memory (export "memory") 1) (func $m (export "main")) (start $m))"#,
    );
    let env_import = w(
        "import.wasm",
        r#"(module (import "env" "abort" (func)) (memory (export "memory") 1) (func (export "main")))"#,
    );
    let garbage = dir.join("garbage.wasm");
    fs::write(&garbage, b"\0asm\x01\0\0\0\x01\xff\xff").unwrap();
    let script = [
        "create 7fffffff 1000000 erc20_deploy.wasm".to_string(),
        // Out of gas: a transfer given less than it needs.
        format!(
            "call {OWNER} {TOKEN} 20000 a9059cbb{}{}",
            addr("b0b"),
            word(20)
        ),
        // Revert: more than the balance; the unused gas comes back, the state is unchanged.
        format!(
            "call {OWNER} {TOKEN} 100000 a9059cbb{}{}",
            addr("b0b"),
            word(5000)
        ),
        format!("call {OWNER} {TOKEN} 100000 70a08231{}", addr(OWNER)),
        // An unknown selector reverts too.
        format!("call {OWNER} {TOKEN} 100000 deadbeef"),
        format!("code 1 {unreachable}"),
        format!("call {OWNER} 1 100000"),
        format!("code 2 {div}"),
        format!("call {OWNER} 2 100000"),
        format!("code 3 {recursion}"),
        format!("call {OWNER} 3 100000"),
        format!("code 4 {start}"),
        format!("call {OWNER} 4 100000"),
        format!("code 5 {env_import}"),
        format!("call {OWNER} 5 100000"),
        format!("code 6 {}", garbage.display()),
        format!("call {OWNER} 6 100000"),
        // A create whose init code returns something that is not a contract.
        format!("create {OWNER} 100000 {}", garbage.display()),
        // After all of it the VM still serves.
        format!("call {OWNER} {TOKEN} 100000 18160ddd"),
    ]
    .join("\n");
    for (abi, name) in [(12, "libwedge-evmc.so"), (7, "libwasmedge-evmc.so")] {
        let lines = run_host(abi, name, &script, &[]);
        // Revert after the entry, the argument check, the balance key and load.
        let revert_gas = gas::entry(2) + 2 + gas::KEY + 200;
        assert_eq!(
            &lines[1..],
            [
                format!("create 0 {} {TOKEN}", 1_000_000 - gas::DEPLOY),
                "call 3 0 -".into(),
                format!("call 2 {} -", 100_000 - revert_gas),
                call_line(gas::BALANCE_OF, &word(1000)),
                format!("call 2 {} -", 100_000 - (100 + 2 + 3 + 3)),
                "call 15 0 -".into(),
                "call 16 0 -".into(),
                "call 16 0 -".into(),
                "call 13 0 -".into(),
                "call 13 0 -".into(),
                "call 13 0 -".into(),
                "create 13 0 -".into(),
                call_line(gas::TOTAL_SUPPLY, &word(1000)),
            ],
            "ABI {abi}"
        );
    }
}

#[test]
fn a_contract_calls_another_through_the_host() {
    let dir = fresh_dir("proxy");
    // Forwards its call data to the token with 50000 gas and returns (or reverts with) what
    // the token returned.
    let proxy = wasm(
        &dir,
        "proxy.wasm",
        r#"(module
  (import "ethereum" "call" (func $call (param i64 i32 i32 i32 i32) (result i32)))
  (import "ethereum" "getCallDataSize" (func $size (result i32)))
  (import "ethereum" "callDataCopy" (func $copy (param i32 i32 i32)))
  (import "ethereum" "getReturnDataSize" (func $rsize (result i32)))
  (import "ethereum" "returnDataCopy" (func $rcopy (param i32 i32 i32)))
  (import "ethereum" "finish" (func $finish (param i32 i32)))
  (import "ethereum" "revert" (func $revert (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\c0\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\01")
  (func (export "main") (local $n i32) (local $r i32)
    (call $copy (i32.const 100) (i32.const 0) (local.tee $n (call $size)))
    (local.set $r (call $call (i64.const 50000) (i32.const 0) (i32.const 32) (i32.const 100) (local.get $n)))
    (call $rcopy (i32.const 1000) (i32.const 0) (call $rsize))
    (if (local.get $r) (then (call $revert (i32.const 1000) (call $rsize))))
    (call $finish (i32.const 1000) (call $rsize))))"#,
    );
    let script = [
        "create 7fffffff 1000000 erc20_deploy.wasm".to_string(),
        format!("code {PROXY} {}", proxy.display()),
        // The owner gives the proxy 5 tokens; the proxy passes them on to bob.
        format!(
            "call {OWNER} {TOKEN} 100000 a9059cbb{}{}",
            addr(PROXY),
            word(5)
        ),
        format!(
            "call {OWNER} {PROXY} 100000 a9059cbb{}{}",
            addr("b0b"),
            word(2)
        ),
        format!("call {OWNER} {PROXY} 100000 70a08231{}", addr(PROXY)),
        // The token reverts; so does the proxy, after the token's gas came back.
        format!(
            "call {OWNER} {PROXY} 100000 a9059cbb{}{}",
            addr("b0b"),
            word(50)
        ),
    ]
    .join("\n");
    // The proxy's own costs: the data size, its copy, the call's 700, two return-data sizes and
    // a copy of the return data (32 bytes, or none after a revert); the token uses what it uses
    // of the 50000 it was given.
    let proxy = |args: i64, returned: i64, token: i64| {
        2 + 3 + 3 * ((4 + 32 * args + 31) / 32) + 700 + 2 + 3 + 3 * returned / 32 + 2 + token
    };
    for (abi, name) in [(12, "libwedge-evmc.so"), (7, "libwasmedge-evmc.so")] {
        let lines = run_host(abi, name, &script, &[]);
        let revert_gas = gas::entry(2) + 2 + gas::KEY + 200;
        assert_eq!(
            &lines[2..],
            [
                call_line(gas::TRANSFER_TO_NEW, &word(1)),
                call_line(proxy(2, 32, gas::TRANSFER_TO_NEW), &word(1)),
                call_line(proxy(1, 32, gas::BALANCE_OF), &word(3)),
                format!("call 2 {} -", 100_000 - proxy(2, 0, revert_gas)),
            ],
            "ABI {abi}"
        );
    }
}
