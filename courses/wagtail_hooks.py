"""How training follows changes elsewhere: people in the network, tracks being published."""

import re

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
from .models import LessonPage, TrackPage
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


def detect_policy_change(sender, instance, revision=None, **kwargs):
    """
    Receive Wagtail's page_published signal (connected in apps.py): a lesson revision that
    changed a policy clause's text or effective date is recorded as a policy change.
    """
    if isinstance(instance, LessonPage) and revision is not None:
        services.policy_change_detect(
            lesson=instance, revision=revision, user=getattr(revision, "user", None)
        )


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


# A page, document or image id as the database holds it (and SQLite's integers can hold).
_REFERENCE_ID = re.compile(r"[0-9]{1,18}")


def _is_id(value) -> bool:
    return value is not None and bool(_REFERENCE_ID.fullmatch(str(value)))


def _image_format_known(name) -> bool:
    from wagtail.images.formats import get_image_formats

    return any(f.name == name for f in get_image_formats())


# What each entity of the editor's content state must name to be stored as a reference.
_REFERENCE_CHECKS = {
    "link": ("LINK", lambda props: props.get("id") is None or _is_id(props["id"])),
    "document-link": ("DOCUMENT", lambda props: _is_id(props.get("id"))),
    "image": (
        "IMAGE",
        lambda props: _is_id(props.get("id")) and _image_format_known(props.get("format")),
    ),
}


def _checked(decorator, check):
    def decorate(props):
        if not check(props):
            return props.get("children")  # the linked words stay, as text; an image goes
        return decorator(props)

    return decorate


@hooks.register("register_rich_text_features", order=100)
def refuse_references_that_cannot_exist(features):
    """
    The admin's editor posts Draft.js content state, and Wagtail's converter stores whatever
    page or document id and image format it names: a link to the page "abc" or an image in a
    format that does not exist is saved, and then every page showing the text fails, the editor
    with it. Such a reference is dropped on the way in, as Wagtail drops a javascript: link.
    Runs after Wagtail's own features are registered (order 0), whose rules it wraps.
    """
    rules = features.converter_rules_by_converter.get("contentstate", {})
    for feature, (entity, check) in _REFERENCE_CHECKS.items():
        rule = rules.get(feature)
        if rule is None:
            continue
        out = rule["to_database_format"]
        decorators = out["entity_decorators"]
        features.register_converter_rule(
            "contentstate",
            feature,
            {
                **rule,
                "to_database_format": {
                    **out,
                    "entity_decorators": {
                        **decorators,
                        entity: _checked(decorators[entity], check),
                    },
                },
            },
        )
