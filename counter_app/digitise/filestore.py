"""Which digitised papers a dossier has: one dossier_file row per paper attached to it, naming its
PDF by SHA-256; the PDFs themselves are kept once each, sealed, by counter_app/digitise/vault.py.

A file is written (atomically) before its row; the row, a status event of kind "digitised" and
that event's outbox entry go in one transaction, so the district learns of a paper exactly when the
counter keeps it. The event's details stay small (code, component, name, file_kind, sha256, pages,
size): the bytes travel apart (counter_app/sync/uploads.py). Rows are never changed: the newest row of a
(dossier, kind, component) is the paper in force, the older ones its history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from counter_app import clock
from counter_app.db.models import Dossier, StatusEvent
from counter_app.digitise.normalise import Component, DigitiseError, Limits
from counter_app.domain.actor import Actor
from counter_app.domain.ids import new_id
from counter_app.domain.text import collapse_spaces, nfc

if TYPE_CHECKING:
    from counter_app.digitise.vault import FileVault

KINDS = ("component", "result")
OTHER_PAPERS = "Giấy tờ khác"
RESULT_NAME = "Kết quả giải quyết"
EVENT_KIND = "digitised"
# Statuses with a result to digitise: ready (9) or handed over (10).
RESULT_STATUSES = frozenset({9, 10})


@dataclass(frozen=True)
class FileRow:
    """One digitised paper as the dossier view and `counter-app files CODE` show it."""

    code: str
    kind: str  # component | result
    component_index: int  # the checklist's position; 0: outside the checklist (or the result)
    component_name: str
    pages: int
    size: int
    sha256: str
    created_at: str
    officer: str
    current: bool  # False: replaced by a newer scan of the same paper

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "kind": self.kind, "component": self.component_index,
                "name": self.component_name, "pages": self.pages, "size": self.size, "sha256": self.sha256,
                "created_at": self.created_at, "officer": self.officer, "current": self.current}


@dataclass(frozen=True)
class Problem:
    sha256: str
    state: str  # missing | altered
    papers: tuple[str, ...]  # "<code> — <component>" of every row that names the file


@dataclass(frozen=True)
class FilesCheck:
    ok: bool
    checked: int
    problems: tuple[Problem, ...]
    message: str  # Vietnamese


# --- the rows ------------------------------------------------------------------------------------------


def limits(session: Session) -> Limits:
    """The office's budgets (services/office_settings.py declares them)."""
    from counter_app.services import office_settings

    return Limits(page_budget=int(office_settings.value(session, "digitise.page_budget_kb")) * 1024,
                  max_file=int(office_settings.value(session, "digitise.max_file_mb")) * 1024 * 1024)


def component_name(session: Session, dossier: Dossier, index: int, kind: str, name: str = "") -> str:
    """The checklist's name of component `index` (1…), `name` (or "Giấy tờ khác") for 0, the
    result's name for a result. UserError for a number the checklist does not have."""
    from counter_app.services.dossiers import documents_of

    if kind not in KINDS:
        raise DigitiseError(f"Loại tệp '{kind}' không có (component hoặc result).")
    given = collapse_spaces(nfc(name or ""))[:200]
    if kind == "result":
        if dossier.status not in RESULT_STATUSES:
            raise DigitiseError(f"Hồ sơ {dossier.code} chưa có kết quả (chưa ở trạng thái 'Đã có kết quả'): "
                                "chưa số hóa kết quả được.")
        return given or RESULT_NAME
    if index == 0:
        return given or OTHER_PAPERS
    documents = documents_of(session, dossier.id)
    for doc in documents:
        if doc.position == index:
            return doc.name
    listed = "; ".join(f"{d.position}. {d.name}" for d in documents) or "hồ sơ này không có danh mục giấy tờ"
    raise DigitiseError(f"Hồ sơ {dossier.code} không có thành phần số {index} (0 là giấy tờ khác; {listed}).")


def record(session: Session, dossier: Dossier, *, index: int, name: str, kind: str, component: Component,
           sha256: str, actor: Actor, now: datetime | None = None) -> FileRow:
    """The row, its "digitised" event and that event's outbox entry, and the audit line: all in the
    caller's transaction."""
    from counter_app.services import audit
    from counter_app.services.dossiers import dossier_dict
    from counter_app.sync import outbox

    at = clock.iso(now or clock.now())
    size = len(component.pdf)
    # "file_kind", not "kind": the history spreads these details over the event, whose kind is "digitised".
    details = {"code": dossier.code, "component": index, "name": name, "file_kind": kind, "sha256": sha256,
               "pages": component.pages, "size": size}
    event = StatusEvent(id=new_id(), dossier_id=dossier.id, kind=EVENT_KIND, from_status=dossier.status,
                        to_status=dossier.status, at=at, officer=actor.officer, actor=actor.kind,
                        payload_json=json.dumps(details, ensure_ascii=False))
    session.add(event)
    session.flush()
    session.connection().exec_driver_sql(
        "INSERT INTO dossier_file (dossier_id, component_index, component_name, kind, pages, size, sha256, "
        "created_at, officer, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (dossier.id, index, name, kind, component.pages, size, sha256, at, actor.officer, event.id))
    outbox.enqueue(session, event, dossier_dict(session, dossier, sync="pending"))
    audit.record(session, actor, "digitise", dossier.code,
                 {k: v for k, v in details.items() if k != "code"} | {"notes": list(component.notes)})
    return FileRow(dossier.code, kind, index, name, component.pages, size, sha256, at, actor.officer, True)


def files_of(session: Session, dossier: Dossier) -> list[FileRow]:
    """Every paper of the dossier, newest first within each (kind, component), components in
    checklist order then the result; `current` marks the one in force."""
    rows = session.connection().exec_driver_sql(
        "SELECT id, kind, component_index, component_name, pages, size, sha256, created_at, officer "
        "FROM dossier_file WHERE dossier_id = ? ORDER BY kind, component_index, component_name, id DESC",
        (dossier.id,)).all()
    seen: set[tuple[str, int, str]] = set()
    out = []
    for _id, kind, index, name, pages, size, sha, at, officer in rows:
        key = (kind, index, name)
        out.append(FileRow(dossier.code, kind, index, name, pages, size, sha, at, officer, key not in seen))
        seen.add(key)
    return out


# A row is "ours" when its event was recorded here; one whose event came down in a pull (its payload
# carries "_sync", counter_app/sync/pull.py) names a file another counter of the office kept: it is
# at the district and comes here only when someone opens it (desk_digitise.fetch_missing).
_PULLED = "json_extract(e.payload_json, '$._sync') IS NOT NULL"
OURS_SQL = (f"SELECT DISTINCT f.sha256 FROM dossier_file f LEFT JOIN status_event e ON e.id = f.event_id "
            f"WHERE e.id IS NULL OR NOT ({_PULLED})")


def referenced(session: Session) -> dict[str, list[str]]:
    """Each file some row names -> the papers naming it ("<code> — <component>")."""
    return {sha: papers for sha, (papers, _ours) in _named(session).items()}


def _named(session: Session) -> dict[str, tuple[list[str], bool]]:
    """Each file some row names -> (the papers naming it, whether one of those rows is ours)."""
    rows = session.connection().exec_driver_sql(
        f"SELECT f.sha256, d.code, f.component_name, e.id IS NULL OR NOT ({_PULLED}) FROM dossier_file f "
        "JOIN dossier d ON d.id = f.dossier_id LEFT JOIN status_event e ON e.id = f.event_id ORDER BY f.id").all()
    named: dict[str, tuple[list[str], bool]] = {}
    for sha, code, name, ours in rows:
        papers, was_ours = named.get(sha, ([], False))
        papers.append(f"{code} — {name}")
        named[sha] = (papers, was_ours or bool(ours))
    return named


def record_pulled(session: Session, events: list[tuple[str, str, str, str, dict[str, Any]]]) -> int:
    """The rows of "digitised" events another counter of the office recorded, as they come down in a
    pull: (dossier id, event id, at, officer, the event's details) each; details that do not
    describe a file are skipped. In the pull's transaction; how many rows were added."""
    rows = []
    for dossier_id, event_id, at, officer, d in events:
        sha, kind, index, pages, size = (d.get(k) for k in ("sha256", "file_kind", "component", "pages", "size"))
        if not (isinstance(sha, str) and len(sha) == 64 and all(c in "0123456789abcdef" for c in sha)
                and kind in KINDS and all(isinstance(v, int) and v >= 0 for v in (index, pages, size))):
            continue
        name = collapse_spaces(nfc(str(d.get("name") or "")))[:200]
        name = name or (RESULT_NAME if kind == "result" else OTHER_PAPERS)
        rows.append((dossier_id, index, name, kind, pages, size, sha, at, officer, event_id))
    if rows:
        session.connection().exec_driver_sql(
            "INSERT INTO dossier_file (dossier_id, component_index, component_name, kind, pages, size, sha256, "
            "created_at, officer, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def verify(session: Session, vault: FileVault) -> FilesCheck:
    """Every file a row of ours names is there with the content its hash says (read in full); a file
    another counter kept is checked when it was fetched here, and not missed when it was not."""
    named = {}
    for sha, (papers, ours) in _named(session).items():
        state = vault.state(sha)
        if ours or state != "missing":
            named[sha] = (papers, state)
    problems = []
    for sha, (papers, state) in named.items():
        if state != "ok":
            problems.append(Problem(sha, state, tuple(papers)))
    if not problems:
        return FilesCheck(True, len(named), (), f"Tệp số hóa nguyên vẹn: {len(named)} tệp.")
    words = {"missing": "mất", "altered": "bị sửa"}
    listed = "; ".join(f"{p.papers[0]} ({words[p.state]}, {p.sha256[:12]}…)" for p in problems[:5])
    more = f" và {len(problems) - 5} tệp khác" if len(problems) > 5 else ""
    return FilesCheck(False, len(named), tuple(problems),
                      f"{len(problems)}/{len(named)} tệp số hóa bị mất hoặc bị sửa: {listed}{more}. "
                      "Hãy khôi phục từ bản sao lưu hoặc số hóa lại.")
