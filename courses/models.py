from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The training home: the site's root page, where every person starts."""

    intro = RichTextField(_("introduction"), blank=True)
    intro_en = RichTextField(_("introduction (English)"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("intro_en")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("training home")

    def get_context(self, request, *args, **kwargs):
        from network.selectors import viewer_staff

        context = super().get_context(request, *args, **kwargs)
        context["staff"] = viewer_staff(user=request.user)
        return context
