//! The command line, parsed the way WasmEdge's parser reads it.
//!
//! * Options are long (`--name`, `--name VALUE`, `--name=VALUE`) or short (`-h`, `-v`).
//! * The first word that is not an option (and not an option's value) is the input file;
//!   every later word is passed to the guest, options or not. `--` also ends the options.
//! * If that first word names a subcommand (`run`, `validate`, ...) it selects it instead, and
//!   parsing starts again after it; with no subcommand the command is `run`.
//! * Proposal flags are order-independent: the `--wasm-N` standard first, then every
//!   `--disable-*`, then every `--enable-*` (WasmEdge 0.15/0.16 spellings), then `--enable-all`.

use std::fmt;
use wedge::{Features, Proposal};

/// A subcommand.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Run a module's `_start`, or a named export in reactor mode (the default).
    Run,
    /// Load and validate a module.
    Validate,
    /// Load, validate and instantiate a module.
    Instantiate,
    /// Run WebAssembly spec-test scripts (`.wast`); Wedge's own addition.
    Wast,
    /// Ahead-of-time compilation into a universal wasm or a shared library.
    Compile,
    /// Print a module's sections (not implemented yet).
    Parse,
}

impl Command {
    fn from_word(word: &str) -> Option<Command> {
        Some(match word {
            "run" => Command::Run,
            "validate" => Command::Validate,
            "instantiate" => Command::Instantiate,
            "wast" => Command::Wast,
            "compile" => Command::Compile,
            "parse" => Command::Parse,
            _ => return None,
        })
    }

    /// The subcommand's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Command::Run => "run",
            Command::Validate => "validate",
            Command::Instantiate => "instantiate",
            Command::Wast => "wast",
            Command::Compile => "compile",
            Command::Parse => "parse",
        }
    }
}

/// The proposal flags, kept as given so they can be applied in WasmEdge's fixed order.
#[derive(Clone, Debug, Default)]
pub struct ProposalFlags {
    wasm1: bool,
    wasm2: bool,
    wasm3: bool,
    disabled: Vec<Proposal>,
    enabled: Vec<Proposal>,
    all: bool,
}

impl ProposalFlags {
    /// The feature set the flags select, starting from `default` when no `--wasm-N` is given.
    ///
    /// Returns the features and a warning for each disable flag that had no effect because
    /// another enabled proposal depends on the one it names.
    pub fn features(&self, default: Features) -> (Features, Vec<String>) {
        let mut f = if self.wasm3 {
            Features::wasm3()
        } else if self.wasm2 {
            Features::wasm2()
        } else if self.wasm1 {
            Features::wasm1()
        } else {
            default
        };
        let mut warnings = Vec::new();
        let dependent = [
            Proposal::Gc,
            Proposal::FunctionReferences,
            Proposal::ReferenceTypes,
        ];
        for &p in &self.disabled {
            if !dependent.contains(&p) {
                f.disable(p);
            }
        }
        // GC needs typed function references, which need reference types: a disable flag for
        // a proposal that a still-enabled one needs is ignored, as WasmEdge ignores it.
        if self.disabled.contains(&Proposal::Gc) {
            f.disable(Proposal::Gc);
        }
        if self.disabled.contains(&Proposal::FunctionReferences) {
            if f.is_enabled(Proposal::Gc) {
                warnings.push(ignored_disable(Proposal::FunctionReferences, Proposal::Gc));
            } else {
                f.disable(Proposal::FunctionReferences);
            }
        }
        if self.disabled.contains(&Proposal::ReferenceTypes) {
            if let Some(needed_by) = [Proposal::Gc, Proposal::FunctionReferences]
                .into_iter()
                .find(|&p| f.is_enabled(p))
            {
                warnings.push(ignored_disable(Proposal::ReferenceTypes, needed_by));
            } else {
                f.disable(Proposal::ReferenceTypes);
            }
        }
        for &p in &self.enabled {
            f.enable(p);
        }
        if self.all {
            f = Features::wasm3();
            f.enable(Proposal::Threads);
        }
        (f, warnings)
    }
}

fn ignored_disable(p: Proposal, needed_by: Proposal) -> String {
    format!(
        "--disable-{} has no effect while the {} proposal is enabled",
        p.flag_name(),
        needed_by.flag_name()
    )
}

/// An option WasmEdge has and Wedge does not implement yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported {
    /// The option's name, without dashes.
    pub option: String,
    /// Why it is not available.
    pub reason: &'static str,
}

/// The parsed command line.
#[derive(Clone, Debug)]
pub struct Args {
    /// The subcommand.
    pub command: Command,
    /// `-h` / `--help`.
    pub help: bool,
    /// `-v` / `--version`.
    pub version: bool,
    /// `--reactor`.
    pub reactor: bool,
    /// The proposal flags.
    pub proposals: ProposalFlags,
    /// `--memory-page-limit N` (the last one wins).
    pub memory_page_limit: Option<u32>,
    /// `--module NAME:PATH`, in order.
    pub modules: Vec<String>,
    /// `--dir GUEST:HOST[:readonly]`, as given.
    pub dirs: Vec<String>,
    /// `--env NAME=VALUE`, in order.
    pub envs: Vec<String>,
    /// `--allow-af-unix`: the guest may open Unix-domain sockets.
    pub allow_af_unix: bool,
    /// `--log-level LEVEL` (the last one wins).
    pub log_level: Option<String>,
    /// `--forbidden-plugin NAME`: plug-ins whose modules are not given to guests.
    pub forbidden_plugins: Vec<String>,
    /// Plug-in program options given: (index into the flags `parse` was given, value).
    pub plugin_options: Vec<(usize, Option<String>)>,
    /// `--run-mode MODE`.
    pub run_mode: Option<String>,
    /// `--enable-jit` (deprecated in WasmEdge).
    pub enable_jit: bool,
    /// `--force-interpreter` (deprecated in WasmEdge).
    pub force_interpreter: bool,
    /// `compile --optimize LEVEL` (the last one wins).
    pub optimize: Option<String>,
    /// `compile --generic-binary`.
    pub generic_binary: bool,
    /// `compile --interruptible`: the code polls for interrupts (time limits).
    pub interruptible: bool,
    /// `--code-cache DIR|off` (the last one wins); see `crate::tier`.
    pub code_cache: Option<String>,
    /// The metering flags: `--gas-limit`, `--time-limit`, `--enable-*` statistics.
    pub metering: crate::stats::Metering,
    /// Options recognized but not implemented yet.
    pub unsupported: Vec<Unsupported>,
    /// The input file: the first positional word.
    pub file: Option<String>,
    /// The later positional words: the guest's arguments (`run`) or more files (`wast`).
    pub rest: Vec<String>,
    /// How the command was invoked, for usage messages: `wedge run`, or the program's name
    /// alone for the single-command tools (`WasmEdge_Driver_Tool`, `…_Compiler`).
    pub invocation: String,
}

impl Args {
    fn new(command: Command) -> Args {
        Args {
            command,
            help: false,
            version: false,
            reactor: false,
            proposals: ProposalFlags::default(),
            memory_page_limit: None,
            modules: Vec::new(),
            dirs: Vec::new(),
            envs: Vec::new(),
            allow_af_unix: false,
            log_level: None,
            forbidden_plugins: Vec::new(),
            plugin_options: Vec::new(),
            run_mode: None,
            enable_jit: false,
            force_interpreter: false,
            optimize: None,
            generic_binary: false,
            interruptible: false,
            code_cache: None,
            metering: crate::stats::Metering::default(),
            unsupported: Vec::new(),
            file: None,
            rest: Vec::new(),
            invocation: format!("wedge {}", command.name()),
        }
    }
}

/// A flag a loaded plug-in added (its program option `--NAME`).
#[derive(Clone, Debug)]
pub struct PluginFlag {
    /// The flag's name, without dashes.
    pub name: String,
    /// Whether it takes a value (everything but a toggle).
    pub takes_value: bool,
    /// Whether a bare `--NAME` is allowed (it writes the option's default).
    pub has_default: bool,
}

/// A command line that could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a recognized option does.
#[derive(Clone, Debug)]
enum Opt {
    Help,
    Version,
    Reactor,
    Wasm(u8),
    Enable(Proposal),
    Disable(Proposal),
    EnableAll,
    MemoryPageLimit,
    Module,
    Dir,
    Env,
    AllowAfUnix,
    LogLevel,
    ForbiddenPlugin,
    RunMode,
    EnableJit,
    ForceInterpreter,
    Optimize,
    GenericBinary,
    Interruptible,
    CodeCache,
    Metering(crate::stats::Flag),
    Unsupported {
        takes_value: bool,
        reason: &'static str,
    },
    /// A plug-in's program option: its index, whether it takes a value, whether it has a default.
    Plugin(usize, bool, bool),
}

impl Opt {
    fn takes_value(&self) -> bool {
        match self {
            Opt::MemoryPageLimit
            | Opt::Module
            | Opt::Dir
            | Opt::Env
            | Opt::LogLevel
            | Opt::ForbiddenPlugin
            | Opt::RunMode
            | Opt::Optimize
            | Opt::CodeCache => true,
            Opt::Metering(flag) => flag.takes_value(),
            Opt::Unsupported { takes_value, .. } => *takes_value,
            Opt::Plugin(_, takes_value, _) => *takes_value,
            _ => false,
        }
    }
}

/// The option `name` (without dashes) as `command` understands it, if it does.
fn lookup(command: Command, name: &str) -> Option<Opt> {
    use Command::*;
    let run = command == Run;
    let linker = matches!(command, Run | Instantiate);
    let compile = command == Compile;
    let opt = match name {
        "h" | "help" => Opt::Help,
        "v" | "version" => Opt::Version,
        "reactor" if run => Opt::Reactor,
        "wasm-1" => Opt::Wasm(1),
        "wasm-2" => Opt::Wasm(2),
        "wasm-3" => Opt::Wasm(3),
        "enable-all" => Opt::EnableAll,
        "enable-component" => Opt::Unsupported {
            takes_value: false,
            reason: "the component model is not implemented in Wedge yet",
        },
        "log-level" => Opt::LogLevel,
        "forbidden-plugin" if !compile => Opt::ForbiddenPlugin,
        "memory-page-limit" if linker || command == Wast => Opt::MemoryPageLimit,
        "module" if linker => Opt::Module,
        "dir" if linker => Opt::Dir,
        "env" if linker => Opt::Env,
        "run-mode" if run || command == Wast => Opt::RunMode,
        "enable-jit" if run => Opt::EnableJit,
        "force-interpreter" if run => Opt::ForceInterpreter,
        "code-cache" if linker => Opt::CodeCache,
        "optimize" if compile => Opt::Optimize,
        "generic-binary" if compile => Opt::GenericBinary,
        // Compiled code always polls for interruption (at function entries and loop heads).
        "interruptible" if compile => Opt::Interruptible,
        "dump" if compile => Opt::Unsupported {
            takes_value: false,
            reason: "Wedge compiles with Cranelift, not LLVM: there is no LLVM IR to dump",
        },
        "enable-instruction-count"
        | "enable-gas-measuring"
        | "enable-time-measuring"
        | "enable-all-statistics"
            if compile =>
        {
            Opt::Metering(crate::stats::Flag::from_name(name)?)
        }
        "gas-limit"
        | "time-limit"
        | "enable-instruction-count"
        | "enable-gas-measuring"
        | "enable-time-measuring"
        | "enable-all-statistics"
            if run =>
        {
            Opt::Metering(crate::stats::Flag::from_name(name)?)
        }
        "enable-coredump" | "coredump-for-wasmgdb" if run => Opt::Unsupported {
            takes_value: false,
            reason: "core dumps are not implemented in Wedge yet",
        },
        "allow-af-unix" if run => Opt::AllowAfUnix,
        _ => {
            if let Some(p) = name
                .strip_prefix("enable-")
                .and_then(Proposal::from_flag_name)
            {
                Opt::Enable(p)
            } else if let Some(p) = name
                .strip_prefix("disable-")
                .and_then(Proposal::from_flag_name)
            {
                Opt::Disable(p)
            } else {
                return None;
            }
        }
    };
    Some(opt)
}

/// Applies option `opt` (named `name`) with its value, if it takes one.
fn apply(args: &mut Args, name: &str, opt: Opt, value: Option<String>) -> Result<(), UsageError> {
    let value_or_empty = || value.clone().unwrap_or_default();
    match opt {
        Opt::Help => args.help = true,
        Opt::Version => args.version = true,
        Opt::Reactor => args.reactor = true,
        Opt::Wasm(1) => args.proposals.wasm1 = true,
        Opt::Wasm(2) => args.proposals.wasm2 = true,
        Opt::Wasm(_) => args.proposals.wasm3 = true,
        Opt::Enable(p) => args.proposals.enabled.push(p),
        Opt::Disable(p) => args.proposals.disabled.push(p),
        Opt::EnableAll => args.proposals.all = true,
        Opt::MemoryPageLimit => {
            // WasmEdge reads an `int` and casts it to the u32 page cap.
            let v = value_or_empty();
            let n = parse_int_option(&v)?;
            args.memory_page_limit = Some(n as u32);
        }
        Opt::Module => args.modules.push(value_or_empty()),
        Opt::Dir => args.dirs.push(value_or_empty()),
        Opt::Env => args.envs.push(value_or_empty()),
        Opt::AllowAfUnix => args.allow_af_unix = true,
        Opt::LogLevel => args.log_level = Some(value_or_empty()),
        Opt::ForbiddenPlugin => args.forbidden_plugins.push(value_or_empty()),
        Opt::RunMode => args.run_mode = Some(value_or_empty()),
        Opt::EnableJit => args.enable_jit = true,
        Opt::ForceInterpreter => args.force_interpreter = true,
        Opt::Optimize => {
            let v = value_or_empty();
            if !matches!(v.as_str(), "0" | "1" | "2" | "3" | "s" | "z") {
                return Err(UsageError(format!(
                    "invalid --optimize value: {v} (0, 1, 2, 3, s or z)"
                )));
            }
            args.optimize = Some(v);
        }
        Opt::GenericBinary => args.generic_binary = true,
        Opt::Interruptible => args.interruptible = true,
        Opt::CodeCache => args.code_cache = Some(value_or_empty()),
        Opt::Metering(flag) => args.metering.apply(flag, value.as_deref())?,
        Opt::Unsupported { reason, .. } => args.unsupported.push(Unsupported {
            option: name.to_string(),
            reason,
        }),
        Opt::Plugin(index, ..) => args.plugin_options.push((index, value)),
    }
    Ok(())
}

/// Parses an integer option value strictly (no trailing characters), as WasmEdge does.
fn parse_int_option(v: &str) -> Result<i32, UsageError> {
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(UsageError(format!("invalid integer value: {v}")));
    }
    v.parse::<i32>()
        .map_err(|_| UsageError(format!("integer value out of range: {v}")))
}

/// Parses the words after the program name; `plugins` are the flags loaded plug-ins add (to
/// every subcommand that parses modules), looked up after the built-in options. With
/// `command`, the words are that subcommand's (a single-command tool such as `wasmedgec`):
/// no word names a subcommand.
pub fn parse(
    command: Option<Command>,
    words: &[String],
    plugins: &[PluginFlag],
) -> Result<Args, UsageError> {
    let lookup = |command: Command, name: &str| {
        lookup(command, name).or_else(|| {
            let i = plugins.iter().position(|f| f.name == name)?;
            (command != Command::Compile)
                .then(|| Opt::Plugin(i, plugins[i].takes_value, plugins[i].has_default))
        })
    };
    // A plug-in option with a default may stand alone: `--NAME` followed by another option.
    let bare_ok = |opt: &Opt| matches!(opt, Opt::Plugin(_, _, true));
    let mut args = Args::new(command.unwrap_or(Command::Run));
    let mut at_top = command.is_none();
    let mut escaped = false;
    let mut pending: Option<(String, Opt)> = None;
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        i += 1;
        if !escaped && word.len() >= 2 && word.starts_with('-') {
            if let Some((name, opt)) = pending.take() {
                if !bare_ok(&opt) {
                    return Err(UsageError(format!("option {name} needs a value")));
                }
                apply(&mut args, &name, opt, None)?;
            }
            if word == "--" {
                escaped = true;
            } else if let Some(long) = word.strip_prefix("--") {
                let (name, value) = match long.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (long, None),
                };
                let Some(opt) = lookup(args.command, name) else {
                    return Err(UsageError(format!("unknown option: {name}")));
                };
                match (opt.takes_value(), value) {
                    (false, Some(_)) => {
                        return Err(UsageError(format!("option {name} doesn't need arguments.")));
                    }
                    (true, None) => pending = Some((name.to_string(), opt)),
                    (_, value) => apply(&mut args, name, opt, value)?,
                }
            } else {
                // Short options, possibly grouped (`-hv`); only -h and -v exist.
                for c in word[1..].chars() {
                    let name = c.to_string();
                    match lookup(args.command, &name) {
                        Some(opt) if !opt.takes_value() => apply(&mut args, &name, opt, None)?,
                        _ => return Err(UsageError(format!("unknown option: {name}"))),
                    }
                }
            }
        } else if let Some((name, opt)) = pending.take().filter(|_| !escaped) {
            apply(&mut args, &name, opt, Some(word.clone()))?;
        } else if args.file.is_none() {
            if at_top
                && !escaped
                && let Some(command) = Command::from_word(word)
            {
                at_top = false;
                if command != Command::Run {
                    // Options before another subcommand's name belong to `run` and are
                    // dropped, as in WasmEdge.
                    args = Args::new(command);
                }
                continue;
            }
            at_top = false;
            // Words after the input are the guest's, options or not, except for `compile`,
            // whose second word is the output and whose options may come anywhere.
            escaped = args.command != Command::Compile;
            args.file = Some(word.clone());
        } else {
            args.rest.push(word.clone());
        }
    }
    if let Some((name, opt)) = pending {
        if !bare_ok(&opt) {
            return Err(UsageError(format!("option {name} needs a value")));
        }
        apply(&mut args, &name, opt, None)?;
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: &str) -> Result<Args, UsageError> {
        let words: Vec<String> = line.split_whitespace().map(String::from).collect();
        parse(None, &words, &[])
    }

    #[test]
    fn first_word_is_the_file_and_later_words_go_to_the_guest() {
        let a = p("--reactor add.wasm add --reactor 2").unwrap();
        assert_eq!(a.command, Command::Run);
        assert!(a.reactor);
        assert_eq!(a.file.as_deref(), Some("add.wasm"));
        assert_eq!(a.rest, ["add", "--reactor", "2"]);
    }

    #[test]
    fn subcommand_words_select_the_subcommand_only_first() {
        let a = p("run --reactor x.wasm validate").unwrap();
        assert_eq!(a.command, Command::Run);
        assert_eq!(a.rest, ["validate"]);
        assert_eq!(p("validate x.wasm").unwrap().command, Command::Validate);
        let a = p("--reactor run x.wasm f").unwrap();
        assert!(a.reactor, "options before `run` apply to run");
    }

    fn flags() -> Vec<PluginFlag> {
        vec![
            PluginFlag {
                name: "nn-preload".into(),
                takes_value: true,
                has_default: false,
            },
            PluginFlag {
                name: "verbose-plugin".into(),
                takes_value: false,
                has_default: true,
            },
            PluginFlag {
                name: "level".into(),
                takes_value: true,
                has_default: true,
            },
        ]
    }

    fn pp(line: &str) -> Result<Args, UsageError> {
        let words: Vec<String> = line.split_whitespace().map(String::from).collect();
        parse(None, &words, &flags())
    }

    #[test]
    fn plugin_options_are_flags_after_the_builtin_ones() {
        let a = pp("--nn-preload a:b --verbose-plugin --level=3 x.wasm").unwrap();
        assert_eq!(
            a.plugin_options,
            [(0, Some("a:b".into())), (1, None), (2, Some("3".into()))]
        );
        assert_eq!(a.file.as_deref(), Some("x.wasm"));
        // A value-taking option with a default may stand alone before another option.
        let a = pp("--level --reactor x.wasm").unwrap();
        assert_eq!(a.plugin_options, [(2, None)]);
        assert!(a.reactor);
        assert_eq!(
            pp("--nn-preload --reactor x.wasm").unwrap_err().0,
            "option nn-preload needs a value"
        );
        assert!(pp("--verbose-plugin=1 x.wasm").is_err());
        assert!(
            p("--nn-preload a x.wasm").is_err(),
            "unknown without the plug-in"
        );
    }

    #[test]
    fn a_single_command_tool_takes_no_subcommand_word() {
        let words =
            |line: &str| -> Vec<String> { line.split_whitespace().map(String::from).collect() };
        let a = parse(Some(Command::Run), &words("--reactor run x"), &[]).unwrap();
        assert_eq!(a.command, Command::Run);
        assert_eq!(a.file.as_deref(), Some("run"), "`run` is the file");
        assert_eq!(a.rest, ["x"]);
        let a = parse(
            Some(Command::Compile),
            &words("in.wasm --optimize 0 out.wasm"),
            &[],
        )
        .unwrap();
        assert_eq!(a.command, Command::Compile);
        assert_eq!(a.file.as_deref(), Some("in.wasm"));
        assert_eq!(a.rest, ["out.wasm"]);
        assert!(
            parse(
                Some(Command::Compile),
                &words("--reactor in.wasm out.wasm"),
                &[]
            )
            .is_err(),
            "--reactor belongs to run"
        );
    }

    #[test]
    fn double_dash_ends_options() {
        let a = p("-- --reactor").unwrap();
        assert_eq!(a.file.as_deref(), Some("--reactor"));
        assert!(!a.reactor);
    }

    #[test]
    fn values_attach_with_space_or_equals_and_last_wins() {
        let a = p("--memory-page-limit 3 --memory-page-limit=7 x.wasm").unwrap();
        assert_eq!(a.memory_page_limit, Some(7));
        assert_eq!(a.file.as_deref(), Some("x.wasm"));
    }

    #[test]
    fn bad_option_usage_is_an_error() {
        assert_eq!(
            p("--frobnicate x.wasm").unwrap_err().0,
            "unknown option: frobnicate"
        );
        assert_eq!(p("-x").unwrap_err().0, "unknown option: x");
        assert!(p("--reactor=1 x.wasm").is_err());
        assert!(
            p("x.wasm --memory-page-limit").is_ok(),
            "after the file, words go to the guest"
        );
        assert!(p("--memory-page-limit").is_err());
        assert!(p("--memory-page-limit 12x x.wasm").is_err());
        assert!(
            p("validate --reactor x.wasm").is_err(),
            "--reactor belongs to run"
        );
    }

    #[test]
    fn unsupported_options_are_recorded_not_ignored() {
        let a = p("--enable-coredump --enable-component x.wasm").unwrap();
        let names: Vec<_> = a.unsupported.iter().map(|u| u.option.as_str()).collect();
        assert_eq!(names, ["enable-coredump", "enable-component"]);
        assert_eq!(a.file.as_deref(), Some("x.wasm"));
    }

    #[test]
    fn wasi_options_repeat_and_stop_at_the_file() {
        let a =
            p("--dir /a --env X=1 --dir=b:c:readonly --env=Y= --allow-af-unix x.wasm --env Z=2")
                .unwrap();
        assert_eq!(a.dirs, ["/a", "b:c:readonly"]);
        assert_eq!(a.envs, ["X=1", "Y="]);
        assert!(a.allow_af_unix);
        assert_eq!(a.rest, ["--env", "Z=2"]);
        let a = p("instantiate --dir /a --env X=1 x.wasm").unwrap();
        assert_eq!((a.dirs.len(), a.envs.len()), (1, 1));
        assert!(p("validate --dir /a x.wasm").is_err());
        assert!(p("instantiate --allow-af-unix x.wasm").is_err());
    }

    #[test]
    fn proposal_flags_apply_in_wasmedge_order() {
        let a = p("--disable-simd --wasm-2 x.wasm").unwrap();
        let (f, _) = a.proposals.features(Features::default());
        assert!(
            !f.is_enabled(Proposal::Simd),
            "disable applies after the standard reset"
        );
        assert!(f.is_enabled(Proposal::BulkMemory));
        assert!(!f.is_enabled(Proposal::TailCall));

        let a = p("--wasm-1 --enable-tail-call x.wasm").unwrap();
        let (f, _) = a.proposals.features(Features::default());
        assert!(f.is_enabled(Proposal::TailCall));
        assert!(!f.is_enabled(Proposal::Simd));

        let a = p("--disable-simd --enable-all x.wasm").unwrap();
        let (f, _) = a.proposals.features(Features::default());
        assert!(f.is_enabled(Proposal::Simd) && f.is_enabled(Proposal::Threads));
    }

    #[test]
    fn disabling_a_needed_proposal_is_ignored_with_a_warning() {
        let a = p("--wasm-3 --disable-reference-types x.wasm").unwrap();
        let (f, warnings) = a.proposals.features(Features::default());
        assert!(f.is_enabled(Proposal::ReferenceTypes));
        assert_eq!(warnings.len(), 1);

        let a = p("--disable-gc --disable-function-reference --disable-reference-types --wasm-3 x")
            .unwrap();
        let (f, warnings) = a.proposals.features(Features::default());
        assert!(!f.is_enabled(Proposal::ReferenceTypes));
        assert!(warnings.is_empty());
    }
}
