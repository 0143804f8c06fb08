"""Year-over-year 重复率 (CPY-701): formula, subtraction of format-mandated text, masking, evidence, corpus pairs."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.copy import narrative_of, year_over_year
from analyzer.pipeline import audit_file, build_report

# Phrase banks for made-up reports (not corpus text). Two disjoint banks give two unrelated writers.
BANK_A = [
    "区政务公开办牵头梳理", "本单位主动公开目录", "按季度更新权责清单", "组织开展业务培训两期", "门户网站专栏改版上线",
    "依申请公开受理台账", "建立信息发布审核机制", "政务新媒体账号清理", "政策解读材料同步发布", "档案移交工作有序开展",
    "基层公开标准目录", "便民服务事项指南", "办理时限压缩一半", "群众满意度回访", "重点领域信息公开",
]
BANK_B = [
    "镇党委召开专题会议", "村务公开栏全面更新", "网格员入户宣讲条例", "乡村振兴项目资金公示", "惠农补贴发放结果张榜",
    "低保对象名单公示", "农村集体三资清查", "移风易俗宣传进村", "防汛值班安排公开", "人居环境整治评比",
    "老年人优待政策汇编", "学校招生划片公告", "医保缴费提醒短信", "河长巡河记录上墙", "新型农业经营主体名录",
]


def _sentences(bank: list[str], seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        a, b, c = rng.sample(bank, 3)
        out.append(f"{a}，{b}，{c}。")
    return out


def make_report(unit: str, year: int, overview: list[str], problems: list[str], numbers: tuple[int, ...] = (3, 1, 12)) -> str:
    """A small report in the 2021 format, as a scraped .txt would hold it."""
    n1, n2, n3 = numbers
    return "\n".join([
        f"{unit}{year}年政府信息公开工作年度报告",
        f"根据《中华人民共和国政府信息公开条例》要求，编制本报告。统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、总体情况",
        *overview,
        f"全年主动公开政府信息{n3}条。",
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "规章\t0\t0\t0",
        f"行政规范性文件\t{n1}\t{n2}\t{n1 + 5}",
        "三、收到和处理政府信息公开申请情况",
        f"一、本年新收政府信息公开申请数量\t{n2}\t0\t0\t0\t0\t0\t{n2}",
        "四、政府信息公开行政复议、行政诉讼情况",
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
        "0\t0\t0\t0\t0",
        "五、存在的主要问题及改进情况",
        *problems,
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
        unit,
        f"{year + 1}年1月20日",
    ]) + "\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def pair_copied(tmp_path: Path) -> tuple[Path, Path]:
    ov, pr = _sentences(BANK_A, 1, 8), _sentences(BANK_A, 2, 4)
    prev = _write(tmp_path, "unit_2022.txt", make_report("青山区审计局", 2022, ov, pr, (3, 1, 12)))
    cur = _write(tmp_path, "unit_2023.txt", make_report("青山区审计局", 2023, ov, pr, (7, 2, 40)))
    return cur, prev


def test_copied_report_fails_with_ratio_and_passages(pair_copied: tuple[Path, Path]) -> None:
    cur, prev = pair_copied
    audit = audit_file(cur, Config(), previous=prev)
    assert audit.error is None
    copy = audit.extras["copy"]
    assert copy["ratio"] >= 0.95  # only numbers and years changed: masked, so everything is "copied"
    assert copy["status"] == "fail"
    assert copy["year_gap"] == 1 and copy["previous_year"] == 2022
    findings = [f for f in audit.findings if f.rule == "CPY-701"]
    assert len(findings) == 1
    f = findings[0]
    assert f.category == "copy" and f.severity == "warning"
    assert f.evidence["ratio"] == copy["ratio"]
    text = audit.report.text
    for p in f.evidence["passages"]:
        # offsets point into this year's Document.text, at the copied words
        assert text[p["start"]:p["end"]] == p["text"] or p["text"].endswith("…")
    longest = f.evidence["passages"][0]
    assert (f.start, f.end) == (longest["start"], longest["end"])
    assert "区政务公开办" in text[f.start:f.end] or any(w in text[f.start:f.end] for w in BANK_A)


def test_rewritten_report_passes(tmp_path: Path) -> None:
    prev = _write(tmp_path, "town_2022.txt",
                  make_report("石桥镇人民政府", 2022, _sentences(BANK_B, 3, 8), _sentences(BANK_B, 4, 4)))
    cur = _write(tmp_path, "town_2023.txt",
                 make_report("石桥镇人民政府", 2023, _sentences(BANK_A, 5, 8), _sentences(BANK_A, 6, 4)))
    audit = audit_file(cur, Config(), previous=prev)
    copy = audit.extras["copy"]
    # same headings, same table labels, same fixed sentences; different prose → near zero
    assert copy["ratio"] < 0.1
    assert copy["status"] == "pass"
    assert not [f for f in audit.findings if f.rule == "CPY-701"]
    cpy_checks = [c for c in audit.checks if c.rule == "CPY-701"]
    assert cpy_checks and cpy_checks[0].status == "pass" and cpy_checks[0].actual == copy["ratio"]


def test_threshold_is_configurable(pair_copied: tuple[Path, Path], tmp_path: Path) -> None:
    cur, prev = pair_copied
    # half the prose rewritten: ratio between 0.3 and 0.8
    half = _write(tmp_path, "half_2023.txt", make_report(
        "青山区审计局", 2023, _sentences(BANK_A, 1, 8)[:4] + _sentences(BANK_B, 9, 4), _sentences(BANK_B, 10, 4)))
    ratio = audit_file(half, Config(), previous=prev).extras["copy"]["ratio"]
    assert 0.2 < ratio < 0.8
    strict = Config()
    strict.thresholds["copy_ratio"] = ratio - 0.05
    lenient = Config()
    lenient.thresholds["copy_ratio"] = ratio + 0.05
    assert [f for f in audit_file(half, strict, previous=prev).findings if f.rule == "CPY-701"]
    assert not [f for f in audit_file(half, lenient, previous=prev).findings if f.rule == "CPY-701"]


def test_mandated_text_and_numbers_do_not_count(tmp_path: Path) -> None:
    report = build_report(_write(tmp_path, "a_2023.txt", make_report("青山区审计局", 2023, ["本年度无其他内容。"], [])), Config())
    nar = narrative_of(report)
    # headings such as 总体情况 / 存在的主要问题及改进情况 are gone; table sections are not narrative at all
    assert "总体情况" not in nar.chars and "存在的主要问题" not in nar.chars
    assert "本年制发件数" not in nar.chars and "规章" not in nar.chars
    assert "#" in nar.chars  # the year in the narrative was masked
    assert not any(ch.isdigit() for ch in nar.chars)
    for i, ch in enumerate(nar.chars):  # every kept character maps back to itself in Document.text
        if ch not in "#\x00":
            assert report.text[nar.offsets[i]].lower() == ch


def test_same_document_and_excerpt_are_not_assessed(pair_copied: tuple[Path, Path], tmp_path: Path) -> None:
    cur, _ = pair_copied
    same = audit_file(cur, Config(), previous=cur)
    assert same.extras["copy"]["status"] == "not_assessable"
    assert not [f for f in same.findings if f.rule == "CPY-701"]
    excerpt = _write(tmp_path, "excerpt_unit_2023.txt", cur.read_text(encoding="utf-8"))
    ex = audit_file(excerpt, Config(), previous=pair_copied[1])
    assert ex.extras["copy"]["status"] == "not_assessable"


def test_short_narrative_is_uncertain_not_fail(tmp_path: Path) -> None:
    prev = _write(tmp_path, "s_2022.txt", make_report("青山区审计局", 2022, ["工作平稳推进。"], []))
    cur = _write(tmp_path, "s_2023.txt", make_report("青山区审计局", 2023, ["工作平稳推进。"], []))
    audit = audit_file(cur, Config(), previous=prev)
    assert audit.extras["copy"]["status"] == "uncertain"
    assert not [f for f in audit.findings if f.rule == "CPY-701"]


# ---------------------------------------------------------------- real corpus

PINGTAN_SERIES = [  # (this year, previous year) of the same unit
    ("005_pingtan_2020", "004_pingtan_2019"),
    ("049_pingtan_haitan_area_2021", "048_pingtan_haitan_area_2019"),
    ("053_pingtan_jinjing_area_2022", "052_pingtan_jinjing_area_2020"),
    ("096_pingtan_jinjing_area_2023", "053_pingtan_jinjing_area_2022"),
    ("059_pingtan_finance_bureau_2021", "058_pingtan_finance_bureau_2019"),
    ("065_pingtan_finance_bureau_2025", "059_pingtan_finance_bureau_2021"),
    ("085_pingtan_tourism_culture_sports_bureau_2022", "084_pingtan_tourism_culture_sports_bureau_2020"),
    ("091_pingtan_law_enforcement_emergency_bureau_2022", "090_pingtan_law_enforcement_emergency_bureau_2020"),
]
UNRELATED = [
    ("073_pingtan_gov_office_2022", "001_hongze_district_2023"),
    ("000_wangcun_town_2022_seed", "001_hongze_district_2023"),
    ("059_pingtan_finance_bureau_2021", "082_pingtan_transport_construction_bureau_2021"),
    ("011_shanghai_govoffice_2025", "009_shuyang_county_2025_ocr"),
]


@pytest.mark.corpus
def test_corpus_same_unit_pairs_exceed_unrelated_pairs(corpus_dir: Path) -> None:
    def ratio(a: str, b: str) -> float:
        return year_over_year(build_report(corpus_dir / f"{a}.txt", Config()),
                              build_report(corpus_dir / f"{b}.txt", Config())).ratio

    same = [ratio(a, b) for a, b in PINGTAN_SERIES]
    other = [ratio(a, b) for a, b in UNRELATED]
    assert max(other) < 0.15, other
    assert min(same) > max(other) - 0.05, (same, other)
    assert sum(same) / len(same) > 2 * (sum(other) / len(other))
    # 财政金融局 2025 reuses most of its 2021 text (SOURCES.tsv: copied boilerplate from the 2021 report)
    assert ratio("065_pingtan_finance_bureau_2025", "059_pingtan_finance_bureau_2021") >= 0.5
