"""Every office setting, declared once: key, label, default and the check its value must pass.

The window's settings screen is built from `OPTIONS`, `counter-app settings list|get|set` reads and
writes through `put`, and the modules that use a setting read it with `value` (docs/settings.md).
A value is checked here before anything is written; a change needs the "settings" permission and
is recorded in the audit trail with its old and new value, in the same transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlmodel import Session

from counter_app.domain import scanner_config
from counter_app.domain.text import collapse_spaces, nfc
from counter_app.errors import UserError
from counter_app.resources import resource_path
from counter_app.services import audit, settings
from counter_app.services.permissions import authorize

PAPERS = (("a5", "A5, mỗi liên một tờ"), ("a4-2up", "A4 ngang, hai liên trên một tờ"))
_MODE_LABELS = {"keyboard": "Bàn phím (USB HID)", "serial": "Cổng COM ảo (USB serial)", "off": "Tắt"}
SCANNER_MODES = tuple((m, _MODE_LABELS[m]) for m in scanner_config.MODES)
BAUD_RATES = scanner_config.BAUD_RATES


@dataclass(frozen=True)
class Bank:
    bin: str
    short: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.short} ({self.bin})"


@cache
def napas_banks() -> tuple[Bank, ...]:
    """The banks a VietQR code can name (resources/banks/napas-banks.json, from NAPAS's BIN list)."""
    rows = json.loads(resource_path("banks", "napas-banks.json").read_text(encoding="utf-8"))
    return tuple(Bank(r["bin"], r["short"], r["name"]) for r in rows)


@dataclass(frozen=True)
class Option:
    key: str
    label: str  # what the settings screen shows beside the field
    default: Any
    check: Callable[[Any], Any]  # the raw value (typed text or JSON value) -> the stored value; UserError
    kind: str = "text"  # text | number | choice | folder: which field the screen shows
    hint: str = ""
    choices: Callable[[], tuple[tuple[str, str], ...]] | None = None  # (value, label) for kind "choice"


def _text(limit: int) -> Callable[[Any], str]:
    def check(raw: Any) -> str:
        value = collapse_spaces(nfc(str(raw if raw is not None else "")))
        if len(value) > limit:
            raise UserError(f"Giá trị dài quá {limit} ký tự.")
        return value

    return check


def _number(lo: int, hi: int, what: str) -> Callable[[Any], int]:
    def check(raw: Any) -> int:
        text = str(raw).strip()
        if isinstance(raw, bool) or not re.fullmatch(r"\d{1,6}", text):
            raise UserError(f"{what} phải là một số nguyên từ {lo} đến {hi}.")
        value = int(text)
        if not lo <= value <= hi:
            raise UserError(f"{what} phải từ {lo} đến {hi}.")
        return value

    return check


def _choice(values: Callable[[], tuple[tuple[str, str], ...]], what: str) -> Callable[[Any], str]:
    def check(raw: Any) -> str:
        value = str(raw if raw is not None else "").strip()
        allowed = [v for v, _ in values()]
        if value not in allowed:
            raise UserError(f"{what} phải là một trong: {', '.join(v or '(trống)' for v in allowed)}.")
        return value

    return check


def _number_option(key: str, label: str, default: int, lo: int, hi: int, what: str, hint: str = "") -> Option:
    """A whole number from `lo` to `hi`; `what` names it in the refusal."""
    return Option(key, label, default, _number(lo, hi, what), kind="number", hint=hint)


def _choice_option(key: str, label: str, default: str, values: Callable[[], tuple[tuple[str, str], ...]],
                   what: str, hint: str = "") -> Option:
    """One of `values` (value, label): the same list checks the value and fills the screen's list."""
    return Option(key, label, default, _choice(values, what), kind="choice", hint=hint, choices=values)


def _bank_choices() -> tuple[tuple[str, str], ...]:
    return (("", "Không in mã thanh toán"),) + tuple((b.bin, b.label) for b in napas_banks())


def _account(raw: Any) -> str:
    value = re.sub(r"[\s.\-]", "", str(raw if raw is not None else ""))
    if value and not re.fullmatch(r"[0-9A-Za-z]{6,19}", value):
        raise UserError("Số tài khoản gồm 6–19 chữ số hoặc chữ cái không dấu.")
    return value.upper()


def _address(what: str, example: str) -> Callable[[Any], str]:
    """A web address the papers print as a QR (checked so a typo never prints a dead code)."""

    def check(raw: Any) -> str:
        value = str(raw if raw is not None else "").strip()
        if value and not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", value, re.IGNORECASE):
            raise UserError(f"{what} phải bắt đầu bằng https:// (hoặc http://), ví dụ {example}.")
        if len(value) > 200:
            raise UserError(f"{what} dài quá 200 ký tự.")
        return value

    return check


def _folder(raw: Any) -> str:
    value = str(raw if raw is not None else "").strip()
    if not value:
        return ""  # the store's own backups/ folder
    path = Path(value).expanduser()
    if not path.is_absolute():
        raise UserError(f"Thư mục sao lưu phải là đường dẫn đầy đủ, không phải '{value}'.")
    if not path.is_dir():
        raise UserError(f"Không tìm thấy thư mục '{value}' (chưa cắm USB?).")
    return str(path)


def _module_file(raw: Any) -> str:
    """The signing token's PKCS#11 module, a file the token's own software installed on this PC."""
    value = str(raw if raw is not None else "").strip()
    if not value:
        return ""  # no token: components are kept unsigned
    path = Path(value).expanduser()
    if not path.is_absolute():
        raise UserError("Thư viện của USB ký số phải là đường dẫn đầy đủ, "
                        f"ví dụ C:\\Windows\\System32\\viettel-ca_v6.dll, không phải '{value}'.")
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp '{value}': hãy cài phần mềm của USB ký số trước.")
    return str(path)


def _port(raw: Any) -> str:
    value = str(raw if raw is not None else "").strip()
    if value and not re.fullmatch(r"(COM\d{1,3}|/dev/[\w./-]+)", value, re.IGNORECASE):
        raise UserError("Cổng máy quét có dạng COM3 (Windows) hoặc /dev/ttyACM0 (Linux).")
    return value.upper() if value.upper().startswith("COM") else value


def _baud(raw: Any) -> int:
    text = str(raw).strip()
    if not text.isdigit() or int(text) not in BAUD_RATES:
        raise UserError(f"Tốc độ cổng phải là một trong: {', '.join(map(str, BAUD_RATES))}.")
    return int(text)


OPTIONS: tuple[Option, ...] = (
    _choice_option("papers.bank_bin", "Ngân hàng nhận phí (VietQR)", "", _bank_choices, "Ngân hàng",
                   hint="Chọn ngân hàng để in mã VietQR thanh toán phí trên giấy hẹn."),
    Option("papers.bank_account", "Số tài khoản nhận phí", "", _account),
    Option("papers.bank_account_name", "Tên chủ tài khoản", "", _text(70)),
    Option("papers.lookup_url", "Địa chỉ tra cứu hồ sơ (mã QR)", "",
           _address("Địa chỉ tra cứu", "https://huyen.example/tra-cuu/{code}"),
           hint="{code} được thay bằng mã hồ sơ; không có {code} thì mã được nối vào cuối. Để trống: địa chỉ "
                "công khai mà máy chủ huyện báo về; nếu máy chủ dùng chứng chỉ tự cấp mà chưa có địa chỉ công "
                "khai thì giấy hẹn không in mã QR tra cứu (điện thoại người dân sẽ cảnh báo chứng chỉ)."),
    Option("papers.office_phone", "Số điện thoại của bộ phận một cửa", "", _text(30),
           hint="In trên Mẫu 02 và làm số điện thoại hỗ trợ trên tờ niêm yết thủ tục."),
    Option("office.address", "Địa chỉ nơi nộp hồ sơ", "", _text(200),
           hint="In trên tờ niêm yết thủ tục, ví dụ: Bộ phận Một cửa, UBND xã, thôn Phú Xuân."),
    Option("office.hours", "Giờ tiếp nhận hồ sơ", "", _text(200),
           hint="Để trống: theo giờ làm việc của lịch (sáng 07:00–11:30, chiều 13:30–17:00, thứ Hai–thứ Sáu)."),
    Option("posters.site_url", "Địa chỉ công khai của trang thủ tục (mã QR trên tờ niêm yết)", "",
           _address("Địa chỉ trang thủ tục", "https://dichvucong.huyen.gov.vn"),
           hint="Để trống: địa chỉ máy chủ huyện đã kết nối; chưa kết nối: trang thủ tục của Cổng Dịch vụ công "
                "quốc gia. {code} được thay bằng mã thủ tục; không có {code} thì /thu-tuc/<mã> được nối vào."),
    Option("papers.head_name", "Người ký Mẫu 04/05 (thủ trưởng)", "", _text(80)),
    _choice_option("papers.default_paper", "Khổ giấy hẹn mặc định", "a5", lambda: PAPERS, "Khổ giấy"),
    _number_option("attention.pickup_days", "Số ngày chờ nhận kết quả trước khi nhắc", 5, 1, 365,
                   "Số ngày chờ nhận kết quả"),
    _number_option("session.idle_minutes", "Tự khóa màn hình sau (phút)", 10, 1, 240, "Thời gian tự khóa"),
    Option("backup.folder", "Thư mục sao lưu", "", _folder, kind="folder",
           hint="Để trống: thư mục backups/ cạnh kho dữ liệu."),
    _number_option("backup.every_days", "Sao lưu tự động mỗi (ngày)", 1, 1, 30,
                   "Số ngày giữa hai lần sao lưu tự động",
                   hint="1: mỗi ngày một bản (lần đăng nhập đầu tiên trong ngày)."),
    _number_option("digitise.page_budget_kb", "Dung lượng tối đa mỗi trang số hóa (KB)", 500, 50, 10000,
                   "Dung lượng mỗi trang",
                   hint="Ảnh vượt mức này được chuyển sang ảnh xám 200 dpi và nén lại; ảnh JPEG trong mức được giữ "
                        "nguyên."),
    _number_option("digitise.max_file_mb", "Dung lượng tối đa một tệp đưa vào số hóa (MB)", 100, 1, 2000,
                   "Dung lượng một tệp",
                   hint="Tệp lớn hơn bị từ chối trước khi đọc (thường là chọn nhầm tệp)."),
    _choice_option("scanner.mode", "Máy quét mã", "keyboard", lambda: SCANNER_MODES, "Chế độ máy quét"),
    Option("scanner.port", "Cổng COM của máy quét", "", _port, hint="Ví dụ COM3; chỉ dùng ở chế độ cổng COM."),
    Option("scanner.baud", "Tốc độ cổng (baud)", scanner_config.DEFAULT_BAUD, _baud, kind="choice",
           choices=lambda: tuple((str(b), str(b)) for b in BAUD_RATES)),
    # The signing token (docs/signing.md). Its PIN is typed at each signing and never stored.
    Option("signing.module", "Thư viện USB ký số (PKCS#11)", "", _module_file,
           hint="Tệp .dll do phần mềm của USB ký số cài, ví dụ C:\\Windows\\System32\\viettel-ca_v6.dll; để trống: "
                "không ký số bản điện tử."),
    Option("signing.token_label", "USB ký số", "", _text(32),
           hint="Tên (nhãn) của USB ký số; để trống: USB ký số duy nhất đang cắm."),
    Option("signing.key_label", "Khóa ký", "", _text(100),
           hint="Nhãn hoặc mã ID (hệ 16) của khóa trên USB ký số; để trống: khóa ký duy nhất của USB ký số."),
    Option("signing.tsa_url", "Máy chủ cấp dấu thời gian (tùy chọn)", "",
           _address("Địa chỉ máy chủ dấu thời gian", "http://tsa.example.vn"),
           hint="Có địa chỉ: chữ ký kèm dấu thời gian (PAdES B-T), vẫn kiểm tra được sau khi chứng thư hết "
                "hạn; để trống: chỉ ghi giờ của máy (PAdES B-B)."),
)
BY_KEY: dict[str, Option] = {o.key: o for o in OPTIONS}


def option(key: str) -> Option:
    try:
        return BY_KEY[key]
    except KeyError:
        raise UserError(f"Không có cài đặt '{key}'. Các cài đặt: {', '.join(BY_KEY)}.") from None


def value(session: Session, key: str) -> Any:
    """The stored value (checked when it was written), or the declared default. Not checked again on
    reading: a backup folder on a USB stick that is not plugged in now is still the chosen folder."""
    opt = option(key)
    stored = settings.get(session, key, None)
    if isinstance(opt.default, bool) or not isinstance(opt.default, int | float):
        return stored if isinstance(stored, type(opt.default)) else opt.default
    number = isinstance(stored, int | float) and not isinstance(stored, bool)
    return stored if number else opt.default


def values(session: Session) -> dict[str, Any]:
    return {o.key: value(session, o.key) for o in OPTIONS}


def scanner(session: Session) -> scanner_config.ScannerConfig:
    """How this counter reads its scanner (the window applies it: ui/scanner_setup.py)."""
    return scanner_config.ScannerConfig(value(session, "scanner.mode"), value(session, "scanner.port"),
                                        value(session, "scanner.baud"))


def put(session: Session, key: str, raw: Any, *, actor: audit.Actor) -> Any:
    """Check and store one setting; the audit entry says who changed what from what."""
    authorize(session, actor, "settings", target=key)
    opt = option(key)
    try:
        new = opt.check(raw)
    except UserError as exc:
        raise UserError(f"{opt.label}: {exc.message}", field=key) from None
    old = value(session, key)
    if new != old or settings.get(session, key, None) is None:
        settings.put(session, key, new)
        audit.record(session, actor, "settings.put", key, {"from": old, "to": new})
    return new
