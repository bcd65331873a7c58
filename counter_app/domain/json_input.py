"""JSON that comes from outside (a script's intake, a catalogue file, a form's values), refused
before it can fail later in a way the officer cannot read.

Three things parse yet break further on: nesting deep enough to exhaust Python's recursion (the
parser raises RecursionError; anything that walks the data afterwards would too), a lone surrogate
escape such as "\\ud800" (valid JSON, but not Unicode text: SQLite and every UTF-8 writer refuse
it), and an integer longer than Python converts (ValueError, not a JSONDecodeError).
"""

from __future__ import annotations

import json
import re
from typing import Any

from counter_app.errors import UserError

# A dossier array is four levels deep (array, dossier, documents, document); a catalogue the same.
MAX_DEPTH = 16
_SURROGATE = re.compile("[\ud800-\udfff]")


def loads(raw: str, label: str) -> Any:
    """`raw` parsed and checked; `label` names the input in the message ("Tệp 'x.json'")."""
    try:
        data = json.loads(raw)
    except RecursionError:
        raise UserError(_too_deep(label)) from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{label} không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}).") from None
    except ValueError:  # an integer of thousands of digits
        raise UserError(f"{label} có một con số dài quá mức, không phải dữ liệu thật.") from None
    check(data, label)
    return data


def check(data: Any, label: str = "") -> None:
    """Refuse nesting deeper than MAX_DEPTH and any text holding a lone surrogate (keys included).
    Walks with its own stack, so a deep value cannot exhaust the recursion limit here either."""
    stack: list[tuple[Any, int, str]] = [(data, 1, "")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise UserError(_broken_text(label, path))
            continue
        if isinstance(value, dict):
            items: Any = value.items()
        elif isinstance(value, list | tuple):
            items = ((f"[{i}]", item) for i, item in enumerate(value))
        else:
            continue
        if depth > MAX_DEPTH:
            raise UserError(_too_deep(label))
        for key, item in items:
            key_text = str(key)
            where = f"{path}{key_text}" if key_text.startswith("[") else f"{path}.{key_text}" if path else key_text
            if isinstance(key, str) and _SURROGATE.search(key):
                raise UserError(_broken_text(label, where))
            stack.append((item, depth + 1, where))


def _too_deep(label: str) -> str:
    return _sentence(label, f"dữ liệu JSON lồng nhau quá {MAX_DEPTH} cấp, không phải hồ sơ hay danh mục thật.")


def _broken_text(label: str, path: str) -> str:
    where = f"trường '{_SURROGATE.sub('?', path)}'" if path else "dữ liệu"  # the message must be printable
    return _sentence(label, f"{where} chứa ký tự hỏng (mã thay thế đứng lẻ như \\ud800, không phải chữ Unicode).")


def _sentence(label: str, rest: str) -> str:
    return f"{label}: {rest}" if label else rest[0].upper() + rest[1:]
