"""
The question editor in a real browser: choosing a type shows only that type's panels and the
fields of its options (assessments/static/assessments/question-kinds.js), with no script error.
"""

import pytest
from django.urls import reverse

from tests.factories.network import UserFactory

from .conftest import signed_in_context

pytestmark = pytest.mark.browser

# The panels a type shows, by the types each panel names (data-question-kinds).
SHOWN = {
    "single": {"options"},
    "true_false": {"true_false"},
    "numeric": {"numeric"},
    "short_answer": {"options", "short_answer"},
    "matching": {"options", "partial_credit"},
    "multiple": {"options", "partial_credit"},
}


def _panel(kinds: str) -> str:
    names = set(kinds.split())
    if "ordering" in names:
        return "options"
    if names == {"multiple", "matching"}:
        return "partial_credit"
    return kinds


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_choosing_a_type_shows_only_its_panels_and_option_fields(browser, live_server):
    editor = UserFactory(is_superuser=True, is_staff=True)
    context = signed_in_context(browser, live_server, editor)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + reverse("wagtailsnippets_assessments_question:add"))

    shown = {}
    for kind in SHOWN:
        page.select_option("select[name=kind]", kind)
        shown[kind] = {
            _panel(kinds)
            for kinds in page.eval_on_selector_all(
                "[data-question-kinds]:not([data-question-kinds] [data-question-kinds])",
                "els => els.filter(e => !e.hidden).map(e => e.dataset.questionKinds)",
            )
        }
    page.select_option("select[name=kind]", "matching")
    page.click("#id_options-ADD")
    match_field = page.locator("[name='options-0-match_text']")

    assert shown == SHOWN
    assert match_field.is_visible()
    page.select_option("select[name=kind]", "single")
    assert not match_field.is_visible()
    assert errors == []
    context.close()
