//! The `ethereum` plug-in (`plugins/ethereum`): `wedge --reactor CONTRACT main` runs the ERC-20
//! ewasm contract of the EVMC VM's tests (`crates/evmc/tests/contracts`) on a chain kept in a
//! JSON file, one call per run: deploy, read, transfer, a revert that leaves the file alone, a
//! run out of gas, and a bad option.

use std::path::{Path, PathBuf};

use crate::{
    PluginLib, assert_exit, fresh_dir, output, plugin_dir, repo_root, stderr, stdout, wedge,
};

const ETHEREUM: PluginLib = PluginLib {
    lib: "wedge_plugin_ethereum",
    package: "wedge-plugin-ethereum",
};

const OWNER: &str = "0x7fffffff";
const BOB: &str = "0xb0b";

fn contract(name: &str) -> PathBuf {
    repo_root().join("crates/evmc/tests/contracts").join(name)
}

/// A 32-byte word of `n`, as the Solidity ABI and the contract's output write it.
fn word(n: u64) -> String {
    format!("{n:064x}")
}

fn arg_address(a: &str) -> String {
    format!("{:0>64}", a.trim_start_matches("0x"))
}

/// Runs `contract`'s `main` as `caller` with `call_data` on the chain in `state`.
fn run(
    plugins: &Path,
    state: &Path,
    caller: &str,
    contract_file: &str,
    call_data: &str,
    gas: &str,
) -> std::process::Output {
    output(
        wedge(plugins)
            .arg("--eei-state")
            .arg(state)
            .args(["--eei-address", "0xc0", "--eei-caller", caller])
            .args(["--eei-call-data", call_data, "--eei-gas", gas])
            .arg("--reactor")
            .arg(contract(contract_file))
            .arg("main"),
    )
}

#[test]
fn an_erc20_contract_runs_on_a_chain_in_a_json_file() {
    let plugins = plugin_dir("ethereum_erc20", &[ETHEREUM]);
    let state = fresh_dir("ethereum_erc20_state").join("chain.json");
    let balance_of = |who: &str| format!("0x70a08231{}", arg_address(who));
    let transfer = |to: &str, n: u64| format!("0xa9059cbb{}{}", arg_address(to), word(n));

    // The deployment code mints 1000 to its caller and returns the runtime code.
    let out = run(&plugins, &state, OWNER, "erc20_deploy.wasm", "", "1000000");
    assert_exit("deploy", &out, 0);
    let runtime = std::fs::read(contract("erc20.wasm")).unwrap();
    let hex: String = runtime.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(stdout(&out), format!("0x{hex}\n"));
    assert!(
        stderr(&out)
            .contains("[ethereum] log 0x00000000000000000000000000000000000000c0 [0xddf252ad"),
        "{}",
        stderr(&out)
    );

    let out = run(
        &plugins,
        &state,
        OWNER,
        "erc20.wasm",
        &balance_of(OWNER),
        "100000",
    );
    assert_exit("balanceOf", &out, 0);
    assert_eq!(stdout(&out), format!("0x{}\n", word(1000)));

    let out = run(
        &plugins,
        &state,
        OWNER,
        "erc20.wasm",
        &transfer(BOB, 20),
        "100000",
    );
    assert_exit("transfer", &out, 0);
    assert_eq!(stdout(&out), format!("0x{}\n", word(1)));

    // More than the balance: the contract reverts, the command fails, the file stays.
    let before = std::fs::read(&state).unwrap();
    let out = run(
        &plugins,
        &state,
        OWNER,
        "erc20.wasm",
        &transfer(BOB, 5000),
        "100000",
    );
    assert_exit("revert", &out, 134);
    assert!(
        stderr(&out).contains("[ethereum] revert: 0x\n"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&state).unwrap(), before);

    // Too little gas for a transfer (it needs 28698 to a new holder, 13698 to bob).
    let out = run(
        &plugins,
        &state,
        OWNER,
        "erc20.wasm",
        &transfer("0xca401", 1),
        "20000",
    );
    assert_exit("out of gas", &out, 134);
    assert!(stderr(&out).contains("out of gas"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&state).unwrap(), before);

    for (who, n) in [(OWNER, 980), (BOB, 20), ("0xca401", 0)] {
        let out = run(
            &plugins,
            &state,
            OWNER,
            "erc20.wasm",
            &balance_of(who),
            "100000",
        );
        assert_exit("balanceOf", &out, 0);
        assert_eq!(stdout(&out), format!("0x{}\n", word(n)), "{who}");
    }

    // A bad option fails the first EEI call, and says why.
    let out = run(
        &plugins,
        &state,
        "0xnope",
        "erc20.wasm",
        &balance_of(OWNER),
        "100000",
    );
    assert_exit("bad caller", &out, 134);
    assert!(
        stderr(&out).contains("--eei-caller 0xnope: not hex"),
        "{}",
        stderr(&out)
    );
}
