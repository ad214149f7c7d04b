//! Tests that need no runtime, then tests with the runtime and the test models
//! (`scripts/nn-runtimes.sh` makes them; `scripts/nn/openvino.sh --test` runs the ignored ones).

use super::*;

#[test]
fn errors_are_one_word_wide() {
    assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
}

#[test]
fn a_missing_library_says_what_was_tried_and_what_to_install() {
    let missing = PathBuf::from("/nonexistent/wedge-test/libopenvino_c.so.2641");
    let why = Runtime::open(&[Candidate::Path(missing)])
        .err()
        .expect("a missing file does not open");
    assert!(
        why.contains("/nonexistent/wedge-test/libopenvino_c.so.2641"),
        "{why}"
    );
    let message = Error::new(ErrorKind::NotInstalled(why)).to_string();
    assert!(
        message.starts_with("OpenVINO is not installed ("),
        "{message}"
    );
    assert!(message.contains("scripts/nn-runtimes.sh"), "{message}");
    assert!(message.contains("PyPI openvino wheel"), "{message}");
}

#[test]
fn the_cache_directory_gives_its_newest_c_library() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(c_library_in(dir.path()), None);
    for name in [
        "libopenvino.so.2641",
        "libopenvino_c.so.2530",
        "libopenvino_c.so.2641",
    ] {
        std::fs::write(dir.path().join(name), b"").unwrap();
    }
    let newest = dir.path().join("libopenvino_c.so.2641");
    assert_eq!(c_library_in(dir.path()), Some(newest.clone()));
    assert_eq!(library_file(dir.path()), newest);
    std::fs::write(dir.path().join("libopenvino_c.so"), b"").unwrap();
    assert_eq!(
        c_library_in(dir.path()),
        Some(dir.path().join("libopenvino_c.so"))
    );
}

fn port(name: &str, ty: ElementType, shape: Option<Vec<Option<u64>>>) -> Port {
    Port {
        name: name.to_owned(),
        element_type: ty,
        shape,
    }
}

#[test]
fn ports_are_found_by_index_and_by_name() {
    let ports = Ports {
        inputs: vec![
            port("x", ElementType::F32, Some(vec![Some(1), Some(4)])),
            port("mask", ElementType::U8, Some(vec![None, Some(4)])),
        ],
        outputs: vec![port("y", ElementType::F32, None)],
    };
    assert_eq!(ports.find(PortRef::Index(1), false).ok(), Some(1));
    assert_eq!(ports.find("mask".into(), false).ok(), Some(1));
    assert_eq!(ports.find("y".into(), true).ok(), Some(0));
    let e = ports.find(PortRef::Index(2), false).unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::NoSuchPort {
            output: false,
            which: "2".into(),
            count: 2
        }
    );
    assert_eq!(e.to_string(), "the model has no input 2 (it has 2 inputs)");
    let e = ports.find("x".into(), true).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the model has no output \"x\" (it has 1 outputs)"
    );
}

#[test]
fn static_shapes_give_byte_sizes() {
    let x = port("x", ElementType::F32, Some(vec![Some(1), Some(4)]));
    assert_eq!(x.static_shape(), Some(vec![1, 4]));
    assert_eq!(x.byte_size(), Some(16));
    let dynamic = port("m", ElementType::U8, Some(vec![None, Some(4)]));
    assert_eq!(dynamic.static_shape(), None);
    assert_eq!(dynamic.byte_size(), None);
    assert_eq!(port("r", ElementType::F32, None).byte_size(), None);
    let huge = port("h", ElementType::F64, Some(vec![Some(u64::MAX), Some(2)]));
    assert_eq!(huge.byte_size(), None);
    assert_eq!(element_size(ElementType::U4), None);
    assert_eq!(element_size(ElementType::I64), Some(8));
}

// ---- with the runtime ----

const NEEDS: &str = "needs OpenVINO and the test models: run scripts/nn-runtimes.sh --test";

fn models() -> PathBuf {
    std::env::var_os("WEDGE_NN_MODELS").map_or_else(
        || {
            // Lexically: the cache's `openvino` is a link into the wheel.
            let dir = default_library_dir().expect("HOME is set");
            dir.parent().expect("a cache directory").join("models")
        },
        PathBuf::from,
    )
}

fn read(name: &str) -> Vec<u8> {
    let path = models().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} ({NEEDS})", path.display()))
}

fn f32s(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

fn assert_close(got: &[f32], expected: &[f32]) {
    assert_eq!(got.len(), expected.len(), "{got:?} vs {expected:?}");
    for (a, b) in got.iter().zip(expected) {
        assert!(
            (a - b).abs() <= 1e-5 * b.abs().max(1.0),
            "{got:?} vs {expected:?}"
        );
    }
}

/// Runs the MLP (x [1, 4] → y [1, 3]) with its test input; returns y.
fn run_mlp(model: &Model) -> Vec<f32> {
    let rt = runtime().expect(NEEDS);
    let compiled = rt.compile(model, Device::Cpu).unwrap();
    let mut request = compiled.infer_request().unwrap();
    let x = read("mlp.input.bin");
    request.set_input(0, ElementType::F32, &[1, 4], &x).unwrap();
    request.infer().unwrap();
    let y = request.output(0).unwrap();
    assert_eq!(y.element_type, ElementType::F32);
    assert_eq!(y.shape, [1, 3]);
    f32s(&y.data)
}

#[test]
#[ignore = "needs OpenVINO and the test models: run scripts/nn-runtimes.sh --test"]
fn onnx_runs_as_onnxruntime_and_ir_as_openvino_python() {
    let rt = runtime().expect(NEEDS);
    assert!(rt.version().starts_with("20"), "{}", rt.version());
    let onnx = rt.read_onnx(&read("mlp.onnx")).unwrap();
    assert_eq!(onnx.inputs().len(), 1);
    assert_eq!(onnx.inputs()[0].name, "x");
    assert_eq!(onnx.inputs()[0].static_shape(), Some(vec![1, 4]));
    assert_eq!(onnx.outputs()[0].name, "y");
    assert_close(&run_mlp(&onnx), &f32s(&read("mlp.output.bin")));
    let ir = rt.read_ir(&read("mlp.xml"), &read("mlp.bin")).unwrap();
    assert_close(&run_mlp(&ir), &f32s(&read("mlp.openvino.output.bin")));
}

#[test]
#[ignore = "needs OpenVINO and the test models: run scripts/nn-runtimes.sh --test"]
fn tflite_runs_as_tflite() {
    let rt = runtime().expect(NEEDS);
    let dir = tempfile::tempdir().unwrap();
    let model = rt.read_tflite_in(dir.path(), &read("mlp.tflite")).unwrap();
    // The temporary model file is gone, and so is a corrupt model's.
    assert!(rt.read_tflite_in(dir.path(), b"TFL3 but no model").is_err());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert!(left.is_empty(), "{left:?}");
    let compiled = rt.compile(&model, Device::Cpu).unwrap();
    let mut request = compiled.infer_request().unwrap();
    request.set_input_bytes(0, &read("mlp.input.bin")).unwrap();
    request.infer().unwrap();
    let y = request.output(0).unwrap();
    assert_close(&f32s(&y.data), &f32s(&read("mlp.tflite.output.bin")));
}

#[test]
#[ignore = "needs OpenVINO and the test models: run scripts/nn-runtimes.sh --test"]
fn inputs_and_outputs_by_name_and_bad_requests_are_errors() {
    let rt = runtime().expect(NEEDS);
    let model = rt.read_onnx(&read("mlp.onnx")).unwrap();
    let compiled = rt.compile(&model, Device::Cpu).unwrap();
    let mut request = compiled.infer_request().unwrap();
    let x = read("mlp.input.bin");
    request
        .set_input("x", ElementType::F32, &[1, 4], &x)
        .unwrap();
    request.infer().unwrap();
    assert_close(
        &f32s(&request.output("y").unwrap().data),
        &f32s(&read("mlp.output.bin")),
    );
    // Twice, through the request's own tensor: the same answer.
    request
        .set_input("x", ElementType::F32, &[1, 4], &x)
        .unwrap();
    request.infer().unwrap();
    assert_close(
        &f32s(&request.output("y").unwrap().data),
        &f32s(&read("mlp.output.bin")),
    );
    let short = request.set_input(0, ElementType::F32, &[1, 4], &x[..12]);
    assert!(matches!(short.unwrap_err().kind(), ErrorKind::BadTensor(_)));
    let missing = request.set_input("nope", ElementType::F32, &[1, 4], &x);
    assert!(matches!(
        missing.unwrap_err().kind(),
        ErrorKind::NoSuchPort { .. }
    ));
    assert!(request.output(1).is_err());
    // A type or shape the model cannot take: OpenVINO's error, at set_input or at infer.
    let wrong = request
        .set_input(0, ElementType::I32, &[1, 4], &x)
        .and_then(|()| request.infer());
    assert!(matches!(
        wrong.unwrap_err().kind(),
        ErrorKind::OpenVino { .. }
    ));
    for junk in [
        &b"this is not a model"[..],
        b"<?xml version=\"1.0\"?><net",
        b"",
    ] {
        assert!(rt.read_onnx(junk).is_err());
        assert!(rt.read_ir(junk, b"").is_err());
        assert!(rt.read_tflite(junk).is_err());
    }
}

#[test]
#[ignore = "needs OpenVINO and the test models: run scripts/nn-runtimes.sh --test"]
fn an_absent_gpu_fails_to_compile_and_threads_share_a_model() {
    let rt = runtime().expect(NEEDS);
    let model = rt.read_onnx(&read("mlp.onnx")).unwrap();
    let e = rt.compile(&model, Device::Gpu).err().expect("no GPU here");
    assert!(
        matches!(
            e.kind(),
            ErrorKind::OpenVino {
                step: "compile the model",
                ..
            }
        ),
        "{e}"
    );
    let compiled = rt.compile(&model, Device::Cpu).unwrap();
    let expected = f32s(&read("mlp.output.bin"));
    let x = read("mlp.input.bin");
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                let mut request = compiled.infer_request().unwrap();
                for _ in 0..20 {
                    request.set_input(0, ElementType::F32, &[1, 4], &x).unwrap();
                    request.infer().unwrap();
                    assert_close(&f32s(&request.output(0).unwrap().data), &expected);
                }
            });
        }
    });
}
