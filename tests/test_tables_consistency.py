"""Narrative ↔ table consistency (CON-101…104): real cases from the corpus and synthetic pass/fail pairs."""

from __future__ import annotations

import pytest

from analyzer.config import Config
from analyzer.model import Check, Finding, Report
from analyzer.read import document_from_text, read_document
from analyzer.rules import CheckContext
from analyzer.tables import consistency as con
from analyzer.tables import extract_tables

FUNCS = (con.check_applications, con.check_review_litigation, con.check_normative, con.check_listed_parts,
         con.check_percentages)


def report_for(doc, year=2022) -> Report:
    return Report(document=doc, title=None, unit=None, level=None, year=year, published=None, format_version=None,
                  sections=[], tables=extract_tables(doc, []))


def run(report):
    items = [x for fn in FUNCS for x in fn(report, CheckContext(Config()))]
    return [x for x in items if isinstance(x, Finding)], [x for x in items if isinstance(x, Check)]


def synthetic(narrative: str, new=(3, 1, 0, 0, 0, 0, 4), carried=(0,) * 7, four=(0,) * 15,
              normative=(1, 0, 3)) -> Report:
    total = tuple(n + c for n, c in zip(new, carried))
    text = "\n".join([
        "一、总体情况", narrative,
        "二、主动公开政府信息情况", "第二十条第（一）项",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "| 规章 | 0 | 0 | 0 |",
        "| 行政规范性文件 | " + " | ".join(map(str, normative)) + " |",
        "三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "| 一、本年新收政府信息公开申请数量 | " + " | ".join(map(str, new)) + " |",
        "| 二、上年结转政府信息公开申请数量 | " + " | ".join(map(str, carried)) + " |",
        "| （一）予以公开 | " + " | ".join(map(str, total)) + " |",
        "| （七）总计 | " + " | ".join(map(str, total)) + " |",
        "| 四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "四、政府信息公开行政复议、行政诉讼情况", "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 复议后起诉 |",
        "| " + " | ".join(map(str, four)) + " |",
        "五、存在的主要问题及改进情况", "无。",
    ])
    return report_for(document_from_text("s.txt", text + "\n"))


def rules_of(findings):
    return [f.rule for f in findings]


# ---------------------------------------------------------------- CON-101


def test_applications_match_and_mismatch():
    assert rules_of(run(synthetic("2022年共收到政府信息公开申请4件，均已按时答复。"))[0]) == []
    findings, _ = run(synthetic("2022年共收到政府信息公开申请6件，均已按时答复。"))
    assert rules_of(findings) == ["CON-101"]
    f = findings[0]
    assert f.category == "consistency" and f.evidence["stated"] == 6 and f.table == "三"
    assert f.text is None and f.start is not None


def test_applications_with_carried_over_and_chinese_numerals():
    carried = (1, 0, 0, 0, 0, 0, 1)
    # 受理 5 = 新收 4 + 上年结转 1 is a reasonable reading: no finding
    assert rules_of(run(synthetic("全年受理政府信息公开申请5件（含上年结转1件）。", carried=carried))[0]) == []
    assert rules_of(run(synthetic("全年共收到政府信息公开申请四件。"))[0]) == []
    assert rules_of(run(synthetic("全年共收到政府信息公开申请七件。"))[0]) == ["CON-101"]


def test_approximations_parts_and_other_years_are_not_compared():
    for text in ("全年共收到政府信息公开申请10余件。", "其中网络申请2件。", "2021年共收到政府信息公开申请9件。",
                 "全年收到依申请公开申请约9件。"):
        assert rules_of(run(synthetic(text))[0]) == [], text


# ---------------------------------------------------------------- CON-102, CON-103


def test_review_and_litigation_counts():
    four = (1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)
    assert rules_of(run(synthetic("共有行政诉讼案件1件、行政复议案件2件，均已结案。", four=four))[0]) == []
    findings, _ = run(synthetic("全年发生行政复议案件3件。", four=four))
    assert rules_of(findings) == ["CON-102"] and findings[0].row == "行政复议"


def test_normative_documents():
    assert rules_of(run(synthetic("本年度制发规范性文件1件，现行有效件数3件。"))[0]) == []
    findings, _ = run(synthetic("本年度制发规范性文件1件，现行有效件数424件。"))
    assert rules_of(findings) == ["CON-103"]


# ---------------------------------------------------------------- CON-104


def test_listed_parts():
    ok = "全年主动公开信息86条，其中机关职能类信息8条，扶贫、教育、医疗类信息1条；其他应主动公开的政府信息77条。"
    assert rules_of(run(synthetic(ok))[0]) == []
    bad = "全年主动公开信息90条，其中机构职能类1条；规范性文件类10条；财政资金类52条；预决算5条；其他25条。"
    findings, checks = run(synthetic(bad))
    assert rules_of(findings) == ["CON-104"] and findings[0].evidence["expected"] == 93
    partial = "全年主动公开信息90条，其中主要包括规范性文件10条、工作动态52条。"
    assert rules_of(run(synthetic(partial))[0]) == []


# ---------------------------------------------------------------- CON-105


def test_percentages():
    ok = "全年制作政府信息总数467条，其中主动公开政府信息53条，依申请公开246条，不予公开168条。主动公开的政府信息占11.3%。"
    findings, checks = run(synthetic(ok))
    assert rules_of(findings) == [] and [c.status for c in checks if c.rule == "CON-105"] == ["pass"]
    bad = ok.replace("11.3%", "13.5%")
    findings, _ = run(synthetic(bad))
    assert rules_of(findings) == ["CON-105"] and findings[0].evidence["total"] == 467
    # a rate that is not a share of the stated counts (满意率) and a share without a stated total are not judged
    assert rules_of(run(synthetic("受理诉求2576件，已办理2520件，满意率达99.9%以上。"))[0]) == []
    assert rules_of(run(synthetic("发布信息30条，解读5篇，其中图解占40%。"))[0]) == []


# ---------------------------------------------------------------- the corpus


EXPECTED = {
    "074_": ["CON-101"],  # '共受理公开申请34件' vs 新收 32
    "092_": ["CON-101"],  # 4 applications in the text, all-zero table
    "073_": ["CON-103"],  # 现行有效 424 vs table '34089'
    "059_": ["CON-104", "CON-105"],  # 510 vs 198+142+137; 198/510 is 38.8%, not the stated 41.5%
    "090_": ["CON-104"],  # 617份 vs 138+431
    "056_": ["CON-104"],  # 156 vs 151
}


def corpus_report(path) -> Report:
    from analyzer.structure import structure_document

    return structure_document(read_document(path))


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_corpus_cases(corpus_dir, prefix):
    path = sorted(corpus_dir.glob(prefix + "*.txt"))[0]
    findings, _ = run(corpus_report(path))
    assert rules_of(findings) == EXPECTED[prefix]


def test_corpus_precision(corpus_dir):
    """Only the reports with a known narrative/table or narrative-arithmetic fault get a CON-10x finding."""
    known = set(EXPECTED) | {"005_", "039_"}  # 005: 2602 vs listed 2603; 039: 1342 vs listed items
    flagged = set()
    for path in sorted(corpus_dir.glob("[0-9]*.txt")):
        if run(corpus_report(path))[0]:
            flagged.add(path.name[:4])
    assert flagged == known
