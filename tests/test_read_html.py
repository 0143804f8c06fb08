"""HTML reader: page chrome removed, tables expanded, metadata from <meta> and page text."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

import pytest

from analyzer.read import read_document

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>某县人民政府2023年政府信息公开工作年度报告_某县人民政府</title>
<meta name="firstpublishedtime" content="2024-01-20 10:30:00">
<script>var secret = "一、总体情况 在脚本里";</script><style>.x{color:red}</style></head>
<body>
<div class="top-nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/hd">互动交流</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/nb">政府信息公开年报</a></div>
<div class="wrapper"><div class="side"><ul><li><a href="/a">2022年年报</a></li><li><a href="/b">2021年年报</a></li></ul></div>
<div class="main">
  <h1>某县人民政府2023年政府信息公开工作年度报告</h1>
  <div class="info">发布时间：2024-01-20 来源：某县人民政府办公室 <span class="share">分享到：微信 微博</span></div>
  <div class="article">
    <p>&nbsp;&nbsp;本报告根据《中华人民共和国政府信息公开条例》编制。</p>
    <p><strong>一、总体情况</strong></p>
    <p>2023年，我县主动公开政府信息<span>1136</span>条。<br>第二行文字。</p>
    <p>二、主动公开政府信息情况</p>
    <table border="1">
      <tr><td colspan="4">第二十条第（一）项</td></tr>
      <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
      <tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
    </table>
    <p>三、收到和处理政府信息公开申请情况</p>
    <table>
      <tr><td rowspan="2" colspan="2">（本列数据的勾稽关系）</td><td colspan="3">申请人情况</td></tr>
      <tr><td>自然人</td><td>法人或其他组织</td><td>总计</td></tr>
      <tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td><td>1</td><td>0</td><td>1</td></tr>
      <tr><td>（二）部分公开</td><td>2</td><td>0</td><td>2</td></tr>
    </table>
    <p>五、存在的主要问题及改进情况</p><p>问题与改进。</p>
    <p>六、其他需要报告的事项</p><p>未收取信息处理费。</p>
    <script>document.write("注入的文字")</script>
  </div>
  <div class="share-bar">【打印本页】【关闭窗口】</div>
</div></div>
<div class="footer">主办单位：某县人民政府办公室 版权所有 备案号：某ICP备00000000号 <!-- 注释里的文字 --></div>
</body></html>
"""


@pytest.fixture
def page_doc(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(PAGE, encoding="utf-8")
    return read_document(p)


def test_report_body_without_chrome(page_doc):
    doc = page_doc
    assert doc.source_format == "html"
    for chrome in ("当前位置", "首页", "2022年年报", "分享到", "打印本页", "版权所有", "备案号", "注释里的文字"):
        assert chrome not in doc.text, chrome
    for script_text in ("在脚本里", "注入的文字", "color:red"):
        assert script_text not in doc.text
    paras = [b.text for b in doc.blocks if b.kind == "paragraph"]
    # the <h1> above the article container is the report's title: kept as the first paragraph
    assert paras[0] == "某县人民政府2023年政府信息公开工作年度报告" and doc.metadata["title_outside_container"]
    assert paras[1] == "本报告根据《中华人民共和国政府信息公开条例》编制。"  # &nbsp; indentation stripped
    assert "一、总体情况" in paras
    assert "2023年，我县主动公开政府信息1136条。" in paras and "第二行文字。" in paras  # <br> breaks, <span> inline


def test_tables_expand_rowspan_and_colspan(page_doc):
    doc = page_doc
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 2
    t2 = tables[0].rows
    assert len(t2[0]) == 4 and t2[0][0] is t2[0][3] and t2[0][0].col_span == 4
    t3 = tables[1].rows
    assert [len(r) for r in t3] == [5, 5, 5, 5]
    note = t3[0][0]
    assert t3[1][1] is note and (note.row_span, note.col_span) == (2, 2)
    assert t3[0][2].text == "申请人情况" and t3[0][4] is t3[0][2]
    assert t3[1][2].text == "自然人"
    assert t3[2][0] is t3[3][0] and t3[2][0].text == "三、本年度办理结果"
    assert [c.text for c in t3[3][1:]] == ["（二）部分公开", "2", "0", "2"]
    for b in doc.blocks:
        assert doc.text[b.start:b.end] == b.text
        for row in b.rows or []:
            for c in row:
                assert doc.text[c.start:c.end] == c.text


def test_metadata_from_meta_and_page(page_doc):
    m = page_doc.metadata
    assert m["published"] == "2024-01-20"
    assert m["title"].startswith("某县人民政府2023年")
    assert m["publisher"] == "某县人民政府办公室"


def test_gbk_page_with_meta_charset(tmp_path):
    p = tmp_path / "gbk.htm"
    p.write_bytes(PAGE.replace('charset="utf-8"', 'charset="gb2312"').encode("gbk"))
    doc = read_document(p)
    assert "一、总体情况" in doc.text and doc.metadata["encoding"] == "gb18030"


def test_page_without_headings_uses_content_density(tmp_path):
    links = "".join(f'<li><a href="/{i}">链接{i}</a></li>' for i in range(40))
    body = "".join(f"<p>这是正文第{i}段，内容较长，用于测试正文定位是否可靠。</p>" for i in range(10))
    html = f"<html><body><ul class='nav'>{links}</ul><div id='c'>{body}</div><div>版权所有</div></body></html>"
    p = tmp_path / "d.html"
    p.write_text(html, encoding="utf-8")
    doc = read_document(p)
    assert "链接3" not in doc.text and "版权所有" not in doc.text
    assert len(doc.blocks) == 10


CORPUS_PAGES = ["005_pingtan_2020", "006_pingtan_2022", "048_pingtan_haitan_area_2019",
                "053_pingtan_jinjing_area_2022", "062_pingtan_social_affairs_bureau_2023"]


@pytest.mark.corpus
@pytest.mark.parametrize("name", CORPUS_PAGES)
def test_real_pages_match_the_scraped_text(corpus_dir, name):
    doc = read_document(corpus_dir / "original" / f"{name}.html")
    scraped = (corpus_dir / f"{name}.txt").read_text(encoding="utf-8")
    body = re.split(r"=+ 正文 =+\n", scraped, maxsplit=1)[-1]
    ours, theirs = re.sub(r"\s+", "", doc.text), re.sub(r"\s+", "", body)
    sm = SequenceMatcher(None, ours, theirs, autojunk=False)
    matched = sum(m.size for m in sm.get_matching_blocks())
    assert matched / len(theirs) > 0.97  # nearly all of the report …
    assert matched / len(ours) > 0.97  # … and nearly nothing else
    assert "当前位置" not in doc.text
    assert doc.metadata["published"] == re.search(r"发布时间: (\d{4}-\d{2}-\d{2})", scraped).group(1)
    assert sum(1 for b in doc.blocks if b.kind == "table") >= 3


def test_headings_split_over_inline_tags_and_declared_charset_lies(tmp_path):
    sidebar = "".join(f"<p>侧栏文字第{i}条，较长的栏目介绍文字。</p>" for i in range(30))
    html = ("<html><head><meta charset='gbk'></head><body><div class='side'>" + sidebar + "</div><div class='c'>"
            "<p><span>一、</span><b>总体情况</b></p><p>正文。</p><p><font>二、</font>主动公开政府信息情况</p>"
            "<p>正文二。</p></div></body></html>")
    p = tmp_path / "split.html"
    p.write_bytes(html.encode("utf-8"))  # declared gbk, actually UTF-8
    doc = read_document(p)
    assert doc.metadata["encoding"] == "utf-8"
    assert [b.text for b in doc.blocks] == ["一、总体情况", "正文。", "二、主动公开政府信息情况", "正文二。"]


def test_mht_web_archive_reads_its_html_part(tmp_path):
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    msg = MIMEMultipart("related")
    msg.attach(MIMEText("<html><body><div><p>一、总体情况</p><p>二、主动公开政府信息情况</p></div></body></html>",
                        "html", "gb2312"))
    msg.attach(MIMEText("body{}", "css"))
    p = tmp_path / "page.mht"
    p.write_bytes(msg.as_bytes())
    doc = read_document(p)
    assert doc.source_format == "html" and doc.metadata["container"] == "mht"
    assert [b.text for b in doc.blocks] == ["一、总体情况", "二、主动公开政府信息情况"]


def test_word_xml_is_refused_with_advice(tmp_path):
    p = tmp_path / "report.xml"
    p.write_text('<?xml version="1.0"?><?mso-application progid="Word.Document"?>'
                 '<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"/>', encoding="utf-8")
    with pytest.raises(Exception) as err:
        read_document(p)
    assert getattr(err.value, "code", None) == "unknown_format" and ".docx" in err.value.message
