//! Transactions per second with 1 KiB values: redb used directly, the plug-in's own code called
//! as Rust (its transaction buffer and database layer), and, given a `wedge` binary and the
//! plug-in's cdylib, a guest through the whole plug-in (`storage.c`'s `bench-store`/`bench-load`:
//! 128 `storeI64` calls and an `endStoreTx` per transaction; a `beginLoadTx`, 128 `loadI64` and
//! an `endLoadTx` per load). Every store is one durable commit, as the plug-in makes them.
//!
//! ```text
//! cargo build --release -p wedge-cli -p wedge-plugin-storage
//! cargo run --release -p wedge-plugin-storage --example bench -- 1000 \
//!     target/release/wedge target/release/libwedge_plugin_storage.so
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use wedge_plugin_storage::{Key, Storage, Tx};

const TABLE: TableDefinition<'_, &[u8], &[u8]> = TableDefinition::new("bench");

fn key(t: usize) -> Key {
    let text = format!("bench{t:027}");
    text.as_bytes().try_into().expect("32 bytes")
}

fn value(t: usize) -> Vec<u8> {
    (0..128u64)
        .flat_map(|v| (t as u64 * 128 + v).to_le_bytes())
        .collect()
}

fn fresh(dir: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    dir.to_path_buf()
}

fn report(what: &str, n: usize, secs: f64) {
    println!(
        "{what:<40} {:>9.0} tx/s ({:.1} us/tx)",
        n as f64 / secs,
        secs * 1e6 / n as f64
    );
}

fn redb_direct(dir: &Path, n: usize) {
    let db = Database::create(dir.join("direct.redb")).unwrap();
    let start = Instant::now();
    for t in 0..n {
        let tx = db.begin_write().unwrap();
        tx.open_table(TABLE)
            .unwrap()
            .insert(key(t).as_slice(), value(t).as_slice())
            .unwrap();
        tx.commit().unwrap();
    }
    report("redb directly: store", n, start.elapsed().as_secs_f64());
    let start = Instant::now();
    for t in 0..n {
        let tx = db.begin_read().unwrap();
        let table = tx.open_table(TABLE).unwrap();
        let got = table.get(key(t).as_slice()).unwrap().unwrap();
        assert_eq!(got.value(), value(t));
    }
    report("redb directly: load", n, start.elapsed().as_secs_f64());
}

fn plugin_as_rust(dir: &Path, n: usize) {
    let storage = Storage::open(dir, "bench").unwrap();
    let mut tx = Tx::default();
    let start = Instant::now();
    for t in 0..n {
        tx.begin_store(key(t));
        for v in 0..128u64 {
            tx.store(&(t as u64 * 128 + v).to_le_bytes()).unwrap();
        }
        let (k, v) = tx.to_commit().unwrap();
        storage.commit(k, v).unwrap();
    }
    report("plug-in as Rust: store", n, start.elapsed().as_secs_f64());
    let start = Instant::now();
    for t in 0..n {
        let v = storage.load(&key(t)).unwrap().unwrap();
        tx.begin_load(key(t), v);
        for i in 0..128u64 {
            assert_eq!(u64::from_le_bytes(tx.load().unwrap()), t as u64 * 128 + i);
        }
        tx.end_load();
    }
    report("plug-in as Rust: load", n, start.elapsed().as_secs_f64());
}

fn through_wedge(dir: &Path, n: usize, wedge: &Path, cdylib: &Path) {
    let plugins = fresh(&dir.join("plugins"));
    std::fs::copy(cdylib, plugins.join("libwedge_plugin_storage.so")).unwrap();
    let guest = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/guests/storage.wasm");
    let out = Command::new(wedge)
        .env("WASMEDGE_PLUGIN_PATH", &plugins)
        .arg("run")
        .arg("--storage-dir")
        .arg(dir.join("db"))
        .arg(&guest)
        .arg(format!("bench-store:{n}"))
        .arg(format!("bench-load:{n}"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        // "bench-store n=N ms=T"
        let mut parts = line.split(' ');
        if let (Some(what @ ("bench-store" | "bench-load")), Some(_), Some(ms)) =
            (parts.next(), parts.next(), parts.next())
        {
            let ms: f64 = ms.trim_start_matches("ms=").parse().unwrap();
            let label = format!("guest through wedge: {}", &what[6..]);
            report(&label, n, ms / 1e3);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.first().map_or(1000, |a| a.parse().expect("a count"));
    let dir = std::env::temp_dir().join(format!("wedge-storage-bench-{}", std::process::id()));
    println!("{n} transactions of 1 KiB each, in {}", dir.display());
    redb_direct(&fresh(&dir.join("direct")), n);
    plugin_as_rust(&fresh(&dir.join("rust")), n);
    if let [_, wedge, cdylib] = args.as_slice() {
        through_wedge(
            &fresh(&dir.join("wedge")),
            n,
            Path::new(wedge),
            Path::new(cdylib),
        );
    } else {
        println!("(give a wedge binary and the plug-in's cdylib to measure a guest through wedge)");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
