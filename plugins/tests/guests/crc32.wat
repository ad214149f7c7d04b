;; A reactor that calls wasmedge_zlib's crc32 on "123456789" (expected 0xCBF43926).
(module
  (import "wasmedge_zlib" "crc32" (func $crc32 (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "123456789")
  (func (export "crc") (result i32)
    (call $crc32 (i32.const 0) (i32.const 16) (i32.const 9))))
