//! Trap codes: why a running guest stopped abnormally.

use std::fmt;

/// Why execution of WebAssembly code trapped.
///
/// Each code maps one-to-one to a WasmEdge error code (`WasmEdge_ErrCode_*`),
/// see [`TrapCode::wasmedge_code`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrapCode {
    /// `unreachable` was executed.
    Unreachable,
    /// A load, store or bulk memory operation went out of a memory's bounds.
    MemoryOutOfBounds,
    /// A table access or bulk table operation went out of a table's bounds.
    TableOutOfBounds,
    /// `call_indirect` with an index beyond the table's size.
    UndefinedElement,
    /// `call_indirect` through a null table entry.
    UninitializedElement,
    /// `call_indirect` whose callee has a different type than expected.
    IndirectCallTypeMismatch,
    /// Signed integer division overflow (`INT_MIN / -1`).
    IntegerOverflow,
    /// Integer division or remainder by zero.
    IntegerDivideByZero,
    /// A float-to-int conversion of NaN or of a value out of range.
    InvalidConversionToInteger,
    /// The guest's call stack exceeded its configured depth or size.
    CallStackExhausted,
    /// A null reference was dereferenced (`call_ref`, `ref.as_non_null`, ...).
    NullReference,
    /// The configured cost (gas) limit was exceeded.
    CostLimitExceeded,
    /// Execution was interrupted (a time limit or an explicit interrupt).
    Interrupted,
    /// A host function reported a failure.
    HostFuncError,
}

impl TrapCode {
    /// Every trap code, in declaration order: `ALL[code as usize] == code`.
    pub const ALL: [TrapCode; 14] = [
        TrapCode::Unreachable,
        TrapCode::MemoryOutOfBounds,
        TrapCode::TableOutOfBounds,
        TrapCode::UndefinedElement,
        TrapCode::UninitializedElement,
        TrapCode::IndirectCallTypeMismatch,
        TrapCode::IntegerOverflow,
        TrapCode::IntegerDivideByZero,
        TrapCode::InvalidConversionToInteger,
        TrapCode::CallStackExhausted,
        TrapCode::NullReference,
        TrapCode::CostLimitExceeded,
        TrapCode::Interrupted,
        TrapCode::HostFuncError,
    ];

    /// The code numbered `n` (`code as u32`), if there is one.
    pub fn from_index(n: u32) -> Option<TrapCode> {
        Self::ALL.get(n as usize).copied()
    }

    /// The message the WebAssembly specification's test suite uses for this trap.
    pub fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::UndefinedElement => "undefined element",
            TrapCode::UninitializedElement => "uninitialized element",
            TrapCode::IndirectCallTypeMismatch => "indirect call type mismatch",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::IntegerDivideByZero => "integer divide by zero",
            TrapCode::InvalidConversionToInteger => "invalid conversion to integer",
            TrapCode::CallStackExhausted => "call stack exhausted",
            TrapCode::NullReference => "null reference",
            TrapCode::CostLimitExceeded => "cost limit exceeded",
            TrapCode::Interrupted => "interrupted",
            TrapCode::HostFuncError => "host function failed",
        }
    }

    /// The matching `WasmEdge_ErrCode` value (category 0, phase in bits 8..12).
    pub fn wasmedge_code(self) -> u32 {
        match self {
            TrapCode::CostLimitExceeded => 0x0003,
            TrapCode::Interrupted => 0x0007,
            TrapCode::IntegerDivideByZero => 0x0404,
            TrapCode::IntegerOverflow => 0x0405,
            TrapCode::InvalidConversionToInteger => 0x0406,
            TrapCode::TableOutOfBounds => 0x0407,
            TrapCode::MemoryOutOfBounds => 0x0408,
            TrapCode::Unreachable => 0x040A,
            TrapCode::UninitializedElement => 0x040B,
            TrapCode::UndefinedElement => 0x040C,
            TrapCode::IndirectCallTypeMismatch => 0x040D,
            TrapCode::HostFuncError => 0x040E,
            TrapCode::NullReference => 0x0413,
            // WasmEdge has no dedicated code for stack exhaustion; it reports a
            // generic runtime error.
            TrapCode::CallStackExhausted => 0x0002,
        }
    }
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for TrapCode {}

#[cfg(test)]
mod tests {
    use super::TrapCode;

    #[test]
    fn all_is_in_declaration_order() {
        for (i, &code) in TrapCode::ALL.iter().enumerate() {
            assert_eq!(code as usize, i);
            assert_eq!(TrapCode::from_index(i as u32), Some(code));
        }
        assert_eq!(TrapCode::from_index(TrapCode::ALL.len() as u32), None);
    }
}
