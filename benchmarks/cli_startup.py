"""Start-up of the command line: ``python -m alignwork list`` beside a bare ``import sqlmodel``.

    python benchmarks/cli_startup.py [--runs 15]

Both run as fresh processes, alternately, in the same run, against a private data
folder whose database is at head and holds the demo workshop (the everyday case:
the list prints one workshop). Bytecode is cached as on a normal install. Reported:
medians of the wall time from spawn to exit and of the CPU time each process used;
target ratio ≤ 1.3 (issue #10). The CLI's parser must not load the heavy libraries,
so the whole ``list`` costs little more than loading SQLModel itself.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from startup import ROOT, cpu_seconds_of_children

TARGET = 1.3


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall ms from spawn to exit, CPU ms of the process) of one run; exits on a failed run."""
    started, cpu_before = time.perf_counter(), cpu_seconds_of_children()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    wall = (time.perf_counter() - started) * 1000
    cpu = (cpu_seconds_of_children() - cpu_before) * 1000
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "ALIGNWORK_HOME": home, "PYTHONPYCACHEPREFIX": str(Path(home) / "pycache")}
        for name in ("ALIGNWORK_DB", "PYTHONDONTWRITEBYTECODE"):
            env.pop(name, None)
        subprocess.run([sys.executable, "-m", "alignwork", "import", str(ROOT / "resources" / "demo_workshop.json")],
                       env=env, cwd=ROOT, check=True, capture_output=True)
        cli = [sys.executable, "-m", "alignwork", "list"]
        bare = [sys.executable, "-c", "import sqlmodel"]
        timed(cli, env), timed(bare, env)  # warm the file and bytecode caches
        cli_runs, bare_runs = [], []
        for _ in range(args.runs):
            cli_runs.append(timed(cli, env))
            bare_runs.append(timed(bare, env))
    cli_wall, cli_cpu = (statistics.median(run[i] for run in cli_runs) for i in range(2))
    bare_wall, bare_cpu = (statistics.median(run[i] for run in bare_runs) for i in range(2))
    print(f"runs: {args.runs} each, alternating (medians)")
    print(f"alignwork list      wall {cli_wall:.0f} ms   CPU {cli_cpu:.0f} ms")
    print(f"import sqlmodel     wall {bare_wall:.0f} ms   CPU {bare_cpu:.0f} ms")
    print(f"ratio               {cli_wall / bare_wall:.2f} wall   {cli_cpu / bare_cpu:.2f} CPU   (target ≤ {TARGET})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
