//! The functions' checks and errnos, on a buffer for guest memory and a fake interpreter (a
//! model `double` has an input `in` and an output `out` of 4 bytes each, `out = 2 × in` per
//! byte; `busy` imports but cannot run; anything else does not import).

use std::cell::RefCell;

use crate::ErrNo;
use crate::func::*;
use crate::session::{Interpreter, Sessions};

struct Double {
    input: [u8; 4],
    output: [u8; 4],
    fail: bool,
}

impl Interpreter for Double {
    fn input_count(&self) -> usize {
        1
    }
    fn input_name(&self, _: usize) -> &str {
        "in"
    }
    fn input_byte_size(&self, _: usize) -> usize {
        4
    }
    fn set_input(&mut self, _: usize, data: &[u8]) -> Result<(), String> {
        self.input.copy_from_slice(data);
        Ok(())
    }
    fn invoke(&mut self) -> Result<(), String> {
        if self.fail {
            return Err("no".into());
        }
        for (o, i) in self.output.iter_mut().zip(self.input) {
            *o = i.wrapping_mul(2);
        }
        Ok(())
    }
    fn output_count(&self) -> usize {
        1
    }
    fn output_name(&self, _: usize) -> &str {
        "out"
    }
    fn output_byte_size(&self, _: usize) -> usize {
        4
    }
    fn output_data(&self, _: usize) -> Result<Vec<u8>, String> {
        Ok(self.output.to_vec())
    }
}

fn fake(model: &[u8]) -> Result<Box<dyn Interpreter>, ErrNo> {
    match model {
        b"double" | b"busy" => Ok(Box::new(Double {
            input: [0; 4],
            output: [0; 4],
            fail: model == b"busy",
        })),
        _ => Err(ErrNo::InvalidArgument),
    }
}

/// A 256-byte memory with `bytes` at `at`.
fn memory(parts: &[(u32, &[u8])]) -> RefCell<Vec<u8>> {
    let mut m = vec![0; 256];
    for (at, bytes) in parts {
        m[*at as usize..*at as usize + bytes.len()].copy_from_slice(bytes);
    }
    RefCell::new(m)
}

fn u32_at(m: &RefCell<Vec<u8>>, at: usize) -> u32 {
    u32::from_le_bytes(m.borrow()[at..at + 4].try_into().unwrap())
}

fn code(r: Result<(), ErrNo>) -> u32 {
    r.err().unwrap_or(ErrNo::Success) as u32
}

#[test]
fn a_session_runs_and_its_output_is_read_by_name() {
    let s = Sessions::new(fake);
    let m = memory(&[
        (0, b"double"),
        (16, b"in"),
        (20, b"out"),
        (32, &[1, 2, 3, 4]),
    ]);
    assert_eq!(code(do_create_session(&s, &m, (0, 6), 100)), 0);
    let sid = u32_at(&m, 100);
    assert_eq!(sid, 0);
    assert_eq!(code(do_append_input(&s, &m, sid, (16, 2), (32, 4))), 0);
    assert_eq!(code(do_run_session(&s, sid)), 0);
    assert_eq!(code(do_get_output_tensor(&s, &m, sid, (20, 3), 104)), 0);
    assert_eq!(u32_at(&m, 104), 0);
    assert_eq!(code(do_get_tensor_len(&s, &m, sid, 0, 108)), 0);
    assert_eq!(u32_at(&m, 108), 4);
    assert_eq!(code(do_get_tensor_data(&s, &m, sid, 0, (64, 4), 112)), 0);
    assert_eq!(&m.borrow()[64..68], &[2, 4, 6, 8]);
    assert_eq!(u32_at(&m, 112), 4);
}

#[test]
fn errnos_are_wasmedges() {
    let s = Sessions::new(fake);
    let m = memory(&[
        (0, b"double"),
        (8, b"junk"),
        (16, b"in"),
        (20, b"out"),
        (24, b"nope"),
    ]);
    let invalid = ErrNo::InvalidArgument as u32;
    let missing = ErrNo::MissingMemory as u32;
    // A model that does not import; one past memory; a result pointer past memory.
    assert_eq!(code(do_create_session(&s, &m, (8, 4), 100)), invalid);
    assert_eq!(code(do_create_session(&s, &m, (250, 10), 100)), missing);
    assert_eq!(code(do_create_session(&s, &m, (0, 6), 254)), missing);
    assert_eq!(code(do_create_session(&s, &m, (0, 6), 100)), 0);
    let sid = u32_at(&m, 100);
    // Unknown session ids come before memory checks, as in WasmEdge.
    assert_eq!(code(do_run_session(&s, 99)), invalid);
    assert_eq!(
        code(do_append_input(&s, &m, 99, (16, 2), (999, 4))),
        invalid
    );
    assert_eq!(
        code(do_get_output_tensor(&s, &m, 99, (20, 3), 104)),
        invalid
    );
    assert_eq!(code(do_get_tensor_len(&s, &m, 99, 0, 108)), invalid);
    assert_eq!(
        code(do_get_tensor_data(&s, &m, 99, 0, (64, 4), 112)),
        invalid
    );
    // Names and indexes.
    assert_eq!(
        code(do_append_input(&s, &m, sid, (24, 4), (32, 4))),
        invalid
    );
    assert_eq!(
        code(do_get_output_tensor(&s, &m, sid, (24, 4), 104)),
        invalid
    );
    assert_eq!(code(do_get_tensor_len(&s, &m, sid, 1, 108)), invalid);
    assert_eq!(
        code(do_get_tensor_data(&s, &m, sid, 1, (64, 4), 112)),
        invalid
    );
    // Sizes that are not the tensor's.
    assert_eq!(
        code(do_append_input(&s, &m, sid, (16, 2), (32, 3))),
        invalid
    );
    assert_eq!(
        code(do_get_tensor_data(&s, &m, sid, 0, (64, 8), 112)),
        invalid
    );
    assert_eq!(u32_at(&m, 112), 0, "nothing written");
    // Buffers past memory.
    assert_eq!(
        code(do_append_input(&s, &m, sid, (16, 2), (254, 4))),
        missing
    );
    assert_eq!(
        code(do_append_input(&s, &m, sid, (254, 4), (32, 4))),
        missing
    );
    assert_eq!(
        code(do_get_output_tensor(&s, &m, sid, (20, 3), 253)),
        missing
    );
    assert_eq!(code(do_get_tensor_len(&s, &m, sid, 0, 253)), missing);
    assert_eq!(
        code(do_get_tensor_data(&s, &m, sid, 0, (254, 4), 112)),
        missing
    );
    assert_eq!(
        code(do_get_tensor_data(&s, &m, sid, 0, (64, 4), 253)),
        missing
    );
}

#[test]
fn a_model_that_cannot_run_is_busy_and_deleted_ids_stay_dead() {
    let s = Sessions::new(fake);
    let m = memory(&[(0, b"busy"), (8, b"double")]);
    assert_eq!(code(do_create_session(&s, &m, (0, 4), 100)), 0);
    let busy = u32_at(&m, 100);
    assert_eq!(code(do_run_session(&s, busy)), ErrNo::Busy as u32);
    s.delete(busy);
    s.delete(busy);
    assert_eq!(
        code(do_run_session(&s, busy)),
        ErrNo::InvalidArgument as u32
    );
    assert_eq!(code(do_create_session(&s, &m, (8, 6), 100)), 0);
    assert_ne!(u32_at(&m, 100), busy, "ids are not reused");
}

#[test]
fn the_plugin_declares_wasmedges_module() {
    let plugin = crate::declare();
    assert_eq!(plugin.name(), "wasmedge_tensorflowlite");
    assert_eq!(
        plugin.module_names().collect::<Vec<_>>(),
        ["wasmedge_tensorflowlite"]
    );
}
