"""Read tables 二, 三, 四 out of flat text (any text form) into ``RowHit`` lists for ``assemble``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cells import Token, split_row
from .locate import LabelMatch, first_run, keyword_regex, label_matches, next_boundary
from .template import Column, column_set_二, columns_三, rows, template


@dataclass
class RowHit:
    key: str
    label_start: int | None
    label_end: int | None
    tokens: list[Token] | None  # None: only the label was found (no cells at all)
    columns: tuple[Column, ...]
    blank_cells: list[int] = field(default_factory=list)  # grid: indexes of empty cells
    cells_override: list | None = None  # grid: ready cells (raw, start, end, kind) in column order
    truncated: bool = False  # the text ends inside this row


@dataclass
class Located:
    table_id: str
    start: int
    end: int
    anchor: str
    hits: list[RowHit]
    layout: str | None = None
    source: str = "text"
    notes: list[str] = field(default_factory=list)
    reaches_end: bool = False  # the region runs to the end of the text (an excerpt cut inside the table)


def _search(work: str, keyword: str, start: int, end: int) -> re.Match | None:
    return keyword_regex(keyword).search(work, start, end)


_SECTION_五 = re.compile(r"五[\s]*[、.．]?[\s]*(?:政府信息公开工作)?存[\s]*在[\s]*的?[\s]*主[\s]*要[\s]*问[\s]*题")
_SECTION_三 = re.compile(r"三[\s]*[、.．][\s]*收[\s]*到[\s]*和[\s]*处[\s]*理")
_T4_MARKERS = ("未经复议", "复议后起诉", "审结", "维持", "纠正")


def feasible(tokens: list[Token], n: int) -> bool:
    if not tokens or len(tokens) > n:
        return False
    return sum(len(t.raw.lstrip("-－")) if t.digits_only else 1 for t in tokens) >= n


# ---------------------------------------------------------------- 三


def locate_三(work: str) -> tuple[int, int, str] | None:
    """Region of table 三: from its 勾稽关系 header cell (or the 本年新收 row) to the start of table 四."""
    start = None
    anchor = ""
    for kw in template()["table_三"]["anchors"]:
        m = _search(work, kw, 0, len(work))
        if m is None:
            continue
        if kw == "本年新收":
            # only as a table row: 上年结转 must follow soon (the narrative also says 本年新收…)
            while m is not None and _search(work, "上年结转", m.end(), min(len(work), m.end() + 400)) is None:
                m = _search(work, kw, m.end(), len(work))
            if m is None:
                continue
        start, anchor = m.start(), kw
        break
    if start is None:
        return None
    t4 = locate_四_anchor(work, start)
    end = t4 if t4 is not None else len(work)
    m5 = _SECTION_五.search(work, start)
    if m5 and m5.start() < end:
        end = m5.start()
    return start, min(end, start + 12000), anchor


def extract_三(work: str) -> Located | None:
    region = locate_三(work)
    if region is None:
        return None
    start, end, anchor = region
    specs = rows("三")
    matches = label_matches(work, start, end, specs)
    cols = columns_三()
    hits: list[RowHit] = []
    cursor = start
    text_end = len(work.rstrip())
    for spec in specs:
        if spec.header:
            continue
        own = [lm for lm in matches if lm.key == spec.key]
        if not spec.group:
            own = [lm for lm in own if lm.start >= cursor]
        chosen: tuple[LabelMatch, list[Token]] | None = None
        first: tuple[LabelMatch, list[Token]] | None = None
        for lm in own:
            seg_end = next_boundary(matches, lm.end, end)
            run = first_run(work, lm.end, seg_end)
            if first is None:
                first = (lm, run)
            if feasible(run, len(cols)):
                chosen = (lm, run)
                break
        if chosen is None:
            if spec.group:
                if first is not None:
                    hits.append(RowHit(spec.key, first[0].start, first[0].end, None, cols))
                continue
            chosen = first
        if chosen is None:
            continue
        lm, run = chosen
        if not spec.group:
            cursor = lm.end
        truncated = bool(run) and run[-1].end >= text_end or (not run and lm.end >= text_end - 2)
        hits.append(RowHit(spec.key, lm.start, lm.end, run or None, cols, truncated=truncated))
    layout = None
    keys = {h.key for h in hits if h.tokens}
    if any(k.startswith("other.") for k in keys):
        layout = "2021"
    elif "other" in keys and "total" in keys:
        layout = "2019"
    return Located("三", start, end, anchor, hits, layout, reaches_end=end >= text_end)


# ---------------------------------------------------------------- 四


def locate_四_anchor(work: str, after: int = 0) -> int | None:
    pat = keyword_regex("行政复议")
    pat2 = keyword_regex("行政法复议")
    for p in (pat, pat2):
        for m in p.finditer(work, after):
            window_end = min(len(work), m.end() + 400)
            # the header, not a sentence such as “行政复议…维持原行政行为”: two different header words nearby
            if sum(1 for mk in _T4_MARKERS if _search(work, mk, m.end(), window_end)) >= 2:
                return m.start()
    return None


def extract_四(work: str, after: int = 0) -> Located | None:
    start = locate_四_anchor(work, after)
    if start is None:
        return None
    m5 = _SECTION_五.search(work, start)
    end = m5.start() if m5 else min(len(work), start + 3000)
    n = 15
    pos = start
    run: list[Token] = []
    runs: list[list[Token]] = []
    while pos < end:
        r = first_run(work, pos, end)
        if not r:
            break
        if feasible(r, n):
            run = r
            break
        runs.append(r)
        pos = r[-1].end
    if not run:
        # markdown/HTML conversions sometimes print the three groups as three small tables of 5 cells each
        fives = [r for r in runs if len(r) == 5]
        if len(fives) >= 3:
            run = fives[0] + fives[1] + fives[2]
    hits = [RowHit("cases", None, None, run or None, tuple(), truncated=bool(run) and run[-1].end >= len(work.rstrip()))]
    return Located("四", start, end, "行政复议", hits, None, reaches_end=end >= len(work.rstrip()))


# ---------------------------------------------------------------- 二


def extract_二(work: str, end_hint: int | None) -> Located | None:
    m = re.search(r"第[\s|]*二[\s|]*十[\s|]*条[\s|]*第", work)
    if m is None:
        return None
    start = m.start()
    end = end_hint if end_hint is not None and end_hint > start else None
    if end is None:
        m3 = _SECTION_三.search(work, start)
        end = m3.start() if m3 else min(len(work), start + 4000)
    end = min(end, start + 6000)
    specs = rows("二")
    matches = label_matches(work, start, end, specs)
    markers = template()["table_二"]["layout_markers"]
    marker_hits: list[tuple[int, str]] = []
    for layout, kws in markers.items():
        for kw in kws:
            for mm in keyword_regex(kw).finditer(work, start, end):
                marker_hits.append((mm.start(), layout))
    marker_hits.sort()
    # header words are boundaries too (their digits, e.g. 本年（2023）制发件数, are not cells)
    bounds = sorted(matches + [LabelMatch("_hdr", p, p + 1) for p, _ in marker_hits], key=lambda x: x.start)
    overall = _majority([lay for _, lay in marker_hits])
    hits: list[RowHit] = []
    text_end = len(work.rstrip())
    seen: set[str] = set()
    for lm in matches:
        if lm.key.startswith("_") or lm.key in seen:
            continue
        spec = next(s for s in specs if s.key == lm.key)
        layout = next((lay for p, lay in reversed(marker_hits) if p < lm.start), overall) or "2021"
        cols = column_set_二(spec.columns.get(layout, spec.columns.get("2021")))
        seg_end = next_boundary(bounds, lm.end, end)
        run = first_run(work, lm.end, seg_end)
        seen.add(lm.key)
        truncated = bool(run) and run[-1].end >= text_end or (not run and lm.end >= text_end - 2)
        hits.append(RowHit(lm.key, lm.start, lm.end, run or None, cols, truncated=truncated))
    if not hits:
        return None
    loc = Located("二", start, end, "第二十条", hits, overall, reaches_end=end >= text_end)
    return loc


def _majority(layouts: list[str]) -> str | None:
    if not layouts:
        return None
    c19, c21 = layouts.count("2019"), layouts.count("2021")
    return "2019" if c19 > c21 else "2021"


__all__ = ["RowHit", "Located", "extract_二", "extract_三", "extract_四", "feasible", "split_row"]
