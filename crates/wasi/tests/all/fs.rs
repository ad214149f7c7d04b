//! Files and directories through `fd_*` and `path_*`.

use super::*;

/// Parses an `fd_readdir` buffer into `(next cookie, inode, type, name)`.
fn dirents(buf: &[u8]) -> Vec<(u64, u64, u8, String)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 24 <= buf.len() {
        let next = u64::from_le_bytes(buf[at..at + 8].try_into().unwrap());
        let ino = u64::from_le_bytes(buf[at + 8..at + 16].try_into().unwrap());
        let namlen = u32::from_le_bytes(buf[at + 16..at + 20].try_into().unwrap()) as usize;
        let ty = buf[at + 20];
        let Some(name) = buf.get(at + 24..at + 24 + namlen) else {
            break;
        };
        out.push((next, ino, ty, String::from_utf8_lossy(name).into_owned()));
        at += 24 + namlen;
    }
    out
}

impl Guest {
    fn readdir(&mut self, fd: u32, cap: u32, cookie: u64) -> Result<Vec<u8>, i32> {
        let e = self.call(
            "fd_readdir",
            &[
                Val::I32(fd as i32),
                Val::I32(BUF as i32),
                Val::I32(cap as i32),
                Val::I64(cookie as i64),
                Val::I32(OUT as i32),
            ],
        );
        if e == 0 {
            Ok(self.peek(BUF, self.u32_at(OUT)))
        } else {
            Err(e)
        }
    }

    fn seek(&mut self, fd: u32, offset: i64, whence: u32) -> Result<u64, i32> {
        let e = self.call(
            "fd_seek",
            &[
                Val::I32(fd as i32),
                Val::I64(offset),
                Val::I32(whence as i32),
                Val::I32(OUT as i32),
            ],
        );
        if e == 0 { Ok(self.u64_at(OUT)) } else { Err(e) }
    }

    fn tell(&mut self, fd: u32) -> Result<u64, i32> {
        let e = self.call("fd_tell", &[Val::I32(fd as i32), Val::I32(OUT as i32)]);
        if e == 0 { Ok(self.u64_at(OUT)) } else { Err(e) }
    }

    fn fdstat(&mut self, fd: u32) -> Result<(u8, u16, u64, u64), i32> {
        let e = self.call(
            "fd_fdstat_get",
            &[Val::I32(fd as i32), Val::I32(BUF as i32)],
        );
        if e != 0 {
            return Err(e);
        }
        let b = self.peek(BUF, 24);
        Ok((
            b[0],
            u16::from_le_bytes([b[2], b[3]]),
            u64::from_le_bytes(b[8..16].try_into().unwrap()),
            u64::from_le_bytes(b[16..24].try_into().unwrap()),
        ))
    }

    fn fd_filestat(&mut self, fd: u32) -> Result<Vec<u8>, i32> {
        let e = self.call(
            "fd_filestat_get",
            &[Val::I32(fd as i32), Val::I32(BUF as i32)],
        );
        if e == 0 {
            Ok(self.peek(BUF, 64))
        } else {
            Err(e)
        }
    }
}

fn size_of(stat: &[u8]) -> u64 {
    u64::from_le_bytes(stat[32..40].try_into().unwrap())
}

#[test]
fn create_write_seek_tell_and_read_a_file() {
    let s = Scratch::new("rw");
    let mut g = Guest::new(&s.sandbox(), false);
    let fd = g.open("hello.txt", CREAT | TRUNC, 0).unwrap();
    assert!(fd > SANDBOX_FD);
    assert_eq!(g.write(fd, b"hello, world").unwrap(), 12);
    assert_eq!(g.tell(fd).unwrap(), 12);
    assert_eq!(g.seek(fd, 7, 0).unwrap(), 7);
    assert_eq!(g.read(fd, 100).unwrap(), b"world");
    assert_eq!(g.seek(fd, -5, 2).unwrap(), 7);
    assert_eq!(g.seek(fd, -2, 1).unwrap(), 5);
    assert_eq!(g.read(fd, 2).unwrap(), b", ");
    assert_eq!(g.seek(fd, 0, 7), Err(INVAL));
    assert_eq!(g.call("fd_close", &[Val::I32(fd as i32)]), 0);
    assert_eq!(g.call("fd_close", &[Val::I32(fd as i32)]), BADF);
    assert_eq!(g.read(fd, 1), Err(BADF));
    assert_eq!(
        std::fs::read(s.sandbox().join("hello.txt")).unwrap(),
        b"hello, world"
    );
}

#[test]
fn scattered_reads_and_writes_fill_iovecs_in_order() {
    let s = Scratch::new("iov");
    let mut g = Guest::new(&s.sandbox(), false);
    let fd = g.open("v.txt", CREAT, 0).unwrap();
    g.poke(BUF, b"abc");
    g.poke(BUF + 100, b"defg");
    let iovs = [
        BUF.to_le_bytes(),
        3u32.to_le_bytes(),
        (BUF + 100).to_le_bytes(),
        4u32.to_le_bytes(),
    ]
    .concat();
    g.poke(IOVS, &iovs);
    assert_eq!(
        g.call(
            "fd_write",
            &[
                Val::I32(fd as i32),
                Val::I32(IOVS as i32),
                Val::I32(2),
                Val::I32(OUT as i32)
            ]
        ),
        0
    );
    assert_eq!(g.u32_at(OUT), 7);
    assert_eq!(g.seek(fd, 0, 0).unwrap(), 0);
    let iovs = [
        (BUF + 200).to_le_bytes(),
        2u32.to_le_bytes(),
        (BUF + 300).to_le_bytes(),
        10u32.to_le_bytes(),
    ]
    .concat();
    g.poke(IOVS, &iovs);
    assert_eq!(
        g.call(
            "fd_read",
            &[
                Val::I32(fd as i32),
                Val::I32(IOVS as i32),
                Val::I32(2),
                Val::I32(OUT as i32)
            ]
        ),
        0
    );
    assert_eq!(g.u32_at(OUT), 7);
    assert_eq!(g.peek(BUF + 200, 2), b"ab");
    assert_eq!(g.peek(BUF + 300, 5), b"cdefg");
    // An iovec outside memory is a fault, not a crash.
    g.poke(IOVS, &[u32::MAX - 2, 10].map(u32::to_le_bytes).concat());
    assert_eq!(
        g.call(
            "fd_read",
            &[
                Val::I32(fd as i32),
                Val::I32(IOVS as i32),
                Val::I32(1),
                Val::I32(OUT as i32)
            ]
        ),
        21
    );
}

#[test]
fn pread_and_pwrite_leave_the_offset_alone() {
    let s = Scratch::new("pread");
    std::fs::write(s.sandbox().join("p.txt"), b"0123456789").unwrap();
    let mut g = Guest::new(&s.sandbox(), false);
    let fd = g.open("p.txt", 0, 0).unwrap();
    assert_eq!(g.seek(fd, 2, 0).unwrap(), 2);
    g.poke(IOVS, &[BUF.to_le_bytes(), 3u32.to_le_bytes()].concat());
    let e = g.call(
        "fd_pread",
        &[
            Val::I32(fd as i32),
            Val::I32(IOVS as i32),
            Val::I32(1),
            Val::I64(6),
            Val::I32(OUT as i32),
        ],
    );
    assert_eq!(e, 0);
    assert_eq!(g.u32_at(OUT), 3);
    assert_eq!(g.peek(BUF, 3), b"678");
    g.poke(BUF, b"XY");
    g.poke(IOVS, &[BUF.to_le_bytes(), 2u32.to_le_bytes()].concat());
    let e = g.call(
        "fd_pwrite",
        &[
            Val::I32(fd as i32),
            Val::I32(IOVS as i32),
            Val::I32(1),
            Val::I64(8),
            Val::I32(OUT as i32),
        ],
    );
    assert_eq!(e, 0);
    assert_eq!(g.u32_at(OUT), 2);
    assert_eq!(g.tell(fd).unwrap(), 2);
    assert_eq!(
        std::fs::read(s.sandbox().join("p.txt")).unwrap(),
        b"01234567XY"
    );
}

#[test]
fn readdir_lists_dot_dotdot_and_every_entry_with_resumable_cookies() {
    let s = Scratch::new("readdir");
    for name in ["a.txt", "bb.txt", "ccc.txt"] {
        std::fs::write(s.sandbox().join(name), name).unwrap();
    }
    std::fs::create_dir(s.sandbox().join("sub")).unwrap();
    let mut g = Guest::new(&s.sandbox(), false);
    let all = dirents(&g.readdir(SANDBOX_FD, 4096, 0).unwrap());
    let mut names: Vec<_> = all.iter().map(|e| e.3.clone()).collect();
    names.sort();
    assert_eq!(names, [".", "..", "a.txt", "bb.txt", "ccc.txt", "sub"]);
    for (i, e) in all.iter().enumerate() {
        assert_eq!(e.0, i as u64 + 1, "cookies count entries");
        let want = if e.3.starts_with('.') || e.3 == "sub" {
            3
        } else {
            4
        };
        assert_eq!(e.2, want, "type of {}", e.3);
    }
    let ino = std::os::unix::fs::MetadataExt::ino(
        &std::fs::metadata(s.sandbox().join("bb.txt")).unwrap(),
    );
    assert_eq!(all.iter().find(|e| e.3 == "bb.txt").unwrap().1, ino);

    // Paging with a small buffer: a cut entry fills the buffer; resume from the last whole one.
    let mut got = Vec::new();
    let mut cookie = 0;
    loop {
        let buf = g.readdir(SANDBOX_FD, 40, cookie).unwrap();
        let ents = dirents(&buf);
        if ents.is_empty() {
            assert!(
                buf.len() < 40,
                "an entry larger than the buffer would loop forever"
            );
            break;
        }
        for e in &ents {
            got.push(e.3.clone());
            cookie = e.0;
        }
        if buf.len() < 40 {
            break;
        }
    }
    assert_eq!(got, all.iter().map(|e| e.3.clone()).collect::<Vec<_>>());
    // Past the end: nothing.
    assert_eq!(g.readdir(SANDBOX_FD, 4096, 100).unwrap(), b"");

    // A subdirectory opened through the preopen lists too; a file is not a directory.
    let sub = g
        .open_full(SANDBOX_FD, 1, "sub", DIRECTORY, FD_READDIR, 0, 0)
        .unwrap();
    let names: Vec<_> = dirents(&g.readdir(sub, 4096, 0).unwrap())
        .into_iter()
        .map(|e| e.3)
        .collect();
    assert_eq!(names, [".", ".."]);
    let file = g.open("a.txt", 0, 0).unwrap();
    assert_eq!(g.readdir(file, 4096, 0), Err(NOTDIR));
}

#[test]
fn filestat_reports_sizes_types_and_follows_symlinks_only_when_asked() {
    let s = Scratch::new("stat");
    std::fs::write(s.sandbox().join("f.txt"), vec![7u8; 1234]).unwrap();
    std::os::unix::fs::symlink("f.txt", s.sandbox().join("ln")).unwrap();
    let mut g = Guest::new(&s.sandbox(), false);
    let st = g.stat("f.txt", false).unwrap();
    assert_eq!(st[16], 4);
    assert_eq!(size_of(&st), 1234);
    let host = std::fs::metadata(s.sandbox().join("f.txt")).unwrap();
    use std::os::unix::fs::MetadataExt;
    assert_eq!(u64::from_le_bytes(st[0..8].try_into().unwrap()), host.dev());
    assert_eq!(
        u64::from_le_bytes(st[8..16].try_into().unwrap()),
        host.ino()
    );
    assert_eq!(u64::from_le_bytes(st[24..32].try_into().unwrap()), 1);
    let mtim = u64::from_le_bytes(st[48..56].try_into().unwrap());
    assert_eq!(
        mtim,
        host.mtime() as u64 * 1_000_000_000 + host.mtime_nsec() as u64
    );

    let link = g.stat("ln", false).unwrap();
    assert_eq!(link[16], 7, "without symlink_follow the link itself");
    assert_eq!(size_of(&link), 5);
    let target = g.stat("ln", true).unwrap();
    assert_eq!(target[16], 4);
    assert_eq!(size_of(&target), 1234);
    assert_eq!(g.stat(".", true).unwrap()[16], 3);
    assert_eq!(g.stat("missing", true), Err(NOENT));

    let fd = g.open("f.txt", 0, 0).unwrap();
    assert_eq!(size_of(&g.fd_filestat(fd).unwrap()), 1234);
    assert_eq!(g.fd_filestat(SANDBOX_FD).unwrap()[16], 3);
}

#[test]
fn set_size_set_times_allocate_advise_and_sync() {
    let s = Scratch::new("setters");
    let mut g = Guest::new(&s.sandbox(), false);
    let fd = g.open("f", CREAT, 0).unwrap();
    assert_eq!(
        g.call(
            "fd_filestat_set_size",
            &[Val::I32(fd as i32), Val::I64(100)]
        ),
        0
    );
    assert_eq!(std::fs::metadata(s.sandbox().join("f")).unwrap().len(), 100);
    assert_eq!(
        g.call(
            "fd_allocate",
            &[Val::I32(fd as i32), Val::I64(0), Val::I64(4096)]
        ),
        0
    );
    assert_eq!(
        std::fs::metadata(s.sandbox().join("f")).unwrap().len(),
        4096
    );
    assert_eq!(
        g.call(
            "fd_advise",
            &[Val::I32(fd as i32), Val::I64(0), Val::I64(0), Val::I32(1)]
        ),
        0
    );
    assert_eq!(
        g.call(
            "fd_advise",
            &[Val::I32(fd as i32), Val::I64(0), Val::I64(0), Val::I32(9)]
        ),
        INVAL
    );
    assert_eq!(g.call("fd_sync", &[Val::I32(fd as i32)]), 0);
    assert_eq!(g.call("fd_datasync", &[Val::I32(fd as i32)]), 0);

    use std::os::unix::fs::MetadataExt;
    let t = 1_000_000_000u64 * 1_600_000_000 + 123;
    // atim and mtim set explicitly through the descriptor.
    assert_eq!(
        g.call(
            "fd_filestat_set_times",
            &[
                Val::I32(fd as i32),
                Val::I64(t as i64),
                Val::I64(t as i64 + 1000),
                Val::I32(1 | 4)
            ]
        ),
        0
    );
    let m = std::fs::metadata(s.sandbox().join("f")).unwrap();
    assert_eq!((m.atime(), m.atime_nsec()), (1_600_000_000, 123));
    assert_eq!((m.mtime(), m.mtime_nsec()), (1_600_000_000, 1123));
    // mtim through the path, atim left alone.
    let [p, l] = g.path_at(PATH, "f");
    let e = g.call(
        "path_filestat_set_times",
        &[
            Val::I32(SANDBOX_FD as i32),
            Val::I32(1),
            p,
            l,
            Val::I64(0),
            Val::I64(5_000_000_000),
            Val::I32(4),
        ],
    );
    assert_eq!(e, 0);
    let m = std::fs::metadata(s.sandbox().join("f")).unwrap();
    assert_eq!((m.atime(), m.mtime()), (1_600_000_000, 5));
    // Both "set" and "now" for one time is invalid.
    assert_eq!(
        g.call(
            "fd_filestat_set_times",
            &[
                Val::I32(fd as i32),
                Val::I64(0),
                Val::I64(0),
                Val::I32(1 | 2)
            ]
        ),
        INVAL
    );
    // mtim now.
    assert_eq!(
        g.call(
            "fd_filestat_set_times",
            &[Val::I32(fd as i32), Val::I64(0), Val::I64(0), Val::I32(8)]
        ),
        0
    );
    assert!(std::fs::metadata(s.sandbox().join("f")).unwrap().mtime() > 1_600_000_000);
}

#[test]
fn rename_unlink_mkdir_and_rmdir() {
    let s = Scratch::new("names");
    let mut g = Guest::new(&s.sandbox(), false);
    assert_eq!(g.path_call("path_create_directory", SANDBOX_FD, "d"), 0);
    assert_eq!(g.path_call("path_create_directory", SANDBOX_FD, "d"), EXIST);
    assert_eq!(g.path_call("path_create_directory", SANDBOX_FD, "d/e"), 0);
    assert!(s.sandbox().join("d/e").is_dir());
    let fd = g.open("d/e/f.txt", CREAT, 0).unwrap();
    g.write(fd, b"x").unwrap();
    assert_eq!(g.rename("d/e/f.txt", "g.txt"), 0);
    assert!(!s.sandbox().join("d/e/f.txt").exists());
    assert_eq!(std::fs::read(s.sandbox().join("g.txt")).unwrap(), b"x");
    assert_eq!(g.rename("missing", "h"), NOENT);
    assert_eq!(
        g.path_call("path_remove_directory", SANDBOX_FD, "d"),
        NOTEMPTY
    );
    assert_eq!(g.path_call("path_remove_directory", SANDBOX_FD, "d/e"), 0);
    assert_eq!(g.path_call("path_remove_directory", SANDBOX_FD, "d"), 0);
    assert!(!s.sandbox().join("d").exists());
    assert_eq!(
        g.path_call("path_remove_directory", SANDBOX_FD, "g.txt"),
        NOTDIR
    );
    assert_eq!(g.path_call("path_unlink_file", SANDBOX_FD, "g.txt"), 0);
    assert!(!s.sandbox().join("g.txt").exists());
    assert_eq!(g.path_call("path_unlink_file", SANDBOX_FD, "g.txt"), NOENT);
    assert_eq!(g.path_call("path_create_directory", SANDBOX_FD, "dd"), 0);
    assert_eq!(g.path_call("path_unlink_file", SANDBOX_FD, "dd"), ISDIR);
    assert_eq!(g.path_call("path_unlink_file", SANDBOX_FD, ""), NOENT);
    // Through a descriptor that is not a directory.
    let file = g.open("file", CREAT, 0).unwrap();
    assert_eq!(g.path_call("path_create_directory", file, "x"), NOTDIR);
    assert_eq!(g.path_call("path_create_directory", 99, "x"), BADF);
}

#[test]
fn symlink_readlink_and_hard_link_inside_the_sandbox() {
    let s = Scratch::new("links");
    std::fs::write(s.sandbox().join("t.txt"), b"target").unwrap();
    let mut g = Guest::new(&s.sandbox(), false);
    assert_eq!(g.symlink("t.txt", "ln"), 0);
    assert_eq!(
        std::fs::read_link(s.sandbox().join("ln")).unwrap(),
        Path::new("t.txt")
    );
    assert_eq!(g.readlink("ln", 100).unwrap(), b"t.txt");
    assert_eq!(
        g.readlink("ln", 3).unwrap(),
        b"t.t",
        "a short buffer truncates"
    );
    assert_eq!(g.readlink("t.txt", 100), Err(INVAL));
    let fd = g.open("ln", 0, 0).unwrap();
    assert_eq!(g.read(fd, 100).unwrap(), b"target");
    // Without symlink_follow, opening the link fails.
    assert_eq!(
        g.open_full(SANDBOX_FD, 0, "ln", 0, READ_RIGHTS, 0, 0),
        Err(LOOP)
    );
    assert_eq!(g.symlink("t.txt", "ln"), EXIST);

    assert_eq!(g.link("t.txt", "hard", false), 0);
    use std::os::unix::fs::MetadataExt;
    assert_eq!(
        std::fs::metadata(s.sandbox().join("t.txt"))
            .unwrap()
            .nlink(),
        2
    );
    // Linking a symlink without following links the symlink; following links its target.
    assert_eq!(g.link("ln", "ln2", false), 0);
    assert!(
        std::fs::symlink_metadata(s.sandbox().join("ln2"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(g.link("ln", "hard2", true), 0);
    assert!(
        std::fs::symlink_metadata(s.sandbox().join("hard2"))
            .unwrap()
            .is_file()
    );
    assert_eq!(
        std::fs::metadata(s.sandbox().join("t.txt"))
            .unwrap()
            .nlink(),
        3
    );
}

#[test]
fn open_flags_create_exclusive_truncate_directory_and_append() {
    let s = Scratch::new("oflags");
    std::fs::write(s.sandbox().join("f"), b"0123456789").unwrap();
    std::fs::create_dir(s.sandbox().join("d")).unwrap();
    let mut g = Guest::new(&s.sandbox(), false);
    assert_eq!(g.open("f", CREAT | EXCL, 0), Err(EXIST));
    assert_eq!(g.open("new", 0, 0), Err(NOENT));
    assert_eq!(g.open("f", DIRECTORY, 0), Err(NOTDIR));
    assert_eq!(
        g.open("d", 0, 0),
        Err(ISDIR),
        "a directory cannot be opened for writing"
    );
    let d = g.open_read("d").unwrap();
    assert_eq!(
        g.fdstat(d).unwrap().0,
        3,
        "opened without oflags::directory, still a directory"
    );
    // Creating with read rights only still creates.
    assert!(
        g.open_full(SANDBOX_FD, 1, "ro-created", CREAT, READ_RIGHTS, 0, 0)
            .is_ok()
    );
    assert!(s.sandbox().join("ro-created").is_file());
    let fd = g.open("f", 0, APPEND).unwrap();
    g.write(fd, b"AB").unwrap();
    assert_eq!(
        std::fs::read(s.sandbox().join("f")).unwrap(),
        b"0123456789AB"
    );
    assert_eq!(g.fdstat(fd).unwrap().1 & 1, 1, "append shows in fdstat");
    let fd = g.open("f", TRUNC, APPEND).unwrap();
    assert_eq!(std::fs::metadata(s.sandbox().join("f")).unwrap().len(), 0);
    g.write(fd, b"z").unwrap();
    let fd = g.open("f", TRUNC, 0).unwrap();
    g.write(fd, b"q").unwrap();
    assert_eq!(std::fs::read(s.sandbox().join("f")).unwrap(), b"q");
    assert_eq!(g.open("f", 0x10, 0), Err(INVAL));
    // Reading a file opened without write rights cannot write.
    let ro = g.open_read("f").unwrap();
    assert_eq!(g.write(ro, b"no"), Err(NOTCAPABLE));
    assert_eq!(g.read(ro, 10).unwrap(), b"q");
}

#[test]
fn fdstat_flags_and_rights() {
    let s = Scratch::new("fdstat");
    let mut g = Guest::new(&s.sandbox(), false);
    let (ty, flags, base, inheriting) = g.fdstat(SANDBOX_FD).unwrap();
    assert_eq!((ty, flags), (3, 0));
    assert_ne!(base & (1 << 13), 0, "path_open");
    assert_ne!(inheriting & FD_WRITE, 0);
    let (_, _, base, inheriting) = g.fdstat(1).unwrap();
    assert_ne!(base & FD_WRITE, 0);
    assert_eq!(base & FD_READ, 0);
    assert_eq!(inheriting, 0);
    assert_eq!(g.write(0, b"x"), Err(NOTCAPABLE), "stdin is not writable");
    assert_eq!(g.fdstat(77), Err(BADF));

    let fd = g.open("f", CREAT, 0).unwrap();
    let (ty, ..) = g.fdstat(fd).unwrap();
    assert_eq!(ty, 4);
    assert_eq!(
        g.call(
            "fd_fdstat_set_flags",
            &[Val::I32(fd as i32), Val::I32(APPEND as i32 | 4)]
        ),
        0
    );
    assert_eq!(g.fdstat(fd).unwrap().1, 1 | 4);
    assert_eq!(
        g.call("fd_fdstat_set_flags", &[Val::I32(fd as i32), Val::I32(0)]),
        0
    );
    assert_eq!(g.fdstat(fd).unwrap().1, 0);
    assert_eq!(
        g.call(
            "fd_fdstat_set_flags",
            &[Val::I32(fd as i32), Val::I32(0x40)]
        ),
        INVAL
    );

    // Rights only shrink.
    assert_eq!(
        g.call(
            "fd_fdstat_set_rights",
            &[Val::I32(fd as i32), Val::I64(FD_READ as i64), Val::I64(0)]
        ),
        0
    );
    assert_eq!(g.fdstat(fd).unwrap().2, FD_READ);
    assert_eq!(g.write(fd, b"x"), Err(NOTCAPABLE));
    assert_eq!(
        g.call(
            "fd_fdstat_set_rights",
            &[
                Val::I32(fd as i32),
                Val::I64((FD_READ | FD_WRITE) as i64),
                Val::I64(0)
            ]
        ),
        NOTCAPABLE
    );
}

#[test]
fn prestat_names_the_preopens_and_ends_with_badf() {
    let s = Scratch::new("prestat");
    std::fs::create_dir(s.sandbox().join("two")).unwrap();
    let ctx = WasiCtxBuilder::new()
        .preopen_dir("/sandbox", s.sandbox(), false)
        .unwrap()
        .preopen_dir("data", s.sandbox().join("two"), true)
        .unwrap()
        .build();
    let mut g = Guest::with_ctx(ctx);
    assert_eq!(
        g.call("fd_prestat_get", &[Val::I32(3), Val::I32(OUT as i32)]),
        0
    );
    assert_eq!(g.peek(OUT, 8), [0, 0, 0, 0, 8, 0, 0, 0]);
    assert_eq!(
        g.call(
            "fd_prestat_dir_name",
            &[Val::I32(3), Val::I32(BUF as i32), Val::I32(8)]
        ),
        0
    );
    assert_eq!(g.peek(BUF, 8), b"/sandbox");
    assert_eq!(
        g.call(
            "fd_prestat_dir_name",
            &[Val::I32(3), Val::I32(BUF as i32), Val::I32(3)]
        ),
        37
    );
    assert_eq!(
        g.call("fd_prestat_get", &[Val::I32(4), Val::I32(OUT as i32)]),
        0
    );
    assert_eq!(g.u32_at(OUT + 4), 4);
    assert_eq!(
        g.call("fd_prestat_get", &[Val::I32(5), Val::I32(OUT as i32)]),
        BADF
    );
    assert_eq!(
        g.call("fd_prestat_get", &[Val::I32(1), Val::I32(OUT as i32)]),
        INVAL
    );
}

#[test]
fn renumber_moves_a_descriptor_and_close_frees_its_number() {
    let s = Scratch::new("renumber");
    std::fs::write(s.sandbox().join("a"), b"A").unwrap();
    std::fs::write(s.sandbox().join("b"), b"B").unwrap();
    let mut g = Guest::new(&s.sandbox(), false);
    let a = g.open_read("a").unwrap();
    let b = g.open_read("b").unwrap();
    assert_eq!(
        g.call("fd_renumber", &[Val::I32(a as i32), Val::I32(b as i32)]),
        0
    );
    assert_eq!(g.read(b, 10).unwrap(), b"A");
    assert_eq!(g.read(a, 10), Err(BADF));
    assert_eq!(
        g.call("fd_renumber", &[Val::I32(b as i32), Val::I32(50)]),
        BADF
    );
    // The lowest free number is reused.
    assert_eq!(g.open_read("b").unwrap(), a);
}
