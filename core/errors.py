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
