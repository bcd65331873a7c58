"""One sync pass of a counter in its own process (a test kills it between send and acknowledgement).

    python -m tests.server.sync_for_tests DATA_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from counter_app.db.store import Store
from counter_app.sync.commands import sync_once
from counter_app.sync.errors import ServerUnreachable


def main() -> int:
    store = Store.open(Path(sys.argv[1]))
    print("SYNCING", flush=True)
    try:
        print(json.dumps(sync_once(store)), flush=True)
    except ServerUnreachable as exc:
        print(json.dumps({"unreachable": exc.message}, ensure_ascii=False), flush=True)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
