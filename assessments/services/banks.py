"""Question banks: importing a bank file all or nothing, and exporting a category as XLSX."""

import logging
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ..bank_formats import (
    BankFileError,
    BankReport,
    ItemError,
    bank_export_gift,
    bank_export_moodle,
    bank_export_xlsx,
    bank_parse,
    item_normalize,
)
from ..models import Question, QuestionCategory, QuestionOption
from .questions import question_version_current

logger = logging.getLogger(__name__)

_FIELDS = {
    # item key -> Question field
    "kind": "kind",
    "text": "text",
    "text_en": "text_en",
    "explanation": "explanation",
    "explanation_en": "explanation_en",
    "difficulty": "difficulty",
    "points": "points",
    "partial_credit": "partial_credit",
    "true_false_answer": "true_false_answer",
    "numeric_answer": "numeric_answer",
    "tolerance": "numeric_tolerance",
    "numeric_answers": "numeric_answers",
    "correct_feedback": "correct_feedback",
    "correct_feedback_en": "correct_feedback_en",
    "partial_feedback": "partial_feedback",
    "partial_feedback_en": "partial_feedback_en",
    "incorrect_feedback": "incorrect_feedback",
    "incorrect_feedback_en": "incorrect_feedback_en",
    "source_ref": "source_ref",
    "case_sensitive": "case_sensitive",
}


def bank_import(
    *,
    content: bytes,
    filename: str,
    fmt: str | None = None,
    apply: bool,
    actor=None,
    update_existing: bool = True,
    default_category: tuple[str, ...] = (),
    strict: bool = False,
) -> BankReport:
    """
    Check a bank file and, when `apply` is true and the whole file is clean, import it in one
    transaction: categories are created by path, questions found again by (category, ref) or
    (category, text) are updated (or, with `update_existing` false, left as they are and counted
    unchanged), the others created. A file with any error imports nothing. Questions without a
    category go to `default_category`; questions of a type this platform does not have are
    skipped and listed with the reason while the others import, unless `strict` makes every skip
    an error.

    A dry run (`apply` false) counts what the import would create, update and leave unchanged,
    and writes nothing.
    """
    report = BankReport()
    try:
        bank = bank_parse(content, filename, fmt, default_category=default_category, strict=strict)
    except BankFileError as exc:
        report.errors.append(ItemError(0, "", "", str(exc)))
        return report
    report.total = len(bank.items)
    report.errors.extend(bank.errors)
    report.warnings.extend(bank.warnings)
    report.skipped.extend(bank.skipped)
    if not report.ok:
        if apply:
            logger.info("Import of %s refused: %s errors", filename, len(report.errors))
        return report
    with transaction.atomic():
        _items_write(items=bank.items, report=report, actor=actor, update_existing=update_existing)
        if not report.ok:
            transaction.set_rollback(True)
            report.created = report.updated = report.unchanged = report.categories_created = 0
            return report
        if apply:
            report.applied = True
            logger.info(
                "Imported %s: %s new, %s changed, %s unchanged",
                filename,
                report.created,
                report.updated,
                report.unchanged,
            )
        else:
            # A dry run counts by importing for real and then undoing every write.
            transaction.set_rollback(True)
    return report


def _categories(report: BankReport):
    """Return a function giving the category at a path, creating what is missing."""
    by_parent: dict[tuple[int | None, str], QuestionCategory] = {}
    # Root names are not unique in the database (NULL parents): the oldest one is the one used.
    for category in QuestionCategory.objects.order_by("-pk"):
        by_parent[(category.parent_id, category.name)] = category
    cache: dict[tuple[str, ...], QuestionCategory] = {}

    def category_at(path: tuple[str, ...]) -> QuestionCategory:
        if path in cache:
            return cache[path]
        parent = category_at(path[:-1]) if len(path) > 1 else None
        key = (parent.pk if parent else None, path[-1])
        if key not in by_parent:
            by_parent[key] = QuestionCategory.objects.create(name=path[-1], parent=parent)
            report.categories_created += 1
        cache[path] = by_parent[key]
        return cache[path]

    return category_at


def question_item(question: Question, path: tuple[str, ...]) -> dict:
    """Return `question` as a bank item (see `assessments.bank_formats`)."""
    options = list(question.options.all())
    graded = any(o.fraction is not None for o in options)
    fractions = [o.fraction or Decimal(0) for o in options] if graded else None
    if question.kind == Question.Kind.SHORT_ANSWER:
        # An accepted answer without a grade earns full marks.
        fractions = [Decimal(1) if o.fraction is None else o.fraction for o in options]
    item = {
        "category": path,
        "options": [(o.text, o.text_en, bool(o.is_correct)) for o in options],
        "matches": [(o.match_text, o.match_text_en) for o in options],
        "fractions": fractions,
        "option_feedback": [(o.feedback, o.feedback_en) for o in options],
        "tags": [t.tag.name for t in question.tagged_items.all()],
        # Whether it is active is the question's own state; a file only changes it on purpose.
        "active": None,
    }
    for key, field_name in _FIELDS.items():
        item[key] = getattr(question, field_name)
    return item_normalize(item)


def _items_write(*, items: list[dict], report: BankReport, actor, update_existing: bool) -> None:
    category_at = _categories(report)
    categories = {path: category_at(path) for path in dict.fromkeys(i["category"] for i in items)}
    existing = list(
        Question.objects.filter(category__in=categories.values())
        .prefetch_related("options", "tagged_items__tag")
        .order_by("pk")
    )
    by_ref: dict[tuple[int, str], list[Question]] = {}
    by_text: dict[tuple[int, str], list[Question]] = {}
    for question in existing:
        if question.source_ref:
            by_ref.setdefault((question.category_id, question.source_ref), []).append(question)
        by_text.setdefault((question.category_id, question.text), []).append(question)
    matched: dict[int, int] = {}
    for item in items:
        category = categories[item["category"]]
        found = by_ref.get((category.pk, item["source_ref"]), []) if item["source_ref"] else []
        if not found:
            found = by_text.get((category.pk, item["text"]), [])
            if item["source_ref"]:
                # A question made in the admin gets its reference from its first import.
                found = [q for q in found if not q.source_ref]
        if len(found) > 1:
            report.errors.append(
                ItemError(
                    item["item"],
                    item["source_ref"] or item["text"][:60],
                    "ref",
                    _(
                        "%(count)s questions in category %(category)s match this one; give it "
                        "a reference (ref) that only one of them has."
                    )
                    % {"count": len(found), "category": "/".join(item["category"])},
                )
            )
            continue
        if not found:
            _question_create(item=item, category=category, actor=actor)
            report.created += 1
            continue
        question = found[0]
        if question.pk in matched:
            report.errors.append(
                ItemError(
                    item["item"],
                    item["source_ref"] or item["text"][:60],
                    "ref",
                    _("This is the same question as %(first)s: give each a different reference.")
                    % {"first": matched[question.pk]},
                )
            )
            continue
        matched[question.pk] = item["item"]
        if not update_existing:
            report.unchanged += 1
            continue
        current = question_item(question, item["category"])
        wanted = {k: v for k, v in item.items() if k != "item"}
        if not wanted["source_ref"]:
            wanted["source_ref"] = current["source_ref"]
        # A file that does not say (XLSX, GIFT) leaves a question as active as it is.
        if wanted["active"] is None or wanted["active"] == question.is_active:
            wanted["active"] = None
        if wanted == current:
            report.unchanged += 1
            continue
        _question_update(question=question, item=wanted, actor=actor)
        report.updated += 1


def _option_values(item: dict) -> list[dict]:
    """The fields of each option row of `item`, in order."""
    count = len(item["options"])
    fractions = item.get("fractions") or [None] * count
    if item["kind"] == Question.Kind.SHORT_ANSWER:
        # Full marks is the default of an accepted answer: only other grades are written.
        fractions = [None if f == 1 else f for f in fractions]
    notes = item.get("option_feedback") or [("", "")] * count
    matches = item.get("matches") or [("", "")] * count
    return [
        {
            "text": text,
            "text_en": text_en,
            "match_text": match,
            "match_text_en": match_en,
            "is_correct": correct,
            "fraction": fraction,
            "feedback": note,
            "feedback_en": note_en,
            "sort_order": n,
        }
        for n, ((text, text_en, correct), fraction, (note, note_en), (match, match_en)) in (
            enumerate(zip(item["options"], fractions, notes, matches, strict=True))
        )
    ]


def _question_create(*, item: dict, category: QuestionCategory, actor) -> Question:
    question = Question(category=category, is_active=item.get("active") is not False)
    for key, field_name in _FIELDS.items():
        setattr(question, field_name, item[key])
    question.options = [QuestionOption(**values) for values in _option_values(item)]
    question.tags.set(item["tags"])
    question.save()
    return _version_freeze(question=question, actor=actor)


def _question_update(*, question: Question, item: dict, actor) -> Question:
    for key, field_name in _FIELDS.items():
        setattr(question, field_name, item[key])
    if item.get("active") is not None:
        question.is_active = item["active"]
    # Options keep their rows, in order, so the keys answers refer to stay the same.
    options = list(question.options.all())
    kept = []
    for n, values in enumerate(_option_values(item)):
        option = options[n] if n < len(options) else QuestionOption()
        for name, value in values.items():
            setattr(option, name, value)
        kept.append(option)
    question.options = kept
    question.tags.set(item["tags"])
    question.save()
    return _version_freeze(question=question, actor=actor)


def _version_freeze(*, question: Question, actor) -> Question:
    """
    Freeze the version of `question` from its stored row, as an attempt's draw reads it: the
    parsed values (1 point, tolerance 0) would hash differently from the stored ones (1.00,
    0.0000), and the first draw would freeze a second version of an unchanged question.
    """
    stored = Question.objects.prefetch_related("options").get(pk=question.pk)
    question_version_current(question=stored, actor=actor)
    return stored


def _category_paths() -> tuple[dict[int, tuple[str, ...]], dict[int | None, list[int]]]:
    categories = {c.pk: c for c in QuestionCategory.objects.all()}
    children: dict[int | None, list[int]] = {}
    for category in categories.values():
        children.setdefault(category.parent_id, []).append(category.pk)
    paths: dict[int, tuple[str, ...]] = {}

    def path_of(pk):
        if pk not in paths:
            category = categories[pk]
            parent = path_of(category.parent_id) if category.parent_id else ()
            paths[pk] = (*parent, category.name)
        return paths[pk]

    for pk in categories:
        path_of(pk)
    return paths, children


def bank_export(*, category: QuestionCategory | None) -> bytes:
    """
    Return the active questions of `category` and of the categories inside it as an XLSX
    bank that `bank_import` reads back unchanged; no category gives the empty template.
    """
    if category is None:
        return bank_export_xlsx([])
    return bank_export_xlsx(_export_items(category=category, inactive=False))


EXPORT_FORMATS = ("xlsx", "xml", "gift")


def bank_export_as(*, category: QuestionCategory, fmt: str) -> tuple[bytes, list[ItemError]]:
    """
    Return the questions of `category` and of the categories inside it in `fmt` (xlsx, xml for
    Moodle XML, or gift), and the questions the format cannot hold, with the reason. Moodle XML
    carries inactive questions as hidden; XLSX and GIFT, which cannot say so, leave them out.
    """
    if fmt == "xml":
        return bank_export_moodle(_export_items(category=category, inactive=True)), []
    if fmt == "gift":
        return bank_export_gift(_export_items(category=category, inactive=False))
    if fmt == "xlsx":
        return bank_export(category=category), []
    raise ValueError(f"Unknown export format {fmt!r}")


def _export_items(*, category: QuestionCategory, inactive: bool) -> list[dict]:
    paths, children = _category_paths()
    wanted, queue = [], [category.pk]
    while queue:
        pk = queue.pop()
        wanted.append(pk)
        queue.extend(children.get(pk, []))
    questions = Question.objects.filter(category_id__in=wanted)
    if not inactive:
        questions = questions.filter(is_active=True)
    questions = questions.prefetch_related("options", "tagged_items__tag").order_by("pk")
    items = []
    for question in questions:
        item = question_item(question, paths[question.category_id])
        item["active"] = question.is_active  # Moodle XML says which questions are hidden
        items.append(item)
    return sorted(items, key=lambda i: i["category"])
