"""The dossier columns the dashboard searches and counts by (schema.py: name_folded, id_number,
procedure_name, channel, start_at, finished_at, papers, long_running), copied from each latest snapshot
by ingest, by a district move, and by migrations 0004 (web face), 0008 (papers) and 0010 (long
running) for the dossiers held before (docs/server-web.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from counter_app.domain.text import fold
from counter_app.sync.protocol import DossierSnapshot, parse_time
from district_server.received import storable

INDEXED = ("name_folded", "id_number", "procedure_name", "channel", "start_at", "finished_at", "papers",
           "long_running")

# A dossier whose processing ended more than this long after it was received is "long running":
# the few such are kept apart (ix_dossier_long_running), so "still open at an instant" reads only
# the dossiers received in the 90 days before it, and those few (services/statistics.py, _open_at).
LONG_RUNNING_DAYS = 90


def long_running(received_at: str | None, finished_at: str | None) -> int:
    """1 when processing ended more than LONG_RUNNING_DAYS after the receipt, or when the two times
    cannot be compared as the statistics compare them (as text, both in the same offset): such a
    dossier is never left out of "open at an instant" by the receipt's 90-day bound."""
    if not finished_at:
        return 0
    try:
        received, finished = parse_time(received_at or ""), parse_time(finished_at)
    except (TypeError, ValueError):
        return 1
    if received.utcoffset() != finished.utcoffset() or len(received_at or "") != len(finished_at):
        return 1
    return int(finished - received > timedelta(days=LONG_RUNNING_DAYS))


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
        "long_running": long_running(text(snap.received_at, 40), text(snap.finished_at, 40)),
    }


def papers_of(snapshot: Any) -> int:
    """How many papers the snapshot's checklist lists (the digitisation indicators' denominator)."""
    return indexed_columns(snapshot)["papers"]
