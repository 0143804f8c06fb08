"""Problems ↔ improvements in 五、存在的主要问题及改进情况.

A problem is "answered" when some measure shares its content words (jieba words minus the generic vocabulary every
report uses: 政府信息公开, 工作, 进一步, 加强 …, see ``lexicons/problem_matching.json``). Similarity is the share of
the problem's content words (or character bigrams, for wording variants) found in the measure. Only clear cases are
reported: a problem whose best match is far below the threshold while other problems are matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..resources import load_json_lexicon
from ..text.segment import cut
from .sentences import Sentence, is_heading


@lru_cache(maxsize=1)
def _lex() -> dict:
    lex = load_json_lexicon("problem_matching.json")
    return {
        "problem_cues": re.compile("|".join(map(re.escape, lex["problem_cues"]))),
        "measure_markers": re.compile("|".join(map(re.escape, lex["measure_markers"]))),
        "intro": re.compile("|".join(map(re.escape, lex["intro_phrases"]))),
        "generic": frozenset(lex["generic_words"]),
        "staff": tuple(lex["staff_terms"]),
        "non_staff": tuple(lex["non_staff_objects"]),
        "concepts": {k: tuple(v) for k, v in lex.get("concept_groups", {}).items()},
        "framing": re.compile("|".join(f"(?:{p})" for p in lex.get("framing_patterns", [])) or "(?!)"),
    }


HEADING_SKIP = 12  # characters at the start of the section that may still be heading text


def has_problem_cue(text: str) -> bool:
    return bool(_lex()["problem_cues"].search(text))


@dataclass
class Item:
    start: int  # offsets relative to the analysed text
    end: int
    text: str
    words: frozenset[str] = field(default_factory=frozenset)
    concepts: frozenset[str] = field(default_factory=frozenset)


def concepts(text: str) -> frozenset[str]:
    return frozenset(k for k, terms in _lex()["concepts"].items() if any(t in text for t in terms))


def make_item(start: int, end: int, text: str) -> Item:
    return Item(start, end, text, content_words(text), concepts(text))


@dataclass
class Match:
    problem: Item
    best: Item | None
    score: float


def content_words(text: str) -> frozenset[str]:
    lex = _lex()
    out = set()
    for w in cut(text):
        w = w.strip()
        if len(w) < 2 or w in lex["generic"] or re.fullmatch(r"[\W\d_a-zA-Z]+", w):
            continue
        out.add(w)
    return frozenset(out)


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {t[i:i + 2] for i in range(len(t) - 1)}


def similarity(problem: Item, measure: Item, use_concepts: bool = True) -> float:
    """How well a measure answers a problem: the larger of the share of the problem's content words the measure also
    uses (words, or half a point for a shared character bigram) and the share of its concepts the measure names."""
    concept_sim = (len(problem.concepts & measure.concepts) / len(problem.concepts)
                   if problem.concepts and use_concepts else 0.0)
    if not problem.words:
        return concept_sim
    hits = 0.0
    mb = _bigrams(measure.text)
    for w in problem.words:
        if w in measure.words:
            hits += 1
        else:
            wb = _bigrams(w)
            if wb and len(wb & mb) / len(wb) >= 0.5:
                hits += 0.5
    return max(hits / len(problem.words), concept_sim)


def split_problems_measures(text: str, sentences: list[Sentence],
                            measure_start: int | None = None) -> tuple[list[Item], list[Item]]:
    """Problem sentences (before the first measure marker) and measure sentences (after it).

    ``measure_start`` (offset in ``text``) comes from the structure stage when it found the 问题 and 改进
    sub-headings; then every sentence under 问题 is a problem. Without sub-headings, a sentence before the marker
    must carry a problem cue (不够, 有待, 仅 …) to count as a problem."""
    lex = _lex()
    headed = measure_start is not None and measure_start > 0
    if not headed:
        # markers inside the first characters belong to the heading (…问题及改进措施), not to the body
        m = lex["measure_markers"].search(text, min(HEADING_SKIP, len(text)))
        measure_start = m.start() if m else len(text)
    problems, measures = [], []
    for s in sentences:
        if is_heading(s.text):
            continue
        if s.start < measure_start and s.end <= measure_start + 2:
            framing = lex["intro"].search(s.text[:12]) or lex["framing"].search(s.text.strip())
            if (headed or lex["problem_cues"].search(s.text)) and not framing:
                problems.append(make_item(s.start, s.end, s.text))
        elif s.start >= measure_start - 2:
            if lex["intro"].search(s.text) and len(s.text) < 60:
                continue  # "针对上述问题，我局将从以下方面改进：" announces measures, it is not one
            measures.append(make_item(s.start, s.end, s.text))
    return problems, measures


def match(problems: list[Item], measures: list[Item]) -> list[Match]:
    out = []
    for p in problems:
        best, score = None, 0.0
        for m in measures:
            sc = similarity(p, m)
            if sc > score:
                best, score = m, sc
        out.append(Match(p, best, score))
    return out


def is_staff_only(text: str) -> bool:
    """A problem about staff and their ability only (人员/能力/队伍/培训 …) with no other object of work."""
    lex = _lex()
    return any(t in text for t in lex["staff"]) and not any(o in text for o in lex["non_staff"])
