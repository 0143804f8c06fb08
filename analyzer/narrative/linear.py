"""A linear text classifier stored as plain data: char n-gram TF-IDF + dense features → logistic regression.

Training uses scikit-learn (``fit_linear_model``); the fitted vocabulary, idf, coefficients and intercepts are
exported to arrays/JSON and inference is re-implemented with numpy (``LinearTextModel.predict_proba``), so loading
needs neither pickle nor scikit-learn. A test checks that both give the same probabilities.

Each output column is an independent binary classifier (one-vs-rest), so the same class serves the boilerplate
model (one column) and the aspect model (one column per aspect, multi-label).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..errors import NianbaoError
from ..modelio import load_model, save_model
from .features import DENSE_FUNCTIONS, char_ngrams


@dataclass
class LinearTextModel:
    name: str
    labels: list[str]  # one per output column
    vocab: dict[str, int]
    idf: np.ndarray  # (V,)
    coef: np.ndarray  # (k, V + D)
    intercept: np.ndarray  # (k,)
    dense: str  # key of features.DENSE_FUNCTIONS
    meta: dict[str, Any]

    def _row(self, text: str, grams: list[str] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        vocab = self.vocab
        counts = Counter([g for g in (grams if grams is not None else char_ngrams(text)) if g in vocab])
        idx = np.fromiter((self.vocab[g] for g in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64, count=len(counts))
        val = tf * self.idf[idx] if len(idx) else tf
        norm = float(np.sqrt(np.dot(val, val)))
        if norm > 0:
            val = val / norm
        dense = np.asarray(DENSE_FUNCTIONS[self.dense](text), dtype=np.float64)
        return idx, val, dense

    def decision(self, texts: Sequence[str], grams: Sequence[list[str]] | None = None) -> np.ndarray:
        V = len(self.idf)
        out = np.empty((len(texts), len(self.labels)))
        w_sparse = self.coef[:, :V]
        w_dense = self.coef[:, V:]
        for i, t in enumerate(texts):
            idx, val, dense = self._row(t, grams[i] if grams is not None else None)
            out[i] = w_sparse[:, idx] @ val + w_dense @ dense + self.intercept
        return out

    def predict_proba(self, texts: Sequence[str], grams: Sequence[list[str]] | None = None) -> np.ndarray:
        """Probability of each label, shape (n, k). ``grams`` (``features.char_ngrams`` of each text) may be passed
        when several models score the same sentences, so they are computed once."""
        return 1.0 / (1.0 + np.exp(-self.decision(texts, grams)))

    # ---------------------------------------------------------------- persistence

    def save(self, models_dir: Path) -> None:
        vocab_list = [""] * len(self.vocab)
        for g, i in self.vocab.items():
            vocab_list[i] = g
        meta = dict(self.meta, labels=self.labels, dense=self.dense, vocabulary=vocab_list, format="linear-text-v1")
        save_model(self.name, {"idf": self.idf, "coef": self.coef, "intercept": self.intercept}, meta, models_dir)

    @classmethod
    def load(cls, name: str, models_dir: Path | None = None) -> "LinearTextModel":
        arrays, meta = load_model(name, models_dir)
        try:
            if meta.get("format") != "linear-text-v1" or meta.get("dense") not in DENSE_FUNCTIONS:
                raise ValueError("unknown model format")
            vocab_list = meta["vocabulary"]
            labels = list(meta["labels"])
            idf = arrays["idf"].astype(np.float64)
            coef = arrays["coef"].astype(np.float64)
            intercept = arrays["intercept"].astype(np.float64)
            if coef.shape[0] != len(labels) or idf.shape[0] != len(vocab_list) or intercept.shape[0] != len(labels):
                raise ValueError("array shapes do not match the vocabulary")
        except (KeyError, TypeError, ValueError) as exc:
            raise NianbaoError("model_invalid", f"model {name}: {exc}") from None
        rest = {k: v for k, v in meta.items() if k not in ("vocabulary", "labels", "dense", "format")}
        return cls(name, labels, {g: i for i, g in enumerate(vocab_list)}, idf, coef, intercept, meta["dense"], rest)


# ---------------------------------------------------------------- training (scikit-learn)


def build_sklearn(texts: Sequence[str], dense: str, min_df: int = 2, max_features: int = 30000):
    """Fit the TF-IDF part and return (vectorizer, feature matrix). One function so training and tests agree."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, min_df=min_df, max_features=max_features,
                          norm="l2", dtype=np.float64)
    X_sparse = vec.fit_transform(texts)
    X_dense = csr_matrix(np.asarray([DENSE_FUNCTIONS[dense](t) for t in texts], dtype=np.float64))
    return vec, hstack([X_sparse, X_dense]).tocsr()


def transform_sklearn(vec, texts: Sequence[str], dense: str):
    from scipy.sparse import csr_matrix, hstack

    X_dense = csr_matrix(np.asarray([DENSE_FUNCTIONS[dense](t) for t in texts], dtype=np.float64))
    return hstack([vec.transform(texts), X_dense]).tocsr()


def fit_linear_model(name: str, texts: Sequence[str], Y: np.ndarray, labels: list[str], dense: str, seed: int = 0,
                     C: float = 4.0, sample_weight: np.ndarray | None = None, meta: dict | None = None):
    """Fit one logistic regression per column of ``Y`` (n, k) and return (LinearTextModel, vectorizer, sklearn models)."""
    from sklearn.linear_model import LogisticRegression

    vec, X = build_sklearn(texts, dense)
    Y = np.asarray(Y).reshape(len(texts), -1)
    models = []
    for j in range(Y.shape[1]):
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000, solver="liblinear", random_state=seed)
        clf.fit(X, Y[:, j], sample_weight=sample_weight)
        models.append(clf)
    coef = np.vstack([m.coef_[0] for m in models])
    intercept = np.asarray([m.intercept_[0] for m in models])
    vocab = {g: int(i) for g, i in vec.vocabulary_.items()}
    model = LinearTextModel(name, labels, vocab, vec.idf_.astype(np.float64), coef, intercept, dense, dict(meta or {}))
    return model, vec, models
