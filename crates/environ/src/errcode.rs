//! WasmEdge's error codes (`WasmEdge_ErrCode`, category WASM): the message WasmEdge gives each
//! (its `include/common/enum.inc`) and the phase its log names. The C API's
//! `WasmEdge_ResultGetMessage` and the `wedge` command's log lines both read them here.

use core::ffi::CStr;

/// WasmEdge's message for error code `code` (category WASM), or `None` for a code WasmEdge does
/// not define.
#[must_use]
pub fn message(code: u32) -> Option<&'static CStr> {
    Some(match code {
        // Common.
        0x0000 => c"success",
        0x0001 => c"terminated",
        0x0002 => c"generic runtime error",
        0x0003 => c"cost limit exceeded",
        0x0004 => c"wrong VM workflow",
        0x0005 => c"wasm function not found",
        0x0006 => c"AOT runtime is disabled in this build",
        0x0007 => c"execution interrupted",
        0x0008 => c"wasm module hasn't passed validation yet",
        0x0009 => c"set null value into non-nullable value type",
        0x000A => c"set value into const",
        0x000B => c"set value type mismatch",
        0x000C => c"user defined error code",
        0x000D => c"invalid AOT/JIT configure",
        0x000E => c"Not implemented instructions in AOT/JIT",
        0x000F => c"Lazy JIT compilation failure",
        // Loading.
        0x0100 => c"invalid path",
        0x0101 => c"read error",
        0x0102 => c"unexpected end",
        0x0103 => c"magic header not detected",
        0x0104 => c"unknown binary version",
        0x0105 => c"malformed section id",
        0x0106 => c"section size mismatch",
        0x0107 => c"length out of bounds",
        0x0108 => c"unexpected content after last section",
        0x0109 => c"function and code section have inconsistent lengths",
        0x010A => c"data count and data section have inconsistent lengths",
        0x010B => c"data count section required",
        0x010C => c"malformed import kind",
        0x010D => c"malformed export kind",
        0x010E => c"zero byte expected",
        0x010F => c"malformed mutability",
        0x0110 => c"too many locals",
        0x0111 => c"malformed value type",
        0x0112 => c"malformed element type",
        0x0113 => c"malformed reference type",
        0x0114 => c"malformed UTF-8 encoding",
        0x0115 => c"integer too large",
        0x0116 => c"integer representation too long",
        0x0117 => c"illegal opcode",
        0x0118 => c"END opcode expected",
        0x0119 => c"invalid wasm grammar",
        0x011A => c"intrinsics table not found",
        0x011B => c"malformed table",
        0x011C => c"malformed memop flags",
        0x011D => c"malformed limits flags",
        0x011E => c"malformed catch flags",
        0x011F => c"malformed cast flags",
        // Loading, component model.
        0x01A0 => c"malformed sort",
        0x01A1 => c"malformed alias target",
        0x01A2 => c"malformed core instance",
        0x01A3 => c"malformed instance",
        0x01A4 => c"malformed defined type",
        0x01A5 => c"malformed module type",
        0x01A6 => c"malformed record type",
        0x01A7 => c"malformed variant type",
        0x01A8 => c"malformed tuple type",
        0x01A9 => c"malformed flags type",
        0x01AA => c"malformed canonical",
        0x01AB => c"unknown canonical option",
        0x01AC => c"malformed name",
        0x01AD => c"component model (loader) not implemented",
        0x01AE => c"component nesting level exceeded",
        // Validation.
        0x0200 => c"atomic alignment must be natural",
        0x0201 => c"alignment must not be larger than natural",
        0x0202 => c"type mismatch",
        0x0203 => c"unknown label",
        0x0204 => c"unknown local",
        0x0205 => c"unknown field",
        0x0206 => c"unknown type",
        0x0207 => c"unknown function",
        0x0208 => c"unknown table",
        0x0209 => c"unknown memory",
        0x020A => c"unknown global",
        0x020B => c"unknown tag",
        0x020C => c"unknown elem segment",
        0x020D => c"unknown data segment",
        0x020E => c"undeclared function reference",
        0x020F => c"constant expression required",
        0x0210 => c"duplicate export name",
        0x0211 => c"immutable global",
        0x0212 => c"immutable field",
        0x0213 => c"immutable array",
        0x0214 => c"invalid result arity",
        0x0215 => c"multiple tables",
        0x0216 => c"multiple memories",
        0x0217 => c"size minimum must not be greater than maximum",
        0x0218 => c"memory size must be at most 65536 pages (4GiB)",
        0x0219 => c"start function",
        0x021A => c"invalid lane index",
        0x021B => c"uninitialized local",
        0x021C => c"field type is not defaultable",
        0x021D => c"array type is not defaultable",
        0x021E => c"field is packed",
        0x021F => c"array is packed",
        0x0220 => c"field is unpacked",
        0x0221 => c"array is unpacked",
        0x0222 => c"invalid br ref type",
        0x0223 => c"array types do not match",
        0x0224 => c"array type is not numeric or vector",
        0x0225 => c"sub type",
        0x0226 => c"non-empty tag result type",
        0x0227 => c"shared memory must have maximum",
        0x0228 => c"memory size",
        0x0229 => c"table size",
        0x022A => c"offset out of range",
        // Validation, component model.
        0x02A0 => c"missing argument",
        0x02A1 => c"type mismatch",
        0x02A2 => c"invalid index",
        0x02A3 => c"invalid type reference",
        0x02A4 => c"export not found",
        0x02A5 => c"component model (validator) not implemented",
        0x02A6 => c"duplicate name in component",
        0x02A7 => c"invalid component name",
        0x02A8 => c"not a defined type",
        0x02A9 => c"index out of bounds",
        0x02AA => c"name cannot be empty",
        0x02AB => c"cannot have more than 32 flags",
        0x02AC => c"record field name conflicts with previous field name",
        0x02AD => c"variant case name conflicts with previous case name",
        0x02AE => c"flag name conflicts with previous flag name",
        0x02AF => c"enum tag name conflicts with previous tag name",
        0x02B0 => c"variant type must have at least one case",
        0x02B1 => c"ascribed type of export is not compatible",
        0x02B2 => c"missing expected export",
        0x02B3 => c"not a valid export name",
        0x02B4 => c"not a valid extern name",
        0x02B5 => c"unknown tag",
        // Instantiation.
        0x0300 => c"module name conflict",
        0x0301 => c"incompatible import type",
        0x0302 => c"unknown import",
        0x0303 => c"data segment does not fit",
        0x0304 => c"elements segment does not fit",
        // Instantiation, component model.
        0x03A0 => c"invalid core sort",
        0x03A1 => c"invalid canonical option",
        0x03A2 => c"invalid export in core module",
        0x03A3 => c"invalid argument been used to invoke resource.drop",
        0x03A4 => c"component model (instantiation) not implemented",
        // Execution.
        0x0400 => c"wrong instance address",
        0x0401 => c"wrong instance index",
        0x0402 => c"instruction type mismatch",
        0x0403 => c"function signature mismatch",
        0x0404 => c"integer divide by zero",
        0x0405 => c"integer overflow",
        0x0406 => c"invalid conversion to integer",
        0x0407 => c"out of bounds table access",
        0x0408 => c"out of bounds memory access",
        0x0409 => c"out of bounds array access",
        0x040A => c"unreachable",
        0x040B => c"uninitialized element",
        0x040C => c"undefined element",
        0x040D => c"indirect call type mismatch",
        0x040E => c"host function failed",
        0x040F => c"reference type mismatch",
        0x0410 => c"unaligned atomic",
        0x0411 => c"expected shared memory",
        0x0412 => c"null reference",
        0x0413 => c"null function reference",
        0x0414 => c"null structure reference",
        0x0415 => c"null array reference",
        0x0416 => c"null i31 reference",
        0x0417 => c"null exception reference",
        0x0418 => c"cast failure",
        0x0419 => c"uncaught exception",
        0x041A => c"pending exception",
        _ => return None,
    })
}

/// The phase WasmEdge's log names for a code (bits 8..12): `loading`, `validation`, ...
#[must_use]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trap_code_has_a_message() {
        for t in crate::TrapCode::ALL {
            assert!(message(t.wasmedge_code()).is_some(), "{t:?}");
        }
        assert_eq!(message(0x0404).unwrap(), c"integer divide by zero");
        assert_eq!(message(0x0120), None);
        assert_eq!(phase(0x0302), "instantiation");
    }
}
