//! [`Plugin`]: what the plug-in declares, and the C descriptor (`WasmEdge_PluginDescriptor`, API
//! version 5) built from it the first time the runtime asks.

use core::ffi::c_char;
use core::fmt;
use core::ptr;
use std::ffi::CString;
use std::panic::{self, AssertUnwindSafe};
use std::sync::OnceLock;

use crate::ffi::{
    self, Api, WasmEdge_ModuleCreateFn, WasmEdge_ModuleDescriptor, WasmEdge_ModuleInstanceContext,
    WasmEdge_PluginDescriptor, WasmEdge_PluginVersionData, WasmEdge_ProgramOption,
};
use crate::module::{Module, ModuleDef};
use crate::options::{OptionDef, OptionValue, ProgramOption};

/// The most modules one plug-in can declare.
pub const MAX_MODULES: usize = 32;

/// A plug-in's version (`WasmEdge_PluginVersionData`), shown by `wasmedge --version`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Major version.
    pub major: u32,
    /// Minor version.
    pub minor: u32,
    /// Patch version.
    pub patch: u32,
    /// Build number.
    pub build: u32,
}

impl Version {
    /// `major.minor.patch.build`.
    #[must_use]
    pub const fn new(major: u32, minor: u32, patch: u32, build: u32) -> Self {
        Self {
            major,
            minor,
            patch,
            build,
        }
    }

    /// Reads a decimal number, for [`package_version!`](crate::package_version).
    ///
    /// # Panics
    ///
    /// If `text` is not a decimal `u32` (at compile time in a constant).
    #[doc(hidden)]
    #[must_use]
    pub const fn parse_part(text: &str) -> u32 {
        let bytes = text.as_bytes();
        assert!(!bytes.is_empty(), "empty version number");
        let mut value: u32 = 0;
        let mut i = 0;
        while i < bytes.len() {
            let digit = bytes[i];
            assert!(digit.is_ascii_digit(), "version number is not decimal");
            value = match value.checked_mul(10) {
                Some(v) => match v.checked_add((digit - b'0') as u32) {
                    Some(v) => v,
                    None => panic!("version number too large"),
                },
                None => panic!("version number too large"),
            };
            i += 1;
        }
        value
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}.{}",
            self.major, self.minor, self.patch, self.build
        )
    }
}

/// A plug-in: a name, a version, its modules and its program options.
///
/// Build one in the function given to [`plugin!`](crate::plugin); the SDK turns it into the C
/// descriptor the runtime reads. A mistake in the declaration (a duplicate name, a NUL byte in
/// a name) panics there, and the runtime then reports that the plug-in gave no descriptor.
///
/// ```
/// use wedge_plugin_sdk::{Module, Plugin, Version};
///
/// let plugin = Plugin::new("math", Version::new(1, 0, 0, 0))
///     .description("arithmetic for guests")
///     .module(Module::new("math", || ()).func("square", |x: i64| x.wrapping_mul(x)));
/// assert_eq!(plugin.name(), "math");
/// assert_eq!(plugin.module_names().collect::<Vec<_>>(), ["math"]);
/// ```
pub struct Plugin {
    name: String,
    description: String,
    version: Version,
    modules: Vec<Box<dyn ModuleDef>>,
    options: Vec<&'static dyn OptionDef>,
}

impl Plugin {
    /// A plug-in named `name` (unique in the process: the runtime keeps the first it loads).
    ///
    /// # Panics
    ///
    /// If `name` contains a NUL byte.
    pub fn new(name: impl Into<String>, version: Version) -> Self {
        let name = name.into();
        assert!(
            !name.contains('\0'),
            "plug-in name {name:?} contains a NUL byte"
        );
        Self {
            name,
            description: String::new(),
            version,
            modules: Vec::new(),
            options: Vec::new(),
        }
    }

    /// Sets the help text.
    ///
    /// # Panics
    ///
    /// If `text` contains a NUL byte.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        assert!(
            !text.contains('\0'),
            "description of plug-in {:?} contains a NUL byte",
            self.name
        );
        self.description = text;
        self
    }

    /// Adds a module.
    ///
    /// # Panics
    ///
    /// If a module of that descriptor name is already declared, or there would be more than
    /// [`MAX_MODULES`].
    #[must_use]
    pub fn module<S: Send + Sync + 'static>(mut self, module: Module<S>) -> Self {
        assert!(
            self.modules.iter().all(|m| m.name() != module.descriptor()),
            "plug-in {:?} declares module {:?} twice",
            self.name,
            module.descriptor()
        );
        assert!(
            self.modules.len() < MAX_MODULES,
            "plug-in {:?} declares more than {MAX_MODULES} modules",
            self.name
        );
        self.modules.push(Box::new(module));
        self
    }

    /// Adds a program option (a `static`, whose storage the runtime writes to).
    ///
    /// # Panics
    ///
    /// If an option of that name is already declared, or the name or help text contains a
    /// NUL byte.
    #[must_use]
    pub fn option<T: OptionValue>(mut self, option: &'static ProgramOption<T>) -> Self {
        let name = option.name();
        assert!(
            !name.contains('\0') && !option.description().contains('\0'),
            "option {name:?} contains a NUL byte"
        );
        assert!(
            self.options.iter().all(|o| o.name() != name),
            "plug-in {:?} declares option {name:?} twice",
            self.name
        );
        self.options.push(option);
        self
    }

    /// The plug-in's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The plug-in's version.
    #[must_use]
    pub fn version(&self) -> Version {
        self.version
    }

    /// The descriptor names of its modules ([`Module::descriptor`]), in the order they were
    /// added: the names the runtime lists for the plug-in.
    pub fn module_names(&self) -> impl Iterator<Item = &str> {
        self.modules.iter().map(|m| m.name())
    }
}

impl fmt::Debug for Plugin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Plugin")
            .field("name", &self.name)
            .field("version", &self.version)
            .field("modules", &self.module_names().collect::<Vec<_>>())
            .field(
                "options",
                &self.options.iter().map(|o| o.name()).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// The C descriptor and everything its pointers point into. Built once, never changed, and
/// kept for the life of the process (the runtime never unloads a plug-in).
struct Descriptor {
    plugin: Plugin,
    /// The C API that modules are created with (`None` only in unit tests).
    api: Option<&'static Api>,
    /// The C strings the descriptor's `Name`s and `Description`s point to.
    _strings: Vec<CString>,
    _modules: Vec<WasmEdge_ModuleDescriptor>,
    _options: Vec<WasmEdge_ProgramOption>,
    raw: WasmEdge_PluginDescriptor,
}

// SAFETY: the raw pointers in the descriptor point into the vectors (whose heap buffers never
// move or change after `build`), into `'static` options, or at `extern "C"` functions; nothing
// is written after construction, so sharing and sending it across threads is sound.
unsafe impl Send for Descriptor {}
// SAFETY: as for `Send`.
unsafe impl Sync for Descriptor {}

impl Descriptor {
    /// Lays out `plugin` as C; module `i` is created by `creates[i]`.
    fn build(
        plugin: Plugin,
        creates: &[WasmEdge_ModuleCreateFn; MAX_MODULES],
        api: Option<&'static Api>,
    ) -> Self {
        let c = |s: &str| CString::new(s).expect("names were checked for NUL bytes");
        let mut strings = vec![c(&plugin.name), c(&plugin.description)];
        for m in &plugin.modules {
            strings.push(c(m.name()));
            strings.push(c(m.description()));
        }
        for o in &plugin.options {
            strings.push(c(o.name()));
            strings.push(c(o.description()));
        }
        // From here on `strings` does not change, so pointers into its C strings stay valid.
        let s = |i: usize| -> *const c_char { strings[i].as_ptr() };
        let mut modules: Vec<WasmEdge_ModuleDescriptor> = plugin
            .modules
            .iter()
            .enumerate()
            .map(|(i, _)| WasmEdge_ModuleDescriptor {
                Name: s(2 + 2 * i),
                Description: s(3 + 2 * i),
                Create: Some(creates[i]),
            })
            .collect();
        let first_option = 2 + 2 * plugin.modules.len();
        let mut options: Vec<WasmEdge_ProgramOption> = plugin
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| WasmEdge_ProgramOption {
                Name: s(first_option + 2 * i),
                Description: s(first_option + 1 + 2 * i),
                Type: o.raw_type(),
                Storage: o.storage(),
                DefaultValue: o.default_value(),
            })
            .collect();
        let raw = WasmEdge_PluginDescriptor {
            Name: s(0),
            Description: s(1),
            APIVersion: ffi::WasmEdge_Plugin_CurrentAPIVersion,
            Version: WasmEdge_PluginVersionData {
                Major: plugin.version.major,
                Minor: plugin.version.minor,
                Patch: plugin.version.patch,
                Build: plugin.version.build,
            },
            ModuleCount: count(modules.len()),
            ProgramOptionCount: count(options.len()),
            ModuleDescriptions: modules.as_mut_ptr(),
            ProgramOptions: if options.is_empty() {
                ptr::null_mut()
            } else {
                options.as_mut_ptr()
            },
        };
        Self {
            plugin,
            api,
            _strings: strings,
            _modules: modules,
            _options: options,
            raw,
        }
    }
}

/// A count that fits `u32` (modules are at most [`MAX_MODULES`], options as many as a plug-in
/// can declare by hand).
fn count(n: usize) -> u32 {
    u32::try_from(n).expect("fewer than 2^32 entries")
}

/// Connects the generic `Create` functions to the plug-in's cell. Implemented by
/// [`plugin!`](crate::plugin).
#[doc(hidden)]
pub trait Entry: 'static {
    /// The plug-in's cell.
    fn cell() -> &'static PluginCell;
}

/// The `Create` of module `I` of the plug-in `E`. The runtime passes the module's descriptor
/// entry; the index in the function's type says which module, so the pointer is not needed.
extern "C" fn create<E: Entry, const I: usize>(
    _descriptor: *const WasmEdge_ModuleDescriptor,
) -> *mut WasmEdge_ModuleInstanceContext {
    E::cell().create(I)
}

macro_rules! create_table {
    ($($i:literal)*) => {
        /// The `Create` function of every module index.
        fn create_table<E: Entry>() -> [WasmEdge_ModuleCreateFn; MAX_MODULES] {
            [$(create::<E, $i>),*]
        }
    };
}

create_table!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31);

/// Where [`plugin!`](crate::plugin) keeps the plug-in: the function that declares it, and the
/// descriptor built from it on first use.
#[doc(hidden)]
pub struct PluginCell {
    declare: fn() -> Plugin,
    built: OnceLock<Option<Descriptor>>,
}

impl PluginCell {
    /// A cell for the plug-in `declare` returns.
    #[must_use]
    pub const fn new(declare: fn() -> Plugin) -> Self {
        Self {
            declare,
            built: OnceLock::new(),
        }
    }

    /// The descriptor, built on the first call, whose modules are created through `api`; NULL
    /// (for good) if declaring the plug-in panicked. Never unwinds.
    pub fn descriptor<E: Entry>(
        &'static self,
        api: &'static Api,
    ) -> *const WasmEdge_PluginDescriptor {
        self.build::<E>(Some(api))
    }

    /// [`PluginCell::descriptor`], and without a C API for unit tests.
    fn build<E: Entry>(
        &'static self,
        api: Option<&'static Api>,
    ) -> *const WasmEdge_PluginDescriptor {
        let built = self.built.get_or_init(|| {
            panic::catch_unwind(AssertUnwindSafe(|| {
                Descriptor::build((self.declare)(), &create_table::<E>(), api)
            }))
            .ok()
        });
        built.as_ref().map_or(ptr::null(), |d| &raw const d.raw)
    }

    /// A new instance of module `index`, or NULL. Never unwinds.
    fn create(&'static self, index: usize) -> *mut WasmEdge_ModuleInstanceContext {
        let Some(Some(Descriptor {
            plugin,
            api: Some(api),
            ..
        })) = self.built.get()
        else {
            return ptr::null_mut();
        };
        let Some(module) = plugin.modules.get(index) else {
            return ptr::null_mut();
        };
        let module: &'static dyn ModuleDef = &**module;
        panic::catch_unwind(AssertUnwindSafe(|| module.instantiate(api))).unwrap_or(ptr::null_mut())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ffi::CStr;

    static TIMES: ProgramOption<u32> = ProgramOption::new("times", "how many", 3);
    static WHO: ProgramOption<String> = ProgramOption::string("who", "whom to greet", "world");

    fn declare() -> Plugin {
        Plugin::new("test_plugin", Version::new(1, 2, 3, 4))
            .description("a test")
            .module(Module::new("first", || ()).func("f", || 1i32))
            .module(
                Module::new("second", || 0u8)
                    .descriptor_name("second_descriptor")
                    .description("the second"),
            )
            .option(&TIMES)
            .option(&WHO)
    }

    static CELL: PluginCell = PluginCell::new(declare);
    struct TestEntry;
    impl Entry for TestEntry {
        fn cell() -> &'static PluginCell {
            &CELL
        }
    }

    fn cstr(p: *const c_char) -> &'static str {
        // SAFETY: the descriptor's strings are NUL-terminated and live forever.
        unsafe { CStr::from_ptr(p) }.to_str().unwrap()
    }

    #[test]
    fn descriptor_is_api_version_5_with_every_module_and_option() {
        let d = CELL.build::<TestEntry>(None);
        assert!(!d.is_null());
        assert_eq!(d, CELL.build::<TestEntry>(None), "built once");
        // SAFETY: a descriptor from `descriptor` lives forever.
        let d = unsafe { &*d };
        assert_eq!(cstr(d.Name), "test_plugin");
        assert_eq!(cstr(d.Description), "a test");
        assert_eq!(d.APIVersion, 5);
        assert_eq!(
            d.Version,
            WasmEdge_PluginVersionData {
                Major: 1,
                Minor: 2,
                Patch: 3,
                Build: 4
            }
        );
        assert_eq!((d.ModuleCount, d.ProgramOptionCount), (2, 2));
        // SAFETY: `ModuleCount` and `ProgramOptionCount` entries.
        let (modules, options) = unsafe {
            (
                core::slice::from_raw_parts(d.ModuleDescriptions, 2),
                core::slice::from_raw_parts(d.ProgramOptions, 2),
            )
        };
        assert_eq!(cstr(modules[0].Name), "first");
        assert_eq!(cstr(modules[0].Description), "");
        assert_eq!(cstr(modules[1].Name), "second_descriptor");
        assert_eq!(cstr(modules[1].Description), "the second");
        let (c0, c1) = (modules[0].Create.unwrap(), modules[1].Create.unwrap());
        assert!(!ptr::fn_addr_eq(c0, c1), "each module has its own Create");
        assert_eq!(cstr(options[0].Name), "times");
        assert_eq!(cstr(options[0].Description), "how many");
        assert_eq!(options[0].Type, ffi::WasmEdge_ProgramOptionType_UInt32);
        assert_eq!(options[0].Storage, TIMES.storage());
        // SAFETY: a `uint32_t` default.
        assert_eq!(unsafe { options[0].DefaultValue.cast::<u32>().read() }, 3);
        assert_eq!(cstr(options[1].Name), "who");
        assert_eq!(options[1].Type, ffi::WasmEdge_ProgramOptionType_String);
        assert_eq!(options[1].Storage, WHO.storage());
    }

    #[test]
    fn descriptor_field_offsets_match_the_c_header() {
        let d = CELL.build::<TestEntry>(None);
        let base = d.cast::<u8>();
        // SAFETY: reading fields of a live 64-byte descriptor at the reference's offsets.
        unsafe {
            assert_eq!(base.add(16).cast::<u32>().read(), 5, "APIVersion @16");
            assert_eq!(base.add(20).cast::<u32>().read(), 1, "Version.Major @20");
            assert_eq!(base.add(32).cast::<u32>().read(), 4, "Version.Build @32");
            assert_eq!(base.add(36).cast::<u32>().read(), 2, "ModuleCount @36");
            assert_eq!(
                base.add(40).cast::<u32>().read(),
                2,
                "ProgramOptionCount @40"
            );
        }
    }

    #[test]
    fn a_plugin_without_options_has_a_null_option_array() {
        static BARE: PluginCell = PluginCell::new(|| {
            Plugin::new("bare", Version::default()).module(Module::new("m", || ()))
        });
        struct Bare;
        impl Entry for Bare {
            fn cell() -> &'static PluginCell {
                &BARE
            }
        }
        // SAFETY: non-NULL, lives forever.
        let d = unsafe { &*BARE.build::<Bare>(None) };
        assert_eq!(d.ProgramOptionCount, 0);
        assert!(d.ProgramOptions.is_null());
    }

    #[test]
    fn a_panicking_declaration_gives_a_null_descriptor_for_good() {
        static BAD: PluginCell = PluginCell::new(|| {
            Plugin::new("bad", Version::default())
                .module(Module::new("m", || ()))
                .module(Module::new("m", || ()))
        });
        struct Bad;
        impl Entry for Bad {
            fn cell() -> &'static PluginCell {
                &BAD
            }
        }
        assert!(BAD.build::<Bad>(None).is_null());
        assert!(BAD.build::<Bad>(None).is_null());
        assert!(
            create::<Bad, 0>(ptr::null()).is_null(),
            "no module to create"
        );
    }

    #[test]
    fn package_version_parses_decimal_parts() {
        assert_eq!(Version::parse_part("0"), 0);
        assert_eq!(Version::parse_part("17"), 17);
        assert_eq!(Version::parse_part("4294967295"), u32::MAX);
        assert!(panic::catch_unwind(|| Version::parse_part("4294967296")).is_err());
        assert!(panic::catch_unwind(|| Version::parse_part("1a")).is_err());
        assert_eq!(Version::new(0, 17, 1, 0).to_string(), "0.17.1.0");
    }

    #[test]
    fn modules_are_listed_and_kept_apart_by_descriptor_name() {
        assert_eq!(
            declare().module_names().collect::<Vec<_>>(),
            ["first", "second_descriptor"]
        );
        let r = panic::catch_unwind(|| {
            Plugin::new("p", Version::default())
                .module(Module::new("a", || ()).descriptor_name("x"))
                .module(Module::new("x", || ()))
        });
        assert!(r.is_err(), "two descriptors named x");
    }

    #[test]
    fn too_many_modules_are_refused() {
        let r = panic::catch_unwind(|| {
            (0..=MAX_MODULES).fold(Plugin::new("p", Version::default()), |p, i| {
                p.module(Module::new(format!("m{i}"), || ()))
            })
        });
        assert!(r.is_err());
    }
}
