;; The example module shipped with Wedge: Fibonacci numbers, two ways.
;;
;;   cargo run --release -p wedge-cli -- run --reactor examples/fib.wasm fib 20      # 6765
;;   cargo run --release -p wedge-cli -- run --reactor examples/fib.wasm fib_i64 90  # 2880067194370816120
;;
;; fib.wasm is this file assembled by the `wat` crate; the CLI test
;; `example_wasm_matches_its_source` checks that, and BLESS=1 rewrites it.
(module
  ;; fib(n) by the doubly recursive definition: lots of calls, a good interpreter workout.
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (i32.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  ;; fib(n) with a loop and 64-bit arithmetic (exact up to n = 92).
  (func (export "fib_i64") (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $t (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $a))
)
