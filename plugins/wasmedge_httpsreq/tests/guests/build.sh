#!/bin/sh
# Rebuilds the wasmedge_httpsreq test guests (GUEST.c -> GUEST.wasm). The .wasm files are committed
# next to their sources so the tests need no wasm toolchain; rerun this after editing a guest.
# Needs clang, wasm-ld and wasi-libc for wasm32-wasi (Debian 12: clang lld wasi-libc).
set -eu
cd "$(dirname "$0")"
CLANG=${CLANG:-clang}
SYSROOT=${SYSROOT:-/usr}
for p in httpsreq; do
    "$CLANG" --target=wasm32-wasi --sysroot="$SYSROOT" -O2 -Wall -Wno-unused-result \
        -Wl,--strip-debug -o "$p.wasm" "$p.c"
done
