//! Block structure of operators, for skipping unreachable code.
//!
//! After an unconditional branch, `unreachable` or `return`, both translators skip operators
//! until the `else` or `end` of the frame the code became unreachable in. To find it they count
//! the blocks opened and closed on the way, and every tier must count alike: a block of a
//! proposal that a tier cannot run yet is still a block (a `try_table` in dead code once ended
//! the enclosing block in both translators, and the code after a branch out of it went to the
//! wrong place).

use wasmparser::Operator;

/// Whether `op` opens a block that a later `end` (or a legacy `delegate`) closes.
pub fn opens_block(op: &Operator<'_>) -> bool {
    matches!(
        op,
        Operator::Block { .. }
            | Operator::Loop { .. }
            | Operator::If { .. }
            | Operator::TryTable { .. }
            | Operator::Try { .. }
    )
}

/// Whether `op` closes the innermost block: `end`, or `delegate`, which ends a legacy `try`.
pub fn closes_block(op: &Operator<'_>) -> bool {
    matches!(op, Operator::End | Operator::Delegate { .. })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmparser::BlockType;

    #[test]
    fn every_block_opener_is_counted() {
        let ty = BlockType::Empty;
        assert!(opens_block(&Operator::Block { blockty: ty }));
        assert!(opens_block(&Operator::Loop { blockty: ty }));
        assert!(opens_block(&Operator::If { blockty: ty }));
        assert!(opens_block(&Operator::Try { blockty: ty }));
        assert!(!opens_block(&Operator::Else));
        assert!(!opens_block(&Operator::Nop));
        assert!(closes_block(&Operator::End));
        assert!(closes_block(&Operator::Delegate { relative_depth: 0 }));
        assert!(!closes_block(&Operator::Else));
    }
}
