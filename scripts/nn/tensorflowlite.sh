#!/usr/bin/env bash
# The wasmedge_tensorflowlite plug-in: its benchmark model, its tests and its benchmark. Its
# runtime is OpenVINO (scripts/nn/openvino.sh) and its test model the MLP as models/mlp.tflite
# (scripts/nn/tensorflow.sh); nn-runtimes.sh runs those first.
#
#   scripts/nn/tensorflowlite.sh [--test | --bench]
#
# --test runs the plug-in's end-to-end tests that need OpenVINO; --bench times the benchmark
# model through a guest and natively: OpenVINO's Python API on the same .tflite (the runtime the
# plug-in uses, same f32 precision hint, default threads) and TFLite's own interpreter.
#
# In the cache (scripts/nn/common.sh):
#   models/tflite_bench.tflite    4 x ([256, 1024] @ [1024, 1024] + relu), the weights of
#                                 onnx.sh's bench.onnx, converted by tf.lite.TFLiteConverter;
#                                 its input and output tensor names are in
#                                 models/tflite_bench.names
source "$(dirname "$0")/common.sh"
TFPY="$CACHE/venv-tf/bin/python"
OVPY="$CACHE/venv/bin/python"
for py in "$TFPY" "$OVPY"; do
    if [ ! -x "$py" ]; then
        echo "nn-runtimes: $py is missing: run scripts/nn-runtimes.sh (tensorflow, openvino) first" >&2
        exit 1
    fi
done

if [ ! -f "$MODELS/tflite_bench.tflite" ] || [ ! -f "$MODELS/tflite_bench.names" ]; then
    TF_CPP_MIN_LOG_LEVEL=2 PYTHONWARNINGS=ignore "$TFPY" - "$MODELS" <<'PY'
import sys
import numpy as np
import tensorflow as tf

out = sys.argv[1]
rng = np.random.default_rng(11)
ws = [tf.constant((rng.standard_normal((1024, 1024)) / 32).astype(np.float32)) for _ in range(4)]

@tf.function(input_signature=[tf.TensorSpec([256, 1024], tf.float32, name="x")], autograph=False)
def bench(x):
    h = x
    for w in ws:
        h = tf.nn.relu(tf.matmul(h, w))
    return h

conv = tf.lite.TFLiteConverter.from_concrete_functions([bench.get_concrete_function()], bench)
with open(f"{out}/tflite_bench.tflite", "wb") as f:
    f.write(conv.convert())
it = tf.lite.Interpreter(model_path=f"{out}/tflite_bench.tflite")
names = it.get_input_details()[0]["name"], it.get_output_details()[0]["name"]
with open(f"{out}/tflite_bench.names", "w") as f:
    f.write(" ".join(names) + "\n")
print("tflite bench:", f"{out}/tflite_bench.tflite", "input:", names[0], "output:", names[1])
PY
fi

if [ "${1:-}" = "--bench" ]; then
    read -r IN OUT < "$MODELS/tflite_bench.names"
    cd "$ROOT"
    cargo build --release -p wedge-cli -p wedge-plugin-tensorflowlite
    "$OVPY" - "$MODELS/tflite_bench.tflite" <<'PY'
import sys, time
import numpy as np
import openvino as ov
t0 = time.perf_counter()
core = ov.Core()
core.set_property("CPU", {"INFERENCE_PRECISION_HINT": "f32"})
req = core.compile_model(core.read_model(sys.argv[1]), "CPU").create_infer_request()
x = np.ones((256, 1024), dtype=np.float32)
req.infer([x])
print(f"native OpenVINO first_ms={(time.perf_counter() - t0) * 1e3:.1f} (read + compile + first run)")
n = 50
t = time.perf_counter()
for _ in range(n):
    req.infer([x])
print(f"native OpenVINO mean_ms={(time.perf_counter() - t) * 1e3 / n:.3f}")
PY
    TF_CPP_MIN_LOG_LEVEL=2 "$TFPY" - "$MODELS/tflite_bench.tflite" <<'PY'
import sys, time
import numpy as np
import tensorflow as tf
it = tf.lite.Interpreter(model_path=sys.argv[1])
it.allocate_tensors()
i, o = it.get_input_details()[0]["index"], it.get_output_details()[0]["index"]
x = np.ones((256, 1024), dtype=np.float32)
it.set_tensor(i, x); it.invoke(); it.get_tensor(o)
n = 50
t = time.perf_counter()
for _ in range(n):
    it.set_tensor(i, x); it.invoke(); it.get_tensor(o)
print(f"native TFLite interpreter mean_ms={(time.perf_counter() - t) * 1e3 / n:.3f}")
PY
    plugins=$(mktemp -d)
    cp target/release/libwedge_plugin_tensorflowlite.so "$plugins/"
    WASMEDGE_PLUGIN_PATH="$plugins" target/release/wedge run --dir "/m:$MODELS" \
        plugins/wasmedge_tensorflowlite/tests/guests/tflite.wasm bench /m/tflite_bench.tflite \
        "$IN" "$OUT" 50
    rm -rf "$plugins"
fi

if [ "${1:-}" = "--test" ]; then
    nn_test tensorflowlite::
fi
