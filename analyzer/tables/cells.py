"""Cell tokens and the splitting of run-together digits.

Web scrapes often lose the separators between cells: ``713000074`` is the seven cells 71|3|0|0|0|0|74 of one
row of 表三. A ``Token`` is a whitespace/bar-delimited piece of text; ``split_row`` turns a row's tokens into
exactly ``n`` cells. Every way of cutting the digits is enumerated (a cell never has a leading zero, so zeros
are always cells of their own, which keeps the enumeration small). One candidate → the split is certain.
Several → the caller may prefer the ones satisfying the row's identity, but the cells that differ between
candidates are *assumed* and every identity depending on them is evaluated over all candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CANDIDATES = 2000  # beyond this a row is reported as ambiguous rather than enumerated

NUMBER_RE = re.compile(r"[-－]?\d+(?:[.．]\d+)?")
DASH_RE = re.compile(r"^[—–－\-/／]+$")
NONE_WORDS = ("无",)


@dataclass
class Token:
    raw: str
    start: int  # offset into Document.text
    end: int
    kind: str  # "number" | "dash" | "none_word" | "blank"

    @property
    def digits_only(self) -> bool:
        """A token that may be cut into several cells: digits, optionally with a leading minus (本年增/减)."""
        body = self.raw[1:] if self.raw[:1] in ("-", "－") else self.raw
        return self.kind == "number" and body.isdigit()


@dataclass
class SplitCell:
    raw: str
    value: float | None
    kind: str
    start: int | None
    end: int | None


def parse_number(raw: str) -> float | None:
    raw = raw.replace("－", "-").replace("．", ".").replace(",", "").removesuffix("件")
    try:
        return float(raw)
    except ValueError:
        return None


def _cuts(digits: str, k: int, limit: int) -> list[list[str]]:
    """All ways to cut ``digits`` into ``k`` parts without leading zeros (``0`` alone is fine)."""
    out: list[list[str]] = []

    def rec(pos: int, left: int, acc: list[str]) -> None:
        if len(out) >= limit:
            return
        rest = len(digits) - pos
        if left == 0:
            if rest == 0:
                out.append(list(acc))
            return
        if rest < left:
            return
        if digits[pos] == "0":
            acc.append("0")
            rec(pos + 1, left - 1, acc)
            acc.pop()
            return
        max_len = rest - (left - 1)
        for ln in range(1, max_len + 1):
            acc.append(digits[pos:pos + ln])
            rec(pos + ln, left - 1, acc)
            acc.pop()

    rec(0, k, [])
    return out


def _min_parts(tok: Token) -> int:
    return 1


def _max_parts(tok: Token) -> int:
    return len(tok.raw.lstrip("-－")) if tok.digits_only else 1


def split_row(tokens: list[Token], n: int, limit: int = MAX_CANDIDATES) -> list[list[SplitCell]] | None:
    """Every way to read ``tokens`` as exactly ``n`` cells; [] when impossible; None when too many to list.

    Only pure digit tokens may be cut; signed numbers, decimals, dashes and 无 are one cell each.
    """
    if not tokens:
        return []
    lo = sum(_min_parts(t) for t in tokens)
    hi = sum(_max_parts(t) for t in tokens)
    if not lo <= n <= hi:
        return []
    # the leading-zero rule forces some tokens to be cut (e.g. "00" must be 0|0): compute each token's feasible
    # part counts once
    options: list[dict[int, list[list[str]]]] = []
    for t in tokens:
        if not t.digits_only or len(t.raw.lstrip("-－")) == 1:
            options.append({1: [[t.raw]]})
            continue
        per: dict[int, list[list[str]]] = {}
        sign = t.raw[0] if t.raw[0] in ("-", "－") else ""
        body = t.raw[len(sign):]
        for k in range(1, len(body) + 1):
            cuts = _cuts(body, k, limit + 1)
            if cuts:
                per[k] = [[sign + c[0], *c[1:]] for c in cuts]  # the sign belongs to the first cell
        options.append(per)
    results: list[list[SplitCell]] = []
    overflow = False

    def build(i: int, left: int, acc: list[SplitCell]) -> None:
        nonlocal overflow
        if overflow:
            return
        if i == len(tokens):
            if left == 0:
                results.append(list(acc))
                if len(results) > limit:
                    overflow = True
            return
        remaining_min = len(tokens) - i - 1
        tok = tokens[i]
        for k, cuts in options[i].items():
            if k > left - remaining_min:
                continue
            for cut in cuts:
                pos = tok.start
                cells = []
                for part in cut:
                    kind = tok.kind
                    value = parse_number(part) if kind == "number" else None
                    cells.append(SplitCell(part, value, kind, pos, pos + len(part)))
                    pos += len(part)
                build(i + 1, left - k, acc + cells)
                if overflow:
                    return

    build(0, n, [])
    if overflow:
        return None
    return results


def classify(raw: str) -> str:
    s = raw.strip()
    if not s:
        return "blank"
    if NUMBER_RE.fullmatch(s.replace(",", "")):
        return "number"
    if DASH_RE.match(s):
        return "dash"
    if s in NONE_WORDS:
        return "none_word"
    return "text"
