//! Checks every exported function against its declaration in `include/wasmedge/*.h`: same
//! arity (or the generated table does not compile) and the same parameter and return shapes as
//! the C ABI sees them (pointers, integer and float widths, structs by value), so an argument
//! order or width mistake cannot hide behind a matching name.

use crate::abi::{
    WasmEdge_Bytes, WasmEdge_Result, WasmEdge_String, WasmEdge_ValType, WasmEdge_Value,
};
#[allow(
    unused_imports,
    reason = "each generated entry names a function of some module"
)]
use crate::{
    ast::*, basic::*, compiler::*, configure::*, deprecated::*, driver::*, execution::*,
    instance::*, plugin::*, tags::*, types::*, value::*, vm::*, wasi::*,
};

/// How the C ABI sees a Rust type.
trait Shape {
    fn shape() -> String;
}

macro_rules! shapes {
    ($($t:ty => $s:expr),* $(,)?) => { $(impl Shape for $t { fn shape() -> String { $s.into() } })* };
}

shapes!(
    () => "()", bool => "bool", u8 => "u8", i32 => "i32", u32 => "u32", i64 => "i64",
    u64 => "u64", f32 => "f32", f64 => "f64", i128 => "i128", u128 => "u128",
    WasmEdge_String => "String", WasmEdge_Bytes => "Bytes", WasmEdge_Result => "Result",
    WasmEdge_Value => "Value", WasmEdge_ValType => "ValType",
);

impl<T: ?Sized> Shape for *const T {
    fn shape() -> String {
        "p".into()
    }
}

impl<T: ?Sized> Shape for *mut T {
    fn shape() -> String {
        "p".into()
    }
}

/// A function pointer or an `Option` of one: a pointer.
macro_rules! fn_shapes {
    ($($a:ident),*) => {
        impl<R $(, $a)*> Shape for unsafe extern "C" fn($($a),*) -> R {
            fn shape() -> String { "p".into() }
        }
        impl<R $(, $a)*> Shape for Option<unsafe extern "C" fn($($a),*) -> R> {
            fn shape() -> String { "p".into() }
        }
    };
}
fn_shapes!();
fn_shapes!(A);
fn_shapes!(A, B);
fn_shapes!(A, B, C);
fn_shapes!(A, B, C, D);
fn_shapes!(A, B, C, D, E, F, G);

/// The shape of an exported function, `ret(p1,...)`.
trait FnShape {
    fn fn_shape(&self) -> String;
}

macro_rules! fn_shape {
    ($($a:ident),*) => {
        impl<R: Shape $(, $a: Shape)*> FnShape for unsafe extern "C" fn($($a),*) -> R {
            fn fn_shape(&self) -> String {
                let params: Vec<String> = vec![$($a::shape()),*];
                format!("{}({})", R::shape(), params.join(","))
            }
        }
    };
}
fn_shape!();
fn_shape!(A);
fn_shape!(A, B);
fn_shape!(A, B, C);
fn_shape!(A, B, C, D);
fn_shape!(A, B, C, D, E);
fn_shape!(A, B, C, D, E, F);
fn_shape!(A, B, C, D, E, F, G);
fn_shape!(A, B, C, D, E, F, G, H);
fn_shape!(A, B, C, D, E, F, G, H, I);
fn_shape!(A, B, C, D, E, F, G, H, I, J);

fn shape_of(f: impl FnShape) -> String {
    f.fn_shape()
}

include!(concat!(env!("OUT_DIR"), "/signatures.rs"));

#[test]
fn every_function_matches_its_header_declaration() {
    let sigs = signatures();
    assert_eq!(sigs.len(), 295);
    let wrong: Vec<String> = sigs
        .iter()
        .filter(|(_, header, rust)| header != rust)
        .map(|(name, header, rust)| format!("{name}: header {header}, Rust {rust}"))
        .collect();
    assert!(wrong.is_empty(), "signatures differ:\n{}", wrong.join("\n"));
}
