from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared foundations")

    def __init__(self, app_name, app_module):
        super().__init__(app_name, app_module)
        # Here and not in ready(): Django creates every app's config before it imports any
        # models, and the models import fields that last: StreamField text blocks build their
        # CharFields when models.py declares them, taggit and Wagtail forms when imported.
        from .text import form_text_check_install

        form_text_check_install()
