"""
Reads of the satisfaction survey: the questions a customer is asked, and the results per outlet
and question over a period, with the monthly trend, for the outlet's compliance report and for
the quality department's roll-ups. Everything is aggregated in SQL; Python only adds up outlets.
"""

import dataclasses
import datetime

from django.db.models import Count, DateField, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import NotFound
from network.models import CityTier, Outlet, Role, Staff

from ..models.surveys import SurveyAnswer, SurveyQuestion, SurveyResponse

TREND_MONTHS = 6
COMMENTS_SHOWN = 20
# Who reads the roll-ups of every outlet in their scope: the quality department, and partner
# administrators for their company's outlets.
OVERVIEW_ROLES = (Role.AUDITOR, Role.PARTNER_ADMIN)
# Who reads the customers' own words on an outlet's report: the auditor and the outlet's side
# (its manager, its company). Trainers read the figures only.
COMMENT_ROLES = (Role.AUDITOR, Role.PARTNER_ADMIN, Role.OUTLET_MANAGER)


class SurveyOutletNotFound(NotFound):
    """No active outlet has this code."""


def _role(user) -> str | None:
    cached = getattr(user, "_quality_survey_role", False)
    if cached is not False:
        return cached
    role = None
    if user.is_authenticated and user.is_active:
        role = (
            "superuser"
            if user.is_superuser
            else (
                Staff.objects.filter(user=user, is_active=True)
                .values_list("role", flat=True)
                .first()
            )
        )
    user._quality_survey_role = role
    return role


def may_see_satisfaction_overview(user) -> bool:
    """Return whether `user` may open the satisfaction roll-ups (/quality/satisfaction/)."""
    return _role(user) in ("superuser", *OVERVIEW_ROLES)


def may_read_comments(user) -> bool:
    """Return whether `user` reads customers' comments on the reports of outlets in scope."""
    return _role(user) in ("superuser", *COMMENT_ROLES)


def survey_outlet(*, code: str) -> Outlet:
    """Return the active outlet of `code`, whose survey anyone may answer."""
    outlet = Outlet.objects.filter(code=code, is_active=True).first()
    if outlet is None:
        raise SurveyOutletNotFound(code)
    return outlet


def survey_questions() -> list[SurveyQuestion]:
    """Return the active questions, in the department's order."""
    return list(SurveyQuestion.objects.filter(is_active=True).order_by("sort_order", "code"))


# --- Figures -----------------------------------------------------------------------------------


@dataclasses.dataclass
class Figures:
    """Sums of answers (one outlet's, or a group's), from which every rate is read."""

    answers: int = 0
    satisfaction_sum: int = 0
    promoters: int = 0  # would recommend 9 or 10
    detractors: int = 0  # 0 to 6
    # {question id: [yes, answered]}
    questions: dict = dataclasses.field(default_factory=dict)

    @property
    def mean(self) -> float | None:
        return self.satisfaction_sum / self.answers if self.answers else None

    @property
    def nps(self) -> float | None:
        """Net promoter score: promoters minus detractors, as a percentage of answers."""
        return 100 * (self.promoters - self.detractors) / self.answers if self.answers else None

    def yes(self, question_id: int) -> int:
        return self.questions.get(question_id, (0, 0))[0]

    def answered(self, question_id: int) -> int:
        return self.questions.get(question_id, (0, 0))[1]

    def yes_rate(self, question_id: int) -> float | None:
        """The share of yes among those who answered yes or no (skips left out), in percent."""
        answered = self.answered(question_id)
        return 100 * self.yes(question_id) / answered if answered else None

    def cells(self, questions) -> list[dict]:
        """Return, for each of `questions`, its yes count, answered count and yes-rate."""
        return [
            {
                "question": q,
                "yes": self.yes(q.pk),
                "answered": self.answered(q.pk),
                "rate": self.yes_rate(q.pk),
            }
            for q in questions
        ]

    def add(self, other: "Figures") -> None:
        self.answers += other.answers
        self.satisfaction_sum += other.satisfaction_sum
        self.promoters += other.promoters
        self.detractors += other.detractors
        for question_id, (yes, answered) in other.questions.items():
            mine = self.questions.setdefault(question_id, [0, 0])
            mine[0] += yes
            mine[1] += answered


@dataclasses.dataclass(frozen=True)
class Period:
    since: datetime.date
    until: datetime.date  # inclusive

    @classmethod
    def last_days(cls, days: int, *, today: datetime.date) -> "Period":
        return cls(since=today - datetime.timedelta(days=days - 1), until=today)

    def condition(self, prefix: str = "") -> Q:
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.since, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(
            self.until + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        return Q(**{f"{prefix}submitted_at__gte": start, f"{prefix}submitted_at__lt": end})


def _response_sums(queryset, group_by: tuple[str, ...]):
    return (
        queryset.values(*group_by)
        .annotate(
            answers=Count("pk"),
            satisfaction_sum=Sum("satisfaction"),
            promoters=Count("pk", filter=Q(recommend__gte=9)),
            detractors=Count("pk", filter=Q(recommend__lte=6)),
        )
        .order_by()
    )


def _answer_sums(queryset, group_by: tuple[str, ...]):
    return (
        queryset.values(*group_by, "question_id")
        .annotate(yes=Count("pk", filter=Q(yes=True)), answered=Count("pk"))
        .order_by()
    )


def figures_by_outlet(*, outlets, period: Period) -> dict[int, Figures]:
    """Return {outlet id: Figures} of `outlets` (a queryset) over `period`, in two queries."""
    responses = SurveyResponse.objects.filter(period.condition(), outlet__in=outlets)
    answers = SurveyAnswer.objects.filter(
        period.condition("response__"), response__outlet__in=outlets
    )
    result: dict[int, Figures] = {}
    for row in _response_sums(responses, ("outlet_id",)):
        result[row["outlet_id"]] = Figures(
            answers=row["answers"],
            satisfaction_sum=row["satisfaction_sum"] or 0,
            promoters=row["promoters"],
            detractors=row["detractors"],
        )
    for row in _answer_sums(answers, ("response__outlet_id",)):
        figures = result.setdefault(row["response__outlet_id"], Figures())
        figures.questions[row["question_id"]] = [row["yes"], row["answered"]]
    return result


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    month = today.replace(day=1)
    months = [month]
    for _ in range(count - 1):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months[::-1]


def monthly_trend(*, outlets, today: datetime.date, months: int = TREND_MONTHS) -> list[tuple]:
    """
    Return [(month, Figures)] of `outlets` together for the last `months` months up to `today`'s,
    oldest first, a month without answers included; two grouped queries.
    """
    month_list = _months_back(today, months)
    period = Period(since=month_list[0], until=today)
    by_month = {m: Figures() for m in month_list}
    month = TruncMonth("submitted_at", output_field=DateField())
    responses = SurveyResponse.objects.filter(period.condition(), outlet__in=outlets).annotate(
        month=month
    )
    for row in _response_sums(responses, ("month",)):
        by_month.setdefault(row["month"], Figures()).add(
            Figures(
                answers=row["answers"],
                satisfaction_sum=row["satisfaction_sum"] or 0,
                promoters=row["promoters"],
                detractors=row["detractors"],
            )
        )
    answers = SurveyAnswer.objects.filter(
        period.condition("response__"), response__outlet__in=outlets
    ).annotate(month=TruncMonth("response__submitted_at", output_field=DateField()))
    for row in _answer_sums(answers, ("month",)):
        by_month.setdefault(row["month"], Figures()).questions[row["question_id"]] = [
            row["yes"],
            row["answered"],
        ]
    return [(m, by_month[m]) for m in month_list]


# --- One outlet's report -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class OutletSatisfaction:
    outlet: Outlet
    period: Period
    questions: list
    figures: Figures
    trend: list  # [(month, Figures)]
    comments: list  # [(submitted_at, satisfaction, comment)], newest first; [] when not shown
    comments_shown: bool


def outlet_satisfaction(
    *, outlet: Outlet, user, today: datetime.date, days: int = 90
) -> OutletSatisfaction:
    """
    Return `outlet`'s satisfaction (already checked to be in `user`'s scope) over the last
    `days` days, its six-month trend and, for those who may read them, the latest comments.
    Six queries whatever the outlet's history (the viewer's role read once more when unknown).
    """
    period = Period.last_days(days, today=today)
    outlets = Outlet.objects.filter(pk=outlet.pk)
    shown = may_read_comments(user)
    comments = []
    if shown:
        comments = list(
            SurveyResponse.objects.filter(period.condition(), outlet=outlet)
            .exclude(comment="")
            .order_by("-submitted_at", "-pk")
            .values_list("submitted_at", "satisfaction", "comment")[:COMMENTS_SHOWN]
        )
    return OutletSatisfaction(
        outlet=outlet,
        period=period,
        questions=survey_questions(),
        figures=figures_by_outlet(outlets=outlets, period=period).get(outlet.pk, Figures()),
        trend=monthly_trend(outlets=outlets, today=today),
        comments=comments,
        comments_shown=shown,
    )


# --- The roll-ups ------------------------------------------------------------------------------

SORTS = ("worst", "best", "mean", "nps", "answers", "code")


@dataclasses.dataclass(frozen=True)
class OutletRow:
    outlet: Outlet
    figures: Figures


@dataclasses.dataclass(frozen=True)
class Rollup:
    key: object
    label: str
    outlets: int
    figures: Figures


@dataclasses.dataclass(frozen=True)
class SatisfactionOverview:
    period: Period
    questions: list
    question: SurveyQuestion | None  # the one the table is sorted by
    rows: list  # [OutletRow] with answers in the period, sorted
    by_partner: list  # [Rollup]
    by_province: list
    by_tier: list
    total: Figures
    outlets_without_answers: int


def _brand_label() -> str:
    return gettext("Brand-owned service centres")


def _rollups(rows: list[OutletRow], key, label) -> list[Rollup]:
    groups: dict = {}
    for row in rows:
        k = key(row.outlet)
        entry = groups.setdefault(k, [label(row.outlet), 0, Figures()])
        entry[1] += 1
        entry[2].add(row.figures)
    return [
        Rollup(key=k, label=lbl, outlets=n, figures=f)
        for k, (lbl, n, f) in sorted(groups.items(), key=lambda item: item[0])
    ]


def _sort_key(sort: str, question: SurveyQuestion | None):
    missing = float("inf")

    def rate(row):
        value = row.figures.yes_rate(question.pk) if question else row.figures.mean
        return value

    if sort == "best":
        return lambda r: (rate(r) is None, -(rate(r) or 0), r.outlet.code)
    if sort == "mean":
        return lambda r: (r.figures.mean if r.figures.mean is not None else missing, r.outlet.code)
    if sort == "nps":
        return lambda r: (r.figures.nps if r.figures.nps is not None else missing, r.outlet.code)
    if sort == "answers":
        return lambda r: (-r.figures.answers, r.outlet.code)
    if sort == "code":
        return lambda r: r.outlet.code
    # "worst": the outlet that explains least first, outlets nobody answered it for last.
    return lambda r: (rate(r) is None, rate(r) or 0, r.outlet.code)


def satisfaction_overview(
    *,
    user,
    today: datetime.date,
    days: int = 90,
    question_code: str = "",
    sort: str = "worst",
    questions: list | None = None,
) -> SatisfactionOverview:
    """
    Return the satisfaction of the outlets in `user`'s scope over the last `days` days: per
    outlet (sorted by `sort`, "worst" and "best" by the yes-rate of question `question_code` or
    else by mean satisfaction), and rolled up by partner company, province and city tier. Three
    queries whatever the number of outlets and answers, and one more for the questions unless
    given.
    """
    period = Period.last_days(days, today=today)
    visible = Outlet.objects.visible_to(user).filter(is_active=True)
    outlets = {o.pk: o for o in visible.select_related("partner_company")}
    questions = survey_questions() if questions is None else questions
    question = next((q for q in questions if q.code == question_code), None)
    figures = figures_by_outlet(outlets=visible, period=period)
    rows = [
        OutletRow(outlet=outlets[pk], figures=f)
        for pk, f in figures.items()
        if pk in outlets and f.answers
    ]
    rows.sort(key=_sort_key(sort if sort in SORTS else "worst", question))
    total = Figures()
    for row in rows:
        total.add(row.figures)
    tiers = dict(CityTier.choices)
    return SatisfactionOverview(
        period=period,
        questions=questions,
        question=question,
        rows=rows,
        by_partner=_rollups(
            rows,
            # Brand-owned centres first, then the companies by name.
            key=lambda o: o.partner_company.name if o.partner_company else "",
            label=lambda o: o.partner_company.name if o.partner_company else _brand_label(),
        ),
        by_province=_rollups(rows, key=lambda o: o.province, label=lambda o: o.province),
        by_tier=_rollups(rows, key=lambda o: o.city_tier, label=lambda o: str(tiers[o.city_tier])),
        total=total,
        outlets_without_answers=len(outlets) - len(rows),
    )
