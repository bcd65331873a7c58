"""A procedure as the counter uses it (ProcedureSpec), the active catalogue read plainly, and the
picker's search over it.

Apart from services/catalogue.py (which imports and exports, and needs the ORM) so that the window
reads its catalogue before SQLAlchemy is loaded (db/plain_store.py), and searches it on the UI
thread as the officer types without ever importing more than this.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from counter_app.db import plain_rows
from counter_app.db.plain_rows import Reader
from counter_app.domain.text import fold


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    form: str = ""
    count: int = 1


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    name: str
    field: str
    working_days: float
    fee: str
    fee_amount: int | None
    documents: tuple[DocumentSpec, ...]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["documents"] = [asdict(d) for d in self.documents]
        return data


def spec_from_row(row: Any) -> ProcedureSpec:  # a Procedure, or a plain row of its columns
    docs = tuple(DocumentSpec(**d) for d in json.loads(row.documents_json))
    return ProcedureSpec(row.code, row.name, row.field, row.working_days, row.fee, row.fee_amount, docs)


def list_procedures(reader: Reader) -> list[ProcedureSpec]:
    """The active catalogue, by code."""
    rows = plain_rows.fetch_all(
        reader, "SELECT code, name, field, working_days, fee, fee_amount, documents_json FROM procedure "
        "WHERE active = 1 ORDER BY code", {})
    return [spec_from_row(r) for r in rows]


def search_procedures(specs: list[ProcedureSpec], query: str, limit: int = 50) -> list[ProcedureSpec]:
    """By code or by name, diacritics optional ('chung thuc' finds 'Chứng thực'); every word must match."""
    words = fold(query).split()
    if not words:
        return specs[:limit]
    hits = []
    for spec in specs:
        hay = f"{spec.code} {fold(spec.name)} {fold(spec.field)}"
        if all(w in hay for w in words):
            hits.append(spec)
    phrase = " ".join(words)
    # A code typed first; then names holding the words as typed, in order; then the shortest name,
    # so "dang ky khai sinh" puts "Thủ tục đăng ký khai sinh" before its longer relatives.
    hits.sort(key=lambda s: (not s.code.startswith(query.strip()), phrase not in fold(s.name),
                             not fold(s.name).startswith(words[0]), len(s.name), s.code))
    return hits[:limit]
