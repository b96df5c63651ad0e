import contextlib
import logging
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from demo.demo_accounts import seed_accounts
from demo.demo_assessments import demo_attempts_describe, seed_assessments
from demo.demo_certificates import demo_certificate_code, seed_certificates
from demo.demo_compliance import seed_compliance
from demo.demo_courses import SENIOR_TRAINER_ROW, SENIOR_TRAINERS_GROUP, seed_courses
from demo.demo_network import DEMO_PASSWORD, DemoDataRefused, seed_network
from demo.demo_policy_changes import seed_policy_changes
from demo.demo_quality_audits import seed_quality_audits
from demo.demo_quality_rules import seed_quality_rules
from demo.demo_quality_surveys import seed_quality_surveys
from network.models import Ownership, Role


class Command(BaseCommand):
    help = (
        "Fill the database with the demo service network, the demo training catalog, its question "
        "bank, exams and practical checklists, certificates in every state, and eight demo "
        "sign-ins. Safe to run again: a second run writes nothing. Refused unless "
        "DEMO_DATA_ALLOWED."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            with _quiet("wagtail", "django_tasks"):
                result = seed_network()
                network_done = time.monotonic()
                catalog = seed_courses()
                catalog_done = time.monotonic()
                bank = seed_assessments()
                assessments_done = time.monotonic()
                certificates = seed_certificates()
                certificates_done = time.monotonic()
                compliance = seed_compliance()
                policy = seed_policy_changes()
                surveys = seed_quality_surveys()
                accounts = seed_accounts()
                audits = seed_quality_audits()
                corrective = seed_quality_rules()
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from exc
        finished = time.monotonic()

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
            self.stdout.write(f"  {username:<13} {who}")
        senior = SENIOR_TRAINER_ROW
        self.stdout.write(
            f"  {senior['username']:<13} {senior['name']} {senior['employee_number']}, "
            f"{Role(senior['role']).label}, {SENIOR_TRAINERS_GROUP}"
            + (" (password set)" if catalog.senior_trainer_password_set else "")
        )
        self.stdout.write(
            f"Training catalog: {catalog.tracks} tracks, {catalog.courses} courses, "
            f"{catalog.lessons} lessons ({catalog.pages_created} pages created and published, "
            f"{catalog.images_created} images and {catalog.documents_created} documents "
            "created)\n"
            f"Enrolments by the role rules: {catalog.enrolled} new, {catalog.withdrawn} withdrawn\n"
            f"Progress ({catalog.completions_created} lessons completed now):"
        )
        for username, track, lessons in catalog.progress:
            self.stdout.write(f"  {username:<13} {lessons} lessons of {track}")
        self.stdout.write(
            f"Question bank: {bank.questions} questions in {bank.categories} categories, "
            f"{bank.exams} exams, {bank.checklists} practical checklists "
            f"({bank.questions_created} questions, {bank.exams_created} exams and "
            f"{bank.checklists_created} checklists created)\n"
            f"Exams and practical assessments taken ({bank.attempts_created} exam attempts, "
            f"{bank.practicals_created} practical assessments made now):"
        )
        for username, what in demo_attempts_describe():
            self.stdout.write(f"  {username:<13} {what}")
        for reason in bank.skipped:
            self.stdout.write(self.style.WARNING(f"  Not made: {reason}"))
        self.stdout.write(
            f"Certificates ({certificates.issued} issued, {certificates.changed} changed and "
            f"{certificates.rendered} PDFs drawn now):"
        )
        for who, what in certificates.holders:
            self.stdout.write(f"  {who:<13} {what}")
        code = demo_certificate_code()
        if code:
            self.stdout.write(f"  Verify the technician's certificate at /verify/{code}/")
        for reason in certificates.skipped:
            self.stdout.write(self.style.WARNING(f"  Not made: {reason}"))
        self.stdout.write(
            f"Compliance: {compliance.areas_created} service areas, "
            f"{compliance.requirements_created} required certificates, "
            f"{compliance.headcount_rules_created} headcount rules and "
            f"{compliance.additional_roles_created} second roles created; "
            f"{compliance.snapshots_written} snapshots of {len(compliance.months)} months written; "
            f"compliant showcase centre {compliance.showcase_outlet or '(none)'} "
            f"({compliance.certificates_issued} certificates issued now)"
        )
        if policy.change is not None:
            self.stdout.write(
                f"Policy change ({'recorded now' if policy.created else 'already recorded'}): "
                f"{policy.change.summary}, due {policy.change.due_on:%Y-%m-%d}: "
                f"{policy.due} holders due, {policy.completed} completed, {policy.missed} "
                "missed and suspended (admin: Policy changes)"
            )
        for reason in policy.skipped:
            self.stdout.write(self.style.WARNING(f"  Not made: {reason}"))
        self.stdout.write(
            f"Customer satisfaction: {surveys.responses_created} survey answers and "
            f"{surveys.answers_created} yes/no answers written over six months, "
            f"{surveys.months_recorded} months recorded; {surveys.worse_outlet} explains the "
            "warranty terms least"
        )
        self.stdout.write(
            f"Accounts: {accounts.pending} people at the manager's outlet have not activated "
            "theirs (Outlets, the outlet, Account activation prints their slips)"
        )
        if accounts.link:
            self.stdout.write(
                f"  {accounts.invited_name} {accounts.invited_employee_number} is invited: open "
                f"{accounts.link}\n  or /accounts/activate/ with employee number "
                f"{accounts.invited_employee_number} and code {accounts.code}"
            )
        elif accounts.already_invited:
            self.stdout.write(
                f"  {accounts.invited_name} {accounts.invited_employee_number} was invited by an "
                "earlier run; print a new slip from the outlet's Account activation page"
            )
        if audits.created:
            self.stdout.write(
                f"Field audits: {audits.audits_submitted} submitted with {audits.findings} "
                f"findings at {audits.outlet} and elsewhere; {audits.planned} planned for the "
                "auditor (My audits)"
            )
        self.stdout.write(
            f"Corrective training: {corrective.rules_created} rules written, "
            f"{corrective.assigned} assignments made; {corrective.snapshots_written} monthly "
            "quality figures recorded"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready in {finished - started:.2f} s (network "
                f"{network_done - started:.2f} s, catalog {catalog_done - network_done:.2f} s, "
                f"assessments {assessments_done - catalog_done:.2f} s, certificates "
                f"{certificates_done - assessments_done:.2f} s)."
            )
        )


@contextlib.contextmanager
def _quiet(*names):
    """
    Keep the INFO lines Wagtail and its task runner log for every page published and every
    search and reference index update out of the output; the summary says what was written.
    """
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
