#!/bin/sh
# Rebuilds the wasmedge_zlib test guests (NAME.c -> NAME.wasm), wasm32-wasi commands compiled
# against Debian's ordinary <zlib.h> (zlib1g-dev 1.2.13): zimport.h makes every zlib function an
# import from the wasmedge_zlib module, and --allow-undefined lets wasm-ld leave them imported.
# The .wasm files are committed next to their sources so the tests need no wasm toolchain.
#
# It also builds stream.c natively against C zlib and keeps that program's output as
# stream.expected: the guest must print the same through the plug-in.
#
# Needs: apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32 zlib1g-dev
set -eu
cd "$(dirname "$0")"
CLANG=${CLANG:-clang}
SYSROOT=${SYSROOT:-/usr}
for p in stream gzfile; do
    "$CLANG" --target=wasm32-wasi --sysroot="$SYSROOT" -idirafter /usr/include -O2 -Wall \
        -Wno-unused-result -include zimport.h -Wl,--allow-undefined -Wl,--strip-debug \
        -o "$p.wasm" "$p.c"
done
native=$(mktemp)
cc -O2 -o "$native" stream.c -lz
"$native" all > stream.expected || true
rm -f "$native"
