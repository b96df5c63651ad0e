"""Moodle XML question files: reading them and writing them as Moodle reads them."""

import re
import xml.etree.ElementTree as ET  # noqa: S405 - DOCTYPE and ENTITY are refused before parsing
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .items import (
    _DIFFICULTY_TAG,
    FRACTION_PLACES,
    MATCHING,
    MULTIPLE,
    NUMERIC,
    ORDERING,
    PROPORTIONAL,
    SHORT_ANSWER,
    SINGLE,
    TRUE_FALSE,
    BankFileError,
    ParsedBank,
    _content_ref_give,
    _decode,
    _item_check,
    _moodle_category,
    _moodle_path,
    _new_item,
    _number,
    _percent_text,
    _plain_number,
    _points,
    _Problems,
    _unsupported_reason,
    _weights,
    fractions_of_weights,
    item_normalize,
    numeric_answer_entry,
)
from .markup import _multilang, _plain_answer, _plain_multilang, _rich_text

_MOODLE_FIELDS = {
    "category": "category",
    "text": "questiontext",
    "options": "answer",
    "correct": "answer",
    "true_false_answer": "answer",
    "numeric_answer": "answer",
    "source_ref": "name",
    "tags": "tags",
    "matches": "subquestion",
}
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.I)
_CDATA = re.compile(r"<!\[CDATA\[.*?\]\]>", re.S)


def _moodle_read(content: bytes, bank: ParsedBank) -> None:
    text = _decode(content, "moodle")
    # Entity declarations are how an XML file expands to gigabytes or reads server files: a
    # question bank never needs them. The check runs on the decoded text, which is also what is
    # parsed (as UTF-8 whatever the file declares), so no other encoding can hide one.
    # Text inside CDATA is question text (a question may quote "<!DOCTYPE html>"), never markup.
    if _DECLARATION.search(_CDATA.sub("", text)) or "\x00" in text:
        raise BankFileError(_("The file declares a DOCTYPE or entities; they are refused."))
    try:
        root = ET.fromstring(text)  # noqa: S314 - no DOCTYPE or ENTITY can reach the parser
    except ET.ParseError as exc:
        message = _("The file is not well-formed XML: %(error)s.") % {"error": exc}
        raise BankFileError(message) from exc
    if root.tag != "quiz":
        raise BankFileError(_("This is not a Moodle XML question file: it must start with <quiz>."))
    category: tuple[str, ...] = bank.default_category
    number = 0
    for element in root:
        if element.tag != "question":
            continue
        kind = element.get("type", "")
        if kind == "category":
            category = _moodle_category(_child_text(element, "category/text")) or (
                bank.default_category
            )
            continue
        number += 1
        _moodle_question(bank, element, kind, number, category)


def _child_text(element, path) -> str:
    found = element.find(path)
    return (found.text or "") if found is not None else ""


def _moodle_rich(element, path, problems, field_name) -> tuple[str, str]:
    """Return the Chinese and English text of a Moodle text element (<questiontext> …)."""
    container = element.find(path)
    if container is None:
        return "", ""
    if container.find("file") is not None:
        problems.warning(field_name, _("Images and attached files are not imported."))
    raw = _child_text(container, "text")
    is_html = container.get("format", "html") in ("html", "moodle_auto_format")
    return _rich_text(raw, is_html, problems, field_name)


_MOODLE_KINDS = ("multichoice", "truefalse", "numerical", "ordering", "shortanswer", "matching")


# qtype_ordering's <gradingtype>: -1 is all or nothing; every other rule gives partial credit.
_ORDERING_ALL_OR_NOTHING = "-1"


def _moodle_question(bank, element, kind, number, category) -> None:
    name = _child_text(element, "name/text").strip()
    problems = _Problems(bank, number, name)
    if kind not in _MOODLE_KINDS:
        problems.skip(
            "type",
            _("Question type %(type)s is not imported: %(reason)s")
            % {"type": kind or "?", "reason": _unsupported_reason(kind)},
        )
        return
    item = _new_item(number, category)
    item["text"], item["text_en"] = _moodle_rich(element, "questiontext", problems, "questiontext")
    item["explanation"], item["explanation_en"] = _moodle_rich(
        element, "generalfeedback", problems, "generalfeedback"
    )
    # Moodle question names are names, not keys (two "Question 1" are common); the idnumber is
    # the reference, and without one the question is found again by its text.
    item["source_ref"] = _child_text(element, "idnumber").strip()
    hidden = _child_text(element, "hidden").strip().lower()
    if hidden:
        # A question hidden in Moodle's bank is kept out of new quizzes: here it is inactive.
        item["active"] = hidden not in ("1", "true")
    tags = {t.text.strip() for t in element.findall("tags/tag/text") if t.text and t.text.strip()}
    for tag in sorted(tags):
        difficulty = _DIFFICULTY_TAG.match(tag)
        if difficulty:
            item["difficulty"] = int(difficulty.group(1))
            tags.discard(tag)
    item["tags"] = sorted(tags)
    grade = _child_text(element, "defaultgrade").strip()
    if grade:
        item["points"] = _points(grade, problems, "defaultgrade")
    answers = []
    feedbacks = []
    for answer in element.findall("answer"):
        try:
            fraction = Decimal(answer.get("fraction", "0"))
        except InvalidOperation:
            problems.error(
                "answer",
                _("Answer fraction %(value)r is not a number.") % {"value": answer.get("fraction")},
            )
            return
        raw = _child_text(answer, "text")
        is_html = answer.get("format", "plain_text") in ("html", "moodle_auto_format")
        if kind == "shortanswer":
            # Moodle compares the typed text with the answer as it is written: plain text.
            text, text_en = _plain_answer(raw)
            if not text and not text_en:
                continue  # Moodle's form leaves blank answers out
        else:
            text, text_en = _rich_text(raw, is_html, problems, "answer")
        answers.append((fraction, text, text_en, answer))
        feedbacks.append(_moodle_rich(answer, "feedback", problems, "feedback"))
    for name, tag in (
        ("correct", "correctfeedback"),
        ("partial", "partiallycorrectfeedback"),
        ("incorrect", "incorrectfeedback"),
    ):
        item[f"{name}_feedback"], item[f"{name}_feedback_en"] = _moodle_rich(
            element, tag, problems, tag
        )
    if kind == "multichoice":
        single = _child_text(element, "single").strip().lower() in ("true", "1", "")
        item["kind"] = SINGLE if single else MULTIPLE
        item["options"] = [(t, te, f > 0) for f, t, te, _a in answers]
        item["fractions"] = fractions_of_weights(item["kind"], [f for f, *_rest in answers])
        item["option_feedback"] = feedbacks
    elif kind == "ordering":
        # qtype_ordering lists the items in their right order.
        item["kind"] = ORDERING
        item["options"] = [(t, te, True) for _f, t, te, _a in answers]
        grading = _child_text(element, "gradingtype").strip()
        if grading and grading != _ORDERING_ALL_OR_NOTHING:
            item["partial_credit"] = PROPORTIONAL
    elif kind == "shortanswer":
        item["kind"] = SHORT_ANSWER
        item["case_sensitive"] = _child_text(element, "usecase").strip().lower() in ("1", "true")
        item["options"] = [(t, te, f >= 100) for f, t, te, _a in answers]
        item["fractions"] = [(f / 100).quantize(FRACTION_PLACES) for f, *_rest in answers]
        item["option_feedback"] = feedbacks
    elif kind == "matching":
        item["kind"] = MATCHING
        # Moodle gives each rightly matched item its share of the points.
        item["partial_credit"] = PROPORTIONAL
        for sub in element.findall("subquestion"):
            is_html = sub.get("format", "html") in ("html", "moodle_auto_format")
            text, text_en = _rich_text(_child_text(sub, "text"), is_html, problems, "subquestion")
            match, match_en = _plain_answer(_child_text(sub, "answer/text"))
            if text or text_en or match or match_en:
                item["options"].append((text, text_en, False))
                item["matches"].append((match, match_en))
    elif kind == "truefalse":
        item["kind"] = TRUE_FALSE
        truth = [f for f, t, _te, _a in answers if t.strip().lower() == "true"]
        if not truth:
            problems.error("answer", _("The true/false question has no answer for true."))
        else:
            item["true_false_answer"] = truth[0] > 0
            # The feedback of the right answer is shown when right, the other's when wrong.
            for (_f, text, _te, _a), (note, note_en) in zip(answers, feedbacks, strict=True):
                right = (text.strip().lower() == "true") == item["true_false_answer"]
                name = "correct" if right else "incorrect"
                if note or note_en:
                    item[f"{name}_feedback"], item[f"{name}_feedback_en"] = note, note_en
    else:
        item["kind"] = NUMERIC
        _moodle_numerical(item, element, answers, feedbacks, problems)
    _content_ref_give(item)
    _item_check(item, problems, _MOODLE_FIELDS)
    if not problems.count:
        bank.items.append(item_normalize(item))


def _moodle_numerical(item, element, answers, feedbacks, problems) -> None:
    """
    The first answer graded 100% is the answer (its feedback is the feedback when right); every
    other one is kept with its grade and feedback (Moodle gives a close answer part of the
    points, and "*" stands for any number).
    """
    right = [a for a in answers if a[0] >= 100]
    if not right:
        problems.error("answer", _("A numerical question needs an answer graded 100%."))
        return
    for (fraction, text, _text_en, answer), (note, note_en) in zip(answers, feedbacks, strict=True):
        if not Decimal(0) <= fraction <= Decimal(100):
            problems.error(
                "answer",
                _("Grade %(grade)s%% of a numerical answer is outside 0%% to 100%%.")
                % {"grade": _plain_number(fraction)},
            )
            return
        value = None if text.strip() == "*" else _number(text, problems, "answer", _("Answer"))
        tolerance_text = _child_text(answer, "tolerance").strip()
        tolerance = Decimal(0)
        if tolerance_text:
            tolerance = _number(tolerance_text, problems, "tolerance", _("Tolerance"))
        if problems.count:
            return
        if answer is right[0][3]:
            item["numeric_answer"], item["tolerance"] = value, abs(tolerance)
            if note or note_en:
                item["correct_feedback"], item["correct_feedback_en"] = note, note_en
        else:
            grade = (fraction / 100).quantize(FRACTION_PLACES)
            item["numeric_answers"].append(
                numeric_answer_entry(value, tolerance, grade, note, note_en)
            )
    if item["numeric_answer"] is None:
        problems.error("answer", _("The answer with full marks cannot be *: give a number."))
    units = [u for u in element.findall("units/unit") if _child_text(u, "unit_name").strip()]
    if units:
        problems.warning("units", _("Units are not imported: only the number is checked."))


def bank_export_moodle(items: list[dict]) -> bytes:
    """Return `items` as a Moodle XML question file that Moodle and `bank_parse` read back."""

    def text_element(parent, tag, text, text_en="", fmt="html"):
        container = ET.SubElement(parent, tag, {"format": fmt})
        ET.SubElement(container, "text").text = _multilang(text, text_en)
        return container

    quiz = ET.Element("quiz")
    category = None
    for item in items:
        item = item_normalize(item)
        if item["category"] != category:
            category = item["category"]
            wrapper = ET.SubElement(quiz, "question", {"type": "category"})
            ET.SubElement(ET.SubElement(wrapper, "category"), "text").text = _moodle_path(category)
        kind = item["kind"]
        moodle_type = {
            SINGLE: "multichoice",
            MULTIPLE: "multichoice",
            TRUE_FALSE: "truefalse",
            NUMERIC: "numerical",
            ORDERING: "ordering",
            SHORT_ANSWER: "shortanswer",
            MATCHING: "matching",
        }[kind]
        question = ET.SubElement(quiz, "question", {"type": moodle_type})
        ET.SubElement(ET.SubElement(question, "name"), "text").text = item["text"][:60]
        text_element(question, "questiontext", item["text"], item["text_en"])
        text_element(question, "generalfeedback", item["explanation"], item["explanation_en"])
        ET.SubElement(question, "defaultgrade").text = _plain_number(item["points"])
        ET.SubElement(question, "penalty").text = "0"
        ET.SubElement(question, "hidden").text = "1" if item.get("active") is False else "0"
        ET.SubElement(question, "idnumber").text = item["source_ref"]
        if kind in (SINGLE, MULTIPLE, ORDERING, MATCHING, SHORT_ANSWER):
            # Moodle's short answer has no combined feedback and ignores it; this platform reads it.
            for name, tag in (
                ("correct", "correctfeedback"),
                ("partial", "partiallycorrectfeedback"),
                ("incorrect", "incorrectfeedback"),
            ):
                text_element(question, tag, item[f"{name}_feedback"], item[f"{name}_feedback_en"])
        if kind in (SINGLE, MULTIPLE):
            ET.SubElement(question, "single").text = "true" if kind == SINGLE else "false"
            ET.SubElement(question, "shuffleanswers").text = "true"
            ET.SubElement(question, "answernumbering").text = "abc"
            notes = item["option_feedback"] or [("", "")] * len(item["options"])
            for (text, text_en, _c), weight, (note, note_en) in zip(
                item["options"], _weights(item), notes, strict=True
            ):
                answer = ET.SubElement(
                    question, "answer", {"fraction": _percent_text(weight), "format": "html"}
                )
                ET.SubElement(answer, "text").text = _multilang(text, text_en)
                text_element(answer, "feedback", note, note_en)
        elif kind == SHORT_ANSWER:
            ET.SubElement(question, "usecase").text = "1" if item["case_sensitive"] else "0"
            notes = item["option_feedback"] or [("", "")] * len(item["options"])
            for (text, text_en, _c), fraction, note in zip(
                item["options"], item["fractions"], notes, strict=True
            ):
                # Moodle compares the typed text with each answer as written: an English answer
                # is an answer of its own, with the same grade and feedback.
                for answer_text in dict.fromkeys(t for t in (text, text_en) if t):
                    answer = ET.SubElement(
                        question,
                        "answer",
                        {"fraction": _percent_text(fraction * 100), "format": "moodle_auto_format"},
                    )
                    ET.SubElement(answer, "text").text = answer_text
                    text_element(answer, "feedback", *note)
        elif kind == MATCHING:
            ET.SubElement(question, "shuffleanswers").text = "true"
            for (text, text_en, _c), (match, match_en) in zip(
                item["options"], item["matches"], strict=True
            ):
                sub = ET.SubElement(question, "subquestion", {"format": "html"})
                ET.SubElement(sub, "text").text = _multilang(text, text_en) if text else ""
                ET.SubElement(ET.SubElement(sub, "answer"), "text").text = _plain_multilang(
                    match, match_en
                )
        elif kind == ORDERING:
            ET.SubElement(question, "layouttype").text = "VERTICAL"
            ET.SubElement(question, "selecttype").text = "ALL"
            ET.SubElement(question, "selectcount").text = "0"
            # qtype_ordering: -1 all or nothing; 0 one share per item in its absolute place.
            ET.SubElement(question, "gradingtype").text = (
                "0" if item["partial_credit"] == PROPORTIONAL else _ORDERING_ALL_OR_NOTHING
            )
            for n, (text, text_en, _c) in enumerate(item["options"], start=1):
                answer = ET.SubElement(question, "answer", {"fraction": str(n), "format": "html"})
                ET.SubElement(answer, "text").text = _multilang(text, text_en)
        elif kind == TRUE_FALSE:
            for value in (True, False):
                right = value == item["true_false_answer"]
                name = "correct" if right else "incorrect"
                answer = ET.SubElement(
                    question,
                    "answer",
                    {"fraction": "100" if right else "0", "format": "moodle_auto_format"},
                )
                ET.SubElement(answer, "text").text = "true" if value else "false"
                text_element(
                    answer, "feedback", item[f"{name}_feedback"], item[f"{name}_feedback_en"]
                )
        else:
            answer = ET.SubElement(
                question, "answer", {"fraction": "100", "format": "moodle_auto_format"}
            )
            ET.SubElement(answer, "text").text = _plain_number(item["numeric_answer"])
            text_element(answer, "feedback", item["correct_feedback"], item["correct_feedback_en"])
            ET.SubElement(answer, "tolerance").text = _plain_number(item["tolerance"])
            for entry in item["numeric_answers"]:
                fraction = _percent_text(Decimal(entry["fraction"]) * 100)
                answer = ET.SubElement(
                    question, "answer", {"fraction": fraction, "format": "moodle_auto_format"}
                )
                ET.SubElement(answer, "text").text = (
                    "*" if entry["value"] is None else entry["value"]
                )
                text_element(
                    answer, "feedback", entry.get("feedback", ""), entry.get("feedback_en", "")
                )
                ET.SubElement(answer, "tolerance").text = entry["tolerance"]
        tags = [*item["tags"], f"difficulty:{item['difficulty']}"]
        tag_list = ET.SubElement(question, "tags")
        for tag in tags:
            ET.SubElement(ET.SubElement(tag_list, "tag"), "text").text = tag
    ET.indent(quiz)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="utf-8") + b"\n"
