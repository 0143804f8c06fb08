"""The README's rule table is generated from the registry; this test fails when they differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer import docs_gen
from analyzer.rules import Rule


def test_readme_rule_table_matches_registry():
    from analyzer.rules import load_all_rules

    # the repository's README (the installed package has none beside it)
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert docs_gen.current_block(text) is not None, "README.md lost its rules:start/rules:end markers"
    expected = docs_gen.render_block(load_all_rules())
    assert docs_gen.current_block(text) == expected, \
        "README rule table is out of date: run `python -m analyzer.docs_gen --write`"


RULES = {
    "TYPO-201": Rule("TYPO-201", "错别字 | 常见混淆", "typo", "error", "r"),
    "STR-101": Rule("STR-101", "缺少\n必备部分", "structure", "error", "r"),
    "CPY-702": Rule("CPY-702", "跨单位雷同", "copy", "info", "r", scope="batch", default_enabled=False),
    "TBL-101": Rule("TBL-101", "表三 恒等式", "table", "error", "r"),
    "TBL-110": Rule("TBL-110", "表三 分项", "table", "warning", "r"),
}


def test_table_rows_order_and_escaping():
    table = docs_gen.rules_table(RULES)
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert [r.split("`")[1] for r in rows] == ["STR-101", "TBL-101", "TBL-110", "TYPO-201", "CPY-702"]
    assert "错别字 \\| 常见混淆" in table and "缺少 必备部分" in table
    assert "info (opt-in)" in table and "| batch |" in table
    assert all(r.count(" | ") == 4 for r in rows)  # 5 columns, escaped pipes do not split cells


def test_update_and_check(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{docs_gen.START}\nold\n{docs_gen.END}\n\n## after\n", encoding="utf-8")
    new = docs_gen.updated_readme(readme.read_text(encoding="utf-8"), RULES)
    assert new.startswith("# x\n\n") and new.endswith("\n\n## after\n") and "TBL-110" in new
    assert docs_gen.updated_readme(new, RULES) == new  # idempotent
    with pytest.raises(ValueError):
        docs_gen.updated_readme("# no markers\n", RULES)


def test_cli_write_then_check(tmp_path, monkeypatch):
    monkeypatch.setattr(docs_gen, "load_all_rules", lambda: RULES)
    readme = tmp_path / "README.md"
    readme.write_text(f"{docs_gen.START}\n{docs_gen.END}\n", encoding="utf-8")
    assert docs_gen.main([str(readme), "--check"]) == 1
    assert docs_gen.main([str(readme), "--write"]) == 0
    assert docs_gen.main([str(readme), "--check"]) == 0
    assert "TYPO-201" in readme.read_text(encoding="utf-8")
