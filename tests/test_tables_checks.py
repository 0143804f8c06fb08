"""Table rules (TBL-*, FMT-408): the real faults of the corpus are found, balanced reports get no FAIL, a changed
cell is caught and named, and every rule has a pass and a fail example."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.model import Check, Finding, Report
from analyzer.read import document_from_text, read_document
from analyzer.rules import RULES, CheckContext, load_all_rules
from analyzer.tables import extract_tables
from analyzer.tables import checks as tc
from analyzer.tables.template import leaf_rows_三, rows

FUNCS = (tc.check_balance, tc.check_results_total, tc.check_group_totals, tc.check_row_totals, tc.check_row_shape,
         tc.check_review_totals, tc.check_rules_level, tc.check_cells, tc.check_format_version)
IDENTITIES = ("TBL-101", "TBL-102", "TBL-103", "TBL-104", "TBL-201")


def report_for(doc, level=None, year=2022) -> Report:
    return Report(document=doc, title=None, unit=None, level=level, year=year, published=None, format_version=None,
                  sections=[], tables=extract_tables(doc, []))


def run(report: Report, previous: Report | None = None, funcs=FUNCS):
    ctx = CheckContext(Config(), previous=previous)
    items = [x for fn in funcs for x in fn(report, ctx)]
    return [x for x in items if isinstance(x, Finding)], [x for x in items if isinstance(x, Check)]


def corpus_report(corpus_dir: Path, prefix: str, level=None, year=None) -> Report:
    from analyzer.structure import structure_document

    path = sorted(corpus_dir.glob(prefix + "*.txt"))[0]
    report = structure_document(read_document(path))
    if level is not None:
        report.level = level
    if year is not None:
        report.year = year
    return report


def fails(checks, rules=IDENTITIES):
    return {(c.rule, c.row, c.column) for c in checks if c.status == "fail" and c.rule in rules}


# ---------------------------------------------------------------- the corpus oracle

KNOWN = {
    "001_": {("TBL-201", "行政复议", "总计"), ("TBL-201", "行政诉讼/复议后起诉", "总计")},
    "005_": {("TBL-102", "（七）总计", "自然人"), ("TBL-102", "（七）总计", "总计")},
    "049_": {("TBL-101", "（七）总计", "自然人"), ("TBL-102", "（七）总计", "自然人"),
             ("TBL-104", "（七）总计", "总计")},
    "051_": {("TBL-104", "一、本年新收政府信息公开申请数量", "总计"), ("TBL-104", "（七）总计", "总计"),
             ("TBL-104", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "总计"),
             ("TBL-104", "1.本机关不掌握相关政府信息", "总计")},
    "056_": {("TBL-102", "（七）总计", "自然人"), ("TBL-102", "（七）总计", "其他"), ("TBL-102", "（七）总计", "总计")},
    "086_": {("TBL-104", "一、本年新收政府信息公开申请数量", "总计"), ("TBL-104", "（七）总计", "总计"),
             ("TBL-104", "1.本机关不掌握相关政府信息", "总计")},
}


@pytest.mark.parametrize("prefix", sorted(KNOWN))
def test_known_identity_failures_are_found(corpus_dir, prefix):
    report = corpus_report(corpus_dir, prefix)
    findings, checks = run(report)
    assert fails(checks) == KNOWN[prefix]
    for f in findings:
        if f.rule in IDENTITIES:
            assert f.severity == "error" and f.category == "table" and f.table in ("三", "四")
            assert f.start is not None and report.text[f.start:f.end]  # points at the printed total
            assert "expected" in f.evidence and "actual" in f.evidence and f.evidence["terms"]


def test_no_identity_fail_on_any_other_corpus_report(corpus_dir):
    """Every report whose tables balance (by the hand-made SOURCES.tsv notes) gets no identity FAIL."""
    wrong = {}
    for path in sorted(corpus_dir.glob("[0-9]*.txt")):
        if any(path.name.startswith(p) for p in KNOWN):
            continue
        report = report_for(read_document(path))
        got = fails(run(report)[1])
        if got:
            wrong[path.name] = got
    assert wrong == {}


def test_short_rows_are_a_warning_not_an_identity_fail(corpus_dir):
    for prefix in ("053_", "054_", "096_"):
        findings, checks = run(corpus_report(corpus_dir, prefix))
        assert not fails(checks)
        short = [f for f in findings if f.rule == "TBL-105"]
        assert len(short) == 1 and short[0].row == "四、结转下年度继续办理" and short[0].severity == "warning"
        assert any(c.rule == "TBL-101" and c.status == "uncertain" for c in checks)


def test_rules_at_township_level(corpus_dir):
    findings, checks = run(corpus_report(corpus_dir, "016_"))
    assert [f.rule for f in findings if f.rule == "TBL-301"] == ["TBL-301"]
    findings, checks = run(corpus_report(corpus_dir, "075_"))  # a 区直部门 with 规章 1411
    assert any(f.rule == "TBL-301" and f.row == "规章" for f in findings)
    # the same table at a level that may issue 规章: no finding
    findings, checks = run(corpus_report(corpus_dir, "075_", level="city"))
    assert not [f for f in findings if f.rule == "TBL-301"]


def test_old_layout_in_new_year(corpus_dir):
    for prefix in ("023_", "049_", "097_"):
        findings, _ = run(corpus_report(corpus_dir, prefix))
        assert [f.severity for f in findings if f.rule == "FMT-408"] == ["warning"], prefix
    findings, checks = run(corpus_report(corpus_dir, "004_"))  # 2019 layout in a 2019 report
    assert not [f for f in findings if f.rule == "FMT-408"]
    assert any(c.rule == "FMT-408" and c.status == "pass" for c in checks)
    findings, _ = run(corpus_report(corpus_dir, "006_", year=2020))  # 2021 layout two years early
    assert [f.severity for f in findings if f.rule == "FMT-408"] == ["info"]


# ---------------------------------------------------------------- perturbation


def _perturb(doc_text: str, cell, new_raw: str) -> str:
    return doc_text[:cell.start] + new_raw + doc_text[cell.end:]


@pytest.mark.parametrize("prefix,row,col", [("000_", "unable.1", "natural"), ("000_", "granted", "legal"),
                                            ("083_", "withheld.1", "natural"), ("008_", "withheld.4", "natural")])
def test_perturbing_one_cell_names_row_and_column(corpus_dir, prefix, row, col):
    path = sorted(corpus_dir.glob(prefix + "*.txt"))[0]
    doc = read_document(path)
    base = report_for(doc)
    assert not fails(run(base)[1])
    cell = base.tables["三"].cells[row][col]
    assert cell.kind == "number" and not cell.assumed and row not in base.tables["三"].row_candidates
    bumped = str(int(cell.value) + 1)
    changed = report_for(document_from_text(str(path), _perturb(doc.text, cell, bumped)))
    row_label = next(r.label for r in rows("三") if r.key == row)
    col_label = {"natural": "自然人", "legal": "法律服务机构"}[col]
    got = fails(run(changed)[1])
    assert ("TBL-104", row_label, "总计") in got  # the row no longer adds up …
    assert ("TBL-102", "（七）总计", col_label) in got  # … nor does the column's result total
    restored = report_for(document_from_text(str(path), _perturb(changed.text, changed.tables["三"].cells[row][col],
                                                                 cell.raw)))
    assert not fails(run(restored)[1])


def test_perturbing_table_four(corpus_dir):
    path = sorted(corpus_dir.glob("000_*.txt"))[0]
    doc = read_document(path)
    cell = report_for(doc).tables["四"].cells["direct_suit"]["pending"]
    changed = report_for(document_from_text(str(path), _perturb(doc.text, cell, "2")))
    assert fails(run(changed)[1]) == {("TBL-201", "行政诉讼/未经复议直接起诉", "总计")}


# ---------------------------------------------------------------- synthetic pass / fail examples per rule


def pipe_doc(three: dict[str, list], four: list | None = None, two: str = "", group_rows: dict | None = None):
    """A small report whose tables are '|' rows (a form seen in the corpus)."""
    lines = ["二、主动公开政府信息情况", two or "第二十条第（一）项\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
             "| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 | 1 | 0 | 3 |",
             "三、收到和处理政府信息公开申请情况",
             "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"]
    for spec in rows("三"):
        if spec.header or "2021" not in spec.layouts:
            continue
        if spec.group:
            vals = (group_rows or {}).get(spec.key)
            lines.append(f"| {spec.label} |" + ("".join(f" {v} |" for v in vals) if vals else ""))
            continue
        vals = three.get(spec.key, [0] * 7)
        lines.append(f"| {spec.label} |" + "".join(f" {v} |" for v in vals))
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "| 行政复议 | 行政诉讼 |",
              "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |",
              "| " + " | ".join(map(str, four or [0] * 15)) + " |", "五、存在的主要问题及改进情况", "无。"]
    return document_from_text("synthetic.txt", "\n".join(lines) + "\n")


GOOD = {"new": [3, 1, 0, 0, 0, 0, 4], "granted": [2, 0, 0, 0, 0, 0, 2], "unable.1": [1, 1, 0, 0, 0, 0, 2],
        "total": [3, 1, 0, 0, 0, 0, 4]}


def test_synthetic_balanced_all_pass():
    _, checks = run(report_for(pipe_doc(GOOD)))
    assert {c.status for c in checks if c.rule in IDENTITIES} == {"pass"}


def test_tbl101_fail_and_pass():
    bad = dict(GOOD, carry_forward=[1, 0, 0, 0, 0, 0, 1], total=[3, 1, 0, 0, 0, 0, 4])
    findings, checks = run(report_for(pipe_doc(bad)))
    assert ("TBL-101", "（七）总计", "自然人") in fails(checks)
    f = next(f for f in findings if f.rule == "TBL-101" and f.column == "自然人")
    assert f.evidence["expected"] == 3 and f.evidence["actual"] == 4


def test_tbl103_group_totals_when_printed():
    good = run(report_for(pipe_doc(GOOD, group_rows={"unable": [1, 1, 0, 0, 0, 0, 2]})))[1]
    assert {c.status for c in good if c.rule == "TBL-103"} == {"pass"}
    bad = run(report_for(pipe_doc(GOOD, group_rows={"unable": [1, 2, 0, 0, 0, 0, 3]})))[1]
    assert {(c.row, c.column) for c in bad if c.rule == "TBL-103" and c.status == "fail"} == {
        ("（四）无法提供", "商业企业"), ("（四）无法提供", "总计")}


def test_tbl401_negative_and_tbl402_blank():
    bad = dict(GOOD, granted=[2, 0, 0, -1, 0, 0, 1])
    findings, _ = run(report_for(pipe_doc(bad)))
    assert any(f.rule == "TBL-401" and f.row == "（一）予以公开" and f.column == "社会公益组织" for f in findings)
    blank_doc = document_from_text("b.txt", pipe_doc(GOOD).text.replace("| （一）予以公开 | 2 |",
                                                                        "| （一）予以公开 | — |"))
    findings, checks = run(report_for(blank_doc))
    hit = [f for f in findings if f.rule == "TBL-402"]
    assert len(hit) == 1 and hit[0].column == "自然人" and hit[0].severity == "warning"
    # an identity through the dash cell is undecided, not failed
    assert not fails(checks) and any(c.rule == "TBL-102" and c.status == "uncertain" for c in checks)
    assert not [f for f in run(report_for(pipe_doc(GOOD)))[0] if f.rule in ("TBL-401", "TBL-402")]


def test_tbl201_fail_and_pass():
    four = [2, 1, 0, 0, 3, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]
    assert not fails(run(report_for(pipe_doc(GOOD, four)))[1])
    four[4] = 2
    assert fails(run(report_for(pipe_doc(GOOD, four)))[1]) == {("TBL-201", "行政复议", "总计")}


def test_tbl301_synthetic_levels():
    two = ("第二十条第（一）项\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 2 | 0 | 2 |\n"
           "| 行政规范性文件 | 1 | 0 | 3 |")
    doc = pipe_doc(GOOD, two=two)
    assert [f.column for f in run(report_for(doc, level="township"))[0] if f.rule == "TBL-301"] == ["本年制发件数"]
    assert not [f for f in run(report_for(doc, level="province"))[0] if f.rule == "TBL-301"]
    assert not [f for f in run(report_for(pipe_doc(GOOD), level="township"))[0] if f.rule == "TBL-301"]


def test_cross_year_carry_over_and_in_force():
    prev_doc = pipe_doc(dict(GOOD, new=[4, 1, 0, 0, 0, 0, 5], carry_forward=[1, 0, 0, 0, 0, 0, 1]))
    prev = report_for(prev_doc, year=2021)
    cur_ok = report_for(pipe_doc(dict(GOOD, carried_over=[1, 0, 0, 0, 0, 0, 1], new=[2, 1, 0, 0, 0, 0, 3])),
                        year=2022)
    funcs = (tc.check_carry_over, tc.check_in_force)
    findings, checks = run(cur_ok, prev, funcs)
    assert {c.status for c in checks if c.rule == "TBL-501"} == {"pass"}
    assert {c.status for c in checks if c.rule == "TBL-502"} == {"fail", "pass"}  # 行政规范性文件 3 ≠ 3 + 1 − 0
    cur_bad = report_for(pipe_doc(GOOD), year=2022)  # 上年结转 0 while last year carried 1 forward
    findings, checks = run(cur_bad, prev, funcs)
    bad = [f for f in findings if f.rule == "TBL-501"]
    assert [(f.row, f.column) for f in bad] == [("二、上年结转政府信息公开申请数量", "自然人"),
                                                ("二、上年结转政府信息公开申请数量", "总计")]
    assert bad[0].evidence["expected"] == 1 and bad[0].evidence["actual"] == 0


def test_every_table_rule_is_registered_with_examples():
    load_all_rules()
    for rid in ("TBL-101", "TBL-102", "TBL-103", "TBL-104", "TBL-105", "TBL-201", "TBL-301", "TBL-401", "TBL-402",
                "TBL-501", "TBL-502", "FMT-408", "CON-101", "CON-102", "CON-103", "CON-104", "CON-105"):
        rule = RULES[rid]
        assert rule.rationale and rule.example_fail and rule.example_pass, rid
    assert RULES["TBL-501"].scope == "pair"


def test_leaf_rows_are_all_in_template():
    keys = {r.key for r in rows("三")}
    assert set(leaf_rows_三("2021")) <= keys and set(leaf_rows_三("2019")) <= keys


def test_every_check_says_what_it_found_in_chinese(corpus_dir):
    """The xlsx 表格校验 sheet and the JSON ``checks`` list show each check's message to a reviewer: a passing
    identity must not carry the failure sentence, and no status may come without a (Chinese) reason."""
    import re

    seen = set()
    for prefix in ("001_", "051_", "053_", "000_"):
        _, checks = run(corpus_report(corpus_dir, prefix))
        for c in checks:
            seen.add(c.status)
            assert c.message and re.search(r"[\u4e00-\u9fff]", c.message), c
            if c.status == "pass":
                assert "不成立" not in c.message and "但" not in c.message and "不符" not in c.message, c
    assert {"pass", "fail", "uncertain"} <= seen
