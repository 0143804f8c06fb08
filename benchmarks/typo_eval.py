"""Accuracy of the writing checks.

    python benchmarks/typo_eval.py [--corpus ../shared/corpus] [--ecspell ../shared/eval/ecspell_odw.train]

1. Corpus recall on data/typo_gold.json, separately for the tuning and the held-out files (the split is declared
   in the gold file: odd-numbered files are held out and were never used to build lexicons or tune thresholds).
   A gold error counts as found when a writing finding (TYPO/PUNC/FMT/CON-2xx) overlaps one of its occurrences.
2. ECSpell (official-document sentences with typos): the fixed split holds out every line with index % 5 == 4.
   On the held-out lines, in the default configuration, sentence-level detection precision / recall / F1 (a
   sentence is "detected" when any typo-category finding is raised) and correction accuracy (share of the
   detected erroneous sentences whose suggestions, applied, give exactly the corrected sentence).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from analyzer.config import Config  # noqa: E402
from analyzer.read import document_from_text, read_document  # noqa: E402
from analyzer.rules import CheckContext  # noqa: E402
from analyzer.structure import structure_document  # noqa: E402
from analyzer.text.rules import RULES_BY_ID, _finding, writing_hits  # noqa: E402

HELDOUT_EVERY = 5


def findings(report, config):
    ctx = CheckContext(config=config)
    return [_finding(report, h) for h in writing_hits(report, ctx)
            if config.rule_enabled(h.rule, RULES_BY_ID[h.rule].default_enabled)]


def corpus_recall(corpus: Path, config: Config) -> dict:
    gold = json.loads((REPO / "data" / "typo_gold.json").read_text(encoding="utf-8"))
    by_file = defaultdict(list)
    for g in gold["errors"]:
        by_file[g["file"]].append(g)
    stats: dict = defaultdict(lambda: [0, 0])
    missed = []
    for name, errors in sorted(by_file.items()):
        path = corpus / name
        report = structure_document(read_document(path, config))
        fs = findings(report, config)
        text = report.text
        for g in errors:
            spans = []
            pos = text.find(g["text"])
            while pos != -1:
                spans.append((pos, pos + len(g["text"])))
                pos = text.find(g["text"], pos + 1)
            hit = False
            for f in fs:
                offs = ([(f.start, f.end)] if f.start is not None else [])
                offs += [(o, o + 1) for o in f.evidence.get("offsets", [])]
                if any(s < b and a < e for s, e in offs for a, b in spans):
                    hit = True
                    break
            for key in (g["split"], f"{g['split']}:{g['kind']}"):
                stats[key][0] += hit
                stats[key][1] += 1
            if not hit:
                missed.append((g["split"], name[:3], g["kind"], g["text"]))
    return {"stats": dict(stats), "missed": missed}


def ecspell(path: Path, config: Config) -> dict:
    lines = path.read_text(encoding="utf-8").splitlines()
    tp = fp = fn = tn = corrected = 0
    t0 = time.perf_counter()
    n = 0
    for i, line in enumerate(lines):
        if i % HELDOUT_EVERY != HELDOUT_EVERY - 1:
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        n += 1
        src, tgt = parts[1], parts[2]
        report = structure_document(document_from_text(f"ecspell-{i}", src))
        typo = [f for f in findings(report, config) if f.category == "typo" and f.start is not None]
        has_error = src != tgt
        if typo and has_error:
            tp += 1
            fixed = src
            for f in sorted(typo, key=lambda f: -f.start):
                if f.suggestion and f.end - f.start == len(f.suggestion):
                    fixed = fixed[:f.start] + f.suggestion + fixed[f.end:]
            corrected += fixed == tgt
        elif typo:
            fp += 1
        elif has_error:
            fn += 1
        else:
            tn += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"sentences": n, "tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": p, "recall": r, "f1": f1,
            "correction_accuracy_on_detected": corrected / tp if tp else 0.0,
            "seconds": time.perf_counter() - t0}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--ecspell", type=Path, default=REPO.parent / "shared" / "eval" / "ecspell_odw.train")
    ap.add_argument("--enable", default="", help="comma-separated opt-in rules (e.g. TYPO-202)")
    args = ap.parse_args(argv)
    config = Config(enabled_rules={r for r in args.enable.split(",") if r})
    if args.corpus.is_dir():
        res = corpus_recall(args.corpus, config)
        print("Corpus recall on data/typo_gold.json (found / total):")
        for key in sorted(res["stats"]):
            hit, tot = res["stats"][key]
            print(f"  {key:28s} {hit:3d} / {tot:3d}  = {hit / tot:.2f}")
        print("  missed:")
        for m in res["missed"]:
            print("   ", *m)
    if args.ecspell.exists():
        r = ecspell(args.ecspell, config)
        print(f"\nECSpell held-out (index % 5 == 4): {r['sentences']} sentences, tp={r['tp']} fp={r['fp']} "
              f"fn={r['fn']} tn={r['tn']}")
        print(f"  detection precision={r['precision']:.3f} recall={r['recall']:.3f} f1={r['f1']:.3f}  "
              f"correction accuracy (of detected)={r['correction_accuracy_on_detected']:.3f}  ({r['seconds']:.1f}s)")


if __name__ == "__main__":
    main()
