#!/bin/sh
# Installs Wedge where a WasmEdge user expects WasmEdge, from a release build:
#   PREFIX/lib/libwasmedge.so.0.1.1, with the links libwasmedge.so.0 and libwasmedge.so
#   PREFIX/include/wasmedge/*.h
#   PREFIX/bin/wedge, and PREFIX/bin/wasmedge -> wedge
#   the default plug-in directory: PREFIX/lib/wasmedge under /usr or /lib, else PREFIX/plugin
# Usage: scripts/install-capi.sh PREFIX
set -eu

if [ $# -ne 1 ]; then
  echo "usage: $0 PREFIX" >&2
  exit 2
fi
prefix=$1
root=$(cd "$(dirname "$0")/.." && pwd)

cargo build --release --manifest-path "$root/Cargo.toml" -p wedge-c-api -p wedge-cli
target=${CARGO_TARGET_DIR:-$root/target}/release

mkdir -p "$prefix/lib" "$prefix/include/wasmedge" "$prefix/bin"
install -m 0755 "$target/libwasmedge.so" "$prefix/lib/libwasmedge.so.0.1.1"
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
echo "installed into $prefix; plug-ins go in $plugins"
