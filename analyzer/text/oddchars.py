"""TYPO-202 (off by default): characters that do not join any word around them.

jieba, without its HMM guesser, leaves characters it cannot attach to a dictionary word as one-character tokens.
Two or more such characters in a row (not function words, not numerals) whose character pair never occurs inside
any dictionary word or domain term, nor in ordinary official prose (``lexicons/char_bigrams.txt``), usually hide
a garbled word (决策背导依据 → 背|导). The pair table is built at first use (~1 s).
"""

from __future__ import annotations

from functools import lru_cache

from ..resources import lexicon_path, read_lines
from .lexicon import domain_lexicon, jieba_freq
from .nearmiss import FUNCTION_CHARS, NUMERALS
from .prose import cjk_runs


@lru_cache(maxsize=1)
def known_pairs() -> frozenset[str]:
    pairs: set[str] = set()
    words = [w for w, f in jieba_freq().items() if f > 0 and len(w) >= 2]
    words += list(domain_lexicon().terms)
    for w in words:
        for i in range(len(w) - 1):
            pairs.add(w[i:i + 2])
    if lexicon_path("char_bigrams.txt").exists():
        pairs.update(read_lines("char_bigrams.txt"))
    return frozenset(pairs)


def odd_sequences(text: str, start: int, end: int, names: set[str] | None = None) -> list[tuple[int, int]]:
    from .segment import tokenize_plain

    pairs = known_pairs()
    out: list[tuple[int, int]] = []
    for i, j in cjk_runs(text, start, end):
        run_tokens = tokenize_plain(text[i:j])
        singles: list[tuple[int, int]] = []
        for w, s, e in run_tokens + [("", j - i, j - i)]:
            if len(w) == 1 and w not in FUNCTION_CHARS and w not in NUMERALS:
                singles.append((i + s, i + e))
                continue
            if len(singles) >= 2:
                a, b = singles[0][0], singles[-1][1]
                span = text[a:b]
                if not any(span[k:k + 2] in pairs for k in range(len(span) - 1)) and not (names and span in names):
                    out.append((a, b))
            singles = []
    return out


# TYPO-205 ------------------------------------------------------------------------------------------------
# Function words a stray character may be a mistyped copy of (知 for 和: 矢口 / 禾口).
FUNCTION_WORD_TARGETS = "和及与的在是为对将把被了等或并而且从向以由于"
MIN_STRAY_VISUAL = 0.5


@lru_cache(maxsize=1)
def standalone_chars() -> frozenset[str]:
    if not lexicon_path("standalone_chars.txt").exists():
        return frozenset()
    return frozenset(read_lines("standalone_chars.txt"))


def stray_characters(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, suggested function word) for a character standing alone between two words although it never
    stands alone in official prose, and that looks like a function word (制度知信息 → 和). Shape only: a
    character containing the function word as a component (屏 ⊃ 并) does not count."""
    from .lexicon import _shapes, visual_similarity
    from .segment import tokenize_plain

    alone = standalone_chars()
    if not alone:
        return []
    shapes = _shapes()
    out = []
    for i, j in cjk_runs(text, start, end):
        toks = tokenize_plain(text[i:j])
        for k in range(1, len(toks) - 1):
            w = toks[k][0]
            if len(w) != 1 or w in alone or w in FUNCTION_CHARS or w in NUMERALS:
                continue
            if len(toks[k - 1][0]) < 2 or len(toks[k + 1][0]) < 2:
                continue
            parts = shapes.get(w, ("", ""))[1]
            best = max((visual_similarity(w, f), f) for f in FUNCTION_WORD_TARGETS if f not in parts)
            if best[0] >= MIN_STRAY_VISUAL:
                out.append((i + toks[k][1], best[1]))
    return out
