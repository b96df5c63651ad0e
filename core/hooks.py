"""
The moments at which one app reacts to another, named once.

A lower app never imports a higher one (see docs/architecture.md), so when a course is completed
the courses app cannot call certificates. It fires a named hook instead, and the higher app
registers its receiver in its own `wagtail_hooks.py` with `@hooks.register(core.hooks.NAME)`.
Wagtail's registry imports every app's `wagtail_hooks` module on the first lookup, in the web
process, a Celery worker and a management command alike.

Every receiver is called with keyword arguments only. A receiver that queues work does so with
`core.outbox.enqueue`, so nothing runs for a transaction that is rolled back, and nothing is
lost when the broker is away at the commit.
"""

import dataclasses

from wagtail import hooks

STAFF_CHANGED = "staff_changed"
"""
Fired by network.services (import, hire, move, role change, leave, return) and by the admin's
Staff and assignment edits, inside the writing transaction, with `staff_ids`: the people whose
outlet, role or active flag may have changed. A receiver may write its own rows in the same
transaction (training enrolment does), so an import and what follows from it land together.
"""

COURSE_COMPLETION_CONDITIONS = "course_completion_conditions"
"""
Asked by courses.services.course_completion_check, inside its transaction with the person's
course progress locked, with `staff` and `course`, once every live lesson is done. Each receiver
returns True when its own condition holds (for example: the course exam is passed); the course
is complete only when all do. A receiver reads; it writes nothing.
"""

COURSE_COMPLETED = "course_completed"
"""
Fired by courses.services.course_completion_check, inside its transaction, with `staff` and
`course`, once, when the course has just been recorded complete. A receiver queues work after
the commit (certificate issuance) and writes nothing in the caller's transaction.
"""

COURSE_PAGE_CONTEXT = "course_page_context"
"""
Asked by courses.selectors.course_outline while a course page is rendered, with `course`, `user`
and `staff` (None when the viewer is not a person in the network). Each receiver returns a dict
added to the page's context (for example: the course exam and the viewer's result). Reads only.
"""

TRACK_PAGE_CONTEXT = "track_page_context"
"""
Asked by courses.selectors.track_outline while a track page is rendered, with `track`, `user`
and `staff` (None unless the viewer is enrolled). Each receiver returns a dict added to the
page's context (for example: the certification exam). Reads only.
"""

RECERTIFICATION_SOURCES = "recertification_sources"
"""
Asked by courses.selectors.my_recertifications, outside any transaction, with `staff_id`. Each
receiver returns a list of dicts with track_id, opens_on, due_on, exam (or None) and
exam_passed: the person's open recertifications it knows of. Reads only.
"""

RESULT_UPDATED = "result_updated"
"""
Fired by assessments.services.attempts when a finished attempt updated the person's result, and
by assessments.services.regrades for each result a regrade turned from a fail into a pass;
inside the writing transaction, with `result` (an AssessmentResult) and `assessment`. A receiver
queues work after the commit (certificate issuance) and writes nothing in the caller's
transaction.
"""

PRACTICAL_COMPLETED = "practical_completed"
"""
Fired by assessments.services.practicals.practical_complete, inside its transaction with the
assessment locked, with `assessment` (a completed PracticalAssessment, passed or not). A
receiver queues work after the commit and writes nothing in the caller's transaction.
"""

STAFF_RECORD_SECTIONS = "staff_record_sections"
"""
Asked by network.views.staff_detail while a person's record is rendered, with `staff` (the
person, already checked to be in the viewer's scope) and `user` (the viewer). Each receiver
returns a `RecordSection`: its place on the page, its template and that template's context
(training, exams, practicals, certificates). Reads only, in a fixed number of queries whatever
the person's history.
"""

ENROLMENT_TARGETS = "enrolment_targets"
"""
Asked by courses.services.enrollment_sync, inside its transaction, with `track_ids` (the live
tracks it applies). Each receiver returns {track id: [courses.services.EnrolmentTarget]}: more
people a track is for beyond its own targets (the compliance requirements: whoever must hold a
track's certificate is enrolled in it). A person is enrolled while any target matches them and
withdrawn from an unfinished rule enrolment when none does. Reads only.
"""

OUTLET_LINKS = "outlet_links"
"""
Asked by network.views.outlet_detail while an outlet's page is rendered, with `outlet` (in the
viewer's scope) and `request`. Each receiver returns a list of `(label, url)` of the outlet's
pages its app offers to this viewer (training, certificates, compliance), deciding by the role
the navigation knows (network.access), without queries. The pages check permissions again.
"""

STAFF_TABLE_COLUMNS = "staff_table_columns"
"""
Asked by network.views while a table of people is rendered (the people list, an outlet's
people), with `people` (the page's Staff, users loaded) and `request`. Each receiver returns a
`StaffColumn` to add to the table, or None to add nothing for this viewer. One query at most.
"""

OUTLET_REPORT_SECTIONS = "outlet_report_sections"
"""
Asked by compliance.views.reports.outlet while an outlet's compliance report is rendered, with
`outlet` (already checked to be in the viewer's scope) and `user` (the viewer). Each receiver
returns a `RecordSection` shown after the report's own figures (audit findings, customer
satisfaction), or None to show nothing to this viewer. Reads only, in a fixed number of queries
whatever the outlet's history.
"""

PUBLIC_OUTLET_LINKS = "public_outlet_links"
"""
Asked by compliance.views.public.outlet while an outlet's public page (the one the counter
poster's QR code opens) is rendered for anyone, signed in or not, with `outlet` and `request`.
Each receiver returns a list of `(label, url)` offered to the customer there (the satisfaction
survey), without queries: the page is cached publicly, so nothing may depend on the visitor.
"""

POLICY_CHANGE_RECORDED = "policy_change_recorded"
"""
Fired by courses.services.policy_change_record, inside its transaction, with `policy_change`
(a courses.PolicyChange just written: a lesson revision marked by a trainer or detected from a
changed policy clause). A receiver queues work after the commit (the certificates app enrols
the holders of older certificates in the changed lesson) and writes nothing in the caller's
transaction.
"""

LESSON_COMPLETED = "lesson_completed"
"""
Fired by courses.services.lesson_complete, inside its transaction, with `staff`, `lesson` and
`revision_id` (the lesson revision just recorded as read), when a person completes a lesson or
completes a newer revision of a lesson they had read before. A receiver queues work after the
commit (a policy update completed) and writes nothing in the caller's transaction.
"""

POLICY_UPDATES_DUE = "policy_updates_due"
"""
Asked by courses.selectors.my_policy_updates, outside any transaction, on My training, with
`staff_id`. Each receiver returns a list of dicts with lesson_id, due_on, summary, summary_en
and missed: the changed lessons the person must read again because a policy changed after
they were certified. One query at most. Reads only.
"""


@dataclasses.dataclass(frozen=True)
class StaffColumn:
    """
    One column of a table of people: its heading and, by staff id, each cell as a dict of "text"
    and "badge" (the badge class: "ok", "warn", "bad" or "").
    """

    heading: str
    cells: dict


@dataclasses.dataclass(frozen=True)
class RecordSection:
    """One part of a person's record, contributed by the app that owns it."""

    order: int
    template: str
    context: dict


def fire(name: str, **kwargs) -> None:
    """Call every receiver registered for hook `name` with `kwargs`."""
    for receiver in hooks.get_hooks(name):
        receiver(**kwargs)


def collect(name: str, **kwargs) -> list:
    """Return what every receiver registered for hook `name` answers to `kwargs`, in order."""
    return [receiver(**kwargs) for receiver in hooks.get_hooks(name)]


def receivers(name: str) -> list:
    """Return the receivers registered for hook `name`, in the order they are called."""
    return list(hooks.get_hooks(name))
