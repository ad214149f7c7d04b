#!/bin/sh
# Installs Wedge where a WasmEdge user expects WasmEdge, from a release build:
#   PREFIX/lib/libwasmedge.so.0.1.1, with the links libwasmedge.so.0 and libwasmedge.so
#   PREFIX/include/wasmedge/*.h
#   PREFIX/bin/wedge, and PREFIX/bin/wasmedge -> wedge
#   the default plug-in directory: PREFIX/lib/wasmedge under /usr or /lib, else PREFIX/plugin
# Usage: scripts/install-capi.sh [--debug] PREFIX
#   --debug  install the debug build that `cargo test --workspace` makes (a no-op rebuild
#            after it: the same command, so the same features) instead of building a
#            release; for tests, not for users
set -eu

profile=release
if [ "${1-}" = --debug ]; then
  profile=debug
  shift
fi
if [ $# -ne 1 ]; then
  echo "usage: $0 [--debug] PREFIX" >&2
  exit 2
fi
prefix=$1
root=$(cd "$(dirname "$0")/.." && pwd)

if [ "$profile" = release ]; then
  cargo build --release --manifest-path "$root/Cargo.toml" -p wedge-c-api -p wedge-cli
else
  # `cargo build -p ...` would resolve features without the workspace's dev-dependencies and
  # rebuild the runtime; the test build has libwasmedge.so and wedge too.
  cargo test --workspace --no-run --manifest-path "$root/Cargo.toml"
fi
target=${CARGO_TARGET_DIR:-$root/target}/$profile
# A test build leaves the library in deps/ (only `cargo build` copies it up a level, so a copy
# there may be stale); a release build puts it at the top.
lib=$target/libwasmedge.so
if [ "$profile" = debug ]; then
  lib=$target/deps/libwasmedge.so
fi

mkdir -p "$prefix/lib" "$prefix/include/wasmedge" "$prefix/bin"
install -m 0755 "$lib" "$prefix/lib/libwasmedge.so.0.1.1"
ln -sf libwasmedge.so.0.1.1 "$prefix/lib/libwasmedge.so.0"
ln -sf libwasmedge.so.0 "$prefix/lib/libwasmedge.so"
install -m 0644 "$root"/include/wasmedge/*.h "$prefix/include/wasmedge/"
install -m 0755 "$target/wedge" "$prefix/bin/wedge"
ln -sf wedge "$prefix/bin/wasmedge"

case $(cd "$prefix" && pwd) in
  /usr* | /lib*) plugins=$prefix/lib/wasmedge ;;
  *) plugins=$prefix/plugin ;;
esac
mkdir -p "$plugins"
echo "installed into $prefix ($profile build); plug-ins go in $plugins"
