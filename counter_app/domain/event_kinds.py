"""What each kind of dossier event (sync/protocol.EVENT_KINDS) is called wherever a dossier's
history or an event is shown: the dossier view and the sync panel of the counter's window, and the
district's dossier page. One word per kind, so an officer and a district clerk reading the same
history read the same words (docs/rules.md, "Statuses")."""

from __future__ import annotations

LABELS: dict[str, str] = {
    "intake": "Tiếp nhận",
    "move": "Chuyển trạng thái",
    "handover": "Bàn giao",  # the action's name at the counter ("Bàn giao cho cán bộ / cơ quan")
    "supplement": "Yêu cầu bổ sung",
    "resume": "Nhận hồ sơ bổ sung",
    "extension": "Gia hạn",
    "refusal": "Từ chối",
    "withdrawal": "Rút hồ sơ",
    "stop": "Dừng xử lý",
    "result": "Có kết quả",
    "return": "Trả kết quả",
    "rating": "Đánh giá",
    "note": "Ghi chú",
    "correction": "Sửa thông tin",
    "digitised": "Số hóa giấy tờ",
    "procedure": "Thủ tục riêng của xã",  # not a dossier's event: an office's own procedure, sent alike
}


def label(kind: str) -> str:
    """The kind's name; an unknown kind (a newer counter's) as it came."""
    return LABELS.get(kind, kind)
