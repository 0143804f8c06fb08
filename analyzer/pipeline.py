"""The audit of one file, stage by stage: read → structure → check → score.

``audit_file`` never raises for a bad input: it returns an ``Audit`` whose ``error`` says what went wrong.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .config import Config
from .errors import NianbaoError
from .model import SEVERITY_ORDER, Audit, AuditError, Check, Finding, Report, SectionResult
from .rules import CHECKS, RULES, CheckContext, load_all_rules

log = logging.getLogger(__name__)

SECTION_TITLES = {
    "preamble": "前言（编制依据、统计期限）",
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
    "closing": "落款（署名、日期）",
}


def build_report(path: str | Path, config: Config) -> Report:
    """Read and structure a file (no checks). Raises NianbaoError for unreadable input."""
    from .read import read_document
    from .recognize import not_a_report_reason
    from .structure import structure_document

    report = structure_document(read_document(path, config))
    reason = not_a_report_reason(report)
    if reason:
        raise NianbaoError("not_a_report", f"{path}: not an annual report ({reason})")
    return report


def run_checks(report: Report, ctx: CheckContext) -> tuple[list[Finding], list[Check]]:
    load_all_rules()
    findings: list[Finding] = []
    checks: list[Check] = []
    for rule_ids, fn in CHECKS:
        rules = [RULES[r] for r in rule_ids]
        if not any(ctx.config.rule_enabled(r.id, r.default_enabled) for r in rules):
            continue
        if all(r.scope == "pair" for r in rules) and ctx.previous is None:
            continue
        if all(r.scope == "batch" for r in rules):
            continue
        for item in fn(report, ctx) or ():
            rule = RULES.get(item.rule)
            if rule is None:
                raise RuntimeError(f"check {fn.__name__} produced undeclared rule {item.rule}")
            if not ctx.config.rule_enabled(rule.id, rule.default_enabled):
                continue
            (findings if isinstance(item, Finding) else checks).append(item)
    # a stable order that does not depend on which rule module was imported first
    checks.sort(key=lambda c: (c.table or "", c.rule, c.row or "", c.column or ""))
    return finalize_findings(report, findings, ctx.config), checks


def finalize_findings(report: Report, findings: list[Finding], config: Config) -> list[Finding]:
    """Apply severity overrides and allow-lists, fill section/paragraph and fingerprints, sort, dedupe."""
    from .suppress import is_suppressed

    text = report.text
    out: list[Finding] = []
    seen: set[tuple] = set()
    for f in findings:
        if f.rule in config.severity_overrides:
            f.severity = config.severity_overrides[f.rule]  # type: ignore[assignment]
        if f.start is not None and f.section is None:
            sec = report.section_at(f.start)
            f.section = sec.id if sec else None
        if f.start is not None and f.paragraph is None:
            sec = report.section_at(f.start)
            if sec is not None:
                for i, p in enumerate(sec.paragraphs, 1):
                    if p.start <= f.start < p.end:
                        f.paragraph = i
                        break
        if f.start is not None and f.end is not None and f.text is None:
            f.text = text[f.start:f.end]
        if is_suppressed(f, report, config):
            continue
        f.fingerprint = f.compute_fingerprint(text)
        key = (f.rule, f.start, f.end, f.table, f.row, f.column, f.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    out.sort(key=lambda f: (f.start if f.start is not None else 10**9, -SEVERITY_ORDER[f.severity], f.rule))
    return out


def audit_report(report: Report, config: Config, previous: Report | None = None) -> Audit:
    ctx = CheckContext(config=config, previous=previous)
    findings, checks = run_checks(report, ctx)
    from .score import score_audit

    audit = Audit(
        file=report.document.path,
        format_version=report.format_version,
        unit=report.unit,
        level=report.level,
        year=report.year,
        published=report.published,
        title=report.title,
        sections=[
            SectionResult(id=sid, title=(report.section(sid).title if report.section(sid) else "") or SECTION_TITLES[sid],
                          present=report.section(sid) is not None)
            for sid in SECTION_TITLES
        ]
        + [SectionResult(id="extra", title=s.title, present=True) for s in report.sections if s.id == "extra"],
        checks=checks,
        findings=findings,
        source_format=report.document.source_format,
        is_excerpt=report.is_excerpt,
        report=report,
    )
    audit.extras.update(ctx.cache.get("extras", {}))
    score_audit(audit, config)
    return audit


def error_audit(path: str | Path, err: NianbaoError) -> Audit:
    return Audit(file=str(path), error=AuditError(code=err.code, message=err.message))


def audit_file(path: str | Path, config: Config | None = None, previous: str | Path | Report | None = None) -> Audit:
    """Audit one file; never raises for bad input (the Audit carries ``error`` instead)."""
    config = config or Config()
    try:
        report = build_report(path, config)
        prev_report, prev_error = None, None
        if isinstance(previous, Report):
            prev_report = previous
        elif previous is not None:
            try:
                prev_report = build_report(previous, config)
            except NianbaoError as err:
                # last year's file is unreadable: this year's report is still audited, without cross-year checks
                prev_error = {"code": err.code, "message": err.message}
        audit = audit_report(report, config, prev_report)
        if prev_error is not None:
            audit.extras["previous_error"] = prev_error
        return audit
    except NianbaoError as err:
        return error_audit(path, err)
    except Exception as exc:  # a bug; one file must not take down a batch
        log.debug("internal error on %s", path, exc_info=True)
        return error_audit(path, NianbaoError("internal_error", f"{path}: internal error ({type(exc).__name__}: {exc})"))


def worst_severity(audit: Audit) -> int:
    return max((SEVERITY_ORDER[f.severity] for f in audit.findings), default=-1)
