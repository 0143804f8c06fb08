"""jieba segmentation with the project's domain dictionary, loaded once per process.

The domain dictionary (``lexicons/domain_dict.txt``, jieba user-dict format ``word freq [tag]``) keeps official terms
such as 依申请公开 and 负总责 whole, so typo detection and classifiers see the same units a reviewer reads.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

from ..resources import lexicon_path

_lock = threading.Lock()


@lru_cache(maxsize=1)
def tokenizer():
    """Return a jieba ``Tokenizer`` with the domain dictionary loaded (import is deferred: jieba is slow to load)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _lock:
        tok = jieba.Tokenizer()
        tok.initialize()
        path = lexicon_path("domain_dict.txt")
        if path.exists():
            tok.load_userdict(str(path))
    return tok


def cut(text: str) -> list[str]:
    return tokenizer().lcut(text, HMM=True)


def tokenize_spans(text: str) -> list[tuple[str, int, int]]:
    """Words with character offsets into ``text``."""
    return list(_tokenize_cached(text, True))


def tokenize_plain(text: str) -> list[tuple[str, int, int]]:
    """Like ``tokenize_spans`` but without jieba's HMM guesser: unknown characters stay one-character tokens."""
    return list(_tokenize_cached(text, False))


@lru_cache(maxsize=4096)
def _tokenize_cached(text: str, hmm: bool) -> tuple[tuple[str, int, int], ...]:
    # several text rules segment the same run of characters; segment it once
    return tuple((w, s, e) for w, s, e in tokenizer().tokenize(text, HMM=hmm))
