"""A plain XLSX writer: sheets of values, a few fixed styles, streamed straight into the zip.

The register of a busy month is ~9,000 rows × 14 cells; openpyxl builds a Python object per cell
and serialises it again (3–8 s here, ~1.5 s even in its write-only mode), where writing the sheet
XML as text takes a fraction of that. What this writes is what the reports need and nothing more:
strings (inline), numbers, dates and times (Excel serial numbers with a day/month/year format),
bold title and header rows, column widths, frozen panes and an autofilter. tests/unit/test_workbook.py
reads the result with openpyxl and compares it cell by cell with the same sheets written by openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

Value = str | int | float | date | datetime | None

# Style ids: their order in _STYLES below.
PLAIN, TITLE, HEADER_WRAPPED, HEADER, DATETIME, DATE = range(6)
DATETIME_FORMAT, DATE_FORMAT = "dd/mm/yyyy hh:mm", "dd/mm/yyyy"
HEADER_FILL = "DDE7F0"

_EPOCH = datetime(1899, 12, 30)
# XML 1.0 has no place for most control characters (openpyxl refuses them); they are dropped.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PLAIN_AS_IS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff&<>]")


@dataclass
class Sheet:
    name: str
    rows: list[Sequence[Value]] = field(default_factory=list)
    row_styles: dict[int, int] = field(default_factory=dict)  # 1-based row -> style of its text cells
    widths: dict[str, float] = field(default_factory=dict)  # column letter -> width
    freeze: str = ""  # the first cell that scrolls, e.g. "C3"
    auto_filter: str = ""  # e.g. "A2:N9000"

    def append(self, values: Iterable[Value], style: int | None = None) -> None:
        self.rows.append(list(values))
        if style is not None:
            self.row_styles[len(self.rows)] = style


def column_letter(index: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def save(sheets: Sequence[Sheet], path: Path) -> None:
    """Write the workbook; OSError as open() raises it when the folder or the file cannot be written."""
    with open(path, "wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _content_types(len(sheets)))
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", _workbook(sheets))
        z.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        z.writestr("xl/styles.xml", _STYLES)
        for number, sheet in enumerate(sheets, 1):
            z.writestr(f"xl/worksheets/sheet{number}.xml", _sheet_xml(sheet))


def _text(value: str) -> str:
    # Most cells (names, addresses, codes) hold nothing to drop or escape: one search says so.
    if _PLAIN_AS_IS.search(value) is None:
        return value
    return escape(_ILLEGAL.sub("", value))


def _sheet_xml(sheet: Sheet) -> str:
    width = max((len(r) for r in sheet.rows), default=0)
    letters = [column_letter(i) for i in range(1, width + 1)]
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    out.append(_sheet_view(sheet.freeze))
    if sheet.widths:
        cols = "".join(f'<col min="{_column_index(c)}" max="{_column_index(c)}" width="{w:g}" customWidth="1"/>'
                       for c, w in sorted(sheet.widths.items(), key=lambda kv: _column_index(kv[0])))
        out.append(f"<cols>{cols}</cols>")
    out.append("<sheetData>")
    append = out.append
    for number, row in enumerate(sheet.rows, 1):
        text_style = sheet.row_styles.get(number, PLAIN)
        text_attr = f' s="{text_style}"' if text_style else ""
        cells = []
        for letter, value in zip(letters, row, strict=False):
            if value is None:
                continue
            ref = f"{letter}{number}"
            if isinstance(value, str):
                cells.append(f'<c r="{ref}" t="inlineStr"{text_attr}><is><t xml:space="preserve">'
                             f"{_text(value)}</t></is></c>")
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, datetime):
                serial = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
                cells.append(f'<c r="{ref}" s="{DATETIME}"><v>{serial!r}</v></c>')
            elif isinstance(value, date):
                cells.append(f'<c r="{ref}" s="{DATE}"><v>{(value - _EPOCH.date()).days}</v></c>')
            else:
                cells.append(f'<c r="{ref}"{text_attr}><v>{value!r}</v></c>')
        append(f'<row r="{number}">{"".join(cells)}</row>')
    out.append("</sheetData>")
    if sheet.auto_filter:
        out.append(f'<autoFilter ref="{sheet.auto_filter}"/>')
    out.append("</worksheet>")
    return "".join(out)


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


def _sheet_view(freeze: str) -> str:
    if not freeze or freeze == "A1":
        return '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    match = re.fullmatch(r"([A-Z]+)(\d+)", freeze)
    if match is None:
        raise ValueError(freeze)
    x, y = _column_index(match.group(1)) - 1, int(match.group(2)) - 1
    pane = "bottomRight" if x and y else "bottomLeft" if y else "topRight"
    split = (f' xSplit="{x}"' if x else "") + (f' ySplit="{y}"' if y else "")
    return (f'<sheetViews><sheetView workbookViewId="0"><pane{split} topLeftCell="{freeze}" activePane="{pane}" '
            f'state="frozen"/><selection pane="{pane}" activeCell="{freeze}" sqref="{freeze}"/></sheetView>'
            "</sheetViews>")


def _content_types(count: int) -> str:
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                     'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, count + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{sheets}</Types>")


_ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'officeDocument" Target="xl/workbook.xml"/></Relationships>')


def _workbook(sheets: Sequence[Sheet]) -> str:
    entries = "".join(f"<sheet name={quoteattr(s.name)} sheetId=\"{i}\" r:id=\"rId{i}\"/>"
                      for i, s in enumerate(sheets, 1))
    # Excel looks for an autofilter's range under this hidden name.
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quoted(s.name))}!{_absolute(s.auto_filter)}</definedName>"
        for i, s in enumerate(sheets) if s.auto_filter)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{entries}</sheets>" + (f"<definedNames>{names}</definedNames>" if names else "")
            + "</workbook>")


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))


def _workbook_rels(count: int) -> str:
    rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, count + 1))
    rels += (f'<Relationship Id="rId{count + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/styles" Target="styles.xml"/>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rels}</Relationships>")


# PLAIN, TITLE (bold 12), HEADER_WRAPPED (bold on the fill, wrapped and centred), HEADER (bold on the
# fill), DATETIME, DATE: the order of the style ids above.
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{DATETIME_FORMAT}"/>'
    f'<numFmt numFmtId="165" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="12"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    f'<fill><patternFill patternType="solid"><fgColor rgb="00{HEADER_FILL}"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)
