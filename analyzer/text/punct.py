"""Writing-norm detectors on prose: brackets and quotes, half-width punctuation, doubled words, list numbering.

Each detector takes the text and one prose segment and returns ``Hit`` objects (offsets into the full text);
``rules.py`` turns them into findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import reduplication_allow, word_freq

CJK = "\u4e00-\u9fff"


@dataclass
class Hit:
    rule: str
    start: int
    end: int
    message: str
    suggestion: str | None = None
    evidence: dict = field(default_factory=dict)


# ---------------------------------------------------------------- brackets and quotes

OPENERS = {"（": "）", "(": ")", "《": "》", "“": "”", "‘": "’", "【": "】", "〔": "〕", "[": "]", "〈": "〉"}
CLOSERS = {v: k for k, v in OPENERS.items()}
# Half- and full-width forms of the same bracket: pairing one with the other is a mismatch, not a missing bracket.
FAMILY = {"（": "paren", "(": "paren", "）": "paren", ")": "paren", "[": "square", "]": "square", "【": "square",
          "】": "square", "〔": "square", "〕": "square"}
FULL = {"(": "（", ")": "）"}
# An opener still unclosed this many characters later is reported (PDF text wraps lines inside brackets, so
# pairing is not limited to one line; a book title or a parenthesis is never this long).
MAX_OPEN_SPAN = 300


def bracket_hits(text: str, start: int, end: int, open_end: bool = False) -> list[Hit]:
    """Pairs brackets over the whole segment (a section's prose): PDF extraction wraps lines inside brackets.
    ``open_end``: the segment is cut by a table, so brackets still open at its end may close inside the table
    (（本列数据的勾稽关系为：…） above table 三) and are not reported."""
    hits: list[Hit] = []
    for ps, pe in ((start, end),):
        stack: list[tuple[str, int]] = []
        ascii_quote: int | None = None
        for i in range(ps, pe):
            ch = text[i]
            while stack and i - stack[0][1] > MAX_OPEN_SPAN:
                op, at = stack.pop(0)  # never closed within reach: report it and stop waiting for it
                hits.append(Hit("PUNC-301", at, min(pe, at + 8), f"“{op}”没有对应的“{OPENERS[op]}”", None,
                                {"opening": op}))
            if ascii_quote is not None and i - ascii_quote > MAX_OPEN_SPAN:
                hits.append(Hit("PUNC-301", ascii_quote, min(pe, ascii_quote + 8), "引号只有前半个，没有闭合",
                                None, {"opening": '"'}))
                ascii_quote = None
            if ch == '"':
                ascii_quote = i if ascii_quote is None else None
                continue
            if ch in OPENERS:
                if ch == "[" and text.startswith("[bookmark", i):
                    continue  # an extraction artifact, reported by FMT-401
                stack.append((ch, i))
            elif ch in CLOSERS:
                want = CLOSERS[ch]
                if stack and stack[-1][0] == want:
                    stack.pop()
                elif stack and FAMILY.get(stack[-1][0]) and FAMILY.get(stack[-1][0]) == FAMILY.get(ch):
                    op, at = stack.pop()
                    # point at the half-width one of the pair: that is the character to retype
                    bad = at if op in FULL else i
                    good = FULL.get(text[bad])
                    hits.append(Hit("PUNC-301", bad, bad + 1, f"括号不配对：“{op}”与“{ch}”搭配使用",
                                    good, {"opening": op, "closing": ch, "opening_at": at, "closing_at": i}))
                elif any(op == want for op, _ in stack):
                    while stack and stack[-1][0] != want:
                        op, at = stack.pop()
                        hits.append(Hit("PUNC-301", at, at + 1, f"“{op}”没有对应的“{OPENERS[op]}”", None,
                                        {"opening": op}))
                    stack.pop()
                else:
                    hits.append(Hit("PUNC-301", max(ps, i - 6), i + 1, f"“{ch}”前缺少对应的“{want}”", None,
                                    {"closing": ch}))
        for op, at in ([] if open_end else stack):
            if op in "“‘（(《【〔":
                hits.append(Hit("PUNC-301", at, min(pe, at + 8), f"“{op}”没有对应的“{OPENERS[op]}”", None,
                                {"opening": op}))
        if ascii_quote is not None and not open_end:
            hits.append(Hit("PUNC-301", ascii_quote, min(pe, ascii_quote + 8), "引号只有前半个，没有闭合",
                            None, {"opening": '"'}))
    return hits


# ---------------------------------------------------------------- half-width punctuation

HALF_WIDTH = re.compile(
    rf"(?<=[{CJK}])[,;:?!](?=[{CJK}“”《0-9])"  # 信息,1条  办理;二是
    rf"|(?<=[{CJK}])\((?=[{CJK}])|(?<=[{CJK}])\)(?=[{CJK}，。；、])"  # 联系(地址  号)等
    rf"|(?<=[{CJK}])\.(?=$|\s|[{CJK}])"  # 事项.
    rf'|"(?=[{CJK}])|(?<=[{CJK}])"'  # "线上+线下"
)
FULL_WIDTH_OF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。", '"': "“”"}


def half_width_hits(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, char) of half-width punctuation used inside Chinese sentences."""
    return [(start + m.start(), m.group()) for m in HALF_WIDTH.finditer(text[start:end])]


DOUBLED_PUNCT = re.compile(r"[，、；：。]{2,}|[，、；：][。]|。[，、；：]")


def doubled_punct_hits(text: str, start: int, end: int) -> list[Hit]:
    return [Hit("PUNC-305", start + m.start(), start + m.end(), f"标点重复或连用：“{m.group()}”", m.group()[-1])
            for m in DOUBLED_PUNCT.finditer(text[start:end]) if m.group() not in ("……",)]


# ---------------------------------------------------------------- doubled characters and words

DOUBLED = re.compile(rf"([{CJK}]{{1,4}})\1")


def doubled_word_hits(text: str, start: int, end: int) -> list[Hit]:
    """Doubled characters/words; jieba on a small window tells 公开|开展 (two words) from 统一的的."""
    from .segment import tokenize_spans

    allow = reduplication_allow()
    hits = []
    for m in DOUBLED.finditer(text, start, end):
        unit, whole = m.group(1), m.group()
        a, b = m.start(), m.end()
        if whole in allow or unit in allow or word_freq(whole) > 0 or _inside_allowed(text, a, b, allow):
            continue
        if len(unit) == 1:
            if text[a - 1:a] == unit:
                continue  # three in a row is a different pattern (e.g. a list of marks)
            w0 = max(start, a - 6)
            tokens = [(w, s + w0, e + w0) for w, s, e in tokenize_spans(text[w0:min(end, b + 6)])]
            left = next((t for t in tokens if t[1] <= a < t[2]), None)
            right = next((t for t in tokens if t[1] <= a + 1 < t[2]), None)
            if left and right and left != right and len(left[0]) >= 2 and len(right[0]) >= 2:
                continue  # 公开|开展: the two characters belong to two different words
            if left and left == right and word_freq(left[0]) > 0:
                continue  # one dictionary word containing the pair
        hits.append(Hit("PUNC-303", a, b, f"字词重复：“{whole}”", unit, {"unit": unit}))
    return hits


def _inside_allowed(text: str, a: int, b: int, allow) -> bool:
    window = text[max(0, a - 4):b + 4]
    return any(w in window and len(w) > b - a for w in allow)


# ---------------------------------------------------------------- list numbering

CN_NUM = "一二三四五六七八九十"
# A line break may sit between the numeral and 是 in text extracted from PDF (一\n是).
SHI = re.compile(rf"(?<![{CN_NUM}统唯单第万之同专均合逐不其初高大整归划再])([{CN_NUM}])(?:[ \t　]*\n\s*)?是(?!否|非|指|由|为)")
PAREN_NUM = re.compile(rf"(?<!第)[（(]([{CN_NUM}]{{1,2}})[)）]")


def _cn_value(s: str) -> int:
    if s == "十":
        return 10
    if len(s) == 2 and s[0] == "十":
        return 10 + CN_NUM.index(s[1]) + 1
    return CN_NUM.index(s[0]) + 1


def numbering_hits(text: str, start: int, end: int) -> list[Hit]:
    hits: list[Hit] = []
    # 一是/二是/三是: a run restarts at 一是; within a run each marker must be the previous + 1.
    prev = 0
    prev_at = -1
    resume = 0  # after a jump forward (一是…五是): the value that shows the jump was one stray marker (二是)
    for m in SHI.finditer(text, start, end):
        v = _cn_value(m.group(1))
        if v == 1:
            prev, prev_at, resume = 1, m.start(), 0
            continue
        if resume and v == resume and m.start() - prev_at < 600:
            # 一是…五是…二是: the run goes on where it was before the stray 五是, already reported once
            prev, prev_at, resume = v, m.start(), 0
            continue
        resume = prev + 1 if prev and v > prev + 1 else 0
        if prev == 0:
            if v == 2:
                hits.append(Hit("PUNC-304", m.start(), m.end(), "列举序号从“二是”开始，缺少“一是”", None,
                                {"sequence": "X是", "found": m.group(), "expected": "一是"}))
            prev, prev_at = v, m.start()
            continue
        if v != prev + 1 and m.start() - prev_at < 600:
            want = CN_NUM[prev] + "是" if prev < 10 else None
            what = "重复" if v == prev else ("跳号" if v > prev else "顺序倒退")
            hits.append(Hit("PUNC-304", m.start(), m.end(), f"列举序号{what}：“{CN_NUM[prev - 1]}是”之后是“{m.group()}”",
                            want, {"sequence": "X是", "previous": CN_NUM[prev - 1] + "是", "found": m.group()}))
        prev, prev_at = v, m.start()
    # （一）（二）（三）: same, restarting at （一）; a bigger jump than +1 is a skip.
    prev = 0
    for m in PAREN_NUM.finditer(text, start, end):
        try:
            v = _cn_value(m.group(1))
        except ValueError:
            continue
        if v == 1 or prev == 0:
            prev = v
            continue
        if v == prev:
            hits.append(Hit("PUNC-304", m.start(), m.end(), f"小标题序号重复：“{m.group()}”", None,
                            {"sequence": "（X）", "found": m.group()}))
        elif v > prev + 1:
            hits.append(Hit("PUNC-304", m.start(), m.end(),
                            f"小标题序号跳号：“（{CN_NUM[prev - 1]}）”之后是“{m.group()}”",
                            f"（{CN_NUM[prev]}）" if prev < 10 else None, {"sequence": "（X）", "found": m.group()}))
        prev = v
    return hits
