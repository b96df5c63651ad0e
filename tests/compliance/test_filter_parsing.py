"""One reader of report filters: the overview page, the outlet page and the export share it."""

import datetime

import pytest

from compliance.forms import ComplianceFilterForm, ExportForm, PeriodForm
from compliance.selectors import Filters, period_parse

CHOICES = {
    "partner_companies": [("P1", "Partner one")],
    "provinces": ["湖南省"],
    "city_tiers": [(1, "Tier 1"), (2, "Tier 2")],
    "ownerships": [("own", "Own"), ("partner", "Partner")],
}
JUNE = datetime.date(2026, 6, 1)


def test_a_month_is_read_as_its_first_day_from_the_page_or_from_a_stored_job():
    assert period_parse("2026-06") == JUNE
    assert period_parse("2026-06-01") == JUNE
    assert period_parse("") is None
    for text in ("June", "2026-13", "2026-06-01T00:00", "x" * 10_000):
        with pytest.raises(ValueError):
            period_parse(text)


def test_filters_survive_the_round_trip_through_an_export_job():
    filters = Filters(partner_company="P1", city_tier=2, verdict="compliant", sort="-share")
    assert Filters.from_json({**filters.as_json(), "outlet": "B", "language": "en"}) == filters
    assert Filters.from_json({}) == Filters()


def test_the_page_ignores_a_filter_it_does_not_offer_and_keeps_the_others():
    form = ComplianceFilterForm(
        {"province": "湖南省", "city_tier": "9", "period": "2025-01"},
        choices=CHOICES,
        periods=[JUNE],
    )
    assert form.filters() == Filters(province="湖南省")
    assert form.as_of_period() is None  # no snapshot of that month


def test_the_export_refuses_what_it_does_not_understand_and_accepts_any_month():
    data = {"kind": "overview", "format": "csv", "period": "2025-01", "city_tier": "2"}
    form = ExportForm(data, choices=CHOICES, periods=None)
    assert form.is_valid(), form.errors
    assert (form.filters().city_tier, form.cleaned_data["period"]) == (2, datetime.date(2025, 1, 1))
    for wrong in ({"city_tier": "x"}, {"period": "June"}, {"format": "docx"}):
        assert not ExportForm({**data, **wrong}, choices=CHOICES, periods=None).is_valid()


def test_the_outlet_page_reads_its_month_with_the_same_field():
    assert PeriodForm({"period": "2026-06"}).is_valid()
    empty = PeriodForm({"period": ""})
    assert empty.is_valid() and empty.cleaned_data == {"period": None}
    form = PeriodForm({"period": "June"})
    assert not form.is_valid()
    assert form.errors["period"] == ["Choose a month as YYYY-MM."]
