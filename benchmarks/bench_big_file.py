"""Time and peak memory of `check` and `fix` on one big module, against `ast.parse` of it.

The module is generated in a temporary directory: ordinary functions (string formatting,
loops, dictionaries: no writes) with one non-durable writer per megabyte (--writers-per-mb),
so that `fix` has a few functions to change in a module it must not rebuild whole.  Every
measurement is a new process (`python -m lint_rules.cli ...`, or `ast.parse` of the file for
the floor): its wall time, CPU time and peak resident memory (from wait4), under an
address-space cap so that a run which would exhaust memory is stopped and reported instead
of waking the OOM killer.

  python benchmarks/bench_big_file.py --mb 5 50
  python benchmarks/bench_big_file.py --mb 5 --source /tmp/old-checkout   # another version

The pyproject.toml next to the module raises max-file-size above the module, so the limit
does not skip what is being measured.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

FILLER = '''\
def render_{n}(rows, width={w}):
    """Format rows as a table."""
    out = []
    for index, row in enumerate(rows):
        cells = [str(cell).ljust(width) for cell in row]
        out.append(f"{{index:>4}} " + " | ".join(cells))
    totals = {{"rows": len(rows), "width": width, "name": "render_{n}"}}
    return "\\n".join(out), totals


'''

WRITER = '''\
def save_{n}(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
    os.replace(tmp, path)


'''


def generate(path: str, megabytes: float, per_mb: float = 1.0) -> int:
    """Write the module with `per_mb` writers per megabyte; returns how many it holds."""
    target = int(megabytes * 1_000_000)
    every = max(1, round(2500 / per_mb)) if per_mb else 0
    writers = 0
    size = 0
    with open(path, "w") as fh:
        fh.write('"""Generated for bench_big_file.py."""\nimport json\nimport os\n\n\n')
        n = 0
        while size < target:
            chunk = FILLER.format(n=n, w=n % 17 + 3)
            if every and n % every == every // 2:  # 2,500 fillers are about a megabyte
                chunk += WRITER.format(n=n)
                writers += 1
            fh.write(chunk)
            size += len(chunk)
            n += 1
    return writers


@dataclass
class Measurement:
    wall: float
    cpu: float  # user + system: the figure to trust on a busy machine
    peak_mb: float
    outcome: str


def measure(argv: list[str], env: dict[str, str], cap_gb: float, timeout: float,
            ) -> Measurement:
    def limit() -> None:
        cap = int(cap_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, preexec_fn=limit, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.kill(process.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
            return Measurement(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                               f"stopped after {timeout:.0f} s")
        time.sleep(0.05)
    wall = time.perf_counter() - start
    err = process.stderr.read().decode(errors="replace")
    process.returncode = os.waitstatus_to_exitcode(status)
    code = process.returncode
    if "MemoryError" in err or code < 0:
        outcome = f"failed (exit {code}, cap {cap_gb:g} GB)"
    else:
        outcome = f"exit {code}: {err.strip().splitlines()[-1][:70] if err.strip() else ''}"
    return Measurement(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, outcome)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[5.0, 50.0])
    parser.add_argument("--source", help="checkout to import lint_rules from (default: this)")
    parser.add_argument("--cap-gb", type=float, default=12.0, help="address-space cap per run")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per run")
    parser.add_argument("--only", nargs="+", default=["parse", "check", "fix"])
    parser.add_argument("--writers-per-mb", type=float, default=1.0,
                        help="functions with findings per megabyte (default: 1)")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.source:
        env["PYTHONPATH"] = os.path.abspath(args.source)
    cli = [sys.executable, "-m", "lint_rules.cli"]
    print(f"{'MB':>5} {'run':28} {'wall s':>8} {'CPU s':>8} {'peak MB':>9}  outcome")
    for megabytes in args.mb:
        with tempfile.TemporaryDirectory() as directory:
            module = os.path.join(directory, "big.py")
            writers = generate(module, megabytes, args.writers_per_mb)
            with open(os.path.join(directory, "pyproject.toml"), "w") as fh:
                fh.write(f"[tool.durable-writes]\nmax-file-size = {10**10}\n")
            pristine = module + ".orig"
            shutil.copyfile(module, pristine)
            size = os.path.getsize(module) / 1e6
            runs = {
                "parse": ("floor: read + ast.parse",
                          [sys.executable, "-c",
                           "import ast, sys; ast.parse(open(sys.argv[1], 'rb').read())", module]),
                "check": ("check", [*cli, "check", "-j", "1", module]),
                "fix": (f"fix ({writers} writers)", [*cli, "fix", "-j", "1", module]),
            }
            for key in args.only:
                name, argv = runs[key]
                shutil.copyfile(pristine, module)
                os.chdir(directory)
                m = measure(argv, env, args.cap_gb, args.timeout)
                print(f"{size:5.1f} {name:28} {m.wall:8.2f} {m.cpu:8.2f} {m.peak_mb:9.0f}  "
                      f"{m.outcome}", flush=True)
            os.chdir("/")


if __name__ == "__main__":
    main()
