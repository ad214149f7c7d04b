#!/usr/bin/env bash
# The EVMC VM (crates/evmc, libwedge-evmc.so) checked against EVMC's own declarations, and
# measured.
#
#   scripts/evmc.sh --test    the VM's tests with the ABI-7 test host built against EVMC 7.5.0's
#                             own evmc.h (from the crates.io package evmc-sys 7.5.0, cached in
#                             ~/.cache/wedge/evmc); with EVMC_SRC=DIR (an EVMC 12 source tree)
#                             also the ABI-12 host against its evmc.h and loader.c
#   scripts/evmc.sh --bench   the criterion benchmark (ERC-20 transfers through Vm::execute)
#   scripts/evmc.sh --compare LIB
#                             the test host (ABI 7, release build of the VM) runs the ERC-20
#                             sequence and 20000 transfers and balanceOf calls on Wedge and on LIB
#                             (an ABI-7 VM such as WasmEdge-EVMC's libwasmedge-evmc.so), and
#                             prints both; no LIB is fetched or built here
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${WEDGE_EVMC_CACHE:-$HOME/.cache/wedge/evmc}
mode=${1:---test}

# EVMC 7.5.0's evmc.h, as the evmc-sys crate ships it, checked against its registry checksum.
evmc7_headers() {
    local dir=$cache/evmc-sys-7.5.0
    if [ ! -f "$dir/include/evmc/evmc.h" ]; then
        mkdir -p "$dir/include/evmc"
        local crate=$dir/evmc-sys-7.5.0.crate
        curl -sSfL https://static.crates.io/crates/evmc-sys/evmc-sys-7.5.0.crate -o "$crate"
        echo "fb2765b3413282b8017b67400b52403747f562480a09896d4639542a83f2d48b  $crate" | sha256sum -c - >&2
        tar xzf "$crate" -C "$dir" evmc-sys-7.5.0/evmc.h
        mv "$dir/evmc-sys-7.5.0/evmc.h" "$dir/include/evmc/evmc.h"
    fi
    grep -q 'EVMC_ABI_VERSION = 7' "$dir/include/evmc/evmc.h"
    echo "$dir/include"
}

case "$mode" in
--test)
    export WEDGE_EVMC_INCLUDE_7
    WEDGE_EVMC_INCLUDE_7=$(evmc7_headers)
    if [ -n "${EVMC_SRC:-}" ]; then
        export WEDGE_EVMC_INCLUDE_12=$EVMC_SRC/include WEDGE_EVMC_LOADER_12=$EVMC_SRC/lib/loader/loader.c
    fi
    cargo test --manifest-path "$root/Cargo.toml" --locked -p wedge-evmc --test all -- --nocapture
    ;;
--bench)
    cargo bench --manifest-path "$root/Cargo.toml" --locked -p wedge-evmc --bench erc20
    ;;
--compare)
    lib=${2:?usage: $0 --compare LIB}
    cargo build --manifest-path "$root/Cargo.toml" --locked --release -p wedge-evmc
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    cp "${CARGO_TARGET_DIR:-$root/target}/release/libwedge_evmc.so" "$work/libwasmedge-evmc.so"
    host=$root/crates/evmc/tests/host
    cc -std=c11 -O2 -DWEDGE_EVMC_ABI=7 -I"$host/include" -I"$host/loader" \
        -o "$work/host7" "$host/evmc_host.c" "$host/loader/loader.c" -ldl
    token=c000000000000000000000000000000000000001
    pad() { printf '%064s' "$1" | tr ' ' 0; }
    {
        # Deployed as a call, as WasmEdge-EVMC's own test did (its creates fail: see the README).
        echo "deploy 7fffffff $token 1000000 erc20_deploy.wasm"
        echo "call 7fffffff $token 100000 70a08231$(pad 7fffffff)"
        echo "call 7fffffff $token 100000 18160ddd"
        echo "call 7fffffff $token 100000 a9059cbb$(pad b0b)$(pad 14)"
        echo "call 7fffffff $token 100000 095ea7b3$(pad ca401)$(pad 64)"
        echo "call 7fffffff $token 100000 dd62ed3e$(pad 7fffffff)$(pad ca401)"
        echo "call ca401 $token 100000 23b872dd$(pad 7fffffff)$(pad ca401)$(pad 5)"
        echo "call 7fffffff $token 100000 a9059cbb$(pad b0b)$(pad 9999)"
        echo "repeat 20000 7fffffff $token 100000 a9059cbb$(pad b0b)$(pad 0)"
        echo "repeat 20000 7fffffff $token 100000 70a08231$(pad 7fffffff)"
    } > "$work/script"
    cd "$root/crates/evmc/tests/contracts"
    for vm in "$work/libwasmedge-evmc.so" "$lib"; do
        echo "== $vm"
        "$work/host7" "$vm" "$work/script"
    done
    ;;
*)
    echo "usage: $0 [--test | --bench | --compare LIB]" >&2
    exit 2
    ;;
esac
