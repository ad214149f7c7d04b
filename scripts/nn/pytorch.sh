#!/usr/bin/env bash
# libtorch for the wasi_nn plug-in's PyTorch backend, the backend's library built with it, and
# the TorchScript test models.
#
#   scripts/nn/pytorch.sh [--test | --bench]
#
# --test runs the PyTorch end-to-end tests (ignored by a plain `cargo test`) and the backend
# library's unit tests; --bench times the benchmark model natively (tch) and through a guest.
#
# The PyTorch backend is the crate plugins/wasi_nn/torch (libwedge_nn_torch.so, which links
# libtorch through tch): a workspace of its own, built here into its own target directory
#   $ROOT/target/nn-pytorch/debug/libwedge_nn_torch.so
# and copied next to libtorch, $CACHE/libtorch/lib/libwedge_nn_torch.so (RUNPATH $ORIGIN), where
# the workspace's default build of the plug-in opens it at the first PyTorch load (or at
# $WEDGE_NN_TORCH_LIB). No LD_LIBRARY_PATH is needed to run it.
#
# In the cache (scripts/nn/common.sh):
#   libtorch/wheels/         the torch 2.13.0 (CUDA 13 build, 527 MB), nvidia-cuda-runtime
#                            13.5.37 and nvidia-cuda-cupti 13.5.25 wheels from PyPI (541 MB)
#   libtorch/lib/            libtorch_cpu.so, libc10.so, libgomp.so.1 from the torch wheel,
#                            libcudart.so.13 and libcupti.so.13 (libtorch_cpu.so needs them, even
#                            on a machine without a GPU), an empty libtorch.so (the real one
#                            pulls libtorch_cuda.so, 448 MB, and the CPU backend needs none of
#                            it), and libwedge_nn_torch.so
#   libtorch/include/        the torch wheel's headers
#   torch-weights/           the MLP's and the benchmark model's weights, written by numpy
#   models/mlp.pt            the MLP of scripts/nn/onnx.sh (same weights), traced by libtorch
#   models/mlp.torch.output.bin  libtorch's own output for models/mlp.input.bin
#   models/bench.pt          4 x ([rows, 1024] @ [1024, 1024] + relu), weights as bench.onnx's
# The models are made without Python torch (importing it pulls the CUDA stack): numpy writes the
# weights, the example torch_models of wedge-nn-torch traces and saves them with libtorch.
#
# Versions: torch 2.13.0 (tch 0.26.0 checks for 2.13; torch 2.15's headers need C++20, which
# tch 0.26 cannot compile).
source "$(dirname "$0")/common.sh"
TORCH_VERSION=2.13.0
CUDART_VERSION=13.5.37
CUPTI_VERSION=13.5.25
LT=$CACHE/libtorch
export LIBTORCH=$LT
TORCH_TARGET=$ROOT/target/nn-pytorch
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

# The backend's library, and the example that makes the models: the crate is a workspace of its
# own (its Cargo.lock is committed), built into its own target directory.
cd "$ROOT/plugins/wasi_nn/torch"
# One profile, dev (optimized: opt-level 1, dependencies 2), for tests and --bench alike: the
# work is libtorch's, and a release build would compile torch-sys's C++ once more (~10 min).
dir=$TORCH_TARGET/debug
start=$(date +%s)
CARGO_TARGET_DIR=$TORCH_TARGET cargo build --locked --lib --example torch_models
echo "PyTorch backend library build: $(($(date +%s) - start)) s"
cp "$dir/libwedge_nn_torch.so" "$LT/lib/libwedge_nn_torch.so.tmp"
mv "$LT/lib/libwedge_nn_torch.so.tmp" "$LT/lib/libwedge_nn_torch.so"
echo "PyTorch backend: $LT/lib/libwedge_nn_torch.so"
cd "$ROOT"
# The plug-in looks in ${XDG_CACHE_HOME:-~/.cache}/wedge/nn; a cache elsewhere is named to it.
if [ "$CACHE" != "${XDG_CACHE_HOME:-$HOME/.cache}/wedge/nn" ]; then
    export WEDGE_NN_TORCH_LIB=$LT/lib/libwedge_nn_torch.so
fi

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
    # through a guest (wedge and the plug-in from the workspace's release build, which opens
    # this script's libwedge_nn_torch.so), twice each, alternating. load_ms / first_call_ms
    # include reading the model and libtorch's first run (its one-time setup); mean_ms is the
    # mean of 50 runs after that.
    cargo build --release -p wedge-cli -p wedge-plugin-wasi-nn
    plugins=$(mktemp -d)
    cp "$ROOT/target/release/libwedge_plugin_wasi_nn.so" "$plugins/"
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
    # The library's unit tests (they trace and run models with libtorch, through its C ABI too);
    # the test harness has no RUNPATH, so libtorch's directory is named to it.
    (cd plugins/wasi_nn/torch && CARGO_TARGET_DIR=$TORCH_TARGET LD_LIBRARY_PATH=$LT/lib \
        cargo test --locked --lib)
    # The end-to-end tests: the workspace's test build (wedge, the C API, the default plug-in),
    # which opens libwedge_nn_torch.so from the cache.
    nn_test wasi_nn_pytorch::
fi
