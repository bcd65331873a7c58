"""The window's (and the scripted interface's) door to digitisation: attach pages to a component of
a dossier, list what is kept, read a kept file back, check the files (docs/digitisation.md).

Like counter_app/desk_admin.py: functions taking the `Desk`, each opening its own transactions, run
on the window's store lane (normalising ten pages takes ~0.1–1 s), plain values back. Who may:
the papers handed in are part of the intake ("intake"), the result part of its return ("return"),
through the core's one permission gate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from counter_app.errors import UserError

if TYPE_CHECKING:
    import os

    from counter_app.desk import Desk
    from counter_app.digitise.filestore import FileRow, FilesCheck
    from counter_app.digitise.normalise import Page
    from counter_app.digitise.vault import FileVault


NO_TOKEN = ("Cơ quan chưa khai báo USB ký số (cài đặt signing.module): bản số hóa không ký được. "
            "Hãy lưu không ký, hoặc nhờ quản trị khai báo USB ký số.")
# What the signature says it is for (its /Reason): an electronic copy made from the paper handed in.
SIGN_REASON = "Bản sao điện tử từ giấy tờ nộp tại Bộ phận tiếp nhận và trả kết quả"
SIGNED_NOTE = "Đã ký số bản sao điện tử bằng USB ký số của cơ quan."
NOT_LINKED = ("{n} bản số hóa của hồ sơ này do quầy khác lưu và ở máy chủ huyện; máy quầy này chưa kết nối "
              "máy chủ huyện nên chưa tải về được.")
UNREACHABLE = "Chưa tải được {n} bản số hóa từ máy chủ huyện ({why}); sẽ thử lại khi mở lại hồ sơ."
FETCHED = "Đã tải {n} bản số hóa do quầy khác lưu từ máy chủ huyện."


@dataclass(frozen=True)
class Attached:
    file: FileRow
    notes: tuple[str, ...]  # what normalising changed (scripts removed …), to show the officer
    replaced: bool  # an earlier scan of the same paper existed (kept as history)


@dataclass(frozen=True)
class Slot:
    """One paper the dossier can have digitised: a checklist entry, "other papers" (0) or the result."""

    kind: str  # component | result
    index: int
    name: str
    file: FileRow | None  # the scan in force, None: not digitised yet


def vault(desk: Desk) -> FileVault:
    """The store's files, sealed under its key (counter_app/digitise/vault.py)."""
    from counter_app.digitise.vault import FileVault

    return FileVault.of(desk.store)


def attach(desk: Desk, code: str, pages: Sequence[Page | str | os.PathLike[str] | bytes], *, component: int = 0,
           result: bool = False, name: str = "", sign_pin: str | None = None) -> Attached:
    """The pages, in order, as one PDF kept for component `component` of the dossier's checklist
    (0: a paper outside it, named `name` or "Giấy tờ khác"), or as its result (`result`). With
    `sign_pin`, the PDF is kept signed as an electronic copy with the office's token (docs/signing.md).
    Refused (UserError / DigitiseError, nothing kept) before any work for a person without the right,
    an unknown code or component, or signing asked of an office without a token; after normalising
    for a bad page, and after signing for a token that refuses."""
    from dataclasses import replace

    from counter_app.digitise import filestore, signing
    from counter_app.digitise.normalise import normalise
    from counter_app.services.lookup import find_own
    from counter_app.services.office import require_office
    from counter_app.services.permissions import authorize

    kind = "result" if result else "component"
    permission = "return" if result else "intake"
    index = 0 if result else int(component)
    with desk.store.read() as session:  # refusals first: no scan is read for a refused attach
        authorize(session, desk.actor, permission, target=code)
        dossier = find_own(session, code)
        label = filestore.component_name(session, dossier, index, kind, name)
        limits = filestore.limits(session)
        token = signing.office_token(session) if sign_pin is not None else None
        place = require_office(session).place
    if sign_pin is not None and token is None:
        raise UserError(NO_TOKEN, field="signing.module")
    made = normalise(pages, code=dossier.code, component=label, limits=limits)
    if token is not None:
        signed = signing.sign_pdf(made.pdf, token, sign_pin or "", reason=SIGN_REASON, location=place)
        made = replace(made, pdf=signed, notes=(*made.notes, SIGNED_NOTE))
    files_kept = vault(desk)
    sha, created = files_kept.put(made.pdf)
    try:
        with desk.store.write() as session:
            authorize(session, desk.actor, permission, target=code)
            dossier = find_own(session, code)
            label = filestore.component_name(session, dossier, index, kind, name)
            before = [f for f in filestore.files_of(session, dossier)
                      if (f.kind, f.component_index, f.component_name) == (kind, index, label)]
            row = filestore.record(session, dossier, index=index, name=label, kind=kind, component=made,
                                   sha256=sha, actor=desk.actor)
    except BaseException:
        if created and not _still_named(desk, sha):
            files_kept.drop(sha)
        raise
    return Attached(row, made.notes, bool(before))


def _still_named(desk: Desk, sha: str) -> bool:
    from counter_app.digitise import filestore

    try:
        with desk.store.read() as session:
            return sha in filestore.referenced(session)
    except Exception:  # the store itself failed: keep the file rather than guess
        return True


def files(desk: Desk, code: str, *, history: bool = False) -> list[FileRow]:
    """The dossier's digitised papers (only those in force unless `history`)."""
    from counter_app.digitise import filestore
    from counter_app.services.lookup import find_own

    _ = desk.actor  # nobody logged in: "Chưa đăng nhập"
    with desk.store.read() as session:
        rows = filestore.files_of(session, find_own(session, code))
    return rows if history else [r for r in rows if r.current]


def slots(desk: Desk, code: str) -> list[Slot]:
    """What the assign panel offers: each checklist entry with its scan (or None), the other papers
    already kept, "other papers" itself, and the result once there is one."""
    from counter_app.digitise import filestore
    from counter_app.services.dossiers import documents_of
    from counter_app.services.lookup import find_own

    _ = desk.actor
    with desk.store.read() as session:
        dossier = find_own(session, code)
        kept = {(f.kind, f.component_index, f.component_name): f
                for f in filestore.files_of(session, dossier) if f.current}
        listed = [Slot("component", d.position, d.name, kept.get(("component", d.position, d.name)))
                  for d in documents_of(session, dossier.id)]
        others = [Slot("component", 0, k[2], f) for k, f in kept.items() if k[:2] == ("component", 0)]
        if not any(s.name == filestore.OTHER_PAPERS for s in others):
            others.append(Slot("component", 0, filestore.OTHER_PAPERS, None))
        results = [Slot("result", 0, k[2], f) for k, f in kept.items() if k[0] == "result"]
        if not results and dossier.status in filestore.RESULT_STATUSES:
            results = [Slot("result", 0, filestore.RESULT_NAME, None)]
    return listed + others + results


def file_bytes(desk: Desk, code: str, sha256: str) -> bytes:
    """A kept PDF of the dossier (for the preview or to save a copy), checked against its hash. A
    paper another counter of the office digitised is read from here once `fetch_missing` brought it."""
    if not any(f.sha256 == sha256 for f in files(desk, code, history=True)):
        raise UserError(f"Hồ sơ {code} không có tệp số hóa {sha256[:12]}….")
    return vault(desk).read(sha256)


def signing_offered(desk: Desk) -> bool:
    """The office named a signing token (docs/signing.md): the window offers to sign what it saves."""
    from counter_app.digitise import signing

    with desk.store.read() as session:
        return signing.office_token(session) is not None


def not_here(desk: Desk, code: str) -> list[FileRow]:
    """The dossier's papers in force whose file is not on this counter: another counter of the office
    digitised them (their events came down in a pull) and the district holds the file."""
    kept = vault(desk)
    return [f for f in files(desk, code) if not kept.holds(f.sha256)]


@dataclass(frozen=True)
class Fetched:
    files: int  # brought from the district server now
    message: str  # Vietnamese, for the officer: "" when nothing was missing


def fetch_missing(desk: Desk, code: str) -> Fetched:
    """Bring the dossier's papers that are not on this counter from the district server, each checked
    against its hash and sealed like our own. Network work: run it off the store lane (the window's
    sync lane). Not linked, or the server not reachable: nothing changes, the message says why."""
    from counter_app.sync import uploads
    from counter_app.sync.commands import linked_client
    from counter_app.sync.errors import ServerUnreachable, SyncRefused

    missing = {f.sha256: f for f in not_here(desk, code)}
    if not missing:
        return Fetched(0, "")
    client = linked_client(desk.store)
    if client is None:
        return Fetched(0, NOT_LINKED.format(n=len(missing)))
    kept = vault(desk)
    fetched = 0
    try:
        with client:
            for sha in missing:
                kept.put(uploads.download(client, sha))
                fetched += 1
    except (ServerUnreachable, SyncRefused) as exc:
        return Fetched(fetched, UNREACHABLE.format(n=len(missing) - fetched, why=exc.message.rstrip(". ")))
    return Fetched(fetched, FETCHED.format(n=fetched))


def verify_files(desk: Desk) -> FilesCheck:
    """Every kept file is there and unaltered (the same check as `counter-app files verify`)."""
    from counter_app.digitise import filestore
    from counter_app.services.permissions import authorize

    with desk.store.read() as session:
        authorize(session, desk.actor, "audit", target="files")
        return filestore.verify(session, vault(desk))
