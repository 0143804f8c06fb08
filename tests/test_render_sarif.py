"""SARIF 2.1.0: validated against the vendored OASIS schema; locations and regions checked against the demo."""

from __future__ import annotations

import json

import jsonschema
import pytest

from analyzer.model import Audit, AuditError, Finding
from analyzer.render.demo import build_demo
from analyzer.render.sarif import render_sarif
from analyzer.resources import schema_path


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(schema_path("sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


@pytest.fixture()
def demo(tmp_path):
    return build_demo(tmp_path)


def test_valid_against_schema(validator, demo):
    bad = Audit(file="broken.doc", error=AuditError("legacy_doc", "broken.doc: a legacy Word 97-2003 .doc file"))
    log = json.loads(render_sarif([demo.docx_audit, demo.text_audit, bad]))
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, errors[0]
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert len(run["results"]) == len(demo.docx_audit.findings) + len(demo.text_audit.findings)
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert inv["toolExecutionNotifications"][0]["descriptor"]["id"] == "legacy_doc"


def test_schema_rejects_a_broken_log(validator, demo):
    # the vendored schema is real: a result without a message is invalid
    log = json.loads(render_sarif([demo.docx_audit]))
    del log["runs"][0]["results"][0]["message"]
    assert list(validator.iter_errors(log))


def test_rules_have_help_and_results_point_at_them(demo):
    log = json.loads(render_sarif([demo.docx_audit]))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for res in run["results"]:
        rule = rules[res["ruleIndex"]]
        assert rule["id"] == res["ruleId"]
        assert rule["help"]["text"] and rule["shortDescription"]["text"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["TYPO-201"] == "error" and levels["BLR-501"] == "note" and levels["PUNC-301"] == "warning"


def test_logical_locations(demo):
    run = json.loads(render_sarif([demo.docx_audit]))["runs"][0]
    names = {r["ruleId"]: [ll["fullyQualifiedName"] for loc in r["locations"] for ll in loc.get("logicalLocations", [])]
             for r in run["results"]}
    assert names["TYPO-201"] == ["§一/p1"]
    assert names["PUNC-301"] == ["§五/p1"]
    assert names["TBL-101"] == ["表三/（七）总计/总计"]
    assert names["CON-201"] == []  # no location at all


def test_regions_only_for_text_files(demo):
    text_run = json.loads(render_sarif([demo.text_audit]))["runs"][0]
    res = next(r for r in text_run["results"] if r["ruleId"] == "TYPO-201")
    region = res["locations"][0]["physicalLocation"]["region"]
    text = demo.text_path.read_text(encoding="utf-8")
    assert text[region["charOffset"]:region["charOffset"] + region["charLength"]] == "负总表"
    line = text.split("\n")[region["startLine"] - 1]
    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "负总表"
    assert region["snippet"]["text"] == "负总表"

    docx_run = json.loads(render_sarif([demo.docx_audit]))["runs"][0]
    assert all("region" not in loc["physicalLocation"] for r in docx_run["results"] for loc in r["locations"])


def test_crlf_text_file_gets_lines_but_no_char_offsets(demo):
    # Document.text normalises CRLF; char offsets would be wrong in the file, line/column stay right
    demo.text_path.write_bytes(demo.text_path.read_bytes().replace(b"\n", b"\r\n"))
    run = json.loads(render_sarif([demo.text_audit]))["runs"][0]
    region = next(r for r in run["results"] if r["ruleId"] == "TYPO-201")["locations"][0]["physicalLocation"]["region"]
    assert "charOffset" not in region and region["startLine"] == 4


def test_unknown_rule_and_hostile_text_still_valid(validator, demo):
    demo.text_audit.findings.append(Finding("ZZZ-999", "format", "info", '"}]<script>', start=0, end=3))
    log = json.loads(render_sarif([demo.text_audit]))
    assert not list(validator.iter_errors(log))
    assert any(r["id"] == "ZZZ-999" for r in log["runs"][0]["tool"]["driver"]["rules"])
