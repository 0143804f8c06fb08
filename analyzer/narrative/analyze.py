"""Narrative analysis of one report: run the spaCy pipeline on 一 总体情况, 五 问题及改进 and 六 其他事项 and collect
what the rules and the score need. Offsets in the result are ``Document.text`` offsets.

Computed once per audit (cached in ``CheckContext.cache``) and shared by every BLR/CMP rule and by the score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .aspects import AspectCoverage, coverage_from_text, heading_aspect
from .matching import Item, Match, match, split_problems_measures
from .sentences import Sentence, cjk_len, is_heading

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Report, Section

NARRATIVE_SECTIONS = ("overview", "problems", "other")
ASPECT_THRESHOLD = 0.5  # a sentence this likely to report an aspect counts as covering it
# not a bare 费用: 表三's row "逾期未按收费通知要求缴纳费用" is in every report
_FEE = re.compile(r"处理费|收取.{0,6}费")


@dataclass
class SentenceResult:
    start: int
    end: int
    text: str
    heading: bool
    boilerplate: float | None = None  # None for headings/fragments (not scored)
    aspects: dict[str, float] | None = None


@dataclass
class SectionAnalysis:
    section_id: str
    start: int
    end: int
    sentences: list[SentenceResult] = field(default_factory=list)
    specificity: float | None = None  # 0..1, None when nothing was scorable

    @property
    def scored(self) -> list[SentenceResult]:
        return [s for s in self.sentences if s.boilerplate is not None]

    @property
    def chars(self) -> int:
        return sum(cjk_len(s.text) for s in self.sentences)


@dataclass
class NarrativeAnalysis:
    sections: dict[str, SectionAnalysis] = field(default_factory=dict)
    coverage: AspectCoverage | None = None
    problems: list[Item] = field(default_factory=list)  # Document offsets
    measures: list[Item] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)


def _section_span(report: "Report", sec: "Section") -> tuple[int, int]:
    start = sec.body.start if sec.body is not None else sec.start
    return start, sec.end


def analyze_section(text: str, offset: int, section_id: str) -> SectionAnalysis:
    """Run the pipeline on one section's text; ``offset`` maps its offsets back to ``Document.text``."""
    from ..nlp import get_nlp

    doc = get_nlp()(text)
    out = SectionAnalysis(section_id, offset, offset + len(text), specificity=doc._.specificity)
    for span in doc._.sentences or []:
        stext = text[span.start_char:span.end_char]
        heading = is_heading(stext)
        out.sentences.append(SentenceResult(
            start=offset + span.start_char, end=offset + span.end_char, text=stext, heading=heading,
            boilerplate=None if heading else span._.boilerplate, aspects=span._.aspects,
        ))
    scored = out.scored
    if scored:
        total = sum(cjk_len(s.text) for s in scored)
        out.specificity = 1.0 - sum(cjk_len(s.text) * s.boilerplate for s in scored) / total  # type: ignore[operator]
    else:
        out.specificity = None
    return out


def aspect_coverage(report: "Report", sec: SectionAnalysis, threshold: float = ASPECT_THRESHOLD) -> AspectCoverage:
    text = report.text[sec.start:sec.end]
    return coverage_from_text(text, [(s.text, s.heading, s.aspects) for s in sec.sentences], threshold)


def _measure_start(report: "Report", sec: "Section", start: int) -> int | None:
    """Offset (relative to the analysed text) where the structure stage says the improvements begin."""
    subs = [s for s in sec.subsections if s.kind == "improvements"]
    # only a titled 问题 sub-heading (（一）存在问题) makes every sentence under it a problem; an untitled split is the
    # structure stage's guess and the sentences still need a problem cue
    probs = [s for s in sec.subsections if s.kind == "problems" and s.end > s.start and s.title.strip()]
    if subs and probs and subs[0].start > start:
        return subs[0].start - start
    return None


def analyze_report(report: "Report", aspect_threshold: float = ASPECT_THRESHOLD) -> NarrativeAnalysis:
    out = NarrativeAnalysis()
    for sid in NARRATIVE_SECTIONS:
        sec = report.section(sid)
        if sec is None:
            continue
        start, end = _section_span(report, sec)
        if end <= start:
            continue
        out.sections[sid] = analyze_section(report.text[start:end], start, sid)
    if "overview" in out.sections:
        out.coverage = aspect_coverage(report, out.sections["overview"], aspect_threshold)
    if "problems" in out.sections:
        psec = out.sections["problems"]
        sec = report.section("problems")
        text = report.text[psec.start:psec.end]
        sents = [Sentence(s.start - psec.start, s.end - psec.start, s.text) for s in psec.sentences]
        problems, measures = split_problems_measures(text, sents, _measure_start(report, sec, psec.start))
        for it in problems + measures:
            it.start += psec.start
            it.end += psec.start
        out.problems, out.measures = problems, measures
        out.matches = match(problems, measures)
    return out


def get_analysis(report: "Report", cache: dict, aspect_threshold: float = ASPECT_THRESHOLD) -> NarrativeAnalysis:
    """The analysis for this audit, computed once and shared through ``CheckContext.cache``."""
    key = "narrative_analysis"
    if key not in cache:
        cache[key] = analyze_report(report, aspect_threshold)
    return cache[key]


def fee_reported(text: str) -> bool:
    return bool(_FEE.search(text))


__all__ = ["NarrativeAnalysis", "SectionAnalysis", "SentenceResult", "analyze_report", "get_analysis",
           "heading_aspect", "fee_reported"]
