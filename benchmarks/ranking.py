"""Rank the corpus by score, for a person to judge whether the order makes sense.

    python benchmarks/ranking.py [--corpus ../shared/corpus] [--previous] [--full-only]

Audits every report with the default configuration and prints one line per report, best first: score, the six
components (表格 table, 结构 structure, 文字 writing, 复制 copy, 具体 specificity, 完整 completeness), the narrative
specificity of 总体情况 / 问题及改进, the aspects 总体情况 misses, and the file. ``--previous`` audits each report
against the same unit's closest earlier report in the folder (so the copy component counts). Excerpts are marked ✂.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ABBR = {"table": "表", "structure": "构", "writing": "文", "copy": "复", "specificity": "具", "completeness": "全"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    ap.add_argument("--previous", action="store_true", help="audit against the unit's earlier report")
    ap.add_argument("--full-only", action="store_true", help="skip excerpts")
    args = ap.parse_args()
    from analyzer.config import Config
    from analyzer.narrative.corpus import unit_key
    from analyzer.pipeline import audit_file

    files = [p for p in sorted(Path(args.corpus).glob("*.txt")) if p.name[0].isdigit()]
    if args.full_only:
        files = [p for p in files if "excerpt" not in p.name]
    year = {p: int(m.group(1)) if (m := re.search(r"_((?:19|20)\d{2})", p.name)) else 0 for p in files}
    rows = []
    for p in files:
        prev = None
        if args.previous:
            earlier = [q for q in files if unit_key(q.name) == unit_key(p.name) and 0 < year[q] < year[p]]
            prev = max(earlier, key=lambda q: year[q]) if earlier else None
        a = audit_file(p, Config(), previous=prev)
        if a.error is not None:
            rows.append((-1.0, f"  error {a.error.code}", p.name))
            continue
        b = a.score_breakdown
        comps = " ".join(f"{ABBR[c]}{b[c]:3.0f}" if c in b else f"{ABBR[c]}  -" for c in ABBR)
        nar = a.extras.get("narrative", {})
        spec = "/".join(f"{nar['sections'][s]['specificity'] * 100:.0f}"
                        if s in nar.get("sections", {}) and nar["sections"][s]["specificity"] is not None else "-"
                        for s in ("overview", "problems"))
        missing = [k for k, v in nar.get("aspects", {}).items() if not v["covered"]]
        mark = "✂" if a.is_excerpt else " "
        rows.append((a.score, f"{comps}  具体 {spec:7s} 缺 {','.join(missing) or '-':20s}", mark + p.name))
    rows.sort(key=lambda r: -r[0])
    full = [r for r in rows if not r[2].startswith("✂")]
    parts = [r for r in rows if r[2].startswith("✂")]
    print(f"complete reports ({len(full)}), best first:")
    for i, (score, detail, name) in enumerate(full, 1):
        print(f"{i:3d} {score:5.1f}  {detail}  {name}")
    if parts:
        print(f"\nexcerpts ({len(parts)}; only their first 1-2k characters exist, so scores are not comparable):")
        for i, (score, detail, name) in enumerate(parts, 1):
            print(f"{i:3d} {score:5.1f}  {detail}  {name}")


if __name__ == "__main__":
    main()
