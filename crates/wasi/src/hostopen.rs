//! Opening a guest's file for the host: a plug-in (through the C API) asks for a file by the
//! path the guest gave it, and gets it only if the guest itself could open it through its
//! preopened directories, with the same sandbox as `path_open`.

use cap_fs_ext::{FollowSymlinks, OpenOptionsFollowExt};

use crate::fd::{Descriptor, Dir, rights};
use crate::{Errno, WasiCtx};

/// How [`WasiCtx::open_guest_file`] opens a file, as `std::fs::OpenOptions` says it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GuestOpenOptions {
    /// Open for reading.
    pub read: bool,
    /// Open for writing.
    pub write: bool,
    /// Writes go to the end (implies writing).
    pub append: bool,
    /// Create the file if it does not exist.
    pub create: bool,
    /// Truncate the file to length 0.
    pub truncate: bool,
    /// Create the file, failing if it exists.
    pub create_new: bool,
}

impl WasiCtx {
    /// Opens `path`, a path as the guest names it (absolute, or relative to a preopen named
    /// `.`), as the guest could with `path_open`: under the preopened directory whose guest name
    /// is the longest prefix of `path`, resolved by cap-std so that `..` and symbolic links
    /// cannot lead outside it, following symbolic links, with the preopen's rights and its
    /// `:readonly` flag. The file is the caller's: it is not put in the guest's descriptor
    /// table.
    ///
    /// `Notcapable` when no preopen covers `path` or the preopen does not allow the access,
    /// `Noent` for an empty path, the OS's error otherwise.
    pub fn open_guest_file(
        &self,
        path: &str,
        options: GuestOpenOptions,
    ) -> Result<std::fs::File, Errno> {
        let (dir, rest) = self.preopen_for(path).ok_or(Errno::Notcapable)?;
        let o = options;
        let write = o.write || o.append || o.truncate;
        let creates = o.create || o.create_new;
        let mut base = rights::PATH_OPEN;
        if creates {
            base |= rights::PATH_CREATE_FILE;
        }
        if o.truncate {
            base |= rights::PATH_FILESTAT_SET_SIZE;
        }
        let mut inheriting = 0;
        if o.read || !write {
            inheriting |= rights::FD_READ;
        }
        if write {
            inheriting |= rights::FD_WRITE;
        }
        dir.rights.check(base, inheriting)?;
        if write || creates {
            dir.writable()?;
        }
        let mut opts = cap_std::fs::OpenOptions::new();
        opts.read(o.read || !write)
            .write(o.write || o.truncate)
            .append(o.append)
            .truncate(o.truncate)
            .create(o.create)
            .create_new(o.create_new);
        opts.follow(FollowSymlinks::Yes);
        let file = dir.dir.open_with(rest, &opts)?;
        if file.metadata()?.is_dir() {
            return Err(Errno::Isdir);
        }
        Ok(file.into_std())
    }

    /// The preopened directory whose guest name is the longest prefix of `path` (whole
    /// components), and the rest of `path` under it.
    fn preopen_for<'p>(&self, path: &'p str) -> Option<(&Dir, &'p str)> {
        if path.is_empty() {
            return None;
        }
        let mut best: Option<(usize, &Dir, &'p str)> = None;
        for d in self.fds.values() {
            let Descriptor::Dir(dir) = d else { continue };
            let Some(name) = &dir.preopen else { continue };
            let Some((len, rest)) = under(name, path) else {
                continue;
            };
            if best.as_ref().is_none_or(|(l, _, _)| len > *l) {
                best = Some((len, dir, rest));
            }
        }
        best.map(|(_, d, rest)| (d, if rest.is_empty() { "." } else { rest }))
    }
}

/// Whether `path` is under the preopen named `name`: the length of the prefix matched and the
/// rest, relative.
fn under<'p>(name: &str, path: &'p str) -> Option<(usize, &'p str)> {
    let name = name.trim_end_matches('/');
    if name.is_empty() {
        // The preopen "/": every absolute path.
        return path
            .strip_prefix('/')
            .map(|rest| (1, rest.trim_start_matches('/')));
    }
    if name == "." {
        let rest = path.strip_prefix("./").unwrap_or(path);
        return (!path.starts_with('/')).then_some((0, rest.trim_start_matches('/')));
    }
    let name = name.strip_prefix("./").unwrap_or(name);
    let path_rel = if name.starts_with('/') {
        path
    } else {
        path.strip_prefix("./").unwrap_or(path)
    };
    let rest = path_rel.strip_prefix(name)?;
    if rest.is_empty() || rest.starts_with('/') {
        Some((name.len(), rest.trim_start_matches('/')))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WasiCtxBuilder;

    fn ctx(dir: &std::path::Path, readonly: bool) -> WasiCtx {
        WasiCtxBuilder::new()
            .preopen_dir("/data", dir, readonly)
            .unwrap()
            .build()
    }

    fn tmp(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("wedge-hostopen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("inner")).unwrap();
        d
    }

    #[test]
    fn prefixes_match_whole_components() {
        assert_eq!(under("/data", "/data/x"), Some((5, "x")));
        assert_eq!(under("/data", "/data"), Some((5, "")));
        assert_eq!(under("/data", "/database"), None);
        assert_eq!(under("/", "/a/b"), Some((1, "a/b")));
        assert_eq!(under(".", "a/b"), Some((0, "a/b")));
        assert_eq!(under(".", "/a"), None);
    }

    #[test]
    fn a_guest_file_opens_inside_its_preopen_only() {
        let d = tmp("open");
        std::fs::write(d.join("inner/f.txt"), b"hi").unwrap();
        let c = ctx(&d.join("inner"), false);
        let read = GuestOpenOptions {
            read: true,
            ..Default::default()
        };
        assert!(c.open_guest_file("/data/f.txt", read).is_ok());
        std::fs::write(d.join("outside.txt"), b"no").unwrap();
        assert_eq!(
            c.open_guest_file("/data/../outside.txt", read).err(),
            Some(Errno::Notcapable)
        );
        assert_eq!(
            c.open_guest_file("/etc/passwd", read).err(),
            Some(Errno::Notcapable)
        );
        std::os::unix::fs::symlink(d.join("outside.txt"), d.join("inner/link")).unwrap();
        assert_eq!(
            c.open_guest_file("/data/link", read).err(),
            Some(Errno::Notcapable)
        );
        let create = GuestOpenOptions {
            write: true,
            create: true,
            truncate: true,
            ..Default::default()
        };
        assert!(c.open_guest_file("/data/new.txt", create).is_ok());
        assert!(d.join("inner/new.txt").exists());
        let ro = ctx(&d.join("inner"), true);
        assert_eq!(
            ro.open_guest_file("/data/other.txt", create).err(),
            Some(Errno::Notcapable)
        );
        assert!(ro.open_guest_file("/data/f.txt", read).is_ok());
        let _ = std::fs::remove_dir_all(&d);
    }
}
