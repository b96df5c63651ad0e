"""
The attempt page's script in a real browser: a short answer typed and the selects of a matching
question are saved as the learner goes (attempt.js), with no script error or CSP violation.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Attempt, AttemptItem, Question
from assessments.services.attempts import attempt_start
from courses.services import enrollment_sync
from tests.factories.assessments import assessment, category, question
from tests.factories.courses import course_page, track_page
from tests.factories.network import StaffFactory

from .conftest import signed_in_context

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
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
    context = signed_in_context(browser, live_server, learner.user)
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
