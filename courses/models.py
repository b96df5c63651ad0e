"""
The training catalog (Wagtail pages: home, tracks, courses, lessons) and each person's place in
it (enrolments, lesson completions, course progress, reminders sent).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.i18n import reads_english
from network.models import Ownership, Role

from .blocks import LessonBodyBlock


class BilingualMixin:
    """Pages written in Chinese with optional English fields, shown by the reader's language."""

    def localized(self, field: str):
        english = getattr(self, f"{field}_en", None)
        if reads_english() and english:
            return english
        return getattr(self, field)

    @property
    def display_title(self) -> str:
        return self.localized("title")


class HomePage(BilingualMixin, Page):
    """The training home and catalog: the site's root page, where every person starts."""

    title_en = models.CharField(_("English title"), max_length=255, blank=True)
    intro = RichTextField(_("introduction"), blank=True)
    intro_en = RichTextField(_("introduction (English)"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldPanel("intro"),
        FieldPanel("intro_en"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.TrackPage", "courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("training home")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").strip()[:100]
        context["query"] = query
        context["staff"] = selectors.viewer_staff(user=request.user)
        if request.user.is_authenticated:
            context["catalog"] = selectors.catalog_for(user=request.user, query=query)
        return context


class TrackPage(BilingualMixin, Page):
    """
    A role-specific path: the courses a role must complete, by a deadline, to earn the track's
    certificate.
    """

    title_en = models.CharField(_("English title"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    onboarding_days = models.PositiveSmallIntegerField(
        _("onboarding deadline (days)"),
        default=30,
        help_text=_(
            "Days to complete the track, counted from hire, from taking up the role, or from "
            "the track's first publication, whichever is latest."
        ),
    )
    certificate_name = models.CharField(_("certificate"), max_length=200, blank=True)
    certificate_name_en = models.CharField(_("certificate (English)"), max_length=200, blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"), default=24
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldPanel("summary"),
        FieldPanel("summary_en"),
        InlinePanel("targets", heading=_("Who must take it"), label=_("Target"), min_num=1),
        InlinePanel("track_courses", heading=_("Required courses, in order"), label=_("Course")),
        MultiFieldPanel(
            [
                FieldPanel("onboarding_days"),
                FieldRowPanel([FieldPanel("certificate_name"), FieldPanel("certificate_name_en")]),
                FieldPanel("validity_months"),
            ],
            heading=_("Deadline and certification"),
        ),
        InlinePanel(
            "refresher_courses",
            heading=_("Recertification: refresher courses, in order"),
            label=_("Refresher course"),
            help_text=_(
                "A holder is enrolled in these courses and the track's recertification exam 60 "
                "days before their certificate expires; passing them renews the certificate. "
                "Use short courses of their own: a course counts only when completed after the "
                "renewal window opened. Without refresher courses and without a recertification "
                "exam the track has no recertification path."
            ),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("title_en"),
        index.SearchField("summary"),
        index.SearchField("summary_en"),
    ]
    parent_page_types = ["courses.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.track_outline(track=self, user=request.user))
        return context


class TrackTarget(Orderable):
    """One group of people a track is for: a role, optionally only at one kind of outlet."""

    track = ParentalKey(TrackPage, on_delete=models.CASCADE, related_name="targets")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    ownership = models.CharField(
        _("only at"),
        max_length=10,
        choices=Ownership.choices,
        blank=True,
        help_text=_("Leave empty for every outlet; choose partner outlets for partner staff."),
    )

    panels = [FieldRowPanel([FieldPanel("role"), FieldPanel("ownership")])]

    class Meta(Orderable.Meta):
        verbose_name = _("target")
        constraints = [
            models.UniqueConstraint(
                fields=["track", "role", "ownership"], name="track_target_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.get_ownership_display()}".strip()


class TrackCourse(Orderable):
    track = ParentalKey(TrackPage, on_delete=models.CASCADE, related_name="track_courses")
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("course")]

    class Meta(Orderable.Meta):
        verbose_name = _("required course")
        constraints = [
            models.UniqueConstraint(fields=["track", "course"], name="track_course_unique")
        ]


class TrackRefresherCourse(Orderable):
    """
    One course of a track's recertification path: the shorter refresher a certificate holder
    takes, with the track's recertification exam, to renew their certificate.
    """

    track = ParentalKey(TrackPage, on_delete=models.CASCADE, related_name="refresher_courses")
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("course")]

    class Meta(Orderable.Meta):
        verbose_name = _("refresher course")
        constraints = [
            models.UniqueConstraint(fields=["track", "course"], name="track_refresher_unique")
        ]


class CoursePage(BilingualMixin, Page):
    title_en = models.CharField(_("English title"), max_length=255, blank=True)
    summary = models.TextField(_("summary"))
    summary_en = models.TextField(_("summary (English)"), blank=True)
    objectives = RichTextField(_("objectives"), blank=True, features=["bold", "ul", "ol"])
    objectives_en = RichTextField(
        _("objectives (English)"), blank=True, features=["bold", "ul", "ol"]
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated duration (minutes)"))
    prerequisites = ParentalManyToManyField(
        "self",
        verbose_name=_("prerequisites"),
        symmetrical=False,
        blank=True,
        related_name="required_by",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldPanel("summary"),
        FieldPanel("summary_en"),
        FieldPanel("objectives"),
        FieldPanel("objectives_en"),
        FieldPanel("estimated_minutes"),
        FieldPanel("prerequisites"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("title_en"),
        index.SearchField("summary"),
        index.SearchField("summary_en"),
    ]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{settings.LOGIN_URL}?next={request.path}")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.course_outline(course=self, user=request.user))
        return context


class LessonPage(BilingualMixin, Page):
    title_en = models.CharField(_("English title"), max_length=255, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated duration (minutes)"), default=10
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))
    body_en = StreamField(LessonBodyBlock(), verbose_name=_("body (English)"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
        FieldPanel("body_en"),
    ]
    # Lesson bodies are for enrolled people only: keep them out of the search index.
    search_fields = [*Page.search_fields, index.SearchField("title_en")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def serve(self, request, *args, **kwargs):
        from . import selectors, services

        if not request.user.is_authenticated:
            return redirect(f"{settings.LOGIN_URL}?next={request.path}")
        course = self.get_parent().specific
        access = selectors.lesson_access(user=request.user, course=course)
        if access is None:
            raise Http404
        if access.staff is not None and request.method == "GET":
            services.lesson_visit(staff=access.staff, lesson=self, course=course)
        request.lesson_course = course
        request.lesson_access = access
        return super().serve(request, *args, **kwargs)

    def serve_preview(self, request, *args, **kwargs):
        from . import selectors

        # The admin's preview and "view draft" render the lesson without serve(): as an editor
        # reads it, with nobody's progress recorded or offered.
        request.lesson_course = self.get_parent().specific
        request.lesson_access = selectors.LessonAccess(staff=None, enrolled=False)
        return super().serve_preview(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(
            selectors.lesson_context(
                lesson=self, course=request.lesson_course, access=request.lesson_access
            )
        )
        return context


class EnrollmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Enrollment.Status.ACTIVE)

    def visible_to(self, user):
        """Enrolments of the people `user` may see (scope comes from the network)."""
        from network.models import Staff

        return self.filter(staff__in=Staff.objects.visible_to(user))


class Enrollment(models.Model):
    """A person's assignment to a track, by rule or by hand, with its deadline."""

    class Source(models.TextChoices):
        RULE = "rule", _("Role rule")
        MANUAL = "manual", _("Assigned by hand")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    staff = models.ForeignKey(
        "network.Staff",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    track = models.ForeignKey(
        TrackPage, verbose_name=_("track"), on_delete=models.PROTECT, related_name="enrollments"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    starts_on = models.DateField(_("onboarding clock starts"))
    due_on = models.DateField(_("due"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "track"],
                condition=Q(status="active"),
                name="enrollment_one_active_per_staff_track",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("starts_on")), name="enrollment_due_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status="active", withdrawn_at__isnull=True)
                | Q(status="withdrawn", withdrawn_at__isnull=False),
                name="enrollment_withdrawn_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="enrollment_status_due_idx")]

    def __str__(self):
        return f"{self.staff_id} → {self.track_id} ({self.status})"


class LessonCompletion(models.Model):
    """A lesson a person finished, with the revision of the lesson they read."""

    staff = models.ForeignKey(
        "network.Staff", on_delete=models.PROTECT, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.PROTECT, related_name="completions")
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.PROTECT, related_name="+", null=True
    )
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lesson completion")
        constraints = [
            models.UniqueConstraint(fields=["staff", "lesson"], name="lesson_completion_once")
        ]

    def __str__(self):
        return f"{self.staff_id} finished lesson {self.lesson_id}"


class CourseProgress(models.Model):
    """Where a person is in a course: the last lesson opened, and when they completed it."""

    staff = models.ForeignKey(
        "network.Staff", on_delete=models.PROTECT, related_name="course_progress"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="progress")
    last_lesson = models.ForeignKey(
        LessonPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The course revision that was live when the person completed it."),
    )

    class Meta:
        verbose_name = _("course progress")
        constraints = [
            models.UniqueConstraint(fields=["staff", "course"], name="course_progress_once")
        ]

    def __str__(self):
        return f"{self.staff_id} in course {self.course_id}"


class ReminderSent(models.Model):
    """One onboarding reminder e-mail; the constraint makes sure it goes out only once."""

    class Milestone(models.TextChoices):
        DUE_SOON = "due_soon", _("Due in 7 days")
        OVERDUE = "overdue", _("Overdue")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="reminders")
    milestone = models.CharField(max_length=10, choices=Milestone.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "milestone"], name="reminder_once_per_milestone"
            )
        ]

    def __str__(self):
        return f"{self.milestone} reminder for enrolment {self.enrollment_id}"
