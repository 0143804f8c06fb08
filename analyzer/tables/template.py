"""The table template (``lexicons/table_template.json``) as typed objects, plus compiled label patterns.

Both the extractor and the checks read the template, so a label variant added to the JSON file is picked up
everywhere. Keywords match with optional whitespace or ``|`` between characters, because PDF layout text and
markdown conversions break labels anywhere ("三 、本 年 度办 理 结果", "（三）不 | 予公开").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..resources import load_json_lexicon

TEMPLATE_FILE = "table_template.json"
_GAP = r"[\s|\u3000]*"  # what may appear between two characters of a label


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    signed: bool = False  # 本年增/减 may be negative
    decimal: bool = False  # amounts (万元) may have decimals


@dataclass
class RowSpec:
    key: str
    label: str
    patterns: list[re.Pattern]
    number: int | None = None  # printed item number of a sub-item (1. 2. …)
    parent: str | None = None
    group: bool = False  # （三）…（六）: its own numbers are optional (group total)
    header: bool = False  # 三、本年度办理结果: never has numbers
    layouts: tuple[str, ...] = ("2021", "2019")
    leaf_in: tuple[str, ...] = ()  # layouts in which a group row is itself a leaf (2019 （六）其他处理)
    columns: dict[str, str] = field(default_factory=dict)  # 表二: layout → column-set name
    item: str = ""  # 表二: 第二十条第（N）项


def keyword_regex(keyword: str, number: int | None = None, is_regex: bool = False) -> re.Pattern:
    """Compile a label keyword so it tolerates spaces/bars/newlines between characters.

    With ``number``, an optional printed item number ("2." "2、" "2．") in front is part of the match, so the
    digits of a run-together row never swallow the next row's item number (``00000002.其他法律…``).
    """
    if is_regex:
        # split off a trailing lookahead so the gap-joining applies to the literal part only
        m = re.match(r"^(.*?)(\(\?[!=].*\))?$", keyword)
        literal, tail = (m.group(1), m.group(2) or "") if m else (keyword, "")
    else:
        literal, tail = keyword, ""
    body = _GAP.join(re.escape(ch) for ch in literal if not ch.isspace()) + tail
    if number is not None:
        # the printed number may be followed by a few label characters before the keyword ("5.属于三类…")
        body = rf"(?:{number}{_GAP}[.．、]{_GAP}(?:[^\d\s|.．、]{_GAP}){{0,12}}?)?" + body
    return re.compile(body)


@lru_cache(maxsize=None)
def template() -> dict:
    return load_json_lexicon(TEMPLATE_FILE)


def _row_specs(table_id: str) -> list[RowSpec]:
    out = []
    for r in template()[f"table_{table_id}"]["rows"]:
        regex = bool(r.get("regex"))
        pats = [keyword_regex(k, r.get("number"), regex) for k in r["match"]]
        out.append(RowSpec(
            key=r["key"], label=r["label"], patterns=pats, number=r.get("number"), parent=r.get("parent"),
            group=bool(r.get("group")), header=bool(r.get("header")),
            layouts=tuple(r.get("layouts", ("2021", "2019"))), leaf_in=tuple(r.get("leaf_in", ())),
            columns=dict(r.get("columns", {})), item=r.get("item", ""),
        ))
    return out


@lru_cache(maxsize=None)
def rows(table_id: str) -> tuple[RowSpec, ...]:
    return tuple(_row_specs(table_id))


def row_spec(table_id: str, key: str) -> RowSpec | None:
    return next((r for r in rows(table_id) if r.key == key), None)


@lru_cache(maxsize=None)
def columns_三() -> tuple[Column, ...]:
    return tuple(Column(c["key"], c["label"]) for c in template()["table_三"]["columns"])


@lru_cache(maxsize=None)
def column_set_二(name: str) -> tuple[Column, ...]:
    return tuple(Column(c["key"], c["label"], bool(c.get("signed")), bool(c.get("decimal")))
                 for c in template()["table_二"]["column_sets"][name])


@lru_cache(maxsize=None)
def columns_四() -> tuple[Column, ...]:
    return tuple(Column(c["key"], c["label"]) for c in template()["table_四"]["group_columns"])


@lru_cache(maxsize=None)
def groups_四() -> tuple[Column, ...]:
    return tuple(Column(c["key"], c["label"]) for c in template()["table_四"]["groups"])


def leaf_rows_三(layout: str | None, present: set[str] | None = None) -> list[str]:
    """Lowest-level result rows summed into （七）总计 for a layout.

    A group whose sub-items are absent but which has its own numbers counts as a leaf (the 2019 （六）其他处理, and
    2021 reports that still print （六） as one row).
    """
    present = present or set()
    out = []
    result_keys = [r for r in rows("三") if r.key not in ("new", "carried_over", "results", "total", "carry_forward")]
    for r in result_keys:
        if r.group:
            subs = [s for s in result_keys if s.parent == r.key]
            if layout in r.leaf_in or (subs and not any(s.key in present for s in subs) and r.key in present):
                out.append(r.key)
            continue
        if r.parent:
            parent = row_spec("三", r.parent)
            if parent and (layout in parent.leaf_in or parent.key in out):
                continue
            if layout is not None and layout not in r.layouts:
                continue
        out.append(r.key)
    return out


def label(table_id: str, row: str | None = None, column: str | None = None) -> tuple[str | None, str | None]:
    """Canonical Chinese labels for a row key / column key (for Finding.row / Finding.column)."""
    row_label = col_label = None
    if table_id == "四":
        if row:
            row_label = next((g.label for g in groups_四() if g.key == row), row)
        if column:
            col_label = next((c.label for c in columns_四() if c.key == column), column)
        return row_label, col_label
    if row:
        spec = row_spec(table_id, row)
        row_label = spec.label if spec else row
    if column:
        if table_id == "三":
            col_label = next((c.label for c in columns_三() if c.key == column), column)
        else:
            for name in template()["table_二"]["column_sets"]:
                hit = next((c.label for c in column_set_二(name) if c.key == column), None)
                if hit:
                    col_label = hit
                    break
            col_label = col_label or column
    return row_label, col_label
