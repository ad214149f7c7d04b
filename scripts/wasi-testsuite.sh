#!/usr/bin/env bash
# Runs the official WASI preview-1 test suite (WebAssembly/wasi-testsuite, branch
# `prod/testsuite-base`, which holds the prebuilt tests) against the `wedge` binary.
#
#   scripts/wasi-testsuite.sh PATH [FILTER]
#
# PATH is a checkout of the suite (or any folder under it, such as tests/rust/testsuite). Every
# `*.wasm` under PATH/tests (or PATH) is a test, except WASI preview-3 (component) ones; its
# `.json` beside it, if any, gives what to run and expect, as the suite's specification says:
#   args       appended after the module;
#   env        one `--env K=V` each (the guest sees nothing else);
#   root       a folder, relative to the test's, preopened as the guest's `/` (`--dir /:ROOT`);
#   dirs       (older suites) folders preopened under their own names (`--dir D:D`), run from
#              the test's folder;
#   exit_code  expected exit status (default 0);
#   stdout, stderr  expected output, when given.
# This is how WasmEdge's adapter in the suite runs `wasmedge`. The folders a test may write to
# are copied to a temporary folder first, so the suite is left as it was.
#
# FILTER, if given, runs only the tests whose path contains it. The binary is
# $WEDGE, else target/release/wedge, else target/debug/wedge, else built with
# `cargo build --release -p wedge-cli`. Prints one line per test and "N of M passed"; exits 1
# if any test failed. Each test may run for $WASI_TEST_TIMEOUT seconds (default 60).
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || ! -d $1 ]]; then
    echo "usage: $0 WASI_TESTSUITE_DIR [FILTER]" >&2
    exit 2
fi
suite=$(cd "$1" && pwd)
filter=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)

wedge=${WEDGE:-}
if [[ -z $wedge ]]; then
    for candidate in "$root/target/release/wedge" "$root/target/debug/wedge"; do
        if [[ -x $candidate ]]; then
            wedge=$candidate
            break
        fi
    done
fi
if [[ -z $wedge ]]; then
    echo "building wedge (cargo build --release -p wedge-cli)" >&2
    (cd "$root" && cargo build --release -p wedge-cli >&2)
    wedge=$root/target/release/wedge
fi
# The tests run in temporary folders: a path must not be relative.
if [[ $wedge == */* ]]; then
    wedge=$(cd "$(dirname "$wedge")" && pwd)/$(basename "$wedge")
fi
echo "wedge: $wedge"

exec python3 - "$wedge" "$suite" "$filter" "${WASI_TEST_TIMEOUT:-60}" <<'PY'
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

wedge, suite, test_filter, timeout = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])

search = suite / "tests" if (suite / "tests").is_dir() else suite
tests = sorted(
    p for p in search.rglob("*.wasm")
    if "wasm32-wasip3" not in p.parts and test_filter in str(p)
)
if not tests:
    print(f"no tests found under {search}")
    sys.exit(1)


def copy_into(src, dst):
    shutil.copytree(src, dst, symlinks=True)


def run(test):
    """Runs one test; returns None when it passed, else why it failed."""
    spec_path = test.with_suffix(".json")
    spec = json.loads(spec_path.read_text()) if spec_path.exists() else {}
    if "operations" in spec:
        return "operation-based specs are not supported by this runner"
    argv = [wedge]
    for key, value in spec.get("env", {}).items():
        argv += ["--env", f"{key}={value}"]
    with tempfile.TemporaryDirectory(prefix="wasi-test-") as tmp:
        cwd = Path(tmp)
        if spec.get("root"):
            guest_root = cwd / "root"
            copy_into(test.parent / spec["root"], guest_root)
            argv += ["--dir", f"/:{guest_root}"]
        for d in spec.get("dirs", []):
            copy_into(test.parent / d, cwd / d)
            argv += ["--dir", f"{d}:{d}"]
        argv += [str(test)] + spec.get("args", [])
        try:
            done = subprocess.run(
                argv, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                timeout=timeout, env={"PATH": os.environ.get("PATH", "")},
            )
        except subprocess.TimeoutExpired:
            return f"timed out after {timeout} s"
    out = done.stdout.decode(errors="replace")
    err = done.stderr.decode(errors="replace")
    why = []
    expected_code = spec.get("exit_code", 0)
    if done.returncode != expected_code:
        why.append(f"exit code {done.returncode}, expected {expected_code}")
    if "stdout" in spec and out != spec["stdout"]:
        why.append(f"stdout {out!r}, expected {spec['stdout']!r}")
    if "stderr" in spec and err != spec["stderr"]:
        why.append(f"stderr {err!r}, expected {spec['stderr']!r}")
    if not why:
        return None
    detail = "; ".join(why)
    tail = (out[-600:] + err[-600:]).strip()
    if tail:
        detail += "\n    " + tail.replace("\n", "\n    ")
    return detail


passed = 0
for test in tests:
    name = test.relative_to(search)
    why = run(test)
    if why is None:
        passed += 1
        print(f"PASS {name}", flush=True)
    else:
        print(f"FAIL {name}: {why}", flush=True)
print(f"{passed} of {len(tests)} passed")
sys.exit(0 if passed == len(tests) else 1)
PY
