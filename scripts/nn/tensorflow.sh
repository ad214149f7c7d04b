#!/usr/bin/env bash
# TensorFlow's C library for the wasmedge_tensorflow plug-in, and the TensorFlow and TFLite test
# models.
#
#   scripts/nn/tensorflow.sh [--test | --bench]
#
# --test runs the TensorFlow end-to-end tests and the binding's own tests (ignored by a plain
# `cargo test`); --bench times the benchmark model natively (TensorFlow's Python API) and through
# a guest.
#
# In the cache (scripts/nn/common.sh):
#   venv-tf/                       Python venv with tensorflow-cpu (which pins numpy and protobuf,
#                                  hence a venv of its own)
#   tensorflow/libtensorflow_cc.so.2         TensorFlow's C API and its framework library,
#   tensorflow/libtensorflow_framework.so.2  symbolic links into the wheel; the plug-in opens
#                                  the first here (or at $WEDGE_TENSORFLOW_LIB), which finds the
#                                  second through its RUNPATH ($ORIGIN)
#   models/mlp.pb                  the MLP of scripts/nn/onnx.sh (same weights, same input
#                                  models/mlp.input.bin) as a frozen GraphDef:
#                                  input  "x:0" f32 [1, 4], output "y:0" f32 [1, 3]
#   models/mlp_saved/              the same MLP as a SavedModel (tag "serve", signature
#                                  "serving_default"); its graph's input and output tensor names
#                                  are in models/mlp_saved.names ("serving_default_x:0" and
#                                  "StatefulPartitionedCall:0" with TensorFlow 2.21)
#   models/mlp.tf.output.bin       TensorFlow's own output for models/mlp.input.bin (f32 LE)
#   models/mlp.tflite              the same MLP converted by tf.lite.TFLiteConverter (f32, no
#                                  quantisation): input 0 "serving_default_x:0" f32 [1, 4],
#                                  output 0 "StatefulPartitionedCall:0" f32 [1, 3] (the names
#                                  the converter gives; printed when the script runs)
#   models/mlp.tflite.output.bin   TFLite's own output (tf.lite.Interpreter) for the same input
#   models/tf_bench.pb             4 x ([rows, 1024] @ [1024, 1024] + relu), the weights of
#                                  scripts/nn/onnx.sh's bench.onnx, as a frozen GraphDef:
#                                  input "x:0" f32 [?, 1024], output "y:0"; for --bench
#
# Version: tensorflow-cpu 2.21.0 (the C API functions the plug-in uses are all exported by its
# libtensorflow_cc.so.2).
source "$(dirname "$0")/common.sh"
TF_VERSION=2.21.0
mkdir -p "$CACHE/tensorflow"
nn_venv venv-tf "tensorflow-cpu==$TF_VERSION"

TFDIR=$("$PY" -c 'import os, importlib.util; print(os.path.dirname(importlib.util.find_spec("tensorflow").origin))')
for lib in libtensorflow_cc.so.2 libtensorflow_framework.so.2; do
    if [ ! -e "$TFDIR/$lib" ]; then
        echo "nn-runtimes: the tensorflow-cpu wheel has no $lib (in $TFDIR)" >&2
        exit 1
    fi
    ln -sfn "$TFDIR/$lib" "$CACHE/tensorflow/$lib"
done
echo "TensorFlow: $CACHE/tensorflow/libtensorflow_cc.so.2 (-> $TFDIR)"

# The models. The MLP's weights are drawn exactly as scripts/nn/onnx.sh draws them, and its input
# is the one onnx.sh writes (written here too when onnx.sh has not run).
TF_CPP_MIN_LOG_LEVEL=2 PYTHONWARNINGS=ignore "$PY" - "$MODELS" <<'PY'
import os, shutil, sys
import numpy as np
import tensorflow as tf

out = sys.argv[1]
rng = np.random.default_rng(7)
w1 = rng.standard_normal((4, 8)).astype(np.float32)
b1 = rng.standard_normal((8,)).astype(np.float32)
w2 = rng.standard_normal((8, 3)).astype(np.float32)
b2 = rng.standard_normal((3,)).astype(np.float32)
x = np.array([[0.5, -1.25, 2.0, 3.5]], dtype=np.float32)
inp = f"{out}/mlp.input.bin"
if os.path.exists(inp):
    assert np.array_equal(np.fromfile(inp, dtype="<f4").reshape(1, 4), x), inp
else:
    x.astype("<f4").tofile(inp)

# The frozen graph: placeholder "x", constants, output "y".
g = tf.Graph()
with g.as_default():
    xp = tf.compat.v1.placeholder(tf.float32, [1, 4], name="x")
    h = tf.nn.relu(tf.matmul(xp, tf.constant(w1, name="w1")) + tf.constant(b1, name="b1"))
    tf.identity(tf.matmul(h, tf.constant(w2, name="w2")) + tf.constant(b2, name="b2"), name="y")
with open(f"{out}/mlp.pb", "wb") as f:
    f.write(g.as_graph_def().SerializeToString())
with tf.compat.v1.Session(graph=g) as s:
    y = s.run("y:0", {"x:0": x})
y.astype("<f4").tofile(f"{out}/mlp.tf.output.bin")
print("frozen graph:", f"{out}/mlp.pb", "output:", y.tolist())

# The SavedModel.
class Mlp(tf.Module):
    def __init__(self):
        self.w1, self.b1 = tf.Variable(w1), tf.Variable(b1)
        self.w2, self.b2 = tf.Variable(w2), tf.Variable(b2)

    @tf.function(input_signature=[tf.TensorSpec([1, 4], tf.float32, name="x")], autograph=False)
    def __call__(self, x):
        return {"y": tf.matmul(tf.nn.relu(tf.matmul(x, self.w1) + self.b1), self.w2) + self.b2}

m = Mlp()
saved = f"{out}/mlp_saved"
shutil.rmtree(saved, ignore_errors=True)
tf.saved_model.save(m, saved, signatures=m.__call__.get_concrete_function())
# The graph-level names of the serving signature's tensors, for the C API.
g2 = tf.Graph()
with tf.compat.v1.Session(graph=g2) as s:
    meta = tf.compat.v1.saved_model.loader.load(s, ["serve"], saved)
    sig = meta.signature_def["serving_default"]
    xin, yout = sig.inputs["x"].name, sig.outputs["y"].name
    ys = s.run(yout, {xin: x})
assert np.allclose(ys, y, rtol=1e-6, atol=1e-6), (ys, y)
with open(f"{out}/mlp_saved.names", "w") as f:
    f.write(f"{xin} {yout}\n")
print("saved model:", saved, "input:", xin, "output:", yout)

# The TFLite model, from the SavedModel, and TFLite's own output.
tflite = tf.lite.TFLiteConverter.from_saved_model(saved).convert()
with open(f"{out}/mlp.tflite", "wb") as f:
    f.write(tflite)
it = tf.lite.Interpreter(model_path=f"{out}/mlp.tflite")
it.allocate_tensors()
i0, o0 = it.get_input_details()[0], it.get_output_details()[0]
it.set_tensor(i0["index"], x)
it.invoke()
yl = it.get_tensor(o0["index"])
yl.astype("<f4").tofile(f"{out}/mlp.tflite.output.bin")
print("tflite:", f"{out}/mlp.tflite", "input:", i0["name"], i0["shape"].tolist(),
      "output:", o0["name"], o0["shape"].tolist(), "values:", yl.tolist())

# The benchmark graph: the weights of onnx.sh's bench.onnx.
rng = np.random.default_rng(11)
g = tf.Graph()
with g.as_default():
    h = tf.compat.v1.placeholder(tf.float32, [None, 1024], name="x")
    for i in range(4):
        w = (rng.standard_normal((1024, 1024)) / 32).astype(np.float32)
        h = tf.nn.relu(tf.matmul(h, tf.constant(w, name=f"w{i}")))
    tf.identity(h, name="y")
with open(f"{out}/tf_bench.pb", "wb") as f:
    f.write(g.as_graph_def().SerializeToString())
PY

if [ "${1:-}" = "--bench" ]; then
    # The same graph, input and library, called natively (TensorFlow's Python API, default
    # threads, as the C API's default session options) and through a guest (wedge, release
    # build); the guest also reports its first create_session (opening TensorFlow included).
    cd "$ROOT"
    cargo build --release -p wedge-cli -p wedge-plugin-tensorflow
    TF_CPP_MIN_LOG_LEVEL=2 "$PY" - "$MODELS/tf_bench.pb" <<'PY'
import sys, time
import numpy as np
import tensorflow as tf
g = tf.Graph()
gd = tf.compat.v1.GraphDef()
t0 = time.perf_counter()
with open(sys.argv[1], "rb") as f:
    gd.ParseFromString(f.read())
with g.as_default():
    tf.import_graph_def(gd, name="")
s = tf.compat.v1.Session(graph=g)
x = np.ones((256, 1024), dtype=np.float32)
y = s.run("y:0", {"x:0": x})
print(f"native first_run_ms={(time.perf_counter() - t0) * 1e3:.1f} (graph import + session + first run) out0={y.flat[0]:g}")
n = 50
t = time.perf_counter()
for _ in range(n):
    s.run("y:0", {"x:0": x})
print(f"native mean_ms={(time.perf_counter() - t) * 1e3 / n:.3f}")
PY
    plugins=$(mktemp -d)
    cp target/release/libwedge_plugin_tensorflow.so "$plugins/"
    WEDGE_TENSORFLOW_LIB="$CACHE/tensorflow/libtensorflow_cc.so.2" WASMEDGE_PLUGIN_PATH="$plugins" \
        TF_CPP_MIN_LOG_LEVEL=2 target/release/wedge run --dir "/m:$MODELS" \
        plugins/wasmedge_tensorflow/tests/guests/tf_bench.wasm /m/tf_bench.pb 256 1024 50 /m/mlp.pb
    rm -rf "$plugins"
fi

if [ "${1:-}" = "--test" ]; then
    export WEDGE_TENSORFLOW_LIB="$CACHE/tensorflow/libtensorflow_cc.so.2"
    nn_test tensorflow::
    # The binding alone (src/ffi.rs), natively.
    WEDGE_NN_MODELS="$MODELS" cargo test -p wedge-plugin-tensorflow -- --include-ignored
fi
