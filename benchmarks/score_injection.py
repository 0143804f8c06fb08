"""Do scores move the right way? Inject one fault at a time into a real report and measure the score drop.

    python benchmarks/score_injection.py [--corpus ../shared/corpus]

Base report: 073_pingtan_gov_office_2022.txt (no table identity fails, all five aspects headed, problems and
measures more concrete than most), audited with the unit's earlier report 072_pingtan_gov_office_2020.txt as
--previous. Faults:
  table      a broken table identity (本年新收 总计 16 → 19 in table 三, nothing else changed)
  typos      three official terms mistyped (政务公开→政务公共, 政府信息公开指南→政府信息公开指喃, 负总责→负总表 inserted)
  copied     a paragraph of the previous report pasted into 总体情况
  aspect     the 监督保障 sub-section of 总体情况 removed (the only place the report mentions that aspect)
  slogans    五、存在的主要问题及改进情况 replaced by slogans
The test ``tests/test_score_injection.py`` asserts each drop is at least the minimum documented in docs/narrative.md.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BASE = "073_pingtan_gov_office_2022.txt"
PREVIOUS = "072_pingtan_gov_office_2020.txt"

SLOGANS = ("五、存在的主要问题及改进情况一是政府信息公开工作还有待进一步加强，工作人员业务能力有待进一步提高。"
           "二是信息公开的及时性、准确性还不够。下一步，我们将进一步加强组织领导，不断提高政府信息公开工作水平，"
           "切实保障人民群众的知情权、参与权、表达权和监督权，推动政府信息公开工作再上新台阶。")


def _sub_once(pattern: str, repl: str, text: str) -> str:
    new, n = re.subn(pattern, repl, text, count=1)
    if n != 1:
        raise ValueError(f"injection pattern not found: {pattern}")
    return new


def injections(base: str, previous: str) -> dict[str, str]:
    out = {}
    out["table"] = _sub_once(r"(一、本年新收政府信息公开申请数量 1420000)16", r"\g<1>19", base)
    t = _sub_once("政府信息公开指南", "政府信息公开指喃", base)
    t = _sub_once("政务公开", "政务公共", t)
    out["typos"] = _sub_once("（五）监督保障情况", "（五）监督保障情况由分管领导负总表，", t)
    # a paragraph of the previous report: its （三）完善制度 sub-section
    m = re.search(r"（三）完善制度，长效管理.*?(?=二、主动公开政府信息情况)", previous, flags=re.S)
    if m is None:
        raise ValueError("paragraph to copy not found in the previous report")
    out["copied"] = _sub_once(r"（五）监督保障情况", m.group(0) + "（五）监督保障情况", base)
    # 监督保障 is the aspect this report mentions only in its own sub-section (the others recur elsewhere)
    out["aspect"] = _sub_once(r"（五）监督保障情况.*?(?=二、主动公开政府信息情况)", "", base)
    out["slogans"] = _sub_once(r"五、存在的主要问题及改进情况.*?(?=六、其他需要报告的事项)", SLOGANS, base)
    return out


def measure(corpus: Path) -> dict[str, dict]:
    from analyzer.config import Config
    from analyzer.pipeline import audit_file

    base = (corpus / BASE).read_text(encoding="utf-8")
    previous = corpus / PREVIOUS
    cfg = Config()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        def run(name: str, text: str):
            p = Path(tmp) / f"{name}.txt"
            p.write_text(text, encoding="utf-8")
            a = audit_file(p, cfg, previous=previous)
            return a

        ref = run("base", base)
        results["base"] = {"score": ref.score, "breakdown": {k: v for k, v in ref.score_breakdown.items()
                                                              if isinstance(v, float)}}
        for name, text in injections(base, previous.read_text(encoding="utf-8")).items():
            a = run(name, text)
            results[name] = {
                "score": a.score, "drop": round(ref.score - a.score, 1),
                "component_drops": {k: round(ref.score_breakdown[k] - v, 1) for k, v in a.score_breakdown.items()
                                    if isinstance(v, float) and k in ref.score_breakdown
                                    and abs(ref.score_breakdown[k] - v) >= 0.05},
                "new_rules": sorted({f.rule for f in a.findings} - {f.rule for f in ref.findings}),
            }
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    args = ap.parse_args()
    res = measure(Path(args.corpus))
    print(f"base {BASE}: score {res['base']['score']}  {res['base']['breakdown']}")
    for name, r in res.items():
        if name == "base":
            continue
        print(f"{name:8s} score {r['score']:5.1f}  drop {r['drop']:4.1f}  components {r['component_drops']}  "
              f"new rules {r['new_rules']}")


if __name__ == "__main__":
    main()
