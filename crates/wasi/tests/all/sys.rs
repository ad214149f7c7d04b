//! Tests of the non-filesystem areas: arguments and environment, clocks, randomness, process
//! control, `poll_oneoff`/`epoll_oneoff` and sockets (WasmEdge's extension in both ABIs and
//! the V2 fallback), through WAT guests run by wedge.
//!
//! Most tests use a guest that imports the functions and re-exports each under the same name,
//! so the test drives them with pointers into the guest's memory; the TCP echo test runs two
//! guest programs, a server and a client, each in its own store on its own thread.
//!
//! The calls that wait (a sleep, a read from a pipe, accepting, receiving) are also tested
//! under a deadline and an interrupt: each must end at once with `TrapCode::Interrupted` and
//! leave the store fit for the next call.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use wedge::{Engine, Error, Instance, Linker, Memory, Module, Store, TrapCode, Val};
use wedge_wasi::{Errno, Exit, WasiCtx, WasiCtxBuilder};

/// The functions the re-exporting guest imports, with their parameter types (each returns an
/// `i32` errno).
const IMPORTS: &[(&str, &str)] = &[
    ("args_get", "i32 i32"),
    ("args_sizes_get", "i32 i32"),
    ("environ_get", "i32 i32"),
    ("environ_sizes_get", "i32 i32"),
    ("clock_res_get", "i32 i32"),
    ("clock_time_get", "i32 i64 i32"),
    ("random_get", "i32 i32"),
    ("proc_raise", "i32"),
    ("sched_yield", ""),
    ("poll_oneoff", "i32 i32 i32 i32"),
    ("epoll_oneoff", "i32 i32 i32 i32"),
    ("fd_fdstat_get", "i32 i32"),
    ("fd_fdstat_set_flags", "i32 i32"),
    ("fd_close", "i32"),
    ("fd_read", "i32 i32 i32 i32"),
    ("sock_open", "i32 i32 i32"),
    ("sock_open_v2", "i32 i32 i32"),
    ("sock_bind", "i32 i32 i32"),
    ("sock_bind_v2", "i32 i32 i32"),
    ("sock_connect", "i32 i32 i32"),
    ("sock_connect_v2", "i32 i32 i32"),
    ("sock_listen", "i32 i32"),
    ("sock_accept", "i32 i32"),
    ("sock_accept_v2", "i32 i32 i32"),
    ("sock_recv", "i32 i32 i32 i32 i32 i32"),
    ("sock_recv_from", "i32 i32 i32 i32 i32 i32 i32"),
    ("sock_recv_from_v2", "i32 i32 i32 i32 i32 i32 i32 i32"),
    ("sock_send", "i32 i32 i32 i32 i32"),
    ("sock_send_to", "i32 i32 i32 i32 i32 i32 i32"),
    ("sock_send_to_v2", "i32 i32 i32 i32 i32 i32 i32"),
    ("sock_shutdown", "i32 i32"),
    ("sock_getsockopt", "i32 i32 i32 i32 i32"),
    ("sock_setsockopt", "i32 i32 i32 i32 i32"),
    ("sock_getlocaladdr", "i32 i32 i32 i32"),
    ("sock_getlocaladdr_v2", "i32 i32 i32"),
    ("sock_getpeeraddr", "i32 i32 i32 i32"),
    ("sock_getpeeraddr_v2", "i32 i32 i32"),
    ("sock_getaddrinfo", "i32 i32 i32 i32 i32 i32 i32 i32"),
];

fn reexport_wat() -> String {
    let mut wat = String::from("(module\n");
    for (name, params) in IMPORTS {
        wat += &format!(
            "  (import \"wasi_snapshot_preview1\" \"{name}\" (func ${name} (param {params}) (result i32)))\n"
        );
    }
    wat += "  (memory (export \"memory\") 4)\n";
    for (name, params) in IMPORTS {
        let gets: String = params
            .split_whitespace()
            .enumerate()
            .map(|(i, _)| format!("local.get {i} "))
            .collect();
        wat += &format!(
            "  (func (export \"{name}\") (param {params}) (result i32) {gets}call ${name})\n"
        );
    }
    wat + ")\n"
}

/// Instantiates `wat` with WASI (and the V2 fallback) in a store of its own.
fn instantiate(wat: &str, ctx: WasiCtx) -> (Store<WasiCtx>, Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, wat::parse_str(wat).expect("WAT")).expect("module");
    let mut store = Store::new(&engine, ctx);
    let mut linker = Linker::new(&engine);
    wedge_wasi::add_to_linker(&mut linker, &mut store, |ctx: &mut WasiCtx| ctx)
        .expect("add_to_linker");
    wedge_wasi::adapt_imports(&mut linker, &module).expect("adapt_imports");
    let instance = linker
        .instantiate(&mut store, &module)
        .expect("instantiate");
    (store, instance)
}

/// The re-exporting guest.
struct Guest {
    store: Store<WasiCtx>,
    instance: Instance,
    memory: Memory,
}

impl Guest {
    fn new(ctx: WasiCtx) -> Guest {
        let (store, instance) = instantiate(&reexport_wat(), ctx);
        let memory = instance.get_memory(&store, "memory").expect("memory");
        Guest {
            store,
            instance,
            memory,
        }
    }

    fn plain() -> Guest {
        Guest::new(WasiCtxBuilder::new().build())
    }

    /// Calls `name` with `i32` arguments (and an `i64` where the signature has one, given as
    /// `u64` through `call64`); returns the errno.
    fn call(&mut self, name: &str, args: &[u32]) -> i32 {
        let args: Vec<Val> = args.iter().map(|&a| Val::I32(a as i32)).collect();
        self.call_vals(name, &args)
    }

    fn call_vals(&mut self, name: &str, args: &[Val]) -> i32 {
        let f = self.instance.get_func(&self.store, name).expect("export");
        let mut results = [Val::I32(-1)];
        f.call(&mut self.store, args, &mut results).expect("call");
        results[0].i32().expect("i32 errno")
    }

    /// Calls `name`, which is expected to be stopped by a deadline or an interrupt within 10 s
    /// and not before `early`; panics if it returns or fails otherwise.
    fn call_interrupted(&mut self, name: &str, args: &[u32], early: Duration) {
        let f = self.instance.get_func(&self.store, name).expect("export");
        let args: Vec<Val> = args.iter().map(|&a| Val::I32(a as i32)).collect();
        let mut results = [Val::I32(-1)];
        let start = Instant::now();
        let r = f.call(&mut self.store, &args, &mut results);
        let took = start.elapsed();
        match r {
            Err(e) => assert_eq!(e.trap_code(), Some(TrapCode::Interrupted), "{name}: {e}"),
            Ok(()) => panic!("{name} returned errno {:?} instead of stopping", results[0]),
        }
        assert!(took >= early, "{name} stopped early, after {took:?}");
        assert!(
            took < Duration::from_secs(10),
            "{name} stopped late, after {took:?}"
        );
    }

    /// Stops every call from now on after `ms` milliseconds.
    fn deadline_in(&mut self, ms: u64) {
        self.store
            .set_deadline(Some(Instant::now() + Duration::from_millis(ms)));
    }

    fn poke(&mut self, at: u32, bytes: &[u8]) {
        self.memory
            .write(&mut self.store, at as usize, bytes)
            .expect("poke");
    }

    fn poke32(&mut self, at: u32, v: u32) {
        self.poke(at, &v.to_le_bytes());
    }

    fn peek(&self, at: u32, len: usize) -> Vec<u8> {
        let mut buf = vec![0; len];
        self.memory
            .read(&self.store, at as usize, &mut buf)
            .expect("peek");
        buf
    }

    fn u16_at(&self, at: u32) -> u16 {
        u16::from_le_bytes(self.peek(at, 2).try_into().expect("2 bytes"))
    }

    fn u32_at(&self, at: u32) -> u32 {
        u32::from_le_bytes(self.peek(at, 4).try_into().expect("4 bytes"))
    }

    fn u64_at(&self, at: u32) -> u64 {
        u64::from_le_bytes(self.peek(at, 8).try_into().expect("8 bytes"))
    }

    /// `clock_time_get(id, 0, *OUT)`.
    fn clock(&mut self, id: u32) -> u64 {
        assert_eq!(
            self.call_vals(
                "clock_time_get",
                &[Val::I32(id as i32), Val::I64(0), Val::I32(OUT as i32)]
            ),
            0
        );
        self.u64_at(OUT)
    }

    /// Reads the NUL-terminated strings `*_get` wrote: `count` pointers at `ptrs`.
    fn strings(&self, ptrs: u32, count: u32) -> Vec<String> {
        (0..count)
            .map(|i| {
                let at = self.u32_at(ptrs + 4 * i);
                let bytes = self.peek(at, 256);
                let end = bytes.iter().position(|&b| b == 0).expect("NUL");
                String::from_utf8(bytes[..end].to_vec()).expect("UTF-8")
            })
            .collect()
    }

    /// Opens a socket; returns its descriptor.
    fn open(&mut self, v2: bool, family: u32, kind: u32) -> u32 {
        let name = if v2 { "sock_open_v2" } else { "sock_open" };
        assert_eq!(self.call(name, &[family, kind, OUT]), 0, "{name}");
        self.u32_at(OUT)
    }

    /// Writes a V1 address struct at `ADDR` for `ip` (4 or 16 bytes) and returns its pointer.
    fn addr_v1(&mut self, ip: &[u8]) -> u32 {
        self.poke(ADDR_BUF, ip);
        self.poke32(ADDR, ADDR_BUF);
        self.poke32(ADDR + 4, ip.len() as u32);
        ADDR
    }

    /// Writes a V2 128-byte address (`family`, then `bytes`) and returns the struct pointer.
    fn addr_v2(&mut self, family: u16, bytes: &[u8]) -> u32 {
        let mut storage = [0u8; 128];
        storage[..2].copy_from_slice(&family.to_le_bytes());
        storage[2..2 + bytes.len()].copy_from_slice(bytes);
        self.poke(ADDR_BUF, &storage);
        self.poke32(ADDR, ADDR_BUF);
        self.poke32(ADDR + 4, 128);
        ADDR
    }

    /// The local port of socket `fd` (V1 `sock_getlocaladdr`).
    fn local_port(&mut self, fd: u32) -> u16 {
        let addr = self.addr_v1(&[0; 4]);
        assert_eq!(self.call("sock_getlocaladdr", &[fd, addr, OUT, OUT + 4]), 0);
        assert_eq!(self.u32_at(OUT), 4, "V1 reports IPv4 as 4");
        self.u32_at(OUT + 4) as u16
    }

    /// A listening IPv4 TCP socket on 127.0.0.1; returns `(fd, port)`.
    fn listener(&mut self) -> (u32, u16) {
        let fd = self.open(false, 1, 2);
        let addr = self.addr_v1(&[127, 0, 0, 1]);
        assert_eq!(self.call("sock_bind", &[fd, addr, 0]), 0);
        assert_eq!(self.call("sock_listen", &[fd, 4]), 0);
        (fd, self.local_port(fd))
    }

    /// One subscription at `SUBS + 48 * i`.
    fn subscribe_clock(&mut self, i: u32, userdata: u64, clock: u32, timeout: u64, flags: u16) {
        let mut s = [0u8; 48];
        s[0..8].copy_from_slice(&userdata.to_le_bytes());
        s[8] = 0;
        s[16..20].copy_from_slice(&clock.to_le_bytes());
        s[24..32].copy_from_slice(&timeout.to_le_bytes());
        s[40..42].copy_from_slice(&flags.to_le_bytes());
        self.poke(SUBS + 48 * i, &s);
    }

    fn subscribe_fd(&mut self, i: u32, userdata: u64, write: bool, fd: u32) {
        let mut s = [0u8; 48];
        s[0..8].copy_from_slice(&userdata.to_le_bytes());
        s[8] = if write { 2 } else { 1 };
        s[16..20].copy_from_slice(&fd.to_le_bytes());
        self.poke(SUBS + 48 * i, &s);
    }

    /// Polls `n` subscriptions; returns the events as `(userdata, errno, type, nbytes, flags)`.
    fn poll(&mut self, name: &str, n: u32) -> Vec<(u64, u16, u8, u64, u16)> {
        assert_eq!(self.call(name, &[SUBS, EVENTS, n, OUT]), 0, "{name}");
        (0..self.u32_at(OUT))
            .map(|i| {
                let e = EVENTS + 32 * i;
                (
                    self.u64_at(e),
                    self.u16_at(e + 8),
                    self.peek(e + 10, 1)[0],
                    self.u64_at(e + 16),
                    self.u16_at(e + 24),
                )
            })
            .collect()
    }
}

/// Guest memory the tests use.
const OUT: u32 = 64;
const ADDR: u32 = 128;
const ADDR_BUF: u32 = 256;
const IOVS: u32 = 512;
const SUBS: u32 = 1024;
const EVENTS: u32 = 2048;
const BUF: u32 = 4096;
const BUF2: u32 = 8192;
const PTRS: u32 = 16384;
const STRS: u32 = 20480;
/// Past the end of the guest's 4 pages.
const WILD: u32 = 4 * 65536 - 2;

const FAULT: i32 = Errno::Fault as i32;
const INVAL: i32 = Errno::Inval as i32;

#[test]
fn args_and_environ_are_exactly_what_the_builder_gave() {
    // The host has variables of its own (PATH, HOME, ...); none may reach the guest.
    assert!(
        std::env::var_os("PATH").is_some(),
        "the test needs a host PATH"
    );
    let ctx = WasiCtxBuilder::new()
        .arg("prog.wasm")
        .arg("two words")
        .arg("ünï")
        .env("K", "V")
        .env("EMPTY", "")
        .build();
    let mut g = Guest::new(ctx);

    assert_eq!(g.call("args_sizes_get", &[OUT, OUT + 4]), 0);
    assert_eq!(g.u32_at(OUT), 3);
    assert_eq!(
        g.u32_at(OUT + 4),
        ("prog.wasm".len() + "two words".len() + "ünï".len() + 3) as u32
    );
    assert_eq!(g.call("args_get", &[PTRS, STRS]), 0);
    assert_eq!(g.strings(PTRS, 3), ["prog.wasm", "two words", "ünï"]);
    assert_eq!(g.u32_at(PTRS), STRS, "the first string starts the buffer");

    assert_eq!(g.call("environ_sizes_get", &[OUT, OUT + 4]), 0);
    assert_eq!(g.u32_at(OUT), 2);
    assert_eq!(g.u32_at(OUT + 4), ("K=V".len() + "EMPTY=".len() + 2) as u32);
    assert_eq!(g.call("environ_get", &[PTRS, STRS]), 0);
    let env = g.strings(PTRS, 2);
    assert_eq!(env, ["K=V", "EMPTY="]);
    assert!(!env.iter().any(|v| v.starts_with("PATH=")));

    // A buffer running off the end of memory is a fault, not a crash.
    assert_eq!(g.call("args_get", &[PTRS, WILD]), FAULT);
    assert_eq!(g.call("environ_sizes_get", &[WILD, OUT]), FAULT);
}

#[test]
fn an_empty_context_has_no_arguments_and_no_environment() {
    let mut g = Guest::plain();
    assert_eq!(g.call("args_sizes_get", &[OUT, OUT + 4]), 0);
    assert_eq!((g.u32_at(OUT), g.u32_at(OUT + 4)), (0, 0));
    assert_eq!(g.call("environ_sizes_get", &[OUT, OUT + 4]), 0);
    assert_eq!((g.u32_at(OUT), g.u32_at(OUT + 4)), (0, 0));
    assert_eq!(g.call("environ_get", &[PTRS, STRS]), 0);
}

/// Burns CPU time on this thread until the guest's thread CPU clock has moved `ns`, or 10 s of
/// wall time have passed (a loaded machine may give the thread little CPU); returns how far the
/// clock moved.
fn spin(g: &mut Guest, ns: u64) -> u64 {
    let (start, t0) = (Instant::now(), g.clock(3));
    let mut x = 0u64;
    loop {
        for _ in 0..10_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
        }
        std::hint::black_box(x);
        let moved = g.clock(3) - t0;
        if moved >= ns || start.elapsed() > Duration::from_secs(10) {
            return moved;
        }
    }
}

#[test]
fn clocks_tell_the_time_and_cpu_clocks_count_work() {
    let mut g = Guest::plain();
    for id in 0..4 {
        assert_eq!(g.call("clock_res_get", &[id, OUT]), 0, "clock {id}");
        let res = g.u64_at(OUT);
        assert!(
            res > 0 && res <= 1_000_000,
            "clock {id} resolution {res} ns"
        );
    }
    assert_eq!(g.call("clock_res_get", &[4, OUT]), INVAL);
    assert_eq!(
        g.call_vals(
            "clock_time_get",
            &[Val::I32(4), Val::I64(0), Val::I32(OUT as i32)]
        ),
        INVAL
    );
    assert_eq!(g.call("clock_res_get", &[0, WILD]), FAULT);

    // Realtime is the wall clock.
    let host = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_nanos() as u64;
    let guest = g.clock(0);
    assert!(
        guest.abs_diff(host) < 5_000_000_000,
        "realtime {guest} vs host {host}"
    );

    // Monotonic never goes back and moves with real time.
    let t0 = g.clock(1);
    std::thread::sleep(Duration::from_millis(20));
    let t1 = g.clock(1);
    assert!(
        t1 >= t0 + 20_000_000,
        "monotonic moved {} ns over a 20 ms sleep",
        t1 - t0
    );

    // The CPU clocks advance with work done on this thread, and not with sleeping.
    let p0 = g.clock(2);
    let worked = spin(&mut g, 20_000_000);
    let p1 = g.clock(2);
    assert!(
        worked >= 20_000_000,
        "thread CPU time moved only {worked} ns in 10 s of work"
    );
    assert!(
        p1 - p0 >= worked - 1_000_000,
        "process CPU time counts the thread's"
    );
    let th2 = g.clock(3);
    std::thread::sleep(Duration::from_millis(50));
    let th3 = g.clock(3);
    assert!(
        th3 - th2 < 25_000_000,
        "thread CPU time moved {} ns while sleeping",
        th3 - th2
    );
}

#[test]
fn random_get_fills_the_buffer_with_fresh_bytes() {
    let mut g = Guest::plain();
    assert_eq!(g.call("random_get", &[BUF, 256]), 0);
    let a = g.peek(BUF, 256);
    assert_eq!(g.call("random_get", &[BUF, 256]), 0);
    let b = g.peek(BUF, 256);
    assert_ne!(a, b);
    assert!(
        a.iter().filter(|&&x| x == 0).count() < 32,
        "256 random bytes are not mostly zero"
    );
    // A large request is filled to the end.
    assert_eq!(g.call("random_get", &[BUF, 65536]), 0);
    assert_ne!(g.peek(BUF + 65536 - 16, 16), [0; 16]);
    assert_eq!(g.call("random_get", &[BUF, 0]), 0);
    assert_eq!(g.call("random_get", &[WILD, 16]), FAULT);
}

#[test]
fn proc_exit_unwinds_the_guest_with_its_code() {
    let wat = r#"(module
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (func (export "_start") (call $exit (i32.const 42)) unreachable))"#;
    let (mut store, instance) = instantiate(wat, WasiCtxBuilder::new().build());
    let start = instance.get_func(&store, "_start").expect("_start");
    let err: Error = start
        .call(&mut store, &[], &mut [])
        .expect_err("proc_exit unwinds");
    assert_eq!(err.downcast_host::<Exit>(), Some(&Exit(42)));
}

#[test]
fn proc_raise_raises_nothing_and_sched_yield_succeeds() {
    let mut g = Guest::plain();
    assert_eq!(g.call("proc_raise", &[0]), 0, "signal 0 is none");
    // SIGTERM would end the test process if it were raised.
    assert_eq!(g.call("proc_raise", &[15]), Errno::Nosys as i32);
    assert_eq!(g.call("proc_raise", &[31]), INVAL);
    assert_eq!(g.call("sched_yield", &[]), 0);
}

#[test]
fn poll_oneoff_sleeps_for_a_relative_timeout_on_each_clock() {
    let mut g = Guest::plain();
    for (name, clock) in [
        ("poll_oneoff", 1),
        ("epoll_oneoff", 1),
        ("poll_oneoff", 0),
        ("poll_oneoff", 2),
        ("poll_oneoff", 3),
    ] {
        g.subscribe_clock(0, 0xfeed, clock, 60_000_000, 0);
        let start = Instant::now();
        let events = g.poll(name, 1);
        let took = start.elapsed();
        assert_eq!(events, [(0xfeed, 0, 0, 0, 0)], "{name} on clock {clock}");
        assert!(
            took >= Duration::from_millis(60),
            "{name} on clock {clock} returned after {took:?}"
        );
        assert!(
            took < Duration::from_secs(3),
            "{name} on clock {clock} took {took:?}"
        );
    }
}

#[test]
fn poll_oneoff_reports_the_earliest_of_two_timeouts_and_honours_abstime() {
    let mut g = Guest::plain();
    g.subscribe_clock(0, 1, 1, 5_000_000_000, 0);
    g.subscribe_clock(1, 2, 1, 30_000_000, 0);
    let start = Instant::now();
    assert_eq!(g.poll("poll_oneoff", 2), [(2, 0, 0, 0, 0)]);
    assert!(start.elapsed() < Duration::from_secs(3));

    // An absolute time on the realtime clock, 50 ms ahead.
    let now = g.clock(0);
    g.subscribe_clock(0, 3, 0, now + 50_000_000, 1);
    let start = Instant::now();
    assert_eq!(g.poll("poll_oneoff", 1), [(3, 0, 0, 0, 0)]);
    assert!(
        start.elapsed() >= Duration::from_millis(40),
        "abstime returned after {:?}",
        start.elapsed()
    );
    // An absolute time already past is ready at once.
    g.subscribe_clock(0, 4, 1, 1, 1);
    assert_eq!(g.poll("poll_oneoff", 1), [(4, 0, 0, 0, 0)]);
}

#[test]
fn poll_oneoff_reports_bad_subscriptions_at_once_as_events() {
    let mut g = Guest::plain();
    g.subscribe_clock(0, 1, 1, 10_000_000_000, 0);
    g.subscribe_fd(1, 2, false, 99);
    g.subscribe_clock(2, 3, 7, 0, 0);
    g.subscribe_clock(3, 4, 1, 0, 2);
    let start = Instant::now();
    let events = g.poll("poll_oneoff", 4);
    assert!(start.elapsed() < Duration::from_secs(1));
    assert_eq!(
        events,
        [
            (2, Errno::Badf as u16, 1, 0, 0),
            (3, INVAL as u16, 0, 0, 0),
            (4, INVAL as u16, 0, 0, 0)
        ]
    );
    // No subscriptions: nothing to wait for, no events (as WasmEdge).
    assert_eq!(g.poll("poll_oneoff", 0), []);
    assert_eq!(g.call("poll_oneoff", &[WILD, EVENTS, 1, OUT]), FAULT);
}

#[test]
fn poll_oneoff_waits_for_a_socket_to_become_readable() {
    let mut g = Guest::plain();
    let (listener, port) = g.listener();
    let peer = std::thread::spawn(move || {
        use std::io::Write;
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        std::thread::sleep(Duration::from_millis(200));
        s.write_all(b"ping").expect("write");
        std::thread::sleep(Duration::from_millis(100));
    });
    assert_eq!(g.call("sock_accept", &[listener, OUT]), 0);
    let conn = g.u32_at(OUT);
    // Writable at once; not readable until the peer writes, 200 ms after connecting.
    g.subscribe_fd(0, 7, true, conn);
    let events = g.poll("poll_oneoff", 1);
    assert_eq!(
        (events.len(), events[0].0, events[0].1, events[0].2),
        (1, 7, 0, 2)
    );
    assert!(events[0].3 > 0, "a socket has send buffer room");
    g.subscribe_fd(0, 8, false, conn);
    g.subscribe_clock(1, 9, 1, 5_000_000_000, 0);
    let start = Instant::now();
    let events = g.poll("epoll_oneoff", 2);
    assert!(
        start.elapsed() >= Duration::from_millis(50),
        "readable before the peer wrote"
    );
    assert_eq!(events, [(8, 0, 1, 4, 0)], "readable with 4 bytes waiting");
    peer.join().expect("peer");
    // The peer has gone: once the data is read, the socket is readable with nothing to read.
    g.poke32(IOVS, BUF);
    g.poke32(IOVS + 4, 64);
    assert_eq!(g.call("sock_recv", &[conn, IOVS, 1, 0, OUT, OUT + 4]), 0);
    assert_eq!(g.peek(BUF, g.u32_at(OUT) as usize), b"ping");
    g.subscribe_fd(0, 10, false, conn);
    let events = g.poll("poll_oneoff", 1);
    assert_eq!((events[0].0, events[0].1, events[0].3), (10, 0, 0));
}

#[test]
fn a_nonblocking_socket_says_again_instead_of_blocking() {
    let mut g = Guest::plain();
    let (listener, _) = g.listener();
    // fd_fdstat_set_flags(NONBLOCK) reaches the host socket and fd_fdstat_get reports it.
    assert_eq!(g.call("fd_fdstat_set_flags", &[listener, 4]), 0);
    assert_eq!(g.call("fd_fdstat_get", &[listener, OUT]), 0);
    assert_eq!(g.peek(OUT, 1)[0], 6, "filetype socket_stream");
    assert_eq!(g.u16_at(OUT + 2) & 4, 4, "fdflags has nonblock");
    assert_eq!(g.call("sock_accept", &[listener, OUT]), Errno::Again as i32);
    assert_eq!(
        g.call("sock_accept_v2", &[listener, 4, OUT]),
        Errno::Again as i32
    );
    assert_eq!(
        g.call("sock_accept_v2", &[listener, 0x20, OUT]),
        INVAL,
        "unknown fdflags"
    );
    // A datagram socket with nothing queued.
    let udp = g.open(false, 1, 1);
    let addr = g.addr_v1(&[127, 0, 0, 1]);
    assert_eq!(g.call("sock_bind", &[udp, addr, 0]), 0);
    assert_eq!(g.call("fd_fdstat_set_flags", &[udp, 4]), 0);
    g.poke32(IOVS, BUF);
    g.poke32(IOVS + 4, 64);
    assert_eq!(
        g.call("sock_recv", &[udp, IOVS, 1, 0, OUT, OUT + 4]),
        Errno::Again as i32
    );
}

#[test]
fn socket_calls_check_their_arguments() {
    let mut g = Guest::plain();
    assert_eq!(g.call("sock_open", &[0, 2, OUT]), INVAL, "unspec family");
    assert_eq!(g.call("sock_open", &[1, 0, OUT]), INVAL, "any type");
    assert_eq!(
        g.call("sock_open", &[3, 2, OUT]),
        Errno::Nosys as i32,
        "AF_UNIX needs allow_af_unix"
    );
    assert_eq!(g.call("sock_open", &[1, 2, WILD]), FAULT);
    let fd = g.open(false, 1, 2);
    // A V1 address must be 4 or 16 bytes; V2 also takes 128.
    g.poke32(ADDR, ADDR_BUF);
    g.poke32(ADDR + 4, 8);
    assert_eq!(g.call("sock_bind", &[fd, ADDR, 0]), INVAL);
    let addr = g.addr_v2(1, &[127, 0, 0, 1]);
    assert_eq!(
        g.call("sock_bind", &[fd, addr, 0]),
        INVAL,
        "V1 refuses a 128-byte address"
    );
    assert_eq!(g.call("sock_bind_v2", &[fd, addr, 0]), 0);
    let addr = g.addr_v2(9, &[]);
    assert_eq!(g.call("sock_connect", &[fd, addr, 1]), INVAL);
    g.poke32(ADDR + 4, 1 << 30);
    assert_eq!(
        g.call("sock_bind", &[fd, ADDR, 0]),
        FAULT,
        "address buffer out of bounds"
    );
    // Descriptors that are no sockets.
    assert_eq!(g.call("sock_listen", &[77, 1]), Errno::Badf as i32);
    assert_eq!(g.call("sock_listen", &[1, 1]), Errno::Notsock as i32);
    assert_eq!(g.call("sock_shutdown", &[fd, 4]), INVAL);
    g.poke32(IOVS, BUF);
    g.poke32(IOVS + 4, 4);
    assert_eq!(
        g.call("sock_send", &[fd, IOVS, 1, 1, OUT]),
        INVAL,
        "no siflags exist"
    );
    assert_eq!(
        g.call("sock_recv", &[fd, IOVS, 1, 4, OUT, OUT + 4]),
        INVAL,
        "unknown riflags"
    );
    assert_eq!(
        g.call("sock_recv", &[fd, IOVS, 2000, 0, OUT, OUT + 4]),
        INVAL,
        "too many iovecs"
    );
    assert_eq!(g.call("fd_close", &[fd]), 0);
    assert_eq!(g.call("sock_listen", &[fd, 1]), Errno::Badf as i32);
}

#[test]
fn socket_options_round_trip() {
    let mut g = Guest::plain();
    let fd = g.open(false, 1, 2);
    let get = |g: &mut Guest, name: u32| -> (i32, Vec<u8>) {
        g.poke32(OUT, 16);
        let e = g.call("sock_getsockopt", &[fd, 0, name, BUF, OUT]);
        let len = g.u32_at(OUT) as usize;
        (e, g.peek(BUF, len))
    };
    assert_eq!(
        get(&mut g, 1),
        (0, 2i32.to_le_bytes().to_vec()),
        "SO_TYPE is WASI's sock_stream"
    );
    assert_eq!(
        get(&mut g, 2),
        (0, 0i32.to_le_bytes().to_vec()),
        "SO_ERROR none"
    );
    g.poke(BUF2, &1i32.to_le_bytes());
    assert_eq!(g.call("sock_setsockopt", &[fd, 0, 0, BUF2, 4]), 0);
    assert_eq!(
        get(&mut g, 0),
        (0, 1i32.to_le_bytes().to_vec()),
        "SO_REUSEADDR on"
    );
    g.poke(BUF2, &65536i32.to_le_bytes());
    assert_eq!(g.call("sock_setsockopt", &[fd, 0, 6, BUF2, 4]), 0);
    let (e, rcvbuf) = get(&mut g, 6);
    assert_eq!(e, 0);
    assert!(i32::from_le_bytes(rcvbuf.try_into().expect("int")) >= 65536);
    // SO_RCVTIMEO as a 64-bit timeval.
    let tv = [2i64.to_le_bytes(), 500_000i64.to_le_bytes()].concat();
    g.poke(BUF2, &tv);
    assert_eq!(g.call("sock_setsockopt", &[fd, 0, 11, BUF2, 16]), 0);
    assert_eq!(get(&mut g, 11), (0, tv));
    // SO_LINGER as two ints.
    let linger = [1i32.to_le_bytes(), 3i32.to_le_bytes()].concat();
    g.poke(BUF2, &linger);
    assert_eq!(g.call("sock_setsockopt", &[fd, 0, 9, BUF2, 8]), 0);
    assert_eq!(get(&mut g, 9), (0, linger));
    // Too little room cuts the value; too few bytes to set is inval.
    g.poke32(OUT, 2);
    assert_eq!(g.call("sock_getsockopt", &[fd, 0, 1, BUF, OUT]), 0);
    assert_eq!(g.u32_at(OUT), 2);
    assert_eq!(g.call("sock_setsockopt", &[fd, 0, 0, BUF2, 2]), INVAL);
    assert_eq!(
        g.call("sock_setsockopt", &[fd, 1, 0, BUF2, 4]),
        INVAL,
        "only SOL_SOCKET"
    );
    assert_eq!(
        g.call("sock_setsockopt", &[fd, 0, 15, BUF2, 4]),
        INVAL,
        "unknown option"
    );
    assert_eq!(
        g.call("sock_setsockopt", &[fd, 0, 1, BUF2, 4]),
        Errno::Noprotoopt as i32,
        "SO_TYPE is read-only"
    );
}

#[test]
fn udp_send_to_and_recv_from_in_both_abis() {
    let mut g = Guest::plain();
    let a = g.open(false, 1, 1);
    let b = g.open(true, 1, 1);
    let addr = g.addr_v1(&[127, 0, 0, 1]);
    assert_eq!(g.call("sock_bind", &[a, addr, 0]), 0);
    assert_eq!(g.call("sock_bind", &[b, addr, 0]), 0);
    let (pa, pb) = (g.local_port(a), g.local_port(b));

    // V1 send_to, V2 recv_from: 128-byte storage with family and address; the port comes in
    // network byte order, as WasmEdge writes it.
    g.poke(BUF, b"one");
    g.poke32(IOVS, BUF);
    g.poke32(IOVS + 4, 3);
    let to = g.addr_v1(&[127, 0, 0, 1]);
    assert_eq!(
        g.call("sock_send_to", &[a, IOVS, 1, to, u32::from(pb), 0, OUT]),
        0
    );
    assert_eq!(g.u32_at(OUT), 3);
    g.poke32(IOVS, BUF2);
    g.poke32(IOVS + 4, 64);
    let from = g.addr_v2(0, &[]);
    assert_eq!(
        g.call(
            "sock_recv_from_v2",
            &[b, IOVS, 1, from, 0, OUT + 8, OUT, OUT + 4]
        ),
        0
    );
    assert_eq!(g.peek(BUF2, g.u32_at(OUT) as usize), b"one");
    assert_eq!(g.u16_at(ADDR_BUF), 1, "family inet4");
    assert_eq!(g.peek(ADDR_BUF + 2, 4), [127, 0, 0, 1]);
    assert_eq!(g.peek(OUT + 8, 2), pa.to_be_bytes());

    // V2 send_to with a 128-byte address, datagram truncated on a short buffer, V1 recv_from
    // with a bare 4-byte address.
    g.poke(BUF, b"two and more");
    g.poke32(IOVS, BUF);
    g.poke32(IOVS + 4, 12);
    let to = g.addr_v2(1, &[127, 0, 0, 1]);
    assert_eq!(
        g.call("sock_send_to_v2", &[b, IOVS, 1, to, u32::from(pa), 0, OUT]),
        0
    );
    g.poke32(IOVS, BUF2);
    g.poke32(IOVS + 4, 3);
    let from = g.addr_v1(&[0; 4]);
    assert_eq!(
        g.call("sock_recv_from", &[a, IOVS, 1, from, 0, OUT, OUT + 4]),
        0
    );
    assert_eq!(
        (g.u32_at(OUT), g.u16_at(OUT + 4)),
        (3, 1),
        "3 bytes, recv_data_truncated"
    );
    assert_eq!(g.peek(BUF2, 3), b"two");
    assert_eq!(g.peek(ADDR_BUF, 4), [127, 0, 0, 1]);

    // Several receive buffers are filled in order.
    g.poke(BUF, b"abcdefgh");
    g.poke32(IOVS, BUF);
    g.poke32(IOVS + 4, 8);
    let to = g.addr_v1(&[127, 0, 0, 1]);
    assert_eq!(
        g.call("sock_send_to", &[a, IOVS, 1, to, u32::from(pb), 0, OUT]),
        0
    );
    for (i, (at, len)) in [(BUF2, 3u32), (BUF2 + 100, 0), (BUF2 + 200, 10)]
        .into_iter()
        .enumerate()
    {
        g.poke32(IOVS + 8 * i as u32, at);
        g.poke32(IOVS + 8 * i as u32 + 4, len);
    }
    assert_eq!(g.call("sock_recv", &[b, IOVS, 3, 0, OUT, OUT + 4]), 0);
    assert_eq!(g.u32_at(OUT), 8);
    assert_eq!(
        (g.peek(BUF2, 3), g.peek(BUF2 + 200, 5)),
        (b"abc".to_vec(), b"defgh".to_vec())
    );
}

#[test]
fn local_and_peer_addresses_in_both_abis() {
    let mut g = Guest::plain();
    let (listener, port) = g.listener();
    let client = g.open(true, 1, 2);
    let to = g.addr_v2(1, &[127, 0, 0, 1]);
    assert_eq!(
        g.call("sock_connect", &[client, to, u32::from(port)]),
        INVAL,
        "V1 refuses 128 bytes"
    );
    let to = g.addr_v1(&[127, 0, 0, 1]);
    assert_eq!(g.call("sock_connect", &[client, to, u32::from(port)]), 0);
    assert_eq!(g.call("sock_accept", &[listener, OUT]), 0);
    let server = g.u32_at(OUT);

    let v2 = g.addr_v2(0, &[]);
    assert_eq!(g.call("sock_getpeeraddr_v2", &[client, v2, OUT]), 0);
    assert_eq!(
        (g.u16_at(ADDR_BUF), g.peek(ADDR_BUF + 2, 4), g.u32_at(OUT)),
        (1, vec![127, 0, 0, 1], u32::from(port))
    );
    let client_port = {
        let v2 = g.addr_v2(0, &[]);
        assert_eq!(g.call("sock_getlocaladdr_v2", &[client, v2, OUT]), 0);
        g.u32_at(OUT)
    };
    let v1 = g.addr_v1(&[0; 4]);
    assert_eq!(g.call("sock_getpeeraddr", &[server, v1, OUT, OUT + 4]), 0);
    assert_eq!(
        (g.peek(ADDR_BUF, 4), g.u32_at(OUT), g.u32_at(OUT + 4)),
        (vec![127, 0, 0, 1], 4, client_port)
    );
    // V2 wants the 128-byte buffer; V1 a 4- or 16-byte one.
    let v1 = g.addr_v1(&[0; 4]);
    assert_eq!(g.call("sock_getlocaladdr_v2", &[client, v1, OUT]), INVAL);
    g.poke32(ADDR + 4, 8);
    assert_eq!(
        g.call("sock_getlocaladdr", &[client, ADDR, OUT, OUT + 4]),
        INVAL
    );
    // An IPv6 address does not fit a 4-byte V1 buffer.
    let v6 = g.open(false, 2, 2);
    let any6 = g.addr_v1(&[0; 16]);
    assert_eq!(g.call("sock_bind", &[v6, any6, 0]), 0);
    let short = g.addr_v1(&[0; 4]);
    assert_eq!(
        g.call("sock_getlocaladdr", &[v6, short, OUT, OUT + 4]),
        Errno::Nomem as i32
    );
    let long = g.addr_v1(&[1; 16]);
    assert_eq!(g.call("sock_getlocaladdr", &[v6, long, OUT, OUT + 4]), 0);
    assert_eq!((g.peek(ADDR_BUF, 16), g.u32_at(OUT)), (vec![0; 16], 6));
}

#[test]
fn af_unix_sockets_only_when_allowed() {
    let path = std::env::temp_dir().join(format!("wedge-wasi-sys-{}.sock", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let mut g = Guest::new(WasiCtxBuilder::new().allow_af_unix(true).build());
    let server = g.open(true, 3, 2);
    let bytes = path.as_os_str().as_encoded_bytes().to_vec();
    let addr = g.addr_v2(3, &bytes);
    assert_eq!(g.call("sock_bind_v2", &[server, addr, 0]), 0);
    assert_eq!(g.call("sock_listen", &[server, 1]), 0);
    let client = g.open(true, 3, 2);
    let addr = g.addr_v2(3, &bytes);
    assert_eq!(g.call("sock_connect_v2", &[client, addr, 0]), 0);
    let v2 = g.addr_v2(0, &[]);
    assert_eq!(g.call("sock_getlocaladdr_v2", &[server, v2, OUT]), 0);
    assert_eq!(g.u16_at(ADDR_BUF), 3, "family af_unix");
    assert_eq!(
        g.peek(ADDR_BUF + 2, bytes.len() + 1),
        [bytes.as_slice(), &[0]].concat()
    );
    let _ = std::fs::remove_file(&path);
}

#[test]
fn getaddrinfo_fills_the_guests_result_chain() {
    let mut g = Guest::plain();
    // Two chained addrinfo slots at BUF and BUF + 28, sockaddrs at BUF2 + 32 * i with 26-byte
    // sa_data buffers at BUF2 + 256 + 32 * i.
    for i in 0..2u32 {
        let ai = BUF + 28 * i;
        g.poke(ai, &[0; 28]);
        g.poke32(ai + 12, BUF2 + 32 * i);
        g.poke32(ai + 24, if i == 0 { BUF + 28 } else { 0 });
        g.poke(BUF2 + 32 * i, &[0; 12]);
        g.poke32(BUF2 + 32 * i + 4, 26);
        g.poke32(BUF2 + 32 * i + 8, BUF2 + 256 + 32 * i);
    }
    g.poke32(OUT, BUF);
    // hints: stream, IPv4
    let mut hints = [0u8; 28];
    hints[2] = 1;
    hints[3] = 2;
    g.poke(ADDR, &hints);
    g.poke(STRS, b"127.0.0.1\0");
    g.poke(STRS + 64, b"8080\0");
    assert_eq!(
        g.call(
            "sock_getaddrinfo",
            &[STRS, 10, STRS + 64, 5, ADDR, OUT, 2, OUT + 4]
        ),
        0
    );
    assert_eq!(g.u32_at(OUT + 4), 1);
    assert_eq!(g.peek(BUF + 2, 3), [1, 2, 1], "inet4, stream, tcp");
    assert_eq!(g.u32_at(BUF + 8), 16, "sizeof(sockaddr_in)");
    assert_eq!(g.peek(BUF2, 1)[0], 1);
    assert_eq!(g.u32_at(BUF2 + 4), 14);
    assert_eq!(
        g.peek(BUF2 + 256, 6),
        [0x1f, 0x90, 127, 0, 0, 1],
        "port 8080 then the address"
    );

    // Any socket type: a stream and a datagram entry for the one address.
    hints[3] = 0;
    g.poke(ADDR, &hints);
    assert_eq!(
        g.call(
            "sock_getaddrinfo",
            &[STRS, 10, STRS + 64, 5, ADDR, OUT, 2, OUT + 4]
        ),
        0
    );
    assert_eq!(g.u32_at(OUT + 4), 2);
    assert_eq!(
        (g.peek(BUF + 3, 2), g.peek(BUF + 28 + 3, 2)),
        (vec![2, 1], vec![1, 2])
    );

    // WasmEdge's EAI errnos.
    assert_eq!(
        g.call(
            "sock_getaddrinfo",
            &[STRS, 0, STRS + 64, 0, ADDR, OUT, 2, OUT + 4]
        ),
        84,
        "EAI_NONAME"
    );
    assert_eq!(
        g.call(
            "sock_getaddrinfo",
            &[STRS, 10, STRS + 64, 5, ADDR, OUT, 0, OUT + 4]
        ),
        82,
        "EAI_MEMORY"
    );
    hints[2] = 7;
    g.poke(ADDR, &hints);
    assert_eq!(
        g.call(
            "sock_getaddrinfo",
            &[STRS, 10, STRS + 64, 5, ADDR, OUT, 2, OUT + 4]
        ),
        81,
        "EAI_FAMILY"
    );
    hints[2] = 0;
    hints[0] = 0x80;
    g.poke(ADDR, &hints);
    assert_eq!(
        g.call(
            "sock_getaddrinfo",
            &[STRS, 10, STRS + 64, 5, ADDR, OUT, 2, OUT + 4]
        ),
        79,
        "EAI_BADFLAGS"
    );
}

/// The echo server: V1 ABI, blocking, as a guest built with `wasmedge_wasi_socket` would
/// call it. `listen` returns the port; `serve` echoes one connection until the peer shuts down
/// its side and returns the byte count.
const ECHO_SERVER: &str = r#"(module
  (import "wasi_snapshot_preview1" "sock_open" (func $open (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_setsockopt" (func $setsockopt (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_bind" (func $bind (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_listen" (func $listen (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_getlocaladdr" (func $local (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv" (func $recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_send" (func $send (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_shutdown" (func $shutdown (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0: listener, 4: connection, 8: port, 12: address type, 16: received, 20: sent, 24: roflags
  ;; 32: address {buf = 48, len = 4}; 48: 127.0.0.1; 64: the int 1; 128: iovec; 1024: data
  (data (i32.const 32) "\30\00\00\00\04\00\00\00")
  (data (i32.const 48) "\7f\00\00\01")
  (data (i32.const 64) "\01\00\00\00")
  (global $errno (mut i32) (i32.const 0))
  (func $check (param i32)
    (if (local.get 0) (then (global.set $errno (local.get 0)) (unreachable))))
  (func (export "errno") (result i32) (global.get $errno))
  (func (export "listen") (result i32)
    (call $check (call $open (i32.const 1) (i32.const 2) (i32.const 0)))
    (call $check (call $setsockopt (i32.load (i32.const 0)) (i32.const 0) (i32.const 0) (i32.const 64) (i32.const 4)))
    (call $check (call $bind (i32.load (i32.const 0)) (i32.const 32) (i32.const 0)))
    (call $check (call $listen (i32.load (i32.const 0)) (i32.const 8)))
    (call $check (call $local (i32.load (i32.const 0)) (i32.const 32) (i32.const 12) (i32.const 8)))
    (i32.load (i32.const 8)))
  (func (export "serve") (result i32) (local $total i32) (local $at i32)
    (call $check (call $accept (i32.load (i32.const 0)) (i32.const 4)))
    (block $eof
      (loop $more
        (i32.store (i32.const 128) (i32.const 1024))
        (i32.store (i32.const 132) (i32.const 4096))
        (call $check (call $recv (i32.load (i32.const 4)) (i32.const 128) (i32.const 1) (i32.const 0) (i32.const 16) (i32.const 24)))
        (br_if $eof (i32.eqz (i32.load (i32.const 16))))
        ;; send it all back, however many calls that takes
        (local.set $at (i32.const 1024))
        (block $sent
          (loop $rest
            (i32.store (i32.const 128) (local.get $at))
            (i32.store (i32.const 132) (i32.sub (i32.add (i32.const 1024) (i32.load (i32.const 16))) (local.get $at)))
            (br_if $sent (i32.eqz (i32.load (i32.const 132))))
            (call $check (call $send (i32.load (i32.const 4)) (i32.const 128) (i32.const 1) (i32.const 0) (i32.const 20)))
            (local.set $at (i32.add (local.get $at) (i32.load (i32.const 20))))
            (local.set $total (i32.add (local.get $total) (i32.load (i32.const 20))))
            (br $rest)))
        (br $more)))
    (call $check (call $shutdown (i32.load (i32.const 4)) (i32.const 3)))
    (call $check (call $close (i32.load (i32.const 4))))
    (call $check (call $close (i32.load (i32.const 0))))
    (local.get $total))
)"#;

/// The echo client: V2 ABI, non-blocking, waiting with `poll_oneoff`. `run(port, len)` sends
/// the `len` bytes at 4096, half-closes, and reads the echo into 65536 until the server closes;
/// returns the byte count.
const ECHO_CLIENT: &str = r#"(module
  (import "wasi_snapshot_preview1" "sock_open_v2" (func $open (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_connect_v2" (func $connect (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_getpeeraddr_v2" (func $peer (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func $setflags (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv_v2" (func $recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_send_v2" (func $send (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_shutdown" (func $shutdown (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
  (memory (export "memory") 3)
  ;; 0: fd, 4: count, 8: roflags, 12: peer port, 16: nevents
  ;; 32: address {buf = 256, len = 128}; 256: storage (family 1, 127.0.0.1)
  ;; 512: iovec; 600: two subscriptions; 800: two events; 4096: message; 65536: echo
  (data (i32.const 32) "\00\01\00\00\80\00\00\00")
  (data (i32.const 256) "\01\00\7f\00\00\01")
  (global $errno (mut i32) (i32.const 0))
  (func $check (param i32)
    (if (local.get 0) (then (global.set $errno (local.get 0)) (unreachable))))
  (func (export "errno") (result i32) (global.get $errno))
  (func (export "run") (param $port i32) (param $len i32) (result i32) (local $got i32) (local $e i32) (local $at i32)
    (call $check (call $open (i32.const 1) (i32.const 2) (i32.const 0)))
    (call $check (call $connect (i32.load (i32.const 0)) (i32.const 32) (local.get $port)))
    ;; the peer is the server: family inet4, the port connected to
    (call $check (call $peer (i32.load (i32.const 0)) (i32.const 32) (i32.const 12)))
    (if (i32.ne (i32.load16_u (i32.const 256)) (i32.const 1)) (then (call $check (i32.const 1000))))
    (if (i32.ne (i32.load (i32.const 12)) (local.get $port)) (then (call $check (i32.const 1001))))
    (call $check (call $setflags (i32.load (i32.const 0)) (i32.const 4)))
    ;; nothing sent yet, so nothing to read: again (6), not a block
    (i32.store (i32.const 512) (i32.const 65536))
    (i32.store (i32.const 516) (i32.const 65536))
    (local.set $e (call $recv (i32.load (i32.const 0)) (i32.const 512) (i32.const 1) (i32.const 0) (i32.const 4) (i32.const 8)))
    (if (i32.ne (local.get $e) (i32.const 6)) (then (call $check (i32.add (i32.const 2000) (local.get $e)))))
    ;; send the message (waiting for room when the socket says again)
    (local.set $at (i32.const 4096))
    (block $sent
      (loop $rest
        (i32.store (i32.const 512) (local.get $at))
        (i32.store (i32.const 516) (i32.sub (i32.add (i32.const 4096) (local.get $len)) (local.get $at)))
        (br_if $sent (i32.eqz (i32.load (i32.const 516))))
        (local.set $e (call $send (i32.load (i32.const 0)) (i32.const 512) (i32.const 1) (i32.const 0) (i32.const 4)))
        (if (i32.eq (local.get $e) (i32.const 6))
          (then (call $wait (i32.const 2)) (br $rest)))
        (call $check (local.get $e))
        (local.set $at (i32.add (local.get $at) (i32.load (i32.const 4))))
        (br $rest)))
    (call $check (call $shutdown (i32.load (i32.const 0)) (i32.const 2)))
    ;; read the echo until the server closes
    (block $eof
      (loop $more
        (call $wait (i32.const 1))
        (i32.store (i32.const 512) (i32.add (i32.const 65536) (local.get $got)))
        (i32.store (i32.const 516) (i32.sub (i32.const 131072) (local.get $got)))
        (local.set $e (call $recv (i32.load (i32.const 0)) (i32.const 512) (i32.const 1) (i32.const 0) (i32.const 4) (i32.const 8)))
        (br_if $more (i32.eq (local.get $e) (i32.const 6)))
        (call $check (local.get $e))
        (br_if $eof (i32.eqz (i32.load (i32.const 4))))
        (local.set $got (i32.add (local.get $got) (i32.load (i32.const 4))))
        (br $more)))
    (call $check (call $close (i32.load (i32.const 0))))
    (local.get $got))
  ;; Waits until the socket is ready (eventtype 1: read, 2: write), at most 10 s.
  (func $wait (param $type i32)
    (memory.fill (i32.const 600) (i32.const 0) (i32.const 96))
    (i64.store (i32.const 600) (i64.const 1))
    (i32.store8 (i32.const 608) (local.get $type))
    (i32.store (i32.const 616) (i32.load (i32.const 0)))
    (i64.store (i32.const 648) (i64.const 2))
    (i32.store8 (i32.const 656) (i32.const 0))
    (i32.store (i32.const 664) (i32.const 1))
    (i64.store (i32.const 672) (i64.const 10000000000))
    (call $check (call $poll (i32.const 600) (i32.const 800) (i32.const 2) (i32.const 16)))
    (if (i64.ne (i64.load (i32.const 800)) (i64.const 1)) (then (call $check (i32.const 3000))))
    (call $check (i32.load16_u (i32.const 808))))
)"#;

/// Calls `name` on a guest program; on a trap, reports the errno it kept.
fn call_program(store: &mut Store<WasiCtx>, instance: &Instance, name: &str, args: &[Val]) -> i32 {
    let f = instance.get_func(&*store, name).expect("export");
    let mut results = [Val::I32(0)];
    if let Err(e) = f.call(&mut *store, args, &mut results) {
        let errno = instance.get_func(&*store, "errno").expect("errno export");
        let mut code = [Val::I32(0)];
        errno.call(&mut *store, &[], &mut code).expect("errno");
        panic!("{name} failed with errno {:?}: {e}", code[0]);
    }
    results[0].i32().expect("i32")
}

#[test]
fn tcp_echo_between_a_guest_server_and_a_guest_client() {
    let message: Vec<u8> = (0..30_000u32).map(|i| (i * 7 + i / 251) as u8).collect();
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    let server = std::thread::spawn(move || {
        let (mut store, instance) = instantiate(ECHO_SERVER, WasiCtxBuilder::new().build());
        let port = call_program(&mut store, &instance, "listen", &[]);
        port_tx.send(port).expect("send port");
        call_program(&mut store, &instance, "serve", &[])
    });
    let port = port_rx.recv().expect("the server's port");
    let len = message.len();
    let client = std::thread::spawn(move || {
        let (mut store, instance) = instantiate(ECHO_CLIENT, WasiCtxBuilder::new().build());
        let memory = instance.get_memory(&store, "memory").expect("memory");
        memory.write(&mut store, 4096, &message).expect("message");
        let got = call_program(
            &mut store,
            &instance,
            "run",
            &[Val::I32(port), Val::I32(len as i32)],
        );
        let mut echo = vec![0; got as usize];
        memory.read(&store, 65536, &mut echo).expect("echo");
        (message, echo)
    });
    let (message, echo) = client.join().expect("client thread");
    let echoed = server.join().expect("server thread");
    assert_eq!(echoed as usize, message.len());
    assert_eq!(echo.len(), message.len());
    assert!(echo == message, "the echo differs from the message");
}

/// A guest that imports socket functions under their plain names with the V2 (preview1)
/// signatures, as wasi-libc and newer toolchains do.
const V2_SHAPED: &str = r#"(module
  (import "wasi_snapshot_preview1" "sock_open" (func $open (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_bind" (func $bind (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_listen" (func $listen (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_getlocaladdr" (func $local (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv_from" (func $recv_from (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func $setflags (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0: fd, 4: port, 16: address {buf = 256, len = 4}; 256: 127.0.0.1
  (data (i32.const 16) "\00\01\00\00\04\00\00\00")
  (data (i32.const 256) "\7f\00\00\01")
  ;; Binds a listener (sock_bind has one signature, so it stays V1 and takes a 4-byte
  ;; address, as in WasmEdge), reads its address back in the V2 shape (a 128-byte buffer that
  ;; starts with the family), and returns what a flagged accept on the non-blocking listener
  ;; says (again: 6).
  (func (export "run") (result i32)
    (drop (call $open (i32.const 1) (i32.const 2) (i32.const 0)))
    (if (call $bind (i32.load (i32.const 0)) (i32.const 16) (i32.const 0)) (then unreachable))
    (if (call $listen (i32.load (i32.const 0)) (i32.const 1)) (then unreachable))
    (i32.store (i32.const 20) (i32.const 128))
    (if (call $local (i32.load (i32.const 0)) (i32.const 16) (i32.const 4)) (then unreachable))
    (if (i32.ne (i32.load16_u (i32.const 256)) (i32.const 1)) (then unreachable))
    (if (i32.eqz (i32.load (i32.const 4))) (then unreachable))
    (if (call $setflags (i32.load (i32.const 0)) (i32.const 4)) (then unreachable))
    (call $accept (i32.load (i32.const 0)) (i32.const 4) (i32.const 8)))
)"#;

/// The same imports in the V1 shapes.
const V1_SHAPED: &str = r#"(module
  (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_getlocaladdr" (func $local (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv_from" (func $recv_from (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "run") (result i32) (call $accept (i32.const 1) (i32.const 0))))"#;

#[test]
fn v2_shaped_imports_of_plain_names_get_the_v2_functions() {
    let engine = Engine::default();
    let v2 = Module::new(&engine, wat::parse_str(V2_SHAPED).expect("WAT")).expect("module");
    let v1 = Module::new(&engine, wat::parse_str(V1_SHAPED).expect("WAT")).expect("module");
    let mut store = Store::new(&engine, WasiCtxBuilder::new().build());
    let mut linker = Linker::new(&engine);
    wedge_wasi::add_to_linker(&mut linker, &mut store, |ctx: &mut WasiCtx| ctx)
        .expect("add_to_linker");

    // Without the fallback the plain names are V1, and the V2-shaped imports do not link.
    assert!(linker.instantiate(&mut store, &v2).is_err());
    assert!(linker.instantiate(&mut store, &v1).is_ok());

    wedge_wasi::adapt_imports(&mut linker, &v2).expect("adapt");
    let instance = linker
        .instantiate(&mut store, &v2)
        .expect("the V2-shaped guest links");
    let run = instance.get_func(&store, "run").expect("run");
    let mut result = [Val::I32(-1)];
    run.call(&mut store, &[], &mut result).expect("run");
    assert_eq!(result[0].i32(), Some(Errno::Again as i32));
    // The same linker now has V2 under the plain names; adapting for a V1 guest puts V1 back.
    assert!(linker.instantiate(&mut store, &v1).is_err());
    wedge_wasi::adapt_imports(&mut linker, &v1).expect("adapt");
    let instance = linker
        .instantiate(&mut store, &v1)
        .expect("the V1-shaped guest links");
    let run = instance.get_func(&store, "run").expect("run");
    run.call(&mut store, &[], &mut result).expect("run");
    assert_eq!(
        result[0].i32(),
        Some(Errno::Notsock as i32),
        "V1 accept on stdout"
    );
}

#[test]
fn an_interrupt_ends_a_sleep_in_poll_oneoff_and_the_store_goes_on() {
    let mut g = Guest::plain();
    let handle = g.store.interrupt_handle();
    let stopper = {
        let handle = handle.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            handle.interrupt();
        })
    };
    // A minute on the monotonic clock, as wasi-libc's usleep asks.
    g.subscribe_clock(0, 1, 1, 60_000_000_000, 0);
    g.call_interrupted(
        "poll_oneoff",
        &[SUBS, EVENTS, 1, OUT],
        Duration::from_millis(100),
    );
    stopper.join().expect("stopper");
    // The stop was consumed: the next sleep runs to its end, and a handle no one uses again
    // leaves later waits alone.
    assert!(!handle.is_pending());
    g.subscribe_clock(0, 2, 1, 20_000_000, 0);
    let start = Instant::now();
    assert_eq!(g.poll("poll_oneoff", 1), [(2, 0, 0, 0, 0)]);
    assert!(start.elapsed() >= Duration::from_millis(20));
    drop(handle);
    g.subscribe_clock(0, 3, 1, 1_000_000, 0);
    assert_eq!(g.poll("epoll_oneoff", 1), [(3, 0, 0, 0, 0)]);
}

#[test]
fn an_interrupt_asked_for_before_a_wait_ends_it_at_once() {
    let mut g = Guest::plain();
    let handle = g.store.interrupt_handle();
    handle.interrupt();
    assert!(handle.is_pending());
    g.subscribe_clock(0, 1, 1, 60_000_000_000, 0);
    g.call_interrupted("poll_oneoff", &[SUBS, EVENTS, 1, OUT], Duration::ZERO);
    assert!(!handle.is_pending());
}

#[test]
fn a_deadline_ends_waits_for_a_connection_and_for_data() {
    use std::io::Write;
    let mut g = Guest::plain();
    let (listener, port) = g.listener();
    g.deadline_in(200);
    g.call_interrupted("sock_accept", &[listener, OUT], Duration::from_millis(200));
    // A pending connection is accepted at once, with or without a deadline.
    let mut peer = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    g.store.set_deadline(None);
    assert_eq!(g.call("sock_accept", &[listener, OUT]), 0);
    let conn = g.u32_at(OUT);
    g.poke32(IOVS, BUF);
    g.poke32(IOVS + 4, 64);
    g.deadline_in(200);
    g.call_interrupted(
        "sock_recv",
        &[conn, IOVS, 1, 0, OUT, OUT + 4],
        Duration::from_millis(200),
    );
    g.deadline_in(200);
    g.call_interrupted(
        "sock_recv_from",
        &[conn, IOVS, 1, ADDR, 0, OUT, OUT + 4],
        Duration::from_millis(200),
    );
    // Data that is there is received under a deadline as without one.
    peer.write_all(b"ping").expect("write");
    g.deadline_in(10_000);
    assert_eq!(g.call("sock_recv", &[conn, IOVS, 1, 0, OUT, OUT + 4]), 0);
    assert_eq!(g.peek(BUF, g.u32_at(OUT) as usize), b"ping");
}

#[test]
fn a_deadline_ends_a_read_from_an_empty_pipe_and_a_read_returns_what_is_there() {
    use std::io::Write;
    let (reader, mut writer) = std::io::pipe().expect("pipe");
    let mut g = Guest::new(WasiCtxBuilder::new().stdio_fd(0, reader.into()).build());
    // Two iovecs: 4 bytes, then 64.
    g.poke32(IOVS, BUF);
    g.poke32(IOVS + 4, 4);
    g.poke32(IOVS + 8, BUF2);
    g.poke32(IOVS + 12, 64);
    g.deadline_in(200);
    g.call_interrupted("fd_read", &[0, IOVS, 2, OUT], Duration::from_millis(200));
    // Four bytes fill the first iovec: the read returns them rather than wait for more to
    // fill the second (it would be stopped at the deadline if it waited).
    writer.write_all(b"ping").expect("write");
    g.deadline_in(10_000);
    assert_eq!(g.call("fd_read", &[0, IOVS, 2, OUT]), 0);
    assert_eq!((g.u32_at(OUT), g.peek(BUF, 4)), (4, b"ping".to_vec()));
    // More than the first iovec holds spills into the second.
    writer.write_all(b"pong, pong").expect("write");
    assert_eq!(g.call("fd_read", &[0, IOVS, 2, OUT]), 0);
    assert_eq!(g.u32_at(OUT), 10);
    assert_eq!(g.peek(BUF2, 6), b", pong");
    // The end of the pipe reads as end of file, at once.
    drop(writer);
    assert_eq!(g.call("fd_read", &[0, IOVS, 2, OUT]), 0);
    assert_eq!(g.u32_at(OUT), 0);
}

#[test]
fn calls_that_can_be_stopped_still_say_again_and_connect_as_before() {
    let mut g = Guest::plain();
    // Holding a handle makes every wait watch it.
    let _handle = g.store.interrupt_handle();
    let (listener, port) = g.listener();
    assert_eq!(g.call("fd_fdstat_set_flags", &[listener, 4]), 0);
    let start = Instant::now();
    assert_eq!(g.call("sock_accept", &[listener, OUT]), Errno::Again as i32);
    assert!(start.elapsed() < Duration::from_secs(5));
    // A connect that can be stopped: to the listener, then to a port nobody listens on.
    let client = g.open(false, 1, 2);
    let addr = g.addr_v1(&[127, 0, 0, 1]);
    assert_eq!(g.call("sock_connect", &[client, addr, u32::from(port)]), 0);
    assert_eq!(g.call("fd_fdstat_get", &[client, OUT]), 0);
    assert_eq!(g.u16_at(OUT + 2) & 4, 0, "the socket is blocking again");
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let refused = g.open(false, 1, 2);
    let addr = g.addr_v1(&[127, 0, 0, 1]);
    assert_eq!(
        g.call("sock_connect", &[refused, addr, u32::from(closed)]),
        Errno::Connrefused as i32
    );
}
