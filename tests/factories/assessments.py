"""Question banks and exams for tests."""

import itertools
from decimal import Decimal

from assessments.models import (
    Assessment,
    DrawRule,
    PracticalChecklist,
    PracticalCriterion,
    Question,
    QuestionCategory,
    QuestionOption,
)

_numbers = itertools.count(1)


def category(name=None, **fields) -> QuestionCategory:
    return QuestionCategory.objects.create(name=name or f"题库{next(_numbers)}", **fields)


def question(*, category, kind="single", options=None, **fields) -> Question:
    """
    Return a saved question. `options` is a list of (text, correct) pairs; by default a single
    choice question with one right option of three. For ordering, give options in right order.
    """
    n = next(_numbers)
    q = Question(category=category, kind=kind, text=fields.pop("text", f"问题{n}？"), **fields)
    if options is None and kind in ("single", "multiple", "ordering"):
        options = [(f"选项{n}A", True), (f"选项{n}B", False), (f"选项{n}C", False)]
    if kind == "short_answer":
        # Accepted answers: (text, fraction or None for full marks).
        for i, (text, fraction) in enumerate(options or [("ESD", None)]):
            q.options.add(QuestionOption(text=text, fraction=fraction, sort_order=i))
        options = []
    if kind == "matching":
        # Pairs: (item, answer); an item "" is an extra wrong answer.
        pairs = options or [("退货", "7日内"), ("换货", "15日内"), ("保修", "一年"), ("", "三年")]
        for i, (text, match) in enumerate(pairs):
            q.options.add(QuestionOption(text=text, match_text=match, sort_order=i))
        options = []
    for i, (text, correct) in enumerate(options or []):
        q.options.add(QuestionOption(text=text, is_correct=correct, sort_order=i))
    if kind == "true_false" and q.true_false_answer is None:
        q.true_false_answer = True
    if kind == "numeric" and q.numeric_answer is None:
        q.numeric_answer = Decimal("3.5")
    q.save()
    return q


def assessment(*, course=None, track=None, rules=(), **fields) -> Assessment:
    """Return an exam of `course` (or `track`) drawing `rules`: (category, count) pairs."""
    kind = Assessment.Kind.COURSE_EXAM if course else Assessment.Kind.CERTIFICATION_EXAM
    exam = Assessment(
        title=fields.pop("title", f"考试{next(_numbers)}"),
        kind=kind,
        course=course,
        track=track,
        **fields,
    )
    for i, (cat, count) in enumerate(rules):
        exam.draw_rules.add(DrawRule(category=cat, count=count, sort_order=i))
    exam.save()
    return exam


def checklist(*, track, criteria=(("佩戴防静电手环", True), ("拆机顺序正确", False))):
    result = PracticalChecklist(title=f"实操考核{next(_numbers)}", track=track)
    for i, (text, critical) in enumerate(criteria):
        result.criteria.add(PracticalCriterion(text=text, critical=critical, sort_order=i))
    result.save()
    return result


def practical(*, checklist, learner, assessor, **fields):
    """Return an in-progress practical assessment, made directly as the database allows it."""
    from assessments.models import PracticalAssessment

    return PracticalAssessment.objects.create(
        checklist=checklist, learner=learner, assessor=assessor, **fields
    )


def image_bytes(*, image_format="PNG", size=(8, 8), color=(20, 120, 60)) -> bytes:
    """Return a small real image made with Pillow."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    return buffer.getvalue()


def photo_upload(name="photo.png", *, content=None, content_type="image/png"):
    """Return an uploaded file as a phone would send it: by default a small PNG."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name, image_bytes() if content is None else content, content_type=content_type
    )


def draw_rule(*, assessment, category, count, difficulty=None) -> DrawRule:
    """Add a rule drawing `count` questions of `category` (and `difficulty`) to `assessment`."""
    last = assessment.draw_rules.order_by("-sort_order").first()
    return DrawRule.objects.create(
        assessment=assessment,
        category=category,
        count=count,
        difficulty=difficulty,
        sort_order=(last.sort_order + 1) if last else 0,
    )


def right_response(data: dict):
    """Return the response that earns full points on the question version `data`."""
    kind = data["kind"]
    options = data.get("options", [])
    if kind == "single":
        return next(o["key"] for o in options if o["correct"])
    if kind == "multiple":
        return [o["key"] for o in options if o["correct"]]
    if kind == "ordering":
        return [o["key"] for o in options]
    if kind == "true_false":
        return data["answer"]
    if kind == "short_answer":
        full = [o for o in options if o.get("fraction") in (None, "1")]
        return full[0]["text"].replace("*", "")
    if kind == "matching":
        return _matching_response(data, right=True)
    return data["numeric"]


def _matching_response(data: dict, *, right: bool) -> dict:
    """Each item matched to its own answer, or (not `right`) to the answer of the next item."""
    items = [o for o in data["options"] if o["text"]]
    chosen = {}
    for i, item in enumerate(items):
        other = item if right else items[(i + 1) % len(items)]
        chosen[item["key"]] = other["key"]
    return chosen


def wrong_response(data: dict):
    """Return a response that earns no points on the question version `data`."""
    kind = data["kind"]
    options = data.get("options", [])
    if kind in ("single", "multiple"):
        wrong = next(o["key"] for o in options if not o["correct"])
        return wrong if kind == "single" else [wrong]
    if kind == "ordering":
        return [o["key"] for o in reversed(options)]
    if kind == "true_false":
        return not data["answer"]
    if kind == "short_answer":
        return "一个错误的答案"
    if kind == "matching":
        return _matching_response(data, right=False)
    return str(Decimal(data["numeric"]) + Decimal(data.get("tolerance", "0")) + 1)
