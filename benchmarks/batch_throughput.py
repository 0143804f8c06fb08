"""Batch throughput, memory per worker, and how time grows with the number of reports.

    python benchmarks/batch_throughput.py [--corpus ../shared/corpus] [--n 500] [--jobs 1 2]
                                          [--sizes 100 250 500] [--cross-sizes 500 1000 2000 4000] [--profile]

Corpus: the real reports of ``--corpus`` (each once, as written) plus generated variants up to ``--n`` files. A
variant is a real report (cycled, so the real size distribution is kept) with another unit's name, every number but
the years changed, and half of its sentences replaced by sentences drawn from other real reports — so variants are
neither identical to nor unrelated to the real ones, like a national batch.

Measures, per ``--jobs``: wall time and reports/s of the whole ``run_batch`` (scan, audit, cross-report, output),
the time of each stage, CPU seconds per report in the workers, and the peak RSS of a worker. Then the batch at
``--sizes`` (jobs = the largest of ``--jobs``) and ``cross_report`` alone at ``--cross-sizes`` to show the growth.
``--profile`` times each stage of one audit (read, structure, each check function) on the real corpus.

The machine may be shared: wall times are the honest number, CPU seconds per report tell what an idle machine
would do.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402

from analyzer.batch import run_batch  # noqa: E402
from analyzer.config import Config  # noqa: E402

CJK = "政务公开信息平台建设监督保障主动申请管理制度规范考核评议责任追究培训宣传解读回应关切数据目录清单标准基层网站媒体办理答复"


def generate(corpus: Path, n: int, folder: Path, seed: int = 0) -> list[Path]:
    rng = random.Random(seed)
    real = sorted(corpus.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in real]
    pool = [s for t in texts for s in re.split(r"(?<=。)", t) if 20 <= len(s) <= 200 and "、" not in s[:3]]
    out = []
    for i in range(n):
        base = i % len(real)
        text = texts[base]
        if i >= len(real):  # variants after one copy of each real report
            text = re.sub(r"平潭综合实验区|[\u4e00-\u9fff]{2,6}(?:县|区|镇|街道)(?:人民政府)?",
                          f"样例{i}县", text, count=8)
            text = re.sub(r"\d+", lambda m: m.group() if re.fullmatch(r"(19|20)\d\d", m.group())
                          else str(rng.randint(0, 10 ** len(m.group()) - 1)), text)
            parts = re.split(r"(?<=。)", text)
            parts = [rng.choice(pool) if len(p) > 20 and rng.random() < 0.5 else p for p in parts]
            text = "".join(parts)
        p = folder / f"r{i:05d}_{real[base].stem}.txt"
        p.write_text(text, encoding="utf-8")
        out.append(p)
    return out


def journal_stats(journal: Path) -> dict:
    cpu, rss, wall = [], [], []
    scan_cpu = []
    for line in journal.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if rec.get("kind") == "audit" and "cpu" in rec:
            cpu.append(rec["cpu"])
            wall.append(rec["seconds"])
            rss.append(rec.get("rss_mb", 0.0))
        elif rec.get("kind") == "scan" and "cpu" in rec:
            scan_cpu.append(rec["cpu"])
    return {"audit_cpu_mean": statistics.mean(cpu), "audit_cpu_median": statistics.median(cpu),
            "audit_cpu_p99": sorted(cpu)[int(len(cpu) * 0.99) - 1], "scan_cpu_mean": statistics.mean(scan_cpu),
            "peak_rss_mb": max(rss), "audit_wall_mean": statistics.mean(wall)}


def run(files_dir: Path, jobs: int, out: Path) -> dict:
    stats: dict = {}
    quiet = Console(file=io.StringIO())
    t0 = time.perf_counter()
    run_batch([str(files_dir)], output=out, jobs=jobs, previous_dir=None, resume=False, config=Config(),
              timeout=120, progress=False, console=quiet, stats=stats)
    stats["wall_s"] = time.perf_counter() - t0
    stats.update(journal_stats(out.with_name(out.name + ".journal.jsonl")))
    return stats


def cross_scaling(journal: Path, sizes: list[int]) -> list[tuple[int, float, int, float]]:
    """Time cross_report on N reports: the batch's real features, replicated with mutated passages."""
    from analyzer.copy import cross_report

    base = []
    for line in journal.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("kind") == "audit" and rec.get("copy"):
            base.append(dict(rec["copy"], path=rec["path"]))
    rng = random.Random(1)
    out = []
    for n in sizes:
        docs = []
        for i in range(n):
            d = dict(base[i % len(base)])
            d["path"] = f"{i:06d}"
            if i >= len(base):  # a replica: another unit, and every 6th character changed
                d["unit"] = f"样例{i}单位"
                d["identity"] = f"x{i}"
                d["passages"] = [[p[0], p[1], "".join(rng.choice(CJK) if k % 6 == 0 else c for k, c in enumerate(p[2])), p[3]]
                                 for p in d["passages"]]
            docs.append(d)
        _reset_peak_rss()
        t0 = time.perf_counter()
        res = cross_report(docs)
        out.append((n, time.perf_counter() - t0, len(res.pairs), _peak_rss_mb()))
    return out


def _reset_peak_rss() -> None:
    try:  # Linux: writing 5 to clear_refs resets VmHWM, the peak resident set size
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def profile_stages(corpus: Path) -> list[tuple[str, float]]:
    from analyzer.pipeline import finalize_findings
    from analyzer.read import read_document
    from analyzer.rules import CHECKS, CheckContext, load_all_rules
    from analyzer.score import score_audit  # noqa: F401
    from analyzer.structure import structure_document

    load_all_rules()
    config = Config()
    files = sorted(corpus.glob("*.txt"))
    times: dict[str, float] = {}

    def add(k: str, dt: float) -> None:
        times[k] = times.get(k, 0.0) + dt

    # warm up lazily loaded models outside the measurement
    from analyzer.pipeline import audit_file

    audit_file(files[0], config)
    for f in files:
        t = time.perf_counter()
        doc = read_document(f, config)
        add("read", time.perf_counter() - t)
        t = time.perf_counter()
        report = structure_document(doc)
        add("structure", time.perf_counter() - t)
        ctx = CheckContext(config=config)
        findings = []
        for rule_ids, fn in CHECKS:
            t = time.perf_counter()
            try:
                findings += [x for x in (fn(report, ctx) or ()) if hasattr(x, "severity")]
            except Exception:
                pass
            add(f"check {fn.__module__.split('.')[-2] if fn.__module__.count('.') > 1 else fn.__module__}."
                f"{fn.__name__} ({rule_ids[0]}…)", time.perf_counter() - t)
        t = time.perf_counter()
        finalize_findings(report, findings, config)
        add("finalize", time.perf_counter() - t)
    n = len(files)
    return sorted(((k, v / n) for k, v in times.items()), key=lambda kv: -kv[1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared" / "corpus")
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--sizes", type=int, nargs="*", default=[100, 250])
    ap.add_argument("--cross-sizes", type=int, nargs="*", default=[500, 1000, 2000, 4000])
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()

    print(f"machine: {os.cpu_count()} CPUs; load average at start {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        tmpd = Path(tmp)
        folder = tmpd / "reports"
        folder.mkdir()
        files = generate(args.corpus, args.n, folder)
        sizes = [f.stat().st_size for f in files]
        print(f"corpus: {len(files)} files ({len(list(args.corpus.glob('*.txt')))} real + variants); "
              f"size median {statistics.median(sizes) / 1024:.1f} KiB, max {max(sizes) / 1024:.1f} KiB\n")
        print("| jobs | reports | wall s | reports/s | scan s | audit s | cross s | output s | "
              "audit CPU s/report (mean/median/p99) | peak RSS per worker MB |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        last = None
        for jobs in args.jobs:
            s = run(folder, jobs, tmpd / f"out_j{jobs}.csv")
            last = (jobs, s)
            print(f"| {jobs} | {s['files']} | {s['wall_s']:.1f} | {s['files'] / s['wall_s']:.2f} | {s['scan_s']:.1f} | "
                  f"{s['audit_s']:.1f} | {s['cross_s']:.2f} | {s['output_s']:.2f} | {s['audit_cpu_mean']:.3f} / "
                  f"{s['audit_cpu_median']:.3f} / {s['audit_cpu_p99']:.3f} | {s['peak_rss_mb']:.0f} |")
        jobs_max = max(args.jobs)
        if args.sizes:
            print(f"\nGrowth with the number of reports (jobs {jobs_max}):\n")
            print("| reports | wall s | reports/s | cross-report s |")
            print("|---|---|---|---|")
            for n in sorted(args.sizes):
                sub = tmpd / f"sub{n}"
                sub.mkdir()
                for f in files[:n]:
                    os.link(f, sub / f.name)
                s = run(sub, jobs_max, tmpd / f"out_n{n}.csv")
                print(f"| {n} | {s['wall_s']:.1f} | {n / s['wall_s']:.2f} | {s['cross_s']:.2f} |")
            if last:
                s = last[1]
                print(f"| {s['files']} | {s['wall_s']:.1f} | {s['files'] / s['wall_s']:.2f} | {s['cross_s']:.2f} |")
        if args.cross_sizes and last:
            print("\nCross-report copy detection alone (MinHash LSH over passages):\n")
            print("| reports | seconds | ms/report | pairs | peak RSS of the process MB |")
            print("|---|---|---|---|---|")
            for n, sec, pairs, rss in cross_scaling(tmpd / f"out_j{last[0]}.csv.journal.jsonl", args.cross_sizes):
                print(f"| {n} | {sec:.2f} | {1000 * sec / n:.2f} | {pairs} | {rss:.0f} |")
        if last:
            s = last[1]
            cpu_per_report = s["audit_cpu_mean"] + s["scan_cpu_mean"]
            per_core = 1 / cpu_per_report
            print(f"\nCPU per report (scan + audit): {cpu_per_report:.3f} s → {per_core:.1f} reports/s per core on an "
                  f"idle machine; 150,000 reports on 2 cores ≈ {150000 / (2 * per_core) / 3600:.1f} h, "
                  f"on 16 cores ≈ {150000 / (16 * per_core) / 3600:.1f} h (plus cross-report time above).")
    if args.profile:
        print("\nWhere one audit's time goes (mean seconds per real report, single process):\n")
        print("| stage | s/report |")
        print("|---|---|")
        for k, v in profile_stages(args.corpus)[:15]:
            print(f"| {k} | {v:.4f} |")


if __name__ == "__main__":
    main()
