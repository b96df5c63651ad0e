import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from courses.models import (
    CoursePage,
    CourseProgress,
    Enrollment,
    LessonCompletion,
    LessonPage,
    TrackPage,
)
from demo.demo_network import DEMO_PASSWORD
from network.models import Staff
from tests.demo.conftest import seed

pytestmark = pytest.mark.django_db

User = get_user_model()


def _counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "enrolments": Enrollment.objects.count(),
        "completions": LessonCompletion.objects.count(),
        "progress": CourseProgress.objects.count(),
        "staff": Staff.objects.count(),
    }


def test_second_seed_creates_no_pages_and_no_revisions():
    seed()
    before = _counts()

    output = seed()

    assert _counts() == before
    assert before["pages"] == 2 + 6 + 11 + 29  # the root, the home page and the catalog
    assert "0 pages created and published, 0 images and 0 documents created" in output
    assert "Progress (0 lessons completed now)" in output


def test_seed_adds_only_what_is_missing():
    seed()
    lesson = LessonPage.objects.get(slug="certificate-renewal")
    # The demo's certificate holders read it; their records go first, as they protect it.
    LessonCompletion.objects.filter(lesson=lesson).delete()
    CourseProgress.objects.filter(last_lesson=lesson).update(last_lesson=None)
    lesson.delete()
    before = _counts()

    output = seed()

    after = _counts()
    assert after["pages"] == before["pages"] + 1
    assert after["revisions"] == before["revisions"] + 1
    assert after["images"] == before["images"]
    assert "1 pages created and published" in output


def test_seed_is_refused_when_seniortrainer_belongs_to_another_account():
    User.objects.create_user("seniortrainer", "someone@example.com", "their-own-pass")

    with pytest.raises(CommandError, match="seniortrainer already belongs to another account"):
        seed()

    assert TrackPage.objects.count() == 0
    assert CoursePage.objects.count() == 0
    assert not Staff.objects.filter(employee_number="BR10199").exists()
    assert not User.objects.get(username="seniortrainer").check_password(DEMO_PASSWORD)
