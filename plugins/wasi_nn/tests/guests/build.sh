#!/bin/sh
# Rebuilds the wasi_nn guests (PROGRAM.c -> PROGRAM.wasm), wasm32-wasi commands that import the
# module `wasi_ephemeral_nn`. The .wasm files are committed next to their sources so the tests
# need no wasm toolchain; rerun this after editing a program.
#
# Needs clang, wasm-ld and wasi-libc for wasm32-wasi. On Debian 12:
#   apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32
# Set CLANG or SYSROOT to use others.
set -eu
cd "$(dirname "$0")"
CLANG=${CLANG:-clang}
SYSROOT=${SYSROOT:-/usr}
PROGRAMS="nn_errors nn_onnx nn_bench nn_torch nn_openvino"

for p in $PROGRAMS; do
    "$CLANG" --target=wasm32-wasi --sysroot="$SYSROOT" -O2 -Wall -Wextra -Wno-unused-result \
        -Wl,--strip-debug -o "$p.wasm" "$p.c"
done
