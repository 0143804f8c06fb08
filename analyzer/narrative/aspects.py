"""The five aspects 一、总体情况 must cover: 主动公开, 依申请公开, 政府信息管理, 平台建设, 监督保障.

Coverage is decided from two kinds of evidence, both recorded so a reviewer can see why:
- a sub-heading naming the aspect (lexicon ``aspects.json`` → ``heading``), in whatever numbering;
- sentences the aspect classifier (``models/aspects.*``) recognises, so thematic sub-headings
  (（一）加强组织领导…) and run-on paragraphs are understood as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .features import aspect_lexicon, aspect_order

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
    for sent, heading, probs in sentences:
        if heading:
            continue
        for a, p in (probs or {}).items():
            if p > cov.best_probability.get(a, -1.0):
                cov.best_probability[a] = round(p, 3)
            if not cov.covered.get(a) and p >= threshold:
                cov.covered[a] = True
                cov.evidence[a] = sent.strip()[:80]
    for a in aspect_order():
        cov.covered.setdefault(a, False)
        cov.best_probability.setdefault(a, 0.0)
    return cov
