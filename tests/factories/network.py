import datetime

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from network.models import Outlet, PartnerCompany, Staff, StaffAssignment

PASSWORD = "test-pass-2026"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"员工{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PartnerCompanyFactory(DjangoModelFactory):
    class Meta:
        model = PartnerCompany

    code = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"服务商{n}有限公司")


class OutletFactory(DjangoModelFactory):
    class Meta:
        model = Outlet

    code = factory.Sequence(lambda n: f"OUT{n:04d}")
    name = factory.Sequence(lambda n: f"网点{n}")
    province = "湖南省"
    city = "衡阳市"
    city_tier = 3
    ownership = "brand"
    partner_company = None

    class Params:
        partner = factory.Trait(
            ownership="partner", partner_company=factory.SubFactory(PartnerCompanyFactory)
        )


class StaffFactory(DjangoModelFactory):
    class Meta:
        model = Staff
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    employee_number = factory.Sequence(lambda n: f"E{n:06d}")
    role = "technician"
    outlet = factory.SubFactory(OutletFactory)
    partner_company = None
    hire_date = datetime.date(2025, 3, 1)

    @factory.post_generation
    def assignment(obj, create, extracted, **kwargs):
        if create:
            StaffAssignment.objects.create(
                staff=obj, outlet=obj.outlet, role=obj.role, started_on=obj.hire_date
            )
