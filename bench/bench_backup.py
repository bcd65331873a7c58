"""Backup of a big store (bench/make_dataset.py): time and size of a checked online backup.

    .venv/bin/python bench/bench_backup.py --data-dir /tmp/qmc-1m
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from counter_app.db.store import Store  # noqa: E402
from counter_app.services import backup  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--to", default=None, help="folder for the backup (default: a temporary one)")
    ap.add_argument("--passphrase", required=True, help="the store's recovery passphrase (make_dataset prints it)")
    args = ap.parse_args()
    store = Store.open(Path(args.data_dir))
    with tempfile.TemporaryDirectory(dir=args.to) as tmp:
        target = Path(tmp) / "sao-luu.qmcbak"
        t = time.perf_counter()
        info = backup.make_backup(store, target)
        total = time.perf_counter() - t
        t = time.perf_counter()
        backup.inspect(target, args.passphrase)
        check = time.perf_counter() - t
    print(f"backup of {info.dossiers:,} dossiers, checked: {total:.1f} s, {info.size / 2**20:.0f} MiB; "
          f"read back with the passphrase and checked whole, as a restore does first: {check:.1f} s")


if __name__ == "__main__":
    main()
