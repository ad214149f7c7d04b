//! WASI through the command line: the C programs of `tests/programs/wasi/` (one per WASI area)
//! run by the `wedge` binary with temporary directories; each test checks stdout, the files
//! left behind and the exit status.

use super::Run;
use super::tiers::on_every_tier;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

/// The directory of the WASI test programs.
pub fn programs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/programs/wasi")
}

/// `tests/programs/wasi/NAME.wasm`, as a string argument.
pub fn program(name: &str) -> String {
    let path = programs().join(format!("{name}.wasm"));
    assert!(
        path.exists(),
        "{} is missing; run build.sh there",
        path.display()
    );
    path.to_string_lossy().into_owned()
}

/// A fresh, empty directory for one test, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// `CARGO_TARGET_TMPDIR/wasi/NAME`, emptied first. Each test uses its own name.
    pub fn new(name: &str) -> TempDir {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("wasi")
            .join(name);
        if path.exists() {
            std::fs::remove_dir_all(&path).unwrap();
        }
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A path inside the directory.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    /// A path inside the directory, as a string argument.
    pub fn arg(&self, rel: &str) -> String {
        self.join(rel).to_string_lossy().into_owned()
    }

    /// `--dir GUEST:<this directory>/REL`.
    pub fn dir_flag(&self, guest: &str, rel: &str) -> String {
        format!("--dir={guest}:{}", self.arg(rel))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Keep the directory of a failed test for a look.
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// The `wedge` command with a host environment variable the guest must never see.
/// It runs on the current tier of [`on_every_tier`](super::tiers::on_every_tier).
pub fn command<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Command {
    let (args, env) = super::tiers::tier_args(args);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wedge"));
    cmd.args(args).envs(env).env("WEDGE_HOST_ONLY", "leaked");
    cmd
}

/// Runs `wedge ARGS` with no input.
pub fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    let run = command(args)
        .stdin(Stdio::null())
        .output()
        .expect("the wedge binary runs")
        .into();
    super::tiers::check_tier(&run);
    run
}

/// Runs `wedge ARGS` with `input` on its standard input.
fn run_with_input<S: AsRef<std::ffi::OsStr>>(args: &[S], input: &[u8]) -> Run {
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the wedge binary runs");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // Write from another thread so a full stdout pipe cannot deadlock the two processes.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let run = out.into();
    super::tiers::check_tier(&run);
    run
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn mtime_secs(path: impl AsRef<Path>) -> u64 {
    std::fs::metadata(path)
        .unwrap()
        .modified()
        .unwrap()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The names in a directory, sorted, directories with a trailing slash.
pub fn listing(dir: impl AsRef<Path>) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let mut name = e.file_name().to_string_lossy().into_owned();
            // Symbolic links are listed as themselves, not as what they point to.
            if e.file_type().unwrap().is_dir() {
                name.push('/');
            }
            name
        })
        .collect();
    names.sort();
    names
}

// ---- arguments and environment ----

#[test]
fn guest_gets_argv_and_only_the_given_environment() {
    on_every_tier(|| {
        run(&[
            "--env",
            "A=1",
            "--env=B=x=y",
            &program("args_env"),
            "one",
            "two words",
            "-g",
            "A",
            "-g",
            "WEDGE_HOST_ONLY",
        ])
        .assert_code(0)
        .assert_stdout(
            "argc=7\n\
             argv[0]=args_env.wasm\n\
             argv[1]=one\n\
             argv[2]=two words\n\
             argv[3]=-g\n\
             argv[4]=A\n\
             argv[5]=-g\n\
             argv[6]=WEDGE_HOST_ONLY\n\
             env: A=1\n\
             env: B=x=y\n\
             envc=2\n\
             getenv(A)=1\n\
             getenv(WEDGE_HOST_ONLY)=(null)\n",
        );
    });
}

#[test]
fn host_environment_is_not_inherited() {
    on_every_tier(|| {
        let run = run(&[program("args_env")]);
        run.assert_code(0)
            .assert_stdout("argc=1\nargv[0]=args_env.wasm\nenvc=0\n");
    });
}

#[test]
fn options_after_the_file_are_guest_arguments() {
    on_every_tier(|| {
        run(&[&program("args_env"), "--env", "C=3", "--dir", "/"])
            .assert_code(0)
            .assert_stdout(
                "argc=5\nargv[0]=args_env.wasm\nargv[1]=--env\nargv[2]=C=3\nargv[3]=--dir\n\
                 argv[4]=/\nenvc=0\n",
            );
    });
}

#[test]
fn argv0_is_the_file_name_with_a_wasm_extension() {
    on_every_tier(|| {
        let tmp = TempDir::new("argv0");
        std::fs::copy(program("args_env"), tmp.join("renamed.bin")).unwrap();
        run(&[tmp.arg("renamed.bin")])
            .assert_code(0)
            .assert_stdout("argc=1\nargv[0]=renamed.wasm\nenvc=0\n");
    });
}

// ---- clocks, random, poll ----

#[test]
fn clocks_tell_wall_monotonic_and_cpu_time() {
    on_every_tier(|| {
        let run = run(&[program("clocks")]);
        run.assert_code(0);
        let mut lines = run.stdout.lines();
        let first = lines.next().unwrap_or_default();
        let secs: u64 = first
            .strip_prefix("realtime seconds: ")
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line in {run:#?}"));
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(
            secs.abs_diff(now) < 60,
            "guest wall clock {secs}, host {now}"
        );
        let rest: Vec<&str> = lines.collect();
        assert_eq!(
            rest,
            [
                "time() agrees: yes",
                "realtime resolution: ok, raw ok",
                "monotonic resolution: ok, raw ok",
                "process cputime resolution: ok, raw ok",
                "thread cputime resolution: ok, raw ok",
                "monotonic advances: yes",
                "process cputime advances: yes",
                "thread cputime advances: yes",
                "cputime within elapsed time: yes",
                "raw monotonic: ok",
                "bad clock id: EINVAL",
            ],
            "{run:#?}"
        );
    });
}

#[test]
fn random_get_fills_buffers() {
    on_every_tier(|| {
        run(&[program("random")]).assert_code(0).assert_stdout(
            "filled: yes\ncalls differ: yes\nspread: yes\nempty request: OK\ngetentropy: ok\n",
        );
    });
}

#[test]
fn poll_oneoff_sleeps_and_reports_events() {
    on_every_tier(|| {
        let run = run(&[program("poll")]);
        // Zero subscriptions: WasmEdge reports no events, wasmtime EINVAL; either is fine.
        let stdout = run.stdout.replace(
            "no subscriptions: refused\n",
            "no subscriptions: no events\n",
        );
        run.assert_code(0);
        assert_eq!(
            stdout,
            "nanosleep: 0\n\
             slept at least 50ms: yes\n\
             usleep: 0\n\
             slept at least 30ms: yes\n\
             relative clock: OK, 1 event(s), userdata 7, type clock, error OK\n\
             waited at least 20ms: yes\n\
             absolute clock: OK, 1 event(s), userdata 8\n\
             waited until the deadline: yes\n\
             stdout writable: OK, yes\n\
             returned before the 5s clock: yes\n\
             no subscriptions: no events\n\
             sched_yield: 0\n",
            "{run:#?}"
        );
    });
}

// ---- files and directories ----

#[test]
fn file_io_in_a_preopened_directory() {
    on_every_tier(|| {
        let tmp = TempDir::new("files");
        run(&[&tmp.dir_flag("/sandbox", ""), &program("files"), "/sandbox"])
            .assert_code(0)
            .assert_stdout(
                "write: 13\n\
                 tell: 13\n\
                 seek set: 7\n\
                 read: 5 \"world\"\n\
                 seek end: 7\n\
                 seek cur: 9\n\
                 pread: 5 \"hello\"\n\
                 pwrite: 1\n\
                 pread keeps offset: 9\n\
                 read all: 13 \"Jello, world\"\n\
                 read at eof: 0\n\
                 fstat: size 13, regular 1\n\
                 fsync: 0, fdatasync: 0\n\
                 allocate: 0\n\
                 size after allocate: 100\n\
                 ftruncate: 0\n\
                 size after truncate: 5\n\
                 futimens: 0\n\
                 times: atime 1000000000, mtime 1234567890\n\
                 close: 0\n\
                 read closed fd: -1 EBADF\n\
                 stat: size 5, mtime 1234567890\n\
                 utimensat: 0\n\
                 reread: 5 \"Jello\"\n\
                 write to read-only fd: refused\n\
                 append: size 8\n\
                 open missing: -1 ENOENT\n\
                 exclusive create of existing: -1 EEXIST\n\
                 open file as directory: -1 ENOTDIR\n\
                 stdio: 2 42 stdio\n\
                 unlink stdio.txt: 0\n",
            );
        assert_eq!(listing(tmp.path()), ["data.txt", "log.txt"]);
        assert_eq!(read(tmp.join("data.txt")), "Jello");
        assert_eq!(mtime_secs(tmp.join("data.txt")), 1_234_567_890);
        assert_eq!(read(tmp.join("log.txt")), "one\ntwo\n");
    });
}

#[test]
fn directories_in_a_preopened_directory() {
    on_every_tier(|| {
        let tmp = TempDir::new("dirs");
        run(&[&tmp.dir_flag("/sandbox", ""), &program("dirs"), "/sandbox"])
            .assert_code(0)
            .assert_stdout(
                "mkdir work: ok\n\
                 mkdir work again: EEXIST\n\
                 mkdir work/sub: ok\n\
                 mkdir missing/x: ENOENT\n\
                 ls work: a.txt b.txt sub/\n\
                 ls work/sub: c.txt\n\
                 stat work/sub: ok\n\
                 work/sub is a directory: 1\n\
                 rename a.txt to sub/moved.txt: ok\n\
                 rename missing: ENOENT\n\
                 unlink b.txt: ok\n\
                 unlink b.txt again: ENOENT\n\
                 unlink a directory: EISDIR\n\
                 rmdir non-empty: ENOTEMPTY\n\
                 rmdir a file: ENOTDIR\n\
                 unlink sub/c.txt: ok\n\
                 ls work: sub/\n\
                 ls work/sub: moved.txt\n\
                 rename sub to kept: ok\n\
                 rmdir work: ok\n\
                 stat work: ENOENT\n\
                 mkdir renamed-src: ok\n\
                 mkdir renamed-src/inner: ok\n\
                 rename directory: ok\n\
                 ls .: kept/ renamed/\n",
            );
        assert_eq!(listing(tmp.path()), ["kept/", "renamed/"]);
        assert_eq!(listing(tmp.join("kept")), ["moved.txt"]);
        assert_eq!(read(tmp.join("kept/moved.txt")), "payload");
        assert_eq!(listing(tmp.join("renamed")), ["inner/"]);
        assert!(listing(tmp.join("renamed/inner")).is_empty());
    });
}

#[test]
fn symlinks_and_hard_links_inside_a_preopened_directory() {
    on_every_tier(|| {
        let tmp = TempDir::new("links");
        std::fs::write(tmp.join("target.txt"), "target text\n").unwrap();
        run(&[&tmp.dir_flag("/sandbox", ""), &program("links"), "/sandbox"])
            .assert_code(0)
            .assert_stdout(
                "symlink rel-link: ok\n\
                 symlink rel-link again: EEXIST\n\
                 readlink rel-link: 10 \"target.txt\"\n\
                 readlink of a file: -1 EINVAL\n\
                 read rel-link: \"target text\"\n\
                 stat rel-link: ok\n\
                 lstat rel-link: ok\n\
                 stat follows: yes, lstat does not: yes\n\
                 symlink dangling: ok\n\
                 read dangling: ENOENT\n\
                 lstat dangling: ok\n\
                 open a link with O_NOFOLLOW: refused\n\
                 unlink dangling: ok\n\
                 mkdir sub: ok\n\
                 symlink dir-link: ok\n\
                 create through dir-link: ok\n\
                 read sub/inside.txt: \"inside\"\n\
                 link hard.txt: ok\n\
                 stat target.txt: ok\n\
                 nlink: 2\n\
                 same inode: yes\n\
                 link onto existing: EEXIST\n\
                 stat target.txt: ok\n\
                 target size after append through hard link: 17\n\
                 symlink tmp-link: ok\n\
                 unlink tmp-link: ok\n\
                 target still there: ok\n",
            );
        use std::os::unix::fs::MetadataExt;
        assert_eq!(
            listing(tmp.path()),
            ["dir-link", "hard.txt", "rel-link", "sub/", "target.txt"]
        );
        assert_eq!(
            std::fs::read_link(tmp.join("rel-link")).unwrap(),
            Path::new("target.txt")
        );
        assert_eq!(
            std::fs::read_link(tmp.join("dir-link")).unwrap(),
            Path::new("sub")
        );
        let target = std::fs::metadata(tmp.join("target.txt")).unwrap();
        let hard = std::fs::metadata(tmp.join("hard.txt")).unwrap();
        assert_eq!((target.nlink(), target.ino()), (2, hard.ino()));
        assert_eq!(read(tmp.join("target.txt")), "target text\nmore\n");
        assert_eq!(read(tmp.join("sub/inside.txt")), "inside\n");
    });
}

#[test]
fn preopens_get_descriptors_in_sorted_order() {
    on_every_tier(|| {
        let tmp = TempDir::new("preopens");
        for d in ["a", "b", "c"] {
            std::fs::create_dir(tmp.join(d)).unwrap();
        }
        run(&[
            &tmp.dir_flag("/b", "b"),
            &tmp.dir_flag("/c", "c"),
            &tmp.dir_flag("/a", "a"),
            &program("preopens"),
        ])
        .assert_code(0)
        .assert_stdout("fd 3: /a\nfd 4: /b\nfd 5: /c\nfd 6: EBADF\n");
    });
}

#[test]
fn a_dir_without_a_colon_is_the_same_path_for_guest_and_host() {
    on_every_tier(|| {
        let tmp = TempDir::new("dir-no-colon");
        let dir = tmp.arg("");
        let dir = dir.trim_end_matches('/');
        std::fs::write(tmp.join("target.txt"), "target text\n").unwrap();
        run(&["--dir", dir, &program("preopens")])
            .assert_code(0)
            .assert_stdout(&format!("fd 3: {dir}\nfd 4: EBADF\n"));
        // ... and the guest can use it under that name.
        run(&["--dir", dir, &program("links"), dir])
            .assert_code(0)
            .assert_stdout_has("nlink: 2\n");
    });
}

#[test]
fn a_missing_preopen_directory_exits_1() {
    on_every_tier(|| {
        let tmp = TempDir::new("missing-preopen");
        run(&[&tmp.dir_flag("/x", "nope"), &program("preopens")])
            .assert_code(1)
            .assert_stderr_has("Cannot preopen directory")
            .assert_stderr_has("nope");
    });
}

#[test]
fn instantiate_takes_dir_and_env() {
    // `instantiate` runs no code, so it has no tiers.
    let tmp = TempDir::new("instantiate");
    run(&[
        "instantiate",
        &tmp.dir_flag("/sandbox", ""),
        "--env",
        "A=B",
        &program("files"),
    ])
    .assert_code(0)
    .assert_stdout_has("Instantiation succeeded.");
    // Instantiating does not run `_start`: nothing was written.
    assert!(listing(tmp.path()).is_empty());
}

// ---- standard streams and exit status ----

#[test]
fn stdin_is_echoed_to_stdout() {
    on_every_tier(|| {
        let run = run_with_input(&[program("echo")], b"hello\nworld, this is longer\n");
        run.assert_code(0)
            .assert_stdout("hello\nworld, this is longer\n")
            .assert_stderr_has("echoed 28 bytes");
    });
}

#[test]
fn large_input_is_echoed_intact() {
    on_every_tier(|| {
        let input: Vec<u8> = (0..200_000u32)
            .map(|i| b"0123456789abcdef\n"[i as usize % 17])
            .collect();
        let run = run_with_input(&[program("echo")], &input);
        run.assert_code(0).assert_stderr_has("echoed 200000 bytes");
        assert!(run.stdout.as_bytes() == input, "stdout differs from stdin");
    });
}

#[test]
fn proc_exit_sets_the_exit_status() {
    on_every_tier(|| {
        for (status, how, expected) in [
            ("0", "exit", 0),
            ("3", "exit", 3),
            ("42", "return", 42),
            ("255", "raw", 255),
            // Only the low 8 bits of a status reach the parent, as with WasmEdge's exit(300).
            ("300", "raw", 44),
        ] {
            run(&[&program("exit"), status, how])
                .assert_code(expected)
                .assert_stdout(&format!("exiting with {status} via {how}\n"));
        }
    });
}

#[test]
fn a_trapping_wasi_program_exits_134() {
    on_every_tier(|| {
        run(&[&program("exit"), "5", "trap"])
            .assert_code(134)
            .assert_stdout("exiting with 5 via trap\n")
            .assert_stderr_has("unreachable");
    });
}

#[test]
fn proc_exit_in_reactor_mode_sets_the_exit_status() {
    on_every_tier(|| {
        run(&["--reactor", &super::wasm("wasi"), "_start"])
            .assert_code(7)
            .assert_stdout("hello from wat\n");
    });
}

#[test]
fn every_listed_program_has_its_source_and_module() {
    let script = read(programs().join("build.sh"));
    let list = script
        .lines()
        .find_map(|l| l.strip_prefix("PROGRAMS=\""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("build.sh lists PROGRAMS");
    for name in list.split_whitespace() {
        for ext in ["c", "wasm"] {
            let file = programs().join(format!("{name}.{ext}"));
            assert!(file.exists(), "{} is missing", file.display());
        }
    }
}
