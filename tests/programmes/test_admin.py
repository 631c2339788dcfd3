"""L&D change skills, targets, assessments and programmes in the admin. Every write there
goes through the programmes services: audited like in the app, refused like in the app (the
refusal on the form, a 400, nothing saved), deletes and bulk deletes included."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peertrain.audit.events import subscribe, unsubscribe
from peertrain.audit.models import AuditEvent
from peertrain.core.errors import DomainError
from programmes.models import Programme, Skill, SkillAssessment, SkillTarget
from programmes.services import target_set

from ..factories import ProgrammeFactory, SkillFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/programmes"


def actions(actor) -> list[str]:
    return list(
        AuditEvent.objects.filter(actor=actor, action__startswith="programmes.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def bulk_delete(client, model: str, rows) -> None:
    response = client.post(
        f"{ADMIN}/{model}/",
        {"action": "delete_selected", "_selected_action": [row.pk for row in rows], "post": "yes"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def staff_client(client, ld_staff):
    client.force_login(ld_staff)
    return client


@pytest.fixture
def refused():
    """Make a service refuse (as a higher app's handler may): ``refused("code")``."""
    added = []

    def refuse(event):
        raise DomainError(f"Refused: {event.code} is not allowed now.")

    def add(code):
        subscribe(code, refuse)
        added.append(code)

    yield add
    for code in added:
        unsubscribe(code, refuse)


@pytest.fixture
def target(team, ld_staff):
    return target_set(team=team, skill=SkillFactory(), target_level=2, priority=1, by=ld_staff)


# --- Targets ------------------------------------------------------------------------------
def test_a_target_added_in_the_admin_is_audited(staff_client, ld_staff, team):
    skill = SkillFactory()

    response = staff_client.post(
        f"{ADMIN}/skilltarget/add/",
        {"team": team.pk, "skill": skill.pk, "target_level": 3, "priority": 2},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert SkillTarget.objects.get(team=team, skill=skill).target_level == 3
    assert actions(ld_staff) == ["programmes.target.set"]


def test_a_target_the_service_refuses_is_not_saved_and_says_why(staff_client, team, refused):
    refused("programmes.target.set")

    response = staff_client.post(
        f"{ADMIN}/skilltarget/add/",
        {"team": team.pk, "skill": SkillFactory().pk, "target_level": 3, "priority": 2},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Refused: programmes.target.set is not allowed now." in page
    assert "was added successfully" not in page
    assert not SkillTarget.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_refused_change_keeps_the_target_as_it_was(staff_client, target, refused):
    refused("programmes.target.set")

    response = staff_client.post(
        f"{ADMIN}/skilltarget/{target.pk}/change/", {"target_level": 4, "priority": 3}
    )

    assert response.status_code == 400
    target.refresh_from_db()
    assert (target.target_level, target.priority) == (2, 1)


def test_a_refused_delete_says_why_and_deletes_nothing(
    staff_client, ld_staff, target, team, refused
):
    other = target_set(team=team, skill=SkillFactory(), target_level=1, priority=1, by=ld_staff)
    refused("programmes.target.removed")

    single = staff_client.post(
        f"{ADMIN}/skilltarget/{target.pk}/delete/", {"post": "yes"}, follow=True
    )
    bulk = staff_client.post(
        f"{ADMIN}/skilltarget/",
        {"action": "delete_selected", "_selected_action": [target.pk, other.pk], "post": "yes"},
        follow=True,
    )

    for response in (single, bulk):
        page = response.content.decode()
        assert "Refused: programmes.target.removed is not allowed now." in page
        assert "deleted successfully" not in page.lower()
    assert SkillTarget.objects.count() == 2


def test_changing_a_target_changes_that_target_only(staff_client, ld_staff, target):
    response = staff_client.post(
        f"{ADMIN}/skilltarget/{target.pk}/change/",
        # team and skill are the target itself: shown, not changeable
        {"team": TeamFactory().pk, "target_level": 4, "priority": 3},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert SkillTarget.objects.get().target_level == 4
    assert SkillTarget.objects.get().team_id == target.team_id


def test_deleting_a_target_is_audited(staff_client, ld_staff, target):
    staff_client.post(f"{ADMIN}/skilltarget/{target.pk}/delete/", {"post": "yes"})

    assert not SkillTarget.objects.exists()
    assert actions(ld_staff)[-1] == "programmes.target.removed"


def test_bulk_deleting_targets_audits_each(staff_client, ld_staff, target, team):
    other = target_set(team=team, skill=SkillFactory(), target_level=1, priority=1, by=ld_staff)

    bulk_delete(staff_client, "skilltarget", [target, other])

    assert not SkillTarget.objects.exists()
    removed = AuditEvent.objects.filter(action="programmes.target.removed")
    assert sorted(removed.values_list("object_id", flat=True)) == sorted(
        [str(target.pk), str(other.pk)]
    )


# --- Skills -------------------------------------------------------------------------------
def test_skills_added_changed_and_deleted_in_the_admin_are_audited(staff_client, ld_staff):
    data = {"name": "Negotiation", "slug": "negotiation", "category": "Sales", "description": ""}
    staff_client.post(f"{ADMIN}/skill/add/", data)
    skill = Skill.objects.get(slug="negotiation")
    staff_client.post(f"{ADMIN}/skill/{skill.pk}/change/", data | {"category": "Commercial"})
    staff_client.post(f"{ADMIN}/skill/{skill.pk}/delete/", {"post": "yes"})
    others = SkillFactory.create_batch(2)
    bulk_delete(staff_client, "skill", others)

    assert not Skill.objects.exists()
    assert actions(ld_staff) == [
        "programmes.skill.created",
        "programmes.skill.updated",
        "programmes.skill.deleted",
        "programmes.skill.deleted",
        "programmes.skill.deleted",
    ]


# --- Assessments --------------------------------------------------------------------------
def test_an_assessment_the_service_refuses_is_a_form_error_not_a_500(staff_client, employee):
    response = staff_client.post(
        f"{ADMIN}/skillassessment/add/",
        # a self-assessment can only come from the person themselves
        {"user": employee.pk, "skill": SkillFactory().pk, "level": 2, "source": "self"},
    )

    assert response.status_code == 400
    assert "Only you can self-assess" in response.content.decode()
    assert not SkillAssessment.objects.exists()


# --- Programmes ---------------------------------------------------------------------------
def programme_data(*, owner, skill, team, **changes) -> dict:
    return {
        "title": "Customer calls",
        "goals": "Everyone handles a hard call.",
        "skills": [skill.pk],
        "audience_teams": [team.pk],
        "owner": owner.pk,
        "starts_on": "2026-12-01",
        "ends_on": "",
        "status": "draft",
    } | changes


def test_a_programme_added_in_the_admin_is_saved_once_and_audited_as_created(
    staff_client, ld_staff, team
):
    skill = SkillFactory()

    response = staff_client.post(
        f"{ADMIN}/programme/add/", programme_data(owner=ld_staff, skill=skill, team=team)
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    programme = Programme.objects.get()
    assert list(programme.skills.all()) == [skill]
    assert list(programme.audience_teams.all()) == [team]
    assert actions(ld_staff) == ["programmes.programme.created"]


def test_a_programme_changed_in_the_admin_is_written_once(staff_client, ld_staff, team):
    programme = ProgrammeFactory(owner=ld_staff)
    skill = SkillFactory()

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.post(
            f"{ADMIN}/programme/{programme.pk}/change/",
            programme_data(owner=ld_staff, skill=skill, team=team, status="active"),
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "programmes_programme"')]
    assert len(updates) == 1
    assert actions(ld_staff) == ["programmes.programme.updated"]
    assert list(Programme.objects.get().skills.all()) == [skill]


def test_deleting_programmes_is_audited_singly_and_in_bulk(staff_client, ld_staff):
    one, two, three = ProgrammeFactory.create_batch(3, owner=UserFactory())

    staff_client.post(f"{ADMIN}/programme/{one.pk}/delete/", {"post": "yes"})
    bulk_delete(staff_client, "programme", [two, three])

    assert not Programme.objects.exists()
    deleted = AuditEvent.objects.filter(action="programmes.programme.deleted")
    assert sorted(event.data["title"] for event in deleted) == sorted(
        [one.title, two.title, three.title]
    )
