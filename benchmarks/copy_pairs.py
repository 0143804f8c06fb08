"""Copy detection on the real corpus: year-over-year pairs, unrelated pairs, planted copies.

    python benchmarks/copy_pairs.py [--corpus ../shared/corpus] [--planted 20] [--seed 0]

1. Year-over-year: every full report is paired with the same unit's most recent earlier report (the pairing batch
   uses) and its 重复率 printed — the 平潭 series (管委会, departments, 片区).
2. Unrelated pairs: the 重复率 of every ordered pair of full reports from *different* units (what a wrong pairing
   would give); none should reach the CPY-701 threshold.
3. Planted copies: N reports rewritten as another unit's (name replaced, every number but the years changed,
   15% of sentences dropped, two sentences swapped) are added to the corpus; cross-report detection must put each
   with its source, and must not pair unrelated real reports as near-duplicates.

Thresholds were set on the 平潭 管委会 series (004–008) and the synthetic tests; the other units' series, the
non-平潭 reports and the planted copies are the held-out check.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analyzer.batch import pair_previous  # noqa: E402
from analyzer.errors import NianbaoError  # noqa: E402
from analyzer.config import Config  # noqa: E402
from analyzer.copy import copy_features, cross_report, identity_key, unit_key, year_over_year  # noqa: E402
from analyzer.pipeline import build_report  # noqa: E402

TUNED_ON = {"004_pingtan_2019", "005_pingtan_2020", "006_pingtan_2022", "007_pingtan_2021", "008_pingtan_2024"}


def plant(text: str, unit: str, new_unit: str, rng: random.Random) -> str:
    text = text.replace(unit, new_unit)
    short = re.sub(r"^平潭综合实验区|^.*?(市|县|区)", "", unit)
    if len(short) >= 3:
        text = text.replace(short, new_unit[-len(short):] if len(new_unit) > len(short) else new_unit)

    def renumber(m: re.Match[str]) -> str:
        s = m.group()
        return s if re.fullmatch(r"(19|20)\d\d", s) else "".join(str((int(d) + 7) % 10) for d in s)

    text = re.sub(r"\d+", renumber, text)
    sentences = re.split(r"(?<=。)", text)
    kept = [s for s in sentences if rng.random() > 0.15 or len(s) < 10]
    if len(kept) > 4:
        i = rng.randrange(1, len(kept) - 2)
        kept[i], kept[i + 1] = kept[i + 1], kept[i]
    return "".join(kept)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared" / "corpus")
    ap.add_argument("--planted", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    config = Config()
    threshold = config.threshold("copy_ratio")

    files = sorted(args.corpus.glob("*.txt"))
    reports = {}
    for f in files:
        try:
            reports[str(f)] = build_report(f, config)
        except NianbaoError:  # not_a_report
            pass
    full = {p: r for p, r in reports.items() if not r.is_excerpt}

    # 1. year over year, paired as batch pairs them
    scans = {p: {"ok": True, "unit": r.unit, "year": r.year, "is_excerpt": r.is_excerpt,
                 "identity": identity_key(r.text)} for p, r in reports.items()}
    previous = pair_previous(scans, sorted(reports), sorted(reports))
    print("## Year-over-year 重复率 (automatic pairing by unit name and year)\n")
    print("| report | previous | gap | 重复率 | CPY-701 |")
    print("|---|---|---|---|---|")
    yoy = []
    for p in sorted(previous):
        prev = previous[p]
        if prev is None or reports[p].is_excerpt:
            continue
        res = year_over_year(reports[p], reports[prev])
        gap = reports[p].year - reports[prev].year
        yoy.append(res.ratio)
        held = "" if Path(p).stem in TUNED_ON else " (held out)"
        print(f"| {Path(p).stem}{held} | {Path(prev).stem} | {gap} | {res.ratio:.0%} | "
              f"{'warning' if res.ratio >= threshold else 'pass'} |")
    print(f"\n{len(yoy)} pairs; median {statistics.median(yoy):.0%}, max {max(yoy):.0%}, "
          f"{sum(r >= threshold for r in yoy)} at ≥ {threshold:.0%}\n")

    # 2. unrelated pairs (different units)
    t0 = time.perf_counter()
    unrelated = []
    paths = sorted(full)
    for a in paths:
        for b in paths:
            if a != b and unit_key(full[a].unit) != unit_key(full[b].unit) and identity_key(full[a].text) != identity_key(full[b].text):
                unrelated.append((year_over_year(full[a], full[b]).ratio, a, b))
    unrelated.sort(reverse=True)
    ratios = [u[0] for u in unrelated]
    print("## Unrelated pairs (different units, both full reports)\n")
    print(f"{len(unrelated)} ordered pairs in {time.perf_counter() - t0:.1f} s; median {statistics.median(ratios):.1%}, "
          f"99th percentile {ratios[len(ratios) // 100]:.1%}, max {ratios[0]:.1%} "
          f"({Path(unrelated[0][1]).stem} vs {Path(unrelated[0][2]).stem}); "
          f"{sum(r >= threshold for r in ratios)} at ≥ {threshold:.0%}\n")

    # 3. planted copies among the real corpus
    rng = random.Random(args.seed)
    sources = rng.sample(sorted(p for p in full if full[p].unit), min(args.planted, len(full)))
    with tempfile.TemporaryDirectory() as tmp:
        planted_paths = {}
        for i, src in enumerate(sources):
            new_unit = f"测试市第{i + 1}区行政审批局"
            text = plant(Path(src).read_text(encoding="utf-8"), full[src].unit, new_unit, rng)
            dst = Path(tmp) / f"planted_{i:02d}.txt"
            dst.write_text(text, encoding="utf-8")
            planted_paths[str(dst)] = src
        docs = [dict(copy_features(r), path=p) for p, r in reports.items()]
        docs += [dict(copy_features(build_report(p, config)), path=p) for p in planted_paths]
        t0 = time.perf_counter()
        result = cross_report(docs)
        seconds = time.perf_counter() - t0
    near = {(p.a, p.b) for p in result.pairs if p.kind == "report"}
    found = sum(1 for dst, src in planted_paths.items() if tuple(sorted((dst, src))) in near)
    real_near = sorted((Path(a).stem, Path(b).stem) for a, b in near
                       if a not in planted_paths and b not in planted_paths)
    print("## Planted copies (another unit's name, new numbers, 15% sentences dropped, two swapped)\n")
    print(f"found {found}/{len(planted_paths)} planted copies as near-duplicate reports; "
          f"near-duplicate pairs between real reports of different units: {len(real_near)} {real_near}; "
          f"passage-level pairs between real reports: "
          f"{sum(1 for p in result.pairs if p.kind == 'passages' and p.a not in planted_paths and p.b not in planted_paths)}; "
          f"same-document duplicates: {len(result.duplicate_of)}; cross_report over {len(docs)} reports: {seconds:.2f} s")


if __name__ == "__main__":
    main()
