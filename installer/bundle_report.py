"""What the frozen bundle weighs and what takes the space; on Linux also checks that every library
in it finds what it links against (in the bundle, or among the few the system must provide).

    python installer/bundle_report.py dist/counter-app [--limit-mb 150]

Exit status 1 when a bundled library needs one that is neither bundled nor expected from the system
(a trimming rule in counter-app.spec went too far). Exceeding --limit-mb only warns.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

# Libraries a Linux desktop provides and the bundle deliberately does not carry: glibc, the GPU's GL
# (PyInstaller never bundles these), libxcb (PyInstaller's own exclusion), CUPS (counter-app.spec).
SYSTEM_LIBS = re.compile(
    r"^(ld-linux.*|libc|libm|libdl|libpthread|librt|libresolv|libutil|libGL|libEGL|libGLX|libOpenGL|"
    r"libGLdispatch|libxcb|libcups)\.so(\.\d+)*$"
)


def _size(path: Path) -> int:
    if path.is_symlink():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _mb(n: int) -> str:
    return f"{n / 1048576:7.1f} MB"


def _group(rel: str) -> str:
    """Where a file counts: Qt by library/plugin family, packages by top folder, the rest by file."""
    parts = rel.split("/")
    if len(parts) == 1 and not rel.startswith(("lib", "_")):
        return f"{rel} (executable with the app's Python code)"
    if parts[0] == "_internal":
        parts = parts[1:]
    if not parts:
        return rel
    if parts[0] == "PySide6":
        if "plugins" in parts:
            return "PySide6 Qt plugins"
        if "translations" in parts:
            return "PySide6 Qt translations"
        name = parts[-1]
        if name.startswith("libicu"):
            return "ICU (Unicode data for QtCore)"
        if name.startswith(("libQt6", "Qt6")):
            return "Qt libraries (" + re.sub(r"^(lib)?Qt6(\w+?)(\.so.*|\.dll)$", r"\2", name) + ")"
        return "PySide6 bindings"
    if len(parts) == 1:
        return parts[0]
    return parts[0] + "/"


def report(bundle: Path, limit_mb: float) -> int:
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    print(f"bundle: {bundle}  {_mb(total).strip()} in {len(files)} files")

    groups: Counter[str] = Counter()
    qt: Counter[str] = Counter()
    for p in files:
        g = _group(p.relative_to(bundle).as_posix())
        if g.startswith("Qt libraries ("):
            qt[g[len("Qt libraries ("):-1]] += p.stat().st_size
            g = "Qt libraries"
        groups[g] += p.stat().st_size
    print("biggest contributors:")
    for name, size in groups.most_common(18):
        extra = ""
        if name == "Qt libraries":
            extra = "  (" + ", ".join(f"{k} {v / 1048576:.1f}" for k, v in qt.most_common()) + ")"
        print(f"  {_mb(size)}  {name}{extra}")
    rest = total - sum(size for _, size in groups.most_common(18))
    print(f"  {_mb(rest)}  everything else")
    if total > limit_mb * 1048576:
        print(f"WARNING: the bundle is over the {limit_mb:g} MB aim")

    if not sys.platform.startswith("linux"):
        return 0
    names = {p.name for p in bundle.rglob("*")}
    missing: dict[str, list[str]] = {}
    for p in files:
        with open(p, "rb") as fh:
            if fh.read(4) != b"\x7fELF":
                continue
        out = subprocess.run(["readelf", "-d", str(p)], capture_output=True, text=True).stdout
        for need in re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out):
            if need not in names and not SYSTEM_LIBS.match(need):
                missing.setdefault(need, []).append(p.relative_to(bundle).as_posix())
    if missing:
        print("ERROR: bundled libraries need libraries that are neither bundled nor provided by the system:")
        for need, users in sorted(missing.items()):
            print(f"  {need}  (needed by {', '.join(users[:3])}{' …' if len(users) > 3 else ''})")
        return 1
    print("libraries: every bundled library finds its dependencies (system: glibc, GL, libxcb, libcups)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--limit-mb", type=float, default=150)
    args = parser.parse_args()
    if not args.bundle.is_dir():
        print(f"no bundle at {args.bundle}", file=sys.stderr)
        return 1
    os.environ.setdefault("LC_ALL", "C")
    return report(args.bundle, args.limit_mb)


if __name__ == "__main__":
    sys.exit(main())
