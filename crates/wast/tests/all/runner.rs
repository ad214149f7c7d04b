//! The runner on small scripts: what it counts as passed, failed and skipped.

use wedge::Config;
use wedge_wast::{ErrorKind, Report, WastRunner, run_file};

fn run(script: &str) -> Report {
    WastRunner::new(&Config::default())
        .run("test.wast", script)
        .expect("the script parses")
}

#[test]
fn every_directive_kind_passes_when_its_assertion_holds() {
    let script = r#"
(module $A
  (global (export "g") i32 (i32.const 7))
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "nan") (result f32) f32.const 0 f32.const 0 f32.div)
  (func (export "trap") unreachable)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "id") (param externref) (result externref) local.get 0)
  (func (export "v") (result v128) v128.const i32x4 1 2 3 4)
  (func $f (export "self") (result funcref) ref.func $f)
  (func $r (export "rec") call $r)
)
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (invoke "nan") (either (f32.const 1) (f32.const nan:arithmetic)))
(assert_return (get "g") (i32.const 7))
(assert_return (invoke "v") (v128.const i32x4 1 2 3 4))
(assert_return (invoke "v") (v128.const i16x8 1 0 2 0 3 0 4 0))
(assert_return (invoke "id" (ref.extern 5)) (ref.extern 5))
(assert_return (invoke "id" (ref.null extern)) (ref.null extern))
(assert_return (invoke "self") (ref.func))
(assert_trap (invoke "trap") "unreachable")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_exhaustion (invoke "rec") "call stack exhausted")
(invoke "add" (i32.const 0) (i32.const 0))
(register "A" $A)
(module $B
  (import "A" "add" (func $add (param i32 i32) (result i32)))
  (import "spectest" "global_i32" (global $g i32))
  (import "spectest" "print_i32" (func (param i32)))
  (import "spectest" "memory" (memory 1))
  (import "spectest" "table" (table 10 funcref))
  (func (export "x") (result i32) (call $add (global.get $g) (i32.const 1))))
(assert_return (invoke "x") (i32.const 667))
(assert_return (invoke $A "add" (i32.const 2) (i32.const 2)) (i32.const 4))
(assert_invalid (module (func (result i32) i64.const 0)) "type mismatch")
(assert_malformed (module quote "(func (i32.const))") "unexpected token")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_unlinkable (module (import "A" "nope" (func))) "unknown import")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(module definition $D (func (export "one") (result i32) i32.const 1))
(module instance $I $D)
(assert_return (invoke $I "one") (i32.const 1))
"#;
    let report = run(script);
    assert!(report.failures.is_empty(), "{report}");
    assert_eq!(
        (report.passed, report.failed, report.skipped),
        (26, 0, 0),
        "{report}"
    );
}

#[test]
fn wrong_expectations_are_failures_with_their_location() {
    let script = r#"(module
  (func (export "one") (result i32) i32.const 1)
  (func (export "f") (result f32) f32.const 1)
  (func (export "trap") unreachable))
(assert_return (invoke "one") (i32.const 2))
(assert_return (invoke "f") (f32.const nan:arithmetic))
(assert_trap (invoke "one") "unreachable")
(assert_trap (invoke "trap") "integer overflow")
(assert_invalid (module (func)) "type mismatch")
(assert_return (invoke "missing"))
(assert_malformed (module quote "(func)") "unexpected token")
(assert_unlinkable (module (func)) "unknown import")
"#;
    let report = run(script);
    assert_eq!(
        (report.passed, report.failed, report.skipped),
        (1, 8, 0),
        "{report}"
    );
    let lines: Vec<usize> = report.failures.iter().map(|f| f.line).collect();
    assert_eq!(lines, [5, 6, 7, 8, 9, 10, 11, 12]);
    let first = &report.failures[0];
    assert_eq!(
        (first.directive, first.column),
        ("assert_return", 2),
        "the column of the keyword"
    );
    assert!(
        first.message.contains("expected i32:2") && first.message.contains("got i32:1"),
        "{first}"
    );
    assert!(
        report.failures[1].message.contains("nan:arithmetic"),
        "{}",
        report.failures[1]
    );
    assert!(
        report.failures[3].message.contains("\"unreachable\""),
        "{}",
        report.failures[3]
    );
    assert!(
        report
            .to_string()
            .starts_with("test.wast: 1 passed, 8 failed, 0 skipped\n  test.wast:5:2: ")
    );
}

#[test]
fn out_of_scope_directives_are_skipped_not_passed() {
    let script = r#"(module (func (export "one") (result i32) i32.const 1))
(assert_exception (invoke "one"))
(assert_return (invoke "one") (ref.i31))
"#;
    let report = run(script);
    assert_eq!(
        (report.passed, report.failed, report.skipped),
        (1, 0, 2),
        "{report}"
    );
    assert_eq!(report.skips[0].directive, "assert_exception");
    assert!(report.is_success());
}

#[test]
fn a_malformed_script_is_an_error_with_its_location() {
    let err = WastRunner::new(&Config::default())
        .run("bad.wast", "(module)\n(assert_return (invoke \"f\"")
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Parse { line: 2, .. }),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("bad.wast:2:"), "{err}");
}

#[test]
fn run_file_reads_the_script_and_names_the_report_after_it() {
    let dir = std::env::temp_dir().join(format!("wedge-wast-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ok.wast");
    std::fs::write(&path, "(module (func (export \"f\")))\n(invoke \"f\")\n").unwrap();
    let report = run_file(&path, &Config::default()).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!((report.passed, report.failed), (2, 0), "{report}");
    assert_eq!(report.name, path.display().to_string());

    let err = run_file(&dir.join("missing.wast"), &Config::default()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Io { .. }), "{err:?}");
}
