//! Escape attempts: `tests/programs/wasi/escape.c` tries, one mode per test, to reach outside
//! its preopened directories (`..`, absolute paths, symlinks made by the host and by the guest,
//! hard links, renames) or to write in a `:readonly` preopen. Each test asserts that every
//! attempt was refused and that nothing outside changed.
//!
//! The layout, in a fresh temporary directory T:
//!
//! ```text
//! T/secret              "TOP SECRET\n"          outside every preopen
//! T/sandbox/            preopened as /sandbox   inside.txt, sub/, host-abs-link -> T/secret,
//!                                               host-rel-link -> ../secret,
//!                                               host-dangling -> T/planted
//! T/ro/                 preopened as /ro, read-only: keep.txt ("keep\n"), dir/
//! ```

use super::tiers::on_every_tier;
use super::wasi::{TempDir, listing, program, run};
use std::path::Path;
use std::time::SystemTime;

const SECRET: &str = "TOP SECRET\n";

struct Layout {
    tmp: TempDir,
    keep_mtime: SystemTime,
}

impl Layout {
    fn new(test: &str) -> Layout {
        let tmp = TempDir::new(&format!("escape-{test}"));
        let t = tmp.path();
        std::fs::write(t.join("secret"), SECRET).unwrap();
        std::fs::create_dir_all(t.join("sandbox/sub")).unwrap();
        std::fs::write(t.join("sandbox/inside.txt"), "inside\n").unwrap();
        std::os::unix::fs::symlink(t.join("secret"), t.join("sandbox/host-abs-link")).unwrap();
        std::os::unix::fs::symlink("../secret", t.join("sandbox/host-rel-link")).unwrap();
        std::os::unix::fs::symlink(t.join("planted"), t.join("sandbox/host-dangling")).unwrap();
        std::fs::create_dir_all(t.join("ro/dir")).unwrap();
        std::fs::write(t.join("ro/keep.txt"), "keep\n").unwrap();
        let keep_mtime = std::fs::metadata(t.join("ro/keep.txt"))
            .unwrap()
            .modified()
            .unwrap();
        Layout { tmp, keep_mtime }
    }

    /// Runs the escape program in `mode`; returns its stdout after the common checks.
    fn attempt(&self, mode: &str) -> String {
        let secret = self.tmp.arg("secret");
        let run = run(&[
            &self.tmp.dir_flag("/sandbox", "sandbox"),
            &format!("{}:readonly", self.tmp.dir_flag("/ro", "ro")),
            &program("escape"),
            mode,
            &secret,
        ]);
        run.assert_code(0);
        assert!(run.stdout.ends_with("done\n"), "{run:#?}");
        for line in run.stdout.lines() {
            assert!(
                !line.contains("ESCAPED") && !line.contains("WRONGLY"),
                "{line}\nin {run:#?}"
            );
        }
        self.assert_outside_unchanged();
        run.stdout
    }

    /// The secret is intact, nothing was planted beside it, the read-only tree is as made.
    fn assert_outside_unchanged(&self) {
        let t = self.tmp.path();
        assert_eq!(std::fs::read_to_string(t.join("secret")).unwrap(), SECRET);
        assert_eq!(listing(t), ["ro/", "sandbox/", "secret"]);
        assert_eq!(listing(t.join("ro")), ["dir/", "keep.txt"]);
        assert!(listing(t.join("ro/dir")).is_empty());
        assert_eq!(
            std::fs::read_to_string(t.join("ro/keep.txt")).unwrap(),
            "keep\n"
        );
        let mtime = std::fs::metadata(t.join("ro/keep.txt"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(mtime, self.keep_mtime, "keep.txt's times changed");
        assert!(!Path::new("/tmp/wedge-planted").exists());
    }

    /// No file in the sandbox holds the secret (no copy, hard link or followed link).
    fn assert_secret_not_in_sandbox(&self) {
        for entry in std::fs::read_dir(self.tmp.join("sandbox")).unwrap() {
            let path = entry.unwrap().path();
            let is_link = std::fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink();
            if path.is_file() && !is_link {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                assert!(
                    !text.contains("TOP SECRET"),
                    "{} has the secret",
                    path.display()
                );
            }
        }
    }
}

/// Asserts each attempt has a "blocked" line.
#[track_caller]
fn assert_blocked(stdout: &str, attempts: &[&str]) {
    for a in attempts {
        let prefix = format!("{a}: blocked");
        assert!(
            stdout.lines().any(|l| l.starts_with(&prefix)),
            "no {prefix:?} in\n{stdout}"
        );
    }
}

#[test]
fn escape_with_dotdot_is_refused() {
    on_every_tier(|| {
        let layout = Layout::new("dotdot");
        let out = layout.attempt("dotdot");
        assert_blocked(
            &out,
            &[
                "read ../secret",
                "read ./../secret",
                "read .. without following",
                "open directory ..",
                "open directory sub/../..",
                "create ../planted",
                "truncate ../secret",
                "mkdir ../planted-dir",
                "unlink ../secret",
                "libc open /sandbox/../secret",
            ],
        );
    });
}

#[test]
fn escape_with_absolute_paths_is_refused() {
    on_every_tier(|| {
        let layout = Layout::new("absolute");
        let out = layout.attempt("absolute");
        assert_blocked(
            &out,
            &[
                "read /etc/passwd",
                "read absolute secret path",
                "open directory /",
                "create /tmp/wedge-planted",
                "libc open /etc/passwd",
                "libc open absolute secret path",
            ],
        );
    });
}

#[test]
fn escape_through_a_subdirectory_and_dotdot_is_refused() {
    on_every_tier(|| {
        let layout = Layout::new("subdotdot");
        let out = layout.attempt("subdotdot");
        assert!(out.contains("read sub/../inside.txt: allowed\n"), "{out}");
        assert_blocked(
            &out,
            &[
                "read sub/../../secret",
                "read sub/./../../secret",
                "read sub//..//..//secret",
                "create sub/../../planted",
                "libc open /sandbox/sub/../../secret",
            ],
        );
    });
}

#[test]
fn escape_through_a_symlink_made_by_the_host_is_refused() {
    on_every_tier(|| {
        let layout = Layout::new("hostlink");
        let out = layout.attempt("hostlink");
        assert!(out.contains("lstat host-abs-link: allowed\n"), "{out}");
        assert_blocked(
            &out,
            &[
                "read host-abs-link",
                "read host-rel-link",
                "write through host-abs-link",
                "create through host-dangling",
                "stat through host-abs-link",
                "libc open /sandbox/host-rel-link",
            ],
        );
        assert!(!layout.tmp.join("planted").exists());
    });
}

#[test]
fn escape_through_a_symlink_made_by_the_guest_is_refused() {
    on_every_tier(|| {
        let layout = Layout::new("guestlink");
        let out = layout.attempt("guestlink");
        assert_blocked(
            &out,
            &[
                "read evil-rel",
                "write through evil-rel",
                "read evil-abs",
                "write through evil-abs",
                "read evil-deep",
                "write through evil-deep",
                "read sub/evil-up",
                "write through sub/evil-up",
                "read chain",
                "read up/secret",
                "create up/planted",
            ],
        );
        layout.assert_secret_not_in_sandbox();
    });
}

#[test]
fn escape_with_a_hard_link_is_refused() {
    on_every_tier(|| {
        let layout = Layout::new("hardlink");
        let out = layout.attempt("hardlink");
        assert_blocked(
            &out,
            &[
                "link ../secret to stolen",
                "link absolute secret to stolen-abs",
                "link through host-abs-link (followed) to stolen-follow",
                "link inside.txt to ../planted",
                "read stolen",
                "read stolen-follow",
            ],
        );
        for name in ["stolen", "stolen-abs", "stolen-follow"] {
            assert!(
                std::fs::symlink_metadata(layout.tmp.join("sandbox").join(name)).is_err(),
                "{name} was made"
            );
        }
        layout.assert_secret_not_in_sandbox();
    });
}

#[test]
fn escape_by_renaming_across_the_boundary_is_refused() {
    on_every_tier(|| {
        let layout = Layout::new("rename");
        let out = layout.attempt("rename");
        assert!(
            out.contains("inside.txt still readable: allowed\n"),
            "{out}"
        );
        assert_blocked(
            &out,
            &[
                "rename inside.txt to ../moved",
                "rename ../secret to taken",
                "rename sub to ../sub-out",
            ],
        );
        assert_eq!(
            listing(layout.tmp.join("sandbox")),
            [
                "host-abs-link",
                "host-dangling",
                "host-rel-link",
                "inside.txt",
                "sub/"
            ]
        );
    });
}

#[test]
fn a_readonly_preopen_refuses_every_write() {
    on_every_tier(|| {
        let layout = Layout::new("readonly");
        let out = layout.attempt("readonly");
        assert!(out.contains("read keep.txt: allowed\n"), "{out}");
        assert!(out.contains("libc read /ro/keep.txt: allowed\n"), "{out}");
        assert!(
            out.contains("libc create /ro/libc-new.txt: blocked\n"),
            "{out}"
        );
        assert_blocked(
            &out,
            &[
                "create new.txt",
                "write keep.txt",
                "truncate keep.txt",
                "mkdir newdir",
                "unlink keep.txt",
                "rmdir dir",
                "rename keep.txt",
                "symlink in ro",
                "hard link in ro",
                "set times of keep.txt",
                "move keep.txt to the writable sandbox",
                "write to a descriptor opened for reading",
                "fd_filestat_set_size",
                "fd_allocate",
            ],
        );
        assert!(!layout.tmp.join("sandbox/stolen.txt").exists());
    });
}
