"""The one place a stored dossier becomes paper: Mẫu 01 (the slip), Mẫu 02–06 (from the events the
workflow recorded), Mẫu 07 (the register of a date range), and writing a PDF to disk atomically.

Screens and the scripted interface call these; `counter_app.papers` only draws what it is given.
Every refusal is a UserError with one Vietnamese sentence, raised before anything is written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import text
from sqlmodel import Session, col, select

from counter_app import clock
from counter_app.db import plain_rows
from counter_app.db.models import Applicant, Dossier, Office, Officer, Procedure
from counter_app.domain import vietqr
from counter_app.domain.actions import form_event
from counter_app.domain.deadlines import timeliness
from counter_app.domain.statuses import IN_PROCESS, RESOLVED, Status, label
from counter_app.domain.text import nfc
from counter_app.domain.vn_time import day_start, vn_short_date, vn_short_datetime
from counter_app.errors import UserError
from counter_app.papers import form_data
from counter_app.papers.form_data import FORM_NUMBERS, Form, FormDossier, FormOffice, HandOver
from counter_app.papers.forms import render_form
from counter_app.papers.register import Register, RegisterRow, render_register
from counter_app.papers.slip import SlipData, SlipDocument, SlipOffice, render_slip
from counter_app.services import digitisation_stats, settings, workflow
from counter_app.services.dossiers import documents_of
from counter_app.services.lookup import find_own
from counter_app.services.office import require_office
from counter_app.sync.engine import KEY_FINGERPRINT, KEY_PUBLIC_URL, KEY_SERVER
from counter_app.sync.protocol import LOOKUP_PATH

log = logging.getLogger(__name__)

# Office settings the papers read (services/settings.py; JSON strings). All optional.
LOOKUP_URL_KEY = "papers.lookup_url"          # status look-up address; "{code}" is replaced, else appended
BANK_BIN_KEY = "papers.bank_bin"              # VietQR: the bank's 6-digit BIN …
BANK_ACCOUNT_KEY = "papers.bank_account"      # … and the account the fees are paid into
BANK_ACCOUNT_NAME_KEY = "papers.bank_account_name"
OFFICE_PHONE_KEY = "papers.office_phone"      # Mẫu 02: "liên hệ … số điện thoại … để được hướng dẫn"
HEAD_NAME_KEY = "papers.head_name"            # Mẫu 04/05: the head of unit printed under the signature
SETTING_KEYS = (LOOKUP_URL_KEY, BANK_BIN_KEY, BANK_ACCOUNT_KEY, BANK_ACCOUNT_NAME_KEY, OFFICE_PHONE_KEY,
                HEAD_NAME_KEY)

Paper = Literal["a5", "a4-2up"]
PAPERS: tuple[str, ...] = ("a5", "a4-2up")
FORMS: tuple[str, ...] = tuple(FORM_NUMBERS)  # "02" … "06"
# A paper register is opened per year (TT 01/2018 Điều 10); a longer print is a mistake, and slow.
MAX_REGISTER_DAYS = 366


# --------------------------------------------------------------------------------------------------
# Mẫu 01


def slip_pdf(session: Session, code: str, paper: Paper = "a5") -> bytes:
    """The appointment slip of a stored dossier, both copies, on A5 pages or 2-up on A4. `paper` comes
    from a command line or a combo box, so it is checked here, not trusted to the type."""
    if paper not in PAPERS:
        raise UserError(f"Khổ giấy '{paper}' không có: chọn a5 hoặc a4-2up.", field="paper")
    dossier = find_own(session, code)
    if dossier.status == Status.REFUSED:
        raise UserError(
            f"Hồ sơ {dossier.code} đã bị từ chối tiếp nhận nên không có Giấy tiếp nhận (Mẫu 01); "
            "hãy in Phiếu từ chối tiếp nhận (Mẫu 03)."
        )
    office = require_office(session)
    procedure = session.get(Procedure, dossier.procedure_code)
    data = SlipData(
        **_dossier_fields(dossier, _applicant(session, dossier)),
        working_days=dossier.working_days,
        documents=tuple(SlipDocument(d.name, d.form, d.count) for d in documents_of(session, dossier.id)),
        sets=dossier.sets,
        register_book=dossier.received_at[:4],
        register_number=f"{entry_number(session, dossier):02d}",
        officer_name=officer_names(session, [dossier.officer]).get(dossier.officer, dossier.officer),
        fee_amount=procedure.fee_amount if procedure is not None else None,
        note=dossier.note,
    )
    return render_slip(_slip_office(session, office, data), data, paper)


def _slip_office(session: Session, office: Office, data: SlipData) -> SlipOffice:
    slip_office = SlipOffice(
        parent_name=office.agency_name,
        office_name=office.office_name,
        place=office.place,
        lookup_url=lookup_url(session),
        bank_bin=_text_setting(session, BANK_BIN_KEY),
        bank_account=_text_setting(session, BANK_ACCOUNT_KEY),
        bank_account_name=_text_setting(session, BANK_ACCOUNT_NAME_KEY),
    )
    if slip_office.bank_bin and slip_office.bank_account and data.fee_amount:
        try:
            vietqr.build_payload(slip_office.bank_bin, slip_office.bank_account, data.fee_amount, purpose=data.code)
        except ValueError as exc:
            # A mistyped bank setting must not stop the counter: the slip prints without the payment QR.
            log.warning("payment QR left off the slip of %s: %s", data.code, exc)
            slip_office = replace(slip_office, bank_bin="", bank_account="")
    return slip_office


def lookup_url(session: Session) -> str:
    """Where the slip's look-up QR points (docs/server-web.md, "The slip's QR"): the office's own
    address when set; else the public address the district server announced; else the linked
    server itself when citizens' phones can trust it (no pinned certificate: a real CA's, or plain
    HTTP); else nowhere: a QR leading to a certificate warning would teach citizens to click it away."""
    own = _text_setting(session, LOOKUP_URL_KEY)
    if own:
        return own
    public = _text_setting(session, KEY_PUBLIC_URL).rstrip("/")
    if public:
        return f"{public}{LOOKUP_PATH}"
    server = _text_setting(session, KEY_SERVER).rstrip("/")
    return f"{server}{LOOKUP_PATH}" if server and not _text_setting(session, KEY_FINGERPRINT) else ""


def entry_number(session: Session, dossier: Dossier) -> int:
    """The dossier's number in its year's register: entries run from 01 to the year's end (TT 01/2018
    Điều 10), in the order dossiers were received. The slip and the register print the same number."""
    year = dossier.received_at[:4]
    # Two counts, so the first is a pure range on the received_at index (no table reads: a store
    # holds one office's dossiers only, so no agency filter is needed); ties go by code.
    params = {"start": _day_start(date(int(year), 1, 1)), "at": dossier.received_at, "code": dossier.code}
    before = session.execute(text("SELECT COUNT(*) FROM dossier WHERE received_at >= :start AND received_at < :at"),
                             params).scalar() or 0
    same = session.execute(text("SELECT COUNT(*) FROM dossier WHERE received_at = :at AND code <= :code"),
                           params).scalar() or 0
    return int(before) + int(same)


# --------------------------------------------------------------------------------------------------
# Mẫu 02–06


def form_pdf(session: Session, code: str, form: str) -> bytes:
    """Mẫu 02–06 of a stored dossier, from the event it records; refused when there is no such event."""
    number = _form_number(form)
    dossier = find_own(session, code)
    office = require_office(session)
    history = workflow.history(session, dossier.code)
    form_office = FormOffice(office.agency_name, office.office_name, office.place,
                             _text_setting(session, OFFICE_PHONE_KEY))
    people = officer_names(session, [str(e.get("officer") or "") for e in history])
    base = _form_dossier(session, dossier)
    data = _FORM_BUILDERS[number](session, dossier, base, history, people, form_office)
    return render_form(form_office, data)


def _form_number(form: str) -> str:
    value = str(form or "").strip().removeprefix("Mẫu").removeprefix("mẫu").strip()
    value = value.zfill(2) if value.isdigit() else value
    if value not in FORMS:
        raise UserError(f"Mẫu '{form}' không có: chọn 02, 03, 04, 05 hoặc 06.", field="form")
    return value


def _form_dossier(session: Session, dossier: Dossier) -> FormDossier:
    applicant = _applicant(session, dossier)
    return FormDossier(**_dossier_fields(dossier, applicant), salutation=_salutation(applicant.gender))


def _salutation(gender: str) -> str:
    return {"nam": "Ông", "nữ": "Bà"}.get(nfc(gender).lower(), "Ông/Bà")


Event = dict[str, Any]

# Mẫu 02–05 each print one event the workflow recorded; a dossier without it has no such paper, and
# the refusal says why in the words of the dossier's story.
_NO_EVENT = {
    "02": "chưa có yêu cầu bổ sung, hoàn thiện hồ sơ nên không có Mẫu 02 để in.",
    "03": "đã được tiếp nhận, không bị từ chối, nên không có Phiếu từ chối (Mẫu 03).",
    "04": "chưa được gia hạn nên không có Văn bản xin lỗi và đề nghị gia hạn (Mẫu 04).",
    "05": "không bị dừng giải quyết nên không có Thông báo (Mẫu 05).",
}


def _recorded_event(dossier: Dossier, history: Sequence[Event], number: str) -> Event:
    event = form_event(history, number)
    if event is None:
        raise UserError(f"Hồ sơ {dossier.code} {_NO_EVENT[number]}")
    return event


def _supplement(session: Session, dossier: Dossier, base: FormDossier, history: Sequence[Event],
                people: dict[str, str], office: FormOffice) -> Form:
    event = _recorded_event(dossier, history, "02")
    missing = tuple(str(m) for m in event.get("missing") or ())
    return form_data.SupplementRequest(dossier=base, requested_at=clock.parse_iso(event["at"]), missing=missing,
                                       reason=event.get("note") or "", officer_name=_person(people, event))


def _refusal(session: Session, dossier: Dossier, base: FormDossier, history: Sequence[Event],
             people: dict[str, str], office: FormOffice) -> Form:
    event = _recorded_event(dossier, history, "03")
    return form_data.Refusal(dossier=base, refused_at=clock.parse_iso(event["at"]), reason=event.get("note") or "",
                             officer_name=_person(people, event))


def _extension(session: Session, dossier: Dossier, base: FormDossier, history: Sequence[Event],
               people: dict[str, str], office: FormOffice) -> Form:
    event = _recorded_event(dossier, history, "04")
    return form_data.ExtensionNotice(
        dossier=base, extended_at=clock.parse_iso(event["at"]), reason=event.get("note") or "",
        previous_due_at=clock.parse_iso(event["previous_due_at"]), new_due_at=clock.parse_iso(event["new_due_at"]),
        signer_name=_text_setting(session, HEAD_NAME_KEY),
    )


def _stop(session: Session, dossier: Dossier, base: FormDossier, history: Sequence[Event],
          people: dict[str, str], office: FormOffice) -> Form:
    event = _recorded_event(dossier, history, "05")
    return form_data.StopNotice(dossier=base, stopped_at=clock.parse_iso(event["at"]), reason=event.get("note") or "",
                                signer_name=_text_setting(session, HEAD_NAME_KEY))


# Events that are not hand-overs but belong on the control sheet, as a note beside the step in course.
_STEP_NOTES = {
    int(Status.SUPPLEMENT): "yêu cầu bổ sung, hoàn thiện hồ sơ",
    int(Status.FINANCIAL): "yêu cầu thực hiện nghĩa vụ tài chính",
    int(Status.WITHDRAWN): "công dân rút hồ sơ",
    int(Status.STOPPED): "dừng giải quyết hồ sơ",
}


def _control(session: Session, dossier: Dossier, base: FormDossier, history: Sequence[Event],
             people: dict[str, str], office: FormOffice) -> Form:
    if dossier.status == Status.REFUSED:
        raise UserError(
            f"Hồ sơ {dossier.code} bị từ chối tiếp nhận nên không có Phiếu kiểm soát quá trình giải quyết (Mẫu 06)."
        )
    unit = nfc(office.office_name)
    holder = unit
    rows: list[HandOver] = []
    loose_notes: list[str] = []
    units: list[str] = []
    for event, due in zip(history, _dues_in_force(history, base.due_at), strict=True):
        at = clock.parse_iso(event["at"])
        kind, status = event["kind"], event["status"]
        if kind == "handover":
            receiver = nfc(event.get("to_unit") or "")
            rows.append(HandOver(holder, receiver, at, due, event.get("note") or ""))
            holder = receiver
            if receiver != unit and receiver not in units:
                units.append(receiver)
        elif kind == "move" and status == Status.DONE:
            # The last pair hands the result back to the one-stop unit (docs/legal.md §2.4).
            rows.append(HandOver(holder, unit, at, due, event.get("note") or ""))
            holder = unit
        elif kind == "return":
            rows.append(HandOver(unit, _recipient_text(event), at, due, "Trả kết quả"))
        else:
            note = _step_note(event, due)
            if note and rows:
                last = rows[-1]
                rows[-1] = replace(last, note="\n".join(p for p in (last.note, note) if p))
            elif note:
                loose_notes.append(note)
    running = dossier.status in IN_PROCESS
    return form_data.ControlSheet(
        dossier=base,
        hand_overs=tuple(rows),
        processing_unit=units[0] if units else "",
        coordinating_units=tuple(units[1:]),
        original_due_at=clock.parse_iso(dossier.original_due_at) if dossier.original_due_at else None,
        blank_rows=2 if running else 0,  # room to write the steps still to come
        notes=tuple(loose_notes),
    )


def _step_note(event: Event, due: datetime | None) -> str:
    """'05/03/2026: yêu cầu bổ sung, hoàn thiện hồ sơ', or '' for an event the sheet does not show."""
    day = vn_short_date(clock.parse_iso(event["at"]))
    kind, status, old = event["kind"], event["status"], event.get("from_status")
    if kind == "extension":
        return f"{day}: gia hạn, hẹn trả mới {vn_short_datetime(clock.parse_iso(event['new_due_at']))}"
    if kind != "move":
        return ""
    if status == Status.PROCESSING and old == Status.SUPPLEMENT and due is not None:
        return f"{day}: nhận đủ hồ sơ bổ sung, hẹn trả mới {vn_short_datetime(due)}"
    if status == Status.PROCESSING and old == Status.FINANCIAL:
        return f"{day}: đã thực hiện nghĩa vụ tài chính"
    step = _STEP_NOTES.get(int(status))
    return f"{day}: {step}" if step else ""


def _dues_in_force(history: Sequence[Event], current_due: datetime) -> list[datetime | None]:
    """The appointment in force after each event: walking back from today's, an event that moved it
    (supplement restart, extension) recorded the one before it."""
    dues: list[datetime | None] = [None] * len(history)
    running = current_due
    for index in range(len(history) - 1, -1, -1):
        dues[index] = running
        previous = history[index].get("previous_due_at")
        if previous:
            running = clock.parse_iso(previous)
    return dues


def _recipient_text(event: Event) -> str:
    recipient = event.get("recipient") or {}
    name = nfc(recipient.get("full_name") or "")
    relation = nfc(recipient.get("relation") or "")
    return f"{name} ({relation})" if relation else name


_FORM_BUILDERS = {"02": _supplement, "03": _refusal, "04": _extension, "05": _stop, "06": _control}


# --------------------------------------------------------------------------------------------------
# Mẫu 07


def register_pdf(session: Session, date_from: date, date_to: date, *, now: datetime | None = None) -> bytes:
    """The register of the dossiers received from `date_from` to `date_to` (both included)."""
    office = require_office(session)
    rows = register_entries(session, date_from, date_to)
    data = Register(date_from, date_to, now or clock.now(), tuple(rows))
    return render_register(FormOffice(office.agency_name, office.office_name, office.place), data)


_REGISTER_SQL = f"""
SELECT d.code, d.procedure_code, d.procedure_name, d.sets, a.full_name, a.address, a.phone, d.received_at,
       d.due_at, d.returned_at, COALESCE(d.recipient_name, '') AS recipient,
       COALESCE(d.recipient_relation, '') AS relation, d.status, d.officer, d.extension_count,
       (SELECT e.officer FROM status_event e WHERE e.dossier_id = d.id AND e.kind = 'return'
        ORDER BY e.at DESC LIMIT 1) AS returned_by,
       d.finished_at,
       CASE WHEN {digitisation_stats.fully_digitised_sql()} THEN 1 ELSE 0 END AS digitised,
       CASE WHEN {digitisation_stats.result_digitised_sql()} THEN 1 ELSE 0 END AS result_digitised
FROM dossier d JOIN applicant a ON a.id = d.applicant_id
WHERE d.agency_code = :agency AND d.received_at >= :start AND d.received_at < :end
ORDER BY d.received_at, d.code
"""


def register_entries(session: Session, date_from: date, date_to: date) -> list[RegisterRow]:
    """The register's rows: every dossier received in the range (refused ones too: a code is never
    reused, and a gap in the codes would look like an entry torn out), numbered as the year's book."""
    if date_from > date_to:
        raise UserError(
            f"Ngày bắt đầu {vn_short_date(date_from)} sau ngày kết thúc {vn_short_date(date_to)}.", field="date_from"
        )
    if (date_to - date_from).days >= MAX_REGISTER_DAYS:
        raise UserError("Sổ theo dõi hồ sơ in tối đa một năm mỗi lần; hãy chọn khoảng thời gian ngắn hơn.",
                        field="date_to")
    office = require_office(session)
    found = plain_rows.fetch_all(session, _REGISTER_SQL, {
        "agency": office.agency_code, "start": _day_start(date_from), "end": _day_start(date_to + timedelta(days=1)),
    })
    people = officer_names(session, {r.officer for r in found} | {r.returned_by for r in found if r.returned_by})
    numbers = _year_counters(session, office.agency_code, date_from, date_to)
    return [_register_row(r, numbers, people) for r in found]


def _register_row(r: Any, numbers: dict[int, int], people: dict[str, str]) -> RegisterRow:
    year = int(r.received_at[:4])
    numbers[year] += 1
    due_at = None if r.status == Status.REFUSED else clock.parse_iso(r.due_at)
    finished = clock.parse_iso(r.finished_at) if r.finished_at else None
    return RegisterRow(
        number=numbers[year], code=r.code, procedure_code=r.procedure_code, procedure_name=r.procedure_name,
        sets=r.sets, applicant_name=r.full_name, address=r.address, phone=r.phone,
        received_at=clock.parse_iso(r.received_at), due_at=due_at,
        returned_at=clock.parse_iso(r.returned_at) if r.returned_at else None,
        handed_by=people.get(r.returned_by, r.returned_by or ""),
        recipient=f"{r.recipient} ({r.relation})" if r.relation else r.recipient,
        officer=people.get(r.officer, r.officer),
        note=_register_note(r.status, due_at, finished, r.extension_count, r.digitised, r.result_digitised),
    )


def _year_counters(session: Session, agency: str, date_from: date, date_to: date) -> dict[int, int]:
    """For each year the range touches, how many entries that year's book holds before the range."""
    counters = {year: 0 for year in range(date_from.year, date_to.year + 1)}
    if date_from != date(date_from.year, 1, 1):  # later years of the range start on 1 January
        counters[date_from.year] = int(session.execute(
            text("SELECT COUNT(*) FROM dossier WHERE agency_code = :agency AND received_at >= :start "
                 "AND received_at < :end"),
            {"agency": agency, "start": _day_start(date(date_from.year, 1, 1)), "end": _day_start(date_from)},
        ).scalar() or 0)
    return counters


def _register_note(status: int, due: datetime | None, finished: datetime | None, extensions: int,
                   digitised: int = 0, result_digitised: int = 0) -> str:
    """The state in a few words; with a result, whether it came early, on time or late (judged when the
    result was ready, day against due day, as services/statistics.py counts it); then whether every
    paper handed in, and the result, are digitised (the same definitions as the statistics)."""
    if status in RESOLVED and finished is not None and due is not None:
        verdict = timeliness(finished, due)
        note = f"Đã có kết quả, {verdict.lower()}" if status == Status.DONE else verdict
    elif status == Status.REFUSED:
        note = "Từ chối tiếp nhận"
    else:
        note = label(status)
    marks = [note] + (["đã gia hạn"] if extensions else []) + (["đã số hóa hồ sơ"] if digitised else []) \
        + (["có kết quả điện tử"] if result_digitised else [])
    return "; ".join(marks)


def _day_start(day: date) -> str:
    """The stored form of midnight opening `day`: times are stored as +07:00 ISO strings, so they
    compare as text."""
    return clock.iso(day_start(day))


# --------------------------------------------------------------------------------------------------
# Shared look-ups


def _dossier_fields(dossier: Dossier, applicant: Applicant) -> dict[str, Any]:
    """What every paper (Mẫu 01–06) says of the dossier and the person it is for, by field name."""
    return {
        "code": dossier.code,
        "procedure_name": dossier.procedure_name,
        "applicant_name": applicant.full_name,
        "address": applicant.address,
        "phone": applicant.phone,
        "email": applicant.email,
        "received_at": clock.parse_iso(dossier.received_at),
        "due_at": clock.parse_iso(dossier.due_at),
    }


def _applicant(session: Session, dossier: Dossier) -> Applicant:
    applicant = session.get(Applicant, dossier.applicant_id)
    if applicant is None:  # the foreign key makes this a damaged store, not a user mistake
        raise RuntimeError(f"dossier {dossier.code} has no applicant row")
    return applicant


def _text_setting(session: Session, key: str) -> str:
    value = settings.get(session, key, "")
    return nfc(str(value)) if value is not None else ""


def _person(people: dict[str, str], event: Event) -> str:
    login = str(event.get("officer") or "")
    return people.get(login, login)


def officer_names(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    """Full names of officer accounts by login, for signatures; a login without an account (a
    scripted import, or a store from before accounts existed) is printed as it is."""
    wanted = sorted({u for u in usernames if u})
    if not wanted:
        return {}
    found = session.exec(select(Officer.username, Officer.full_name).where(col(Officer.username).in_(wanted)))
    return {username: full_name for username, full_name in found.all() if full_name}


__all__ = [
    "BANK_ACCOUNT_KEY", "BANK_ACCOUNT_NAME_KEY", "BANK_BIN_KEY", "FORMS", "HEAD_NAME_KEY", "LOOKUP_URL_KEY",
    "MAX_REGISTER_DAYS", "OFFICE_PHONE_KEY", "PAPERS", "SETTING_KEYS", "Paper", "entry_number", "form_pdf",
    "officer_names", "register_entries", "register_pdf", "slip_pdf",
]
