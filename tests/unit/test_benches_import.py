"""Every bench script still imports: the benches share their rows and helpers (bench/figures.py,
summary.py's paired_ms, bench_sync's servers), and a name moved or renamed in one breaks the others
only when they run, which CI never does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_every_bench_script_imports() -> None:
    names = sorted(p.stem for p in BENCH.glob("*.py"))
    assert "summary" in names and "bench_district" in names
    code = "import importlib, sys; sys.path.insert(0, sys.argv[1]); [importlib.import_module(n) for n in sys.argv[2:]]"
    done = subprocess.run([sys.executable, "-c", code, str(BENCH), *names], capture_output=True, text=True,
                          cwd=BENCH.parent, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
