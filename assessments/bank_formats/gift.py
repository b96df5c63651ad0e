"""GIFT question files (Moodle's text format): reading them and writing them."""

import re
from decimal import Decimal

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
    ItemError,
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
    _Problems,
    _unsupported_reason,
    _weights,
    fractions_of_weights,
    item_normalize,
    numeric_answer_entry,
)
from .markup import _multilang, _plain_answer, _plain_multilang, _rich_text

_GIFT_FIELDS = {
    "category": "$CATEGORY",
    "text": "question",
    "options": "answer",
    "correct": "answer",
    "true_false_answer": "answer",
    "numeric_answer": "answer",
    "source_ref": "title",
    "tags": "tags",
    "matches": "answer",
}
# Escaped characters become private-use code points while the structure is read.
_ESCAPES = {
    "\\\\": "\ue000",
    "\\~": "\ue001",
    "\\=": "\ue002",
    "\\#": "\ue003",
    "\\{": "\ue004",
    "\\}": "\ue005",
    "\\:": "\ue006",
    "\\n": "\ue007",
}
_UNESCAPE = {
    "\ue000": "\\",
    "\ue001": "~",
    "\ue002": "=",
    "\ue003": "#",
    "\ue004": "{",
    "\ue005": "}",
    "\ue006": ":",
    "\ue007": "\n",
}
_GIFT_META = re.compile(r"\[(id|tag):([^\]]+)\]")


def _escape(text: str) -> str:
    for raw, code in _ESCAPES.items():
        text = text.replace(raw, code)
    return text


def _unescape(text: str) -> str:
    for code, char in _UNESCAPE.items():
        text = text.replace(code, char)
    return text


def _gift_read(content: bytes, bank: ParsedBank) -> None:
    text = _decode(content, "gift", bank)
    blocks: list[tuple[list[str], list[str]]] = []
    lines: list[str] = []
    comments: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if not stripped:
            if lines:
                blocks.append((lines, comments))
            lines, comments = [], []
        elif stripped.startswith("//"):
            comments.append(stripped)
        else:
            lines.append(line)
    if lines:
        blocks.append((lines, comments))
    category: tuple[str, ...] = bank.default_category
    number = 0
    for lines, comments in blocks:
        if lines[0].strip().startswith("$CATEGORY:"):
            category = _moodle_category(lines[0].strip()[len("$CATEGORY:") :]) or (
                bank.default_category
            )
            lines = lines[1:]
            if not lines:
                continue
        number += 1
        _gift_question(bank, "\n".join(lines), comments, number, category)


def _gift_split(text: str, markers: str) -> list[str]:
    """Split answers at each marker character (= ~) that starts one."""
    return re.split(f"(?=[{re.escape(markers)}])", text)


def _gift_question(bank, raw, comments, number, category) -> None:
    text = _escape(raw).strip()
    title = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end == -1:
            _Problems(bank, number, text[:40]).error("title", _("The ::title:: is not closed."))
            return
        title, text = _unescape(text[2:end]).strip(), text[end + 2 :].strip()
    problems = _Problems(bank, number, title or _unescape(text)[:40])
    text_format = "moodle"
    format_match = re.match(r"^\[(html|moodle|plain|markdown)\]", text)
    if format_match:
        text_format, text = format_match.group(1), text[format_match.end() :]
    start = text.find("{")
    if start == -1:
        problems.skip(
            "type",
            _("Text without an {answer} is a description, not imported: %(reason)s")
            % {"reason": _unsupported_reason("description")},
        )
        return
    end = text.find("}", start)
    if end == -1:
        problems.error("answer", _("The answer has no closing }."))
        return
    if "{" in text[end + 1 :]:
        problems.error("answer", _("Only one {answer} per question is supported."))
        return
    answer = text[start + 1 : end].strip()
    before, after = text[:start].strip(), text[end + 1 :].strip()
    question_text = f"{before} _____ {after}" if after else before
    general = ""
    if "####" in answer:
        answer, general = answer.split("####", 1)
        answer = answer.strip()

    item = _new_item(number, category)
    is_html = text_format == "html"
    item["text"], item["text_en"] = _rich_text(
        _unescape(question_text), is_html, problems, "question"
    )
    item["explanation"], item["explanation_en"] = _rich_text(
        _unescape(general.strip()), is_html, problems, "feedback"
    )
    meta = _GIFT_META.findall(" ".join(comments))
    ids = [value.strip() for key, value in meta if key == "id"]
    item["source_ref"] = ids[0] if ids else ""
    tags = {value.strip() for key, value in meta if key == "tag"}
    for tag in sorted(tags):
        difficulty = _DIFFICULTY_TAG.match(tag)
        if difficulty:
            item["difficulty"] = int(difficulty.group(1))
            tags.discard(tag)
    item["tags"] = sorted(tags)

    def option_text(value):
        # An answer may carry its own format marker, as the question text may.
        value = value.strip()
        marker = re.match(r"^\[(html|moodle|plain|markdown)\]", value)
        option_html = is_html
        if marker:
            option_html, value = marker.group(1) == "html", value[marker.end() :]
        return _rich_text(_unescape(value.strip()), option_html, problems, "answer")

    if not answer:
        problems.skip(
            "type",
            _("Essay questions ({}) are not imported: %(reason)s")
            % {"reason": _unsupported_reason("essay")},
        )
        return
    # Moodle's order of reading: numeric, choice (any ~), matching, true/false, short answer.
    if answer.startswith("#"):
        item["kind"] = NUMERIC
        _gift_numeric(item, answer[1:].strip(), problems, option_text)
    elif "~" in answer:
        _gift_choice(item, answer, problems, option_text)
    elif "=" in answer and "->" in answer:
        _gift_matching(item, answer, problems, option_text)
    elif answer.partition("#")[0].strip().upper() not in ("T", "TRUE", "F", "FALSE"):
        _gift_short_answer(item, answer, option_text)
    else:
        truth, _sep, feedback = answer.partition("#")
        value = truth.strip().upper()
        item["kind"] = TRUE_FALSE
        item["true_false_answer"] = value in ("T", "TRUE")
        # {TRUE#shown when wrong#shown when right}, as Moodle reads it.
        wrong_note, _sep, right_note = feedback.partition("#")
        for name, note in (("incorrect", wrong_note), ("correct", right_note)):
            item[f"{name}_feedback"], item[f"{name}_feedback_en"] = option_text(note)
    _content_ref_give(item)
    _item_check(item, problems, _GIFT_FIELDS)
    if not problems.count:
        bank.items.append(item_normalize(item))


def _gift_short_answer(item, answer, option_text) -> None:
    """
    {=answer =%50%close answer#feedback}: every answer is right, with its grade (100% unless
    given); the answers are plain text, as Moodle compares them.
    """
    item["kind"] = SHORT_ANSWER
    parts = _gift_split(answer, "=")
    fractions = []
    for number, part in enumerate(parts):
        if number == 0 and not part.strip():
            continue
        body = part[1:] if part.startswith("=") else part
        weight = Decimal(100)
        weight_match = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", body)
        if weight_match:
            weight, body = Decimal(weight_match.group(1)), body[weight_match.end() :]
        body, _sep, note = body.partition("#")
        text, text_en = _plain_answer(_unescape(body.strip()))
        item["options"].append((text, text_en, weight >= 100))
        fractions.append((weight / 100).quantize(FRACTION_PLACES))
        item["option_feedback"].append(option_text(note))
    item["fractions"] = fractions


def _gift_matching(item, answer, problems, option_text) -> None:
    """
    {=item -> answer =item 2 -> answer 2 = -> extra answer}: the items in the question's format,
    the answers plain text; each rightly matched item earns its share, as in Moodle.
    """
    item["kind"] = MATCHING
    item["partial_credit"] = PROPORTIONAL
    parts = _gift_split(answer, "=")
    if parts[0].strip():
        problems.error(
            "answer",
            _("Text %(text)s comes before the first pair: start each pair with =.")
            % {"text": _unescape(parts[0].strip())[:40]},
        )
        return
    for part in parts[1:]:
        left, arrow, right = part[1:].partition("->")
        if not arrow:
            problems.error(
                "answer",
                _("Pair %(pair)s has no -> between the item and its answer.")
                % {"pair": _unescape(part[1:].strip())[:40]},
            )
            return
        item["options"].append((*option_text(left), False))
        item["matches"].append(_plain_answer(_unescape(right.strip())))


def _gift_choice(item, answer, problems, option_text) -> None:
    parts = _gift_split(answer, "=~")
    if parts[0].strip():
        problems.error(
            "answer",
            _("Text %(text)s comes before the first answer: start each answer with = or ~.")
            % {"text": _unescape(parts[0].strip())[:40]},
        )
        return
    single = "=" in answer
    item["kind"] = SINGLE if single else MULTIPLE
    weights = []
    for part in parts[1:]:
        marker, body = part[0], part[1:]
        weight = Decimal(100) if marker == "=" else Decimal(0)
        weight_match = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", body)
        if weight_match:
            weight, body = Decimal(weight_match.group(1)), body[weight_match.end() :]
        body, _sep, note = body.partition("#")
        text, text_en = option_text(body)
        weights.append(weight)
        item["options"].append((text, text_en, weight > 0))
        item["option_feedback"].append(option_text(note))
    item["fractions"] = fractions_of_weights(item["kind"], weights)


def _gift_numeric(item, answer, problems, option_text) -> None:
    """
    Moodle's numeric forms: {#x}, {#x:tolerance}, {#min..max}, and several answers with their
    grades ({#=%100%3.14:0.01 =%50%3.1:0.1}); "~" answers are wrong answers with their
    feedback ({#3:2~#Completely wrong}): a wrong answer is whatever matches no answer.
    """
    parts = _gift_split(answer, "=~")
    first = parts[0].strip()
    rights = [(Decimal(100), first)] if first else []
    wrong = []
    for part in parts[1:]:
        marker, body = part[0], part[1:].strip()
        if marker == "~":
            wrong.append(body)
            continue
        weight = Decimal(100)
        weight_match = re.match(r"%(-?\d+(?:\.\d+)?)%", body)
        if weight_match:
            weight, body = Decimal(weight_match.group(1)), body[weight_match.end() :].strip()
        rights.append((weight, body))
    entries = []
    for weight, body in rights:
        spec, _sep, note = body.partition("#")
        if not Decimal(0) <= weight <= Decimal(100):
            problems.error(
                "answer",
                _("Grade %(grade)s%% of a numerical answer is outside 0%% to 100%%.")
                % {"grade": _plain_number(weight)},
            )
            return
        number = _gift_number(_unescape(spec).strip(), problems)
        if number is None:
            return
        entries.append((weight, *number, option_text(note)))
    main = next((n for n, e in enumerate(entries) if e[0] >= 100), None)
    if main is None:
        problems.error("answer", _("A numerical question needs an answer graded 100%."))
        return
    _weight, item["numeric_answer"], item["tolerance"], notes = entries.pop(main)
    item["correct_feedback"], item["correct_feedback_en"] = notes
    item["numeric_answers"] = [
        numeric_answer_entry(value, tolerance, (weight / 100).quantize(FRACTION_PLACES), *notes)
        for weight, value, tolerance, notes in entries
    ]
    for body in wrong:
        # A wrong answer's feedback is shown for any number no answer matches.
        notes = option_text(body.partition("#")[2])
        if any(notes):
            item["numeric_answers"].append(numeric_answer_entry(None, 0, 0, *notes))


def _gift_number(spec: str, problems) -> tuple[Decimal, Decimal] | None:
    """Read "x", "x:tolerance" or "min..max" as (answer, tolerance)."""
    if ".." in spec:
        low_text, _dots, high_text = spec.partition("..")
        low = _number(low_text.strip(), problems, "answer", _("Answer"))
        high = _number(high_text.strip(), problems, "answer", _("Answer"))
        if low is None or high is None:
            return None
        low, high = min(low, high), max(low, high)
        return (low + high) / 2, (high - low) / 2
    number_text, sep, tolerance_text = spec.partition(":")
    value = _number(number_text.strip(), problems, "answer", _("Answer"))
    if value is None:
        return None
    if not sep:
        return value, Decimal(0)
    tolerance = _number(tolerance_text.strip(), problems, "answer", _("Tolerance"))
    if tolerance is None:
        return None
    return value, abs(tolerance)


_GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")


def _gift_escape(text: str) -> str:
    return _GIFT_SPECIAL.sub(r"\\\1", text)


def _gift_html(text: str, text_en: str = "") -> str:
    """Return a text for a GIFT file in [html] format: escaped for HTML, then for GIFT."""
    return _gift_escape(_multilang(text, text_en))


def bank_export_gift(items: list[dict]) -> tuple[bytes, list[ItemError]]:
    """
    Return `items` as a GIFT file, and the items GIFT cannot hold (ordering questions), each
    with the reason. GIFT has no points, no hidden flag, no combined feedback of choice and
    matching questions, no letter case rule of short answers (they read back as "case does not
    matter") and no all-or-nothing matching (it reads back as credit per pair): those stay
    behind; Moodle XML keeps them, except the last.
    """
    lines: list[str] = []
    left_out: list[ItemError] = []
    category = None
    for number, item in enumerate(items, start=1):
        item = item_normalize(item)
        kind = item["kind"]
        if kind == ORDERING:
            left_out.append(
                ItemError(
                    number,
                    item["text"][:60],
                    "type",
                    _("GIFT has no ordering questions: export to Moodle XML to keep them."),
                )
            )
            continue
        if item["category"] != category:
            category = item["category"]
            lines += [f"$CATEGORY: {_moodle_path(category)}", ""]
        meta = [f"[id:{item['source_ref']}]"] if item["source_ref"] else []
        meta += [f"[tag:{t}]" for t in item["tags"]] + [f"[tag:difficulty:{item['difficulty']}]"]
        lines.append("// " + " ".join(meta))
        title = _gift_escape(item["text"][:60].replace("\n", " "))
        general = ""
        if item["explanation"] or item["explanation_en"]:
            general = f"####{_gift_html(item['explanation'], item['explanation_en'])}"
        if kind in (SINGLE, MULTIPLE):
            answers = []
            weights = _weights(item)
            best = weights.index(max(weights)) if kind == SINGLE else -1
            notes = item["option_feedback"] or [("", "")] * len(item["options"])
            for n, ((text, text_en, _c), weight, (note, note_en)) in enumerate(
                zip(item["options"], weights, notes, strict=True)
            ):
                # A single choice needs its "=" (that is what makes it single in GIFT).
                marker = "=" if n == best else "~"
                grade = "" if marker == "=" and weight == 100 else f"%{_percent_text(weight)}%"
                if marker == "~" and weight == 0:
                    grade = ""
                feedback = f"#{_gift_html(note, note_en)}" if note or note_en else ""
                answers.append(f"\t{marker}{grade}{_gift_html(text, text_en)}{feedback}")
            body = "\n".join(answers)
        elif kind == SHORT_ANSWER:
            answers = []
            notes = item["option_feedback"] or [("", "")] * len(item["options"])
            for (text, text_en, _c), fraction, (note, note_en) in zip(
                item["options"], item["fractions"], notes, strict=True
            ):
                grade = "" if fraction == 1 else f"%{_percent_text(fraction * 100)}%"
                feedback = f"#{_gift_html(note, note_en)}" if note or note_en else ""
                for answer_text in dict.fromkeys(t for t in (text, text_en) if t):
                    answers.append(f"\t={grade}{_gift_escape(answer_text)}{feedback}")
            body = "\n".join(answers)
        elif kind == MATCHING:
            pairs = [
                f"\t={_gift_html(text, text_en) if text else ''} -> "
                f"{_gift_escape(_plain_multilang(match, match_en))}"
                for (text, text_en, _c), (match, match_en) in zip(
                    item["options"], item["matches"], strict=True
                )
            ]
            body = "\n".join(pairs)
        elif kind == TRUE_FALSE:
            value = "TRUE" if item["true_false_answer"] else "FALSE"
            wrong = _gift_html(item["incorrect_feedback"], item["incorrect_feedback_en"])
            right = _gift_html(item["correct_feedback"], item["correct_feedback_en"])
            body = value + (f"#{wrong}#{right}" if wrong or right else "")
        else:
            answers = []
            right = _gift_html(item["correct_feedback"], item["correct_feedback_en"])
            main = f"{_plain_number(item['numeric_answer'])}:{_plain_number(item['tolerance'])}"
            answers.append(f"={main}" + (f"#{right}" if right else ""))
            for entry in item["numeric_answers"]:
                note = _gift_html(entry.get("feedback", ""), entry.get("feedback_en", ""))
                if entry["value"] is None:
                    # GIFT's "~" stands for any other number, with its feedback, graded 0.
                    answers.append("~" + (f"#{note}" if note else ""))
                    continue
                grade = _percent_text(Decimal(entry["fraction"]) * 100)
                spec = f"{entry['value']}:{entry['tolerance']}"
                answers.append(f"=%{grade}%{spec}" + (f"#{note}" if note else ""))
            body = "#" + " ".join(answers)
        text = _gift_html(item["text"], item["text_en"])
        lines.append(
            f"::{title}::[html]{text}{{\n{body}\n{general}}}"
            if kind in (SINGLE, MULTIPLE, SHORT_ANSWER, MATCHING)
            else f"::{title}::[html]{text}{{{body}{general}}}"
        )
        lines.append("")
    return "\n".join(lines).encode("utf-8"), left_out
