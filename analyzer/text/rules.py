"""Writing-error rules: TYPO-2xx typos, PUNC-3xx punctuation and writing norms, FMT-4xx artifacts / dates /
citations / preamble / sign-off, CON-2xx facts (years, unit names, timeliness).

Detectors live in small modules (``nearmiss``, ``oddchars``, ``punct``, ``artifacts``, ``facts``) and return
plain hits; this module only decides where they run (prose, see ``prose.py``) and turns hits into findings.
All text rules run in one pass (``_writing_pass``) whose result is cached per report, so the twenty rule
functions share one scan of the text.
"""

from __future__ import annotations

import re

from ..model import Finding, Report
from ..rules import CheckContext, Rule, register
from . import artifacts, facts, punct
from .nearmiss import find_near_misses
from .oddchars import stray_characters
from .prose import excluded_ranges, prose_segments
from .wordrepair import find_repairs

CATEGORY = {"TYPO": "typo", "PUNC": "punctuation", "FMT": "format", "CON": "consistency"}
# Doubled words are typos to a reviewer even though the rule lives in the writing-norm family.
CATEGORY_OVERRIDE = {"PUNC-303": "typo"}
MAX_EVIDENCE_SPANS = 50

RULES = [
    Rule("TYPO-201", "Near miss of an official term", "typo", "warning",
         "A span one character (or one swapped pair) away from a term of 政务公开 writing, and not itself a word, is "
         "almost always a slip of the input method; reviewers return reports for it.",
         "由分管办公室领导负总表", "由分管办公室领导负总责"),
    Rule("TYPO-202", "Suspicious character sequence", "typo", "info",
         "Two or more characters that jieba cannot attach to any word and that never occur together in the "
         "dictionary or the corpus usually hide a garbled word. Off by default (see docs/writing.md).",
         "解读政策的决策背导依据", "解读政策的决策背景依据", default_enabled=False),
    Rule("TYPO-203", "Issuing unit misspelled in the signature", "typo", "error",
         "The signature is the unit's name as a legal identity; a one-character error there is conspicuous.",
         "平潭综合实验区财政全融局（report of 平潭综合实验区财政金融局）", "平潭综合实验区财政金融局"),
    Rule("TYPO-204", "Character that fits no word, with a likely correction", "typo", "warning",
         "A character jieba cannot attach to any word, never seen next to its neighbours, that becomes a common "
         "word when replaced by a similar-sounding or similar-looking character, is almost always a typo.",
         "大力培育发展大数局产业", "大力培育发展大数据产业"),
    Rule("TYPO-205", "Stray character that looks like a function word", "typo", "info",
         "A character that never stands alone in official prose, standing alone between two words, and shaped like "
         "a function word (知/和) is usually that function word mistyped.",
         "政务公开工作监督员制度知信息主动公开目录", "政务公开工作监督员制度和信息主动公开目录"),
    Rule("TYPO-206", "Unknown word one character away from an official term", "typo", "info",
         "A two-character token that no dictionary knows (jieba's HMM made it up), inside a span one character away "
         "from a curated term, with both character pairs around the odd character unseen in words or official "
         "prose. Without sound or shape similarity this is a hint, not a verdict: new coinages (惠企, 堵点) look the "
         "same, so it is info severity and skipped when the span is quoted or repeated in the report.",
         "解读政策的决策背导依据", "解读政策的决策背景依据"),
    Rule("PUNC-301", "Unbalanced or mismatched brackets or quotes", "punctuation", "warning",
         "Every （ 《 “ needs its partner, of the same width; a lost bracket usually means text was cut or pasted.",
         "以\"公开为常态，不公开为例外准确、公开", "以“公开为常态、不公开为例外”为原则"),
    Rule("PUNC-302", "Half-width punctuation in Chinese text", "punctuation", "info",
         "公文 use full-width punctuation (GB/T 15834). Reported once per document with the count.",
         "公开镇财政信息,1条", "公开镇财政信息1条，"),
    Rule("PUNC-303", "Doubled character or word", "typo", "warning",
         "A word written twice (的的, 审核审核) is a typing slip; legitimate reduplication (常常, 人人, 层层) is "
         "allow-listed in lexicons/reduplication_allow.txt.",
         "打造整体统一的的网站界面", "打造整体统一的网站界面"),
    Rule("PUNC-304", "List numbering skips or repeats", "punctuation", "warning",
         "一是/二是/三是 and （一）（二）（三） must count up by one; a repeated or skipped number shows an item was "
         "lost or pasted.",
         "一是…二是…三是…三是…", "一是…二是…三是…四是…"),
    Rule("PUNC-305", "Doubled punctuation", "punctuation", "warning",
         "Two marks in a row (，； or 。，) are an editing left-over.", "占比63.2%，；压缩时限", "占比63.2%；压缩时限"),
    Rule("FMT-401", "Template or extraction artifact", "format", "warning",
         "Word bookmarks, HTML comments and template placeholders (XX镇, ××) left in a published report.",
         "[bookmark: _GoBack]", "(nothing)"),
    Rule("FMT-402", "Superseded document cited", "format", "warning",
         "From the 2021 reports on, the format is 国办公开办函〔2021〕30号; citing 国办公开办函〔2019〕60号 or the 试行 "
         "format as the basis shows an outdated template.",
         "2022年度报告：根据…（国办公开办函〔2019〕60号）要求", "根据…（国办公开办函〔2021〕30号）要求"),
    Rule("FMT-403", "Malformed document number", "format", "info",
         "文号 put the year in 六角括号 〔〕 and 令 numbers read 第N号 (GB/T 9704).",
         "国办发[2019]5号；国务院令711号", "国办发〔2019〕5号；国务院令第711号"),
    Rule("FMT-404", "Malformed date", "format", "warning",
         "A date that cannot exist (13月, 2月30日, a five- or six-digit year) is a typo in a fact.",
         "2022年2月30日", "2022年2月28日"),
    Rule("FMT-405", "Preamble lacks the basis of the report", "format", "warning",
         "The preamble should state 编制依据: the 条例 and the national format notice.",
         "一、总体情况 (no preamble)", "根据《中华人民共和国政府信息公开条例》…编制本报告。"),
    Rule("FMT-406", "Preamble lacks the statistical period", "format", "warning",
         "The preamble should state 统计期限 (1 January – 31 December of the report year).",
         "(no 统计期限)", "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。"),
    Rule("FMT-407", "Missing signature or date", "format", "warning",
         "A report ends with the issuing unit's name and the date (落款).", "…未收取信息处理费。(end)",
         "…未收取信息处理费。 王村镇人民政府 2023年1月20日"),
    Rule("CON-201", "Reporting-period year contradicts the report year", "consistency", "error",
         "A 2022 report saying 现将我镇2021年政务公开工作… was copied from last year's report.",
         "（2022年度报告）现将我镇2021年政务公开工作情况报告如下", "现将我镇2022年政务公开工作情况报告如下"),
    Rule("CON-202", "Statistical period names another year", "consistency", "error",
         "统计期限 must be the report year.", "（2022年度报告）统计期限自2021年1月1日起至2021年12月31日止",
         "统计期限自2022年1月1日起至2022年12月31日止"),
    Rule("CON-203", "Another unit's name in the signature", "consistency", "error",
         "A signature naming a different unit than the report's means the text was copied from another unit.",
         "（投资促进局报告）落款：平潭综合实验区国有资产管理局", "平潭综合实验区投资促进局"),
    Rule("CON-204", "Published after the legal deadline", "consistency", "warning",
         "条例第四十九条: departments publish by 31 January, local governments by 31 March of the following year.",
         "（县级部门2022年度报告）发布于2023-02-15", "发布于2023-01-20"),
]
RULES_BY_ID = {r.id: r for r in RULES}


def _finding(report: Report, hit: punct.Hit) -> Finding:
    rule = RULES_BY_ID[hit.rule]
    category = CATEGORY_OVERRIDE.get(hit.rule, CATEGORY[hit.rule.split("-")[0]])
    has_span = hit.end > hit.start
    return Finding(rule=hit.rule, category=category, severity=rule.severity, message=hit.message,  # type: ignore
                   text=report.text[hit.start:hit.end] if has_span else None,
                   start=hit.start if has_span else None, end=hit.end if has_span else None,
                   suggestion=hit.suggestion, evidence=hit.evidence)


def _doc_names(report: Report, ctx: CheckContext) -> set[str]:
    """Names the report itself vouches for: its unit (and parts of it) and configured unit names/terms."""
    names: set[str] = set(ctx.config.unit_names) | set(ctx.config.allowed_terms)
    if report.unit:
        u = report.unit
        names.update(u[i:j] for i in range(len(u)) for j in range(i + 2, len(u) + 1))
    return names


_QUOTED_NAME = re.compile(r"[“「\"《]([^“”「」\"《》\n]{2,8})[”」\"》]")


def _inside_quoted_name(text: str, start: int, end: int) -> bool:
    """The span lies inside a short quoted or titled name (an app, a brand, a programme)."""
    for m in _QUOTED_NAME.finditer(text, max(0, start - 9), min(len(text), end + 9)):
        if m.start(1) <= start and end <= m.end(1):
            return True
    return False


def _inside_name(text: str, start: int, end: int, names: set[str]) -> bool:
    """The span lies inside an occurrence of a name or term the report or the configuration vouches for."""
    for name in names:
        if len(name) <= end - start:
            continue
        k = text.find(name, max(0, end - len(name)), start + len(name))
        if k != -1 and k <= start and end <= k + len(name):
            return True
    return False


def writing_hits(report: Report, ctx: CheckContext) -> list[punct.Hit]:
    """Run every text detector once per report (cached in ``ctx.cache``)."""
    key = ("writing_hits", id(report))
    if key in ctx.cache:
        return ctx.cache[key]
    text = report.text
    names = _doc_names(report, ctx)
    hits: list[punct.Hit] = []
    half: list[tuple[int, str]] = []
    for seg in _section_split(report, prose_segments(report)):
        s, e = seg
        for m in find_near_misses(text, s, e, names):
            written = text.count(m.span)
            if written >= 3:
                continue  # written the same way three times: a name, not a slip
            if m.kind == "invented":
                if written >= 2 or _inside_quoted_name(text, m.start, m.end):
                    continue  # a repeated or quoted coinage (“一窗通办”) is the unit's own wording
                hits.append(punct.Hit("TYPO-206", m.start, m.end,
                                      f"“{m.span}”不成词（疑“{m.span[m.position]}”有误），可能为“{m.suggestion}”",
                                      m.suggestion, {"basis": m.kind, "term_freq": m.phrase_freq}))
                continue
            if m.kind == "swap":
                msg = f"疑似词语颠倒：“{m.span}”应为“{m.suggestion}”"
            else:
                msg = f"疑似错别字：“{m.span}”应为“{m.suggestion}”"
            hits.append(punct.Hit("TYPO-201", m.start, m.end, msg, m.suggestion,
                                  {"similarity": round(m.similarity, 2), "basis": m.kind, "term_freq": m.phrase_freq}))
        if ctx.config.rule_enabled("TYPO-202", RULES_BY_ID["TYPO-202"].default_enabled):
            from .oddchars import odd_sequences

            for a, b in odd_sequences(text, s, e, names):
                hits.append(punct.Hit("TYPO-202", a, b, f"疑似错字或乱码：“{text[a:b]}”", None))
        for rp in find_repairs(text, s, e):
            if text.count(rp.written) >= 2:
                continue  # written the same way twice: a name or a term we do not know, not a slip
            if _inside_quoted_name(text, rp.start, rp.end) or _inside_name(text, rp.start, rp.end, names):
                continue  # “浙里办”, “皖事通”: a quoted short name or a vouched-for term is a coinage, not a slip
            hits.append(punct.Hit("TYPO-204", rp.start, rp.end, f"疑似错别字：“{rp.written}”应为“{rp.word}”", rp.word,
                                  {"basis": rp.basis, "position": rp.position}))
        for at, fw in stray_characters(text, s, e):
            hits.append(punct.Hit("TYPO-205", at, at + 1, f"疑似错字：“{text[at]}”（形近“{fw}”）", fw,
                                  {"basis": "visual"}))
        hits += punct.doubled_word_hits(text, s, e)
        hits += punct.doubled_punct_hits(text, s, e)
        hits += punct.numbering_hits(text, s, e)
        hits += artifacts.date_hits(text, s, e)
        hits += artifacts.citation_hits(text, s, e)
        half += punct.half_width_hits(text, s, e)
    cut_by_exclusion = {a for a, _ in excluded_ranges(report, keep_urls=True)}
    for s, e in _section_split(report, prose_segments(report, keep_urls=True)):
        hits += punct.bracket_hits(text, s, e, open_end=e in cut_by_exclusion)
    # artifacts and citations are looked for everywhere (an artifact inside a table is still an artifact)
    hits += artifacts.artifact_hits(text, 0, len(text))
    hits += artifacts.superseded_hits(text, 0, len(text), report.year)
    if half:
        at, ch = half[0]
        kinds = sorted({c for _, c in half})
        hits.append(punct.Hit(
            "PUNC-302", at, at + 1,
            f"正文中使用半角标点{len(half)}处（{' '.join(kinds)}），公文应使用全角标点",
            None, {"count": len(half), "chars": kinds, "offsets": [o for o, _ in half[:MAX_EVIDENCE_SPANS]]}))
    hits += facts.year_hits(report)
    hits += facts.preamble_hits(report)
    hits += facts.signoff_hits(report)
    hits += facts.unit_hits(report)
    hits += facts.timeliness_hits(report)
    hits = _drop_typos_in_doc_numbers(text, hits)
    hits = _dedupe(hits)
    ctx.cache[key] = hits
    return hits


DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[【(（［]\s*(?:19|20)\d\d\s*[〕\]】)）］]\s*第?\d{1,4}\s*号")


def _drop_typos_in_doc_numbers(text: str, hits: list[punct.Hit]) -> list[punct.Hit]:
    """机关代字 in 文号 (闽政办函, 岚综管办便函) are abbreviations, not words: no typo findings inside them."""
    spans = [(m.start(), m.end()) for m in DOC_NUMBER.finditer(text)]
    if not spans:
        return hits
    return [h for h in hits if not (h.rule.startswith("TYPO-20") and h.rule != "TYPO-203"
                                    and any(a < h.end and h.start < b for a, b in spans))]


def _section_split(report: Report, segments) -> list[tuple[int, int]]:
    """Prose segments cut at section starts, so numbering runs restart with each section."""
    cuts = sorted({s.start for s in report.sections} | {s.body.start for s in report.sections if s.body})
    out = []
    for seg in segments:
        a = seg.start
        for c in cuts:
            if seg.start < c < seg.end:
                out.append((a, c))
                a = c
        out.append((a, seg.end))
    return [(a, b) for a, b in out if b > a]


def _dedupe(hits: list[punct.Hit]) -> list[punct.Hit]:
    """A typo span found by two detectors is reported once (near miss beats the generic ones)."""
    order = {"TYPO-203": 0, "TYPO-201": 1, "TYPO-204": 2, "PUNC-303": 3, "TYPO-205": 4, "TYPO-206": 5, "TYPO-202": 6}
    hits.sort(key=lambda h: (order.get(h.rule, 9), h.start))
    kept: list[punct.Hit] = []
    for h in hits:
        if h.rule in order and any(k.rule in order and h.start < k.end and k.start < h.end for k in kept):
            continue
        kept.append(h)
    return kept


def _make_check(rule_id: str):
    def check(report: Report, ctx: CheckContext):
        for hit in writing_hits(report, ctx):
            if hit.rule == rule_id:
                yield _finding(report, hit)

    check.__name__ = "check_" + rule_id.replace("-", "_").lower()
    return check


for _rule in RULES:
    register(_rule)(_make_check(_rule.id))

__all__ = ["RULES", "RULES_BY_ID", "writing_hits"]
