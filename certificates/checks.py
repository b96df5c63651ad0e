from django.conf import settings
from django.core.checks import Error, register

from .keys import key_store


@register("certificates")
def certificate_signing_key_check(app_configs=None, **kwargs):
    """
    Report a missing signing key where none may be generated on first use: a key generated
    silently by one of several servers would sign certificates the others cannot verify.
    """
    if settings.CERTIFICATE_KEY_AUTOGENERATE:
        return []
    store = key_store()
    try:
        current = store.current()
    except (OSError, ValueError) as exc:
        return [
            Error(
                f"The certificate keys in {store.directory} cannot be read: {exc}",
                hint="Check CERTIFICATE_KEY_DIR and the files in it.",
                id="certificates.E002",
            )
        ]
    if current is None:
        return [
            Error(
                f"There is no certificate signing key in {store.directory}.",
                hint=(
                    "Run `manage.py certificate_keys generate` with CERTIFICATE_KEY_DIR on "
                    "storage every web and worker process shares, and back the directory up."
                ),
                id="certificates.E001",
            )
        ]
    return []
