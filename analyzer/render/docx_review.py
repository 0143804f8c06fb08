"""Review copy (``--annotate OUT.docx``): the report with a Word comment on each faulty span.

For a .docx input the original file is reopened and saved under a new name (the input is never written). Each
finding's character span (offsets into ``Document.text``) is mapped back to the source paragraph through the
reader's anchors (``Anchor.paragraph`` = index among body-level paragraphs in ``iter_inner_content`` order,
``Anchor.table/row/col`` for table cells); the runs are split at the span boundaries — each piece keeps a copy of
the run's ``rPr``, so formatting is unchanged — and a comment covers exactly the flagged text (负总表, not the whole
paragraph). Table findings get a comment on the cell with the expected and actual values. A summary comment
(score, counts, anything that could not be placed) sits on the first paragraph.

For other inputs (text, HTML, PDF) a new .docx is written with the recovered paragraphs and tables and the same
comments. Only the plain comment parts python-docx writes are used (``comments.xml`` + range markers), which Word
and WPS both open.

When a span cannot be matched exactly (the source paragraph's text differs from what the reader produced), the
comment falls back to the smallest thing that surely contains it (the run, then the paragraph); a finding that
cannot be placed at all is listed in the summary comment, so none is lost.
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import NianbaoError
from ..io import same_file, write_atomic
from ..model import Audit, Block, Check, Finding, GridCell
from ..read.assemble import clean_cell_text
from ..read.docx import _SKIP_IN_PARAGRAPH, _DocxWalker, paragraph_text, run_text
from .locations import SEVERITY_LABELS, cell_keys, cell_labels, logical_location

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Run children whose text round-trips exactly through python-docx's Run.text setter (so a run can be split).
_SPLITTABLE_CHILDREN = {f"{_W}rPr", f"{_W}t", f"{_W}tab", f"{_W}cr", f"{_W}lastRenderedPageBreak"}


def write_review_copy(audit: Audit, source_path: Path, out_path: Path, *, author: str = "nianbao",
                      initials: str = "NB") -> None:
    source_path, out_path = Path(source_path), Path(out_path)
    if same_file(source_path, out_path):
        raise NianbaoError("output_invalid", f"{out_path}: the review copy would overwrite the input")
    review = build_review_copy(audit, source_path, author=author, initials=initials)
    buf = io.BytesIO()
    review.doc.save(buf)
    write_atomic(out_path, buf.getvalue())


@dataclass
class ReviewCopy:
    doc: Any  # python-docx Document, not yet saved
    placed: list[Finding]  # in comment order: comment i (0-based) is placed[i]; the summary comment comes last
    unplaced: list[Finding]  # listed in the summary comment


def build_review_copy(audit: Audit, source_path: Path, *, author: str = "nianbao", initials: str = "NB") -> ReviewCopy:
    if audit.error is not None:
        raise NianbaoError(audit.error.code, audit.error.message)
    if audit.report is None:
        raise ValueError("a review copy needs the Audit's report (audit.report is None)")
    if audit.source_format == "docx":
        annotator = _Annotator.from_docx(audit, Path(source_path))
    else:
        annotator = _Annotator.rebuilt(audit, Path(source_path))
    annotator.annotate(_clean(author) or "nianbao", _clean(initials))
    return ReviewCopy(annotator.doc, annotator.placed, annotator.unplaced)


# ---------------------------------------------------------------- placing comments
#
# Paragraphs are handled as ``w:p`` elements and their text is computed with the reader's own functions
# (``paragraph_text``/``run_text``), so offsets agree with ``Document.text`` even for runs inside hyperlinks,
# tracked insertions, content controls or smart tags, which python-docx's ``Paragraph.text`` does not see.


@dataclass
class _Piece:
    """A span inside one paragraph (``w:p`` element), as offsets into the paragraph's text."""

    p: Any
    start: int
    end: int


class _Annotator:
    def __init__(self, audit: Audit, doc: Any, paragraphs: dict[int, Any], cells: dict[int, Any], first_p: Any):
        self.audit = audit
        self.report = audit.report
        self.doc = doc
        self.block_p = paragraphs  # block index → w:p
        self.block_cell = cells  # table block index → function (row, col) → w:tc or None
        self.first_p = first_p
        self.placed: list[Finding] = []
        self.unplaced: list[Finding] = []

    # -- construction

    @classmethod
    def from_docx(cls, audit: Audit, source: Path) -> "_Annotator":
        import docx

        try:
            d = docx.Document(str(source))
        except Exception as exc:  # the reader accepted this file, so this is unexpected; still a clear error
            raise NianbaoError("corrupt_zip", f"{source}: cannot reopen for the review copy ({exc})") from None
        body = d.element.body
        direct = [el for el in body if el.tag == _W + "p"]  # the reader's Anchor.paragraph indexes these
        everywhere = list(body.iter(_W + "p"))  # fallback search (content controls, unwrapped frames)
        tables = list(body.iter(_W + "tbl"))  # Anchor.table indexes every table of the body, nested included
        walker = _DocxWalker(body, None)  # the reader's grid logic, so (row, col) mean the same thing
        paragraphs: dict[int, Any] = {}
        cells: dict[int, Any] = {}
        used: set[int] = set()
        texts = {id(p): paragraph_text(p)[0] for p in everywhere}  # lxml keeps these proxies (and ids) alive
        for i, block in enumerate(audit.report.document.blocks):
            if block.kind == "paragraph":
                p = _match_paragraph(block, direct, everywhere, texts, used)
                if p is not None:
                    paragraphs[i] = p
            elif block.anchor.table is not None and 0 <= block.anchor.table < len(tables):
                grid, tcs = walker.grid(tables[block.anchor.table])
                cells[i] = _grid_lookup(grid, tcs)
        first = next((p for p in everywhere if texts[id(p)].strip()), None)
        if first is None:
            first = d.add_paragraph()._p
        return cls(audit, d, paragraphs, cells, first)

    @classmethod
    def rebuilt(cls, audit: Audit, source: Path) -> "_Annotator":
        import docx
        from docx.table import _Cell

        d = docx.Document()
        kind = {"text": "文本", "html": "网页", "pdf": "PDF"}.get(audit.source_format or "", audit.source_format or "")
        note = d.add_paragraph()
        note.add_run(_clean(f"（本文件由 nianbao 根据{kind}文件 {source.name} 恢复的文字和表格生成，批注为审核意见。）"))
        paragraphs: dict[int, Any] = {}
        cells: dict[int, Any] = {}
        for i, block in enumerate(audit.report.document.blocks):
            if block.kind == "table" and block.rows:
                n_rows, n_cols = len(block.rows), max(len(r) for r in block.rows)
                t = d.add_table(rows=n_rows, cols=n_cols)
                t.style = "Table Grid"
                # a fresh table has no merges, so the grid is plain rows × cells (Table.cell() is O(n) per call)
                grid = [list(tr.tc_lst) for tr in t._tbl.tr_lst]
                seen: set[int] = set()
                for r, row in enumerate(block.rows):
                    for c, cell in enumerate(row):
                        if id(cell) not in seen:  # a merged cell repeats across the merge: write it once
                            seen.add(id(cell))
                            _Cell(grid[r][c], t).text = _clean(cell.text)
                cells[i] = _grid_lookup(grid, {tc: tc for row in grid for tc in row})
            else:  # a paragraph, or a table block without a grid: its text as one paragraph
                p = d.add_paragraph()
                if block.text:
                    p.add_run(_clean(block.text))
                paragraphs[i] = p._p
        return cls(audit, d, paragraphs, cells, note._p)

    # -- annotation

    def annotate(self, author: str, initials: str) -> None:
        for f in self.audit.findings:
            pieces = self._locate(f)
            runs = self._runs_for(pieces) if pieces else None
            if not runs:
                self.unplaced.append(f)
                continue
            self.doc.add_comment(runs, text=_clean(self._comment_text(f)), author=author, initials=initials)
            self.placed.append(f)
        summary_runs = _runs_covering(self.first_p, 0, len(paragraph_text(self.first_p)[0]))
        if not summary_runs:
            summary_runs = [_add_empty_run(self.first_p)]
        self.doc.add_comment([summary_runs[0], summary_runs[-1]], text=_clean(self._summary_text()), author=author,
                             initials=initials)

    def _locate(self, f: Finding) -> list[_Piece]:
        if f.table:
            pieces = self._locate_cell(f)
            if pieces:
                return pieces
        if f.start is not None:
            pieces = self._locate_span(f.start, f.end) if f.end is not None and f.end > f.start else []
            return pieces or self._locate_point(f.start)
        if f.section and self.report is not None:
            sec = self.report.section(f.section)
            if sec is not None:  # a finding about a whole section: on its heading (or its first character)
                span = sec.heading or sec.body
                s, e = (span.start, span.end) if span else (sec.start, sec.start + 1)
                return self._locate_span(s, max(e, s + 1))
        return []

    def _locate_cell(self, f: Finding) -> list[_Piece]:
        table = self.report.tables.get(f.table) if self.report else None
        row, col = cell_keys(table, f.row, f.column) if table else (None, None)
        cell = table.cells.get(row or "", {}).get(col or "") if table else None
        if cell is None or cell.start is None:
            return []
        for bi, block in enumerate(self.report.document.blocks):
            if block.kind == "table" and block.rows and block.start <= cell.start <= block.end:
                for r, row in enumerate(block.rows):
                    for c, grid_cell in enumerate(row):
                        if grid_cell.start <= cell.start <= grid_cell.end and grid_cell.end >= (cell.end or 0):
                            pieces = self._cell_pieces(bi, r, c, grid_cell, whole=True)
                            if pieces:
                                return pieces
        # a table read from text lines: the cell is a span of a paragraph
        return self._locate_span(cell.start, max(cell.end or cell.start, cell.start + 1))

    def _locate_point(self, k: int) -> list[_Piece]:
        """An empty span, or one covering only the newlines between blocks: the empty table cell at ``k``, the
        character at ``k``, or else the whole paragraph just before ``k``."""
        blocks = self.report.document.blocks
        for bi, block in enumerate(blocks):
            if not block.start <= k <= block.end:
                continue
            if block.kind == "table" and block.rows:
                cells = [(r, c, cell) for r, row in enumerate(block.rows) for c, cell in enumerate(row)
                         if cell.start <= k <= cell.end]
                cells.sort(key=lambda t: (t[2].start != k, t[0], t[1]))
                for r, c, cell in cells[:1]:
                    return self._cell_pieces(bi, r, c, cell, whole=True)
            elif block.end > block.start:
                s = min(k, block.end - 1)
                return self._locate_span(s, s + 1)
        before = [b for b in blocks if b.end <= k and b.end > b.start]
        if before:
            return self._locate_span(before[-1].start, before[-1].end)
        return []

    def _cell_pieces(self, bi: int, r: int, c: int, cell: GridCell, whole: bool = False,
                     start: int = 0, end: int = 0) -> list[_Piece]:
        lookup = self.block_cell.get(bi)
        if lookup is None:
            return []
        if self.audit.source_format == "docx" and cell.anchor.row is not None and cell.anchor.col is not None:
            r, c = cell.anchor.row, cell.anchor.col
        tc = lookup(r, c)
        if tc is None:
            return []
        paras = [(p, paragraph_text(p)[0]) for p in tc.iter(_W + "p")]
        texts = [(p, t) for p, t in paras if t]
        if not whole and clean_cell_text(" ".join(t for _, t in texts)) == cell.text:
            out, pos = [], 0  # the reader joined the cell's non-empty paragraphs with one space
            for p, t in texts:
                s, e = max(start, pos), min(end, pos + len(t))
                if s < e:
                    out.append(_Piece(p, s - pos, e - pos))
                pos += len(t) + 1
            if out:
                return out
        if not whole:
            found = _find_in([p for p, _ in texts], cell.text[start:end])
            if found:
                return found
        if texts:
            return [_Piece(texts[0][0], 0, len(texts[0][1])), _Piece(texts[-1][0], 0, len(texts[-1][1]))]
        if paras:  # an empty cell still gets its comment, on an empty run
            _add_empty_run(paras[0][0])
            return [_Piece(paras[0][0], 0, 0)]
        return []

    def _locate_span(self, start: int, end: int) -> list[_Piece]:
        pieces: list[_Piece] = []
        doc_text = self.report.document.text
        for bi, block in enumerate(self.report.document.blocks):
            if block.end <= start or block.start >= end:
                continue
            if block.kind == "paragraph" or bi in self.block_p:
                p = self.block_p.get(bi)
                if p is None:
                    continue
                p_text = paragraph_text(p)[0]
                ls, le = max(start, block.start) - block.start, min(end, block.end) - block.start
                if p_text == block.text:
                    pieces.append(_Piece(p, ls, le))
                else:  # the file's paragraph differs from what the reader produced: find the flagged text
                    found = _find_in([p], doc_text[block.start + ls:block.start + le])
                    pieces.extend(found or [_Piece(p, 0, len(p_text))])
            elif block.rows:
                seen: set[int] = set()
                for r, row in enumerate(block.rows):
                    for c, cell in enumerate(row):
                        if id(cell) in seen or cell.end <= start or cell.start >= end:
                            continue
                        seen.add(id(cell))
                        s, e = max(start, cell.start) - cell.start, min(end, cell.end) - cell.start
                        pieces.extend(self._cell_pieces(bi, r, c, cell, start=s, end=e))
        return pieces

    def _runs_for(self, pieces: list[_Piece]) -> list[Any] | None:
        first = _runs_covering(pieces[0].p, pieces[0].start, pieces[0].end)
        last = first if len(pieces) == 1 else _runs_covering(pieces[-1].p, pieces[-1].start, pieces[-1].end)
        if not first or not last:
            return None
        return [first[0], last[-1]]

    # -- texts

    def _comment_text(self, f: Finding) -> str:
        lines = [f"【{SEVERITY_LABELS.get(f.severity, f.severity)} {f.rule}】{f.message}"]
        if f.table:
            row, col = cell_labels(f, self.report)
            where = "，".join(x for x in (row, col) if x)
            expected, actual = _expected_actual(f, self.audit.checks)
            if expected is not None or actual is not None:
                lines.append(f"表{f.table}{('（' + where + '）') if where else ''}：应为 {_num(expected)}，实为 {_num(actual)}")
        if f.suggestion:
            lines.append(f"建议：{f.suggestion}")
        return "\n".join(lines)

    def _summary_text(self) -> str:
        a = self.audit
        counts = {s: sum(1 for f in a.findings if f.severity == s) for s in ("error", "warning", "info")}
        checks = {s: sum(1 for c in a.checks if c.status == s) for s in ("pass", "fail", "uncertain")}
        lines = ["nianbao 审核摘要",
                 f"得分：{_num(a.score) if a.score is not None else '未评分'}",
                 f"问题：错误 {counts['error']} 条，警告 {counts['warning']} 条，提示 {counts['info']} 条",
                 f"表格核验：通过 {checks['pass']} 项，不通过 {checks['fail']} 项，无法判断 {checks['uncertain']} 项"]
        scored = [s for s in a.sections if s.score is not None]
        if scored:
            lines.append("分项得分：" + "；".join(f"{s.title} {_num(s.score)}" for s in scored))
        if self.unplaced:
            lines.append(f"以下 {len(self.unplaced)} 条问题无法定位到具体文字：")
            for f in self.unplaced:
                where = logical_location(f, self.report)
                lines.append(f"· [{f.rule}]{('（' + where + '）') if where else ''} {f.message}"
                             + (f"（建议：{f.suggestion}）" if f.suggestion else ""))
        return "\n".join(lines)


# ---------------------------------------------------------------- helpers


def _match_paragraph(block: Block, direct: list[Any], everywhere: list[Any], texts: dict[int, str],
                     used: set[int]) -> Any:
    """The ``w:p`` the reader's anchor names; if its text differs (or there is no index), the first unused
    paragraph with exactly that text, then one with the same text up to whitespace (the span is then searched)."""
    i = block.anchor.paragraph
    if block.anchor.kind == "docx" and i is not None and 0 <= i < len(direct):
        if texts[id(direct[i])] == block.text:
            used.add(id(direct[i]))
            return direct[i]
    for same in (lambda t: t == block.text, lambda t: _squash(t) == _squash(block.text)):
        for p in everywhere:
            if id(p) not in used and same(texts[id(p)]):
                used.add(id(p))
                return p
    return None


def _grid_lookup(grid: list[list[object]], tcs: dict[object, Any]) -> Any:
    def lookup(r: int, c: int) -> Any:
        if 0 <= r < len(grid) and 0 <= c < len(grid[r]):
            return tcs.get(grid[r][c])
        return None

    return lookup


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _find_in(paras: list[Any], needle: str) -> list[_Piece]:
    if not needle:
        return []
    for p in paras:
        i = paragraph_text(p)[0].find(needle)
        if i >= 0:
            return [_Piece(p, i, i + len(needle))]
    return []


def _units(p: Any) -> list[tuple[Any, int, int]]:
    """Every ``w:r`` of the paragraph with its [start, end) in the paragraph text — the reader's walk exactly."""
    out: list[tuple[Any, int, int]] = []
    pos = 0

    def walk(el: Any) -> None:
        nonlocal pos
        for child in el:
            if not isinstance(child.tag, str) or child.tag in _SKIP_IN_PARAGRAPH:
                continue
            if child.tag == _W + "r":
                n = len(run_text(child))
                out.append((child, pos, pos + n))
                pos += n
            else:
                walk(child)

    walk(p)
    return out


def _splittable(r: Any) -> bool:
    return all(child.tag in _SPLITTABLE_CHILDREN
               or (child.tag == _W + "br" and child.get(_W + "type") in (None, "textWrapping"))
               for child in r)


def _split_at(p: Any, k: int) -> None:
    """Make offset ``k`` a run boundary, if the run containing it can be split without losing content."""
    from docx.text.run import Run

    for r, s, e in _units(p):
        if s < k < e:
            if _splittable(r):
                text = run_text(r)
                new_r = copy.deepcopy(r)  # keeps rPr: the second half is formatted exactly like the first
                r.addnext(new_r)
                Run(r, None).text = text[:k - s]
                Run(new_r, None).text = text[k - s:]
            return


def _runs_covering(p: Any, start: int, end: int) -> list[Any]:
    """python-docx Runs covering [start, end) of the paragraph, splitting runs at both ends when possible."""
    from docx.text.run import Run

    _split_at(p, start)
    _split_at(p, end)
    units = _units(p)
    covering = [r for r, s, e in units if s < end and e > start]
    if not covering and start == end:  # an empty anchor (empty cell): the run at that position
        covering = [r for r, s, e in units if s <= start <= e][:1]
    return [Run(r, None) for r in covering]


def _add_empty_run(p: Any) -> Any:
    from docx.text.run import Run

    return Run(p.add_r(), None)


def _expected_actual(f: Finding, checks: list[Check]) -> tuple[Any, Any]:
    expected, actual = f.evidence.get("expected"), f.evidence.get("actual")
    if expected is None and actual is None:
        for c in checks:
            if c.status == "fail" and (c.rule, c.table, c.row, c.column) == (f.rule, f.table, f.row, f.column):
                return c.expected, c.actual
    return expected, actual


def _num(x: Any) -> str:
    if x is None:
        return "—"
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _clean(text: str | None) -> str:
    """Remove characters XML 1.0 cannot hold (they would make the .docx unreadable)."""
    return _XML_ILLEGAL.sub("", text or "")
