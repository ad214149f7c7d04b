//! `--nn-preload NAME:ENCODING:TARGET:PATH[:PATH…]` specs.
//!
//! As in WasmEdge 0.17.1 (`wasinnenv.cpp`): the spec splits at every `:`; ENCODING and TARGET
//! are compared case-insensitively (NAME is taken as written); TARGET may be `auto`, which `load`
//! refuses. For GGML, BitNet and `pytorchaoti` the paths are joined again with `:` (paths with
//! colons) and the single builder is the text `preload:<path>`; for other encodings each path's
//! file is a builder. A spec whose encoding or target is unknown is dropped with a log line; the
//! first spec of a name wins.
//!
//! Difference: WasmEdge reads the files when the module instance is created; Wedge reads them at
//! the first `load_by_name` of the name (the graph is then cached), so instances that never use a
//! model do not hold its bytes. A file that cannot be read is left out of the builders with a log
//! line, as in WasmEdge.

use std::path::PathBuf;

use crate::types::{Encoding, Target};

/// One parsed `--nn-preload` spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preload {
    /// The name `load_by_name` finds it by.
    pub name: String,
    /// The backend.
    pub encoding: Encoding,
    /// The target.
    pub target: Target,
    /// Where the builders come from.
    pub source: Source,
}

/// The builders of a preload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// One builder per file, read when first loaded.
    Files(Vec<PathBuf>),
    /// One builder holding `preload:<path>` (GGML, BitNet, pytorchaoti).
    PathText(String),
}

impl Preload {
    /// Parses one spec; `None` (after a log line) when its encoding or target is unknown.
    #[must_use]
    pub fn parse(spec: &str) -> Option<Self> {
        let mut parts: Vec<&str> = spec.split(':').collect();
        // `getline` yields no empty piece after a final delimiter.
        if parts.len() > 1 && parts.last() == Some(&"") {
            parts.pop();
        }
        let field = |i: usize| parts.get(i).copied().unwrap_or("");
        let name = field(0).to_owned();
        let encoding_name = field(1).to_ascii_lowercase();
        let target_name = field(2).to_ascii_lowercase();
        let paths: Vec<&str> = parts.iter().skip(3).copied().collect();
        let (Some(encoding), Some(target)) = (
            Encoding::from_preload_name(&encoding_name),
            Target::from_preload_name(&target_name),
        ) else {
            crate::log("Preload Model's Backend or Device is Not Support.");
            return None;
        };
        let source = if matches!(encoding, Encoding::Ggml | Encoding::BitNet)
            || encoding_name == "pytorchaoti"
        {
            Source::PathText(format!("preload:{}", paths.join(":")))
        } else {
            Source::Files(paths.into_iter().map(PathBuf::from).collect())
        };
        Some(Self {
            name,
            encoding,
            target,
            source,
        })
    }

    /// The builders: the files' bytes (an unreadable file is left out, with a log line) or the
    /// `preload:` text.
    #[must_use]
    pub fn builders(&self) -> Vec<Vec<u8>> {
        match &self.source {
            Source::PathText(text) => vec![text.as_bytes().to_vec()],
            Source::Files(paths) => paths
                .iter()
                .filter_map(|p| match std::fs::read(p) {
                    Ok(bytes) => Some(bytes),
                    Err(e) => {
                        crate::log(&format!("Preload model fail: {}: {e}", p.display()));
                        None
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_name_encoding_target_and_paths() {
        let p = Preload::parse("MyModel:ONNX:Cpu:/m/a.onnx").unwrap();
        assert_eq!(p.name, "MyModel");
        assert_eq!(p.encoding, Encoding::Onnx);
        assert_eq!(p.target, Target::Cpu);
        assert_eq!(p.source, Source::Files(vec![PathBuf::from("/m/a.onnx")]));

        let p = Preload::parse("ov:openvino:AUTO:a.xml:a.bin").unwrap();
        assert_eq!(p.target, Target::Auto);
        assert_eq!(
            p.source,
            Source::Files(vec![PathBuf::from("a.xml"), PathBuf::from("a.bin")])
        );
        let p = Preload::parse("none:onnx:cpu").unwrap();
        assert_eq!(p.source, Source::Files(vec![]));
        let p = Preload::parse("trailing:onnx:cpu:x:").unwrap();
        assert_eq!(p.source, Source::Files(vec![PathBuf::from("x")]));
    }

    #[test]
    fn ggml_bitnet_and_aoti_keep_the_path_as_text() {
        let p = Preload::parse("llama:GGML:AUTO:C:/models/x.gguf").unwrap();
        assert_eq!(
            p.source,
            Source::PathText("preload:C:/models/x.gguf".into())
        );
        assert_eq!(p.builders(), vec![b"preload:C:/models/x.gguf".to_vec()]);
        let p = Preload::parse("b:bitnet:cpu:m.gguf").unwrap();
        assert_eq!(p.source, Source::PathText("preload:m.gguf".into()));
        let p = Preload::parse("t:PyTorchAOTI:cpu:pkg.pt2").unwrap();
        assert_eq!(p.encoding, Encoding::PyTorch);
        assert_eq!(p.source, Source::PathText("preload:pkg.pt2".into()));
        let p = Preload::parse("t:pytorch:cpu:m.pt").unwrap();
        assert_eq!(p.source, Source::Files(vec![PathBuf::from("m.pt")]));
    }

    #[test]
    fn unknown_encoding_or_target_is_dropped() {
        assert_eq!(Preload::parse("a:burn:cpu:x"), None);
        assert_eq!(Preload::parse("a:onnx:npu:x"), None);
        assert_eq!(Preload::parse("a"), None);
        assert_eq!(Preload::parse(""), None);
    }

    #[test]
    fn unreadable_files_are_left_out() {
        let dir = std::env::temp_dir().join(format!("wedge-nn-preload-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let a = dir.join("a.bin");
        std::fs::write(&a, b"model").unwrap();
        let spec = format!(
            "m:onnx:cpu:{}:{}",
            a.display(),
            dir.join("missing").display()
        );
        let p = Preload::parse(&spec).unwrap();
        assert_eq!(p.builders(), vec![b"model".to_vec()]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
