import datetime

from compliance.charts import trend_chart
from compliance.selectors import TrendPoint


def point(month: int, outlets: int, compliant: int, requirements: int, met: int) -> TrendPoint:
    return TrendPoint(datetime.date(2026, month, 1), outlets, compliant, requirements, met)


def test_no_month_draws_no_chart():
    assert trend_chart([]) is None


def test_one_month_stands_in_the_middle():
    chart = trend_chart([point(6, 4, 1, 10, 5)])

    (month,) = chart.months
    assert month.x == 44 + (640 - 44 - 30) / 2
    assert (month.compliant.percent, month.met.percent) == (25, 50)


def test_months_span_the_width_and_shares_run_bottom_to_top():
    chart = trend_chart([point(4, 2, 0, 10, 0), point(5, 2, 1, 10, 5), point(6, 2, 2, 10, 10)])

    assert [m.x for m in chart.months] == [44, 327, 610]
    assert [d.y for d in chart.compliant.dots] == [224, 118, 12]
    assert chart.met.points == "44.0,224.0 327.0,118.0 610.0,12.0"


def test_a_month_with_nothing_required_has_no_requirement_dot():
    chart = trend_chart([point(5, 0, 0, 0, 0), point(6, 1, 1, 2, 2)])

    assert [d.percent for d in chart.met.dots] == [100]
    assert [d.percent for d in chart.compliant.dots] == [100]
