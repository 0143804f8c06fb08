"""Sentence splitting suited to 公文 (official documents).

Reports end sentences with 。；！？ but also run numbered items together (一是…二是…, （一）…（二）…, 1.…2.…) and,
when scraped from the web, lose every line break. A sentence here is the span between two such boundaries.
Offsets are into the text passed in, so callers add the section start to map back to ``Document.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_END = "。；;！!？?"
_SOFT_WRAP_MIN = 20  # a line at least this long that ends mid-sentence is a hard wrap (PDF text), not a break
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Markers that open a numbered item. A boundary is placed *before* them.
_ITEM = re.compile(
    r"(?:[（(][一二三四五六七八九十]{1,3}[）)]"  # （一） (一)
    r"|[一二三四五六七八九十]{1,3}是"  # 一是 二是
    r"|(?<![\d.．])\d{1,2}[．.、](?![\d])"  # 1. 2． 3、 (not 4166.21)
    r"|[一二三四五六七八九十]{1,3}、)"  # 一、 (section / item headings)
)
# Characters after which an item marker really starts an item (not 统一是, 第（一）项, 1.5).
_ITEM_PRECEDERS = set("：:，,、 \t\u3000)）") | set(_END)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str



def trim_span(text: str, a: int, b: int) -> tuple[int, int]:
    """Shrink [a, b) past surrounding whitespace without losing offsets."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b

def _item_boundaries(text: str) -> set[int]:
    out = set()
    for m in _ITEM.finditer(text):
        i = m.start()
        if i == 0:
            continue
        prev = text[i - 1]
        marker = m.group(0)
        if marker[0] in "（(":
            # 第二十条第（一）项 and 《…（试行）》 are references, not items
            if prev in "第条" or text[m.end():m.end() + 1] in ("项", "款", "条"):
                continue
            out.add(i)
        elif prev in _ITEM_PRECEDERS:
            out.add(i)
    return out


def _line_boundaries(text: str) -> set[int]:
    """Line breaks that end a sentence. PDF text wraps lines mid-sentence; a long line that does not end with
    punctuation is taken as wrapped and joined. Short lines (headings, table cells) always end."""
    out = set()
    line_start = 0
    for i, ch in enumerate(text):
        if ch != "\n":
            continue
        line = text[line_start:i].strip()
        line_start = i + 1
        if not line or len(line) < _SOFT_WRAP_MIN or line[-1] in _END + "：:":
            out.add(i + 1)
    return out


def split_sentences(text: str, min_cjk: int = 2) -> list[Sentence]:
    """Split ``text`` into sentences; spans with fewer than ``min_cjk`` Chinese characters (table cells) are dropped."""
    cuts = {0, len(text)}
    for i, ch in enumerate(text):
        if ch in _END:
            j = i + 1
            # keep closing quotes/brackets with the sentence they close
            while j < len(text) and text[j] in "”’」』）)":
                j += 1
            cuts.add(j)
    cuts |= _item_boundaries(text)
    cuts |= _line_boundaries(text)
    out: list[Sentence] = []
    bounds = sorted(cuts)
    for a, b in zip(bounds, bounds[1:]):
        a, b = trim_span(text, a, b)
        if b <= a:
            continue
        chunk = text[a:b]
        if len(_CJK.findall(chunk)) < min_cjk:
            continue
        out.append(Sentence(a, b, chunk))
    return out


def cjk_len(text: str) -> int:
    return len(_CJK.findall(text))


_HEADING_MARKER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,2}[．.、])")


def is_heading(text: str, max_cjk: int = 20) -> bool:
    """A numbered heading (（二）依申请公开情况。, 1.完善预算机制。), not a sentence of content. Items opened by
    一是/二是 are content: in 问题及改进 they are the problems and measures themselves."""
    n = cjk_len(text)
    if _HEADING_MARKER.match(text):
        return n <= max_cjk and not re.search(r"\d", text[3:])
    return n <= 6 and not re.search(r"[，,；;\d]", text)
