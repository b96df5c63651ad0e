from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from wagtail.signals import page_published

        from network.signals import staff_changed

        from . import receivers

        staff_changed.connect(receivers.enrol_changed_staff, dispatch_uid="courses-enrol-staff")
        page_published.connect(receivers.enrol_for_published_track, dispatch_uid="courses-track")
