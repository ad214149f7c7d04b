//! `wasi:logging/logging` through a WAT guest that imports `log` and re-exports it, with the
//! console destinations captured in buffers and file destinations in a scratch directory.

use super::Scratch;
use std::io::Write;
use std::sync::{Arc, Mutex};
use wedge::{Engine, Instance, Linker, Memory, Module, Store, Val};
use wedge_wasi::logging::{LoggingCtxBuilder, MODULE};

const GUEST: &str = r#"
(module
  (import "wasi:logging/logging" "log" (func $log (param i32 i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "log") (param i32 i32 i32 i32 i32)
    local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 call $log))
"#;

/// Where the tests put the context and the message in guest memory.
const CTX: u32 = 0;
const MSG: u32 = 4096;
const PAGE: u32 = 65536;

/// A writer whose bytes the test can read back.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("buffer")).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Guest {
    store: Store<()>,
    instance: Instance,
    memory: Memory,
    stdout: Captured,
    stderr: Captured,
}

impl Guest {
    /// A guest logging into buffers, with `dir` as its log directory if given.
    fn new(dir: Option<&std::path::Path>) -> Guest {
        Guest::from_wat(GUEST, dir)
    }

    fn from_wat(wat: &str, dir: Option<&std::path::Path>) -> Guest {
        let (stdout, stderr) = (Captured::default(), Captured::default());
        let mut builder = LoggingCtxBuilder::new()
            .stdout(stdout.clone())
            .stderr(stderr.clone());
        if let Some(dir) = dir {
            let dir = cap_std::fs::Dir::open_ambient_dir(dir, cap_std::ambient_authority())
                .expect("log directory");
            builder = builder.log_dir(dir);
        }
        let engine = Engine::default();
        let module = Module::new(&engine, wat::parse_str(wat).expect("WAT")).expect("module");
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        wedge_wasi::logging::add_to_linker(&mut linker, &mut store, builder.build())
            .expect("add_to_linker");
        let instance = linker
            .instantiate(&mut store, &module)
            .expect("instantiate");
        let memory = instance
            .get_memory(&store, "memory")
            .expect("memory export");
        Guest {
            store,
            instance,
            memory,
            stdout,
            stderr,
        }
    }

    /// `log(level, ptr, len, ptr, len)` with raw arguments.
    fn call(&mut self, args: [u32; 5]) -> Result<(), wedge::Error> {
        let f = self
            .instance
            .get_func(&self.store, "log")
            .expect("log export");
        let args = args.map(|a| Val::I32(a as i32));
        f.call(&mut self.store, &args, &mut [])
    }

    /// Logs `msg` at `level` to `context`.
    fn log(&mut self, level: u32, context: &str, msg: &[u8]) -> Result<(), wedge::Error> {
        self.memory
            .write(&mut self.store, CTX as usize, context.as_bytes())
            .expect("context fits");
        self.memory
            .write(&mut self.store, MSG as usize, msg)
            .expect("message fits");
        self.call([level, CTX, context.len() as u32, MSG, msg.len() as u32])
    }
}

/// The lines of `text` with their `[YYYY-MM-DD HH:MM:SS.mmm] ` prefix checked and removed.
#[track_caller]
fn untimed(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            let b = line.as_bytes();
            let shape = "[dddd-dd-dd dd:dd:dd.ddd] ";
            assert!(b.len() >= shape.len(), "short line {line:?}");
            for (c, s) in b.iter().zip(shape.bytes()) {
                let ok = if s == b'd' {
                    c.is_ascii_digit()
                } else {
                    *c == s
                };
                assert!(ok, "no timestamp in {line:?}");
            }
            line[shape.len()..].to_string()
        })
        .collect()
}

/// A host error with WasmEdge's code for a failed host function, whose text has `part`.
#[track_caller]
fn assert_host_failure(r: Result<(), wedge::Error>, part: &str) {
    let e = r.expect_err("the call fails");
    assert_eq!(e.wasmedge_code(), 0x40E, "{e}");
    assert!(e.to_string().contains(part), "{part:?} not in {e}");
}

#[test]
fn module_name_is_wasmedges() {
    assert_eq!(MODULE, "wasi:logging/logging");
}

#[test]
fn each_level_is_written_under_spdlogs_name() {
    let mut g = Guest::new(None);
    for level in 0..6 {
        g.log(level, "stdout", format!("message {level}").as_bytes())
            .expect("log");
    }
    assert_eq!(
        untimed(&g.stdout.text()),
        [
            "[trace] message 0",
            "[debug] message 1",
            "[info] message 2",
            "[warning] message 3",
            "[error] message 4",
            "[critical] message 5",
        ]
    );
    assert_eq!(g.stderr.text(), "");
}

#[test]
fn empty_context_is_stdout_and_stderr_context_is_stderr() {
    let mut g = Guest::new(None);
    g.log(2, "", b"to stdout").expect("log");
    g.log(4, "stderr", b"to stderr").expect("log");
    assert_eq!(untimed(&g.stdout.text()), ["[info] to stdout"]);
    assert_eq!(untimed(&g.stderr.text()), ["[error] to stderr"]);
}

#[test]
fn message_bytes_are_written_verbatim() {
    let mut g = Guest::new(None);
    g.log(2, "", b"{} {0} %s \xff\xfe").expect("log");
    let out = g.stdout.0.lock().expect("buffer").clone();
    assert!(
        out.ends_with(b"] [info] {} {0} %s \xff\xfe\n"),
        "{:?}",
        String::from_utf8_lossy(&out)
    );
}

#[test]
fn unknown_level_fails_the_call_after_writing_nothing() {
    let mut g = Guest::new(None);
    assert_host_failure(g.log(6, "", b"x"), "Unrecognized Logging Level: 6");
    assert_host_failure(g.log(u32::MAX, "stderr", b"x"), "Level: 4294967295");
    assert_eq!(g.stdout.text(), "");
    assert_eq!(g.stderr.text(), "");
}

#[test]
fn strings_outside_memory_fail_the_call_without_a_panic() {
    let mut g = Guest::new(None);
    // Context running off the end of the one page.
    assert_host_failure(g.call([2, PAGE - 2, 10, MSG, 1]), "context");
    // Message starting past the end, and one whose end overflows 32 bits.
    assert_host_failure(g.call([2, CTX, 0, PAGE, 1]), "message");
    assert_host_failure(g.call([2, CTX, 0, u32::MAX, u32::MAX]), "message");
    // The whole page is fine; a zero-length string at the very end too.
    g.memory
        .write(&mut g.store, (PAGE - 2) as usize, b"ok")
        .expect("poke");
    g.call([2, PAGE, 0, PAGE - 2, 2]).expect("in bounds");
    assert_eq!(untimed(&g.stdout.text()), ["[info] ok"]);
    assert_eq!(g.stderr.text(), "");
}

#[test]
fn caller_without_a_memory_export_fails_the_call() {
    let wat = r#"(module
      (import "wasi:logging/logging" "log" (func $log (param i32 i32 i32 i32 i32)))
      (memory 1)
      (func (export "log") (param i32 i32 i32 i32 i32)
        local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 call $log))"#;
    let engine = Engine::default();
    let module = Module::new(&engine, wat::parse_str(wat).expect("WAT")).expect("module");
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let ctx = LoggingCtxBuilder::new().stdout(Captured::default()).build();
    wedge_wasi::logging::add_to_linker(&mut linker, &mut store, ctx).expect("add_to_linker");
    let instance = linker
        .instantiate(&mut store, &module)
        .expect("instantiate");
    let f = instance.get_func(&store, "log").expect("log export");
    let args = [0, 0, 0, 0, 0].map(Val::I32);
    assert_host_failure(f.call(&mut store, &args, &mut []), "no memory");
}

#[test]
fn file_destination_without_log_dir_goes_to_stderr_after_one_note() {
    let scratch = Scratch::new("log-refused");
    let target = scratch.root.join("guest.log");
    let target = target.to_str().expect("UTF-8 temp dir");
    let mut g = Guest::new(None);
    g.log(2, target, b"first").expect("log");
    g.log(3, "relative.log", b"second").expect("log");
    let lines = untimed(&g.stderr.text());
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0].starts_with("[warning] [WasiLogging] Not logging into file")
            && lines[0].contains(target),
        "{lines:?}"
    );
    assert_eq!(lines[1..], ["[info] first", "[warning] second"]);
    assert_eq!(g.stdout.text(), "");
    assert!(!std::path::Path::new(target).exists());
    assert!(!std::path::Path::new("relative.log").exists());
}

#[test]
fn file_destination_appends_inside_the_log_dir() {
    let scratch = Scratch::new("log-file");
    let dir = scratch.sandbox();
    std::fs::write(dir.join("app.log"), "kept\n").expect("existing log");
    let mut g = Guest::new(Some(&dir));
    g.log(2, "app.log", b"one").expect("log");
    g.log(4, "nested/deeper/other.log", b"two").expect("log");
    g.log(5, "app.log", b"three").expect("log");
    let app = std::fs::read_to_string(dir.join("app.log")).expect("app.log");
    assert!(app.starts_with("kept\n"), "{app:?}");
    assert_eq!(untimed(&app[5..]), ["[info] one", "[critical] three"]);
    let other = std::fs::read_to_string(dir.join("nested/deeper/other.log")).expect("other");
    assert_eq!(untimed(&other), ["[error] two"]);
    assert_eq!(g.stdout.text(), "");
    assert_eq!(g.stderr.text(), "");
}

#[test]
fn file_destination_cannot_escape_the_log_dir() {
    let scratch = Scratch::new("log-escape");
    let before = scratch.outside();
    let dir = scratch.sandbox();
    let mut g = Guest::new(Some(&dir));
    let absolute = scratch.root.join("secret.txt");
    let absolute = absolute.to_str().expect("UTF-8 temp dir");
    for path in [
        "../escape.log",
        "../secret.txt",
        "a/../../escape.log",
        absolute,
    ] {
        assert_host_failure(g.log(2, path, b"x"), "Cannot log into file");
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(scratch.root.join("secret.txt"), dir.join("link.log"))
            .expect("symlink");
        assert_host_failure(g.log(2, "link.log", b"x"), "Cannot log into file");
    }
    assert_eq!(scratch.outside(), before);
    assert_eq!(g.stdout.text(), "");
    assert_eq!(g.stderr.text(), "");
    // The guest can still log into the directory afterwards.
    g.log(2, "fine.log", b"ok").expect("log");
    assert!(dir.join("fine.log").exists());
}
