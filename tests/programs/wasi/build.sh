#!/bin/sh
# Rebuilds every WASI test program in this directory into a wasm32-wasi command module
# (PROGRAM.c -> PROGRAM.wasm). The .wasm files are committed next to their sources so the
# tests need no wasm toolchain; rerun this after editing a program.
#
# Needs clang, wasm-ld and wasi-libc for wasm32-wasi. On Debian 12:
#   apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32
# (wasi-libc installs its sysroot under /usr: /usr/include/wasm32-wasi, /usr/lib/wasm32-wasi.)
# Set CLANG or SYSROOT to use others. The committed modules were built with Debian's
# clang 14.0.6 and wasi-libc 0.0~git20220510.9886d3d-2.
set -eu
cd "$(dirname "$0")"
CLANG=${CLANG:-clang}
SYSROOT=${SYSROOT:-/usr}
PROGRAMS="args_env clocks random files dirs links poll exit echo preopens escape tcp_server tcp_client blocking"

for p in $PROGRAMS; do
    # -O2: small and quick in the interpreter; --strip-debug drops DWARF but keeps the name
    # section, so a trap still names the function.
    "$CLANG" --target=wasm32-wasi --sysroot="$SYSROOT" -O2 -Wall -Wno-unused-result \
        -Wl,--strip-debug -o "$p.wasm" "$p.c"
done
