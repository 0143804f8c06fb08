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
from ..fsutil import write_atomic
from ..model import Audit, Block, Check, Finding, GridCell
from .locations import SEVERITY_LABELS, cell_labels, logical_location

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Run children whose text round-trips exactly through python-docx's Run.text setter (so a run can be split).
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SPLITTABLE_CHILDREN = {f"{_W}rPr", f"{_W}t", f"{_W}tab", f"{_W}cr", f"{_W}lastRenderedPageBreak"}


def write_review_copy(audit: Audit, source_path: Path, out_path: Path, *, author: str = "nianbao",
                      initials: str = "NB") -> None:
    if audit.error is not None:
        raise NianbaoError(audit.error.code, audit.error.message)
    if audit.report is None:
        raise ValueError("write_review_copy needs the Audit's report (audit.report is None)")
    source_path, out_path = Path(source_path), Path(out_path)
    if out_path.exists() and source_path.exists() and out_path.resolve() == source_path.resolve():
        raise NianbaoError("output_invalid", f"{out_path}: the review copy would overwrite the input")

    if audit.source_format == "docx":
        annotator = _Annotator.from_docx(audit, source_path)
    else:
        annotator = _Annotator.rebuilt(audit, source_path)
    annotator.annotate(_clean(author) or "nianbao", _clean(initials))
    buf = io.BytesIO()
    annotator.doc.save(buf)
    write_atomic(out_path, buf.getvalue())


# ---------------------------------------------------------------- placing comments


@dataclass
class _Piece:
    """A span inside one python-docx paragraph (local offsets into ``paragraph.text``)."""

    paragraph: Any
    start: int
    end: int


class _Annotator:
    def __init__(self, audit: Audit, doc: Any, paragraphs: dict[int, Any], tables: dict[int, Any], first_para: Any):
        self.audit = audit
        self.report = audit.report
        self.doc = doc
        self.block_paragraph = paragraphs  # block index → docx Paragraph
        self.block_table = tables  # block index → docx Table
        self.first_para = first_para
        self.unplaced: list[Finding] = []

    # -- construction

    @classmethod
    def from_docx(cls, audit: Audit, source: Path) -> "_Annotator":
        import docx
        from docx.table import Table as DocxTable

        try:
            d = docx.Document(str(source))
        except Exception as exc:  # the reader accepted it, so this is unexpected; still a clear error
            raise NianbaoError("corrupt_zip", f"{source}: cannot reopen for the review copy ({exc})") from None
        body_paras, body_tables = [], []
        for item in d.iter_inner_content():
            (body_tables if isinstance(item, DocxTable) else body_paras).append(item)
        paragraphs: dict[int, Any] = {}
        tables: dict[int, Any] = {}
        used: set[int] = set()
        for i, block in enumerate(audit.report.document.blocks):
            if block.kind == "paragraph":
                p = _match_paragraph(block, body_paras, used)
                if p is not None:
                    paragraphs[i] = p
            elif block.anchor.table is not None and block.anchor.table < len(body_tables):
                tables[i] = body_tables[block.anchor.table]
        first = next((p for p in body_paras if p.text.strip()), body_paras[0] if body_paras else d.add_paragraph())
        return cls(audit, d, paragraphs, tables, first)

    @classmethod
    def rebuilt(cls, audit: Audit, source: Path) -> "_Annotator":
        import docx

        d = docx.Document()
        kind = {"text": "文本", "html": "网页", "pdf": "PDF"}.get(audit.source_format or "", audit.source_format or "")
        note = d.add_paragraph()
        note.add_run(_clean(f"（本文件由 nianbao 根据{kind}文件 {source.name} 恢复的文字和表格生成，批注为审核意见。）"))
        paragraphs: dict[int, Any] = {}
        tables: dict[int, Any] = {}
        for i, block in enumerate(audit.report.document.blocks):
            if block.kind == "paragraph":
                p = d.add_paragraph()
                if block.text:
                    p.add_run(_clean(block.text))
                paragraphs[i] = p
            elif block.rows:
                n_rows, n_cols = len(block.rows), max(len(r) for r in block.rows)
                t = d.add_table(rows=n_rows, cols=n_cols)
                t.style = "Table Grid"
                seen: set[int] = set()
                for r, row in enumerate(block.rows):
                    for c, cell in enumerate(row):
                        if id(cell) in seen:  # a merged cell repeats across the merge: write it once
                            continue
                        seen.add(id(cell))
                        t.cell(r, c).text = _clean(cell.text)
                tables[i] = t
            else:  # a table block without a grid: keep its text as a paragraph
                p = d.add_paragraph()
                p.add_run(_clean(block.text))
                paragraphs[i] = p
        return cls(audit, d, paragraphs, tables, note)

    # -- annotation

    def annotate(self, author: str, initials: str) -> None:
        for f in self.audit.findings:
            pieces = self._locate(f)
            runs = self._runs_for(pieces) if pieces else None
            if not runs:
                self.unplaced.append(f)
                continue
            self.doc.add_comment(runs, text=_clean(self._comment_text(f)), author=author, initials=initials)
        summary_runs = self.first_para.runs or [self.first_para.add_run("")]
        self.doc.add_comment(summary_runs, text=_clean(self._summary_text()), author=author, initials=initials)

    def _locate(self, f: Finding) -> list[_Piece]:
        if f.table:
            pieces = self._locate_cell(f)
            if pieces:
                return pieces
        if f.start is not None and f.end is not None:
            start, end = f.start, max(f.end, f.start + 1)  # an empty span marks the character after it
            return self._locate_span(start, end)
        if f.section and self.report is not None:
            sec = self.report.section(f.section)
            if sec is not None:
                span = sec.heading or sec.body or None
                s, e = (span.start, span.end) if span else (sec.start, min(sec.end, sec.start + 1))
                return self._locate_span(s, max(e, s + 1))
        return []

    def _locate_cell(self, f: Finding) -> list[_Piece]:
        table = self.report.tables.get(f.table) if self.report else None
        cell = table.cells.get(f.row or "", {}).get(f.column or "") if table else None
        if cell is None:
            return []
        grid = self._grid_cell_at(cell.start) if cell.start is not None else None
        if grid is not None:
            return self._cell_pieces(*grid, whole=True)
        if cell.start is not None and cell.end is not None:
            return self._locate_span(cell.start, max(cell.end, cell.start + 1))
        return []

    def _grid_cell_at(self, offset: int) -> tuple[int, int, int, GridCell] | None:
        for bi, block in enumerate(self.report.document.blocks):
            if block.kind == "table" and block.rows and block.start <= offset <= block.end:
                for r, row in enumerate(block.rows):
                    for c, cell in enumerate(row):
                        if cell.start <= offset < max(cell.end, cell.start + 1):
                            return bi, r, c, cell
        return None

    def _docx_cell(self, bi: int, r: int, c: int, cell: GridCell) -> Any:
        table = self.block_table.get(bi)
        if table is None:
            return None
        if self.audit.source_format == "docx" and cell.anchor.row is not None and cell.anchor.col is not None:
            r, c = cell.anchor.row, cell.anchor.col
        try:
            return table.cell(r, c)
        except IndexError:
            return None

    def _cell_pieces(self, bi: int, r: int, c: int, cell: GridCell, whole: bool = False,
                     start: int = 0, end: int = 0) -> list[_Piece]:
        dcell = self._docx_cell(bi, r, c, cell)
        if dcell is None:
            return []
        paras = dcell.paragraphs
        if whole or "\n".join(p.text for p in paras) != cell.text:
            if not whole:  # text differs from the reader's: find the flagged text inside the cell, else whole cell
                found = _find_in_paragraphs(paras, cell.text[start:end])
                if found:
                    return found
            pieces = [_Piece(p, 0, len(p.text)) for p in paras if p.text]
            if not pieces:  # an empty cell still gets a comment: anchor on an empty run
                paras[0].add_run("")
                pieces = [_Piece(paras[0], 0, 0)]
            return pieces
        out, pos = [], 0
        for p in paras:
            ps, pe = pos, pos + len(p.text)
            s, e = max(start, ps), min(end, pe)
            if s < e:
                out.append(_Piece(p, s - ps, e - ps))
            pos = pe + 1
        return out

    def _locate_span(self, start: int, end: int) -> list[_Piece]:
        pieces: list[_Piece] = []
        text = self.report.document.text
        for bi, block in enumerate(self.report.document.blocks):
            if block.end <= start or block.start >= end:
                if not (block.start == block.end == start):
                    continue
            if block.kind == "paragraph":
                p = self.block_paragraph.get(bi)
                if p is None:
                    continue
                ls, le = max(start, block.start) - block.start, min(end, block.end) - block.start
                if p.text == block.text:
                    pieces.append(_Piece(p, ls, max(le, ls)))
                else:
                    found = _find_in_paragraphs([p], text[max(start, block.start):min(end, block.end)])
                    pieces.extend(found or [_Piece(p, 0, len(p.text))])
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
        first = _runs_covering(pieces[0].paragraph, pieces[0].start, pieces[0].end)
        last = first if len(pieces) == 1 else _runs_covering(pieces[-1].paragraph, pieces[-1].start, pieces[-1].end)
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


def _match_paragraph(block: Block, body_paras: list[Any], used: set[int]) -> Any:
    """The body paragraph the reader's anchor names; if its text differs, the nearest unused one with that text."""
    i = block.anchor.paragraph
    if block.anchor.kind == "docx" and i is not None and 0 <= i < len(body_paras):
        if _same(body_paras[i].text, block.text):
            used.add(i)
            return body_paras[i]
    candidates = [j for j, p in enumerate(body_paras) if j not in used and _same(p.text, block.text)]
    if not candidates:
        return body_paras[i] if (i is not None and 0 <= i < len(body_paras)) else None
    j = min(candidates, key=lambda j: abs(j - (i or 0)))
    used.add(j)
    return body_paras[j]


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def _find_in_paragraphs(paras: list[Any], needle: str) -> list[_Piece]:
    if not needle:
        return []
    for p in paras:
        i = p.text.find(needle)
        if i >= 0:
            return [_Piece(p, i, i + len(needle))]
    return []


def _units(paragraph: Any) -> list[tuple[Any, int, int, bool]]:
    """(run, start, end, splittable) for every run of the paragraph in order, hyperlink runs included."""
    from docx.text.hyperlink import Hyperlink
    from docx.text.run import Run

    out, pos = [], 0
    for item in paragraph.iter_inner_content():
        runs = [(item, True)] if isinstance(item, Run) else [(r, False) for r in item.runs] if isinstance(
            item, Hyperlink) else []
        for run, direct in runs:
            n = len(run.text)
            splittable = direct and all(
                child.tag in _SPLITTABLE_CHILDREN or (child.tag == f"{_W}br" and child.get(f"{_W}type") in (None, "textWrapping"))
                for child in run._r)
            out.append((run, pos, pos + n, splittable))
            pos += n
    return out


def _split_at(paragraph: Any, k: int) -> None:
    """Make ``k`` a run boundary, if the run containing it can be split without losing content."""
    for run, s, e, splittable in _units(paragraph):
        if s < k < e:
            if splittable:
                text = run.text
                new_r = copy.deepcopy(run._r)  # keeps rPr: the second half looks exactly like the first
                run._r.addnext(new_r)
                run.text = text[:k - s]
                from docx.text.run import Run

                Run(new_r, run._parent).text = text[k - s:]
            return


def _runs_covering(paragraph: Any, start: int, end: int) -> list[Any]:
    _split_at(paragraph, start)
    _split_at(paragraph, end)
    units = _units(paragraph)
    covering = [r for r, s, e, _ in units if s < end and e > start]
    if not covering and start == end:  # an empty anchor (empty cell): use the run at that position
        covering = [r for r, s, e, _ in units if s <= start <= e][:1]
    return covering


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
