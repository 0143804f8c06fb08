"""Copy detection: year-over-year 重复率 (rule CPY-701) and cross-report near-duplicates (batch).

Both measures work on the report's *narrative*, normalised so that layout and numbers do not matter:

1. Narrative = the prose sections 一 总体情况, 五 存在的主要问题及改进情况, 六 其他需要报告的事项 (and extra
   sections), minus any table spans inside them. When the structure finds none of them: the whole text minus tables.
2. Normalise a copy (the document itself is never changed): keep CJK characters and letters, replace every run of
   digits by ``#`` (numbers and years are masked), drop whitespace and punctuation. Each kept character remembers
   its offset in ``Document.text`` so copied passages can be pointed at.
3. Remove text the format mandates (headings, table labels, fixed sentences: ``lexicons/mandated_text.txt``);
   the removed places become breaks that no shingle crosses.

Year-over-year 重复率 (``year_over_year``)::

    S_prev          = set of 8-character shingles of last year's normalised narrative
    copied(i)       = character i of this year's narrative lies inside some shingle that is in S_prev
    重复率           = #{i : copied(i)} / #{i}

i.e. the share of this year's narrative characters that sit in an 8-character run also found in last year's
report. Contiguous copied characters form the "copied passages" reported as evidence.

Cross-report copying (``cross_report``) splits each narrative into passages (sentences merged to ≥ 30
characters), indexes them with MinHash LSH (datasketch, fixed seed), and keeps passage matches between different
units after dropping *stock* passages that many units share (boilerplate, not copying).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from .model import Check, Finding, Report
from .resources import read_lines
from .rules import CheckContext, Rule, declare, register

SHINGLE = 8  # characters per shingle for the year-over-year ratio (about four Chinese words)
MIN_NARRATIVE_CHARS = 150  # below this a ratio means little (excerpts, table-only reports)
MAX_PASSAGES = 5  # longest copied passages kept as evidence
BREAK = "\x00"  # marks removed text; no shingle crosses it
MASK = "#"  # replaces a run of digits

_SENTENCE_END = set("。！？；!?;\n")
# Sections whose body is written prose. 二/三/四 are the tables (plus a caption at most), the preamble is the
# conventional 编制依据/统计期限/联系方式 formula and the closing is the sign-off: none of them says whether the
# year's report was written afresh.
_NARRATIVE_SECTIONS = {"overview", "problems", "other", "extra"}


# ---------------------------------------------------------------- normalisation


@dataclass
class Narrative:
    """The normalised narrative of one report: ``chars[i]`` came from ``Document.text[offsets[i]]``."""

    chars: str
    offsets: list[int]
    sentence_ends: list[int] = field(default_factory=list)  # indices into chars after which a sentence ended
    basis: str = "sections"  # "sections" (structure found) | "whole_text" (no sections: whole text minus tables)

    @property
    def size(self) -> int:
        """Characters that count (everything but breaks)."""
        return len(self.chars) - self.chars.count(BREAK)


def _is_kept(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF) or (0x3400 <= o <= 0x4DBF) or ("a" <= ch <= "z") or ("A" <= ch <= "Z") or ch == "〇"


def normalize_span(text: str, start: int, end: int, excluded: bytearray | None = None) -> tuple[list[str], list[int], list[int]]:
    """Normalise ``text[start:end]``: returns (chars, offsets, sentence_ends). See the module docstring."""
    chars: list[str] = []
    offsets: list[int] = []
    ends: list[int] = []
    for pos in range(start, end):
        if excluded is not None and excluded[pos]:
            if chars and chars[-1] != BREAK:
                chars.append(BREAK)
                offsets.append(pos)
            continue
        ch = text[pos]
        if ch.isdigit():
            if not chars or chars[-1] != MASK:
                chars.append(MASK)
                offsets.append(pos)
        elif _is_kept(ch):
            chars.append(ch.lower())
            offsets.append(pos)
        elif ch in _SENTENCE_END and chars and (not ends or ends[-1] != len(chars) - 1):
            ends.append(len(chars) - 1)
    return chars, offsets, ends


def _normalize_plain(s: str) -> str:
    chars, _, _ = normalize_span(s, 0, len(s))
    return "".join(chars)


@lru_cache(maxsize=1)
def mandated_patterns() -> tuple[re.Pattern[str] | None, tuple[re.Pattern[str], ...]]:
    """(one alternation of the normalised mandated strings, regexes on the original text)."""
    literals: set[str] = set()
    regexes: list[re.Pattern[str]] = []
    for line in read_lines("mandated_text.txt"):
        if line.startswith("re:"):
            regexes.append(re.compile(line[3:]))
            continue
        norm = _normalize_plain(line)
        if len(norm) >= 4:
            literals.add(norm)
    alternation = None
    if literals:
        alternation = re.compile("|".join(re.escape(s) for s in sorted(literals, key=lambda s: (-len(s), s))))
    return alternation, tuple(regexes)


def _excluded_mask(report: Report) -> tuple[bytearray, list[tuple[int, int]], str]:
    """Original-text positions that are not narrative; and the (start, end) ranges to normalise."""
    text = report.text
    excluded = bytearray(len(text))
    _, regexes = mandated_patterns()
    for rx in regexes:
        for m in rx.finditer(text):
            excluded[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    wanted = set(_NARRATIVE_SECTIONS)
    if report.section("overview") is None:
        wanted.add("preamble")  # 一 总体情况 not recognised: its text most likely ended up in the preamble
    ranges = [(s.start, s.end) for s in sorted(report.sections, key=lambda s: s.start) if s.id in wanted]
    if ranges and report.section("overview") is None and all(s.id == "preamble" for s in report.sections
                                                               if s.id in wanted):
        ranges = []  # only a preamble: no structure worth the name, use the whole text
    if ranges:
        # Tables belong to sections 二/三/四, which are not narrative. A table span reaching into 五/六 is a table
        # end found too late, so table spans are not subtracted here (the headings are the firmer evidence).
        return excluded, ranges, "sections"
    # no prose section recognised (unusual headings): judge the whole text minus the tables rather than nothing
    for table in report.tables.values():
        if table.start is not None and table.end is not None and table.status != "absent":
            excluded[table.start:table.end] = b"\x01" * (table.end - table.start)
    return excluded, [(0, len(text))], "whole_text"


def narrative_of(report: Report) -> Narrative:
    """The report's normalised narrative with mandated text removed (cached on the report object)."""
    cached = getattr(report, "_nianbao_narrative", None)
    if cached is not None:
        return cached
    text = report.text
    excluded, ranges, basis = _excluded_mask(report)
    chars: list[str] = []
    offsets: list[int] = []
    ends: list[int] = []
    for start, end in ranges:
        c, o, e = normalize_span(text, start, end, excluded)
        if chars and c and chars[-1] != BREAK:
            chars.append(BREAK)
            offsets.append(start)
        base = len(chars)
        chars.extend(c)
        offsets.extend(o)
        ends.extend(base + i for i in e)
    stream = "".join(chars)
    alternation, _ = mandated_patterns()
    if alternation is not None:
        # Replace each mandated string by one BREAK (keeping the offset of its first character).
        keep = [True] * len(stream)
        out_chars = list(stream)
        for m in alternation.finditer(stream):
            out_chars[m.start()] = BREAK
            for i in range(m.start() + 1, m.end()):
                keep[i] = False
        remap: list[int] = []
        new_chars: list[str] = []
        new_offsets: list[int] = []
        for i, ch in enumerate(out_chars):
            remap.append(len(new_chars) - (0 if keep[i] else 1))
            if not keep[i] or (ch == BREAK and new_chars and new_chars[-1] == BREAK):
                continue
            new_chars.append(ch)
            new_offsets.append(offsets[i])
        ends = sorted({remap[i] for i in ends if 0 <= remap[i] < len(new_chars)})
        chars, offsets = new_chars, new_offsets
        stream = "".join(chars)
    narrative = Narrative(stream, offsets, ends, basis)
    try:
        object.__setattr__(report, "_nianbao_narrative", narrative)
    except AttributeError:  # pragma: no cover  (slots)
        pass
    return narrative


def shingles(chars: str, n: int = SHINGLE) -> Iterable[tuple[int, str]]:
    """(position, shingle) for every n-gram that crosses no break and is mostly text, not masked numbers."""
    for i in range(len(chars) - n + 1):
        s = chars[i:i + n]
        if BREAK in s or s.count(MASK) * 2 > n:
            continue
        yield i, s


def identity_key(text: str) -> str:
    """Same document in two formats: text identical after removing all whitespace."""
    return hashlib.sha1(re.sub(r"\s+", "", text).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- year over year


@dataclass
class Passage:
    start: int  # offset into Document.text of this year's report
    end: int
    chars: int  # normalised characters in the passage
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "chars": self.chars, "text": self.text}


@dataclass
class YearOverYear:
    ratio: float
    copied_chars: int
    total_chars: int
    passages: list[Passage]
    basis: str


def coverage_mask(chars: str, other: set[str], n: int = SHINGLE) -> bytearray:
    """1 for every character of ``chars`` inside an n-character shingle that is also in ``other`` (breaks stay 0)."""
    covered = bytearray(len(chars))
    for i, s in shingles(chars, n):
        if s in other:
            covered[i:i + n] = b"\x01" * n
    return covered


def copy_ratio(chars: str, other: set[str], n: int = SHINGLE) -> float:
    """The 重复率 of a normalised narrative against another's shingle set (the CPY-701 formula)."""
    size = len(chars) - chars.count(BREAK)
    return round(sum(coverage_mask(chars, other, n)) / size, 4) if size else 0.0


def year_over_year(report: Report, previous: Report, *, n: int = SHINGLE, max_passages: int = MAX_PASSAGES) -> YearOverYear:
    """重复率 of ``report`` against ``previous`` (see the module docstring for the formula)."""
    cur = narrative_of(report)
    prev = narrative_of(previous)
    covered = coverage_mask(cur.chars, {s for _, s in shingles(prev.chars, n)}, n)
    total = cur.size
    copied = sum(covered)
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(covered):
        if covered[i]:
            j = i
            while j + 1 < len(covered) and covered[j + 1]:
                j += 1
            runs.append((i, j))
            i = j + 1
        else:
            i += 1
    runs.sort(key=lambda r: (-(r[1] - r[0]), r[0]))
    text = report.text
    passages = []
    for a, b in runs[:max_passages]:
        start, end = cur.offsets[a], cur.offsets[b] + 1
        snippet = text[start:end]
        passages.append(Passage(start, end, b - a + 1, snippet if len(snippet) <= 200 else snippet[:200] + "…"))
    ratio = copied / total if total else 0.0
    basis = cur.basis if cur.basis == prev.basis else "whole_text"
    return YearOverYear(round(ratio, 4), copied, total, passages, basis)


CPY_701 = Rule(
    id="CPY-701",
    title="与上年度报告重复率过高",
    category="copy",
    severity="warning",
    rationale=(
        "国办公开办函〔2021〕30号要求追究“内容雷同、敷衍塞责”的年报；地方考核（如宿迁市部门政务公开指标）对"
        "“与上年度重复率大于50%”扣分。重复率 = 本年度叙述文字（去除格式规定的标题、表格标签和固定语句，"
        "数字和年份统一屏蔽后）中，落在与上年度报告相同的连续 8 字片段内的字符所占比例。"
    ),
    example_fail="本年度“总体情况”“存在的主要问题及改进情况”与上年度报告逐句相同，仅年份和数字不同（重复率 90%）。",
    example_pass="本年度叙述结合当年工作重新撰写，与上年度相同的仅为零散短语（重复率 20%）。",
    scope="pair",
)


@register(CPY_701)
def check_year_over_year(report: Report, ctx: CheckContext) -> Iterable[Finding | Check]:
    previous = ctx.previous
    if previous is None:
        return
    threshold = ctx.config.threshold("copy_ratio")
    info: dict[str, Any] = {
        "previous_file": previous.document.path,
        "previous_year": previous.year,
        "year_gap": (report.year - previous.year) if report.year and previous.year else None,
        "threshold": threshold,
        "ratio": None,
    }
    ctx.cache.setdefault("extras", {})["copy"] = info

    if identity_key(report.text) == identity_key(previous.text):
        info["status"] = "not_assessable"
        yield Check(rule="CPY-701", status="not_assessable", message="上年度报告与本报告为同一文档，无法计算重复率。")
        return
    if report.is_excerpt or previous.is_excerpt:
        info["status"] = "not_assessable"
        yield Check(rule="CPY-701", status="not_assessable", message="报告不完整（节选），不计算重复率。")
        return
    if report.year and previous.year and previous.year >= report.year:
        info["status"] = "not_assessable"
        yield Check(rule="CPY-701", status="not_assessable",
                    message=f"所给“上年度”报告为{previous.year}年度，不早于本报告（{report.year}年度），不计算重复率。")
        return
    result = year_over_year(report, previous)
    info.update(
        ratio=result.ratio, copied_chars=result.copied_chars, total_chars=result.total_chars, basis=result.basis,
        passages=[p.to_dict() for p in result.passages],
    )
    prev_size = narrative_of(previous).size
    if result.total_chars < MIN_NARRATIVE_CHARS or prev_size < MIN_NARRATIVE_CHARS:
        info["status"] = "uncertain"
        yield Check(rule="CPY-701", status="uncertain", expected=threshold, actual=result.ratio,
                    message=f"叙述文字过短（本年 {result.total_chars} 字，上年 {prev_size} 字），重复率仅供参考。")
        return
    failed = result.ratio >= threshold
    info["status"] = "fail" if failed else "pass"
    prev_label = f"{previous.year}年度" if previous.year else "上年度"
    yield Check(rule="CPY-701", status="fail" if failed else "pass", expected=threshold, actual=result.ratio,
                message=f"与{prev_label}报告的重复率为 {result.ratio:.0%}（阈值 {threshold:.0%}）。")
    if not failed:
        return
    longest = result.passages[0] if result.passages else None
    yield Finding(
        rule="CPY-701",
        category="copy",
        severity="warning",
        message=(f"与{prev_label}报告的重复率为 {result.ratio:.0%}，超过 {threshold:.0%}："
                 f"本年度叙述 {result.total_chars} 字中有 {result.copied_chars} 字与上年度相同（数字、年份和格式规定文字不计）。"),
        start=longest.start if longest else None,
        end=longest.end if longest else None,
        suggestion="结合本年度工作实际重新撰写总体情况、存在的主要问题及改进情况等叙述内容，避免照搬上年度报告。",
        evidence={
            "ratio": result.ratio,
            "threshold": threshold,
            "copied_chars": result.copied_chars,
            "total_chars": result.total_chars,
            "previous_file": previous.document.path,
            "previous_year": previous.year,
            "passages": [p.to_dict() for p in result.passages],
        },
    )


# ---------------------------------------------------------------- cross-report features (computed per report)

PASSAGE_MIN_CHARS = 30  # sentences are merged until a passage has at least this many normalised characters
PASSAGE_SHINGLE = 5


def passages_of(report: Report) -> list[list[Any]]:
    """Passages for cross-report matching: ``[start, end, normalised text, index in the narrative]`` (plain JSON).

    One passage starts at every sentence and extends over the following sentences until it has
    ``PASSAGE_MIN_CHARS`` characters. The windows overlap on purpose: a copy that drops or swaps a sentence still
    shares every window that does not contain the change (consecutive, non-overlapping chunks would all shift).
    Removed (mandated) text ends a window; a window that cannot reach the minimum there is dropped.
    """
    nar = narrative_of(report)
    chars = nar.chars
    starts = [0] + [e + 1 for e in nar.sentence_ends if e + 1 < len(chars)]
    out: list[list[Any]] = []
    seen: set[tuple[int, int]] = set()
    for begin in starts:
        while begin < len(chars) and chars[begin] == BREAK:
            begin += 1
        stop = chars.find(BREAK, begin)
        stop = len(chars) if stop < 0 else stop
        end = begin + PASSAGE_MIN_CHARS - 1  # index of the last character if the window were minimal
        if end >= stop:
            continue
        ends_after = [e for e in nar.sentence_ends if end <= e < stop]
        last = ends_after[0] if ends_after else stop - 1
        if (begin, last) in seen:
            continue
        seen.add((begin, last))
        out.append([nar.offsets[begin], nar.offsets[last] + 1, chars[begin:last + 1], begin])
    return out


def copy_features(report: Report) -> dict[str, Any]:
    """What batch needs from one report for cross-report copy detection (plain JSON data)."""
    passages = passages_of(report)
    return {
        "identity": identity_key(report.text),
        "unit": report.unit,
        "year": report.year,
        "is_excerpt": report.is_excerpt,
        "passages": passages,
        "narrative_chars": narrative_of(report).size,
        "narrative": narrative_of(report).chars,  # for telling the same report in two formats apart from copies
        "passage_chars": _covered(passages, set(range(len(passages)))),
        "head": report.text[:300],
        "tail": report.text[-300:],
        "text_len": len(report.text),
    }


# ---------------------------------------------------------------- cross-report (batch)

# Batch-scope rules: computed by ``nianbao batch`` over all reports, reported in their own columns and sheet, never
# as findings of one report and never in its score. Declared here so that `nianbao rules` documents them.
declare(Rule(
    id="CPY-702",
    title="与其他单位的报告雷同",
    category="copy",
    severity="info",
    rationale=("国办公开办函〔2021〕30号把“内容雷同”列为追责情形；法治蓝皮书指出“一些年报出现大范围的跨区域抄袭”。"
               "批量审核时，两份不同单位的报告去除格式规定文字、屏蔽数字后，重复率（同 CPY-701 公式）达到 50% 即列为雷同报告组；"
               "多数单位共有的套话不计。"),
    example_fail="乙县统计局的报告除单位名称和数字外与甲县审计局的报告逐段相同（重复率 90%）。",
    example_pass="两份报告仅共用“以公开为常态、不公开为例外”等多数单位都写的语句。",
    scope="batch",
))
declare(Rule(
    id="CPY-703",
    title="报告开头或落款出现其他单位名称",
    category="copy",
    severity="info",
    rationale="照搬其他单位报告时常忘记改名：批量审核中另一单位的名称出现在本报告的开头或落款处，提示可能照搬（人民政府、管委会等上级机关除外）。",
    example_fail="平潭综合实验区投资促进局的报告落款为“平潭综合实验区国有资产管理局”。",
    example_pass="落款为本单位名称。",
    scope="batch",
))

CROSS_PASSAGE_JACCARD = 0.6  # two passages "match" when their 5-character shingle sets overlap this much
CROSS_REPORT_RATIO = 0.5  # a pair whose shared passages cover this share of either narrative is a copied report
CROSS_MIN_SHARED_PASSAGES = 2  # one shared sentence is not copying (quotes of the same policy are common)
CROSS_MIN_SHARED_CHARS = 80
STOCK_MIN_UNITS = 4  # a passage found in this many units (or STOCK_SHARE of them, at most STOCK_MAX_UNITS) is a
STOCK_SHARE = 0.10  # stock phrase: boilerplate circulating among units, not one unit copying another
STOCK_MAX_UNITS = 10
CANDIDATE_CAP = 200  # an LSH query returning more candidates than this is a stock phrase without further checks
DUPLICATE_CONTAINMENT = 0.85  # same unit and year, and this much of the shorter narrative is in the longer one
NUM_PERM = 64
SEED = 1
_GOVERNMENT_SUFFIXES = ("人民政府", "管委会", "管理委员会", "人民政府办公室", "人民政府办公厅")


def unit_key(unit: str | None) -> str | None:
    """Normalised unit name for pairing (whitespace/punctuation dropped)."""
    if not unit:
        return None
    key = "".join(ch for ch in unit if _is_kept(ch) or ch.isdigit())
    return key or None


@dataclass
class CrossPair:
    a: str  # path (a < b)
    b: str
    unit_a: str | None
    unit_b: str | None
    shared_passages: int
    shared_chars_a: int
    shared_chars_b: int
    ratio_a: float  # 重复率 of a against b (the CPY-701 formula)
    ratio_b: float
    kind: str  # "report" (near-duplicate reports) | "passages" (some copied paragraphs)
    examples: list[dict[str, Any]]  # a few shared passages: offsets in a and b and a's text


@dataclass
class CrossResult:
    pairs: list[CrossPair]
    clusters: dict[str, str]  # path → cluster id ("C1" …) for near-duplicate reports of different units
    duplicate_of: dict[str, str]  # path → canonical path (the same report in another file format)
    other_units: dict[str, list[dict[str, Any]]]  # path → another unit's name in this report's title/sign-off
    stock_passages: int  # passages dropped as stock phrases


def _passage_shingles(norm: str) -> set[str]:
    return {s for _, s in shingles(norm, PASSAGE_SHINGLE)}


def _containment(a: set[str], b: set[str]) -> float:
    """Share of the smaller set found in the larger one."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _covered(passages: list[list[Any]], keys: set[int]) -> int:
    """Narrative characters covered by the given (overlapping) passages."""
    spans = sorted((passages[k][3], passages[k][3] + len(passages[k][2])) for k in keys)
    total, cur_start, cur_end = 0, -1, -1
    for a, b in spans:
        if a > cur_end:
            total += cur_end - cur_start
            cur_start, cur_end = a, b
        else:
            cur_end = max(cur_end, b)
    return total + (cur_end - cur_start)


def cross_report(docs: list[dict[str, Any]]) -> CrossResult:
    """Cross-report copying over a batch. ``docs``: ``copy_features`` dicts plus ``"path"``.

    Deterministic: docs are processed in path order and MinHash uses a fixed seed; every LSH candidate is
    confirmed with the exact Jaccard similarity, so the result does not depend on hash collisions.
    """
    from datasketch import MinHash, MinHashLSH

    docs = sorted(docs, key=lambda d: d["path"])
    units = [unit_key(d.get("unit")) or f"path:{d['path']}" for d in docs]

    # Shingle sets of whole narratives are large (~2,000 strings): built only for the documents that need one
    # (same-unit-and-year candidates, and reports in a pair), never for the whole batch at once.
    narrative_cache: dict[int, set[str]] = {}

    def narrative_set(i: int) -> set[str]:
        if i not in narrative_cache:
            narrative_cache[i] = {s for _, s in shingles(docs[i].get("narrative", ""))}
        return narrative_cache[i]

    # 1. the same report in two formats: identical text, or the same unit and year and one narrative (nearly)
    #    contained in the other (a web page adds navigation, a PDF adds page numbers)
    duplicate_of: dict[str, str] = {}
    first_by_identity: dict[str, int] = {}
    first_by_unit_year: dict[tuple[str, Any], list[int]] = {}
    for i, d in enumerate(docs):
        canon = first_by_identity.get(d["identity"])
        if canon is None and d.get("year") is not None:
            for j in first_by_unit_year.get((units[i], d["year"]), []):
                if _containment(narrative_set(i), narrative_set(j)) >= DUPLICATE_CONTAINMENT:
                    canon = j
                    break
        if canon is not None:
            duplicate_of[d["path"]] = docs[canon]["path"]
            continue
        first_by_identity[d["identity"]] = i
        first_by_unit_year.setdefault((units[i], d.get("year")), []).append(i)
    narrative_cache.clear()
    live = [i for i, d in enumerate(docs) if d["path"] not in duplicate_of]

    # 2. identical passages are grouped first (stock sentences are mostly verbatim); each distinct passage text is
    #    MinHashed, looked up among the texts indexed so far, confirmed by exact Jaccard, then indexed. Looking up
    #    before inserting finds every similar pair once and keeps only the LSH tables in memory.
    groups: dict[str, list[tuple[int, int]]] = {}
    for i in live:
        for k, passage in enumerate(docs[i]["passages"]):
            groups.setdefault(passage[2], []).append((i, k))
    texts = sorted(groups)
    proto = MinHash(num_perm=NUM_PERM, seed=SEED)  # permutations are generated once and shared
    lsh = MinHashLSH(threshold=CROSS_PASSAGE_JACCARD, num_perm=NUM_PERM)
    near: list[list[int]] = [[] for _ in texts]
    crowded: set[int] = set()  # so many near-copies that they are stock by definition (not verified one by one)
    for g, text in enumerate(texts):
        sh = _passage_shingles(text)
        if not sh:
            continue
        m = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=proto.permutations, scheme=proto.scheme)
        m.update_batch([x.encode("utf-8") for x in sorted(sh)])
        cands = lsh.query(m)
        if len(cands) > CANDIDATE_CAP:
            crowded.add(g)
        else:
            for c in sorted(cands):
                if _jaccard(sh, _passage_shingles(texts[c])) >= CROSS_PASSAGE_JACCARD:
                    near[g].append(c)
                    near[c].append(g)
        lsh.insert(g, m)
    del lsh

    # 3. a passage whose text reaches many units is a stock phrase. The bound on stock_min (and CANDIDATE_CAP)
    #    keeps the work linear in the number of reports.
    n_units = len({units[i] for i in live})
    stock_min = max(STOCK_MIN_UNITS, min(STOCK_MAX_UNITS, int(STOCK_SHARE * n_units + 0.999)))
    group_units = [{units[i] for i, _ in groups[t]} for t in texts]
    stock_group = []
    for g in range(len(texts)):
        reach = set(group_units[g])
        for c in near[g]:
            reach |= group_units[c]
        stock_group.append(g in crowded or len(reach) >= stock_min)
    stock = {key for g, t in enumerate(texts) if stock_group[g] for key in groups[t]}

    # 4. pairs of different units sharing non-stock passages
    shared: dict[tuple[int, int], dict[str, Any]] = {}

    def add(i: int, k: int, ci: int, ck: int) -> None:
        if units[ci] == units[i]:
            return
        if docs[i]["path"] > docs[ci]["path"]:
            i, k, ci, ck = ci, ck, i, k
        entry = shared.setdefault((i, ci), {"a": set(), "b": set(), "examples": set()})
        entry["a"].add(k)
        entry["b"].add(ck)
        entry["examples"].add((k, ck))

    for g, text in enumerate(texts):
        if stock_group[g]:
            continue
        members = groups[text] + [m for c in near[g] if not stock_group[c] for m in groups[texts[c]]]
        for x, (i, k) in enumerate(groups[text]):
            for ci, ck in members:
                if (ci, ck) != (i, k):
                    add(i, k, ci, ck)
    pairs: list[CrossPair] = []
    for (a, b), entry in sorted(shared.items(), key=lambda kv: (docs[kv[0][0]]["path"], docs[kv[0][1]]["path"])):
        da, db = docs[a], docs[b]
        chars_a = _covered(da["passages"], entry["a"])
        chars_b = _covered(db["passages"], entry["b"])
        n_shared = min(len(entry["a"]), len(entry["b"]))
        if n_shared < CROSS_MIN_SHARED_PASSAGES or max(chars_a, chars_b) < CROSS_MIN_SHARED_CHARS:
            continue
        # the pair's ratios are the 重复率 of CPY-701 (8-character shingles over the whole narrative), so that
        # "copied from last year" and "copied from another unit" are measured alike
        ratio_a = copy_ratio(da.get("narrative", ""), narrative_set(b))
        ratio_b = copy_ratio(db.get("narrative", ""), narrative_set(a))
        examples = []
        for k, ck in sorted(entry["examples"], key=lambda e: (-len(da["passages"][e[0]][2]), e))[:3]:
            pa, pb = da["passages"][k], db["passages"][ck]
            examples.append({"a_start": pa[0], "a_end": pa[1], "b_start": pb[0], "b_end": pb[1], "text": pa[2]})
        pairs.append(CrossPair(
            a=da["path"], b=db["path"], unit_a=da.get("unit"), unit_b=db.get("unit"), shared_passages=n_shared,
            shared_chars_a=chars_a, shared_chars_b=chars_b, ratio_a=ratio_a, ratio_b=ratio_b,
            kind="report" if max(ratio_a, ratio_b) >= CROSS_REPORT_RATIO else "passages", examples=examples,
        ))

    # 5. clusters of near-duplicate reports (union-find over "report" pairs)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        if p.kind == "report":
            ra, rb = find(p.a), find(p.b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    clusters: dict[str, str] = {}
    for n, root in enumerate(sorted(r for r, members in groups.items() if len(members) > 1), 1):
        for member in groups[root]:
            clusters[member] = f"C{n}"

    return CrossResult(pairs, clusters, duplicate_of, _other_unit_names(docs, units), len(stock))


def _other_unit_names(docs: list[dict[str, Any]], units: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Another batch unit's name in this report's opening or sign-off (where a copied report forgets to rename).

    Governments (人民政府, 管委会) are skipped: their departments and townships cite them all the time. A name that
    contains this report's own unit name, or is contained in it, is not "another" unit.
    """
    names: dict[str, str] = {}
    for d, key in zip(docs, units):
        unit = d.get("unit")
        if unit and key and not key.startswith("path:") and len(key) >= 6 and not key.endswith(_GOVERNMENT_SUFFIXES):
            names.setdefault(key, unit)
    if not names:
        return {}
    lengths = sorted({len(k) for k in names})
    out: dict[str, list[dict[str, Any]]] = {}
    for d, own in zip(docs, units):
        own_key = own if not own.startswith("path:") else ""
        hits = []
        seen: set[str] = set()
        for where, chunk, base in (("opening", d.get("head", ""), 0),
                                   ("closing", d.get("tail", ""), d.get("text_len", 0) - len(d.get("tail", "")))):
            chars, offsets, _ = normalize_span(chunk, 0, len(chunk))
            stream = "".join(chars)
            # a name inside 《…》 is the issuer of a cited document (《…办公室关于做好…的通知》), not a signature
            cited = [(m.start(), m.end()) for m in re.finditer(r"《[^《》]*》", chunk)]
            for i in range(len(stream)):
                if any(a <= offsets[i] < b for a, b in cited):
                    continue
                for n in lengths:
                    cand = stream[i:i + n]
                    if len(cand) < n:
                        break
                    if cand in names and cand != own_key and cand not in seen \
                            and not (own_key and (cand in own_key or own_key in cand)):
                        seen.add(cand)
                        hits.append({"name": names[cand], "where": where, "start": base + offsets[i],
                                     "end": base + offsets[i + n - 1] + 1})
        if hits:
            out[d["path"]] = hits
    return out
