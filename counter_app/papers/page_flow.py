"""How a paper's pieces flow onto pages: measured blocks, pagination, and painting the pages.

Everything is measured first and drawn later: a paper is a list of `Block`s (a measured height and a
painter), `paginate` spreads them over pages, and `render_document` paints the pages into a PDF. That
split is what lets a paper try a smaller font when its content does not fit one page, and paint two
identical copies cheaply. The parts themselves (the state header, signatures, codes) are in
papers/layout.py, which also re-exports this module: a paper imports both from there.

Coordinates are reportlab points, origin bottom left; painters receive the top left of their box.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter_app.domain.text import nfc
from counter_app.papers.fonts import ITALIC, REGULAR, register_fonts
from counter_app.papers.text_lines import Align, Line, Painter, Run, draw_lines, line_height, wrap

# --------------------------------------------------------------------------------------------------
# Blocks and pages


@dataclass(frozen=True)
class Block:
    """A measured piece of a page. `space_before` is dropped at the top of a page."""

    height: float
    paint: Painter
    keep_with_next: bool = False
    space_before: float = 0.0
    # Painted against the bottom margin instead of below the block before it (a slip's notes and QR
    # codes): it still takes its height from the page when paginating. Only a page's last block.
    at_foot: bool = False


def spacer(height: float) -> Block:
    return Block(0.0, lambda canvas, x, y: None, space_before=height)


def text_blocks(
    runs: Sequence[Run] | str, size: float, width: float, *, align: Align = "left",
    first_indent: float = 0.0, rest_indent: float = 0.0, space_before: float = 0.0,
    keep_with_next: bool = False, font: str = REGULAR, keep_together: bool = False,
) -> list[Block]:
    """A paragraph as one block per line, so a long paragraph can continue on the next page."""
    lines = wrap(runs, size, width, first_indent, rest_indent, font)
    if keep_together:
        height = len(lines) * line_height(size)

        def paint_all(canvas: Canvas, x: float, y: float) -> None:
            draw_lines(canvas, lines, x, y, width, size, align)

        return [Block(height, paint_all, keep_with_next, space_before)]
    count = len(lines)
    blocks = []
    for index, line in enumerate(lines):
        last = index == count - 1
        # Widows and orphans: a paragraph's first two and last two lines stay together; short
        # paragraphs (three lines or fewer) stay whole.
        bound = (not last) and (count <= 3 or index == 0 or index == count - 2)

        def paint(canvas: Canvas, x: float, y: float, line: Line = line) -> None:
            draw_lines(canvas, [line], x, y, width, size, align)

        blocks.append(
            Block(
                line_height(size),
                paint,
                keep_with_next=keep_with_next if last else bound,
                space_before=space_before if index == 0 else 0.0,
            )
        )
    return blocks


def paginate(blocks: Sequence[Block], first_page: float, other_pages: float) -> list[list[Block]]:
    """Spread blocks over pages of the given usable heights, honouring keep_with_next.

    A chain of kept-together blocks taller than any page is split where it breaks, rather than
    pushed from page to page forever.
    """
    pages: list[list[Block]] = [[]]
    room = first_page
    for index, block in enumerate(blocks):
        gap = block.space_before if pages[-1] else 0.0
        chain = _chain_height(blocks, index)
        if pages[-1] and gap + chain > room + 1e-6:
            chain_fits_a_page = chain <= other_pages + 1e-6
            if chain_fits_a_page or gap + block.height > room + 1e-6:
                pages.append([])
                room = other_pages
                gap = 0.0
        pages[-1].append(block)
        room -= gap + block.height
    return pages


def _chain_height(blocks: Sequence[Block], index: int) -> float:
    height = blocks[index].height
    while blocks[index].keep_with_next and index + 1 < len(blocks):
        index += 1
        height += blocks[index].space_before + blocks[index].height
    return height


def paint_page(
    canvas: Canvas, blocks: Sequence[Block], x: float, y_top: float, y_bottom: float | None = None
) -> float:
    """Paint a page's blocks downwards from y_top (an `at_foot` block sits on y_bottom, when given);
    returns the y where the next block would go."""
    placed, y = _placed(blocks, x, y_top, y_bottom)
    for block, top in placed:
        block.paint(canvas, x, top)
    return y


def _placed(
    blocks: Sequence[Block], x: float, y_top: float, y_bottom: float | None
) -> tuple[list[tuple[Block, float]], float]:
    """Each block with the y of its top as `paint_page` paints it, and the y below the last."""
    placed = []
    y = y_top
    for position, block in enumerate(blocks):
        if block.at_foot and y_bottom is not None:
            placed.append((block, y_bottom + block.height))
            continue
        if position:
            y -= block.space_before
        placed.append((block, y))
        y -= block.height
    return placed, y


def stack(blocks: Sequence[Block], space_before: float = 0.0) -> Block:
    """Blocks one under the other as one block, never split across pages."""
    parts = list(blocks)

    def paint(canvas: Canvas, x: float, y: float) -> None:
        paint_page(canvas, parts, x, y)

    return Block(blocks_height(parts), paint, space_before=space_before)


def beside(left: Block, right: Block, right_x: float, space_before: float = 0.0) -> Block:
    """Two blocks side by side, tops aligned, the right one starting `right_x` from the left edge."""

    def paint(canvas: Canvas, x: float, y: float) -> None:
        left.paint(canvas, x, y)
        right.paint(canvas, x + right_x, y)

    return Block(max(left.height, right.height), paint, space_before=space_before)


def blocks_height(blocks: Sequence[Block]) -> float:
    return sum(b.height + (b.space_before if i else 0.0) for i, b in enumerate(blocks))


# --------------------------------------------------------------------------------------------------
# A one-column paper: margins, the strip on continuation pages, page numbers


@dataclass(frozen=True)
class PageFrame:
    width: float
    height: float
    left: float = 12 * mm    # the wider margin: the office copy is bound into the dossier
    right: float = 9 * mm
    top: float = 8 * mm
    bottom: float = 8 * mm

    @property
    def content_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def content_height(self) -> float:
        return self.height - self.top - self.bottom


def continuation_block(text: str, width: float, size: float = 7.0, min_height: float = 7 * mm) -> Block:
    """The italic strip heading a paper's second and later pages, ruled off from the content."""
    lines = wrap([Run(text, ITALIC)], size, width)
    used = len(lines) * line_height(size)

    def paint(canvas: Canvas, x: float, y: float) -> None:
        draw_lines(canvas, lines, x, y, width, size, "center")
        canvas.saveState()
        canvas.setLineWidth(0.4)
        canvas.line(x, y - used - 0.8 * mm, x + width, y - used - 0.8 * mm)
        canvas.restoreState()

    return Block(max(min_height, used + 2.5 * mm), paint)


def paginate_with_header(
    blocks: Sequence[Block], first_page: float, other_pages: float, header: Block, rows: Iterable[Block]
) -> list[list[Block]]:
    """Like `paginate`, and a page that opens inside a table (on one of `rows`) starts with the
    table's `header` again. Room for that header is kept on every later page."""
    row_ids = {id(row) for row in rows}
    pages = paginate(blocks, first_page, other_pages - header.height)
    for page in pages[1:]:
        if page and id(page[0]) in row_ids:
            page.insert(0, header)
    return pages


def set_metadata(canvas: Canvas, title: str, author: str, subject: str = "") -> None:
    canvas.setTitle(nfc(title))
    canvas.setAuthor(nfc(author))
    canvas.setCreator("Quầy Một Cửa")
    if subject:
        canvas.setSubject(nfc(subject))


@dataclass(frozen=True)
class Copy:
    """One copy of a paper, paginated: its continuation strip for pages 2+ and its page numbers."""

    pages: Sequence[Sequence[Block]]
    continuation: Block | None = None
    page_label: Callable[[int, int], str] | None = None  # (page, of) -> 'Trang 1/2'


def render_document(
    frame: PageFrame, pages: Sequence[Sequence[Block]], *, title: str, author: str, subject: str = "",
    continuation: Block | None = None, page_label: Callable[[int, int], str] | None = None,
    page_size: float = 7.0,
) -> bytes:
    """Paint paginated blocks into a PDF: the continuation strip on pages 2+, and, on papers of more
    than one page, 'Trang i/n' (or `page_label`) at the foot of every page."""
    return render_copies(frame, [Copy(pages, continuation, page_label)], title=title, author=author,
                         subject=subject, page_size=page_size)


def render_copies(
    frame: PageFrame, copies: Sequence[Copy], *, title: str, author: str, subject: str = "",
    sheet: tuple[float, float] | None = None, page_size: float = 7.0,
) -> bytes:
    """Several copies of a paper in one PDF, each given as many pages as the longest (so a copy never
    starts on the back of another).

    Without `sheet`, each copy's pages follow the one before's, on pages of the frame's size. With
    `sheet`, the copies stand side by side on sheets of that size, each centred in its column (an A5
    frame in an A4 landscape half, to be cut along the dashed line between them).
    """
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=sheet or (frame.width, frame.height), pageCompression=1)
    set_metadata(canvas, title, author, subject)
    count = max((len(copy.pages) for copy in copies), default=0)
    if sheet is None:
        sharing = [_shared_blocks(frame, copies, index) for index in range(count)]
        for copy in copies:
            for index in range(count):
                _paint_frame(canvas, frame, copy, index, 0.0, page_size, sharing[index])
                canvas.showPage()
    else:
        column = sheet[0] / max(len(copies), 1)
        inset = (column - frame.width) / 2
        for index in range(count):
            for position, copy in enumerate(copies):
                _paint_frame(canvas, frame, copy, index, position * column + inset, page_size)
                if position:
                    _cut_line(canvas, position * column, sheet[1])
            canvas.showPage()
    with plain_streams():
        canvas.save()
    return buffer.getvalue()


@contextmanager
def plain_streams() -> Iterator[None]:
    """Compressed streams without the ASCII85 layer reportlab adds by default (a 7-bit transport
    safeguard nobody needs any more): a quarter smaller, and encoding it in pure Python was a sixth of
    the register's time and a fifth of the slip's. reportlab reads the switch only from its global
    settings, at save time; a paper saved concurrently elsewhere merely comes out without ASCII85 too,
    an equally valid PDF."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


def _paint_frame(
    canvas: Canvas, frame: PageFrame, copy: Copy, index: int, x0: float, page_size: float,
    shared: Sequence[bool] | None = None,
) -> None:
    """Page `index` of `copy` in the frame whose left edge is x0 (nothing past the copy's last page).

    The blocks `shared` marks are painted once into form XObjects, which every copy's page then draws
    where its own would be (one form per run of shared blocks, so the page still reads in order): the
    second copy costs a few operators. Only copies on pages of their own share forms: side by side, a
    copy would draw them shifted, and a reader that takes a form's text without its placement (pypdf
    does) would find the second copy's text over the first's."""
    if index >= len(copy.pages):
        return
    placed = _frame_blocks(frame, copy, index)
    shared = shared or [False] * len(placed)
    if copy.continuation is not None and index:
        copy.continuation.paint(canvas, x0 + frame.left, frame.height - frame.top)
    start = 0
    while start < len(placed):
        end = start + 1
        while end < len(placed) and shared[end] == shared[start]:
            end += 1
        if shared[start]:
            name = f"Copies{index}x{start}"
            if not canvas.hasForm(name):
                canvas.beginForm(name, 0, 0, frame.width, frame.height)
                for block, y in placed[start:end]:
                    block.paint(canvas, x0 + frame.left, y)
                canvas.endForm()
            canvas.doForm(name)
        else:
            for block, y in placed[start:end]:
                block.paint(canvas, x0 + frame.left, y)
        start = end
    total = len(copy.pages)
    if total > 1:
        label = copy.page_label or (lambda page, of: f"Trang {page}/{of}")
        canvas.setFont(ITALIC, page_size)
        canvas.drawRightString(x0 + frame.width - frame.right, frame.bottom / 2, nfc(label(index + 1, total)))


def _frame_blocks(frame: PageFrame, copy: Copy, index: int) -> list[tuple[Block, float]]:
    """The blocks of page `index` of `copy` with the y of their tops, under its continuation strip."""
    top = frame.height - frame.top
    if index and copy.continuation is not None:
        top -= copy.continuation.height
    return _placed(copy.pages[index], frame.left, top, frame.bottom)[0]


def _shared_blocks(frame: PageFrame, copies: Sequence[Copy], index: int) -> list[bool] | None:
    """Per block of page `index`, whether every copy has that very block in that very place; None
    when the copies' pages differ in length, or only one copy has this page."""
    pages = [_frame_blocks(frame, copy, index) for copy in copies if index < len(copy.pages)]
    if len(pages) < 2 or any(len(page) != len(pages[0]) for page in pages):
        return None
    return [all(page[position][0] is block and page[position][1] == y for page in pages[1:])
            for position, (block, y) in enumerate(pages[0])]


def _cut_line(canvas: Canvas, x: float, height: float) -> None:
    """A light dashed guide between two copies on one sheet."""
    canvas.saveState()
    canvas.setStrokeGray(0.6)
    canvas.setLineWidth(0.3)
    canvas.setDash(3, 3)
    canvas.line(x, 4 * mm, x, height - 4 * mm)
    canvas.restoreState()


__all__ = [
    "Block", "Copy", "PageFrame", "beside", "blocks_height", "continuation_block", "paginate", "paginate_with_header",
    "paint_page", "render_copies", "render_document", "set_metadata", "spacer", "stack", "text_blocks",
]
