"""The digitise panel's inbox: the pages waiting to be saved, in order, each with its thumbnail,
how far it is turned and the paper of the checklist it was assigned to."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QImage, QPixmap, QTransform

from counter_app.digitise.normalise import Page
from ui import strings
from ui.digitise_pages import LoadedPage

D = strings.Digitise
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Target:
    """A paper pages can go to: a checklist entry (1…), 0 with its name (outside the checklist)."""

    index: int
    name: str
    result: bool = False  # the dossier's result (kết quả điện tử), not a paper of the checklist

    def label(self) -> str:
        if self.result:
            return D.SLOT_RESULT.format(name=self.name)
        return (D.SLOT_OTHER if self.index == 0 else D.SLOT).format(index=self.index, name=self.name)

    def short(self) -> str:
        """What a thumbnail's caption says (the whole name is in its tooltip)."""
        if self.result:
            return D.TO_RESULT
        return D.TO_OTHER if self.index == 0 else D.TO_COMPONENT.format(index=self.index)


@dataclass(frozen=True)
class InboxPage:
    page: LoadedPage
    rotate: int = 0
    target: Target | None = None

    def as_page(self) -> Page:
        return Page(self.page.source, rotate=self.rotate, index=self.page.index, name=self.page.name)


class PageStripModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.pages: list[InboxPage] = []
        self._icons: dict[int, QPixmap] = {}  # id(InboxPage) -> its turned thumbnail, made once

    # --- Qt's model ---------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.pages)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.pages):
            return None
        item = self.pages[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{self.title(index.row())}\n{item.target.short() if item.target else D.PAGE_FREE}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self.title(index.row())}\n{item.target.label() if item.target else D.PAGE_FREE}"
        return None

    def title(self, row: int) -> str:
        page = self.pages[row].page
        if page.index is None:
            return D.PAGE.format(n=row + 1, name=page.name)
        return D.PAGE_PART.format(n=row + 1, name=page.name, page=page.index + 1)

    def _icon(self, item: InboxPage) -> QPixmap:
        key = id(item)
        if key not in self._icons:
            self._icons[key] = QPixmap.fromImage(turned(item.page.thumb, item.rotate))
        return self._icons[key]

    # --- what the officer does ----------------------------------------------------------------------

    def add(self, pages: list[LoadedPage]) -> None:
        if not pages:
            return
        first = len(self.pages)
        self.beginInsertRows(QModelIndex(), first, first + len(pages) - 1)
        self.pages.extend(InboxPage(p) for p in pages)
        self.endInsertRows()

    def rotate(self, rows: list[int], degrees: int) -> None:
        self._change(rows, lambda p: replace(p, rotate=(p.rotate + degrees) % 360))

    def assign(self, rows: list[int], target: Target | None) -> None:
        self._change(rows, lambda p: replace(p, target=target))

    def move(self, row: int, step: int) -> int:
        """Move the page one place earlier (-1) or later (+1); its new row."""
        to = row + step
        if not (0 <= row < len(self.pages) and 0 <= to < len(self.pages)):
            return row
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), to + 1 if step > 0 else to)
        self.pages.insert(to, self.pages.pop(row))
        self.endMoveRows()
        self._renumber()
        return to

    def remove(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self.pages):
                self.beginRemoveRows(QModelIndex(), row, row)
                self._icons.pop(id(self.pages.pop(row)), None)
                self.endRemoveRows()
        self._renumber()

    def targets(self) -> list[Target]:
        """The papers with pages assigned, in the order their first page comes."""
        seen: list[Target] = []
        for p in self.pages:
            if p.target is not None and p.target not in seen:
                seen.append(p.target)
        return seen

    def pages_for(self, target: Target) -> list[InboxPage]:
        return [p for p in self.pages if p.target == target]

    def drop(self, pages: list[InboxPage]) -> None:
        """Take saved pages out of the inbox."""
        gone = {id(p) for p in pages}
        self.remove([i for i, p in enumerate(self.pages) if id(p) in gone])

    def _change(self, rows: list[int], how: Any) -> None:
        for row in rows:
            if 0 <= row < len(self.pages):
                self._icons.pop(id(self.pages[row]), None)
                self.pages[row] = how(self.pages[row])
                at = self.index(row)
                self.dataChanged.emit(at, at)

    def _renumber(self) -> None:
        if self.pages:  # each caption starts with the page's place
            self.dataChanged.emit(self.index(0), self.index(len(self.pages) - 1), [Qt.ItemDataRole.DisplayRole])


def turned(image: QImage, degrees: int) -> QImage:
    return image if not degrees else image.transformed(QTransform().rotate(degrees))


THUMB_CELL = QSize(160, 250)  # the thumbnail and three lines of caption
