#!/usr/bin/env bash
# ONNX Runtime for the wasi_nn plug-in's ONNX backend, and the ONNX test models.
#
#   scripts/nn/onnx.sh [--test | --bench]
#
# --test runs the ONNX end-to-end tests (ignored by a plain `cargo test`); --bench times the
# benchmark model natively and through a guest.
#
# In the cache (scripts/nn/common.sh):
#   venv/                        Python venv with onnx, onnxruntime and numpy (from PyPI)
#   onnxruntime/libonnxruntime.so  ONNX Runtime's C library, copied from the onnxruntime wheel;
#                                  the plug-in's ONNX backend finds it here (or at $ORT_DYLIB_PATH)
#   models/mlp.onnx              a 2-layer MLP made with the onnx package
#   models/mlp.input.bin         its test input (f32, little-endian) and onnxruntime's own output
#   models/mlp.output.bin
#   models/mlp16.onnx            the same MLP taking an F16 input, with a second output in F16
#   models/mlp16.input.bin       its input (f16) and onnxruntime's outputs (f32, f16)
#   models/mlp16.output.bin, mlp16.output16.bin
#   models/bench.onnx            4 x ([rows, 1024] @ [1024, 1024] + relu), for --bench
#
# Versions: onnxruntime 1.31.1 (the ort crate the plug-in uses needs ONNX Runtime 1.31 or
# later), onnx 1.23.2.
source "$(dirname "$0")/common.sh"
ORT_VERSION=1.31.1
ONNX_VERSION=1.23.2
mkdir -p "$CACHE/onnxruntime"
nn_venv venv "onnxruntime==$ORT_VERSION" "onnx==$ONNX_VERSION" numpy

# The wheel ships only the versioned library (capi/libonnxruntime.so.X.Y.Z).
LIB=$("$PY" - <<'PY'
import glob, os, onnxruntime
libs = sorted(glob.glob(os.path.join(os.path.dirname(onnxruntime.__file__), "capi", "libonnxruntime.so*")))
print(libs[-1] if libs else "")
PY
)
if [ -z "$LIB" ]; then
    echo "nn-runtimes: the onnxruntime wheel has no libonnxruntime.so" >&2
    exit 1
fi
cp -f "$LIB" "$CACHE/onnxruntime/libonnxruntime.so"
echo "ONNX Runtime: $CACHE/onnxruntime/libonnxruntime.so (from $(basename "$LIB"))"

# The test model: y = relu(x @ W1 + b1) @ W2 + b2, x: [1, 4] f32, y: [1, 3] f32; and
# onnxruntime's own output for a fixed input.
"$PY" - "$CACHE/models" <<'PY'
import sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
import onnxruntime as ort

out = sys.argv[1]
rng = np.random.default_rng(7)
w1 = rng.standard_normal((4, 8)).astype(np.float32)
b1 = rng.standard_normal((8,)).astype(np.float32)
w2 = rng.standard_normal((8, 3)).astype(np.float32)
b2 = rng.standard_normal((3,)).astype(np.float32)
nodes = [
    helper.make_node("MatMul", ["x", "w1"], ["h0"]),
    helper.make_node("Add", ["h0", "b1"], ["h1"]),
    helper.make_node("Relu", ["h1"], ["h2"]),
    helper.make_node("MatMul", ["h2", "w2"], ["h3"]),
    helper.make_node("Add", ["h3", "b2"], ["y"]),
]
graph = helper.make_graph(
    nodes, "mlp",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])],
    [numpy_helper.from_array(a, n) for a, n in ((w1, "w1"), (b1, "b1"), (w2, "w2"), (b2, "b2"))],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, f"{out}/mlp.onnx")
x = np.array([[0.5, -1.25, 2.0, 3.5]], dtype=np.float32)
y = ort.InferenceSession(f"{out}/mlp.onnx", providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
x.astype("<f4").tofile(f"{out}/mlp.input.bin")
y.astype("<f4").tofile(f"{out}/mlp.output.bin")
print("model:", f"{out}/mlp.onnx", "output:", y.tolist())

# The same MLP with an F16 input and a second, F16 output: x16 -> Cast(f32) -> MLP -> y, and
# y16 = Cast(y, f16); onnxruntime's own outputs for x rounded to f16.
nodes16 = [helper.make_node("Cast", ["x16"], ["x"], to=TensorProto.FLOAT)] + nodes + [
    helper.make_node("Cast", ["y"], ["y16"], to=TensorProto.FLOAT16)
]
graph16 = helper.make_graph(
    nodes16, "mlp16",
    [helper.make_tensor_value_info("x16", TensorProto.FLOAT16, [1, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3]),
     helper.make_tensor_value_info("y16", TensorProto.FLOAT16, [1, 3])],
    [numpy_helper.from_array(a, n) for a, n in ((w1, "w1"), (b1, "b1"), (w2, "w2"), (b2, "b2"))],
)
model16 = helper.make_model(graph16, opset_imports=[helper.make_opsetid("", 13)])
model16.ir_version = 8
onnx.checker.check_model(model16)
onnx.save(model16, f"{out}/mlp16.onnx")
x16 = x.astype(np.float16)
y32, y16 = ort.InferenceSession(f"{out}/mlp16.onnx", providers=["CPUExecutionProvider"]).run(None, {"x16": x16})
x16.astype("<f2").tofile(f"{out}/mlp16.input.bin")
y32.astype("<f4").tofile(f"{out}/mlp16.output.bin")
y16.astype("<f2").tofile(f"{out}/mlp16.output16.bin")
print("model:", f"{out}/mlp16.onnx", "output:", y32.tolist(), y16.tolist())
PY

# The benchmark model: 4 layers of [rows, 1024] @ [1024, 1024] + relu (2 GFLOP a run at the
# 256 rows --bench feeds it).
"$PY" - "$CACHE/models" <<'PY'
import sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(11)
nodes, inits, prev = [], [], "x"
for i in range(4):
    w = (rng.standard_normal((1024, 1024)) / 32).astype(np.float32)
    inits.append(numpy_helper.from_array(w, f"w{i}"))
    nodes.append(helper.make_node("MatMul", [prev, f"w{i}"], [f"m{i}"]))
    nodes.append(helper.make_node("Relu", [f"m{i}"], [f"r{i}" if i < 3 else "y"]))
    prev = f"r{i}"
graph = helper.make_graph(
    nodes, "bench",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["rows", 1024])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["rows", 1024])],
    inits,
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, f"{out}/bench.onnx")
PY

if [ "${1:-}" = "--bench" ]; then
    # The same model, input and runtime, called natively (onnxruntime's Python API, default
    # threads) and through a guest (wedge, release build).
    cd "$ROOT"
    cargo build --release -p wedge-cli -p wedge-plugin-wasi-nn
    "$PY" - "$CACHE/models/bench.onnx" <<'PY'
import sys, time
import numpy as np
import onnxruntime as ort
s = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
x = np.ones((256, 1024), dtype=np.float32)
s.run(None, {"x": x})
n = 50
t = time.perf_counter()
for _ in range(n):
    s.run(None, {"x": x})
print(f"native mean_ms={(time.perf_counter() - t) * 1e3 / n:.3f}")
PY
    plugins=$(mktemp -d)
    cp target/release/libwedge_plugin_wasi_nn.so "$plugins/"
    ORT_DYLIB_PATH="$CACHE/onnxruntime/libonnxruntime.so" WASMEDGE_PLUGIN_PATH="$plugins" \
        target/release/wedge run --dir "/m:$CACHE/models" \
        plugins/wasi_nn/tests/guests/nn_bench.wasm /m/bench.onnx 256 1024 50
    rm -rf "$plugins"
fi

if [ "${1:-}" = "--test" ]; then
    export ORT_DYLIB_PATH="$CACHE/onnxruntime/libonnxruntime.so"
    nn_test wasi_nn::
fi
