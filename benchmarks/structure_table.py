"""Print, for every report in the corpus, the sections found, unit, year, level and format version, next to the
values recorded by hand in SOURCES.tsv. Usage: python benchmarks/structure_table.py [../shared/corpus]

The README's "Structure on the corpus" table is this script's output.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from analyzer.config import Config
from analyzer.errors import NianbaoError
from analyzer.model import MANDATED_SECTIONS
from analyzer.pipeline import build_report

MARK = dict(zip(MANDATED_SECTIONS, "一二三四五六"))


def main(corpus: Path) -> int:
    with open(corpus / "SOURCES.tsv", encoding="utf-8") as fh:
        sources = {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}
    print("| file | sections found (一…六) | extra | unit (found) | unit (SOURCES) | year | level | format |")
    print("|---|---|---|---|---|---|---|---|")
    totals = {"files": 0, "year_ok": 0, "full": 0}
    for path in sorted(corpus.glob("*.txt")):
        truth = sources.get(path.name, {})
        try:
            r = build_report(path, Config())
        except NianbaoError as err:
            print(f"| {path.name} | error: {err.code} | | | | | | |")
            continue
        found = {s.id for s in r.sections}
        secs = "".join(MARK[s] if s in found else "·" for s in MANDATED_SECTIONS)
        extra = sum(1 for s in r.sections if s.id == "extra")
        year_ok = str(r.year) == truth.get("report_year")
        totals["files"] += 1
        totals["year_ok"] += year_ok
        totals["full"] += secs == "一二三四五六"
        name = path.name if len(path.name) < 44 else path.name[:41] + "…"
        print(f"| {name}{' (excerpt)' if r.is_excerpt else ''} | {secs} | {extra or ''} | {r.unit or '—'} | "
              f"{truth.get('issuing_body', '?')} | {r.year}{'' if year_ok else ' ✗'} | {r.level or '—'} "
              f"({truth.get('level', '?')}) | {r.format_version or '—'} |")
    print()
    print(f"{totals['files']} files; year right in {totals['year_ok']}; all six sections found in {totals['full']}.")
    return 0


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
