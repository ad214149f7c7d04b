#!/bin/sh
# Installs Wedge where a WasmEdge user expects WasmEdge, from a release build:
#   PREFIX/lib/libwasmedge.so.0.1.1, with the links libwasmedge.so.0 and libwasmedge.so
#   PREFIX/include/wasmedge/*.h
#   PREFIX/bin/wedge, and PREFIX/bin/wasmedge -> wedge
#   every plug-in under plugins/, in the default plug-in directory (PREFIX/lib/wasmedge under
#   /usr or /lib, else PREFIX/plugin) under WasmEdge's file name for it
#   PREFIX/lib/libwedge-evmc.so, the EVMC VM (EVMC ABI 12), with the links libwasmedge-evmc.so
#   and libssvm-evmc.so, under which EVMC's loader finds its ABI-7 create function
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

# The plug-ins: package, library crate, and the file name WasmEdge gives the plug-in.
PLUGINS="
wedge-plugin-process wedge_plugin_process libwasmedgePluginWasmEdgeProcess.so
wedge-plugin-crypto wedge_plugin_crypto libwasmedgePluginWasiCrypto.so
wedge-plugin-zlib wedge_plugin_zlib libwasmedgePluginWasmEdgeZlib.so
wedge-plugin-storage wedge_plugin_storage libwasmedgePluginWasmEdgeStorage.so
wedge-plugin-image wedge_plugin_image libwasmedgePluginWasmEdgeImage.so
wedge-plugin-httpsreq wedge_plugin_httpsreq libwasmedgePluginHttpsReq.so
wedge-plugin-wasi-nn wedge_plugin_wasi_nn libwasmedgePluginWasiNN.so
wedge-plugin-tensorflowlite wedge_plugin_tensorflowlite libwasmedgePluginWasmEdgeTensorflowLite.so
wedge-plugin-tensorflow wedge_plugin_tensorflow libwasmedgePluginWasmEdgeTensorflow.so
wedge-plugin-ethereum wedge_plugin_ethereum libwasmedgePluginEthereum.so
"
plugin_packages() {
  echo "$PLUGINS" | while read -r package _ _; do
    [ -n "$package" ] && printf ' -p %s' "$package"
  done
}

if [ "$profile" = release ]; then
  cargo build --release --manifest-path "$root/Cargo.toml" -p wedge-c-api -p wedge-cli \
    -p wedge-evmc $(plugin_packages)
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
evmc=$target/libwedge_evmc.so
if [ "$profile" = debug ]; then
  evmc=$target/deps/libwedge_evmc.so
fi
install -m 0755 "$evmc" "$prefix/lib/libwedge-evmc.so"
ln -sf libwedge-evmc.so "$prefix/lib/libwasmedge-evmc.so"
ln -sf libwedge-evmc.so "$prefix/lib/libssvm-evmc.so"

case $(cd "$prefix" && pwd) in
  /usr* | /lib*) plugins=$prefix/lib/wasmedge ;;
  *) plugins=$prefix/plugin ;;
esac
mkdir -p "$plugins"
echo "$PLUGINS" | while read -r _ crate file; do
  [ -n "$crate" ] || continue
  # As for the library: a test build leaves plug-ins in deps/.
  built=$target/lib$crate.so
  if [ "$profile" = debug ]; then
    built=$target/deps/lib$crate.so
  fi
  install -m 0755 "$built" "$plugins/$file"
done
echo "installed into $prefix ($profile build), with the plug-ins in $plugins"
