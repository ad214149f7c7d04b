;; Source of test.wasm, the valid module wasmedge-sys 0.21.1's validator and loader unit tests
;; read from examples/wasmedge-sys/data/test.wasm (config with reference types). Rebuild with
;; any wat-to-wasm assembler (the committed one was made with the `wat` crate, 1.x).
(module
  (type $binop (func (param i32 i32) (result i32)))
  (table $fns 2 funcref)
  (table $refs 1 externref)
  (memory (export "memory") 1)
  (global $calls (export "calls") (mut i32) (i32.const 0))
  (elem (table $fns) (i32.const 0) func $add $sub)
  (func $add (export "add") (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (export "sub") (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func (export "apply") (param $which i32) (param i32 i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (call_indirect $fns (type $binop) (local.get 1) (local.get 2) (local.get $which)))
  (func (export "keep") (param externref)
    (table.set $refs (i32.const 0) (local.get 0)))
  (func (export "is_null") (param funcref) (result i32)
    (ref.is_null (local.get 0))))
