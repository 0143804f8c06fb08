"""Evaluate one arithmetic identity (sum of parts = printed total) on a Table, honestly.

- a cell we could not read (row missing, blank, dash, unreadable) → ``uncertain``;
- cells from run-together digits with several readings → the identity is evaluated on *every* reading: ``fail``
  only when it fails on all of them (the error does not depend on our split), otherwise ``uncertain`` —
  never ``pass`` on an assumed split;
- otherwise exact ``pass`` / ``fail``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Table, TableCell
from .assemble import combos
from .template import label

# reviewer-facing words for a cell that is not a number
KIND_WORDS = {"blank": "空白", "dash": "横线", "none_word": "“无”", "text": "文字", "missing": "缺失"}

TOL = 1e-6

Term = tuple[str, str]  # (row key, column key)


@dataclass
class Outcome:
    status: str  # pass | fail | uncertain | not_assessable
    expected: float | None = None  # sum of the parts
    actual: float | None = None  # the printed total (sum of the total side)
    reason: str = ""
    values: dict[Term, float | None] = field(default_factory=dict)
    total_cell: TableCell | None = None


def _cell(table: Table, term: Term) -> TableCell | None:
    return table.cells.get(term[0], {}).get(term[1])


def evaluate(table: Table, parts: list[Term], totals: list[Term]) -> Outcome:
    if table.status == "absent":
        return Outcome("not_assessable", reason="表格缺失")
    terms = parts + totals
    total_cell = _cell(table, totals[0]) if totals else None
    values: dict[Term, float | None] = {}
    for t in terms:
        c = _cell(table, t)
        if c is None or c.kind == "missing":
            return Outcome("uncertain", reason=f"未读到「{label(table.id, t[0])[0]}」行", total_cell=total_cell)
        if c.kind != "number":
            row_label, col_label = label(table.id, t[0], t[1])
            return Outcome("uncertain", reason=f"「{row_label}」「{col_label}」不是数字（{KIND_WORDS.get(c.kind, c.kind)}）",
                           total_cell=total_cell)
        values[t] = c.value
    ambiguous_rows = sorted({t[0] for t in terms if t[0] in table.row_candidates})
    if not ambiguous_rows:
        if any(v is None for v in values.values()):
            return Outcome("uncertain", reason="有单元格未能读取", values=values, total_cell=total_cell)
        exp = sum(values[t] for t in parts)  # type: ignore[misc]
        act = sum(values[t] for t in totals)  # type: ignore[misc]
        status = "pass" if abs(exp - act) < TOL else "fail"
        return Outcome(status, exp, act, values=values, total_cell=total_cell)
    # several readings: evaluate on every combination of the ambiguous rows' readings
    if any(not table.row_candidates[r] for r in ambiguous_rows):
        return Outcome("uncertain", reason="连写数字无法拆分", values=values,
                       total_cell=total_cell)
    it = combos([table.row_candidates[r] for r in ambiguous_rows])
    if it is None:
        return Outcome("uncertain", reason="连写数字的拆分方式过多", values=values, total_cell=total_cell)
    col_index = {r: {c: i for i, c in enumerate(table.columns.get(r, []))} for r in ambiguous_rows}
    any_pass = False
    first: tuple[float, float] | None = None
    for combo in it:
        reading = dict(zip(ambiguous_rows, combo))

        def val(t: Term) -> float | None:
            if t[0] in reading:
                return reading[t[0]][col_index[t[0]][t[1]]]
            return values[t]

        vals = [val(t) for t in terms]
        if any(v is None for v in vals):
            return Outcome("uncertain", reason="有单元格未能读取", values=values, total_cell=total_cell)
        exp = sum(val(t) for t in parts)  # type: ignore[misc]
        act = sum(val(t) for t in totals)  # type: ignore[misc]
        if first is None:
            first = (exp, act)
        if abs(exp - act) < TOL:
            any_pass = True
            break
    if any_pass:
        return Outcome("uncertain", reason="连写数字仅在部分拆分方式下相符，无法判定",
                       values=values, total_cell=total_cell)
    # fails on every reading: report the chosen reading's numbers where we have them
    exp = _sum_known(values, parts)
    act = _sum_known(values, totals)
    if exp is None or act is None:
        exp, act = first if first else (None, None)
    return Outcome("fail", exp, act, reason="连写数字在每一种拆分方式下都不相符", values=values,
                   total_cell=total_cell)


def _sum_known(values: dict[Term, float | None], terms: list[Term]) -> float | None:
    vs = [values.get(t) for t in terms]
    if any(v is None for v in vs):
        return None
    return float(sum(vs))  # type: ignore[arg-type]


def fmt(v: float | None) -> str:
    if v is None:
        return "?"
    return str(int(v)) if abs(v - round(v)) < TOL else f"{v:g}"
