"""
Learners' exam pages: the overview of an exam, starting an attempt, answering (with autosave to
a JSON endpoint), submitting, and the result with its review.

Everything here works on the signed-in person's own attempts only; anybody else's is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses.selectors import viewer_staff

from .. import answers
from ..models import Assessment, Attempt
from ..selectors import attempts as selectors
from ..services import attempts as services


def _staff(request):
    staff = viewer_staff(user=request.user)
    if staff is None or not staff.is_active:
        raise Http404("Not a person in the service network")
    return staff


def _attempt_or_404(request, attempt_id) -> Attempt:
    try:
        return selectors.attempt_for_learner(staff=_staff(request), attempt_id=attempt_id)
    except Attempt.DoesNotExist:
        raise Http404("No such attempt") from None


def _exam_or_404(staff, assessment_id) -> Assessment:
    try:
        return selectors.exam_for_learner(staff=staff, assessment_id=assessment_id)
    except Assessment.DoesNotExist:
        raise Http404("No such exam") from None


@require_GET
@login_required
def exam_overview(request, assessment_id):
    staff = _staff(request)
    assessment = _exam_or_404(staff, assessment_id)
    overview = selectors.exam_overview(staff=staff, assessment=assessment)
    return render(request, "assessments/exam_overview.html", {"overview": overview})


@require_GET
@login_required
def course_exam(request, course_id):
    """Send a learner from a course to its exam (for a link on the course page)."""
    exam_id = selectors.active_exam_id(course_id=course_id)
    if exam_id is None:
        raise Http404("This course has no exam")
    return redirect("assessments:exam", assessment_id=exam_id)


@require_GET
@login_required
def track_exam(request, track_id):
    """Send a learner from a track to its certification exam."""
    exam_id = selectors.active_exam_id(track_id=track_id)
    if exam_id is None:
        raise Http404("This track has no exam")
    return redirect("assessments:exam", assessment_id=exam_id)


@require_POST
@login_required
def attempt_start(request, assessment_id):
    staff = _staff(request)
    assessment = _exam_or_404(staff, assessment_id)
    try:
        attempt = services.attempt_start(staff=staff, assessment=assessment)
    except PermissionDenied:
        raise Http404("No such exam") from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("assessments:exam", assessment_id=assessment.pk)
    return redirect("assessments:attempt", attempt_id=attempt.pk)


@require_GET
@login_required
def attempt_page(request, attempt_id):
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.status != Attempt.Status.OPEN:
        return redirect("assessments:attempt_result", attempt_id=attempt.pk)
    if selectors.attempt_expired(attempt):
        services.attempt_close_if_expired(attempt=attempt)
        messages.info(request, _("The time for this attempt is up; it was graded as it stood."))
        return redirect("assessments:attempt_result", attempt_id=attempt.pk)
    context = {
        "attempt": attempt,
        "title": selectors.exam_title(attempt.assessment),
        "questions": selectors.attempt_questions(attempt=attempt),
        "seconds_left": selectors.seconds_left(attempt),
    }
    return render(request, "assessments/attempt.html", context)


def _json_error(message, *, status, attempt, finished=False):
    body = {"saved": False, "error": message, "seconds_left": selectors.seconds_left(attempt)}
    if finished:
        body["finished"] = True
        body["result_url"] = reverse("assessments:attempt_result", args=[attempt.pk])
    return JsonResponse(body, status=status)


@require_POST
@login_required
def attempt_answer(request, attempt_id):
    """Save one answer: JSON {position, response}; the CSRF token comes in X-CSRFToken."""
    attempt = _attempt_or_404(request, attempt_id)
    try:
        position, raw = answers.answer_from_json(request.body)
        shape = selectors.attempt_shapes(attempt=attempt, positions=[position]).get(position)
        if shape is None:
            raise ValidationError(_("This attempt has no such question."), code="invalid")
        kind, option_order = shape
        response = answers.from_page(raw, kind=kind, option_order=option_order)
        item = services.answer_save(attempt=attempt, position=position, response=response)
    except ValidationError as exc:
        code = getattr(exc, "code", None)
        finished = code in ("finished", "late")
        return _json_error(
            " ".join(exc.messages),
            status=409 if finished else 400,
            attempt=attempt,
            finished=finished,
        )
    return JsonResponse(
        {
            "saved": True,
            "saved_at": timezone.localtime(item.answered_at).isoformat(timespec="seconds"),
            "seconds_left": selectors.seconds_left(attempt),
        }
    )


@require_POST
@login_required
def attempt_submit(request, attempt_id):
    attempt = _attempt_or_404(request, attempt_id)
    try:
        responses = None
        if attempt.status == Attempt.Status.OPEN:
            shapes = selectors.attempt_shapes(attempt=attempt)
            responses = answers.answers_from_form(request.POST, shapes)
        services.attempt_submit(attempt=attempt, responses=responses)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if getattr(exc, "code", None) == "invalid":
            return redirect("assessments:attempt", attempt_id=attempt.pk)
    return redirect("assessments:attempt_result", attempt_id=attempt.pk)


@require_GET
@login_required
def attempt_result(request, attempt_id):
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.status == Attempt.Status.OPEN:
        closed = None
        if selectors.attempt_expired(attempt):
            closed = services.attempt_close_if_expired(attempt=attempt)
        if closed is None:
            return redirect("assessments:attempt", attempt_id=attempt.pk)
        attempt = closed
    review = selectors.attempt_review(attempt=attempt)
    return render(request, "assessments/attempt_result.html", {"review": review})


urlpatterns = [
    path("exams/<int:assessment_id>/", exam_overview, name="exam"),
    path("exams/<int:assessment_id>/start/", attempt_start, name="attempt_start"),
    path("courses/<int:course_id>/exam/", course_exam, name="course_exam"),
    path("tracks/<int:track_id>/exam/", track_exam, name="track_exam"),
    path("attempts/<int:attempt_id>/", attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/answer/", attempt_answer, name="attempt_answer"),
    path("attempts/<int:attempt_id>/submit/", attempt_submit, name="attempt_submit"),
    path("attempts/<int:attempt_id>/result/", attempt_result, name="attempt_result"),
]
