from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from core.i18n import readable_slug


class AssignForm(forms.Form):
    track = forms.ModelChoiceField(label=_("Track"), queryset=None)
    employee_number = forms.CharField(
        label=_("Employee number"),
        required=False,
        max_length=32,
        help_text=_("Leave empty to assign the track to everyone at the outlet."),
    )

    def __init__(self, *args, tracks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = tracks
        self.fields["track"].label_from_instance = lambda t: t.display_title


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


def slug_available(slug, *, parent, page) -> str:
    """Return `slug`, or `slug-2`, `slug-3` ... the first one no sibling of `page` holds."""
    candidate, suffix = slug, 1
    while not Page._slug_is_available(candidate, parent, page):
        suffix += 1
        candidate = f"{slug}-{suffix}"
    return candidate


class CatalogPageForm(WagtailAdminPageForm):
    """
    The editor of tracks, courses and lessons. A slug left empty or written in Chinese becomes
    pinyin. A new page whose slug a sibling holds (often a draft left behind with the same
    title) gets the next free one; an existing page is told, in the trainer's language, what to
    do instead of Wagtail's untranslated message.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def clean(self):
        if "slug" in self.cleaned_data and self.parent_page is not None:
            slug = self.cleaned_data["slug"]
            if not slug or not slug.isascii():
                slug = readable_slug(self.cleaned_data.get("title") or slug)
            if self.instance.pk is None:
                slug = slug_available(slug, parent=self.parent_page, page=self.instance)
            elif not Page._slug_is_available(slug, self.parent_page, self.instance):
                self.add_error(
                    "slug",
                    _(
                        "Another page here, perhaps an unpublished draft, already uses the "
                        "slug “%(slug)s”. Choose another slug, for example "
                        "“%(free)s”, or delete the other page."
                    )
                    % {
                        "slug": slug,
                        "free": slug_available(slug, parent=self.parent_page, page=self.instance),
                    },
                )
                return super().clean()
            self.cleaned_data["slug"] = slug
        return super().clean()
