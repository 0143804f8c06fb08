"""Read tables 二, 三, 四 from real grids (``Block.kind == 'table'`` from the docx/HTML/PDF readers).

Merged cells repeat the same ``GridCell`` object across the merge, so each row is first reduced to its distinct
cells. A row's value cells are the trailing cells that hold a number, a dash, 无 or nothing; the rightmost text
cell before them is its label (for sub-items that is "1.属于国家秘密", not the merged "（三）不予公开").
"""

from __future__ import annotations

from ..model import Block, GridCell, TableCell
from .cells import classify, parse_number
from .template import Column, column_set_二, columns_三, keyword_regex, rows, template
from .text_form import Located, RowHit


def _distinct(row: list[GridCell]) -> list[GridCell]:
    out: list[GridCell] = []
    for c in row:
        if not out or c is not out[-1]:
            out.append(c)
    return out


def _split_row(row: list[GridCell]) -> tuple[list[GridCell], list[GridCell]]:
    cells = _distinct(row)
    i = len(cells)
    while i > 0 and classify(cells[i - 1].text) in ("number", "blank", "dash", "none_word"):
        i -= 1
    return cells[:i], cells[i:]


def _grid_hit(key: str, label: GridCell, cols: tuple[Column, ...], values: list[GridCell]) -> RowHit:
    """A located row whose cells are the grid's own: the last ``len(cols)`` value cells (a wider row carries
    leading label-like cells)."""
    return RowHit(key, label.start, label.end, None, cols,
                  cells_override=[_table_cell(v) for v in values[-len(cols):]])


def _table_cell(c: GridCell) -> TableCell:
    kind = classify(c.text)
    raw = c.text.strip()
    value = parse_number(raw) if kind == "number" else None
    offset = c.text.find(raw) if raw else 0
    start = c.start + max(offset, 0)
    return TableCell(raw, value, kind, start, start + len(raw) if raw else c.start, c.anchor)  # type: ignore[arg-type]


def _match_key(table_id: str, labels: list[GridCell]) -> tuple[str, GridCell] | None:
    for cell in reversed(labels):  # the rightmost label cell is the most specific
        for spec in rows(table_id):
            if spec.header:
                continue
            if any(p.search(cell.text) for p in spec.patterns):
                return spec.key, cell
    return None


def _grid_text(block: Block) -> str:
    return "\n".join("\t".join(c.text for c in _distinct(r)) for r in block.rows or [])


def classify_grid(block: Block) -> str | None:
    """Which table a grid is, from its header cells or, for a table continued on the next page, its row labels."""
    text = _grid_text(block)
    compact = "".join(text.split())
    if "勾稽" in compact or "钩稽" in compact or ("本年新收" in compact and "上年结转" in compact):
        return "三"
    if ("复议后起诉" in compact or "未经复议" in compact) and "维持" in compact:
        return "四"
    scores = {}
    for tid in ("三", "二"):
        scores[tid] = sum(1 for spec in rows(tid) if not spec.header and any(p.search(text) for p in spec.patterns))
    best = max(scores, key=lambda k: scores[k])
    if scores[best] >= 2:
        return best
    if "第二十条" in compact:
        return "二"
    return None


def grid_三(blocks: list[Block]) -> Located | None:
    cols = columns_三()
    hits: list[RowHit] = []
    seen: set[str] = set()
    for b in blocks:
        for row in b.rows or []:
            labels, values = _split_row(row)
            if not labels or not values:
                continue
            hit = _match_key("三", labels)
            if hit is None:
                continue
            key, cell = hit
            if key in seen:
                continue
            seen.add(key)
            hits.append(_grid_hit(key, cell, cols, values))
    if not hits:
        return None
    keys = {h.key for h in hits}
    layout = "2021" if any(k.startswith("other.") for k in keys) else ("2019" if "other" in keys else None)
    return Located("三", blocks[0].start, blocks[-1].end, "grid", hits, layout, source="grid")


def grid_四(blocks: list[Block]) -> Located | None:
    for b in blocks:
        best: list[GridCell] | None = None
        blank_row: list[GridCell] | None = None
        for row in b.rows or []:
            cells = _distinct(row)
            # the data row: every cell a value or empty (a blank template has a row of 15 empty cells)
            if len(cells) >= 5 and all(classify(c.text) in ("number", "blank", "dash", "none_word") for c in cells):
                if any(classify(c.text) == "number" for c in cells):
                    best = cells
                elif blank_row is None:
                    blank_row = cells
        best = best or blank_row
        if best is not None:
            hit = RowHit("cases", best[0].start, best[0].start, None, tuple(),
                         cells_override=[_table_cell(c) for c in best])
            return Located("四", b.start, b.end, "grid", [hit], None, source="grid")
    return None


def grid_二(blocks: list[Block]) -> Located | None:
    markers = template()["table_二"]["layout_markers"]
    hits: list[RowHit] = []
    layouts: list[str] = []
    seen: set[str] = set()
    for b in blocks:
        current = None
        for row in b.rows or []:
            text = "".join("".join(c.text.split()) for c in _distinct(row))
            for lay, kws in markers.items():
                if any(keyword_regex(k).search(text) for k in kws):
                    current = lay
                    layouts.append(lay)
            labels, values = _split_row(row)
            if not labels or not values:
                continue
            hit = _match_key("二", labels)
            if hit is None or hit[0] in seen:
                continue
            key, cell = hit
            seen.add(key)
            spec = next(s for s in rows("二") if s.key == key)
            lay = current or "2021"
            cols = column_set_二(spec.columns.get(lay, spec.columns["2021"]))
            hits.append(_grid_hit(key, cell, cols, values))
    if not hits:
        return None
    layout = None
    if layouts:
        layout = "2019" if layouts.count("2019") > layouts.count("2021") else "2021"
    return Located("二", blocks[0].start, blocks[-1].end, "grid", hits, layout, source="grid")
