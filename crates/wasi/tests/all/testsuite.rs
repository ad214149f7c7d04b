//! Regressions found by the official WASI test suite (WebAssembly/wasi-testsuite, run with
//! `scripts/wasi-testsuite.sh`), one test per bug, named after what the suite's test checks.

use crate::*;

/// `fd_fdstat_get`'s rights: `(base, inheriting)`.
fn rights(g: &mut Guest, fd: u32) -> (u64, u64) {
    let e = g.call(
        "fd_fdstat_get",
        &[Val::I32(fd as i32), Val::I32(BUF as i32)],
    );
    assert_eq!(e, 0, "fd_fdstat_get");
    (g.u64_at(BUF + 8), g.u64_at(BUF + 16))
}

/// `path_open_preopen`: opening a directory with `oflags::directory` succeeds with no rights or
/// read rights, and fails with `ISDIR` when write rights are asked for, as the OS refuses to open
/// a directory for writing. A missing path or a file still fails first with `NOENT`/`NOTDIR`.
#[test]
fn open_directory_with_write_rights_is_isdir() {
    let s = Scratch::new("open-dir-rw");
    std::fs::create_dir(s.sandbox().join("d")).unwrap();
    std::fs::write(s.sandbox().join("f"), b"x").unwrap();
    let mut g = Guest::new(&s.sandbox(), false);
    let (base, inheriting) = rights(&mut g, SANDBOX_FD);
    for path in [".", "d"] {
        assert!(g.open_full(SANDBOX_FD, 0, path, 0, 0, 0, 0).is_ok());
        assert!(g.open_full(SANDBOX_FD, 0, path, DIRECTORY, 0, 0, 0).is_ok());
        assert!(
            g.open_full(SANDBOX_FD, 0, path, DIRECTORY, FD_READ, 0, 0)
                .is_ok()
        );
        assert!(
            g.open_full(SANDBOX_FD, 0, path, 0, base, inheriting, 0)
                .is_ok(),
            "the preopen's own rights reopen {path}"
        );
        assert_eq!(
            g.open_full(SANDBOX_FD, 0, path, DIRECTORY, FD_READ | FD_WRITE, 0, 0),
            Err(ISDIR),
            "{path} with read/write rights"
        );
        assert_eq!(
            g.open_full(SANDBOX_FD, 0, path, DIRECTORY, FD_WRITE, 0, 0),
            Err(ISDIR),
            "{path} with write rights"
        );
    }
    assert_eq!(
        g.open_full(
            SANDBOX_FD,
            0,
            "missing",
            DIRECTORY,
            FD_READ | FD_WRITE,
            0,
            0
        ),
        Err(NOENT)
    );
    assert_eq!(
        g.open_full(SANDBOX_FD, 0, "f", DIRECTORY, FD_READ | FD_WRITE, 0, 0),
        Err(NOTDIR)
    );
}
