"""The XLSX sheet trainers fill in: reading it and writing it, with its README sheet."""

import io
import json
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .items import (
    ALL_OR_NOTHING,
    FEEDBACKS,
    FRACTION_PLACES,
    GRADED_KINDS,
    KINDS,
    MATCHING,
    MIN_OPTION_COLUMNS,
    MULTIPLE,
    NUMERIC,
    ORDERING,
    PARTIAL_CREDIT_KINDS,
    PROPORTIONAL,
    README_SHEET,
    SHEET,
    SHORT_ANSWER,
    SINGLE,
    TRUE_FALSE,
    BankFileError,
    ItemError,
    ParsedBank,
    _category_path,
    _decimal,
    _item_check,
    _new_item,
    _number,
    _percent_text,
    _plain_number,
    _points,
    _Problems,
    _tags,
    _text,
    item_normalize,
    numeric_answer_entry,
    numeric_answers_problems,
)

_TYPE_ALIASES = {
    "single": SINGLE, "single choice": SINGLE, "单选": SINGLE, "单选题": SINGLE,
    "multiple": MULTIPLE, "multiple choice": MULTIPLE, "多选": MULTIPLE, "多选题": MULTIPLE,
    "true_false": TRUE_FALSE, "truefalse": TRUE_FALSE, "true/false": TRUE_FALSE,
    "判断": TRUE_FALSE, "判断题": TRUE_FALSE,
    "ordering": ORDERING, "排序": ORDERING, "排序题": ORDERING,
    "numeric": NUMERIC, "numerical": NUMERIC, "数值": NUMERIC, "数值题": NUMERIC,
    "short_answer": SHORT_ANSWER, "short answer": SHORT_ANSWER, "shortanswer": SHORT_ANSWER,
    "填空": SHORT_ANSWER, "填空题": SHORT_ANSWER,
    "matching": MATCHING, "match": MATCHING, "配对": MATCHING, "配对题": MATCHING,
    "匹配": MATCHING, "匹配题": MATCHING, "连线题": MATCHING,
}  # fmt: skip
_DIFFICULTY = {
    "1": 1, "easy": 1, "易": 1, "容易": 1, "简单": 1,
    "2": 2, "medium": 2, "中": 2, "中等": 2,
    "3": 3, "hard": 3, "难": 3, "困难": 3,
}  # fmt: skip
_PARTIAL = {
    "all_or_nothing": ALL_OR_NOTHING, "全对得分": ALL_OR_NOTHING, "全对才得分": ALL_OR_NOTHING,
    "proportional": PROPORTIONAL, "按比例": PROPORTIONAL, "按比例得分": PROPORTIONAL,
}  # fmt: skip
_TRUE = {"true", "t", "yes", "y", "1", "对", "正确", "是", "√", "✓"}
_FALSE = {"false", "f", "no", "n", "0", "错", "错误", "否", "×", "✗"}

XLSX_REQUIRED = ("category", "type", "question", "correct")
XLSX_COLUMNS = (
    "category",
    "type",
    "difficulty",
    "question",
    "question_en",
    "correct",
    "tolerance",
    "points",
    "partial_credit",
    "explanation",
    "explanation_en",
    "tags",
    "ref",
    # Added for what Moodle banks carry; a sheet without them reads as before.
    "case_sensitive",
    "numeric_answers",
    "correct_feedback",
    "correct_feedback_en",
    "partial_feedback",
    "partial_feedback_en",
    "incorrect_feedback",
    "incorrect_feedback_en",
)
# Per option: option_N and option_N_en first, then (after the question's columns) these.
OPTION_EXTRAS = ("_match", "_match_en", "_grade", "_feedback", "_feedback_en")
_OPTION_COLUMN = re.compile(r"^option_(\d+)(_en|_match|_match_en|_grade|_feedback|_feedback_en)?$")
_XLSX_FIELDS = {
    "category": "category",
    "text": "question",
    "options": "option_{n}",
    "correct": "correct",
    "true_false_answer": "correct",
    "numeric_answer": "correct",
    "source_ref": "ref",
    "tags": "tags",
    "matches": "option_{n}_match",
}


def xlsx_columns(option_count: int = MIN_OPTION_COLUMNS, *, number: str | None = None) -> list[str]:
    """
    Return the header of the questions sheet, in the order the export writes it: the simple
    columns first (what a trainer fills in for a choice question), then those of Moodle's
    grades and feedback. With `number` ("N"), each option column is named once, as option_N.
    """
    numbers = [number] if number else range(1, max(option_count, MIN_OPTION_COLUMNS) + 1)
    options, extras = [], []
    for n in numbers:
        options += [f"option_{n}", f"option_{n}_en"]
        extras += [f"option_{n}{suffix}" for suffix in OPTION_EXTRAS]
    head, tail = list(XLSX_COLUMNS[:5]), list(XLSX_COLUMNS[5:])
    return [*head, *options, *tail, *extras]


def _xlsx_read(content: bytes, bank: ParsedBank) -> None:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise BankFileError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        names = {name.lower(): name for name in workbook.sheetnames}
        if SHEET in names:
            sheet = workbook[names[SHEET]]
        else:
            others = [n for n in workbook.sheetnames if n.lower() != README_SHEET.lower()]
            if not others:
                raise BankFileError(_('The workbook has no sheet named "questions".'))
            sheet = workbook[others[0]]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not rows:
        raise BankFileError(_("The questions sheet is empty: its first row names the columns."))
    header = [_text(h).lower().replace(" ", "_") for h in rows[0]]
    columns: dict[str, int] = {}
    options: dict[int, dict[str, int]] = {}
    unknown = []
    for index, name in enumerate(header):
        if not name:
            continue
        option = _OPTION_COLUMN.match(name)
        if option:
            options.setdefault(int(option.group(1)), {})[option.group(2) or ""] = index
        elif name in XLSX_COLUMNS:
            columns[name] = index
        else:
            unknown.append(name)
    missing = [c for c in XLSX_REQUIRED if c not in columns]
    if missing:
        raise BankFileError(
            _("Missing required columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    for name in unknown:
        # A misspelt column would otherwise be dropped without a word.
        bank.errors.append(ItemError(1, "", name, _("Unknown column %(name)s.") % {"name": name}))
    for number, values in enumerate(rows[1:], start=2):
        if all(_text(v) == "" for v in values):
            continue

        def cell(name, values=values):
            index = columns.get(name)
            return values[index] if index is not None and index < len(values) else None

        def option_cell(n, suffix, values=values):
            index = options.get(n, {}).get(suffix)
            return values[index] if index is not None and index < len(values) else None

        _xlsx_row(bank, number, cell, option_cell, sorted(options))


def _xlsx_row(bank, number, cell, option_cell, option_numbers) -> None:
    label = _text(cell("ref")) or _text(cell("question"))
    problems = _Problems(bank, number, label)
    item = _new_item(number, _category_path(_text(cell("category"))) or bank.default_category)
    kind_text = _text(cell("type"))
    item["kind"] = _TYPE_ALIASES.get(kind_text.lower(), "")
    if not kind_text:
        problems.error("type", _("This column is required."))
    elif not item["kind"]:
        problems.error(
            "type",
            _(
                "Unknown question type %(value)s: use single, multiple, true_false, ordering, "
                "numeric, short_answer or matching."
            )
            % {"value": kind_text},
        )
    difficulty = _text(cell("difficulty"))
    if difficulty:
        item["difficulty"] = _DIFFICULTY.get(difficulty.lower(), 0)
        if not item["difficulty"]:
            problems.error(
                "difficulty",
                _("Unknown difficulty %(value)s: use 1 (easy), 2 (medium) or 3 (hard).")
                % {"value": difficulty},
            )
    item["text"] = _text(cell("question"))
    item["text_en"] = _text(cell("question_en"))
    item["explanation"] = _text(cell("explanation"))
    item["explanation_en"] = _text(cell("explanation_en"))
    item["tags"] = _tags(cell("tags"))
    item["source_ref"] = _text(cell("ref"))
    item["points"] = _points(cell("points"), problems, "points")

    texts, extras = [], []
    last_filled = 0
    for n in option_numbers:
        text, text_en = _text(option_cell(n, "")), _text(option_cell(n, "_en"))
        match, match_en = _text(option_cell(n, "_match")), _text(option_cell(n, "_match_en"))
        grade, note = _text(option_cell(n, "_grade")), _text(option_cell(n, "_feedback"))
        note_en = _text(option_cell(n, "_feedback_en"))
        if not (text or text_en or match or match_en) and (grade or note or note_en):
            problems.error(
                f"option_{n}",
                _("Option %(n)s has a grade or feedback but no text.") % {"n": n},
            )
        if text or text_en or match or match_en:
            if n != last_filled + 1:
                problems.error(
                    f"option_{n}",
                    _(
                        "Option %(n)s is filled but option %(gap)s is empty: fill the options "
                        "from option_1 on, without gaps."
                    )
                    % {"n": n, "gap": last_filled + 1},
                )
            last_filled = n
            # A matching question's pair without an item is an extra wrong answer.
            if not text and item["kind"] != MATCHING:
                problems.error(
                    f"option_{n}",
                    _("Option %(n)s has only an English text.") % {"n": n},
                )
            texts.append((text, text_en))
            extras.append((n, match, match_en, grade, note, note_en))
    _xlsx_extras(item, extras, cell, problems)

    partial = _text(cell("partial_credit"))
    if partial:
        item["partial_credit"] = _PARTIAL.get(partial.lower(), "")
        if not item["partial_credit"]:
            problems.error(
                "partial_credit",
                _("Unknown partial credit rule %(value)s: use all_or_nothing or proportional.")
                % {"value": partial},
            )
        elif item["partial_credit"] == PROPORTIONAL and item["kind"] not in PARTIAL_CREDIT_KINDS:
            problems.error(
                "partial_credit",
                _(
                    "Partial credit applies to multiple choice, ordering and matching questions "
                    "only."
                ),
            )
    tolerance = _text(cell("tolerance"))
    if tolerance:
        if item["kind"] != NUMERIC:
            problems.error("tolerance", _("Tolerance applies to numeric questions only."))
        else:
            value = _number(cell("tolerance"), problems, "tolerance", _("Tolerance"))
            if value is not None and value < 0:
                problems.error("tolerance", _("The tolerance cannot be negative."))
            elif value is not None:
                item["tolerance"] = value

    _xlsx_answer(item, cell("correct"), texts, problems)
    _item_check(item, problems, _XLSX_FIELDS)
    if not problems.count:
        bank.items.append(item_normalize(item))


def _xlsx_extras(item, extras, cell, problems) -> None:
    """
    Read the columns of Moodle's grades and feedback: per option its matching answer, grade
    and feedback; per question the letter case rule, the further numeric answers and the
    feedback by outcome. A column filled for a kind that has no use for it is an error, never
    dropped without a word.
    """
    kind = item["kind"]
    for name in FEEDBACKS:
        for suffix in ("", "_en"):
            item[f"{name}_feedback{suffix}"] = _text(cell(f"{name}_feedback{suffix}"))
    case = _text(cell("case_sensitive"))
    if case:
        if case.lower() in _TRUE:
            item["case_sensitive"] = True
        elif case.lower() not in _FALSE:
            problems.error(
                "case_sensitive",
                _("Write TRUE or FALSE (or 对 / 错), not %(value)s.") % {"value": case},
            )
        if item["case_sensitive"] and kind != SHORT_ANSWER:
            problems.error(
                "case_sensitive", _("Letter case applies to short answer questions only.")
            )
    further = _text(cell("numeric_answers"))
    if further:
        if kind != NUMERIC:
            problems.error(
                "numeric_answers", _("Further numeric answers apply to numeric questions only.")
            )
        else:
            item["numeric_answers"] = _numeric_answers_read(further, problems)
    grades = []
    for n, match, match_en, grade, note, note_en in extras:
        if (match or match_en) and kind != MATCHING:
            problems.error(
                f"option_{n}_match", _("Matching answers apply to matching questions only.")
            )
        if (note or note_en) and kind not in GRADED_KINDS:
            problems.error(
                f"option_{n}_feedback",
                _(
                    "Option feedback applies to single choice, multiple choice and short "
                    "answer questions only."
                ),
            )
        if grade and kind not in GRADED_KINDS:
            problems.error(
                f"option_{n}_grade",
                _(
                    "Option grades apply to single choice, multiple choice and short answer "
                    "questions only."
                ),
            )
        grades.append(_grade(grade, problems, f"option_{n}_grade") if grade else None)
        item["matches"].append((match, match_en))
        item["option_feedback"].append((note, note_en))
    if kind in GRADED_KINDS and any(g is not None for g in grades):
        # A short answer's blank grade is full marks; a choice option's is none.
        blank = Decimal(1) if kind == SHORT_ANSWER else Decimal(0)
        item["fractions"] = [blank if g is None else g for g in grades]
        if kind == SINGLE and all(f in (0, 1) for f in item["fractions"]):
            item["fractions"] = None  # the correct column says the same


def _grade(value: str, problems, field_name) -> Decimal | None:
    """Read a grade in percent ("50", "50%", "-33.33333") as Moodle's fraction."""
    number = _decimal(value.rstrip("%").strip())
    if number is None:
        problems.error(
            field_name,
            _("Grade %(value)s is not a number: give a percent, e.g. 50 or -25.")
            % {"value": value},
        )
        return None
    return (number / 100).quantize(FRACTION_PLACES)


def _numeric_answers_read(text: str, problems) -> list[dict]:
    """
    Read further numeric answers: one a line (or separated by ;) as VALUE:TOLERANCE=GRADE%,
    VALUE * for any number, then # and the feedback, and | and its English; or, as the export
    writes feedback with those characters, the JSON list the question editor shows.
    """
    field_name = "numeric_answers"
    if text.startswith("["):
        try:
            entries = json.loads(text)
        except ValueError:
            problems.error(field_name, _("The further answers are not a readable JSON list."))
            return []
        messages = numeric_answers_problems(entries)
        for message in messages:
            problems.error(field_name, message)
        if messages:
            return []
        return [
            numeric_answer_entry(
                e["value"],
                e.get("tolerance"),
                e["fraction"],
                e.get("feedback") or "",
                e.get("feedback_en") or "",
            )
            for e in entries
        ]
    entries = []
    for line in (p.strip() for p in re.split(r"[\n;；]", text)):
        if not line:
            continue
        spec, _sep, note = line.partition("#")
        note, _sep, note_en = note.partition("|")
        answer, equals, grade = spec.partition("=")
        value_text, _sep, tolerance_text = answer.partition(":")
        value_text, tolerance_text = value_text.strip(), tolerance_text.strip() or "0"
        value = None if value_text == "*" else _decimal(value_text)
        tolerance, fraction = _decimal(tolerance_text), _decimal(grade.rstrip().rstrip("%"))
        if not equals or (value is None and value_text != "*") or None in (tolerance, fraction):
            problems.error(
                field_name,
                _("Write each further answer as VALUE:TOLERANCE=GRADE%%, e.g. 9:0.5=50%%, not "
                  "%(value)s.") % {"value": line[:40]},
            )  # fmt: skip
            return []
        entries.append(
            numeric_answer_entry(
                value, tolerance, (fraction / 100).quantize(FRACTION_PLACES), note.strip(),
                note_en.strip(),
            )
        )  # fmt: skip
    for message in numeric_answers_problems(entries):
        problems.error(field_name, message)
    return entries


def _numeric_answers_text(entries: list[dict]) -> str:
    """The further numeric answers as `_numeric_answers_read` reads them back."""
    notes = [e.get(k, "") for e in entries for k in ("feedback", "feedback_en")]
    if any(re.search(r"[#|;；\n=]", note) or note != note.strip() for note in notes):
        return json.dumps(entries, ensure_ascii=False)
    lines = []
    for entry in entries:
        value = "*" if entry["value"] is None else entry["value"]
        grade = _percent_text(Decimal(entry["fraction"]) * 100)
        line = f"{value}:{entry['tolerance']}={grade}%"
        if entry.get("feedback") or entry.get("feedback_en"):
            line += f"#{entry.get('feedback', '')}"
            if entry.get("feedback_en"):
                line += f"|{entry['feedback_en']}"
        lines.append(line)
    return "\n".join(lines)


def _option_numbers(value, count, problems) -> list[int] | None:
    """Read "1,3" or "A,C" as option numbers; None (and an error) when a token is no option."""
    tokens = [t for t in re.split(r"[\s,，、;；]+", _text(value)) if t]
    numbers = []
    for token in tokens:
        if token.isdigit():
            number = int(token)
        elif len(token) == 1 and token.isalpha() and token.isascii():
            number = ord(token.upper()) - ord("A") + 1
        else:
            number = 0
        if not 1 <= number <= count:
            problems.error(
                "correct",
                _("%(value)s is not one of the options (1 to %(count)s, or A, B, …).")
                % {"value": token, "count": count},
            )
            return None
        numbers.append(number)
    return numbers


def _xlsx_answer(item, value, texts, problems) -> None:
    kind, text = item["kind"], _text(value)
    if kind in (SINGLE, MULTIPLE, ORDERING, SHORT_ANSWER, MATCHING) and not texts:
        return  # the rules of the kind say that options are missing
    if kind in (SHORT_ANSWER, MATCHING):
        if text:
            problems.error(
                "correct",
                _("Leave correct blank: a short answer's options are its accepted answers "
                  "(grades in option_N_grade, blank is 100%), a matching question's answers "
                  "go in option_N_match."),
            )  # fmt: skip
        item["options"] = [(t, te, False) for t, te in texts]
    elif kind in (SINGLE, MULTIPLE) and item["fractions"] is not None:
        # Graded options: the grades decide which are right; a correct column must agree.
        item["options"] = [(t, te, False) for t, te in texts]
        flags = item_normalize(item)["options"]
        if text:
            numbers = _option_numbers(value, len(texts), problems)
            right = {n for n, o in enumerate(flags, start=1) if o[2]}
            if numbers is not None and set(numbers) != right:
                problems.error(
                    "correct",
                    _("The correct options (%(given)s) are not those the grades make right "
                      "(%(right)s): leave correct blank or make them agree.")
                    % {"given": text, "right": ",".join(map(str, sorted(right))) or "—"},
                )  # fmt: skip
        item["options"] = flags
    elif kind in (SINGLE, MULTIPLE):
        if not text:
            problems.error("correct", _("Give the correct option number(s), e.g. 2 or 1,3."))
            return
        numbers = _option_numbers(value, len(texts), problems)
        if numbers is not None:
            right = set(numbers)
            item["options"] = [(t, te, n in right) for n, (t, te) in enumerate(texts, start=1)]
    elif kind == ORDERING:
        if not text:
            item["options"] = [(t, te, False) for t, te in texts]
            return
        numbers = _option_numbers(value, len(texts), problems)
        if numbers is None:
            return
        if sorted(numbers) != list(range(1, len(texts) + 1)):
            problems.error(
                "correct",
                _("List every option number once, in the right order, e.g. 2,1,3."),
            )
            return
        item["options"] = [(*texts[n - 1], False) for n in numbers]
    elif kind == TRUE_FALSE:
        item["options"] = [(t, te, False) for t, te in texts]
        if isinstance(value, bool):
            item["true_false_answer"] = value
        elif text.lower() in _TRUE:
            item["true_false_answer"] = True
        elif text.lower() in _FALSE:
            item["true_false_answer"] = False
        else:
            problems.error(
                "correct", _("Write TRUE or FALSE (or 对 / 错), not %(value)s.") % {"value": text}
            )
    elif kind == NUMERIC:
        item["options"] = [(t, te, False) for t, te in texts]
        if not text:
            problems.error("correct", _("A numeric question needs its numeric answer."))
            return
        item["numeric_answer"] = _number(value, problems, "correct", _("Answer"))


def _answer_text(item) -> str:
    kind = item["kind"]
    if kind in (SHORT_ANSWER, MATCHING):
        return ""
    if kind in (SINGLE, MULTIPLE):
        return ",".join(str(n) for n, o in enumerate(item["options"], start=1) if o[2])
    if kind == ORDERING:
        return ",".join(str(n) for n in range(1, len(item["options"]) + 1))
    if kind == TRUE_FALSE:
        return "TRUE" if item["true_false_answer"] else "FALSE"
    return _plain_number(item["numeric_answer"])


_README = [
    (
        "category",
        "必填。题库分类，多级用“/”分隔，如“三包政策/手机”；不存在的分类会自动创建。",
        'Required. Category path, levels separated by "/", e.g. 三包政策/手机; missing '
        "categories are created.",
        "三包政策/手机",
    ),
    (
        "type",
        "必填。题型：single 单选、multiple 多选、true_false 判断、ordering 排序、numeric 数值、"
        "short_answer 填空、matching 配对；也可写“单选、多选、判断、排序、数值、填空、配对”。",
        "Required. single, multiple, true_false, ordering, numeric, short_answer or matching (or "
        "单选, 多选, 判断, 排序, 数值, 填空, 配对).",
        "single",
    ),
    (
        "type: short_answer, matching",
        "填空题 short_answer：选项即可接受的答案，“*”代表任意字符（写“\\*”表示星号本身），"
        "答对得该答案的分值（option_N_grade，留空为 100%）；配对题 matching：option_N 写题项，"
        "option_N_match 写与之配对的答案，题项留空的一行是多出的干扰答案；也可写“填空、配对”。",
        "short_answer: the options are the accepted answers, * standing for any characters (\\* "
        "for a star itself), each earning its grade (option_N_grade, blank is 100%); matching: "
        "option_N is an item, option_N_match the answer it matches, and a row of answer only "
        "is an extra wrong answer (or 填空, 配对).",
        "short_answer",
    ),
    (
        "difficulty",
        "难度：1 易、2 中、3 难；留空为 2。",
        "Difficulty: 1 easy, 2 medium, 3 hard; blank means 2.",
        "2",
    ),
    (
        "question",
        "必填。题目（中文）。",
        "Required. The question (Chinese).",
        "三包有效期从哪天起算？",
    ),
    (
        "question_en",
        "题目英文，可留空。",
        "The question in English; may be blank.",
        "From which day does the warranty period start?",
    ),
    (
        "option_1 … option_6",
        "选项，从 option_1 起连续填写，每项最多 500 字。单选、多选至少 2 项；排序题至少 2 项，"
        "顺序可打乱，正确顺序写在 correct。判断题、数值题不填选项。需要更多选项时可加 option_7、"
        "option_7_en 等列。",
        "Options, filled from option_1 on without gaps, at most 500 characters each. Single and "
        "multiple choice need at least 2; ordering at least 2, in any order (the right order goes "
        "in correct). True/false and numeric questions have no options. Add option_7, "
        "option_7_en and so on for more.",
        "开具发票之日",
    ),
    (
        "option_1_en … option_6_en",
        "选项英文，可留空。",
        "The options in English; may be blank.",
        "The date of the invoice",
    ),
    (
        "correct",
        "必填。单选：正确选项的序号，如 2（也可写字母 B）；多选：如 1,3；排序：按正确顺序列出全部"
        "选项序号，如 2,1,3（留空表示选项已按正确顺序填写）；判断：TRUE 或 FALSE（也可写 对/错）；"
        "数值：正确数值。填空题、配对题留空；单选、多选填了 option_N_grade 时可留空。",
        "Required. Single: the number of the right option, e.g. 2 (or its letter, B); multiple: "
        "e.g. 1,3; ordering: every option number in the right order, e.g. 2,1,3 (blank: the "
        "options are already in the right order); true/false: TRUE or FALSE (or 对 / 错); "
        "numeric: the number. Blank for short answer and matching, and may be blank for single "
        "and multiple choice graded in option_N_grade.",
        "1,3",
    ),
    (
        "tolerance",
        "仅数值题：允许误差（±），留空为 0。",
        "Numeric questions only: the tolerance (±); blank means 0.",
        "0.5",
    ),
    (
        "points",
        "分值，留空为 1，最多两位小数。",
        "Points; blank means 1; at most two decimals.",
        "2",
    ),
    (
        "partial_credit",
        "仅多选、排序、配对：all_or_nothing 全对才得分（默认）；proportional 按比例："
        "多选每选对一项得相应分、每选错一项扣相应分，最低 0 分；排序按位置正确的项数得分；"
        "配对按配对正确的题项数得分（Moodle 的配对题即如此）。",
        "Multiple choice, ordering and matching only: all_or_nothing (default) or proportional: "
        "each right choice earns its share and each wrong one takes a share away, never below 0; "
        "for ordering, each option in its right place earns its share; for matching, each item "
        "rightly matched (as Moodle scores matching).",
        "proportional",
    ),
    (
        "explanation",
        "解析，交卷后复习时显示。",
        "Explanation, shown when reviewing the answers.",
        "依据《移动电话机商品修理更换退货责任规定》。",
    ),
    ("explanation_en", "解析英文，可留空。", "The explanation in English; may be blank.", ""),
    ("tags", "标签，用逗号分隔。", "Tags, separated by commas.", "三包, 前台接待"),
    (
        "ref",
        "题目编号，同一分类内唯一。再次导入时按编号找到并更新原题；没有编号时按分类和题目文字查找。",
        "The question's reference, unique in its category. Re-importing finds and updates the "
        "question by it; without one, by category and question text.",
        "SB-001",
    ),
    (
        "case_sensitive",
        "仅填空题：TRUE 表示区分大小写（“ABC”与“abc”不同）；留空为不区分。",
        "Short answer only: TRUE when letter case matters (“ABC” and “abc” differ); blank: it "
        "does not.",
        "TRUE",
    ),
    (
        "numeric_answers",
        "仅数值题：另外可接受的答案，每行一个，写作 数值:误差=得分%，* 代表任意数值，"
        "# 后写反馈，| 后写英文反馈；如 9:0.5=50%#那是快充。",
        "Numeric only: further accepted answers, one a line, as VALUE:TOLERANCE=GRADE%, * for any "
        "number, then # and the feedback and | and its English, e.g. 9:0.5=50%#That is fast "
        "charging.",
        "9:0.5=50%#那是快充|That is fast charging",
    ),
    (
        "correct_feedback, partial_feedback, incorrect_feedback (_en)",
        "复习时按结果显示的反馈：答对、部分答对、答错；_en 为英文。",
        "The feedback shown in the review by outcome: right, partly right, wrong; _en for English.",
        "回答正确。",
    ),
    (
        "option_N_match, option_N_match_en",
        "仅配对题：与 option_N 配对的答案（中文、英文）。",
        "Matching only: the answer that option_N matches (Chinese, English).",
        "7日",
    ),
    (
        "option_N_grade",
        "单选、多选、填空：该选项的得分百分比，如 100、50、-50（Moodle 的分值）。"
        "单选、多选填了分值时按分值计分，分值大于 0 的选项为正确选项；填空留空为 100。",
        "Single, multiple choice and short answer: the option's grade in percent, e.g. 100, 50, "
        "-50 (Moodle's grades). Graded choice questions score by the grades, the options above 0 "
        "being the right ones; a short answer's blank grade is 100.",
        "50",
    ),
    (
        "option_N_feedback, option_N_feedback_en",
        "单选、多选、填空：选了（或填了）该选项时复习中显示的反馈。",
        "Single, multiple choice and short answer: the feedback shown in the review for this "
        "answer.",
        "那是换货期限",
    ),
]
_README_NOTES = [
    "每行一道题。先上传做检查（试运行），会列出每个有问题的行和原因；有任何错误时整份文件都不导入。",
    "One question per row. Upload to check first (a dry run): it lists every bad row and why. "
    "A file with any error imports nothing.",
    "再次导入同一文件不会产生重复题目：相同的题目保持不变，修改过的题目更新并生成新版本。",
    "Importing the same file again makes no duplicates: unchanged questions stay as they are, "
    "changed ones are updated and get a new version.",
]


def bank_export_xlsx(items: list[dict]) -> bytes:
    """Return an XLSX workbook of `items` in the format `bank_parse` reads, with its README."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from core.spreadsheets import xlsx_append

    option_count = max([len(i["options"]) for i in items] or [0])
    header = xlsx_columns(option_count)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for item in items:
        item = item_normalize(item)
        row = {
            "category": "/".join(n.replace("/", "//") for n in item["category"]),
            "type": item["kind"],
            "difficulty": item["difficulty"],
            "question": item["text"],
            "question_en": item["text_en"],
            "correct": _answer_text(item),
            "tolerance": _plain_number(item["tolerance"]) if item["tolerance"] else "",
            "points": _plain_number(item["points"]),
            "partial_credit": item["partial_credit"]
            if item["partial_credit"] != ALL_OR_NOTHING
            else "",
            "explanation": item["explanation"],
            "explanation_en": item["explanation_en"],
            "tags": ", ".join(item["tags"]),
            "ref": item["source_ref"],
            "case_sensitive": "TRUE" if item["case_sensitive"] else "",
            "numeric_answers": _numeric_answers_text(item["numeric_answers"]),
            **{
                f"{name}_feedback{suffix}": item[f"{name}_feedback{suffix}"]
                for name in FEEDBACKS
                for suffix in ("", "_en")
            },
        }
        count = len(item["options"])
        fractions = item["fractions"] or [None] * count
        notes = item["option_feedback"] or [("", "")] * count
        matches = item["matches"] or [("", "")] * count
        for n, ((text, text_en, _c), fraction, note, match) in enumerate(
            zip(item["options"], fractions, notes, matches, strict=True), start=1
        ):
            row[f"option_{n}"] = text
            row[f"option_{n}_en"] = text_en
            row[f"option_{n}_match"], row[f"option_{n}_match_en"] = match
            row[f"option_{n}_feedback"], row[f"option_{n}_feedback_en"] = note
            if fraction is not None and not (item["kind"] == SHORT_ANSWER and fraction == 1):
                row[f"option_{n}_grade"] = _percent_text(fraction * 100)
        # Written as text: Excel would turn "1,3" into a number and drop a numeric answer's zeros.
        xlsx_append(sheet, [row.get(name, "") for name in header])
    for index, name in enumerate(header, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 40 if name.startswith("question") else 16
    kinds = DataValidation(
        type="list", formula1=f'"{",".join(KINDS)}"', allow_blank=True, showErrorMessage=False
    )
    sheet.add_data_validation(kinds)
    kinds.add(f"B2:B{max(len(items) + 1, 1000)}")

    readme = workbook.create_sheet(README_SHEET)
    for note in _README_NOTES:
        readme.append([note])
    readme.append([])
    readme.append(["column / 列", "说明", "Description", "example / 示例"])
    for cell in readme[readme.max_row]:
        cell.font = Font(bold=True)
    for row in _README:
        readme.append(list(row))
    for letter, width in (("A", 26), ("B", 60), ("C", 60), ("D", 30)):
        readme.column_dimensions[letter].width = width
    for row in readme.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
