"""Finding tables and their rows in flat text (every text form: one cell per line, ``|`` rows, PDF layout text,
space-separated and run-together web scrapes).

Rows are found by their own labels, not by line structure: each template row has keywords (tolerant of spaces and
bars between characters); the numbers of a row are the first run of number tokens after its label and before the
next label. This works the same whether a row's cells are on one line, on seven lines or glued together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cells import Token
from .template import RowSpec, keyword_regex, template  # noqa: F401  (keyword_regex re-exported)

_SEP = " \t\n\r\u3000\xa0|│┃"
# a cell number: thousands separators (1,295) as large units print them, and a trailing 件 (12件) as some write
_NUMBER_AT = re.compile(r"[-－]?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:[.．]\d+)?(?:件(?![\u4e00-\u9fff]))?")
_DASH_AT = re.compile(r"[—–－/／]")
_NONE_AT = re.compile(r"无")
_MD_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$", re.M)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ITEM_20 = re.compile(r"第[\s|]*二[\s|]*十[\s|]*条[\s|]*第[\s|]*[（(][\s|]*[一二三四五六七八九十\d]+[\s|]*[)）][\s|]*项")


def working_text(text: str) -> str:
    """A same-length copy of ``text`` with page numbers, markdown rules and HTML comments blanked out.

    Offsets into the copy are offsets into ``Document.text`` (we never edit the document itself).
    """
    chars = list(text)

    def blank(m: re.Match) -> None:
        for i in range(m.start(), m.end()):
            if chars[i] != "\n":
                chars[i] = " "

    for pat in template().get("page_number_patterns", []):
        for m in re.finditer(pat, text, re.M):
            blank(m)
    for m in _MD_RULE.finditer(text):
        blank(m)
    for m in _HTML_COMMENT.finditer(text):
        blank(m)
    return "".join(chars)


def first_run(work: str, start: int, end: int) -> list[Token]:
    """The first run of cell tokens in ``work[start:end]``: tokens separated only by whitespace or bars.

    Text before the first token is skipped (the rest of a wrapped label, a note); the run ends at the first
    character that is neither a separator nor a token (the next label, a unit such as 元, a heading).
    """
    i = start
    tokens: list[Token] = []
    horizontal = False  # several tokens on one line: a printed row, which a line break ends
    while i < end:
        ch = work[i]
        if ch == "\n" and horizontal:
            break
        if ch in _SEP:
            i += 1
            continue
        m = _NUMBER_AT.match(work, i, end)
        if m:
            if tokens and "\n" not in work[tokens[-1].end:m.start()]:
                horizontal = True
            tokens.append(Token(work[m.start():m.end()], m.start(), m.end(), "number"))
            i = m.end()
            continue
        standalone = (i == start or work[i - 1] in _SEP) and (i + 1 >= end or work[i + 1] in _SEP)
        if standalone and _DASH_AT.match(work, i):
            tokens.append(Token(ch, i, i + 1, "dash"))
            i += 1
            continue
        if standalone and _NONE_AT.match(work, i):
            tokens.append(Token(ch, i, i + 1, "none_word"))
            i += 1
            continue
        if tokens:
            break
        i += 1  # still skipping label text before the first token
    return tokens


@dataclass
class LabelMatch:
    key: str
    start: int
    end: int


def label_matches(work: str, start: int, end: int, specs: tuple[RowSpec, ...]) -> list[LabelMatch]:
    """Every occurrence of every row label in the region, with matches nested in a longer one removed."""
    found: list[LabelMatch] = []
    for spec in specs:
        for pat in spec.patterns:
            for m in pat.finditer(work, start, end):
                found.append(LabelMatch(spec.key, m.start(), m.end()))
    for m in _ITEM_20.finditer(work, start, end):
        found.append(LabelMatch("_item", m.start(), m.end()))
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    out: list[LabelMatch] = []
    for lm in found:
        if out and lm.start < out[-1].end:
            continue  # nested in / overlapping the previous (longer or earlier) match
        out.append(lm)
    return out


def next_boundary(matches: list[LabelMatch], pos: int, end: int) -> int:
    for lm in matches:
        if lm.start >= pos:
            return lm.start
    return end

