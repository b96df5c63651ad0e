from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        # Wagtail's own signal: a page published in code (the demo, an import) is published
        # without the admin's after_publish_page hook.
        from wagtail.signals import page_published

        from .wagtail_hooks import detect_policy_change, enrol_for_published_track

        page_published.connect(enrol_for_published_track, dispatch_uid="courses-track")
        page_published.connect(detect_policy_change, dispatch_uid="courses-policy-change")
