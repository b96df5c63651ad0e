"""
The service network: partner companies, the outlets where customers bring devices, and the
people who work there. Who may see whom is decided here, by the `visible_to` queryset methods.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.phones import phone_normalise
from core.storage import private_storage


class CityTier(models.IntegerChoices):
    TIER_1 = 1, _("Tier 1 city")
    TIER_2 = 2, _("Tier 2 city")
    TIER_3 = 3, _("Tier 3 city and below")


class Ownership(models.TextChoices):
    BRAND = "brand", _("Brand-owned service centre")
    PARTNER = "partner", _("Partner outlet")


class Role(models.TextChoices):
    FRONT_DESK = "front_desk", _("Front desk")
    TECHNICIAN = "technician", _("Technician")
    SENIOR_TECHNICIAN = "senior_technician", _("Senior technician")
    OUTLET_MANAGER = "outlet_manager", _("Outlet manager")
    PARTNER_ADMIN = "partner_admin", _("Partner administrator")
    TRAINER = "trainer", _("Trainer")
    AUDITOR = "auditor", _("Auditor")


# Roles that work at one outlet; the others work for the brand or for a partner company.
OUTLET_ROLES = (Role.FRONT_DESK, Role.TECHNICIAN, Role.SENIOR_TECHNICIAN, Role.OUTLET_MANAGER)
# Trainers assess and auditors supervise anyone in the network.
NETWORK_WIDE_ROLES = (Role.TRAINER, Role.AUDITOR)


class _Viewer:
    """What the scope rules need to know about the requesting user, read once per user object."""

    __slots__ = ("network_wide", "staff_id", "outlet_id", "partner_company_id", "role")

    def __init__(self, *, network_wide=False, staff=None):
        self.network_wide = network_wide
        self.staff_id = staff.pk if staff else None
        self.outlet_id = staff.outlet_id if staff else None
        self.partner_company_id = staff.partner_company_id if staff else None
        self.role = staff.role if staff else None


def _viewer(user) -> _Viewer:
    cached = getattr(user, "_network_viewer", None)
    if cached is not None:
        return cached
    if not user or not user.is_authenticated or not user.is_active:
        viewer = _Viewer()
    elif user.is_superuser:
        viewer = _Viewer(network_wide=True)
    else:
        staff = Staff.objects.filter(user=user, is_active=True).first()
        viewer = _Viewer(network_wide=bool(staff and staff.role in NETWORK_WIDE_ROLES), staff=staff)
    if user is not None:
        user._network_viewer = viewer
    return viewer


def viewer_scope_key(user) -> str:
    """
    What decides the signed-in person's scope today (network-wide, role, outlet, company), as
    one string: a file made for one scope is not handed out under another.
    """
    viewer = _viewer(user)
    return (
        f"{int(viewer.network_wide)}:{viewer.role or ''}:{viewer.outlet_id or ''}:"
        f"{viewer.partner_company_id or ''}"
    )


def viewer_outlet_id(user) -> int | None:
    """The outlet the signed-in person works at today, read once per user object (or None)."""
    return _viewer(user).outlet_id


class PartnerCompanyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the partner companies `user` may see."""
        viewer = _viewer(user)
        if viewer.network_wide:
            return self
        if viewer.role == Role.PARTNER_ADMIN:
            return self.filter(pk=viewer.partner_company_id)
        if viewer.outlet_id:
            return self.filter(outlets__pk=viewer.outlet_id)
        return self.none()


class PartnerCompany(models.Model):
    """An outsourcing company that runs partner outlets under contract (外包服务商)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = PartnerCompanyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("partner company")
        verbose_name_plural = _("partner companies")

    def __str__(self):
        return f"{self.name} ({self.code})"


class OutletQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the outlets `user` may see: one, a partner's, all or none."""
        viewer = _viewer(user)
        if viewer.network_wide:
            return self
        if viewer.role == Role.PARTNER_ADMIN:
            return self.filter(partner_company_id=viewer.partner_company_id)
        if viewer.outlet_id:
            return self.filter(pk=viewer.outlet_id)
        return self.none()


class Outlet(models.Model):
    """A place where customers bring devices (服务网点); the unit of compliance."""

    code = models.CharField(_("outlet code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    province = models.CharField(_("province"), max_length=50)
    city = models.CharField(_("city"), max_length=50)
    city_tier = models.PositiveSmallIntegerField(_("city tier"), choices=CityTier.choices)
    ownership = models.CharField(_("ownership"), max_length=10, choices=Ownership.choices)
    partner_company = models.ForeignKey(
        PartnerCompany,
        verbose_name=_("partner company"),
        on_delete=models.PROTECT,
        related_name="outlets",
        null=True,
        blank=True,
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OutletQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("service outlet")
        verbose_name_plural = _("service outlets")
        constraints = [
            # A partner outlet is always run by a partner company; a brand-owned centre never is.
            models.CheckConstraint(
                condition=(Q(ownership="partner") & Q(partner_company__isnull=False))
                | (Q(ownership="brand") & Q(partner_company__isnull=True)),
                name="outlet_partner_company_matches_ownership",
            ),
            models.CheckConstraint(
                condition=Q(city_tier__in=[1, 2, 3]), name="outlet_city_tier_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["province", "city"], name="outlet_province_city_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class StaffQuerySet(models.QuerySet):
    def visible_to(self, user):
        """
        Return the staff `user` may see: an outlet manager their outlet, a partner administrator
        their company's outlets and fellow administrators, trainers and auditors everyone, and any
        other person only themselves.
        """
        viewer = _viewer(user)
        if viewer.network_wide:
            return self
        if viewer.role == Role.PARTNER_ADMIN:
            return self.filter(
                Q(outlet__partner_company_id=viewer.partner_company_id)
                | Q(partner_company_id=viewer.partner_company_id)
            )
        if viewer.role == Role.OUTLET_MANAGER and viewer.outlet_id:
            return self.filter(outlet_id=viewer.outlet_id)
        if viewer.staff_id:
            return self.filter(pk=viewer.staff_id)
        return self.none()

    def active(self):
        return self.filter(is_active=True)


class Staff(models.Model):
    """A person in the service network, with the role they serve in and where."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="staff",
    )
    employee_number = models.CharField(_("employee number"), max_length=32, unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    outlet = models.ForeignKey(
        Outlet,
        verbose_name=_("outlet"),
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
    )
    partner_company = models.ForeignKey(
        PartnerCompany,
        verbose_name=_("administered partner company"),
        help_text=_("Only for partner administrators: the company whose outlets they manage."),
        on_delete=models.PROTECT,
        related_name="administrators",
        null=True,
        blank=True,
    )
    hire_date = models.DateField(_("hire date"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["employee_number"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in OUTLET_ROLES]) | Q(outlet__isnull=False),
                name="staff_outlet_role_has_outlet",
            ),
            models.CheckConstraint(
                condition=~Q(role="partner_admin") | Q(partner_company__isnull=False),
                name="staff_partner_admin_has_company",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="staff_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["outlet", "role"], name="staff_outlet_role_idx")]

    def __str__(self):
        return f"{self.name} ({self.employee_number})"

    def save(self, *args, **kwargs):
        # Sign-in by phone and SMS find people by the number in one form, however it was typed.
        self.phone = phone_normalise(self.phone)
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class AdditionalRole(models.Model):
    """
    A second role a person also serves in at their outlet: in a small outlet the front desk often
    repairs too. They must then hold what both roles require, but they are still one person in
    every headcount.
    """

    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="additional_roles",
    )
    role = models.CharField(
        _("also serves as"),
        max_length=20,
        choices=[(r.value, r.label) for r in OUTLET_ROLES],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["staff", "role"]
        verbose_name = _("additional role")
        verbose_name_plural = _("additional roles")
        constraints = [
            models.UniqueConstraint(fields=["staff", "role"], name="additional_role_once"),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in OUTLET_ROLES]),
                name="additional_role_is_outlet_role",
            ),
        ]

    def __str__(self):
        return f"{self.staff_id}: {self.role}"

    def clean(self):
        if self.staff_id and self.role == self.staff.role:
            raise ValidationError({"role": _("This is already the person's main role.")})
        if self.staff_id and self.staff.outlet_id is None:
            raise ValidationError(
                {"staff": _("Only a person who works at an outlet can serve in a second role.")}
            )


class StaffAssignment(models.Model):
    """
    One period of a person's working life: at an outlet (or none), in a role. Moving a person or
    changing their role closes the open period and opens another, so history is never lost.
    """

    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="assignments"
    )
    outlet = models.ForeignKey(
        Outlet,
        verbose_name=_("outlet"),
        on_delete=models.PROTECT,
        related_name="assignments",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["staff", "started_on", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(ended_on__isnull=True),
                name="staff_assignment_one_open_per_staff",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="staff_assignment_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.staff_id}: {self.role} @ {self.outlet_id} from {self.started_on}"


class ImportBatch(models.Model):
    """An HR file uploaded in the admin, checked and then imported by a Celery task."""

    class Kind(models.TextChoices):
        OUTLETS = "outlets", _("Outlets")
        STAFF = "staff", _("Staff")

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        VALID = "valid", _("Ready to import")
        INVALID = "invalid", _("Has errors")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    report = models.JSONField(_("report"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"
