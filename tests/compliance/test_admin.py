import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import ComplianceSnapshot, HeadcountRule, TrackRequirement
from network.services import staff_assignment_sync
from tests.factories.network import StaffFactory

SNAPSHOTS = reverse("compliance_snapshots")


def snippet_url(model: str, action: str) -> str:
    return reverse(f"wagtailsnippets_compliance_{model}:{action}")


def signed_in(client, role: str):
    person = StaffFactory(role=role, outlet=None)
    staff_assignment_sync(staff=person)  # puts them in their role's admin group
    client.force_login(person.user)
    return person.user


@pytest.fixture
def auditor_client(client, known_network):
    signed_in(client, "auditor")
    return client


def requirement_form(track, **fields) -> dict:
    return {"role": "front_desk", "track": track.pk, "ownership": "", "city_tier": "", **fields}


def rule_form(area, track, **fields) -> dict:
    return {
        "service_area": area.pk,
        "role": "technician",
        "minimum": "1",
        "track": track.pk,
        "ownership": "",
        "city_tier": "",
        "is_active": "on",
        **fields,
    }


def test_auditor_adds_a_required_certificate_for_partner_outlets(auditor_client, known_network):
    tech = known_network["tracks"]["tech"]

    response = auditor_client.post(
        snippet_url("trackrequirement", "add"),
        requirement_form(tech, ownership="partner", is_active="on"),
    )

    assert response.status_code == 302
    added = TrackRequirement.objects.get(role="front_desk", track=tech)
    assert (added.ownership, added.city_tier, added.is_active) == ("partner", None, True)


def test_a_second_identical_requirement_is_refused_with_a_clear_error(
    auditor_client, known_network
):
    norms = known_network["tracks"]["norms"]
    before = TrackRequirement.objects.count()

    response = auditor_client.post(
        snippet_url("trackrequirement", "add"), requirement_form(norms, is_active="on")
    )

    assert response.status_code == 200
    assert "This role already requires this track at the same outlets" in response.content.decode()
    assert TrackRequirement.objects.count() == before


def test_the_same_requirement_for_one_city_tier_only_is_accepted(auditor_client, known_network):
    norms = known_network["tracks"]["norms"]

    response = auditor_client.post(
        snippet_url("trackrequirement", "add"), requirement_form(norms, city_tier="3")
    )

    assert response.status_code == 302
    assert TrackRequirement.objects.filter(role="front_desk", track=norms).count() == 2


def test_a_second_identical_headcount_rule_is_refused_with_a_clear_error(
    auditor_client, known_network
):
    repair, tech = known_network["areas"]["repair"], known_network["tracks"]["tech"]
    before = HeadcountRule.objects.count()

    response = auditor_client.post(
        snippet_url("headcountrule", "add"), rule_form(repair, tech, minimum="3")
    )

    assert response.status_code == 200
    assert "This service area already has a rule for this role and track" in (
        response.content.decode()
    )
    assert HeadcountRule.objects.count() == before


def test_a_headcount_rule_needs_at_least_one_person(auditor_client, known_network):
    counter, front = known_network["areas"]["counter"], known_network["tracks"]["front"]
    before = HeadcountRule.objects.count()

    response = auditor_client.post(
        snippet_url("headcountrule", "add"),
        rule_form(counter, front, role="front_desk", minimum="0", city_tier="1"),
    )

    assert response.status_code == 200
    assert "A headcount rule needs at least one person." in response.content.decode()
    assert HeadcountRule.objects.count() == before


def test_trainer_reads_the_rules_but_may_not_change_them(client, known_network):
    signed_in(client, "trainer")
    norms = known_network["tracks"]["norms"]
    before = TrackRequirement.objects.count()

    listing = client.get(snippet_url("trackrequirement", "list"))
    refused = client.post(snippet_url("trackrequirement", "add"), requirement_form(norms))

    assert listing.status_code == 200
    assert refused.status_code in (302, 403)
    assert TrackRequirement.objects.count() == before
    assert client.get(snippet_url("headcountrule", "list")).status_code == 200
    assert client.get(snippet_url("servicearea", "list")).status_code == 200


def test_auditor_takes_this_months_snapshot_through_the_worker(
    auditor_client, known_network, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = auditor_client.post(SNAPSHOTS)

    assert response.status_code == 302
    assert len(callbacks) == 1
    today = timezone.localdate()
    snapshots = ComplianceSnapshot.objects.all()
    assert {(s.period, s.as_of) for s in snapshots} == {(today.replace(day=1), today)}
    assert snapshots.count() == 3
    listing = auditor_client.get(SNAPSHOTS)
    assert listing.context["months"][0]["outlets"] == 3
    assert "Take snapshot now" in listing.content.decode()


def test_trainer_sees_the_months_but_may_not_take_a_snapshot(
    client, known_network, django_capture_on_commit_callbacks
):
    signed_in(client, "trainer")

    listing = client.get(SNAPSHOTS)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        refused = client.post(SNAPSHOTS)

    assert listing.status_code == 200
    assert "Take snapshot now" not in listing.content.decode()
    # The Wagtail admin answers a refusal with a redirect and a message.
    assert (refused.status_code, refused.url) == (302, reverse("wagtailadmin_home"))
    assert callbacks == []
    assert not ComplianceSnapshot.objects.exists()


def test_outlet_manager_cannot_reach_the_snapshots(client, known_network):
    client.force_login(known_network["staff"]["a3"].user)

    assert client.post(SNAPSHOTS).status_code in (302, 403)
    assert not ComplianceSnapshot.objects.exists()


@pytest.mark.parametrize("extra", [0, 20])
def test_rule_listings_queries_do_not_grow_with_rules(
    auditor_client, known_network, django_assert_num_queries, extra
):
    combinations = [
        (role, track, tier)
        for track in known_network["tracks"].values()
        for role in ("front_desk", "technician", "senior_technician", "outlet_manager")
        for tier in (1, 2, 3)
    ]
    for role, track, tier in combinations[:extra]:
        TrackRequirement.objects.create(role=role, track=track, ownership="partner", city_tier=tier)
        HeadcountRule.objects.create(
            service_area=known_network["areas"]["repair"],
            role=role,
            track=track,
            ownership="partner",
            city_tier=tier,
        )

    for model, queries in (("trackrequirement", 11), ("headcountrule", 12)):
        with django_assert_num_queries(queries):
            response = auditor_client.get(snippet_url(model, "list"))
        assert response.status_code == 200
