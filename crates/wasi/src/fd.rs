//! Descriptors and the `fd_*` functions: reading and writing, seeking, descriptor and file
//! status, directory listing, preopen discovery, closing and renumbering.
//!
//! A descriptor carries WASI rights as WasmEdge assigns them, and a `readonly` mark inherited
//! from a `:readonly` preopen: every write through such a descriptor is `Notcapable`, whatever
//! rights the guest asked for.

use std::collections::BTreeMap;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::os::unix::ffi::OsStrExt;

use cap_std::fs::{FileType, FileTypeExt, Metadata, MetadataExt};
use wedge::ValType::{I32, I64};

use crate::poll::{Waiter, ready_now};
use crate::{Args, Errno, GuestMemory, Registrar, WasiCtx};
use rustix::event::PollFlags;

/// WASI `rights` bits.
#[allow(
    dead_code,
    reason = "the full witx set; some bits are only checked by other areas"
)]
pub(crate) mod rights {
    pub(crate) const FD_DATASYNC: u64 = 1 << 0;
    pub(crate) const FD_READ: u64 = 1 << 1;
    pub(crate) const FD_SEEK: u64 = 1 << 2;
    pub(crate) const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub(crate) const FD_SYNC: u64 = 1 << 4;
    pub(crate) const FD_TELL: u64 = 1 << 5;
    pub(crate) const FD_WRITE: u64 = 1 << 6;
    pub(crate) const FD_ADVISE: u64 = 1 << 7;
    pub(crate) const FD_ALLOCATE: u64 = 1 << 8;
    pub(crate) const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    pub(crate) const PATH_CREATE_FILE: u64 = 1 << 10;
    pub(crate) const PATH_LINK_SOURCE: u64 = 1 << 11;
    pub(crate) const PATH_LINK_TARGET: u64 = 1 << 12;
    pub(crate) const PATH_OPEN: u64 = 1 << 13;
    pub(crate) const FD_READDIR: u64 = 1 << 14;
    pub(crate) const PATH_READLINK: u64 = 1 << 15;
    pub(crate) const PATH_RENAME_SOURCE: u64 = 1 << 16;
    pub(crate) const PATH_RENAME_TARGET: u64 = 1 << 17;
    pub(crate) const PATH_FILESTAT_GET: u64 = 1 << 18;
    pub(crate) const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    pub(crate) const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    pub(crate) const FD_FILESTAT_GET: u64 = 1 << 21;
    pub(crate) const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub(crate) const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    pub(crate) const PATH_SYMLINK: u64 = 1 << 24;
    pub(crate) const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    pub(crate) const PATH_UNLINK_FILE: u64 = 1 << 26;
    pub(crate) const POLL_FD_READWRITE: u64 = 1 << 27;
    pub(crate) const SOCK_SHUTDOWN: u64 = 1 << 28;
    pub(crate) const SOCK_ACCEPT: u64 = 1 << 29;

    /// Base rights of a writable preopen (WasmEdge's set).
    pub(crate) const PREOPEN_BASE: u64 = PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE
        | PATH_FILESTAT_SET_SIZE;
    /// Inheriting rights of a writable preopen.
    pub(crate) const PREOPEN_INHERITING: u64 = FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_TELL
        | FD_WRITE
        | FD_ADVISE
        | FD_ALLOCATE
        | PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_SIZE
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE
        | POLL_FD_READWRITE
        | SOCK_SHUTDOWN;
    /// Base rights of a `:readonly` preopen: open, list, read links, stat.
    pub(crate) const READONLY_BASE: u64 =
        PATH_OPEN | FD_READDIR | PATH_READLINK | PATH_FILESTAT_GET | FD_FILESTAT_GET;
    /// Inheriting rights of a `:readonly` preopen: WasmEdge's set, which drops fd write,
    /// allocate and set-size. (The path rights it keeps let toolchains that ask for them open
    /// files; the descriptor's `readonly` mark refuses the writes themselves.)
    pub(crate) const READONLY_INHERITING: u64 = PREOPEN_INHERITING
        & !(FD_WRITE
            | FD_ALLOCATE
            | FD_FILESTAT_SET_SIZE
            | PATH_FILESTAT_SET_SIZE
            | PATH_FILESTAT_SET_TIMES
            | SOCK_SHUTDOWN);
    /// Standard input.
    pub(crate) const STDIN: u64 = FD_ADVISE | FD_FILESTAT_GET | FD_READ | POLL_FD_READWRITE;
    /// Standard output and error.
    pub(crate) const STDOUT: u64 =
        FD_ADVISE | FD_DATASYNC | FD_FILESTAT_GET | FD_SYNC | FD_WRITE | POLL_FD_READWRITE;
    /// A socket (what WasmEdge gives one from `sock_open`).
    pub(crate) const SOCKET: u64 =
        FD_READ | FD_WRITE | FD_FDSTAT_SET_FLAGS | POLL_FD_READWRITE | SOCK_SHUTDOWN | SOCK_ACCEPT;
}

/// WASI `fdflags` bits.
pub(crate) mod fdflags {
    pub(crate) const APPEND: u16 = 1 << 0;
    pub(crate) const DSYNC: u16 = 1 << 1;
    pub(crate) const NONBLOCK: u16 = 1 << 2;
    pub(crate) const RSYNC: u16 = 1 << 3;
    pub(crate) const SYNC: u16 = 1 << 4;
    pub(crate) const ALL: u16 = APPEND | DSYNC | NONBLOCK | RSYNC | SYNC;
}

/// WASI `filetype` numbers.
#[allow(dead_code, reason = "the full witx set")]
pub(crate) mod filetype {
    pub(crate) const UNKNOWN: u8 = 0;
    pub(crate) const BLOCK_DEVICE: u8 = 1;
    pub(crate) const CHARACTER_DEVICE: u8 = 2;
    pub(crate) const DIRECTORY: u8 = 3;
    pub(crate) const REGULAR_FILE: u8 = 4;
    pub(crate) const SOCKET_DGRAM: u8 = 5;
    pub(crate) const SOCKET_STREAM: u8 = 6;
    pub(crate) const SYMBOLIC_LINK: u8 = 7;
}

/// WASI `fstflags` bits.
pub(crate) mod fstflags {
    pub(crate) const ATIM: u32 = 1 << 0;
    pub(crate) const ATIM_NOW: u32 = 1 << 1;
    pub(crate) const MTIM: u32 = 1 << 2;
    pub(crate) const MTIM_NOW: u32 = 1 << 3;
}

/// The rights of a descriptor and the rights it hands to descriptors opened through it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rights {
    pub(crate) base: u64,
    pub(crate) inheriting: u64,
}

impl Rights {
    /// `Notcapable` unless every bit of `base` and `inheriting` is held.
    pub(crate) fn check(self, base: u64, inheriting: u64) -> Result<(), Errno> {
        if self.base & base == base && self.inheriting & inheriting == inheriting {
            Ok(())
        } else {
            Err(Errno::Notcapable)
        }
    }
}

/// One of the host's standard streams.
pub(crate) enum Stdio {
    In(std::io::Stdin),
    Out(std::io::Stdout),
    Err(std::io::Stderr),
    /// A host descriptor the embedder chose for this stream.
    Owned(std::os::fd::OwnedFd),
}

impl Stdio {
    fn as_fd(&self) -> BorrowedFd<'_> {
        match self {
            Stdio::In(s) => s.as_fd(),
            Stdio::Out(s) => s.as_fd(),
            Stdio::Err(s) => s.as_fd(),
            Stdio::Owned(fd) => fd.as_fd(),
        }
    }
}

/// An open regular file (or anything else that is not a directory: a device, a FIFO).
pub(crate) struct File {
    pub(crate) file: cap_std::fs::File,
    pub(crate) rights: Rights,
    pub(crate) flags: u16,
    pub(crate) readonly: bool,
}

/// An open directory: a preopen (with its guest name) or one opened through `path_open`.
pub(crate) struct Dir {
    pub(crate) dir: cap_std::fs::Dir,
    pub(crate) preopen: Option<String>,
    pub(crate) rights: Rights,
    pub(crate) flags: u16,
    pub(crate) readonly: bool,
    /// The listing `fd_readdir` pages through, taken when a listing starts at cookie 0.
    listing: Option<Vec<DirItem>>,
}

impl Dir {
    /// A directory opened through another with these rights.
    pub(crate) fn opened(dir: cap_std::fs::Dir, rights: Rights, flags: u16, readonly: bool) -> Dir {
        Dir {
            dir,
            preopen: None,
            rights,
            flags,
            readonly,
            listing: None,
        }
    }

    /// `Notcapable` if the directory is `:readonly`.
    pub(crate) fn writable(&self) -> Result<(), Errno> {
        if self.readonly {
            Err(Errno::Notcapable)
        } else {
            Ok(())
        }
    }
}

/// One entry of a directory listing.
struct DirItem {
    name: Vec<u8>,
    ino: u64,
    filetype: u8,
}

/// An open descriptor in a guest's table.
pub(crate) enum Descriptor {
    /// Standard input, output or error of the host.
    Stdio {
        stream: Stdio,
        rights: Rights,
        flags: u16,
        /// The stream is a regular file: reads and writes never wait.
        regular: bool,
    },
    /// A file that is not a directory.
    File(File),
    /// A directory.
    Dir(Dir),
    /// A socket (`sock.rs`).
    Socket(crate::sock::Socket),
}

impl Descriptor {
    /// A preopened directory named `guest` for the guest.
    pub(crate) fn preopen(guest: String, dir: cap_std::fs::Dir, readonly: bool) -> Descriptor {
        let rights = if readonly {
            Rights {
                base: rights::READONLY_BASE,
                inheriting: rights::READONLY_INHERITING,
            }
        } else {
            Rights {
                base: rights::PREOPEN_BASE,
                inheriting: rights::PREOPEN_INHERITING,
            }
        };
        Descriptor::Dir(Dir {
            dir,
            preopen: Some(guest),
            rights,
            flags: 0,
            readonly,
            listing: None,
        })
    }

    /// The host file descriptor number behind this one.
    #[allow(
        dead_code,
        reason = "for areas that hand raw numbers to the host; poll uses host_fd"
    )]
    pub(crate) fn as_raw_fd(&self) -> Option<RawFd> {
        self.host_fd().map(|fd| fd.as_raw_fd())
    }

    /// The host file descriptor behind this one.
    pub(crate) fn host_fd(&self) -> Option<BorrowedFd<'_>> {
        match self {
            Descriptor::Stdio { stream, .. } => Some(stream.as_fd()),
            Descriptor::File(f) => Some(f.file.as_fd()),
            Descriptor::Dir(d) => Some(d.dir.as_fd()),
            Descriptor::Socket(s) => Some(s.as_fd()),
        }
    }

    /// The descriptor's rights.
    pub(crate) fn rights(&self) -> Rights {
        match self {
            Descriptor::Stdio { rights, .. } => *rights,
            Descriptor::File(f) => f.rights,
            Descriptor::Dir(d) => d.rights,
            Descriptor::Socket(_) => Rights {
                base: rights::SOCKET,
                inheriting: rights::SOCKET,
            },
        }
    }

    fn rights_mut(&mut self) -> Option<&mut Rights> {
        match self {
            Descriptor::Stdio { rights, .. } => Some(rights),
            Descriptor::File(f) => Some(&mut f.rights),
            Descriptor::Dir(d) => Some(&mut d.rights),
            Descriptor::Socket(_) => None,
        }
    }

    fn flags_mut(&mut self) -> Option<&mut u16> {
        match self {
            Descriptor::Stdio { flags, .. } => Some(flags),
            Descriptor::File(f) => Some(&mut f.flags),
            Descriptor::Dir(d) => Some(&mut d.flags),
            Descriptor::Socket(_) => None,
        }
    }

    /// `Notcapable` unless the descriptor holds every right in `base`.
    pub(crate) fn check(&self, base: u64) -> Result<(), Errno> {
        self.rights().check(base, 0)
    }

    /// `Notcapable` if the descriptor was opened through a `:readonly` preopen.
    fn writable(&self) -> Result<(), Errno> {
        let readonly = match self {
            Descriptor::File(f) => f.readonly,
            Descriptor::Dir(d) => d.readonly,
            _ => false,
        };
        if readonly {
            Err(Errno::Notcapable)
        } else {
            Ok(())
        }
    }

    /// The host descriptor for reading and writing bytes; directories have none.
    fn io_fd(&self) -> Result<BorrowedFd<'_>, Errno> {
        match self {
            Descriptor::Dir(_) => Err(Errno::Isdir),
            d => d.host_fd().ok_or(Errno::Badf),
        }
    }

    /// Whether a read or write may wait for a peer: on a pipe, a terminal, a socket or a
    /// device, not on a regular file. (A file opened by path is taken as possibly a FIFO.)
    fn may_wait(&self) -> bool {
        match self {
            Descriptor::Stdio { regular, .. } => !regular,
            Descriptor::File(_) | Descriptor::Socket(_) => true,
            Descriptor::Dir(_) => false,
        }
    }

    /// Whether writes must reach the disk before they return (`dsync`/`sync`).
    fn sync_writes(&self) -> bool {
        match self {
            Descriptor::File(f) => f.flags & (fdflags::DSYNC | fdflags::SYNC | fdflags::RSYNC) != 0,
            _ => false,
        }
    }

    /// The WASI file type of what the descriptor refers to.
    fn filetype(&self) -> Result<u8, Errno> {
        match self {
            Descriptor::Dir(_) => Ok(filetype::DIRECTORY),
            Descriptor::File(f) => Ok(filetype_of(f.file.metadata()?.file_type())),
            d => {
                let fd = d.host_fd().ok_or(Errno::Badf)?;
                let ty = filetype_of(fd_metadata(fd)?.file_type());
                Ok(if ty == filetype::SOCKET_STREAM {
                    socket_type(fd)
                } else {
                    ty
                })
            }
        }
    }

    /// The WASI `fdflags` of the descriptor: what the guest set, with the host's
    /// `O_APPEND`/`O_NONBLOCK` as they are now.
    fn fdflags(&self) -> u16 {
        let stored = match self {
            Descriptor::Stdio { flags, .. } => *flags,
            Descriptor::File(f) => f.flags,
            Descriptor::Dir(d) => d.flags,
            Descriptor::Socket(_) => 0,
        };
        let mut flags = stored & (fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC);
        if let Some(Ok(host)) = self.host_fd().map(rustix::fs::fcntl_getfl) {
            if host.contains(rustix::fs::OFlags::APPEND) {
                flags |= fdflags::APPEND;
            }
            if host.contains(rustix::fs::OFlags::NONBLOCK) {
                flags |= fdflags::NONBLOCK;
            }
        }
        flags
    }
}

/// Binds descriptors 0, 1 and 2 to the host's standard input, output and error, or to the
/// descriptors the embedder gave instead.
pub(crate) fn install_stdio(
    fds: &mut BTreeMap<u32, Descriptor>,
    mut owned: [Option<std::os::fd::OwnedFd>; 3],
) {
    let none = |base| Rights {
        base,
        inheriting: 0,
    };
    let streams = [
        owned[0]
            .take()
            .map_or(Stdio::In(std::io::stdin()), Stdio::Owned),
        owned[1]
            .take()
            .map_or(Stdio::Out(std::io::stdout()), Stdio::Owned),
        owned[2]
            .take()
            .map_or(Stdio::Err(std::io::stderr()), Stdio::Owned),
    ];
    let rights = [rights::STDIN, rights::STDOUT, rights::STDOUT];
    for (fd, (stream, base)) in (0..).zip(streams.into_iter().zip(rights)) {
        let regular = fd_metadata(stream.as_fd()).is_ok_and(|m| m.file_type().is_file());
        fds.insert(
            fd,
            Descriptor::Stdio {
                stream,
                rights: none(base),
                flags: 0,
                regular,
            },
        );
    }
}

/// The descriptor `fd`, or `Badf`.
pub(crate) fn get(ctx: &WasiCtx, fd: u32) -> Result<&Descriptor, Errno> {
    ctx.fds.get(&fd).ok_or(Errno::Badf)
}

/// The descriptor `fd`, mutably, or `Badf`.
pub(crate) fn get_mut(ctx: &mut WasiCtx, fd: u32) -> Result<&mut Descriptor, Errno> {
    ctx.fds.get_mut(&fd).ok_or(Errno::Badf)
}

/// The errno of a failed host call.
pub(crate) fn os(e: rustix::io::Errno) -> Errno {
    Errno::from_raw_os(e.raw_os_error())
}

/// The WASI file type of a host file type.
pub(crate) fn filetype_of(ty: FileType) -> u8 {
    if ty.is_dir() {
        filetype::DIRECTORY
    } else if ty.is_file() {
        filetype::REGULAR_FILE
    } else if ty.is_symlink() {
        filetype::SYMBOLIC_LINK
    } else if ty.is_char_device() {
        filetype::CHARACTER_DEVICE
    } else if ty.is_block_device() {
        filetype::BLOCK_DEVICE
    } else if ty.is_socket() {
        filetype::SOCKET_STREAM
    } else {
        filetype::UNKNOWN
    }
}

/// Stream or datagram, for a host socket.
fn socket_type(fd: BorrowedFd<'_>) -> u8 {
    match rustix::net::sockopt::socket_type(fd) {
        Ok(rustix::net::SocketType::DGRAM) => filetype::SOCKET_DGRAM,
        _ => filetype::SOCKET_STREAM,
    }
}

/// The metadata of an open host descriptor.
fn fd_metadata(fd: BorrowedFd<'_>) -> Result<Metadata, Errno> {
    let file = std::fs::File::from(fd.try_clone_to_owned()?);
    Ok(Metadata::from_file(&file)?)
}

/// Writes a 64-byte WASI `filestat` for `meta` at `ptr`.
pub(crate) fn write_filestat(
    mem: &mut GuestMemory<'_>,
    ptr: u32,
    meta: &Metadata,
) -> Result<(), Errno> {
    let nanos = |secs: i64, nsec: i64| -> u64 {
        u64::try_from(secs)
            .unwrap_or(0)
            .saturating_mul(1_000_000_000)
            .saturating_add(u64::try_from(nsec).unwrap_or(0))
    };
    let out = mem.slice_mut(ptr, 64)?;
    out.fill(0);
    out[0..8].copy_from_slice(&meta.dev().to_le_bytes());
    out[8..16].copy_from_slice(&meta.ino().to_le_bytes());
    out[16] = filetype_of(meta.file_type());
    out[24..32].copy_from_slice(&meta.nlink().to_le_bytes());
    out[32..40].copy_from_slice(&meta.size().to_le_bytes());
    out[40..48].copy_from_slice(&nanos(meta.atime(), meta.atime_nsec()).to_le_bytes());
    out[48..56].copy_from_slice(&nanos(meta.mtime(), meta.mtime_nsec()).to_le_bytes());
    out[56..64].copy_from_slice(&nanos(meta.ctime(), meta.ctime_nsec()).to_le_bytes());
    Ok(())
}

/// Which timestamps to set, from WASI `fstflags` and the two timestamps.
pub(crate) struct Times {
    pub(crate) atime: Option<TimeSpec>,
    pub(crate) mtime: Option<TimeSpec>,
}

/// A timestamp to set: now, or nanoseconds since the Unix epoch.
#[derive(Copy, Clone)]
pub(crate) enum TimeSpec {
    Now,
    At(u64),
}

impl Times {
    /// Decodes `fstflags`; `Inval` for unknown bits or a time both given and "now".
    pub(crate) fn new(atim: u64, mtim: u64, flags: u32) -> Result<Times, Errno> {
        use fstflags::*;
        if flags & !(ATIM | ATIM_NOW | MTIM | MTIM_NOW) != 0
            || flags & (ATIM | ATIM_NOW) == ATIM | ATIM_NOW
            || flags & (MTIM | MTIM_NOW) == MTIM | MTIM_NOW
        {
            return Err(Errno::Inval);
        }
        let pick = |set, now, t| {
            if flags & now != 0 {
                Some(TimeSpec::Now)
            } else if flags & set != 0 {
                Some(TimeSpec::At(t))
            } else {
                None
            }
        };
        Ok(Times {
            atime: pick(ATIM, ATIM_NOW, atim),
            mtime: pick(MTIM, MTIM_NOW, mtim),
        })
    }

    /// As the host's `futimens` wants them.
    fn timestamps(&self) -> rustix::fs::Timestamps {
        let spec = |t: Option<TimeSpec>| match t {
            None => rustix::fs::Timespec {
                tv_sec: 0,
                tv_nsec: rustix::fs::UTIME_OMIT,
            },
            Some(TimeSpec::Now) => rustix::fs::Timespec {
                tv_sec: 0,
                tv_nsec: rustix::fs::UTIME_NOW,
            },
            Some(TimeSpec::At(ns)) => rustix::fs::Timespec {
                tv_sec: (ns / 1_000_000_000) as _,
                tv_nsec: (ns % 1_000_000_000) as _,
            },
        };
        rustix::fs::Timestamps {
            last_access: spec(self.atime),
            last_modification: spec(self.mtime),
        }
    }
}

pub(crate) fn register<T: 'static>(r: &mut Registrar<'_, T>) -> Result<(), wedge::Error> {
    r.func("fd_advise", &[I32, I64, I64, I32], fd_advise)?;
    r.func("fd_allocate", &[I32, I64, I64], fd_allocate)?;
    r.func("fd_close", &[I32], fd_close)?;
    r.func("fd_datasync", &[I32], fd_datasync)?;
    r.func("fd_fdstat_get", &[I32, I32], fd_fdstat_get)?;
    r.func("fd_fdstat_set_flags", &[I32, I32], fd_fdstat_set_flags)?;
    r.func(
        "fd_fdstat_set_rights",
        &[I32, I64, I64],
        fd_fdstat_set_rights,
    )?;
    r.func("fd_filestat_get", &[I32, I32], fd_filestat_get)?;
    r.func("fd_filestat_set_size", &[I32, I64], fd_filestat_set_size)?;
    r.func(
        "fd_filestat_set_times",
        &[I32, I64, I64, I32],
        fd_filestat_set_times,
    )?;
    r.func("fd_pread", &[I32, I32, I32, I64, I32], fd_pread)?;
    r.func("fd_prestat_get", &[I32, I32], fd_prestat_get)?;
    r.func("fd_prestat_dir_name", &[I32, I32, I32], fd_prestat_dir_name)?;
    r.func("fd_pwrite", &[I32, I32, I32, I64, I32], fd_pwrite)?;
    r.blocking("fd_read", &[I32, I32, I32, I32], fd_read)?;
    r.func("fd_readdir", &[I32, I32, I32, I64, I32], fd_readdir)?;
    r.func("fd_renumber", &[I32, I32], fd_renumber)?;
    r.func("fd_seek", &[I32, I64, I32, I32], fd_seek)?;
    r.func("fd_sync", &[I32], fd_sync)?;
    r.func("fd_tell", &[I32, I32], fd_tell)?;
    r.blocking("fd_write", &[I32, I32, I32, I32], fd_write)?;
    Ok(())
}

fn fd_advise(ctx: &mut WasiCtx, _mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    use rustix::fs::Advice;
    let d = get(ctx, a.u32(0))?;
    d.check(rights::FD_ADVISE)?;
    let advice = match a.u32(3) {
        0 => Advice::Normal,
        1 => Advice::Sequential,
        2 => Advice::Random,
        3 => Advice::WillNeed,
        4 => Advice::DontNeed,
        5 => Advice::NoReuse,
        _ => return Err(Errno::Inval),
    };
    let fd = d.io_fd()?;
    rustix::fs::fadvise(fd, a.u64(1), std::num::NonZeroU64::new(a.u64(2)), advice).map_err(os)
}

fn fd_allocate(ctx: &mut WasiCtx, _mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let d = get(ctx, a.u32(0))?;
    d.check(rights::FD_ALLOCATE)?;
    d.writable()?;
    let fd = d.io_fd()?;
    rustix::fs::fallocate(fd, rustix::fs::FallocateFlags::empty(), a.u64(1), a.u64(2)).map_err(os)
}

fn fd_close(ctx: &mut WasiCtx, _mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    ctx.fds.remove(&a.u32(0)).map(drop).ok_or(Errno::Badf)
}

fn fd_datasync(ctx: &mut WasiCtx, _mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let d = get(ctx, a.u32(0))?;
    d.check(rights::FD_DATASYNC)?;
    rustix::fs::fdatasync(d.host_fd().ok_or(Errno::Badf)?).map_err(os)
}

fn fd_sync(ctx: &mut WasiCtx, _mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let d = get(ctx, a.u32(0))?;
    d.check(rights::FD_SYNC)?;
    rustix::fs::fsync(d.host_fd().ok_or(Errno::Badf)?).map_err(os)
}

fn fd_fdstat_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let d = get(ctx, a.u32(0))?;
    let ty = d.filetype()?;
    let flags = d.fdflags();
    let rights = d.rights();
    let out = mem.slice_mut(a.u32(1), 24)?;
    out.fill(0);
    out[0] = ty;
    out[2..4].copy_from_slice(&flags.to_le_bytes());
    out[8..16].copy_from_slice(&rights.base.to_le_bytes());
    out[16..24].copy_from_slice(&rights.inheriting.to_le_bytes());
    Ok(())
}

fn fd_fdstat_set_flags(
    ctx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> Result<(), Errno> {
    use rustix::fs::OFlags;
    let flags = u16::try_from(a.u32(1)).map_err(|_| Errno::Inval)?;
    if flags & !fdflags::ALL != 0 {
        return Err(Errno::Inval);
    }
    let d = get_mut(ctx, a.u32(0))?;
    d.check(rights::FD_FDSTAT_SET_FLAGS)?;
    if flags & fdflags::APPEND != 0 {
        d.writable()?;
    }
    let fd = d.host_fd().ok_or(Errno::Badf)?;
    let mut host = rustix::fs::fcntl_getfl(fd).map_err(os)?;
    host.set(OFlags::APPEND, flags & fdflags::APPEND != 0);
    host.set(OFlags::NONBLOCK, flags & fdflags::NONBLOCK != 0);
    rustix::fs::fcntl_setfl(fd, host).map_err(os)?;
    if let Some(stored) = d.flags_mut() {
        *stored = flags;
    }
    Ok(())
}

fn fd_fdstat_set_rights(
    ctx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> Result<(), Errno> {
    let new = Rights {
        base: a.u64(1),
        inheriting: a.u64(2),
    };
    let d = get_mut(ctx, a.u32(0))?;
    d.rights().check(new.base, new.inheriting)?;
    if let Some(rights) = d.rights_mut() {
        *rights = new;
    }
    Ok(())
}

fn fd_filestat_get(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> Result<(), Errno> {
    let d = get(ctx, a.u32(0))?;
    d.check(rights::FD_FILESTAT_GET)?;
    let meta = match d {
        Descriptor::File(f) => f.file.metadata()?,
        Descriptor::Dir(d) => d.dir.dir_metadata()?,
        d => fd_metadata(d.host_fd().ok_or(Errno::Badf)?)?,
    };
    write_filestat(mem, a.u32(1), &meta)
}

fn fd_filestat_set_size(
    ctx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> Result<(), Errno> {
    let d = get(ctx, a.u32(0))?;
    d.check(rights::FD_FILESTAT_SET_SIZE)?;
    d.writable()?;
    rustix::fs::ftruncate(d.io_fd()?, a.u64(1)).map_err(os)
}

fn fd_filestat_set_times(
    ctx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> Result<(), Errno> {
    let d = get(ctx, a.u32(0))?;
    d.check(rights::FD_FILESTAT_SET_TIMES)?;
    d.writable()?;
    let times = Times::new(a.u64(1), a.u64(2), a.u32(3))?;
    rustix::fs::futimens(d.host_fd().ok_or(Errno::Badf)?, &times.timestamps()).map_err(os)
}

/// Reads into the guest's iovecs with `read(buf, offset)`, stopping at the first short read;
/// an error after some bytes were read ends the call with what was read.
fn read_iovecs(
    mem: &mut GuestMemory<'_>,
    iovs: u32,
    count: u32,
    mut read: impl FnMut(&mut [u8], u64) -> Result<usize, Errno>,
) -> Result<u32, Errno> {
    let mut total = 0u32;
    for (ptr, len) in mem.iovecs(iovs, count)? {
        let buf = mem.slice_mut(ptr, len)?;
        let n = match read(buf, u64::from(total)) {
            Ok(n) => n,
            Err(_) if total > 0 => break,
            Err(e) => return Err(e),
        };
        total = total.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
        if n < len as usize {
            break;
        }
    }
    Ok(total)
}

/// Writes the guest's ciovecs with `write(buf, offset)`, stopping at the first short write.
fn write_iovecs(
    mem: &GuestMemory<'_>,
    iovs: u32,
    count: u32,
    mut write: impl FnMut(&[u8], u64) -> Result<usize, Errno>,
) -> Result<u32, Errno> {
    let mut total = 0u32;
    for (ptr, len) in mem.iovecs(iovs, count)? {
        let buf = mem.slice(ptr, len)?;
        let n = match write(buf, u64::from(total)) {
            Ok(n) => n,
            Err(_) if total > 0 => break,
            Err(e) => return Err(e),
        };
        total = total.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
        if n < len as usize {
            break;
        }
    }
    Ok(total)
}

/// `fd_read`: a read that would block (a pipe, a terminal, a socket) waits through `waiter`
/// first, so a stop ends it. Once some bytes are read, it returns them rather than wait for
/// more to fill the next iovec, as `readv(2)` does.
fn fd_read(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
    waiter: &Waiter,
) -> Result<(), Errno> {
    let d = get(ctx, a.u32(0))?;
    d.check(rights::FD_READ)?;
    let fd = d.io_fd()?;
    let may_wait = d.may_wait();
    // Files opened by path are regular files (nearly always): never worth a `poll` when no
    // stop is to be watched.
    let file = matches!(d, Descriptor::File(_));
    let n = read_iovecs(mem, a.u32(1), a.u32(2), |buf, done| {
        let waited = if buf.is_empty() || !may_wait {
            Ok(())
        } else if done == 0 {
            waiter.ready(fd, PollFlags::IN)
        } else if file || ready_now(fd, PollFlags::IN) {
            Ok(())
        } else {
            Err(Errno::Again)
        };
        waited?;
        rustix::io::read(fd, buf).map_err(os)
    })?;
    mem.write(a.u32(3), n)
}

fn fd_pread(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let d = get(ctx, a.u32(0))?;
    d.check(rights::FD_READ | rights::FD_SEEK)?;
    let fd = d.io_fd()?;
    let offset = a.u64(3);
    let n = read_iovecs(mem, a.u32(1), a.u32(2), |buf, done| {
        rustix::io::pread(fd, buf, offset.checked_add(done).ok_or(Errno::Overflow)?).map_err(os)
    })?;
    mem.write(a.u32(4), n)
}

/// `fd_write`: a write to a full pipe or socket waits through `waiter` until there is room,
/// so a stop ends the wait (a write larger than the room then still blocks until the reader
/// takes enough).
fn fd_write(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
    waiter: &Waiter,
) -> Result<(), Errno> {
    let d = get(ctx, a.u32(0))?;
    d.check(rights::FD_WRITE)?;
    d.writable()?;
    let fd = d.io_fd()?;
    let may_wait = d.may_wait();
    let n = write_iovecs(mem, a.u32(1), a.u32(2), |buf, _| {
        if may_wait && !buf.is_empty() {
            waiter.ready(fd, PollFlags::OUT)?;
        }
        rustix::io::write(fd, buf).map_err(os)
    })?;
    if d.sync_writes() {
        rustix::fs::fdatasync(fd).map_err(os)?;
    }
    mem.write(a.u32(3), n)
}

fn fd_pwrite(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let d = get(ctx, a.u32(0))?;
    d.check(rights::FD_WRITE | rights::FD_SEEK)?;
    d.writable()?;
    let fd = d.io_fd()?;
    let offset = a.u64(3);
    let n = write_iovecs(mem, a.u32(1), a.u32(2), |buf, done| {
        rustix::io::pwrite(fd, buf, offset.checked_add(done).ok_or(Errno::Overflow)?).map_err(os)
    })?;
    if d.sync_writes() {
        rustix::fs::fdatasync(fd).map_err(os)?;
    }
    mem.write(a.u32(4), n)
}

fn fd_seek(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    use rustix::fs::SeekFrom;
    let d = get(ctx, a.u32(0))?;
    let offset = a.u64(1) as i64;
    let pos = match a.u32(2) {
        0 => SeekFrom::Start(u64::try_from(offset).map_err(|_| Errno::Inval)?),
        1 => SeekFrom::Current(offset),
        2 => SeekFrom::End(offset),
        _ => return Err(Errno::Inval),
    };
    // A seek that leaves the offset where it is needs only the right to tell.
    d.check(if matches!(pos, SeekFrom::Current(0)) {
        rights::FD_TELL
    } else {
        rights::FD_SEEK
    })?;
    let new = rustix::fs::seek(d.io_fd()?, pos).map_err(os)?;
    mem.write(a.u32(3), new)
}

fn fd_tell(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let d = get(ctx, a.u32(0))?;
    d.check(rights::FD_TELL)?;
    let at = rustix::fs::seek(d.io_fd()?, rustix::fs::SeekFrom::Current(0)).map_err(os)?;
    mem.write(a.u32(1), at)
}

/// The guest name of preopen `fd`: `Badf` if there is no such descriptor, `Inval` (as in
/// WasmEdge) if it is not a preopen.
fn preopen_name(ctx: &WasiCtx, fd: u32) -> Result<&str, Errno> {
    match get(ctx, fd)? {
        Descriptor::Dir(Dir {
            preopen: Some(name),
            ..
        }) => Ok(name),
        _ => Err(Errno::Inval),
    }
}

fn fd_prestat_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let name = preopen_name(ctx, a.u32(0))?;
    let len = u32::try_from(name.len()).map_err(|_| Errno::Nametoolong)?;
    let out = mem.slice_mut(a.u32(1), 8)?;
    out.fill(0);
    out[4..8].copy_from_slice(&len.to_le_bytes());
    Ok(())
}

fn fd_prestat_dir_name(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> Result<(), Errno> {
    let name = preopen_name(ctx, a.u32(0))?;
    let len = u32::try_from(name.len()).map_err(|_| Errno::Nametoolong)?;
    if a.u32(2) < len {
        return Err(Errno::Nametoolong);
    }
    mem.slice_mut(a.u32(1), len)?
        .copy_from_slice(name.as_bytes());
    Ok(())
}

fn fd_renumber(ctx: &mut WasiCtx, _mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let (from, to) = (a.u32(0), a.u32(1));
    if !ctx.fds.contains_key(&from) || !ctx.fds.contains_key(&to) {
        return Err(Errno::Badf);
    }
    if from != to {
        let d = ctx.fds.remove(&from).ok_or(Errno::Badf)?;
        ctx.fds.insert(to, d);
    }
    Ok(())
}

/// Lists `dir`: `.` and `..` first, then the entries in the host's order.
fn list(dir: &cap_std::fs::Dir) -> Result<Vec<DirItem>, Errno> {
    use rustix::fs::DirEntryExt;
    let mut items = Vec::new();
    let this = dir.dir_metadata()?;
    items.push(DirItem {
        name: b".".to_vec(),
        ino: this.ino(),
        filetype: filetype::DIRECTORY,
    });
    // Only the parent's inode number is read, never anything in it.
    #[allow(
        clippy::unnecessary_cast,
        reason = "st_ino's type differs between targets"
    )]
    let parent = rustix::fs::statat(dir, "..", rustix::fs::AtFlags::empty())
        .map_or(this.ino(), |st| st.st_ino as u64);
    items.push(DirItem {
        name: b"..".to_vec(),
        ino: parent,
        filetype: filetype::DIRECTORY,
    });
    for entry in dir.entries()? {
        let Ok(entry) = entry else { continue };
        let filetype = entry.file_type().map_or(filetype::UNKNOWN, filetype_of);
        items.push(DirItem {
            name: entry.file_name().as_bytes().to_vec(),
            ino: entry.ino(),
            filetype,
        });
    }
    Ok(items)
}

fn fd_readdir(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let d = get_mut(ctx, a.u32(0))?;
    d.check(rights::FD_READDIR)?;
    let Descriptor::Dir(dir) = d else {
        return Err(Errno::Notdir);
    };
    let (buf, buf_len, cookie) = (a.u32(1), a.u32(2), a.u64(3));
    if cookie == 0 || dir.listing.is_none() {
        dir.listing = Some(list(&dir.dir)?);
    }
    let items = dir.listing.as_deref().unwrap_or_default();
    let start = usize::try_from(cookie).unwrap_or(usize::MAX);
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate().skip(start) {
        if out.len() >= buf_len as usize {
            break;
        }
        let namlen = u32::try_from(item.name.len()).map_err(|_| Errno::Nametoolong)?;
        out.extend_from_slice(&(i as u64 + 1).to_le_bytes());
        out.extend_from_slice(&item.ino.to_le_bytes());
        out.extend_from_slice(&namlen.to_le_bytes());
        out.extend_from_slice(&[item.filetype, 0, 0, 0]);
        out.extend_from_slice(&item.name);
    }
    // A last entry that does not fit is cut; the guest sees a full buffer and asks again with
    // a larger one.
    out.truncate(buf_len as usize);
    let used = out.len() as u32;
    mem.slice_mut(buf, used)?.copy_from_slice(&out);
    mem.write(a.u32(4), used)
}
