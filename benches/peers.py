#!/usr/bin/env python3
"""Times Wedge against other WebAssembly runtimes on the benchmark programs.

For each program in benches/programs/ (listed in expected.txt), calls its
`run` export with the default argument in Wedge and in every peer runtime
that is installed, checks that each printed the expected checksum, and
prints a Markdown table of the best wall time of --runs runs:

    program | wedge s | <peer> s | wedge/<peer> | ...

A ratio below 1 means Wedge is faster. A runtime that is not installed is
skipped; one that fails or prints the wrong checksum shows ERR, with the
reason listed under the table, and makes the script exit with status 1.

Peers, each used if found:
  wasmi      `wasmi --invoke run FILE ARG` (cargo install wasmi_cli; the
             binary is `wasmi`, or `wasmi_cli` before wasmi 0.32)
  wasm3      `wasm3 --func run FILE ARG`, else the pywasm3 module in-process
  wasmtime   `wasmtime run --invoke run FILE ARG`, else the wasmtime module
             (pip install wasmtime) in-process
  wasmedge   `wasmedge --reactor FILE run ARG`; with --aot, `wasmedge compile`
             first and `--run-mode aot`
  native     the same C built by gcc -O2 (only with --native)

What is timed: a command-line runtime is timed from process start to exit,
so its figure includes start-up, decoding, validation and compilation, as
Wedge's does (`wedge run --reactor FILE run ARG`). A Python module is timed
in-process from the module bytes to the returned result (compile,
instantiate, call); the Python interpreter's own start-up is left out.

Standard library only; the wasmtime and wasm3 modules are optional.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

BENCHES = Path(__file__).resolve().parent
PROGRAMS = BENCHES / "programs"
REPO = BENCHES.parent


@dataclasses.dataclass
class Program:
    name: str
    result_type: str  # "i32" or "i64"
    default_arg: int
    default_checksum: int
    small_arg: int
    small_checksum: int

    @property
    def wasm(self) -> Path:
        return PROGRAMS / f"{self.name}.wasm"

    @property
    def bits(self) -> int:
        return 64 if self.result_type == "i64" else 32


def load_programs() -> list[Program]:
    """Reads expected.txt: `name type default-arg checksum small-arg checksum`."""
    programs = []
    for number, line in enumerate((PROGRAMS / "expected.txt").read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) != 6 or fields[1] not in ("i32", "i64"):
            sys.exit(f"expected.txt:{number}: malformed line: {line!r}")
        name, result_type, *numbers = fields
        programs.append(Program(name, result_type, *map(int, numbers)))
    return programs


class RunError(Exception):
    """A runtime failed, timed out, or printed something unexpected."""


# A runner takes (program, argument, timeout) and returns (seconds, result
# text). It raises RunError when the runtime fails.
Runner = Callable[[Program, int, float], tuple[float, str]]


@dataclasses.dataclass
class Runtime:
    name: str
    how: str  # shown in the table's notes: the binary or module used
    runner: Runner


def command_runner(make_argv: Callable[[Program, int], list[str]]) -> Runner:
    """Times a command from start to exit; the result is its stdout."""

    def run(program: Program, arg: int, timeout: float) -> tuple[float, str]:
        argv = make_argv(program, arg)
        start = time.perf_counter()
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RunError(f"timed out after {timeout:g} s: {' '.join(argv)}") from None
        except OSError as error:
            raise RunError(f"could not start {argv[0]}: {error}") from None
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            detail = (done.stderr.strip() or done.stdout.strip()).splitlines()
            raise RunError(
                f"exit status {done.returncode}: {' '.join(argv)}"
                + (f": {detail[-1]}" if detail else "")
            )
        return elapsed, done.stdout

    return run


def find_binary(name: str, *extra_dirs: Path) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for directory in extra_dirs:
        candidate = directory / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


CARGO_BIN = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo")) / "bin"


def wedge_runtime(path: str, mode: str, workdir: Path) -> Runtime | None:
    """Wedge interpreting, JIT-compiling (`--run-mode jit`, code cache off, so every run
    compiles), or running a universal wasm made by `wedge compile` beforehand (`aot`; the
    compile is not timed, as with any AOT toolchain)."""
    binary = Path(path)
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        return None
    if mode == "jit":
        return Runtime("wedge", f"{binary} --run-mode jit", command_runner(
            lambda p, a: [str(binary), "run", "--run-mode", "jit", "--code-cache", "off",
                          "--reactor", str(p.wasm), "run", str(a)]))
    if mode == "aot":
        return Runtime("wedge", f"{binary} --run-mode aot (after wedge compile)",
                       aot_runner(workdir, "wedge", lambda p, out: [
                           str(binary), "compile", str(p.wasm), str(out)],
                           lambda out, a: [str(binary), "run", "--run-mode", "aot",
                                           "--reactor", str(out), "run", str(a)]))
    return Runtime("wedge", str(binary), command_runner(
        lambda p, a: [str(binary), "run", "--reactor", str(p.wasm), "run", str(a)]))


def aot_runner(workdir: Path, tag: str, compile_argv, run_argv) -> Runner:
    """Compiles each program once (untimed) with compile_argv(program, out), then times
    run_argv(out, arg)."""
    built: dict[str, Path] = {}

    def run(program: Program, arg: int, timeout: float) -> tuple[float, str]:
        if program.name not in built:
            out = workdir / f"{program.name}.{tag}.aot.{'so' if tag == 'wasmedge' else 'wasm'}"
            done = subprocess.run(compile_argv(program, out), capture_output=True, text=True)
            if done.returncode != 0:
                raise RunError(f"compile failed: {done.stderr.strip()[-500:]}")
            built[program.name] = out
        return command_runner(lambda p, a: run_argv(built[p.name], a))(program, arg, timeout)

    return run


def wasmi_runtime() -> Runtime | None:
    binary = find_binary("wasmi", CARGO_BIN) or find_binary("wasmi_cli", CARGO_BIN)
    if binary is None:
        return None
    # --invoke goes before the file: everything after the file is passed to
    # the function as arguments.
    return Runtime(
        "wasmi",
        f"{binary} ({binary_version(binary)})",
        command_runner(lambda p, a: [binary, "--invoke", "run", str(p.wasm), str(a)]),
    )


def wasm3_runtime() -> Runtime | None:
    binary = find_binary("wasm3")
    if binary is not None:
        return Runtime(
            "wasm3",
            f"{binary} ({binary_version(binary)})",
            command_runner(lambda p, a: [binary, "--func", "run", str(p.wasm), str(a)]),
        )
    try:
        import wasm3  # type: ignore[import-not-found]
    except ImportError:
        return None

    def run(program: Program, arg: int, timeout: float) -> tuple[float, str]:
        start = time.perf_counter()
        try:
            env = wasm3.Environment()
            runtime = env.new_runtime(1024 * 1024)
            runtime.load(env.parse_module(program.wasm.read_bytes()))
            result = runtime.find_function("run")(arg)
        except Exception as error:  # pywasm3 raises plain RuntimeError
            raise RunError(f"pywasm3: {error}") from None
        return time.perf_counter() - start, str(result)

    return Runtime("wasm3", f"pywasm3 {module_version('pywasm3')} (in-process)", run)


def wasmtime_runtime() -> Runtime | None:
    binary = find_binary("wasmtime")
    if binary is not None:
        return Runtime(
            "wasmtime",
            f"{binary} ({binary_version(binary)})",
            command_runner(lambda p, a: [binary, "run", "--invoke", "run", str(p.wasm), str(a)]),
        )
    try:
        import wasmtime  # type: ignore[import-not-found]
    except ImportError:
        return None

    def run(program: Program, arg: int, timeout: float) -> tuple[float, str]:
        start = time.perf_counter()
        try:
            engine = wasmtime.Engine()
            store = wasmtime.Store(engine)
            module = wasmtime.Module(engine, program.wasm.read_bytes())
            instance = wasmtime.Instance(store, module, [])
            result = instance.exports(store)["run"](store, arg)
        except Exception as error:  # wasmtime.WasmtimeError, Trap, ...
            raise RunError(f"wasmtime module: {error}") from None
        return time.perf_counter() - start, str(result)

    return Runtime("wasmtime", f"wasmtime-py {module_version('wasmtime')} (in-process)", run)


def wasmedge_runtime(aot: bool, workdir: Path) -> Runtime | None:
    binary = find_binary("wasmedge", Path.home() / ".wasmedge" / "bin")
    if binary is None:
        return None
    if aot:
        return Runtime("wasmedge", f"{binary} --run-mode aot ({binary_version(binary)})",
                       aot_runner(workdir, "wasmedge",
                                  lambda p, out: [binary, "compile", str(p.wasm), str(out)],
                                  lambda out, a: [binary, "--run-mode", "aot", "--reactor",
                                                  str(out), "run", str(a)]))
    return Runtime(
        "wasmedge",
        f"{binary} ({binary_version(binary)})",
        command_runner(lambda p, a: [binary, "--reactor", str(p.wasm), "run", str(a)]),
    )


def native_runtime(workdir: Path) -> Runtime | None:
    """The program built natively by gcc: the speed of light, for context."""
    gcc = find_binary("gcc") or find_binary("cc")
    if gcc is None:
        return None
    built: dict[str, Path] = {}

    def run(program: Program, arg: int, timeout: float) -> tuple[float, str]:
        if program.name not in built:
            exe = workdir / program.name
            argv = [gcc, "-O2", f'-DPROGRAM="{program.name}.c"', "-o", str(exe),
                    str(PROGRAMS / "native.c"), "-lm"]
            done = subprocess.run(argv, cwd=PROGRAMS, capture_output=True, text=True)
            if done.returncode != 0:
                raise RunError(f"gcc failed: {done.stderr.strip()}")
            built[program.name] = exe
        return command_runner(lambda p, a: [str(built[p.name]), str(a)])(program, arg, timeout)

    return Runtime("native", f"{gcc} -O2", run)


def binary_version(binary: str) -> str:
    try:
        done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
        return done.stdout.strip() or "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def module_version(name: str) -> str:
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:
        return "?"


INTEGER = re.compile(r"-?\b\d+\b")


def check(program: Program, output: str, expected: int) -> None:
    """Checks that the last integer in `output` is `expected`.

    Runtimes differ in whether they print a result signed or unsigned, so
    the two are compared modulo 2^32 or 2^64, the result type's width."""
    numbers = INTEGER.findall(output)
    if not numbers:
        raise RunError(f"printed no number: {output.strip()[:200]!r}")
    got = int(numbers[-1])
    mask = (1 << program.bits) - 1
    if got & mask != expected & mask:
        raise RunError(f"wrong checksum: printed {got}, expected {expected}")


def time_all(runtimes: list[Runtime], program: Program, arg: int, expected: int,
             args: argparse.Namespace, errors: list[str]) -> dict[str, float | None]:
    """Times every runtime `args.runs` times, one run of each in turn (so that a change in
    the machine's load hits them all alike), and returns each one's best or median time, or
    None for a runtime that failed."""
    samples: dict[str, list[float] | None] = {r.name: [] for r in runtimes}
    for _ in range(args.runs):
        for runtime in runtimes:
            times = samples[runtime.name]
            if times is None:
                continue
            try:
                elapsed, output = runtime.runner(program, arg, args.timeout)
                check(program, output, expected)
                times.append(elapsed)
            except RunError as error:
                samples[runtime.name] = None
                errors.append(f"{program.name} on {runtime.name}: {error}")
    pick = min if args.stat == "best" else statistics.median
    return {name: None if times is None else pick(times) for name, times in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Time Wedge against peer WebAssembly runtimes on benches/programs.",
        epilog="A ratio below 1 means Wedge is faster.",
    )
    parser.add_argument("--wedge", default=str(REPO / "target" / "release" / "wedge"),
                        help="the wedge binary (default: target/release/wedge)")
    parser.add_argument("--jit", action="store_true",
                        help="run Wedge with --run-mode jit (the Cranelift tier, compiling "
                             "in every run)")
    parser.add_argument("--aot", action="store_true",
                        help="run Wedge (and WasmEdge, if installed) on code compiled ahead "
                             "of time (`wedge compile`, untimed) with --run-mode aot")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="run only this program (repeatable, or comma-separated)")
    parser.add_argument("--runs", type=int, default=3,
                        help="run each runtime this many times, taking turns (default 3)")
    parser.add_argument("--stat", choices=("best", "median"), default="best",
                        help="report each runtime's best (default) or median time")
    parser.add_argument("--small", action="store_true",
                        help="use each program's small argument (a quick check)")
    parser.add_argument("--peers", metavar="LIST",
                        help="comma-separated peers to try (default: all found)")
    parser.add_argument("--native", action="store_true",
                        help="also time the C programs built natively with gcc -O2")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds before one run counts as failed (default 300)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    programs = load_programs()
    if args.only:
        wanted = {name for item in args.only for name in item.split(",") if name}
        unknown = wanted - {p.name for p in programs}
        if unknown:
            parser.error(f"unknown program(s): {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(p.name for p in programs)}")
        programs = [p for p in programs if p.name in wanted]

    with tempfile.TemporaryDirectory(prefix="wedge-peers-") as workdir:
        peer_makers: dict[str, Callable[[], Runtime | None]] = {
            "wasmi": wasmi_runtime,
            "wasm3": wasm3_runtime,
            "wasmtime": wasmtime_runtime,
            "wasmedge": lambda: wasmedge_runtime(args.aot, Path(workdir)),
        }
        if args.native:
            peer_makers["native"] = lambda: native_runtime(Path(workdir))
        if args.peers is not None:
            wanted = {name for name in args.peers.split(",") if name}
            if args.native:
                wanted.add("native")  # --native asks for it whatever --peers lists
            unknown = wanted - set(peer_makers)
            if unknown:
                parser.error(f"unknown peer(s): {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(peer_makers)}")
            peer_makers = {k: v for k, v in peer_makers.items() if k in wanted}

        if args.jit and args.aot:
            parser.error("--jit and --aot are exclusive")
        mode = "jit" if args.jit else "aot" if args.aot else "interp"
        wedge = wedge_runtime(args.wedge, mode, Path(workdir))
        if wedge is None:
            print(f"note: no wedge binary at {args.wedge}; timing the peers only "
                  "(build it with `cargo build --release` or pass --wedge)", file=sys.stderr)
        peers = []
        for name, make in peer_makers.items():
            runtime = make()
            if runtime is None:
                print(f"note: {name} not found; skipped", file=sys.stderr)
            else:
                peers.append(runtime)
        runtimes = ([wedge] if wedge else []) + peers
        if not runtimes:
            print("error: no runtime to time", file=sys.stderr)
            return 1
        return report(programs, wedge, peers, args)


def report(programs: list[Program], wedge: Runtime | None, peers: list[Runtime],
           args: argparse.Namespace) -> int:
    header = ["program", "arg"]
    if wedge:
        header.append("wedge s")
    for peer in peers:
        header.append(f"{peer.name} s")
        if wedge:
            header.append(f"wedge/{peer.name}")
    rows = []
    errors = []
    for program in programs:
        arg = program.small_arg if args.small else program.default_arg
        expected = program.small_checksum if args.small else program.default_checksum
        print(f"timing {program.name}({arg}) ...", file=sys.stderr, flush=True)
        times = time_all(([wedge] if wedge else []) + peers, program, arg, expected, args,
                         errors)
        row = [program.name, str(arg)]
        if wedge:
            row.append(seconds(times["wedge"]))
        for peer in peers:
            row.append(seconds(times[peer.name]))
            if wedge:
                row.append(ratio(times["wedge"], times[peer.name]))
        rows.append(row)

    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))
        ) + " |"

    print(line(header))
    print("|" + "|".join(("-" * (w + 1) + ":") if i else ("-" * (w + 2))
                         for i, w in enumerate(widths)) + "|")
    for row in rows:
        print(line(row))
    print()
    print(f"{'Best' if args.stat == 'best' else 'Median'} of {args.runs} run(s), "
          "the runtimes taking turns. Runtimes:")
    for runtime in ([wedge] if wedge else []) + peers:
        print(f"- {runtime.name}: {runtime.how}")
    if errors:
        print()
        print("Errors:")
        for error in errors:
            print(f"- {error}")
        return 1
    return 0


def seconds(value: float | None) -> str:
    return "ERR" if value is None else f"{value:.3f}"


def ratio(wedge: float | None, peer: float | None) -> str:
    if wedge is None or peer is None:
        return "-"
    return f"{wedge / peer:.2f}"


if __name__ == "__main__":
    sys.exit(main())
