"""
Errors the services and selectors of every app raise, in the domain's words rather than HTTP's.
A view may let them through: `core.middleware.DomainErrorsMiddleware` answers them as the web
answers a missing page. A command or a task catches them and says what was not found.
"""


class NotFound(LookupError):
    """
    What was asked for does not exist, or not in the asker's scope. The two are one error on
    purpose: telling them apart would tell a manager which outlets a competitor runs.
    """


def refusal_message(exc) -> str:
    """The words to show for a service's refusal (a PermissionDenied or a ValidationError)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You may not do this.")
