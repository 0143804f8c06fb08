"""`nianbao train`: rebuild every narrative model in ``models/`` from the data in the repository and a corpus folder.

    train_all(corpus_dir, out_dir="models/", seed=0) -> metrics

Data (see ``data/labels/README.md``):
- ``data/labels/boilerplate_hand.jsonl``: hand labels (file, offsets, label; no text) of corpus sentences; rows with
  ``split == "test"`` are the held-out, hand-checked test set, split by issuing unit;
- ``data/labels/boilerplate_written.jsonl``: sentences the project wrote itself (text stored);
- weak labels computed here from the corpus: a sentence whose wording recurs in the reports of many *different*
  units is boilerplate; one with no shared wording and concrete numbers/documents is specific;
- ``data/labels/aspects_hand.jsonl`` / ``aspects_written.jsonl``: aspect labels; training sentences are also labelled
  by the standard sub-heading they sit under (（二）依申请公开情况 …) when a report uses the standard headings.
Test units never contribute training data (not even weak labels). Everything is seeded and sorted: same inputs, same
models.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .modelio import atomic_write_bytes
from .narrative.aspects import find_subheadings
from .narrative.corpus import CorpusDoc, load_corpus
from .narrative.features import aspect_order, normalize
from .narrative.linear import LinearTextModel, fit_linear_model
from .narrative.sentences import cjk_len, split_sentences

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
LABELS_DIR = REPO_ROOT / "data" / "labels"

SHINGLE = 6  # characters per shingle for the "shared by many units" weak label
WEAK_MIN_UNITS = 3  # a shingle used by at least this many different units is template wording
WEAK_WEIGHT = 0.5  # weak labels count half as much as hand labels
MIN_CJK = 8  # shorter spans are headings or fragments: not classified


@dataclass
class Example:
    text: str
    label: int  # 1 = boilerplate / has aspect
    weight: float
    source: str  # hand | written | weak | heading
    unit: str = ""


def _hash(text: str) -> str:
    return hashlib.sha1("".join(text.split()).encode("utf-8")).hexdigest()[:12]


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def resolve_corpus_labels(rows: list[dict], docs: dict[str, CorpusDoc]) -> tuple[list[dict], int]:
    """Attach text to label rows from the corpus; rows whose file is absent or whose span changed are dropped."""
    out, dropped = [], 0
    for r in rows:
        d = docs.get(r["file"])
        if d is None:
            dropped += 1
            continue
        text = d.text[r["start"]:r["end"]]
        if _hash(text) != r.get("sha1"):
            dropped += 1
            continue
        out.append(dict(r, text=text))
    return out, dropped


# ---------------------------------------------------------------- weak labels


def _shingles(text: str) -> set[str]:
    n = normalize(text)
    return {n[i:i + SHINGLE] for i in range(len(n) - SHINGLE + 1)}


def weak_boilerplate_labels(docs: list[CorpusDoc], exclude: set[tuple[str, int]]) -> list[Example]:
    """Label narrative sentences of ``docs`` by how widely their wording is shared across different units."""
    from .narrative.features import count_documents, count_numbers

    sentences = []
    units_of: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        for sid, (s, e) in sorted(d.regions.items()):
            for x in split_sentences(d.text[s:e]):
                if cjk_len(x.text) < MIN_CJK:
                    continue
                sh = _shingles(x.text)
                sentences.append((d, s + x.start, x.text, sh))
                for g in sh:
                    units_of[g].add(d.unit)
    out = []
    for d, start, text, sh in sentences:
        if (d.name, start) in exclude or not sh:
            continue
        shared = sum(1 for g in sh if len(units_of[g]) >= WEAK_MIN_UNITS) / len(sh)
        concrete = count_numbers(text) + count_documents(text)
        if shared >= 0.6 and count_numbers(text) == 0:
            out.append(Example(text, 1, WEAK_WEIGHT, "weak", d.unit))
        elif shared <= 0.15 and concrete >= 1:
            out.append(Example(text, 0, WEAK_WEIGHT, "weak", d.unit))
    return out


def heading_aspect_labels(docs: list[CorpusDoc]) -> list[tuple[str, set[str], str]]:
    """(sentence, aspects, unit) for overview sentences under a standard aspect sub-heading."""
    out = []
    for d in docs:
        if "overview" not in d.regions:
            continue
        s, e = d.regions["overview"]
        text = d.text[s:e]
        heads = find_subheadings(text)
        if len({a for _, a in heads if a}) < 4:  # only reports that use the standard five headings
            continue
        bounds = [o for o, _ in heads] + [len(text)]
        for (o, a), end in zip(heads, bounds[1:]):
            for x in split_sentences(text[o:end]):
                if cjk_len(x.text) >= MIN_CJK:
                    out.append((x.text, {a} if a else set(), d.unit))
    return out


# ---------------------------------------------------------------- metrics


def prf(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    tp = int(np.sum((y_true == 1) & (y_pred == 1)))
    fp = int(np.sum((y_true == 0) & (y_pred == 1)))
    fn = int(np.sum((y_true == 1) & (y_pred == 0)))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "support": int(np.sum(y_true == 1))}


# ---------------------------------------------------------------- training


def train_boilerplate(docs: list[CorpusDoc], seed: int) -> tuple[LinearTextModel, dict[str, Any]]:
    by_name = {d.name: d for d in docs}
    hand, dropped = resolve_corpus_labels(_read_jsonl(LABELS_DIR / "boilerplate_hand.jsonl"), by_name)
    test_units = {r["unit"] for r in hand if r.get("split") == "test"}
    test = [r for r in hand if r.get("split") == "test"]
    train: list[Example] = [
        Example(r["text"], int(r["label"] == "boilerplate"), 1.0, "hand", r["unit"])
        for r in hand if r.get("split") != "test"
    ]
    train += [Example(r["text"], int(r["label"] == "boilerplate"), 1.0, "written")
              for r in _read_jsonl(LABELS_DIR / "boilerplate_written.jsonl")]
    exclude = {(r["file"], r["start"]) for r in hand}
    train += weak_boilerplate_labels([d for d in docs if d.unit not in test_units], exclude)
    train.sort(key=lambda e: (e.source, e.text))  # order-independent of the file system
    texts = [e.text for e in train]
    y = np.asarray([e.label for e in train])
    w = np.asarray([e.weight for e in train])
    meta = {"task": "sentence is generic boilerplate (套话) rather than report-specific content", "seed": seed}
    model, _, _ = fit_linear_model("boilerplate", texts, y, ["boilerplate"], "boilerplate", seed=seed,
                                   sample_weight=w, meta=meta)
    metrics: dict[str, Any] = {
        "train_size": {s: sum(1 for e in train if e.source == s) for s in ("hand", "written", "weak")},
        "train_boilerplate_share": round(float(y.mean()), 3),
        "test_units": sorted(test_units),
        "hand_labels_dropped": dropped,
    }
    if test:
        yt = np.asarray([int(r["label"] == "boilerplate") for r in test])
        prob = model.predict_proba([r["text"] for r in test])[:, 0]
        metrics["test_size"] = len(test)
        for thr in (0.5, 0.8):
            pred = (prob >= thr).astype(int)
            metrics[f"test@{thr}"] = {"boilerplate": prf(yt, pred), "specific": prf(1 - yt, 1 - pred)}
    return model, metrics


def train_aspects(docs: list[CorpusDoc], seed: int) -> tuple[LinearTextModel, dict[str, Any]]:
    order = aspect_order()
    by_name = {d.name: d for d in docs}
    hand, dropped = resolve_corpus_labels(_read_jsonl(LABELS_DIR / "aspects_hand.jsonl"), by_name)
    test_units = {r["unit"] for r in hand if r.get("split") == "test"}
    bp_hand = _read_jsonl(LABELS_DIR / "boilerplate_hand.jsonl")
    test_units |= {r["unit"] for r in bp_hand if r.get("split") == "test"}
    test = [r for r in hand if r.get("split") == "test"]
    rows: list[tuple[str, set[str], str]] = [(r["text"], set(r["aspects"]), "hand") for r in hand
                                             if r.get("split") != "test"]
    rows += [(r["text"], set(r["aspects"]), "written") for r in _read_jsonl(LABELS_DIR / "aspects_written.jsonl")]
    rows += [(t, a, "heading") for t, a, u in heading_aspect_labels([d for d in docs if d.unit not in test_units])]
    rows.sort(key=lambda r: (r[2], r[0]))
    texts = [r[0] for r in rows]
    Y = np.asarray([[int(a in r[1]) for a in order] for r in rows])
    w = np.asarray([1.0 if r[2] != "heading" else 0.7 for r in rows])
    meta = {"task": "which of the five 总体情况 aspects a sentence reports on (one-vs-rest)", "seed": seed}
    model, _, _ = fit_linear_model("aspects", texts, Y, order, "aspects", seed=seed, sample_weight=w, meta=meta, C=2.0)
    metrics: dict[str, Any] = {
        "train_size": {s: sum(1 for r in rows if r[2] == s) for s in ("hand", "written", "heading")},
        "test_units": sorted(test_units & {r["unit"] for r in hand}),
        "hand_labels_dropped": dropped,
    }
    if test:
        Yt = np.asarray([[int(a in r["aspects"]) for a in order] for r in test])
        P = model.predict_proba([r["text"] for r in test]) >= 0.5
        per = {a: prf(Yt[:, j], P[:, j].astype(int)) for j, a in enumerate(order)}
        micro = prf(Yt.ravel(), P.astype(int).ravel())
        metrics["test_size"] = len(test)
        metrics["test@0.5"] = per
        metrics["test_micro"] = micro
        metrics["test_macro_f1"] = round(float(np.mean([per[a]["f1"] for a in order])), 3)
    return model, metrics


def train_all(corpus_dir: str | Path, out_dir: str | Path | None = None, seed: int = 0) -> dict[str, Any]:
    """Rebuild the boilerplate and aspect models into ``out_dir`` (default ``models/``) and write MODEL_CARD.md."""
    t0 = time.perf_counter()
    out = Path(out_dir) if out_dir is not None else REPO_ROOT / "models"
    docs = load_corpus(Path(corpus_dir))
    if not docs:
        from .errors import NianbaoError

        raise NianbaoError("not_found", f"{corpus_dir}: no .txt reports to train on")
    np.random.seed(seed)
    bp_model, bp_metrics = train_boilerplate(docs, seed)
    asp_model, asp_metrics = train_aspects(docs, seed)
    bp_model.save(out)
    asp_model.save(out)
    metrics = {
        "corpus_files": len(docs),
        "corpus_units": len({d.unit for d in docs}),
        "boilerplate": bp_metrics,
        "aspects": asp_metrics,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    from .narrative.model_card import render_model_card

    atomic_write_bytes(out / "MODEL_CARD.md", render_model_card(metrics).encode("utf-8"))
    atomic_write_bytes(out / "metrics.json",
                       (json.dumps(metrics, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return metrics
