"""
Planted secrets: sentinels in every answer key and every review-only field of a question bank,
and a learner's crawl of every page and JSON response of whole attempts, which carry none of
them before the exam's review policy allows it, and carry them once it does.

The crawl goes the learner's way: the course or track page, My training, the exam overview,
start, the attempt page, the autosave endpoint with right, wrong and unreadable answers,
submit, the result, answers and submits after the end, an attempt closed at its time limit,
refused retakes, and for a certification exam the practical assessment and the certificate.
Every body is checked with its headers.
"""

import copy
import dataclasses
import datetime
import json
import re
from decimal import Decimal

import pytest
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from assessments import answers as answer_reader
from assessments import grading
from assessments.models import Attempt, AttemptItem, Question, QuestionOption, QuestionVersion
from certificates.models import Certificate
from courses.services import enrollment_sync
from tests.factories.assessments import assessment, category, checklist
from tests.factories.certificates import courses_done, practical_done
from tests.factories.courses import course_page, track_page
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db

POLICIES = ("score", "wrong", "full")
PASS_MARK = 60

# The answer key and what only a review may show -------------------------------------------

NUMERIC_KEY = Decimal("7319.25")
NUMERIC_TOLERANCE = Decimal("0.0731")
NUMERIC_RIGHT = "7319.3"  # within the tolerance, and no substring of the key

# Question texts (shown while answering; in a review only when it shows the questions).
QUESTION_TEXT = {
    "single": "Q-SINGLE-3e7a",
    "multiple": "Q-MULTI-8b1d",
    "true_false": "Q-TF-c2f9",
    "numeric": "Q-NUM-6a0e",
    "ordering": "Q-ORDER-f51c",
    "short_answer": "Q-SHORT-4c1b",
    "matching": "Q-MATCH-9e27",
}
# Options by kind: (token, correct). Option texts are shown while answering, so which option
# is right is the secret; for ordering, the key is this order.
OPTIONS = {
    "single": [("OPT-S1-9d2c", True), ("OPT-S2-41ab", False), ("OPT-S3-77e0", False)],
    "multiple": [
        ("OPT-M1-0c5f", True),
        ("OPT-M2-e93b", True),
        ("OPT-M3-18d4", False),
        ("OPT-M4-b6a1", False),
    ],
    "ordering": [
        ("STEP-O1-2f8e", False),
        ("STEP-O2-c07d", False),
        ("STEP-O3-5a19", False),
        ("STEP-O4-d4e2", False),
    ],
}
# A short answer's accepted answers: the one of full marks is the key; the half-marks wildcard
# is never shown to anybody (a review with the key shows the answers of full marks only).
SHORT_FULL = "SAKEY-FULL-5e3a"
SHORT_HALF = "SAHALF-*"
SHORT_TYPED = "SAHALF-typed-0d9c"
# Matching pairs (item, answer), and an extra wrong answer: the pairing is the secret, item and
# answer texts are shown while answering.
PAIRS = [
    ("ITEM-P1-6b0e", "ANS-P1-1f4d"),
    ("ITEM-P2-a3c8", "ANS-P2-7e52"),
    ("ITEM-P3-58d1", "ANS-P3-c9a0"),
    ("ITEM-P4-e27f", "ANS-P4-04b6"),
    ("", "ANS-EXTRA-b81d"),
]
# The learner pairs the first two rightly and swaps the last two: half of the points.
CHOSEN = {"ITEM-P1-6b0e": "ANS-P1-1f4d", "ITEM-P2-a3c8": "ANS-P2-7e52",
          "ITEM-P3-58d1": "ANS-P4-04b6", "ITEM-P4-e27f": "ANS-P3-c9a0"}  # fmt: skip
# Option ids are the keys the server stores; a page names options by their place shown. Made
# distinctive so that an id anywhere in a body cannot pass unnoticed.
OPTION_PK_BASE = 864_209_100

# Never on any learner's page: bank notes, import references, tags, an undrawn question.
BANK_NOTE = "SECRET-BANK-NOTE-5d21e8"
SOURCE_REF = "SECRET-SRC-REF-0b7c44"
TAG = "secret-tag-91ae3f"
UNDRAWN_TEXT = "SECRET-UNDRAWN-QUESTION-c3f1"
UNDRAWN_EXPLANATION = "SECRET-UNDRAWN-EXPL-c3f1"


def explanation(kind, language):
    return f"SECRET-EXPL-{language.upper()}-{kind}-7f3a"


def localized(token, language):
    """The text of a question or option as planted in `language` (Chinese first, as authored)."""
    return f"Option {token}" if language == "en" else f"选项 {token}"


def question_text(kind, language):
    token = QUESTION_TEXT[kind]
    return f"{token} which one?" if language == "en" else f"{token} 选哪个？"


ALWAYS_SECRET = {
    "bank note": BANK_NOTE,
    "source reference": SOURCE_REF,
    "tag": TAG,
    "undrawn question": UNDRAWN_TEXT,
    "undrawn explanation": UNDRAWN_EXPLANATION,
    "numeric key as stored": "7319.2500",
    "short answer of half marks": SHORT_HALF,
}
KEY_SECRETS = {
    **{
        f"explanation ({kind}, {language})": explanation(kind, language)
        for kind in QUESTION_TEXT
        for language in ("zh", "en")
    },
    "numeric answer": "7319.25",
    "numeric tolerance": "0.0731",
}
# Words of the key's data format and of scoring rules: never on a page or JSON of answering.
ANSWERING_MARKERS = (
    "correct",
    "tolerance",
    "explanation",
    "fraction",
    '"weight"',
    "data-weight",
    "partial",
    "proportional",
    "all_or_nothing",
    '"answer"',
    '"key"',
)
# What a review shows only with the key.
REVIEW_KEY_MARKERS = ("Right answer", "正确答案", 'class="explanation"')

# How the learner answers: the failing pattern scores 4 of 8 (50%), the passing one 5 (62.5%);
# the short answer (1 point) earns half by the wildcard, the matching (2 points) half by pairs.
# Both leave the second right option of the multiple choice question unchosen and the ordering
# wrong, so those keys are never on a page as the learner's own answer.
ANSWERS = {
    "fail": {
        "single": "OPT-S2-41ab",
        "multiple": ["OPT-M1-0c5f"],
        "true_false": True,
        "numeric": NUMERIC_RIGHT,
        "ordering": "reversed",
        "short_answer": SHORT_TYPED,
        "matching": CHOSEN,
    },
    "pass": {
        "single": "OPT-S1-9d2c",
        "multiple": ["OPT-M1-0c5f"],
        "true_false": True,
        "numeric": NUMERIC_RIGHT,
        "ordering": "reversed",
        "short_answer": SHORT_TYPED,
        "matching": CHOSEN,
    },
}


PERCENT = {"fail": "50.00", "pass": "62.50"}


def hidden_key_texts(pattern, language) -> dict:
    """The parts of the key the learner's own answers in `pattern` do not show."""
    texts = {
        "right option not chosen (multiple)": localized("OPT-M2-e93b", language),
        "right order (ordering)": "; ".join(
            localized(token, language) for token, _c in OPTIONS["ordering"]
        ),
    }
    texts["accepted short answer"] = SHORT_FULL
    for item, answer in PAIRS[2:4]:
        pair = f"{localized(item, language)} → {localized(answer, language)}"
        texts[f"right pair not chosen ({item})"] = pair
    if pattern == "fail":
        texts["right option not chosen (single)"] = localized("OPT-S1-9d2c", language)
    return texts


# The bank, the exam and the learner ------------------------------------------------------------


def _question(*, cat, kind, number, **fields) -> Question:
    q = Question(
        category=cat,
        kind=kind,
        text=question_text(kind, "zh"),
        text_en=question_text(kind, "en"),
        explanation=explanation(kind, "zh"),
        explanation_en=explanation(kind, "en"),
        source_ref=f"{SOURCE_REF}-{kind}",
        **fields,
    )
    q.save()
    q.tags.add(TAG)
    q.save()
    for i, (token, correct) in enumerate(OPTIONS.get(kind, [])):
        QuestionOption.objects.create(
            pk=OPTION_PK_BASE + number * 10 + i,
            question=q,
            text=localized(token, "zh"),
            text_en=localized(token, "en"),
            is_correct=correct,
            sort_order=i,
        )
    if kind == "short_answer":
        for i, (text, fraction) in enumerate([(SHORT_FULL, None), (SHORT_HALF, Decimal("0.5"))]):
            QuestionOption.objects.create(
                pk=OPTION_PK_BASE + number * 10 + i,
                question=q,
                text=text,
                fraction=fraction,
                sort_order=i,
            )
    if kind == "matching":
        for i, (item, answer) in enumerate(PAIRS):
            QuestionOption.objects.create(
                pk=OPTION_PK_BASE + number * 10 + i,
                question=q,
                text=localized(item, "zh") if item else "",
                text_en=localized(item, "en") if item else "",
                match_text=localized(answer, "zh"),
                match_text_en=localized(answer, "en"),
                sort_order=i,
            )
    return q


def planted_bank():
    cat = category("三包政策", description=BANK_NOTE)
    _question(cat=cat, kind="single", number=1)
    _question(
        cat=cat, kind="multiple", number=2, partial_credit=Question.PartialCredit.PROPORTIONAL
    )
    _question(cat=cat, kind="true_false", number=3, true_false_answer=True)
    _question(
        cat=cat,
        kind="numeric",
        number=4,
        numeric_answer=NUMERIC_KEY,
        numeric_tolerance=NUMERIC_TOLERANCE,
    )
    _question(cat=cat, kind="ordering", number=5)
    _question(cat=cat, kind="short_answer", number=6)
    _question(
        cat=cat,
        kind="matching",
        number=7,
        points=Decimal("2"),
        partial_credit=Question.PartialCredit.PROPORTIONAL,
    )
    Question.objects.create(
        category=cat,
        kind="true_false",
        text=UNDRAWN_TEXT,
        explanation=UNDRAWN_EXPLANATION,
        true_false_answer=True,
        is_active=False,
    )
    return cat


@dataclasses.dataclass
class Exam:
    exam_kind: str
    policy: str
    language: str
    exam: object
    track: object
    start_pages: list  # (label, url, status) of the course or track pages around the exam


def build(exam_kind, policy) -> Exam:
    """The planted bank and its exam: two attempts, seven questions of seven kinds, pass at 60%."""
    cat = planted_bank()
    rules = {
        "rules": [(cat, 7)],
        "review_policy": policy,
        "max_attempts": 2,
        "pass_mark_percent": PASS_MARK,
        "cooldown_minutes": 0,
    }
    if exam_kind == "course":
        # Course exams are read in English here, certification exams in Chinese: both languages.
        course = course_page(title="三包政策与收费规范", title_en="Warranty rules", lessons=1)
        track = track_page(roles=["front_desk"], courses=[course])
        exam = assessment(course=course, **rules)
        start_pages = [
            ("course page", course.url, 200),
            ("course exam link", reverse("assessments:course_exam", args=[course.pk]), 302),
        ]
        return Exam(exam_kind, policy, "en", exam, track, start_pages)
    course = course_page(title="防静电拆机", lessons=1)
    track = track_page(roles=["technician"], courses=[course], title="维修技术员上岗认证")
    exam = assessment(track=track, **rules)
    checklist(track=track)
    start_pages = [
        ("track page", track.url, 200),
        ("track exam link", reverse("assessments:track_exam", args=[track.pk]), 302),
    ]
    return Exam(exam_kind, policy, "zh", exam, track, start_pages)


@dataclasses.dataclass
class Setting:
    """One learner in one situation at the exam."""

    built: Exam
    situation: str
    client: Client
    learner: object

    @property
    def exam(self):
        return self.built.exam

    @property
    def policy(self):
        return self.built.policy

    @property
    def language(self):
        return self.built.language

    @property
    def certificate_expected(self):
        # A certification exam passed with the courses done and the practical signed off.
        return self.built.exam_kind == "track" and self.situation == "passed_retakes_left"

    @property
    def name(self):
        return f"{self.built.exam_kind} exam, review {self.policy!r}, {self.situation}"


def learner_in(built: Exam, situation: str) -> Setting:
    if built.exam_kind == "course":
        learner = StaffFactory(role="front_desk")
    else:
        learner = StaffFactory(role="technician")
        assessor = StaffFactory(role="senior_technician", outlet=learner.outlet)
        courses_done(staff=learner, track=built.track)
        practical_done(learner=learner, assessor=assessor, track=built.track)
    enrollment_sync(staff_ids=[learner.pk])
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans" if built.language == "zh" else "en")
    client.force_login(learner.user)
    return Setting(built=built, situation=situation, client=client, learner=learner)


# The crawler ---------------------------------------------------------------------------------


@dataclasses.dataclass
class Page:
    label: str
    method: str
    url: str
    status: int
    text: str  # the status line, headers, cookies and body
    body: str
    answering: bool  # a page or JSON of an open attempt
    review: bool  # the result page of a finished attempt
    key: bool  # whether the review policy allows the key on this page now
    pattern: str  # the answers the learner gave in the attempts seen so far

    @property
    def where(self):
        return f"{self.label} [{self.method} {self.url} → {self.status}]"


def _text_of(response) -> tuple[str, str]:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode("utf-8", "replace")
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    cookies = response.cookies.output()
    return f"{response.status_code}\n{headers}\n{cookies}\n\n{body}", body


class Crawl:
    def __init__(self, setting: Setting):
        self.setting = setting
        self.client = setting.client
        self.pages: list[Page] = []
        self.pattern = "fail"

    def _request(
        self, label, method, url, *, status, answering=False, review=False, key=False, **kwargs
    ):
        send = self.client.get if method == "GET" else self.client.post
        # Each request commits as in production: what it queued for after the commit (issuing
        # a certificate, rendering its PDF) runs before the next request.
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = send(url, **kwargs)
        assert response.status_code == status, (
            f"{self.setting.name}: {label} [{method} {url}] answered "
            f"{response.status_code}, expected {status}"
        )
        text, body = _text_of(response)
        page = Page(
            label=label,
            method=method,
            url=url,
            status=response.status_code,
            text=text,
            body=body,
            answering=answering,
            review=review,
            key=key,
            pattern=self.pattern,
        )
        self.pages.append(page)
        return page, response

    def get(self, label, url, *, status=200, answering=False, review=False, key=False):
        return self._request(
            label, "GET", url, status=status, answering=answering, review=review, key=key
        )

    def post(self, label, url, data=None, *, status=302, answering=False):
        return self._request(
            label, "POST", url, status=status, answering=answering, data=data or {}
        )

    def post_json(self, label, url, body, *, status=200, answering=True):
        raw = body if isinstance(body, bytes) else json.dumps(body)
        return self._request(
            label,
            "POST",
            url,
            status=status,
            answering=answering,
            data=raw,
            content_type="application/json",
        )

    def follow(self, label, response, **kwargs):
        """GET where a redirect leads, as the browser would, with the message it carries."""
        return self.get(label, response["Location"], **kwargs)


# A whole attempt -----------------------------------------------------------------------------


def _items(attempt) -> dict[str, AttemptItem]:
    return {
        i.version.data["kind"]: i
        for i in AttemptItem.objects.filter(attempt=attempt).select_related("version")
    }


def _key_of_token(item, token):
    for option in item.version.data["options"]:
        if token in option["text"]:
            return option["key"]
    raise AssertionError(token)


def page_answers(attempt, pattern) -> dict[int, object]:
    """{position: response as the page sends it (option numbers)} of `pattern`."""
    answers = {}
    for kind, item in _items(attempt).items():
        wanted = ANSWERS[pattern][kind]
        number = {key: str(i) for i, key in enumerate(item.option_order)}
        if kind == "single":
            answers[item.position] = number[_key_of_token(item, wanted)]
        elif kind == "multiple":
            answers[item.position] = [number[_key_of_token(item, t)] for t in wanted]
        elif kind == "ordering":
            keys = [o["key"] for o in item.version.data["options"]]
            answers[item.position] = [number[k] for k in reversed(keys)]
        elif kind == "matching":
            answers[item.position] = _matching_page(item, wanted)
        else:
            answers[item.position] = wanted
    return answers


def _matching_page(item, chosen) -> dict[str, str]:
    """{item number: choice number} of the page for {item token: answer token}."""
    data = item.version.data
    order = answer_reader.page_order(data, item.option_order)
    by_key = {o["key"]: o for o in data["options"]}
    page = {}
    for i, key in enumerate(order["items"]):
        token = by_key[key]["text"].split(" ", 1)[1]
        answer = localized(chosen[token], "zh")
        page[str(i)] = str(
            next(j for j, c in enumerate(order["choices"]) if by_key[c]["match"] == answer)
        )
    return page


def form_of(attempt, answers) -> dict:
    kinds = {item.position: kind for kind, item in _items(attempt).items()}
    form = {}
    for position, response in answers.items():
        if kinds[position] == "true_false":
            response = "true" if response else "false"
        if kinds[position] == "matching":
            form.update({f"q-{position}-{n}": choice for n, choice in response.items()})
            continue
        form[f"q-{position}"] = response
    return form


def start(crawl, exam, number) -> Attempt:
    s = crawl.setting
    _page, response = crawl.post(
        f"start attempt {number}", reverse("assessments:attempt_start", args=[exam.pk])
    )
    attempt = Attempt.objects.get(staff=s.learner, assessment=exam, number=number)
    assert response["Location"] == reverse("assessments:attempt", args=[attempt.pk])
    crawl.follow(f"attempt {number} page", response, answering=True)
    return attempt


def autosave(crawl, attempt, answers, label=""):
    """Save each answer through the endpoint, as the page does on every change."""
    url = reverse("assessments:attempt_answer", args=[attempt.pk])
    for position, response in sorted(answers.items()):
        crawl.post_json(
            f"autosave attempt {attempt.number} q{position}{label}",
            url,
            {"position": position, "response": response},
        )


def bad_answers(crawl, attempt, label=""):
    """Answers the endpoint refuses: each a JSON error, none a 500."""
    items = _items(attempt)
    url = reverse("assessments:attempt_answer", args=[attempt.pk])
    cases = [
        ("an option the question lacks", {"position": items["single"].position, "response": "9"}),
        (
            "an option key instead of a number",
            {
                "position": items["single"].position,
                "response": items["single"].option_order[0],
            },
        ),
        ("a word for true or false", {"position": items["true_false"].position, "response": "ja"}),
        ("not a number", {"position": items["numeric"].position, "response": "zwölf"}),
        ("an ordering missing a step", {"position": items["ordering"].position, "response": ["0"]}),
        (
            "an item the question lacks",
            {"position": items["matching"].position, "response": {"9": "0"}},
        ),
        (
            "an answer the question lacks",
            {"position": items["matching"].position, "response": {"0": "9"}},
        ),
        (
            "an option key instead of an answer's number",
            {
                "position": items["matching"].position,
                "response": {"0": items["matching"].version.data["options"][0]["key"]},
            },
        ),
        (
            "a short answer too long",
            {"position": items["short_answer"].position, "response": "x" * 256},
        ),
        ("no such question", {"position": 999, "response": "0"}),
        ("a 24-digit position", {"position": 10**24, "response": "0"}),
        ("unreadable JSON", b"{"),
        ("deeply nested JSON", b'{"position": 1, "response": ' + b"[" * 3000 + b"]" * 3000 + b"}"),
    ]
    for what, body in cases:
        crawl.post_json(
            f"refused answer ({what}) attempt {attempt.number}{label}", url, body, status=400
        )
    crawl.get(
        f"answer endpoint by GET attempt {attempt.number}{label}", url, status=405, answering=True
    )


_VOLATILE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'nonce="[^"]+"'), "nonce"),
    (re.compile(r'data-seconds-left="\d+"'), "data-seconds-left"),
    (re.compile(r">\d+ s<"), "> s<"),
    (re.compile(r'"(saved_at|seconds_left)": ("[^"]*"|\d+)'), r'"\1"'),
]


def normalized(body: str) -> str:
    for pattern, replacement in _VOLATILE:
        body = pattern.sub(replacement, body)
    return body


def _answering_bodies(crawl, attempt, answers, label) -> list[tuple[str, str]]:
    """Crawl the open attempt's page and JSON; return (page, normalized body) of each."""
    first = len(crawl.pages)
    crawl.get(
        f"attempt {attempt.number} page{label}",
        reverse("assessments:attempt", args=[attempt.pk]),
        answering=True,
    )
    autosave(crawl, attempt, answers, label)
    bad_answers(crawl, attempt, label)
    return [(page.where, normalized(page.body)) for page in crawl.pages[first:]]


def _other_key(data: dict) -> dict:
    """A different answer key for the same question, as it was shown."""
    data = copy.deepcopy(data)
    kind = data["kind"]
    options = data.get("options", [])
    if kind in ("single", "multiple"):
        for option in options:
            option["correct"] = not option["correct"]
    elif kind == "ordering":
        data["options"] = options[::-1]
    elif kind == "true_false":
        data["answer"] = not data["answer"]
    elif kind == "short_answer":
        for option in options:
            option["text"] = f"another accepted answer {option['key']}"
        data["case_sensitive"] = not data["case_sensitive"]
    elif kind == "matching":
        # Another pairing of the same items with the same answers.
        items = [o for o in options if o["text"]]
        matches = [(o["match"], o["match_en"]) for o in items]
        for option, (match, match_en) in zip(items, matches[1:] + matches[:1], strict=True):
            option["match"], option["match_en"] = match, match_en
    else:
        data["numeric"], data["tolerance"] = "12.5", "1"
    data["explanation"] = data["explanation_en"] = "another explanation"
    data["partial_credit"] = (
        "all_or_nothing" if data["partial_credit"] == "proportional" else "proportional"
    )
    return data


def assert_pages_blind_to_the_key(crawl, attempt, answers):
    """
    The pages and JSON of an open attempt are the same, byte for byte but for the clock and
    the tokens, whichever answer key its questions have: nothing on them marks the right option.
    """
    before = _answering_bodies(crawl, attempt, answers, "")
    versions = list(
        QuestionVersion.objects.filter(items__attempt=attempt).values_list("pk", "data")
    )
    saved = list(
        AttemptItem.objects.filter(attempt=attempt).values_list("pk", "version_id", "response")
    )
    others = {pk: _other_key(data) for pk, data in versions}
    for pk, other in others.items():
        QuestionVersion.objects.filter(pk=pk).update(data=other)
    # A matching answer names each chosen answer by an option holding it: under another
    # pairing the same answers, as the learner chose them, are held by other options.
    originals = dict(versions)
    for pk, version_id, response in saved:
        carried = grading.response_carried(originals[version_id], others[version_id], response)
        AttemptItem.objects.filter(pk=pk).update(response=carried)
    after = _answering_bodies(crawl, attempt, answers, " (another key)")
    for pk, data in versions:
        QuestionVersion.objects.filter(pk=pk).update(data=data)
    for pk, _version_id, response in saved:
        AttemptItem.objects.filter(pk=pk).update(response=response)
    for (where, first), (_where, second) in zip(before, after, strict=True):
        assert first == second, f"{crawl.setting.name}: {where} differs with another answer key"


def submit(crawl, attempt, answers, *, key_now):
    url = reverse("assessments:attempt_submit", args=[attempt.pk])
    _page, response = crawl.post(
        f"submit attempt {attempt.number}", url, form_of(attempt, answers), answering=True
    )
    result_url = reverse("assessments:attempt_result", args=[attempt.pk])
    assert response["Location"] == result_url
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    crawl.follow(f"result of attempt {attempt.number}", response, review=True, key=key_now)
    after_the_end(crawl, attempt, key_now=key_now)


def after_the_end(crawl, attempt, *, key_now):
    """What a second tab, a replay or a late autosave gets from a finished attempt."""
    n = attempt.number
    result_url = reverse("assessments:attempt_result", args=[attempt.pk])
    _page, response = crawl.post_json(
        f"answer after the end of attempt {n}",
        reverse("assessments:attempt_answer", args=[attempt.pk]),
        {"position": 1, "response": "0"},
        status=409,
        answering=False,
    )
    assert response.json()["result_url"] == result_url
    _page, response = crawl.post(
        f"submit again after the end of attempt {n}",
        reverse("assessments:attempt_submit", args=[attempt.pk]),
    )
    assert response["Location"] == result_url
    _page, response = crawl.get(
        f"attempt {n} page after the end",
        reverse("assessments:attempt", args=[attempt.pk]),
        status=302,
    )
    assert response["Location"] == result_url
    crawl.get(f"result of attempt {n} again", result_url, review=True, key=key_now)


def around(crawl, moment):
    """The pages around the exam a learner passes through, at `moment`."""
    s = crawl.setting
    for label, url, status in s.built.start_pages:
        crawl.get(f"{label} {moment}", url, status=status)
    crawl.get(f"exam overview {moment}", reverse("assessments:exam", args=[s.exam.pk]))
    crawl.get(f"My training {moment}", reverse("courses:my_training"))
    crawl.get(f"My certificates {moment}", reverse("certificates:my_certificates"))


def expire(attempt):
    """Move `attempt` into the past: its time limit and the grace period are over."""
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=now - datetime.timedelta(hours=2), deadline=now - datetime.timedelta(hours=1)
    )


# The situations ------------------------------------------------------------------------------


def first_attempt(crawl, pattern, *, key_after, thorough=False):
    """
    Attempt 1, answered by autosave and submitted with the form. `thorough` adds the refused
    answers and the check that nothing on the attempt's pages depends on the key.
    """
    s = crawl.setting
    crawl.pattern = pattern
    attempt = start(crawl, s.exam, 1)
    answers = page_answers(attempt, pattern)
    crawl.get(
        "result of open attempt 1",
        reverse("assessments:attempt_result", args=[attempt.pk]),
        status=302,
        answering=True,
    )
    crawl.get("exam overview during attempt 1", reverse("assessments:exam", args=[s.exam.pk]))
    autosave(crawl, attempt, answers)
    if thorough:
        assert_pages_blind_to_the_key(crawl, attempt, answers)
        single = _items(attempt)["single"].position
        _page, response = crawl.post(
            "submit with an answer the question lacks",
            reverse("assessments:attempt_submit", args=[attempt.pk]),
            {f"q-{single}": "9"},
            answering=True,
        )
        assert response["Location"] == reverse("assessments:attempt", args=[attempt.pk])
        crawl.follow("attempt 1 page with the refusal", response, answering=True)
    submit(crawl, attempt, answers, key_now=key_after)
    return attempt


def failed_retakes_left(crawl):
    """Fail attempt 1 of 2: a retake may draw the same questions."""
    first_attempt(crawl, "fail", key_after=False, thorough=True)
    around(crawl, "after failing with a retake left")


def passed_retakes_left(crawl):
    """
    Pass attempt 1 of 2, then take the retake a pass still allows and let its time run out on
    its page: the key only while no attempt is open.
    """
    s = crawl.setting
    full = s.policy == "full"
    first = first_attempt(crawl, "pass", key_after=full)
    around(crawl, "after passing")
    if s.certificate_expected:
        certificate_pages(crawl)
    first_result = reverse("assessments:attempt_result", args=[first.pk])
    second = start(crawl, s.exam, 2)
    crawl.get("result of passed attempt 1 during retake 2", first_result, review=True)
    autosave(crawl, second, page_answers(second, "pass"))
    expire(second)
    _page, response = crawl.get(
        "retake 2 page after its time limit",
        reverse("assessments:attempt", args=[second.pk]),
        status=302,
        answering=True,
    )
    crawl.follow("result of retake 2 (closed at the time limit)", response, review=True, key=full)
    second.refresh_from_db()
    assert (second.status, second.passed) == (Attempt.Status.CLOSED, True), s.name
    crawl.get("result of passed attempt 1 after retake 2", first_result, review=True, key=full)
    around(crawl, "after the retake")


def failed_last_attempt(crawl):
    """
    Fail attempt 1 of 2, then the last one, which runs out of time while autosaving: the key
    only after it, never during it.
    """
    s = crawl.setting
    full = s.policy == "full"
    first = first_attempt(crawl, "fail", key_after=False)
    first_result = reverse("assessments:attempt_result", args=[first.pk])
    second = start(crawl, s.exam, 2)
    crawl.get("result of attempt 1 during the last attempt", first_result, review=True)
    around(crawl, "during the last attempt")
    autosave(crawl, second, page_answers(second, "fail"))
    expire(second)
    _page, response = crawl.post_json(
        "autosave after the time limit of the last attempt",
        reverse("assessments:attempt_answer", args=[second.pk]),
        {"position": 1, "response": "0"},
        status=409,
    )
    second.refresh_from_db()
    assert (second.status, second.passed) == (Attempt.Status.CLOSED, False), s.name
    crawl.get(
        "result of the last attempt (closed at the time limit)",
        response.json()["result_url"],
        review=True,
        key=full,
    )
    crawl.get("result of attempt 1 after the last attempt", first_result, review=True, key=full)
    around(crawl, "with no attempt left")
    _page, response = crawl.post(
        "start refused: no attempt left", reverse("assessments:attempt_start", args=[s.exam.pk])
    )
    crawl.follow("exam overview with the refusal", response)


def certificate_pages(crawl):
    s = crawl.setting
    certificate = Certificate.objects.get(holder=s.learner)
    code = certificate.code
    crawl.get("certificate verification page", reverse("certificates:verify", args=[code]))
    crawl.get("certificate verification JSON", reverse("certificates:verify_json", args=[code]))
    practical = s.learner.practical_assessments.get()
    crawl.get("practical assessments", reverse("assessments:practical_list"))
    crawl.get("practical assessment", reverse("assessments:practical_detail", args=[practical.pk]))


RUN = {
    "failed_retakes_left": failed_retakes_left,
    "passed_retakes_left": passed_retakes_left,
    "failed_last_attempt": failed_last_attempt,
}


# The checks ----------------------------------------------------------------------------------


def leaks(setting: Setting, pages: list[Page]) -> list[str]:
    """Return each sentinel found where the review policy does not allow it, with its page."""
    found = []
    language = setting.language
    option_ids = {
        f"option id {pk}": str(pk) for pk in QuestionOption.objects.values_list("pk", flat=True)
    }
    questions = {f"question text ({k})": QUESTION_TEXT[k] for k in QUESTION_TEXT}
    for page in pages:
        forbidden = {**ALWAYS_SECRET, **option_ids}
        if not page.key:
            forbidden.update(KEY_SECRETS)
            if not page.answering:
                forbidden.update(hidden_key_texts(page.pattern, language))
        shows_items = page.answering or (page.review and setting.policy != "score")
        if not shows_items:
            forbidden.update(questions)
        for name, value in forbidden.items():
            if value in page.text:
                found.append(f"{setting.name}: {page.where}: {name} {value!r}")
        markers = []
        if page.answering:
            markers += [m for m in ANSWERING_MARKERS if m in page.text.lower()]
        if page.review and not page.key:
            markers += [m for m in REVIEW_KEY_MARKERS if m in page.text]
        found += [f"{setting.name}: {page.where}: marker {m!r}" for m in markers]
    return found


def review_gaps(setting: Setting, pages: list[Page]) -> list[str]:
    """
    The positive controls: the crawl reached the reviews, saw what the policy shows, and saw
    the key where the policy allows it. Return what is missing.
    """
    missing = []
    language = setting.language
    reviews = [p for p in pages if p.review]
    if not reviews:
        return [f"{setting.name}: no review was crawled"]
    for page in reviews:
        percent = PERCENT[page.pattern]
        if f"{percent}%" not in page.body:
            missing.append(f"{setting.name}: {page.where}: the score {percent}%")
        if setting.policy == "score":
            continue
        for kind in QUESTION_TEXT:
            if question_text(kind, language) not in page.body:
                missing.append(f"{setting.name}: {page.where}: question {kind}")
        if ("部分答对" if language == "zh" else "Partly right") not in page.body:
            missing.append(f"{setting.name}: {page.where}: the partly right answer")
    keyed = [p for p in reviews if p.key]
    expected = setting.policy == "full" and setting.situation != "failed_retakes_left"
    if expected and not keyed:
        missing.append(f"{setting.name}: no review with the key was crawled")
    for page in keyed:
        shown = {
            **{f"explanation ({k})": explanation(k, language) for k in QUESTION_TEXT},
            "numeric key": "7319.25 ± 0.0731",
            **hidden_key_texts(page.pattern, language),
        }
        missing += [
            f"{setting.name}: {page.where}: {name}"
            for name, value in shown.items()
            if value not in page.body
        ]
    return missing


CASES = [
    pytest.param(kind, policy, id=f"{kind}-{policy}")
    for kind in ("course", "track")
    for policy in POLICIES
]


@pytest.mark.parametrize(("exam_kind", "policy"), CASES)
def test_no_planted_secret_reaches_a_learner_before_the_review_policy_allows_it(exam_kind, policy):
    built = build(exam_kind, policy)
    found, missing = [], []
    for situation, run in RUN.items():
        setting = learner_in(built, situation)
        crawl = Crawl(setting)
        around(crawl, "before the exam")
        run(crawl)
        found += leaks(setting, crawl.pages)
        missing += review_gaps(setting, crawl.pages)

    assert not found, "Secrets where the review policy does not allow them:\n" + "\n".join(found)
    assert not missing, "The crawl did not see what the review shows:\n" + "\n".join(missing)
