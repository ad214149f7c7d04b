//! `wedge parse FILE`: decode a module and print every section, in the spirit of
//! `wasm-objdump -x` ("Section Details"), naming functions and globals from the `name` section.

use crate::args::Args;
use crate::{FAILURE, SUCCESS, load};
use std::collections::HashMap;
use std::fmt::Write as _;
use wasmparser::{
    CompositeInnerType, ConstExpr, DataKind, ElementItems, ElementKind, ExternalKind, KnownCustom,
    Name, Operator, Parser, Payload, TypeRef,
};

/// Runs `wedge parse`; returns the exit status.
pub fn parse(args: &Args) -> i32 {
    let Some(file) = crate::require_file(args) else {
        return FAILURE;
    };
    let Some(bytes) = load::read(file) else {
        return FAILURE;
    };
    let features = load::config(args).features().to_wasmparser();
    match dump(&bytes, features) {
        Ok(text) => {
            print!("{text}");
            SUCCESS
        }
        Err(e) => {
            eprintln!(
                "loading failed: {} (at offset {:#x}), in {file}",
                e.message(),
                e.offset()
            );
            FAILURE
        }
    }
}

/// Names from the `name` section, found in a first pass so every section can use them.
#[derive(Default)]
struct Names {
    funcs: HashMap<u32, String>,
    globals: HashMap<u32, String>,
}

fn names(bytes: &[u8], features: wasmparser::WasmFeatures) -> Names {
    let mut out = Names::default();
    let mut parser = Parser::new(0);
    parser.set_features(features);
    for payload in parser.parse_all(bytes).flatten() {
        if let Payload::CustomSection(c) = payload
            && let KnownCustom::Name(reader) = c.as_known()
        {
            for name in reader.into_iter().flatten() {
                let (map, target) = match name {
                    Name::Function(m) => (m, &mut out.funcs),
                    Name::Global(m) => (m, &mut out.globals),
                    _ => continue,
                };
                for n in map.into_iter().flatten() {
                    target.insert(n.index, n.name.to_string());
                }
            }
        }
    }
    out
}

fn label(map: &HashMap<u32, String>, i: u32) -> String {
    map.get(&i).map(|n| format!(" <{n}>")).unwrap_or_default()
}

fn init(e: &ConstExpr<'_>) -> String {
    let mut parts = Vec::new();
    let mut r = e.get_operators_reader();
    while let Ok(op) = r.read() {
        parts.push(match op {
            Operator::I32Const { value } => format!("i32={value}"),
            Operator::I64Const { value } => format!("i64={value}"),
            Operator::F32Const { value } => format!("f32={}", f32::from_bits(value.bits())),
            Operator::F64Const { value } => format!("f64={}", f64::from_bits(value.bits())),
            Operator::GlobalGet { global_index } => format!("global={global_index}"),
            Operator::RefNull { .. } => "ref.null".to_string(),
            Operator::RefFunc { function_index } => format!("ref.func:{function_index}"),
            Operator::End => continue,
            other => format!("{other:?}"),
        });
    }
    parts.join(" ")
}

fn dump(
    bytes: &[u8],
    features: wasmparser::WasmFeatures,
) -> Result<String, wasmparser::BinaryReaderError> {
    let names = names(bytes, features);
    let mut out = String::from("\nSection Details:\n\n");
    let o = &mut out;
    let mut types: Vec<String> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let (mut nfunc, mut nglobal, mut ntable, mut nmem) = (0u32, 0u32, 0u32, 0u32);
    let mut code_index = None;
    let mut parser = Parser::new(0);
    parser.set_features(features);
    for payload in parser.parse_all(bytes) {
        match payload? {
            Payload::TypeSection(r) => {
                let _ = writeln!(o, "Type[{}]:", r.count());
                for group in r {
                    for sub in group?.into_types() {
                        let text = match &sub.composite_type.inner {
                            CompositeInnerType::Func(f) => {
                                let list = |t: &[wasmparser::ValType]| {
                                    t.iter()
                                        .map(ToString::to_string)
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                };
                                let results = match f.results() {
                                    [] => "nil".to_string(),
                                    [one] => one.to_string(),
                                    many => format!("({})", list(many)),
                                };
                                format!("({}) -> {results}", list(f.params()))
                            }
                            other => format!("{other:?}"),
                        };
                        let _ = writeln!(o, " - type[{}] {text}", types.len());
                        types.push(text);
                    }
                }
            }
            Payload::ImportSection(r) => {
                let _ = writeln!(o, "Import[{}]:", r.count());
                for import in r.into_imports() {
                    let i = import?;
                    let (m, n) = (i.module, i.name);
                    let _ = match i.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                            func_types.push(t);
                            nfunc += 1;
                            writeln!(
                                o,
                                " - func[{}] sig={t}{} <- {m}.{n}",
                                nfunc - 1,
                                label(&names.funcs, nfunc - 1)
                            )
                        }
                        TypeRef::Table(t) => {
                            ntable += 1;
                            writeln!(
                                o,
                                " - table[{}] type={} initial={} <- {m}.{n}",
                                ntable - 1,
                                t.element_type,
                                t.initial
                            )
                        }
                        TypeRef::Memory(t) => {
                            nmem += 1;
                            writeln!(
                                o,
                                " - memory[{}] pages: initial={}{} <- {m}.{n}",
                                nmem - 1,
                                t.initial,
                                max(t.maximum)
                            )
                        }
                        TypeRef::Global(g) => {
                            nglobal += 1;
                            writeln!(
                                o,
                                " - global[{}] {} mutable={} <- {m}.{n}",
                                nglobal - 1,
                                g.content_type,
                                u8::from(g.mutable)
                            )
                        }
                        TypeRef::Tag(_) => writeln!(o, " - tag <- {m}.{n}"),
                    };
                }
            }
            Payload::FunctionSection(r) => {
                let _ = writeln!(o, "Function[{}]:", r.count());
                for t in r {
                    let t = t?;
                    func_types.push(t);
                    let _ = writeln!(o, " - func[{nfunc}] sig={t}{}", label(&names.funcs, nfunc));
                    nfunc += 1;
                }
            }
            Payload::TableSection(r) => {
                let _ = writeln!(o, "Table[{}]:", r.count());
                for t in r {
                    let t = t?.ty;
                    let _ = writeln!(
                        o,
                        " - table[{ntable}] type={} initial={}{}",
                        t.element_type,
                        t.initial,
                        max(t.maximum)
                    );
                    ntable += 1;
                }
            }
            Payload::MemorySection(r) => {
                let _ = writeln!(o, "Memory[{}]:", r.count());
                for m in r {
                    let m = m?;
                    let _ = writeln!(
                        o,
                        " - memory[{nmem}] pages: initial={}{}",
                        m.initial,
                        max(m.maximum)
                    );
                    nmem += 1;
                }
            }
            Payload::GlobalSection(r) => {
                let _ = writeln!(o, "Global[{}]:", r.count());
                for g in r {
                    let g = g?;
                    let _ = writeln!(
                        o,
                        " - global[{nglobal}] {} mutable={}{} - init {}",
                        g.ty.content_type,
                        u8::from(g.ty.mutable),
                        label(&names.globals, nglobal),
                        init(&g.init_expr)
                    );
                    nglobal += 1;
                }
            }
            Payload::ExportSection(r) => {
                let _ = writeln!(o, "Export[{}]:", r.count());
                for e in r {
                    let e = e?;
                    let (kind, extra) = match e.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => {
                            ("func", label(&names.funcs, e.index))
                        }
                        ExternalKind::Table => ("table", String::new()),
                        ExternalKind::Memory => ("memory", String::new()),
                        ExternalKind::Global => ("global", label(&names.globals, e.index)),
                        ExternalKind::Tag => ("tag", String::new()),
                    };
                    let _ = writeln!(o, " - {kind}[{}]{extra} -> \"{}\"", e.index, e.name);
                }
            }
            Payload::StartSection { func, .. } => {
                let _ = writeln!(
                    o,
                    "Start:\n - start function: {func}{}",
                    label(&names.funcs, func)
                );
            }
            Payload::ElementSection(r) => {
                let _ = writeln!(o, "Elem[{}]:", r.count());
                for (i, e) in r.into_iter().enumerate() {
                    let e = e?;
                    let count = match &e.items {
                        ElementItems::Functions(f) => f.count(),
                        ElementItems::Expressions(_, x) => x.count(),
                    };
                    let _ = match &e.kind {
                        ElementKind::Active {
                            table_index,
                            offset_expr,
                        } => writeln!(
                            o,
                            " - segment[{i}] active table={} count={count} - init {}",
                            table_index.unwrap_or(0),
                            init(offset_expr)
                        ),
                        ElementKind::Passive => {
                            writeln!(o, " - segment[{i}] passive count={count}")
                        }
                        ElementKind::Declared => {
                            writeln!(o, " - segment[{i}] declared count={count}")
                        }
                    };
                }
            }
            Payload::DataCountSection { count, .. } => {
                let _ = writeln!(o, "DataCount:\n - data count: {count}");
            }
            Payload::CodeSectionStart { count, .. } => {
                let _ = writeln!(o, "Code[{count}]:");
                code_index = Some(nfunc - count);
            }
            Payload::CodeSectionEntry(body) => {
                let i = code_index.unwrap_or(0);
                let size = body.range().end - body.range().start;
                let sig = func_types
                    .get(i as usize)
                    .map(|t| format!(" sig={t}"))
                    .unwrap_or_default();
                let _ = writeln!(o, " - func[{i}] size={size}{sig}{}", label(&names.funcs, i));
                code_index = Some(i + 1);
            }
            Payload::DataSection(r) => {
                let _ = writeln!(o, "Data[{}]:", r.count());
                for (i, d) in r.into_iter().enumerate() {
                    let d = d?;
                    let _ = match &d.kind {
                        DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => writeln!(
                            o,
                            " - segment[{i}] memory={memory_index} size={} - init {}",
                            d.data.len(),
                            init(offset_expr)
                        ),
                        DataKind::Passive => {
                            writeln!(o, " - segment[{i}] passive size={}", d.data.len())
                        }
                    };
                }
            }
            Payload::CustomSection(c) => {
                let _ = writeln!(
                    o,
                    "Custom:\n - name: \"{}\" size={}",
                    c.name(),
                    c.data().len()
                );
            }
            _ => {}
        }
    }
    Ok(out)
}

fn max(m: Option<u64>) -> String {
    m.map(|m| format!(" max={m}")).unwrap_or_default()
}
