"""Structure recovery: the six sections, preamble, closing, unit, level, year — on real reports and on variants."""

from __future__ import annotations

import csv
import re

import pytest

from analyzer.model import MANDATED_SECTIONS
from analyzer.read import document_from_text
from analyzer.structure import infer_level, structure_document

# Full-text corpus reports whose headings are damaged in the source itself (read by hand): the section is really
# absent from the text, so "missing" is the right answer.
REALLY_MISSING = {
    "011_shanghai_govoffice_2025.txt": {"problems"},  # heading 五 lost in the PDF→markdown extraction
    "059_pingtan_finance_bureau_2021.txt": {"other"},  # the report has no 六、其他需要报告的事项 heading
}


def _sources(corpus_dir):
    with open(corpus_dir / "SOURCES.tsv", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}


def _full_reports(corpus_dir):
    return sorted(p for p in corpus_dir.glob("*.txt") if "_excerpt_" not in p.name)


def _structure(path):
    from analyzer.read import read_document

    return structure_document(read_document(path))


def test_every_full_corpus_report_has_its_sections(corpus_dir):
    problems = []
    for path in _full_reports(corpus_dir):
        report = _structure(path)
        found = {s.id for s in report.sections}
        expected = set(MANDATED_SECTIONS) - REALLY_MISSING.get(path.name, set())
        if found & set(MANDATED_SECTIONS) != expected:
            problems.append((path.name, sorted(expected - found), sorted(found & set(MANDATED_SECTIONS) - expected)))
    assert not problems, problems


def test_sections_come_in_order_and_do_not_overlap(corpus_dir):
    for path in _full_reports(corpus_dir):
        report = _structure(path)
        spans = [(s.start, s.end) for s in report.sections]
        assert spans == sorted(spans), path.name
        for (a0, a1), (b0, b1) in zip(spans, spans[1:]):
            assert a1 <= b0, (path.name, (a0, a1), (b0, b1))


def test_year_matches_sources(corpus_dir):
    sources = _sources(corpus_dir)
    wrong = []
    for path in sorted(corpus_dir.glob("*.txt")):
        report = _structure(path)
        want = int(sources[path.name]["report_year"])
        if report.year != want:
            wrong.append((path.name, report.year, want))
    assert not wrong, wrong


def _same_unit(found: str | None, truth: str) -> bool:
    if not found:
        return False
    f, t = re.sub(r"[（(].*?[)）]", "", found), re.sub(r"[（(].*?[)）]", "", truth)
    return f in t or t in f or len(set(f) & set(t)) >= 0.7 * min(len(f), len(t))


def test_unit_matches_sources_on_full_reports(corpus_dir):
    sources = _sources(corpus_dir)
    wrong = []
    for path in _full_reports(corpus_dir):
        report = _structure(path)
        if not _same_unit(report.unit, sources[path.name]["issuing_body"]):
            wrong.append((path.name, report.unit, sources[path.name]["issuing_body"]))
    # web scrapes whose title is only in the archiver's header need the reader's metadata; allow none wrong
    assert not wrong, wrong


# ------------------------------------------------------------------ variants (synthetic, one per real-world pattern)

BODY = {
    "overview": "总体情况",
    "proactive": "主动公开政府信息情况",
    "requests": "收到和处理政府信息公开申请情况",
    "review_litigation": "政府信息公开行政复议、行政诉讼情况",
    "problems": "存在的主要问题及改进情况",
    "other": "其他需要报告的事项",
}
CN = "一二三四五六"


def _report(headings: list[str], title="测试镇人民政府2023年政府信息公开工作年度报告"):
    parts = [title, "本报告根据《中华人民共和国政府信息公开条例》编制，统计期限为2023年1月1日至2023年12月31日。"]
    for h in headings:
        parts.append(h)
        parts.append("本部分正文，内容为若干句话。我镇全年主动公开政府信息120条。")
    parts.append("测试镇人民政府")
    parts.append("2024年1月20日")
    return structure_document(document_from_text("t.txt", "\n".join(parts)))


def _ids(report):
    return [s.id for s in report.sections]


def test_standard_headings():
    r = _report([f"{CN[i]}、{BODY[s]}" for i, s in enumerate(MANDATED_SECTIONS)])
    assert _ids(r) == ["preamble", *MANDATED_SECTIONS, "closing"]
    assert r.unit == "测试镇人民政府" and r.level == "township" and r.year == 2023


@pytest.mark.parametrize("fmt", ["{n}、{t}", "（{n}）{t}", "{a}、{t}", "{a}.{t}", "{t}", "## {n}、{t}"])
def test_numbering_styles(fmt):
    heads = [fmt.format(n=CN[i], a=i + 1, t=BODY[s]) for i, s in enumerate(MANDATED_SECTIONS)]
    assert [i for i in _ids(_report(heads)) if i in MANDATED_SECTIONS] == list(MANDATED_SECTIONS)


def test_typo_in_heading_still_found():
    heads = [f"{CN[i]}、{BODY[s]}" for i, s in enumerate(MANDATED_SECTIONS)]
    heads[3] = "四、政府信息公开行政法复议、行政诉讼情况"
    heads[5] = "六、其它需要报告的事项"
    assert [i for i in _ids(_report(heads)) if i in MANDATED_SECTIONS] == list(MANDATED_SECTIONS)


def test_missing_section_is_missing():
    heads = [f"{CN[i]}、{BODY[s]}" for i, s in enumerate(MANDATED_SECTIONS) if s != "problems"]
    r = _report(heads)
    assert r.section("problems") is None and r.section("other") is not None


def test_extra_section_detected_and_rest_kept():
    heads = ["一、总体情况", "二、政务公开重点工作落实情况", "三、主动公开政府信息情况", "四、收到和处理政府信息公开申请情况",
             "五、政府信息公开行政复议、行政诉讼情况", "六、存在的主要问题及改进情况", "七、其他需要报告的事项"]
    r = _report(heads)
    assert _ids(r) == ["preamble", "overview", "extra", *MANDATED_SECTIONS[1:], "closing"]


def test_headings_merged_into_one_line_web_scrape():
    text = ("测试县人民政府2022年度政府信息公开工作年度报告 本报告根据《条例》编制。 一、总体情况 2022年，我县主动公开信息。"
            " 二、主动公开政府信息情况第二十条第（一）项 信息内容 规章000 三、收到和处理政府信息公开申请情况（本列数据） 0000000"
            "四、政府信息公开行政复议、行政诉讼情况 0 0 0 五、存在的主要问题及改进情况 一是问题。 六、其他需要报告的事项 无。")
    r = structure_document(document_from_text("t.txt", text))
    assert [i for i in _ids(r) if i in MANDATED_SECTIONS] == list(MANDATED_SECTIONS)
    assert r.year == 2022 and r.unit == "测试县人民政府" and r.level == "county"


def test_subheadings_of_overview_are_not_sections():
    text = "\n".join([
        "一、总体情况", "（一）主动公开情况", "全年主动公开120条。", "（二）依申请公开情况", "收到申请3件。",
        "二、主动公开政府信息情况", "表", "三、收到和处理政府信息公开申请情况", "表", "四、政府信息公开行政复议、行政诉讼情况",
        "表", "五、存在的主要问题及改进情况", "（一）存在的问题", "人员不足。", "（二）改进情况", "加强培训。",
        "六、其他需要报告的事项", "无。"])
    r = structure_document(document_from_text("t.txt", text))
    assert [i for i in _ids(r) if i in MANDATED_SECTIONS] == list(MANDATED_SECTIONS)
    assert [s.title for s in r.section("overview").subsections] == ["（一）主动公开情况", "（二）依申请公开情况"]
    kinds = [s.kind for s in r.section("problems").subsections]
    assert kinds == ["problems", "improvements"]


def test_problems_without_subheadings_split_at_measures():
    text = "五、存在的主要问题及改进情况\n一是专职人员不足。二是公开深度不够。下一步，我局将加强培训，完善制度。\n六、其他需要报告的事项\n无。"
    r = structure_document(document_from_text("t.txt", text))
    subs = r.section("problems").subsections
    assert [s.kind for s in subs] == ["problems", "improvements"]
    assert r.text[subs[1].start:subs[1].end].startswith("下一步")


@pytest.mark.parametrize("unit,level", [
    ("王村镇人民政府", "township"), ("西咸新区底张街道办事处", "township"), ("洪泽区人民政府", "county"),
    ("宿迁市人民政府", "city"), ("贵州省机关事务管理局", "province_dept"), ("六安市舒城县生态环境分局", "county_dept"),
    ("上海市人民政府办公厅", "province"), ("平潭综合实验区财政金融局", "city_dept"), ("平潭综合实验区金井片区管理局", "township"),
    ("广东省生态环境厅", "province_dept"), ("沈阳市浑南区人民政府国有资产监督管理局", "county_dept"),
])
def test_level_from_unit_name(unit, level):
    assert infer_level(unit) == level


@pytest.mark.parametrize("original", [
    "001_hongze_district_2023.pdf", "005_pingtan_2020.html", "006_pingtan_2022.html",
    "048_pingtan_haitan_area_2019.html", "053_pingtan_jinjing_area_2022.html",
    "062_pingtan_social_affairs_bureau_2023.html",
])
def test_original_file_and_its_text_extraction_give_the_same_structure(corpus_dir, original):
    """The same report as published (PDF / web page) and as extracted text: same sections, unit, year, format."""
    from analyzer.config import Config
    from analyzer.pipeline import build_report

    a = build_report(corpus_dir / "original" / original, Config())
    b = build_report(corpus_dir / (original.rsplit(".", 1)[0] + ".txt"), Config())
    assert [s.id for s in a.sections if s.id in MANDATED_SECTIONS] == [s.id for s in b.sections if s.id in MANDATED_SECTIONS]
    assert (a.year, a.format_version, a.level) == (b.year, b.format_version, b.level)
    assert _same_unit(a.unit, b.unit or "")
