"""Speed of the narrative pass: ms per 10,000 characters of report, one core, after warm-up.

    python benchmarks/narrative_speed.py [--corpus ../shared/corpus] [--repeat 5]

Measures ``analyzer.narrative.analyze.analyze_report`` (spaCy pipeline with jieba, sentence splitting, boilerplate
and aspect models, problem↔measure matching) on every full (non-excerpt) corpus report, after one warm-up pass that
loads jieba, the models and the lexicons. Structure recovery is done beforehand and not timed. Budget: ≤ 100 ms
per 10,000 characters. Times are CPU time of this process (``time.process_time``), so other jobs on a shared
machine inflate them less than wall-clock time would. Also reports the one-off warm-up cost and peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    except (AttributeError, OSError):
        pass
    from analyzer.config import Config
    from analyzer.narrative.analyze import analyze_report
    from analyzer.pipeline import build_report

    files = [p for p in sorted(Path(args.corpus).glob("*.txt")) if "excerpt" not in p.name and p.name[0].isdigit()]
    reports = [build_report(p, Config()) for p in files]
    t0 = time.perf_counter()
    analyze_report(reports[0])  # warm-up: jieba dictionary, models, lexicons
    warm = time.perf_counter() - t0
    per_10k = []
    total_chars = total_s = 0.0
    for r in reports:
        times = []
        for _ in range(args.repeat):
            t = time.process_time()  # CPU time of this process: robust when other jobs share the machine
            analyze_report(r)
            times.append(time.process_time() - t)
        best = statistics.median(times)
        per_10k.append(best * 1000 * 10000 / max(1, len(r.text)))
        total_chars += len(r.text)
        total_s += best
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"reports: {len(reports)}  chars: {total_chars:.0f}  warm-up: {warm * 1000:.0f} ms")
    print(f"narrative pass: {total_s * 1000 / len(reports):.1f} ms per report (median of {args.repeat}); "
          f"{total_s * 1000 * 10000 / total_chars:.1f} ms per 10,000 chars overall; "
          f"worst report {max(per_10k):.1f} ms per 10,000 chars; budget 100")
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
