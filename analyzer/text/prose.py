"""Which parts of ``Document.text`` are prose (checked for typos and punctuation) and which are not.

Not prose: table regions (``report.tables[*].start/end``, table blocks from the reader), tab-separated cell lines,
reader metadata lines (``标题:``, ``发布时间:``, ``原文链接:`` …), URLs and e-mail addresses. When a report carries no
table information at all (built without the structure stage), the stretch from heading 二 to heading 五 is treated
as tables (those sections hold the three tables), so run-together digit cells are never read as sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Report

METADATA_LINE = re.compile(
    r"^[ \t]*(标题|发布时间|发布机构|原文链接|来源|索引号|文号|分类|发布日期|生成日期|主题分类|日期|字体|分享|打印|关闭|浏览次数)"
    r"[ \t]*[:：][^\n]{0,120}$", re.M)
# e-mail local parts are ASCII and start at a boundary: "[\w.+-]+@" tried at every character of a long CJK run
# (CJK is \w) and scanned to its end each time, which is quadratic in the run's length
URL_OR_MAIL = re.compile(r"(https?://|www\.)[\w./?=&%#:~+-]+|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[\w-]+(\.[\w-]+)+")
SEPARATOR_LINE = re.compile(r"^=+ *正文 *=+$|^[-=_—]{5,}$", re.M)
HEADING_2 = re.compile(r"二\s*[、.．]?\s*主动公开政府信息情况")
HEADING_5 = re.compile(r"五\s*[、.．]?\s*存在的?主要问题")


@dataclass
class Segment:
    start: int
    end: int


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def excluded_ranges(report: Report, keep_urls: bool = False) -> list[tuple[int, int]]:
    text = report.text
    ranges: list[tuple[int, int]] = []
    have_tables = False
    for t in report.tables.values():
        if t.start is not None and t.end is not None:
            ranges.append((t.start, t.end))  # the structure stage already clips a table at its section's end
            have_tables = True
    for b in report.document.blocks:
        if b.kind == "table":
            ranges.append((b.start, b.end))
            have_tables = True
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.startswith("\t") or body.count("\t") >= 2 or body.count("|") >= 2:
            ranges.append((pos, pos + len(body)))
        pos += len(line)
    for rx in (METADATA_LINE, SEPARATOR_LINE) if keep_urls else (METADATA_LINE, URL_OR_MAIL, SEPARATOR_LINE):
        ranges.extend((m.start(), m.end()) for m in rx.finditer(text))
    if not have_tables and not report.tables:  # no table information at all (structure stage not run)
        m2 = HEADING_2.search(text)
        m5 = HEADING_5.search(text, m2.end()) if m2 else None
        if m2 and m5:
            ranges.append((m2.end(), m5.start()))
    return _merge(ranges)


def prose_segments(report: Report, keep_urls: bool = False) -> list[Segment]:
    """Maximal stretches of prose, in order (cached per report). ``keep_urls`` keeps URLs and e-mail addresses
    inside the prose (for bracket pairing: 网站（www.example.gov.cn）is one bracketed phrase)."""
    key = "_prose_segments_urls" if keep_urls else "_prose_segments"
    cached = report.__dict__.get(key)
    if cached is not None:
        return cached
    text = report.text
    segs: list[Segment] = []
    pos = 0
    for s, e in excluded_ranges(report, keep_urls) + [(len(text), len(text))]:
        if s > pos:
            segs.append(Segment(pos, s))
        pos = max(pos, e)
    report.__dict__[key] = segs
    return segs


def in_prose(report: Report, start: int, end: int) -> bool:
    return any(seg.start <= start and end <= seg.end for seg in prose_segments(report))


def cjk_runs(text: str, start: int, end: int):
    """Yield (i, j) for each maximal run of CJK ideographs in text[start:end] (the unit typo detectors scan)."""
    i = start
    while i < end:
        if not "\u4e00" <= text[i] <= "\u9fff":
            i += 1
            continue
        j = i
        while j < end and "\u4e00" <= text[j] <= "\u9fff":
            j += 1
        yield i, j
        i = j
