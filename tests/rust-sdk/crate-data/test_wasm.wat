;; Our own stand-in for the SDK repository's `test-wasm` crate (Rust compiled for
;; wasm32-unknown-unknown), which wasmedge-sdk 0.17.1's tests/integration_test.rs loads from
;; test-wasm/target/wasm32-unknown-unknown/release/test_wasm.wasm and otherwise skips. Written
;; from the functions and results those tests call for; scripts/rust-sdk.sh crate-tests
;; copies test_wasm.wasm there. Rebuild with any wat-to-wasm assembler (the committed one was
;; made with the `wat` crate, 1.x).
(module
  ;; arithmetic
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "subtract") (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
  (func (export "multiply") (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1)))
  (func (export "divide") (param i32 i32) (result i32)
    (if (result i32) (i32.eqz (local.get 1))
      (then (i32.const 0))
      (else (i32.div_s (local.get 0) (local.get 1)))))
  (func (export "modulo") (param i32 i32) (result i32)
    (if (result i32) (i32.eqz (local.get 1))
      (then (i32.const 0))
      (else (i32.rem_s (local.get 0) (local.get 1)))))
  (func (export "add_i64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "multiply_i64") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
  (func (export "add_f32") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
  (func (export "multiply_f32") (param f32 f32) (result f32) (f32.mul (local.get 0) (local.get 1)))
  (func (export "add_f64") (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1)))
  (func (export "multiply_f64") (param f64 f64) (result f64) (f64.mul (local.get 0) (local.get 1)))
  (func (export "sqrt_f64") (param f64) (result f64) (f64.sqrt (local.get 0)))
  ;; base^exp for a whole exponent (negative: 1 / base^-exp)
  (func $powi (param $b f64) (param $e i32) (result f64)
    (local $r f64) (local $n i32)
    (local.set $r (f64.const 1))
    (local.set $n (select (i32.sub (i32.const 0) (local.get $e)) (local.get $e)
                          (i32.lt_s (local.get $e) (i32.const 0))))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $r (f64.mul (local.get $r) (local.get $b)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (select (f64.div (f64.const 1) (local.get $r)) (local.get $r)
            (i32.lt_s (local.get $e) (i32.const 0))))
  (func (export "pow_f64") (param f64 f64) (result f64)
    (call $powi (local.get 0) (i32.trunc_f64_s (local.get 1))))

  ;; recursion and loops
  (func $factorial (export "factorial") (param $n i32) (result i64)
    (if (result i64) (i32.le_s (local.get $n) (i32.const 1))
      (then (i64.const 1))
      (else (i64.mul (i64.extend_i32_s (local.get $n))
                     (call $factorial (i32.sub (local.get $n) (i32.const 1)))))))
  (func $fibonacci (export "fibonacci") (param $n i32) (result i64)
    (if (result i64) (i32.lt_s (local.get $n) (i32.const 2))
      (then (i64.extend_i32_s (local.get $n)))
      (else (i64.add (call $fibonacci (i32.sub (local.get $n) (i32.const 1)))
                     (call $fibonacci (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "fibonacci_iter") (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (local.set $t (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $a))

  ;; bits and comparisons
  (func (export "bitwise_and") (param i32 i32) (result i32) (i32.and (local.get 0) (local.get 1)))
  (func (export "bitwise_or") (param i32 i32) (result i32) (i32.or (local.get 0) (local.get 1)))
  (func (export "bitwise_xor") (param i32 i32) (result i32) (i32.xor (local.get 0) (local.get 1)))
  (func (export "bitwise_not") (param i32) (result i32) (i32.xor (local.get 0) (i32.const -1)))
  (func (export "shift_left") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
  (func (export "shift_right") (param i32 i32) (result i32) (i32.shr_s (local.get 0) (local.get 1)))
  (func (export "greater_than") (param i32 i32) (result i32) (i32.gt_s (local.get 0) (local.get 1)))
  (func (export "less_than") (param i32 i32) (result i32) (i32.lt_s (local.get 0) (local.get 1)))
  (func (export "equals") (param i32 i32) (result i32) (i32.eq (local.get 0) (local.get 1)))
  (func $max (export "max") (param i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (i32.gt_s (local.get 0) (local.get 1))))
  (func $min (export "min") (param i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (i32.lt_s (local.get 0) (local.get 1))))
  (func (export "clamp") (param $v i32) (param $lo i32) (param $hi i32) (result i32)
    (call $min (call $max (local.get $v) (local.get $lo)) (local.get $hi)))
  (func (export "abs") (param i32) (result i32)
    (select (i32.sub (i32.const 0) (local.get 0)) (local.get 0)
            (i32.lt_s (local.get 0) (i32.const 0))))
  (func (export "abs_f64") (param f64) (result f64) (f64.abs (local.get 0)))

  ;; number theory and digits
  (func (export "is_prime") (param $n i32) (result i32)
    (local $d i32)
    (if (i32.lt_s (local.get $n) (i32.const 2)) (then (return (i32.const 0))))
    (local.set $d (i32.const 2))
    (block $done
      (loop $next
        (br_if $done (i32.gt_s (i32.mul (local.get $d) (local.get $d)) (local.get $n)))
        (if (i32.eqz (i32.rem_s (local.get $n) (local.get $d))) (then (return (i32.const 0))))
        (local.set $d (i32.add (local.get $d) (i32.const 1)))
        (br $next)))
    (i32.const 1))
  (func $gcd (export "gcd") (param $a i32) (param $b i32) (result i32)
    (local $t i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $b)))
        (local.set $t (i32.rem_s (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (br $next)))
    (local.get $a))
  (func (export "lcm") (param $a i32) (param $b i32) (result i32)
    (i32.mul (i32.div_s (local.get $a) (call $gcd (local.get $a) (local.get $b))) (local.get $b)))
  (func (export "sum_of_digits") (param $n i32) (result i32)
    (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.rem_s (local.get $n) (i32.const 10))))
        (local.set $n (i32.div_s (local.get $n) (i32.const 10)))
        (br $next)))
    (local.get $s))
  (func (export "count_digits") (param $n i32) (result i32)
    (local $c i32)
    (local.set $c (i32.const 1))
    (block $done
      (loop $next
        (local.set $n (i32.div_s (local.get $n) (i32.const 10)))
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $next)))
    (local.get $c))
  (func $reverse (export "reverse_number") (param $n i32) (result i32)
    (local $r i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $r (i32.add (i32.mul (local.get $r) (i32.const 10))
                               (i32.rem_s (local.get $n) (i32.const 10))))
        (local.set $n (i32.div_s (local.get $n) (i32.const 10)))
        (br $next)))
    (local.get $r))
  (func (export "is_palindrome") (param i32) (result i32)
    (i32.eq (local.get 0) (call $reverse (local.get 0))))

  ;; sums
  (func $sum_natural (export "sum_natural") (param $n i32) (result i64)
    (local $s i64) (local $i i64)
    (block $done
      (loop $next
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br_if $done (i64.gt_s (local.get $i) (i64.extend_i32_s (local.get $n))))
        (local.set $s (i64.add (local.get $s) (local.get $i)))
        (br $next)))
    (local.get $s))
  (func (export "sum_squares") (param $n i32) (result i64)
    (local $s i64) (local $i i64)
    (block $done
      (loop $next
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br_if $done (i64.gt_s (local.get $i) (i64.extend_i32_s (local.get $n))))
        (local.set $s (i64.add (local.get $s) (i64.mul (local.get $i) (local.get $i))))
        (br $next)))
    (local.get $s))
  (func (export "sum_cubes") (param $n i32) (result i64)
    (local $s i64) (local $i i64)
    (block $done
      (loop $next
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br_if $done (i64.gt_s (local.get $i) (i64.extend_i32_s (local.get $n))))
        (local.set $s (i64.add (local.get $s)
                               (i64.mul (local.get $i) (i64.mul (local.get $i) (local.get $i)))))
        (br $next)))
    (local.get $s))
  (func (export "triangular_number") (param $n i32) (result i64)
    (i64.div_s (i64.mul (i64.extend_i32_s (local.get $n))
                        (i64.add (i64.extend_i32_s (local.get $n)) (i64.const 1)))
               (i64.const 2)))
  (func (export "power_of_two") (param $n i32) (result i64)
    (i64.shl (i64.const 1) (i64.extend_i32_s (local.get $n))))

  ;; conversions
  (func (export "i32_to_i64") (param i32) (result i64) (i64.extend_i32_s (local.get 0)))
  (func (export "i64_to_i32") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
  (func (export "f32_to_i32") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
  (func (export "i32_to_f32") (param i32) (result f32) (f32.convert_i32_s (local.get 0)))
  (func (export "f64_to_i64") (param f64) (result i64) (i64.trunc_sat_f64_s (local.get 0)))
  (func (export "i64_to_f64") (param i64) (result f64) (f64.convert_i64_s (local.get 0)))

  ;; formulas
  (func (export "compound_interest") (param $p f64) (param $r f64) (param $n i32) (result f64)
    (f64.mul (local.get $p) (call $powi (f64.add (f64.const 1) (local.get $r)) (local.get $n))))
  (func $hypotenuse (export "hypotenuse") (param f64 f64) (result f64)
    (f64.sqrt (f64.add (f64.mul (local.get 0) (local.get 0)) (f64.mul (local.get 1) (local.get 1)))))
  (func (export "distance_2d") (param $x1 f64) (param $y1 f64) (param $x2 f64) (param $y2 f64) (result f64)
    (call $hypotenuse (f64.sub (local.get $x2) (local.get $x1)) (f64.sub (local.get $y2) (local.get $y1))))
  (func (export "circle_area") (param $r f64) (result f64)
    (f64.mul (f64.const 3.141592653589793) (f64.mul (local.get $r) (local.get $r))))
  (func (export "circle_circumference") (param $r f64) (result f64)
    (f64.mul (f64.mul (f64.const 2) (f64.const 3.141592653589793)) (local.get $r)))
  (func (export "quadratic_discriminant") (param $a f64) (param $b f64) (param $c f64) (result f64)
    (f64.sub (f64.mul (local.get $b) (local.get $b))
             (f64.mul (f64.const 4) (f64.mul (local.get $a) (local.get $c))))))
