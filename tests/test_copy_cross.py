"""Cross-report copying (batch): MinHash LSH over passages, stock phrases, same document in two formats,
another unit's name, planted copies in the real corpus."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.copy import copy_features, cross_report
from analyzer.pipeline import build_report

WORDS = list("政务公开信息平台建设监督保障主动依申请管理制度规范考核评议责任追究培训宣传解读回应关切数据开放"
             "目录清单标准化规范化基层网站新媒体办理答复时限质量群众企业服务事项流程优化协同联动")


def _prose(seed: int, n_sentences: int) -> list[str]:
    """Made-up sentences, distinct per seed (random character strings over a domain vocabulary)."""
    rng = random.Random(seed)
    return ["".join(rng.choice(WORDS) for _ in range(rng.randint(28, 40))) + "。" for _ in range(n_sentences)]


def _report(unit: str, year: int, sentences: list[str]) -> str:
    half = len(sentences) // 2
    return "\n".join([f"{unit}{year}年政府信息公开工作年度报告", "一、总体情况", *sentences[:half],
                      "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
                      "五、存在的主要问题及改进情况", *sentences[half:], "六、其他需要报告的事项", "无。", unit,
                      f"{year + 1}年1月10日"]) + "\n"


def _features(path: Path) -> dict:
    return dict(copy_features(build_report(path, Config())), path=str(path))


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_copied_report_between_units_is_clustered(tmp_path: Path) -> None:
    body = _prose(1, 10)
    a = _write(tmp_path, "a.txt", _report("东湖区审计局", 2023, body))
    b = _write(tmp_path, "b.txt", _report("西湖区统计局", 2023, body[:9] + _prose(2, 1)))
    c = _write(tmp_path, "c.txt", _report("南湖区民政局", 2023, _prose(3, 10)))
    result = cross_report([_features(p) for p in (a, b, c)])
    assert [(p.a, p.b, p.kind) for p in result.pairs] == [(str(a), str(b), "report")]
    pair = result.pairs[0]
    assert pair.ratio_a >= 0.8 and pair.ratio_b >= 0.8 and pair.shared_passages >= 8
    ex = pair.examples[0]
    assert ex["a_end"] > ex["a_start"] and ex["b_end"] > ex["b_start"]
    assert result.clusters == {str(a): "C1", str(b): "C1"}
    assert str(c) not in result.clusters


def test_stock_phrases_shared_by_many_units_are_not_copying(tmp_path: Path) -> None:
    stock = _prose(99, 3)
    paths = [_write(tmp_path, f"u{i}.txt", _report(f"第{'一二三四五'[i]}街道办事处", 2023, _prose(10 + i, 6) + stock))
             for i in range(5)]
    result = cross_report([_features(p) for p in paths])
    assert result.pairs == []
    assert result.stock_passages >= 10  # the shared sentences (a short one may merge with a neighbour)
    # the same three sentences shared by only two units: copying
    two = cross_report([_features(p) for p in paths[:2]])
    assert len(two.pairs) == 1 and two.pairs[0].shared_passages == 3


def test_one_shared_sentence_is_not_a_pair(tmp_path: Path) -> None:
    quote = _prose(50, 1)
    a = _write(tmp_path, "a.txt", _report("东湖区审计局", 2023, _prose(51, 6) + quote))
    b = _write(tmp_path, "b.txt", _report("西湖区统计局", 2023, _prose(52, 6) + quote))
    assert cross_report([_features(a), _features(b)]).pairs == []


def test_same_report_in_two_formats_is_one_document(tmp_path: Path) -> None:
    import docx

    body = _prose(7, 8)
    text = _report("东湖区审计局", 2023, body)
    txt = _write(tmp_path, "report.txt", text)
    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    d.save(tmp_path / "report.docx")
    other = _write(tmp_path, "other.txt", _report("西湖区统计局", 2023, _prose(8, 8)))
    result = cross_report([_features(tmp_path / "report.docx"), _features(txt), _features(other)])
    assert result.duplicate_of == {str(txt): str(tmp_path / "report.docx")}
    assert result.pairs == []


def test_another_units_name_in_sign_off(tmp_path: Path) -> None:
    body = _prose(20, 8)
    a = _write(tmp_path, "a.txt", _report("东湖区审计局", 2023, body))
    # b is another unit's report whose sign-off still carries a's name
    text_b = _report("西湖区统计局", 2023, _prose(21, 8)).replace("\n西湖区统计局\n", "\n东湖区审计局\n")
    b = _write(tmp_path, "b.txt", text_b)
    result = cross_report([_features(a), _features(b)])
    hits = result.other_units.get(str(b))
    assert hits and hits[0]["name"] == "东湖区审计局" and hits[0]["where"] == "closing"
    assert text_b[hits[0]["start"]:hits[0]["end"]] == "东湖区审计局"
    assert str(a) not in result.other_units


def test_deterministic_regardless_of_input_order(tmp_path: Path) -> None:
    body = _prose(30, 10)
    paths = [_write(tmp_path, f"r{i}.txt", _report(name, 2023, body if i < 2 else _prose(31 + i, 10)))
             for i, name in enumerate(["东湖区审计局", "西湖区统计局", "南湖区民政局", "北湖区司法局"])]
    feats = [_features(p) for p in paths]
    first = cross_report(feats)
    shuffled = feats[:]
    random.Random(5).shuffle(shuffled)
    second = cross_report(shuffled)
    assert first == second and first.pairs


# ---------------------------------------------------------------- real corpus + planted copy


def _plant(text: str, old_names: list[str], new_name: str, sign_off: str) -> str:
    """Rewrite a real report as another unit's: its name replaced, every number but the years changed, and a
    sign-off appended (a copy that kept its source's sign-off, when ``sign_off`` is the source unit)."""
    for old in old_names:
        text = text.replace(old, new_name)

    def renumber(m: re.Match[str]) -> str:
        s = m.group()
        if re.fullmatch(r"(19|20)\d\d", s):
            return s
        return "".join(str((int(d) + 3) % 10) for d in s)

    return re.sub(r"\d+", renumber, text).rstrip() + f"\n{sign_off}\n2023年1月20日\n"


@pytest.mark.corpus
def test_corpus_planted_copy_found_and_unrelated_not_paired(corpus_dir: Path, tmp_path: Path) -> None:
    files = sorted(corpus_dir.glob("*.txt")) + sorted((corpus_dir / "original").glob("*.html"))
    source = corpus_dir / "073_pingtan_gov_office_2022.txt"
    planted = _write(tmp_path, "planted_marine_2022.txt", _plant(
        source.read_text(encoding="utf-8"), ["平潭综合实验区管委会办公室", "区管委会办公室", "区办公室"],
        "平潭综合实验区海洋与渔业局", sign_off="平潭综合实验区管委会办公室"))
    feats = [_features(p) for p in files + [planted]]
    result = cross_report(feats)
    reports = [tuple(sorted((Path(p.a).name, Path(p.b).name))) for p in result.pairs if p.kind == "report"]
    # the planted copy is found; the only other near-duplicate between different units is 076/077, the same body
    # renamed (国有资产管理局 → 投资促进局, SOURCES.tsv) whose 2024 report reuses the 2022 text
    assert sorted(reports) == [("073_pingtan_gov_office_2022.txt", "planted_marine_2022.txt"),
                               ("076_pingtan_state_assets_bureau_2022.txt",
                                "077_pingtan_investment_promotion_bureau_2024.txt")]
    assert result.clusters[str(source)] == result.clusters[str(planted)]
    assert len(set(result.clusters.values())) == 2
    # the source unit's name left in the planted copy's sign-off is reported
    assert any(h["name"] == "平潭综合实验区管委会办公室" and h["where"] == "closing"
               for h in result.other_units.get(str(planted), []))
    # .html originals are the same documents as their .txt scrapes, not copies
    for html in (corpus_dir / "original").glob("*.html"):
        assert result.duplicate_of.get(str(html)) == str(corpus_dir / f"{html.stem}.txt")
    # 077 (投资促进局) is signed by 国有资产管理局 — a real case in SOURCES.tsv
    assert any(h["name"] == "平潭综合实验区国有资产管理局"
               for h in result.other_units.get(str(corpus_dir / "077_pingtan_investment_promotion_bureau_2024.txt"), []))


def test_cross_pair_rows_carry_both_years_and_units(tmp_path: Path) -> None:
    """The 复制比对 sheet names the year of each side of a cross-report pair (it used to leave 年度 empty)."""
    from analyzer.pipeline import audit_file
    from analyzer.render.tables_out import copy_pair_rows

    body = _prose(1, 10)
    a = _write(tmp_path, "a.txt", _report("东湖区审计局", 2023, body))
    b = _write(tmp_path, "b.txt", _report("西湖区统计局", 2022, body[:9] + _prose(2, 1)))
    cross = cross_report([_features(p) for p in (a, b)])
    records = [{"path": str(p), "audit": audit_file(p, Config()).to_dict()} for p in (a, b)]
    rows = [r for r in copy_pair_rows(records, cross) if r["kind"].startswith("cross_")]
    assert [(r["unit_a"], r["year_a"], r["unit_b"], r["year_b"]) for r in rows] == [
        ("东湖区审计局", 2023, "西湖区统计局", 2022)]
