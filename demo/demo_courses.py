"""
The demo training catalog: five role tracks and their courses and lessons under the training
home, in Chinese and English, with diagrams and printable forms; the demo people enrolled by the
role rules, some of them part-way through; and the `seniortrainer` sign-in.

`seed_courses()` creates only what is missing, looking pages up by slug under their parent and
images and documents by title, so a second run writes nothing. Pages someone has since edited,
unpublished or moved are left as they are.
"""

import dataclasses
import datetime
import hashlib
import io
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from courses.blocks import stream_merge
from courses.models import (
    CoursePage,
    HomePage,
    LessonCompletion,
    LessonPage,
    TrackCourse,
    TrackPage,
    TrackTarget,
)
from courses.services import enrollment_sync, lesson_complete
from network.imports import ImportReport
from network.models import ImportBatch, Role, Staff
from network.services import staff_import

from . import demo_content as content
from . import demo_media as media
from .demo_network import BRAND_EMAIL_DOMAIN, DEMO_PASSWORD, DemoDataRefused

# The trainer who reviews and publishes what the other trainers write.
SENIOR_TRAINER_USERNAME = "seniortrainer"
SENIOR_TRAINERS_GROUP = "Senior trainers"
# A row as `staff_rows_check` returns it; brand employee numbers BR10001... are the generated
# trainers and auditors, so this one stands apart from them.
SENIOR_TRAINER_ROW = {
    "row": 2,
    "employee_number": "BR10199",
    "name": "孙立群",
    "role": Role.TRAINER.value,
    "outlet_code": None,
    "partner_company_code": None,
    "hire_date": datetime.date(2016, 4, 18),
    "email": f"br10199@{BRAND_EMAIL_DOMAIN}",
    "phone": "13907316285",
    "username": SENIOR_TRAINER_USERNAME,
    "is_active": True,
}
# The demo trainer wrote the demo pages and the senior trainer published them, as the review
# workflow has it.
AUTHOR_USERNAME = "trainer"

# (username, track slug, how many of the track's lessons, in track order, they have finished):
# the technician has finished the first course of their onboarding and started the second; the
# front desk sign-in has finished the first course of theirs.
DEMO_PROGRESS = (
    ("technician", "technician-onboarding", len(content.INTAKE_DIAGNOSIS.lessons) + 1),
    ("frontdesk", "front-desk-onboarding", len(content.SERVICE_ETIQUETTE.lessons)),
)

# What ImageBlock stores for "no image"; a bare None breaks its bulk conversion of a list of
# steps in which other steps have images.
_NO_IMAGE = {"image": None, "alt_text": None, "decorative": None}
# Block ids derive from the page and position, so the same content always has the same ids.
_BLOCK_IDS = uuid.UUID("5d3c1f0e-2026-4c8b-9a51-7d0b3e6f2a10")


@dataclasses.dataclass
class CoursesSeedResult:
    """What one run of `seed_courses()` found and wrote."""

    tracks: int = 0
    courses: int = 0
    lessons: int = 0
    pages_created: int = 0
    images_created: int = 0
    documents_created: int = 0
    enrolled: int = 0
    withdrawn: int = 0
    completions_created: int = 0
    senior_trainer_created: bool = False
    senior_trainer_password_set: bool = False
    # (username, track title, lessons done) for each sign-in given progress
    progress: list[tuple[str, str, int]] = dataclasses.field(default_factory=list)


def seed_courses() -> CoursesSeedResult:
    """
    Write the demo catalog, enrol the demo people and give two of them progress, in one
    transaction. Run after `seed_network()`: the enrolments and progress need its people.
    """
    if not settings.DEMO_DATA_ALLOWED:
        raise DemoDataRefused(
            "Demo data is not allowed with these settings (DEMO_DATA_ALLOWED is False); "
            "nothing was written."
        )
    result = CoursesSeedResult()
    with transaction.atomic():
        home = HomePage.objects.first()
        if home is None:
            raise DemoDataRefused(
                "There is no training home page; the training catalog was not written."
            )
        _senior_trainer_write(result)
        users = get_user_model().objects.filter(
            username__in=[AUTHOR_USERNAME, SENIOR_TRAINER_USERNAME]
        )
        users = {u.username: u for u in users}
        writer = _PageWriter(
            home=home,
            author=users.get(AUTHOR_USERNAME),
            publisher=users[SENIOR_TRAINER_USERNAME],
            result=result,
        )
        # Each page is saved three times on its way to publication; index its references
        # (lessons to images and documents, tracks to courses) once, at the end.
        with disable_reference_index_auto_update():
            courses = writer.courses()
            tracks = writer.tracks(courses)
        for page in writer.created:
            ReferenceIndex.create_or_update_for_object(page)
        result.enrolled, result.withdrawn = enrollment_sync()
        _progress_write(tracks, result)
    return result


def _senior_trainer_write(result: CoursesSeedResult) -> None:
    User = get_user_model()
    row = SENIOR_TRAINER_ROW
    known = Staff.objects.filter(employee_number=row["employee_number"]).exists()
    if not known and User.objects.filter(username=row["username"]).exists():
        raise DemoDataRefused(
            f"The username {row['username']} already belongs to another account. "
            "Rename or delete that account; the training catalog was not written."
        )
    report = ImportReport(kind=ImportBatch.Kind.STAFF, total_rows=1)
    staff_import(rows=[row], report=report, actor=None)
    result.senior_trainer_created = report.created == 1
    user = User.objects.get(staff__employee_number=row["employee_number"])
    group, _ = Group.objects.get_or_create(name=SENIOR_TRAINERS_GROUP)
    if not user.groups.filter(pk=group.pk).exists():
        user.groups.add(group)
    # Hashing is slow on purpose; check first so that a second run hashes and writes nothing.
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        result.senior_trainer_password_set = True


class _PageWriter:
    def __init__(self, *, home, author, publisher, result: CoursesSeedResult):
        self.home = home
        self.author = author
        self.publisher = publisher
        self.result = result
        self.images: dict = {}
        self.documents: dict = {}
        self.created: list = []

    def _publish(self, parent, page):
        page.owner = self.author
        parent.add_child(instance=page)
        # The seed publishes what it wrote directly, without the review workflow, whatever
        # page permissions the groups have been given.
        page.save_revision(user=self.author).publish(
            user=self.publisher, skip_permission_checks=True
        )
        self.result.pages_created += 1
        self.created.append(page)
        return page

    def _existing(self, parent, model) -> dict:
        pages = {}
        for page in parent.get_children().specific():
            if not isinstance(page, model):
                continue
            pages[page.slug] = page
        return pages

    def _refuse_taken_slug(self, parent, slug, model) -> None:
        taken = parent.get_children().filter(slug=slug).first()
        if taken is not None:
            raise DemoDataRefused(
                f"The slug {slug} under {parent.title} belongs to a page that is not a "
                f"{model._meta.verbose_name}; the training catalog was not written."
            )

    def courses(self) -> dict[str, CoursePage]:
        existing = self._existing(self.home, CoursePage)
        pages = {}
        for spec in content.COURSES:
            course = existing.get(spec.slug)
            if course is None:
                self._refuse_taken_slug(self.home, spec.slug, CoursePage)
                course = CoursePage(
                    title=spec.title,
                    title_en=spec.title_en,
                    slug=spec.slug,
                    summary=spec.summary,
                    summary_en=spec.summary_en,
                    objectives=spec.objectives,
                    objectives_en=spec.objectives_en,
                    estimated_minutes=spec.minutes,
                )
                course.prerequisites = [pages[slug] for slug in spec.prerequisites]
                self._publish(self.home, course)
            pages[spec.slug] = course
            self._lessons(course, spec)
        self.result.courses = len(pages)
        return pages

    def _lessons(self, course: CoursePage, spec: content.Course) -> None:
        existing = self._existing(course, LessonPage)
        for lesson in spec.lessons:
            self.result.lessons += 1
            if lesson.slug in existing:
                continue
            self._refuse_taken_slug(course, lesson.slug, LessonPage)
            key = f"{spec.slug}/{lesson.slug}"
            # The JSON files keep the two languages as two lists; each block of the lesson
            # holds both (courses/blocks.py).
            body = stream_merge(
                self._stream(lesson.body, key=f"{key}/zh", english=False),
                self._stream(lesson.body_en, key=f"{key}/en", english=True),
            )
            if body is None:
                raise ValueError(f"The English of lesson {key} does not pair with its blocks")
            self._publish(
                course,
                LessonPage(
                    title=lesson.title,
                    title_en=lesson.title_en,
                    slug=lesson.slug,
                    estimated_minutes=lesson.minutes,
                    body=body,
                ),
            )

    def tracks(self, courses: dict[str, CoursePage]) -> dict[str, TrackPage]:
        existing = self._existing(self.home, TrackPage)
        pages = {}
        for spec in content.TRACKS:
            track = existing.get(spec.slug)
            if track is None:
                self._refuse_taken_slug(self.home, spec.slug, TrackPage)
                track = TrackPage(
                    title=spec.title,
                    title_en=spec.title_en,
                    slug=spec.slug,
                    summary=spec.summary,
                    summary_en=spec.summary_en,
                    onboarding_days=spec.onboarding_days,
                    certificate_name=spec.certificate_name,
                    certificate_name_en=spec.certificate_name_en,
                    validity_months=spec.validity_months,
                )
                for role, ownership in spec.targets:
                    track.targets.add(TrackTarget(role=role, ownership=ownership))
                for order, slug in enumerate(spec.courses):
                    track.track_courses.add(TrackCourse(course=courses[slug], sort_order=order))
                self._publish(self.home, track)
            pages[spec.slug] = track
        self.result.tracks = len(pages)
        return pages

    # StreamField values, written in the JSON form Wagtail stores.

    def _stream(self, blocks, *, key: str, english: bool) -> list[dict]:
        stream = []
        for index, block in enumerate(blocks):
            kind, value = self._block(block, key=f"{key}/{index}", english=english)
            stream.append({"type": kind, "value": value, "id": _block_id(f"{key}/{index}")})
        return stream

    def _block(self, block, *, key: str, english: bool) -> tuple[str, object]:
        if isinstance(block, content.Text):
            return "text", block.html
        if isinstance(block, content.Picture):
            return "image", self._image_value(block.image, english=english)
        if isinstance(block, content.Procedure):
            steps = [
                {
                    "type": "item",
                    "id": _block_id(f"{key}/step/{number}"),
                    "value": {
                        "instruction": step.instruction,
                        "warning": step.warning,
                        "image": self._image_value(step.image, english=english)
                        if step.image
                        else _NO_IMAGE,
                    },
                }
                for number, step in enumerate(block.steps, start=1)
            ]
            return "procedure", {"title": block.title, "steps": steps}
        if isinstance(block, content.Clause):
            return "policy_clause", {
                "clause": block.clause,
                "source": block.source,
                "effective_date": block.effective.isoformat(),
                "note": block.note,
            }
        if isinstance(block, content.Download):
            document = self._document(block.document)
            return "download", {"document": document.pk, "description": block.description}
        raise TypeError(f"No lesson block for {block!r}")

    def _image_value(self, key: str, *, english: bool) -> dict:
        picture = media.PICTURES[key]
        return {
            "image": self._image(key).pk,
            "decorative": False,
            "alt_text": picture.alt_en if english else picture.alt,
        }

    def _image(self, key: str):
        if key not in self.images:
            picture = media.PICTURES[key]
            Image = get_image_model()
            image = Image.objects.filter(title=picture.title).order_by("pk").first()
            if image is None:
                data = picture.draw()
                image = Image(
                    title=picture.title,
                    file=ImageFile(io.BytesIO(data), name=f"demo-{key}.png"),
                    width=media.WIDTH,
                    height=media.HEIGHT,
                    file_size=len(data),
                    # Set now: Wagtail would otherwise compute and save it at the first render.
                    file_hash=hashlib.sha1(data).hexdigest(),  # noqa: S324 - Wagtail's own hash
                )
                image.save()
                self.result.images_created += 1
            self.images[key] = image
        return self.images[key]

    def _document(self, key: str):
        if key not in self.documents:
            printable = media.PRINTABLES[key]
            Document = get_document_model()
            document = Document.objects.filter(title=printable.title).order_by("pk").first()
            if document is None:
                data = printable.build()
                document = Document(
                    title=printable.title,
                    file=ContentFile(data, name=printable.filename),
                    file_size=len(data),
                    file_hash=hashlib.sha1(data).hexdigest(),  # noqa: S324 - Wagtail's own hash
                )
                document.save()
                self.result.documents_created += 1
            self.documents[key] = document
        return self.documents[key]


def _block_id(key: str) -> str:
    return str(uuid.uuid5(_BLOCK_IDS, key))


def _track_lessons(track: TrackPage) -> list[tuple[LessonPage, CoursePage]]:
    """Return the live lessons of `track` in the order a learner meets them."""
    lessons = []
    links = TrackCourse.objects.filter(track=track).select_related("course").order_by("sort_order")
    for link in links:
        course = link.course
        if not course.live:
            continue
        for lesson in LessonPage.objects.child_of(course).live().defer_streamfields():
            lessons.append((lesson, course))
    return lessons


def _progress_write(tracks: dict[str, TrackPage], result: CoursesSeedResult) -> None:
    people = {
        s.user.username: s
        for s in Staff.objects.select_related("user").filter(
            user__username__in=[username for username, _slug, _count in DEMO_PROGRESS],
            is_active=True,
        )
    }
    for username, slug, count in DEMO_PROGRESS:
        staff, track = people.get(username), tracks.get(slug)
        if staff is None or track is None:
            continue
        lessons = _track_lessons(track)[:count]
        done = set(
            LessonCompletion.objects.filter(
                staff=staff, lesson__in=[lesson for lesson, _course in lessons]
            ).values_list("lesson_id", flat=True)
        )
        for lesson, course in lessons:
            if lesson.pk not in done:
                lesson_complete(staff=staff, lesson=lesson, course=course)
                result.completions_created += 1
        result.progress.append((username, track.title, len(lessons)))
