//! Statistics: the SDK's `Statistics`, and counting through the bindings the SDK generates.
//!
//! The SDK attaches no `Statistics` to its `Vm`, and `wasmedge_sys::Executor::create` takes its
//! `Statistics` by value and deletes the context when that value drops (its `Drop` calls
//! `WasmEdge_StatisticsDelete` for every clone), leaving the executor with a dangling pointer
//! with WasmEdge as with Wedge. So the counting test drives the C API through
//! `wasmedge_sys::ffi`, the bindgen output the SDK itself calls.

use std::ptr::null_mut;

use wasmedge_sdk::{Statistics, wat2wasm};
use wasmedge_sys::ffi;

#[test]
fn fresh_statistics_count_nothing_and_rate_is_nan() {
    let mut stat = Statistics::new().unwrap();
    assert_eq!(stat.count(), 0);
    assert_eq!(stat.cost(), 0);
    assert!(
        stat.count_per_second().is_nan(),
        "{}",
        stat.count_per_second()
    );
    stat.set_cost_table([1u64; 256]);
    stat.set_cost_limit(1000);
    assert_eq!(stat.cost(), 0);
    assert!(stat.count_per_second().is_nan());
}

const LOOP: &str = r#"(module
  (func (export "spin") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc)))"#;

/// One executor with statistics, the `spin` export instantiated.
struct Counted {
    conf: *mut ffi::WasmEdge_ConfigureContext,
    stat: *mut ffi::WasmEdge_StatisticsContext,
    exec: *mut ffi::WasmEdge_ExecutorContext,
    store: *mut ffi::WasmEdge_StoreContext,
    ast: *mut ffi::WasmEdge_ASTModuleContext,
    inst: *mut ffi::WasmEdge_ModuleInstanceContext,
    spin: *const ffi::WasmEdge_FunctionInstanceContext,
}

fn ok(r: ffi::WasmEdge_Result) -> Result<(), u32> {
    // SAFETY: plain value functions of the C API.
    unsafe {
        if ffi::WasmEdge_ResultOK(r) {
            Ok(())
        } else {
            Err(ffi::WasmEdge_ResultGetCode(r))
        }
    }
}

impl Counted {
    fn new(cost_table: Option<&[u64]>, cost_limit: Option<u64>) -> Counted {
        let bytes = wat2wasm(LOOP.as_bytes()).unwrap();
        // SAFETY: every pointer comes from the C API and is used before its Delete (in drop).
        unsafe {
            let conf = ffi::WasmEdge_ConfigureCreate();
            ffi::WasmEdge_ConfigureStatisticsSetInstructionCounting(conf, true);
            ffi::WasmEdge_ConfigureStatisticsSetCostMeasuring(conf, true);
            ffi::WasmEdge_ConfigureStatisticsSetTimeMeasuring(conf, true);
            let stat = ffi::WasmEdge_StatisticsCreate();
            if let Some(table) = cost_table {
                ffi::WasmEdge_StatisticsSetCostTable(
                    stat,
                    table.as_ptr() as *mut u64,
                    table.len() as u32,
                );
            }
            let exec = ffi::WasmEdge_ExecutorCreate(conf, stat);
            // After ExecutorCreate: creating an executor resets its statistics' cost limit to
            // the configured one (unlimited), in WasmEdge as in Wedge.
            if let Some(limit) = cost_limit {
                ffi::WasmEdge_StatisticsSetCostLimit(stat, limit);
            }
            let store = ffi::WasmEdge_StoreCreate();
            let loader = ffi::WasmEdge_LoaderCreate(conf);
            let mut ast = null_mut();
            ok(ffi::WasmEdge_LoaderParseFromBytes(
                loader,
                &mut ast,
                ffi::WasmEdge_BytesWrap(bytes.as_ptr(), bytes.len() as u32),
            ))
            .unwrap();
            ffi::WasmEdge_LoaderDelete(loader);
            let validator = ffi::WasmEdge_ValidatorCreate(conf);
            ok(ffi::WasmEdge_ValidatorValidate(validator, ast)).unwrap();
            ffi::WasmEdge_ValidatorDelete(validator);
            let mut inst = null_mut();
            ok(ffi::WasmEdge_ExecutorInstantiate(
                exec, &mut inst, store, ast,
            ))
            .unwrap();
            let name = ffi::WasmEdge_StringCreateByCString(c"spin".as_ptr());
            let spin = ffi::WasmEdge_ModuleInstanceFindFunction(inst, name);
            ffi::WasmEdge_StringDelete(name);
            assert!(!spin.is_null());
            Counted {
                conf,
                stat,
                exec,
                store,
                ast,
                inst,
                spin,
            }
        }
    }

    fn spin(&self, n: i32) -> Result<i32, u32> {
        let params = [wasmedge_sys::WasmValue::from_i32(n).as_raw()];
        let mut out = [wasmedge_sys::WasmValue::from_i32(0).as_raw()];
        // SAFETY: live contexts; one parameter and one result, as `spin` has.
        ok(unsafe {
            ffi::WasmEdge_ExecutorInvoke(
                self.exec,
                self.spin,
                params.as_ptr(),
                1,
                out.as_mut_ptr(),
                1,
            )
        })?;
        Ok(wasmedge_sys::WasmValue::from(out[0]).to_i32())
    }

    fn count(&self) -> u64 {
        // SAFETY: a live context.
        unsafe { ffi::WasmEdge_StatisticsGetInstrCount(self.stat) }
    }

    fn cost(&self) -> u64 {
        // SAFETY: a live context.
        unsafe { ffi::WasmEdge_StatisticsGetTotalCost(self.stat) }
    }

    fn rate(&self) -> f64 {
        // SAFETY: a live context.
        unsafe { ffi::WasmEdge_StatisticsGetInstrPerSecond(self.stat) }
    }

    fn clear(&self) {
        // SAFETY: a live context.
        unsafe { ffi::WasmEdge_StatisticsClear(self.stat) }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        // SAFETY: each context is deleted once, users before what they use.
        unsafe {
            ffi::WasmEdge_ModuleInstanceDelete(self.inst);
            ffi::WasmEdge_ASTModuleDelete(self.ast);
            ffi::WasmEdge_StoreDelete(self.store);
            ffi::WasmEdge_ExecutorDelete(self.exec);
            ffi::WasmEdge_StatisticsDelete(self.stat);
            ffi::WasmEdge_ConfigureDelete(self.conf);
        }
    }
}

#[test]
fn instructions_and_cost_are_counted_per_run() {
    let c = Counted::new(None, None);
    assert_eq!(c.count(), 0);
    assert!(c.rate().is_nan(), "nothing ran yet: {}", c.rate());

    assert_eq!(c.spin(10), Ok(55));
    let d10 = c.count();
    assert!(d10 > 0);
    assert_eq!(c.spin(20), Ok(210));
    let d20 = c.count() - d10;
    assert_eq!(c.spin(30), Ok(465));
    let d30 = c.count() - d10 - d20;
    // Counts add up across runs, and every iteration costs the same number of instructions.
    assert_eq!(d30 - d20, d20 - d10);
    assert!(
        d20 - d10 >= 70,
        "ten iterations took {} instructions",
        d20 - d10
    );
    // The default cost of every instruction is 1.
    assert_eq!(c.cost(), c.count());
    assert!(c.rate() > 0.0 && c.rate().is_finite(), "{}", c.rate());

    c.clear();
    assert_eq!((c.count(), c.cost()), (0, 0));
    assert_eq!(c.spin(10), Ok(55));
    assert_eq!(c.count(), d10);
}

#[test]
fn a_cost_table_prices_instructions_and_a_limit_stops_the_guest() {
    let c = Counted::new(Some(&[3u64; 512]), None);
    assert_eq!(c.spin(10), Ok(55));
    assert_eq!(c.cost(), 3 * c.count());

    let limited = Counted::new(None, Some(100));
    assert_eq!(limited.spin(2), Ok(3));
    // ErrCode CostLimitExceeded = 0x03.
    assert_eq!(limited.spin(1000), Err(0x03));
    assert!(limited.cost() <= 100, "{}", limited.cost());
}
