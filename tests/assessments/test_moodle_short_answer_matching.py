"""Short answer and matching questions from Moodle XML and GIFT: read, stored, scored, written."""

from decimal import Decimal
from pathlib import Path

import pytest

from assessments.bank_formats import (
    bank_export_gift,
    bank_export_moodle,
    bank_export_xlsx,
    bank_parse,
)
from assessments.grading import score
from assessments.models import Question, QuestionCategory, QuestionVersion
from assessments.services.banks import bank_export_as, bank_import

BANKS = Path(__file__).parent / "banks"
XML = (BANKS / "moodle_bank.xml").read_bytes()
GIFT = (BANKS / "moodle_bank.gift").read_bytes()


def _items(content, name):
    bank = bank_parse(content, name, default_category=("导入",))
    assert bank.errors == []
    return {i["source_ref"]: i for i in bank.items}


def _moodle(*questions: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><quiz>' + "".join(questions) + "</quiz>"
    ).encode()


def _version(ref):
    question = Question.objects.get(source_ref=ref)
    return question, question.versions.order_by("-number").first().data


def _key(data, text):
    return next(o["key"] for o in data["options"] if o["text"] == text)


def _match_key(data, answer):
    return next(o["key"] for o in data["options"] if o["match"] == answer)


# Reading ----------------------------------------------------------------------------------------


def test_moodle_short_answer_keeps_grades_feedback_wildcard_and_letter_case():
    items = _items(XML, "b.xml")
    guarantee, connector = items["SA-001"], items["SA-002"]

    assert guarantee["kind"] == "short_answer"
    assert (guarantee["text"], guarantee["text_en"]) == (
        "三包的“包”指什么？",
        "What does “包” mean in 三包?",
    )
    assert guarantee["options"] == [
        ("保证", "", True),
        ("guarantee", "", True),
        ("保*", "", False),
        ("包邮", "", False),
    ]
    assert guarantee["fractions"] == [Decimal(1), Decimal(1), Decimal("0.5"), Decimal(0)]
    assert guarantee["option_feedback"][0] == ("正是", "Exactly")
    assert guarantee["option_feedback"][3] == ("三包不含包邮", "")
    assert (guarantee["case_sensitive"], guarantee["points"], guarantee["difficulty"]) == (
        False,
        Decimal(2),
        1,
    )
    # Moodle's usecase; "\*" is a literal star, kept as Moodle writes it.
    assert connector["case_sensitive"] is True
    assert connector["options"][2] == ("USB\\*", "", False)


def test_moodle_matching_keeps_pairs_the_extra_answer_and_credit_per_pair():
    item = _items(XML, "b.xml")["MT-001"]

    assert item["kind"] == "matching"
    assert item["options"] == [
        ("包修", "Repair", False),
        ("包换", "", False),
        ("包退", "", False),
        ("", "", False),
    ]
    assert item["matches"] == [
        ("免费修理", "Free repair"),
        ("更换同型号", ""),
        ("退还货款", ""),
        ("包邮到家", ""),
    ]
    assert item["partial_credit"] == "proportional"
    assert (item["correct_feedback"], item["correct_feedback_en"]) == (
        "全部配对正确。",
        "All matched.",
    )
    assert item["partial_feedback"] == "部分配对正确。"
    assert item["incorrect_feedback"] == "配对错误。"


def test_gift_short_answer_is_a_question_whose_answers_are_all_right():
    items = _items(GIFT, "b.gift")
    screen = items["TM-001"]

    assert screen["kind"] == "short_answer"
    assert screen["text_en"] == "What is a phone's display usually called?"
    assert [o[0] for o in screen["options"]] == ["屏幕", "screen", "显示*", "面板"]
    assert screen["fractions"] == [Decimal(1), Decimal(1), Decimal("0.5"), Decimal(0)]
    assert screen["option_feedback"][2] == ("接近，常说“屏幕”", "")
    assert screen["explanation"] == "简称屏幕。"
    star = next(i for i in items.values() if i["text"] == "服务评价的满分写作什么？")
    assert star["options"] == [("5\\*", "", True), ("5", "", False)]


def test_gift_matching_reads_items_answers_and_the_extra_answer():
    item = _items(GIFT, "b.gift")["TM-002"]

    assert item["kind"] == "matching"
    assert [o[:2] for o in item["options"]] == [
        ("电池", ""),
        ("主板", ""),
        ("听筒", "Earpiece"),
        ("", ""),
    ]
    assert item["matches"] == [("供电", ""), ("处理信号", ""), ("发声", "Sound"), ("散热", "")]
    assert item["partial_credit"] == "proportional"
    assert item["explanation"] == "说明：每项一分。"


@pytest.mark.parametrize(
    ("answer", "options"),
    [
        ("{=保证}", [("保证", "", True)]),
        ("{保证}", [("保证", "", True)]),  # Moodle reads a lone answer as the right one
        ("{=保证 =%50%保修}", [("保证", "", True), ("保修", "", False)]),
    ],
)
def test_gift_short_answer_forms(answer, options):
    bank = bank_parse(f"::包::三包的包指什么？{answer}".encode(), "b.gift", default_category=("x",))
    (item,) = bank.items
    assert (item["kind"], item["options"]) == ("short_answer", options)


@pytest.mark.parametrize(
    ("gift", "message"),
    [
        (
            "::配::配对。{=包修 -> 修理 =包换 换货}",
            "Pair 包换 换货 has no -> between the item and its answer.",
        ),
        ("::配::配对。{=包修 -> 修理 = -> 换货}", "A matching question needs at least two items."),
        ("::配::配对。{=包修 -> 修理 =包换 -> }", "Pair 2 has no answer to match."),
        ("::包::三包的包？{=%150%保证}", "Grade 150% of an accepted answer is outside 0% to 100%."),
    ],
)
def test_bad_gift_short_answer_or_matching_is_an_error(gift, message):
    bank = bank_parse(gift.encode(), "b.gift", default_category=("导入",))
    assert [e.message for e in bank.errors] == [message]
    assert bank.items == []


def test_short_answer_without_a_full_grade_imports_with_a_warning():
    bank = bank_parse("::包::三包的包？{=%50%保证}".encode(), "b.gift", default_category=("x",))
    assert [w.message for w in bank.warnings] == [
        "No accepted answer has a grade of 100%: the best answer earns 50%."
    ]
    assert len(bank.items) == 1


def test_moodle_matching_item_without_an_answer_is_an_error():
    content = _moodle(
        '<question type="matching"><name><text>配</text></name>'
        "<questiontext><text>配对</text></questiontext>"
        "<subquestion><text>包修</text><answer><text>修理</text></answer></subquestion>"
        "<subquestion><text>包换</text><answer><text></text></answer></subquestion>"
        "</question>"
    )
    bank = bank_parse(content, "b.xml", default_category=("x",))
    assert [(e.field, e.message) for e in bank.errors] == [
        ("subquestion", "Pair 2 has no answer to match.")
    ]


# Stored and scored ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_imported_short_answer_is_stored_and_scored_as_moodle_scores_it():
    report = bank_import(content=XML, filename="b.xml", apply=True)
    assert report.ok, report.errors
    question, data = _version("SA-001")

    options = list(question.options.order_by("sort_order"))
    # Full marks is the default: only other grades are stored.
    assert [(o.text, o.fraction, o.is_correct) for o in options] == [
        ("保证", None, True),
        ("guarantee", None, True),
        ("保*", Decimal("0.5"), False),
        ("包邮", Decimal(0), False),
    ]
    assert (question.case_sensitive, options[3].feedback) == (False, "三包不含包邮")
    assert score(data, "保证") == Decimal("2.00")
    assert score(data, "GUARANTEE") == Decimal("2.00")  # letter case does not matter here
    assert score(data, "保修") == Decimal("1.00")  # the wildcard's half
    assert score(data, "包邮") == Decimal("0.00")

    connector, data = _version("SA-002")
    assert connector.case_sensitive is True
    assert score(data, "USB-C") == Decimal("1.00")
    assert score(data, "usb-c") == Decimal("0.00")
    assert score(data, "USB*") == Decimal("0.25")  # a star, not a wildcard
    assert score(data, "USB-A") == Decimal("0.00")


@pytest.mark.django_db
def test_imported_matching_is_stored_and_each_right_pair_earns_its_share():
    bank_import(content=XML, filename="b.xml", apply=True)
    question, data = _version("MT-001")

    options = list(question.options.order_by("sort_order"))
    assert [(o.text, o.match_text, o.match_text_en) for o in options] == [
        ("包修", "免费修理", "Free repair"),
        ("包换", "更换同型号", ""),
        ("包退", "退还货款", ""),
        ("", "包邮到家", ""),
    ]
    assert question.partial_credit == "proportional"
    repair, exchange, refund = (_key(data, t) for t in ("包修", "包换", "包退"))
    right = {
        repair: _match_key(data, "免费修理"),
        exchange: _match_key(data, "更换同型号"),
        refund: _match_key(data, "退还货款"),
    }
    assert score(data, right) == Decimal("3.00")
    assert score(data, {**right, refund: _match_key(data, "包邮到家")}) == Decimal("2.00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name"),
    [
        (XML, "b.xml"),
        (GIFT, "b.gift"),
        # The XML bank as our XLSX sheet, short answers and matching with it.
        (bank_export_xlsx(bank_parse(XML, "b.xml").items), "b.xlsx"),
    ],
)
def test_dry_run_counts_what_the_import_then_does(content, name):
    dry = bank_import(content=content, filename=name, apply=False, default_category=("导入",))
    assert Question.objects.count() == 0

    real = bank_import(content=content, filename=name, apply=True, default_category=("导入",))

    counts = lambda r: (r.total, r.created, r.updated, r.unchanged, r.categories_created)  # noqa: E731
    assert counts(dry) == counts(real)
    assert [s.item for s in dry.skipped] == [s.item for s in real.skipped]
    assert Question.objects.count() == real.created
    again = bank_import(content=content, filename=name, apply=False, default_category=("导入",))
    assert (again.created, again.updated, again.unchanged) == (0, 0, real.total)


# Written back -----------------------------------------------------------------------------------


def _short_answer(**values):
    item = {
        "item": 1,
        "category": ("术语",),
        "kind": "short_answer",
        "text": "屏幕的简称？",
        "text_en": "",
        "options": [("屏幕", "screen", True), ("显示*", "", False)],
        "fractions": [Decimal(1), Decimal("0.5")],
        "option_feedback": [("对", "Right"), ("", "")],
        "case_sensitive": True,
        "explanation": "",
        "explanation_en": "",
        "difficulty": 2,
        "points": Decimal(1),
        "partial_credit": "all_or_nothing",
        "tags": [],
        "source_ref": "SA-9",
        "true_false_answer": None,
        "numeric_answer": None,
        "tolerance": Decimal(0),
        **{
            f"{n}_feedback{s}": "" for n in ("correct", "partial", "incorrect") for s in ("", "_en")
        },
    }
    item.update(values)
    return item


def test_an_english_accepted_answer_is_its_own_moodle_answer_with_the_same_grade():
    text = bank_export_moodle([_short_answer()]).decode()

    assert text.count('<answer fraction="100" format="moodle_auto_format">') == 2
    assert "<text>屏幕</text>" in text and "<text>screen</text>" in text
    (item,) = bank_parse(text.encode(), "b.xml").items
    # Moodle's way: two answers, each accepted with full marks and the same feedback.
    assert item["options"] == [("屏幕", "", True), ("screen", "", True), ("显示*", "", False)]
    assert item["option_feedback"][:2] == [("对", "Right"), ("对", "Right")]
    assert item["case_sensitive"] is True

    gift, left_out = bank_export_gift([_short_answer()])
    assert left_out == []
    assert "\t=屏幕#" in gift.decode() and "\t=%50%显示*" in gift.decode()


@pytest.mark.django_db
def test_xml_export_of_short_answer_and_matching_reimports_into_an_empty_bank_unchanged():
    bank_import(content=XML, filename="b.xml", apply=True)
    category = QuestionCategory.objects.get(name="术语")
    before = {
        q.source_ref: q.versions.order_by("-number").first().data
        for q in Question.objects.filter(category=category)
    }
    exported, _left = bank_export_as(category=category, fmt="xml")
    QuestionVersion.objects.all().delete()
    Question.objects.all().delete()

    report = bank_import(content=exported, filename="back.xml", apply=True)

    assert (report.created, report.errors) == (3, [])
    after = {
        q.source_ref: q.versions.order_by("-number").first().data for q in Question.objects.all()
    }
    assert {r: _without_keys(d) for r, d in after.items()} == {
        r: _without_keys(d) for r, d in before.items()
    }


def _without_keys(data):
    """A version's data without the option row keys, which a new import makes anew."""
    return {
        **data,
        "options": [{k: v for k, v in o.items() if k != "key"} for o in data["options"]],
    }
