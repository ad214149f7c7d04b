#!/bin/sh
# Rebuilds the data files of ours that scripts/rust-sdk.sh crate-tests puts where the SDK
# crates' unit tests look for the SDK repository's: the .wat ones with wat2wasm (Debian: wabt),
# test_crypto.c with clang for wasm32-wasi (Debian: clang lld wasi-libc libclang-rt-dev-wasm32).
# The built .wasm files are committed.
set -eu
cd "$(dirname "$0")"
wat2wasm test.wat -o test.wasm
wat2wasm test_wasm.wat -o test_wasm.wasm
"${CLANG:-clang}" --target=wasm32-wasi --sysroot="${SYSROOT:-/usr}" -O2 -Wall -Wextra \
    -Wl,--strip-debug -o test_crypto.wasm test_crypto.c
