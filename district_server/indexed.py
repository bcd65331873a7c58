"""The dossier columns the dashboard searches and counts by (schema.py: name_folded, id_number,
procedure_name, channel, start_at, finished_at), copied from each latest snapshot by ingest, by a
district move, and by migration 0004 (web face) for the dossiers held before (docs/server-web.md)."""

from __future__ import annotations

from typing import Any

from counter_app.domain.text import fold
from district_server.received import storable

INDEXED = ("name_folded", "id_number", "procedure_name", "channel", "start_at", "finished_at")


def indexed_columns(snapshot: Any) -> dict[str, Any]:
    """Those columns from a dossier snapshot as a counter sent it (anything not of the right kind
    becomes empty: the snapshot was checked for what ingest needs, not for these)."""
    snap = snapshot if isinstance(snapshot, dict) else {}
    applicant = snap.get("applicant") if isinstance(snap.get("applicant"), dict) else {}
    channel = snap.get("channel")

    def text(value: Any, limit: int) -> str:
        return storable(value[:limit]) if isinstance(value, str) else ""  # a NUL would fail PostgreSQL

    return {
        "name_folded": fold(text(applicant.get("full_name"), 400))[:200],
        "id_number": text(applicant.get("id_number"), 20).strip(),
        "procedure_name": text(snap.get("procedure_name"), 2000),
        "channel": channel if isinstance(channel, int) and not isinstance(channel, bool) and 0 < channel < 10 else 1,
        "start_at": text(snap.get("start_at"), 40) or None,
        "finished_at": text(snap.get("finished_at"), 40) or None,
    }
