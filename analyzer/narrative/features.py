"""Features of a sentence for the narrative classifiers. Shared by training and inference so they cannot drift.

Why these features:
- character n-grams (1-3) of a normalised copy: Chinese stock phrases (进一步加强, 有待提高) are character sequences,
  and n-grams need no segmentation decisions; digits are mapped to ``0`` so "2019年" and "2024年" look alike;
- counts of numbers with units, dates, cited documents (《…》, 〔2021〕30号) and named platforms: what a reviewer
  calls "concrete";
- hits in the stock-phrase lexicon: prior knowledge that generalises to units the training data never saw;
- length, and whether the sentence opens a numbered item (一是/（一）: headings and slogans often do).
Dense features go through log1p so one long list of numbers does not dominate.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from ..resources import load_json_lexicon, read_lines

NGRAM_SIZES = (1, 2, 3)
_WS = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_MARKER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[是、]|\d{1,2}[．.、])")

BOILERPLATE_DENSE = (
    "numbers", "dates", "documents", "platforms", "stock_hits", "stock_share", "length", "measure_verbs", "item_marker",
)


def normalize(text: str) -> str:
    """A feature copy of the text: no whitespace, digits collapsed to 0, Latin letters lower-cased, full-width
    digits folded (the document itself is never changed)."""
    text = text.translate(_FULLWIDTH_DIGITS)
    text = _WS.sub("", text)
    text = _DIGITS.sub("0", text)
    return text.lower()


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")


def char_ngrams(text: str) -> list[str]:
    """Character n-grams of the normalised text (the TF-IDF analyzer)."""
    norm = normalize(text)
    out = []
    for n in NGRAM_SIZES:
        out.extend(norm[i:i + n] for i in range(len(norm) - n + 1))
    return out


@lru_cache(maxsize=1)
def _markers():
    m = load_json_lexicon("narrative_markers.json")
    return {
        "number": re.compile(m["number"]),
        "date": re.compile(m["date"]),
        "document": re.compile(m["document"]),
        "platform": tuple(m["platform"]),
        "measure_verbs": tuple(m["measure_verbs"]),
    }


@lru_cache(maxsize=1)
def stock_phrases() -> tuple[str, ...]:
    # longest first, so the share of the sentence covered by stock phrases is not double counted; ties broken by
    # the text itself so the order (and so every score) does not depend on PYTHONHASHSEED
    return tuple(sorted(set(read_lines("stock_phrases.txt")), key=lambda p: (-len(p), p)))


def stock_hits(text: str) -> list[str]:
    """Stock phrases found in ``text`` (non-overlapping, longest first)."""
    compact = _WS.sub("", text)
    hits = []
    for p in stock_phrases():
        if p in compact:
            hits.append(p)
            compact = compact.replace(p, "\x00")
    return hits


def count_numbers(text: str) -> int:
    return len(_markers()["number"].findall(text))


def count_dates(text: str) -> int:
    return len(_markers()["date"].findall(text))


def count_documents(text: str) -> int:
    return len(_markers()["document"].findall(text))


def count_platforms(text: str) -> int:
    return sum(text.count(p) for p in _markers()["platform"])


def boilerplate_dense(text: str) -> list[float]:
    m = _markers()
    hits = stock_hits(text)
    compact_len = max(1, len(_WS.sub("", text)))
    raw = [
        count_numbers(text),
        count_dates(text),
        count_documents(text),
        count_platforms(text),
        len(hits),
        sum(len(h) for h in hits) / compact_len,
        compact_len / 20.0,
        sum(1 for v in m["measure_verbs"] if v in text),
        1.0 if _MARKER.match(text) else 0.0,
    ]
    return [math.log1p(x) for x in raw]


@lru_cache(maxsize=1)
def aspect_lexicon() -> dict:
    return load_json_lexicon("aspects.json")


def aspect_order() -> list[str]:
    return list(aspect_lexicon()["order"])


def aspect_dense(text: str) -> list[float]:
    """Per aspect: number of its keywords found in the sentence (log1p)."""
    lex = aspect_lexicon()["aspects"]
    return [math.log1p(sum(1 for k in lex[a]["keywords"] if k in text)) for a in aspect_order()]


DENSE_FUNCTIONS = {"boilerplate": boilerplate_dense, "aspects": aspect_dense}
