from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from assessments.services.attempts import RESULT_HOOKS
        from assessments.services.practicals import PRACTICAL_COMPLETED_HOOKS
        from courses.selectors import RECERTIFICATION_SOURCES
        from courses.services import COURSE_COMPLETED_HOOKS

        from . import checks  # noqa: F401
        from .eligibility import recertifications_due
        from .tasks import course_completed, practical_completed, result_updated

        # The apps below cannot import this one: they call the hooks registered here, once
        # however often ready() runs.
        for hooks, hook in (
            (COURSE_COMPLETED_HOOKS, course_completed),
            (RESULT_HOOKS, result_updated),
            (PRACTICAL_COMPLETED_HOOKS, practical_completed),
            (RECERTIFICATION_SOURCES, recertifications_due),
        ):
            if hook not in hooks:
                hooks.append(hook)
