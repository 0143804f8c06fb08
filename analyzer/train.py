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

from .io import write_atomic
from .narrative.aspects import find_subheadings
from .narrative.corpus import CorpusDoc, load_corpus
from .narrative.features import aspect_order, normalize
from .narrative.linear import LinearTextModel, fit_linear_model
from .narrative.sentences import cjk_len, is_heading, split_sentences
from .resources import labels_dir

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
# data/labels ships in the wheel as analyzer.labels, so an installed nianbao can retrain too
LABELS_DIR = labels_dir()

SHINGLE = 6  # characters per shingle for the "shared by many units" weak label
WEAK_MIN_UNITS = 3  # a shingle used by at least this many different units is template wording
WEAK_WEIGHT = 0.5  # weak labels count half as much as hand labels
MIN_CJK = 8  # shorter spans are headings or fragments: not classified
HEADING_WEIGHT = 0.7  # weight of sentences labelled by the standard sub-heading they sit under


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


def weak_boilerplate_labels(docs: list[CorpusDoc], exclude: set[tuple[str, int]],
                            shared_boilerplate: float = 0.5, shared_specific: float = 0.15) -> list[Example]:
    """Label narrative sentences of ``docs`` by how widely their wording is shared across different units.

    Boilerplate: most of its wording recurs in ≥ WEAK_MIN_UNITS units' reports, it has no number, date or cited
    document (shared *facts* such as 本年度没有产生信息处理费 are template wording but not 套话), and at least one
    stock phrase. Specific: almost none of its wording is shared and it has a number or a cited document.
    Headings are skipped (they are shared by design)."""
    from .narrative.features import count_dates, count_documents, count_numbers, stock_hits

    sentences = []
    units_of: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        for sid, (s, e) in sorted(d.regions.items()):
            for x in split_sentences(d.text[s:e]):
                if cjk_len(x.text) < MIN_CJK or is_heading(x.text):
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
        if (shared >= shared_boilerplate and concrete == 0 and count_dates(text) == 0 and stock_hits(text)):
            out.append(Example(text, 1, WEAK_WEIGHT, "weak", d.unit))
        elif shared <= shared_specific and concrete >= 1:
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


def section_length_medians(docs: list[CorpusDoc]) -> dict[str, float]:
    """Median length (Chinese characters) of 总体情况 and 问题及改进 in complete reports: the peers of CMP-607."""
    out = {}
    for sid in ("overview", "problems"):
        lengths = sorted(cjk_len(d.text[slice(*d.regions[sid])]) for d in docs
                         if sid in d.regions and "excerpt" not in d.name)
        if lengths:
            out[sid] = float(np.median(lengths))
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
    if len(set(y.tolist())) < 2:
        from .errors import NianbaoError

        raise NianbaoError("not_found", f"too little training data for the boilerplate model ({len(y)} labelled "
                                        f"sentences, one class only); check {LABELS_DIR} and the corpus folder")
    w = np.asarray([e.weight for e in train])
    meta = {"task": "sentence is generic boilerplate (套话) rather than report-specific content", "seed": seed,
            "section_chars_median": section_length_medians(docs)}
    # C=4 was chosen by 5-fold cross-validation grouped by unit on the training data (not on the test split)
    model, _, _ = fit_linear_model("boilerplate", texts, y, ["boilerplate"], "boilerplate", seed=seed,
                                   sample_weight=w, meta=meta, C=4.0)
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


ASPECT_C = 2.0  # in 4-fold CV grouped by unit on the training units, C from 1 to 8 was within noise (±0.02)
ASPECT_FOLDS = 4
ASPECT_THRESHOLD_GRID = tuple(round(0.2 + 0.05 * i, 2) for i in range(13))  # 0.20 … 0.80
MIN_HAND_FOR_NO_HEADING = 100  # with fewer hand-labelled training sentences, heading labels are added (weight 0.7)


def _part_probabilities(model: LinearTextModel, text: str) -> np.ndarray:
    """Aspect evidence of one part of 总体情况: max over its scorable sentences of the sentence probabilities, and 1
    for the aspect its sub-heading names. This is exactly what ``coverage_from_text`` decides, part by part."""
    from .narrative.aspects import part_heading_aspect

    order = aspect_order()
    sents = [x.text for x in split_sentences(text) if cjk_len(x.text) >= MIN_CJK and not is_heading(x.text)]
    p = model.predict_proba(sents).max(axis=0) if sents else np.zeros(len(order))
    h = part_heading_aspect(text)
    if h is not None:
        p = p.copy()
        p[order.index(h)] = 1.0
    return p


def _f1(t: np.ndarray, p: np.ndarray) -> float:
    tp = int(np.sum((t == 1) & (p == 1)))
    return 2 * tp / (2 * tp + int(np.sum((t == 0) & (p == 1))) + int(np.sum((t == 1) & (p == 0)))) if tp else 0.0


def choose_thresholds(P: np.ndarray, Y: np.ndarray) -> list[float]:
    """Per aspect, the grid threshold with the best F1 (ties: the one closest to 0.5)."""
    return [max(ASPECT_THRESHOLD_GRID, key=lambda th: (_f1(Y[:, j], (P[:, j] >= th).astype(int)), -abs(th - 0.5)))
            for j in range(Y.shape[1])]


def calibrate_intercepts(model: LinearTextModel, thresholds: list[float]) -> None:
    """Shift each aspect's intercept by −logit(threshold): afterwards probability ≥ 0.5 means exactly what
    probability ≥ threshold meant before, so every caller (CMP-601's ``aspect_probability`` 0.5, the score) uses the
    per-aspect thresholds chosen by cross-validation without knowing them."""
    shift = np.asarray([-np.log(t / (1.0 - t)) for t in thresholds])
    model.intercept = model.intercept + shift


def _aspect_rows(hand: list[dict], units: set[str] | None, heading_rows: list) -> list[tuple[str, set[str], str]]:
    rows = [(r["text"], set(r["aspects"]), "hand") for r in hand
            if r.get("split") != "test" and (units is None or r["unit"] in units)]
    rows += [(r["text"], set(r["aspects"]), "written") for r in _read_jsonl(LABELS_DIR / "aspects_written.jsonl")]
    rows += heading_rows
    rows.sort(key=lambda r: (r[2], r[0]))
    return rows


def _fit_aspects(rows: list[tuple[str, set[str], str]], seed: int, meta: dict | None = None) -> LinearTextModel:
    order = aspect_order()
    Y = np.asarray([[int(a in r[1]) for a in order] for r in rows])
    w = np.asarray([1.0 if r[2] != "heading" else HEADING_WEIGHT for r in rows])
    model, _, _ = fit_linear_model("aspects", [r[0] for r in rows], Y, order, "aspects", seed=seed, sample_weight=w,
                                   meta=meta, C=ASPECT_C)
    return model


def train_aspects(docs: list[CorpusDoc], seed: int) -> tuple[LinearTextModel, dict[str, Any]]:
    """Sentence classifier (five one-vs-rest logistic regressions) whose decisions are made per *part* of 总体情况.

    A part (``aspects.split_parts``: a （一） sub-part or a paragraph) reports an aspect when its sub-heading names
    it or one of its sentences reaches the aspect's threshold. The thresholds are chosen on out-of-fold part
    predictions of a 4-fold cross-validation grouped by unit on the *training* units, then folded into the
    intercepts (``calibrate_intercepts``). The held-out units are scored once, at the end."""
    order = aspect_order()
    by_name = {d.name: d for d in docs}
    hand, dropped = resolve_corpus_labels(_read_jsonl(LABELS_DIR / "aspects_hand.jsonl"), by_name)
    parts, parts_dropped = resolve_corpus_labels(_read_jsonl(LABELS_DIR / "aspects_parts.jsonl"), by_name)
    test_units = {r["unit"] for r in hand + parts if r.get("split") == "test"}
    bp_hand = _read_jsonl(LABELS_DIR / "boilerplate_hand.jsonl")
    test_units |= {r["unit"] for r in bp_hand if r.get("split") == "test"}
    test = [r for r in hand if r.get("split") == "test"]
    test_parts = [r for r in parts if r.get("split") == "test"]
    train_parts = sorted((r for r in parts if r.get("split") != "test" and r["unit"] not in test_units),
                         key=lambda r: (r["file"], r["start"]))
    n_hand_train = sum(1 for r in hand if r.get("split") != "test")
    # Heading labels (sentences labelled by the standard sub-heading they sit under) lower part-level F1 in grouped
    # CV on the training units (0.80 → 0.79 at 0.5) and sentence-level F1 (0.73 → 0.66); the sub-heading itself is
    # used directly by the decision instead. They remain the only corpus signal on a folder without hand labels.
    heading_rows: list = []
    if n_hand_train < MIN_HAND_FOR_NO_HEADING:
        hand_files = {r["file"] for r in hand}
        heading_rows = [(t, a, "heading") for t, a, u in heading_aspect_labels(
            [d for d in docs if d.unit not in test_units and d.name not in hand_files])]
    rows = _aspect_rows(hand, None, heading_rows)

    # ---- per-aspect thresholds by CV grouped by unit, on the training units only
    cv: dict[str, Any] = {}
    thresholds = [0.5] * len(order)
    train_units = sorted({r["unit"] for r in train_parts})
    if len(train_units) >= ASPECT_FOLDS and train_parts:
        Ytr = np.asarray([[int(a in r["aspects"]) for a in order] for r in train_parts])
        P = np.zeros(Ytr.shape)
        fold_of = {u: i % ASPECT_FOLDS for i, u in enumerate(train_units)}
        for k in range(ASPECT_FOLDS):
            held = {u for u, f in fold_of.items() if f == k}
            fold_rows = _aspect_rows(hand, {r["unit"] for r in hand} - held, heading_rows)
            m = _fit_aspects(fold_rows, seed)
            for i, r in enumerate(train_parts):
                if r["unit"] in held:
                    P[i] = _part_probabilities(m, r["text"])
        thresholds = choose_thresholds(P, Ytr)
        # nested estimate: thresholds chosen on the other folds only (the honest CV number)
        nested = np.zeros(Ytr.shape, dtype=int)
        for k in range(ASPECT_FOLDS):
            te = np.asarray([fold_of[r["unit"]] == k for r in train_parts])
            th = choose_thresholds(P[~te], Ytr[~te])
            nested[te] = (P[te] >= np.asarray(th)).astype(int)
        at05 = (P >= 0.5).astype(int)
        cv = {
            "folds": ASPECT_FOLDS, "units": len(train_units), "parts": len(train_parts),
            "part_macro_f1@0.5": round(float(np.mean([_f1(Ytr[:, j], at05[:, j]) for j in range(len(order))])), 3),
            "part_macro_f1_nested": round(float(np.mean([_f1(Ytr[:, j], nested[:, j]) for j in range(len(order))])), 3),
        }
    meta = {"task": "which of the five 总体情况 aspects a sentence reports on (one-vs-rest); probability ≥ 0.5 is the "
                    "per-aspect decision (thresholds chosen by grouped CV, folded into the intercepts)",
            "seed": seed, "decision_thresholds": dict(zip(order, thresholds))}
    model = _fit_aspects(rows, seed, meta)
    calibrate_intercepts(model, thresholds)
    metrics: dict[str, Any] = {
        "train_size": {s: sum(1 for r in rows if r[2] == s) for s in ("hand", "written", "heading")},
        "train_parts": len(train_parts),
        "heading_weight": HEADING_WEIGHT if heading_rows else 0.0,
        "thresholds": dict(zip(order, thresholds)),
        "cv": cv,
        "test_units": sorted(test_units & {r["unit"] for r in hand + parts}),
        "hand_labels_dropped": dropped + parts_dropped,
    }
    if test:
        Yt = np.asarray([[int(a in r["aspects"]) for a in order] for r in test])
        P = model.predict_proba([r["text"] for r in test]) >= 0.5
        per = {a: prf(Yt[:, j], P[:, j].astype(int)) for j, a in enumerate(order)}
        metrics["test_size"] = len(test)
        metrics["test@0.5"] = per
        metrics["test_micro"] = prf(Yt.ravel(), P.astype(int).ravel())
        metrics["test_macro_f1"] = round(float(np.mean([per[a]["f1"] for a in order])), 3)
    if test_parts:
        metrics["parts"] = part_metrics(model, test_parts)
    if test:
        metrics["coverage"] = coverage_metrics(model, test, by_name)
    return model, metrics


def part_metrics(model: LinearTextModel, test_parts: list[dict]) -> dict[str, Any]:
    """Part-level evaluation (the unit a reviewer judges): each held-out part of 总体情况 hand-labelled with the
    aspects it reports; prediction as ``coverage_from_text`` decides. ``no_headings``: the same parts with their
    sub-heading titles removed, so the aspect must be recognised from the content alone."""
    from .narrative.aspects import strip_heading

    order = aspect_order()
    Y = np.asarray([[int(a in r["aspects"]) for a in order] for r in test_parts])
    out: dict[str, Any] = {"parts": len(test_parts), "reports": len({r["file"] for r in test_parts})}
    files = sorted({r["file"] for r in test_parts})
    of = np.asarray([files.index(r["file"]) for r in test_parts])  # report index of each part
    for key, fn in (("with_headings", lambda t: t), ("no_headings", strip_heading)):
        P = (np.vstack([_part_probabilities(model, fn(r["text"])) for r in test_parts]) >= 0.5).astype(int)
        per = {a: prf(Y[:, j], P[:, j]) for j, a in enumerate(order)}
        out[key] = {"per_aspect": per, "f1_macro": round(float(np.mean([per[a]["f1"] for a in order])), 3),
                    "micro": prf(Y.ravel(), P.ravel()),
                    "exact": round(float(np.mean([(P[i] == Y[i]).all() for i in range(len(Y))])), 3)}
        # the same predictions aggregated per report: 总体情况 covers an aspect when one of its parts reports it
        # (what CMP-601 decides); with ``no_headings`` the aspect must be recognised from content alone
        RT = np.vstack([Y[of == i].max(axis=0) for i in range(len(files))])
        RP = np.vstack([P[of == i].max(axis=0) for i in range(len(files))])
        rper = {a: prf(RT[:, j], RP[:, j]) for j, a in enumerate(order)}
        out[key]["report"] = {"per_aspect": rper, "f1_macro": round(float(np.mean([rper[a]["f1"] for a in order])), 3),
                              "missing": prf(1 - RT.ravel(), 1 - RP.ravel())}
    return out


def coverage_metrics(model: LinearTextModel, test: list[dict], docs: dict[str, CorpusDoc]) -> dict[str, Any]:
    """Report-level evaluation of what CMP-601 decides: does 总体情况 cover each aspect?

    Truth: an aspect is covered when any hand-labelled sentence of the report's 总体情况 reports on it (every
    sentence of the test reports' 总体情况 was labelled). Prediction: ``coverage_from_text`` on the same text."""
    from .narrative.aspects import coverage_from_text

    order = aspect_order()
    truth: dict[str, set[str]] = defaultdict(set)
    for r in test:
        truth[r["file"]] |= set(r["aspects"])
    rows_t, rows_p = [], []
    for name in sorted(truth):
        d = docs[name]
        if "overview" not in d.regions:
            continue
        s, e = d.regions["overview"]
        text = d.text[s:e]
        sents = [x for x in split_sentences(text)]
        scorable = [x for x in sents if cjk_len(x.text) >= MIN_CJK and not is_heading(x.text)]
        probs = model.predict_proba([x.text for x in scorable]) if scorable else np.zeros((0, len(order)))
        cov = coverage_from_text(text, [(x.text, False, dict(zip(model.labels, p))) for x, p in zip(scorable, probs)])
        rows_t.append([int(a in truth[name]) for a in order])
        rows_p.append([int(cov.covered[a]) for a in order])
    T, P = np.asarray(rows_t), np.asarray(rows_p)
    per = {a: prf(T[:, j], P[:, j]) for j, a in enumerate(order)}
    return {
        "reports": len(rows_t),
        "per_aspect_covered": per,
        "f1_macro": round(float(np.mean([per[a]["f1"] for a in order])), 3),
        "covered": prf(T.ravel(), P.ravel()),
        "missing": prf(1 - T.ravel(), 1 - P.ravel()),
    }


def default_corpus() -> Path:
    """``$NIANBAO_SHARED/corpus`` or ``../shared/corpus`` next to the repository."""
    import os

    shared = os.environ.get("NIANBAO_SHARED")
    if shared:
        return Path(shared) / "corpus"
    beside_repo = REPO_ROOT.parent / "shared" / "corpus"
    return beside_repo if beside_repo.is_dir() else Path.cwd().parent / "shared" / "corpus"


def train_all(corpus_dir: str | Path | None = None, out_dir: str | Path | None = None, seed: int = 0) -> dict[str, Any]:
    """Rebuild the boilerplate and aspect models into ``out_dir`` (default ``models/``) and write MODEL_CARD.md.

    ``corpus_dir`` is a folder of plain-text reports (``*.txt``); hand labels that refer to files not in it are
    skipped and counted, weak and heading labels are computed from whatever it holds."""
    from .errors import NianbaoError

    from .resources import model_path

    t0 = time.perf_counter()
    out = Path(out_dir) if out_dir is not None else model_path("")  # where the models are loaded from
    corpus = Path(corpus_dir) if corpus_dir is not None else default_corpus()
    if not corpus.is_dir():
        raise NianbaoError("not_found", f"{corpus}: corpus folder not found (use --corpus DIR)")
    docs = load_corpus(corpus)
    if not docs:
        raise NianbaoError("not_found", f"{corpus}: no .txt reports to train on")
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

    write_atomic(out / "MODEL_CARD.md", render_model_card(metrics).encode("utf-8"))
    write_atomic(out / "metrics.json",
                       (json.dumps(metrics, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return metrics
