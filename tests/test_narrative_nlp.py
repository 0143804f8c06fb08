"""The spaCy pipeline: blank zh + jieba with the domain dictionary + components writing Doc/Span extensions."""

from analyzer.nlp import get_nlp
from analyzer.narrative.analyze import analyze_section


def test_pipeline_order_and_extensions():
    nlp = get_nlp()
    assert nlp.lang == "zh"
    assert nlp.pipe_names == ["gongwen_sentencizer", "boilerplate_scorer", "aspect_tagger"]
    text = "（一）依申请公开情况。全年受理政府信息公开申请7件，均在法定期限内答复。工作人员业务能力有待进一步提高。"
    doc = nlp(text)
    sents = doc._.sentences
    assert [s.text for s in sents] == ["（一）依申请公开情况。", "全年受理政府信息公开申请7件，均在法定期限内答复。",
                                      "工作人员业务能力有待进一步提高。"]
    for s in sents:
        assert text[s.start_char:s.end_char] == s.text
    fact, slogan = sents[1], sents[2]
    assert fact._.boilerplate < 0.5 < slogan._.boilerplate
    assert max(fact._.aspects, key=fact._.aspects.get) == "requests"
    assert 0.0 <= doc._.specificity <= 1.0


def test_domain_dictionary_keeps_terms_whole():
    doc = get_nlp()("由分管领导负总责，做好依申请公开工作。")
    words = [t.text for t in doc]
    assert "依申请公开" in words
    assert "".join(words) == doc.text


def test_section_offsets_map_back_to_document_text():
    document = "前文。\n一、总体情况\n2023年受理申请7件。进一步加强组织领导。"
    start = document.index("2023")
    sec = analyze_section(document[start:], start, "overview")
    for s in sec.sentences:
        assert document[s.start:s.end] == s.text
