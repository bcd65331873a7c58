"""What the officer chose in the print preview: the PDF, where it goes, how many copies. The preview
dialog makes one and ui/printing.PrintDesk carries it out; both import it from here."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_COPIES = 20


@dataclass(frozen=True)
class PrintRequest:
    data: bytes
    what: str  # what the officer reads in messages ("Giấy tiếp nhận … — CODE")
    code: str
    form: str  # "01" the slip, "02" … "06" the forms, "poster" / "list" the public papers (the audit's action)
    copies: int = 1
    printer_name: str = ""  # a printer of this computer …
    file_path: str = ""  # … or a PDF file
    detail: dict[str, str] = field(default_factory=dict)
