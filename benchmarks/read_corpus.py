"""Reader speed, memory and fidelity on ../shared/corpus (skips cleanly when it is absent).

    python benchmarks/read_corpus.py [--repeat 5]

Prints markdown:
1. per format: files, median and max read time, chars/s (each file read ``--repeat`` times, best run kept);
2. HTML fidelity: each saved page in ``corpus/original/*.html`` against the scraped ``corpus/<same name>.txt``
   (whitespace ignored): recall = share of the scraped report text we output, precision = share of our output that
   is report text (the rest would be page chrome);
3. PDF fidelity: characters (whitespace ignored) vs ``pdftotext -layout`` of the same file;
4. peak RSS of one process that read everything.
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analyzer.errors import NianbaoError  # noqa: E402
from analyzer.read import read_document  # noqa: E402


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    args = ap.parse_args()
    corpus = Path(args.shared) / "corpus"
    if not corpus.is_dir():
        print(f"corpus not found at {corpus}; nothing to measure")
        return 0
    files = sorted(corpus.glob("*.txt")) + sorted((corpus / "original").glob("*"))
    files += sorted((REPO / "data" / "samples").glob("wangcun_2022.*[tx]"))
    by_format: dict[str, list[tuple[float, int]]] = {}
    errors = []
    for f in files:
        best, doc = float("inf"), None
        for _ in range(args.repeat):
            t = time.perf_counter()
            try:
                doc = read_document(f)
            except NianbaoError as err:
                errors.append((f.name, err.code))
                break
            best = min(best, time.perf_counter() - t)
        if doc is not None:
            by_format.setdefault(doc.source_format, []).append((best, len(doc.text)))

    print("| format | files | median read | max read | chars/s (total) |")
    print("|---|---|---|---|---|")
    for fmt, rows in sorted(by_format.items()):
        times = [t for t, _ in rows]
        chars = sum(n for _, n in rows)
        print(f"| {fmt} | {len(rows)} | {statistics.median(times) * 1000:.1f} ms | {max(times) * 1000:.1f} ms | "
              f"{chars / sum(times):,.0f} |")
    if errors:
        print(f"\nerrors: {errors}")

    print("\n| saved page | recall of scraped text | precision (not chrome) | tables | published |")
    print("|---|---|---|---|---|")
    for page in sorted((corpus / "original").glob("*.html")):
        scraped = corpus / f"{page.stem}.txt"
        if not scraped.exists():
            continue
        doc = read_document(page)
        ref = squash(re.split(r"=+ 正文 =+\n", scraped.read_text(encoding="utf-8"), maxsplit=1)[-1])
        ours = squash(doc.text)
        matched = sum(b.size for b in SequenceMatcher(None, ours, ref, autojunk=False).get_matching_blocks())
        tables = sum(1 for b in doc.blocks if b.kind == "table")
        print(f"| {page.name} | {matched / len(ref):.3f} | {matched / max(len(ours), 1):.3f} | {tables} | "
              f"{doc.metadata.get('published')} |")

    for pdf in sorted((corpus / "original").glob("*.pdf")):
        ref_path = corpus / f"{pdf.stem}.txt"
        doc = read_document(pdf)
        ref = squash(ref_path.read_text(encoding="utf-8")) if ref_path.exists() else ""
        ours = squash(doc.text)
        matched = sum(b.size for b in SequenceMatcher(None, ours, ref, autojunk=False).get_matching_blocks())
        print(f"\nPDF {pdf.name}: {doc.metadata.get('page_count')} pages, "
              f"{sum(1 for b in doc.blocks if b.kind == 'table')} ruled tables as grids, "
              f"{len(doc.metadata.get('page_number_lines', []))} page-number lines dropped; "
              f"characters vs pdftotext -layout: {len(ours)} vs {len(ref)}, "
              f"in-order match {matched / max(len(ref), 1):.3f}")
    print(f"\npeak RSS after reading everything: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
