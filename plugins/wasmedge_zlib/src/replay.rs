//! What `deflateCopy` and `inflateCopy` need: zlib-rs's safe API cannot clone a stream, so a
//! stream records the calls it made on its engine, and a copy is a fresh engine that makes the
//! same calls (zlib-rs is deterministic, so it reaches the same state). The record is capped:
//! a stream that has been given more than [`MAX_LOG`] bytes can no longer be copied.

/// The most input a stream records for copying.
pub const MAX_LOG: usize = 4 << 20;

/// The calls made on an engine since it was created.
#[derive(Debug, Clone)]
pub struct Log<Op> {
    ops: Vec<Op>,
    bytes: usize,
    full: bool,
}

impl<Op> Default for Log<Op> {
    fn default() -> Self {
        Self {
            ops: Vec::new(),
            bytes: 0,
            full: false,
        }
    }
}

impl<Op> Log<Op> {
    /// Whether calls are still recorded (the cap was not reached).
    #[must_use]
    pub fn recording(&self) -> bool {
        !self.full
    }

    /// Records `op`, which carries `bytes` bytes; past the cap, forgets everything.
    pub fn push(&mut self, op: Op, bytes: usize) {
        if self.full {
            return;
        }
        if self.bytes + bytes > MAX_LOG {
            self.full = true;
            self.ops = Vec::new();
            return;
        }
        self.bytes += bytes;
        self.ops.push(op);
    }

    /// A new engine: nothing recorded yet.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// The calls, or `None` when the cap was reached.
    #[must_use]
    pub fn ops(&self) -> Option<&[Op]> {
        (!self.full).then_some(&self.ops[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_forgets_past_its_cap() {
        let mut l = Log::default();
        l.push(1, 10);
        assert_eq!(l.ops(), Some(&[1][..]));
        l.push(2, MAX_LOG);
        assert!(l.ops().is_none() && !l.recording());
        l.clear();
        assert_eq!(l.ops(), Some(&[][..]));
    }
}
