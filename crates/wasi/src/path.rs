//! The `path_*` functions. Every path is resolved by cap-std relative to a directory
//! descriptor, so `..`, absolute paths and symbolic links cannot lead outside it; cap-std's
//! refusals carry no OS error and become `Notcapable`.

use std::os::unix::ffi::OsStrExt;

use cap_fs_ext::{
    DirExt, FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt, OpenOptionsSyncExt,
    SystemTimeSpec,
};
use wedge::ValType::{I32, I64};

use crate::fd::{Descriptor, Dir, File, Rights, TimeSpec, Times, fdflags, rights, write_filestat};
use crate::{Args, Errno, GuestMemory, Registrar, WasiCtx};

/// `lookupflags::symlink_follow`.
const SYMLINK_FOLLOW: u32 = 1;

/// WASI `oflags` bits.
mod oflags {
    pub(crate) const CREAT: u32 = 1 << 0;
    pub(crate) const DIRECTORY: u32 = 1 << 1;
    pub(crate) const EXCL: u32 = 1 << 2;
    pub(crate) const TRUNC: u32 = 1 << 3;
}

pub(crate) fn register<T: 'static>(r: &mut Registrar<'_, T>) -> Result<(), wedge::Error> {
    r.func(
        "path_create_directory",
        &[I32, I32, I32],
        path_create_directory,
    )?;
    r.func(
        "path_filestat_get",
        &[I32, I32, I32, I32, I32],
        path_filestat_get,
    )?;
    r.func(
        "path_filestat_set_times",
        &[I32, I32, I32, I32, I64, I64, I32],
        path_filestat_set_times,
    )?;
    r.func("path_link", &[I32, I32, I32, I32, I32, I32, I32], path_link)?;
    r.func(
        "path_open",
        &[I32, I32, I32, I32, I32, I64, I64, I32, I32],
        path_open,
    )?;
    r.func(
        "path_readlink",
        &[I32, I32, I32, I32, I32, I32],
        path_readlink,
    )?;
    r.func(
        "path_remove_directory",
        &[I32, I32, I32],
        path_remove_directory,
    )?;
    r.func("path_rename", &[I32, I32, I32, I32, I32, I32], path_rename)?;
    r.func("path_symlink", &[I32, I32, I32, I32, I32], path_symlink)?;
    r.func("path_unlink_file", &[I32, I32, I32], path_unlink_file)?;
    Ok(())
}

/// Directory descriptor `fd` holding the rights `base`: `Badf` if there is none, `Notdir` if
/// it is not a directory, `Notcapable` without the rights.
fn dir(ctx: &WasiCtx, fd: u32, base: u64) -> Result<&Dir, Errno> {
    match ctx.fds.get(&fd) {
        None => Err(Errno::Badf),
        Some(Descriptor::Dir(d)) => {
            d.rights.check(base, 0)?;
            Ok(d)
        }
        Some(_) => Err(Errno::Notdir),
    }
}

/// The guest path at `ptr`/`len`; `Noent` if empty.
fn path<'m>(mem: &'m GuestMemory<'_>, ptr: u32, len: u32) -> Result<&'m str, Errno> {
    let p = mem.str(ptr, len)?;
    if p.is_empty() {
        Err(Errno::Noent)
    } else {
        Ok(p)
    }
}

/// A WASI timestamp as cap-std wants it.
fn time_spec(t: Option<TimeSpec>) -> Option<SystemTimeSpec> {
    t.map(|t| match t {
        TimeSpec::Now => SystemTimeSpec::SymbolicNow,
        TimeSpec::At(ns) => SystemTimeSpec::Absolute(cap_std::time::SystemTime::from_std(
            std::time::UNIX_EPOCH + std::time::Duration::from_nanos(ns),
        )),
    })
}

fn path_create_directory(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> Result<(), Errno> {
    let d = dir(ctx, a.u32(0), rights::PATH_CREATE_DIRECTORY)?;
    d.writable()?;
    Ok(d.dir.create_dir(path(mem, a.u32(1), a.u32(2))?)?)
}

fn path_filestat_get(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> Result<(), Errno> {
    let d = dir(ctx, a.u32(0), rights::PATH_FILESTAT_GET)?;
    let p = path(mem, a.u32(2), a.u32(3))?;
    let meta = if a.u32(1) & SYMLINK_FOLLOW != 0 {
        d.dir.metadata(p)?
    } else {
        d.dir.symlink_metadata(p)?
    };
    write_filestat(mem, a.u32(4), &meta)
}

fn path_filestat_set_times(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> Result<(), Errno> {
    let d = dir(ctx, a.u32(0), rights::PATH_FILESTAT_SET_TIMES)?;
    d.writable()?;
    let p = path(mem, a.u32(2), a.u32(3))?;
    let times = Times::new(a.u64(4), a.u64(5), a.u32(6))?;
    let (atime, mtime) = (time_spec(times.atime), time_spec(times.mtime));
    if a.u32(1) & SYMLINK_FOLLOW != 0 {
        d.dir.set_times(p, atime, mtime)?;
    } else {
        d.dir.set_symlink_times(p, atime, mtime)?;
    }
    Ok(())
}

fn path_link(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let old = dir(ctx, a.u32(0), rights::PATH_LINK_SOURCE)?;
    let new = dir(ctx, a.u32(4), rights::PATH_LINK_TARGET)?;
    // A link out of a read-only tree would let the file be written through the new name.
    old.writable()?;
    new.writable()?;
    let old_path = path(mem, a.u32(2), a.u32(3))?;
    let new_path = path(mem, a.u32(5), a.u32(6))?;
    if a.u32(1) & SYMLINK_FOLLOW != 0 {
        // Resolve the symlinks inside the sandbox, then link what they lead to.
        let target = old.dir.canonicalize(old_path)?;
        old.dir.hard_link(target, &new.dir, new_path)?;
    } else {
        old.dir.hard_link(old_path, &new.dir, new_path)?;
    }
    Ok(())
}

fn path_open(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let (dirflags, oflags, fdflags) = (a.u32(1), a.u32(4), a.u32(7));
    let (mut base, mut inheriting) = (a.u64(5), a.u64(6));
    if oflags & !0xf != 0 || fdflags & !u32::from(fdflags::ALL) != 0 {
        return Err(Errno::Inval);
    }
    let fdflags = fdflags as u16;
    // As WasmEdge: a directory is not seekable, and a file has no path rights to stat.
    if oflags & oflags::DIRECTORY != 0 {
        base &= !rights::FD_SEEK;
    } else {
        base &= !rights::PATH_FILESTAT_GET;
        inheriting &= !rights::PATH_FILESTAT_GET;
    }
    let read = base & (rights::FD_READ | rights::FD_READDIR) != 0;
    let write = base
        & (rights::FD_DATASYNC
            | rights::FD_WRITE
            | rights::FD_ALLOCATE
            | rights::FD_FILESTAT_SET_SIZE)
        != 0;
    let mut required = rights::PATH_OPEN;
    let mut required_inheriting = base | inheriting;
    if oflags & oflags::CREAT != 0 {
        required |= rights::PATH_CREATE_FILE;
    }
    if oflags & oflags::TRUNC != 0 {
        required |= rights::PATH_FILESTAT_SET_SIZE;
    }
    if fdflags & fdflags::RSYNC != 0 {
        required_inheriting |= rights::FD_SYNC;
    }
    if fdflags & fdflags::DSYNC != 0 {
        required_inheriting |= rights::FD_DATASYNC;
    }

    let d = dir(ctx, a.u32(0), 0)?;
    d.rights.check(required, required_inheriting)?;
    let append = fdflags & fdflags::APPEND != 0;
    let truncate = oflags & oflags::TRUNC != 0;
    if append || truncate || oflags & oflags::CREAT != 0 {
        d.writable()?;
    }
    // Under a read-only preopen the host file is opened read-only whatever the rights say
    // (a guest asking for `fd_datasync` alone, as wasi-libc does for `O_RDWR` there, still
    // opens, as in WasmEdge, and its writes are refused).
    let write = write && !d.readonly;
    let p = path(mem, a.u32(2), a.u32(3))?;
    let follow = if dirflags & SYMLINK_FOLLOW != 0 {
        FollowSymlinks::Yes
    } else {
        FollowSymlinks::No
    };
    let rights = Rights { base, inheriting };
    let readonly = d.readonly;

    let opened = if oflags & oflags::DIRECTORY != 0 {
        if oflags & oflags::CREAT != 0 {
            return Err(Errno::Inval);
        }
        if truncate {
            return Err(Errno::Isdir);
        }
        let sub = match follow {
            FollowSymlinks::Yes => d.dir.open_dir(p)?,
            FollowSymlinks::No => d.dir.open_dir_nofollow(p)?,
        };
        // WasmEdge opens with the access the rights ask for, and the OS refuses to open a
        // directory for writing with `EISDIR` (after `ENOENT` and `ENOTDIR`, as here).
        if write {
            return Err(Errno::Isdir);
        }
        Descriptor::Dir(Dir::opened(sub, rights, fdflags, readonly))
    } else {
        let mut opts = cap_std::fs::OpenOptions::new();
        let write_access = write || truncate;
        opts.read(read || !(write_access || append))
            .write(write_access)
            .append(append);
        opts.follow(follow).maybe_dir(true);
        opts.dsync(fdflags & fdflags::DSYNC != 0)
            .rsync(fdflags & fdflags::RSYNC != 0)
            .sync(fdflags & fdflags::SYNC != 0)
            .nonblock(fdflags & fdflags::NONBLOCK != 0);
        if oflags & oflags::CREAT != 0 {
            let exclusive = oflags & oflags::EXCL != 0;
            if write_access || append {
                if exclusive {
                    opts.create_new(true);
                } else {
                    opts.create(true);
                }
            } else {
                // The host API creates only with write access: create the file first, then
                // open it as asked.
                let mut create = cap_std::fs::OpenOptions::new();
                create.write(true).create_new(true);
                match d.dir.open_with(p, &create) {
                    Ok(_) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && !exclusive => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        let file = d.dir.open_with(p, &opts)?;
        let meta = file.metadata()?;
        if meta.is_dir() {
            if write_access || append {
                return Err(Errno::Isdir);
            }
            Descriptor::Dir(Dir::opened(
                cap_std::fs::Dir::from_std_file(file.into_std()),
                rights,
                fdflags,
                readonly,
            ))
        } else {
            // `O_TRUNC` is applied here: the host API refuses it together with `O_APPEND`.
            if truncate && meta.is_file() {
                file.set_len(0)?;
            }
            Descriptor::File(File {
                file,
                rights,
                flags: fdflags,
                readonly,
            })
        }
    };
    let fd = ctx.insert(opened)?;
    mem.write(a.u32(8), fd)
}

fn path_readlink(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let d = dir(ctx, a.u32(0), rights::PATH_READLINK)?;
    let target = d.dir.read_link_contents(path(mem, a.u32(1), a.u32(2))?)?;
    let bytes = target.as_os_str().as_bytes();
    let n = bytes.len().min(a.u32(4) as usize);
    let used = n as u32;
    mem.slice_mut(a.u32(3), used)?.copy_from_slice(&bytes[..n]);
    mem.write(a.u32(5), used)
}

fn path_remove_directory(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> Result<(), Errno> {
    let d = dir(ctx, a.u32(0), rights::PATH_REMOVE_DIRECTORY)?;
    d.writable()?;
    Ok(d.dir.remove_dir(path(mem, a.u32(1), a.u32(2))?)?)
}

fn path_rename(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let old = dir(ctx, a.u32(0), rights::PATH_RENAME_SOURCE)?;
    let new = dir(ctx, a.u32(3), rights::PATH_RENAME_TARGET)?;
    old.writable()?;
    new.writable()?;
    let old_path = path(mem, a.u32(1), a.u32(2))?;
    let new_path = path(mem, a.u32(4), a.u32(5))?;
    Ok(old.dir.rename(old_path, &new.dir, new_path)?)
}

fn path_symlink(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> Result<(), Errno> {
    let d = dir(ctx, a.u32(2), rights::PATH_SYMLINK)?;
    d.writable()?;
    let target = mem.str(a.u32(0), a.u32(1))?;
    let link = path(mem, a.u32(3), a.u32(4))?;
    // cap-std refuses an absolute target; a relative one that climbs out is stored as written
    // and fails when followed, since following never leaves the sandbox.
    Ok(d.dir.symlink(target, link)?)
}

fn path_unlink_file(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> Result<(), Errno> {
    let d = dir(ctx, a.u32(0), rights::PATH_UNLINK_FILE)?;
    d.writable()?;
    Ok(d.dir.remove_file(path(mem, a.u32(1), a.u32(2))?)?)
}
