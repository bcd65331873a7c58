"""Which public paper to make: one procedure's poster, a batch of posters, or the listing board
(docs/posters.md). Pure: the scripted interface and the window's Niêm yết screen build a
`PosterJob`, the Desk turns it into a PDF (services/posters.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from counter_app.domain.text import fold, nfc
from counter_app.errors import UserError

POSTER_PAPERS: tuple[str, ...] = ("a4", "a5")


def check_paper(paper: str) -> str:
    if paper not in POSTER_PAPERS:
        raise UserError(f"Khổ giấy '{paper}' không có cho tờ niêm yết: chọn a4 hoặc a5.", field="paper")
    return paper


@dataclass(frozen=True)
class PosterJob:
    """Which public paper to make (docs/posters.md): "poster" one procedure's, "batch" the posters of
    every procedure or of one field in one PDF, "list" the listing board (A4 only)."""

    kind: str
    code: str = ""
    field: str | None = None
    paper: str = "a4"

    @property
    def target(self) -> str:
        """What the audit entry names: the procedure, or the field of a batch or board."""
        return self.code if self.kind == "poster" else (self.field or "")

    @property
    def audit_form(self) -> str:
        return "list" if self.kind == "list" else "poster"

    @property
    def what(self) -> str:
        """The paper in words, for messages and the print queue."""
        if self.kind == "poster":
            return f"Tờ niêm yết thủ tục {self.code}"
        if self.kind == "batch":
            return f"Tờ niêm yết các thủ tục lĩnh vực {self.field}" if self.field else "Tờ niêm yết mọi thủ tục"
        return f"Danh mục niêm yết lĩnh vực {self.field}" if self.field else "Danh mục thủ tục niêm yết"


def poster_job(code: str | None = None, *, listing: bool = False, every: bool = False, field: str | None = None,
               paper: str | None = None) -> PosterJob:
    """The job `counter-app poster` asks for: a code, --all, --field or --list, one kind at a time."""
    code = nfc(code or "")
    if sum((bool(code), listing, every)) > 1:
        raise UserError("Chọn một trong: mã thủ tục, --all (mọi thủ tục) hoặc --list (danh mục niêm yết).")
    if code and field is not None:
        raise UserError(f"--field chọn một lĩnh vực cho --all hoặc --list; tờ niêm yết thủ tục {code} không cần.")
    if listing:
        if (paper or "a4") != "a4":
            raise UserError("Danh mục niêm yết chỉ in khổ A4 (--paper a4).", field="paper")
        return PosterJob("list", field=field, paper="a4")
    paper = check_paper(paper or "a4")
    if code:
        return PosterJob("poster", code=code, paper=paper)
    if every or field is not None:
        return PosterJob("batch", field=field, paper=paper)
    raise UserError("Cần ghi mã thủ tục (ví dụ: counter-app poster 1.001193 -o khai-sinh.pdf), "
                    "--all, --field LĨNH_VỰC hoặc --list.")


def with_field_named(job: PosterJob, fields: list[str]) -> PosterJob:
    """The job with its field spelt as the catalogue spells it ("ho tich" -> "Hộ tịch"), so the
    messages and the audit trail name it properly; unchanged when no field matches (the Desk refuses)."""
    if not job.field:
        return job
    match = next((name for name in fields if fold(name) == fold(job.field)), None)
    return replace(job, field=match) if match else job
