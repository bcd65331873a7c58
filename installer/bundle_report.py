"""What the frozen bundle weighs and what takes the space, and that every library in it finds what it
links against (in the bundle, or among the ones the system must provide).

    python installer/bundle_report.py dist/counter-app [--limit-mb 150]
    python installer/bundle_report.py dist/windows/counter-app --limit-mb 150   # the Windows bundle

A Linux bundle (ELF files) is checked with readelf, a Windows one (PE files, examined on Linux by
installer/windows/build-wine.sh) with objdump. Exit status 1 when a bundled library needs one that is
neither bundled nor expected from the system (a trimming rule in counter-app.spec went too far).
Exceeding --limit-mb only warns.
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
# What Windows 10 (1809+) itself provides to a Windows bundle: the Win32 API, the Universal C runtime
# (api-ms-win-crt-*, ucrtbase), and icuuc.dll, which Qt6Core (6.10+) links (Windows 10 1903+ ships it;
# Wine does not, hence the test-only stand-in of installer/windows/wine-shims/, never bundled).
WINDOWS_DLLS = re.compile(
    r"^(api-ms-win-.*|ext-ms-win-.*|ucrtbase|kernel32|kernelbase|ntdll|user32|gdi32|gdiplus|advapi32|"
    r"shell32|shlwapi|ole32|oleaut32|comctl32|comdlg32|ws2_32|wsock32|crypt32|bcrypt|bcryptprimitives|"
    r"secur32|netapi32|userenv|version|winmm|imm32|uxtheme|dwmapi|dwrite|d2d1|d3d9|d3d11|d3d12|dxgi|"
    r"opengl32|winspool\.drv|setupapi|cfgmgr32|shcore|authz|iphlpapi|dnsapi|mpr|rpcrt4|wtsapi32|"
    r"propsys|msimg32|usp10|dbghelp|psapi|powrprof|winhttp|wininet|ncrypt|normaliz|icuuc|icu|"
    r"oleacc|msvcrt|cabinet|urlmon|mswsock|srvcli|netutils|wintrust|imagehlp|hid|uiautomationcore)\.dll$"
    r"|^winspool\.drv$",
    re.IGNORECASE,
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
        return 0  # build.ps1 on Windows: the table only (no readelf/objdump there)
    return check_links(bundle, files)


def _needs(path: Path) -> tuple[str, list[str]] | None:
    """("elf"|"pe", the libraries `path` links against), or None for a file that is no library."""
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic == b"\x7fELF":
        out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
        return "elf", re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)
    if magic[:2] == b"MZ" and path.suffix.lower() in (".dll", ".pyd", ".exe"):
        out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True).stdout
        return "pe", re.findall(r"^\s*DLL Name: (\S+)", out, flags=re.MULTILINE)
    return None


def check_links(bundle: Path, files: list[Path]) -> int:
    names = {p.name for p in bundle.rglob("*")}
    lower = {n.lower() for n in names}
    missing: dict[str, list[str]] = {}
    kinds: set[str] = set()
    for p in files:
        found = _needs(p)
        if found is None:
            continue
        kind, needs = found
        kinds.add(kind)
        for need in needs:
            if kind == "elf" and (need in names or SYSTEM_LIBS.match(need)):
                continue
            if kind == "pe" and (need.lower() in lower or WINDOWS_DLLS.match(need)):
                continue
            missing.setdefault(need, []).append(p.relative_to(bundle).as_posix())
    if missing:
        print("ERROR: bundled libraries need libraries that are neither bundled nor provided by the system:")
        for need, users in sorted(missing.items()):
            print(f"  {need}  (needed by {', '.join(users[:3])}{' …' if len(users) > 3 else ''})")
        return 1
    if "pe" in kinds:
        print("libraries: every bundled DLL finds its dependencies (system: Windows 10's own DLLs, the UCRT)")
    if "elf" in kinds:
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
