"""PDF → Document with pdfplumber.

Per page, top to bottom: ruled tables found by pdfplumber (``find_tables``, kept only when at least two columns wide
— a one-column "table" is body text in a frame) become grid Blocks with their merged cells rebuilt from the cell
boxes; the text between them is taken in layout mode (``extract_text(layout=True)``), one Block per non-empty line,
right-stripped and de-indented by the band's common indentation, so unruled tables keep their column gaps for the
tables module. Lines stay as laid out on the page (a paragraph wrapped over three lines is three Blocks).

A page-number line (``-1-``, ``— 2 —``, ``第 3 页``) at the top or bottom of a page is dropped and recorded in
``metadata['page_number_lines']``. Inside table cells, a line break between two CJK characters is layout, so it is
removed; other line breaks become a space. No text at all → ``pdf_no_text``; a password → ``pdf_encrypted``.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import ReadError
from ..model import Anchor, Document
from .assemble import CellSpec, DocumentBuilder

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－~·]*\s*\d{1,4}\s*[-—–－~·]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                          r"|\d{1,4}\s*/\s*\d{1,4})\s*$")
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
_CJK_BREAK = re.compile(rf"(?<={_CJK})\n(?={_CJK})")
_MIN_TEXT_CHARS = 20


def _cell_text(text: str | None) -> str:
    return _CJK_BREAK.sub("", text or "").replace("\n", " ")


def _split_frame_rows(table: Any, texts: list[list[str | None]]) -> tuple[list[str], int, int, list[str]]:
    """Rows at the top/bottom of a detected table that are one cell spanning the full width are body text caught in
    the same frame (a heading, a paragraph): return them as lines, with the row range of the real table."""
    rows = table.rows

    def single(i: int) -> bool:
        return sum(1 for box in rows[i].cells if box is not None) == 1 and len(rows[i].cells) >= 1

    lo, hi = 0, len(rows)
    while lo < hi and single(lo):
        lo += 1
    while hi > lo and single(hi - 1):
        hi -= 1
    head = [_cell_text(next((c for c in texts[i] if c), "")) for i in range(lo)]
    tail = [_cell_text(next((c for c in texts[i] if c), "")) for i in range(hi, len(rows))]
    return [h for h in head if h.strip()], lo, hi, [t for t in tail if t.strip()]


def _table_grid(table: Any, texts: list[list[str | None]], lo: int, hi: int, page_no: int,
                index: int) -> list[list[CellSpec]] | None:
    """Rebuild the merged-cell grid of a pdfplumber table (rows lo..hi) from its cell boxes."""
    rows = table.rows[lo:hi]
    texts = texts[lo:hi]
    width = max((len(r.cells) for r in rows), default=0)
    if width < 2 or not rows:
        return None
    col_x0: list[float | None] = [None] * width
    for r in rows:
        for c, box in enumerate(r.cells):
            if box is not None and col_x0[c] is None:
                col_x0[c] = box[0]
    row_top = [r.bbox[1] for r in rows]
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for ri, r in enumerate(rows):
        for ci, box in enumerate(r.cells):
            if box is None:
                continue
            x0, top, x1, bottom = box
            for rr in range(ri, len(rows)):
                if rr > ri and row_top[rr] >= bottom - 1:
                    break
                for cc in range(ci, width):
                    if cc > ci and (col_x0[cc] is None or col_x0[cc] >= x1 - 1):
                        if col_x0[cc] is not None:
                            break
                        continue
                    owner.setdefault((rr, cc), (ri, ci))
    grid = []
    for ri in range(len(rows)):
        out = []
        for ci in range(width):
            key = owner.get((ri, ci), (ri, ci))
            kr, kc = key
            raw = texts[kr][kc] if kr < len(texts) and kc < len(texts[kr]) else ""
            out.append(CellSpec(key, _cell_text(raw), Anchor("pdf", table=index, row=kr, col=kc, page=page_no)))
        grid.append(out)
    return grid


def _band_lines(page: Any, top: float, bottom: float, tables: list[Any]) -> list[str]:
    if bottom - top < 1:
        return []
    boxes = [t.bbox for t in tables]

    def outside(obj: dict) -> bool:
        cx, cy = (obj.get("x0", 0) + obj.get("x1", 0)) / 2, (obj.get("top", 0) + obj.get("bottom", 0)) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    band = page.crop((0, top, page.width, bottom), strict=False).filter(outside)
    text = band.extract_text() or ""
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def _exception_names(exc: BaseException) -> list[str]:
    """Type names along the cause chain (pdfplumber wraps pdfminer's errors in ``PdfminerException``)."""
    names, seen = [], 0
    todo: list[object] = [exc]
    while todo and seen < 10:
        e = todo.pop()
        seen += 1
        if isinstance(e, BaseException):
            names.append(type(e).__name__)
            todo += [e.__cause__, e.__context__, *e.args]
    return names


def read_pdf(path: Path, data: bytes, config: Config) -> Document:
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    builder = DocumentBuilder(str(path), "pdf")
    meta: dict[str, Any] = {"page_number_lines": [], "pages_without_text": []}
    table_index = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            meta["page_count"] = len(pdf.pages)
            for page_no, page in enumerate(pdf.pages, 1):
                tables = []
                for t in page.find_tables():
                    if max((len(r.cells) for r in t.rows), default=0) >= 2:
                        tables.append(t)
                tables.sort(key=lambda t: t.bbox[1])
                items: list[tuple[str, Any]] = []
                y = 0.0
                for t in tables:
                    items += [("line", ln) for ln in _band_lines(page, y, t.bbox[1], tables)]
                    items.append(("table", t))
                    y = max(y, t.bbox[3])
                items += [("line", ln) for ln in _band_lines(page, y, page.height, tables)]
                # page numbers: the first or last line of the page
                line_pos = [i for i, (kind, _) in enumerate(items) if kind == "line"]
                for i in {line_pos[0], line_pos[-1]} if line_pos else ():
                    if _PAGE_NUMBER.match(items[i][1]):
                        meta["page_number_lines"].append({"page": page_no, "text": items[i][1].strip()})
                        items[i] = ("skip", None)
                if not any(kind in ("line", "table") for kind, _ in items):
                    meta["pages_without_text"].append(page_no)
                for kind, item in items:
                    if kind == "line":
                        builder.add_paragraph(item, Anchor("pdf", page=page_no))
                    elif kind == "table":
                        texts = item.extract()  # slow: once per table
                        head, lo, hi, tail = _split_frame_rows(item, texts)
                        for line in head:
                            builder.add_paragraph(line, Anchor("pdf", page=page_no))
                        grid = _table_grid(item, texts, lo, hi, page_no, table_index)
                        if grid:
                            builder.add_table(grid, Anchor("pdf", table=table_index, page=page_no))
                            table_index += 1
                        for line in tail:
                            builder.add_paragraph(line, Anchor("pdf", page=page_no))
            info = pdf.metadata or {}
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 — pdfminer raises many unrelated types on malformed input
        name = type(exc).__name__
        if any("Password" in n or "Encrypt" in n for n in _exception_names(exc)):
            raise ReadError("pdf_encrypted", f"{path}: the PDF is password-protected; save an unprotected copy "
                                             "(打印为 PDF / remove the password) and audit that") from None
        raise ReadError("corrupt_pdf", f"{path}: the PDF cannot be parsed ({name}); re-export it from the source "
                                       "document") from None
    doc = builder.build(meta)
    if sum(1 for ch in doc.text if not ch.isspace()) < _MIN_TEXT_CHARS:
        raise ReadError("pdf_no_text", f"{path}: the PDF has no text layer (a scan); it needs OCR first, e.g. "
                                       "`ocrmypdf --language chi_sim in.pdf out.pdf`")
    for key in ("Title", "Author", "CreationDate", "ModDate"):
        value = info.get(key)
        if isinstance(value, str) and value.isprintable():
            doc.metadata[f"pdf_{key.lower()}"] = value
    return doc
