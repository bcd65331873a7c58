"""The audit trail and a person's data from the scripted interface: `audit show|verify` (verify checks
the chain and the digitised files here, then the chain against the head the district server holds)
and `export-person` (docs/cli.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from counter_app.cli_common import open_store, print_json, write_checked
from counter_app.command_line import EXIT_OK
from counter_app.errors import UserError
from counter_app.sync.errors import ServerUnreachable


def audit(args: argparse.Namespace) -> int:
    from counter_app.services import audit

    store = open_store(args)
    if args.action == "verify":
        return _verify(store)
    with store.read() as session:
        rows = audit.entries(session, target=args.target, limit=max(1, min(args.limit, 1000)))
        print_json([{"seq": e.seq, "at": e.at, "actor": e.actor, "actor_kind": e.actor_kind, "action": e.action,
                      "target": e.target, "detail": json.loads(e.detail_json)} for e in rows])
    return EXIT_OK


def _verify(store) -> int:  # noqa: ANN001 - Store
    """The chain on this machine and the digitised files it names (`files verify`), then (when
    linked) the chain against the head the district server holds: 2 when any is broken, 3 when the
    server could not be asked (the local checks still ran)."""
    from counter_app.digitise import filestore
    from counter_app.digitise.vault import FileVault
    from counter_app.services import audit
    from counter_app.sync.audit_anchor import verify_upstream

    with store.read() as session:
        result = audit.verify(session)
        files = filestore.verify(session, FileVault.of(store))
    if not result.ok:
        raise UserError(result.message)
    if not files.ok:
        raise UserError(files.message)
    upstream = verify_upstream(store)
    if not upstream.ok:
        raise UserError(upstream.message)
    summary = {"ok": True, "entries": result.entries, "files": files.checked, "upstream": upstream.status}
    said = f"{result.message} {files.message} {upstream.message}"
    if upstream.status == "unreachable":
        raise ServerUnreachable(said, summary=summary)
    print(said, file=sys.stderr)
    print_json(summary)
    return EXIT_OK


def export_person(args: argparse.Namespace) -> int:
    from counter_app.services.privacy import export_person

    store = open_store(args)
    with store.read() as session:
        data = export_person(session, args.id_number)
    write_checked(Path(args.output), lambda p: p.write_text(json.dumps(data, ensure_ascii=False, indent=2),
                                                            encoding="utf-8"))
    print(f"Đã xuất {len(data['dossiers'])} hồ sơ ra {args.output}.", file=sys.stderr)
    return EXIT_OK
