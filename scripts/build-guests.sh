#!/bin/sh
# Rebuilds the plug-ins' test guests: each plugins/NAME/tests/guests/*.c (and the stand-ins'
# guest in plugins/tests/guests) becomes the .wasm beside it, a wasm32-wasi command that imports
# its plug-in's module. The .wasm files are committed so the tests need no wasm toolchain; rerun
# this after editing a guest.
#
#   scripts/build-guests.sh [NAME...]    NAME: a directory under plugins/ (default: all of them)
#
# Every guest gets the same flags, with plugins/tests/guests on the include path (guest.h, what
# the guests share). A directory may add flags in its file `clang-flags`, and its
# `after-build.sh`, if any, runs there afterwards (the zlib guests' expected output comes from
# a native build; the stand-ins' directory also assembles a .wat).
#
# Needs clang, wasm-ld and wasi-libc for wasm32-wasi. On Debian 12:
#   apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32
# Set CLANG or SYSROOT to use others.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
CLANG=${CLANG:-clang}
SYSROOT=${SYSROOT:-/usr}
if [ $# -eq 0 ]; then
    set -- $(cd "$root/plugins" && for d in */tests/guests; do echo "${d%%/*}"; done)
    set -- "$@" tests
fi
for name in "$@"; do
    case $name in
        tests) dir=$root/plugins/tests/guests ;;
        *) dir=$root/plugins/$name/tests/guests ;;
    esac
    [ -d "$dir" ] || { echo "build-guests: no $dir" >&2; exit 1; }
    extra=
    [ -f "$dir/clang-flags" ] && extra=$(cat "$dir/clang-flags")
    for c in "$dir"/*.c; do
        [ -e "$c" ] || continue
        # shellcheck disable=SC2086 # $extra is a list of flags
        "$CLANG" --target=wasm32-wasi --sysroot="$SYSROOT" -O2 -Wall -Wextra \
            -Wno-unused-parameter -Wno-unused-result -I "$root/plugins/tests/guests" -I "$dir" $extra \
            -Wl,--strip-debug -o "${c%.c}.wasm" "$c"
    done
    if [ -f "$dir/after-build.sh" ]; then
        (cd "$dir" && sh ./after-build.sh)
    fi
done
