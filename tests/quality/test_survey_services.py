import datetime
import threading
import time

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection

from quality.models import SatisfactionMonth, SurveyAnswer, SurveyQuestion, SurveyResponse
from quality.services import surveys as services
from quality.tasks import satisfaction_monthly_snapshot_task
from tests.factories.network import OutletFactory
from tests.factories.quality_surveys import at, survey_response

pytestmark = pytest.mark.django_db


def _token(outlet, *, age: float = 60):
    return services.survey_token_issue(outlet=outlet, issued_at=time.time() - age)


def _submit(outlet, **fields):
    values = {
        "token": _token(outlet),
        "satisfaction": 4,
        "recommend": 9,
        "answers": {},
        "comment": "",
        "order_number": "",
    }
    values.update(fields)
    return services.survey_response_submit(outlet=outlet, **values)


def _nothing_written():
    assert SurveyResponse.objects.count() == 0
    assert SurveyAnswer.objects.count() == 0


def test_the_default_questions_are_seeded():
    assert list(SurveyQuestion.objects.values_list("code", "text", "is_active")) == [
        ("warranty_explained", "是否向您解释了三包条款？", True),
        ("parts_disclosed", "是否告知您所用配件是否为原厂新件？", True),
        ("price_list_shown", "收费前是否出示了价目表？", True),
    ]


def test_an_answer_is_stored_with_its_yes_and_no_and_skips_left_out():
    outlet = OutletFactory()
    warranty, parts, _price = SurveyQuestion.objects.order_by("sort_order")

    response = _submit(
        outlet,
        satisfaction=5,
        recommend=10,
        answers={warranty.pk: True, parts.pk: False},
        comment="  师傅很耐心  ",
    )

    stored = SurveyResponse.objects.get()
    assert stored == response
    assert (stored.outlet_id, stored.satisfaction, stored.recommend, stored.comment) == (
        outlet.pk,
        5,
        10,
        "师傅很耐心",
    )
    assert sorted(stored.answers.values_list("question__code", "yes")) == [
        ("parts_disclosed", False),
        ("warranty_explained", True),
    ]


def test_a_second_answer_with_the_same_order_number_is_refused():
    outlet = OutletFactory()
    first = _submit(outlet, order_number="WX-20261207-0042")

    with pytest.raises(ValidationError) as refused:
        # Case and spaces do not make another order.
        _submit(outlet, order_number=" wx-20261207-0042 ", comment="again")

    assert refused.value.code == "order_answered"
    assert list(SurveyResponse.objects.values_list("pk", flat=True)) == [first.pk]


def test_the_same_order_number_answers_once_at_each_outlet():
    one, other = OutletFactory(), OutletFactory()
    a = _submit(one, order_number="R12345")
    b = _submit(other, order_number="R12345")

    # Salted per outlet: the two hashes do not link the two answers.
    assert a.order_hash != b.order_hash
    assert SurveyResponse.objects.count() == 2


def test_the_order_number_is_stored_only_as_a_keyed_hash_and_no_address_or_browser():
    outlet = OutletFactory()
    response = _submit(outlet, order_number="R2026120700042")

    assert response.order_hash != "R2026120700042"
    assert "R2026120700042" not in response.order_hash
    assert len(response.order_hash) == 64
    assert response.order_hash == services.order_number_hash(
        outlet=outlet, order_number="R2026120700042"
    )
    names = {f.name for f in SurveyResponse._meta.get_fields()}
    assert not names & {"ip", "ip_address", "address", "remote_addr", "user_agent", "user"}
    assert names == {
        "id",
        "outlet",
        "submitted_at",
        "satisfaction",
        "recommend",
        "comment",
        "order_hash",
        "form_nonce",
        "answers",
    }


def test_the_unique_constraint_refuses_the_same_order_when_the_check_is_passed(monkeypatch):
    outlet = OutletFactory()
    _submit(outlet, order_number="RACE-1")
    # Two answers at once both pass the check before either commits: the constraint decides.
    real_filter = SurveyResponse.objects.filter
    calls = []

    def first_check_misses(*args, **kwargs):
        calls.append(kwargs)
        queryset = real_filter(*args, **kwargs)
        return queryset.none() if len(calls) == 1 else queryset

    monkeypatch.setattr(SurveyResponse.objects, "filter", first_check_misses)

    with pytest.raises(ValidationError) as refused:
        _submit(outlet, order_number="RACE-1")

    assert refused.value.code == "order_answered"
    assert real_filter(outlet=outlet).count() == 1


def test_a_form_is_sent_once():
    outlet = OutletFactory()
    token = _token(outlet)
    _submit(outlet, token=token)

    with pytest.raises(ValidationError) as refused:
        _submit(outlet, token=token)

    assert refused.value.code == "token_used"
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize(
    ("age", "code"),
    [(0, "token_young"), (2, "token_young"), (2 * 60 * 60 + 5, "token_old")],
)
def test_a_token_too_young_or_too_old_is_refused(age, code):
    outlet = OutletFactory()

    with pytest.raises(ValidationError) as refused:
        _submit(outlet, token=_token(outlet, age=age))

    assert refused.value.code == code
    _nothing_written()


def test_a_token_of_another_outlet_is_refused():
    outlet, other = OutletFactory(), OutletFactory()

    with pytest.raises(ValidationError) as refused:
        _submit(outlet, token=_token(other))

    assert refused.value.code == "token_bad"
    _nothing_written()


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not-a-token",
        # Well formed, signed with another key.
        signing.dumps(
            {"o": 1, "t": int(time.time()) - 60, "n": "0" * 32},
            key="another-key",
            salt=services.TOKEN_SALT,
        ),
    ],
)
def test_a_forged_token_is_refused(token):
    outlet = OutletFactory()

    with pytest.raises(ValidationError) as refused:
        _submit(outlet, token=token)

    assert refused.value.code == "token_bad"
    _nothing_written()


@pytest.mark.parametrize(
    "fields",
    [{"satisfaction": 0}, {"satisfaction": 6}, {"recommend": -1}, {"recommend": 11}],
)
def test_values_out_of_the_scales_are_refused(fields):
    with pytest.raises(ValidationError):
        _submit(OutletFactory(), **fields)

    _nothing_written()


def test_an_answer_to_a_retired_question_is_refused():
    question = SurveyQuestion.objects.get(code="price_list_shown")
    question.is_active = False
    question.save()

    with pytest.raises(ValidationError) as refused:
        _submit(OutletFactory(), answers={question.pk: True})

    assert refused.value.code == "questions"
    _nothing_written()


# --- The monthly figures -----------------------------------------------------------------------


def _month_rows():
    return list(
        SatisfactionMonth.objects.order_by("outlet_id").values(
            "outlet_id",
            "month",
            "answers",
            "satisfaction_mean",
            "promoters",
            "detractors",
            "nps",
            "questions",
        )
    )


def test_the_monthly_snapshot_records_each_outlet_and_running_it_twice_gives_the_same_rows():
    a, b, quiet = OutletFactory(), OutletFactory(), OutletFactory()
    warranty = SurveyQuestion.objects.get(code="warranty_explained")
    november = datetime.date(2026, 11, 1)
    survey_response(
        outlet=a, satisfaction=5, recommend=10, answers={warranty: True}, submitted_at=at(november)
    )
    survey_response(
        outlet=a,
        satisfaction=2,
        recommend=3,
        answers={warranty: False},
        submitted_at=at(datetime.date(2026, 11, 30), hour=23),
    )
    survey_response(outlet=a, satisfaction=4, recommend=8, submitted_at=at(november, hour=9))
    survey_response(outlet=b, satisfaction=3, recommend=9, submitted_at=at(november))
    # Other months are not November's.
    survey_response(
        outlet=b, satisfaction=1, recommend=0, submitted_at=at(datetime.date(2026, 12, 1))
    )
    survey_response(outlet=quiet, submitted_at=at(datetime.date(2026, 10, 31), hour=23))

    assert satisfaction_monthly_snapshot_task("2026-12-01") == 2
    first = _month_rows()
    pks = set(SatisfactionMonth.objects.values_list("pk", flat=True))
    assert satisfaction_monthly_snapshot_task("2026-12-01") == 2

    assert _month_rows() == first
    assert set(SatisfactionMonth.objects.values_list("pk", flat=True)) == pks
    assert first == [
        {
            "outlet_id": a.pk,
            "month": november,
            "answers": 3,
            "satisfaction_mean": round(11 / 3, 4),
            "promoters": 1,
            "detractors": 1,
            "nps": 0.0,
            "questions": {"warranty_explained": {"yes": 1, "answered": 2}},
        },
        {
            "outlet_id": b.pk,
            "month": november,
            "answers": 1,
            "satisfaction_mean": 3.0,
            "promoters": 1,
            "detractors": 0,
            "nps": 100.0,
            "questions": {},
        },
    ]


def test_a_month_recorded_again_drops_an_outlet_whose_answers_are_gone():
    outlet = OutletFactory()
    response = survey_response(outlet=outlet, submitted_at=at(datetime.date(2026, 11, 5)))
    services.satisfaction_month_record(month=datetime.date(2026, 11, 20))
    assert SatisfactionMonth.objects.count() == 1

    response.delete()
    services.satisfaction_month_record(month=datetime.date(2026, 11, 20))

    assert SatisfactionMonth.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_answers_with_one_order_number_at_once_store_one(settings):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the constraint test above covers the race")
    outlet = OutletFactory()
    errors = []

    def answer():
        try:
            _submit(outlet, order_number="SAME-ORDER")
        except ValidationError as exc:
            errors.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == ["order_answered"]
    assert SurveyResponse.objects.filter(outlet=outlet).count() == 1
