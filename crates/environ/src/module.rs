//! The module model: everything the runtime needs to know about a module, decoded and
//! validated once by wasmparser.

use crate::types::*;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use wasmparser::{
    ElementItems, ElementKind, ExternalKind, Parser, Payload, TypeRef, Validator, WasmFeatures,
};

/// Why a module could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleError {
    /// What went wrong.
    pub kind: ModuleErrorKind,
    /// Byte offset in the module where the problem was found.
    pub offset: u64,
    /// The function (index in the function index space) being checked, if any.
    pub func_index: Option<u32>,
    /// The decoder's or validator's message.
    pub message: String,
}

/// The phase in which a module was rejected.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ModuleErrorKind {
    /// The bytes are not a well-formed binary module.
    Malformed,
    /// The module is well-formed but does not validate.
    Invalid,
    /// The module uses a feature Wedge does not implement yet.
    Unsupported,
}

impl ModuleError {
    fn from_reader(e: wasmparser::BinaryReaderError, func_index: Option<u32>) -> Self {
        let message = e.message().to_string();
        let kind = if is_malformed_message(&message) {
            ModuleErrorKind::Malformed
        } else {
            ModuleErrorKind::Invalid
        };
        ModuleError {
            kind,
            offset: e.offset(),
            func_index,
            message,
        }
    }

    fn unsupported(offset: u64, message: impl Into<String>) -> Self {
        ModuleError {
            kind: ModuleErrorKind::Unsupported,
            offset,
            func_index: None,
            message: message.into(),
        }
    }

    /// The matching `WasmEdge_ErrCode` value.
    pub fn wasmedge_code(&self) -> u32 {
        wasmedge_code_for(self.kind, &self.message)
    }
}

impl std::fmt::Display for ModuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.kind {
            ModuleErrorKind::Malformed => "malformed module",
            ModuleErrorKind::Invalid => "invalid module",
            ModuleErrorKind::Unsupported => "unsupported feature",
        };
        write!(f, "{what}: {} (at offset {:#x}", self.message, self.offset)?;
        if let Some(i) = self.func_index {
            write!(f, ", in function {i}")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for ModuleError {}

/// Decoder messages that mean "not a well-formed binary" rather than "ill-typed".
fn is_malformed_message(m: &str) -> bool {
    const MALFORMED: &[&str] = &[
        "unexpected end",
        "magic header",
        "unknown binary version",
        "section size mismatch",
        "malformed",
        "invalid leb128",
        "integer representation too long",
        "integer too large",
        "unexpected content after last section",
        "invalid section id",
        "section out of order",
        "function and code section have inconsistent lengths",
        "illegal opcode",
        "invalid value type",
        "zero byte expected",
        "too many locals",
        "length out of bounds",
        "data count and data section have inconsistent lengths",
        "data count section required",
        "unknown opcode",
        "invalid UTF-8",
        "END opcode expected",
        "trailing bytes",
        "control frames remain",
        "operators remaining after end of function",
        "unexpected data at the end of the section",
        "invalid var_u32",
        "invalid var_i32",
        "invalid var_s33",
        "invalid var_i64",
        "invalid mutability",
        "unknown import kind",
        "unknown export kind",
        "invalid table resizable limits flags",
        "invalid memory limits flags",
    ];
    MALFORMED.iter().any(|p| m.contains(p))
}

fn wasmedge_code_for(kind: ModuleErrorKind, m: &str) -> u32 {
    let table: &[(&str, u32)] = match kind {
        ModuleErrorKind::Malformed => &[
            ("unexpected end", 0x0102),
            ("magic header", 0x0103),
            ("unknown binary version", 0x0104),
            ("section size mismatch", 0x0106),
            ("length out of bounds", 0x0107),
            ("function and code section", 0x0109),
            ("data count and data section", 0x010A),
            ("data count section required", 0x010B),
            ("unknown import kind", 0x010C),
            ("unknown export kind", 0x010D),
            ("zero byte expected", 0x010E),
            ("invalid mutability", 0x010F),
            ("too many locals", 0x0110),
            ("invalid value type", 0x0111),
            ("UTF-8", 0x0114),
            ("integer too large", 0x0115),
            ("too long", 0x0116),
            ("opcode", 0x0117),
            ("END opcode expected", 0x0118),
        ],
        ModuleErrorKind::Invalid => &[
            ("alignment must not be larger", 0x0201),
            ("type mismatch", 0x0202),
            ("unknown label", 0x0203),
            ("unknown local", 0x0204),
            ("unknown type", 0x0206),
            ("unknown function", 0x0207),
            ("unknown table", 0x0208),
            ("unknown memory", 0x0209),
            ("unknown global", 0x020A),
            ("unknown elem", 0x020C),
            ("unknown data", 0x020D),
            ("undeclared function reference", 0x020E),
            ("constant expression required", 0x020F),
            ("duplicate export name", 0x0210),
            ("immutable global", 0x0211),
            ("multiple tables", 0x0215),
            ("multiple memories", 0x0216),
            ("size minimum must not be greater than maximum", 0x0217),
            ("memory size must be at most", 0x0218),
            ("start function", 0x0219),
            ("invalid lane index", 0x021A),
        ],
        ModuleErrorKind::Unsupported => &[],
    };
    table
        .iter()
        .find(|(p, _)| m.contains(p))
        .map(|&(_, c)| c)
        .unwrap_or(match kind {
            ModuleErrorKind::Malformed => 0x0117,
            ModuleErrorKind::Invalid => 0x0202,
            ModuleErrorKind::Unsupported => 0x0117,
        })
}

/// One instruction of a constant expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstOp {
    /// `i32.const`
    I32Const(i32),
    /// `i64.const`
    I64Const(i64),
    /// `f32.const` (bits)
    F32Const(u32),
    /// `f64.const` (bits)
    F64Const(u64),
    /// `v128.const`
    V128Const(u128),
    /// `global.get`
    GlobalGet(u32),
    /// `ref.null`
    RefNull(ValType),
    /// `ref.func`
    RefFunc(u32),
    /// `i32.add`
    I32Add,
    /// `i32.sub`
    I32Sub,
    /// `i32.mul`
    I32Mul,
    /// `i64.add`
    I64Add,
    /// `i64.sub`
    I64Sub,
    /// `i64.mul`
    I64Mul,
}

/// A constant expression (global initializers, segment offsets, element items).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ConstExpr {
    /// The instructions, without the final `end`.
    pub ops: Vec<ConstOp>,
}

impl ConstExpr {
    /// The function this expression references, if it is exactly `ref.func N`.
    pub fn as_ref_func(&self) -> Option<u32> {
        match self.ops.as_slice() {
            [ConstOp::RefFunc(f)] => Some(*f),
            _ => None,
        }
    }
}

/// An index into one of a module's index spaces.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum EntityIndex {
    /// Function index.
    Func(u32),
    /// Table index.
    Table(u32),
    /// Memory index.
    Memory(u32),
    /// Global index.
    Global(u32),
}

/// An import.
#[derive(Clone, Debug)]
pub struct Import {
    /// Module name.
    pub module: String,
    /// Field name.
    pub name: String,
    /// What is imported and its index in its index space.
    pub index: EntityIndex,
}

/// An export.
#[derive(Clone, Debug)]
pub struct Export {
    /// Export name.
    pub name: String,
    /// The exported entity.
    pub index: EntityIndex,
}

/// Where an element segment goes.
#[derive(Clone, Debug)]
pub enum ElemMode {
    /// Copied into a table at instantiation.
    Active {
        /// Table index.
        table: u32,
        /// Offset expression.
        offset: ConstExpr,
    },
    /// Available to `table.init`.
    Passive,
    /// Only declares function references.
    Declared,
}

/// An element segment.
#[derive(Clone, Debug)]
pub struct ElemSegment {
    /// Placement.
    pub mode: ElemMode,
    /// Element type.
    pub ty: ValType,
    /// One constant expression per element.
    pub items: Vec<ConstExpr>,
}

/// Where a data segment goes.
#[derive(Clone, Debug)]
pub enum DataMode {
    /// Copied into a memory at instantiation.
    Active {
        /// Memory index.
        memory: u32,
        /// Offset expression.
        offset: ConstExpr,
    },
    /// Available to `memory.init`.
    Passive,
}

/// A data segment.
#[derive(Clone, Debug)]
pub struct DataSegment {
    /// Placement.
    pub mode: DataMode,
    /// The bytes.
    pub data: Box<[u8]>,
}

/// A defined function's body: where its bytes are in the module binary.
#[derive(Clone, Debug)]
pub struct FuncBody {
    /// Byte range of the body (locals and code) in the module binary.
    pub range: Range<u64>,
}

/// Everything known about a decoded and validated module.
#[derive(Clone, Debug, Default)]
pub struct ModuleInfo {
    /// The module's name from the `name` section, if any.
    pub name: Option<String>,
    /// Function types by type index.
    pub types: Vec<FuncType>,
    /// Imports in declaration order.
    pub imports: Vec<Import>,
    /// Type index of every function (imports first).
    pub funcs: Vec<u32>,
    /// Number of imported functions.
    pub num_imported_funcs: u32,
    /// Every table's type (imports first).
    pub tables: Vec<TableType>,
    /// Number of imported tables.
    pub num_imported_tables: u32,
    /// Initializer of each defined table (None: null references).
    pub table_inits: Vec<Option<ConstExpr>>,
    /// Every memory's type (imports first).
    pub memories: Vec<MemoryType>,
    /// Number of imported memories.
    pub num_imported_memories: u32,
    /// Every global's type (imports first).
    pub globals: Vec<GlobalType>,
    /// Number of imported globals.
    pub num_imported_globals: u32,
    /// Initializer of each defined global.
    pub global_inits: Vec<ConstExpr>,
    /// Exports in declaration order.
    pub exports: Vec<Export>,
    /// Export lookup by name.
    pub export_map: HashMap<String, EntityIndex>,
    /// Start function.
    pub start: Option<u32>,
    /// Element segments.
    pub elems: Vec<ElemSegment>,
    /// Data segments.
    pub datas: Vec<DataSegment>,
    /// Bodies of the defined functions.
    pub bodies: Vec<FuncBody>,
    /// Function names from the `name` section.
    pub func_names: HashMap<u32, String>,
}

impl ModuleInfo {
    /// The signature of function `index`.
    pub fn func_type(&self, index: u32) -> &FuncType {
        &self.types[self.funcs[index as usize] as usize]
    }

    /// The type of an entity of this module.
    pub fn entity_type(&self, index: EntityIndex) -> ExternType {
        match index {
            EntityIndex::Func(i) => ExternType::Func(self.func_type(i).clone()),
            EntityIndex::Table(i) => ExternType::Table(self.tables[i as usize]),
            EntityIndex::Memory(i) => ExternType::Memory(self.memories[i as usize]),
            EntityIndex::Global(i) => ExternType::Global(self.globals[i as usize]),
        }
    }

    /// Only validates `bytes` with the given feature set, accepting features Wedge cannot run.
    pub fn validate(bytes: &[u8], features: WasmFeatures) -> Result<(), ModuleError> {
        Validator::new_with_features(features)
            .validate_all(bytes)
            .map(drop)
            .map_err(|e| ModuleError::from_reader(e, None))
    }

    /// Decodes and validates `bytes` with the given feature set.
    pub fn parse(bytes: &[u8], features: WasmFeatures) -> Result<ModuleInfo, ModuleError> {
        Builder::new(features).parse(bytes, PARALLEL_VALIDATION_MIN)
    }

    /// Decodes and validates `bytes` with the given feature set, except for the function
    /// bodies, which are validated only when the caller calls
    /// [`UnvalidatedBodies::validate`]. Running or compiling a body that was not validated is
    /// a bug; leaving them out is only for code compiled earlier from the same module,
    /// validated then with the same features.
    pub fn parse_deferring_bodies(
        bytes: &[u8],
        features: WasmFeatures,
    ) -> Result<(ModuleInfo, UnvalidatedBodies<'_>), ModuleError> {
        let (info, bodies) = Builder::new(features).parse_deferred(bytes)?;
        Ok((
            info,
            UnvalidatedBodies {
                bodies,
                parallel: bytes.len() >= PARALLEL_VALIDATION_MIN,
            },
        ))
    }
}

/// The function bodies [`ModuleInfo::parse_deferring_bodies`] has not validated.
pub struct UnvalidatedBodies<'a> {
    bodies: Vec<DeferredBody<'a>>,
    parallel: bool,
}

impl UnvalidatedBodies<'_> {
    /// Validates the bodies (on every core for a large module); the error is the first one
    /// a validation in order finds.
    pub fn validate(self) -> Result<(), ModuleError> {
        validate_bodies(self.bodies, self.parallel)
    }
}

impl fmt::Debug for UnvalidatedBodies<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnvalidatedBodies")
            .field("bodies", &self.bodies.len())
            .finish()
    }
}

/// Converts a wasmparser value type into ours.
pub fn convert_val_type(ty: wasmparser::ValType, offset: u64) -> Result<ValType, ModuleError> {
    Ok(match ty {
        wasmparser::ValType::I32 => ValType::I32,
        wasmparser::ValType::I64 => ValType::I64,
        wasmparser::ValType::F32 => ValType::F32,
        wasmparser::ValType::F64 => ValType::F64,
        wasmparser::ValType::V128 => ValType::V128,
        wasmparser::ValType::Ref(r) => convert_ref_type(r, offset)?,
    })
}

/// Converts a wasmparser reference type into ours.
pub fn convert_ref_type(r: wasmparser::RefType, offset: u64) -> Result<ValType, ModuleError> {
    if r == wasmparser::RefType::FUNCREF {
        Ok(ValType::FuncRef)
    } else if r == wasmparser::RefType::EXTERNREF {
        Ok(ValType::ExternRef)
    } else {
        Err(ModuleError::unsupported(
            offset,
            format!("reference type {r} is not supported yet"),
        ))
    }
}

fn convert_limits(min: u64, max: Option<u64>) -> Limits {
    Limits { min, max }
}

fn convert_table_type(t: &wasmparser::TableType, offset: u64) -> Result<TableType, ModuleError> {
    if t.table64 {
        return Err(ModuleError::unsupported(
            offset,
            "64-bit tables are not supported yet",
        ));
    }
    Ok(TableType {
        element: convert_ref_type(t.element_type, offset)?,
        limits: convert_limits(t.initial, t.maximum),
    })
}

fn convert_memory_type(m: &wasmparser::MemoryType, offset: u64) -> Result<MemoryType, ModuleError> {
    if m.memory64 {
        return Err(ModuleError::unsupported(
            offset,
            "memory64 is not supported yet",
        ));
    }
    if m.page_size_log2.is_some() {
        return Err(ModuleError::unsupported(
            offset,
            "custom page sizes are not supported yet",
        ));
    }
    Ok(MemoryType {
        limits: convert_limits(m.initial, m.maximum),
        memory64: m.memory64,
        shared: m.shared,
    })
}

fn convert_global_type(g: &wasmparser::GlobalType, offset: u64) -> Result<GlobalType, ModuleError> {
    Ok(GlobalType {
        content: convert_val_type(g.content_type, offset)?,
        mutability: if g.mutable {
            Mutability::Var
        } else {
            Mutability::Const
        },
    })
}

/// Converts a wasmparser constant expression.
pub fn convert_const_expr(e: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr, ModuleError> {
    use wasmparser::Operator as O;
    let mut ops = Vec::new();
    let mut reader = e.get_operators_reader();
    while !reader.eof() {
        let offset = reader.original_position();
        let op = reader
            .read()
            .map_err(|e| ModuleError::from_reader(e, None))?;
        ops.push(match op {
            O::I32Const { value } => ConstOp::I32Const(value),
            O::I64Const { value } => ConstOp::I64Const(value),
            O::F32Const { value } => ConstOp::F32Const(value.bits()),
            O::F64Const { value } => ConstOp::F64Const(value.bits()),
            O::V128Const { value } => ConstOp::V128Const(u128::from_le_bytes(*value.bytes())),
            O::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
            O::RefNull { hty } => ConstOp::RefNull(match hty {
                wasmparser::HeapType::FUNC => ValType::FuncRef,
                wasmparser::HeapType::EXTERN => ValType::ExternRef,
                other => {
                    return Err(ModuleError::unsupported(
                        offset,
                        format!("ref.null {other:?} is not supported yet"),
                    ));
                }
            }),
            O::RefFunc { function_index } => ConstOp::RefFunc(function_index),
            O::I32Add => ConstOp::I32Add,
            O::I32Sub => ConstOp::I32Sub,
            O::I32Mul => ConstOp::I32Mul,
            O::I64Add => ConstOp::I64Add,
            O::I64Sub => ConstOp::I64Sub,
            O::I64Mul => ConstOp::I64Mul,
            O::End => continue,
            other => {
                return Err(ModuleError::unsupported(
                    offset,
                    format!("constant instruction {other:?} is not supported yet"),
                ));
            }
        });
    }
    Ok(ConstExpr { ops })
}

/// Modules of at least this many bytes have their function bodies validated in parallel.
const PARALLEL_VALIDATION_MIN: usize = 1 << 20;

type DeferredBody<'a> = (
    u32,
    wasmparser::FuncToValidate<wasmparser::ValidatorResources>,
    wasmparser::FunctionBody<'a>,
);

/// Validates `bodies` (in function order), on every core when `parallel`; the error of the
/// first invalid one.
fn validate_bodies(bodies: Vec<DeferredBody<'_>>, parallel: bool) -> Result<(), ModuleError> {
    if bodies.is_empty() {
        return Ok(());
    }
    let threads = if parallel {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(bodies.len().div_ceil(64))
    } else {
        1
    };
    // Handed out in batches of 64, in order.
    let queue = std::sync::Mutex::new(bodies.into_iter());
    let first_error = std::sync::Mutex::new(None::<ModuleError>);
    let work = || {
        let mut allocs = wasmparser::FuncValidatorAllocations::default();
        loop {
            let batch: Vec<DeferredBody<'_>> = {
                let mut queue = queue.lock().unwrap_or_else(|e| e.into_inner());
                queue.by_ref().take(64).collect()
            };
            if batch.is_empty() {
                return;
            }
            for (func_index, func, body) in batch {
                let mut v = func.into_validator(allocs);
                let r = v.validate(&body);
                allocs = v.into_allocations();
                if let Err(e) = r {
                    let e = ModuleError::from_reader(e, Some(func_index));
                    let mut first = first_error.lock().unwrap_or_else(|e| e.into_inner());
                    if first.as_ref().is_none_or(|f| f.func_index > e.func_index) {
                        *first = Some(e);
                    }
                    break;
                }
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
    match first_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

struct Builder {
    validator: Validator,
    info: ModuleInfo,
    allocs: wasmparser::FuncValidatorAllocations,
}

impl Builder {
    fn new(features: WasmFeatures) -> Self {
        Builder {
            validator: Validator::new_with_features(features),
            info: ModuleInfo::default(),
            allocs: Default::default(),
        }
    }

    /// Decodes and validates `bytes`, validating the function bodies in parallel when the
    /// module has at least `parallel_min` bytes.
    fn parse(self, bytes: &[u8], parallel_min: usize) -> Result<ModuleInfo, ModuleError> {
        let parallel = bytes.len() >= parallel_min;
        let (info, deferred) = self.parse_bodies(bytes, parallel)?;
        validate_bodies(deferred, true)?;
        Ok(info)
    }

    /// Decodes and validates `bytes` except for the function bodies, which it returns.
    fn parse_deferred<'a>(
        self,
        bytes: &'a [u8],
    ) -> Result<(ModuleInfo, Vec<DeferredBody<'a>>), ModuleError> {
        self.parse_bodies(bytes, true)
    }

    /// Decodes and validates `bytes`; the function bodies are validated as they come, or with
    /// `defer`, returned for validation later. When another error comes first, the deferred
    /// bodies before it are validated first, so the error returned is the one a validation
    /// in order finds first.
    fn parse_bodies<'a>(
        mut self,
        bytes: &'a [u8],
        defer: bool,
    ) -> Result<(ModuleInfo, Vec<DeferredBody<'a>>), ModuleError> {
        let err = |e| ModuleError::from_reader(e, None);
        let mut parser = Parser::new(0);
        parser.set_features(*self.validator.features());
        let mut deferred = defer.then(Vec::new);
        for payload in parser.parse_all(bytes) {
            let step = payload.map_err(err).and_then(|payload| {
                let valid = self.validator.payload(&payload).map_err(err)?;
                if let wasmparser::ValidPayload::Func(func, body) = valid {
                    let func_index = self.info.num_imported_funcs + self.info.bodies.len() as u32;
                    match &mut deferred {
                        Some(list) => list.push((func_index, func, body)),
                        None => {
                            let mut v = func.into_validator(std::mem::take(&mut self.allocs));
                            v.validate(&body)
                                .map_err(|e| ModuleError::from_reader(e, Some(func_index)))?;
                            self.allocs = v.into_allocations();
                        }
                    }
                }
                self.payload(payload)
            });
            if let Err(e) = step {
                validate_bodies(deferred.unwrap_or_default(), true)?;
                return Err(e);
            }
        }
        Ok((self.info, deferred.unwrap_or_default()))
    }

    fn payload(&mut self, payload: Payload<'_>) -> Result<(), ModuleError> {
        let err = |e| ModuleError::from_reader(e, None);
        let info = &mut self.info;
        match payload {
            Payload::Version {
                encoding, range, ..
            } if encoding != wasmparser::Encoding::Module => {
                return Err(ModuleError::unsupported(
                    range.start,
                    "components are not supported",
                ));
            }
            Payload::TypeSection(reader) => {
                let offset = reader.range().start;
                for group in reader {
                    for sub in group.map_err(err)?.into_types() {
                        match &sub.composite_type.inner {
                            wasmparser::CompositeInnerType::Func(f) => {
                                let params = f
                                    .params()
                                    .iter()
                                    .map(|t| convert_val_type(*t, offset))
                                    .collect::<Result<Vec<_>, _>>()?;
                                let results = f
                                    .results()
                                    .iter()
                                    .map(|t| convert_val_type(*t, offset))
                                    .collect::<Result<Vec<_>, _>>()?;
                                info.types.push(FuncType::new(params, results));
                            }
                            _ => {
                                return Err(ModuleError::unsupported(
                                    offset,
                                    "GC struct and array types are not supported yet",
                                ));
                            }
                        }
                    }
                }
            }
            Payload::ImportSection(reader) => {
                let offset = reader.range().start;
                for import in reader.into_imports() {
                    let import = import.map_err(err)?;
                    let index = match import.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                            info.funcs.push(t);
                            info.num_imported_funcs += 1;
                            EntityIndex::Func(info.funcs.len() as u32 - 1)
                        }
                        TypeRef::Table(t) => {
                            info.tables.push(convert_table_type(&t, offset)?);
                            info.num_imported_tables += 1;
                            EntityIndex::Table(info.tables.len() as u32 - 1)
                        }
                        TypeRef::Memory(m) => {
                            info.memories.push(convert_memory_type(&m, offset)?);
                            info.num_imported_memories += 1;
                            EntityIndex::Memory(info.memories.len() as u32 - 1)
                        }
                        TypeRef::Global(g) => {
                            info.globals.push(convert_global_type(&g, offset)?);
                            info.num_imported_globals += 1;
                            EntityIndex::Global(info.globals.len() as u32 - 1)
                        }
                        TypeRef::Tag(_) => {
                            return Err(ModuleError::unsupported(
                                offset,
                                "exception tags are not supported yet",
                            ));
                        }
                    };
                    info.imports.push(Import {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        index,
                    });
                }
            }
            Payload::FunctionSection(reader) => {
                for t in reader {
                    info.funcs.push(t.map_err(err)?);
                }
            }
            Payload::TableSection(reader) => {
                let offset = reader.range().start;
                for table in reader {
                    let table = table.map_err(err)?;
                    info.tables.push(convert_table_type(&table.ty, offset)?);
                    info.table_inits.push(match &table.init {
                        wasmparser::TableInit::RefNull => None,
                        wasmparser::TableInit::Expr(e) => Some(convert_const_expr(e)?),
                    });
                }
            }
            Payload::MemorySection(reader) => {
                let offset = reader.range().start;
                for m in reader {
                    info.memories
                        .push(convert_memory_type(&m.map_err(err)?, offset)?);
                }
            }
            Payload::TagSection(reader) => {
                return Err(ModuleError::unsupported(
                    reader.range().start,
                    "exception tags are not supported yet",
                ));
            }
            Payload::GlobalSection(reader) => {
                let offset = reader.range().start;
                for g in reader {
                    let g = g.map_err(err)?;
                    info.globals.push(convert_global_type(&g.ty, offset)?);
                    info.global_inits.push(convert_const_expr(&g.init_expr)?);
                }
            }
            Payload::ExportSection(reader) => {
                for e in reader {
                    let e = e.map_err(err)?;
                    let index = match e.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => EntityIndex::Func(e.index),
                        ExternalKind::Table => EntityIndex::Table(e.index),
                        ExternalKind::Memory => EntityIndex::Memory(e.index),
                        ExternalKind::Global => EntityIndex::Global(e.index),
                        ExternalKind::Tag => {
                            return Err(ModuleError::unsupported(
                                0,
                                "exception tags are not supported yet",
                            ));
                        }
                    };
                    info.export_map.insert(e.name.to_string(), index);
                    info.exports.push(Export {
                        name: e.name.to_string(),
                        index,
                    });
                }
            }
            Payload::StartSection { func, .. } => info.start = Some(func),
            Payload::ElementSection(reader) => {
                let offset = reader.range().start;
                for elem in reader {
                    let elem = elem.map_err(err)?;
                    let mode = match elem.kind {
                        ElementKind::Passive => ElemMode::Passive,
                        ElementKind::Declared => ElemMode::Declared,
                        ElementKind::Active {
                            table_index,
                            offset_expr,
                        } => ElemMode::Active {
                            table: table_index.unwrap_or(0),
                            offset: convert_const_expr(&offset_expr)?,
                        },
                    };
                    let (ty, items) = match elem.items {
                        ElementItems::Functions(r) => {
                            let mut items = Vec::new();
                            for f in r {
                                items.push(ConstExpr {
                                    ops: vec![ConstOp::RefFunc(f.map_err(err)?)],
                                });
                            }
                            (ValType::FuncRef, items)
                        }
                        ElementItems::Expressions(ty, r) => {
                            let mut items = Vec::new();
                            for e in r {
                                items.push(convert_const_expr(&e.map_err(err)?)?);
                            }
                            (convert_ref_type(ty, offset)?, items)
                        }
                    };
                    info.elems.push(ElemSegment { mode, ty, items });
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data.map_err(err)?;
                    let mode = match data.kind {
                        wasmparser::DataKind::Passive => DataMode::Passive,
                        wasmparser::DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => DataMode::Active {
                            memory: memory_index,
                            offset: convert_const_expr(&offset_expr)?,
                        },
                    };
                    info.datas.push(DataSegment {
                        mode,
                        data: data.data.into(),
                    });
                }
            }
            Payload::CodeSectionEntry(body) => {
                info.bodies.push(FuncBody {
                    range: body.range(),
                });
            }
            Payload::CustomSection(reader) => {
                if let wasmparser::KnownCustom::Name(names) = reader.as_known() {
                    // A malformed name section is ignored, as the spec requires.
                    for name in names.into_iter().flatten() {
                        match name {
                            wasmparser::Name::Module { name, .. } => {
                                info.name = Some(name.to_string())
                            }
                            wasmparser::Name::Function(map) => {
                                for naming in map.into_iter().flatten() {
                                    info.func_names
                                        .insert(naming.index, naming.name.to_string());
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leb(out: &mut Vec<u8>, mut v: u32) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }

    fn section(out: &mut Vec<u8>, id: u8, content: &[u8]) {
        out.push(id);
        leb(out, content.len() as u32);
        out.extend_from_slice(content);
    }

    /// A module of `n` functions `() -> ()` whose bodies push and drop constants (about 300
    /// bytes each); those in `invalid` apply `i32.eqz` to an `i64`. With `bad_data`, it ends
    /// with a data section that refers to a memory it does not have.
    fn module(n: u32, invalid: &[u32], bad_data: bool) -> Vec<u8> {
        let mut m = vec![0, b'a', b's', b'm', 1, 0, 0, 0];
        section(&mut m, 1, &[1, 0x60, 0, 0]);
        let mut funcs = Vec::new();
        leb(&mut funcs, n);
        funcs.extend(std::iter::repeat_n(0u8, n as usize));
        section(&mut m, 3, &funcs);
        let mut code = Vec::new();
        leb(&mut code, n);
        for i in 0..n {
            let mut body = vec![0u8];
            for _ in 0..100 {
                body.extend([0x41, 0x01, 0x1a]);
            }
            if invalid.contains(&i) {
                body.extend([0x42, 0x00, 0x45, 0x1a]);
            }
            body.push(0x0b);
            leb(&mut code, body.len() as u32);
            code.extend(body);
        }
        section(&mut m, 10, &code);
        if bad_data {
            section(&mut m, 11, &[1, 0, 0x41, 0, 0x0b, 1, 0xff]);
        }
        m
    }

    #[test]
    fn large_modules_validate_in_parallel_and_report_the_first_error() {
        let features = WasmFeatures::WASM2;
        let n = 4000;
        let valid = module(n, &[], false);
        assert!(valid.len() >= PARALLEL_VALIDATION_MIN);
        let info = ModuleInfo::parse(&valid, features).unwrap();
        assert_eq!(info.bodies.len(), n as usize);
        // The same error as validation in order: the first invalid function, even when a
        // later one (handed to another thread) and a later section are invalid too.
        for (invalid, bad_data) in [(vec![3001, 1500], false), (vec![3999, 17], true)] {
            let bytes = module(n, &invalid, bad_data);
            let first = *invalid.iter().min().unwrap();
            let e = ModuleInfo::parse(&bytes, features).unwrap_err();
            assert_eq!(e.func_index, Some(first), "{e:?}");
            let in_order = Builder::new(features)
                .parse(&bytes, usize::MAX)
                .unwrap_err();
            assert_eq!(e.offset, in_order.offset);
            assert_eq!(e.message, in_order.message);
        }
        // Only the data section is invalid: its error.
        let e = ModuleInfo::parse(&module(n, &[], true), features).unwrap_err();
        assert_eq!(e.func_index, None, "{e:?}");
    }

    #[test]
    fn deferred_bodies_are_validated_only_when_asked_and_report_the_first_error() {
        let features = WasmFeatures::WASM2;
        for n in [10, 4000] {
            let bytes = module(n, &[7, 3], false);
            let (info, bodies) = ModuleInfo::parse_deferring_bodies(&bytes, features).unwrap();
            assert_eq!(info.bodies.len(), n as usize);
            let e = bodies.validate().unwrap_err();
            assert_eq!(e.func_index, Some(3), "{e:?}");
            // An error after the code section still waits for the bodies before it.
            let bytes = module(n, &[9], true);
            let e = ModuleInfo::parse_deferring_bodies(&bytes, features).unwrap_err();
            assert_eq!(e.func_index, Some(9), "{e:?}");
            let valid = module(n, &[], false);
            let (_, bodies) = ModuleInfo::parse_deferring_bodies(&valid, features).unwrap();
            assert!(bodies.validate().is_ok());
        }
    }
}
