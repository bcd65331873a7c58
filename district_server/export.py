"""A stored dossier in the national sync format (docs/legal.md §10: TD-DVC `HoSoDongBoDVC` field
names, `CapNhatTienDoHoSoMC` steps, every date `yyyyMMddHHmmss` in Vietnam time, "" for none).

Only what the counters record is filled; the rest of the national fields (payments, digitised
files, VNeID) are left out rather than guessed.
"""

from __future__ import annotations

from typing import Any

from counter_app.domain.statuses import label
from counter_app.domain.vn_time import VN_TZ
from counter_app.sync.protocol import parse_time

STEP_TEXT = {
    "intake": "Tiếp nhận hồ sơ",
    "return": "Trả kết quả",
    "result": "Kết thúc xử lý hồ sơ",
    "supplement": "Yêu cầu bổ sung hồ sơ",
    "resume": "Tiếp nhận hồ sơ bổ sung",
    "extension": "Gia hạn thời gian giải quyết",
    "refusal": "Từ chối tiếp nhận hồ sơ",
    "withdrawal": "Rút hồ sơ",
    "stop": "Dừng xử lý hồ sơ",
    "handover": "Chuyển xử lý hồ sơ",
}


def national_time(value: str | None) -> str:
    """ISO 8601 → yyyyMMddHHmmss in Asia/Ho_Chi_Minh; "" for no time."""
    if not value:
        return ""
    return parse_time(value).astimezone(VN_TZ).strftime("%Y%m%d%H%M%S")


def to_national(d: dict[str, Any]) -> dict[str, Any]:
    """`d` as `dossiers.iter_dossiers` yields it → a DongBoHoSoMC dossier with its steps."""
    person = d.get("applicant") or {}
    history = d.get("history") or []
    first_done = next((h["at"] for h in history if h.get("status") == 9), "")
    refused_at = next((h["at"] for h in history if h.get("status") == 3), "")
    id_number = str(person.get("id_number") or "")
    ids = [{"LoaiDinhDanh": "1" if len(id_number) == 12 else "2", "SoDinhDanh": id_number}] if id_number else []
    recipient = d.get("recipient") or {}
    return {
        "MaHoSo": d["code"],
        "MaTTHC": d.get("procedure_code", ""),
        "TenTTHC": d.get("procedure_name", ""),
        "KenhThucHien": str(d.get("channel") or 1),
        "ChuHoSo": person.get("full_name", ""),
        "SoGiayToChuHoSo": id_number,
        "LoaiDoiTuong": "1",
        "SoDienThoai": person.get("phone", ""),
        "Email": person.get("email", ""),
        "TrichYeuHoSo": f"{d.get('procedure_name', '')} - {person.get('full_name', '')}"[:1000],
        "NgayNopHoSo": national_time(d.get("received_at")),
        "NgayTiepNhan": national_time(d.get("received_at")),
        "NgayHenTra": national_time(d.get("due_at")),
        "TrangThaiHoSo": str(d["status"]),
        "NgayKetThucXuLy": national_time(first_done),
        "NgayTra": national_time(d.get("returned_at")),
        "ThongTinTra": recipient.get("full_name", "") if isinstance(recipient, dict) else "",
        "NgayTuChoi": national_time(refused_at),
        "HinhThuc": "0",
        "DinhDanhCHS": ids,
        "DanhSachTepDinhKemKhac": [{"TenGiayTo": doc.get("name", ""), "SoLuong": str(doc.get("count", 1)),
                                    "LoaiGiayTo": doc.get("form", "")} for doc in d.get("documents") or []],
        "GhiChu": d.get("note", ""),
        "TienTrinh": [to_step(d["code"], h) for h in history],
    }


def to_step(code: str, h: dict[str, Any]) -> dict[str, Any]:
    return {
        "MaHoSo": code,
        "NguoiXuLy": str(h.get("officer") or "")[:50],
        "ThoiDiemXuLy": national_time(h.get("at")),
        "NoiDungXuLy": STEP_TEXT.get(h.get("kind", ""), f"Chuyển trạng thái: {label(h['status'])}"),
        "TrangThai": str(h["status"]),
    }
