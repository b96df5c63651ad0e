from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from courses.selectors import COURSE_PAGE_EXTRAS, TRACK_PAGE_EXTRAS
        from courses.services import COURSE_COMPLETION_CONDITIONS

        from .completion import course_exam_passed, course_page_exam, track_page_exam

        # The courses app sits below this one and cannot import it: the exam condition is
        # registered here instead, once however often ready() runs.
        if course_exam_passed not in COURSE_COMPLETION_CONDITIONS:
            COURSE_COMPLETION_CONDITIONS.append(course_exam_passed)
        if course_page_exam not in COURSE_PAGE_EXTRAS:
            COURSE_PAGE_EXTRAS.append(course_page_exam)
        if track_page_exam not in TRACK_PAGE_EXTRAS:
            TRACK_PAGE_EXTRAS.append(track_page_exam)
