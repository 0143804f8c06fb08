"""The spaCy pipeline for narrative sections: blank ``zh`` + jieba (with the domain dictionary) + our components.

    nlp = get_nlp()                      # built once per process (batch workers reuse it)
    doc = nlp(section_text)              # offsets are section-text offsets; add the section start for Document.text
    for sent in doc._.sentences:         # 公文 sentences (。；！？, numbered items 一是/（一）/1.)
        sent._.boilerplate               # P(generic 套话) from models/boilerplate.*
        sent._.aspects                   # {aspect: probability} from models/aspects.*
    doc._.specificity                    # 1 − length-weighted mean boilerplate probability of the section

Pipeline order (visible in one place, ``build_nlp``): gongwen_sentencizer → boilerplate_scorer → aspect_tagger.
Each component does one thing and writes to ``Doc``/``Span`` extensions. Models are loaded once per process with
their SHA-256 checked (``analyzer.modelio``).
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from .narrative.sentences import cjk_len, split_sentences
from .text.segment import tokenizer as jieba_tokenizer

MIN_CJK = 8  # shorter sentences are headings or fragments: not scored

_lock = threading.Lock()

for _name, _default in (("sentences", None), ("specificity", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
for _name, _default in (("boilerplate", None), ("aspects", None), ("scored", False)):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)


class JiebaTokenizer:
    """spaCy tokenizer producing jieba words; whitespace runs become their own tokens so offsets are exact."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        for w, _s, _e in jieba_tokenizer().tokenize(text, HMM=True):
            words.append(w)
        if not words:
            doc = Doc(self.vocab, words=[], spaces=[])
        else:
            doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        doc.user_data["text"] = text  # Doc.text is rebuilt from tokens on every access; keep the input
        return doc


@Language.component("gongwen_sentencizer")
def gongwen_sentencizer(doc: Doc) -> Doc:
    """Sentence boundaries for 公文; ``doc._.sentences`` lists the sentence spans worth scoring (≥ 2 Chinese chars)."""
    sents = []
    starts = numpy.full((len(doc), 1), -1, dtype="int32")  # -1: not a sentence start, 1: starts one
    if len(doc):
        starts[0, 0] = 1
    for s in split_sentences(doc.user_data.get("text") or doc.text):
        span = doc.char_span(s.start, s.end, alignment_mode="expand")
        if span is not None and len(span):
            sents.append(span)
            starts[span.start, 0] = 1
    # one array write: setting token.is_sent_start one by one re-checks the whole doc each time (quadratic)
    doc.from_array([SENT_START], starts.astype("uint64"))
    doc._.sentences = [doc[s.start:s.end] for s in sents]
    return doc


@lru_cache(maxsize=1)
def boilerplate_model():
    from .narrative.linear import LinearTextModel

    return LinearTextModel.load("boilerplate")


@lru_cache(maxsize=1)
def aspect_model():
    from .narrative.linear import LinearTextModel

    return LinearTextModel.load("aspects")


def span_text(span: Span) -> str:
    """The span's text by slicing the input text (``Span.text`` and ``Doc.text`` rebuild it token by token)."""
    doc = span.doc
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text[span.start_char:span.end_char]


def _grams(doc: Doc, sents: list[Span]) -> list[list[str]]:
    """Character n-grams of each scorable sentence, computed once per doc and shared by both models."""
    from .narrative.features import char_ngrams

    cache = doc.user_data.setdefault("narrative_grams", {})
    out = []
    for s in sents:
        key = (s.start_char, s.end_char)
        if key not in cache:
            cache[key] = char_ngrams(span_text(s))
        out.append(cache[key])
    return out


def _scorable(span: Span) -> bool:
    return cjk_len(span_text(span)) >= MIN_CJK


@Language.component("boilerplate_scorer")
def boilerplate_scorer(doc: Doc) -> Doc:
    sents = [s for s in (doc._.sentences or []) if _scorable(s)]
    if sents:
        probs = boilerplate_model().predict_proba([span_text(s) for s in sents], _grams(doc, sents))[:, 0]
        total = weighted = 0.0
        for s, p in zip(sents, probs):
            s._.boilerplate = float(p)
            s._.scored = True
            n = cjk_len(span_text(s))
            total += n
            weighted += n * float(p)
        doc._.specificity = 1.0 - weighted / total
    return doc


@Language.component("aspect_tagger")
def aspect_tagger(doc: Doc) -> Doc:
    sents = [s for s in (doc._.sentences or []) if _scorable(s)]
    if sents:
        model = aspect_model()
        probs = model.predict_proba([span_text(s) for s in sents], _grams(doc, sents))
        for s, row in zip(sents, probs):
            s._.aspects = {a: float(p) for a, p in zip(model.labels, row)}
    return doc


def build_nlp() -> Language:
    import spacy

    nlp = spacy.blank("zh")  # default "char" segmenter; replaced by jieba with the domain dictionary
    nlp.tokenizer = JiebaTokenizer(nlp.vocab)
    nlp.add_pipe("gongwen_sentencizer")
    nlp.add_pipe("boilerplate_scorer")
    nlp.add_pipe("aspect_tagger")
    return nlp


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    with _lock:
        return build_nlp()
