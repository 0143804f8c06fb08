"""Lexicons and character similarity for the writing checks (all loaded once per process).

Data files (``lexicons/``):

- ``domain_terms.tsv``        official terms and fixed phrases (curated + mined by ``lexicon_build.py``)
- ``char_shapes.tsv``         four-corner code and first-level components per character (visual similarity)
- ``confusion_chars.tsv``     curated pairs of characters commonly confused in official writing
- ``confusion_learned.tsv``   confusions learned from the ECSpell training lines
- ``reduplication_allow.txt`` legitimate doubled characters/words (常常, 看看, 人人 …)

Phonetic similarity uses pypinyin readings with the usual fuzzy initials (z/zh, c/ch, s/sh, n/l, f/h, r/l) and
finals (an/ang, en/eng, in/ing, ian/iang, uan/uang).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..resources import lexicon_path, read_lines


@dataclass
class Term:
    text: str
    freq: int
    bodies: int
    source: str  # curated | corpus | jieba


@dataclass
class Lexicon:
    terms: dict[str, Term] = field(default_factory=dict)

    def is_term(self, s: str) -> bool:
        return s in self.terms


@lru_cache(maxsize=1)
def domain_lexicon() -> Lexicon:
    lex = Lexicon()
    path = lexicon_path("domain_terms.tsv")
    if not path.exists():
        return lex
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            lex.terms[parts[0]] = Term(parts[0], int(parts[1]), int(parts[2]), parts[3])
    return lex


@lru_cache(maxsize=1)
def jieba_freq() -> dict[str, int]:
    """Word frequencies of jieba's dictionary plus the domain dictionary (0 = prefix only, not a word)."""
    from .segment import tokenizer

    return tokenizer().FREQ


def word_freq(w: str) -> int:
    return jieba_freq().get(w, 0)


def is_known(s: str) -> bool:
    return word_freq(s) > 0 or s in domain_lexicon().terms


@lru_cache(maxsize=1)
def word_bigrams() -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    if lexicon_path("word_bigrams.tsv").exists():
        for line in read_lines("word_bigrams.tsv"):
            a, b, c = line.split("\t")
            out[(a, b)] = int(c)
    return out


# ---------------------------------------------------------------- character similarity


@lru_cache(maxsize=1)
def _shapes() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    path = lexicon_path("char_shapes.tsv")
    if path.exists():
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 3:
                    out[parts[0]] = (parts[1], parts[2])
    return out


@lru_cache(maxsize=1)
def _confusions() -> dict[frozenset, float]:
    pairs: dict[frozenset, float] = {}
    for name, weight in (("confusion_chars.tsv", 1.0), ("confusion_learned.tsv", 0.9)):
        path = lexicon_path(name)
        if not path.exists():
            continue
        for line in read_lines(name):
            parts = line.split("\t")
            if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1:
                key = frozenset((parts[0], parts[1]))
                pairs[key] = max(pairs.get(key, 0.0), weight)
    return pairs


def confusion_score(a: str, b: str) -> float:
    return _confusions().get(frozenset((a, b)), 0.0)


def visual_similarity(a: str, b: str) -> float:
    """0..1: half from four-corner codes (share of the four corner digits that agree), half from first-level
    components (share of the larger component list that the other also has); 0.7 at least when one character
    is a component of the other (呆/保)."""
    if a == b:
        return 1.0
    shapes = _shapes()
    sa, sb = shapes.get(a), shapes.get(b)
    if not sa or not sb:
        return 0.0
    (ca, pa), (cb, pb) = sa, sb
    code = sum(x == y for x, y in zip(ca[:4], cb[:4])) / 4 if len(ca) >= 4 and len(cb) >= 4 else 0.0
    comp = len(set(pa) & set(pb)) / max(len(set(pa)), len(set(pb))) if pa and pb else 0.0
    score = 0.5 * code + 0.5 * comp
    if a in pb or b in pa:
        score = max(score, 0.7)
    return score


_FUZZY_INITIALS = {"zh": "z", "ch": "c", "sh": "s", "n": "l", "h": "f", "r": "l"}
_FUZZY_FINALS = {"ang": "an", "eng": "en", "ing": "in", "iang": "ian", "uang": "uan"}


def _split_pinyin(py: str) -> tuple[str, str]:
    for ini in ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z",
                "c", "s", "y", "w"):
        if py.startswith(ini):
            return ini, py[len(ini):]
    return "", py


@lru_cache(maxsize=65536)
def readings(ch: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    return tuple(pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")[0] or ())


def _fuzzy(py: str) -> str:
    ini, fin = _split_pinyin(py)
    return _FUZZY_INITIALS.get(ini, ini) + "|" + _FUZZY_FINALS.get(fin, fin)


@lru_cache(maxsize=65536)
def main_reading(ch: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return (lazy_pinyin(ch, style=Style.NORMAL, errors="ignore") or [""])[0]


@lru_cache(maxsize=262144)
def phonetic_similarity(a: str, b: str) -> float:
    """1.0 same usual syllable, 0.8 same under fuzzy initials/finals, 0.6 a rarer reading agrees,
    0.4 same initial or final, else 0 (tones ignored)."""
    if a == b:
        return 1.0
    ma, mb = main_reading(a), main_reading(b)
    if not ma or not mb:
        return 0.0
    if ma == mb:
        return 1.0
    if _fuzzy(ma) == _fuzzy(mb):
        return 0.8
    if set(readings(a)) & set(readings(b)):
        return 0.6
    ia, fa = _split_pinyin(ma)
    ib, fb = _split_pinyin(mb)
    return 0.4 if (ia and ia == ib) or fa == fb else 0.0


def char_similarity(a: str, b: str) -> tuple[float, str]:
    """Best of phonetic, visual and known-confusion similarity, with which one won."""
    scores = (
        (confusion_score(a, b), "confusion"),
        (phonetic_similarity(a, b), "phonetic"),
        (visual_similarity(a, b), "visual"),
    )
    return max(scores)


@lru_cache(maxsize=1)
def reduplication_allow() -> frozenset[str]:
    if not lexicon_path("reduplication_allow.txt").exists():
        return frozenset()
    return frozenset(read_lines("reduplication_allow.txt"))
