//! Reporting errors the way WasmEdge's log does:
//! `execution failed: integer divide by zero, Code: 0x404`, then indented detail lines.

use crate::log;
use wedge::{Error, ErrorKind};

/// WasmEdge's description of an error code (`WasmEdge_ErrCode`), as its log prints it.
pub fn describe(code: u32) -> &'static str {
    wedge::errcode::message(code)
        .and_then(|m| m.to_str().ok())
        .unwrap_or("unknown error")
}

pub use wedge::errcode::phase;

/// WasmEdge's headline for a code: `loading failed: magic header not detected, Code: 0x103`.
pub fn headline(code: u32) -> String {
    format!(
        "{} failed: {}, Code: 0x{code:03x}",
        phase(code),
        describe(code)
    )
}

/// Logs an error from the embedding API: WasmEdge's headline, then Wedge's own description
/// when it says more.
pub fn log_error(err: &Error) {
    let code = err.wasmedge_code();
    log::error(headline(code));
    match err.kind() {
        ErrorKind::Trap(t) if t.code().message() == describe(code) => {}
        ErrorKind::UnknownImport { module, name, kind } => {
            log::error(format_args!(
                "    When linking module: \"{module}\" , {kind} name: \"{name}\""
            ));
            if module == "wasi_snapshot_preview1" {
                log::error(format_args!(
                    "    \"{name}\" is not a function of WASI preview 1 or WasmEdge's socket \
                     extension."
                ));
            } else if is_wasi_module(module) {
                log::error(format_args!(
                    "    Wedge does not provide \"{module}\": plug-ins are not implemented yet."
                ));
            }
        }
        ErrorKind::IncompatibleImportType {
            module,
            name,
            detail,
        } => {
            log::error(format_args!(
                "    When linking module: \"{module}\" , name: \"{name}\""
            ));
            log::error(format_args!("    {detail}"));
        }
        _ => log::error(format_args!("    {err}")),
    }
}

fn is_wasi_module(name: &str) -> bool {
    name.starts_with("wasi_") || name.starts_with("wasi:") || name == "wasi"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines_match_wasmedge() {
        assert_eq!(
            headline(0x404),
            "execution failed: integer divide by zero, Code: 0x404"
        );
        assert_eq!(
            headline(0x103),
            "loading failed: magic header not detected, Code: 0x103"
        );
        assert_eq!(
            headline(0x202),
            "validation failed: type mismatch, Code: 0x202"
        );
        assert_eq!(
            headline(0x302),
            "instantiation failed: unknown import, Code: 0x302"
        );
        assert_eq!(
            headline(0x002),
            "wasmedge runtime failed: generic runtime error, Code: 0x002"
        );
    }

    #[test]
    fn trap_messages_agree_with_wedge_trap_codes() {
        use wedge::TrapCode::*;
        for t in [
            Unreachable,
            MemoryOutOfBounds,
            TableOutOfBounds,
            IntegerDivideByZero,
            IntegerOverflow,
        ] {
            assert_eq!(describe(t.wasmedge_code()), t.message(), "{t:?}");
        }
    }
}
