"""Narrative-quality rules: BLR-5xx boilerplate / specificity and weak text, CMP-6xx completeness.

All rules share one narrative analysis per report (``analyze.get_analysis``: the spaCy pipeline with the
boilerplate and aspect models). Defaults are conservative: generic wording is ``info`` or ``warning``, never an
error, and a finding is only produced for clear cases (precision first). The analysis summary (specificity per
section, aspect coverage) is also stored in ``Audit.extras['narrative']`` for the score and the renderers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Finding, Report
from ..rules import CheckContext, Rule, register
from .analyze import NARRATIVE_SECTIONS, NarrativeAnalysis, fee_reported, get_analysis
from .aspects import aspect_name
from .features import stock_hits
from .matching import has_problem_cue, is_staff_only
from .sentences import cjk_len

_MEASURE_VERBS = re.compile(r"将|加强|推进|完善|提升|健全|加大|做好|强化|建立|落实|规范")
SECTION_NAMES = {"overview": "一、总体情况", "problems": "五、存在的主要问题及改进情况", "other": "六、其他需要报告的事项"}

RULES = [
    Rule("BLR-501", "Generic sentence (套话)", "boilerplate", "info",
         "The format asks that reports not be generic (不宜泛化). A sentence the boilerplate classifier scores above "
         "the threshold (default 0.80) says nothing this unit did this year: no number, date, platform, document "
         "or concrete measure. Reported as info, one per sentence; see BLR-502 for whole sections.",
         "工作人员业务能力有待进一步提高。", "全年组织政务公开业务培训3期，覆盖区直部门和乡镇工作人员210人次。"),
    Rule("BLR-502", "Narrative section is generic throughout", "boilerplate", "warning",
         "内容雷同、敷衍塞责 are named failures. A 总体情况 / 问题及改进 / 其他事项 section whose specificity score "
         "(1 − length-weighted mean 套话 probability) is below 0.25 reads as boilerplate from start to end; a few "
         "stock sentences among concrete ones do not trigger it.",
         "五、…（一）主要问题 1.工作能力有待进一步加强。（二）改进情况 1.加强培训，提高业务水平。",
         "五、…上年报告提出的“政策解读形式单一”问题，本年度通过制作8期短视频解读予以改进。"),
    Rule("BLR-503", "Problems are only about staff ability", "boilerplate", "info",
         "Reviewers discount problem lists that only say staff are unstable or 能力有待提高: they name no weakness of "
         "the disclosure work itself (解读, 申请办理, 平台, 公开范围 …).",
         "存在问题：专职人员不稳定，工作能力有待进一步加强。",
         "存在问题：政策解读以文字为主，全年仅发布图解2篇。"),
    Rule("BLR-504", "Over-long sentence without a break", "punctuation", "info",
         "A sentence of more than 150 characters with no 。；！？ is hard to read and usually two or three sentences "
         "run together (common in pasted text).",
         "坚持以公开为常态…（180余字，中间只有逗号）…现将情况汇报如下：",
         "坚持以公开为常态、不公开为例外。现将情况报告如下："),
    Rule("CMP-601", "总体情况 misses one of the five aspects", "completeness", "warning",
         "国办公开办函〔2021〕30号 asks 一、总体情况 to cover 主动公开, 依申请公开, 政府信息管理, 平台建设 and 监督保障. "
         "An aspect is covered by a sub-heading naming it or by a sentence the aspect classifier recognises, in "
         "whatever wording.",
         "总体情况 with （一）加强组织领导 （二）拓宽公开渠道 （三）完善公开平台 and no word on 依申请公开",
         "（二）依申请公开情况。全年受理申请21件，均在法定期限答复。"),
    Rule("CMP-602", "Problem with no measure answering it", "completeness", "info",
         "五 must give measures that answer the problems it names. A problem none of the measures addresses (no "
         "shared content words or concepts) is reported; clear cases only.",
         "问题：政策解读形式单一。措施：加强人员培训。",
         "问题：政策解读形式单一。措施：制作图解、短视频解读。"),
    Rule("CMP-603", "Problems without measures, or measures without problems", "completeness", "warning",
         "The section title is 存在的主要问题及改进情况: both halves are required.",
         "五、存在的主要问题及改进情况 一是…不够；二是…有待提高。(no measures)",
         "…存在问题：…不够及时。改进措施：…建立每周更新制度。"),
    Rule("CMP-604", "六 does not report 信息处理费", "completeness", "warning",
         "国办函〔2020〕109号 and the 2021 format ask every report from 2021 on to state the 信息处理费 collected (even "
         "none) in 六、其他需要报告的事项.",
         "六、其他需要报告的事项 无。", "六、其他需要报告的事项 本年度未收取信息处理费。"),
    Rule("CMP-605", "Last year's problems not followed up", "completeness", "info",
         "The format asks 五 to report how last year's problems were addressed. With --previous, a report that "
         "neither mentions last year's problems nor addresses any of them is reported.",
         "2023 report: 五 lists new slogans; none of 2022's problems (解读形式单一, 更新不及时) is mentioned.",
         "针对上年度报告提出的“政策解读形式单一”问题，本年度制作图解12期。", scope="pair"),
    Rule("CMP-606", "总体情况 only counts posts", "completeness", "info",
         "Counting posts is not an account of the work (CASS: 以发布次数作为成绩). A 总体情况 that consists of "
         "numbers of items published plus at most one generic opening sentence is reported.",
         "一、总体情况 全年主动公开政务信息217条，其中门户网站125条，微信公众号92条。",
         "…主动公开217条；修订《信息公开发布审核办法》，关停不更新的公众号2个…"),
    Rule("CMP-607", "Narrative section far shorter than peers", "completeness", "info",
         "A 总体情况 or 问题及改进 much shorter than the same section in other reports (below 25% of the corpus median "
         "recorded at training) rarely covers what the format asks.",
         "五、存在的主要问题及改进情况 无。", "五 with problems and measures of ordinary length"),
]


@lru_cache(maxsize=1)
def _section_medians() -> dict[str, float]:
    from ..nlp import boilerplate_model

    return dict(boilerplate_model().meta.get("section_chars_median", {}))


def _truncated(report: Report, section_id: str) -> bool:
    """An excerpt whose text stops inside this section: absence of content there proves nothing."""
    if not report.is_excerpt:
        return False
    sec = report.section(section_id)
    later = [s for s in report.sections if sec is not None and s.start > sec.start and s.id in
             ("proactive", "requests", "review_litigation", "problems", "other")]
    return not later


def _summary(an: NarrativeAnalysis, report: Report) -> dict:
    out: dict = {"sections": {}}
    for sid, sec in an.sections.items():
        out["sections"][sid] = {
            "specificity": None if sec.specificity is None else round(sec.specificity, 3),
            "sentences_scored": len(sec.scored),
            "chars": sec.chars,
        }
    if an.coverage is not None:
        out["aspects"] = {a: {"covered": an.coverage.covered[a], "best_probability": an.coverage.best_probability[a],
                              "evidence": an.coverage.evidence.get(a)} for a in an.coverage.covered}
        if not _truncated(report, "overview"):  # an excerpt cut inside 总体情况 proves nothing about coverage
            out["aspect_share"] = round(an.coverage.share, 3)
    out["problems"] = len(an.problems)
    out["measures"] = len(an.measures)
    return out


@register(*RULES)
def narrative_checks(report: Report, ctx: CheckContext):
    an = get_analysis(report, ctx.cache, ctx.config.threshold("aspect_probability"))
    ctx.cache.setdefault("extras", {})["narrative"] = _summary(an, report)
    yield from _boilerplate(report, ctx, an)
    yield from _completeness(report, ctx, an)


def _boilerplate(report: Report, ctx: CheckContext, an: NarrativeAnalysis):
    thr = ctx.config.threshold("boilerplate_probability")
    max_chars = int(ctx.config.threshold("max_sentence_chars"))
    generic = ctx.config.threshold("generic_section_specificity")
    for sid, sec in an.sections.items():
        for s in sec.sentences:
            if s.boilerplate is not None and s.boilerplate >= thr:
                hits = stock_hits(s.text)
                yield Finding(
                    rule="BLR-501", category="boilerplate", severity="info",
                    message=f"套话：此句未写出本单位本年度的具体情况（套话概率 {s.boilerplate:.2f}）",
                    section=sid, start=s.start, end=s.end,
                    suggestion="写明具体做法、数字、时间、平台或文件名称",
                    evidence={"probability": round(s.boilerplate, 3), "stock_phrases": hits[:5]})
            compact = re.sub(r"\s+", "", s.text)
            if len(compact) > max_chars and not re.search(r"[。；;！？!?]", compact[:-1]):
                yield Finding(
                    rule="BLR-504", category="punctuation", severity="info",
                    message=f"句子过长：{len(compact)} 字无句号或分号", section=sid, start=s.start, end=s.end,
                    suggestion="在意思完整处断句", evidence={"chars": len(compact), "limit": max_chars})
        if sec.specificity is not None and len(sec.scored) >= 3 and sec.specificity < generic:
            if _truncated(report, sid):
                continue
            yield Finding(
                rule="BLR-502", category="boilerplate", severity="warning",
                message=f"“{SECTION_NAMES[sid]}”通篇为套话（具体程度 {sec.specificity * 100:.0f}/100）",
                section=sid, start=sec.start, end=sec.end,
                suggestion="写出本年度具体做了什么：数字、平台、文件、时间和成效",
                evidence={"specificity": round(sec.specificity, 3), "sentences": len(sec.scored)})
    if an.problems and all(is_staff_only(p.text) for p in an.problems):
        first, last = an.problems[0], an.problems[-1]
        yield Finding(
            rule="BLR-503", category="boilerplate", severity="info",
            message="存在的问题只涉及人员与能力，未指出信息公开工作本身的不足",
            section="problems", start=first.start, end=last.end,
            suggestion="写出具体工作短板，如解读形式、申请办理、平台更新、公开范围等",
            evidence={"problems": [p.text.strip()[:60] for p in an.problems]})


def _completeness(report: Report, ctx: CheckContext, an: NarrativeAnalysis):
    cov = an.coverage
    ov = an.sections.get("overview")
    if cov is not None and ov is not None and not _truncated(report, "overview"):
        sec = report.section("overview")
        head = sec.heading if sec is not None and sec.heading is not None else None
        for a in cov.missing:
            yield Finding(
                rule="CMP-601", category="completeness", severity="warning",
                message=f"总体情况未涉及“{aspect_name(a)}”", section="overview",
                start=head.start if head else ov.start, end=head.end if head else ov.end,
                suggestion=f"在总体情况中增写“{aspect_name(a)}”方面的工作情况",
                evidence={"aspect": a, "best_probability": cov.best_probability.get(a)})
        yield from _counts_only(ov)
    yield from _problem_matching(report, ctx, an)
    yield from _fee(report)
    yield from _short_sections(report, ctx, an)
    if ctx.previous is not None:
        yield from _previous_problems(report, ctx, an)


def _counts_only(ov):
    from ..resources import load_json_lexicon

    post_counts = re.compile(load_json_lexicon("narrative_markers.json")["post_counts"])
    scored = ov.scored
    if not scored:
        return
    counts = [s for s in scored if post_counts.search(s.text)]
    others = [s for s in scored if s not in counts]
    # besides the counts at most one sentence (the usual opening), and that one generic
    if counts and len(others) <= 1 and all(s.boilerplate is not None and s.boilerplate >= 0.5 for s in others):
        yield Finding(
            rule="CMP-606", category="completeness", severity="info",
            message="总体情况只列出发布条数，没有叙述做了哪些工作", section="overview", start=ov.start, end=ov.end,
            suggestion="补充制度、平台、解读、申请办理、监督等方面的具体做法",
            evidence={"count_sentences": len(counts), "sentences": len(scored)})


def _problem_matching(report: Report, ctx: CheckContext, an: NarrativeAnalysis):
    sec = an.sections.get("problems")
    if sec is None or _truncated(report, "problems"):
        return
    # only problems naming a recognisable object of work (a concept) are judged: vaguer ones cannot be matched
    concrete = [m for m in an.matches if m.problem.concepts]
    body = report.text[sec.start:sec.end]
    if an.problems and not an.measures and not _MEASURE_VERBS.search(body[an.problems[-1].end - sec.start:]):
        yield Finding(
            rule="CMP-603", category="completeness", severity="warning",
            message="只列出问题，未写改进措施", section="problems", start=sec.start, end=sec.end,
            suggestion="逐条写出针对问题的改进措施", evidence={"problems": len(an.problems)})
        return
    if an.measures and not an.problems and len(sec.scored) >= 2 and not any(has_problem_cue(s.text)
                                                                              for s in sec.scored):
        yield Finding(
            rule="CMP-603", category="completeness", severity="warning",
            message="只写了改进措施，未指出存在的问题", section="problems", start=sec.start, end=sec.end,
            suggestion="先写明本年度工作存在的具体问题", evidence={"measures": len(an.measures)})
        return
    low = ctx.config.threshold("problem_match_min")
    answered = [m for m in concrete if m.score >= 0.5]
    for m in concrete:
        if m.score < low and answered:  # clear case: other problems are answered, this one is not
            yield Finding(
                rule="CMP-602", category="completeness", severity="info",
                message="此问题没有对应的改进措施", section="problems", start=m.problem.start, end=m.problem.end,
                suggestion="补充针对此问题的具体措施",
                evidence={"best_score": round(m.score, 2),
                          "best_measure": m.best.text.strip()[:60] if m.best else None})


def _fee(report: Report):
    sec = report.section("other")
    # 国办函〔2020〕109号 (Nov 2020) and the 2021 format introduced the statement: reports for 2021 on
    if sec is None or report.year is None or report.year < 2021:
        return
    # the statement belongs in 六, but a report that makes it in its narrative elsewhere has made it; the tables
    # (二/三/四) are not searched: their labels mention fees in every report
    if any(fee_reported(report.section_text(sid)) for sid in ("other", "overview", "problems", "preamble", "extra")):
        return
    yield Finding(
        rule="CMP-604", category="completeness", severity="warning",
        message="“其他需要报告的事项”未说明信息处理费收取情况", section="other",
        start=sec.heading.start if sec.heading else sec.start, end=sec.heading.end if sec.heading else sec.end,
        suggestion="写明本年度收取信息处理费的情况，如“本年度未收取信息处理费”",
        evidence={"basis": "国办函〔2020〕109号"})


def _short_sections(report: Report, ctx: CheckContext, an: NarrativeAnalysis):
    ratio = ctx.config.threshold("short_section_ratio")
    medians = _section_medians()
    for sid in ("overview", "problems"):
        sec = an.sections.get(sid)
        med = medians.get(sid)
        if sec is None or not med or _truncated(report, sid):
            continue
        if sec.chars < ratio * med:
            yield Finding(
                rule="CMP-607", category="completeness", severity="info",
                message=f"“{SECTION_NAMES[sid]}”仅 {sec.chars} 字，远短于同类报告（中位数 {med:.0f} 字）",
                section=sid, start=sec.start, end=sec.end, suggestion="按格式要求充实该部分内容",
                evidence={"chars": sec.chars, "median": med, "ratio": ratio})


_MENTIONS_LAST_YEAR = re.compile(r"(上年|上一年|去年|上年度|(?:19|20)\d{2}年(?:度)?(?:年报|报告)).{0,20}(问题|不足|整改)")


def _previous_problems(report: Report, ctx: CheckContext, an: NarrativeAnalysis):
    from .analyze import analyze_report
    from .matching import similarity

    prev = ctx.cache.get("narrative_previous")
    if prev is None:
        prev = ctx.cache["narrative_previous"] = analyze_report(ctx.previous)
    old = [p for p in prev.problems if p.concepts or len(p.words) >= 2]
    sec = an.sections.get("problems")
    if not old or sec is None:
        return
    if _MENTIONS_LAST_YEAR.search(report.text):
        return
    current = an.measures + an.problems
    # words, not concepts: "更新不及时" last year and "清理不及时" this year are different problems
    if any(similarity(p, c, use_concepts=False) >= 0.5 for p in old for c in current):
        return
    yield Finding(
        rule="CMP-605", category="completeness", severity="info",
        message="未说明上年度报告所列问题的改进情况", section="problems", start=sec.start, end=sec.end,
        suggestion="逐条说明上年度问题的整改结果",
        evidence={"previous_problems": [p.text.strip()[:60] for p in old][:5]})


__all__ = ["RULES", "narrative_checks", "NARRATIVE_SECTIONS", "cjk_len"]
