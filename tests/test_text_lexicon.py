"""Lexicon builder, shipped lexicon files, character similarity and the near-miss index."""

from __future__ import annotations

import json

from analyzer.resources import lexicon_path, read_lines
from analyzer.text import lexicon_build
from analyzer.text.lexicon import char_similarity, domain_lexicon, phonetic_similarity, visual_similarity
from analyzer.text.nearmiss import find_near_misses
from analyzer.text.segment import cut

PROSE = "{body}认真落实政务公开工作要求，由分管领导负总责，主动公开政府信息，做好依申请公开工作，加强政策解读。"


def make_corpus(tmp_path, bodies):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = ["file\tsource\tissuing_body\treport_year\tlevel\tapprox_chars\tnotes"]
    for i, body in enumerate(bodies):
        name = f"{i:03d}_x.txt"
        (corpus / name).write_text(PROSE.format(body=body) * 2, encoding="utf-8")
        rows.append(f"{name}\tx\t{body}\t2022\ttownship\t100\t")
    (corpus / "SOURCES.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return corpus


def test_builder_is_reproducible_and_skips_heldout_files(tmp_path, monkeypatch):
    corpus = make_corpus(tmp_path, ["甲镇人民政府", "乙镇人民政府", "丙镇人民政府", "丁镇人民政府"])
    # hold out one file whose text carries a made-up phrase: it must not reach the lexicon
    (corpus / "003_x.txt").write_text(PROSE.format(body="丁镇") + "独有错误短语独有错误短语", encoding="utf-8")
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"split": {"heldout": ["003_x.txt"]}}), encoding="utf-8")
    monkeypatch.setattr(lexicon_build, "GOLD", gold)
    out = tmp_path / "lex"
    out.mkdir()
    (out / "curated_terms.txt").write_text("# curated\n负总责\n定岗定责\n", encoding="utf-8")
    lexicon_build.main(["--corpus", str(corpus), "--out", str(out), "--min-bodies", "3"])
    first = (out / "domain_terms.tsv").read_bytes()
    lexicon_build.main(["--corpus", str(corpus), "--out", str(out), "--min-bodies", "3"])
    assert (out / "domain_terms.tsv").read_bytes() == first
    terms = [line.split("\t") for line in first.decode("utf-8").splitlines() if not line.startswith("#")]
    by_term = {t[0]: t for t in terms}
    assert by_term["负总责"][3] == "curated"
    assert any(t[3] == "corpus" for t in terms)  # phrases used by the three tuning bodies were mined
    assert not any("独有错误" in t[0] for t in terms)
    jieba_dict = (out / "domain_dict.txt").read_text(encoding="utf-8")
    assert "负总责 " in jieba_dict


def test_shipped_lexicons_are_consistent():
    lex = domain_lexicon()
    for term in ("政务公开", "依申请公开", "负总责", "定岗定责", "规范性文件", "政策解读", "行政复议"):
        assert lex.is_term(term)
    curated = set(read_lines("curated_terms.txt"))
    assert curated <= set(lex.terms)
    for line in lexicon_path("domain_dict.txt").read_text(encoding="utf-8").splitlines():
        word, freq, _tag = line.split(" ")
        assert word in lex.terms and int(freq) > 0


def test_jieba_keeps_domain_terms_whole():
    assert "负总责" in cut("由分管领导负总责")
    assert "依申请公开" in cut("做好依申请公开工作")


def test_character_similarity_sources():
    assert phonetic_similarity("参", "残") >= 0.8  # can/cen: fuzzy finals
    assert phonetic_similarity("政", "正") == 1.0
    assert phonetic_similarity("政", "桥") == 0.0
    assert visual_similarity("全", "金") >= 0.6
    assert visual_similarity("表", "责") >= 0.5
    assert visual_similarity("表", "吗") < 0.3
    sim, basis = char_similarity("予", "子")
    assert sim >= 0.5 and basis in {"visual", "confusion", "phonetic"}


def test_near_miss_works_from_the_lexicon_not_from_a_typo_list():
    text = "严格执行信息发布审核制度，依法做好依申请公开工作，切实加强政策解渎工作。"
    found = {(m.span, m.suggestion) for m in find_near_misses(text, 0, len(text))}
    assert ("政策解渎", "政策解读") in found
    clean = "严格执行信息发布审核制度，依法做好依申请公开工作，切实加强政策解读工作。"
    assert find_near_misses(clean, 0, len(clean)) == []


def test_near_miss_swap_and_extra_character():
    text = "严格落实“三审三较”制度，政府信息公开行政法复议情况。"
    found = {m.suggestion for m in find_near_misses(text, 0, len(text))}
    assert {"三审三校", "行政复议"} <= found
