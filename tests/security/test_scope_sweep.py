"""
The cross-scope sweep: every URL pattern of the site, read from the resolver, is filled with a
canary outlet's objects and requested by three people of another scope (an outlet manager and a
learner of a rival partner's outlet, and that rival's partner administrator), by GET and by an
empty POST. None of them may read or change the canary's anything, and the canary's names and
numbers appear in nothing they are answered, on these pages or on their own.

Beyond the parameterised pages, the outsiders' own pages are crawled (every pattern without a
parameter, their own outlet's pages, the catalog, the reports' history, searches for the canary's
names and numbers, their own exports, CSVs, ZIPs and PDFs, read inside), their forms are fed the
canary's people (the rival's senior technician, an assessor, joins for the practicals' form), and
their counts must not move when the canary's outlet changes.

A new URL is swept the day it is added. If it takes a parameter this file does not know, its
test fails and names the parameter: give it a canary value in BY_PARAMETER or BY_PATTERN below,
or an entry with a reason in ALLOWED.

What an outsider is answered:

- The site's pages answer 404 for an object out of scope ("Anything out of scope answers 404").
  403 is deliberate in two apps only, where a role may not use a function at all and is refused
  before anything is looked up: compliance (a learner reads no reports, exports none) and
  certificates (the desk and an outlet's ZIP are for those who answer for outlets; suspending,
  revoking and correcting for auditors). Anywhere, a method the view does not take is 405. In
  every case the canary's object must be answered exactly as a value that exists nowhere, so the
  answer tells nothing about the canary.
- The Wagtail admin is for trainers, auditors and administrators: it sends the outsiders to the
  sign-in (a redirect), or answers 403.
- An empty POST writes nothing (the requester's own session aside).
"""

import contextlib
import dataclasses
import datetime
import difflib
import html
import io
import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from urllib.parse import quote, quote_plus, unquote, unquote_plus, urlencode, urlsplit

import openpyxl
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, TestCase

from compliance.models import ExportJob
from quality.models import CorrectiveAssignment, CorrectiveRule, SurveyQuestion
from tests.factories.compliance import headcount_rule, plain_track, requirement, service_area
from tests.security.canary import (
    Shared,
    World,
    shared_build,
    snapshots_take,
    world_build,
    world_grow,
)
from tests.security.patterns import Pattern, site_patterns

PATTERNS = site_patterns()
OUTSIDERS = ("manager", "partner_admin", "learner")

# --- Which canary object each URL parameter names --------------------------------------------


@dataclasses.dataclass(frozen=True)
class Fill:
    """How to fill one parameter from a world (and the people and rules shared by all)."""

    value: Callable[[World, Shared], object]
    # False for a word of the URL that names no object (an action, a model's name): a fill with
    # values that exist nowhere keeps it.
    names_an_object: bool = True


def _word(word):
    return Fill(lambda w, s: word, names_an_object=False)


# Parameters that name the same kind of object wherever they appear, by name and converter.
BY_PARAMETER = {
    ("code", "str"): Fill(lambda w, s: w.outlet.code),
    ("employee_number", "str"): Fill(lambda w, s: w.invited.employee_number),
    ("serial", "str"): Fill(lambda w, s: w.certificate.serial),
    ("attempt_id", "int"): Fill(lambda w, s: w.open_attempt.pk),
    ("assessment_id", "int"): Fill(lambda w, s: w.course_exam.pk),
    ("lesson_id", "int"): Fill(lambda w, s: w.lesson.pk),
    ("course_id", "int"): Fill(lambda w, s: w.course.pk),
    ("track_id", "int"): Fill(lambda w, s: w.track.pk),
    ("criterion_id", "int"): Fill(lambda w, s: w.criterion.pk),
    ("question_id", "int"): Fill(lambda w, s: w.regrade.question_id),
    ("session_id", "int"): Fill(lambda w, s: w.editing_session.pk),
}

# Parameters whose meaning depends on the pattern (a `pk`, a `job_id`), by pattern id or by
# namespace; a pattern's own entry wins over its namespace's, and both over BY_PARAMETER.
BY_PATTERN = {
    "courses:withdraw": {"pk": Fill(lambda w, s: w.enrollment.pk)},
    "assessments:practical_detail": {"pk": Fill(lambda w, s: w.practical.pk)},
    "assessments:practical_checklist": {"pk": Fill(lambda w, s: w.practical.pk)},
    "assessments:practical_criterion_record": {"pk": Fill(lambda w, s: w.practical.pk)},
    "assessments:practical_evidence_add": {"pk": Fill(lambda w, s: w.practical.pk)},
    "assessments:practical_complete": {"pk": Fill(lambda w, s: w.practical.pk)},
    "assessments:evidence_file": {"pk": Fill(lambda w, s: w.evidence.pk)},
    "assessments:attempt_result": {"attempt_id": Fill(lambda w, s: w.submitted_attempt.pk)},
    "quality:audit_detail": {"pk": Fill(lambda w, s: w.audit.pk)},
    "quality:audit_evidence_file": {"pk": Fill(lambda w, s: w.audit_evidence.pk)},
    "quality:finding_detail": {"pk": Fill(lambda w, s: w.finding.pk)},
    # The auditor's work on the audit they conduct: planned, not submitted.
    "quality:audit_item_record": {
        "pk": Fill(lambda w, s: w.planned_audit.pk),
        "item_id": Fill(lambda w, s: w.audit_item.pk),
    },
    "quality:audit_evidence_add": {"pk": Fill(lambda w, s: w.planned_audit.pk)},
    "quality:audit_submit": {"pk": Fill(lambda w, s: w.planned_audit.pk)},
    "quality:finding_recheck": {
        "pk": Fill(lambda w, s: w.planned_audit.pk),
        "finding_id": Fill(lambda w, s: w.finding.pk),
    },
    "compliance:export_job": {"job_id": Fill(lambda w, s: w.export.pk)},
    "compliance:export_status": {"job_id": Fill(lambda w, s: w.export.pk)},
    "compliance:export_download": {"job_id": Fill(lambda w, s: w.export.pk)},
    "certificates:bulk_suspension": {"job_id": Fill(lambda w, s: w.bulk_suspension.pk)},
    "certificates:bulk_suspension_status": {"job_id": Fill(lambda w, s: w.bulk_suspension.pk)},
    "certificates:desk_action": {"action": _word("suspend")},
    "certificates:verify": {"code": Fill(lambda w, s: w.certificate.code)},
    "certificates:verify_json": {"code": Fill(lambda w, s: w.certificate.code)},
    "wagtail_serve": {"0": Fill(lambda w, s: w.lesson.url.strip("/") + "/")},
    # The admin's own views of the network, the question banks and the grades.
    "network_import_detail": {"pk": Fill(lambda w, s: w.import_batch.pk)},
    "assessments_bank_export": {"pk": Fill(lambda w, s: s.category.pk)},
    "assessments_regrade_detail": {"pk": Fill(lambda w, s: w.regrade.pk)},
    "assessments_attempt_grade_changes": {"attempt_id": Fill(lambda w, s: w.submitted_attempt.pk)},
    "wagtailadmin_editing_sessions": {
        "app_label": _word("network"),
        "model_name": _word("staff"),
        "object_id": Fill(lambda w, s: w.technician.pk),
    },
}

# The object of each model the admin edits (a snippet's edit, delete, usage, history, copy,
# inspect and chooser, a user's pages), for the `pk` of its views: the canary's where the model
# belongs to a scope, the brand's rules and question banks otherwise.
ADMIN_MODELS = {
    "auth.user": lambda w, s: w.technician.user_id,
    "network.partnercompany": lambda w, s: w.company.pk,
    "network.outlet": lambda w, s: w.outlet.pk,
    "network.staff": lambda w, s: w.technician.pk,
    "network.additionalrole": lambda w, s: w.additional_role.pk,
    "accounts.signinevent": lambda w, s: w.sign_in_event.pk,
    "accounts.smsmessage": lambda w, s: w.sms.pk,
    "core.outboxmessage": lambda w, s: w.outbox.pk,
    "assessments.questioncategory": lambda w, s: s.category.pk,
    "assessments.question": lambda w, s: w.regrade.question_id,
    "assessments.assessment": lambda w, s: w.course_exam.pk,
    "assessments.practicalchecklist": lambda w, s: w.practical.checklist_id,
    "compliance.servicearea": lambda w, s: s.rules["area"].pk,
    "compliance.trackrequirement": lambda w, s: s.rules["requirement"].pk,
    "compliance.headcountrule": lambda w, s: s.rules["headcount"].pk,
    "quality.audittemplate": lambda w, s: w.audit.template_id,
    "quality.auditplan": lambda w, s: w.audit_plan.pk,
    # The brand's questions, seeded by quality's migration.
    "quality.surveyquestion": lambda w, s: (
        SurveyQuestion.objects.get_or_create(
            code="warranty_explained", defaults={"text": "是否向您解释了三包条款？"}
        )[0].pk
    ),
    "quality.correctiverule": lambda w, s: _corrective(w).rule_id,
    "quality.correctiveassignment": lambda w, s: _corrective(w).pk,
}


def _corrective(world) -> CorrectiveAssignment:
    """The corrective training the canary outlet's finding caused (made on first use)."""
    rule, _ = CorrectiveRule.objects.get_or_create(
        name=f"{world.tag} 稽核问题项复训",
        defaults={"trigger": "finding", "track": world.track, "roles": ["front_desk"]},
    )
    assignment, _ = CorrectiveAssignment.objects.get_or_create(
        rule=rule,
        outlet=world.outlet,
        finding=world.finding,
        defaults={"evidence": {"finding": world.finding.pk}, "due_on": world.finding.respond_by},
    )
    return assignment


# --- The allow-list ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Allowed:
    reason: str
    # Requested all the same (with the canary's value where the table has one, else a stand-in),
    # and its answers searched for the canary; False for the links that are a person's secret.
    request: bool = True
    # What of the canary the answer may show, by the start of the markers' labels.
    may_show: tuple[str, ...] = ()
    # What the outsider must be answered, when not the scope refusal.
    statuses: tuple[int, ...] = ()
    # The methods requested: a sign-out page is not posted to, as it would end the sweep's session.
    methods: tuple[str, ...] = ("GET", "POST")


_WAGTAIL_CONTENT = Allowed(
    "Wagtail's own admin of pages, revisions, workflows, collections, images, documents, "
    "redirects, forms, sites, groups and settings: the trainers' content and the site's "
    "configuration, no scope's object. Filled with stand-ins; the admin refuses the outsiders "
    "before it looks anything up."
)
_PUBLIC_CERTIFICATE = (
    "the world's tag",
    "outlet",
    "partner company",
    "serial of the certificate",
    "verification code",
)

ALLOWED = {
    # Public by design ----------------------------------------------------------------------
    "certificates:verify": Allowed(
        "Public verification: anyone holding a certificate's code reads its status, track and "
        "outlet, the holder's name masked. Nobody's full name or number.",
        may_show=_PUBLIC_CERTIFICATE,
        statuses=(200,),
    ),
    "certificates:verify_json": Allowed(
        "The verification API, public like the page.",
        may_show=_PUBLIC_CERTIFICATE,
        statuses=(200,),
    ),
    "compliance:public_outlet": Allowed(
        "The outlet's public status at the counter: certified per service area, people counted "
        "per role, no names.",
        may_show=("the world's tag", "outlet", "partner company"),
        statuses=(200,),
    ),
    "compliance:outlet_status_api": Allowed(
        "The public status as JSON, for the warranty-claim system.",
        may_show=("the world's tag", "outlet", "partner company"),
        statuses=(200,),
    ),
    "quality:survey": Allowed(
        "The counter survey: anyone may answer it from the poster; it shows the outlet's name, "
        "city and code, and nothing of anyone's answers. An empty POST is refused (400).",
        may_show=("the world's tag", "outlet"),
        statuses=(200, 400),
    ),
    "quality:survey_thanks": Allowed(
        "The survey's thank-you page: the outlet's name, city and code, a fixed text.",
        may_show=("the world's tag", "outlet"),
        statuses=(200,),
    ),
    "accounts:activate": Allowed(
        "The activation link: whoever holds its token is the person it was issued to, and the "
        "page greets them by name. Not requested.",
        request=False,
    ),
    "account_confirm_email": Allowed(
        "django-allauth's e-mail confirmation link: the key is the secret, no scope's object.",
        request=False,
    ),
    "account_reset_password_from_key": Allowed(
        "django-allauth's password reset link: the key is the secret, no scope's object.",
        request=False,
    ),
    "wagtailadmin_password_reset_confirm": Allowed(
        "The admin's password reset link: the token is the secret, no scope's object.",
        request=False,
    ),
    "openid_connect_login": Allowed("Single sign-on: the parameter names a provider."),
    "openid_connect_callback": Allowed("Single sign-on: the parameter names a provider."),
    # The catalog: the brand's content, for whoever its rules let read it ----------------------
    "wagtail_serve": Allowed(
        "Track, course and lesson pages are the brand's catalog, read by the roles and "
        "enrolments the catalog decides, no scope's object: requested at the canary's lesson, "
        "and searched for the canary."
    ),
    "assessments:course_exam": Allowed(
        "Leads from a catalog course to its exam: the exam page (swept itself) decides who "
        "may take it.",
        statuses=(302,),
    ),
    "assessments:track_exam": Allowed(
        "Leads from a catalog track to its certification exam: the exam page decides.",
        statuses=(302,),
    ),
    "wagtaildocs_serve": Allowed("Lesson handouts: the trainers' documents, no scope's object."),
    "wagtaildocs_authenticate_with_password": Allowed("A document's password: trainers' content."),
    "wagtailcore_authenticate_with_password": Allowed("A page's password: trainers' content."),
    # The admin's pages for the signed-out: its icons, its translations, its password reset ----
    "wagtailadmin_sprite": Allowed("The admin's icon sprite: static."),
    "wagtailadmin_javascript_catalog": Allowed("The admin's JavaScript translations: static."),
    "wagtailadmin_password_reset": Allowed("The admin's password reset form, for the signed-out."),
    "wagtailadmin_password_reset_done": Allowed("Its confirmation page: a fixed text."),
    "wagtailadmin_password_reset_complete": Allowed("Its last page: a fixed text."),
    "wagtailadmin_logout": Allowed(
        "Signing out of the admin: requested by GET only, a POST would end the outsider's session.",
        methods=("GET",),
    ),
}

# Namespaces and names of Wagtail's generic admin (each pattern under them is allowed as above).
WAGTAIL_CONTENT = (
    "wagtailadmin_pages",
    "wagtailadmin_explore",
    "wagtailadmin_choose_page_child",
    "wagtailadmin_api",
    "wagtailadmin_collections",
    "wagtailadmin_workflows",
    "wagtailadmin_tag_model_autocomplete",
    "wagtail_bulk_action",
    "wagtailimages",
    "wagtaildocs",
    "wagtailredirects",
    "wagtailforms",
    "wagtailsites",
    "wagtailusers_groups",
    "wagtailsettings",
    "wagtailembeds",
)

# Paths for regex patterns with nothing to fill: any path they answer.
SAMPLES = {"admin/.*/$": "/admin/no-such-admin-page/"}

# Snippets the admin shows but never changes (the audit trail of identity).
READ_ONLY_SNIPPETS = (
    "wagtailsnippets_accounts_signinevent",
    "wagtailsnippets_accounts_smsmessage",
    "wagtailsnippets_core_outboxmessage",
    "wagtailsnippets_quality_correctiveassignment",
)

# Who of the canary is the positive control of each site pattern (the outlet's manager unless
# named here): the person the page is for, who must reach the canary's object with its value.
INSIDERS = {
    "assessments:exam": "technician",
    "assessments:attempt_start": "technician",
    "assessments:attempt": "technician",
    "assessments:attempt_answer": "technician",
    "assessments:attempt_submit": "technician",
    "assessments:attempt_result": "technician",
    "assessments:practical_checklist": "senior",
    "assessments:practical_criterion_record": "senior",
    "assessments:practical_evidence_add": "senior",
    "assessments:practical_complete": "senior",
    "courses:lesson_complete": "technician",
    "certificates:bulk_suspension": "auditor",
    "certificates:bulk_suspension_status": "auditor",
    "certificates:desk_action": "auditor",
    "quality:audit_item_record": "auditor",
    "quality:audit_evidence_add": "auditor",
    "quality:audit_submit": "auditor",
    "quality:finding_recheck": "auditor",
}

# The statuses by which each app refuses an outsider (see the module's docstring); 405 anywhere.
REFUSALS = {
    "accounts": {404},
    "network": {404},
    "courses": {404},
    "assessments": {404},
    "compliance": {403, 404},
    "certificates": {403, 404},
    # The satisfaction roll-ups refuse a role that may not use them at all (403), like compliance.
    "quality": {403, 404},
}
# Tables a request may write to without changing anything of anyone's: the requester's session.
SESSION_TABLES = {"django_session"}


def allowed(pattern: Pattern) -> Allowed | None:
    if pattern.id in ALLOWED:
        return ALLOWED[pattern.id]
    if pattern.name.startswith(WAGTAIL_CONTENT):
        return _WAGTAIL_CONTENT
    return None


def _fill_of(pattern: Pattern, name: str, converter: str) -> Fill | None:
    for key in (pattern.id, pattern.name, pattern.namespace):
        if key and name in BY_PATTERN.get(key, {}):
            return BY_PATTERN[key][name]
    if pattern.model is not None and name == "pk":
        value = ADMIN_MODELS.get(pattern.model._meta.label_lower)
        return Fill(value) if value else None
    return BY_PARAMETER.get((name, converter))


STAND_IN = "1"  # for a parameter of an allowed pattern the table does not know


def fill(pattern: Pattern, world: World, shared: Shared, *, bogus: bool = False) -> str | None:
    """
    Return the path of `pattern` filled with `world`'s objects (with values that exist nowhere
    when `bogus`); None for a pattern that is not requested. Fail, naming the parameter, when the
    table has no value for it.
    """
    exempt = allowed(pattern)
    if exempt is not None and not exempt.request:
        return None
    if pattern.needs_sample:
        if pattern.route not in SAMPLES:
            pytest.fail(
                f"{pattern.id} ({pattern.route}) matches many paths: add one to SAMPLES",
                pytrace=False,
            )
        return SAMPLES[pattern.route]
    values = {}
    for parameter in pattern.parameters:
        known = _fill_of(pattern, parameter.name, parameter.converter)
        if known is None:
            if exempt is None:
                where = f"BY_PARAMETER or BY_PATTERN of {__name__}"
                if pattern.model is not None:
                    where = f"ADMIN_MODELS of {__name__} ({pattern.model._meta.label_lower})"
                pytest.fail(
                    f"{pattern.id} ({pattern.route}): the sweep does not know parameter "
                    f"{parameter.name!r} ({parameter.converter}); give it the canary's value in "
                    f"{where}, or allow the pattern with a reason",
                    pytrace=False,
                )
            values[parameter.name] = STAND_IN
        elif bogus and known.names_an_object:
            values[parameter.name] = 987654321 if parameter.converter == "int" else "QZ-NONE-42"
        else:
            values[parameter.name] = known.value(world, shared)
    return pattern.path(values)


# --- Reading what a response says --------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    if not shutil.which("pdftotext"):
        # Without poppler a PDF is not read; the tests that must read one are marked pdftools.
        return ""
    done = subprocess.run(
        ["pdftotext", "-q", "-", "-"], input=content, capture_output=True, timeout=60, check=False
    )
    return done.stdout.decode("utf-8", "replace")


def readable(content: bytes) -> str:
    """Return the text of a body: a page, JSON, CSV, a PDF, an XLSX workbook or a ZIP of them."""
    if content.startswith(b"%PDF"):
        return _pdf_text(content)
    if content.startswith(b"PK"):
        archive = zipfile.ZipFile(io.BytesIO(content))
        if "[Content_Types].xml" in archive.namelist():
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
            return "\n".join(
                "\t".join(str(cell) for cell in row if cell is not None)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows(values_only=True)
            )
        return "\n".join(f"{name}\n{readable(archive.read(name))}" for name in archive.namelist())
    text = content.decode("utf-8-sig", "replace")
    with contextlib.suppress(ValueError):  # JSON's \uXXXX escapes, read back as characters
        text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
    return f"{text}\n{html.unescape(text)}\n{unquote(text)}"


def body(response) -> bytes:
    if response.streaming:
        # Reading it to the end closes it, as the test client arranges. Closing it again would
        # send request_finished with Django's connection check connected, which closes the
        # connection of a test inside a transaction (PostgreSQL; SQLite's in-memory one stays).
        content = b"".join(response.streaming_content)
        return content
    return response.content


def leaks(text: str, markers: dict[str, str], *, typed: str = "", may_show=()) -> list[str]:
    """
    Return the markers found in `text`, ignoring what the requester typed themselves (the path
    and query they sent, which a page may echo) and the markers the page may show.
    """
    text = text.lower()
    split = urlsplit(typed)
    echoed = [unquote(part) for part in split.path.split("/")]
    echoed += [unquote_plus(part) for part in re.split(r"[&=]", split.query)]
    # As typed, and as the page's own links spell it again.
    echoed = {
        spelling.lower()
        for part in echoed
        if len(part) >= 4
        for spelling in (part, part.replace(" ", "+"), quote(part), quote_plus(part))
    }
    for part in sorted(echoed, key=len, reverse=True):
        text = text.replace(part, "")
    return [
        f"{label} ({value!r})"
        for label, value in markers.items()
        if value and value.lower() in text and not label.startswith(may_show)
    ]


class Writes:
    """The tables written to by the requests made inside it, apart from the session's."""

    PATTERN = re.compile(
        r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)', re.I
    )

    def __init__(self):
        self.tables = []

    def __call__(self, execute, sql, params, many, context):
        match = self.PATTERN.match(sql)
        if match and match[1] not in SESSION_TABLES:
            self.tables.append(match[1])
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


# --- The worlds --------------------------------------------------------------------------------


@dataclasses.dataclass
class Sweep:
    shared: Shared
    canary: World
    rival: World
    clients: dict  # who -> a signed-in Client
    users: dict  # who -> the User
    period: str  # the month of the reports' history, YYYY-MM
    period_start: datetime.date  # the same month as a date, its first day

    @property
    def markers(self) -> dict[str, str]:
        return self.canary.markers()


@pytest.fixture(scope="module")
def sweep(django_db_setup, django_db_blocker):
    """
    The canary's world, the rival's and everyone's client, built once for the module: each test
    still runs in its own transaction inside this one, and all is rolled back at the end.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        shared = shared_build()
        # Brand-wide rules on a track of its own, so that no world's people are enrolled in the
        # other's track by them.
        rules_track = plain_track("服务规范")
        shared.rules = {
            "requirement": requirement(role="outlet_manager", track=rules_track),
            "area": service_area("counter", "前台受理"),
        }
        shared.rules["headcount"] = headcount_rule(
            area=shared.rules["area"], role="outlet_manager", track=rules_track
        )
        # The rival first: the canary's serials are then not SC-YYYY-000001, the example serial
        # the verification form shows everyone.
        rival = world_build(tag="Rival", prefix="RVL", number=8, shared=shared)
        canary = world_build(tag="QzCanary", prefix="QZC", number=7, shared=shared)
        period_start = snapshots_take()
        users = {
            # The outsiders: another partner's outlet manager, that partner's administrator,
            # and a technician of that outlet.
            "manager": rival.manager.user,
            "partner_admin": rival.partner_admin.user,
            "learner": rival.technician.user,
            # The rival's senior technician, who assesses (for the practicals' forms).
            "assessor": rival.senior.user,
            # The canary's own people, and the network's, for the positive controls.
            "canary_manager": canary.manager.user,
            "canary_technician": canary.technician.user,
            "canary_senior": canary.senior.user,
            "canary_auditor": shared.auditor.user,
            "superuser": shared.superuser,
        }
        clients = {}
        for who, user in users.items():
            clients[who] = Client()
            clients[who].force_login(user)
        yield Sweep(
            shared=shared,
            canary=canary,
            rival=rival,
            clients=clients,
            users=users,
            period=period_start.strftime("%Y-%m"),
            period_start=period_start,
        )
        transaction.set_rollback(True)
    cache.clear()


def _request(sweep, who, method, path, data=None):
    client = sweep.clients[who]
    send = client.get if method == "GET" else client.post
    response = send(path, data or {})
    # The sweep means nothing if a request ran signed out (a session lost on the way).
    assert response.wsgi_request.user.pk == sweep.users[who].pk, f"{who} was signed out at {path}"
    return response


def _swept(pattern: Pattern) -> bool:
    """Whether the pattern is swept one by one: every admin pattern, and any that takes values.
    The site's pages without a parameter are the outsiders' own, crawled as such below."""
    return pattern.is_admin or bool(pattern.parameters) or pattern.needs_sample


SWEPT = [p for p in PATTERNS if _swept(p)]


def _app(pattern: Pattern) -> str:
    return pattern.namespace.split(":")[0]


def _is_login(response) -> bool:
    location = urlsplit(response.get("Location", "")).path
    return location in (settings.LOGIN_URL, "/admin/login/")


# --- The sweep ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", SWEPT, ids=[p.id for p in SWEPT])
def test_outsiders_get_nothing_of_the_canary(sweep, pattern):
    path = fill(pattern, sweep.canary, sweep.shared)
    if path is None:
        pytest.skip(f"allowed without a request: {allowed(pattern).reason}")
    if not pattern.resolves_to_itself(path):
        pytest.skip(f"{path} is answered by a pattern before this one, which is swept itself")
    exempt = allowed(pattern)
    cache.clear()  # public pages count requests per address
    problems = []
    for who in OUTSIDERS:
        for method in _methods(pattern, who):
            with Writes() as writes:
                response = _request(sweep, who, method, path)
            status = response.status_code
            where = f"{method} {path} as the rival's {who}: {status}"
            found = leaks(
                readable(body(response)),
                sweep.markers,
                typed=path,
                may_show=exempt.may_show if exempt else (),
            )
            if found:
                problems.append(f"{where} shows the canary's {', '.join(found)}")
            if status >= 500:
                problems.append(f"{where}, a server error")
            if method == "POST" and writes.tables:
                problems.append(f"{where} wrote to {', '.join(sorted(set(writes.tables)))}")
            if exempt is not None:
                if exempt.statuses and method == "GET" and status not in exempt.statuses:
                    problems.append(f"{where}, expected {exempt.statuses}")
                continue
            if pattern.is_admin:
                if not (status == 403 or (status == 302 and _is_login(response))):
                    problems.append(f"{where}: the admin neither refused nor sent to sign in")
                continue
            refusals = REFUSALS.get(_app(pattern))
            if refusals is None:
                problems.append(f"{where}: no refusal rule for app {_app(pattern)!r} in REFUSALS")
                continue
            if status not in refusals | {405}:
                problems.append(f"{where}, expected one of {sorted(refusals | {405})}")
                continue
            if status != 403:
                # A 404 is what a value that exists nowhere gets; a 405 comes before any look-up.
                continue
            bogus = _request(
                sweep, who, method, fill(pattern, sweep.canary, sweep.shared, bogus=True)
            )
            if bogus.status_code != status:
                problems.append(
                    f"{where}, but {bogus.status_code} for a value that exists nowhere: the "
                    "answer tells the canary's object exists"
                )
    assert not problems, "\n".join(problems)


def _methods(pattern: Pattern, who: str) -> tuple[str, ...]:
    exempt = allowed(pattern)
    if exempt is not None:
        return exempt.methods
    if pattern.is_admin and not pattern.parameters and who != "partner_admin":
        # An admin page without a parameter names nobody's object, and the admin refuses every
        # outsider before its view: each outsider GETs it, one of them POSTs.
        return ("GET",)
    return ("GET", "POST")


def _insider(pattern: Pattern) -> str:
    return "canary_" + INSIDERS.get(pattern.id, "manager")


# Every pattern filled with the canary's own values (not the allowed, nor the admin's pages that
# take none).
POSITIVE = [p for p in SWEPT if allowed(p) is None and p.parameters]


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", POSITIVE, ids=[p.id for p in POSITIVE])
def test_the_canarys_own_people_reach_its_objects(sweep, pattern):
    """
    The positive control: with the same values, the person a page is for is shown it (200), or
    for a view that only takes POST, reaches it; so a fill that points at nothing (every
    outsider's 404 for the wrong reason) cannot pass unnoticed.
    """
    path = fill(pattern, sweep.canary, sweep.shared)
    if not pattern.resolves_to_itself(path):
        pytest.skip(f"{path} is answered by a pattern before this one")
    who = "superuser" if pattern.is_admin else _insider(pattern)
    shown = _request(sweep, who, "GET", path)
    body(shown)
    where = f"GET {path} as {who}: {shown.status_code} {shown.get('Location', '')}"
    if shown.status_code == 405:
        posted = _request(sweep, who, "POST", path)
        body(posted)
        where = f"POST {path} as {who}: {posted.status_code} {posted.get('Location', '')}"
        # An empty POST reaches the object when it is done, sent on, or refused as incomplete.
        assert posted.status_code in (200, 302, 400), where
        assert not _is_login(posted), where
    elif pattern.is_admin and shown.status_code == 302:
        # The admin keeps the audit records read-only: editing one sends back to the dashboard.
        assert urlsplit(shown["Location"]).path == "/admin/", where
        assert pattern.namespace.startswith(READ_ONLY_SNIPPETS), where
    else:
        assert shown.status_code == 200, where


def test_the_sweep_covers_the_site():
    site = [p for p in SWEPT if not p.is_admin]
    admin = [p for p in SWEPT if p.is_admin]
    # The counts of today: they only grow, and a drop means the walk lost a part of the URLconf.
    assert len(site) >= 50
    assert len(admin) >= 390
    ids = {p.id for p in PATTERNS}
    assert not set(ALLOWED) - ids, f"allowed patterns that no longer exist: {set(ALLOWED) - ids}"
    assert not set(INSIDERS) - ids
    assert not {
        k for k in BY_PATTERN if k not in ids and not any(p.namespace == k for p in PATTERNS)
    }, "BY_PATTERN names a pattern or namespace that no longer exists"


# --- What the outsiders reach on their own -----------------------------------------------------


def _search_terms(canary: World) -> list[str]:
    """What an outsider might type to find the canary: its names, codes and numbers."""
    return [
        canary.tag,
        canary.outlet.code,
        canary.outlet.name,
        canary.company.code,
        canary.technician.name,
        canary.technician.employee_number,
        canary.invited.employee_number,
        canary.certificate.serial,
    ]


def _searches(sweep) -> list[str]:
    canary = sweep.canary
    paths = [
        f"/certificates/desk/?{urlencode({'outlet': canary.outlet.code})}",
        f"/certificates/desk/?{urlencode({'partner_company': canary.company.code})}",
        f"/compliance/?{urlencode({'partner_company': canary.company.code})}",
        f"/compliance/?{urlencode({'partner_company': canary.company.pk})}",
    ]
    for term in _search_terms(canary):
        query = urlencode({"q": term})
        paths += [
            f"/?{query}",
            f"/network/outlets/?{query}",
            f"/network/staff/?{query}",
            f"/certificates/desk/?{query}",
            f"/compliance/?{query}",
        ]
    return paths


def _own_pages(sweep) -> list[str]:
    """
    The pages an outsider reaches without the canary's values: every pattern without a
    parameter, the catalog, the months of the reports' history, and every pattern filled with
    their own world's objects.
    """
    rival = sweep.rival
    paths = ["/", rival.track.url, rival.course.url, rival.lesson.url]
    for pattern in PATTERNS:
        if not _swept(pattern):
            path = pattern.path({})
            if pattern.resolves_to_itself(path):
                paths.append(path)
    period = sweep.period
    paths += [
        f"/compliance/?period={period}",
        f"/compliance/outlets/{rival.outlet.code}/?period={period}",
    ]
    for pattern in SWEPT:
        if pattern.is_admin:
            continue  # the admin sends the outsiders to sign in, whatever they ask
        path = fill(pattern, rival, sweep.shared)
        if path is not None and pattern.resolves_to_itself(path):
            paths.append(path)
    return paths


# Downloads made by POST: the outsider's own outlet's activation slips (a PDF with names).
OWN_POSTS = ("accounts:outlet_slips",)


@pytest.mark.pdftools
@pytest.mark.django_db
@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_own_pages_and_searches_show_nothing_of_the_canary(sweep, who):
    cache.clear()
    problems = []
    posts = [fill(p, sweep.rival, sweep.shared) for p in PATTERNS if p.id in OWN_POSTS]
    requests = [
        *(("GET", path) for path in [*_own_pages(sweep), *_searches(sweep)]),
        *(("POST", path) for path in posts),
    ]
    for method, path in requests:
        response = _request(sweep, who, method, path)
        where = f"{method} {path} as the rival's {who}: {response.status_code}"
        if response.status_code >= 500:
            problems.append(f"{where}, a server error")
        found = leaks(readable(body(response)), sweep.markers, typed=path)
        if found:
            problems.append(f"{where} shows the canary's {', '.join(found)}")
    assert not problems, "\n".join(problems)


def _export(sweep, who, data):
    """Start an export as `who`, let the worker build it, and return the download's text."""
    client = sweep.clients[who]
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post("/compliance/exports/", data)
    if started.status_code != 302:
        return started.status_code, readable(body(started))
    job_page = client.get(started["Location"])
    job = ExportJob.objects.get(pk=job_page.context["job"].pk)
    assert job.requested_by_id == sweep.users[who].pk
    status = client.get(f"/compliance/exports/{job.pk}/status.json")
    download = client.get(f"/compliance/exports/{job.pk}/download/")
    assert job.status == ExportJob.Status.DONE, (data, job.status, job.error)
    assert download.status_code == 200, (data, download.status_code)
    return download.status_code, "\n".join(readable(body(r)) for r in (job_page, status, download))


EXPORTS = [
    {"kind": kind, "format": format_}
    for kind in ("overview", "outlet")
    for format_ in ("csv", "xlsx", "pdf")
]


@pytest.mark.pdftools
@pytest.mark.django_db
@pytest.mark.parametrize("who", ["manager", "partner_admin"])
def test_outsiders_exports_hold_nothing_of_the_canary(sweep, who):
    problems = []
    for data in EXPORTS:
        data = {**data, "outlet": sweep.rival.outlet.code if data["kind"] == "outlet" else ""}
        status, text = _export(sweep, who, data)
        assert status == 200, (data, status, text[:300])
        # The export is the outsider's own outlet's, not an empty file that proves nothing.
        assert sweep.rival.outlet.code in text, (data, text[:300])
        if found := leaks(text, sweep.markers):
            problems.append(f"{data} as the rival's {who} holds the canary's {', '.join(found)}")
    # Asking for the canary's outlet, or the canary's company, exports nothing at all.
    for data in (
        {"kind": "outlet", "format": "csv", "outlet": sweep.canary.outlet.code},
        {"kind": "overview", "format": "csv", "partner_company": sweep.canary.company.code},
    ):
        before = ExportJob.objects.count()
        status, text = _export(sweep, who, data)
        if status in (200, 302) or ExportJob.objects.count() != before:
            problems.append(f"{data} as the rival's {who} was accepted ({status})")
        if found := leaks(text, sweep.markers, typed="?" + urlencode(data)):
            problems.append(f"{data} as the rival's {who} answers the canary's {', '.join(found)}")
    assert not problems, "\n".join(problems)


# --- The sweep's own instruments -----------------------------------------------------------------


@pytest.mark.pdftools
@pytest.mark.django_db
def test_the_leak_detector_reads_every_kind_of_answer(sweep):
    """
    Each kind of body the sweep reads (a page, CSV, JSON, XLSX, a ZIP of PDFs) holds the
    canary's markers when the canary's manager reads it: the detector is not blind to them.
    """
    canary = sweep.canary
    kinds = {
        "page": f"/network/outlets/{canary.outlet.code}/",
        "CSV": f"/network/outlets/{canary.outlet.code}/staff.csv",
        "XLSX": f"/compliance/exports/{canary.export.pk}/download/",
        "ZIP of PDFs": f"/training/outlets/{canary.outlet.code}/certificates.zip",
        "PDF": f"/my/certificates/{canary.certificate.serial}.pdf",
    }
    for kind, path in kinds.items():
        response = _request(sweep, "canary_manager", "GET", path)
        assert response.status_code == 200, (kind, path, response.status_code)
        found = leaks(readable(body(response)), sweep.markers)
        assert any(f.startswith("employee number") for f in found), (kind, found)
    answer = json.dumps({"name": canary.technician.name})  # escaped, as JsonResponse writes it
    assert leaks(readable(answer.encode()), sweep.markers)
    # What the requester typed themselves is not counted, but nothing else is forgiven.
    typed = f"/?q={canary.outlet.code}"
    assert leaks(f"<input value='{canary.outlet.code}'>", sweep.markers, typed=typed) == []
    assert leaks(
        f"{canary.outlet.code} {canary.technician.employee_number}", sweep.markers, typed=typed
    ) == [f"employee number of the technician ({canary.technician.employee_number!r})"]


@pytest.mark.django_db
def test_the_write_detector_sees_a_write(sweep):
    path = f"/training/enrollments/{sweep.canary.enrollment.pk}/withdraw/"
    with Writes() as writes:
        response = _request(sweep, "canary_manager", "POST", path, {"reason": "调岗"})
    assert response.status_code == 302
    assert "courses_enrollment" in writes.tables


@pytest.mark.django_db
def test_a_new_url_fails_the_sweep_until_its_parameter_has_a_canary_value(sweep):
    from django.urls import path, re_path

    def view(request):
        raise AssertionError("never requested")

    new = site_patterns(
        [
            path("network/things/<int:thing_id>/", view, name="thing"),
            re_path(r"^documents/(\d+)/(.*)$", view, name="wagtaildocs_serve"),
        ]
    )
    assert [p.route for p in new] == [
        "network/things/<int:thing_id>/",
        "^documents/(\\d+)/(.*)$",
    ]
    with pytest.raises(pytest.fail.Exception, match=r"thing \(network/things/.*'thing_id' \(int\)"):
        fill(new[0], sweep.canary, sweep.shared)
    # A known parameter name is filled wherever it appears; a regex's groups by their position.
    assert new[1].parameters[1].name == "1"
    assert new[1].path({"0": 7, "1": "handout.pdf"}) == "/documents/7/handout.pdf"


# --- What the outsiders count ------------------------------------------------------------------


def _same_text(content: bytes) -> str:
    """A page's text without what differs from one request to the next (the CSRF token)."""
    text = readable(content)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def _counted(sweep) -> list[str]:
    """The outsiders' pages that count, sum or list what is in their scope."""
    rival, period = sweep.rival, sweep.period
    return [
        "/",
        "/my/",
        "/my/certificates/",
        "/compliance/",
        f"/compliance/?period={period}",
        "/compliance/?verdict=non_compliant",
        "/network/outlets/",
        "/network/staff/",
        "/network/staff/export.csv",
        "/certificates/desk/",
        "/assessments/practicals/",
        "/quality/audits/",
        "/quality/findings/",
        "/quality/findings/?status=all",
        f"/network/outlets/{rival.outlet.code}/",
        f"/network/outlets/{rival.outlet.code}/staff.csv",
        f"/compliance/outlets/{rival.outlet.code}/",
        f"/compliance/outlets/{rival.outlet.code}/?period={period}",
        f"/training/outlets/{rival.outlet.code}/",
        f"/outlets/{rival.outlet.code}/",
        f"/api/v1/outlets/{rival.outlet.code}/status",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_figures_do_not_move_when_the_canary_changes(sweep, who):
    """
    Counts and sums carry no names: an outsider's pages must read the same, to the byte, after
    the canary's outlet grows, loses a certificate and records its month again.
    """
    cache.clear()
    body(_request(sweep, who, "GET", "/my/"))  # shows, and so clears, messages left for them
    before = {}
    for path in _counted(sweep):
        response = _request(sweep, who, "GET", path)
        before[path] = (response.status_code, _same_text(body(response)))
    world_grow(sweep.canary, shared=sweep.shared, period=sweep.period_start)
    cache.clear()
    moved = []
    for path in _counted(sweep):
        response = _request(sweep, who, "GET", path)
        after = (response.status_code, _same_text(body(response)))
        if after != before[path]:
            moved.append(f"GET {path} as the rival's {who}: {_difference(before[path], after)}")
    assert not moved, "\n".join(moved)


def _difference(before, after) -> str:
    if before[0] != after[0]:
        return f"{before[0]} before, {after[0]} after"
    lines = difflib.unified_diff(before[1].splitlines(), after[1].splitlines(), lineterm="", n=0)
    return " | ".join(line.strip() for line in list(lines)[2:12])


@pytest.mark.django_db
def test_the_canarys_own_figures_move_when_it_changes(sweep):
    """The control of the test above: the canary's manager does see the change."""
    code = sweep.canary.outlet.code
    paths = ["/compliance/", f"/compliance/outlets/{code}/", f"/network/outlets/{code}/"]
    body(_request(sweep, "canary_manager", "GET", "/my/"))
    before = {p: _same_text(body(_request(sweep, "canary_manager", "GET", p))) for p in paths}
    world_grow(sweep.canary, shared=sweep.shared, period=sweep.period_start)
    for path in paths:
        after = _same_text(body(_request(sweep, "canary_manager", "GET", path)))
        assert after != before[path], path


# --- The outsiders' forms, given the canary's values -------------------------------------------


def _form_probes(sweep) -> list[tuple[str, str, dict, tuple[str, ...]]]:
    """(who, path, data, tables that must stay unwritten): each form an outsider may use, fed
    with the canary's people and objects."""
    canary, rival = sweep.canary, sweep.rival
    checklist = canary.practical.checklist_id
    return [
        (
            "assessor",
            "/assessments/practicals/start/",
            {"learner": canary.technician.employee_number, "checklist": checklist},
            ("assessments_practicalassessment",),
        ),
        (
            "manager",
            f"/training/outlets/{rival.outlet.code}/assign/",
            {"track": canary.track.pk, "employee_number": canary.technician.employee_number},
            ("courses_enrollment",),
        ),
        (
            "partner_admin",
            f"/training/outlets/{rival.outlet.code}/assign/",
            {"track": canary.track.pk, "employee_number": canary.front_desk.employee_number},
            ("courses_enrollment",),
        ),
    ]


@pytest.mark.django_db
def test_outsiders_forms_refuse_the_canarys_people(sweep):
    problems = []
    canary = sweep.canary
    shown = f"/assessments/practicals/start/?learner={canary.technician.employee_number}"
    response = _request(sweep, "assessor", "GET", shown)
    assert response.status_code == 200
    if found := leaks(readable(body(response)), sweep.markers, typed=shown):
        problems.append(f"GET {shown} as the rival's assessor shows {', '.join(found)}")
    for who, path, data, tables in _form_probes(sweep):
        with Writes() as writes:
            response = _request(sweep, who, "POST", path, data)
        where = f"POST {path} {data} as the rival's {who}: {response.status_code}"
        if written := set(writes.tables) & set(tables):
            problems.append(f"{where} wrote to {', '.join(sorted(written))}")
        typed = "?" + urlencode(data)
        if found := leaks(readable(body(response)), sweep.markers, typed=typed):
            problems.append(f"{where} shows {', '.join(found)}")
    assert not problems, "\n".join(problems)
