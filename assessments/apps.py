from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from courses.services import COURSE_COMPLETION_CONDITIONS

        from .completion import course_exam_passed

        # The courses app sits below this one and cannot import it: the exam condition is
        # registered here instead, once however often ready() runs.
        if course_exam_passed not in COURSE_COMPLETION_CONDITIONS:
            COURSE_COMPLETION_CONDITIONS.append(course_exam_passed)
