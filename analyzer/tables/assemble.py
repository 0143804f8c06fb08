"""Turn located rows (``RowHit``) into a typed ``Table``: split tokens into cells, resolve run-together digits,
set ``status`` and ``layout``."""

from __future__ import annotations

import re
from itertools import product

from ..model import Table, TableCell
from .cells import SplitCell, split_row
from .template import columns_四, groups_四, leaf_rows_三, rows
from .text_form import Located, RowHit

TOL = 1e-6
# the problem note ``assemble`` writes for a row with fewer digits than cells ("label: 'raw' cannot be read as …")
_SHORT_ROW = re.compile(r"^([^:]*): '(.*)' cannot be read as \d+ cells \(too few digits\)$")


def short_row(note: str) -> tuple[str, str] | None:
    """(row label, the row's raw text) when ``note`` says a row had too few digits for its cells (TBL-105), else
    None. Parsed here, next to where the note is written, so the wording has one owner."""
    m = _SHORT_ROW.match(note)
    return (m.group(1), m.group(2)) if m else None


def _row_ok_三(values: tuple) -> bool:
    if any(v is None for v in values):
        return False
    return abs(sum(values[:6]) - values[6]) < TOL


def _row_ok_四(values: tuple) -> bool:
    if any(v is None for v in values):
        return False
    return all(abs(sum(values[i:i + 4]) - values[i + 4]) < TOL for i in range(0, 15, 5))


def _cells_from_candidates(cands: list[list[SplitCell]], prefer) -> tuple[list[TableCell], list[str]]:
    """Cells for one row: certain where every reading agrees, else taken from the preferred reading (assumed)."""
    notes: list[str] = []
    n = len(cands[0])
    good = [c for c in cands if prefer is not None and prefer(tuple(x.value for x in c))]
    pool = good if good else cands
    out: list[TableCell] = []
    for i in range(n):
        all_vals = {c[i].value for c in cands}
        pool_vals = {c[i].value for c in pool}
        ref = pool[0][i]
        if len(all_vals) == 1:
            out.append(TableCell(ref.raw, ref.value, ref.kind, ref.start, ref.end))  # type: ignore[arg-type]
        elif len(pool_vals) == 1:
            out.append(TableCell(ref.raw, ref.value, ref.kind, ref.start, ref.end, assumed=True))  # type: ignore[arg-type]
        else:
            out.append(TableCell(ref.raw, None, "number", ref.start, ref.end, assumed=True))
    if len(cands) > 1:
        notes.append(f"{len(cands)} readings of run-together digits"
                     + (f", {len(good)} satisfy the row total" if prefer is not None else ""))
    return out, notes


def _row_cells(hit: RowHit, n: int, prefer) -> tuple[list[TableCell] | None, list[tuple] | None, str | None]:
    """(cells, candidate value tuples or None, problem) for one row hit."""
    if hit.cells_override is not None:
        cells = hit.cells_override
        if len(cells) != n:
            return None, None, f"{len(cells)} cells instead of {n}"
        return cells, None, None
    if hit.tokens is None:
        if hit.truncated:
            return None, None, "truncated"
        return [TableCell("", None, "blank", hit.label_end, hit.label_end) for _ in range(n)], None, None
    cands = split_row(hit.tokens, n)
    if cands is None:
        return [TableCell("".join(t.raw for t in hit.tokens), None, "number", hit.tokens[0].start,
                          hit.tokens[-1].end, assumed=True) for _ in range(n)], [], "too many readings"
    if not cands:
        raw = " ".join(t.raw for t in hit.tokens)
        count = sum(len(t.raw.lstrip("-－")) if t.digits_only else 1 for t in hit.tokens)
        why = f"'{raw}' cannot be read as {n} cells" + (" (too few digits)" if count < n else "")
        if hit.truncated:
            why = "truncated"
        return None, None, why
    cells, _ = _cells_from_candidates(cands, prefer)
    values = [tuple(x.value for x in c) for c in cands]
    return cells, (values if len(cands) > 1 else None), None


def assemble(loc: Located, layout_hint: str | None = None) -> Table:
    if loc.table_id == "四":
        return _assemble_四(loc)
    table = Table(id=loc.table_id, layout=loc.layout, source=loc.source, status="ok",  # type: ignore[arg-type]
                  start=loc.start, end=loc.end, anchor=loc.anchor)
    table.notes.extend(loc.notes)
    prefer = _row_ok_三 if loc.table_id == "三" else None
    problems: list[str] = []
    any_values = False
    truncated = False
    for hit in loc.hits:
        n = len(hit.columns)
        cells, cands, problem = _row_cells(hit, n, prefer)
        spec = next((r for r in rows(loc.table_id) if r.key == hit.key), None)
        label = spec.label if spec else hit.key
        if problem == "truncated":
            truncated = True
            continue
        if problem:
            problems.append(f"{label}: {problem}")
            table.row_labels[hit.key] = label
            table.columns[hit.key] = [c.key for c in hit.columns]
            table.cells[hit.key] = {c.key: TableCell("", None, "missing", hit.label_start, hit.label_end)
                                    for c in hit.columns}
            table.row_candidates[hit.key] = []
            continue
        if cells is None:
            continue
        if hit.tokens is None and hit.cells_override is None and spec is not None and spec.group:
            continue  # a group label without numbers: nothing to record
        table.row_labels[hit.key] = label
        table.columns[hit.key] = [c.key for c in hit.columns]
        table.column_labels.update({c.key: c.label for c in hit.columns})
        table.cells[hit.key] = {c.key: cell for c, cell in zip(hit.columns, cells)}
        if any(c.kind == "number" for c in cells):
            any_values = True
        if cands is not None:
            table.row_candidates[hit.key] = cands
    table.notes.extend(problems)
    if table.id == "三" and table.layout is None:
        table.layout = layout_hint
    truncated = truncated or loc.reaches_end
    missing = _missing_rows(table)
    if missing:
        table.notes.append("rows not found: " + "、".join(missing))
    all_blank = bool(table.cells) and all(c.kind == "blank" for r in table.cells.values() for c in r.values())
    if not any_values and all_blank and not truncated:
        table.notes.append("every cell is blank")  # read reliably: the report left the table empty (TBL-402)
    elif not any_values:
        table.status = "absent"
        if truncated:
            table.notes.append("the text ends inside the table (excerpt)")
    elif truncated and missing:
        table.status = "absent"
        table.notes.append("the text ends inside the table (excerpt); rows read so far are kept")
    elif problems or missing or table.row_candidates or _has_unread(table):
        table.status = "uncertain"
    return table


def _has_unread(table: Table) -> bool:
    return any(c.value is None and c.kind == "number" for r in table.cells.values() for c in r.values())


def expected_rows(table: Table) -> list[str]:
    if table.id == "三":
        present = {k for k, r in table.cells.items() if any(c.kind != "missing" for c in r.values())}
        return ["new", "carried_over", *leaf_rows_三(table.layout, present), "total", "carry_forward"]
    if table.id == "二":
        return []  # rows of 表二 are often legitimately omitted (no 规章 row for a township): not a read failure
    return [g.key for g in groups_四()]


def _missing_rows(table: Table) -> list[str]:
    return [k for k in expected_rows(table) if k not in table.cells]


def _assemble_四(loc: Located) -> Table:
    table = Table(id="四", layout=None, source=loc.source, status="ok", start=loc.start, end=loc.end,
                  anchor=loc.anchor)
    hit = loc.hits[0] if loc.hits else None
    groups, cols = groups_四(), columns_四()
    if hit is None or (hit.tokens is None and hit.cells_override is None):
        # the header is there but no row of 15 numbers: cut off (excerpt) or garbled
        table.status = "absent" if loc.reaches_end or (hit is not None and hit.truncated) else "uncertain"
        table.notes.append("no row of 15 numbers after the 行政复议/行政诉讼 header")
        return table
    cells, cands, problem = _row_cells(hit, 15, _row_ok_四)
    if problem or cells is None:
        table.status = "absent" if problem == "truncated" else "uncertain"
        table.notes.append(problem or "unreadable")
        return table
    table.column_labels.update({c.key: c.label for c in cols})
    for gi, g in enumerate(groups):
        table.row_labels[g.key] = g.label
        table.columns[g.key] = [c.key for c in cols]
        table.cells[g.key] = {c.key: cells[gi * 5 + ci] for ci, c in enumerate(cols)}
        if cands is not None:
            proj = sorted({tuple(v[gi * 5:(gi + 1) * 5]) for v in cands}, key=str)
            if len(proj) > 1:
                table.row_candidates[g.key] = list(proj)
    if cands is not None or _has_unread(table):
        table.status = "uncertain"
        table.notes.append(f"{len(cands or [])} readings of run-together digits")
    return table


def combos(rows_values: list[list[tuple]], limit: int = 20000):
    """Product of per-row readings, or None when too many to enumerate."""
    total = 1
    for r in rows_values:
        total *= max(1, len(r))
        if total > limit:
            return None
    return product(*rows_values)

