"""The CLI end to end, through the installed console entry point (typer's runner) and a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.resources import schema_path

runner = CliRunner()
SCHEMA = json.loads(schema_path("audit.schema.json").read_text(encoding="utf-8"))

REPORT = "\n".join([
    "测试镇人民政府", "2023年政府信息公开工作年度报告",
    "本报告根据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号编制，统计期限为2023年1月1日至2023年12月31日。",
    "一、总体情况", "2023年，我镇主动公开政府信息120条，收到政府信息公开申请2件。",
    "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
    "六、其他需要报告的事项", "本年度未收取信息处理费。", "测试镇人民政府", "2024年1月20日",
])


def _write(tmp_path: Path, name: str, text: str, encoding="utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_version_does_not_load_nlp_libraries():
    code = ("import sys\nfrom analyzer import cli\n"
            "try:\n    cli.app(['--version'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('spacy', 'jieba', 'sklearn', 'docx', 'pdfplumber') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
    assert out.startswith("nianbao ")


def test_json_output_follows_the_schema_and_reports_missing_section(tmp_path):
    f = _write(tmp_path, "r.txt", REPORT)
    res = runner.invoke(app, ["audit", str(f), "--format", "json"])
    assert res.exit_code == 1, res.output
    data = json.loads(res.stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["unit"] == "测试镇人民政府" and data["year"] == 2023 and data["level"] == "township"
    missing = [x for x in data["findings"] if x["rule"] == "STR-101"]
    assert [x["section"] for x in missing] == ["problems"]
    present = {s["id"]: s["present"] for s in data["sections"]}
    assert present["problems"] is False and present["overview"] is True


def test_several_files_give_one_json_object_per_line(tmp_path):
    a = _write(tmp_path, "a.txt", REPORT)
    b = _write(tmp_path, "b.txt", REPORT.replace("测试镇", "样例镇"), encoding="gb18030")
    res = runner.invoke(app, ["audit", str(a), str(b), "--format", "json"])
    lines = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    assert [d["unit"] for d in lines] == ["测试镇人民政府", "样例镇人民政府"]
    for d in lines:
        jsonschema.validate(d, SCHEMA)


def test_unreadable_file_exit_2_with_error_code(tmp_path):
    missing = tmp_path / "nope.txt"
    empty = _write(tmp_path, "empty.txt", "")
    res = runner.invoke(app, ["audit", str(missing), str(empty), "--format", "json"])
    assert res.exit_code == 2
    objs = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    assert [o["error"]["code"] for o in objs] == ["not_found", "empty_file"]
    for o in objs:
        jsonschema.validate(o, SCHEMA)
    assert "Traceback" not in res.output


def test_output_file_written_and_input_protected(tmp_path):
    f = _write(tmp_path, "r.txt", REPORT)
    out = tmp_path / "out" / "r.json"
    res = runner.invoke(app, ["audit", str(f), "--format", "json", "-o", str(out)])
    assert res.exit_code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["file"] == str(f)
    before = f.read_bytes()
    res = runner.invoke(app, ["audit", str(f), "-o", str(f)])
    assert res.exit_code == 2 and f.read_bytes() == before


def test_fail_level_drives_exit_code(tmp_path):
    full = REPORT.replace("六、其他需要报告的事项", "五、存在的主要问题及改进情况\n人员不足。\n六、其他需要报告的事项")
    f = _write(tmp_path, "r.txt", full)
    info = runner.invoke(app, ["audit", str(f), "--format", "json", "--fail-level", "info"])
    data = json.loads(info.stdout)
    worst = {x["severity"] for x in data["findings"]}
    assert info.exit_code == (1 if worst else 0)
    bad = runner.invoke(app, ["audit", str(f), "--fail-level", "fatal"])
    assert bad.exit_code == 2


def test_text_command_prints_sections(tmp_path):
    f = _write(tmp_path, "r.txt", REPORT)
    res = runner.invoke(app, ["text", str(f)])
    assert res.exit_code == 0
    assert "[overview]" in res.stdout and "unit:           测试镇人民政府" in res.stdout
    raw = runner.invoke(app, ["text", str(f), "--raw"])
    assert raw.stdout == REPORT


def test_rules_command_lists_and_explains():
    res = runner.invoke(app, ["rules"])
    assert res.exit_code == 0 and "STR-101" in res.stdout
    one = runner.invoke(app, ["rules", "STR-101"])
    assert "Why" in one.stdout and "Fails" in one.stdout and "Passes" in one.stdout
    assert runner.invoke(app, ["rules", "XXX-999"]).exit_code == 2


def test_unknown_format_is_misuse(tmp_path):
    f = _write(tmp_path, "r.txt", REPORT)
    assert runner.invoke(app, ["audit", str(f), "--format", "yaml"]).exit_code == 2


def test_same_score_whatever_the_hash_seed(tmp_path):
    f = _write(tmp_path, "r.txt", REPORT.replace("六、其他需要报告的事项", "五、存在的主要问题及改进情况\n一是人员不足。下一步，加强培训。\n六、其他需要报告的事项"))
    outs = set()
    for seed in ("1", "2", "3"):
        env = {**__import__("os").environ, "PYTHONHASHSEED": seed}
        res = subprocess.run([sys.executable, "-m", "analyzer.cli", "audit", str(f), "--format", "json"],
                             capture_output=True, text=True, env=env)
        data = json.loads(res.stdout)
        outs.add(json.dumps([data["score"], data["findings"], data["checks"]], ensure_ascii=False, sort_keys=True))
    assert len(outs) == 1


def test_output_file_gets_normal_permissions(tmp_path):
    import os
    import stat

    f = _write(tmp_path, "r.txt", REPORT)
    out = tmp_path / "r.json"
    runner.invoke(app, ["audit", str(f), "--format", "json", "-o", str(out)])
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
