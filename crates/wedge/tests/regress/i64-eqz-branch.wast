;; `i64.eqz` fused with a branch must test all 64 bits of its operand. The interpreter once fused
;; `i64.eqz; br_if` into a branch that read only the low 32 bits, so `br_if (i64.eqz 1 << 32)`
;; branched: compiler-rt's 128-bit multiply overflow check then saw overflow in 0 * 10^9 and
;; wasi-libc's `usleep` slept for ~2^64 ns.
(module
  (func (export "br_if_eqz") (param i64) (result i32)
    (block
      (br_if 0 (i64.eqz (local.get 0)))
      (return (i32.const 1)))
    (i32.const 0))
  (func (export "if_eqz") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.const 1))))
  (func (export "br_if_not_eqz") (param i64) (result i32)
    ;; `i64.eqz; i32.eqz; br_if`: the second eqz is fused, the first computes a value.
    (block
      (br_if 0 (i32.eqz (i64.eqz (local.get 0))))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "ref_is_null_branch") (param externref) (result i32)
    (block
      (br_if 0 (ref.is_null (local.get 0)))
      (return (i32.const 1)))
    (i32.const 0))
)
(assert_return (invoke "br_if_eqz" (i64.const 0)) (i32.const 0))
(assert_return (invoke "br_if_eqz" (i64.const 1)) (i32.const 1))
(assert_return (invoke "br_if_eqz" (i64.const 0x1_0000_0000)) (i32.const 1))
(assert_return (invoke "br_if_eqz" (i64.const 0x8000_0000_0000_0000)) (i32.const 1))
(assert_return (invoke "if_eqz" (i64.const 0)) (i32.const 0))
(assert_return (invoke "if_eqz" (i64.const 0x1_0000_0000)) (i32.const 1))
(assert_return (invoke "if_eqz" (i64.const -1)) (i32.const 1))
(assert_return (invoke "br_if_not_eqz" (i64.const 0)) (i32.const 0))
(assert_return (invoke "br_if_not_eqz" (i64.const 0x1_0000_0000)) (i32.const 1))
(assert_return (invoke "ref_is_null_branch" (ref.null extern)) (i32.const 0))
(assert_return (invoke "ref_is_null_branch" (ref.extern 1)) (i32.const 1))
