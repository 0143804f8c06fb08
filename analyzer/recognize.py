"""Is this file an annual report at all? (A README, a spreadsheet export, a blank template are not.)"""

from __future__ import annotations

from collections import Counter

from .model import Report


def not_a_report_reason(report: Report) -> str | None:
    """Why a file that reads fine is not an annual report (README, spreadsheet, blank template), or None.

    Conservative on purpose: excerpts of real reports (one section, a few hundred characters) must stay reports.
    ``pipeline.build_report`` raises ``not_a_report`` with this reason, so ``audit`` and ``batch`` agree.
    """
    from .copy import narrative_of
    from .model import MANDATED_SECTIONS

    text = report.text
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) >= 5:
        tabs = Counter(ln.count("\t") for ln in lines)
        common, count = tabs.most_common(1)[0]
        if common >= 2 and count >= 0.8 * len(lines):
            return "a table of data (one record per line), not a report"
    found = sum(1 for s in report.sections if s.id in MANDATED_SECTIONS)
    if found == 0:
        return "none of the six sections of the national format was found"
    if report.year is None and narrative_of(report).size < 50:
        return "a blank template (headings and table labels only, no year, no text of its own)"
    head = text[:800]
    if found == 1 and not ("信息公开" in head and "报告" in head):
        return "only one section heading and no annual-report title or opening"
    return None
