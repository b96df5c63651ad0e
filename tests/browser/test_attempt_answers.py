"""
The attempt page's script in a real browser: a short answer typed and the selects of a matching
question are saved as the learner goes (attempt.js), with no script error or CSP violation.
"""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.models import Attempt, AttemptItem, Question
from assessments.services.attempts import attempt_start
from courses.services import enrollment_sync
from tests.factories.assessments import assessment, category, question
from tests.factories.courses import course_page, track_page
from tests.factories.network import StaffFactory

from .test_stored_xss import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with pytest.MonkeyPatch.context() as patch:
        # As in test_stored_xss: the sync API's loop makes Django take the test for async code.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.mark.django_db(transaction=True)
def test_typed_short_answer_and_chosen_pairs_are_saved_as_the_learner_goes(browser, live_server):
    course = course_page(title="三包政策", lessons=1)
    track_page(roles=["front_desk"], courses=[course])
    learner = StaffFactory(role="front_desk")
    enrollment_sync(staff_ids=[learner.pk])
    cat = category("三包")
    question(category=cat, kind="short_answer", options=[("ESD", None)])
    question(
        category=cat,
        kind="matching",
        points=Decimal("2"),
        partial_credit=Question.PartialCredit.PROPORTIONAL,
        options=[("退货", "7日内"), ("换货", "15日内"), ("", "三年")],
    )
    exam = assessment(course=course, rules=[(cat, 2)])
    attempt = attempt_start(staff=learner, assessment=exam)
    client = Client()
    client.force_login(learner.user)
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda r: (
            r.status >= 400 and "favicon" not in r.url and errors.append(f"{r.status} {r.url}")
        ),
    )
    items = {
        i.version.data["kind"]: i
        for i in AttemptItem.objects.filter(attempt=attempt).select_related("version")
    }
    short, matching = items["short_answer"], items["matching"]

    page.goto(live_server.url + reverse("assessments:attempt", args=[attempt.pk]))
    page.fill(f"input[name=q-{short.position}]", " esd ")
    page.select_option(f"select[name=q-{matching.position}-0]", label="7日内")
    page.select_option(f"select[name=q-{matching.position}-1]", label="7日内")
    for position in (short.position, matching.position):
        page.wait_for_function(
            "p => document.querySelector(`fieldset[data-position='${p}'] .save-state`)"
            ".textContent === 'Saved'",
            arg=position,
        )
    context.close()

    saved = dict(AttemptItem.objects.filter(attempt=attempt).values_list("position", "response"))
    assert saved[short.position] == "esd"
    chosen = saved[matching.position]
    assert len(chosen) == 2 and len(set(chosen.values())) == 1  # both items given "7日内"
    assert errors == []
    assert Attempt.objects.get().status == Attempt.Status.OPEN
