"""Question banks in the Wagtail admin: who may write them, the question rules, versions, import."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from assessments.models import Attempt, AttemptItem, Question, QuestionCategory, QuestionVersion
from assessments.services.questions import question_version_current
from network.services import staff_assignment_sync
from tests.factories import assessments as factories
from tests.factories.courses import course_page
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_assessments_question:list"
ADD = "wagtailsnippets_assessments_question:add"
EDIT = "wagtailsnippets_assessments_question:edit"
GIFT = "$CATEGORY: 三包政策/手机\n\n::退货::手机性能故障几日内可退货？{=7日 ~15日 ~30日}\n"


def _admin_user(role, *, senior=False):
    staff = StaffFactory(role=role, outlet=None)
    staff_assignment_sync(staff=staff)  # puts them in their role's admin group
    if senior:
        staff.user.groups.add(Group.objects.get(name="Senior trainers"))
    return staff.user


@pytest.fixture
def trainer_client(client):
    client.force_login(_admin_user("trainer"))
    return client


@pytest.fixture
def auditor_client(client, auditor):
    staff_assignment_sync(staff=auditor)
    client.force_login(auditor.user)
    return client


@pytest.fixture
def bank():
    return factories.category("三包政策")


def _question_form(bank, *, options, kind="single", text="三包有效期从哪天起算？", **fields):
    data = {
        "category": str(bank.pk),
        "kind": kind,
        "difficulty": "2",
        "text": text,
        "text_en": "From which day does the warranty period start?",
        "options": inline_formset(
            [
                {"text": t, "text_en": "", "is_correct": "on" if right else ""}
                for t, right in options
            ]
        ),
        "true_false_answer": "unknown",
        "numeric_answer": "",
        "numeric_tolerance": "0",
        "points": "1",
        "partial_credit": "all_or_nothing",
        "explanation": "以发票日期为准。",
        "explanation_en": "",
        "tags": "三包, 前台接待",
        "is_active": "on",
    }
    data.update(fields)
    return nested_form_data(data)


def test_trainer_opens_the_question_list_filtered_by_tag(trainer_client, bank):
    tagged = factories.question(category=bank, text="三包凭证要保存吗？")
    tagged.tags.add("三包")
    tagged.save()
    factories.question(category=bank, text="工单怎么填？")

    response = trainer_client.get(reverse(LIST), {"tags": [tagged.tags.get().pk]})

    assert response.status_code == 200
    page = response.content.decode()
    assert "三包凭证要保存吗？" in page
    assert "工单怎么填？" not in page


@pytest.mark.parametrize("senior", [False, True])
def test_trainer_creates_a_question_with_its_options_and_first_version(client, bank, senior):
    user = _admin_user("trainer", senior=senior)
    client.force_login(user)
    options = [("开具发票之日", True), ("顾客取机之日", False), ("维修完成之日", False)]

    response = client.post(reverse(ADD), _question_form(bank, options=options))

    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.category, question.kind) == (bank, "single")
    assert question.text == "三包有效期从哪天起算？"
    assert [(o.text, o.is_correct) for o in question.options.all()] == options
    assert sorted(question.tags.names()) == ["三包", "前台接待"]
    version = question.versions.get()
    assert (version.number, version.created_by) == (1, user)
    assert [o["text"] for o in version.data["options"]] == [t for t, _ in options]


@pytest.mark.parametrize(
    ("kind", "options", "fields", "message"),
    [
        ("single", [("7日", True), ("15日", True)], {},
         "A single choice question needs exactly one correct option (2 marked correct)."),
        ("single", [("7日", True)], {}, "A single choice question needs at least two options."),
        ("multiple", [("包修", False), ("包换", False)], {},
         "A multiple choice question needs at least one correct option."),
        ("ordering", [("登记", False)], {},
         "An ordering question needs at least two options to put in order."),
        ("true_false", [], {}, "Say whether the statement is true or false."),
        ("true_false", [("对", True)], {"true_false_answer": "true"},
         "A true or false question has no options."),
        ("numeric", [], {}, "A numeric question needs its numeric answer."),
    ],
)  # fmt: skip
def test_question_breaking_its_kinds_rules_is_refused_with_the_message(
    trainer_client, bank, kind, options, fields, message
):
    response = trainer_client.post(
        reverse(ADD), _question_form(bank, kind=kind, options=options, **fields)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()
    assert not QuestionVersion.objects.exists()


def test_editing_an_answered_question_makes_version_two_and_keeps_version_one(trainer_client, bank):
    question = factories.question(category=bank, text="三包有效期从哪天起算？")
    first = question_version_current(question=question)
    learner = StaffFactory()
    exam = factories.assessment(course=course_page(lessons=0), rules=[(bank, 1)])
    now = timezone.now()
    attempt = Attempt.objects.create(
        staff=learner,
        assessment=exam,
        number=1,
        started_at=now,
        deadline=now + datetime.timedelta(minutes=30),
    )
    right = next(o["key"] for o in first.data["options"] if o["correct"])
    AttemptItem.objects.create(
        attempt=attempt, position=1, version=first, response=right, max_score=1
    )
    options = [(o.text, o.is_correct) for o in question.options.all()]
    form = _question_form(bank, options=options, text="三包有效期从哪一天开始计算？")
    for index, option in enumerate(question.options.all()):
        form[f"options-{index}-id"] = str(option.pk)
    form["options-INITIAL_FORMS"] = str(len(options))

    response = trainer_client.post(reverse(EDIT, args=[question.pk]), form)

    assert response.status_code == 302
    assert list(question.versions.values_list("number", flat=True)) == [1, 2]
    first.refresh_from_db()
    assert first.data["text"] == "三包有效期从哪天起算？"
    assert question.versions.get(number=2).data["text"] == "三包有效期从哪一天开始计算？"
    assert AttemptItem.objects.get().version == first


def test_outlet_manager_cannot_reach_the_question_banks(client, manager):
    client.force_login(manager.user)
    for url in (reverse(LIST), reverse("assessments_bank_import")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_auditor_views_questions_but_cannot_add_or_import(auditor_client, bank):
    factories.question(category=bank, text="三包凭证要保存吗？")

    assert auditor_client.get(reverse(LIST)).status_code == 200
    for url in (reverse(ADD), reverse("assessments_bank_import")):
        response = auditor_client.get(url)
        # Wagtail turns a refused admin view into a redirect to the dashboard with a message.
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    response = auditor_client.post(reverse(ADD), _question_form(bank, options=[("a", True)]))
    assert response.status_code == 302
    assert Question.objects.count() == 1


def test_trainer_checks_then_imports_a_bank_file(trainer_client):
    upload = SimpleUploadedFile("bank.gift", GIFT.encode())
    checked = trainer_client.post(reverse("assessments_bank_import"), {"file": upload})

    page = checked.content.decode()
    assert "1 questions: 1 new, 0 changed, 0 unchanged; 2 new categories." in page
    assert "Import now" in page
    assert not Question.objects.exists()

    digest = trainer_client.session["assessments_bank_upload"]["digest"]
    imported = trainer_client.post(reverse("assessments_bank_import"), {"digest": digest})

    assert imported.status_code == 302
    assert imported["Location"] == reverse(LIST)
    question = Question.objects.get()
    assert (question.text, question.category.name) == ("手机性能故障几日内可退货？", "手机")
    assert question.versions.count() == 1
    assert "assessments_bank_upload" not in trainer_client.session


def test_unsupported_questions_are_listed_and_the_rest_imports(trainer_client):
    content = GIFT + "\n::论述::谈谈三包。{}\n\n::说明::以下题目关于三包。\n"
    upload = SimpleUploadedFile("bank.txt", content.encode())
    response = trainer_client.post(reverse("assessments_bank_import"), {"file": upload})

    page = response.content.decode()
    assert 'data-skipped="2"' in page
    assert "Essay questions ({}) are not imported: an essay needs a trainer" in page
    assert "is a description, not imported: a description is text without a question" in page
    assert "Import now" in page
    digest = trainer_client.session["assessments_bank_upload"]["digest"]
    response = trainer_client.post(reverse("assessments_bank_import"), {"digest": digest})
    assert response.status_code == 302
    assert Question.objects.count() == 1


def test_all_or_nothing_refuses_a_file_with_unsupported_questions(trainer_client):
    content = GIFT + "\n::论述::谈谈三包。{}\n\n::说明::以下题目关于三包。\n"
    upload = SimpleUploadedFile("bank.txt", content.encode())
    response = trainer_client.post(
        reverse("assessments_bank_import"), {"file": upload, "strict": "on"}
    )

    page = response.content.decode()
    assert "2 problems: nothing was imported" in page
    assert "Import now" not in page
    assert "assessments_bank_upload" not in trainer_client.session
    assert not QuestionCategory.objects.exists()


def test_a_file_without_categories_imports_into_the_category_named_on_the_page(trainer_client):
    content = "::退货::七日内可以退货吗？{T}\n\n::换货::十五日内可以换货吗？{T}\n"
    upload = SimpleUploadedFile("bank.gift", content.encode())
    trainer_client.post(
        reverse("assessments_bank_import"), {"file": upload, "category": "三包政策/退换货"}
    )
    digest = trainer_client.session["assessments_bank_upload"]["digest"]
    trainer_client.post(reverse("assessments_bank_import"), {"digest": digest})

    child = QuestionCategory.objects.get(name="退换货")
    assert child.parent.name == "三包政策"
    assert Question.objects.filter(category=child).count() == 2


def test_confirming_without_a_current_check_imports_nothing(trainer_client):
    trainer_client.post(
        reverse("assessments_bank_import"),
        {"file": SimpleUploadedFile("bank.gift", GIFT.encode())},
    )
    response = trainer_client.post(reverse("assessments_bank_import"), {"digest": "0" * 64})
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments_bank_import")
    assert not Question.objects.exists()


def test_upload_of_another_file_type_is_refused_with_a_message(trainer_client):
    upload = SimpleUploadedFile("bank.docx", b"PK")
    response = trainer_client.post(reverse("assessments_bank_import"), {"file": upload})
    assert "Unsupported file type: upload .xlsx" in response.content.decode()
    assert "assessments_bank_upload" not in trainer_client.session


def test_export_button_downloads_the_category_as_xlsx(auditor_client, bank):
    factories.question(category=bank, text="三包有效期从哪天起算？")
    listing = auditor_client.get(reverse("wagtailsnippets_assessments_questioncategory:list"))
    url = reverse("assessments_bank_export", args=[bank.pk])
    assert url in listing.content.decode()

    response = auditor_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook["questions"].iter_rows(values_only=True))
    assert rows[1][:4] == ("三包政策", "single", 2, "三包有效期从哪天起算？")


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(LIST)).status_code == 200
    return len(queries)


def test_question_list_runs_the_same_queries_for_1_and_20_questions(trainer_client, bank):
    question = factories.question(category=factories.category("手机", parent=bank))
    question_version_current(question=question)
    one = _list_queries(trainer_client)
    for _ in range(19):
        question_version_current(question=factories.question(category=bank))
    assert _list_queries(trainer_client) == one == 14


@pytest.mark.parametrize(
    "name",
    [
        "wagtailsnippets_assessments_questioncategory:list",
        "wagtailsnippets_assessments_questioncategory:add",
        "wagtailsnippets_assessments_question:add",
        "wagtailsnippets_assessments_assessment:list",
        "wagtailsnippets_assessments_assessment:add",
        "wagtailsnippets_assessments_practicalchecklist:list",
        "wagtailsnippets_assessments_practicalchecklist:add",
        "assessments_bank_import",
    ],
)
def test_trainer_opens_every_bank_page(trainer_client, bank, name):
    assert trainer_client.get(reverse(name)).status_code == 200


def test_menu_offers_the_import_to_trainers_only(trainer_client, auditor):
    page = trainer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Question banks" in page
    assert "Import questions" in page

    staff_assignment_sync(staff=auditor)
    trainer_client.force_login(auditor.user)
    page = trainer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Question banks" in page
    assert "Import questions" not in page


def test_auditor_inspects_a_question(auditor_client, bank):
    question = factories.question(category=bank, text="三包凭证要保存吗？")
    url = reverse("wagtailsnippets_assessments_question:inspect", args=[question.pk])
    response = auditor_client.get(url)
    assert response.status_code == 200
    assert "三包凭证要保存吗？" in response.content.decode()
