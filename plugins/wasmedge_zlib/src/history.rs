//! The last window's worth of a stream's data, for `deflateGetDictionary` and
//! `inflateGetDictionary` (zlib-rs's safe API does not expose its window).

use std::collections::VecDeque;

/// The most recent `capacity` bytes pushed.
#[derive(Debug, Clone)]
pub struct History {
    bytes: VecDeque<u8>,
    capacity: usize,
}

impl History {
    /// Keeps at most `capacity` bytes.
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self {
            bytes: VecDeque::new(),
            capacity,
        }
    }

    /// Appends `data`, forgetting what falls out of the window.
    pub fn push(&mut self, data: &[u8]) {
        let data = &data[data.len().saturating_sub(self.capacity)..];
        let over = (self.bytes.len() + data.len()).saturating_sub(self.capacity);
        self.bytes.drain(..over);
        self.bytes.extend(data);
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.bytes.clear();
    }

    /// The bytes kept, oldest first.
    #[must_use]
    pub fn contents(&self) -> Vec<u8> {
        self.bytes.iter().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::History;

    #[test]
    fn keeps_the_last_window() {
        let mut h = History::new(4);
        h.push(b"ab");
        h.push(b"cde");
        assert_eq!(h.contents(), b"bcde");
        h.push(b"0123456");
        assert_eq!(h.contents(), b"3456");
    }
}
