"""Print every writing finding (TYPO/PUNC/FMT/CON-2xx) on the corpus so a person can judge each one.

    python benchmarks/false_alarms.py [--corpus ../shared/corpus] [--split all|tuning|heldout] [--rules TYPO-,PUNC-]
                                      [--enable TYPO-202] [--summary]

For every file: one line per finding (rule, offsets, flagged text, suggestion, context), then totals and the
finding rate per 10,000 characters. Findings that match an entry of data/typo_gold.json are marked ``GOLD``;
the others are the candidates a reviewer must judge (record the verdicts in docs/writing.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from analyzer.config import Config  # noqa: E402
from analyzer.read import read_document  # noqa: E402
from analyzer.rules import CheckContext  # noqa: E402
from analyzer.structure import structure_document  # noqa: E402
from analyzer.text.rules import RULES_BY_ID, _finding, writing_hits  # noqa: E402

WRITING_PREFIXES = ("TYPO-", "PUNC-", "FMT-", "CON-2")


def gold_spans(gold: dict, name: str, text: str) -> list[tuple[int, int]]:
    out = []
    for g in gold["errors"]:
        if g["file"] == name:
            pos = text.find(g["text"])
            while pos != -1:
                out.append((pos, pos + len(g["text"])))
                pos = text.find(g["text"], pos + 1)
    return out


def findings_for(path: Path, config: Config):
    report = structure_document(read_document(path, config))
    ctx = CheckContext(config=config)
    hits = [h for h in writing_hits(report, ctx)
            if config.rule_enabled(h.rule, RULES_BY_ID[h.rule].default_enabled)]
    return report, [_finding(report, h) for h in hits]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--split", choices=("all", "tuning", "heldout"), default="all")
    ap.add_argument("--rules", default="TYPO-,PUNC-", help="comma-separated rule id prefixes to list")
    ap.add_argument("--enable", default="", help="comma-separated opt-in rules to enable (e.g. TYPO-202)")
    ap.add_argument("--summary", action="store_true", help="only the totals")
    args = ap.parse_args(argv)
    gold = json.loads((REPO / "data" / "typo_gold.json").read_text(encoding="utf-8"))
    split = gold["split"]
    config = Config(enabled_rules={r for r in args.enable.split(",") if r})
    prefixes = tuple(p for p in args.rules.split(",") if p)
    total_chars = total = on_gold = 0
    per_rule: dict[str, list[int]] = {}
    for path in sorted(args.corpus.glob("*.txt")):
        if args.split != "all" and path.name not in split[args.split]:
            continue
        report, findings = findings_for(path, config)
        text = report.text
        total_chars += len(text)
        spans = gold_spans(gold, path.name, text)
        for f in findings:
            if not f.rule.startswith(prefixes):
                continue
            offs = [f.start] + list(f.evidence.get("offsets", [])) if f.start is not None else []
            hit_gold = any(a <= o < b or (f.end and o < a < f.end) for o in offs for a, b in spans)
            total += 1
            on_gold += hit_gold
            per_rule.setdefault(f.rule, [0, 0])
            per_rule[f.rule][0] += 1
            per_rule[f.rule][1] += hit_gold
            if not args.summary:
                ctx = text[max(0, (f.start or 0) - 10):(f.end or 0) + 10].replace("\n", "⏎") if f.start is not None else ""
                print(f"{path.name[:3]}\t{'GOLD' if hit_gold else '????'}\t{f.rule}\t{f.start}\t{f.text!r}\t"
                      f"→{f.suggestion!r}\t{f.message}\t«{ctx}»")
    print(f"\nfiles={args.split} chars={total_chars} findings={total} on_gold={on_gold} "
          f"other={total - on_gold} other_per_10k={(total - on_gold) / max(total_chars, 1) * 10000:.2f}")
    for rule, (n, g) in sorted(per_rule.items()):
        print(f"  {rule}: {n} findings, {g} on gold, {n - g} to judge")


if __name__ == "__main__":
    main()
