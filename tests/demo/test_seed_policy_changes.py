import pytest

from certificates.models import Certificate, PolicyUpdate
from courses.models import PolicyChange
from courses.selectors import my_policy_updates
from demo.demo_policy_changes import DUE_IN_DAYS, EFFECTIVE_DAYS_AGO, LESSON_SLUG, SUMMARY
from network.models import Staff
from tests.demo.conftest import seed

pytestmark = pytest.mark.django_db


def test_seed_records_a_policy_change_with_holders_due_completed_and_missed(seeded):
    change = PolicyChange.objects.get(summary=SUMMARY)
    assert change.source == PolicyChange.Source.DETECTED
    assert (change.due_on - change.effective_on).days == DUE_IN_DAYS + EFFECTIVE_DAYS_AGO
    updates = PolicyUpdate.objects.filter(policy_change=change)
    assert updates.filter(status=PolicyUpdate.Status.PENDING).count() >= 1
    assert updates.filter(status=PolicyUpdate.Status.COMPLETED).count() == 2
    [missed] = updates.filter(status=PolicyUpdate.Status.MISSED)
    assert missed.certificate.status == Certificate.Status.SUSPENDED
    assert SUMMARY in missed.certificate.status_reason
    technician = Staff.objects.get(user__username="technician")
    assert [u.lesson.slug for u in my_policy_updates(staff=technician)] == [LESSON_SLUG]
    assert "Policy change (recorded now)" in seeded


def test_seeding_again_records_no_second_change(seeded):
    updates = PolicyUpdate.objects.count()
    output = seed()
    assert PolicyChange.objects.filter(summary=SUMMARY).count() == 1
    assert PolicyUpdate.objects.count() == updates
    assert "Policy change (already recorded)" in output
