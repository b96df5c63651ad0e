import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from demo.demo_network import DEMO_PASSWORD, DemoDataRefused, seed_network
from network.models import Ownership, Role


class Command(BaseCommand):
    help = (
        "Fill the database with the demo service network and seven demo sign-ins. "
        "Safe to run again: a second run writes nothing. Refused unless DEMO_DATA_ALLOWED."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            result = seed_network()
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started

        outlets, staff = result.outlet_rows, result.staff_rows
        companies = {r["partner_company_code"] for r in outlets if r["partner_company_code"]}
        ownership = Counter(r["ownership"] for r in outlets)
        tiers = Counter(r["city_tier"] for r in outlets)
        roles = Counter(r["role"] for r in staff)
        inactive = sum(not r["is_active"] for r in staff)

        def changes(report):
            return f"{report.created} new, {report.updated} changed, {report.unchanged} unchanged"

        self.stdout.write(
            f"Partner companies: {len(companies)} ({result.companies_written} written)\n"
            f"Outlets: {len(outlets)}: {ownership[Ownership.BRAND]} brand-owned, "
            f"{ownership[Ownership.PARTNER]} partner; tier 1: {tiers[1]}, tier 2: {tiers[2]}, "
            f"tier 3: {tiers[3]} ({changes(result.outlets)})\n"
            f"Staff: {len(staff)}, {inactive} of them inactive ({changes(result.staff)})\n"
            + "".join(f"  {role.value}: {roles[role]}\n" for role in Role)
            + "Home page introduction: "
            + ("written" if result.home_page_written else "already set, left as it is")
        )
        self.stdout.write(
            f"Sign-ins, password {DEMO_PASSWORD} ({result.passwords_set} passwords set):"
        )
        for username, who in result.sign_ins:
            self.stdout.write(f"  {username:<11} {who}")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {elapsed:.2f} s."))
