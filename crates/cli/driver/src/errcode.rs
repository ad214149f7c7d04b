//! Reporting errors the way WasmEdge's log does:
//! `execution failed: integer divide by zero, Code: 0x404`, then indented detail lines.

use crate::log;
use wedge::{Error, ErrorKind};

/// WasmEdge's description of an error code (`WasmEdge_ErrCode`), as its log prints it.
pub fn describe(code: u32) -> &'static str {
    match code {
        0x000 => "success",
        0x001 => "terminated",
        0x002 => "generic runtime error",
        0x003 => "cost limit exceeded",
        0x004 => "wrong VM workflow",
        0x005 => "wasm function not found",
        0x006 => "AOT runtime is disabled in this build",
        0x007 => "execution interrupted",
        0x008 => "wasm module hasn't passed validation yet",
        0x009 => "set null value into non-nullable value type",
        0x00A => "set value into const",
        0x00B => "set value type mismatch",
        0x00C => "user defined error code",
        0x00D => "invalid AOT/JIT configure",
        0x00E => "Not implemented instructions in AOT/JIT",
        0x00F => "Lazy JIT compilation failure",
        0x100 => "invalid path",
        0x101 => "read error",
        0x102 => "unexpected end",
        0x103 => "magic header not detected",
        0x104 => "unknown binary version",
        0x105 => "malformed section id",
        0x106 => "section size mismatch",
        0x107 => "length out of bounds",
        0x108 => "unexpected content after last section",
        0x109 => "function and code section have inconsistent lengths",
        0x10A => "data count and data section have inconsistent lengths",
        0x10B => "data count section required",
        0x10C => "malformed import kind",
        0x10D => "malformed export kind",
        0x10E => "zero byte expected",
        0x10F => "malformed mutability",
        0x110 => "too many locals",
        0x111 => "malformed value type",
        0x112 => "malformed element type",
        0x113 => "malformed reference type",
        0x114 => "malformed UTF-8 encoding",
        0x115 => "integer too large",
        0x116 => "integer representation too long",
        0x117 => "illegal opcode",
        0x118 => "END opcode expected",
        0x119 => "invalid wasm grammar",
        0x11A => "intrinsics table not found",
        0x11B => "malformed table",
        0x11C => "malformed memop flags",
        0x11D => "malformed limits flags",
        0x11E => "malformed catch flags",
        0x11F => "malformed cast flags",
        0x200 => "atomic alignment must be natural",
        0x201 => "alignment must not be larger than natural",
        0x202 => "type mismatch",
        0x203 => "unknown label",
        0x204 => "unknown local",
        0x205 => "unknown field",
        0x206 => "unknown type",
        0x207 => "unknown function",
        0x208 => "unknown table",
        0x209 => "unknown memory",
        0x20A => "unknown global",
        0x20B => "unknown tag",
        0x20C => "unknown elem segment",
        0x20D => "unknown data segment",
        0x20E => "undeclared function reference",
        0x20F => "constant expression required",
        0x210 => "duplicate export name",
        0x211 => "immutable global",
        0x212 => "immutable field",
        0x213 => "immutable array",
        0x214 => "invalid result arity",
        0x215 => "multiple tables",
        0x216 => "multiple memories",
        0x217 => "size minimum must not be greater than maximum",
        0x218 => "memory size must be at most 65536 pages (4GiB)",
        0x219 => "start function",
        0x21A => "invalid lane index",
        0x21B => "uninitialized local",
        0x21C => "field type is not defaultable",
        0x21D => "array type is not defaultable",
        0x21E => "field is packed",
        0x21F => "array is packed",
        0x220 => "field is unpacked",
        0x221 => "array is unpacked",
        0x222 => "invalid br ref type",
        0x223 => "array types do not match",
        0x224 => "array type is not numeric or vector",
        0x225 => "sub type",
        0x226 => "non-empty tag result type",
        0x227 => "shared memory must have maximum",
        0x228 => "memory size",
        0x229 => "table size",
        0x22A => "offset out of range",
        0x300 => "module name conflict",
        0x301 => "incompatible import type",
        0x302 => "unknown import",
        0x303 => "data segment does not fit",
        0x304 => "elements segment does not fit",
        0x400 => "wrong instance address",
        0x401 => "wrong instance index",
        0x402 => "instruction type mismatch",
        0x403 => "function signature mismatch",
        0x404 => "integer divide by zero",
        0x405 => "integer overflow",
        0x406 => "invalid conversion to integer",
        0x407 => "out of bounds table access",
        0x408 => "out of bounds memory access",
        0x409 => "out of bounds array access",
        0x40A => "unreachable",
        0x40B => "uninitialized element",
        0x40C => "undefined element",
        0x40D => "indirect call type mismatch",
        0x40E => "host function failed",
        0x40F => "reference type mismatch",
        0x410 => "unaligned atomic",
        0x411 => "expected shared memory",
        0x412 => "null reference",
        0x413 => "null function reference",
        0x414 => "null structure reference",
        0x415 => "null array reference",
        0x416 => "null i31 reference",
        0x417 => "null exception reference",
        0x418 => "cast failure",
        0x419 => "uncaught exception",
        0x41A => "pending exception",
        _ => "unknown error",
    }
}

/// The phase WasmEdge names in a code's log line (bits 8..12 of the code).
pub fn phase(code: u32) -> &'static str {
    match (code >> 8) & 0xF {
        0 => "wasmedge runtime",
        1 => "loading",
        2 => "validation",
        3 => "instantiation",
        4 => "execution",
        _ => "user defined",
    }
}

/// WasmEdge's headline for a code: `loading failed: magic header not detected, Code: 0x103`.
pub fn headline(code: u32) -> String {
    format!(
        "{} failed: {}, Code: 0x{code:03x}",
        phase(code),
        describe(code)
    )
}

/// Logs an error from the embedding API: WasmEdge's headline, then Wedge's own description
/// when it says more.
pub fn log_error(err: &Error) {
    let code = err.wasmedge_code();
    log::error(headline(code));
    match err.kind() {
        ErrorKind::Trap(t) if t.code().message() == describe(code) => {}
        ErrorKind::UnknownImport { module, name, kind } => {
            log::error(format_args!(
                "    When linking module: \"{module}\" , {kind} name: \"{name}\""
            ));
            if module == "wasi_snapshot_preview1" {
                log::error(format_args!(
                    "    \"{name}\" is not a function of WASI preview 1 or WasmEdge's socket \
                     extension."
                ));
            } else if is_wasi_module(module) {
                log::error(format_args!(
                    "    Wedge does not provide \"{module}\": plug-ins are not implemented yet."
                ));
            }
        }
        ErrorKind::IncompatibleImportType {
            module,
            name,
            detail,
        } => {
            log::error(format_args!(
                "    When linking module: \"{module}\" , name: \"{name}\""
            ));
            log::error(format_args!("    {detail}"));
        }
        _ => log::error(format_args!("    {err}")),
    }
}

fn is_wasi_module(name: &str) -> bool {
    name.starts_with("wasi_") || name.starts_with("wasi:") || name == "wasi"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines_match_wasmedge() {
        assert_eq!(
            headline(0x404),
            "execution failed: integer divide by zero, Code: 0x404"
        );
        assert_eq!(
            headline(0x103),
            "loading failed: magic header not detected, Code: 0x103"
        );
        assert_eq!(
            headline(0x202),
            "validation failed: type mismatch, Code: 0x202"
        );
        assert_eq!(
            headline(0x302),
            "instantiation failed: unknown import, Code: 0x302"
        );
        assert_eq!(
            headline(0x002),
            "wasmedge runtime failed: generic runtime error, Code: 0x002"
        );
    }

    #[test]
    fn trap_messages_agree_with_wedge_trap_codes() {
        use wedge::TrapCode::*;
        for t in [
            Unreachable,
            MemoryOutOfBounds,
            TableOutOfBounds,
            IntegerDivideByZero,
            IntegerOverflow,
        ] {
            assert_eq!(describe(t.wasmedge_code()), t.message(), "{t:?}");
        }
    }
}
