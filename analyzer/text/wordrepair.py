"""TYPO-204: a character that no dictionary word takes in, where a similar character makes a common word.

jieba (without its HMM guesser) leaves a mistyped character as a one-character token: 大数局 → 大数|局,
人民很行 → 人民|很|行. For each such character we try its *similar* characters — same pinyin (toneless), similar
shape (four-corner code and components) or a confusion seen in the ECSpell training lines — and look for a window
of 2–4 characters around it that then becomes a common dictionary word (数据, 银行). The finding suggests that word.

Precision comes from three requirements: the window as written is not a word, the repaired window is a common
word (``MIN_WORD_FREQ``), and the written character's pairs with both neighbours are unattested in words, terms
and official prose (``oddchars.known_pairs``) — an ordinary character in an ordinary place is left alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import _confusions, _shapes, jieba_freq, main_reading, visual_similarity, word_freq
from .nearmiss import FUNCTION_CHARS, NUMERALS
from .prose import cjk_runs

MIN_WORD_FREQ = 300  # the repaired window must be at least this common in jieba's dictionary
COMMON_CHAR_FREQ = 100  # candidate replacement characters: at least this common as a one-character word
MIN_VISUAL = 0.6
MIN_GAIN = 8.0  # minimum log-probability gain of the local segmentation (see segmentation_gain)


@dataclass(frozen=True)
class Repair:
    start: int  # offset of the window
    end: int
    written: str
    word: str
    position: int  # offset of the replaced character
    basis: str
    gain: float = 0.0  # log-probability gain of the best segmentation around the window (jieba unigram model)


@lru_cache(maxsize=1)
def _candidates_index() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    freq = jieba_freq()
    common = [c for c, _ in _shapes().items() if freq.get(c, 0) >= COMMON_CHAR_FREQ]
    by_reading: dict[str, list[str]] = defaultdict(list)
    by_code: dict[str, list[str]] = defaultdict(list)
    for c in common:
        r = main_reading(c)
        if r:
            by_reading[r].append(c)
        code = _shapes()[c][0][:4]
        if len(code) == 4:
            by_code[code].append(c)
    return dict(by_reading), dict(by_code)


@lru_cache(maxsize=65536)
def similar_chars(ch: str) -> tuple[tuple[str, str], ...]:
    """(candidate, basis) pairs for a written character."""
    by_reading, by_code = _candidates_index()
    out: dict[str, str] = {}
    for pair, _w in _confusions().items():
        if ch in pair and len(pair) == 2:
            (other,) = pair - {ch}
            out.setdefault(other, "confusion")
    for c in by_reading.get(main_reading(ch), ()):
        out.setdefault(c, "phonetic")
    shape = _shapes().get(ch)
    if shape and len(shape[0]) >= 4:
        for c in by_code.get(shape[0][:4], ()):
            if visual_similarity(ch, c) >= MIN_VISUAL:
                out.setdefault(c, "visual")
    out.pop(ch, None)
    return tuple(out.items())


def find_repairs(text: str, start: int, end: int) -> list[Repair]:
    from .oddchars import known_pairs
    from .segment import tokenize_plain

    pairs = known_pairs()
    out: list[Repair] = []
    for i, j in cjk_runs(text, start, end):
        run = text[i:j]
        if len(run) >= 2:
            for w, a, b in tokenize_plain(run):
                if b - a != 1 or w in FUNCTION_CHARS or w in NUMERALS:
                    continue
                left_ok = a == 0 or run[a - 1:a + 1] in pairs
                right_ok = b == len(run) or run[a:a + 2] in pairs
                if left_ok and right_ok:
                    continue  # the character fits with both neighbours somewhere in real text
                best = _best_repair(run, a, pairs)
                if best is not None:
                    s, e, word, basis = best
                    g = segmentation_gain(run, s, e, word)
                    if g >= MIN_GAIN:
                        out.append(Repair(i + s, i + e, run[s:e], word, i + a, basis, g))
    return out


def _path_logprob(sentence: str) -> float:
    from .segment import tokenizer

    tok = tokenizer()
    dag = tok.get_DAG(sentence)
    route: dict = {}
    tok.calc(sentence, dag, route)
    return route[0][0]


def segmentation_gain(run: str, s: int, e: int, word: str, margin: int = 4) -> float:
    """How much more probable jieba's best segmentation of the neighbourhood becomes with the repair: a real
    slip breaks a word (大数|局|产业 → 大数据|产业), a false repair breaks the words around it (等|基础 → 登基|础)."""
    a, b = max(0, s - margin), min(len(run), e + margin)
    before = run[a:b]
    after = run[a:s] + word + run[e:b]
    return _path_logprob(after) - _path_logprob(before)


@lru_cache(maxsize=1)
def _wildcard_words() -> dict[str, dict[str, int]]:
    """Common words (2–4 characters) filed under each one-character wildcard: "数?" → {据: freq, 字: freq, …}.
    Built once (~0.5 s); turns the repair search into a few dictionary look-ups per character."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for w, f in jieba_freq().items():
        if f >= MIN_WORD_FREQ and 2 <= len(w) <= 4:
            for k in range(len(w)):
                out[w[:k] + "?" + w[k + 1:]][w[k]] = f
    return dict(out)


def _best_repair(run: str, k: int, pairs):
    cands = dict(similar_chars(run[k]))
    if not cands:
        return None
    wild = _wildcard_words()
    best = None
    for length in (4, 3, 2):
        for s in range(max(0, k - length + 1), min(k, len(run) - length) + 1):
            window = run[s:s + length]
            inner = [window[j:j + 2] for j in (k - s - 1, k - s) if 0 <= j and j + 2 <= length]
            if any(bg in pairs for bg in inner):
                continue  # every pair the written character forms inside the window must be unattested
            fills = wild.get(window[:k - s] + "?" + window[k - s + 1:])
            if not fills or word_freq(window) > 0:
                continue
            for ch, f in fills.items():
                if ch in cands:
                    key = (length, f)
                    if best is None or key > best[0]:
                        best = (key, (s, s + length, window[:k - s] + ch + window[k - s + 1:], cands[ch]))
        if best is not None:
            break  # a longer repaired word beats any shorter one
    return None if best is None else best[1]
