"""SARIF 2.1.0 output (``--format sarif``): one run, every rule with its help text, one result per finding.

Each result carries a logical location a reviewer can read (``§五/p3``, ``表三/（七）总计/自然人``) and, when the input
is a plain-text file, a physical region (line/column, plus the character offset when ``Document.text`` is exactly
the file's decoded content), so code-scanning viewers can jump to it. For .docx/.html/.pdf input there is no text
region to point at in the file, so only the artifact and the logical location are given.

Files that could not be audited appear as error notifications of the invocation, with their stable error code.
The output validates against the vendored OASIS schema ``analyzer/schemas/sarif-2.1.0.json`` (see tests).
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from ..model import Audit, Finding
from ..rules import Rule
from .locations import logical_location, rule_catalog, rule_for

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
MIME_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text": "text/plain",
    "html": "text/html",
    "pdf": "application/pdf",
}


def render_sarif(audits: list[Audit]) -> str:
    catalog = rule_catalog()
    used = {f.rule: f for a in audits for f in a.findings}
    # Every registered rule is listed (viewers show the catalogue); unknown ids seen in findings are appended.
    rule_ids = sorted(catalog) + sorted(r for r in used if r not in catalog)
    rules = [rule_for(r, used[r].category if r in used else "", used[r].severity if r in used else "warning")
             for r in rule_ids]
    rule_index = {r.id: i for i, r in enumerate(rules)}

    artifacts: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for audit in audits:
        art_index = len(artifacts)
        artifacts.append(_artifact(audit))
        if audit.error is not None:
            notifications.append({
                "level": "error",
                "message": {"text": audit.error.message},
                "descriptor": {"id": audit.error.code},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(audit.file), "index": art_index}}}],
            })
            continue
        regions = _RegionMapper(audit)
        for f in audit.findings:
            results.append(_result(f, audit, art_index, rule_index[f.rule], regions))

    run: dict[str, Any] = {
        "tool": {"driver": _driver(rules)},
        "invocations": [{
            "executionSuccessful": not notifications,
            "toolExecutionNotifications": notifications,
        }],
        "artifacts": artifacts,
        "columnKind": "unicodeCodePoints",  # our offsets count code points, not UTF-16 units
        "results": results,
    }
    log = {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- pieces


def _driver(rules: list[Rule]) -> dict[str, Any]:
    driver: dict[str, Any] = {
        "name": "nianbao",
        "fullName": "nianbao — 政府信息公开工作年度报告审核",
        "rules": [_rule_descriptor(r) for r in rules],
    }
    version = _version()
    if version:
        driver["version"] = version
        driver["semanticVersion"] = version
    return driver


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    help_text = rule.rationale or rule.title
    help_md = help_text
    if rule.example_fail:
        help_text += f"\n不合格示例：{rule.example_fail}"
        help_md += f"\n\n**不合格示例：** {rule.example_fail}"
    if rule.example_pass:
        help_text += f"\n合格示例：{rule.example_pass}"
        help_md += f"\n\n**合格示例：** {rule.example_pass}"
    desc: dict[str, Any] = {
        "id": rule.id,
        "name": rule.id.replace("-", ""),
        "shortDescription": {"text": rule.title},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning"), "enabled": rule.default_enabled},
        "properties": {"category": rule.category, "scope": rule.scope, "tags": [rule.category] if rule.category else []},
    }
    if rule.rationale:
        desc["fullDescription"] = {"text": rule.rationale}
    return desc


def _artifact(audit: Audit) -> dict[str, Any]:
    art: dict[str, Any] = {"location": {"uri": _uri(audit.file)}}
    mime = MIME_TYPES.get(audit.source_format or "")
    if mime:
        art["mimeType"] = mime
    report = audit.report
    if report is not None and audit.source_format == "text":
        enc = report.document.metadata.get("encoding")
        if enc:
            art["encoding"] = enc
    return art


def _result(f: Finding, audit: Audit, art_index: int, rule_index: int, regions: "_RegionMapper") -> dict[str, Any]:
    text = f.message + (f"（建议：{f.suggestion}）" if f.suggestion else "")
    phys: dict[str, Any] = {"artifactLocation": {"uri": _uri(audit.file), "index": art_index}}
    region = regions.region(f)
    if region:
        phys["region"] = region
    location: dict[str, Any] = {"physicalLocation": phys}
    logical = logical_location(f, audit.report)
    if logical:
        location["logicalLocations"] = [{
            "fullyQualifiedName": logical,
            "kind": "tableCell" if f.table else "paragraph",
        }]
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVELS.get(f.severity, "warning"),
        "kind": "fail",
        "message": {"text": text},
        "locations": [location],
        "properties": {"category": f.category},
    }
    if f.fingerprint:
        result["partialFingerprints"] = {"nianbaoFingerprint/v1": f.fingerprint}
    if f.suggestion:
        result["properties"]["suggestion"] = f.suggestion
    if f.evidence:
        result["properties"]["evidence"] = f.evidence
    return result


class _RegionMapper:
    """Character offsets → SARIF regions, only for text inputs whose lines are the lines of ``Document.text``."""

    def __init__(self, audit: Audit):
        self.text: str | None = None
        self.exact = False
        report = audit.report
        if report is None or audit.source_format != "text":
            return
        self.text = report.document.text
        self.exact = _file_matches(Path(audit.file), self.text, report.document.metadata.get("encoding"))

    def region(self, f: Finding) -> dict[str, Any] | None:
        if self.text is None or f.start is None or f.end is None or not 0 <= f.start <= f.end <= len(self.text):
            return None
        sl, sc = self._line_col(f.start)
        el, ec = self._line_col(f.end)
        region: dict[str, Any] = {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec,
                                  "snippet": {"text": self.text[f.start:f.end]}}
        if self.exact:
            region["charOffset"] = f.start
            region["charLength"] = f.end - f.start
        return region

    def _line_col(self, offset: int) -> tuple[int, int]:
        assert self.text is not None
        line = self.text.count("\n", 0, offset) + 1
        col = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, col


def _file_matches(path: Path, text: str, encoding: str | None) -> bool:
    """True when the file decodes to exactly ``text`` (no BOM, no CRLF), so char offsets are valid in the file."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    for enc in filter(None, (encoding, "utf-8", "gb18030")):
        try:
            return data.decode(enc) == text
        except (UnicodeDecodeError, LookupError):
            continue
    return False


def _uri(file: str) -> str:
    p = PurePath(file)
    if p.is_absolute():
        return Path(file).as_uri()
    return quote(p.as_posix())  # a URI reference: percent-encode Chinese file names


def _version() -> str | None:
    try:
        return metadata.version("nianbao")
    except metadata.PackageNotFoundError:
        return None
