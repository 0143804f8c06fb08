"""Rules on tables 二, 三, 四: arithmetic identities, cell values, plausibility, layout version, cross-year.

Every identity instance yields a ``Check`` (pass / fail / uncertain / not_assessable); a ``fail`` also yields a
``Finding`` naming the table, row and column by their canonical labels (e.g. 表三 / （七）总计 / 自然人) and
quoting both sides. Identities touching cells we could not read reliably are ``uncertain`` (see identity.py):
our own parsing problems never produce a ``fail``.
"""

from __future__ import annotations

from typing import Iterable

from ..model import Check, Finding, Report, Table
from ..rules import CheckContext, Rule, declare, register
from .assemble import short_row
from .identity import Outcome, Term, evaluate, fmt
from .template import columns_三, columns_四, groups_四, label, leaf_rows_三, rows, template

# ---------------------------------------------------------------- helpers


def _labels(table_id: str, row: str | None, col: str | None) -> tuple[str | None, str | None]:
    return label(table_id, row, col)


def _check_message(out: Outcome, failure: str) -> str:
    """What the check list says for this outcome: the failure text only for a failure (a passing row in the xlsx
    must not read 勾稽关系不成立)."""
    if out.status == "fail":
        return failure
    if out.status == "pass":
        return f"相符：{fmt(out.expected)} = {fmt(out.actual)}"
    return out.reason or ("数字未能可靠读取，未作判断" if out.status == "uncertain" else "表格缺失，无法检查")


def _emit(rule_id: str, table: Table, row: str | None, col: str | None, out: Outcome, message: str,
          terms: dict[str, float | None], suggestion: str | None = None) -> Iterable[Check | Finding]:
    row_label, col_label = _labels(table.id, row, col)
    yield Check(rule_id, out.status, table=table.id, row=row_label, column=col_label,  # type: ignore[arg-type]
                expected=out.expected, actual=out.actual, message=_check_message(out, message))
    if out.status == "fail":
        cell = out.total_cell
        yield Finding(
            rule=rule_id, category="table", severity="error", message=message, table=table.id, row=row_label,
            column=col_label, start=cell.start if cell else None, end=cell.end if cell else None,
            suggestion=suggestion,
            evidence={"expected": out.expected, "actual": out.actual, "terms": terms,
                      **({"note": out.reason} if out.reason else {})},
        )


def _terms(table: Table, out: Outcome, terms: list[Term]) -> dict[str, float | None]:
    named = {}
    for r, c in terms:
        rl, cl = _labels(table.id, r, c)
        named[f"{rl}/{cl}"] = out.values.get((r, c))
    return named


def _col_label(col: str) -> str:
    return next(c.label for c in columns_三() if c.key == col)


# ---------------------------------------------------------------- 表三


@register(Rule(
    id="TBL-101", title="表三：本年新收 + 上年结转 = 办理结果总计 + 结转下年度（每一列）", category="table",
    severity="error",
    rationale="表三表头写明勾稽关系：第一项加第二项之和，等于第三项加第四项之和（国办公开办函〔2021〕30号表格）。",
    example_fail="自然人列：新收 20 + 结转 0 = 20，但（七）总计 26 + 结转下年度 0 = 26",
    example_pass="自然人列：新收 74 + 结转 1 = 75 = 总计 75 + 结转下年度 0",
))
def check_balance(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    table = report.tables.get("三")
    if table is None:
        return
    for col in columns_三():
        parts = [("new", col.key), ("carried_over", col.key)]
        totals = [("total", col.key), ("carry_forward", col.key)]
        out = evaluate(table, parts, totals)
        msg = (f"表三「{col.label}」列：一（本年新收）+ 二（上年结转）= {fmt(out.expected)}，"
               f"而三（七）总计 + 四（结转下年度）= {fmt(out.actual)}，勾稽关系不成立")
        yield from _emit("TBL-101", table, "total", col.key, out, msg, _terms(table, out, parts + totals),
                         "核对本年新收、上年结转、办理结果总计和结转下年度的数字")


@register(Rule(
    id="TBL-102", title="表三：（七）总计 = 各项办理结果之和（每一列）", category="table", severity="error",
    rationale="（七）总计是（一）至（六）全部最低一级办理结果的合计；不相等说明某项结果或总计填错。",
    example_fail="自然人列：办理结果 6+6+4+3+3+4 = 26，（七）总计填 20",
    example_pass="予以公开 21 + 部分公开 9 + … = 75 = （七）总计 75",
))
def check_results_total(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    table = report.tables.get("三")
    if table is None:
        return
    present = {k for k, r in table.cells.items() if any(c.kind != "missing" for c in r.values())}
    leaves = leaf_rows_三(table.layout, present)
    for col in columns_三():
        parts = [(r, col.key) for r in leaves]
        out = evaluate(table, parts, [("total", col.key)])
        msg = (f"表三「{col.label}」列：各项办理结果之和为 {fmt(out.expected)}，"
               f"但（七）总计为 {fmt(out.actual)}")
        yield from _emit("TBL-102", table, "total", col.key, out, msg, _terms(table, out, parts),
                         "逐项核对办理结果各行与（七）总计")


@register(Rule(
    id="TBL-103", title="表三：（三）至（六）的小计 = 其下各分项之和", category="table", severity="error",
    rationale="部分报告为（三）不予公开等分组单独填写小计；小计应等于其分项之和。",
    example_fail="（四）无法提供 小计 5，分项 3 + 1 + 0 = 4",
    example_pass="（四）无法提供 小计 4 = 3 + 1 + 0",
))
def check_group_totals(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    table = report.tables.get("三")
    if table is None or table.status == "absent":
        return
    for spec in rows("三"):
        if not spec.group or spec.key not in table.cells:
            continue
        expected = [r.key for r in rows("三") if r.parent == spec.key and (table.layout or "2021") in r.layouts]
        subs = [k for k in expected if k in table.cells]
        if not subs:
            continue  # printed as one row (a leaf): nothing to add up
        if len(subs) < len(expected):
            # a sub-item we did not find may be the very numbers we took for the subtotal: do not compare
            yield Check("TBL-103", "uncertain", table="三", row=spec.label, message="分项未全部读到，不作比较")
            continue
        for col in columns_三():
            parts = [(s, col.key) for s in subs]
            out = evaluate(table, parts, [(spec.key, col.key)])
            msg = (f"表三「{spec.label}」「{col.label}」：分项之和为 {fmt(out.expected)}，"
                   f"小计为 {fmt(out.actual)}")
            yield from _emit("TBL-103", table, spec.key, col.key, out, msg, _terms(table, out, parts))


@register(Rule(
    id="TBL-104", title="表三：总计列 = 自然人 + 五类法人或其他组织（每一行）", category="table",
    severity="error",
    rationale="申请人情况的“总计”列是自然人与商业企业、科研机构、社会公益组织、法律服务机构、其他五列之和。",
    example_fail="本年新收：自然人 1，其他各列 0，总计 0",
    example_pass="本年新收：自然人 71 + 商业企业 3 = 总计 74",
))
def check_row_totals(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    table = report.tables.get("三")
    if table is None or table.status == "absent":
        return
    applicant = template()["table_三"]["applicant_columns"]
    total_col = template()["table_三"]["total_column"]
    for spec in rows("三"):
        if spec.key not in table.cells:
            continue
        parts = [(spec.key, c) for c in applicant]
        out = evaluate(table, parts, [(spec.key, total_col)])
        msg = (f"表三「{spec.label}」行：自然人与法人或其他组织各列之和为 {fmt(out.expected)}，"
               f"但总计列为 {fmt(out.actual)}")
        yield from _emit("TBL-104", table, spec.key, total_col, out, msg, _terms(table, out, parts),
                         "核对该行各申请人类别与总计列")


@register(Rule(
    id="TBL-105", title="表三：行的单元格数与格式不符", category="table", severity="warning",
    rationale="表三每行应有 7 个数字（自然人、五类法人或其他组织、总计）；少一格通常是漏填或错位。",
    example_fail="四、结转下年度继续办理 0 00000（只有 6 个数字）",
    example_pass="四、结转下年度继续办理 0 0 0 0 0 0 0",
))
def check_row_shape(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    table = report.tables.get("三")
    if table is None or table.status == "absent":
        return
    for note in table.notes:
        short = short_row(note)
        if short is None or table.source in ("pipe", "layout"):
            continue  # garbled conversions lose cells on their own: not the report's fault
        row_label, raw = short
        key = next((r.key for r in rows("三") if r.label == row_label), None)
        cell = next(iter(table.cells.get(key, {}).values()), None) if key else None
        msg = f"表三「{row_label}」行的数字少于 7 个单元格（“{raw}”）"
        yield Check("TBL-105", "fail", table="三", row=row_label, message=msg)
        yield Finding(rule="TBL-105", category="table", severity="warning", message=msg, table="三",
                      row=row_label, start=cell.start if cell else None, end=cell.end if cell else None,
                      suggestion="补全该行 7 个单元格（无数据填 0）", evidence={"note": note})


# ---------------------------------------------------------------- 表四


@register(Rule(
    id="TBL-201", title="表四：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计", category="table",
    severity="error",
    rationale="行政复议、未经复议直接起诉、复议后起诉三组各自的总计是四种结果之和。",
    example_fail="行政复议：维持 10、纠正 1、其他 0、尚未审结 0，总计 0",
    example_pass="行政复议：维持 2、纠正 1、其他 3、尚未审结 1，总计 7",
))
def check_review_totals(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    table = report.tables.get("四")
    if table is None:
        return
    cols = [c.key for c in columns_四()]
    for g in groups_四():
        parts = [(g.key, c) for c in cols[:4]]
        out = evaluate(table, parts, [(g.key, cols[4])])
        msg = (f"表四「{g.label}」：结果维持、结果纠正、其他结果、尚未审结之和为 {fmt(out.expected)}，"
               f"但总计为 {fmt(out.actual)}")
        yield from _emit("TBL-201", table, g.key, cols[4], out, msg, _terms(table, out, parts),
                         "核对该组四种结果与总计")


# ---------------------------------------------------------------- 表二


@register(Rule(
    id="TBL-301", title="表二：规章只能由省级和设区的市级人民政府制定", category="table", severity="error",
    rationale="《立法法》规定规章由国务院部门和省、自治区、直辖市及设区的市、自治州人民政府制定；乡镇、街道、"
              "县级政府及其部门、市级部门填报规章数量大于 0 通常是把“规章制度”误计为规章。",
    example_fail="某镇人民政府：规章 本年制发件数 2、现行有效件数 2",
    example_pass="某镇人民政府：规章 0 0 0",
))
def check_rules_level(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    table = report.tables.get("二")
    no_rules = set(template()["table_二"]["no_rule_making_levels"])
    if table is None or table.status == "absent" or "rules" not in table.cells:
        return
    if report.level not in no_rules:
        yield Check("TBL-301", "not_assessable", table="二", row="规章",
                    message=f"本级（{report.level or '未识别'}）可以制定规章或层级不明，不作检查")
        return
    cells = table.cells["rules"]
    nonzero = [(k, c) for k, c in cells.items() if c.kind == "number" and c.value not in (None, 0)]
    # run-together digits: any non-zero digit means some cell is non-zero whatever the split
    if not nonzero and "rules" in table.row_candidates:
        raw = "".join(c.raw for c in cells.values())
        nonzero = [(k, c) for k, c in cells.items() if any(ch in "123456789" for ch in raw)][:1]
    if not nonzero:
        status = "pass" if all(c.kind == "number" and c.value == 0 for c in cells.values()) else "uncertain"
        yield Check("TBL-301", status, table="二", row="规章",  # type: ignore[arg-type]
                    message="“规章”行均为 0" if status == "pass" else "“规章”行有未能读取的单元格")
        return
    col, cell = nonzero[0]
    _, col_label = label("二", "rules", col)
    shown = "、".join(f"{label('二', 'rules', k)[1]} {c.raw}" for k, c in cells.items())
    msg = f"本机关层级（{report.level}）无规章制定权，但表二“规章”行填报了非零数字（{shown}）"
    yield Check("TBL-301", "fail", table="二", row="规章", column=col_label, actual=cell.value, message=msg)
    yield Finding(rule="TBL-301", category="table", severity="error", message=msg, table="二", row="规章",
                  column=col_label, start=cell.start, end=cell.end,
                  suggestion="规章行应填 0；本机关制定的规章制度不属于规章，可计入行政规范性文件或其他栏目",
                  evidence={"level": report.level, "actual": cell.value,
                            "terms": {label("二", "rules", k)[1]: c.value for k, c in cells.items()}})


# ---------------------------------------------------------------- all cells


declare(Rule(
    id="TBL-402", title="表格单元格空白、填“—”“/”或“无”", category="table", severity="warning",
    rationale="表格每格应填数字，没有数据填 0；空白格无法核对，也可能是漏填。",
    example_fail="表三 予以公开/自然人：空白", example_pass="表三 予以公开/自然人：0",
))


@register(Rule(
    id="TBL-401", title="表格数字应为非负整数（收费、采购金额可为小数，“本年增/减”可为负）", category="table",
    severity="error",
    rationale="件数、决定数、申请数都是非负整数；负数或小数说明填错或错位。",
    example_fail="表三 本年新收/自然人：-2", example_pass="表三 本年新收/自然人：2",
))
def check_cells(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    for tid in ("二", "三", "四"):
        table = report.tables.get(tid)
        if table is None or table.status == "absent":
            continue
        bad = blank = 0
        if "every cell is blank" in table.notes or (
                table.cells and all(c.kind == "blank" for r in table.cells.values() for c in r.values())):
            yield Finding(rule="TBL-402", category="table", severity="warning",
                          message=f"表{tid}没有填写任何数字（无数据应逐格填 0）", table=tid, start=table.start,
                          end=table.start + 2 if table.start is not None else None,
                          suggestion="逐格填写数字，无数据填 0", evidence={"cells": sum(map(len, table.cells.values()))})
            yield Check("TBL-402", "fail", table=tid, message="表格所有单元格均为空")
            continue
        for row, cells in table.cells.items():
            if cells and all(c.kind == "blank" for c in cells.values()):
                # a wholly empty row is one finding, not one per cell
                blank += len(cells)
                row_label = label(tid, row)[0]
                first = next(iter(cells.values()))
                yield Finding(rule="TBL-402", category="table", severity="warning",
                              message=f"表{tid}「{row_label}」行没有填写任何数字（无数据应填 0）", table=tid,
                              row=row_label, start=first.start, end=first.end, suggestion="逐格填写数字，无数据填 0",
                              evidence={"cells": len(cells)})
                continue
            for col, cell in cells.items():
                row_label, col_label = label(tid, row, col)
                if cell.kind in ("blank", "dash", "none_word"):
                    blank += 1
                    what = {"blank": "空白", "dash": f"填“{cell.raw}”", "none_word": "填“无”"}[cell.kind]
                    yield Finding(rule="TBL-402", category="table", severity="warning",
                                  message=f"表{tid}「{row_label}」「{col_label}」{what}，应填数字（无数据填 0）",
                                  table=tid, row=row_label, column=col_label, start=cell.start, end=cell.end,
                                  suggestion="填 0", evidence={"raw": cell.raw, "kind": cell.kind})
                    continue
                if cell.kind != "number" or cell.value is None or cell.assumed or row in table.row_candidates:
                    continue  # a value from an ambiguous split is not evidence of a wrong entry
                signed, decimal = _column_flags(tid, col)
                if (cell.value < 0 and not signed) or (abs(cell.value - round(cell.value)) > 1e-9 and not decimal):
                    bad += 1
                    msg = f"表{tid}「{row_label}」「{col_label}」为 {cell.raw}，应为非负整数"
                    yield Check("TBL-401", "fail", table=tid, row=row_label, column=col_label, actual=cell.value,
                                message=msg)
                    yield Finding(rule="TBL-401", category="table", severity="error", message=msg, table=tid,
                                  row=row_label, column=col_label, start=cell.start, end=cell.end,
                                  evidence={"actual": cell.value, "raw": cell.raw})
        if not bad:
            yield Check("TBL-401", "pass", table=tid, message="所有数字均为非负整数")
        yield Check("TBL-402", "pass" if not blank else "fail", table=tid,
                    message="没有空白单元格" if not blank else f"{blank} 个单元格空白或为横线")


def _column_flags(tid: str, col: str) -> tuple[bool, bool]:
    if tid != "二":
        return False, False
    for name in template()["table_二"]["column_sets"]:
        for c in template()["table_二"]["column_sets"][name]:
            if c["key"] == col:
                return bool(c.get("signed")), bool(c.get("decimal"))
    return False, False


# ---------------------------------------------------------------- format version


@register(Rule(
    id="FMT-408", title="表格格式版本与报告年度不符", category="format", severity="warning",
    rationale="2021 年度起的年报应使用国办公开办函〔2021〕30号格式（本年制发件数/本年废止件数/现行有效件数…）；"
              "2019（试行）格式（本年新制作数量/上一年项目数量…）已被取代。2019、2020 年度报告使用 2021 格式则提前了。",
    example_fail="2022 年度报告表二列为“本年新制作数量、本年新公开数量、对外公开总数量”",
    example_pass="2022 年度报告表二列为“本年制发件数、本年废止件数、现行有效件数”",
))
def check_format_version(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    t2 = report.tables.get("二")
    version = t2.layout if t2 is not None and t2.status != "absent" and t2.layout else None
    if version is None or report.year is None:
        yield Check("FMT-408", "not_assessable", table="二", message="表二栏目或报告年度未能识别，不作检查")
        return
    if report.year >= 2021 and version == "2019":
        msg = (f"{report.year} 年度报告的表二仍使用 2019（试行）格式的栏目，"
               "应使用国办公开办函〔2021〕30号格式（本年制发件数、本年废止件数、现行有效件数等）")
        severity = "warning"
    elif report.year <= 2020 and version == "2021":
        msg = f"{report.year} 年度报告使用了 2021 年格式（当年应使用 2019 试行格式）"
        severity = "info"
    else:
        yield Check("FMT-408", "pass", table="二", message=f"表二栏目为 {version} 格式，与 {report.year} 年度相符")
        return
    yield Check("FMT-408", "fail", table="二", message=msg)
    yield Finding(rule="FMT-408", category="format", severity=severity, message=msg, table="二",  # type: ignore[arg-type]
                  start=t2.start, end=t2.start + 10 if t2.start is not None else None,
                  suggestion="按国办公开办函〔2021〕30号的表格格式填报",
                  evidence={"year": report.year, "layout": version})


# ---------------------------------------------------------------- cross-year


@register(Rule(
    id="TBL-501", title="跨年度：本年“上年结转” = 上年报告“结转下年度继续办理”（每一列）", category="table",
    severity="error", scope="pair",
    rationale="上一年度结转到本年的申请，就是上年报告表三第四项“结转下年度继续办理”的数量。",
    example_fail="2023 年报：上年结转 3；2022 年报：结转下年度继续办理 5",
    example_pass="2023 年报：上年结转 5；2022 年报：结转下年度继续办理 5",
))
def check_carry_over(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    prev = ctx.previous
    table = report.tables.get("三")
    if prev is None or table is None:
        return
    ptable = prev.tables.get("三")
    for col in columns_三():
        cur = evaluate(table, [], [("carried_over", col.key)])
        old = evaluate(ptable, [], [("carry_forward", col.key)]) if ptable is not None else Outcome("not_assessable")
        if cur.status == "not_assessable" or old.status == "not_assessable":
            status, out = "not_assessable", cur
        elif "carried_over" in table.row_candidates or (ptable and "carry_forward" in ptable.row_candidates) \
                or cur.status == "uncertain" or old.status == "uncertain":
            status, out = "uncertain", cur
        else:
            status = "pass" if abs((cur.actual or 0) - (old.actual or 0)) < 1e-6 else "fail"
            out = Outcome(status, old.actual, cur.actual, total_cell=cur.total_cell)
        out.status = status
        msg = (f"表三「{col.label}」列：本年“上年结转”为 {fmt(out.actual)}，"
               f"上年报告“结转下年度继续办理”为 {fmt(out.expected)}")
        yield from _emit("TBL-501", table, "carried_over", col.key, out, msg,
                         {"本年/上年结转": out.actual, "上年/结转下年度继续办理": out.expected},
                         "本年上年结转应与上年报告结转下年度数一致")


@register(Rule(
    id="TBL-502", title="跨年度：现行有效件数 ≈ 上年现行有效 + 本年制发 − 本年废止", category="table",
    severity="warning", scope="pair",
    rationale="行政规范性文件（规章）的现行有效件数应能由上年数和本年增减推出；偏差说明统计口径变化或填错。",
    example_fail="上年现行有效 20，本年制发 3、废止 1，本年现行有效 30",
    example_pass="上年现行有效 20，本年制发 3、废止 1，本年现行有效 22",
))
def check_in_force(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    prev = ctx.previous
    t2 = report.tables.get("二")
    p2 = prev.tables.get("二") if prev is not None else None
    if t2 is None or p2 is None or t2.layout != "2021" or p2.layout != "2021":
        return
    for row in ("rules", "normative"):
        cells, pcells = t2.cells.get(row, {}), p2.cells.get(row, {})
        vals = [cells.get("issued"), cells.get("repealed"), cells.get("in_force"), pcells.get("in_force")]
        row_label = label("二", row)[0]
        if any(c is None or c.kind != "number" or c.value is None or c.assumed for c in vals) \
                or row in t2.row_candidates or row in p2.row_candidates:
            yield Check("TBL-502", "uncertain", table="二", row=row_label, column="现行有效件数",
                        message="本年或上年的制发、废止、现行有效件数未能可靠读取，不作比较")
            continue
        issued, repealed, in_force, prev_in_force = (c.value for c in vals)  # type: ignore[union-attr]
        expected = prev_in_force + issued - repealed  # type: ignore[operator]
        if abs(expected - in_force) < 1e-6:  # type: ignore[operator]
            yield Check("TBL-502", "pass", table="二", row=row_label, column="现行有效件数",
                        expected=expected, actual=in_force)
            continue
        msg = (f"表二「{row_label}」：上年现行有效 {fmt(prev_in_force)} + 本年制发 {fmt(issued)} − 本年废止 "
               f"{fmt(repealed)} = {fmt(expected)}，但本年现行有效件数为 {fmt(in_force)}")
        yield Check("TBL-502", "fail", table="二", row=row_label, column="现行有效件数", expected=expected,
                    actual=in_force, message=msg)
        yield Finding(rule="TBL-502", category="table", severity="warning", message=msg, table="二",
                      row=row_label, column="现行有效件数", start=vals[2].start, end=vals[2].end,  # type: ignore[union-attr]
                      suggestion="核对现行有效件数或说明统计口径变化（如集中清理）",
                      evidence={"expected": expected, "actual": in_force,
                                "terms": {"上年现行有效": prev_in_force, "本年制发": issued, "本年废止": repealed}})
