"""Moodle's multilang spans split into the Chinese and the English text, nested spans and all."""

from assessments.bank_formats import bank_parse


def _item(questiontext: str) -> dict:
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz><question type="truefalse"><name><text>q</text></name>
<questiontext format="html"><text><![CDATA[{questiontext}]]></text></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
</question></quiz>"""
    bank = bank_parse(content.encode(), "b.xml", default_category=("三包",))
    assert bank.errors == []
    return bank.items[0]


def test_spans_nested_inside_a_multilang_span_stay_in_its_language():
    item = _item(
        '<p><span lang="zh" class="multilang">屏幕出现<span style="color:red">亮点</span>'
        "可以<span><b>保修</b></span>。</span>"
        '<span class="multilang" lang="en">A <span style="color:red">bright spot</span> on the '
        "screen is covered.</span></p>"
    )

    assert item["text"] == "屏幕出现亮点可以保修。"
    assert item["text_en"] == "A bright spot on the screen is covered."


def test_mlang_markers_and_zh_variants_are_split_too():
    item = _item(
        '<span lang="zh_cn" class="multilang">原厂配件</span>'
        '<span lang="en" class="multilang">Genuine parts</span>'
    )
    other = _item("{mlang zh}翻新件{mlang}{mlang en}Refurbished parts{mlang}")

    assert (item["text"], item["text_en"]) == ("原厂配件", "Genuine parts")
    assert (other["text"], other["text_en"]) == ("翻新件", "Refurbished parts")
