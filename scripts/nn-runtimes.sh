#!/usr/bin/env bash
# Fetches the ML runtimes of the wasi_nn, wasmedge_tensorflow and wasmedge_tensorflowlite
# plug-ins into a cache and makes the test models; with --test, runs the end-to-end tests that
# need them (a plain `cargo test` ignores them: a runtime that is absent is never a pass).
#
#   scripts/nn-runtimes.sh [--test | --bench] [RUNTIME...]
#
# RUNTIME is the name of a script in scripts/nn/ (default: all of them). Each script documents
# its runtime, versions and models; scripts/nn/common.sh the cache
# (${WEDGE_NN_CACHE:-~/.cache/wedge/nn}). Every runtime is fetched and its models made first,
# then each runs its tests or benchmark: one runtime's tests may use another's models (the
# OpenVINO tests read the .tflite model the TensorFlow script makes).
set -euo pipefail
cd "$(dirname "$0")"
mode=()
case "${1:-}" in
    --test | --bench) mode=("$1"); shift ;;
esac
runtimes=("$@")
if [ ${#runtimes[@]} -eq 0 ]; then
    for f in nn/*.sh; do
        [ "$f" = nn/common.sh ] || runtimes+=("$(basename "$f" .sh)")
    done
fi
for rt in "${runtimes[@]}"; do
    echo "== nn-runtimes: $rt" >&2
    bash "nn/$rt.sh"
done
if [ ${#mode[@]} -gt 0 ]; then
    for rt in "${runtimes[@]}"; do
        echo "== nn-runtimes: $rt ${mode[0]}" >&2
        bash "nn/$rt.sh" "${mode[@]}"
    done
fi
