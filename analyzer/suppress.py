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
    if finding.category != "typo" or not finding.text:
        return False
    # an allowed term silences typo findings on it or inside any occurrence of it (“浙里” within 浙里办)
    text = report.text
    for term in config.allowed_terms:
        if finding.text == term:
            return True
        if finding.start is None or finding.end is None:
            continue
        k = text.find(term, max(0, finding.end - len(term)), finding.start + len(term))
        if k != -1 and k <= finding.start and finding.end <= k + len(term):
            return True
    return False
