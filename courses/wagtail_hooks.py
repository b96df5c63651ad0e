"""How training follows changes elsewhere: people in the network, tracks being published."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks

from core import hooks as core_hooks
from core import outbox
from network.access import nav_role_in
from network.models import Role

from . import admin_views, services
from .models import TrackPage
from .selectors import my_training

ASSIGNING_ROLES = (Role.OUTLET_MANAGER, Role.PARTNER_ADMIN, Role.TRAINER, Role.AUDITOR)


@hooks.register(core_hooks.STAFF_CHANGED)
def enrol_changed_staff(*, staff_ids):
    # Runs inside the import's transaction, so an import and its enrolments land together.
    services.enrollment_sync(staff_ids=staff_ids)


def enrol_for_published_track(sender, instance, **kwargs):
    """Receive Wagtail's page_published signal (connected in apps.py): enrol for a new track."""
    if isinstance(instance, TrackPage):
        from .tasks import enrollment_sync_task

        outbox.enqueue(enrollment_sync_task, track_ids=[instance.pk])


@hooks.register(core_hooks.STAFF_RECORD_SECTIONS)
def training_record(*, staff, user):
    """The person's tracks on their record: progress and due dates."""
    return core_hooks.RecordSection(
        order=10,
        template="courses/record/training.html",
        context={"training": my_training(staff=staff)},
    )


@hooks.register(core_hooks.OUTLET_LINKS)
def outlet_training_link(*, outlet, request):
    if not nav_role_in(request, ASSIGNING_ROLES):
        return []
    url = reverse("courses:outlet_training", args=[outlet.code])
    return [(_("Training of the outlet's people"), url)]


@hooks.register("register_admin_urls")
def register_catalog_urls():
    return [path("courses/slug/", admin_views.slug_preview, name="courses_slug_preview")]


@hooks.register("insert_editor_js")
def editor_slug_script():
    # A file, not an inline script: the admin's policy is meant to lose 'unsafe-inline'.
    return format_html(
        '<script src="{}" data-slug-url="{}"></script>',
        static("courses/readable-slug.js"),
        reverse("courses_slug_preview"),
    )
