#!/usr/bin/env bash
# libtorch for the wasi_nn plug-in's PyTorch backend, the plug-in built with it, and the
# TorchScript test models.
#
#   scripts/nn/pytorch.sh [--test | --bench]
#
# --test runs the PyTorch end-to-end tests (ignored by a plain `cargo test`); --bench times the
# benchmark model natively (tch) and through a guest.
#
# The PyTorch backend is a separate build of the plug-in (cargo feature `pytorch`, which links
# libtorch), as in WasmEdge: it goes to its own target directory, so the workspace's build is
# not touched:
#   $ROOT/target/nn-pytorch/debug/libwedge_plugin_wasi_nn.so     (--bench: .../release/)
# Run it with LD_LIBRARY_PATH=$CACHE/libtorch/lib.
#
# In the cache (scripts/nn/common.sh):
#   libtorch/wheels/         the torch 2.13.0 (CUDA 13 build, 527 MB), nvidia-cuda-runtime
#                            13.5.37 and nvidia-cuda-cupti 13.5.25 wheels from PyPI (541 MB)
#   libtorch/lib/            libtorch_cpu.so, libc10.so, libgomp.so.1 from the torch wheel,
#                            libcudart.so.13 and libcupti.so.13 (libtorch_cpu.so needs them, even
#                            on a machine without a GPU), and an empty libtorch.so: the real one
#                            pulls libtorch_cuda.so (448 MB) and the CPU backend needs none of it
#   libtorch/include/        the torch wheel's headers
#   torch-weights/           the MLP's and the benchmark model's weights, written by numpy
#   models/mlp.pt            the MLP of scripts/nn/onnx.sh (same weights), traced by libtorch
#   models/mlp.torch.output.bin  libtorch's own output for models/mlp.input.bin
#   models/bench.pt          4 x ([rows, 1024] @ [1024, 1024] + relu), weights as bench.onnx's
# The models are made without Python torch (importing it pulls the CUDA stack): numpy writes the
# weights, the example torch_models of wedge-plugin-wasi-nn traces and saves them with libtorch.
#
# Versions: torch 2.13.0 (tch 0.26.0 checks for 2.13; torch 2.15's headers need C++20, which
# tch 0.26 cannot compile).
source "$(dirname "$0")/common.sh"
TORCH_VERSION=2.13.0
CUDART_VERSION=13.5.37
CUPTI_VERSION=13.5.25
LT=$CACHE/libtorch
export LIBTORCH=$LT
export LD_LIBRARY_PATH=$LT/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export CARGO_TARGET_DIR=$ROOT/target/nn-pytorch
nn_venv venv numpy

# libtorch, from the wheels (downloaded once; unpacked once).
if [ ! -f "$LT/lib/libtorch_cpu.so" ] || [ ! -f "$LT/build-version" ]; then
    mkdir -p "$LT/wheels"
    have() { compgen -G "$LT/wheels/$1" > /dev/null; }
    if ! have "torch-$TORCH_VERSION-*.whl" || ! have "nvidia_cuda_runtime-$CUDART_VERSION-*.whl" \
        || ! have "nvidia_cuda_cupti-$CUPTI_VERSION-*.whl"; then
        "$PY" -m pip download --quiet --no-deps --only-binary=:all: -d "$LT/wheels" \
            "torch==$TORCH_VERSION" "nvidia-cuda-runtime==$CUDART_VERSION" \
            "nvidia-cuda-cupti==$CUPTI_VERSION"
    fi
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    (
        cd "$tmp"
        unzip -q -o "$LT"/wheels/torch-"$TORCH_VERSION"-*.whl 'torch/lib/libc10.so' \
            'torch/lib/libtorch_cpu.so' 'torch/lib/libgomp.so.1' 'torch/include/*'
        unzip -q -o "$LT"/wheels/nvidia_cuda_runtime-"$CUDART_VERSION"-*.whl \
            'nvidia/cu13/lib/libcudart.so.13'
        unzip -q -o "$LT"/wheels/nvidia_cuda_cupti-"$CUPTI_VERSION"-*.whl \
            'nvidia/cu13/lib/libcupti.so.13'
    )
    rm -rf "$LT/lib" "$LT/include"
    mkdir -p "$LT/lib"
    mv "$tmp"/torch/lib/* "$tmp"/nvidia/cu13/lib/* "$LT/lib/"
    mv "$tmp/torch/include" "$LT/include"
    # torch-sys links -ltorch; an empty library stands for it.
    cc -shared -o "$LT/lib/libtorch.so" -x c /dev/null
    # torch-sys checks this against the version tch expects.
    echo "$TORCH_VERSION" > "$LT/build-version"
fi
echo "libtorch: $LT ($(du -sh "$LT/lib" | cut -f1) of libraries)"

# The plug-in with its PyTorch backend, and the example that makes the models.
cd "$ROOT"
# One profile, dev (optimized: opt-level 1, dependencies 2), for tests and --bench alike: the
# work is libtorch's, and a release build would compile torch-sys's C++ once more (~10 min).
dir=$CARGO_TARGET_DIR/debug
start=$(date +%s)
cargo build -p wedge-plugin-wasi-nn --features pytorch --lib --example torch_models
echo "PyTorch build of the plug-in: $(($(date +%s) - start)) s"
PLUGIN=$dir/libwedge_plugin_wasi_nn.so
echo "plug-in: $PLUGIN"

# The models: the weights from numpy (the same generators and order as scripts/nn/onnx.sh),
# traced by libtorch.
if [ ! -f "$MODELS/mlp.pt" ] || [ ! -f "$MODELS/bench.pt" ] \
    || [ ! -f "$MODELS/mlp.torch.output.bin" ]; then
    "$PY" - "$CACHE/torch-weights" "$MODELS" <<'PY'
import os, sys
import numpy as np

out, models = sys.argv[1], sys.argv[2]
os.makedirs(f"{out}/mlp", exist_ok=True)
os.makedirs(f"{out}/bench", exist_ok=True)
rng = np.random.default_rng(7)
for name, shape in (("w1", (4, 8)), ("b1", (8,)), ("w2", (8, 3)), ("b2", (3,))):
    rng.standard_normal(shape).astype("<f4").tofile(f"{out}/mlp/{name}.bin")
rng = np.random.default_rng(11)
for i in range(4):
    (rng.standard_normal((1024, 1024)) / 32).astype("<f4").tofile(f"{out}/bench/w{i}.bin")
x = np.array([[0.5, -1.25, 2.0, 3.5]], dtype=np.float32)
x.astype("<f4").tofile(f"{models}/mlp.input.bin")
PY
    "$dir/examples/torch_models" make "$CACHE/torch-weights" "$MODELS"
fi

if [ "${1:-}" = "--bench" ]; then
    # The same model, input and libtorch (its default threads), called natively (tch) and
    # through a guest (wedge from the workspace's release build, this script's plug-in), twice
    # each, alternating. load_ms / first_call_ms include reading the model and libtorch's first
    # run (its one-time setup); mean_ms is the mean of 50 runs after that.
    unset CARGO_TARGET_DIR
    cargo build --release -p wedge-cli
    plugins=$(mktemp -d)
    cp "$PLUGIN" "$plugins/"
    for round in 1 2; do
        echo "-- round $round"
        "$dir/examples/torch_models" bench "$MODELS/bench.pt" 256 1024 50
        start=$(date +%s%N)
        WASMEDGE_PLUGIN_PATH="$plugins" "$ROOT/target/release/wedge" run --dir "/m:$MODELS" \
            plugins/wasi_nn/tests/guests/nn_bench.wasm /m/bench.pt 256 1024 50 3
        echo "guest process_ms=$((($(date +%s%N) - start) / 1000000)) (start, load and 51 runs)"
    done
    rm -rf "$plugins"
fi

if [ "${1:-}" = "--test" ]; then
    # The backend's unit tests (they trace and run models with libtorch), in this build.
    cargo test -p wedge-plugin-wasi-nn --features pytorch --lib pytorch
    # The end-to-end tests: the workspace's test build (wedge, the C API, the default plug-in)
    # in target/, and the PyTorch plug-in from this script's build.
    unset CARGO_TARGET_DIR
    export WEDGE_NN_PLUGIN=$PLUGIN
    nn_test wasi_nn_pytorch::
fi
