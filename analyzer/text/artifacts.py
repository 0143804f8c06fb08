"""Template/extraction artifacts, malformed dates, superseded or malformed citations (文号)."""

from __future__ import annotations

import calendar
import re
from functools import lru_cache

from ..resources import load_json_lexicon, read_lines
from .punct import Hit


@lru_cache(maxsize=1)
def _placeholder_patterns() -> list[re.Pattern]:
    return [re.compile(p, re.S) for p in read_lines("placeholders.txt")]


def artifact_hits(text: str, start: int, end: int) -> list[Hit]:
    found = []
    for rx in _placeholder_patterns():
        for m in rx.finditer(text, start, end):
            found.append((m.start(), m.end(), rx.pattern))
    hits: list[Hit] = []
    for a, b, pattern in sorted(found, key=lambda x: (x[0], -x[1])):
        if hits and a < hits[-1].end:
            continue  # two patterns on the same leftover: report it once
        hits.append(Hit("FMT-401", a, b, f"残留的模板占位符或转换痕迹：“{text[a:b][:40]}”", "（删除）", {"pattern": pattern}))
    return hits


DATE = re.compile(r"(?<![\d.])(\d{2,6})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?|(?<![\d年.])(\d{1,2})月(\d{1,2})日")
BAD_YEAR = re.compile(r"(?<![\d.])(\d{5,6})\s*年(?=\s*\d{1,2}\s*月|度)")


def date_hits(text: str, start: int, end: int) -> list[Hit]:
    hits = []
    for m in BAD_YEAR.finditer(text, start, end):
        hits.append(Hit("FMT-404", m.start(), m.end(), f"年份位数错误：“{m.group()}”", None, {"year": m.group(1)}))
    for m in DATE.finditer(text, start, end):
        if m.group(1):
            year_s, month_s, day_s = m.group(1), m.group(2), m.group(3)
            if len(year_s) != 4:
                continue  # 5–6 digit years are reported above; 2-digit ones are usually quantities
            year = int(year_s)
        else:
            year, month_s, day_s = None, m.group(4), m.group(5)
        month = int(month_s)
        if not 1 <= month <= 12:
            hits.append(Hit("FMT-404", m.start(), m.end(), f"日期中的月份不存在：“{m.group()}”", None))
            continue
        if day_s:
            day = int(day_s)
            last = calendar.monthrange(year or 2024, month)[1]  # unknown year: allow 29 February
            if not 1 <= day <= last:
                hits.append(Hit("FMT-404", m.start(), m.end(), f"日期不存在：“{m.group()}”", None))
    return hits


# 文号: 机关代字 + 〔年份〕 + 序号 + 号. Other brackets around the year are a norm violation (GB/T 9704).
WENHAO_BAD = re.compile(r"([\u4e00-\u9fff]{1,10}[发函字办令])\s*([\[【(（［])((?:19|20)\d\d)([\]】)）］])\s*(\d{1,4})\s*号")
LING_NO_DI = re.compile(r"(国务院令|主席令|部令)\s*(\d{1,4})\s*号")


def citation_hits(text: str, start: int, end: int) -> list[Hit]:
    hits = []
    for m in WENHAO_BAD.finditer(text, start, end):
        fixed = f"{m.group(1)}〔{m.group(3)}〕{m.group(5)}号"
        hits.append(Hit("FMT-403", m.start(), m.end(), f"文号年份应使用六角括号“〔〕”：“{m.group()}”", fixed))
    for m in LING_NO_DI.finditer(text, start, end):
        hits.append(Hit("FMT-403", m.start(), m.end(), f"令号缺少“第”：“{m.group()}”",
                        f"{m.group(1)}第{m.group(2)}号"))
    return hits


def superseded_hits(text: str, start: int, end: int, report_year: int | None) -> list[Hit]:
    if report_year is None:
        return []
    hits = []
    for doc in load_json_lexicon("superseded_documents.json")["documents"]:
        if report_year < doc["superseded_from_year"]:
            continue
        # one finding per superseded document: its number and its title usually sit side by side
        found = sorted((p, pat) for pat in doc["patterns"] if (p := text.find(pat, start, end)) != -1)
        if found:
            pos, pat = found[0]
            end_ = pos + len(pat)
            for p2, pat2 in found[1:]:  # title and number side by side: one span covering both
                if p2 - end_ <= 40:
                    end_ = max(end_, p2 + len(pat2))
            hits.append(Hit("FMT-402", pos, end_,
                            f"{report_year}年度报告仍引用已被取代的文件“{doc['id']}”（{doc['reason']}）",
                            doc["replacement"], {"document": doc["id"], "occurrences": len(found)}))
    return hits
