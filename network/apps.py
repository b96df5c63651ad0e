from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Service network")

    def ready(self):
        from . import access  # noqa: F401  (connects the sign-in receiver)
