"""
Question banks, exams and their attempts, practical sign-off, and every change of a grade.

Answer keys live here and in the frozen `QuestionVersion.data`, never in Wagtail page fields.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from core.storage import private_storage


class QuestionCategory(models.Model):
    """A bank of questions on one subject (e.g. 三包政策), optionally inside another."""

    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("parent"),
        FieldPanel("description"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="question_category_unique_name")
        ]

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey("assessments.Question", related_name="tagged_items")


class Question(ClusterableModel):
    """
    A question as trainers edit it. What a learner answers is a frozen `QuestionVersion`: once a
    version has been answered, editing the question makes a new version.
    """

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")
        ORDERING = "ordering", _("Ordering")
        NUMERIC = "numeric", _("Numeric")
        SHORT_ANSWER = "short_answer", _("Short answer")
        MATCHING = "matching", _("Matching")

    class PartialCredit(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
        PROPORTIONAL = "proportional", _("Each right choice counts, each wrong one takes away")

    class Difficulty(models.IntegerChoices):
        EASY = 1, _("Easy")
        MEDIUM = 2, _("Medium")
        HARD = 3, _("Hard")

    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    text = models.TextField(_("question"))
    text_en = models.TextField(_("question (English)"), blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    explanation_en = models.TextField(_("explanation (English)"), blank=True)
    # Moodle's combined feedback, shown in the review by the outcome, only where the key is.
    correct_feedback = models.TextField(_("feedback when right"), blank=True)
    correct_feedback_en = models.TextField(_("feedback when right (English)"), blank=True)
    partial_feedback = models.TextField(_("feedback when partly right"), blank=True)
    partial_feedback_en = models.TextField(_("feedback when partly right (English)"), blank=True)
    incorrect_feedback = models.TextField(_("feedback when wrong"), blank=True)
    incorrect_feedback_en = models.TextField(_("feedback when wrong (English)"), blank=True)
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    partial_credit = models.CharField(
        _("partial credit"),
        max_length=16,
        choices=PartialCredit.choices,
        default=PartialCredit.ALL_OR_NOTHING,
        help_text=_("For multiple choice questions."),
    )
    true_false_answer = models.BooleanField(_("the statement is true"), null=True, blank=True)
    numeric_answer = models.DecimalField(
        _("numeric answer"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    numeric_tolerance = models.DecimalField(
        _("tolerance (±)"),
        max_digits=14,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0)],
    )
    # Moodle's further answers of a numeric question, each with its grade, as plain data (read
    # and checked by assessments.bank_formats.numeric_answers_parse): kept on the question row
    # so an attempt's draw reads no other table.
    numeric_answers = models.JSONField(
        _("further numeric answers"),
        default=list,
        blank=True,
        help_text=_(
            "For numeric questions: other accepted answers, each with its grade, as "
            '[{"value": "3.1", "tolerance": "0.1", "fraction": "0.5", "feedback": "…"}]. The '
            "answer above earns full points; the best grade of every answer that matches counts."
        ),
    )
    case_sensitive = models.BooleanField(
        _("letter case matters"),
        default=False,
        help_text=_("For short answer questions: whether “ABC” and “abc” are different answers."),
    )
    tags = ClusterTaggableManager(through=QuestionTag, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    source_ref = models.CharField(
        _("source reference"),
        max_length=120,
        blank=True,
        help_text=_("Identifier in the file it was imported from, so re-imports update it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["category", "difficulty", "is_active"], name="q_draw_idx")]

    def __str__(self):
        return self.text[:80]


class QuestionOption(Orderable):
    """
    An option of a choice or ordering question; for a short answer question, an accepted answer
    (`*` matches any characters, as in Moodle); for a matching question, one pair: the item
    (`text`, blank for an extra wrong answer) and the answer it matches (`match_text`).
    """

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("option"), max_length=500, blank=True)
    text_en = models.CharField(_("option (English)"), max_length=500, blank=True)
    match_text = models.CharField(
        _("matching answer"),
        max_length=500,
        blank=True,
        help_text=_("For matching questions: the answer this item matches."),
    )
    match_text_en = models.CharField(_("matching answer (English)"), max_length=500, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)
    # Moodle's answer weight, kept as Moodle writes it in its XML (1 is 100%, -0.5 is -50%).
    fraction = models.DecimalField(
        _("grade (fraction)"),
        max_digits=8,
        decimal_places=7,
        null=True,
        blank=True,
        validators=[MinValueValidator(-1), MaxValueValidator(1)],
        help_text=_(
            "Moodle's grade of this option, from -1 to 1 (0.5 is 50%). When any option has one, "
            "the question is scored as Moodle scores it: a single choice earns the chosen "
            "option's grade, a multiple choice the sum of the chosen grades, kept between 0 and "
            "1. Leave every option blank to score by the correct flags."
        ),
    )

    feedback = models.TextField(_("feedback"), blank=True)
    feedback_en = models.TextField(_("feedback (English)"), blank=True)

    panels = [
        FieldPanel("text"),
        FieldPanel("text_en"),
        FieldRowPanel([FieldPanel("match_text"), FieldPanel("match_text_en")]),
        FieldRowPanel([FieldPanel("is_correct"), FieldPanel("fraction")]),
        FieldRowPanel([FieldPanel("feedback"), FieldPanel("feedback_en")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("option")

    def __str__(self):
        return self.text[:60]


class QuestionVersion(models.Model):
    """A frozen copy of a question (text, options, key) as learners saw and answered it."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["question", "number"]
        verbose_name = _("question version")
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="question_version_number")
        ]

    def __str__(self):
        return f"{self.question_id} v{self.number}"


class Assessment(ClusterableModel):
    """
    An exam: of a course (course exam) or of a track (certification exam, or the recertification
    exam a certificate holder passes with the track's refresher courses to renew).
    """

    class Kind(models.TextChoices):
        COURSE_EXAM = "course", _("Course exam")
        CERTIFICATION_EXAM = "certification", _("Certification exam")
        RECERTIFICATION_EXAM = "recertification", _("Recertification exam")

    class ReviewPolicy(models.TextChoices):
        SCORE_ONLY = "score", _("Score only")
        SCORE_AND_WRONG = "wrong", _("Score and which answers were wrong")
        FULL = "full", _("Score, right answers and explanations")

    class Counting(models.TextChoices):
        BEST = "best", _("Best attempt counts")
        LATEST = "latest", _("Latest attempt counts")

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    track = models.ForeignKey(
        "courses.TrackPage",
        verbose_name=_("track"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), default=30, validators=[MinValueValidator(1)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), default=3, validators=[MinValueValidator(1)]
    )
    cooldown_minutes = models.PositiveIntegerField(_("wait between attempts (minutes)"), default=0)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    review_policy = models.CharField(
        _("after submitting, show"),
        max_length=6,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.SCORE_AND_WRONG,
    )
    counting = models.CharField(
        _("which attempt counts"), max_length=6, choices=Counting.choices, default=Counting.BEST
    )
    is_active = models.BooleanField(_("active"), default=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("title_en"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("course"), FieldPanel("track")]),
        InlinePanel("draw_rules", heading=_("Questions drawn"), label=_("Draw rule"), min_num=1),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark_percent"), FieldPanel("time_limit_minutes")]),
                FieldRowPanel([FieldPanel("max_attempts"), FieldPanel("cooldown_minutes")]),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_options")]),
                FieldRowPanel([FieldPanel("review_policy"), FieldPanel("counting")]),
            ],
            heading=_("Rules"),
        ),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="course") & Q(course__isnull=False) & Q(track__isnull=True))
                | (
                    Q(kind__in=["certification", "recertification"])
                    & Q(track__isnull=False)
                    & Q(course__isnull=True)
                ),
                name="assessment_attached_by_kind",
            ),
            # One live exam per course and per track and kind, so "the exam" of a course and
            # "the recertification exam" of a track are well defined.
            models.UniqueConstraint(
                fields=["course"], condition=Q(is_active=True), name="assessment_one_per_course"
            ),
            models.UniqueConstraint(
                fields=["track", "kind"],
                condition=Q(is_active=True),
                name="assessment_one_per_track",
            ),
        ]

    def __str__(self):
        return self.title


class DrawRule(Orderable):
    """Draw `count` questions from a category, optionally of one difficulty."""

    assessment = ParentalKey(Assessment, on_delete=models.CASCADE, related_name="draw_rules")
    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveSmallIntegerField(_("questions"), validators=[MinValueValidator(1)])
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Question.Difficulty.choices, null=True, blank=True
    )

    panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("count"), FieldPanel("difficulty")])
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("draw rule")


class Attempt(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        SUBMITTED = "submitted", pgettext_lazy("exam attempt", "Submitted")
        CLOSED = "closed", _("Closed at the time limit")

    staff = models.ForeignKey("network.Staff", on_delete=models.PROTECT, related_name="attempts")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["staff", "assessment", "number"]
        verbose_name = _("attempt")
        constraints = [
            # The attempt limit holds under races: two starts compute the same next number.
            models.UniqueConstraint(
                fields=["staff", "assessment", "number"], name="attempt_number_unique"
            ),
            models.UniqueConstraint(
                fields=["staff", "assessment"],
                condition=Q(status="open"),
                name="attempt_one_open",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="attempt_number_positive"),
            models.CheckConstraint(
                condition=Q(deadline__gt=F("started_at")), name="attempt_deadline_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.staff_id} · {self.assessment_id} #{self.number}"


class AttemptItem(models.Model):
    """One drawn question of an attempt, with the option order shown and the answer given."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="items")
    option_order = models.JSONField(default=list)
    response = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_item_position")
        ]

    def __str__(self):
        return f"{self.attempt_id}:{self.position}"


class AssessmentResult(models.Model):
    """What counts for a person on an exam, by its counting rule (best or latest attempt)."""

    staff = models.ForeignKey("network.Staff", on_delete=models.PROTECT, related_name="results")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="results")
    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="+")
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    passed = models.BooleanField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "assessment"], name="result_one_per_exam")
        ]

    def __str__(self):
        return f"{self.staff_id} · {self.assessment_id}: {self.percent}"


class Regrade(models.Model):
    """A trainer's correction of a question's key, previewed and then applied to attempts."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLYING = "applying", _("Applying")
        APPLIED = "applied", _("Applied")

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="regrades")
    from_version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    to_version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    preview = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"regrade of {self.question_id}: v{self.from_version_id} → v{self.to_version_id}"


class GradeChange(models.Model):
    """Every change of a grade after it was first given: who, when, old, new and why."""

    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="grade_changes")
    regrade = models.ForeignKey(
        Regrade, on_delete=models.PROTECT, null=True, blank=True, related_name="changes"
    )
    old_score = models.DecimalField(max_digits=8, decimal_places=2)
    new_score = models.DecimalField(max_digits=8, decimal_places=2)
    old_passed = models.BooleanField()
    new_passed = models.BooleanField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A regrade changes an attempt's grade once: applied again (a task delivered twice,
            # a worker that died after the commit), it records no second change.
            models.UniqueConstraint(
                fields=["attempt", "regrade"],
                condition=Q(regrade__isnull=False),
                name="grade_change_once_per_regrade",
            )
        ]

    def __str__(self):
        return f"{self.attempt_id}: {self.old_score} → {self.new_score}"


class PracticalChecklist(ClusterableModel):
    """The criteria an assessor observes for a track's practical assessment (实操考核)."""

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    track = models.ForeignKey(
        "courses.TrackPage", verbose_name=_("track"), on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("title_en"),
        FieldPanel("track"),
        InlinePanel("criteria", heading=_("Criteria"), label=_("Criterion"), min_num=1),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("practical checklist")
        constraints = [
            models.UniqueConstraint(
                fields=["track"], condition=Q(is_active=True), name="checklist_one_per_track"
            )
        ]

    def __str__(self):
        return self.title


class PracticalCriterion(Orderable):
    checklist = ParentalKey(PracticalChecklist, on_delete=models.CASCADE, related_name="criteria")
    text = models.CharField(_("criterion"), max_length=300)
    text_en = models.CharField(_("criterion (English)"), max_length=300, blank=True)
    critical = models.BooleanField(
        _("critical"), default=False, help_text=_("Failing a critical criterion fails it all.")
    )

    panels = [FieldPanel("text"), FieldPanel("text_en"), FieldPanel("critical")]

    class Meta(Orderable.Meta):
        verbose_name = _("criterion")

    def __str__(self):
        return self.text[:60]


class PracticalAssessment(models.Model):
    """An assessor's observation of one learner against a checklist."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    checklist = models.ForeignKey(
        PracticalChecklist, on_delete=models.PROTECT, related_name="assessments"
    )
    learner = models.ForeignKey(
        "network.Staff", on_delete=models.PROTECT, related_name="practical_assessments"
    )
    assessor = models.ForeignKey(
        "network.Staff", on_delete=models.PROTECT, related_name="practical_assessments_given"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    passed = models.BooleanField(null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("practical assessment")
        constraints = [
            models.CheckConstraint(
                condition=~Q(learner=F("assessor")), name="practical_not_self_assessed"
            ),
            models.UniqueConstraint(
                fields=["learner", "checklist"],
                condition=Q(status="in_progress"),
                name="practical_one_in_progress",
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress", passed__isnull=True)
                | Q(status="completed", passed__isnull=False, completed_at__isnull=False),
                name="practical_completed_has_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.checklist_id}: {self.learner_id} by {self.assessor_id}"


class CriterionResult(models.Model):
    assessment = models.ForeignKey(
        PracticalAssessment, on_delete=models.CASCADE, related_name="results"
    )
    criterion = models.ForeignKey(PracticalCriterion, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField()
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="criterion_result_once"
            )
        ]

    def __str__(self):
        return f"{self.criterion_id}: {'met' if self.met else 'not met'}"


class Evidence(models.Model):
    """A photo taken during a practical assessment; stored privately, served only in scope."""

    assessment = models.ForeignKey(
        PracticalAssessment, on_delete=models.PROTECT, related_name="evidence"
    )
    criterion = models.ForeignKey(
        PracticalCriterion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to="evidence/%Y/%m/", storage=private_storage)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.file.name
