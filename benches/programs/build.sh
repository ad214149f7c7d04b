#!/bin/sh
# Rebuilds every benchmark program in this directory into a freestanding
# wasm32 module that imports nothing and exports `run` (and `memory`).
#
# Needs clang and wasm-ld with the wasm32 target (Debian: apt-get install
# clang lld). Set CLANG to pick another clang. The .wasm files are built
# artifacts checked in next to their sources, so the tests and benches do
# not need clang; rerun this after editing a program and update the
# checksums in README.md and expected.txt (./build.sh --check prints them).
set -eu
cd "$(dirname "$0")"
CLANG=${CLANG:-clang}
PROGRAMS="fib matmul sieve sha256 quicksort nbody"

for p in $PROGRAMS; do
    # -ffreestanding: no libc, and no loops turned into memset/memcpy calls
    #   (which would be undefined symbols, i.e. imports).
    # -nostdlib --no-entry: a reactor-style module with no _start.
    # --export=run: the only export besides memory.
    "$CLANG" --target=wasm32 -O2 -ffreestanding -nostdlib \
        -Wl,--no-entry -Wl,--export=run -Wl,--strip-all \
        -o "$p.wasm" "$p.c"
done

if [ "${1:-}" = "--check" ]; then
    # Expected checksums, computed by running the same C natively.
    CC=${CC:-gcc}
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    for p in $PROGRAMS; do
        "$CC" -O2 -DPROGRAM="\"$p.c\"" -o "$tmp/$p" native.c -lm
        default=$(sed -n 's/^#define DEFAULT_ARG //p' "$p.c")
        small=$(sed -n 's/^#define SMALL_ARG //p' "$p.c")
        echo "$p $default $("$tmp/$p" "$default" 2>/dev/null) $small $("$tmp/$p" "$small" 2>/dev/null)"
    done
fi
