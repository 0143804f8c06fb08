"""The five aspects 一、总体情况 must cover: 主动公开, 依申请公开, 政府信息管理, 平台建设, 监督保障.

Coverage is decided from two kinds of evidence, both recorded so a reviewer can see why:
- a sub-heading naming the aspect (lexicon ``aspects.json`` → ``heading``), in whatever numbering;
- sentences the aspect classifier (``models/aspects.*``) recognises, so thematic sub-headings
  (（一）加强组织领导…) and run-on paragraphs are understood as well.

The unit of decision is a *part* of 总体情况 (``split_parts``: a （一） sub-part or a paragraph): a part reports an
aspect when its sub-heading names it or one of its sentences reaches the aspect's threshold, and 总体情况 covers an
aspect when one of its parts does — which is what ``coverage_from_text`` computes over the whole text. The model's
per-aspect thresholds (chosen by cross-validation grouped by unit, ``analyzer.train``) are folded into its
intercepts, so "probability ≥ 0.5" (``aspect_probability``) already is the per-aspect decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .features import aspect_lexicon, aspect_order
from .sentences import trim_span

# Resolve overlaps in headings: "政府信息公开平台建设" is about platforms although it contains 政府信息公开; the
# generic 主动公开 cues (政务公开, 信息发布) are tried last.
_HEADING_PRIORITY = ("requests", "management", "platforms", "supervision", "proactive")
_SUBHEADING = re.compile(r"[（(]([一二三四五六七八九十]{1,2})[）)]|^\s*(\d{1,2})[．.、]")


def aspect_name(aspect: str) -> str:
    return aspect_lexicon()["aspects"][aspect]["name"]


def heading_aspect(title: str) -> str | None:
    """The aspect a sub-heading names, or None (e.g. '（二）依申请公开情况' → 'requests')."""
    lex = aspect_lexicon()["aspects"]
    head = title[:20]
    for a in _HEADING_PRIORITY:
        if any(h in head for h in lex[a]["heading"]):
            return a
    return None


def part_heading_aspect(part: str) -> str | None:
    """The aspect named by the sub-heading a part opens with (（三）政府信息管理情况… → 'management'), or None."""
    m = re.match(r"\s*[（(][一二三四五六七八九十]{1,2}[）)]", part)
    if not m:
        return None
    return heading_aspect(re.split(r"[。；;]", part[m.end():m.end() + 30], maxsplit=1)[0])


def find_subheadings(text: str) -> list[tuple[int, str | None]]:
    """(offset, aspect) of each （n）/(n) sub-heading in ``text`` whose title names an aspect (or None)."""
    out = []
    for m in re.finditer(r"[（(][一二三四五六七八九十]{1,2}[）)]", text):
        if m.start() > 0 and text[m.start() - 1] in "第条":
            continue
        title = re.split(r"[。；;]", text[m.end():m.end() + 30], maxsplit=1)[0]
        out.append((m.start(), heading_aspect(title)))
    return out


@dataclass
class AspectCoverage:
    """Per aspect: covered or not, and the evidence (heading text or best sentence with its probability)."""

    covered: dict[str, bool] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    best_probability: dict[str, float] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        return [a for a in aspect_order() if not self.covered.get(a)]

    @property
    def share(self) -> float:
        order = aspect_order()
        return sum(1 for a in order if self.covered.get(a)) / len(order)


def coverage_from_text(text: str, sentences: list[tuple[str, bool, dict[str, float] | None]],
                       threshold: float = 0.5) -> AspectCoverage:
    """Decide coverage for a 总体情况 text: sub-headings naming an aspect, then classified sentences.

    ``sentences`` are (text, is_heading, aspect probabilities); headings count only through the heading lexicon."""
    cov = AspectCoverage()
    for o, a in find_subheadings(text):
        if a and not cov.covered.get(a):
            cov.covered[a] = True
            cov.evidence[a] = "小标题：" + re.split(r"[。；\n]", text[o:o + 30])[0]
    by_heading = set(cov.covered)
    for sent, heading, probs in sentences:
        if heading:
            continue
        for a, p in (probs or {}).items():
            if p > cov.best_probability.get(a, -1.0):
                cov.best_probability[a] = round(p, 3)
                if p >= threshold and a not in by_heading:
                    # quote the sentence the model is surest of, not merely the first one over the threshold
                    cov.covered[a] = True
                    cov.evidence[a] = sent.strip()[:80]
    for a in aspect_order():
        cov.covered.setdefault(a, False)
        cov.best_probability.setdefault(a, 0.0)
    return cov


# ---------------------------------------------------------------- parts (paragraph-level units of 总体情况)

_SECTION_TITLE = re.compile(r"^\s*[一1][、.．]\s*总体情况\s*")
_PARA_BREAK = re.compile(r"(?<=[。！？!?：:])[ \t\u3000]*\n")
_BLANK_BREAK = re.compile(r"(?<=[。！？!?：:])[ \t\u3000]*\n[ \t\u3000]*\n")
_ITEM_OPENER = re.compile(r"(?<=[。；;])\s*(?=[一二三四五六七八九十]{1,2}是)")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def split_parts(text: str) -> list[tuple[int, int]]:
    """The parts of a 总体情况 text, as (start, end) offsets into ``text``: what a reviewer reads as one paragraph.

    A part starts at each （一）/(一) sub-heading (not references such as 第（一）项) and at a paragraph break: a
    line break after a sentence end (。！？：), or — in texts that separate paragraphs by blank lines — only a blank
    line after a sentence end (PDF hard wraps and page footers elsewhere are joined). Text outside any sub-heading
    (the introduction, web-scraped run-on text) is further split at its top-level 一是/二是 items. A sub-heading
    standing alone on its line is joined to the text under it; the section title 一、总体情况 is left out."""
    m = _SECTION_TITLE.match(text)
    first = m.end() if m else 0
    cuts = {first, len(text)}
    subs = [o for o, _ in find_subheadings(text) if o >= first]
    cuts.update(subs)
    blank = [b.end() for b in _BLANK_BREAK.finditer(text, first)]
    if len(blank) >= 2:
        cuts.update(blank)
    else:
        cuts.update(b.end() for b in _PARA_BREAK.finditer(text, first))
    bounds = sorted(cuts)
    for a, b in list(zip(bounds, bounds[1:])):
        if not _SUBHEAD_START.match(text[a:b]):
            cuts.update(x.end() for x in _ITEM_OPENER.finditer(text, a, b))
    spans = []
    bounds = sorted(cuts)
    for a, b in zip(bounds, bounds[1:]):
        a, b = trim_span(text, a, b)
        if b > a and len(_CJK.findall(_HTML_COMMENT.sub("", text[a:b]))) >= 4:
            spans.append([a, b])
    out: list[list[int]] = []
    pending = None  # a bare sub-heading waiting for its text
    for a, b in spans:
        if pending is not None:
            a = pending
            pending = None
        if _bare_heading(text[a:b]):
            pending = a
            continue
        out.append([a, b])
    if pending is not None:
        out.append([pending, spans[-1][1]])
    return [(a, b) for a, b in out]


_SUBHEAD_START = re.compile(r"\s*[（(][一二三四五六七八九十]{1,2}[）)]")


def _bare_heading(part: str) -> bool:
    return bool(_SUBHEAD_START.match(part)) and len(_CJK.findall(part)) <= 20 and \
        not re.search(r"[，,]|\d", part[3:])


def strip_heading(part: str) -> str:
    """A part without its sub-heading title (（三）政府信息管理情况。…→ …): the evaluation variant that checks the
    classifier recognises an aspect from the content, not from the heading naming it."""
    m = re.match(r"\s*[（(][一二三四五六七八九十]{1,2}[）)]", part)
    if not m:
        return part
    rest = part[m.end():]
    # the title runs to the first 。；： or line break, or (run-on web text) ends where a heading word ends
    t = re.match(r"[^。；;：:，,\n]{0,20}?(?:情况|方面)[。；;：:\n]?", rest)
    if t is None:
        t = re.match(r"[^。；;：:\n]{0,30}[。；;：:\n]", rest)
    if t is None or len(t.group(0)) > 30:
        return rest
    return rest[t.end():]
