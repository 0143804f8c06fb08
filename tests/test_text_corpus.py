"""Writing checks on the real corpus (skipped when ../shared is absent): the seed's known faults, and known
faults of other reports, found through the real reader and structure stage."""

from __future__ import annotations

import pytest

from analyzer.config import Config
from analyzer.read import read_document
from analyzer.rules import CheckContext
from analyzer.structure import structure_document
from analyzer.text.rules import RULES_BY_ID, writing_hits

SEED = "000_wangcun_town_2022_seed.txt"


def hits(corpus_dir, name, config=None):
    config = config or Config()
    report = structure_document(read_document(corpus_dir / name, config))
    found = [h for h in writing_hits(report, CheckContext(config=config))
             if config.rule_enabled(h.rule, RULES_BY_ID[h.rule].default_enabled)]
    return report, found


def test_seed_typos_found_with_suggestions_and_nothing_else(corpus_dir):
    report, found = hits(corpus_dir, SEED)
    typos = {(report.text[h.start:h.end], h.suggestion) for h in found if h.rule.startswith("TYPO")}
    assert ("负总表", "负总责") in typos
    assert ("定岗定表", "定岗定责") in typos
    assert any(t.startswith("政务公共") and s.startswith("政务公开") for t, s in typos)
    assert ("知", "和") in typos  # 制度知信息主动公开目录: flagged (the garble reads as 和 mistyped)
    assert ("决策背导", "决策背景") in typos  # 决策背导依据: flagged as a hint (TYPO-206)
    assert len(typos) == 5  # nothing else in the seed is flagged as a typo
    hint = [h for h in found if h.rule == "TYPO-206"]
    assert [report.text[h.start:h.end] for h in hint] == ["决策背导"]


def test_seed_artifact_and_unclosed_quote(corpus_dir):
    report, found = hits(corpus_dir, SEED)
    assert any(h.rule == "FMT-401" and "[bookmark: _GoBack]" in report.text[h.start:h.end] for h in found)
    assert any(h.rule == "PUNC-301" and report.text[h.start] == '"' for h in found)


def test_seed_garbled_wording_with_the_opt_in_detector_is_reported_once(corpus_dir):
    report, found = hits(corpus_dir, SEED, Config(enabled_rules={"TYPO-202"}))
    at = report.text.index("背导")
    covering = [h for h in found if h.start <= at and at + 2 <= h.end]
    # TYPO-206 (with its suggestion) wins over the generic TYPO-202 for the same span
    assert [(h.rule, h.suggestion) for h in covering] == [("TYPO-206", "决策背景")]


@pytest.mark.parametrize("name,rule,text", [
    ("004_pingtan_2019.txt", "TYPO-201", "残差不齐"),
    ("006_pingtan_2022.txt", "PUNC-303", "的的"),
    ("006_pingtan_2022.txt", "TYPO-201", "行政法复议"),
    ("058_pingtan_finance_bureau_2019.txt", "PUNC-304", "三是"),
    ("059_pingtan_finance_bureau_2021.txt", "TYPO-203", "平潭综合实验区财政全融局"),
    ("065_pingtan_finance_bureau_2025.txt", "TYPO-201", "不子公开"),
    ("076_pingtan_state_assets_bureau_2022.txt", "FMT-402", "国办公开办函〔2019〕60号"),
    ("077_pingtan_investment_promotion_bureau_2024.txt", "CON-203", "平潭综合实验区国有资产管理局"),
    ("077_pingtan_investment_promotion_bureau_2024.txt", "PUNC-301", ")"),
    ("085_pingtan_tourism_culture_sports_bureau_2022.txt", "CON-201", "2023年"),
    ("097_pingtan_social_affairs_bureau_2021.txt", "PUNC-304", "（五）"),
])
def test_known_corpus_faults(corpus_dir, name, rule, text):
    report, found = hits(corpus_dir, name)
    assert any(h.rule == rule and text in report.text[h.start:h.end] for h in found), \
        [(h.rule, report.text[h.start:h.end]) for h in found]
