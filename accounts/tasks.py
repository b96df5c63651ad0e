from celery import shared_task

from . import services


@shared_task(acks_late=True, time_limit=5 * 60, soft_time_limit=4 * 60)
def setup_deliver_task(setup_id: int, token: str, code: str) -> None:
    """
    Send an activation or reset by e-mail and SMS. The link and code travel in the message
    because they are stored only as hashes; a setup spent or replaced meanwhile sends nothing.
    """
    services.setup_deliver(setup_id=setup_id, token=token, code=code)
