#!/usr/bin/env bash
# llama.cpp for the wasi_nn plug-in's GGML backend: the backend's library (which builds
# llama.cpp from source), llama.cpp's reference program and the GGUF test models.
#
#   scripts/nn/ggml.sh [--test | --bench]
#
# --test runs the GGML end-to-end tests (ignored by a plain `cargo test`) and the library's unit
# tests; --bench times prompt processing and generation natively (llama_ref) and through a guest.
#
# The GGML backend is the crate plugins/wasi_nn/ggml (libwedge_nn_ggml.so, llama.cpp linked in
# statically through llama-cpp-2 0.1.160, which builds the llama.cpp source llama-cpp-sys-2
# 0.1.161 vendors with cmake: ~10-15 minutes cold on 2 cores): a workspace of its own, built
# here into $ROOT/target/nn-ggml (release; the cmake build follows the cargo profile) and copied
# to $CACHE/ggml/lib/libwedge_nn_ggml.so, where the workspace's default build of the plug-in
# opens it at the first GGML load (or at $WEDGE_NN_GGML_LIB). The copy is rebuilt only when the
# crate's sources, lock file or the backend ABI change (the key in $CACHE/ggml/lib/build-key),
# so a kept cache spares the llama.cpp build even after target/ is gone.
#
# In the cache (scripts/nn/common.sh):
#   venv-ggml/               Python venv with gguf 0.19.0 and numpy (from PyPI)
#   ggml/lib/libwedge_nn_ggml.so  the backend's library
#   ggml/bin/llama_ref       plugins/wasi_nn/ggml/native/llama_ref.c: llama.cpp's C API called
#                            natively, linked with the same llama.cpp build (the reference)
#   models/tiny.gguf         a random llama model, 0.5 MB (scripts/nn/ggml_model.py tiny)
#   models/bench.gguf        a random llama model, 70 MB, F16 (ggml_model.py bench), for --bench
#
# Needs cmake, libclang (bindgen) and g++ to build; installs cmake and libclang-dev with apt-get
# when they are missing (as root, or through sudo).
source "$(dirname "$0")/common.sh"
GG=$CACHE/ggml
GGML_TARGET=$ROOT/target/nn-ggml
CRATE=$ROOT/plugins/wasi_nn/ggml
ABI=$ROOT/crates/nn-backend-abi
mkdir -p "$GG/lib" "$GG/bin"

nn_venv venv-ggml "gguf==0.19.0" numpy
for size in tiny bench; do
    if [ ! -f "$MODELS/$size.gguf" ]; then
        "$PY" "$ROOT/scripts/nn/ggml_model.py" "$MODELS/$size.gguf.tmp" "$size"
        mv "$MODELS/$size.gguf.tmp" "$MODELS/$size.gguf"
    fi
done

key=$(cat "$CRATE/Cargo.toml" "$CRATE/Cargo.lock" "$CRATE"/src/*.rs "$CRATE/native/llama_ref.c" \
    "$ABI/Cargo.toml" "$ABI"/src/*.rs | sha256sum | cut -d' ' -f1)
if [ "$(cat "$GG/lib/build-key" 2>/dev/null)" != "$key" ] || [ ! -f "$GG/lib/libwedge_nn_ggml.so" ] \
    || [ ! -x "$GG/bin/llama_ref" ]; then
    missing=()
    command -v cmake > /dev/null || missing+=(cmake)
    compgen -G "/usr/lib/llvm-*/lib/libclang*.so*" > /dev/null || missing+=(libclang-dev)
    command -v g++ > /dev/null || missing+=(g++)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "ggml: installing ${missing[*]}" >&2
        sudo=()
        [ "$(id -u)" -eq 0 ] || sudo=(sudo)
        "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" > /dev/null
    fi
    start=$(date +%s)
    (cd "$CRATE" && CARGO_TARGET_DIR=$GGML_TARGET cargo build --release --locked --lib)
    echo "GGML backend library build: $(($(date +%s) - start)) s"
    # llama.cpp's static libraries and headers, from the build llama-cpp-sys-2 just made (the
    # newest, should target/ hold an older one too).
    out=$(ls -td "$GGML_TARGET"/release/build/llama-cpp-sys-2-*/out/lib/libllama.a | head -1)
    out=$(dirname "$(dirname "$out")")
    cc -O2 -o "$GG/bin/llama_ref.tmp" "$CRATE/native/llama_ref.c" -I"$out/include" -L"$out/lib" \
        -lllama -lggml -lggml-cpu -lggml-base -lstdc++ -lgomp -lm -lpthread
    mv "$GG/bin/llama_ref.tmp" "$GG/bin/llama_ref"
    cp "$GGML_TARGET/release/libwedge_nn_ggml.so" "$GG/lib/libwedge_nn_ggml.so.tmp"
    mv "$GG/lib/libwedge_nn_ggml.so.tmp" "$GG/lib/libwedge_nn_ggml.so"
    echo "$key" > "$GG/lib/build-key"
fi
echo "GGML backend: $GG/lib/libwedge_nn_ggml.so; llama.cpp reference: $GG/bin/llama_ref"
# The plug-in and the tests look in ${XDG_CACHE_HOME:-~/.cache}/wedge/nn; a cache elsewhere is
# named to them.
if [ "$CACHE" != "${XDG_CACHE_HOME:-$HOME/.cache}/wedge/nn" ]; then
    export WEDGE_NN_GGML_LIB=$GG/lib/libwedge_nn_ggml.so
    export WEDGE_NN_GGML_REF=$GG/bin/llama_ref
fi

if [ "${1:-}" = "--bench" ]; then
    # The same model, prompt (178 tokens), sampler chain (temp 0) and threads, natively and
    # through a guest (wedge and the plug-in from the workspace's release build): 4 rounds of 5
    # runs each, which of the two goes first alternating by round (on a shared machine the second
    # of two back-to-back runs was seen up to 12% slower). A run times the prompt alone, then the
    # prompt and 128 tokens, from an empty KV cache each time. The medians close the output.
    threads=2
    prompt=$(printf 'Once upon a time there was a llama that ran wasm models at the edge. %.0s' $(seq 8))
    cargo build --release -p wedge-cli -p wedge-plugin-wasi-nn
    plugins=$(mktemp -d)
    cp "$ROOT/target/release/libwedge_plugin_wasi_nn.so" "$plugins/"
    native() { "$GG/bin/llama_ref" bench "$MODELS/bench.gguf" "$prompt" 128 2048 "$threads" 5; }
    guest() {
        WASMEDGE_PLUGIN_PATH="$plugins" "$ROOT/target/release/wedge" run \
            --nn-preload "bench:GGML:AUTO:$MODELS/bench.gguf" \
            "$ROOT/plugins/wasi_nn/tests/guests/nn_ggml.wasm" bench bench "$prompt" 128 2048 "$threads" 5
    }
    log=$(mktemp)
    for round in 1 2 3 4; do
        echo "-- round $round"
        if [ $((round % 2)) -eq 1 ]; then native; guest; else guest; native; fi
    done | tee "$log"
    for who in native guest; do
        for key in pp_tps tg_tps; do
            printf '%s median %s: ' "$who" "$key"
            grep "^$who " "$log" | sed "s/.*$key=\([0-9.]*\).*/\1/" | sort -n \
                | awk '{v[NR]=$1} END {print (NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'
        done
    done
    rm -rf "$plugins" "$log"
fi

if [ "${1:-}" = "--test" ]; then
    # The library's unit tests (config parsing, number formats).
    (cd "$CRATE" && CARGO_TARGET_DIR=$GGML_TARGET cargo test --release --locked --lib)
    # The end-to-end tests: the workspace's test build (wedge, the C API, the default plug-in),
    # which opens libwedge_nn_ggml.so from the cache.
    nn_test wasi_nn_ggml::
fi
