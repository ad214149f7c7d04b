//! SIMD (`v128`) in compiled code: values crossing every place a value can live, the operators
//! whose wasm rules differ from the hardware's, and bounds checks of the vector accesses.
//! The spec suites (`wedge-wast`, `jit_simd`) check every operator; these pin the edges.

use super::*;

fn lanes_f32(v: u128) -> [f32; 4] {
    std::array::from_fn(|i| f32::from_bits((v >> (32 * i)) as u32))
}

fn from_f32(l: [f32; 4]) -> u128 {
    l.iter()
        .enumerate()
        .fold(0, |acc, (i, f)| acc | (f.to_bits() as u128) << (32 * i))
}

fn from_i32(l: [i32; 4]) -> u128 {
    l.iter()
        .enumerate()
        .fold(0, |acc, (i, &x)| acc | (x as u32 as u128) << (32 * i))
}

fn lanes_i32(v: u128) -> [i32; 4] {
    std::array::from_fn(|i| (v >> (32 * i)) as u32 as i32)
}

const CANONICAL_NAN_F32: u32 = 0x7fc0_0000;

#[test]
fn v128_values_cross_params_results_locals_globals_blocks_calls_and_memory() {
    let mut i = instantiate(
        r#"(module
            (memory 1)
            (global $g (mut v128) (v128.const i32x4 1 2 3 4))
            (func $swap (param v128 v128) (result v128 v128) (local.get 1) (local.get 0))
            (func (export "swap") (param v128 v128) (result v128 v128)
                (call $swap (local.get 0) (local.get 1)))
            ;; Many v128 results: some come back through the implicit return area.
            (func (export "five") (param v128) (result v128 v128 v128 v128 v128)
                (local.get 0) (local.get 0) (local.get 0) (local.get 0) (local.get 0))
            (func (export "global_add") (param v128) (result v128)
                (global.set $g (i32x4.add (global.get $g) (local.get 0)))
                (global.get $g))
            (func (export "local_zero") (result v128) (local v128) (local.get 0))
            (func (export "select") (param v128 v128 i32) (result v128)
                (select (local.get 0) (local.get 1) (local.get 2)))
            ;; A loop carrying a v128 (as f32x4) through its parameter.
            (func (export "sum_loop") (param v128 i32) (result v128)
                (local.get 0)
                (loop (param v128) (result v128)
                    (f32x4.add (f32x4.splat (f32.const 1)))
                    (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
                    (br_if 0 (local.get 1))))
            (func (export "store_load") (param i32 v128) (result v128)
                (v128.store offset=3 (local.get 0) (local.get 1))
                (v128.load offset=3 (local.get 0)))
            (func (export "bytes") (param i32) (result i32 i32)
                (i32.load8_u (local.get 0)) (i32.load8_u offset=15 (local.get 0)))
            (func (export "lanes") (param v128) (result i32 i64 f32 i32)
                (i8x16.extract_lane_s 15 (local.get 0))
                (i64x2.extract_lane 1 (local.get 0))
                (f32x4.extract_lane 2 (local.get 0))
                (i16x8.extract_lane_u 0 (local.get 0)))
        )"#,
        &[],
    );
    let a = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100_u128;
    let b = u128::MAX - 7;
    assert_eq!(i.call_raw("swap", &[a, b]), Ok(vec![b, a]));
    assert_eq!(i.call_raw("five", &[a]), Ok(vec![a; 5]));
    assert_eq!(
        i.call_raw("global_add", &[from_i32([10, 20, 30, -4])]),
        Ok(vec![from_i32([11, 22, 33, 0])])
    );
    assert_eq!(
        i.call_raw("global_add", &[from_i32([1, 1, 1, 1])]),
        Ok(vec![from_i32([12, 23, 34, 1])])
    );
    assert_eq!(i.call_raw("local_zero", &[]), Ok(vec![0]));
    assert_eq!(i.call_raw("select", &[a, b, 1]), Ok(vec![a]));
    assert_eq!(i.call_raw("select", &[a, b, 0]), Ok(vec![b]));
    let r = i
        .call_raw("sum_loop", &[from_f32([0.5, -1.0, 2.0, 0.0]), 3])
        .unwrap();
    assert_eq!(lanes_f32(r[0]), [3.5, 2.0, 5.0, 3.0]);
    assert_eq!(i.call_raw("store_load", &[100, a]), Ok(vec![a]));
    // Lane 0 is the lowest address, as in wasm memory.
    assert_eq!(i.call_raw("bytes", &[103]), Ok(vec![0x00, 0x0f]));
    let v = from_f32([0.0, 0.0, 1.5, 0.0]) | 0xff << 120 | 0xbeef;
    let r = i.call_raw("lanes", &[v]).unwrap();
    assert_eq!(r[0] as u32 as i32, -1);
    assert_eq!(r[1] as u64, (v >> 64) as u64);
    assert_eq!(f32::from_bits(r[2] as u32), 1.5);
    assert_eq!(r[3] as u32, 0xbeef);
}

#[test]
fn float_min_max_and_conversions_follow_wasm_rules_not_the_hardwares() {
    let mut i = instantiate(
        r#"(module
            (func (export "min") (param v128 v128) (result v128) (f32x4.min (local.get 0) (local.get 1)))
            (func (export "max") (param v128 v128) (result v128) (f32x4.max (local.get 0) (local.get 1)))
            (func (export "pmin") (param v128 v128) (result v128) (f32x4.pmin (local.get 0) (local.get 1)))
            (func (export "pmax") (param v128 v128) (result v128) (f32x4.pmax (local.get 0) (local.get 1)))
            (func (export "trunc_sat_s") (param v128) (result v128) (i32x4.trunc_sat_f32x4_s (local.get 0)))
            (func (export "trunc_sat_u") (param v128) (result v128) (i32x4.trunc_sat_f32x4_u (local.get 0)))
            (func (export "trunc_sat_f64_u") (param f64 f64) (result v128)
                (i32x4.trunc_sat_f64x2_u_zero
                    (f64x2.replace_lane 1 (f64x2.splat (local.get 0)) (local.get 1))))
            (func (export "nearest") (param v128) (result v128) (f32x4.nearest (local.get 0)))
            (func (export "q15mulr") (param i32 i32) (result i32)
                (i16x8.extract_lane_s 3
                    (i16x8.q15mulr_sat_s (i16x8.splat (local.get 0)) (i16x8.splat (local.get 1)))))
            (func (export "narrow_u") (param i32) (result i32)
                (i8x16.extract_lane_u 9 (i8x16.narrow_i16x8_u (i16x8.splat (local.get 0))
                                                               (i16x8.splat (local.get 0)))))
            (func (export "swizzle") (param v128 v128) (result v128) (i8x16.swizzle (local.get 0) (local.get 1)))
            (func (export "bitmask") (param v128) (result i32) (i8x16.bitmask (local.get 0)))
            (func (export "all_true") (param v128) (result i32) (i32x4.all_true (local.get 0)))
            (func (export "shl") (param v128 i32) (result v128) (i32x4.shl (local.get 0) (local.get 1)))
        )"#,
        &[],
    );
    let nan = f32::from_bits(0x7fa0_0001); // a NaN with a payload
    let x = from_f32([nan, -0.0, 1.0, 0.0]);
    let y = from_f32([1.0, 0.0, nan, -0.0]);
    for op in ["min", "max"] {
        let r = lanes_f32(i.call_raw(op, &[x, y]).unwrap()[0]);
        // NaN in, NaN out; -0 < +0.
        assert!(r[0].is_nan() && r[2].is_nan(), "{op}: {r:?}");
        let zeros = [r[1].to_bits(), r[3].to_bits()];
        if op == "min" {
            assert_eq!(zeros, [0x8000_0000; 2], "{op}");
        } else {
            assert_eq!(zeros, [0; 2], "{op}");
        }
    }
    // An arithmetic NaN (quiet bit set), as wasm requires: x86-64 gives the canonical NaN,
    // aarch64 the input's payload, quieted.
    let r = i.call_raw("min", &[x, y]).unwrap()[0];
    assert!(f32::from_bits(r as u32).is_nan());
    assert_ne!((r as u32) & 0x0040_0000, 0, "{:#x}", r as u32);
    if cfg!(target_arch = "x86_64") {
        assert_eq!((r as u32) & 0x7fff_ffff, CANONICAL_NAN_F32);
    }
    // pmin(a, b) = b < a ? b : a; pmax(a, b) = a < b ? b : a: NaN and zero pass `a` through.
    let r = lanes_f32(i.call_raw("pmin", &[x, y]).unwrap()[0]);
    assert_eq!(r[0].to_bits(), nan.to_bits());
    assert_eq!(r[1].to_bits(), (-0.0f32).to_bits());
    assert_eq!(r[2], 1.0);
    let r = lanes_f32(i.call_raw("pmax", &[x, y]).unwrap()[0]);
    assert_eq!(r[0].to_bits(), nan.to_bits());
    assert_eq!(r[2], 1.0);
    // Saturating conversions: NaN to 0, out-of-range values to the bounds.
    let f = from_f32([nan, 5e9, -3e9, -1.9]);
    assert_eq!(
        lanes_i32(i.call_raw("trunc_sat_s", &[f]).unwrap()[0]),
        [0, i32::MAX, i32::MIN, -1]
    );
    assert_eq!(
        lanes_i32(i.call_raw("trunc_sat_u", &[f]).unwrap()[0]),
        [0, -1, 0, 0]
    );
    let r = i
        .call_raw(
            "trunc_sat_f64_u",
            &[f64::NAN.to_bits() as u128, 5e9f64.to_bits() as u128],
        )
        .unwrap()[0];
    assert_eq!(lanes_i32(r), [0, -1, 0, 0]);
    let r = i
        .call_raw(
            "trunc_sat_f64_u",
            &[7.9f64.to_bits() as u128, (-7.9f64).to_bits() as u128],
        )
        .unwrap()[0];
    assert_eq!(lanes_i32(r), [7, 0, 0, 0]);
    // Ties to even.
    let r = i
        .call_raw("nearest", &[from_f32([0.5, 1.5, 2.5, -0.5])])
        .unwrap()[0];
    assert_eq!(
        lanes_f32(r).map(f32::to_bits),
        [0.0f32, 2.0, 2.0, -0.0].map(f32::to_bits)
    );
    // The only overflow of q15mulr, -1 * -1 in Q15, saturates.
    assert_eq!(i.call_i32("q15mulr", &[-0x8000, -0x8000]), Ok(0x7fff));
    assert_eq!(i.call_i32("q15mulr", &[0x4000, 0x4000]), Ok(0x2000));
    // Narrowing saturates signed input to the unsigned range.
    assert_eq!(i.call_i32("narrow_u", &[-5]), Ok(0));
    assert_eq!(i.call_i32("narrow_u", &[300]), Ok(255));
    // Indices past 15 select 0.
    let table = 0x1f1e_1d1c_1b1a_1918_1716_1514_1312_1110_u128;
    let idx = u128::MAX << 32 | 0x01_10_ff_0f;
    assert_eq!(
        i.call_raw("swizzle", &[table, idx]),
        Ok(vec![0x11_00_00_1f])
    );
    assert_eq!(
        i.call_raw("bitmask", &[0x80 | 0x80 << 120]),
        Ok(vec![0x8001])
    );
    assert_eq!(
        i.call_raw("all_true", &[from_i32([1, -1, 2, 0x100])]),
        Ok(vec![1])
    );
    assert_eq!(
        i.call_raw("all_true", &[from_i32([1, -1, 0, 0x100])]),
        Ok(vec![0])
    );
    // Shift counts are taken modulo the lane width.
    assert_eq!(
        i.call_raw("shl", &[from_i32([1, 2, 3, 4]), 33]),
        Ok(vec![from_i32([2, 4, 6, 8])])
    );
}

#[test]
fn vector_accesses_are_bounds_checked_to_their_last_byte() {
    let mut i = instantiate(
        r#"(module
            (memory 1)
            (func (export "load") (param i32) (result v128) (v128.load (local.get 0)))
            (func (export "load_lane") (param i32) (result v128)
                (v128.load64_lane 1 (local.get 0) (v128.const i64x2 -1 -1)))
            (func (export "store_lane") (param i32 v128) (v128.store32_lane 3 (local.get 0) (local.get 1)))
            (func (export "load_splat") (param i32) (result v128) (v128.load16_splat (local.get 0)))
            (func (export "load_zero") (param i32) (result v128) (v128.load32_zero (local.get 0)))
            (func (export "load_extend") (param i32) (result v128) (v128.load8x8_s (local.get 0)))
            (func (export "i32") (param i32) (result i32) (i32.load (local.get 0)))
        )"#,
        &[],
    );
    let end = 65536;
    assert_eq!(i.call_raw("load", &[end - 16]), Ok(vec![0]));
    assert_eq!(
        i.call_raw("load", &[end - 15]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(
        i.call_raw("load", &[u32::MAX as u128]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(
        i.call_raw("load_lane", &[end - 8]),
        Ok(vec![u64::MAX as u128])
    );
    assert_eq!(
        i.call_raw("load_lane", &[end - 7]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(
        i.call_raw("load_splat", &[end - 1]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(
        i.call_raw("load_zero", &[end - 3]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(
        i.call_raw("load_extend", &[end - 7]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    let v = from_i32([1, 2, 3, -2]);
    assert_eq!(
        i.call_raw("store_lane", &[end - 3, v]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(i.call_raw("store_lane", &[end - 4, v]), Ok(vec![]));
    assert_eq!(i.call_i32("i32", &[end as i32 - 4]), Ok(-2));
    // Lane 3 went to the right place and nothing else was written.
    assert_eq!(i.call_i32("i32", &[end as i32 - 8]), Ok(0));
    // Sign extension of the 8 loaded bytes; the splat and zero-extension of narrower loads.
    assert_eq!(
        i.call_raw("load_extend", &[end - 8]),
        Ok(vec![0xffff_ffff_ffff_fffe_u128 << 64])
    );
    assert_eq!(
        i.call_raw("load_zero", &[end - 4]),
        Ok(vec![(-2i32) as u32 as u128])
    );
    assert_eq!(
        i.call_raw("load_splat", &[end - 2]),
        Ok(vec![from_i32([-1; 4])])
    );
}

#[test]
fn simd_for_the_baseline_cpu_matches_the_host_cpu() {
    // On x86-64 the baseline CPU has no SSSE3 (shuffles go through memory) and no SSE4.1
    // (rounding calls helpers): the results must be the same bits.
    const WAT: &str = r#"(module
        (func (export "shuffle") (param v128 v128) (result v128)
            (i8x16.shuffle 31 0 17 2 16 15 14 13 12 11 10 9 8 7 6 5 (local.get 0) (local.get 1)))
        (func (export "swizzle") (param v128 v128) (result v128)
            (i8x16.swizzle (local.get 0) (local.get 1)))
        ;; Two in one function, sharing the scratch slot.
        (func (export "both") (param v128 v128) (result v128)
            (i8x16.swizzle
                (i8x16.shuffle 1 0 3 2 5 4 7 6 9 8 11 10 13 12 15 14 (local.get 0) (local.get 1))
                (i8x16.shuffle 0 0 1 1 2 2 3 3 4 4 5 5 6 6 7 7 (local.get 1) (local.get 0))))
        (func (export "ceil") (param v128 v128) (result v128) (f32x4.ceil (local.get 0)))
        (func (export "floor") (param v128 v128) (result v128) (f64x2.floor (local.get 0)))
        (func (export "trunc") (param v128 v128) (result v128) (f32x4.trunc (local.get 0)))
        (func (export "nearest") (param v128 v128) (result v128) (f64x2.nearest (local.get 0)))
    )"#;
    let mut host = instantiate(WAT, &[]);
    let mut generic = instantiate_compiled(WAT, &[], &test_libcalls(), &super::generic_compiler());
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut inputs = vec![
        // Swizzle indices: in range, past 15, negative as i8.
        from_i32([0x0010_ff0f, 0x0102_0380, 0x1f20_0e0d, 0x0706_0504]),
        from_f32([f32::from_bits(0x7f80_0001), -0.5, 2.5, -1.5e9]),
        (0x7ff0_0000_0000_0001u128 << 64) | (-2.5f64).to_bits() as u128,
    ];
    for _ in 0..64 {
        // Small bytes as well, so swizzle indices are often in range.
        let x = (next() as u128) << 64 | next() as u128;
        inputs.push(x);
        inputs.push(x & 0x1f1f_1f1f_1f1f_1f1f_1f1f_1f1f_1f1f_1f1f);
    }
    for f in [
        "shuffle", "swizzle", "both", "ceil", "floor", "trunc", "nearest",
    ] {
        for (k, &a) in inputs.iter().enumerate() {
            let b = inputs[(k * 7 + 3) % inputs.len()];
            assert_eq!(
                generic.call_raw(f, &[a, b]),
                host.call_raw(f, &[a, b]),
                "{f}({a:#x}, {b:#x})"
            );
        }
    }
    // And the host's answers are wasm's.
    let a = u128::from_le_bytes(std::array::from_fn(|i| 0x10 + i as u8));
    let b = u128::from_le_bytes(std::array::from_fn(|i| 0x20 + i as u8));
    let lanes = [31u8, 0, 17, 2, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5];
    let expected = u128::from_le_bytes(lanes.map(|l| 0x10 + l));
    assert_eq!(generic.call_raw("shuffle", &[a, b]), Ok(vec![expected]));
    let idx = u128::from_le_bytes([15, 0, 16, 255, 128, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    let expected = u128::from_le_bytes([
        0x1f, 0x10, 0, 0, 0, 0x13, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
    ]);
    assert_eq!(generic.call_raw("swizzle", &[a, idx]), Ok(vec![expected]));
}
