"""The counter window (PySide6). The core it calls lives in counter_app and knows nothing of Qt.

PySide6 6.12.0 loses a reference to True on every Signal.emit() made from Python (6.11 does not):
after a few thousand emits, about an hour of a busy counter, Python frees True and aborts. The
project's dependencies should exclude that release; until every machine has done so, this keeps
enough references in hand for far more emits than a day brings, and only on a release that
shows the fault.
"""

from __future__ import annotations

import ctypes
import sys

_KEPT: list[bool] = []


def _keep_true_alive() -> None:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    if before - sys.getrefcount(True) >= 8:
        _KEPT.extend([True] * 2_000_000)  # 16 MB of references: weeks of emits
        # Never freed, not even when Python shuts down: the references lost by then would
        # otherwise take True to zero on the way out.
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(_KEPT))


_keep_true_alive()
