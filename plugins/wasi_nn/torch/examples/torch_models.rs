//! Makes the PyTorch backend's test models and times libtorch called natively; needs the
//! library's libtorch (`scripts/nn/pytorch.sh` runs it). No Python torch is needed: the models are
//! traced with libtorch itself from weights numpy wrote.
//!
//! ```text
//! torch_models make WEIGHTS MODELS   WEIGHTS/mlp/{w1,b1,w2,b2}.bin -> MODELS/mlp.pt and
//!                                    MODELS/mlp.torch.output.bin (libtorch's output for
//!                                    MODELS/mlp.input.bin); WEIGHTS/bench/w{0..3}.bin -> MODELS/bench.pt
//! torch_models bench MODEL ROWS COLS ITER
//!                                    times load + first forward, then the mean of ITER forwards
//!                                    of a [ROWS, COLS] input of ones (libtorch's default threads)
//! ```
//! Weight files hold little-endian f32s (numpy's `tofile` of float32 arrays).

use std::error::Error;
use std::path::Path;
use std::time::Instant;

use tch::{CModule, Device, Kind, Tensor};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// The f32s of `path` as a tensor of `shape`.
fn read(path: &Path, shape: &[i64]) -> Result<Tensor> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Tensor::f_from_data_size(&bytes, shape, Kind::Float)?)
}

/// Traces `f` on `example` and saves the module to `out`.
fn trace(example: Tensor, out: &Path, f: impl Fn(&Tensor) -> Tensor) -> Result<()> {
    let module =
        CModule::create_by_tracing("model", "forward", &[example], &mut |xs| vec![f(&xs[0])])?;
    module.save(out)?;
    Ok(())
}

fn make(weights: &Path, models: &Path) -> Result<()> {
    // y = relu(x @ w1 + b1) @ w2 + b2, x: [1, 4]: the MLP of scripts/nn/onnx.sh.
    let mlp = weights.join("mlp");
    let w1 = read(&mlp.join("w1.bin"), &[4, 8])?;
    let b1 = read(&mlp.join("b1.bin"), &[8])?;
    let w2 = read(&mlp.join("w2.bin"), &[8, 3])?;
    let b2 = read(&mlp.join("b2.bin"), &[3])?;
    let pt = models.join("mlp.pt");
    trace(
        Tensor::zeros([1, 4], (Kind::Float, Device::Cpu)),
        &pt,
        |x| (x.matmul(&w1) + &b1).relu().matmul(&w2) + &b2,
    )?;
    // libtorch's own output, from the saved file as the plug-in loads it.
    let module = CModule::load(&pt)?;
    let x = read(&models.join("mlp.input.bin"), &[1, 4])?;
    let y = tch::no_grad(|| module.forward_ts(&[x]))?;
    let mut bytes = vec![0; y.numel() * 4];
    y.f_copy_data_u8(&mut bytes, y.numel())?;
    std::fs::write(models.join("mlp.torch.output.bin"), &bytes)?;
    println!(
        "model: {} output: {:?}",
        pt.display(),
        Vec::<f32>::try_from(y.flatten(0, -1))?
    );

    // 4 x ([rows, 1024] @ [1024, 1024] + relu): the benchmark model of scripts/nn/onnx.sh.
    let bench = weights.join("bench");
    let ws = (0..4)
        .map(|i| read(&bench.join(format!("w{i}.bin")), &[1024, 1024]))
        .collect::<Result<Vec<_>>>()?;
    let pt = models.join("bench.pt");
    trace(
        Tensor::zeros([2, 1024], (Kind::Float, Device::Cpu)),
        &pt,
        |x| ws.iter().fold(x.shallow_clone(), |h, w| h.matmul(w).relu()),
    )?;
    println!("model: {}", pt.display());
    Ok(())
}

fn bench(model: &Path, rows: i64, cols: i64, iter: u32) -> Result<()> {
    let x = Tensor::ones([rows, cols], (Kind::Float, Device::Cpu));
    let start = Instant::now();
    let bytes = std::fs::read(model)?;
    let module = CModule::load_data(&mut bytes.as_slice())?;
    let _first = tch::no_grad(|| module.forward_ts(&[&x]))?;
    let first = start.elapsed();
    let start = Instant::now();
    for _ in 0..iter {
        let _y = tch::no_grad(|| module.forward_ts(&[&x]))?;
    }
    let mean = start.elapsed() / iter.max(1);
    println!(
        "native threads={} first_call_ms={:.3} mean_ms={:.3}",
        tch::get_num_threads(),
        first.as_secs_f64() * 1e3,
        mean.as_secs_f64() * 1e3
    );
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [_, "make", weights, models] => make(Path::new(weights), Path::new(models)),
        [_, "bench", model, rows, cols, iter] => bench(
            Path::new(model),
            rows.parse()?,
            cols.parse()?,
            iter.parse()?,
        ),
        _ => Err("usage: torch_models make WEIGHTS MODELS | bench MODEL ROWS COLS ITER".into()),
    }
}
