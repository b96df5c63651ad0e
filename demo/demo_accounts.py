"""
The demo's identity: everyone the demo's HR file brought in starts without a password, as after
a real import, so the manager has people to activate. One of them at the manager's outlet is
invited already, and the seed prints that person's link and code, so a tester can activate an
account without printing anything.
"""

import dataclasses

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.models import PasswordSetup
from network.models import Staff

from .demo_network import SIGN_INS


@dataclasses.dataclass
class AccountsSeed:
    pending: int = 0
    invited_name: str = ""
    invited_employee_number: str = ""
    link: str = ""
    code: str = ""
    already_invited: bool = False


def seed_accounts() -> AccountsSeed:
    result = AccountsSeed()
    manager = (
        Staff.objects.select_related("user", "outlet").filter(user__username="manager").first()
    )
    if manager is None or manager.outlet is None:
        return result
    people = [
        person
        for person in Staff.objects.select_related("user", "outlet")
        .filter(outlet=manager.outlet, is_active=True, user__isnull=False)
        .exclude(user__username__in=SIGN_INS)
        .order_by("employee_number")
        if not account_selectors.is_activated(person.user)
    ]
    result.pending = len(people)
    if not people:
        return result
    person = people[0]
    result.invited_name, result.invited_employee_number = person.name, person.employee_number
    if PasswordSetup.objects.filter(user=person.user).usable().exists():
        # Its secrets were printed by the run that issued it; a new one would void that slip.
        result.already_invited = True
        return result
    issued = account_services.setup_issue(staff=person, actor=manager.user)
    result.link, result.code = issued.link, account_services.code_display(issued.code)
    return result
