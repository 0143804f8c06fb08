"""Writing rules (TYPO-2xx, PUNC-3xx, FMT-40x, CON-20x): one failing and one passing example per rule, run through
the real reader and structure stage on a realistic report."""

from __future__ import annotations

import re

import pytest

from analyzer.config import Config
from analyzer.model import Report
from analyzer.pipeline import audit_report
from analyzer.read import document_from_text
from analyzer.rules import CheckContext, load_all_rules
from analyzer.structure import structure_document
from analyzer.text.rules import RULES, writing_hits

CLEAN = """王村镇人民政府2022年政府信息公开工作年度报告
根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）要求，编制本报告。本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。
一、总体情况
2022年，我镇认真贯彻落实《中华人民共和国政府信息公开条例》，由分管领导负总责，做到定岗定责，坚持“公开为常态、不公开为例外”，依法做好依申请公开工作。
二、主动公开政府信息情况
本年主动公开政府信息120条，解读政策的决策背景、依据和主要内容。
三、收到和处理政府信息公开申请情况
本年未收到政府信息公开申请。
四、政府信息公开行政复议、行政诉讼情况
本年无行政复议、行政诉讼。
五、存在的主要问题及改进情况
一是政策解读形式单一；二是公开内容不够全面。下一步，一是加强培训；二是丰富解读形式；三是完善制度。2023年，我镇将继续推进政务公开工作。
六、其他需要报告的事项
本年度未收取信息处理费。
王村镇人民政府
2023年1月20日
"""


def report_of(text: str, **overrides) -> Report:
    report = structure_document(document_from_text("report.txt", text))
    for k, v in overrides.items():
        setattr(report, k, v)
    return report


def hits_of(text: str, config: Config | None = None, **overrides):
    return writing_hits(report_of(text, **overrides), CheckContext(config=config or Config()))


def rules_hit(text: str, config: Config | None = None, **overrides) -> set[str]:
    return {h.rule for h in hits_of(text, config, **overrides)}


def test_clean_report_has_no_writing_findings():
    assert hits_of(CLEAN) == []


# (rule, replace-this, with-this, extra report attributes, config). The fail text is CLEAN with one fault
# injected; the pass text is CLEAN itself (or CLEAN with the same context but correct wording).
CASES = [
    ("TYPO-201", "由分管领导负总责", "由分管领导负总表", {}, None),
    ("TYPO-201", "依法做好依申请公开工作", "依法做好政务公共工作人员培训", {}, None),
    ("TYPO-202", "解读政策的决策背景、依据", "解读政策的背导依据", {}, Config(enabled_rules={"TYPO-202"})),
    ("TYPO-203", "王村镇人民政府\n2023年1月20日", "王村镇人民政符\n2023年1月20日", {}, None),
    ("TYPO-204", "本年主动公开政府信息120条", "本年主动公开政府信息120条，全年共组织召开专题会义三次", {}, None),
    ("TYPO-205", "依法做好依申请公开工作", "依法做好依申请公开工作，建立监督员制度知信息主动公开目录", {}, None),
    ("TYPO-206", "解读政策的决策背景、依据", "解读政策的决策背导依据", {}, None),
    ("TYPO-206", "依法做好依申请公开工作", "依法做好依申请公开工作，健全信息发布审杏机制", {}, None),
    ("PUNC-301", "坚持“公开为常态、不公开为例外”", "坚持\"公开为常态、不公开为例外", {}, None),
    ("PUNC-301", "（国办公开办函〔2021〕30号）要求", "国办公开办函〔2021〕30号）要求", {}, None),
    ("PUNC-302", "本年主动公开政府信息120条，", "本年主动公开政府信息120条,", {}, None),
    ("PUNC-303", "贯彻落实《中华", "贯彻落实落实《中华", {}, None),
    ("PUNC-304", "三是完善制度", "二是完善制度", {}, None),
    ("PUNC-305", "二是公开内容不够全面。", "二是公开内容不够全面。，", {}, None),
    ("FMT-401", "本年未收到政府信息公开申请。", "本年未收到政府信息公开申请。[bookmark: _GoBack]", {}, None),
    ("FMT-402", "国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号", {}, None),
    ("FMT-403", "本年无行政复议、行政诉讼。", "本年无行政复议、行政诉讼，依据国办发[2019]5号文件办理。", {}, None),
    ("FMT-404", "2023年1月20日", "2023年2月30日", {}, None),
    ("FMT-405", "根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
                "（国办公开办函〔2021〕30号）要求，编制本报告。", "现公布本镇年度报告。", {}, None),
    ("FMT-406", "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。", "", {}, None),
    ("FMT-407", "王村镇人民政府\n2023年1月20日\n", "", {}, None),
    ("CON-201", "2023年，我镇将继续推进", "2022年，我镇将继续推进", {}, None),
    ("CON-202", "统计期限自2022年1月1日起至2022年12月31日止", "统计期限自2021年1月1日起至2021年12月31日止", {}, None),
    ("CON-203", "王村镇人民政府\n2023年1月20日", "李庄镇人民政府\n2023年1月20日", {}, None),
]


@pytest.mark.parametrize("rule,good,bad,overrides,config", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fails_on_fault_and_passes_on_clean(rule, good, bad, overrides, config):
    assert good in CLEAN
    faulty = CLEAN.replace(good, bad, 1)
    assert rule in rules_hit(faulty, config, **overrides)
    assert rule not in rules_hit(CLEAN, config, **overrides)


def test_copied_preamble_year_and_unit():
    text = CLEAN.replace("编制本报告。", "现将李庄镇人民政府2021年政府信息公开工作情况报告如下。", 1)
    found = {(h.rule, h.suggestion) for h in hits_of(text)}
    assert ("CON-201", "2022年") in found
    assert ("CON-203", "王村镇人民政府") in found
    own = CLEAN.replace("编制本报告。", "现将王村镇人民政府2022年政府信息公开工作情况报告如下。", 1)
    assert not {r for r in rules_hit(own) if r.startswith("CON")}


def test_timeliness_against_the_legal_deadline():
    # local government: 31 March of the following year; department: 31 January
    assert "CON-204" in rules_hit(CLEAN, published="2023-04-02")
    assert "CON-204" not in rules_hit(CLEAN, published="2023-03-31")
    assert "CON-204" in rules_hit(CLEAN, published="2023-02-10", level="county_dept")
    assert "CON-204" not in rules_hit(CLEAN, published="2023-01-31", level="county_dept")
    assert "CON-204" not in rules_hit(CLEAN, published=None)


def test_every_declared_rule_is_covered_by_a_test():
    covered = {c[0] for c in CASES} | {"CON-204"}
    assert {r.id for r in RULES} == covered


def test_half_width_punctuation_is_one_finding_with_a_count():
    faulty = CLEAN.replace("，", ",")
    found = [h for h in hits_of(faulty) if h.rule == "PUNC-302"]
    assert len(found) == 1
    assert found[0].evidence["count"] == len(re.findall(r"(?<=[\u4e00-\u9fff]),(?=[\u4e00-\u9fff])", faulty))
    assert found[0].evidence["count"] >= 5


def test_near_miss_suggestion_and_exact_span():
    faulty = CLEAN.replace("负总责", "负总表")
    report = report_of(faulty)
    (hit,) = [h for h in writing_hits(report, CheckContext(config=Config())) if h.rule == "TYPO-201"]
    assert report.text[hit.start:hit.end] == "负总表"
    assert hit.suggestion == "负总责"


def test_table_cells_are_not_checked_as_prose():
    table = "\n二、主动公开政府信息情况\n\t信息内容\n\t本年制发件数\n\t规章\n\t0\n\t行政规范性文件\n\t00\n"
    faulty = CLEAN.replace("\n二、主动公开政府信息情况\n", table, 1)
    assert not {r for r in rules_hit(faulty) if r.startswith(("TYPO", "PUNC"))}


def test_legitimate_reduplication_and_word_boundaries_are_not_doubled_words():
    text = CLEAN.replace("依法做好依申请公开工作", "认认真真做好依申请公开工作，层层压实责任，公开开展评议")
    assert "PUNC-303" not in rules_hit(text)


def test_the_unit_name_written_in_the_report_is_never_a_typo():
    text = CLEAN.replace("王村镇", "王付镇")  # an unusual name, used consistently
    assert not {r for r in rules_hit(text) if r.startswith("TYPO")}


def test_findings_flow_through_the_pipeline_with_category_and_offsets():
    load_all_rules()
    faulty = CLEAN.replace("负总责", "负总表").replace("不公开为例外”", "不公开为例外")
    audit = audit_report(report_of(faulty), Config())
    typo = [f for f in audit.findings if f.rule == "TYPO-201"]
    assert typo and typo[0].category == "typo" and typo[0].text == "负总表" and typo[0].section == "overview"
    punc = [f for f in audit.findings if f.rule == "PUNC-301"]
    assert punc and punc[0].category == "punctuation"


def test_disabling_a_rule_in_the_config_silences_it():
    load_all_rules()
    faulty = CLEAN.replace("负总责", "负总表")
    audit = audit_report(report_of(faulty), Config(disabled_rules={"TYPO-201"}))
    assert not [f for f in audit.findings if f.rule == "TYPO-201"]


def test_real_docx_typos_found_and_table_cells_ignored(tmp_path):
    from docx import Document as DocxDocument

    from analyzer.pipeline import audit_file

    doc = DocxDocument()
    for line in CLEAN.replace("负总责", "负总表").splitlines():
        doc.add_paragraph(line)
        if line.startswith("二、主动公开政府信息情况"):
            table = doc.add_table(rows=3, cols=4)
            for r, row in enumerate([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                                     ["规章", "0", "0", "0"], ["行政规范性文件", "1", "1,2", "00"]]):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    path = tmp_path / "report.docx"
    doc.save(path)
    audit = audit_file(path)
    assert audit.error is None
    typo = [f for f in audit.findings if f.category == "typo"]
    assert [(f.rule, f.text, f.suggestion) for f in typo] == [("TYPO-201", "负总表", "负总责")]
    assert audit.report.text[typo[0].start:typo[0].end] == "负总表"
    assert not [f for f in audit.findings if f.category == "punctuation"]


def test_stray_character_only_when_it_never_stands_alone():
    fail = CLEAN.replace("依法做好依申请公开工作", "依法做好依申请公开工作，建立监督员制度知信息主动公开目录", 1)
    ok = CLEAN.replace("依法做好依申请公开工作", "依法做好依申请公开工作，建立监督员制度和信息主动公开目录", 1)
    assert [h.suggestion for h in hits_of(fail) if h.rule == "TYPO-205"] == ["和"]
    assert "TYPO-205" not in rules_hit(ok)


def test_invented_word_next_to_a_term_is_a_hint_with_the_term():
    fail = CLEAN.replace("解读政策的决策背景、依据", "解读政策的决策背导依据", 1)
    found = [h for h in hits_of(fail) if h.rule == "TYPO-206"]
    assert [(fail[h.start:h.end], h.suggestion) for h in found] == [("决策背导", "决策背景")]
    assert "导" in found[0].message


@pytest.mark.parametrize("wording", [
    "解读政策的决策背导依据，并在“决策背导”栏目中说明",  # written the same way twice: the unit's own word
    "设立“决策背导”专栏",  # a quoted short name is a coinage
])
def test_invented_word_repeated_or_quoted_is_not_flagged(wording):
    text = CLEAN.replace("解读政策的决策背景、依据", wording, 1)
    assert "TYPO-206" not in rules_hit(text)


def test_one_stray_list_number_is_reported_once():
    text = CLEAN.replace("一是加强培训；二是丰富解读形式；三是完善制度。",
                         "一是加强培训；五是丰富解读形式；二是完善制度；三是健全考核。", 1)
    found = [h for h in hits_of(text) if h.rule == "PUNC-304"]
    assert [text[h.start:h.end] for h in found] == ["五是"]
    # a real skip (二是 missing) followed by the next number is still one finding, on the skip
    skip = CLEAN.replace("一是加强培训；二是丰富解读形式；三是完善制度。", "一是加强培训；三是丰富解读形式；四是完善制度。", 1)
    assert [skip[h.start:h.end] for h in hits_of(skip) if h.rule == "PUNC-304"] == ["三是"]


def test_literary_preposition_is_not_a_stray_character():
    # 予 = 给 in official prose (印发予基层执法人员参考): a function word, not 了 mistyped
    text = CLEAN.replace("本年度未收取信息处理费。", "本年度未收取信息处理费。将《政策汇编》印发予基层执法人员参考。", 1)
    assert "TYPO-205" not in rules_hit(text)
