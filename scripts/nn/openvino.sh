#!/usr/bin/env bash
# OpenVINO for the wasi_nn plug-in's OpenVINO, TensorFlow Lite and Autodetect backends (and the
# wasmedge_tensorflowlite plug-in), through crates/nn-openvino; and the OpenVINO test models.
#
#   scripts/nn/openvino.sh [--test | --bench]
#
# --test runs the OpenVINO end-to-end tests (ignored by a plain `cargo test`) and the
# wedge-nn-openvino crate's and the plug-in's tests that need the runtime or the models.
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

if [ "${1:-}" = "--test" ]; then
    export WEDGE_OPENVINO_LIB="$CACHE/openvino"
    (cd "$ROOT" && WEDGE_NN_MODELS="$MODELS" cargo test -p wedge-nn-openvino -- --include-ignored)
    (cd "$ROOT" && WEDGE_NN_MODELS="$MODELS" cargo test -p wedge-plugin-wasi-nn --lib -- --include-ignored autodetect)
    nn_test wasi_nn_openvino::
fi
