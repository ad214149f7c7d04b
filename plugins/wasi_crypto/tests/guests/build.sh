#!/bin/sh
# Rebuilds the wasi_crypto test guest (crypto.c -> crypto.wasm, a wasm32-wasi command). The
# .wasm is committed next to its source so the tests need no wasm toolchain; rerun this after
# editing it. wasi_crypto.h declares the imports by hand from the witx types.
#
# Needs clang, wasm-ld and wasi-libc for wasm32-wasi. On Debian 12:
#   apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32
# Set CLANG or SYSROOT to use others. The committed module was built with Debian's clang 14.0.6
# and wasi-libc 0.0~git20220510.9886d3d-2.
set -eu
cd "$(dirname "$0")"
CLANG=${CLANG:-clang}
SYSROOT=${SYSROOT:-/usr}
"$CLANG" --target=wasm32-wasi --sysroot="$SYSROOT" -O2 -Wall -Wextra -Wno-unused-parameter \
    -Wl,--strip-debug -o crypto.wasm crypto.c
