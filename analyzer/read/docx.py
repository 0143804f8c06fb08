"""Word .docx → Document.

python-docx opens the package (after ``safezip`` has checked sizes and refused DTDs); the text itself is taken
from the WordprocessingML tree directly, because python-docx's ``Paragraph.text`` skips text inside tracked
insertions, content controls and smart tags, which real reports contain.

What is read, in document order: body paragraphs and tables, including those inside content controls (``w:sdt``).
Not read: headers, footers, footnotes, comments, deleted text (``w:del``), and text boxes (counted in
``metadata['artifacts']``). Nothing is deleted from the text: artifacts such as ``_GoBack`` bookmarks are only counted.

Anchors:
- paragraph blocks: ``paragraph`` = index in python-docx's ``Document.paragraphs`` (direct children of the body),
  ``None`` for paragraphs inside content controls or unwrapped layout tables; ``run_offsets`` = start of each run
  (``w:r``) inside the block text;
- table cells: ``table`` = index of the ``w:tbl`` among all tables of the body in document order (nested included),
  ``row``/``col`` = grid position of the cell's top-left corner.

Tables: ``gridSpan`` and ``vMerge`` are expanded into a rectangular grid; a merged cell is one ``GridCell``
repeated across its positions (deduplicated by its ``w:tc`` element). Cell paragraphs are joined by one space.
A nested table is flattened into its parent cell's text (its cells in reading order, separated by spaces), except
that a one-column *layout* table that holds nested tables (a frame around the whole report) is unwrapped: its cells'
paragraphs and tables become ordinary blocks.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Iterator

from lxml import etree

from ..config import Config
from ..errors import ReadError
from ..model import Anchor, Document
from .assemble import CellSpec, DocumentBuilder
from .safezip import SafeZip, refuse_dtds

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = "{%s}" % W

# Inside a paragraph, never descend into these (deleted text, properties, alternate renderings).
_SKIP_IN_PARAGRAPH = {_W + t for t in ("del", "moveFrom", "pPr", "rPr")} | {"{%s}Fallback" % MC}
# Block-level wrappers whose children are read as if they were in the body.
_BLOCK_WRAPPERS = {_W + t for t in ("sdt", "sdtContent", "customXml", "ins", "moveTo")}


def _val(el: etree._Element | None, default: str | None = None) -> str | None:
    return default if el is None else el.get(_W + "val", default)


def run_text(r: etree._Element) -> str:
    out = []
    for child in r:
        tag = child.tag
        if tag == _W + "t":
            out.append(child.text or "")
        elif tag == _W + "tab" or tag == _W + "ptab":
            out.append("\t")
        elif tag == _W + "br":
            if child.get(_W + "type") in (None, "textWrapping"):
                out.append("\n")
        elif tag == _W + "cr":
            out.append("\n")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
    return "".join(out)


def paragraph_text(p: etree._Element) -> tuple[str, tuple[int, ...]]:
    """The visible text of a ``w:p`` and the start offset of each of its runs."""
    parts: list[str] = []
    offsets: list[int] = []
    pos = 0

    def walk(el: etree._Element) -> None:
        nonlocal pos
        for child in el:
            if not isinstance(child.tag, str) or child.tag in _SKIP_IN_PARAGRAPH:
                continue
            if child.tag == _W + "r":
                text = run_text(child)
                offsets.append(pos)
                parts.append(text)
                pos += len(text)
            else:
                walk(child)

    walk(p)
    return "".join(parts), tuple(offsets)


class _DocxWalker:
    def __init__(self, body: etree._Element, builder: DocumentBuilder):
        self.builder = builder
        # the dict keeps the element proxies alive, so later lookups get the same objects
        self.table_index = {t: i for i, t in enumerate(body.iter(_W + "tbl"))}
        self.body = body

    # ---------------------------------------------------------------- blocks

    def walk_body(self) -> None:
        para_index = 0
        for child in self.body:
            if child.tag == _W + "p":
                self.add_paragraph(child, Anchor("docx", paragraph=para_index))
                para_index += 1
            else:
                self.walk_block(child)

    def walk_block(self, el: etree._Element, where: dict[str, Any] | None = None) -> None:
        """Paragraphs/tables below a wrapper (content control, unwrapped layout cell)."""
        tag = el.tag
        if tag == _W + "p":
            self.add_paragraph(el, Anchor("docx", **(where or {})))
        elif tag == _W + "tbl":
            self.add_table(el)
        elif tag in _BLOCK_WRAPPERS:
            for child in el:
                self.walk_block(child, where)

    def add_paragraph(self, p: etree._Element, anchor: Anchor) -> None:
        text, offsets = paragraph_text(p)
        if text.strip():
            self.builder.add_paragraph(text, Anchor(anchor.kind, paragraph=anchor.paragraph, table=anchor.table,
                                                    row=anchor.row, col=anchor.col, run_offsets=offsets))

    # ---------------------------------------------------------------- tables

    def add_table(self, tbl: etree._Element) -> None:
        index = self.table_index.get(tbl)
        grid, tcs = self.grid(tbl)
        width = max((len(r) for r in grid), default=0)
        if width == 1 and any(tc.find(".//" + _W + "tbl") is not None for tc in tcs.values()):
            # A frame around the report: read its contents as ordinary blocks.
            for r, row in enumerate(grid):
                tc = tcs.get(row[0]) if row else None
                if tc is not None and (r == 0 or grid[r - 1][0] != row[0]):
                    for child in tc:
                        self.walk_block(child, {"table": index, "row": r, "col": 0})
            return
        specs = [
            [CellSpec(key, self.cell_text(tcs[key]) if key in tcs else "", Anchor("docx", table=index, row=r, col=c))
             for c, key in enumerate(row)]
            for r, row in enumerate(grid)
        ]
        # The anchor of a merged cell is its top-left corner (the first CellSpec with that key).
        self.builder.add_table(specs, Anchor("docx", table=index))

    @staticmethod
    def rows(tbl: etree._Element) -> Iterator[etree._Element]:
        for child in tbl:
            if child.tag == _W + "tr":
                yield child
            elif child.tag in _BLOCK_WRAPPERS:
                yield from _DocxWalker.rows(child)

    @staticmethod
    def cells(tr: etree._Element) -> Iterator[etree._Element]:
        for child in tr:
            if child.tag == _W + "tc":
                yield child
            elif child.tag in _BLOCK_WRAPPERS:
                yield from _DocxWalker.cells(child)

    def grid(self, tbl: etree._Element) -> tuple[list[list[object]], dict[object, etree._Element]]:
        """Grid of merge keys (one per ``w:tc``; a vMerge continuation reuses the key above)."""
        grid: list[list[object]] = []
        tcs: dict[object, etree._Element] = {}
        for tr in self.rows(tbl):
            row: list[object] = []
            before = tr.find(f"{_W}trPr/{_W}gridBefore")
            for _ in range(_int(_val(before), 0)):
                row.append(object())  # a gap before the first cell: an empty position
            for tc in self.cells(tr):
                tc_pr = tc.find(_W + "tcPr")
                span = _int(_val(tc_pr.find(_W + "gridSpan") if tc_pr is not None else None), 1)
                vmerge = tc_pr.find(_W + "vMerge") if tc_pr is not None else None
                col = len(row)
                key: object = tc
                if vmerge is not None and _val(vmerge, "continue") == "continue" and grid and col < len(grid[-1]):
                    key = grid[-1][col]
                tcs.setdefault(key, tc)
                row.extend([key] * max(1, min(span, 64)))
            grid.append(row)
        return grid, tcs

    def cell_text(self, tc: etree._Element) -> str:
        pieces: list[str] = []
        for child in tc:
            self.collect_cell(child, pieces)
        return " ".join(p for p in pieces if p)

    def collect_cell(self, el: etree._Element, pieces: list[str]) -> None:
        if el.tag == _W + "p":
            pieces.append(paragraph_text(el)[0])
        elif el.tag == _W + "tbl":  # nested table: flattened into the cell's text
            grid, tcs = self.grid(el)
            seen: set[object] = set()
            for row in grid:
                for key in row:
                    if key in tcs and key not in seen:
                        seen.add(key)
                        pieces.append(self.cell_text(tcs[key]))
        elif el.tag in _BLOCK_WRAPPERS:
            for child in el:
                self.collect_cell(child, pieces)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _artifacts(body: etree._Element) -> dict[str, int]:
    counts = {
        "go_back_bookmarks": sum(1 for b in body.iter(_W + "bookmarkStart") if b.get(_W + "name") == "_GoBack"),
        "tracked_insertions": sum(1 for _ in body.iter(_W + "ins")),
        "tracked_deletions": sum(1 for _ in body.iter(_W + "del")),
        "comment_references": sum(1 for _ in body.iter(_W + "commentReference")),
        "text_boxes": sum(1 for _ in body.iter(_W + "txbxContent")),
        "alt_chunks": sum(1 for _ in body.iter(_W + "altChunk")),  # embedded HTML/RTF: not read
    }
    return {k: v for k, v in counts.items() if v}


def read_docx(path: Path, data: bytes, sz: SafeZip, config: Config) -> Document:
    # Read every member through the bounded reader (a lying size is caught here) and refuse DTDs in XML parts.
    xml_like = [n for n in sz.names if n.lower().endswith((".xml", ".rels")) or "/" not in n]
    parts = refuse_dtds(sz, xml_like)
    if any(b"purl.oclc.org/ooxml" in parts.get(n, b"")[:4096] for n in ("_rels/.rels", "word/document.xml")):
        raise ReadError("unknown_format", f"{path}: is a 'Strict Open XML' document, which nianbao does not read; "
                                          "re-save it in Word as 'Word 文档 (*.docx)'")
    for name in sz.names:
        if name not in xml_like and not name.endswith("/"):
            sz.read_member(name)

    from docx.opc.exceptions import PackageNotFoundError
    from docx.package import Package

    try:
        package = Package.open(io.BytesIO(data))
        part = package.main_document_part
        element = getattr(part, "element", None)
        if element is None:  # e.g. a macro-enabled .docm: python-docx has no part class for it
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
            element = etree.fromstring(part.blob, parser)
    except (PackageNotFoundError, KeyError) as exc:
        raise ReadError("corrupt_zip", f"{path}: not a complete Word package ({exc}); re-save it as .docx") from None
    except etree.XMLSyntaxError as exc:
        raise ReadError("corrupt_zip", f"{path}: the document XML is damaged ({exc}); re-save it as .docx") from None
    except (ValueError, AttributeError, TypeError) as exc:
        raise ReadError("corrupt_zip", f"{path}: the Word package could not be opened ({exc}); "
                                       "re-save it as .docx") from None
    body = element.find(_W + "body")
    if body is None:
        raise ReadError("corrupt_zip", f"{path}: the Word document has no body; re-save it as .docx")

    builder = DocumentBuilder(str(path), "docx")
    _DocxWalker(body, builder).walk_body()
    meta: dict[str, Any] = {"artifacts": _artifacts(body)}
    try:
        cp = package.core_properties
        for key in ("title", "author", "last_modified_by"):
            value = getattr(cp, key, None)
            if value:
                meta[f"core_{key}"] = str(value)
        for key in ("created", "modified"):
            value = getattr(cp, key, None)
            if value:
                meta[f"core_{key}"] = value.isoformat()
    except Exception:  # noqa: BLE001 — core properties are optional decoration; a broken one must not fail the read
        pass
    return builder.build(meta)
