#!/usr/bin/env bash
# Runs a large real WASI program, Yosys from the npm package @yowasp/yosys, under `wedge run`:
# synthesizes a 4-bit counter on every execution tier and checks that each prints the same
# statistics report. Not part of the default test run (it downloads about 9 MB, and compiling
# Yosys for the JIT and AOT tiers takes a minute or more on two cores).
#
# usage: scripts/yosys.sh [--keep]
#   WEDGE=path/to/wedge   use that binary (default: build and use target/release/wedge)
#   YOSYS_PACKAGE=spec    what to `npm pack` (default: @yowasp/yosys; a version pin such as
#                         @yowasp/yosys@0.55.944 or a local .tgz also work)
#   TIERS="interpreter jit aot"   the execution tiers to run it on (default all three); each
#                         must produce the same report
#   --keep                keep the temporary directory and print its path
#
# Needs: npm and node (node only unpacks the package's share/ tree), cargo unless WEDGE is set.
#
# What the package holds (checked with 0.55.944): gen/yosys.core.wasm is a plain
# wasm32-wasi preview 1 command (imports only wasi_snapshot_preview1, exports _start and
# memory, 31 MB). The other core modules are the preview-2 adapter and shims that jco wraps
# around it for the browser; a preview 1 runtime does not need them. Yosys's data files
# (techmap.v, cells_sim.v, ...) are not files in the package but a JavaScript object in
# gen/resources-yosys.js (the big ones as URLs of files in gen/share/); Yosys looks for them
# under /share, and ABC writes its scratch files under /tmp. So the script writes that tree
# into a work directory with /share and /tmp in it and preopens it as the guest's "/".
#
# Why the report goes to a file (`tee -q -o /stat.txt stat`) and not only to stdout: this
# build runs ABC inside the Yosys process and redirects stdout around it with WASI's
# fd_renumber: it first moves stdout away (fd 1 is then closed) and then renumbers a file
# *onto* the closed fd 1. WasmEdge's fd_renumber refuses a target that is not open (EBADF),
# and so do Wedge, wasmtime and Node's WASI; only the preview-2 adapter that YoWASP's own
# JavaScript runtime uses accepts it. So under a preview 1 runtime, everything Yosys writes
# to stdout from the ABC step on is lost (the run still succeeds). The statistics written to
# a file are complete, and the script checks those.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
keep=0
[ "${1:-}" = "--keep" ] && keep=1
package=${YOSYS_PACKAGE:-@yowasp/yosys}
tiers=${TIERS:-interpreter jit aot}
. "$here/scripts/tiers.sh"

if [ -z "${WEDGE:-}" ]; then
    echo "building wedge (release)..." >&2
    cargo build --release --quiet -p wedge-cli --manifest-path "$here/Cargo.toml"
    WEDGE="$here/target/release/wedge"
fi

tmp=$(mktemp -d)
if [ "$keep" = 1 ]; then
    echo "work directory: $tmp" >&2
else
    trap 'rm -rf "$tmp"' EXIT
fi

echo "fetching $package..." >&2
(cd "$tmp" && npm pack --silent "$package" > pack.txt)
tar xzf "$tmp/$(tail -n1 "$tmp/pack.txt")" -C "$tmp"
pkg="$tmp/package"
version=$(node -p "require('$pkg/package.json').version")
wasm="$pkg/gen/yosys.core.wasm"
[ -f "$wasm" ] || { echo "no gen/yosys.core.wasm in $package $version" >&2; exit 1; }

root="$tmp/root"
mkdir -p "$root/tmp"
# Write the package's resource tree (share/...) as files under $root.
cat > "$tmp/extract.mjs" <<'EOF'
import { mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
const [resources, out] = process.argv.slice(2);
const { filesystem } = await import(pathToFileURL(resources).href);
function write(tree, dir) {
  mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(tree)) {
    const path = join(dir, name);
    if (typeof value === "string" || value instanceof Uint8Array) writeFileSync(path, value);
    else if (value instanceof URL) writeFileSync(path, readFileSync(fileURLToPath(value)));
    else write(value, path);
  }
}
write(filesystem, out);
EOF
node "$tmp/extract.mjs" "$pkg/gen/resources-yosys.js" "$root"
[ -f "$root/share/techmap.v" ] || { echo "no share/techmap.v in the package's resources" >&2; exit 1; }

cat > "$root/counter.v" <<'EOF'
// A 4-bit counter with synchronous reset and enable.
module counter (
    input  wire       clk,
    input  wire       rst,
    input  wire       en,
    output reg  [3:0] count
);
    always @(posedge clk)
        if (rst)
            count <= 4'd0;
        else if (en)
            count <= count + 4'd1;
endmodule
EOF

echo "running Yosys $version ($(du -h "$wasm" | cut -f1)) in $("$WEDGE" --version)..." >&2
first_report=
for tier in $tiers; do
    tier_setup "$tier" "$wasm" "$tmp" || exit 2
    rm -f "$root/stat.txt"
    start=$(date +%s.%N)
    status=0
    "$WEDGE" run "${flags[@]}" --dir "/:$root" "$module" \
        -p "synth -top counter; tee -q -o /stat.txt stat" counter.v \
        > "$tmp/out.txt" 2> "$tmp/err.txt" || status=$?
    end=$(date +%s.%N)
    seconds=$(awk "BEGIN { printf \"%.1f\", $end - $start }")

    report=$(cat "$root/stat.txt" 2> /dev/null || true)
    fail() {
        echo "FAIL ($tier): $1 (exit status $status, ${seconds}s)" >&2
        echo "--- last lines of stdout:" >&2
        tail -n 30 "$tmp/out.txt" >&2
        echo "--- stderr:" >&2
        tail -n 30 "$tmp/err.txt" >&2
        exit 1
    }
    [ "$status" = 0 ] || fail "yosys did not exit with 0"
    grep -q 'Executing ABC' "$tmp/out.txt" || fail "synth did not reach ABC"
    # The counter needs four flip-flops with reset and enable; ABC maps the incrementer to
    # simple gates (XOR among them), whatever the exact mix.
    grep -Eq 'Number of cells: +[0-9]+' <<< "$report" || fail "no cell count in the report"
    grep -Eq '\$_SDFFE_PP0P_ +4$' <<< "$report" || fail "not four \$_SDFFE_PP0P_ flip-flops"
    grep -Eq '\$_XOR_ +[0-9]+$' <<< "$report" || fail "no XOR gates from ABC"
    # Every tier must produce the same report.
    if [ -z "$first_report" ]; then
        first_report=$report
        echo "$report"
    elif [ "$report" != "$first_report" ]; then
        diff <(echo "$first_report") <(echo "$report") >&2 || true
        fail "the report differs from the first tier's"
    fi
    echo "PASS ($tier): Yosys $version synthesized counter.v in ${seconds}s"
done
