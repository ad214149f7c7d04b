#!/bin/sh
# Rebuilds the guests of the plug-in tests that belong to no one plug-in (PROGRAM.c ->
# PROGRAM.wasm, committed so the tests need no wasm toolchain). Needs clang, wasm-ld and
# wasi-libc for wasm32-wasi (Debian: apt-get install -y clang lld wasi-libc
# libclang-rt-dev-wasm32), and wat2wasm (Debian: wabt) for the .wat ones; set CLANG or
# SYSROOT to use others.
set -eu
cd "$(dirname "$0")"
CLANG=${CLANG:-clang}
SYSROOT=${SYSROOT:-/usr}
for p in standins; do
    "$CLANG" --target=wasm32-wasi --sysroot="$SYSROOT" -O2 -Wall -Wl,--strip-debug -o "$p.wasm" "$p.c"
done
wat2wasm crc32.wat -o crc32.wasm
