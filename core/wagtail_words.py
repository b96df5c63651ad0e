"""
Words of Wagtail's admin that Wagtail's own Simplified Chinese catalogue lacks. Listed here so that
makemessages keeps them in ours, which Django reads before Wagtail's (LOCALE_PATHS come first).
"""

from django.utils.translation import gettext_noop

WAGTAIL_WORDS = (
    # The header of every snippet's "add" page (wagtail/admin/views/generic/models.py).
    gettext_noop("New: %(model_name)s"),
)
