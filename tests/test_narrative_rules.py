"""Every narrative rule (BLR-5xx, CMP-6xx) on a pass and a fail example.

Reports are real-looking text files written by the test (not corpus text), read and structured by the real
pipeline, and audited with the trained models in ``models/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.pipeline import audit_file, build_report

GOOD_OVERVIEW = (
    "2023年，县交通运输局按照年度政务公开工作要点，逐项落实公开任务。\n"
    "（一）主动公开情况。全年在县政府门户网站主动公开政府信息318条，其中政策文件21件、政策解读12篇，"
    "3月举办“交通惠民政策”新闻发布会1场。\n"
    "（二）依申请公开情况。全年受理政府信息公开申请7件，其中予以公开4件、本机关不掌握3件，均在法定期限内答复。\n"
    "（三）政府信息管理情况。对2019年以来制发的46件规范性文件开展清理，废止5件，宣布失效2件，"
    "并在政策文件库逐件标注有效性；公文拟制时同步认定公开属性，全年认定128件。\n"
    "（四）平台建设情况。“县交通”微信公众号全年推送信息142条，新增“办事指南”栏目，"
    "关停长期不更新的政务微博账号1个。\n"
    "（五）监督保障情况。将政务公开纳入局属8个单位年度考核，分值5分；组织业务培训2期，参训56人次；"
    "全年未发生政府信息公开责任追究情况。\n"
)
NO_REQUESTS_OVERVIEW = GOOD_OVERVIEW.replace(
    "（二）依申请公开情况。全年受理政府信息公开申请7件，其中予以公开4件、本机关不掌握3件，均在法定期限内答复。\n", "")
COUNTS_ONLY_OVERVIEW = "2023年，我局主动公开政府信息217条，其中门户网站公开125条，微信公众号公开92条。全年共发布工作动态86条。\n"
LONG_SENTENCE_OVERVIEW = GOOD_OVERVIEW + (
    "全年围绕交通运输重点工作，持续推进政务公开标准化规范化建设，进一步完善信息发布审核机制，"
    "认真做好政策文件解读和社会关切回应工作，积极拓展公开渠道和公开形式，不断提升政府信息公开的"
    "及时性、准确性和权威性，切实保障人民群众的知情权、参与权、表达权和监督权，努力推动全局政务公开工作"
    "提质增效，为建设人民满意交通提供有力保障，助力全县经济社会高质量发展\n")

CONCRETE_PROBLEMS = (
    "（一）存在问题。一是政策解读以文字为主，全年仅发布图解解读2篇。"
    "二是“县交通”公众号有3个栏目超过半年未更新。\n"
    "（二）改进措施。一是2024年起对重要政策同步制作图解或短视频解读，全年不少于10篇。"
    "二是建立栏目每月巡查制度，由办公室专人负责更新，对6个月未更新的栏目予以合并。\n"
)
GENERIC_PROBLEMS = (
    "（一）存在问题。一是工作人员业务能力有待进一步提高。二是信息公开的及时性、准确性还不够。"
    "三是公开形式不够丰富。\n"
    "（二）改进措施。一是进一步加强学习培训，不断提高业务水平。二是进一步健全工作机制，切实提高信息公开质量。"
    "三是不断拓宽公开渠道，切实保障人民群众的知情权和监督权。\n"
)
STAFF_ONLY_PROBLEMS = (
    "（一）存在问题。一是专职人员不稳定，工作人员业务能力有待提高。二是队伍力量薄弱，人员素质有待加强。\n"
    "（二）改进措施。一是组织全体人员参加培训2期。二是配备1名专职人员。\n"
)
UNANSWERED_PROBLEMS = (
    "（一）存在问题。一是政策解读以文字为主，全年仅发布图解解读2篇。"
    "二是“县交通”公众号有3个栏目超过半年未更新。\n"
    "（二）改进措施。一是2024年起对重要政策同步制作图解或短视频解读，全年不少于10篇。"
    "二是组织全体干部参加保密知识专题学习两次。\n"
)
NO_MEASURES_PROBLEMS = "一是政策解读以文字为主，全年仅发布图解解读2篇。二是“县交通”公众号有3个栏目超过半年未更新。\n"
FEE = "本年度未收取信息处理费。\n"


def report_text(overview=GOOD_OVERVIEW, problems=CONCRETE_PROBLEMS, other=FEE, year=2023):
    return (
        f"某某县交通运输局{year}年政府信息公开工作年度报告\n"
        f"根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
        f"（国办公开办函〔2021〕30号）要求，编制本报告。本报告所列数据的统计期限自{year}年1月1日起至"
        f"{year}年12月31日止。\n"
        f"一、总体情况\n{overview}"
        "二、主动公开政府信息情况\n（详见附表）\n"
        "三、收到和处理政府信息公开申请情况\n（详见附表）\n"
        "四、政府信息公开行政复议、行政诉讼情况\n（详见附表）\n"
        f"五、存在的主要问题及改进情况\n{problems}"
        f"六、其他需要报告的事项\n{other}"
        f"某某县交通运输局\n{year + 1}年1月20日\n"
    )


def audit(tmp_path: Path, name="r.txt", previous=None, **parts):
    p = tmp_path / name
    p.write_text(report_text(**parts), encoding="utf-8")
    a = audit_file(p, Config(), previous=previous)
    assert a.error is None, a.error
    return a


def rules(a, prefix=("BLR", "CMP")):
    return [f for f in a.findings if f.rule.startswith(prefix)]


def ids(a):
    return {f.rule for f in rules(a)}


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return audit(tmp_path_factory.mktemp("good"))


def test_good_report_has_no_narrative_findings_above_info(good):
    assert not [f for f in rules(good) if f.severity != "info"], [(f.rule, f.message) for f in rules(good)]
    assert ids(good) <= {"BLR-501"}  # at most the odd generic sentence, as info
    assert len([f for f in rules(good) if f.rule == "BLR-501"]) <= 2


def test_findings_point_into_the_document(good, tmp_path):
    a = audit(tmp_path, problems=GENERIC_PROBLEMS)
    text = a.report.text
    for f in rules(a):
        assert f.start is not None and f.end is not None and 0 <= f.start < f.end <= len(text)
        assert f.text == text[f.start:f.end]


def test_blr501_generic_sentences(good, tmp_path):
    a = audit(tmp_path, problems=GENERIC_PROBLEMS)
    flagged = [f.text for f in a.findings if f.rule == "BLR-501" and f.section == "problems"]
    assert any("业务能力有待进一步提高" in t for t in flagged)
    assert all(f.severity == "info" for f in a.findings if f.rule == "BLR-501")
    assert not [f for f in good.findings if f.rule == "BLR-501" and f.section == "problems"]


def test_blr502_generic_section(good, tmp_path):
    a = audit(tmp_path, problems=GENERIC_PROBLEMS)
    assert [f for f in a.findings if f.rule == "BLR-502" and f.section == "problems"]
    assert "BLR-502" not in ids(good)
    assert a.extras["narrative"]["sections"]["problems"]["specificity"] < 0.25


def test_blr503_staff_only_problems(good, tmp_path):
    assert "BLR-503" in ids(audit(tmp_path, problems=STAFF_ONLY_PROBLEMS))
    assert "BLR-503" not in ids(good)


def test_blr504_long_sentence(good, tmp_path):
    a = audit(tmp_path, overview=LONG_SENTENCE_OVERVIEW)
    long = [f for f in a.findings if f.rule == "BLR-504"]
    assert len(long) == 1 and long[0].evidence["chars"] > 150
    assert "BLR-504" not in ids(good)


def test_cmp601_missing_aspect(good, tmp_path):
    a = audit(tmp_path, overview=NO_REQUESTS_OVERVIEW)
    missing = [f.evidence["aspect"] for f in a.findings if f.rule == "CMP-601"]
    assert missing == ["requests"]
    assert "依申请公开" in [f for f in a.findings if f.rule == "CMP-601"][0].message
    assert "CMP-601" not in ids(good)
    assert all(v["covered"] for v in good.extras["narrative"]["aspects"].values())


def test_cmp602_problem_without_measure(good, tmp_path):
    a = audit(tmp_path, problems=UNANSWERED_PROBLEMS)
    flagged = [f for f in a.findings if f.rule == "CMP-602"]
    assert len(flagged) == 1 and "栏目" in flagged[0].text
    assert "CMP-602" not in ids(good)


def test_cmp603_problems_without_measures(good, tmp_path):
    a = audit(tmp_path, problems=NO_MEASURES_PROBLEMS)
    assert "CMP-603" in ids(a)
    assert "CMP-603" not in ids(good)


def test_cmp604_fee_not_reported(good, tmp_path):
    a = audit(tmp_path, other="无。\n")
    assert "CMP-604" in ids(a)
    assert "CMP-604" not in ids(good)


def test_cmp605_last_years_problems(tmp_path):
    prev = tmp_path / "prev.txt"
    prev.write_text(report_text(year=2022, problems=(
        "（一）存在问题。一是政策解读以文字为主，全年仅发布图解解读1篇。二是政务微博更新不及时。\n"
        "（二）改进措施。一是增加图解解读。二是关停不更新的政务微博。\n")), encoding="utf-8")
    previous = build_report(prev, Config())
    unrelated = ("（一）存在问题。一是规范性文件清理不够及时，仍有2件失效文件未标注。\n"
                 "（二）改进措施。一是每季度对规范性文件有效性开展一次核查。\n")
    assert "CMP-605" in ids(audit(tmp_path, name="a.txt", previous=previous, problems=unrelated))
    followed = "（一）上年度报告提出的政策解读形式单一问题，本年度已制作图解12篇。\n" + unrelated
    assert "CMP-605" not in ids(audit(tmp_path, name="b.txt", previous=previous, problems=followed))
    assert "CMP-605" not in ids(audit(tmp_path, name="c.txt", problems=unrelated))  # no --previous: not run


def test_cmp606_overview_only_counts(good, tmp_path):
    assert "CMP-606" in ids(audit(tmp_path, overview=COUNTS_ONLY_OVERVIEW))
    assert "CMP-606" not in ids(good)


def test_cmp607_short_section(good, tmp_path):
    a = audit(tmp_path, overview="2023年，我局认真做好政府信息公开工作，取得一定成效。\n")
    assert [f for f in a.findings if f.rule == "CMP-607" and f.section == "overview"]
    assert "CMP-607" not in ids(good)


def test_rules_can_be_disabled(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(report_text(problems=GENERIC_PROBLEMS), encoding="utf-8")
    a = audit_file(p, Config(disabled_rules={"BLR-"}))
    assert not [f for f in a.findings if f.rule.startswith("BLR")]
    assert a.extras["narrative"]["sections"]["problems"]["specificity"] < 0.25  # CMP rules still ran


def test_threshold_is_configurable(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(report_text(problems=GENERIC_PROBLEMS), encoding="utf-8")
    strict = Config()
    strict.thresholds["boilerplate_probability"] = 0.999
    n_default = len([f for f in audit_file(p, Config()).findings if f.rule == "BLR-501"])
    n_strict = len([f for f in audit_file(p, strict).findings if f.rule == "BLR-501"])
    assert n_strict < n_default


def test_docx_report_findings_point_into_document_text(tmp_path):
    """The same narrative as a real Word file (python-docx): findings and offsets still map to Document.text."""
    import docx

    d = docx.Document()
    for line in report_text(overview=NO_REQUESTS_OVERVIEW, problems=GENERIC_PROBLEMS).splitlines():
        d.add_paragraph(line)
    path = tmp_path / "r.docx"
    d.save(path)
    a = audit_file(path, Config())
    assert a.error is None and a.source_format == "docx"
    assert {"CMP-601", "BLR-502"} <= ids(a)
    text = a.report.text
    for f in rules(a):
        assert f.text == text[f.start:f.end]
