//! WasmEdge's `wasmedge_zlib` plug-in for Wedge: zlib for wasm guests, on the pure-Rust
//! [zlib-rs](https://crates.io/crates/zlib-rs).
//!
//! Plug-in `wasmedge_zlib`, module `wasmedge_zlib`: the 76 functions of WasmEdge 0.17.1, with
//! zlib's names and WasmEdge's wasm signatures (pointers, `uLong` and `size_t` are i32 on
//! wasm32), so that a C guest compiled against an ordinary `zlib.h`, with zlib's functions
//! imported from `wasmedge_zlib`, runs unchanged.
//!
//! # The guest's `z_stream`
//!
//! A stream lives on the host, keyed by the guest address of its `z_stream` (as in WasmEdge).
//! Each call reads the guest's 56-byte wasm32 `z_stream`, works over the guest's
//! `next_in`/`next_out` buffers in pieces of at most 1 MiB (so a call allocates a bounded amount
//! whatever the lengths say), and writes back `next_*`, `avail_*`, `total_*`, `data_type` and
//! `adler` (init and reset also clear `msg`). The `*Init_` calls require `stream_size` 56 and a
//! version string starting with '1', else `Z_VERSION_ERROR` (-6), as WasmEdge.
//!
//! # Exact, approximated, refused
//!
//! Exact (zlib's results and codes; streams are valid zlib, gzip or raw deflate):
//! `deflateInit*`, `deflate` (all flush modes), `deflateEnd`, `deflateReset`,
//! `deflateSetDictionary`, `deflateSetHeader` (the gzip header and trailer are written here,
//! byte for byte as zlib writes them), `deflateBound`, `compressBound` (zlib 1.2.13's
//! formulas), `inflateInit*`, `inflate` (zlib, gzip, raw and automatic detection),
//! `inflateEnd`, `inflateReset`, `inflateReset2`, `inflateSetDictionary`,
//! `inflateGetDictionary`, `inflateGetHeader` (the header is decoded from the bytes inflate
//! consumes and written to the guest's `gz_header` when it is complete), `inflateSync`,
//! `inflateUndermine` (`Z_DATA_ERROR`, as a zlib built without the option),
//! `inflateBackInit*`/`inflateBackEnd`, `compress`, `compress2`, `uncompress`, `uncompress2`,
//! `adler32*`, `crc32*`, `zlibCompileFlags` (0xa9, the host zlib's on x86-64 Linux).
//!
//! The compressed bytes are zlib-rs's. Checked against C zlib 1.2.13 on 300 KB of text, level
//! by level and strategy by strategy: level 0 (stored), `Z_HUFFMAN_ONLY` and `Z_RLE` give the
//! same bytes; the other levels follow zlib-ng's matchers (level 1 is its "quick" deflate,
//! level 9 its slow one), so they differ from C zlib byte for byte and in size (a few percent
//! either way) while decoding to the same data. With level 0, stored blocks are cut by the
//! host's 1 MiB pieces rather than by the guest's output buffer.
//!
//! Approximated, because zlib-rs's safe API does not expose the state behind them:
//! - `deflateParams`: flushes like zlib; before any data the new level and strategy apply
//!   exactly; after, the level changes and the strategy reverts to the default.
//! - `deflateGetDictionary`: the last window's worth of dictionary and input (zlib may give a
//!   few hundred bytes less after its window slid).
//! - `deflateTune` is accepted and ignored; `deflatePending` reports framing bytes held here
//!   and 0 bits; `deflateResetKeep` is `deflateReset`; `inflateResetKeep` keeps the window
//!   only for raw streams.
//! - `data_type`: deflate sets zlib's text/binary guess from the first data it compresses;
//!   inflate leaves the field alone.
//! - `inflateMark`, `inflateSyncPoint` and `inflateCodesUsed` answer 0; `inflateValidate`
//!   answers `Z_OK` but checks are always verified.
//!
//! `deflateCopy` and `inflateCopy` work by replay: zlib-rs's safe API cannot clone a stream,
//! so each stream records the calls made on its engine (the input given, up to 4 MiB) and a
//! copy replays them on a fresh engine, reaching the same state; a stream given more than that
//! can no longer be copied (`Z_MEM_ERROR`).
//!
//! Refused: `deflatePrime` and `inflatePrime` with bits to insert give `Z_STREAM_ERROR` (zero
//! or negative bits are `Z_OK`, out-of-range bits zlib's error).
//!
//! # gz files
//!
//! `gzopen` opens a path only inside the calling guest's WASI preopened directories, with the
//! sandbox of WASI `path_open` (`..`, absolute host paths and symbolic links cannot lead out;
//! `:readonly` preopens refuse writing), through the SDK's `Caller::open_guest_file` and the
//! runtime's `Wedge_CallingFrameOpenGuestFile`. A guest without WASI, or a runtime without that
//! function (WasmEdge), gets NULL. The `gzFile` is a handle (8, 9, ... never reused, below
//! 1008, see `gz`); reading decodes concatenated gzip members and reads a non-gzip file as it
//! is (`gzdirect` 1); writing makes one gzip member per open (`a` appends another; `T` writes
//! plain bytes). All of WasmEdge's gz calls are there (`gzprintf`, `gzgets` and `gzerror` are
//! not, in WasmEdge either). `gzbuffer` is accepted before the first read or write and does not
//! change the host's buffering; `gzoffset` counts compressed bytes consumed or written.
//!
//! # Building a guest
//!
//! Compile against the ordinary `zlib.h` and import zlib's functions from `wasmedge_zlib`:
//! `tests/guests/zimport.h` (used with `-include`) wraps `<zlib.h>` in
//! `#pragma clang attribute push(__attribute__((import_module("wasmedge_zlib"))), ...)`, and
//! `-Wl,--allow-undefined` lets wasm-ld leave the functions imported. WasmEdge's ABI passes
//! `z_off_t` (`adler32_combine`, `crc32_combine`, `gzseek`, `gztell`, `gzoffset`) as 32 bits,
//! where wasi-libc's `off_t` is 64: define `z_off_t` as `long` before `<zlib.h>` (zimport.h
//! does), or the guest's imports will not match.
//!
//! # Differences from WasmEdge
//!
//! - An unknown `z_stream` address, or a stream of the other direction, gives
//!   `Z_STREAM_ERROR` (zlib's answer for a stream without state) where WasmEdge traps; so does
//!   a second `deflateEnd`/`inflateEnd`.
//! - Guest pointers and lengths are checked against the guest's memory: an out-of-bounds buffer
//!   traps (`MemoryOutOfBounds`) where WasmEdge reads or writes outside the sandbox.
//! - `adler32(x, NULL, 0)` is 1 as in zlib (WasmEdge reads NULL as address 0).
//! - `crc32_combine` with a negative length gives 0xffffffff (zlib 1.2.13 never returns).
//! - gz paths stay inside the guest's preopens (WasmEdge opens host paths as given), and
//!   `gzdopen` returns NULL (WasmEdge passes the guest's descriptor number to the host's
//!   `gzdopen`, where it names a host descriptor).
//! - Custom allocators (`zalloc`, `zfree`, `opaque`) are ignored, as in WasmEdge; `msg` is
//!   cleared at init and reset and never set (WasmEdge never writes it).

#![forbid(unsafe_code)]

mod deflate;
mod errno;
mod gz;
mod gzfile;
mod history;
mod inflate;
mod replay;
mod state;
mod streamfunc;
mod utilfunc;
mod zstream;

pub use state::Zlib;

use streamfunc as s;
use utilfunc as u;
use wedge_plugin_sdk::{Module, Plugin, Version};

/// The plug-in's name, and its module's, as in WasmEdge.
pub const NAME: &str = "wasmedge_zlib";

/// Declares the plug-in.
#[must_use]
pub fn declare() -> Plugin {
    Plugin::new(NAME, Version::new(0, 10, 1, 0)).module(module())
}

/// The module, with WasmEdge's functions in WasmEdge's order.
#[must_use]
pub fn module() -> Module<Zlib> {
    Module::new(NAME, Zlib::default)
        .func("deflateInit", s::deflate_init_plain)
        .func("deflate", s::deflate)
        .func("deflateEnd", s::deflate_end)
        .func("inflateInit", s::inflate_init_plain)
        .func("inflate", s::inflate)
        .func("inflateEnd", s::inflate_end)
        .func("deflateInit2", s::deflate_init2)
        .func("deflateSetDictionary", s::deflate_set_dictionary)
        .func("deflateGetDictionary", s::deflate_get_dictionary)
        .func("deflateCopy", s::deflate_copy)
        .func("deflateReset", s::deflate_reset)
        .func("deflateParams", s::deflate_params)
        .func("deflateTune", s::deflate_tune)
        .func("deflateBound", s::deflate_bound)
        .func("deflatePending", s::deflate_pending)
        .func("deflatePrime", s::deflate_prime)
        .func("deflateSetHeader", s::deflate_set_header)
        .func("inflateInit2", s::inflate_init2)
        .func("inflateSetDictionary", s::inflate_set_dictionary)
        .func("inflateGetDictionary", s::inflate_get_dictionary)
        .func("inflateSync", s::inflate_sync)
        .func("inflateCopy", s::inflate_copy)
        .func("inflateReset", s::inflate_reset)
        .func("inflateReset2", s::inflate_reset2)
        .func("inflatePrime", s::inflate_prime)
        .func("inflateMark", s::inflate_mark)
        .func("inflateGetHeader", s::inflate_get_header)
        .func("inflateBackInit", s::inflate_back_init)
        .func("inflateBackEnd", s::inflate_back_end)
        .func("zlibCompileFlags", u::zlib_compile_flags)
        .func("compress", u::compress)
        .func("compress2", u::compress2)
        .func("compressBound", u::compress_bound)
        .func("uncompress", u::uncompress)
        .func("uncompress2", u::uncompress2)
        .func("gzopen", gz::gzopen)
        .func("gzdopen", gz::gzdopen)
        .func("gzbuffer", gz::gzbuffer)
        .func("gzsetparams", gz::gzsetparams)
        .func("gzread", gz::gzread)
        .func("gzfread", gz::gzfread)
        .func("gzwrite", gz::gzwrite)
        .func("gzfwrite", gz::gzfwrite)
        .func("gzputs", gz::gzputs)
        .func("gzputc", gz::gzputc)
        .func("gzgetc", gz::gzgetc)
        .func("gzungetc", gz::gzungetc)
        .func("gzflush", gz::gzflush)
        .func("gzseek", gz::gzseek)
        .func("gzrewind", gz::gzrewind)
        .func("gztell", gz::gztell)
        .func("gzoffset", gz::gzoffset)
        .func("gzeof", gz::gzeof)
        .func("gzdirect", gz::gzdirect)
        .func("gzclose", gz::gzclose)
        .func("gzclose_r", gz::gzclose_r)
        .func("gzclose_w", gz::gzclose_w)
        .func("gzclearerr", gz::gzclearerr)
        .func("adler32", u::adler32)
        .func("adler32_z", u::adler32)
        .func("adler32_combine", u::adler32_combine)
        .func("crc32", u::crc32)
        .func("crc32_z", u::crc32)
        .func("crc32_combine", u::crc32_combine)
        .func("deflateInit_", s::deflate_init_)
        .func("inflateInit_", s::inflate_init_)
        .func("deflateInit2_", s::deflate_init2_)
        .func("inflateInit2_", s::inflate_init2_)
        .func("inflateBackInit_", s::inflate_back_init_)
        .func("gzgetc_", gz::gzgetc)
        .func("inflateSyncPoint", s::inflate_sync_point)
        .func("inflateUndermine", s::inflate_undermine)
        .func("inflateValidate", s::inflate_validate)
        .func("inflateCodesUsed", s::inflate_codes_used)
        .func("inflateResetKeep", s::inflate_reset_keep)
        .func("deflateResetKeep", s::deflate_reset_keep)
}

wedge_plugin_sdk::plugin!(declare);

#[cfg(test)]
mod tests {
    use super::*;
    use wedge_plugin_sdk::Caller;

    /// WasmEdge 0.17.1's `zlibmodule.cpp`, in its order.
    const WASMEDGE: [&str; 76] = [
        "deflateInit",
        "deflate",
        "deflateEnd",
        "inflateInit",
        "inflate",
        "inflateEnd",
        "deflateInit2",
        "deflateSetDictionary",
        "deflateGetDictionary",
        "deflateCopy",
        "deflateReset",
        "deflateParams",
        "deflateTune",
        "deflateBound",
        "deflatePending",
        "deflatePrime",
        "deflateSetHeader",
        "inflateInit2",
        "inflateSetDictionary",
        "inflateGetDictionary",
        "inflateSync",
        "inflateCopy",
        "inflateReset",
        "inflateReset2",
        "inflatePrime",
        "inflateMark",
        "inflateGetHeader",
        "inflateBackInit",
        "inflateBackEnd",
        "zlibCompileFlags",
        "compress",
        "compress2",
        "compressBound",
        "uncompress",
        "uncompress2",
        "gzopen",
        "gzdopen",
        "gzbuffer",
        "gzsetparams",
        "gzread",
        "gzfread",
        "gzwrite",
        "gzfwrite",
        "gzputs",
        "gzputc",
        "gzgetc",
        "gzungetc",
        "gzflush",
        "gzseek",
        "gzrewind",
        "gztell",
        "gzoffset",
        "gzeof",
        "gzdirect",
        "gzclose",
        "gzclose_r",
        "gzclose_w",
        "gzclearerr",
        "adler32",
        "adler32_z",
        "adler32_combine",
        "crc32",
        "crc32_z",
        "crc32_combine",
        "deflateInit_",
        "inflateInit_",
        "deflateInit2_",
        "inflateInit2_",
        "inflateBackInit_",
        "gzgetc_",
        "inflateSyncPoint",
        "inflateUndermine",
        "inflateValidate",
        "inflateCodesUsed",
        "inflateResetKeep",
        "deflateResetKeep",
    ];

    #[test]
    fn the_module_has_wasmedges_76_functions_in_its_order() {
        let m = module();
        assert_eq!(m.func_names().collect::<Vec<_>>(), WASMEDGE);
        assert_eq!(declare().module_names().collect::<Vec<_>>(), [NAME]);
    }

    #[test]
    fn checksum_combines_and_bounds_are_zlibs() {
        let a = zlib_rs::adler32::adler32(1, b"1234");
        let b = zlib_rs::adler32::adler32(1, b"56789");
        assert_eq!(u::adler32_combine(a, b, 5) as u32, 0x091e_01de);
        let c = zlib_rs::crc32::crc32(0, b"1234");
        let d = zlib_rs::crc32::crc32(0, b"56789");
        assert_eq!(u::crc32_combine(c, d, 5) as u32, 0xcbf4_3926);
        assert_eq!(u::adler32_combine(a, b, -1), -1);
        assert_eq!(u::compress_bound(0), 13);
        assert_eq!(u::compress_bound(100_000), 100_043);
        assert_eq!(u::zlib_compile_flags(), 0xa9);
    }

    #[test]
    fn unknown_streams_and_files_are_zlibs_errors_without_a_guest() {
        let state = Zlib::default();
        let c = || Caller::detached(&state);
        assert_eq!(s::deflate_end(c(), 64), errno::Z_STREAM_ERROR);
        assert_eq!(s::inflate_end(c(), 64), errno::Z_STREAM_ERROR);
        assert_eq!(s::inflate_mark(c(), 64), -65536);
        assert_eq!(s::inflate_codes_used(c(), 64), -1);
        assert_eq!(gz::gzclose(c(), 8), errno::Z_STREAM_ERROR);
        assert_eq!(gz::gzgetc(c(), 8), -1);
        assert_eq!(gz::gzeof(c(), 8), 0);
        assert_eq!(gz::gzdopen(1, 0), 0);
        // Calls that need the guest's memory trap without one.
        assert!(s::deflate(c(), 64, 0).is_err());
        assert!(gz::gzopen(c(), 16, 32).is_err());
    }

    /// The native half of the cost figure (`zlib::guest_deflate_10_mib` in the end-to-end
    /// tests is the guest's): deflate of the guest's 10 MiB at level 6 in one call.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn native_deflate_10_mib() {
        let n = 10 << 20;
        let mut x: u32 = 12345;
        let text = b"the quick brown fox jumps over the lazy dog ";
        let src: Vec<u8> = (0..n)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                text[((x >> 16) % 44) as usize]
            })
            .collect();
        let mut out = vec![0u8; deflate::tight_len(n as u64) as usize];
        let start = std::time::Instant::now();
        let mut d = deflate::Deflater::new(deflate::Params::with_level(6).unwrap());
        let step = d.step(&src, &mut out, zlib_rs::DeflateFlush::Finish, &mut |_| None);
        eprintln!(
            "native: 10 MiB -> {} bytes, {}, {:?}",
            step.produced,
            step.code,
            start.elapsed()
        );
    }
}
