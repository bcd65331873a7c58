"""Run the district server on a listening socket inherited from the test (so it keeps its port when
killed and restarted), with optional faults inside the push transaction:

    --pause-in-transaction   print "IN-TRANSACTION <batch id>" and block just before the commit,
                             so the test can kill the process with the batch half applied
    --fail-in-transaction    raise just before the commit (the transaction rolls back, answer 500)

    python -m tests.server.serve_for_tests --db URL --fd N [--cert F --key F] [--pause-in-transaction]
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
import threading

import uvicorn

from district_server.app import Hooks, create_app
from district_server.database import open_database


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--fd", type=int, required=True)
    ap.add_argument("--cert", help="HTTPS with this certificate (PEM) and --key")
    ap.add_argument("--key")
    ap.add_argument("--pause-in-transaction", action="store_true")
    ap.add_argument("--fail-in-transaction", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    def before_commit(batch_id: str) -> None:
        if args.pause_in_transaction:
            print(f"IN-TRANSACTION {batch_id}", flush=True)
            threading.Event().wait()  # until the test kills this process
        if args.fail_in_transaction:
            raise RuntimeError("injected failure inside the push transaction")

    db = open_database(args.db)
    app = create_app(db, hooks=Hooks(before_commit=before_commit))
    sock = socket.socket(fileno=args.fd)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", ssl_certfile=args.cert,
                                           ssl_keyfile=args.key))
    print("READY", flush=True)  # the socket already listens: connections queue until accept
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
