"""Table extraction + table checks over a corpus folder: one markdown row per report.

    python benchmarks/table_status.py [corpus_dir]        (default: ../shared/corpus)

Per table (二, 三, 四): ``PASS`` (read reliably, every identity holds), ``FAIL rule…`` (an identity or value rule
fails), ``UNCERTAIN`` (read, but some identities could not be decided: run-together digits with several splits,
garbled rows), ``absent`` (no table, or an excerpt cut before it). Also prints check counts and timing.
Reads files by path only; nothing from the corpus is written anywhere.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.config import Config  # noqa: E402
from analyzer.model import Check, Finding  # noqa: E402
from analyzer.pipeline import run_checks  # noqa: E402
from analyzer.read import read_document  # noqa: E402
from analyzer.rules import CheckContext  # noqa: E402
from analyzer.structure import structure_document  # noqa: E402
from analyzer.tables import extract_tables  # noqa: E402

TABLE_RULES = ("TBL-", "FMT-408")
TABLE_OF_RULE = {"FMT-408": "二"}


def status_cell(table, checks: list[Check]) -> str:
    if table is None or table.status == "absent":
        return "absent"
    fails = sorted({c.rule for c in checks if c.status == "fail"})
    if fails:
        return "FAIL " + ",".join(fails)
    if table.status == "uncertain" or any(c.status == "uncertain" for c in checks):
        return "UNCERTAIN"
    return "PASS"


def main(corpus: Path) -> int:
    files = sorted(p for p in corpus.glob("*.txt") if p.name[:3].isdigit())
    # the saved originals (real HTML tables, a PDF, the blank .docx template) go through the grid readers
    files += sorted(p for p in (corpus / "original").glob("*") if p.suffix in (".html", ".pdf", ".docx"))
    print("| report | level | year | layout | 表二 | 表三 | 表四 | checks pass/fail/uncertain | extract ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    totals: Counter = Counter()
    per_table: Counter = Counter()
    elapsed_all = 0.0
    extract_ms: list[float] = []
    for path in files:
        t0 = time.perf_counter()
        report = structure_document(read_document(path))
        findings, checks = run_checks(report, CheckContext(Config()))
        elapsed_all += (time.perf_counter() - t0) * 1000
        doc = report.document
        t1 = time.perf_counter()
        extract_tables(doc, report.sections)  # timed alone: extraction of all three tables
        ms = (time.perf_counter() - t1) * 1000
        extract_ms.append(ms)
        checks = [c for c in checks if c.rule.startswith(TABLE_RULES)]
        findings = [f for f in findings if isinstance(f, Finding) and f.rule.startswith(TABLE_RULES)]
        cells = []
        for tid in ("二", "三", "四"):
            mine = [c for c in checks if (c.table or TABLE_OF_RULE.get(c.rule)) == tid and c.rule != "FMT-408"]
            cell = status_cell(report.tables.get(tid), mine)
            per_table[(tid, cell.split()[0])] += 1
            cells.append(cell)
        if any(c.rule == "FMT-408" and c.status == "fail" for c in checks):
            cells[0] += " +FMT-408"
        cnt = Counter(c.status for c in checks)
        totals.update(cnt)
        name = path.stem[:44] + ("" if path.suffix == ".txt" else path.suffix)
        print(f"| {name} | {report.level or '?'} | {report.year or '?'} | {report.format_version or '?'} | "
              + " | ".join(cells) + f" | {cnt['pass']}/{cnt['fail']}/{cnt['uncertain']} | {ms:.0f} |")
    print()
    print(f"{len(files)} reports; checks: pass {totals['pass']}, fail {totals['fail']}, "
          f"uncertain {totals['uncertain']}, not_assessable {totals['not_assessable']}; "
          f"total time {elapsed_all / 1000:.2f}s (read + structure + all checks of all rule modules)")
    extract_ms.sort()
    print(f"table extraction alone: median {extract_ms[len(extract_ms) // 2]:.1f} ms, "
          f"max {extract_ms[-1]:.1f} ms per report")
    for tid in ("二", "三", "四"):
        print(f"表{tid}: " + ", ".join(f"{k} {per_table[(tid, k)]}" for k in ("PASS", "FAIL", "UNCERTAIN", "absent")))
    return 0


if __name__ == "__main__":
    default = ROOT.parent / "shared" / "corpus"
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
