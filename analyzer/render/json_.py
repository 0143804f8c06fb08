"""The JSON contract (see README "JSON output" and analyzer/schemas/audit.schema.json): one object per file, one per
line when several files are audited. Fields are only ever added, never renamed or dropped."""

from __future__ import annotations

import json

from ..model import Audit


def audit_to_json(audit: Audit) -> str:
    return json.dumps(audit.to_dict(), ensure_ascii=False, separators=(",", ":"))


def render_json(audits: list[Audit]) -> str:
    if len(audits) == 1:
        return json.dumps(audits[0].to_dict(), ensure_ascii=False, indent=2) + "\n"
    return "".join(audit_to_json(a) + "\n" for a in audits)
