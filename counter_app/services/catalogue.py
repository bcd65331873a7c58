"""The procedure catalogue: the shipped demo list, import and export (JSON, CSV, XLSX), look-ups.

Import adds new codes and updates existing ones (never a duplicate); a bad row stops the whole
import with a message that names the row, and nothing is changed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from counter_app import clock
from counter_app.db import plain_rows
from counter_app.db.models import Procedure
from counter_app.domain import json_input
from counter_app.domain.text import collapse_spaces, fold, nfc
from counter_app.errors import UserError
from counter_app.resources import resource_path
from counter_app.services import audit
from counter_app.services.audit import SYSTEM, Actor
from counter_app.services.permissions import authorize
from counter_app.services.procedure_specs import (  # noqa: F401 - the catalogue's names, kept here too
    DocumentSpec,
    ProcedureSpec,
    list_procedures,
    search_procedures,
    spec_from_row,
)

COLUMNS = ("code", "name", "field", "working_days", "fee", "fee_amount", "documents")
DOCUMENT_FORMS = ("bản chính", "bản sao", "bản chụp", "bản sao chứng thực")
_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_]{0,59}$")
# A commune's catalogue is a few hundred procedures (the shipped one has 40, about 0.7 kB each in
# CSV, 1 kB in JSON). 2,000 procedures and 5 MB leave several times that room, and refuse a wrong
# file (a dossier export, a whole province's list) before it floods the procedure picker.
MAX_PROCEDURES = 2000
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int


# --- validation ----------------------------------------------------------------------------------


def document_form(value: Any, where: str) -> str:
    text = nfc(str(value or "")).lower()
    if text and text not in DOCUMENT_FORMS:
        raise UserError(f"{where}: hình thức giấy tờ '{value}' không hợp lệ (chọn: {', '.join(DOCUMENT_FORMS)}).")
    return text


def document_count(value: Any, where: str) -> int:
    try:
        count = int(str(value).strip()) if value not in (None, "") else 1
    except ValueError:
        raise UserError(f"{where}: số lượng '{value}' phải là số nguyên dương.") from None
    if count < 1 or count > 999:
        raise UserError(f"{where}: số lượng '{value}' phải từ 1 đến 999.")
    return count


def parse_document(raw: Any, where: str) -> DocumentSpec:
    if isinstance(raw, str):
        parts = [p.strip() for p in raw.split("|")]
        raw = {"name": parts[0], "form": parts[1] if len(parts) > 1 else "",
               "count": parts[2] if len(parts) > 2 else 1}
    if not isinstance(raw, dict):
        raise UserError(f"{where}: giấy tờ phải là một đối tượng có 'name', 'form', 'count'.")
    name = collapse_spaces(nfc(str(raw.get("name") or "")))
    if not name:
        raise UserError(f"{where}: thiếu tên giấy tờ.")
    return DocumentSpec(name, document_form(raw.get("form"), where), document_count(raw.get("count", 1), where))


def is_procedure_code(value: str) -> bool:
    """A code the catalogue could hold (what parse_procedure accepts)."""
    return bool(_CODE_RE.match(value))


def working_days_value(value: Any, where: str) -> float:
    text = str(value).strip().replace(",", ".") if value is not None else ""
    try:
        days = float(text)
    except ValueError:
        raise UserError(
            f"{where}: thời hạn giải quyết '{value}' phải là số ngày làm việc (ví dụ 3 hoặc 0,5)."
        ) from None
    if math.isnan(days) or days < 0 or days > 365 or (days * 2) != int(days * 2):
        raise UserError(f"{where}: thời hạn giải quyết '{value}' phải từ 0 đến 365, theo nửa ngày (0,5).")
    return days


def parse_procedure(raw: Any, where: str) -> ProcedureSpec:
    if not isinstance(raw, dict):
        raise UserError(f"{where}: mỗi thủ tục phải là một đối tượng JSON.")
    json_input.check(raw, where)
    code = str(raw.get("code") or "").strip()
    if not _CODE_RE.match(code):
        raise UserError(f"{where}: mã thủ tục '{code}' không hợp lệ.")
    name = collapse_spaces(nfc(str(raw.get("name") or "")))
    if not name:
        raise UserError(f"{where}: thủ tục {code} thiếu tên.")
    if raw.get("working_days") in (None, ""):
        raise UserError(f"{where}: thủ tục {code} thiếu thời hạn giải quyết (working_days).")
    days = working_days_value(raw.get("working_days"), where)
    fee_amount = raw.get("fee_amount")
    if fee_amount in (None, ""):
        fee_amount = None
    else:
        try:
            fee_amount = int(str(fee_amount).replace(".", "").strip())
        except ValueError:
            raise UserError(f"{where}: lệ phí (fee_amount) '{raw.get('fee_amount')}' phải là số đồng.") from None
        if fee_amount < 0:
            raise UserError(f"{where}: lệ phí không được âm.")
    docs_raw = raw.get("documents") or []
    if isinstance(docs_raw, str):
        docs_raw = [line for line in docs_raw.splitlines() if line.strip()]
    if not isinstance(docs_raw, list):
        raise UserError(f"{where}: 'documents' phải là một danh sách.")
    documents = tuple(parse_document(d, f"{where}, giấy tờ {i}") for i, d in enumerate(docs_raw, 1))
    return ProcedureSpec(
        code=code,
        name=name,
        field=collapse_spaces(nfc(str(raw.get("field") or ""))),
        working_days=days,
        fee=collapse_spaces(nfc(str(raw.get("fee") or ""))),
        fee_amount=fee_amount,
        documents=documents,
    )


def parse_procedures(records: list[Any], label: str = "Dòng") -> list[ProcedureSpec]:
    """Validate every record first: one bad row refuses the whole file."""
    if len(records) > MAX_PROCEDURES:
        raise UserError(f"Danh mục có hơn {_count(MAX_PROCEDURES)} thủ tục: danh mục của một xã chỉ vài trăm "
                        "thủ tục; hãy kiểm tra lại tệp (không có gì được nhập).")
    specs: list[ProcedureSpec] = []
    seen: dict[str, str] = {}
    for where, raw in records:
        spec = parse_procedure(raw, where)
        if spec.code in seen:
            raise UserError(f"{where}: mã thủ tục {spec.code} trùng với {seen[spec.code]}.")
        seen[spec.code] = where
        specs.append(spec)
    return specs


# --- files ---------------------------------------------------------------------------------------


def read_catalogue_file(path: Path) -> list[ProcedureSpec]:
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv", ".xlsx"):
        raise UserError(f"Tệp danh mục phải là .json, .csv hoặc .xlsx: '{path.name}'.")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
            raise UserError(f"Tệp '{path.name}' nặng {megabytes} MB, quá giới hạn {MAX_FILE_BYTES // 1024 // 1024} MB "
                            "của một danh mục thủ tục (không có gì được nhập).")
        if suffix == ".json":
            return _read_json(path)
        if suffix == ".csv":
            return _read_csv(path.read_bytes())
        return _read_xlsx(path)
    except FileNotFoundError:
        raise UserError(f"Không tìm thấy tệp '{path}'.") from None
    except PermissionError:
        raise UserError(f"Không có quyền đọc tệp '{path}'.") from None


def _read_json(path: Path) -> list[ProcedureSpec]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"Tệp '{path.name}' không phải văn bản UTF-8.") from None
    data = json_input.loads(text, f"Tệp '{path.name}'")
    if not isinstance(data, list):
        raise UserError(f"Tệp '{path.name}' phải chứa một mảng JSON các thủ tục.")
    return parse_procedures([(f"Thủ tục thứ {i}", raw) for i, raw in enumerate(data, 1)])


def _rows_to_specs(header: list[str], rows: list[tuple[int, list[Any]]]) -> list[ProcedureSpec]:
    names = [str(h or "").strip().lower() for h in header]
    missing = [c for c in ("code", "name", "working_days") if c not in names]
    if missing:
        raise UserError(f"Dòng 1 (tiêu đề) thiếu cột: {', '.join(missing)}.")
    records = []
    for line_no, values in rows:
        if all(v in (None, "") for v in values):
            continue
        records.append((f"Dòng {line_no}", {names[i]: values[i] for i in range(min(len(names), len(values)))}))
    return parse_procedures(records)


def _read_csv(raw: bytes) -> list[ProcedureSpec]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError("Tệp CSV phải được lưu với mã hóa UTF-8.") from None
    reader = list(csv.reader(io.StringIO(text)))
    if not reader:
        raise UserError("Tệp CSV trống.")
    return _rows_to_specs(reader[0], [(i, row) for i, row in enumerate(reader[1:], 2)])


def _read_xlsx(path: Path) -> list[ProcedureSpec]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (FileNotFoundError, PermissionError):
        raise
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise UserError(f"Tệp '{path.name}' không phải bảng tính Excel (.xlsx) hợp lệ.") from None
    sheet = workbook.worksheets[0]
    # A small .xlsx can unpack to a million rows: stop reading one row past the limit.
    rows: list[tuple[int, list[Any]]] = []
    for i, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if any(v not in (None, "") for v in row):
            rows.append((i, list(row)))
            if len(rows) > MAX_PROCEDURES + 1:
                break
    workbook.close()
    if not rows:
        raise UserError("Bảng tính trống.")
    return _rows_to_specs(rows[0][1], rows[1:])


def write_catalogue_file(specs: list[ProcedureSpec], path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".json":
        path.write_text(json.dumps([s.to_dict() for s in specs], ensure_ascii=False, indent=2), encoding="utf-8")
        return
    rows = [[s.code, s.name, s.field, _days_text(s.working_days), s.fee,
             "" if s.fee_amount is None else s.fee_amount,
             "\n".join(f"{d.name} | {d.form} | {d.count}" for d in s.documents)] for s in specs]
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(COLUMNS)
            writer.writerows(rows)
        return
    if suffix == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        wb = Workbook()
        ws = wb.active
        ws.title = "Danh mục thủ tục"
        ws.append(list(COLUMNS))
        for row in rows:
            ws.append(row)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for col, width in zip("ABCDEFG", (12, 70, 20, 12, 40, 12, 80), strict=True):
            ws.column_dimensions[col].width = width
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        wb.save(path)
        return
    raise UserError(f"Chỉ xuất được .json, .csv hoặc .xlsx: '{path.name}'.")


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _days_text(days: float) -> str:
    return str(int(days)) if days == int(days) else str(days)


def load_shipped_catalogue() -> list[ProcedureSpec]:
    return _read_json(resource_path("catalogue", "procedures.json"))


# --- store ---------------------------------------------------------------------------------------


def import_procedures(session: Session, specs: list[ProcedureSpec], *, actor: Actor = SYSTEM) -> ImportResult:
    """Add new codes, update changed ones. A change made by a person (not the system's own imports:
    the shipped catalogue, the district's publications) is the office's own: each added or changed
    procedure also goes to the outbox, in this transaction, for the district server (docs/sync.md)."""
    from counter_app.sync import outbox

    authorize(session, actor, "catalogue")
    own = actor.kind != SYSTEM.kind
    existing = {p.code: p for p in session.exec(select(Procedure)).all()}
    stamp = clock.iso(clock.now())
    added = updated = unchanged = 0
    for spec in specs:
        docs_json = json.dumps([asdict(d) for d in spec.documents], ensure_ascii=False)
        row = existing.get(spec.code)
        if row is None:
            session.add(Procedure(code=spec.code, name=spec.name, name_folded=fold(spec.name), field=spec.field,
                                  working_days=spec.working_days, fee=spec.fee, fee_amount=spec.fee_amount,
                                  documents_json=docs_json, active=True, updated_at=stamp))
            added += 1
            if own:
                outbox.enqueue_procedure(session, spec.to_dict(), actor.officer)
            continue
        if spec_from_row(row) == spec and row.active:
            unchanged += 1
            continue
        row.name, row.name_folded, row.field = spec.name, fold(spec.name), spec.field
        row.working_days, row.fee, row.fee_amount = spec.working_days, spec.fee, spec.fee_amount
        row.documents_json, row.active, row.updated_at = docs_json, True, stamp
        session.add(row)
        updated += 1
        if own:
            outbox.enqueue_procedure(session, spec.to_dict(), actor.officer)
    session.flush()
    audit.record(session, actor, "catalogue.import", "", {"added": added, "updated": updated, "unchanged": unchanged})
    return ImportResult(added, updated, unchanged)


@dataclass(frozen=True)
class CatalogueStamp:
    """What a printed poster carries so an outdated print can be spotted: `version` changes whenever
    anything a poster shows changes, `updated` is the day the catalogue last changed."""

    version: str
    updated: date | None


def catalogue_version(specs: list[ProcedureSpec]) -> str:
    """Eight hex digits of the catalogue's content (codes in order, every field): the same catalogue
    gives the same version on every counter and on the district server, whatever order it came in."""
    canonical = json.dumps([s.to_dict() for s in sorted(specs, key=lambda s: s.code)], ensure_ascii=False,
                           sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8].upper()


def catalogue_stamp(session: Session) -> CatalogueStamp:
    rows = session.exec(select(Procedure).where(Procedure.active == True)).all()  # noqa: E712
    stamps = [r.updated_at for r in rows if r.updated_at]
    updated = clock.parse_iso(max(stamps)).astimezone(clock.VN_TZ).date() if stamps else None
    return CatalogueStamp(catalogue_version([spec_from_row(r) for r in rows]), updated)


def get_procedure(session: Session, code: str) -> ProcedureSpec:
    row = plain_rows.fetch_one(  # a plain read: each intake makes one (db/plain_rows)
        session, "SELECT code, name, field, working_days, fee, fee_amount, documents_json, active FROM procedure "
        "WHERE code = :code", {"code": (code or "").strip()})
    if row is None or not row.active:
        raise UserError(f"Không có thủ tục mã '{code}' trong danh mục.", field="procedure_code")
    return spec_from_row(row)
