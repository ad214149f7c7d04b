//! Executing a script's directives.

use crate::report::{Failure, Report, Skip};
use crate::values::{self, Unsupported};
use crate::{Error, spectest};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::token::Id;
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, WastRet, Wat};
use wedge::{Config, Engine, Instance, Linker, Module, Store, TrapCode, Val};

/// Runs `.wast` scripts with one configuration (feature set and limits).
///
/// Each [`run`](WastRunner::run) starts from a fresh store and linker, so scripts are
/// independent; one runner can run many scripts, from several threads.
#[derive(Clone, Debug)]
pub struct WastRunner {
    engine: Engine,
}

impl WastRunner {
    /// A runner whose engine uses `config`.
    pub fn new(config: &Config) -> Self {
        WastRunner {
            engine: Engine::new(config),
        }
    }

    /// The engine scripts run on.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Runs the script `text`; `name` (usually its path) labels the report.
    ///
    /// Fails only if the text is not a well-formed script; every directive that runs is
    /// counted in the report as passed, failed or skipped.
    pub fn run(&self, name: &str, text: &str) -> Result<Report, Error> {
        let mut lexer = Lexer::new(text);
        // The spec tests use confusable characters on purpose (names.wast).
        lexer.allow_confusing_unicode(true);
        let buf = ParseBuffer::new_with_lexer(lexer).map_err(|e| Error::parse(name, text, &e))?;
        let script = parser::parse::<Wast<'_>>(&buf).map_err(|e| Error::parse(name, text, &e))?;

        let mut report = Report::new(name);
        let mut state = match State::new(&self.engine) {
            Ok(s) => s,
            Err(e) => {
                report.failed += 1;
                let message = format!("cannot define the spectest module: {e}");
                report.failures.push(Failure {
                    line: 1,
                    column: 1,
                    directive: "spectest",
                    message,
                });
                return Ok(report);
            }
        };
        for directive in script.directives {
            let (line, col) = directive.span().linecol_in(text);
            let (line, column) = (line + 1, col + 1);
            let kind = crate::harness::directive_name(&directive);
            let outcome =
                catch_unwind(AssertUnwindSafe(|| state.run(directive))).unwrap_or_else(|payload| {
                    Outcome::Fail(format!("engine panicked: {}", panic_message(&*payload)))
                });
            match outcome {
                Outcome::Pass => report.passed += 1,
                Outcome::Fail(message) => {
                    report.failed += 1;
                    report.failures.push(Failure {
                        line,
                        column,
                        directive: kind,
                        message,
                    });
                }
                Outcome::Skip(reason) => {
                    report.skipped += 1;
                    report.skips.push(Skip {
                        line,
                        column,
                        directive: kind,
                        reason,
                    });
                }
            }
        }
        Ok(report)
    }
}

/// What became of one directive.
enum Outcome {
    Pass,
    Fail(String),
    Skip(String),
}

impl From<Unsupported> for Outcome {
    fn from(u: Unsupported) -> Self {
        Outcome::Skip(u.0)
    }
}

/// A directive could not run to its check: it fails or is skipped with this outcome.
type Early<T> = Result<T, Outcome>;

/// The state of one script: its store, linker and module instances.
struct State {
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    /// The most recently instantiated module, the target of unnamed `invoke`s.
    current: Option<Instance>,
    /// Instances by `$id`.
    instances: HashMap<String, Instance>,
    /// Modules defined with `(module definition $id ...)`, by `$id`.
    definitions: HashMap<String, Module>,
    /// The most recent module definition (for `(module instance)` with no module name).
    last_definition: Option<Module>,
}

impl State {
    fn new(engine: &Engine) -> Result<State, wedge::Error> {
        let mut store = Store::new(engine, ());
        let mut linker = Linker::new(engine);
        // Scripts may register a name twice; the newer registration wins.
        linker.allow_shadowing(true);
        spectest::define(&mut store, &mut linker)?;
        Ok(State {
            engine: engine.clone(),
            store,
            linker,
            current: None,
            instances: HashMap::new(),
            definitions: HashMap::new(),
            last_definition: None,
        })
    }

    fn run(&mut self, directive: WastDirective<'_>) -> Outcome {
        match self.run_inner(directive) {
            Ok(outcome) | Err(outcome) => outcome,
        }
    }

    fn run_inner(&mut self, directive: WastDirective<'_>) -> Early<Outcome> {
        use WastDirective as D;
        Ok(match directive {
            D::Module(mut wat) => {
                let name = wat.name();
                let module = self.compile(&mut wat)?;
                match self.linker.instantiate(&mut self.store, &module) {
                    Ok(instance) => {
                        self.set_current(name, instance);
                        Outcome::Pass
                    }
                    Err(e) => Outcome::Fail(format!("instantiation failed: {e}")),
                }
            }
            D::ModuleDefinition(mut wat) => {
                let name = wat.name();
                let module = self.compile(&mut wat)?;
                if let Some(name) = name {
                    self.definitions
                        .insert(name.name().to_string(), module.clone());
                }
                self.last_definition = Some(module);
                Outcome::Pass
            }
            D::ModuleInstance {
                instance, module, ..
            } => {
                let def = match module {
                    Some(id) => self.definitions.get(id.name()),
                    None => self.last_definition.as_ref(),
                };
                let Some(def) = def.cloned() else {
                    return Err(Outcome::Fail(format!(
                        "no module definition {}",
                        id_name(module)
                    )));
                };
                match self.linker.instantiate(&mut self.store, &def) {
                    Ok(inst) => {
                        self.set_current(instance, inst);
                        Outcome::Pass
                    }
                    Err(e) => Outcome::Fail(format!("instantiation failed: {e}")),
                }
            }
            D::Register { name, module, .. } => {
                let instance = self.instance(module)?;
                match self.linker.instance(&self.store, name, instance) {
                    Ok(_) => Outcome::Pass,
                    Err(e) => Outcome::Fail(format!("register {name:?} failed: {e}")),
                }
            }
            D::Invoke(invoke) => match self.invoke(&invoke)? {
                Ok(_) => Outcome::Pass,
                Err(e) => Outcome::Fail(format!("invoke {:?} failed: {e}", invoke.name)),
            },
            D::AssertReturn { exec, results, .. } => self.assert_return(exec, &results)?,
            D::AssertTrap { exec, message, .. } => match self.execute(exec)? {
                Ok(vals) => Outcome::Fail(format!(
                    "expected trap \"{message}\", got a return ({})",
                    self.show_all(&vals)
                )),
                Err(e) => expect_trap(&e, message),
            },
            D::AssertExhaustion { call, message, .. } => match self.invoke(&call)? {
                Ok(vals) => Outcome::Fail(format!(
                    "expected exhaustion \"{message}\", got a return ({})",
                    self.show_all(&vals)
                )),
                Err(e) => match e.trap_code() {
                    Some(TrapCode::CallStackExhausted) => Outcome::Pass,
                    _ => Outcome::Fail(format!("expected exhaustion \"{message}\", got: {e}")),
                },
            },
            D::AssertInvalid { mut module, .. } => {
                // wat rejects some invalid modules itself (unknown labels and indices); a
                // module that cannot even be encoded is not valid either.
                match encode(&mut module) {
                    Err(_) => Outcome::Pass,
                    Ok(bytes) => match Module::new(&self.engine, &bytes) {
                        Err(_) => Outcome::Pass,
                        Ok(_) => Outcome::Fail(
                            "expected the module to be invalid, but it validated".into(),
                        ),
                    },
                }
            }
            D::AssertMalformed { mut module, .. } => match encode(&mut module) {
                Err(_) => Outcome::Pass,
                Ok(bytes) => match Module::new(&self.engine, &bytes) {
                    Err(_) => Outcome::Pass,
                    Ok(_) => {
                        Outcome::Fail("expected the module to be malformed, but it loaded".into())
                    }
                },
            },
            D::AssertUnlinkable { module, .. } => {
                let module = self.compile(&mut QuoteWat::Wat(module))?;
                match self.linker.instantiate(&mut self.store, &module) {
                    Ok(_) => {
                        Outcome::Fail("expected a link error, but the module instantiated".into())
                    }
                    Err(e) if e.trap_code().is_some() => {
                        Outcome::Fail(format!("expected a link error, got a trap: {e}"))
                    }
                    Err(_) => Outcome::Pass,
                }
            }
            D::AssertInvalidCustom { .. } | D::AssertMalformedCustom { .. } => {
                Outcome::Skip("custom-section annotations are not checked".into())
            }
            D::AssertException { .. } => Outcome::Skip("exception handling".into()),
            D::AssertSuspension { .. } => Outcome::Skip("stack switching".into()),
            D::Thread(_) | D::Wait { .. } => Outcome::Skip("threads".into()),
        })
    }

    fn set_current(&mut self, name: Option<Id<'_>>, instance: Instance) {
        if let Some(name) = name {
            self.instances.insert(name.name().to_string(), instance);
        }
        self.current = Some(instance);
    }

    /// The instance `id` names, or the current one.
    fn instance(&self, id: Option<Id<'_>>) -> Early<Instance> {
        let found = match id {
            Some(id) => self.instances.get(id.name()).copied(),
            None => self.current,
        };
        found.ok_or_else(|| Outcome::Fail(format!("no module instance {}", id_name(id))))
    }

    /// Encodes and validates a module that the script expects to be valid.
    fn compile(&self, wat: &mut QuoteWat<'_>) -> Early<Module> {
        if matches!(
            wat,
            QuoteWat::Wat(Wat::Component(_)) | QuoteWat::QuoteComponent(..)
        ) {
            return Err(Outcome::Skip("component model".into()));
        }
        let bytes =
            encode(wat).map_err(|e| Outcome::Fail(format!("cannot encode the module: {e}")))?;
        let config = self.engine.config();
        if config.is_aot() && !config.is_jit() {
            return self.compile_ahead_of_time(&bytes);
        }
        Module::new(&self.engine, &bytes)
            .map_err(|e| Outcome::Fail(format!("module failed to load: {e}")))
    }

    /// The AOT tier: compiles the module into a universal wasm, loads that, and fails unless
    /// the module runs the native code read back from it.
    fn compile_ahead_of_time(&self, bytes: &[u8]) -> Early<Module> {
        // A module that does not validate fails here as it would without AOT.
        Module::validate(&self.engine, bytes)
            .map_err(|e| Outcome::Fail(format!("module failed to load: {e}")))?;
        let universal = self
            .engine
            .precompile(bytes, &|_, _| {})
            .map_err(|e| Outcome::Fail(format!("module failed to compile ahead of time: {e}")))?;
        let module = Module::new(&self.engine, &universal)
            .map_err(|e| Outcome::Fail(format!("module failed to load: {e}")))?;
        match module.native_code() {
            wedge::NativeCode::Aot => Ok(module),
            other => Err(Outcome::Fail(format!(
                "the native code did not load: {other}"
            ))),
        }
    }

    /// Calls an export; the outer result is the harness's, the inner one the engine's.
    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Early<Result<Vec<Val>, wedge::Error>> {
        let instance = self.instance(invoke.module)?;
        let func = instance.get_func(&self.store, invoke.name).ok_or_else(|| {
            Outcome::Fail(format!(
                "no exported function {:?} in {}",
                invoke.name,
                id_name(invoke.module)
            ))
        })?;
        let mut args = Vec::with_capacity(invoke.args.len());
        for a in &invoke.args {
            args.push(values::arg(&mut self.store, a)?);
        }
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
        Ok(func
            .call(&mut self.store, &args, &mut results)
            .map(|()| results))
    }

    /// Runs what an assertion tests: an invocation, a global read, or an instantiation.
    fn execute(&mut self, exec: WastExecute<'_>) -> Early<Result<Vec<Val>, wedge::Error>> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module)?;
                let g = instance.get_global(&self.store, global).ok_or_else(|| {
                    Outcome::Fail(format!(
                        "no exported global {global:?} in {}",
                        id_name(module)
                    ))
                })?;
                Ok(Ok(vec![g.get(&self.store)]))
            }
            WastExecute::Wat(wat) => {
                let module = self.compile(&mut QuoteWat::Wat(wat))?;
                Ok(self
                    .linker
                    .instantiate(&mut self.store, &module)
                    .map(|_| Vec::new()))
            }
        }
    }

    fn assert_return(&mut self, exec: WastExecute<'_>, expected: &[WastRet<'_>]) -> Early<Outcome> {
        let actual = match self.execute(exec)? {
            Ok(vals) => vals,
            Err(e) => return Ok(Outcome::Fail(format!("expected a return, got: {e}"))),
        };
        if actual.len() != expected.len() {
            return Ok(Outcome::Fail(format!(
                "expected {} results, got {} ({})",
                expected.len(),
                actual.len(),
                self.show_all(&actual)
            )));
        }
        let mut wrong = Vec::new();
        for (i, (e, a)) in expected.iter().zip(&actual).enumerate() {
            if let Err(why) = values::check(&self.store, e, a)? {
                wrong.push(if expected.len() == 1 {
                    why
                } else {
                    format!("result {i}: {why}")
                });
            }
        }
        Ok(if wrong.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Fail(wrong.join("; "))
        })
    }

    fn show_all(&self, vals: &[Val]) -> String {
        vals.iter()
            .map(|v| values::show(&self.store, v))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Whether an error is the trap the script expects: spec runners compare the message by
/// prefix ("uninitialized element 2" is an "uninitialized element"), in either direction.
fn expect_trap(e: &wedge::Error, expected: &str) -> Outcome {
    match e.trap_code() {
        Some(code) if trap_message_matches(code.message(), expected) => Outcome::Pass,
        Some(code) => Outcome::Fail(format!(
            "expected trap \"{expected}\", got trap \"{}\"",
            code.message()
        )),
        None => Outcome::Fail(format!("expected trap \"{expected}\", got error: {e}")),
    }
}

fn trap_message_matches(actual: &str, expected: &str) -> bool {
    expected.starts_with(actual) || actual.starts_with(expected)
}

/// Encodes a module of a script to binary (parsing the text of `module quote`).
fn encode(wat: &mut QuoteWat<'_>) -> Result<Vec<u8>, wast::Error> {
    wat.encode()
}

fn id_name(id: Option<Id<'_>>) -> String {
    id.map_or_else(
        || "(current module)".to_string(),
        |id| format!("${}", id.name()),
    )
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(non-string panic payload)")
}

#[cfg(test)]
mod tests {
    use super::trap_message_matches;

    #[test]
    fn trap_messages_match_by_prefix_either_way() {
        assert!(trap_message_matches(
            "uninitialized element",
            "uninitialized element 2"
        ));
        assert!(trap_message_matches(
            "uninitialized element",
            "uninitialized"
        ));
        assert!(trap_message_matches(
            "out of bounds memory access",
            "out of bounds memory access"
        ));
        assert!(!trap_message_matches(
            "out of bounds table access",
            "out of bounds memory access"
        ));
        assert!(!trap_message_matches(
            "undefined element",
            "uninitialized element"
        ));
    }
}
