//! Escape attempts and `:readonly` preopens: every one fails and leaves the host untouched.

use super::*;

/// Paths that lead outside the sandbox from its root.
const ESCAPES: &[&str] = &[
    "../secret.txt",
    "/etc/passwd",
    "sub/../../secret.txt",
    "./../secret.txt",
    "sub/../..",
];

fn sandbox_with_sub(name: &str) -> Scratch {
    let s = Scratch::new(name);
    std::fs::create_dir(s.sandbox().join("sub")).unwrap();
    s
}

#[test]
fn dotdot_and_absolute_paths_are_refused_by_every_path_function() {
    let s = sandbox_with_sub("escape");
    let before = s.outside();
    let mut g = Guest::new(&s.sandbox(), false);
    for &p in ESCAPES {
        assert!(g.open_read(p).is_err(), "open {p}");
        assert!(g.open(p, CREAT, 0).is_err(), "create {p}");
        assert!(g.open(p, TRUNC, 0).is_err(), "truncate {p}");
        assert!(
            g.open_full(SANDBOX_FD, 1, p, DIRECTORY, FD_READDIR, 0, 0)
                .is_err(),
            "opendir {p}"
        );
        assert!(g.stat(p, true).is_err(), "stat {p}");
        assert!(g.stat(p, false).is_err(), "lstat {p}");
        assert!(g.readlink(p, 100).is_err(), "readlink {p}");
        assert_ne!(
            g.path_call("path_unlink_file", SANDBOX_FD, p),
            0,
            "unlink {p}"
        );
        assert_ne!(
            g.path_call("path_remove_directory", SANDBOX_FD, p),
            0,
            "rmdir {p}"
        );
        assert_ne!(g.rename(p, "stolen"), 0, "rename from {p}");
        assert_ne!(g.link(p, "stolen", false), 0, "link from {p}");
        assert_ne!(g.link(p, "stolen", true), 0, "link following from {p}");
        let [a, al] = g.path_at(PATH, p);
        let e = g.call(
            "path_filestat_set_times",
            &[
                Val::I32(SANDBOX_FD as i32),
                Val::I32(1),
                a,
                al,
                Val::I64(0),
                Val::I64(0),
                Val::I32(8),
            ],
        );
        assert_ne!(e, 0, "set times {p}");
    }
    // The sandbox's own errors, not the host's: cap-std's refusals are not capable.
    assert_eq!(g.open_read("../secret.txt"), Err(NOTCAPABLE));
    assert_eq!(g.open_read("/etc/passwd"), Err(NOTCAPABLE));
    assert_eq!(g.open_read("sub/../../secret.txt"), Err(NOTCAPABLE));
    // Creating outside.
    for p in ["../made", "/tmp/wedge-wasi-made", "sub/../../made"] {
        assert!(g.open(p, CREAT, 0).is_err(), "create {p}");
        assert_ne!(
            g.path_call("path_create_directory", SANDBOX_FD, p),
            0,
            "mkdir {p}"
        );
        assert_ne!(g.symlink("x", p), 0, "symlink at {p}");
        std::fs::write(s.sandbox().join("mine"), b"mine").unwrap();
        assert_ne!(g.rename("mine", p), 0, "rename to {p}");
        assert_ne!(g.link("mine", p, false), 0, "link to {p}");
    }
    assert!(!Path::new("/tmp/wedge-wasi-made").exists());
    assert_eq!(s.outside(), before, "nothing outside the sandbox changed");
    // Inside paths with `..` that stay inside work.
    std::fs::write(s.sandbox().join("sub/in.txt"), b"in").unwrap();
    let fd = g.open_read("sub/../sub/in.txt").unwrap();
    assert_eq!(g.read(fd, 10).unwrap(), b"in");
}

#[test]
fn symlinks_pointing_outside_are_never_followed_out() {
    let s = sandbox_with_sub("symlink-out");
    let secret = s.root.join("secret.txt");
    std::os::unix::fs::symlink("../secret.txt", s.sandbox().join("rel")).unwrap();
    std::os::unix::fs::symlink(&secret, s.sandbox().join("abs")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", s.sandbox().join("passwd")).unwrap();
    std::os::unix::fs::symlink("..", s.sandbox().join("up")).unwrap();
    std::os::unix::fs::symlink("../../secret.txt", s.sandbox().join("sub/deep")).unwrap();
    std::os::unix::fs::symlink("../made-through-link", s.sandbox().join("dangling")).unwrap();
    let before = s.outside();
    let mut g = Guest::new(&s.sandbox(), false);
    for p in [
        "rel",
        "abs",
        "passwd",
        "up/secret.txt",
        "sub/deep",
        "up/sandbox/rel",
    ] {
        assert_eq!(g.open_read(p), Err(NOTCAPABLE), "open {p}");
        assert!(g.open(p, TRUNC, 0).is_err(), "truncate {p}");
        assert!(g.stat(p, true).is_err(), "stat {p}");
        let [a, al] = g.path_at(PATH, p);
        let e = g.call(
            "path_filestat_set_times",
            &[
                Val::I32(SANDBOX_FD as i32),
                Val::I32(1),
                a,
                al,
                Val::I64(0),
                Val::I64(0),
                Val::I32(8),
            ],
        );
        assert_ne!(e, 0, "set times through {p}");
        assert_ne!(
            g.link(p, &format!("{p}-hard").replace('/', "_"), true),
            0,
            "link following {p}"
        );
    }
    assert_eq!(
        g.open_full(SANDBOX_FD, 1, "up", DIRECTORY, FD_READDIR, 0, 0),
        Err(NOTCAPABLE)
    );
    // Creating through a dangling link that points outside.
    assert!(g.open("dangling", CREAT, 0).is_err());
    assert!(!s.root.join("made-through-link").exists());
    // The links themselves can be looked at: lstat and readlink stay inside.
    assert_eq!(g.stat("abs", false).unwrap()[16], 7);
    assert_eq!(g.readlink("rel", 100).unwrap(), b"../secret.txt");
    // Removing a link removes the link, not its target.
    assert_eq!(g.path_call("path_unlink_file", SANDBOX_FD, "abs"), 0);
    assert!(secret.exists());
    assert_eq!(s.outside(), before);
}

#[test]
fn guest_made_symlinks_cannot_reach_outside() {
    let s = sandbox_with_sub("symlink-made");
    let before = s.outside();
    let mut g = Guest::new(&s.sandbox(), false);
    // An absolute target is refused outright.
    assert_eq!(g.symlink("/etc/passwd", "p"), NOTCAPABLE);
    assert!(std::fs::symlink_metadata(s.sandbox().join("p")).is_err());
    // A relative one that climbs out is stored, but never followed out.
    assert_eq!(g.symlink("../secret.txt", "s"), 0);
    assert_eq!(g.open_read("s"), Err(NOTCAPABLE));
    assert!(g.open("s", TRUNC, 0).is_err());
    assert_eq!(g.symlink("../../secret.txt", "sub/s"), 0);
    assert_eq!(g.open_read("sub/s"), Err(NOTCAPABLE));
    assert_ne!(g.link("s", "h", true), 0);
    assert_eq!(s.outside(), before);
    assert_eq!(std::fs::read(s.root.join("secret.txt")).unwrap(), b"secret");
}

#[test]
fn a_subdirectory_descriptor_is_its_own_sandbox() {
    let s = sandbox_with_sub("subdir");
    std::fs::write(s.sandbox().join("top.txt"), b"top").unwrap();
    let mut g = Guest::new(&s.sandbox(), false);
    let sub = g.open_full(SANDBOX_FD, 1, "sub", DIRECTORY, 0, (1 << 30) - 1, 0);
    // Asking for rights the preopen cannot hand on fails.
    assert_eq!(sub, Err(NOTCAPABLE));
    let sub = g
        .open_full(
            SANDBOX_FD,
            1,
            "sub",
            DIRECTORY,
            (1 << 13) | (1 << 10) | FD_READDIR,
            READ_RIGHTS,
            0,
        )
        .unwrap();
    assert_eq!(
        g.open_full(sub, 1, "../top.txt", 0, READ_RIGHTS, 0, 0),
        Err(NOTCAPABLE)
    );
    assert_eq!(
        g.open_full(sub, 1, "../../secret.txt", 0, READ_RIGHTS, 0, 0),
        Err(NOTCAPABLE)
    );
    let f = g
        .open_full(sub, 1, "made", CREAT, READ_RIGHTS, 0, 0)
        .unwrap();
    assert!(s.sandbox().join("sub/made").exists());
    // A right the descriptor does not have.
    assert_eq!(g.path_call("path_create_directory", sub, "x"), NOTCAPABLE);
    assert_eq!(g.write(f, b"x"), Err(NOTCAPABLE));
}

#[test]
fn readonly_preopen_refuses_every_write() {
    let s = sandbox_with_sub("readonly");
    std::fs::write(s.sandbox().join("f.txt"), b"keep").unwrap();
    std::fs::write(s.sandbox().join("sub/g.txt"), b"keep").unwrap();
    std::os::unix::fs::symlink("f.txt", s.sandbox().join("ln")).unwrap();
    let snapshot = || {
        let mut v: Vec<_> = walk(&s.sandbox());
        v.sort();
        v
    };
    let before = snapshot();
    let mut g = Guest::new(&s.sandbox(), true);

    // Reading works.
    let fd = g.open_read("f.txt").unwrap();
    assert_eq!(g.read(fd, 10).unwrap(), b"keep");
    assert_eq!(g.stat("sub/g.txt", true).unwrap()[16], 4);
    assert_eq!(g.readlink("ln", 10).unwrap(), b"f.txt");
    // With the rights Rust's standard library asks for to read (its fixed set, path rights
    // included), opening to read still works.
    let rust_read: u64 = [
        1, 14, 7, 3, 21, 23, 2, 4, 5, 9, 10, 18, 11, 12, 13, 15, 25, 16, 17, 24, 26, 27,
    ]
    .iter()
    .map(|bit| 1 << bit)
    .sum();
    assert!(
        g.open_full(SANDBOX_FD, 1, "f.txt", 0, rust_read, rust_read, 0)
            .is_ok()
    );

    // Opening to write, create, truncate or append.
    assert_eq!(g.open("f.txt", 0, 0), Err(NOTCAPABLE));
    assert_eq!(
        g.open_full(SANDBOX_FD, 1, "f.txt", 0, FD_READ | FD_WRITE, 0, 0),
        Err(NOTCAPABLE)
    );
    assert_eq!(
        g.open_full(SANDBOX_FD, 1, "new.txt", CREAT, READ_RIGHTS, 0, 0),
        Err(NOTCAPABLE)
    );
    assert_eq!(
        g.open_full(SANDBOX_FD, 1, "f.txt", TRUNC, READ_RIGHTS, 0, 0),
        Err(NOTCAPABLE)
    );
    assert_eq!(
        g.open_full(SANDBOX_FD, 1, "f.txt", 0, READ_RIGHTS, 0, APPEND),
        Err(NOTCAPABLE)
    );
    // wasi-libc's O_RDWR there asks for what the preopen can hand on (datasync, not write): the
    // open succeeds, as in WasmEdge, and writing through it is refused.
    let rdwr = g
        .open_full(SANDBOX_FD, 1, "f.txt", 0, READ_RIGHTS | 1, 0, 0)
        .unwrap();
    assert_eq!(g.write(rdwr, b"x"), Err(NOTCAPABLE));
    assert_eq!(g.call("fd_datasync", &[Val::I32(rdwr as i32)]), 0);
    // Writing through a descriptor opened for reading.
    assert_eq!(g.write(fd, b"x"), Err(NOTCAPABLE));
    g.poke(IOVS, &[BUF.to_le_bytes(), 1u32.to_le_bytes()].concat());
    let e = g.call(
        "fd_pwrite",
        &[
            Val::I32(fd as i32),
            Val::I32(IOVS as i32),
            Val::I32(1),
            Val::I64(0),
            Val::I32(OUT as i32),
        ],
    );
    assert_eq!(e, NOTCAPABLE);
    assert_eq!(
        g.call("fd_filestat_set_size", &[Val::I32(fd as i32), Val::I64(0)]),
        NOTCAPABLE
    );
    assert_eq!(
        g.call(
            "fd_allocate",
            &[Val::I32(fd as i32), Val::I64(0), Val::I64(100)]
        ),
        NOTCAPABLE
    );
    assert_eq!(
        g.call(
            "fd_filestat_set_times",
            &[Val::I32(fd as i32), Val::I64(0), Val::I64(0), Val::I32(8)]
        ),
        NOTCAPABLE
    );
    assert_eq!(
        g.call(
            "fd_fdstat_set_flags",
            &[Val::I32(fd as i32), Val::I32(APPEND as i32)]
        ),
        NOTCAPABLE
    );
    assert_eq!(
        g.call(
            "fd_filestat_set_times",
            &[Val::I32(3), Val::I64(0), Val::I64(0), Val::I32(8)]
        ),
        NOTCAPABLE
    );
    // Every path change.
    assert_eq!(
        g.path_call("path_create_directory", SANDBOX_FD, "d"),
        NOTCAPABLE
    );
    assert_eq!(
        g.path_call("path_remove_directory", SANDBOX_FD, "sub"),
        NOTCAPABLE
    );
    assert_eq!(
        g.path_call("path_unlink_file", SANDBOX_FD, "f.txt"),
        NOTCAPABLE
    );
    assert_eq!(
        g.path_call("path_unlink_file", SANDBOX_FD, "ln"),
        NOTCAPABLE
    );
    assert_eq!(g.rename("f.txt", "moved"), NOTCAPABLE);
    assert_eq!(g.link("f.txt", "hard", false), NOTCAPABLE);
    assert_eq!(g.symlink("f.txt", "ln2"), NOTCAPABLE);
    let [a, al] = g.path_at(PATH, "f.txt");
    let e = g.call(
        "path_filestat_set_times",
        &[
            Val::I32(3),
            Val::I32(1),
            a,
            al,
            Val::I64(0),
            Val::I64(0),
            Val::I32(8),
        ],
    );
    assert_eq!(e, NOTCAPABLE);
    // A subdirectory opened through the read-only preopen is read-only too, whatever rights it
    // was given.
    let sub = g
        .open_full(
            SANDBOX_FD,
            1,
            "sub",
            DIRECTORY,
            (1 << 13) | PATH_CREATE_DIRECTORY | FD_READDIR | (1 << 26),
            READ_RIGHTS,
            0,
        )
        .unwrap();
    assert_eq!(g.path_call("path_create_directory", sub, "d"), NOTCAPABLE);
    assert_eq!(g.path_call("path_unlink_file", sub, "g.txt"), NOTCAPABLE);
    assert_eq!(
        g.open_full(sub, 1, "g.txt", TRUNC, READ_RIGHTS, 0, 0),
        Err(NOTCAPABLE)
    );
    assert_eq!(snapshot(), before, "the read-only tree is unchanged");
}

#[test]
fn readonly_tree_cannot_be_linked_or_moved_into_a_writable_one() {
    let s = Scratch::new("ro-cross");
    std::fs::create_dir(s.root.join("ro")).unwrap();
    std::fs::write(s.root.join("ro/f"), b"keep").unwrap();
    let ctx = WasiCtxBuilder::new()
        .preopen_dir("/rw", s.sandbox(), false)
        .unwrap()
        .preopen_dir("/ro", s.root.join("ro"), true)
        .unwrap()
        .build();
    let mut g = Guest::with_ctx(ctx);
    let [a, al] = g.path_at(PATH, "f");
    let [b, bl] = g.path_at(PATH2, "f");
    let e = g.call(
        "path_link",
        &[
            Val::I32(4),
            Val::I32(0),
            a.clone(),
            al.clone(),
            Val::I32(3),
            b.clone(),
            bl.clone(),
        ],
    );
    assert_eq!(e, NOTCAPABLE);
    let e = g.call("path_rename", &[Val::I32(4), a, al, Val::I32(3), b, bl]);
    assert_eq!(e, NOTCAPABLE);
    assert!(!s.sandbox().join("f").exists());
    assert_eq!(std::fs::read(s.root.join("ro/f")).unwrap(), b"keep");
}

/// Every path under `dir` with its contents (files) or link target (symlinks).
fn walk(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.is_dir() {
            out.push((path.clone(), Vec::new()));
            out.extend(walk(&path));
        } else if meta.file_type().is_symlink() {
            out.push((
                path.clone(),
                std::fs::read_link(&path)
                    .unwrap()
                    .into_os_string()
                    .into_encoded_bytes(),
            ));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out
}
