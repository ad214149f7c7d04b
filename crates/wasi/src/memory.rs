//! Bounds-checked access to guest memory. Every guest pointer goes through here; an
//! out-of-bounds pointer is `Errno::Fault`, never a host crash.

use crate::Errno;

/// A guest's linear memory during one host call.
pub struct GuestMemory<'a> {
    bytes: &'a mut [u8],
}

impl<'a> GuestMemory<'a> {
    /// Wraps the memory's bytes.
    pub fn new(bytes: &'a mut [u8]) -> Self {
        GuestMemory { bytes }
    }

    /// `len` bytes at `ptr`.
    pub fn slice(&self, ptr: u32, len: u32) -> Result<&[u8], Errno> {
        let start = ptr as usize;
        let end = start.checked_add(len as usize).ok_or(Errno::Fault)?;
        self.bytes.get(start..end).ok_or(Errno::Fault)
    }

    /// `len` writable bytes at `ptr`.
    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> Result<&mut [u8], Errno> {
        let start = ptr as usize;
        let end = start.checked_add(len as usize).ok_or(Errno::Fault)?;
        self.bytes.get_mut(start..end).ok_or(Errno::Fault)
    }

    /// A UTF-8 string of `len` bytes at `ptr`.
    pub fn str(&self, ptr: u32, len: u32) -> Result<&str, Errno> {
        std::str::from_utf8(self.slice(ptr, len)?).map_err(|_| Errno::Ilseq)
    }

    /// Reads a little-endian `u8`/`u16`/`u32`/`u64` at `ptr`.
    pub fn read<T: Pod>(&self, ptr: u32) -> Result<T, Errno> {
        Ok(T::from_le(self.slice(ptr, T::SIZE)?))
    }

    /// Writes a little-endian value at `ptr`.
    pub fn write<T: Pod>(&mut self, ptr: u32, v: T) -> Result<(), Errno> {
        v.to_le(self.slice_mut(ptr, T::SIZE)?);
        Ok(())
    }

    /// Reads an array of `count` `(ptr, len)` pairs (an `iovec`/`ciovec` array) at `ptr`.
    pub fn iovecs(&self, ptr: u32, count: u32) -> Result<Vec<(u32, u32)>, Errno> {
        (0..count)
            .map(|i| {
                let at = ptr
                    .checked_add(i.checked_mul(8).ok_or(Errno::Fault)?)
                    .ok_or(Errno::Fault)?;
                Ok((
                    self.read::<u32>(at)?,
                    self.read::<u32>(at.checked_add(4).ok_or(Errno::Fault)?)?,
                ))
            })
            .collect()
    }
}

/// A plain little-endian integer that can live in guest memory.
pub trait Pod: Copy {
    /// Size in bytes.
    const SIZE: u32;
    /// Decodes from exactly `SIZE` bytes.
    fn from_le(b: &[u8]) -> Self;
    /// Encodes into exactly `SIZE` bytes.
    fn to_le(self, b: &mut [u8]);
}

macro_rules! pod {
    ($($t:ty),*) => {$(
        impl Pod for $t {
            const SIZE: u32 = std::mem::size_of::<$t>() as u32;
            fn from_le(b: &[u8]) -> Self {
                let mut a = [0u8; std::mem::size_of::<$t>()];
                a.copy_from_slice(b);
                <$t>::from_le_bytes(a)
            }
            fn to_le(self, b: &mut [u8]) {
                b.copy_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}
pod!(u8, u16, u32, u64, i32, i64);
