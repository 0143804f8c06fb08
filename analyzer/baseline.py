"""Baselines: record today's findings, later show only the new ones.

``--write-baseline FILE`` stores one entry per finding, keyed by ``Finding.fingerprint`` (rule + flagged text + a
few whitespace-free characters of context, see ``Finding.compute_fingerprint``), so a resubmitted report whose
paragraphs were reflowed, re-paginated or moved still matches. ``--baseline FILE`` then drops every finding whose
fingerprint is recorded, counting duplicates: if the baseline holds a fingerprint once and the report now has it
twice, one is shown as new.

A baseline entry that names a unit only matches reports of that unit (or reports whose unit was not recognised),
so one baseline can hold a whole batch without one unit's accepted findings hiding another's.
Scores are not recomputed: the baseline changes what is shown, not how good the report is.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import NianbaoError
from .io import write_atomic
from .model import Audit, Finding

BASELINE_VERSION = 1


def fingerprint_of(finding: Finding, audit: Audit) -> str:
    """The finding's fingerprint, computed from the report text when the pipeline has not filled it."""
    if finding.fingerprint:
        return finding.fingerprint
    text = audit.report.text if audit.report is not None else ""
    return finding.compute_fingerprint(text)


def write_baseline(audits: list[Audit], path: str | Path) -> None:
    entries: list[dict[str, Any]] = []
    for audit in audits:
        if audit.error is not None:
            continue
        for f in audit.findings:
            entries.append({
                "fingerprint": fingerprint_of(f, audit),
                "rule": f.rule,
                "unit": audit.unit,
                "file": audit.file,
                "text": f.text,  # for the human reading a diff of the baseline; not used for matching
            })
    data = {"tool": "nianbao", "baseline_version": BASELINE_VERSION, "findings": entries}
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def read_baseline(path: str | Path) -> list[dict[str, Any]]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NianbaoError("baseline_invalid", f"{path}: baseline file not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NianbaoError("baseline_invalid", f"{path}: not a nianbao baseline ({exc})") from None
    if (not isinstance(data, dict) or data.get("tool") != "nianbao" or not isinstance(data.get("findings"), list)
            or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in data["findings"])):
        raise NianbaoError("baseline_invalid", f"{path}: not a nianbao baseline (written by --write-baseline)")
    if data.get("baseline_version") != BASELINE_VERSION:
        raise NianbaoError("baseline_invalid",
                           f"{path}: baseline version {data.get('baseline_version')!r} is not supported")
    return data["findings"]


def apply_baseline(audits: list[Audit], path: str | Path) -> list[Audit]:
    """Copies of ``audits`` holding only the findings not recorded in the baseline.

    ``extras["baseline"]`` records how many findings each audit had hidden.
    """
    entries = read_baseline(path)
    # fingerprint → remaining count per unit ("" = any unit)
    budget: dict[str, Counter[str]] = {}
    for e in entries:
        budget.setdefault(e["fingerprint"], Counter())[e.get("unit") or ""] += 1

    out: list[Audit] = []
    for audit in audits:
        if audit.error is not None:
            out.append(audit)
            continue
        kept: list[Finding] = []
        for f in audit.findings:
            counts = budget.get(fingerprint_of(f, audit))
            slot = _matching_slot(counts, audit.unit) if counts else None
            if slot is None:
                kept.append(f)
            else:
                counts[slot] -= 1
        new = replace(audit, findings=kept, extras=dict(audit.extras))
        new.extras["baseline"] = {"path": str(path), "hidden": len(audit.findings) - len(kept)}
        out.append(new)
    return out


def _matching_slot(counts: Counter[str], unit: str | None) -> str | None:
    """Which baseline bucket absorbs a finding of ``unit``: its own unit first, then unit-less entries."""
    if unit and counts.get(unit, 0) > 0:
        return unit
    if counts.get("", 0) > 0:
        return ""
    if not unit:  # the report's unit was not recognised: accept any unit's entry rather than flag everything new
        for slot, n in counts.items():
            if n > 0:
                return slot
    return None
