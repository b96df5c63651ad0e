class SmsError(Exception):
    """The gateway refused or could not be reached; the message says why, without the text."""


class BaseSmsBackend:
    """
    A way to deliver one SMS. `send` returns the gateway's reference for the message (or "") and
    raises SmsError when it was not accepted.
    """

    def send(self, *, phone: str, text: str, purpose: str, template_params: dict) -> str:
        raise NotImplementedError
