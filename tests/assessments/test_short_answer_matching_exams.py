"""
Short answer and matching questions in an exam, end to end: the page names nothing by its key,
autosave and the form both save, submit grades to the cent (with partial credit), the review
shows as much as its policy allows, a regrade corrects them, and the statistics count them.
"""

import json
import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse

from assessments import answers
from assessments.models import Attempt, AttemptItem, Question, QuestionOption
from assessments.services.attempts import attempt_start
from assessments.services.regrades import regrade_apply, regrade_preview
from assessments.statistics import item_statistics
from courses.services import enrollment_sync
from tests.factories.assessments import assessment, category, question
from tests.factories.courses import course_page, track_page
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db

PAIRS = [
    ("退货", "7日内"),
    ("换货", "15日内"),
    ("换新", "15日内"),  # two items share an answer: it is offered once
    ("保修", "一年"),
    ("", "三年"),  # an extra wrong answer
]


@pytest.fixture
def course():
    return course_page(title="三包政策与收费规范", title_en="Warranty rules and fees", lessons=1)


@pytest.fixture
def learner(course):
    track_page(roles=["front_desk"], courses=[course])
    person = StaffFactory(role="front_desk")
    enrollment_sync(staff_ids=[person.pk])
    return person


@pytest.fixture
def bank():
    cat = category("三包政策")
    # Move option ids past the page's numbers, so a key on the page could not pass for one.
    spare = question(category=category(), kind="single", options=[])
    QuestionOption.objects.bulk_create(
        QuestionOption(question=spare, text=str(i), sort_order=i) for i in range(100)
    )
    QuestionOption.objects.filter(question=spare).delete()
    short = question(
        category=cat,
        kind="short_answer",
        text="防静电的英文缩写是什么？",
        text_en="What is the abbreviation of anti-static?",
        points=Decimal("2"),
        options=[("ESD", None), ("ESD*", Decimal("0.5"))],
        explanation="ESD 是 electrostatic discharge 的缩写",
    )
    QuestionOption.objects.filter(question=short, text="ESD*").update(
        feedback="接近了：只写缩写即可"
    )
    matching = question(
        category=cat,
        kind="matching",
        text="将三包条款与期限配对",
        text_en="Match the warranty terms with their periods",
        points=Decimal("4"),
        partial_credit=Question.PartialCredit.PROPORTIONAL,
        options=PAIRS,
    )
    return cat, short, matching


def _exam(course, bank, **fields):
    cat, _short, _matching = bank
    fields.setdefault("review_policy", "full")
    fields.setdefault("max_attempts", 1)
    return assessment(course=course, rules=[(cat, 2)], **fields)


def _items(attempt) -> dict[str, AttemptItem]:
    return {
        i.version.data["kind"]: i
        for i in AttemptItem.objects.filter(attempt=attempt).select_related("version")
    }


def matching_page(item, chosen: dict[str, str]) -> dict[str, str]:
    """The page's {item number: choice number} for {item text: answer text}."""
    data = item.version.data
    order = answers.page_order(data, item.option_order)
    by_key = {o["key"]: o for o in data["options"]}
    page = {}
    for i, key in enumerate(order["items"]):
        if by_key[key]["text"] in chosen:
            wanted = chosen[by_key[key]["text"]]
            page[str(i)] = str(
                next(j for j, c in enumerate(order["choices"]) if by_key[c]["match"] == wanted)
            )
    return page


# Three of the four items right, and the wildcard answer worth half: 1 + 3 of 6 points.
CHOSEN = {"退货": "7日内", "换货": "15日内", "换新": "15日内", "保修": "三年"}
TYPED = "esd 手环"


def start(client, exam) -> Attempt:
    response = client.post(reverse("assessments:attempt_start", args=[exam.pk]))
    assert response.status_code == 302
    return Attempt.objects.get()


def autosave(client, attempt, position, response):
    return client.post(
        reverse("assessments:attempt_answer", args=[attempt.pk]),
        data=json.dumps({"position": position, "response": response}),
        content_type="application/json",
    )


# The attempt page


def test_the_page_shows_a_text_input_and_a_select_of_each_answer_once_per_item(
    client, learner, course, bank
):
    exam = _exam(course, bank)
    client.force_login(learner.user)
    attempt = start(client, exam)
    items = _items(attempt)

    page = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()

    soup = BeautifulSoup(page, "html.parser")
    short = soup.find("input", attrs={"name": f"q-{items['short_answer'].position}"})
    assert (short["type"], short["maxlength"], short["value"]) == ("text", "255", "")
    position = items["matching"].position
    selects = soup.find_all("select", attrs={"name": re.compile(rf"^q-{position}-\d+$")})
    assert [s["name"] for s in selects] == [f"q-{position}-{i}" for i in range(4)]
    labels = {
        soup.find("label", attrs={"for": s["id"]}).get_text(): [
            (o["value"], o.get_text()) for o in s.find_all("option")
        ]
        for s in selects
    }
    assert sorted(labels) == ["保修", "换新", "换货", "退货"]
    for offered in labels.values():
        assert offered[0] == ("", "Choose…")
        assert sorted(text for _v, text in offered[1:]) == sorted(
            ["7日内", "15日内", "一年", "三年"]
        )
        assert [v for v, _t in offered[1:]] == ["0", "1", "2", "3"]
    # No option key anywhere: ids ascend in authoring order and would pair items with answers.
    for key in QuestionOption.objects.values_list("pk", flat=True):
        assert not re.search(rf"\b{key}\b", page), key
    assert "ESD" not in page
    assert "explanation" not in page.lower()


def test_matching_items_and_answers_are_stored_shuffled_and_never_in_the_authors_order(
    learner, course, bank
):
    exam = _exam(course, bank, max_attempts=1)
    attempt = attempt_start(staff=learner, assessment=exam)

    item = _items(attempt)["matching"]

    keys = [o["key"] for o in item.version.data["options"]]
    assert sorted(item.option_order["items"]) == sorted(keys[:4])
    assert sorted(item.option_order["answers"]) == sorted(["7日内", "15日内", "一年", "三年"])
    assert item.option_order == item.__class__.objects.get(pk=item.pk).option_order


def test_autosave_stores_the_typed_text_and_a_partly_answered_matching(
    client, learner, course, bank
):
    exam = _exam(course, bank)
    client.force_login(learner.user)
    attempt = start(client, exam)
    items = _items(attempt)
    matching = items["matching"]

    first = autosave(client, attempt, items["short_answer"].position, f"  {TYPED}  ")
    second = autosave(
        client, attempt, matching.position, matching_page(matching, {"退货": "7日内"})
    )

    assert (first.status_code, second.status_code) == (200, 200)
    by_text = {o["text"]: o["key"] for o in matching.version.data["options"]}
    stored = dict(AttemptItem.objects.filter(attempt=attempt).values_list("position", "response"))
    assert stored[items["short_answer"].position] == TYPED
    assert stored[matching.position] == {by_text["退货"]: by_text["退货"]}
    page = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert f'value="{TYPED}"' in page
    soup = BeautifulSoup(page, "html.parser")
    chosen = [
        (select["name"], option.get_text())
        for select in soup.find_all("select", attrs={"name": re.compile(r"^q-")})
        for option in select.find_all("option", selected=True)
    ]
    assert [text for _name, text in chosen] == ["7日内"]


@pytest.mark.parametrize(
    "response",
    [
        {"9": "0"},
        {"0": "9"},
        {"0": 0},
        ["0"],
        "0",
        "key",
    ],
)
def test_autosave_refuses_an_item_or_answer_the_question_lacks_and_saves_nothing(
    client, learner, course, bank, response
):
    exam = _exam(course, bank)
    client.force_login(learner.user)
    attempt = start(client, exam)
    matching = _items(attempt)["matching"]
    if response == "key":
        # An option key instead of the page's number is no answer of this page.
        key = matching.version.data["options"][0]["key"]
        response = {"0": key}

    reply = autosave(client, attempt, matching.position, response)

    assert reply.status_code == 400
    assert reply.json()["error"] == "This answer does not fit the question."
    assert not AttemptItem.objects.filter(answered_at__isnull=False).exists()


def test_autosave_refuses_a_short_answer_over_255_characters(client, learner, course, bank):
    exam = _exam(course, bank)
    client.force_login(learner.user)
    attempt = start(client, exam)

    reply = autosave(client, attempt, _items(attempt)["short_answer"].position, "字" * 256)

    assert reply.status_code == 400
    assert reply.json()["error"] == "This answer does not fit the question."
    assert not AttemptItem.objects.filter(answered_at__isnull=False).exists()


# Submit and the review


def submit_by_form(client, attempt):
    items = _items(attempt)
    form = {f"q-{items['short_answer'].position}": TYPED}
    for number, choice in matching_page(items["matching"], CHOSEN).items():
        form[f"q-{items['matching'].position}-{number}"] = choice
    return client.post(reverse("assessments:attempt_submit", args=[attempt.pk]), form)


def test_the_form_fallback_saves_both_and_submit_grades_them_with_partial_credit(
    client, learner, course, bank
):
    exam = _exam(course, bank)
    client.force_login(learner.user)
    attempt = start(client, exam)

    response = submit_by_form(client, attempt)

    assert response["Location"] == reverse("assessments:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    scores = {kind: item.score for kind, item in _items(attempt).items()}
    assert scores == {"short_answer": Decimal("1.00"), "matching": Decimal("3.00")}
    assert (attempt.score, attempt.max_score, attempt.percent) == (
        Decimal("4.00"),
        Decimal("6.00"),
        Decimal("66.67"),
    )


def test_a_submit_with_a_choice_the_question_lacks_is_refused_and_saves_nothing(
    client, learner, course, bank
):
    exam = _exam(course, bank)
    client.force_login(learner.user)
    attempt = start(client, exam)
    position = _items(attempt)["matching"].position

    response = client.post(
        reverse("assessments:attempt_submit", args=[attempt.pk]), {f"q-{position}-0": "7"}
    )

    assert response["Location"] == reverse("assessments:attempt", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN
    assert not AttemptItem.objects.filter(answered_at__isnull=False).exists()


def _reviewed(client, learner, course, bank, policy, language="en"):
    exam = _exam(course, bank, review_policy=policy)
    client.force_login(learner.user)
    attempt = start(client, exam)
    submit_by_form(client, attempt)
    url = reverse("assessments:attempt_result", args=[attempt.pk])
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_score_only_review_shows_neither_answers_nor_key(client, learner, course, bank):
    page = _reviewed(client, learner, course, bank, "score")

    assert "66.67%" in page
    for hidden in ("防静电", "ESD", TYPED, "退货", "一年", "Right answer", "接近了"):
        assert hidden not in page


def test_which_wrong_review_shows_the_answers_given_but_nothing_of_the_key(
    client, learner, course, bank
):
    page = _reviewed(client, learner, course, bank, "wrong")

    assert TYPED in page
    assert "保修 → 三年" in page and "退货 → 7日内" in page
    assert page.count("Partly right") == 2
    # The full-marks answer, the right pair not chosen, feedback and explanation stay hidden.
    for hidden in ("ESD", "保修 → 一年", "Right answer", "接近了", "electrostatic"):
        assert hidden not in page


def test_full_review_shows_the_accepted_answer_the_feedback_and_each_pair(
    client, learner, course, bank
):
    page = _reviewed(client, learner, course, bank, "full")

    soup = BeautifulSoup(page, "html.parser")
    sections = soup.find_all("section", class_="review-item")
    [short] = [s for s in sections if "anti-static" in s.get_text()]
    [matching] = [s for s in sections if "warranty terms" in s.get_text()]
    assert "Right answer: ESD" in short.get_text(" ", strip=True)
    assert "ESD*" not in short.get_text()  # only the answers of full marks
    assert "接近了：只写缩写即可" in short.get_text()
    pairs = [" ".join(li.get_text(" ", strip=True).split()) for li in matching.find_all("li")]
    assert pairs == [
        "退货: 7日内 Right",
        "换货: 15日内 Right",
        "换新: 15日内 Right",
        "保修: 三年 Wrong Right answer: 一年",
    ]


def test_full_review_is_in_the_readers_language(client, learner, course, bank):
    QuestionOption.objects.filter(match_text="三年").update(match_text_en="three years")
    QuestionOption.objects.filter(text="保修").update(text_en="Repair", match_text_en="one year")

    page = _reviewed(client, learner, course, bank, "full")

    assert "Match the warranty terms with their periods" in page
    assert "Repair → three years" in page
    assert "Repair: three years" in page and "Right answer: one year" in page


# Regrade and statistics


def _trainer():
    user = StaffFactory(role="trainer", outlet=None).user
    user.user_permissions.add(Permission.objects.get(codename="change_question"))
    return user


def test_a_regrade_of_the_pairs_and_accepted_answers_corrects_the_finished_attempt(
    client, learner, course, bank
):
    _cat, short, matching = bank
    exam = _exam(course, bank)
    client.force_login(learner.user)
    attempt = start(client, exam)
    submit_by_form(client, attempt)
    # The trainer accepts "ESD 手环" in full, and pairs 保修 with 三年 (the rules changed).
    QuestionOption.objects.create(question=short, text="ESD 手环", sort_order=5)
    QuestionOption.objects.filter(question=matching, text="保修").update(match_text="三年")
    QuestionOption.objects.filter(question=matching, text="").update(match_text="一年")
    trainer = _trainer()

    regrade = regrade_preview(
        question=Question.objects.get(pk=short.pk), actor=trainer, reason="手环也算"
    )
    regrade_apply(regrade_id=regrade.pk)
    regrade = regrade_preview(
        question=Question.objects.get(pk=matching.pk), actor=trainer, reason="保修期改为三年"
    )
    regrade_apply(regrade_id=regrade.pk)

    attempt.refresh_from_db()
    scores = {kind: item.score for kind, item in _items(attempt).items()}
    assert scores == {"short_answer": Decimal("2.00"), "matching": Decimal("4.00")}
    assert (attempt.score, attempt.percent) == (Decimal("6.00"), Decimal("100.00"))


def test_a_regrade_keeps_the_answer_chosen_when_its_option_is_given_another_answer(
    client, learner, course, bank
):
    _cat, _short, matching = bank
    exam = _exam(course, bank)
    client.force_login(learner.user)
    attempt = start(client, exam)
    submit_by_form(client, attempt)
    # 换货 was rightly matched with "15日内" through whichever option offered it; the
    # trainer now gives 换新 its own answer. The learner's choice for 换货 stays right.
    QuestionOption.objects.filter(question=matching, text="换新").update(match_text="30日内")

    regrade = regrade_preview(
        question=Question.objects.get(pk=matching.pk), actor=_trainer(), reason="换新另计"
    )
    regrade_apply(regrade_id=regrade.pk)

    item = _items(attempt)["matching"]
    item.refresh_from_db()
    # 退货 and 换货 right; 换新 ("15日内") and 保修 ("三年") wrong: 2 of 4 points.
    assert item.score == Decimal("2.00")


def test_statistics_count_both_kinds_and_list_the_frequent_wrong_short_answers(
    client, learner, course, bank
):
    _cat, short, matching = bank
    exam = _exam(course, bank)
    typed = ["ESD", "esd", "静电", "静电 ", "ＥＳＤ手环", "ESD手环", "防静电"]
    for text in typed:
        person = StaffFactory(role="front_desk")
        enrollment_sync(staff_ids=[person.pk])
        client.force_login(person.user)
        attempt = start_for(client, exam, person)
        items = _items(attempt)
        form = {f"q-{items['short_answer'].position}": text}
        for number, choice in matching_page(items["matching"], {"退货": "7日内"}).items():
            form[f"q-{items['matching'].position}-{number}"] = choice
        client.post(reverse("assessments:attempt_submit", args=[attempt.pk]), form)

    rows = {row.question.pk: row for row in item_statistics()}

    assert rows[short.pk].attempts == 7
    # 2 right, 2 half right (ESD手环 by the wildcard), 3 wrong: (2 + 0.5 + 0.5) / 7.
    assert rows[short.pk].facility == Decimal("0.4286")
    # Answers typed differently but the same when compared count as one (full-width, spaces).
    assert rows[short.pk].wrong_answers == (("ESD手环", 2), ("静电", 2), ("防静电", 1))
    assert rows[matching.pk].facility == Decimal("0.2500")
    assert rows[matching.pk].wrong_answers == ()


def start_for(client, exam, person) -> Attempt:
    client.post(reverse("assessments:attempt_start", args=[exam.pk]))
    return Attempt.objects.get(staff=person)


def _admin_trainer_client(client):
    from network.services import staff_assignment_sync

    staff = StaffFactory(role="trainer", outlet=None)
    staff_assignment_sync(staff=staff)
    client.force_login(staff.user)
    return client


def test_trainer_regrades_a_matching_question_in_the_admin_and_sees_the_wrong_short_answers(
    client, learner, course, bank, django_capture_on_commit_callbacks
):
    _cat, short, matching = bank
    exam = _exam(course, bank)
    client.force_login(learner.user)
    attempt = start(client, exam)
    submit_by_form(client, attempt)
    QuestionOption.objects.filter(question=matching, text="保修").update(match_text="三年")
    QuestionOption.objects.filter(question=matching, text="").update(match_text="一年")
    client.logout()
    trainer = _admin_trainer_client(client)

    response = trainer.post(
        reverse("assessments_regrade_start", args=[matching.pk]), {"reason": "保修期改为三年"}
    )
    page = trainer.get(response["Location"]).content.decode()
    assert "66.67% → 83.33%" in page
    with django_capture_on_commit_callbacks(execute=True):
        trainer.post(response["Location"])
    statistics = trainer.get(reverse("assessments_item_statistics")).content.decode()

    attempt.refresh_from_db()
    assert (attempt.score, attempt.percent) == (Decimal("5.00"), Decimal("83.33"))
    soup = BeautifulSoup(statistics, "html.parser")
    row = soup.find("tr", attrs={"data-question": str(short.pk)})
    assert row.find(attrs={"data-wrong-answers": True}).get_text(" ", strip=True) == (
        f"Frequent wrong answers: “{TYPED}” (1)"
    )
    assert (
        soup.find("tr", attrs={"data-question": str(matching.pk)}).find(
            attrs={"data-wrong-answers": True}
        )
        is None
    )


def test_a_matching_key_corrected_during_an_attempt_applies_when_it_is_submitted(
    client, learner, course, bank
):
    _cat, _short, matching = bank
    exam = _exam(course, bank)
    client.force_login(learner.user)
    attempt = start(client, exam)
    items = _items(attempt)
    autosave(client, attempt, items["matching"].position, matching_page(items["matching"], CHOSEN))
    QuestionOption.objects.filter(question=matching, text="保修").update(match_text="三年")
    QuestionOption.objects.filter(question=matching, text="").update(match_text="一年")
    regrade = regrade_preview(
        question=Question.objects.get(pk=matching.pk), actor=_trainer(), reason="保修期改为三年"
    )
    regrade_apply(regrade_id=regrade.pk)

    client.post(reverse("assessments:attempt_submit", args=[attempt.pk]))

    assert _items(attempt)["matching"].score == Decimal("4.00")
