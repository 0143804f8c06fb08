"""Human-readable locations shared by the SARIF, HTML and review-copy renderers.

A finding is located either in the text (section + paragraph, e.g. ``§五/p3``) or in a table cell
(``表三/（七）总计/自然人``, with the row and column labels as written in the report when the table has them).
"""

from __future__ import annotations

from ..model import Finding, Report
from ..rules import RULES, Rule, load_all_rules

# Section id → the label a reviewer uses for it.
SECTION_LABELS = {
    "preamble": "前言",
    "overview": "一",
    "proactive": "二",
    "requests": "三",
    "review_litigation": "四",
    "problems": "五",
    "other": "六",
    "closing": "落款",
    "extra": "其他",
}

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
CATEGORY_LABELS = {
    "typo": "错别字",
    "punctuation": "标点",
    "table": "表格",
    "consistency": "前后一致",
    "structure": "结构",
    "boilerplate": "套话",
    "completeness": "完整性",
    "copy": "雷同",
    "format": "格式",
}


def section_label(section_id: str | None) -> str | None:
    if section_id is None:
        return None
    return SECTION_LABELS.get(section_id, section_id)


def cell_labels(finding: Finding, report: Report | None) -> tuple[str | None, str | None]:
    """Row and column labels as written in the report (fall back to the template keys)."""
    row, col = finding.row, finding.column
    table = report.tables.get(finding.table) if (report is not None and finding.table) else None
    if table is not None:
        row = table.row_labels.get(row, row) if row is not None else None
        col = table.column_labels.get(col, col) if col is not None else None
    return row, col


def logical_location(finding: Finding, report: Report | None = None) -> str | None:
    """``表三/（七）总计/自然人`` for a table finding, ``§五/p3`` for a text finding, None when unlocated."""
    if finding.table:
        row, col = cell_labels(finding, report)
        return "/".join(p for p in (f"表{finding.table}", row, col) if p)
    sec = section_label(finding.section)
    if sec is None:
        return None
    return f"§{sec}" + (f"/p{finding.paragraph}" if finding.paragraph else "")


def rule_catalog() -> dict[str, Rule]:
    """The rule registry, loaded if the rule modules are importable (renderers must work without them)."""
    try:
        load_all_rules()
    except ImportError:
        pass
    return RULES


def rule_for(rule_id: str, category: str = "", severity: str = "warning") -> Rule:
    """The registered rule, or a minimal stand-in so an unknown id still renders."""
    return RULES.get(rule_id) or Rule(id=rule_id, title=rule_id, category=category, severity=severity, rationale="")
