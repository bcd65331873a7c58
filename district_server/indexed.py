"""The dossier columns the dashboard searches and counts by (schema.py: name_folded, id_number,
procedure_name, channel, start_at, finished_at, papers), copied from each latest snapshot by ingest, by a
district move, and by migrations 0004 (web face) and 0008 (papers) for the dossiers held before
(docs/server-web.md)."""

from __future__ import annotations

from typing import Any

from counter_app.domain.text import fold
from counter_app.sync.protocol import DossierSnapshot
from district_server.received import storable

INDEXED = ("name_folded", "id_number", "procedure_name", "channel", "start_at", "finished_at", "papers")


def indexed_columns(snapshot: Any) -> dict[str, Any]:
    """Those columns from a dossier snapshot as a counter sent it (protocol.DossierSnapshot, or the
    payload's dict: anything not of the right kind becomes empty, since the snapshot was checked for
    what ingest needs, not for these)."""
    snap = snapshot if isinstance(snapshot, DossierSnapshot) else DossierSnapshot.of(snapshot)

    def text(value: str | None, limit: int) -> str:
        return storable(value[:limit]) if value else ""  # a NUL would fail PostgreSQL

    channel = snap.channel
    return {
        "name_folded": fold(text(snap.applicant.full_name, 400))[:200],
        "id_number": text(snap.applicant.id_number, 20).strip(),
        "procedure_name": text(snap.procedure_name, 2000),
        "channel": channel if channel is not None and 0 < channel < 10 else 1,
        "start_at": text(snap.start_at, 40) or None,
        "finished_at": text(snap.finished_at, 40) or None,
        "papers": len(snap.documents),
    }


def papers_of(snapshot: Any) -> int:
    """How many papers the snapshot's checklist lists (the digitisation indicators' denominator)."""
    return indexed_columns(snapshot)["papers"]
