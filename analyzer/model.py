"""Typed models passed between the stages: read → structure → check → score → render.

Each stage takes the previous stage's model and returns its own; no stage reaches back.

- ``Document`` (reader output): ordered blocks with anchors into the source, and one canonical ``text``.
  All character offsets anywhere in nianbao (``start``/``end``) are offsets into ``Document.text``,
  which is exactly what ``nianbao text`` prints.
- ``Report`` (structure output): metadata, sections and typed tables.
- ``Finding`` / ``Check`` (check output).
- ``Audit`` (score output): everything a renderer needs; renderers compute nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = "1.0"

Category = Literal[
    "typo", "punctuation", "table", "consistency", "structure", "boilerplate", "completeness", "copy", "format"
]
Severity = Literal["error", "warning", "info"]
CheckStatus = Literal["pass", "fail", "uncertain", "not_assessable"]
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}

SECTION_IDS = (
    "preamble", "overview", "proactive", "requests", "review_litigation", "problems", "other", "closing", "extra",
)
# The six sections the national format mandates, in order, with their numeral.
MANDATED_SECTIONS = ("overview", "proactive", "requests", "review_litigation", "problems", "other")


# ---------------------------------------------------------------- read


@dataclass(frozen=True)
class Anchor:
    """Where a block or cell came from in the source file (for review copies and messages)."""

    kind: str  # "docx" | "text" | "html" | "pdf"
    paragraph: int | None = None  # docx: index among body paragraphs; text: line number (0-based)
    table: int | None = None  # index of the table in the source
    row: int | None = None
    col: int | None = None
    page: int | None = None  # pdf page (1-based)
    run_offsets: tuple[int, ...] | None = None  # docx: start offset of each run inside the paragraph text


@dataclass
class GridCell:
    text: str
    start: int  # offset into Document.text
    end: int
    anchor: Anchor
    row_span: int = 1
    col_span: int = 1


@dataclass
class Block:
    """A paragraph (``kind='paragraph'``) or a table grid (``kind='table'``) in document order.

    For a table, ``rows`` is a rectangular grid with merged cells expanded (the same ``GridCell`` object repeats
    across the merge) and ``text`` is its rendering in ``Document.text`` (cells joined by tabs, rows by newlines).
    """

    kind: Literal["paragraph", "table"]
    text: str
    start: int
    end: int
    anchor: Anchor
    rows: list[list[GridCell]] | None = None


@dataclass
class Document:
    path: str
    source_format: str  # "docx" | "text" | "html" | "pdf"
    text: str
    blocks: list[Block]
    metadata: dict[str, Any] = field(default_factory=dict)  # encoding, title, published, page_count …


# ---------------------------------------------------------------- structure


@dataclass
class Span:
    start: int
    end: int


@dataclass
class Section:
    id: str  # one of SECTION_IDS
    title: str  # heading as written ('' for preamble/closing)
    number: str | None  # the numeral as written, e.g. "一", "1", None
    start: int  # heading start (or body start when there is no heading)
    end: int
    heading: Span | None = None
    body: Span | None = None
    paragraphs: list[Span] = field(default_factory=list)
    subsections: list["Subsection"] = field(default_factory=list)
    order: int = 0  # position in the document


@dataclass
class Subsection:
    title: str
    kind: str  # e.g. "problems" / "improvements" in section 五; aspect hint or "" elsewhere
    start: int
    end: int


@dataclass
class TableCell:
    raw: str  # as written (after splitting run-together digits, the digits assigned to this cell)
    value: float | None  # parsed number; None when blank/dash/unreadable
    kind: Literal["number", "blank", "dash", "none_word", "text", "missing"]
    start: int | None = None
    end: int | None = None
    anchor: Anchor | None = None
    assumed: bool = False  # value comes from an ambiguous split chosen to satisfy an identity


@dataclass
class Table:
    id: Literal["二", "三", "四"]
    layout: str | None  # "2021" | "2019" | None (unknown)
    source: str  # "grid" | "lines" | "pipe" | "layout" | "spaced" | "runtogether" | …
    status: Literal["ok", "uncertain", "absent"]
    cells: dict[str, dict[str, TableCell]] = field(default_factory=dict)  # row key → column key → cell
    row_labels: dict[str, str] = field(default_factory=dict)  # row key → label as written
    column_labels: dict[str, str] = field(default_factory=dict)
    start: int | None = None
    end: int | None = None
    notes: list[str] = field(default_factory=list)
    # row key → column keys in printed order (the template's columns for the layout the row was read with)
    columns: dict[str, list[str]] = field(default_factory=dict)
    # row key → every possible reading of a row whose run-together digits split several ways (values in
    # ``columns[row]`` order); identities over such rows are evaluated on all readings (see tables/identity.py)
    row_candidates: dict[str, list[tuple[float | None, ...]]] = field(default_factory=dict)
    anchor: str | None = None  # the text that located the table (e.g. the 勾稽关系 header cell)

    def value(self, row: str, col: str) -> float | None:
        cell = self.cells.get(row, {}).get(col)
        return None if cell is None else cell.value


@dataclass
class Report:
    document: Document
    title: str | None
    unit: str | None
    level: str | None  # township, county, county_dept, city, city_dept, province, province_dept, or None
    year: int | None
    published: str | None  # ISO date when the source gives one
    format_version: str | None  # "2021" | "2019" | None
    sections: list[Section]
    tables: dict[str, Table] = field(default_factory=dict)
    is_excerpt: bool = False
    notes: list[str] = field(default_factory=list)
    signed: str | None = None  # ISO date of the sign-off, when the report has one
    # sections found out of order / more than once: {"misplaced": [section ids], "duplicates": [(id, offset)]}
    structure_issues: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.document.text

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def section_text(self, section_id: str) -> str:
        sec = self.section(section_id)
        return "" if sec is None else self.text[sec.start:sec.end]

    def section_at(self, offset: int) -> Section | None:
        for sec in self.sections:
            if sec.start <= offset < sec.end:
                return sec
        return None


# ---------------------------------------------------------------- check


def _norm_for_fingerprint(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class Finding:
    rule: str
    category: Category
    severity: Severity
    message: str
    section: str | None = None  # section id
    text: str | None = None  # the flagged span exactly as in Document.text
    start: int | None = None
    end: int | None = None
    suggestion: str | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    fingerprint: str = ""
    paragraph: int | None = None  # paragraph index within the section (1-based), when known
    evidence: dict[str, Any] = field(default_factory=dict)

    def compute_fingerprint(self, doc_text: str) -> str:
        """Stable when surrounding text reflows: rule + span text + a little whitespace-free context."""
        ctx = ""
        if self.start is not None and self.end is not None:
            before = _norm_for_fingerprint(doc_text[max(0, self.start - 12):self.start])[-6:]
            after = _norm_for_fingerprint(doc_text[self.end:self.end + 12])[:6]
            ctx = before + "|" + after
        key = "\x1f".join(
            str(x) for x in (self.rule, self.section, self.table, self.row, self.column,
                             _norm_for_fingerprint(self.text or ""), ctx)
        )
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@dataclass
class Check:
    rule: str
    status: CheckStatus
    table: str | None = None
    row: str | None = None
    column: str | None = None
    expected: float | None = None
    actual: float | None = None
    message: str = ""


# ---------------------------------------------------------------- score / audit


@dataclass
class SectionResult:
    id: str
    title: str
    present: bool
    score: float | None = None


@dataclass
class AuditError:
    code: str  # stable string code, e.g. "legacy_doc", "encrypted", "zip_bomb"
    message: str


@dataclass
class Audit:
    file: str
    schema_version: str = SCHEMA_VERSION
    format_version: str | None = None
    unit: str | None = None
    level: str | None = None
    year: int | None = None
    published: str | None = None
    title: str | None = None
    score: float | None = None
    sections: list[SectionResult] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: AuditError | None = None
    source_format: str | None = None
    is_excerpt: bool = False
    score_breakdown: dict[str, Any] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)  # e.g. copy ratios, specificity per section
    report: Report | None = field(default=None, repr=False)  # kept for renderers that need the text; not in JSON

    def to_dict(self) -> dict[str, Any]:
        report = self.report
        self.report = None
        try:
            data = asdict(self)
        finally:
            self.report = report
        data.pop("report", None)
        return data
