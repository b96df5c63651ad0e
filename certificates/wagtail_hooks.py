from urllib.parse import urlencode

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from assessments.models import Assessment
from core import hooks as core_hooks
from core import outbox
from courses.models import LessonPage
from network.access import nav_role_in

from . import admin_views
from .models import Certificate, PolicyUpdate
from .selectors.desk import DESK_ROLES, may_use_desk
from .selectors.eligibility import recertifications_due
from .selectors.policy_updates import policy_updates_due
from .tasks import (
    certificate_course_completed_task,
    certificate_issue_task,
    policy_updates_complete_task,
    policy_updates_enrol_task,
)


@hooks.register("register_admin_urls")
def register_render_job_urls():
    return [
        path("certificates/pdfs/", admin_views.render_jobs, name="certificates_render_jobs"),
        path(
            "certificates/pdfs/progress/",
            admin_views.render_jobs_progress,
            name="certificates_render_jobs_progress",
        ),
        path("policy-changes/", admin_views.policy_changes, name="certificates_policy_changes"),
        path(
            "policy-changes/new/",
            admin_views.policy_change_mark,
            name="certificates_policy_change_mark",
        ),
    ]


class PolicyChangeMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("courses.view_policychange")


@hooks.register("register_admin_menu_item")
def register_policy_change_menu_item():
    return PolicyChangeMenuItem(
        _("Policy changes"),
        reverse("certificates_policy_changes"),
        icon_name="openquote",
        order=260,
    )


@hooks.register("register_page_header_buttons")
def policy_change_button(page, user, view_name=None, next_url=None):
    """Where a trainer publishes a lesson: mark its published revision a policy change."""
    if (
        page.specific_class is LessonPage
        and page.live
        and user.has_perm("courses.add_policychange")
    ):
        yield Button(
            _("Mark as policy change"),
            f"{reverse('certificates_policy_change_mark')}?{urlencode({'lesson': page.pk})}",
            icon_name="openquote",
            priority=80,
        )


class RenderJobMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("certificates.add_renderjob")


@hooks.register("register_settings_menu_item")
def register_render_job_menu_item():
    return RenderJobMenuItem(
        _("Certificate PDFs"),
        reverse("certificates_render_jobs"),
        icon_name="doc-full",
        order=950,
    )


# What may complete a person's certification, as the lower apps report it through their hooks.
# Each queues the issuing task for after the commit; the task decides, so a hook that fires too
# early costs one read.


@hooks.register(core_hooks.COURSE_COMPLETED)
def course_completed(*, staff, course) -> None:
    # Which tracks need the course is looked up in the task: the learner's request that
    # completed it runs no extra query.
    outbox.enqueue(certificate_course_completed_task, staff.pk, course.pk)


# A passed recertification exam may complete a recertification, as a passed certification exam
# may complete a certification: the same task decides which.
_TRACK_EXAMS = (Assessment.Kind.CERTIFICATION_EXAM, Assessment.Kind.RECERTIFICATION_EXAM)


@hooks.register(core_hooks.RESULT_UPDATED)
def result_updated(*, result, assessment) -> None:
    if result.passed and assessment.kind in _TRACK_EXAMS:
        outbox.enqueue(certificate_issue_task, result.staff_id, assessment.track_id)


@hooks.register(core_hooks.PRACTICAL_COMPLETED)
def practical_completed(*, assessment) -> None:
    if assessment.passed:
        track_id = assessment.checklist.track_id
        outbox.enqueue(certificate_issue_task, assessment.learner_id, track_id)


# The courses app's My training shows open recertifications, which only this app knows.
hooks.register(core_hooks.RECERTIFICATION_SOURCES, recertifications_due)


@hooks.register(core_hooks.POLICY_CHANGE_RECORDED)
def policy_change_recorded(*, policy_change) -> None:
    # Twenty thousand holders are not asked in the trainer's request: a worker does it.
    outbox.enqueue(policy_updates_enrol_task, policy_change.pk)


@hooks.register(core_hooks.LESSON_COMPLETED)
def lesson_completed(*, staff, lesson, revision_id) -> None:
    # One read in the learner's request; the work, for the few with an update open, after it.
    if (
        PolicyUpdate.objects.filter(
            holder_id=staff.pk,
            policy_change__lesson_id=lesson.pk,
            status__in=[PolicyUpdate.Status.PENDING, PolicyUpdate.Status.MISSED],
        )
        .only("pk")
        .exists()
    ):
        outbox.enqueue(policy_updates_complete_task, staff.pk, lesson.pk)


# My training shows the changed lessons a holder must read again, which only this app knows.
hooks.register(core_hooks.POLICY_UPDATES_DUE, policy_updates_due)


@hooks.register(core_hooks.STAFF_RECORD_SECTIONS)
def certificates_record(*, staff, user):
    """The person's certificates on their record, linked to the desk for those who use it."""
    return core_hooks.RecordSection(
        order=40,
        template="certificates/record/certificates.html",
        context={
            "certificates": list(
                Certificate.objects.filter(holder=staff).order_by("-issued_on", "-pk")
            ),
            "desk": may_use_desk(user=user),
        },
    )


@hooks.register(core_hooks.OUTLET_LINKS)
def outlet_certificate_links(*, outlet, request):
    if not nav_role_in(request, DESK_ROLES):
        return []
    return [
        (
            _("The outlet's certificates"),
            f"{reverse('certificates:desk')}?{urlencode({'outlet': outlet.code})}",
        ),
        (
            _("All valid certificates as one ZIP"),
            reverse("certificates:outlet_zip", args=[outlet.code]),
        ),
    ]
