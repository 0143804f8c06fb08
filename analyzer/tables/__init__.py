"""Tables 二, 三, 四: extraction into typed ``Table`` objects and format-version detection.

``extract_tables(doc, sections)`` finds each table by its own anchors (第二十条第（一）项, the 勾稽关系 header cell,
本年新收, 行政复议 … 结果维持), reading real grids when the reader produced them and flat text otherwise.
``sections`` are only a hint (they may be empty). The template of rows and columns is data:
``lexicons/table_template.json``. Checks live in ``tables/checks.py`` (identities) and ``tables/consistency.py``
(narrative ↔ table).
"""

from __future__ import annotations

import logging
import re

from ..model import Document, Section, Table
from .assemble import assemble
from .grid_form import classify_grid, grid_二, grid_三, grid_四
from .locate import working_text
from .text_form import extract_二, extract_三, extract_四, locate_三
from .template import keyword_regex, template

__all__ = ["extract_tables", "detect_format_version"]

log = logging.getLogger(__name__)


def _absent(table_id: str, note: str) -> Table:
    return Table(id=table_id, layout=None, source="none", status="absent", notes=[note])  # type: ignore[arg-type]


def extract_tables(doc: Document, sections: list[Section] | None = None) -> dict[str, Table]:
    """Tables 二, 三 and 四 of ``doc`` (always all three keys; a table not found has ``status='absent'``).

    A reading failure of ours never stops the audit: the tables become ``uncertain`` with a note, so every
    identity on them is ``uncertain`` (logged, so the bug is visible).
    """
    try:
        return _extract(doc)
    except Exception as exc:  # noqa: BLE001  (our parsing bug must not become the user's traceback)
        log.warning("table extraction failed on %s: %r", doc.path, exc)
        return {tid: Table(id=tid, layout=None, source="none", status="uncertain",  # type: ignore[arg-type]
                           notes=[f"extraction error: {exc!r}"]) for tid in ("二", "三", "四")}


def _extract(doc: Document) -> dict[str, Table]:
    grids: dict[str, list] = {"二": [], "三": [], "四": []}
    for b in doc.blocks:
        if b.kind == "table" and b.rows:
            kind = classify_grid(b)
            if kind:
                grids[kind].append(b)
    work = working_text(doc.text)
    tables: dict[str, Table] = {}

    loc3 = grid_三(grids["三"]) if grids["三"] else None
    if loc3 is None:
        loc3 = extract_三(work)
        if loc3 is not None:
            loc3.source = _text_form(work, loc3.start, loc3.end)
    loc2 = grid_二(grids["二"]) if grids["二"] else None
    if loc2 is None:
        region3 = locate_三(work)
        loc2 = extract_二(work, region3[0] if region3 else None)
        if loc2 is not None:
            loc2.source = _text_form(work, loc2.start, loc2.end)
    tables["二"] = assemble(loc2) if loc2 else _absent("二", "no 第二十条 table found")
    layout_hint = tables["二"].layout if tables["二"].status != "absent" else None
    tables["三"] = assemble(loc3, layout_hint) if loc3 else _absent("三", "no 勾稽关系 header or 本年新收 row found")
    loc4 = grid_四(grids["四"]) if grids["四"] else None
    if loc4 is None:
        loc4 = extract_四(work, loc3.start if loc3 is not None and loc3.source != "grid" else 0)
        if loc4 is not None:
            loc4.source = _text_form(work, loc4.start, loc4.end)
    tables["四"] = assemble(loc4) if loc4 else _absent("四", "no 行政复议/行政诉讼 table found")
    if tables["四"].status != "absent":
        tables["四"].layout = tables["三"].layout or layout_hint
    return tables


def _text_form(work: str, start: int, end: int) -> str:
    """A short name for the text form a table was read from (for reports and the benchmark)."""
    region = work[start:end]
    if region.count("|") >= 8:
        return "pipe"
    lines = [ln for ln in region.split("\n") if ln.strip()]
    if len(lines) > 40 and sum(len(ln.strip()) <= 6 for ln in lines) > len(lines) * 0.5:
        return "lines"
    if re.search(r"\d{7,}", region):
        return "runtogether"
    if re.search(r"\S {3,}\d", region) and len(lines) > 10:
        return "layout"
    return "spaced"


def detect_format_version(tables: dict[str, Table], text: str) -> str | None:
    """"2021" or "2019" from table 二's columns (本年制发件数… vs 本年新制作数量…), else table 三's （六） sub-rows."""
    t2 = tables.get("二")
    if t2 is not None and t2.status != "absent" and t2.layout:
        return t2.layout
    markers = template()["table_二"]["layout_markers"]
    counts = {lay: sum(1 for k in kws if keyword_regex(k).search(text)) for lay, kws in markers.items()}
    if counts.get("2019", 0) != counts.get("2021", 0):
        return max(counts, key=lambda k: counts[k])
    t3 = tables.get("三")
    if t3 is not None and t3.status != "absent" and t3.layout:
        return t3.layout
    return None
