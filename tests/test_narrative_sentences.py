"""公文 sentence splitting: offsets exact, numbered items split, references and wrapped PDF lines kept whole."""

from analyzer.narrative.sentences import is_heading, split_sentences


def texts(s):
    return [x.text for x in split_sentences(s)]


def test_offsets_map_back_to_the_input():
    text = "一、总体情况\n2023年，我局主动公开信息318条；受理申请7件。（一）主动公开情况。全年发布解读12篇！"
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text
        assert s.text == s.text.strip()


def test_split_on_end_marks_and_numbered_items():
    out = texts("存在问题：一是解读形式单一，二是栏目更新不及时。（二）改进措施。1.制作图解；2.每月巡查。")
    assert out == ["存在问题：", "一是解读形式单一，", "二是栏目更新不及时。", "（二）改进措施。", "1.制作图解；", "2.每月巡查。"]


def test_references_and_decimals_are_not_items():
    out = texts("按照第二十条第（一）项规定公开，收费4166.21万元，统一是原则。")
    assert out == ["按照第二十条第（一）项规定公开，收费4166.21万元，统一是原则。"]


def test_closing_quote_stays_with_its_sentence():
    out = texts("坚持“公开为常态。”下一句。")
    assert out == ["坚持“公开为常态。”", "下一句。"]


def test_wrapped_pdf_lines_are_joined_but_short_lines_break():
    text = ("2023 年，洪泽区人民政府坚持以习近平新时代中国特色社会\n主义思想为指导，全面贯彻落实条例。\n"
            "（一）主动公开情况。\n表格\n0\n")
    out = texts(text)
    assert out[0].startswith("2023 年") and out[0].endswith("全面贯彻落实条例。")
    assert "（一）主动公开情况。" in out
    assert all(len(x) > 1 for x in out)  # table cells with fewer than 2 Chinese characters are dropped


def test_is_heading():
    assert is_heading("（二）依申请公开情况。")
    assert is_heading("1.完善预算机制。")
    assert not is_heading("一是公开形式不够丰富。")
    assert not is_heading("（二）依申请公开情况本年度收到依申请公开事项0项。")
    assert not is_heading("全年受理政府信息公开申请7件，均在法定期限内答复。")


from hypothesis import given, settings, strategies as st

_ALPHABET = st.sampled_from(list("政府信息公开工作一二三是（）()。；，、：\n 0123456789.《》“”年月日条件"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=200))
def test_any_text_gives_ordered_exact_non_overlapping_spans(text):
    prev_end = 0
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text and s.text.strip() == s.text and s.text
        assert s.start >= prev_end
        prev_end = s.end
