"""Human-readable locations shared by the SARIF, HTML and review-copy renderers.

A finding is located either in the text (section + paragraph, e.g. ``§五/p3``) or in a table cell
(``表三/（七）总计/自然人``, with the row and column labels as written in the report when the table has them).
"""

from __future__ import annotations

from ..model import Finding, Report, Table
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

LEVEL_LABELS = {
    "township": "乡镇（街道）",
    "county": "县级政府",
    "county_dept": "县级部门",
    "city": "市级政府",
    "city_dept": "市级部门",
    "province": "省级政府",
    "province_dept": "省级部门",
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
    """Row and column labels of a table finding: the template's canonical labels (stable across reports, e.g.
    （七）总计 / 自然人), else the labels as written in the report, else the keys."""
    return table_labels(finding.table, finding.row, finding.column, report)


def table_labels(table_id: str | None, row: str | None, column: str | None,
                 report: Report | None = None) -> tuple[str | None, str | None]:
    row_label, col_label = row, column
    table = report.tables.get(table_id) if (report is not None and table_id) else None
    if table is not None:
        row_label = table.row_labels.get(row, row) if row is not None else None
        col_label = table.column_labels.get(column, column) if column is not None else None
    if table_id:
        from ..tables.template import label

        canon_row, canon_col = label(table_id, row, column)
        row_label = canon_row if canon_row and canon_row != row else row_label
        col_label = canon_col if canon_col and canon_col != column else col_label
    return row_label, col_label


def cell_keys(table: Table, row: str | None, column: str | None) -> tuple[str | None, str | None]:
    """The table's own row/column keys for a finding or check, which may name them by key, by canonical label
    (（七）总计, 自然人) or by the label as written."""
    from ..tables.template import label

    def resolve(value: str | None, keys: list[str], written: dict[str, str], is_row: bool) -> str | None:
        if value is None or value in keys:
            return value
        for k in keys:
            canon = label(table.id, k, None)[0] if is_row else label(table.id, None, k)[1]
            if value in (written.get(k), canon):
                return k
        return None

    row_keys = list(dict.fromkeys([*table.row_labels, *table.cells]))
    col_keys = list(dict.fromkeys(c for cells in table.cells.values() for c in cells))
    return (resolve(row, row_keys, table.row_labels, True), resolve(column, col_keys, table.column_labels, False))


def column_order(table_id: str) -> list[str]:
    """Column keys in the order of the national format (table 二 lists every layout's columns)."""
    from ..tables.template import column_set_二, columns_三, columns_四, template

    if table_id == "三":
        return [c.key for c in columns_三()]
    if table_id == "四":
        return [c.key for c in columns_四()]
    keys: list[str] = []
    for name in template()["table_二"]["column_sets"]:
        keys += [c.key for c in column_set_二(name) if c.key not in keys]
    return keys


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
    except Exception:  # a broken rule module fails loudly in the pipeline; a renderer still shows what it has
        pass
    return RULES


def rule_for(rule_id: str, category: str = "", severity: str = "warning") -> Rule:
    """The registered rule, or a minimal stand-in so an unknown id still renders."""
    return RULES.get(rule_id) or Rule(id=rule_id, title=rule_id, category=category, severity=severity, rationale="")
