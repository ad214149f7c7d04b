//! A backend for unit tests only: a model is the text `add1` (output 0 = input 0 + 1, as F32),
//! `slow` (the same, after 200 ms) or anything else (a load failure, `RuntimeError`).

use std::borrow::Cow;
use std::time::Duration;

use super::{Backend, Context, Graph, Tensor};
use crate::types::{ErrNo, NnResult, Target, TensorType};

/// The test backend.
pub struct Fake;

struct FakeGraph {
    slow: bool,
}

struct FakeContext {
    slow: bool,
    input: Option<Tensor>,
    output: Option<Vec<u8>>,
}

impl Backend for Fake {
    fn load(&self, builders: &[Vec<u8>], _target: Target) -> NnResult<Box<dyn Graph>> {
        let [model] = builders else {
            return Err(ErrNo::InvalidArgument);
        };
        match model.as_slice() {
            b"add1" => Ok(Box::new(FakeGraph { slow: false })),
            b"slow" => Ok(Box::new(FakeGraph { slow: true })),
            _ => Err(ErrNo::RuntimeError),
        }
    }
}

impl Graph for FakeGraph {
    fn init_context(&self) -> NnResult<Box<dyn Context>> {
        Ok(Box::new(FakeContext {
            slow: self.slow,
            input: None,
            output: None,
        }))
    }
}

impl Context for FakeContext {
    fn set_input(&mut self, index: u32, tensor: Tensor) -> NnResult<()> {
        if index != 0 || tensor.ty != TensorType::F32 {
            return Err(ErrNo::InvalidArgument);
        }
        self.input = Some(tensor);
        Ok(())
    }

    fn compute(&mut self) -> NnResult<()> {
        let input = self.input.as_ref().ok_or(ErrNo::RuntimeError)?;
        if self.slow {
            std::thread::sleep(Duration::from_millis(200));
        }
        let out = input
            .data
            .chunks_exact(4)
            .flat_map(|b| (f32::from_le_bytes([b[0], b[1], b[2], b[3]]) + 1.0).to_le_bytes())
            .collect();
        self.output = Some(out);
        Ok(())
    }

    fn get_output(&mut self, index: u32) -> NnResult<Cow<'_, [u8]>> {
        if index != 0 {
            return Err(ErrNo::InvalidArgument);
        }
        self.output
            .as_deref()
            .map(Cow::Borrowed)
            .ok_or(ErrNo::RuntimeError)
    }
}
