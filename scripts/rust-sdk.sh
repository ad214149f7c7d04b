#!/usr/bin/env bash
# WasmEdge's own Rust SDK from crates.io (wasmedge-sdk 0.17.1 over wasmedge-sys 0.21.1, which
# runs bindgen on the installed headers) built against Wedge installed into a prefix, exactly
# as a WasmEdge user builds it: WASMEDGE_DIR=PREFIX, LD_LIBRARY_PATH=PREFIX/lib.
#
#   scripts/rust-sdk.sh              install Wedge, check the generated bindings against the
#                                    ones wasmedge-sys ships for WasmEdge 0.17.1, then run the
#                                    tests in tests/rust-sdk (what CI runs)
#   scripts/rust-sdk.sh crate-tests  install Wedge, then run the SDK crates' own tests (their
#                                    unit tests, doc tests and integration tests) from a
#                                    scratch copy of their published sources, with our own
#                                    data files where they read the SDK repository's; prints
#                                    the counts; exits 1 if a test failed that
#                                    tests/rust-sdk/crate-known-failures.txt does not list
#
# Environment:
#   WEDGE_PREFIX   install here (default: a temporary directory, removed at the end)
#   WEDGE_PROFILE  debug (default: the build `cargo test --workspace` already made) or release
#   RUST_SDK_TARGET_DIR  cargo's target directory for the SDK builds (default:
#                  tests/rust-sdk/target, and SCRATCH/target for crate-tests)
#
# Needs libclang and clang's own headers for bindgen (Debian: libclang-dev); installs them
# with apt-get when they are missing and it can, and fails saying so otherwise.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-tests}
case $mode in
  tests | crate-tests | bench) ;;
  *)
    echo "usage: $0 [tests|crate-tests|bench]" >&2
    exit 2
    ;;
esac
profile=${WEDGE_PROFILE:-debug}
started=$SECONDS

say() { echo "rust-sdk: $*"; }
die() {
  echo "rust-sdk: error: $*" >&2
  exit 1
}

# ---- prerequisites: libclang for bindgen, python3 for the checks below ----
exists() { # true if any of its (glob-expanded) arguments exists
  local f
  for f in "$@"; do [ -e "$f" ] && return 0; done
  return 1
}
libclang_found() {
  # bindgen (clang-sys, loading libclang at run time) needs libclang.so* and clang's own
  # headers (stddef.h and friends).
  local lib=no
  if [ -n "${LIBCLANG_PATH:-}" ] && exists "$LIBCLANG_PATH"/libclang*.so*; then
    lib=yes
  elif [[ $(ldconfig -p 2> /dev/null) =~ libclang(-[0-9.]+)?\.so ]]; then
    lib=yes
  elif exists /usr/lib/llvm-*/lib/libclang.so* /usr/lib/*/libclang-*.so*; then
    lib=yes
  fi
  [ $lib = yes ] && exists /usr/lib/llvm-*/lib/clang/*/include/stddef.h \
    /usr/lib/clang/*/include/stddef.h /usr/local/lib/clang/*/include/stddef.h
}
if ! libclang_found; then
  if command -v apt-get > /dev/null && [ "$(id -u)" = 0 ]; then
    say "libclang is missing: apt-get install libclang-dev"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends libclang-dev > /dev/null 2>&1 ||
      { apt-get update > /dev/null && apt-get install -y --no-install-recommends libclang-dev > /dev/null; } ||
      die "apt-get could not install libclang-dev"
  fi
  libclang_found || die "wasmedge-sys runs bindgen, which needs libclang and clang's headers: \
install libclang-dev (Debian, Ubuntu) or set LIBCLANG_PATH"
fi
command -v python3 > /dev/null || die "python3 is needed to check the bindings and count tests"

# ---- install Wedge into the prefix, with the example plug-in in its plug-in directory ----
if [ -n "${WEDGE_PREFIX:-}" ]; then
  prefix=$WEDGE_PREFIX
else
  prefix=$(mktemp -d "${TMPDIR:-/tmp}/wedge-prefix.XXXXXX")
  trap 'rm -rf "$prefix"' EXIT
fi
case $profile in
  debug) "$root/scripts/install-capi.sh" --debug "$prefix" ;;
  release) "$root/scripts/install-capi.sh" "$prefix" ;;
  *) die "WEDGE_PROFILE is debug or release, not $profile" ;;
esac
prefix=$(cd "$prefix" && pwd)
case $prefix in
  /usr* | /lib*) plugins=$prefix/lib/wasmedge ;;
  *) plugins=$prefix/plugin ;;
esac
# The debug install's test build made the example plug-in too.
if [ "$profile" = release ]; then
  cargo build --quiet --release --manifest-path "$root/Cargo.toml" -p wedge-plugin-example
fi
# (A test build leaves it in deps/, as the library.)
example=${CARGO_TARGET_DIR:-$root/target}/$profile/libwedge_plugin_example.so
if [ "$profile" = debug ]; then
  example=${CARGO_TARGET_DIR:-$root/target}/debug/deps/libwedge_plugin_example.so
fi
install -m 0755 "$example" "$plugins/"

export WASMEDGE_DIR=$prefix
export LD_LIBRARY_PATH=$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
# The plug-in tests look in the default directory, as WasmEdge does without this variable.
unset WASMEDGE_PLUGIN_PATH WASMEDGE_INCLUDE_DIR WASMEDGE_LIB_DIR WASMEDGE_BUILD_DIR

# The install put every plug-in in the default directory, where the installed wedge finds them.
version=$("$prefix/bin/wedge" --version)
for name in wasmedge_process wasi_crypto wasmedge_zlib wasmedge_storage wasmedge_image wasmedge_httpsreq wasi_nn \
    wasmedge_tensorflow wasmedge_tensorflowlite; do
  case $version in
    *"(plugin \"$name\")"*) ;;
    *) die "the installed wedge --version does not list the plug-in $name:
$version" ;;
  esac
done
echo "installed: $(echo "$version" | grep -c '(plugin ') plug-ins listed by wedge --version"

# Where cargo unpacked a registry package of the test project (fetched on the way).
package_dir() {
  cargo metadata --format-version 1 --locked --manifest-path "$root/tests/rust-sdk/Cargo.toml" |
    python3 -c 'import json, os, sys
name = sys.argv[1]
for p in json.load(sys.stdin)["packages"]:
    if p["name"] == name:
        print(os.path.dirname(p["manifest_path"]))
        break
else:
    sys.exit("no package " + name)' "$1"
}

if [ "$mode" = bench ]; then
  export CARGO_TARGET_DIR=${RUST_SDK_TARGET_DIR:-$root/tests/rust-sdk/target}
  cd "$root/tests/rust-sdk"
  cargo bench --locked --bench run_func
  exit 0
fi

if [ "$mode" = tests ]; then
  export CARGO_TARGET_DIR=${RUST_SDK_TARGET_DIR:-$root/tests/rust-sdk/target}
  cd "$root/tests/rust-sdk"
  built=yes
  cargo test --locked --no-run || built=no

  # bindgen's output from our headers must declare every item of the bindings wasmedge-sys
  # ships for WasmEdge 0.17.1's headers, identically (more items are fine). Checked also
  # when the build failed: it names what is missing.
  sys_dir=$(package_dir wasmedge-sys)
  generated=$(ls -t "$CARGO_TARGET_DIR"/debug/build/wasmedge-sys-*/out/wasmedge.rs | head -1)
  python3 - "$sys_dir/bindings/wasmedge.rs" "$generated" << 'EOF'
import re, sys

def items(path):
    text = re.sub(r'#\[doc = "(?:[^"\\]|\\.)*"\]', "", open(path).read())
    text = " ".join(text.split())
    out = {}
    # extern "C" { pub fn NAME(...) -> T; }, pub const NAME: T = V;, pub type NAME = T;,
    # #[repr(C)] ... pub struct NAME { ... }
    for m in re.finditer(r'pub fn (\w+)\s*\(.*?\)\s*(?:->\s*[^;]+)?;', text):
        out["fn " + m.group(1)] = m.group(0)
    for m in re.finditer(r'pub const (\w+)\s*:[^;]+;', text):
        out["const " + m.group(1)] = m.group(0)
    for m in re.finditer(r'pub type (\w+)\s*=[^;]+;', text):
        out["type " + m.group(1)] = m.group(0)
    for m in re.finditer(r'pub struct (\w+)\s*\{[^}]*\}', text):
        out["struct " + m.group(1)] = m.group(0)
    return out

shipped, ours = items(sys.argv[1]), items(sys.argv[2])
missing = sorted(k for k in shipped if k not in ours)
changed = sorted(k for k in shipped if k in ours and ours[k] != shipped[k])
for k in missing:
    print("rust-sdk: bindings: missing from our headers:", k)
for k in changed:
    print("rust-sdk: bindings: differs from WasmEdge 0.17.1:", k)
    print("    theirs:", shipped[k])
    print("    ours:  ", ours[k])
print("rust-sdk: bindings: %d items as in WasmEdge 0.17.1, %d missing, %d different, %d more in ours"
      % (len(shipped) - len(missing) - len(changed), len(missing), len(changed),
         len([k for k in ours if k not in shipped])))
sys.exit(1 if missing or changed else 0)
EOF
  [ $built = yes ] || die "the SDK and its tests did not build against Wedge"

  log=$CARGO_TARGET_DIR/sdk.log
  cargo test --locked --test sdk 2>&1 | tee "$log"
  read -r passed ignored < <(awk '/^test result:/ { p += $4; i += $8 } END { print p+0, i+0 }' "$log")
  # An ignored test is a known Wedge bug (its reason says which); it must still fail.
  log=$CARGO_TARGET_DIR/ignored.log
  cargo test --locked --test sdk -- --ignored > "$log" 2>&1 || true
  grep -q '^test result:' "$log" || { cat "$log"; die "the ignored tests did not run"; }
  fixed=$(sed -nE 's/^test (.*) \.\.\. ok$/\1/p' "$log")
  [ -z "$fixed" ] || die "known failures now pass (remove their #[ignore]):" $fixed
  say "$(grep -c ' \.\.\. FAILED$' "$log") known failures (ignored tests) still fail"
  say "done in $((SECONDS - started)) s"
  echo "rust-sdk: $passed passed, 0 failed, $ignored skipped"
  exit 0
fi

# ---- crate-tests: the SDK crates' own tests, from their published sources ----
# The layout of the SDK's repository: the SDK at the root, wasmedge-sys in crates/, the data
# files the unit tests read in examples/wasmedge-sys/data (they are not in the packages).
scratch=${RUST_SDK_SCRATCH:-$(mktemp -d "${TMPDIR:-/tmp}/wedge-rust-sdk-crates.XXXXXX")}
mkdir -p "$scratch"
export CARGO_TARGET_DIR=${RUST_SDK_TARGET_DIR:-$scratch/target}
sdk_src=$(package_dir wasmedge-sdk)
sys_src=$(package_dir wasmedge-sys)
repo=$scratch/wasmedge-rust-sdk
rm -rf "$repo"
mkdir -p "$repo/crates" "$repo/examples/wasmedge-sys/data"
cp -R "$sdk_src/." "$repo/"
cp -R "$sys_src/." "$repo/crates/wasmedge-sys/"
data=$root/tests/rust-sdk/crate-data
cp "$data/test.wasm" "$data/test_crypto.wasm" "$root/tests/rust-sdk/data/fibonacci.wat" \
  "$repo/examples/wasmedge-sys/data/"
# The integration tests skip (and pass) without the SDK repository's test-wasm module.
mkdir -p "$repo/test-wasm/target/wasm32-unknown-unknown/release"
cp "$data/test_wasm.wasm" "$repo/test-wasm/target/wasm32-unknown-unknown/release/"

total_passed=0 total_failed=0 total_ignored=0 status=0
run_crate() { # NAME DIR [cargo test arguments]
  local name=$1 dir=$2 log=$scratch/$1.log
  shift 2
  say "$name: cargo test $*"
  (cd "$dir" && cargo test --no-fail-fast "$@") > "$log" 2>&1 || true
  if ! grep -q '^test result:' "$log"; then
    tail -40 "$log"
    die "$name: no test ran (log: $log)"
  fi
  read -r p f i < <(awk '/^test result:/ { p += $4; f += $6; i += $8 } END { print p+0, f+0, i+0 }' "$log")
  echo "$name: $p passed, $f failed, $i ignored"
  grep -E '^test .* \.\.\. (FAILED|ignored)' "$log" | sed "s/^/  $name: /" || true
  if grep -q 'WASM module not found' "$log"; then
    echo "  $name: some integration tests returned early without test-wasm: counted as passed"
    status=1
  fi
  # Failures must be exactly the known ones.
  local known unexpected fixed
  known=$(awk -v c="$name" '$1 == c { print $2 }' "$root/tests/rust-sdk/crate-known-failures.txt" | sort)
  failed=$(sed -nE 's/^test (.*) \.\.\. FAILED$/\1/p' "$log" | sort)
  unexpected=$(comm -13 <(echo "$known") <(echo "$failed") | grep . || true)
  fixed=$(comm -23 <(echo "$known") <(echo "$failed") | grep . || true)
  if [ -n "$unexpected" ]; then
    echo "  $name: failed, not in tests/rust-sdk/crate-known-failures.txt:" $unexpected
    status=1
  fi
  if [ -n "$fixed" ]; then
    echo "  $name: listed in tests/rust-sdk/crate-known-failures.txt but passed:" $fixed
    status=1
  fi
  if grep -q 'error: test failed\|error: could not compile' "$log" && [ "$f" = 0 ]; then
    echo "  $name: cargo test failed without a failing test (log: $log)"
    status=1
  fi
  total_passed=$((total_passed + p)) total_failed=$((total_failed + f)) total_ignored=$((total_ignored + i))
}
run_crate wasmedge-sys "$repo/crates/wasmedge-sys"
run_crate wasmedge-sdk "$repo"
say "logs in $scratch; done in $((SECONDS - started)) s"
echo "crate-tests: $total_passed passed, $total_failed failed, $total_ignored ignored"
exit $status
