"""Preamble, sign-off, timeliness and facts: reporting years and the issuing unit's name.

Only statements that clearly refer to the reporting period are compared with ``report.year`` — a year in an
arbitrary sentence (a 2019 document cited in a 2022 report) is never a finding.
"""

from __future__ import annotations

import re
from datetime import date

from ..model import MANDATED_SECTIONS, Report
from .punct import Hit

# Phrases that name the reporting period. group("y") is the year.
PERIOD_YEAR = [
    re.compile(r"现将[\u4e00-\u9fff]{0,30}?(?P<y>(?:19|20)\d\d)\s*年度?[\u4e00-\u9fff]{0,6}?(?:政务公开|政府信息公开)"),
    re.compile(r"编制(?:完成|了)?(?:本机关|我[\u4e00-\u9fff]{1,3})?(?P<y>(?:19|20)\d\d)\s*年度?(?:政府信息公开|政务公开)工作年度报告"),
    re.compile(r"(?P<y>(?:19|20)\d\d)\s*年度?制作、获取政府信息"),
]
PERIOD_RANGE = re.compile(
    r"统计(?:期限|时限|时间|周期|数据)[^。]{0,20}?(?P<y1>(?:19|20)\d\d)\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日"
    r"[^。]{0,6}?至\s*(?P<y2>(?:19|20)\d\d)\s*年\s*12\s*月\s*31\s*日")
BASIS = re.compile(r"(?:根据|依据|按照|依照)[^。]{0,60}?(?:政府信息公开条例|年度报告格式|年度报告有关事项|国办公开办函)")
PERIOD_ANY = re.compile(r"统计(?:期限|时限|时间|周期)|(?:19|20)\d\d\s*年\s*1\s*月\s*1\s*日[^。]{0,8}至|数据[^。]{0,10}截至")
SIGN_DATE = re.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d\d[-./]\d{1,2}[-./]\d{1,2}")
ORG_SUFFIX = r"(?:人民政府|管理委员会|管委会|办公室|办公厅|办事处|管理局|片区管理局|委员会|局|厅|委|办|中心|分局|所)"
ORG_NAME = re.compile(rf"[\u4e00-\u9fff]{{2,24}}?{ORG_SUFFIX}")
FUTURE_PLAN = re.compile(r"(?P<y>(?:19|20)\d\d)\s*年[，,]?\s*(?:我|本)[\u4e00-\u9fff]{1,3}将")


def _preamble_region(report: Report) -> tuple[int, int]:
    text = report.text
    sec = report.section("preamble")
    if sec is not None and sec.end - sec.start > 40:
        return sec.start, sec.end
    ov = report.section("overview")
    end = ov.start if ov is not None and ov.start > 40 else min(len(text), 900)
    return 0, max(end, min(len(text), 400))


def _closing_region(report: Report) -> tuple[int, int]:
    text = report.text
    sec = report.section("closing")
    if sec is not None and sec.end > sec.start:
        return sec.start, sec.end
    return max(0, len(text) - 240), len(text)


def year_hits(report: Report) -> list[Hit]:
    text, year = report.text, report.year
    if year is None:
        return []
    hits = []
    for rx in PERIOD_YEAR:
        for m in rx.finditer(text):
            y = int(m.group("y"))
            if y != year:
                hits.append(Hit("CON-201", m.start("y"), m.end("y") + 1,
                                f"本报告为{year}年度，此处所述报告期年份为{y}年", f"{year}年",
                                {"report_year": year, "stated_year": y, "context": m.group()}))
    for m in PERIOD_RANGE.finditer(text):
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        for y, g in ((y1, "y1"), (y2, "y2")):
            if y != year:
                hits.append(Hit("CON-202", m.start(g), m.end(g) + 1, f"统计期限写为{y}年，与报告年度{year}年不符",
                                f"{year}年", {"report_year": year, "stated_year": y}))
    probs = report.section("problems")
    if probs is not None:
        for m in FUTURE_PLAN.finditer(text, probs.start, probs.end):
            y = int(m.group("y"))
            if y <= year:
                hits.append(Hit("CON-201", m.start("y"), m.end("y") + 1,
                                f"改进计划写的是{y}年，{year}年度报告的改进措施应面向{year + 1}年", f"{year + 1}年",
                                {"report_year": year, "stated_year": y}))
    return hits


def looks_like_report(report: Report) -> bool:
    """Preamble and sign-off rules only make sense for a text that has the report's sections."""
    return sum(s.id in MANDATED_SECTIONS for s in report.sections) >= 3


def preamble_hits(report: Report) -> list[Hit]:
    if not looks_like_report(report) or (report.is_excerpt and len(report.text) < 300):
        return []
    s, e = _preamble_region(report)
    head = report.text[s:e]
    first = report.text[s:min(e, s + 20)]
    anchor_end = s + (first.index("\n") if "\n" in first else len(first))  # point at the first line only
    hits = []
    if not BASIS.search(head):
        hits.append(Hit("FMT-405", s, anchor_end, "前言未写明编制依据（《中华人民共和国政府信息公开条例》及年度报告格式要求）",
                        "根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）要求，编制本报告。"))
    if not PERIOD_ANY.search(head):
        y = report.year
        hits.append(Hit("FMT-406", s, anchor_end, "前言未写明统计期限",
                        f"本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。" if y else None))
    return hits


def signoff_hits(report: Report) -> list[Hit]:
    if report.is_excerpt or not looks_like_report(report):
        return []
    s, e = _closing_region(report)
    tail = report.text[s:e]
    if SIGN_DATE.search(tail):
        return []
    end = len(report.text.rstrip())
    return [Hit("FMT-407", max(0, end - 10), end, "报告末尾没有落款（发布机关名称和成文日期）", None)]


def signature_name(report: Report) -> tuple[int, int] | None:
    """Span of the signing unit: the run of Chinese characters right before the last date of the closing."""
    s, e = _closing_region(report)
    text = report.text
    dates = list(SIGN_DATE.finditer(text, s, e))
    if not dates:
        return None
    d = dates[-1].start()
    j = d
    while j > s and text[j - 1] in " \t\u3000\n\r":
        j -= 1
    i = j
    while i > s and "\u4e00" <= text[i - 1] <= "\u9fff" and j - i < 40:
        i -= 1
    return (i, j) if j - i >= 4 else None


def _is_abbreviation(short: str, long: str) -> bool:
    """Every character of ``short`` appears in ``long`` in order (国资局 ⊂ 国有资产监督管理局)."""
    it = iter(long)
    return all(ch in it for ch in short)


PREAMBLE_UNIT = re.compile(r"现将(?P<name>[\u4e00-\u9fff]{4,30}?)(?:19|20)\d\d\s*年度?(?:政府信息公开|政务公开)")


def unit_hits(report: Report) -> list[Hit]:
    """The signature (or the preamble's 现将…) names another unit — a copied report — or misspells the unit."""
    unit = report.unit
    if not unit or len(unit) < 4:
        return []
    spans = []
    sig = signature_name(report)
    if sig is not None:
        spans.append((sig, "落款单位"))
    ps, pe = _preamble_region(report)
    for m in PREAMBLE_UNIT.finditer(report.text, ps, pe):
        spans.append(((m.start("name"), m.end("name")), "前言所写单位"))
    hits = []
    for (a, b), where in spans:
        hit = _compare_unit(report.text[a:b], unit, a, b, where)
        if hit is not None:
            hits.append(hit)
    return hits


def _compare_unit(name: str, unit: str, a: int, b: int, where: str) -> Hit | None:
    if not re.search(ORG_SUFFIX + "$", name) and not (len(name) == len(unit)):
        return None
    generic = re.search(ORG_SUFFIX + "$", unit)
    least = max(5, (len(generic.group()) if generic else 0) + 2)  # the organ suffix plus two own characters
    if unit in name or name in unit or any(unit[-k:] in name for k in range(least, len(unit) + 1)):
        return None  # the unit itself, or one of its offices (海坛片区管理局党政办公室)
    if len(name) == len(unit) and sum(x != y for x, y in zip(name, unit)) == 1:
        return Hit("TYPO-203", a, b, f"{where}名称有错字：“{name}”，报告单位为“{unit}”", unit, {"unit": unit})
    p = _common_prefix(name, unit)
    q = _common_prefix(name[::-1], unit[::-1])
    core_n, core_u = name[p:len(name) - q], unit[p:len(unit) - q]
    if len(core_n) < 2 or len(core_u) < 2:
        return None
    if _is_abbreviation(core_u, core_n) or _is_abbreviation(core_n, core_u):
        return None  # the same unit written in full and abbreviated
    if not re.search(ORG_SUFFIX + "$", name):
        return None
    return Hit("CON-203", a, b, f"{where}“{name}”与报告单位“{unit}”不一致（可能沿用了其他单位的报告）", unit,
               {"unit": unit, "found": name})


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def deadline(report: Report) -> date | None:
    if report.year is None or not report.level:
        return None
    if report.level.endswith("_dept"):
        return date(report.year + 1, 1, 31)
    return date(report.year + 1, 3, 31)


def timeliness_hits(report: Report) -> list[Hit]:
    due = deadline(report)
    if due is None or not report.published:
        return []
    try:
        published = date.fromisoformat(report.published[:10])
    except ValueError:
        return []
    if published <= due:
        return []
    who = "部门" if report.level and report.level.endswith("_dept") else "地方人民政府"
    return [Hit("CON-204", 0, 0, f"报告发布于{published.isoformat()}，晚于{who}的法定期限{due.isoformat()}（条例第四十九条）",
                None, {"published": published.isoformat(), "deadline": due.isoformat(), "days_late": (published - due).days})]
