;; Found by fuzz/load. A `try_table` (exception handling, which Wedge does not run yet) in dead
;; code: the translator skips dead operators but counted only `block`, `loop` and `if` as
;; blocks, so the `try_table`'s `end` closed the enclosing block and the translator's operand
;; stack underflowed (a panic). Dead code is skipped whatever blocks it holds, as compiled
;; code skips it, so every tier traps at the `unreachable`. Runs with the exception-handling
;; proposal on (`EXTRA_FEATURES` in wedge-wast's spec tests).
(module
  (func (export "f")
    block
      unreachable
      try_table (result f64) (catch_all 0)
        f64.const 0
      end
      drop
    end))
(assert_trap (invoke "f") "unreachable")

;; A dead `try_table` holding a block, after a branch.
(module
  (func (export "nested") (result i32)
    (block (result i32)
      (br 0 (i32.const 7))
      block
        try_table (catch_all 0)
          block
          end
        end
      end
      i32.const 8)))
(assert_return (invoke "nested") (i32.const 7))
