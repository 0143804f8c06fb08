"""Structure recovery: Document → Report (title, unit, level, year, the six sections, preamble, closing, tables).

Headings vary a lot in real reports: "一、总体情况" on its own line, "## 一、总体情况" from OCR, "四、…行政法复议…" with a
typo, headings glued into a web scrape's one long line ("…9116.36 三、收到和处理…"), numbering "（一）" or "1、", an extra
section that shifts the numbers, a section missing. So we do not look for exact strings: every place that *could* be
a heading becomes a candidate, each candidate is scored against each section's key phrases (``lexicons/sections.json``),
and a small dynamic programme picks the best in-order assignment (position and section order both increasing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .model import Document, Report, Section, Span, Subsection
from .resources import load_json_lexicon

CN_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
SECTION_ORDER = ("overview", "proactive", "requests", "review_litigation", "problems", "other")

# Web-scrape header lines written by the archivers: metadata, not report text.
_HEADER_LINE = re.compile(r"^(标题|发布时间|发布机构|原文链接|来源|发布日期)\s*[:：]|^=+\s*正文\s*=+\s*$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_BOUNDARY_BEFORE = set("\n。；;！？!?」”\"）)>#|：:]】")  # ] and 】: a Word artifact like [bookmark: _GoBack]
_SPACES = " \t\u3000\xa0"


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    return load_json_lexicon("sections.json")


@lru_cache(maxsize=1)
def _levels() -> dict:
    return load_json_lexicon("admin_levels.json")


# ---------------------------------------------------------------- compact view with an offset map


@dataclass
class _Compact:
    """The text without spaces/tabs (newlines kept), with a map from compact offsets back to the original."""

    text: str
    index: list[int]  # compact offset → original offset

    @classmethod
    def of(cls, text: str) -> "_Compact":
        chars, index = [], []
        for i, ch in enumerate(text):
            if ch in _SPACES or ch == "#":
                continue
            chars.append(ch)
            index.append(i)
        index.append(len(text))
        return cls("".join(chars), index)

    def orig(self, k: int) -> int:
        return self.index[min(k, len(self.index) - 1)]


# ---------------------------------------------------------------- heading candidates


@dataclass
class _Candidate:
    pos: int  # compact offset of the numeral (or of the title for unnumbered headings)
    style: str  # "cn" 一、 | "paren" （一） | "arabic" 1、 | "none"
    numeral: int | None
    title: str  # compact title text (up to the end of the line, at most 40 chars)
    boundary: bool  # preceded by a line/sentence boundary
    line_alone: bool  # the heading is the whole line
    title_start: int  # compact offset where the title starts


_CAND_PATTERNS = [
    ("cn", re.compile(r"([一二三四五六七八九十])[、，,．.]")),
    ("cn", re.compile(r"第([一二三四五六七八九十])部分[、，,．.：:]?")),  # "第四部分 政府信息公开行政复议…"
    ("paren", re.compile(r"[（(]([一二三四五六七八九十])[）)]")),
    ("arabic", re.compile(r"(?<![\d.])([1-9])[、．.](?!\d)")),
    ("cn_bare", re.compile(r"([一二三四五六七八九十])(?=[\u4e00-\u9fa5])")),  # "一总体情况": separator missing
]


def _candidates(c: _Compact) -> list[_Candidate]:
    text = c.text
    out: list[_Candidate] = []
    for style, pat in _CAND_PATTERNS:
        for m in pat.finditer(text):
            start = m.start()
            prev = text[start - 1] if start > 0 else "\n"
            title_start = m.end()
            line_end = text.find("\n", title_start)
            line_end = len(text) if line_end < 0 else line_end
            title = text[title_start:min(line_end, title_start + 40)]
            line_start = text.rfind("\n", 0, start) + 1
            out.append(_Candidate(
                pos=start, style=style, numeral=CN_NUMERALS.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else None),
                title=title, boundary=prev in _BOUNDARY_BEFORE or start == 0 or (style == "cn" and prev.isdigit()),
                line_alone=line_start == start and (line_end - title_start) <= 30, title_start=title_start,
            ))
    # Unnumbered headings: a short line that starts with a section key.
    pos = 0
    for line in text.split("\n"):
        if 2 <= len(line) <= 24:
            out.append(_Candidate(pos=pos, style="none", numeral=None, title=line, boundary=True, line_alone=True,
                                  title_start=pos))
        pos += len(line) + 1
    out.sort(key=lambda x: x.pos)
    return out


def _key_score(title: str, section_id: str) -> float:
    """How well a heading title names a section: 0 (not at all) … 1 (the format's own wording)."""
    spec = _lexicon()["sections"][section_id]
    canonical = spec["title"]
    best = 0.0
    for key in spec["keys"]:
        window = title[: len(key) + 10]
        idx = window.find(key)
        if idx >= 0:
            best = max(best, 0.55 + 0.45 * min(1.0, len(key) / len(canonical)) - 0.01 * idx)
        elif len(key) >= 5 and sum(ch in window for ch in key) >= len(key) - 1:
            # one substituted character (a typo in the heading, e.g. 行政法复议 / 其它需要报告); the cheap
            # character count above skips titles that cannot be one substitution away
            for i in range(0, min(len(window) - len(key), 10) + 1):
                seg = window[i:i + len(key)]
                if len(seg) == len(key) and sum(a != b for a, b in zip(seg, key)) == 1:
                    best = max(best, 0.45 + 0.45 * min(1.0, len(key) / len(canonical)) - 0.01 * i)
                    break
    if best and any(k in title[:12] for k in _lexicon()["non_heading_keys"]):
        return 0.0
    return best


def _assign(cands: list[_Candidate]) -> list[tuple[_Candidate, str, float]]:
    """Best in-order assignment of candidates to sections (dynamic programme over candidates × sections)."""
    scored: list[tuple[_Candidate, int, float]] = []
    for cand in cands:
        for si, sid in enumerate(SECTION_ORDER):
            s = _key_score(cand.title, sid)
            if s <= 0:
                continue
            if cand.style == "none" and (not cand.line_alone or s < 0.7):
                continue
            if not cand.boundary and s < 0.85:
                continue  # glued into running text: only the format's own wording counts
            if cand.style == "cn_bare" and (not cand.boundary or cand.numeral != si + 1 or s < 0.8):
                continue
            if cand.style in ("paren", "arabic") and cand.numeral != si + 1:
                continue  # （二）/2. numbering a sub-heading, not this section
            if cand.numeral == si + 1:
                s += 0.35 if cand.style == "cn" else 0.15
            if cand.style == "cn":
                s += 0.2
            elif cand.style == "none":
                s += 0.05
            if cand.line_alone:
                s += 0.05
            scored.append((cand, si, s))
    # best[i] = best total score of a chain ending with scored[i]. Candidates are in position order, so a
    # running "best chain ending in section k at an earlier position" makes this linear, not quadratic.
    n = len(scored)
    best = [0.0] * n
    back = [-1] * n
    best_by_section: list[tuple[float, int]] = [(0.0, -1)] * len(SECTION_ORDER)
    i = 0
    while i < n:
        group_end = i
        while group_end < n and scored[group_end][0].pos == scored[i][0].pos:
            group_end += 1
        for k in range(i, group_end):
            _, si, s = scored[k]
            prev_score, prev_idx = max(best_by_section[:si], default=(0.0, -1))
            best[k], back[k] = (prev_score + s, prev_idx) if prev_idx >= 0 else (s, -1)
        for k in range(i, group_end):  # only later positions may follow these
            si = scored[k][1]
            if best[k] > best_by_section[si][0]:
                best_by_section[si] = (best[k], k)
        i = group_end
    if not n:
        return []
    i = max(range(n), key=lambda k: best[k])
    chain = []
    while i >= 0:
        c, si, s = scored[i]
        chain.append((c, SECTION_ORDER[si], s))
        i = back[i]
    return list(reversed(chain))


# ---------------------------------------------------------------- metadata: title, unit, level, year


def _body_start(text: str) -> int:
    """Offset after the archivers' header block (标题:/发布时间:/原文链接:/==== 正文 ====) at the very top."""
    pos = 0
    offset = 0
    for line in text.split("\n")[:12]:
        if _HEADER_LINE.search(line.strip()):
            pos = offset + len(line) + 1
        elif line.strip():
            break  # the header block is a prefix: a 发布日期 line after the title is page text
        offset += len(line) + 1
    return min(pos, len(text))


_REPORT_TITLE = re.compile(r"(?:政府信息公开|政务公开|信息公开)[^\n。]{0,12}?(?:年度)?报告")
_ORG_SUFFIX = re.compile(
    r"(人民政府办公厅|人民政府办公室|人民政府|政府办公厅|政府办公室|管委会办公室|管委会|管理委员会|办事处|街道|"
    r"片区管理局|管理局|分局|局|委员会|办公厅|办公室|厅|委|镇政府|乡政府|镇|乡|中心|政府|实验区|示范区|新区|省|市|县|区)$"
)
_UNIT_PREFIX_NOISE = re.compile(r"^(关于|现公布|现将|特编制|编制|公布|向社会公布|根据|本报告由|正文|标题)+")


def _clean_unit(s: str) -> str:
    s = re.sub(r"[\s\u3000#|]+", "", s)
    s = _UNIT_PREFIX_NOISE.sub("", s)
    s = re.sub(r"(关于|的)$", "", s)
    return s.strip("：:，,。、（）()《》\"“”")


def _find_title(text: str, start: int, metadata: dict) -> tuple[str | None, int]:
    """The report's title and the offset where the body after it begins."""
    lines = []
    offset = start
    for line in text[start:].split("\n")[:8]:
        lines.append((offset, line))
        offset += len(line) + 1
    for i, (off, line) in enumerate(lines):
        compact = re.sub(r"[\s\u3000#]+", "", line)
        if _REPORT_TITLE.search(compact) and len(compact) <= 60 and not compact.startswith(("根据", "本报告", "依据", "本年度")):
            title_off, end = off, off + len(line)
            # a title split over two lines ("…政府信息公开" / "工作年度报告")
            if i > 0:
                prev = re.sub(r"[\s\u3000#]+", "", lines[i - 1][1])
                if prev and len(prev) <= 30 and _ORG_SUFFIX.search(prev) or re.search(r"\d{4}年", prev or "") and len(prev) <= 30:
                    title_off = lines[i - 1][0]
            return re.sub(r"\s*\n\s*", "", text[title_off:end]).strip(), end
        if i + 1 < len(lines):
            joined = compact + re.sub(r"[\s\u3000#]+", "", lines[i + 1][1])
            if _REPORT_TITLE.search(joined) and len(joined) <= 60 and not _REPORT_TITLE.search(compact):
                end = lines[i + 1][0] + len(lines[i + 1][1])
                return re.sub(r"[\s\u3000]*\n[\s\u3000]*", "", text[off:end]).strip(), end
    title = metadata.get("title")
    return (title.strip() if title else None), start


_UNIT_ANCHOR = re.compile(r"(?:19|20)\d{2}\s*年度?\s*(?:度)?\s*(?:政府信息公开|政务公开|信息公开)|[ \t\u3000]*政务公开年报")
_UNIT_AFTER_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?\s*([\u4e00-\u9fa5（）()]{2,40}?)\s*(?:政府信息公开|政务公开)")
_PRONOUN_UNIT = re.compile(r"^(我|本|该|各|区政府|县政府|市政府)")


def _unit_before(src: str, anchor_start: int) -> str:
    """The organisation name right before ``anchor_start``: CJK run, cut after the last noise word."""
    i = anchor_start
    while i > 0 and anchor_start - i < 40 and re.match(r"[\u4e00-\u9fa5（）()]", src[i - 1]):
        i -= 1
    cand = src[i:anchor_start]
    noise = _levels()["unit_noise"]
    cut = 0
    for w in noise:
        k = cand.rfind(w)
        if k >= 0 and k + len(w) > cut and len(cand) - (k + len(w)) >= 2:
            cut = k + len(w)
    return _clean_unit(cand[cut:])


def _find_unit(title: str | None, text: str, body_start: int, closing: str | None) -> str | None:
    def org_like(s: str) -> bool:
        shortest = 2 if s[-1:] in "镇乡县" else 3  # 螅镇 is a township's full name
        return bool(s) and shortest <= len(s) <= 40 and bool(_ORG_SUFFIX.search(s)) and not _PRONOUN_UNIT.match(s)

    sources = []
    if title:
        sources.append(re.sub(r"[\s\u3000]+", "", title))
    sources.append(re.sub(r"[ \t\u3000#]+", "", text[body_start:body_start + 800]))
    for src in sources:
        for m in _UNIT_ANCHOR.finditer(src):
            cand = _unit_before(src, m.start())
            if org_like(cand):
                return cand
        for m in _UNIT_AFTER_YEAR.finditer(src):
            cand = _clean_unit(m.group(1))
            if org_like(cand):
                return cand
    # a first line that is only an organisation name (e.g. "浑南区国资局", "王村镇人民政府")
    for line in text[body_start:body_start + 300].split("\n")[:4]:
        cand = _clean_unit(line)
        if org_like(cand) and len(cand) <= 30:
            return cand
    if closing:
        for line in closing.split("\n"):
            cand = _clean_unit(_DATE.sub("", line))
            if org_like(cand):
                return cand
    return None


def infer_level(unit: str | None) -> str | None:
    """Administrative level from the unit's name (see lexicons/admin_levels.json)."""
    if not unit:
        return None
    lv = _levels()
    name, parent = unit, None
    for special, level in lv["special"].items():
        if name.startswith(special):
            name, parent = name[len(special):], level
            break
    if not name:
        return parent
    for suffix, level in lv["suffix_levels"].items():
        if name.endswith(suffix):
            return level
    suffix = next((s for s in sorted(lv["government_suffixes"], key=len, reverse=True) if name.endswith(s)), None)
    stripped = name[: -len(suffix)] if suffix else name
    marks = []
    for level, key in (("township", "township_markers"), ("county", "county_markers"),
                       ("city", "city_markers"), ("province", "province_markers")):
        for m in lv[key]:
            for hit in re.finditer(re.escape(m), stripped):
                marks.append((hit.end(), level))
    if any(unit.startswith(m) for m in lv["municipalities"]):
        marks.append((3, "province"))
    level = max(marks)[1] if marks else parent
    if level is None:
        return None
    place_only = bool(marks) and max(marks)[0] == len(stripped)  # "宿迁市", "王村镇": the place names its government
    if suffix or place_only or (not stripped and parent):
        return level
    return "township" if level == "township" else f"{level}_dept"


def _find_year(title: str | None, preamble: str, text: str, published: str | None) -> int | None:
    for src in (title or "", preamble, text[:600]):
        m = re.search(r"((?:19|20)\d{2})\s*年度?", src)
        if m and src is not text:
            return int(m.group(1))
    m = re.search(r"统计[^。]{0,20}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日", text)
    if m:
        return int(m.group(1))
    if published and re.match(r"\d{4}", published):
        return int(published[:4]) - 1
    m = _YEAR.search(text[:600])
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------- paragraphs and subsections


def _paragraphs(text: str, start: int, end: int) -> list[Span]:
    """Split a section body into paragraphs.

    Lines that end a sentence end a paragraph; a hard-wrapped PDF line that stops mid-sentence does not. In a web
    scrape where everything is one line, a space after 。 or before a （一） heading is where a paragraph break was.
    """
    out: list[Span] = []
    seg_start = None
    pos = start
    body = text[start:end]
    lines = body.split("\n")
    for i, line in enumerate(lines):
        line_start = pos
        pos += len(line) + 1
        stripped = line.strip(_SPACES)
        if not stripped:
            if seg_start is not None:
                out.append(Span(seg_start, line_start - 1))
                seg_start = None
            continue
        lead = len(line) - len(line.lstrip(_SPACES))
        starts_item = bool(re.match(r"[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、是]|\d+[、.．]", stripped))
        if seg_start is not None and (lead >= 2 or starts_item):
            out.append(Span(seg_start, line_start - 1))
            seg_start = None
        if seg_start is None:
            seg_start = line_start + lead
        if re.search(r"[。！？：:；]\s*$", line) or i == len(lines) - 1:
            out.append(Span(seg_start, line_start + len(line.rstrip(_SPACES))))
            seg_start = None
    if seg_start is not None:
        out.append(Span(seg_start, end))
    # split very long one-line paragraphs (web scrapes) at "。 " and " （一）" boundaries
    final: list[Span] = []
    for sp in out:
        if sp.end - sp.start < 400:
            final.append(sp)
            continue
        cut = sp.start
        for m in re.finditer(r"(?<=[。；！？])[ \u3000]+|[ \u3000]+(?=[（(][一二三四五六七八九十][）)])", text[sp.start:sp.end]):
            final.append(Span(cut, sp.start + m.start()))
            cut = sp.start + m.end()
        final.append(Span(cut, sp.end))
    return [sp for sp in final if text[sp.start:sp.end].strip()]


_SUBHEADING = re.compile(r"(?:^|(?<=[\n。；\s]))[（(]([一二三四五六七八九十])[）)]([^\n。；]{2,30}?)(?=[。；，,\n ]|$)")


def _subsections(section_id: str, text: str, start: int, end: int) -> list[Subsection]:
    body = text[start:end]
    subs: list[Subsection] = []
    for m in _SUBHEADING.finditer(body):
        subs.append(Subsection(title=m.group(0).strip(), kind="", start=start + m.start(), end=end))
    for a, b in zip(subs, subs[1:]):
        a.end = b.start
    if section_id == "problems":
        lex = _lexicon()
        if subs:
            for s in subs:
                s.kind = "improvements" if any(k in s.title for k in lex["improvement_markers"]) else "problems"
        else:
            # no sub-headings: the improvements start at the first sentence announcing measures
            marker = re.compile("|".join(re.escape(k) for k in lex["improvement_markers"]))
            heading_end = body.find("\n") if body.find("\n") > 0 else 0
            m = marker.search(body, heading_end + 1)
            if m:
                cut = max(body.rfind("。", 0, m.start()) + 1, body.rfind("\n", 0, m.start()) + 1, heading_end)
                subs = [Subsection("", "problems", start, start + cut), Subsection("", "improvements", start + cut, end)]
            else:
                subs = [Subsection("", "problems", start, end)]
    return subs


# ---------------------------------------------------------------- closing


_SIGNATURE_TAIL = re.compile(r"(?:^|[\n。])\s*([^\n。]{0,60}?)\s*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*$")


def _find_closing(text: str, after: int) -> int | None:
    """Start of the sign-off (unit name and date) at the end of the report, if there is one."""
    tail_start = max(after, len(text) - 400)
    tail = text[tail_start:]
    # drop trailing page chrome lines (footer, 打印/关闭) after the last date
    dates = list(_DATE.finditer(tail))
    if not dates:
        return None
    last = dates[-1]
    after_date = tail[last.end():]
    if len(after_date.strip()) > 120:
        return None
    head = tail[: last.end()]
    m = _SIGNATURE_TAIL.search(head)
    if not m:
        return None
    sig = m.group(1).strip(_SPACES + "\n")
    if sig and not _ORG_SUFFIX.search(re.sub(r"[\s\u3000]", "", sig)) and len(sig) > 2:
        # the date belongs to a sentence ("…于2023年1月20日发布"), not a sign-off
        return None
    return tail_start + m.start(1) if sig else tail_start + m.start(2)


# ---------------------------------------------------------------- entry point


def structure_document(doc: Document) -> Report:
    text = doc.text
    body_start = _body_start(text)
    title, after_title = _find_title(text, body_start, doc.metadata)

    compact = _Compact.of(text)
    k_after_title = next((k for k, o in enumerate(compact.index) if o >= after_title), len(compact.text))
    cands = [c for c in _candidates(compact) if c.pos >= k_after_title or c.style != "none"]
    cands = [c for c in cands if compact.orig(c.pos) >= body_start]
    chain = _assign(cands)

    # misplaced sections: a strong heading for a section the in-order chain left out
    chosen_ids = {sid for _, sid, _ in chain}
    chosen_pos = {c.pos for c, _, _ in chain}
    notes: list[str] = []
    misplaced: list[tuple[_Candidate, str]] = []
    duplicates: list[tuple[_Candidate, str]] = []
    for cand in cands:
        if cand.pos in chosen_pos or cand.style != "cn" or not cand.boundary:
            continue
        for sid in SECTION_ORDER:
            if _key_score(cand.title, sid) >= 0.95 and cand.numeral == SECTION_ORDER.index(sid) + 1:
                (duplicates if sid in chosen_ids else misplaced).append((cand, sid))
                break

    heads: list[tuple[int, int, str, _Candidate]] = []  # (orig start, orig heading end, section id, candidate)
    for cand, sid, _ in chain + [(c, s, 0.0) for c, s in misplaced]:
        head_start = compact.orig(cand.pos)
        title_k = cand.title_start + _heading_length(cand.title, sid)
        heads.append((head_start, compact.orig(title_k - 1) + 1, sid, cand))

    # extra sections: a numbered heading in sequence that names no section of the format (e.g. 084's
    # "二、政务公开工作主要任务落实情况" that shifts the rest by one)
    heads.sort()
    extra_heads = []
    for cand in cands:
        if cand.style != "cn" or not cand.boundary or cand.pos in chosen_pos or not cand.line_alone and len(cand.title) < 6:
            continue
        if any(_key_score(cand.title, sid) > 0 for sid in SECTION_ORDER):
            continue
        if any(k in cand.title[:12] for k in _lexicon()["non_heading_keys"]):
            continue
        o = compact.orig(cand.pos)
        prev = [h for h in heads if h[0] < o]
        nxt = [h for h in heads if h[0] > o]
        if not prev or not nxt:
            continue
        pn, nn = prev[-1][3].numeral, nxt[0][3].numeral
        if pn and nn and cand.numeral == pn + 1 and nn == cand.numeral + 1 and prev[-1][3].style == "cn":
            extra_heads.append((o, _extra_heading_end(text, compact.orig(cand.title_start)), "extra", cand))
    heads = sorted(heads + extra_heads)

    closing_start = _find_closing(text, heads[-1][1] if heads else after_title)
    end_of_body = closing_start if closing_start is not None else len(text)

    sections: list[Section] = []
    first_head = heads[0][0] if heads else end_of_body
    if text[after_title:first_head].strip():
        pre_start = after_title + (len(text[after_title:first_head]) - len(text[after_title:first_head].lstrip()))
        sections.append(Section(id="preamble", title="", number=None, start=pre_start, end=first_head,
                                body=Span(pre_start, first_head)))
    for i, (hs, he, sid, cand) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else end_of_body
        end = max(end, he)
        number = None
        if cand.numeral is not None:
            number = text[hs:compact.orig(cand.title_start - 1) + 1].strip(_SPACES + "#")
        sections.append(Section(
            id=sid, title=text[hs:he].strip(_SPACES + "#"), number=number, start=hs, end=end,
            heading=Span(hs, he), body=Span(he, end),
        ))
    if closing_start is not None:
        sections.append(Section(id="closing", title="", number=None, start=closing_start, end=len(text),
                                body=Span(closing_start, len(text))))
    for order, sec in enumerate(sections):
        sec.order = order
        b = sec.body or Span(sec.start, sec.end)
        sec.paragraphs = _paragraphs(text, b.start, b.end)
        if sec.id in ("overview", "problems", "other"):
            sec.subsections = _subsections(sec.id, text, b.start, b.end)

    preamble_text = next((text[s.start:s.end] for s in sections if s.id == "preamble"), "")
    closing_text = text[closing_start:] if closing_start is not None else None
    unit = _find_unit(title, text, body_start, closing_text)
    published = doc.metadata.get("published")
    year = _find_year(title, preamble_text, text[body_start:], published)

    report = Report(
        document=doc, title=title, unit=unit, level=infer_level(unit), year=year, published=published,
        format_version=None, sections=sections, is_excerpt="excerpt" in doc.path.rsplit("/", 1)[-1].lower(),
        notes=notes,
    )
    report.structure_issues = {
        "misplaced": [sid for _, sid in misplaced],
        "duplicates": [(sid, compact.orig(c.pos)) for c, sid in duplicates],
    }
    _attach_tables(report)
    return report


def _heading_length(title: str, section_id: str) -> int:
    """How much of the compact title after the numeral is the heading (the rest is running text)."""
    spec = _lexicon()["sections"][section_id]
    end = 0
    for key in sorted(spec["keys"], key=len, reverse=True):
        idx = title.find(key, 0, len(key) + 10)
        if idx >= 0:
            end = idx + len(key)
            break
    if end == 0:
        end = min(len(title), len(spec["title"]))
    # extend over the usual trailing words of a heading ("…情况", "…方面", "。")
    m = re.match(r"(情况|方面|事项|措施|工作)?[。：:]?", title[end:])
    end += m.end() if m else 0
    # a heading alone on its line takes the whole line (e.g. "五、政府信息公开工作存在的主要问题及改进情况")
    if len(title) <= 30 and "。" not in title and not re.search(r"\d{4}年", title[end:]):
        return len(title)
    return end


def _extra_heading_end(text: str, title_start: int) -> int:
    """End of an extra heading in the original text: the first break, or a space after a few characters."""
    m = re.compile(r"[。，,；：:\n]|(?<=\S{6})[ \u3000]").search(text, title_start, title_start + 40)
    return m.start() if m else min(len(text), title_start + 30)


def _attach_tables(report: Report) -> None:
    """Typed tables and the format version they imply (see analyzer/tables)."""
    from .tables import detect_format_version, extract_tables

    report.tables = extract_tables(report.document, report.sections)
    # A table ends where its section ends: the extractor finds tables by their own labels and, in run-on text, may
    # run past the last cell into the next section's prose (which would then be hidden from the text rules).
    for table in report.tables.values():
        sec = report.section_at(table.start) if table.start is not None else None
        if sec is not None and table.end is not None and table.end > sec.end and sec.id != "closing":
            last_cell = max((c.end for row in table.cells.values() for c in row.values() if c.end is not None),
                            default=sec.end)
            table.end = max(sec.end, min(table.end, last_cell))
    report.format_version = detect_format_version(report.tables, report.text)
