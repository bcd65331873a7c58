"""The frozen bundle passes installer/smoke.sh, when there is one.

The bundle is built by installer/build.sh (about a minute), which the normal test run does not do:
without dist/counter-app, or with one older than the source it was built from, the test is skipped
and says why. CI runs `installer/build.sh && installer/smoke.sh` itself, before the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "counter-app"
EXECUTABLE = BUNDLE / "counter-app"
SMOKE = ROOT / "installer" / "smoke.sh"
# What goes into the bundle: a change here after the build makes the bundle stale.
SOURCES = ("counter_app", "ui", "resources", "installer/counter-app.spec", "pyproject.toml")


def _newer_source(than: float) -> Path | None:
    for entry in SOURCES:
        path = ROOT / entry
        files = [path] if path.is_file() else path.rglob("*")
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts and file.stat().st_mtime > than:
                return file
    return None


@pytest.mark.timeout(600)
def test_frozen_bundle_passes_the_smoke_test() -> None:
    if sys.platform == "win32":
        pytest.skip("installer/smoke.sh is for the Linux bundle; on Windows installer/windows/build.ps1 checks it")
    if os.environ.get("QMC_SMOKE_DONE") == "1":
        pytest.skip(".ci/run already ran installer/smoke.sh on this bundle")
    if not EXECUTABLE.is_file():
        pytest.skip("no frozen bundle at dist/counter-app: build one with installer/build.sh")
    if shutil.which("bash") is None:
        pytest.skip("installer/smoke.sh needs bash")
    newer = _newer_source(EXECUTABLE.stat().st_mtime)
    if newer is not None:
        pytest.skip(f"dist/counter-app is older than {newer.relative_to(ROOT)}: rebuild it with installer/build.sh")

    done = subprocess.run(["bash", str(SMOKE), str(BUNDLE)], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=540)

    report = done.stdout + done.stderr
    assert done.returncode == 0, report[-6000:]
    assert ", 0 failed" in done.stdout, report[-6000:]
