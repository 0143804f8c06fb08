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
    return [(w, s, e) for w, s, e in tokenizer().tokenize(text, HMM=True)]
