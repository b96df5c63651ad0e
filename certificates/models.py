"""
Certificates (证书 / 上岗证): what a person earned on a track, frozen as it was at issue, with every
change of its status. Nothing here is ever deleted: a renewal or a correction is a new certificate
that supersedes the old one, so the chain stays visible.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.jobs import ProgressJob
from core.storage import private_storage


class CertificateSerial(models.Model):
    """
    The last serial number given out in a year. Issuing locks this row, so two issuances at once
    never draw the same number, and a rolled-back issuance leaves no gap.
    """

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate serial counter")

    def __str__(self):
        return f"{self.year}: {self.last}"


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    # A live certificate is one that still belongs to its holder: valid, or suspended pending an
    # audit. There is at most one per person and track.
    LIVE_STATUSES = (Status.VALID, Status.SUSPENDED)

    serial = models.CharField(_("serial number"), max_length=32, unique=True)
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    holder = models.ForeignKey(
        "network.Staff",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    # The holder and their outlet as they were at issue: a person who moves keeps the certificate
    # their old outlet earned them, and it still says where it was earned.
    holder_name = models.CharField(_("holder name"), max_length=150)
    employee_number = models.CharField(_("employee number"), max_length=32)
    outlet_code = models.CharField(_("outlet code"), max_length=32, blank=True)
    outlet_name = models.CharField(_("outlet"), max_length=200, blank=True)
    outlet_name_en = models.CharField(_("outlet (English)"), max_length=200, blank=True)
    partner_company_name = models.CharField(_("partner company"), max_length=200, blank=True)
    track = models.ForeignKey(
        "courses.TrackPage",
        verbose_name=_("track"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    track_title = models.CharField(_("track"), max_length=255)
    track_title_en = models.CharField(_("track (English)"), max_length=255, blank=True)
    cycle = models.PositiveSmallIntegerField(
        _("cycle"), help_text=_("1 for a person's first certificate of a track, +1 for each next.")
    )
    course_revisions = models.JSONField(_("courses learned"), default=list)
    scores = models.JSONField(_("scores"), default=dict)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(
        _("valid until"), help_text=_("The last day the certificate is valid.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALID
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    payload = models.JSONField(_("signed payload"), default=dict)
    token = models.TextField(_("signature token"), blank=True)
    pdf = models.FileField(
        _("PDF"), upload_to="certificates/%Y/", storage=private_storage, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "track", "cycle"], name="certificate_one_per_cycle"
            ),
            models.UniqueConstraint(
                fields=["holder", "track"],
                condition=Q(status__in=["valid", "suspended"]),
                name="certificate_one_live_per_track",
            ),
            models.CheckConstraint(condition=Q(cycle__gte=1), name="certificate_cycle_positive"),
            models.CheckConstraint(
                condition=Q(expires_on__gte=F("issued_on")), name="certificate_expires_after_issue"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["valid", "expired", "suspended", "revoked", "superseded"]),
                name="certificate_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_on"], name="certificate_status_expiry_idx")
        ]

    def __str__(self):
        return f"{self.serial} {self.holder_name} · {self.track_title}"


class CertificateEvent(models.Model):
    """One change of a certificate: who, when, from which status to which, and why."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("Issued")
        SUSPENDED = "suspended", _("Suspended")
        REINSTATED = "reinstated", _("Reinstated")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")
        SUPERSEDED = "superseded", _("Superseded")
        RENEWED = "renewed", _("Renewed")
        # A policy update completed: the holder read the changed lesson's new revision, which
        # the certificate's record (course_revisions) now names.
        UPDATED = "updated", _("Policy update completed")

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)
    from_status = models.CharField(max_length=10, choices=Certificate.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Certificate.Status.choices)
    reason = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["certificate", "created_at", "pk"]
        verbose_name = _("certificate event")

    def __str__(self):
        return f"{self.certificate_id}: {self.action} {self.from_status} → {self.to_status}"


class Recertification(models.Model):
    """
    A certificate holder's enrolment in the track's recertification path (refresher courses and
    recertification exam), opened by the daily lifecycle job when the renewal window opens. One
    per certificate, and one open per person and track, so two runs at once enrol once.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RENEWED = "renewed", _("Renewed")

    certificate = models.OneToOneField(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        related_name="recertification",
    )
    holder = models.ForeignKey(
        "network.Staff",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="recertifications",
    )
    track = models.ForeignKey(
        "courses.TrackPage", verbose_name=_("track"), on_delete=models.PROTECT, related_name="+"
    )
    opens_on = models.DateField(
        _("renewal window opens"),
        help_text=_("Refresher courses and exams count from this day on."),
    )
    due_on = models.DateField(_("due"), help_text=_("The certificate's last valid day."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    renewal = models.OneToOneField(
        Certificate,
        verbose_name=_("renewal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    renewed_at = models.DateTimeField(_("renewed at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("recertification")
        verbose_name_plural = _("recertifications")
        constraints = [
            # A correction supersedes a certificate without a new cycle: its holder keeps the
            # recertification they are on rather than getting a second one.
            models.UniqueConstraint(
                fields=["holder", "track"],
                condition=Q(status="open"),
                name="recertification_one_open_per_track",
            ),
            models.CheckConstraint(
                condition=Q(status="open", renewal__isnull=True, renewed_at__isnull=True)
                | Q(status="renewed", renewal__isnull=False, renewed_at__isnull=False),
                name="recertification_renewed_has_renewal",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("opens_on")), name="recertification_due_after_open"
            ),
        ]

    def __str__(self):
        return f"Recertification of certificate {self.certificate_id} ({self.status})"


class PolicyUpdate(models.Model):
    """
    What a policy change asks of one certificate earned on an older revision of the changed
    lesson: its holder reads the lesson's new revision by `due_on` (the delta, not the whole
    track). The certificate stays valid meanwhile; missed, it is suspended by the daily job
    (`suspended` remembers that this update did it), and reinstated when the holder completes
    the update. Once per certificate and change.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("policy update", "Due")
        COMPLETED = "completed", _("Completed")
        MISSED = "missed", _("Missed")

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        related_name="policy_updates",
    )
    policy_change = models.ForeignKey(
        "courses.PolicyChange",
        verbose_name=_("policy change"),
        on_delete=models.PROTECT,
        related_name="updates",
    )
    # The certificate's holder, kept here so that a person's updates are read without a join.
    holder = models.ForeignKey(
        "network.Staff",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="policy_updates",
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    suspended = models.BooleanField(
        _("suspended the certificate"),
        default=False,
        help_text=_("Missed, this update suspended the certificate, so completing it reinstates."),
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision read"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("policy update")
        verbose_name_plural = _("policy updates")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "policy_change"], name="policy_update_once_per_certificate"
            ),
            models.CheckConstraint(
                condition=Q(status="completed", completed_at__isnull=False)
                | (Q(status__in=["pending", "missed"]) & Q(completed_at__isnull=True)),
                name="policy_update_completed_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="policy_update_status_due_idx")]

    def __str__(self):
        return f"Policy update {self.policy_change_id} of certificate {self.certificate_id}"


class ExpiryReminder(models.Model):
    """One expiry reminder e-mail of a certificate; the constraint sends each milestone once."""

    class Milestone(models.TextChoices):
        DAYS_60 = "60", _("60 days before expiry")
        DAYS_30 = "30", _("30 days before expiry")
        DAYS_7 = "7", _("7 days before expiry")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="expiry_reminders"
    )
    milestone = models.CharField(max_length=2, choices=Milestone.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("expiry reminder")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "milestone"], name="expiry_reminder_once_per_milestone"
            )
        ]

    def __str__(self):
        return f"{self.milestone}-day reminder for certificate {self.certificate_id}"


class RenderJob(ProgressJob):
    """
    One re-rendering of every certificate's PDF, after the template changed. It runs in chunks
    of certificates in primary-key order; `last_certificate_id` is where the next chunk starts,
    so a worker that died mid-job is resumed where it stopped, not from the start.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # True while queued or running, NULL after: the unique constraint lets one job at a time hold
    # True, and the check keeps the flag and the status from disagreeing.
    active = models.BooleanField(null=True, default=True, editable=False)
    # The certificates that existed when the job was started: those up to this id are rendered,
    # and the ones issued later are rendered by their own issuance.
    up_to_certificate_id = models.PositiveBigIntegerField(default=0)
    last_certificate_id = models.PositiveBigIntegerField(default=0)
    total = models.PositiveIntegerField(_("certificates"), default=0)
    done = models.PositiveIntegerField(_("rendered"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("PDF re-rendering")
        verbose_name_plural = _("PDF re-renderings")
        constraints = [
            models.UniqueConstraint(fields=["active"], name="render_job_one_active"),
            models.CheckConstraint(
                condition=(
                    Q(active=True, status__in=["queued", "running"])
                    | Q(active__isnull=True, status__in=["done", "failed"])
                ),
                name="render_job_active_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(done__lte=F("total")) & Q(failed__lte=F("total") - F("done")),
                name="render_job_progress_within_total",
            ),
        ]

    def __str__(self):
        return f"PDF re-rendering {self.pk}: {self.done}/{self.total} {self.status}"


class BulkSuspension(ProgressJob):
    """
    The suspension of every valid certificate of one outlet at once, with one reason (an outlet
    closed for fraud). It suspends exactly the certificates its auditor previewed, in chunks:
    `done + failed` is where the next chunk starts in `certificate_ids`.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    outlet_code = models.CharField(_("outlet code"), max_length=32)
    reason = models.CharField(_("reason"), max_length=300)
    certificate_ids = models.JSONField(_("certificates"), default=list)
    total = models.PositiveIntegerField(_("certificates"), default=0)
    done = models.PositiveIntegerField(_("suspended"), default=0)
    # Certificates that were no longer valid when their turn came (revoked, expired meanwhile).
    failed = models.PositiveIntegerField(_("skipped"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bulk suspension")
        verbose_name_plural = _("bulk suspensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=F("total")) & Q(failed__lte=F("total") - F("done")),
                name="bulk_suspension_progress_within_total",
            ),
        ]

    def __str__(self):
        return f"Bulk suspension {self.pk} of {self.outlet_code}: {self.done}/{self.total}"
