"""Scores: each report and each section get 0–100 from documented, configurable weights (``lexicons/score_weights.json``).

How a report score is made (worked example on the seed in docs/narrative.md):

1. Six components, each 0–100:
   - ``table``, ``structure``, ``writing``, ``copy``: start at 100 and lose ``penalty[severity]`` points per finding
     of the component's categories (``categories`` in the weights file), plus ``check_fail_penalty`` per failed
     table identity for ``table``; never below 0 (``component_cap`` bounds the loss, e.g. writing loses at most 60).
   - ``specificity``: blend of the narrative model (mean specificity of 总体情况 and 问题及改进 × 100) and
     100 − boilerplate-finding penalties;
   - ``completeness``: blend of the share of the five 总体情况 aspects covered × 100 and 100 − completeness
     penalties.
   A component with nothing to judge (no table checks and no table findings; no narrative) is left out.
2. Report score = Σ weight × component / Σ weight over the components present.

Section score: the same penalties restricted to findings located in the section, blended with the section's
specificity and completeness where they apply (``section`` weights). Scores are from findings and checks by category
and severity only — they never depend on particular rule ids, so new rules move scores without code changes here.
"""

from __future__ import annotations

import copy
from typing import Any

from .config import Config
from .model import Audit, Finding
from .resources import load_json_lexicon

COMPONENT_NAMES = {
    "table": "表格勾稽", "structure": "结构格式", "writing": "文字差错", "copy": "雷同复制",
    "specificity": "具体程度", "completeness": "内容完整",
}


def load_weights(config: Config | None = None) -> dict[str, Any]:
    """Default weights from the lexicon, overridden by flat config keys such as ``report.table`` or ``penalty.error``."""
    w = copy.deepcopy(load_json_lexicon("score_weights.json"))
    for key, value in ((config.weights if config else {}) or {}).items():
        parts = key.split(".")
        node = w
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = float(value)
    return w


def _penalty(findings: list[Finding], w: dict[str, Any]) -> float:
    return sum(float(w["penalty"].get(f.severity, 0)) for f in findings)


def _clamp(x: float) -> float:
    return max(0.0, min(100.0, x))


def _findings_component(name: str, findings: list[Finding], w: dict[str, Any], extra_penalty: float = 0.0) -> float:
    loss = _penalty(findings, w) + extra_penalty
    cap = w.get("component_cap", {}).get(name)
    if cap is not None:
        loss = min(loss, float(cap))
    return _clamp(100.0 - loss)


def _narrative(audit: Audit) -> dict[str, Any]:
    return audit.extras.get("narrative") or {}


def components(audit: Audit, w: dict[str, Any]) -> dict[str, dict[str, Any]]:
    cats = w["categories"]
    by_comp = {c: [f for f in audit.findings if f.category in cats[c]] for c in cats}
    out: dict[str, dict[str, Any]] = {}
    # table identities only (CON-1xx consistency checks and the copy check are charged as findings elsewhere)
    failed = [c for c in audit.checks if c.status == "fail" and c.table in ("二", "三", "四")]
    report = audit.report
    absent = [] if report is None or report.is_excerpt else [
        t for t in ("二", "三", "四") if report.tables.get(t) is None or report.tables[t].status == "absent"]
    if audit.checks or by_comp["table"] or absent:
        loss = float(w["check_fail_penalty"]) * len(failed) + float(w.get("table_absent_penalty", 0)) * len(absent)
        out["table"] = {"score": _findings_component("table", by_comp["table"], w, loss),
                        "findings": len(by_comp["table"]), "failed_checks": len(failed), "absent_tables": absent}
    for c in ("structure", "writing"):
        out[c] = {"score": _findings_component(c, by_comp[c], w), "findings": len(by_comp[c])}
    # year-over-year 重复率 (when --previous was given) costs points in proportion, not only above the threshold
    ratio = (audit.extras.get("copy") or {}).get("ratio")
    ratio_loss = float(w.get("copy_ratio_points", 0.0)) * float(ratio) if ratio is not None else 0.0
    out["copy"] = {"score": _findings_component("copy", by_comp["copy"], w, ratio_loss), "findings": len(by_comp["copy"])}
    if ratio is not None:
        out["copy"]["ratio"] = round(float(ratio), 3)
    nar = _narrative(audit)
    present = {s.id for s in audit.sections if s.present}
    specs = [_specificity_or_empty(nar, sid) for sid in ("overview", "problems") if sid in present]
    specs = [x for x in specs if x is not None]
    if specs:
        model = 100.0 * sum(specs) / len(specs)
        fpart = _findings_component("specificity", by_comp["specificity"], w)
        b = w["specificity_blend"]
        out["specificity"] = {"score": _clamp(b["model"] * model + b["findings"] * fpart), "model": round(model, 1),
                              "findings": len(by_comp["specificity"])}
    elif by_comp["specificity"]:
        out["specificity"] = {"score": _findings_component("specificity", by_comp["specificity"], w),
                              "findings": len(by_comp["specificity"])}
    fpart = _findings_component("completeness", by_comp["completeness"], w)
    if "aspect_share" in nar:
        b = w["completeness_blend"]
        out["completeness"] = {"score": _clamp(b["aspects"] * 100.0 * nar["aspect_share"] + b["findings"] * fpart),
                               "aspects": round(100.0 * nar["aspect_share"], 1),
                               "findings": len(by_comp["completeness"])}
    else:
        out["completeness"] = {"score": fpart, "findings": len(by_comp["completeness"])}
    return out


def _section_score(audit: Audit, sid: str, w: dict[str, Any]) -> float:
    findings = [f for f in audit.findings if f.section == sid]
    parts: list[tuple[float, float]] = [(float(w["section"]["findings"]), _clamp(100.0 - _penalty(findings, w)))]
    if sid in ("proactive", "requests", "review_litigation"):
        failed = sum(1 for c in audit.checks if c.status == "fail" and _table_section(c.table) == sid)
        parts[0] = (parts[0][0], _clamp(parts[0][1] - float(w["check_fail_penalty"]) * failed))
    spec = _specificity_or_empty(_narrative(audit), sid)
    if spec is not None:
        parts.append((float(w["section"]["specificity"]), 100.0 * spec))
    if sid == "overview" and "aspect_share" in _narrative(audit):
        parts.append((float(w["section"]["completeness"]), 100.0 * _narrative(audit)["aspect_share"]))
    total = sum(p[0] for p in parts)
    if total <= 0:  # every section weight configured to 0: fall back to the findings part alone
        return round(parts[0][1], 1)
    return round(sum(p[0] * p[1] for p in parts) / total, 1)


def _specificity_or_empty(nar: dict[str, Any], sid: str) -> float | None:
    """A narrative section's specificity; a 总体情况 or 问题及改进 that is present but says nothing scores 0, so that
    deleting the content of a section can never raise the score."""
    sec = nar.get("sections", {}).get(sid)
    if sec is None:
        return None
    if sec.get("specificity") is None and sid in ("overview", "problems"):
        return 0.0
    return sec.get("specificity")


def _table_section(table: str | None) -> str | None:
    return {"二": "proactive", "三": "requests", "四": "review_litigation"}.get(table or "")


def score_audit(audit: Audit, config: Config) -> None:
    """Set ``audit.score``, each present section's score and ``audit.score_breakdown``."""
    if audit.error is not None:
        audit.score = None
        return
    w = load_weights(config)
    comps = components(audit, w)
    weights = w["report"]
    used = {c: float(weights.get(c, 0.0)) for c in comps if float(weights.get(c, 0.0)) > 0}
    total_w = sum(used.values())
    audit.score = round(sum(used[c] * comps[c]["score"] for c in used) / total_w, 1) if total_w else None
    for s in audit.sections:
        s.score = _section_score(audit, s.id, w) if s.present else None
    explanation = []
    for c in used:
        d = comps[c]
        detail = [f"{d['findings']} 项问题"]
        if "failed_checks" in d:
            detail.append(f"{d['failed_checks']} 项勾稽不符")
        if d.get("absent_tables"):
            detail.append("缺表" + "、".join(d["absent_tables"]))
        if "model" in d:
            detail.append(f"模型具体程度 {d['model']:.0f}")
        if "ratio" in d:
            detail.append(f"与上年重复率 {d['ratio']:.0%}")
        if "aspects" in d:
            detail.append(f"五方面覆盖 {d['aspects']:.0f}%")
        explanation.append(f"{COMPONENT_NAMES[c]} {d['score']:.0f} × 权重 {used[c] / total_w:.2f}（{'，'.join(detail)}）")
    audit.score_breakdown = {
        **{c: round(comps[c]["score"], 1) for c in comps},
        "components": {c: {k: (round(v, 1) if isinstance(v, float) else v) for k, v in d.items()}
                       for c, d in comps.items()},
        "weights": {c: round(v / total_w, 3) for c, v in used.items()} if total_w else {},
        "explanation": explanation,
        "formula": "score = Σ weight × component / Σ weight (lexicons/score_weights.json)",
    }
