"""Question versions: the frozen copies that attempts draw and answer."""

import hashlib
import json
from decimal import Decimal

from django.db import transaction

from ..models import Question, QuestionVersion


def question_snapshot(question: Question) -> dict:
    """Return what a learner answers of `question` (text, options, key) as plain data."""
    options = []
    for o in question.options.all():
        option = {
            "key": str(o.pk),
            "text": o.text,
            "text_en": o.text_en,
            "correct": bool(o.is_correct),
        }
        if o.fraction is not None:
            # Only options with a grade carry one, so versions of questions without grades keep
            # the hash they always had.
            option["fraction"] = format(Decimal(o.fraction).normalize(), "f")
        if question.kind == Question.Kind.MATCHING:
            option["match"], option["match_en"] = o.match_text, o.match_text_en
        if o.feedback or o.feedback_en:
            option["feedback"], option["feedback_en"] = o.feedback, o.feedback_en
        options.append(option)
    data = {
        "kind": question.kind,
        "text": question.text,
        "text_en": question.text_en,
        "explanation": question.explanation,
        "explanation_en": question.explanation_en,
        "points": str(question.points),
        "partial_credit": question.partial_credit,
        "options": options,
    }
    feedback = {
        f"{field}{suffix}": getattr(question, f"{field}_feedback{suffix}")
        for field in ("correct", "partial", "incorrect")
        for suffix in ("", "_en")
    }
    if any(feedback.values()):
        # Only then, as for grades: the versions of questions without feedback keep their hash.
        data["feedback"] = feedback
    if question.kind == Question.Kind.TRUE_FALSE:
        data["answer"] = question.true_false_answer
    if question.kind == Question.Kind.SHORT_ANSWER:
        data["case_sensitive"] = question.case_sensitive
    if question.kind == Question.Kind.NUMERIC:
        data["numeric"] = str(question.numeric_answer)
        data["tolerance"] = str(question.numeric_tolerance)
        if question.numeric_answers:
            # Only questions with further answers carry them, so the other versions keep
            # the hash they always had.
            data["numeric_answers"] = question.numeric_answers
    return data


def _hash(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def question_version_current(*, question: Question, actor=None) -> QuestionVersion:
    """
    Return the version of `question` matching its present content, making a new one when the
    content changed since the last version. Versions already answered are never changed.
    """
    Question.objects.select_for_update().filter(pk=question.pk).exists()
    data = question_snapshot(question)
    digest = _hash(data)
    latest = question.versions.order_by("-number").first()
    if latest is not None and latest.content_hash == digest:
        return latest
    return QuestionVersion.objects.create(
        question=question,
        number=(latest.number + 1) if latest else 1,
        data=data,
        content_hash=digest,
        created_by=actor,
    )
