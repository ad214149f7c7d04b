#!/usr/bin/env bash
# OpenVINO for the wasi_nn plug-in's OpenVINO, TensorFlow Lite and Autodetect backends (and the
# wasmedge_tensorflowlite plug-in), through crates/nn-openvino; and the OpenVINO test models.
#
#   scripts/nn/openvino.sh [--test | --bench]
#
# --test runs the OpenVINO end-to-end tests (ignored by a plain `cargo test`) and the
# wedge-nn-openvino crate's and the plug-in's tests that need the runtime or the models; --bench
# times the benchmark model natively (OpenVINO's Python API) and through a guest, and the first
# call.
#
# In the cache (scripts/nn/common.sh):
#   venv/                         the Python venv of onnx.sh, with openvino added (from PyPI)
#   openvino/                     a link to the wheel's openvino/libs/ directory (libopenvino_c.so.NNNN,
#                                 its siblings, the CPU plug-in and the frontends); the
#                                 wedge-nn-openvino crate finds it here (or at $WEDGE_OPENVINO_LIB)
#   models/mlp.xml, mlp.bin       onnx.sh's models/mlp.onnx converted to OpenVINO IR
#   models/mlp.openvino.output.bin  OpenVINO's own output (Python API, CPU, f32 hint) of the IR for
#                                 models/mlp.input.bin
# The TFLite tests read models/mlp.tflite and mlp.tflite.output.bin, which scripts/nn/tensorflow.sh
# makes (nn-runtimes.sh makes every runtime's models before any --test); bench.onnx is onnx.sh's.
#
# Version: openvino 2026.4.1 (the openvino crate 0.11 needs 2025.1 or later).
source "$(dirname "$0")/common.sh"
OV_VERSION=2026.4.1
nn_venv venv "openvino==$OV_VERSION" numpy

LIBS=$("$PY" -c 'import os, openvino; print(os.path.join(os.path.dirname(openvino.__file__), "libs"))')
if ! ls "$LIBS"/libopenvino_c.so* > /dev/null 2>&1; then
    echo "nn-runtimes: the openvino wheel has no libs/libopenvino_c.so*" >&2
    exit 1
fi
rm -rf "$CACHE/openvino"
ln -s "$LIBS" "$CACHE/openvino"
echo "OpenVINO: $CACHE/openvino -> $LIBS"

if [ ! -f "$MODELS/mlp.onnx" ]; then
    bash "$(dirname "$0")/onnx.sh"
fi

# The IR of the ONNX MLP, and OpenVINO's own output for the same input.
"$PY" - "$MODELS" <<'PY'
import sys
import numpy as np
import openvino as ov

out = sys.argv[1]
core = ov.Core()
model = ov.convert_model(f"{out}/mlp.onnx")
ov.save_model(model, f"{out}/mlp.xml", compress_to_fp16=False)
compiled = core.compile_model(core.read_model(f"{out}/mlp.xml"), "CPU",
                              {"INFERENCE_PRECISION_HINT": "f32"})
x = np.fromfile(f"{out}/mlp.input.bin", dtype="<f4").reshape(1, 4)
y = compiled(x)[0]
y.astype("<f4").tofile(f"{out}/mlp.openvino.output.bin")
print("IR:", f"{out}/mlp.xml", "output:", y.tolist())
PY

if [ "${1:-}" = "--bench" ]; then
    # The same model (onnx.sh's bench.onnx, as IR), input and runtime, called natively
    # (OpenVINO's Python API, CPU, f32 hint, OpenVINO's default threads) and through a guest
    # (wedge, release build, encoding 0): mean_ms of steady-state runs (set the input, infer,
    # copy the output), and the first call: open+load_ms (opening the runtime, reading and
    # compiling the model; the guest compiles at its first set_input, so its first_ms holds the
    # compile and its load_ms the opening and reading), first_ms (the first inference).
    cd "$ROOT"
    cargo build --release -p wedge-cli -p wedge-plugin-wasi-nn
    "$PY" - "$MODELS" <<'PY'
import sys
import openvino as ov
out = sys.argv[1]
ov.save_model(ov.convert_model(f"{out}/bench.onnx"), f"{out}/bench.xml", compress_to_fp16=False)
PY
    "$PY" - "$MODELS/bench.xml" <<'PY'
import sys, time
t0 = time.perf_counter()
import numpy as np
import openvino as ov
core = ov.Core()
core.set_property("CPU", {"INFERENCE_PRECISION_HINT": "f32"})
compiled = core.compile_model(core.read_model(sys.argv[1]), "CPU")
request = compiled.create_infer_request()
t1 = time.perf_counter()
x = np.ones((256, 1024), dtype=np.float32)
request.infer({0: x})
y = request.get_output_tensor(0).data.copy()
t2 = time.perf_counter()
n = 50
for _ in range(n):
    request.infer({0: x})
    y = request.get_output_tensor(0).data.copy()
t3 = time.perf_counter()
print(f"native open+load_ms={(t1 - t0) * 1e3:.3f}\nnative first_ms={(t2 - t1) * 1e3:.3f}\n"
      f"native mean_ms={(t3 - t2) * 1e3 / n:.3f}")
PY
    plugins=$(mktemp -d)
    cp target/release/libwedge_plugin_wasi_nn.so "$plugins/"
    start=$(date +%s%N)
    WEDGE_OPENVINO_LIB="$CACHE/openvino" WASMEDGE_PLUGIN_PATH="$plugins" \
        target/release/wedge run --dir "/m:$MODELS" \
        plugins/wasi_nn/tests/guests/nn_bench.wasm /m/bench.xml 256 1024 50 0 /m/bench.bin
    echo "guest process wall_ms=$((($(date +%s%N) - start) / 1000000))"
    rm -rf "$plugins"
fi

if [ "${1:-}" = "--test" ]; then
    export WEDGE_OPENVINO_LIB="$CACHE/openvino"
    (cd "$ROOT" && WEDGE_NN_MODELS="$MODELS" cargo test -p wedge-nn-openvino -- --include-ignored)
    (cd "$ROOT" && WEDGE_NN_MODELS="$MODELS" cargo test -p wedge-plugin-wasi-nn --lib -- --include-ignored autodetect)
    nn_test wasi_nn_openvino::
fi
