"""The exams and practical assessments on a person's record (network sits below this app)."""

from wagtail import hooks

from core import hooks as core_hooks

from ..selectors.attempts import staff_exam_record
from ..selectors.practicals import staff_practicals


@hooks.register(core_hooks.STAFF_RECORD_SECTIONS)
def exams_record(*, staff, user):
    return core_hooks.RecordSection(
        order=20, template="assessments/record/exams.html", context=staff_exam_record(staff=staff)
    )


@hooks.register(core_hooks.STAFF_RECORD_SECTIONS)
def practicals_record(*, staff, user):
    return core_hooks.RecordSection(
        order=30,
        template="assessments/record/practicals.html",
        context={"practicals": staff_practicals(staff=staff)},
    )
