"""Terminal output: one line per finding, ``file:§section:offset: RULE message (→ suggestion)``, then table checks that
did not pass, then a summary with the score and how it is made. Colour only when writing to a terminal."""

from __future__ import annotations

import re
from collections import Counter

from ..model import Audit

SECTION_MARK = {
    "preamble": "前言", "overview": "一", "proactive": "二", "requests": "三", "review_litigation": "四",
    "problems": "五", "other": "六", "closing": "落款", "extra": "其他",
}
_SEV_STYLE = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_RESET = "\x1b[0m"


def _loc(audit: Audit, f) -> str:
    sec = SECTION_MARK.get(f.section or "", "-")
    if f.table and f.start is None:
        parts = [f"表{f.table}"] + [p for p in (f.row, f.column) if p]
        return f"{audit.file}:{'/'.join(parts)}"
    para = f"/p{f.paragraph}" if f.paragraph else ""
    return f"{audit.file}:§{sec}{para}:{f.start if f.start is not None else '-'}"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(s: str) -> str:
    """Report text may carry control characters (an ESC sequence would drive the terminal): show them as �."""
    return _CONTROL.sub("\ufffd", s)


def render_text(audits: list[Audit], *, color: bool = False) -> str:
    lines: list[str] = []
    for audit in audits:
        if audit.error:
            # the message already names the file
            lines.append(f"error [{audit.error.code}] {audit.error.message}")
            continue
        for f in audit.findings:
            sev = f.severity
            tag = f"{_SEV_STYLE[sev]}{f.rule}{_RESET}" if color else f.rule
            sugg = f" (→ {f.suggestion})" if f.suggestion else ""
            quoted = f" 「{f.text}」" if f.text and len(f.text) <= 40 and f.text not in f.message else ""
            lines.append(_clean(f"{_loc(audit, f)}: ") + f"{tag} [{sev}] " + _clean(f"{f.message}{quoted}{sugg}"))
        lines.extend(_clean(line) for line in _summary(audit))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _summary(audit: Audit) -> list[str]:
    out = []
    meta = " · ".join(str(x) for x in (audit.unit, audit.year and f"{audit.year}年", audit.level,
                                        audit.format_version and f"{audit.format_version}版格式") if x)
    out.append(f"── {audit.file}" + (f"  ({meta})" if meta else "") + (" [节选/partial]" if audit.is_excerpt else ""))
    missing = [s.title for s in audit.sections if not s.present and s.id not in ("preamble", "closing")]
    if missing:
        out.append("   缺少部分: " + "；".join(missing))
    statuses = Counter(c.status for c in audit.checks)
    if audit.checks:
        out.append("   表格勾稽: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    sev = Counter(f.severity for f in audit.findings)
    cats = Counter(f.category for f in audit.findings)
    out.append(f"   问题: {sev.get('error', 0)} error, {sev.get('warning', 0)} warning, {sev.get('info', 0)} info"
               + (" (" + ", ".join(f"{k} {v}" for k, v in cats.most_common()) + ")" if cats else ""))
    if audit.score is not None:
        out.append(f"   得分 score: {audit.score:.0f}/100")
        for part in audit.score_breakdown.get("explanation", []):
            out.append(f"     {part}")
        sec_scores = [f"{s.title[:10]} {s.score:.0f}" for s in audit.sections if s.score is not None]
        if sec_scores:
            out.append("   分部分: " + " | ".join(sec_scores))
    return out
