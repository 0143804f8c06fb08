"""Near-miss detection: a span one character (or one swapped pair) away from a lexicon phrase.

Index: every lexicon phrase of length n is filed under its left half and its right half (``h = n // 2``). A single
substitution leaves one half intact, so scanning the text needs two dictionary look-ups per (start, length) instead
of n. Candidates are then verified (exactly one differing character), and accepted only when

- the span is not itself a known word/phrase (jieba dictionary, domain lexicon, or already written correctly
  elsewhere in the same report),
- the differing character does not sit inside a common dictionary word of the text's own segmentation — unless the
  phrase is long and frequent enough that a one-letter variant of it is almost surely a slip, and
- the two characters are similar enough (phonetic, visual or a known confusion) for the phrase's length: short
  phrases need strong similarity, long phrases less (see ``MIN_SIM``).

Suggestions are ranked by similarity, then by the phrase's frequency.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import char_similarity, domain_lexicon, is_known, jieba_freq, word_bigrams, word_freq
from .prose import cjk_runs

MIN_LEN, MAX_LEN = 3, 8
# Minimum character similarity by phrase length (index = length). Long phrases tolerate any substitution.
MIN_SIM = {3: 0.5, 4: 0.5, 5: 0.4, 6: 0.3, 7: 0.3, 8: 0.3}
JIEBA_IDIOM_MIN_FREQ = 50  # 4-character jieba words this frequent join the near-miss lexicon (参差不齐 …)
COMMON_WORD_FREQ = 100  # a differing char inside a word at least this common is probably intended
RARE_HOST_FREQ = 100
MIN_LEN_SLIP = 4  # insertions/deletions are only looked for in terms at least this long
NUMERALS = set("一二三四五六七八九十百千万两零")
REAL_WORD_MIN_PHRASE_FREQ = 20  # a real-word slip (公开→公共) is only trusted against a well-attested phrase
# One-character function words: a near miss whose odd character is one of these, standing alone, is grammar.
FUNCTION_CHARS = set("的地得了着过和与及或并而且在于予对为向从由把被将让给以之其各每本该此这那其中上下里内外也都就又再还不没未已是有均皆亦仍即便才曾")


@dataclass(frozen=True)
class NearMiss:
    start: int
    end: int
    span: str
    suggestion: str
    position: int  # index of the differing character within the span (-1 for a swap)
    similarity: float
    kind: str  # phonetic | visual | confusion | swap | context
    phrase_freq: int


def _is_cjk(s: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in s)


@dataclass
class _Index:
    left: dict[tuple[int, str], list[str]]
    right: dict[tuple[int, str], list[str]]
    swaps: dict[str, str]
    lengths: tuple[int, ...]
    freq: dict[str, int]
    curated: frozenset[str]
    curated_left: dict[tuple[int, str], list[str]]  # the same halves index, curated terms only (insertions)
    curated_right: dict[tuple[int, str], list[str]]
    curated_lengths: tuple[int, ...]


@lru_cache(maxsize=1)
def index() -> _Index:
    lex = domain_lexicon()
    phrases: dict[str, int] = {}
    for t in lex.terms.values():
        if MIN_LEN <= len(t.text) <= MAX_LEN and _is_cjk(t.text):
            # curated terms count as frequent even when the tuning corpus rarely uses them
            phrases[t.text] = max(t.freq, 20) if t.source == "curated" else t.freq
    for w, f in jieba_freq().items():
        if len(w) == 4 and f >= JIEBA_IDIOM_MIN_FREQ and _is_cjk(w) and w not in phrases and not NUMERALS & set(w):
            phrases[w] = f
    left: dict[tuple[int, str], list[str]] = defaultdict(list)
    right: dict[tuple[int, str], list[str]] = defaultdict(list)
    swaps: dict[str, str] = {}
    for p in phrases:
        n = len(p)
        h = n // 2
        left[(n, p[:h])].append(p)
        right[(n, p[h:])].append(p)
        if lex.is_term(p):
            for a in range(n - 1):
                for b in range(a + 1, n):
                    if p[a] != p[b]:
                        q = list(p)
                        q[a], q[b] = q[b], q[a]
                        swaps.setdefault("".join(q), p)
    curated = frozenset(t for t in phrases if lex.terms.get(t) and lex.terms[t].source == "curated")
    c_left: dict[tuple[int, str], list[str]] = defaultdict(list)
    c_right: dict[tuple[int, str], list[str]] = defaultdict(list)
    for p in curated:
        c_left[(len(p), p[:len(p) // 2])].append(p)
        c_right[(len(p), p[len(p) // 2:])].append(p)
    return _Index(dict(left), dict(right), swaps, tuple(sorted({len(p) for p in phrases})), phrases, curated,
                  dict(c_left), dict(c_right), tuple(sorted({len(p) for p in curated})))


def find_near_misses(text: str, start: int, end: int, known_in_doc: set[str] | None = None) -> list[NearMiss]:
    """Near misses inside ``text[start:end]`` (a prose segment); offsets are into ``text``."""
    from .segment import tokenize_spans

    idx = index()
    freq = idx.freq
    out: dict[tuple[int, int], NearMiss] = {}
    for i, j in cjk_runs(text, start, end):
        if j - i >= MIN_LEN:
            run = text[i:j]
            words = None
            for n in idx.lengths:
                h = n // 2
                for s in range(0, len(run) - n + 1):
                    span = run[s:s + n]
                    lc = idx.left.get((n, span[:h]))
                    rc = idx.right.get((n, span[h:]))
                    cands = (lc or []) + (rc or []) if (lc or rc) else ()
                    swap = idx.swaps.get(span)
                    if not cands and not swap:
                        continue
                    if span in freq or word_freq(span) > 0 or (known_in_doc and span in known_in_doc):
                        continue
                    if words is None:
                        words = [(w, a + i, b + i) for w, a, b in tokenize_spans(run)]
                    best = _best_candidate(span, cands, swap, freq, words, i + s, run, i)
                    if best is None:
                        continue
                    key = (i + s, i + s + n)
                    out[key] = NearMiss(i + s, i + s + n, span, *best)
            for m in _length_slips(run, i, idx, known_in_doc):
                out.setdefault((m.start, m.end), m)
    return _drop_overlaps(list(out.values()))


def _length_slips(run: str, offset: int, idx: "_Index", known_in_doc) -> list[NearMiss]:
    """One extra character inside a curated term (行政法复议 ← 行政复议). Only curated terms of at least
    ``MIN_LEN_SLIP`` characters, only interior positions, never an inserted function word (审核和发布 is
    grammar). Dropped characters are not looked for: shortened forms of terms (申请情况, 过程信息) are normal."""
    out = []
    tokens: list = []  # the run's segmentation, computed on first need
    for n in idx.curated_lengths:
        if n < MIN_LEN_SLIP:
            continue
        h = n // 2
        w_len = n + 1
        for s in range(0, len(run) - w_len + 1):
            w = run[s:s + w_len]
            cl = idx.curated_left.get((n, w[:h]))
            cr = idx.curated_right.get((n, w[w_len - (n - h):]))
            if not cl and not cr:
                continue
            cands = (cl or []) + (cr or [])
            if not cands or w in idx.freq or word_freq(w) > 0 or (known_in_doc and w in known_in_doc):
                continue
            for p in set(cands):
                if p not in idx.curated:
                    continue
                ks = [k for k in range(1, w_len - 1) if w[:k] + w[k + 1:] == p and w[k] not in FUNCTION_CHARS
                      and w[k] != w[k - 1] and w[k] != w[k + 1] and _glued_into_rare_word(run, tokens, s + k, s, s + w_len)]
                if ks:
                    out.append(NearMiss(offset + s, offset + s + w_len, w, p, ks[0], 0.5, "insertion", idx.freq[p]))
                    break
    return out


def _glued_into_rare_word(run: str, tokens: list, pos: int, lo: int, hi: int) -> bool:
    """The extra character sits inside a rare multi-character word of the text's segmentation (行政法|复议):
    a common host (政策性, 预决算, 依法) or a free-standing character (大, 共) means deliberate wording."""
    from .segment import tokenize_spans

    if not tokens:
        tokens.extend(tokenize_spans(run))
    for w, a, b in tokens:
        if a <= pos < b:
            return len(w) >= 2 and word_freq(w) < RARE_HOST_FREQ and lo <= a and b <= hi
    return False


def _host(words, pos):
    """The token of ``words`` (sorted, non-overlapping (word, start, end)) covering ``pos``; binary search, because a
    run without punctuation can hold tens of thousands of tokens."""
    idx = bisect_right(words, pos, key=lambda t: t[1]) - 1
    if idx >= 0:
        w, s, e = words[idx]
        if s <= pos < e:
            return idx, w, s, e
    return -1, "", pos, pos + 1


def _unattested(run: str, k: int) -> bool:
    """Both character pairs around run[k] are absent from words, terms and official prose (needs both sides)."""
    from .oddchars import known_pairs

    pairs = known_pairs()
    if k == 0 or k + 1 >= len(run):
        return False
    return run[k - 1:k + 1] not in pairs and run[k:k + 2] not in pairs


def _invented_pair(host: str, hs: int, he: int, span_start: int, n: int) -> bool:
    """A two-character token inside the span that no dictionary knows: jieba's HMM glued the odd character to a
    neighbour (决策|背导|依据) rather than leaving it alone, which is the same evidence as a lone character."""
    return len(host) == 2 and span_start <= hs and he <= span_start + n and not is_known(host)


def _real_word_slip(words, hi, span_start, span_end, freq_p) -> bool:
    """A whole ordinary word replaced by another (政务公开工作 → 政务公共工作): trusted only when the host word sits
    strictly inside the span and neither neighbouring word pair is ever seen in the corpus."""
    if freq_p < REAL_WORD_MIN_PHRASE_FREQ or hi <= 0 or hi >= len(words) - 1:
        return False
    prev, host, nxt = words[hi - 1], words[hi], words[hi + 1]
    if prev[1] < span_start or nxt[1] >= span_end:
        return False
    bigrams = word_bigrams()
    return (prev[0], host[0]) not in bigrams and (host[0], nxt[0]) not in bigrams


def _best_candidate(span, cands, swap, freq, words, abs_start, text_run, run_start):
    n = len(span)
    curated = index().curated
    scored = []
    for p in set(cands):
        diffs = [k for k in range(n) if span[k] != p[k]]
        if len(diffs) != 1:
            continue
        k = diffs[0]
        if n <= 4 and freq[p] < 3:
            continue
        sim, kind = char_similarity(span[k], p[k])
        hi, host, hs, he = _host(words, abs_start + k)
        if len(host) == 1 and host in FUNCTION_CHARS:
            continue  # a stand-alone function word: the text simply says something else
        if (hs < abs_start or he > abs_start + n) and word_freq(host) > 0:
            continue  # the odd character belongs to a real word reaching outside the span (落实|国务院)
        if p in curated and _unattested(text_run, abs_start - run_start + k):
            if len(host) == 1:
                # the odd character makes a character pair never seen in any word or in official prose and stands
                # alone in the segmentation: that is evidence enough, whatever the similarity
                scored.append((max(sim, 0.01), freq[p], p, k, "unattested"))
                continue
            if _invented_pair(host, hs, he, abs_start, n):
                # the same, but jieba's HMM glued the odd character to a neighbour (决策|背导|依据): weaker, because
                # new coinages (惠企, 堵点) look the same — reported apart, as a hint (TYPO-206)
                scored.append((max(sim, 0.01) / 2, freq[p], p, k, "invented"))
                continue
        if n <= 4 and k in (0, n - 1) and (len(host) < 2 or hs < abs_start or he > abs_start + n):
            continue  # a short phrase differing at its edge is usually a word boundary, not a slip
        common_host = len(host) >= 2 and word_freq(host) >= COMMON_WORD_FREQ
        if sim >= MIN_SIM.get(n, 0.0) and not common_host:
            scored.append((sim, freq[p], p, k, kind))
        elif n >= 5 and len(host) >= 2 and _real_word_slip(words, hi, abs_start, abs_start + n, freq[p]):
            scored.append((sim, freq[p], p, k, "context"))
    if swap is not None and not _swap_breaks_word(span, swap, words, abs_start):
        scored.append((1.0, freq.get(swap, 0), swap, -1, "swap"))
    if not scored:
        return None
    sim, f, p, k, kind = max(scored)
    return p, k, sim, kind, f


def _swap_breaks_word(span, phrase, words, abs_start) -> bool:
    """A swap that produces a common word (生产 in 安全生产信息公开, 预算 in 预算决算) is intended wording, and so
    is one whose result reads as real words throughout (释疑|解惑 for 解疑释惑)."""
    inside = [w for w, a, b in words if a >= abs_start and b <= abs_start + len(span)]
    if "".join(inside) == span and all(len(w) >= 2 and word_freq(w) > 0 for w in inside):
        return True
    for pos in (abs_start + k for k in range(len(span)) if span[k] != phrase[k]):
        _, host, _, _ = _host(words, pos)
        if len(host) >= 2 and word_freq(host) >= COMMON_WORD_FREQ:
            return True
    return False


def _drop_overlaps(items: list[NearMiss]) -> list[NearMiss]:
    """Keep, among overlapping near misses, the longest (more context = more confidence)."""
    items.sort(key=lambda m: (-(m.end - m.start), -m.similarity, m.start))
    kept: list[NearMiss] = []
    for m in items:
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)
