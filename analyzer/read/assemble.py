"""Build a ``Document`` from blocks, keeping every offset into ``Document.text`` exact.

All readers end here, so the text layout is defined in one place:

- blocks are joined by a single ``"\\n"``;
- a table renders as one line per grid row, cells joined by ``"\\t"``; a merged cell's text appears once, at its
  first (top-left) grid position, and empty strings fill the other positions it covers;
- inside a table cell, ``"\\t"``, ``"\\n"`` and ``"\\r"`` would break that layout, so each becomes one space
  (the only change readers make to cell text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Hashable

from ..errors import ReadError
from ..model import Anchor, Block, Document, GridCell

MAX_GRID_CELLS = 1_000_000  # a real report table has a few hundred; this bounds memory on hostile input

_CELL_BREAKS = re.compile(r"[\t\r\n]")


def clean_cell_text(text: str) -> str:
    """Cell text with grid delimiters replaced by spaces (see module docstring)."""
    return _CELL_BREAKS.sub(" ", text)


@dataclass
class CellSpec:
    """One grid position as a reader sees it. Positions sharing a ``key`` are one merged cell."""

    key: Hashable
    text: str
    anchor: Anchor


@dataclass
class DocumentBuilder:
    path: str
    source_format: str
    _parts: list[str] = field(default_factory=list)
    _blocks: list[Block] = field(default_factory=list)
    _pos: int = 0

    def _append(self, text: str) -> int:
        """Append ``text`` (preceded by the block separator when needed); return its start offset."""
        if self._blocks:
            self._parts.append("\n")
            self._pos += 1
        start = self._pos
        self._parts.append(text)
        self._pos += len(text)
        return start

    def add_paragraph(self, text: str, anchor: Anchor) -> Block:
        start = self._append(text)
        block = Block("paragraph", text, start, start + len(text), anchor)
        self._blocks.append(block)
        return block

    def add_table(self, grid: list[list[CellSpec]], anchor: Anchor) -> Block | None:
        """Add a table from a grid of ``CellSpec`` (ragged rows are padded with empty cells)."""
        grid = [row for row in grid if row]
        if not grid:
            return None
        width = max(len(row) for row in grid)
        if width * len(grid) > MAX_GRID_CELLS:
            raise ReadError("too_large", f"{self.path}: a table of {len(grid)} rows × {width} columns is beyond what "
                                         "a report table can be; refused")
        # Where each merged cell starts, and how far it spans.
        origin: dict[Hashable, tuple[int, int]] = {}
        extent: dict[Hashable, tuple[int, int]] = {}
        for r, row in enumerate(grid):
            for c, spec in enumerate(row):
                if spec.key not in origin:
                    origin[spec.key] = (r, c)
                r0, c0 = origin[spec.key]
                er, ec = extent.get(spec.key, (1, 1))
                extent[spec.key] = (max(er, r - r0 + 1), max(ec, c - c0 + 1))

        table_start = self._pos + (1 if self._blocks else 0)
        pos = table_start
        lines: list[str] = []
        cells: dict[Hashable, GridCell] = {}
        rows: list[list[GridCell]] = []
        for r, row in enumerate(grid):
            out_row: list[GridCell] = []
            pieces: list[str] = []
            for c in range(width):
                if c:
                    pos += 1  # the tab
                if c >= len(row):  # padding for a short row
                    where = Anchor(anchor.kind, table=anchor.table, row=r, col=c, page=anchor.page)
                    out_row.append(GridCell("", pos, pos, where))
                    pieces.append("")
                    continue
                spec = row[c]
                if origin[spec.key] == (r, c):
                    text = clean_cell_text(spec.text)
                    rs, cs = extent[spec.key]
                    cells[spec.key] = GridCell(text, pos, pos + len(text), spec.anchor, row_span=rs, col_span=cs)
                    pieces.append(text)
                    pos += len(text)
                else:
                    pieces.append("")
                out_row.append(cells[spec.key])
            rows.append(out_row)
            lines.append("\t".join(pieces))
            pos += 1  # the newline between rows
        text = "\n".join(lines)
        start = self._append(text)
        assert start == table_start
        block = Block("table", text, start, start + len(text), anchor, rows=rows)
        self._blocks.append(block)
        return block

    @property
    def block_count(self) -> int:
        return len(self._blocks)

    def build(self, metadata: dict[str, Any] | None = None) -> Document:
        return Document(
            path=self.path,
            source_format=self.source_format,
            text="".join(self._parts),
            blocks=self._blocks,
            metadata=dict(metadata or {}),
        )
