//! Encoding 5, Autodetect: the backend is picked from the model's bytes (the first builder), then
//! loads all the builders as if the guest had named that backend's encoding.
//!
//! WasmEdge 0.17.1 lists `autodetect` but has no backend for it (`load` answers
//! `InvalidEncoding`); Wedge's issue asks that it work. The rules, tried in this order on the
//! first builder:
//!
//! | bytes | encoding |
//! |---|---|
//! | `TFL3` at offset 4 (TFLite's FlatBuffers file identifier) | 4 TensorFlow Lite |
//! | `GGUF` at offset 0 | 6 GGML |
//! | `PK\x03\x04` at offset 0 (a zip archive: TorchScript) | 3 PyTorch |
//! | XML (after a UTF-8 byte-order mark and blanks: `<?xml` or `<net`) whose first 4 KiB hold `<net` (OpenVINO IR's root element) | 0 OpenVINO (the weights are the second builder) |
//! | a protobuf message whose every top-level field is one of ONNX's `ModelProto` (field numbers and wire types), with an `ir_version` (1) and a `graph` (7) | 1 ONNX |
//! | a protobuf message whose every top-level field is one of TensorFlow's `GraphDef`, with at least one `node` (1) | 2 TensorFlow |
//!
//! Nothing else is recognised: no builders, or bytes that match no rule, are `InvalidEncoding`
//! (2) with the log line `Autodetect: …`. The chosen backend then answers as for its own
//! encoding (a runtime that is absent, a backend that is not built, a model it cannot read).

use super::{Backend, Graph};
use crate::types::{Encoding, ErrNo, NnResult, Target};

/// The Autodetect backend.
pub struct Autodetect;

impl Backend for Autodetect {
    fn load(&self, builders: &[Vec<u8>], target: Target) -> NnResult<Box<dyn Graph>> {
        let Some(encoding) = detect(builders) else {
            crate::log(
                "Autodetect: the model's format cannot be told from its bytes (TFLite, GGUF, \
                 TorchScript zip, OpenVINO IR XML, ONNX and TensorFlow GraphDef are recognised).",
            );
            return Err(ErrNo::InvalidEncoding);
        };
        super::for_encoding(encoding)?.load(builders, target)
    }
}

/// The encoding of the model whose first builder is `builders[0]`, by the rules of the module's
/// documentation; `None` when no rule matches.
#[must_use]
pub fn detect(builders: &[Vec<u8>]) -> Option<Encoding> {
    let model = builders.first()?.as_slice();
    if model.get(4..8) == Some(b"TFL3") {
        Some(Encoding::TensorflowLite)
    } else if model.starts_with(b"GGUF") {
        Some(Encoding::Ggml)
    } else if model.starts_with(b"PK\x03\x04") {
        Some(Encoding::PyTorch)
    } else if is_openvino_ir(model) {
        Some(Encoding::OpenVino)
    } else if is_protobuf(model, ONNX_MODEL, &[1, 7]) {
        Some(Encoding::Onnx)
    } else if is_protobuf(model, GRAPH_DEF, &[1]) {
        Some(Encoding::Tensorflow)
    } else {
        None
    }
}

fn is_openvino_ir(model: &[u8]) -> bool {
    let text = model.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(model);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    let text = &text[start..];
    let head = &text[..text.len().min(4096)];
    (text.starts_with(b"<?xml") || text.starts_with(b"<net"))
        && head.windows(4).any(|w| w == b"<net")
}

/// Protobuf wire types.
const VARINT: u8 = 0;
const I64: u8 = 1;
const LEN: u8 = 2;
const I32: u8 = 5;

/// ONNX's `ModelProto` fields (onnx.proto): ir_version, producer_name, producer_version, domain,
/// model_version, doc_string, graph, opset_import, metadata_props, training_info, functions,
/// configuration.
const ONNX_MODEL: &[(u64, u8)] = &[
    (1, VARINT),
    (2, LEN),
    (3, LEN),
    (4, LEN),
    (5, VARINT),
    (6, LEN),
    (7, LEN),
    (8, LEN),
    (14, LEN),
    (20, LEN),
    (25, LEN),
    (26, LEN),
];

/// TensorFlow's `GraphDef` fields (graph.proto): node, library, version (deprecated), versions,
/// debug_info.
const GRAPH_DEF: &[(u64, u8)] = &[(1, LEN), (2, LEN), (3, VARINT), (4, LEN), (5, LEN)];

/// Reads a varint at `*at`.
fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Whether `bytes` is, at its top level, a protobuf message made only of `fields` (number and
/// wire type), holding every one of `required`.
fn is_protobuf(bytes: &[u8], fields: &[(u64, u8)], required: &[u64]) -> bool {
    let mut at = 0;
    let mut seen = Vec::new();
    while at < bytes.len() {
        let Some(tag) = varint(bytes, &mut at) else {
            return false;
        };
        let (number, wire) = (tag >> 3, (tag & 7) as u8);
        if !fields.contains(&(number, wire)) {
            return false;
        }
        let skip = match wire {
            VARINT => varint(bytes, &mut at).map(|_| 0),
            I64 => Some(8),
            I32 => Some(4),
            LEN => varint(bytes, &mut at),
            _ => None,
        };
        match skip
            .and_then(|n| usize::try_from(n).ok())
            .and_then(|n| at.checked_add(n))
        {
            Some(end) if end <= bytes.len() => at = end,
            _ => return false,
        }
        if !seen.contains(&number) {
            seen.push(number);
        }
    }
    required.iter().all(|r| seen.contains(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(bytes: &[u8]) -> Option<Encoding> {
        detect(&[bytes.to_vec()])
    }

    /// A small ONNX model: ir_version 7, producer "x", a graph with one Identity node, opset 13.
    const ONNX: &[u8] =
        b"\x08\x07\x12\x01x:\x15\n\x10\n\x01a\x12\x01b\"\x08Identity\x12\x01gB\x02\x10\x0d";

    #[test]
    fn each_format_is_told_from_its_bytes() {
        // A FlatBuffer: root table offset, then the file identifier.
        assert_eq!(
            one(b"\x1c\x00\x00\x00TFL3\x14\x00\x20\x00"),
            Some(Encoding::TensorflowLite)
        );
        assert_eq!(one(b"GGUF\x03\x00\x00\x00"), Some(Encoding::Ggml));
        assert_eq!(one(b"PK\x03\x04\x14\x00"), Some(Encoding::PyTorch));
        let ir = b"<?xml version=\"1.0\"?>\n<net name=\"mlp\" version=\"11\">\n<layers>";
        assert_eq!(detect(&[ir.to_vec(), vec![0; 8]]), Some(Encoding::OpenVino));
        assert_eq!(
            one(b"\xEF\xBB\xBF \n<net name=\"m\" version=\"11\">"),
            Some(Encoding::OpenVino)
        );
        assert_eq!(one(ONNX), Some(Encoding::Onnx));
        // A GraphDef: one node {name: "x", op: "Placeholder"}, versions {producer: 1}.
        let graph_def = b"\n\x10\n\x01x\x12\x0bPlaceholder\"\x02\x08\x01";
        assert_eq!(one(graph_def), Some(Encoding::Tensorflow));
    }

    #[test]
    #[ignore = "needs the test models: run scripts/nn-runtimes.sh --test"]
    fn the_test_models_are_told_apart() {
        let models = std::env::var_os("WEDGE_NN_MODELS")
            .map(std::path::PathBuf::from)
            .expect("WEDGE_NN_MODELS names the models' directory (scripts/nn/common.sh)");
        for (file, encoding) in [
            ("mlp.onnx", Encoding::Onnx),
            ("bench.onnx", Encoding::Onnx),
            ("mlp.tflite", Encoding::TensorflowLite),
            ("mlp.xml", Encoding::OpenVino),
        ] {
            let path = models.join(file);
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(one(&bytes), Some(encoding), "{file}");
        }
    }

    #[test]
    fn other_bytes_are_not_guessed() {
        assert_eq!(detect(&[]), None);
        assert_eq!(one(b""), None);
        assert_eq!(one(b"this is not a model"), None);
        assert_eq!(one(b"<html><body>"), None);
        assert_eq!(one(b"<?xml version=\"1.0\"?><svg>"), None);
        // ONNX without a graph, or cut short, or with a field ModelProto does not have.
        assert_eq!(one(b"\x08\x07\x12\x01x"), None);
        assert_eq!(one(&ONNX[..ONNX.len() - 1]), None);
        assert_eq!(one(b"\x08\x07:\x00\x48\x01"), None);
        // A varint that never ends, a length past the end.
        assert_eq!(
            one(&[
                0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01
            ]),
            None
        );
        // Only ir_version fields: no graph.
        assert_eq!(one(&[0x08; 20]), None);
        assert_eq!(one(b"\x08\x07:\xff\xff\xff\xff\x0f"), None);
    }
}
