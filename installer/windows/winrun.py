"""Run a Windows program under Wine with pipes for all three standard handles, for ci-wine.sh.

    python winrun.py OUT ERR [--stdin FILE] -- wine PROGRAM ARGS...

Under Wine 8 CPython dies at start (init_sys_streams, WinError 6) when a standard handle is a
regular file, so the shell cannot simply redirect into files: this keeps pipes on the Windows side
and writes what came through them into OUT and ERR byte for byte (the checks then read the UTF-8
exactly as the program wrote it). The exit status is the program's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if "--" not in argv or len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 125
    cut = argv.index("--")
    out, err, *options = argv[:cut]
    command = argv[cut + 1:]
    data = b""
    if options[:1] == ["--stdin"] and len(options) == 2:
        data = Path(options[1]).read_bytes()
    done = subprocess.run(command, input=data, capture_output=True, check=False)
    Path(out).write_bytes(done.stdout)
    Path(err).write_bytes(done.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
