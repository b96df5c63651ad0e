from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_render_job_urls():
    return [
        path("certificates/pdfs/", admin_views.render_jobs, name="certificates_render_jobs"),
        path(
            "certificates/pdfs/progress/",
            admin_views.render_jobs_progress,
            name="certificates_render_jobs_progress",
        ),
    ]


class RenderJobMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("certificates.add_renderjob")


@hooks.register("register_settings_menu_item")
def register_render_job_menu_item():
    return RenderJobMenuItem(
        _("Certificate PDFs"),
        reverse("certificates_render_jobs"),
        icon_name="doc-full",
        order=950,
    )
