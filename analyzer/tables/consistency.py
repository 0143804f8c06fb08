"""Narrative ↔ table consistency (CON-1xx): numbers the text states about the tables' quantities.

Precision first: a sentence is compared only when it names the quantity and its unit of count unambiguously
("共收到政府信息公开申请4件", "行政复议案件2件", "制发行政规范性文件9件"). Approximations (余/约/近/超/多) are never
compared exactly. A stated figure passes when it equals *any* reasonable reading of the table (e.g. 收到 may be
新收 or 新收 + 上年结转), so a finding means no reading of the table gives the stated number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from ..model import Check, Finding, Report, Table
from ..rules import CheckContext, Rule, register
from .assemble import combos
from .template import label

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
NUM = r"(\d+|[零〇一二两三四五六七八九十百千]+)"
APPROX_BEFORE = re.compile(r"(约|近|超过|超|逾|大约|将近)$")
APPROX_AFTER = re.compile(r"^(余|多)")
_SENT = re.compile(r"[^。！？!?\n]+")


def cn_number(s: str) -> int | None:
    """Arabic or Chinese numeral (up to 千) → int."""
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


@dataclass
class Stated:
    value: int
    start: int  # span of the number in Document.text
    end: int
    sentence: str
    sent_start: int


def _sentences(report: Report) -> Iterable[tuple[int, str]]:
    """Narrative sentences, with the table regions left out."""
    text = report.text
    cut = sorted((t.start, t.end) for t in report.tables.values()
                 if t.status != "absent" and t.start is not None and t.end is not None)
    pos = 0
    spans = []
    for s, e in cut:
        if s > pos:
            spans.append((pos, s))
        pos = max(pos, e)
    spans.append((pos, len(text)))
    for a, b in spans:
        for m in _SENT.finditer(text, a, b):
            yield m.start(), m.group()


def _approx(sentence: str, num_start: int, num_end: int) -> bool:
    return bool(APPROX_BEFORE.search(sentence[:num_start]) or APPROX_AFTER.match(sentence[num_end:]))


def _other_year(sentence: str, year: int | None) -> bool:
    years = {int(y) for y in re.findall(r"(20\d\d)\s*年", sentence)}
    return bool(year and years and years != {year})


def _values(table: Table, cells: list[tuple[str, str]]) -> set[float] | None:
    """Every value the sum of ``cells`` can take (several when run-together digits split several ways)."""
    if any(table.cells.get(r, {}).get(c) is None or table.cells[r][c].kind != "number" for r, c in cells):
        return None
    rows = sorted({r for r, _ in cells if r in table.row_candidates})
    if not rows:
        vals = [table.cells[r][c].value for r, c in cells]
        return None if any(v is None for v in vals) else {float(sum(vals))}  # type: ignore[arg-type]
    if any(not table.row_candidates[r] for r in rows):
        return None
    it = combos([table.row_candidates[r] for r in rows], limit=5000)
    if it is None:
        return None
    out: set[float] = set()
    idx = {r: {c: i for i, c in enumerate(table.columns[r])} for r in rows}
    for combo in it:
        reading = dict(zip(rows, combo))
        vals = [reading[r][idx[r][c]] if r in reading else table.cells[r][c].value for r, c in cells]
        if all(v is not None for v in vals):
            out.add(float(sum(vals)))  # type: ignore[arg-type]
    return out or None


def _finding(rule: str, report: Report, st: Stated, table_id: str, row: str, column: str | None, message: str,
             accepted: dict[str, set[float] | None]) -> Finding:
    return Finding(rule=rule, category="consistency", severity="warning", message=message,
                   start=st.start, end=st.end, table=table_id, row=row, column=column,
                   suggestion="核对正文数字与表格数据，使二者一致",
                   evidence={"stated": st.value, "sentence": st.sentence.strip()[:120],
                             "table": {k: sorted(v) if v else None for k, v in accepted.items()}})


def _compare(rule: str, report: Report, st: Stated, table: Table, readings: dict[str, list[tuple[str, str]]],
             table_id: str, row: str, column: str | None, what: str) -> Iterable[Check | Finding]:
    accepted = {name: _values(table, cells) for name, cells in readings.items()}
    if all(v is None for v in accepted.values()):
        yield Check(rule, "uncertain", table=table_id, row=row, column=column, message="表格数字未能可靠读取")
        return
    if any(v is not None and len(v) == 1 and float(st.value) in v for v in accepted.values()):
        yield Check(rule, "pass", table=table_id, row=row, column=column, actual=st.value,
                    message=f"正文{what}{st.value}件与表{table_id}相符")
        return
    if any(v is not None and float(st.value) in v for v in accepted.values()):
        # agrees with one reading of run-together digits only: not a confirmation
        yield Check(rule, "uncertain", table=table_id, row=row, column=column, actual=st.value,
                    message="只与连写数字的一种拆分相符，无法判定")
        return
    if any(v is None or len(v) > 1 for v in accepted.values()) and not all(
            v is not None for v in accepted.values()):
        yield Check(rule, "uncertain", table=table_id, row=row, column=column, actual=st.value,
                    message="表格数字未能可靠读取")
        return
    shown = "；".join(f"{name} {('/'.join(str(int(x)) for x in sorted(v)) if v else '?')}"
                     for name, v in accepted.items())
    msg = f"正文称{what}{st.value}件，与表{table_id}不符（{shown}）"
    yield Check(rule, "fail", table=table_id, row=row, column=column, actual=st.value, message=msg)
    yield _finding(rule, report, st, table_id, row, column, msg, accepted)


# ---------------------------------------------------------------- CON-101 applications


_APPLY = re.compile(
    r"(收到|受理|新收|接收|办理|办结)(?:了)?([^。；，,：:]{0,14}?)申请(?:件|数)?(?:共|合计|总计)?" + NUM + r"\s*件"
    r"|(收到|受理|接收)(?:了)?(?:共)?" + NUM + r"\s*件[^。；，,]{0,10}?申请")
_CHANNEL = re.compile(r"网络|网上|在线|信函|纸质|当面|传真|邮寄|电子邮件|其中|涉及|自然人|法人")


@register(Rule(
    id="CON-101", title="正文所述政府信息公开申请数与表三不一致", category="consistency", severity="warning",
    rationale="总体情况中的“收到/受理/办理申请N件”应与表三的本年新收（或新收加上年结转、办理结果总计）一致。",
    example_fail="正文：共受理公开申请34件；表三：本年新收 32、上年结转 0",
    example_pass="正文：共收到政府信息公开申请16件；表三：本年新收 16",
))
def check_applications(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    table = report.tables.get("三")
    if table is None or table.status == "absent":
        return
    seen: set[int] = set()
    for sent_start, sent in _sentences(report):
        if "申请" not in sent or "复议" in sent and "诉讼" in sent and "申请" not in sent.split("复议")[0]:
            continue
        for m in _APPLY.finditer(sent):
            verb = m.group(1) or m.group(4)
            num = m.group(3) if m.group(1) else m.group(5)
            num_span = (m.start(3), m.end(3)) if m.group(1) else (m.start(5), m.end(5))
            between = m.group(2) or ""
            if _CHANNEL.search(between) or _CHANNEL.search(sent[max(0, m.start() - 6):m.start()]):
                continue  # a part of the total (by channel or applicant), not the total
            if "费" in sent[m.end():m.end() + 6] or "复议" in between or "诉讼" in between:
                continue
            if _approx(sent, *num_span) or _other_year(sent, report.year):
                continue
            value = cn_number(num)
            if value is None or sent_start + num_span[0] in seen:
                continue
            seen.add(sent_start + num_span[0])
            st = Stated(value, sent_start + num_span[0], sent_start + num_span[1], sent, sent_start)
            total = "total"
            applicants = [("new", c) for c in ("natural", "commercial", "research", "nonprofit", "legal",
                                                "other_org")]
            readings = {
                "本年新收": [("new", total)],
                "本年新收各申请人之和": applicants,
                "新收+上年结转": [("new", total), ("carried_over", total)],
                "办理结果总计": [("total", total)],
            }
            if "含上年结转" in sent or "包括上年结转" in sent:
                readings = {"新收+上年结转": readings["新收+上年结转"]}
            yield from _compare("CON-101", report, st, table, readings, "三", "一、本年新收政府信息公开申请数量",
                                "总计", f"{verb}政府信息公开申请")


# ---------------------------------------------------------------- CON-102 review / litigation


_REVIEW = re.compile(r"行政复议(?:案件|申请)?(?:共|合计)?" + NUM + r"\s*(?:件|起)")
_SUIT = re.compile(r"(?<![复议、和及与])行政诉讼(?:案件)?(?:共|合计)?" + NUM + r"\s*(?:件|起)")


@register(Rule(
    id="CON-102", title="正文所述行政复议、行政诉讼件数与表四不一致", category="consistency", severity="warning",
    rationale="正文中“行政复议N件”“行政诉讼N件”应与表四相应总计一致。",
    example_fail="正文：行政复议案件31件；表四：行政复议总计 0",
    example_pass="正文：行政复议案件2件、行政诉讼案件1件；表四：复议总计 2，直接起诉总计 1",
))
def check_review_litigation(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    table = report.tables.get("四")
    if table is None or table.status == "absent":
        return
    for sent_start, sent in _sentences(report):
        if "行政复议" not in sent and "行政诉讼" not in sent:
            continue
        if _other_year(sent, report.year) or re.search(r"累计|近[三五两]年|历年", sent):
            continue
        for pat, readings, row, what in (
            (_REVIEW, {"行政复议总计": [("review", "total")]}, "行政复议", "行政复议"),
            (_SUIT, {"行政诉讼总计": [("direct_suit", "total"), ("suit_after_review", "total")],
                     "未经复议直接起诉": [("direct_suit", "total")], "复议后起诉": [("suit_after_review", "total")]},
             "行政诉讼", "行政诉讼"),
        ):
            for m in pat.finditer(sent):
                if _approx(sent, m.start(1), m.end(1)):
                    continue
                value = cn_number(m.group(1))
                if value is None:
                    continue
                st = Stated(value, sent_start + m.start(1), sent_start + m.end(1), sent, sent_start)
                yield from _compare("CON-102", report, st, table, readings, "四", row, "总计", what)


# ---------------------------------------------------------------- CON-103 规范性文件


_NORMATIVE = re.compile(r"(制发|印发|出台|制定|发布|废止|现行有效)[^。；，,]{0,8}?(?:行政)?规范性文件(?:共)?" + NUM + r"\s*件")
# "制发规范性文件34件，现行有效件数424件": the second count continues the first statement
_FOLLOW = re.compile(r"\s*[，,、]\s*(现行有效|废止)(?:件数|的)?(?:共)?" + NUM + r"\s*件")


@register(Rule(
    id="CON-103", title="正文所述规范性文件件数与表二不一致", category="consistency", severity="warning",
    rationale="正文中“制发/废止/现行有效规范性文件N件”应与表二“行政规范性文件”行一致。",
    example_fail="正文：制发规范性文件34件、现行有效424件；表二：34 0 89",
    example_pass="正文：制发行政规范性文件9件；表二：9 7 253",
))
def check_normative(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    table = report.tables.get("二")
    if table is None or table.status == "absent" or "normative" not in table.cells:
        return
    cols = table.columns.get("normative", [])
    for sent_start, sent in _sentences(report):
        if "规范性文件" not in sent or _other_year(sent, report.year):
            continue
        found = []
        for m in _NORMATIVE.finditer(sent):
            found.append(m)
            follow = _FOLLOW.match(sent, m.end())
            if follow:
                found.append(follow)
        for m in found:
            verb, num_group = m.group(1), 2
            if _approx(sent, m.start(num_group), m.end(num_group)):
                continue
            value = cn_number(m.group(num_group))
            if value is None:
                continue
            if verb == "现行有效":
                wanted = [c for c in cols if c in ("in_force", "total_published")]
            elif verb == "废止":
                wanted = [c for c in cols if c == "repealed"]
            else:
                wanted = [c for c in cols if c in ("issued", "made", "published")]
            if not wanted:
                continue
            readings = {label("二", "normative", c)[1] or c: [("normative", c)] for c in wanted}
            st = Stated(value, sent_start + m.start(num_group), sent_start + m.end(num_group), sent, sent_start)
            yield from _compare("CON-103", report, st, table, readings, "二", "行政规范性文件", None,
                                f"{verb}规范性文件")


# ---------------------------------------------------------------- CON-104 stated total vs listed parts

COMPLETE_LIST_SHARE = 0.8  # listed parts covering less than this share of the stated total are examples


# the number is bounded and must start a digit run, or a long run of digits (a flattened table) makes the search
# retry at every digit and backtrack over the whole run: quadratic time
_TOTAL_THEN_PARTS = re.compile(r"(?<!\d)(\d{1,12})\s*(条|件|篇|个|份)[（(，,]?\s*其中")
_PART = re.compile(r"(\d+)\s*(条|件|篇|个|份)?\s*$")


@register(Rule(
    id="CON-104", title="正文所述总数与“其中”所列分项之和不符", category="consistency", severity="warning",
    rationale="“共N条，其中A条、B条……”逐项列出时，分项之和应等于总数。",
    example_fail="主动公开信息90条，其中1条、10条、52条、5条、25条（合计93条）",
    example_pass="主动公开信息34条，其中1条、3条、3条、4条、9条、14条",
))
def check_listed_parts(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    text = report.text
    for sent_start, sent in _sentences(report):
        for m in _TOTAL_THEN_PARTS.finditer(sent):
            if _approx(sent, m.start(1), m.end(1)):
                continue
            total, unit = int(m.group(1)), m.group(2)
            rest = sent[m.end():]
            rest = re.split(r"[）)]", rest, maxsplit=1)[0]
            segments = re.split(r"[，,；;、]", rest)
            parts: list[int] = []
            for seg in segments:
                if re.search(r"(?<!公)共(?=计|有|发布|公开|办理|受理|收到|\d)|合计|总计|累计|同比|比上年", seg):
                    break  # a new statement, not an item of the list
                pm = _PART.search(seg)
                if not pm:
                    if re.search(r"\d", seg):
                        break
                    continue  # part of a category name split at 、 (扶贫、教育、医疗…类信息1条)
                if pm.group(2) and pm.group(2) != unit:
                    break
                if re.search(r"(约|近|超过|余|多|以上)", seg) or "%" in seg:
                    parts = []
                    break
                parts.append(int(pm.group(1)))
                if pm.group(2) is None:
                    break  # a bare number ends the list ("不予公开信息数79")
            if len(parts) < 2 or re.match(r"\s*(主要|包括|重点|部分)", rest):
                continue
            s = sum(parts)
            if s == total:
                yield Check("CON-104", "pass", expected=s, actual=total, message=f"分项之和 {s} 与总数相符")
                continue
            if s < COMPLETE_LIST_SHARE * total:
                # "共8563条，其中政策文件312条、预决算信息1045条…": a list far short of the total names highlights,
                # not a breakdown; only a list that covers most of the total (or more than all of it) was meant to
                # add up (real cases: 156 vs 151, 617 vs 569, 1342 vs 1124, 2602 vs 2603)
                yield Check("CON-104", "not_assessable", expected=s, actual=total,
                            message="所列项目似为举例，并非完整分项，不作比较")
                continue
            msg = (f"正文称共{total}{unit}，但“其中”所列分项 {'+'.join(map(str, parts))} = {s}{unit}，"
                   "分项之和与总数不符")
            start = sent_start + m.start(1)
            yield Check("CON-104", "fail", expected=s, actual=total, message=msg)
            yield Finding(rule="CON-104", category="consistency", severity="warning", message=msg,
                          start=start, end=start + len(m.group(1)), suggestion="核对总数与各分项",
                          evidence={"expected": s, "actual": total, "terms": {"parts": parts},
                                    "sentence": text[sent_start:sent_start + len(sent)].strip()[:160]})


# ---------------------------------------------------------------- CON-105 percentages


_PERCENT = re.compile(r"占(?:比|到|总数的|全部的)?(?:为|约)?\s*(\d+(?:\.\d+)?)\s*[%％]")
_COUNT = re.compile(r"(?<![\d.])(\d+)\s*(条|件|项|篇|个|份)")
_TOTAL_CUE = re.compile(r"(共|总数|总计|合计|累计)(?:有|为|达)?\s*$")


def _percent_matches(p: float, decimals: int, a: int, b: int) -> bool:
    """Does a/b print as p with ``decimals`` decimals (rounded or truncated)?"""
    if b <= 0 or a > b:
        return False
    exact = 100.0 * a / b
    step = 10.0 ** -decimals
    return abs(exact - p) <= step / 2 + 1e-9 or 0 <= exact - p < step


@register(Rule(
    id="CON-105", title="正文所述百分比与其数字不符", category="consistency", severity="warning",
    rationale="“共N条，其中A条……占P%”中的百分比应等于 A/N；算错说明数字或比例有误。",
    example_fail="政府信息总数510条，其中主动公开198条……主动公开的政府信息占41.5%（198/510 = 38.8%）",
    example_pass="政府信息总数467条，其中主动公开53条……主动公开的政府信息占11.3%",
))
def check_percentages(report: Report, ctx: CheckContext) -> Iterable[Check | Finding]:
    sentences = list(_sentences(report))
    for i, (sent_start, sent) in enumerate(sentences):
        for m in _PERCENT.finditer(sent):
            if re.match(r"\s*(以上|以下|左右)", sent[m.end():]) or _approx(sent, m.start(1), m.end(1)):
                continue
            p = float(m.group(1))
            decimals = len(m.group(1).split(".")[1]) if "." in m.group(1) else 0
            # the counts this percentage can be about: this sentence up to the percentage, and the one before
            window = []
            if i > 0 and sentences[i - 1][0] + len(sentences[i - 1][1]) >= sent_start - 2:
                window.append(sentences[i - 1][1])
            window.append(sent[:m.start()])
            counts = [(int(c.group(1)), c.group(2), bool(_TOTAL_CUE.search(w[max(0, c.start() - 4):c.start()])))
                      for w in window for c in _COUNT.finditer(w)]
            totals = [n for n, unit, is_total in counts if is_total]
            if len(counts) < 2:
                continue
            if any(_percent_matches(p, decimals, a, b) for a, ua, _ in counts for b, ub, _ in counts
                   if ua == ub and (a, ua) != (b, ub)):
                yield Check("CON-105", "pass", actual=p, message=f"百分比 {p}% 与正文数字相符")
                continue
            if not totals or p > 100:
                yield Check("CON-105", "uncertain", actual=p, message="正文未写明总数，无从比较")
                continue
            total = totals[0]
            unit = next(u for n, u, t in counts if t and n == total)
            parts = [n for n, u, t in counts if u == unit and not t]
            shown = "、".join(f"{a}/{total} = {100.0 * a / total:.{max(decimals, 1)}f}%" for a in parts[:4])
            msg = f"正文所述“占{m.group(1)}%”与所列数字不符（{shown}）"
            start = sent_start + m.start(1)
            yield Check("CON-105", "fail", actual=p, message=msg)
            yield Finding(rule="CON-105", category="consistency", severity="warning", message=msg, start=start,
                          end=start + len(m.group(1)) + 1, suggestion="核对百分比及其分子、分母",
                          evidence={"actual": p, "total": total, "parts": parts,
                                    "sentence": (window[0] + sent)[:160] if len(window) > 1 else sent[:160]})
