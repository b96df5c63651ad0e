from compliance.computation import State, outlets_compute, people_compute
from network.models import Outlet
from tests.compliance.conftest import TODAY, days


def _by_code(network):
    return {o.code: o for o in outlets_compute(outlets=Outlet.objects.all(), today=TODAY)}


def test_outlet_counts_people_once_and_skips_trainers_and_leavers(known_network):
    outlets = _by_code(known_network)

    assert outlets["A"].people == 3
    assert outlets["B"].people == 3
    assert outlets["C"].people == 4


def test_outlet_requirements_by_state_match_the_hand_count(known_network):
    outlets = _by_code(known_network)

    assert outlets["A"].counts == {"valid": 3, "expiring_30": 1, "missing": 1, "revoked": 1}
    assert (outlets["A"].requirements, outlets["A"].met, outlets["A"].gaps) == (6, 4, 2)
    assert outlets["B"].counts == {
        "valid": 1,
        "expiring_60": 1,
        "expired": 1,
        "suspended": 1,
        "in_progress": 1,
        "overdue": 1,
    }
    assert (outlets["B"].requirements, outlets["B"].met, outlets["B"].gaps) == (6, 2, 3)
    assert outlets["C"].counts == {"valid": 8}


def test_headcount_rules_and_verdicts(known_network):
    outlets = _by_code(known_network)
    areas = known_network["areas"]

    assert [(h.role, h.certified, h.minimum) for h in outlets["A"].headcounts] == [
        ("front_desk", 1, 2),
        ("senior_technician", 0, 1),
        ("technician", 1, 1),
    ]
    assert outlets["A"].service_areas() == {areas["counter"].pk: False, areas["repair"].pk: False}
    assert [(h.role, h.certified) for h in outlets["B"].headcounts] == [
        ("front_desk", 0),
        ("senior_technician", 0),
        ("technician", 1),
    ]
    assert outlets["C"].service_areas() == {areas["counter"].pk: True, areas["repair"].pk: True}
    assert [o.compliant for o in outlets.values()] == [False, False, True]
    assert outlets["C"].share == 1.0
    assert outlets["A"].share == 4 / 6


def test_moved_person_counts_at_the_new_outlet_with_the_certificate_earned_at_the_old(
    known_network,
):
    people = {
        p.employee_number: p
        for p in people_compute(outlets=Outlet.objects.filter(code="B"), today=TODAY)
    }
    tech = known_network["tracks"]["tech"]

    assert sorted(people) == ["B1", "B2", "B3"]
    states = {r.track_id: r.state for r in people["B1"].requirements}
    assert states[tech.pk] == State.VALID


def test_person_with_two_roles_holds_both_roles_requirements_once(known_network):
    people = {
        p.employee_number: p
        for p in people_compute(outlets=Outlet.objects.filter(code="A"), today=TODAY)
    }
    tracks = known_network["tracks"]

    a2 = people["A2"]
    assert a2.roles == ["technician", "front_desk"]
    assert {r.track_id: r.state for r in a2.requirements} == {
        tracks["norms"].pk: "valid",
        tracks["tech"].pk: "valid",
        tracks["front"].pk: "missing",
    }
    assert sorted(people) == ["A1", "A2", "A3"]


def test_in_progress_and_overdue_carry_the_enrolment_deadline(known_network):
    b3 = next(
        p
        for p in people_compute(outlets=Outlet.objects.filter(code="B"), today=TODAY)
        if p.employee_number == "B3"
    )
    tracks = known_network["tracks"]

    assert {r.track_id: (r.state, r.due_on) for r in b3.requirements} == {
        tracks["norms"].pk: ("in_progress", days(10)),
        tracks["front"].pk: ("overdue", days(-5)),
    }


def test_an_outlet_outside_the_scope_is_not_computed(known_network):
    result = outlets_compute(outlets=Outlet.objects.filter(code="C"), today=TODAY)

    assert [o.code for o in result] == ["C"]


def test_whole_network_takes_two_queries_whatever_its_size(
    known_network, django_assert_num_queries
):
    with django_assert_num_queries(2):
        outlets_compute(outlets=Outlet.objects.all(), today=TODAY)
