"""What arrives from a counter, made safe to keep and to read: text every database stores, the one
verdict an item that cannot be taken gets (`Refusal`), and reading a JSON object into its protocol
model together with the canonical text it is kept and hashed as. Used by ingest (events), the
office procedures and every page that stores or shows what someone typed."""

from __future__ import annotations

import hashlib
import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from counter_app.sync.protocol import canonical_json

Model = TypeVar("Model", bound=BaseModel)


def storable(text: str) -> str:
    """Text every database takes: no NUL (PostgreSQL refuses it), no lone surrogate (not UTF-8)."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def storable_json(data: Any) -> str:
    """The canonical JSON of anything that arrived, storable as is: a lone surrogate is written as
    its \\u escape rather than crashing the encoder (and the batch with it)."""
    try:
        text = canonical_json(data)
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    except (ValueError, RecursionError):
        return '{"unreadable":true}'


class Refusal(Exception):  # noqa: N818 - not an error of the server: one item's verdict
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = storable(reason)


def read_object(raw: Any, model: type[Model], what: str, bad_text: str) -> tuple[Model, str, str]:
    """`raw` (a JSON object) as `model`, with its canonical text and that text's SHA-256: computed
    once, so what is kept and its hash come from the same text. `what` names the item in the
    Vietnamese reasons ("Sự kiện", "Thủ tục"); `bad_text` is the reason for text no database keeps."""
    try:
        text = canonical_json(raw)
        encoded = text.encode("utf-8")
    except UnicodeEncodeError:
        raise Refusal("bad_text", bad_text) from None
    except (ValueError, RecursionError):
        raise Refusal("bad_field", f"{what} lồng nhau quá sâu.") from None
    try:
        parsed = model.model_validate(raw)
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in err["loc"]) or "?" for err in exc.errors()})
        raise Refusal("bad_field", f"{what} thiếu hoặc sai trường: {', '.join(fields)[:300]}.") from None
    return parsed, text, hashlib.sha256(encoded).hexdigest()
