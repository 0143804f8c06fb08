"""Allow-lists from the configuration: silence a rule, or a span, for everyone or for one unit."""

from __future__ import annotations

from .config import Config
from .model import Finding, Report


def is_suppressed(finding: Finding, report: Report, config: Config) -> bool:
    for entry in config.allow:
        rule = entry.get("rule")
        text = entry.get("text")
        unit = entry.get("unit")
        if rule and not (finding.rule == rule or (rule.endswith("-") and finding.rule.startswith(rule))):
            continue
        if text and (finding.text or "") != text and text not in (finding.text or ""):
            continue
        if unit and unit != (report.unit or ""):
            continue
        if rule or text:
            return True
    return finding.text is not None and finding.category == "typo" and finding.text in config.allowed_terms
