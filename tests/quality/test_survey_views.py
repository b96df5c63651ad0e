import re
import time

import pytest
from django.core.cache import cache
from django.test import Client

from quality.models import SurveyAnswer, SurveyQuestion, SurveyResponse
from quality.services import surveys as services
from tests.factories.network import OutletFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The limiter counts in the process's cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def outlet():
    return OutletFactory(
        code="HN-HY-01", name="衡阳蒸湘授权服务中心", name_en="Hengyang Zhengxiang"
    )


def _url(code):
    return f"/outlets/{code}/survey/"


def _answer(outlet, **fields):
    """A filled-in form, its token issued a minute ago."""
    data = {
        "token": services.survey_token_issue(outlet=outlet, issued_at=time.time() - 60),
        "satisfaction": "4",
        "recommend": "9",
        "q_warranty_explained": "yes",
        "q_parts_disclosed": "no",
        "q_price_list_shown": "skip",
        "comment": "",
        "order_number": "",
        "website": "",
    }
    data.update(fields)
    return data


def _nothing_written():
    assert SurveyResponse.objects.count() == 0
    assert SurveyAnswer.objects.count() == 0


def test_the_survey_page_shows_the_scales_and_the_active_questions_in_chinese(client, outlet):
    retired = SurveyQuestion.objects.get(code="price_list_shown")
    retired.is_active = False
    retired.save()

    response = client.get(_url(outlet.code), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "衡阳蒸湘授权服务中心" in page
    assert "是否向您解释了三包条款？" in page
    assert "是否告知您所用配件是否为原厂新件？" in page
    assert "收费前是否出示了价目表？" not in page
    assert page.count('name="satisfaction"') == 5
    assert page.count('name="recommend"') == 11
    assert page.count('name="q_warranty_explained"') == 3
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    # CSP: no inline script or style, no style attribute.
    assert "<script" not in page
    assert "<style" not in page
    assert "style=" not in page
    assert 'name="website"' in page and 'class="survey-trap"' in page


def test_the_survey_page_follows_an_english_visitor(client, outlet):
    response = client.get(_url(outlet.code), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Hengyang Zhengxiang" in page
    assert "Were the warranty terms (three guarantees) explained to you?" in page


def test_the_survey_page_is_never_cached_publicly(client, outlet):
    response = client.get(_url(outlet.code))

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert {v.strip() for v in response["Vary"].split(",")} >= {"Accept-Language", "Cookie"}


def test_an_answer_is_stored_and_the_customer_thanked(client, outlet):
    response = client.post(
        _url(outlet.code), _answer(outlet, comment="很满意", order_number="R-1234")
    )

    assert response.status_code == 302
    assert response["Location"] == f"/outlets/{outlet.code}/survey/thanks/"
    assert "no-store" in response["Cache-Control"]
    stored = SurveyResponse.objects.get()
    assert (stored.outlet_id, stored.satisfaction, stored.recommend, stored.comment) == (
        outlet.pk,
        4,
        9,
        "很满意",
    )
    assert sorted(stored.answers.values_list("question__code", "yes")) == [
        ("parts_disclosed", False),
        ("warranty_explained", True),
    ]
    thanks = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert thanks.status_code == 200
    assert "Thank you!" in thanks.content.decode()


def test_a_second_answer_for_the_same_repair_order_is_refused_with_a_message(client, outlet):
    client.post(_url(outlet.code), _answer(outlet, order_number="R-1234"))

    response = client.post(
        _url(outlet.code), _answer(outlet, order_number="r-1234"), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "This repair order has already been rated at this outlet." in response.content.decode()
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"satisfaction": "0"}, "Please choose how satisfied you are, from 1 to 5."),
        ({"satisfaction": "6"}, "Please choose how satisfied you are, from 1 to 5."),
        ({"satisfaction": ""}, "Please choose how satisfied you are, from 1 to 5."),
        ({"recommend": "11"}, "Please choose from 0 (not at all likely) to 10"),
        ({"recommend": "nine"}, "Please choose from 0 (not at all likely) to 10"),
        ({"comment": "好" * 501}, "Ensure this value has at most 500 characters"),
        ({"comment": "bad\x1b[31m"}, "Contains an invisible control character (U+001B)"),
        ({"comment": "\u202eevil"}, "Contains an invisible control character (U+202E)"),
        ({"order_number": "R1"}, "4 to 32 letters, digits or hyphens"),
        ({"order_number": "R 1234; DROP"}, "4 to 32 letters, digits or hyphens"),
        ({"order_number": "R" * 33}, "at most 32 characters"),
        ({"q_warranty_explained": "maybe"}, "Select a valid choice."),
        ({"website": "http://spam.example"}, "This form could not be sent."),
        ({"token": ""}, "This form could not be checked."),
        ({"token": "forged"}, "This form could not be checked."),
        ({"token": "x" * 501}, "This form could not be checked."),
        ({"website": "x" * 201}, "This form could not be checked."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(
    client, outlet, fields, message
):
    response = client.post(_url(outlet.code), _answer(outlet, **fields), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert message in response.content.decode()
    _nothing_written()


def test_a_form_sent_too_fast_is_refused_and_may_be_sent_again(client, outlet):
    page = client.get(_url(outlet.code)).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page)[1]

    response = client.post(
        _url(outlet.code), _answer(outlet, token=token), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "Please take a moment to read the questions" in response.content.decode()
    _nothing_written()


def test_an_expired_form_is_refused_and_the_page_offers_a_fresh_one(client, outlet):
    old = services.survey_token_issue(outlet=outlet, issued_at=time.time() - 3 * 60 * 60)

    response = client.post(_url(outlet.code), _answer(outlet, token=old), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 400
    assert "This form has expired." in page
    fresh = re.search(r'name="token" value="([^"]+)"', page)[1]
    assert fresh != old
    _nothing_written()


def test_answers_are_throttled_per_address(client, outlet, settings):
    settings.SURVEY_RATE_PER_ADDRESS = "2/h"
    for n in range(2):
        client.post(_url(outlet.code), _answer(outlet, order_number=f"ORDER-{n}"))

    response = client.post(_url(outlet.code), _answer(outlet), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "survey.css" in page
    assert SurveyResponse.objects.count() == 2
    # Another address still answers.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(_url(outlet.code), _answer(outlet)).status_code == 302


def test_answers_are_throttled_per_outlet(outlet, settings):
    settings.SURVEY_RATE_PER_OUTLET = "2/h"
    other_outlet = OutletFactory()
    for n in range(2):
        Client(REMOTE_ADDR=f"10.0.1.{n}").post(_url(outlet.code), _answer(outlet))

    response = Client(REMOTE_ADDR="10.0.1.50").post(_url(outlet.code), _answer(outlet))

    assert response.status_code == 429
    assert SurveyResponse.objects.filter(outlet=outlet).count() == 2
    # Another outlet's counter is not held up.
    elsewhere = Client(REMOTE_ADDR="10.0.1.51").post(_url(other_outlet.code), _answer(other_outlet))
    assert elsewhere.status_code == 302


@pytest.mark.parametrize("active", [False, None])
def test_an_unknown_or_inactive_outlet_answers_404_in_the_survey_style(client, active):
    code = "NO-SUCH"
    if active is False:
        code = OutletFactory(is_active=False).code

    response = client.get(_url(code), HTTP_ACCEPT_LANGUAGE="en")
    posted = client.post(_url(code), {"satisfaction": "5"})

    assert response.status_code == 404
    assert posted.status_code == 404
    assert "No active service outlet has this code." in response.content.decode()
    assert "survey.css" in response.content.decode()
    assert client.get(f"{_url(code)}thanks/").status_code == 404
    _nothing_written()


def test_the_public_outlet_page_offers_the_survey(client, outlet):
    response = client.get(f"/outlets/{outlet.code}/", HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="/outlets/{outlet.code}/survey/"' in page
    assert "Rate our service" in page


def test_the_survey_page_runs_the_same_queries_with_one_question_or_many(
    client, outlet, django_assert_num_queries
):
    client.get(_url(outlet.code))  # the session and the CSRF cookie
    # An outlet lookup and the questions.
    with django_assert_num_queries(2):
        assert client.get(_url(outlet.code)).status_code == 200
    for n in range(12):
        SurveyQuestion.objects.create(code=f"extra_{n}", text=f"问题{n}？", sort_order=10 + n)
    with django_assert_num_queries(2):
        assert client.get(_url(outlet.code)).status_code == 200


def test_an_answer_runs_the_same_queries_with_few_or_many_questions(
    client, outlet, django_assert_num_queries
):
    # Outlet, questions, the active question ids, the order check, then the savepoint, the
    # response, its answers in one insert, and the savepoint's release.
    with django_assert_num_queries(8):
        response = client.post(_url(outlet.code), _answer(outlet, order_number="R-0001"))
    assert response.status_code == 302
    extra = {}
    for n in range(12):
        SurveyQuestion.objects.create(code=f"extra_{n}", text=f"问题{n}？", sort_order=10 + n)
        extra[f"q_extra_{n}"] = "yes"
    with django_assert_num_queries(8):
        response = client.post(_url(outlet.code), _answer(outlet, order_number="R-0002", **extra))
    assert response.status_code == 302
    assert SurveyAnswer.objects.count() == 2 + 14
