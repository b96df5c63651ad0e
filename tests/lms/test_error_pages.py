"""The site's 403, 404 and 500 pages: in the reader's language, in the site's frame."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False


def test_a_missing_page_is_explained_in_chinese_with_a_way_back(client, production):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    body = response.content.decode()
    assert response.status_code == 404
    assert "此页面不存在" in body
    assert 'href="/accounts/login/"' in body
    assert "Not Found" not in body


def test_a_learner_refused_a_report_is_told_why_in_their_language(client, production):
    learner = StaffFactory(role="technician")
    client.force_login(learner.user)

    chinese = client.get(reverse("compliance:overview"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = client.get(reverse("compliance:overview"), HTTP_ACCEPT_LANGUAGE="en")

    assert (chinese.status_code, english.status_code) == (403, 403)
    assert "此页面不适用于您的岗位" in chinese.content.decode()
    assert "This page is not for your role" in english.content.decode()
    assert reverse("courses:my_training") in chinese.content.decode()
    assert "403 Forbidden" not in english.content.decode()


def test_the_server_error_page_needs_neither_a_request_nor_the_database(
    production, django_assert_num_queries
):
    request = RequestFactory().get("/")

    with django_assert_num_queries(0):
        response = server_error(request)

    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert 'href="/"' in body
