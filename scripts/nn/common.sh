# Sourced by scripts/nn/<runtime>.sh: the cache, Python venvs and the end-to-end test step that
# every runtime's script shares.
#
# Cache: ${WEDGE_NN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wedge/nn}; models go to $CACHE/models.
# Needs python3 with venv and pip, and PyPI.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${WEDGE_NN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wedge/nn}
MODELS=$CACHE/models
mkdir -p "$MODELS"

# nn_venv NAME PACKAGE...: creates $CACHE/NAME (once), installs the packages into it and sets PY
# to its python.
nn_venv() {
    local name=$1
    shift
    if [ ! -x "$CACHE/$name/bin/python" ]; then
        python3 -m venv "$CACHE/$name"
    fi
    PY="$CACHE/$name/bin/python"
    "$PY" -m pip install --quiet "$@"
}

# nn_test FILTER: runs the plug-in end-to-end tests whose names contain FILTER, ignored ones
# included (they need the runtime this script just fetched). Both commands keep the workspace's
# selection, so features resolve as in `cargo test --workspace` and nothing is rebuilt after it:
# a -p selection resolves them apart, and each switch between the two rebuilt the plug-ins the
# test package depends on. `--test all` runs the `all` binaries of every package; only the
# plug-in tests (plugins/tests) have modules named for the runtimes. WEDGE_NN_MODELS tells the
# tests where the models are.
nn_test() {
    cd "$ROOT"
    export WEDGE_NN_MODELS="$MODELS"
    cargo test --workspace --no-run
    cargo test --workspace --test all -- "$1" --include-ignored
}
