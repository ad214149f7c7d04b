;; fib(n) with fib(0) = fib(1) = 1, so fib(10) = 89: the numbering WasmEdge's Rust SDK tests use.
;; Used by tests/sdk (Module::from_file on a .wat) and, copied to
;; examples/wasmedge-sys/data/fibonacci.wat, by the SDK crates' own unit tests
;; (scripts/rust-sdk.sh crate-tests).
(module
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $n) (i32.const 2))
      (then (i32.const 1))
      (else
        (i32.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2))))))))
