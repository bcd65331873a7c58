"""The checks of one pushed event that need no database (ingest.py applies the ones that do): a
JSON object of the protocol's shape, of a known kind, at a believable time, about a dossier of the
sending device's office (and, for an intake, a code from its own counter's slice), with a status
move of the right shape and readable times in its snapshot."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from counter_app.domain.codes import MAX_PER_COUNTER_PER_DAY, parse_dossier_code
from counter_app.domain.vn_time import VN_TZ
from counter_app.sync.protocol import EVENT_KINDS, MAX_FUTURE, OLDEST_EVENT_YEAR, EventPayload, event_key, parse_time
from district_server import rules
from district_server.auth import Device
from district_server.received import Refusal, read_object


@dataclass
class Checked:
    """An event that passed every check that does not need the database."""

    index: int
    event: EventPayload
    payload_json: str
    payload_hash: str
    code: str
    counter: int
    sort_key: str
    device: Device
    batch_id: str | None = None  # None: a waiting event applied later, by another batch

    @property
    def step(self) -> rules.Step:
        return rules.Step(self.sort_key, self.event.kind, self.event.from_status, self.event.to_status)


_CLOCK_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")

BAD_TEXT = ("Sự kiện chứa ký tự không hợp lệ (nửa cặp UTF-16, không phải văn bản Unicode); máy chủ huyện không "
            "lưu được, hãy báo quản trị viên.")


def check_event(raw: Any, dev: Device, now: datetime) -> Checked:
    if not isinstance(raw, dict):
        raise Refusal("not_object", "Sự kiện không phải một đối tượng JSON.")
    ev, text, digest = read_object(raw, EventPayload, "Sự kiện", BAD_TEXT)
    if ev.kind not in EVENT_KINDS:
        raise Refusal("unknown_kind", f"Loại sự kiện '{ev.kind[:40]}' không được máy chủ huyện hỗ trợ.")
    at = parse_time(ev.at)
    if at > now + MAX_FUTURE:
        raise Refusal("future_time",
                      f"Sự kiện ghi thời điểm {at.astimezone(VN_TZ):%H:%M ngày %d/%m/%Y}, ở tương lai so với giờ "
                      f"máy chủ ({now.astimezone(VN_TZ):%H:%M ngày %d/%m/%Y}); hãy kiểm tra đồng hồ máy quầy.")
    if at.year < OLDEST_EVENT_YEAR:
        raise Refusal("too_old", f"Sự kiện ghi thời điểm trước năm {OLDEST_EVENT_YEAR}: không hợp lệ.")
    snap = ev.dossier
    if snap.get("id") != ev.dossier_id:
        raise Refusal("snapshot_mismatch", "Thông tin hồ sơ kèm theo không khớp với mã định danh của sự kiện.")
    code = str(snap.get("code") or "")
    parsed = parse_dossier_code(code)
    if parsed is None:
        raise Refusal("bad_code", f"Mã hồ sơ '{code[:60]}' không đúng dạng <mã cơ quan>-YYMMDD-XXXX.")
    if parsed.agency_code != dev.agency_code or snap.get("agency_code", parsed.agency_code) != dev.agency_code:
        raise Refusal("other_agency", f"Hồ sơ {code} thuộc cơ quan {parsed.agency_code}; thiết bị này chỉ được gửi "
                      f"hồ sơ của cơ quan {dev.agency_code}.")
    if ev.kind == "intake" and parsed.counter != dev.counter:
        first, last = parsed.counter * 1000 + 1, parsed.counter * 1000 + MAX_PER_COUNTER_PER_DAY
        raise Refusal("other_counter",
                      f"Mã hồ sơ {code} thuộc dải số của quầy {parsed.counter} ({first:04d}–{last:04d}); thiết bị này "
                      f"là quầy {dev.counter} và chỉ được cấp mã từ {dev.counter * 1000 + 1:04d} đến "
                      f"{dev.counter * 1000 + MAX_PER_COUNTER_PER_DAY:04d}.")
    wrong_move = rules.shape_error(ev.kind, ev.from_status, ev.to_status, code)
    if wrong_move:
        raise Refusal("bad_move", wrong_move)
    _check_time(snap.get("received_at"), code, "thời điểm tiếp nhận (received_at)", required=True)
    _check_time(snap.get("due_at"), code, "hạn trả kết quả (due_at)", required=False)
    _check_time(snap.get("returned_at"), code, "thời điểm trả kết quả (returned_at)", required=False)
    # The running totals of working time read these two's hour and minute (db/tally_sql.py).
    _check_time(snap.get("start_at"), code, "thời điểm bắt đầu tính hạn (start_at)", required=False, clock=True)
    _check_time(snap.get("finished_at"), code, "thời điểm kết thúc xử lý (finished_at)", required=False, clock=True)
    procedure = snap.get("procedure_code", "")
    if not isinstance(procedure, str) or len(procedure) > 60 or any(ch < " " for ch in procedure):
        raise Refusal("bad_field", f"Hồ sơ {code}: mã thủ tục (procedure_code) không hợp lệ.")
    return Checked(index=0, event=ev, payload_json=text, payload_hash=digest,
                   code=code, counter=parsed.counter, sort_key=event_key(ev.at, ev.event_id), device=dev)


def _check_time(value: Any, code: str, what: str, *, required: bool, clock: bool = False) -> None:
    """A readable time; with `clock`, one written with its hour and minute (YYYY-MM-DDTHH:MM…)."""
    if value in (None, "") and not required:
        return
    try:
        parse_time(value)
    except (TypeError, ValueError):
        raise Refusal("bad_field", f"Hồ sơ {code}: {what} không hợp lệ.") from None
    if clock and not _CLOCK_TIME.match(value):
        raise Refusal("bad_field", f"Hồ sơ {code}: {what} thiếu giờ phút (cần dạng YYYY-MM-DDTHH:MM).")
