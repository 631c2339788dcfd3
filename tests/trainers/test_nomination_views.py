"""The nomination pages: anyone nominates (/trainers/nominate/), each person answers their own
(/trainers/nominations/), L&D decide in the review workspace (/trainers/review/)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peertrain.audit.models import AuditEvent
from programmes.models import AssessmentSource
from programmes.services import assessment_record
from sessions.models import Attendance
from trainers.models import Nomination, TrainerProfile
from trainers.services_nominations import nomination_agree, nomination_make

from ..factories import (
    SkillFactory,
    TrainerProfileFactory,
    TrainingSessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
NOMINATE = "/trainers/nominate/"
MINE = "/trainers/nominations/"
REVIEW = "/trainers/review/"


@pytest.fixture
def sql(db):
    return SkillFactory(name="SQL")


@pytest.fixture
def ana(team):
    return UserFactory(team=team, display_name="Ana Teach", email="ana@example.com")


def nominate(nominee, skill, by, reason="Explains joins better than the docs."):
    return nomination_make(nominee=nominee, skill=skill, nominated_by=by, reason=reason)


# --- Nominating ------------------------------------------------------------------------------
def test_a_link_from_the_gap_lists_fills_in_who_and_what(client, employee, ana, sql):
    client.force_login(employee)

    response = client.get(NOMINATE, {"user": ana.pk, "skill": sql.pk, "next": "/skills/"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="nominee">Ana Teach<' in page
    assert f'<option value="{sql.pk}" selected>SQL</option>' in page
    assert 'name="next" value="/skills/"' in page


def test_any_employee_nominates_a_colleague_with_a_reason(client, employee, ana, sql):
    client.force_login(employee)

    response = client.post(
        NOMINATE,
        {
            "user": ana.pk,
            "skill": sql.pk,
            "reason": "She taught me window functions.",
            "next": "/skills/",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/skills/"
    nomination = Nomination.objects.get()
    assert (nomination.nominee, nomination.skill, nomination.nominated_by) == (ana, sql, employee)
    assert nomination.reason == "She taught me window functions."


def test_a_colleague_may_be_named_by_email_and_oneself_too(client, employee, ana, sql):
    client.force_login(employee)

    client.post(NOMINATE, {"email": "ANA@example.com", "skill": sql.pk, "reason": "Knows it."})
    client.post(NOMINATE, {"email": employee.email, "skill": sql.pk, "reason": "I know it."})

    assert {n.nominee for n in Nomination.objects.all()} == {ana, employee}
    assert Nomination.objects.get(nominee=employee).nominee_agreed_at is not None


def test_an_unknown_or_departed_email_is_refused_alike_and_nothing_saved(
    client, employee, ana, sql
):
    ana.is_active = False
    ana.save()
    client.force_login(employee)

    for email in ("ana@example.com", "nobody@example.com"):
        response = client.post(NOMINATE, {"email": email, "skill": sql.pk, "reason": "Knows it."})
        assert response.status_code == 404
        assert f"Nobody signs in with {email}" in response.content.decode()
    assert not Nomination.objects.exists()


def test_nominating_an_inactive_person_by_link_says_why_and_saves_nothing(
    client, employee, ana, sql
):
    ana.is_active = False
    ana.save()
    client.force_login(employee)

    response = client.post(NOMINATE, {"user": ana.pk, "skill": sql.pk, "reason": "Knows it."})

    assert response.status_code == 400
    assert "Ana Teach no longer works here" in response.content.decode()
    assert not Nomination.objects.exists()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"reason": ""}, "Say why they would teach it well."),
        ({"skill": "abc"}, "That isn&#x27;t a skill."),
        ({"skill": "999999"}, "That isn&#x27;t a skill."),
        ({"user": "", "email": ""}, "Give the work email address"),
        ({"user": "", "email": "not an email"}, "Enter a valid email address."),
    ],
)
def test_bad_input_is_a_400_with_a_message_and_the_form_kept(
    client, employee, ana, sql, bad, message
):
    client.force_login(employee)
    data = {"user": ana.pk, "skill": sql.pk, "reason": "Knows it well."} | bad

    response = client.post(NOMINATE, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Nothing was saved" in page
    assert not Nomination.objects.exists()


def test_a_second_nomination_while_one_is_open_is_refused_on_the_form(
    client, employee, other_employee, ana, sql
):
    nominate(ana, sql, other_employee)
    client.force_login(employee)

    response = client.post(NOMINATE, {"user": ana.pk, "skill": sql.pk, "reason": "Knows it."})

    assert response.status_code == 400
    assert "already nominated for SQL" in response.content.decode()
    assert Nomination.objects.count() == 1


@pytest.mark.parametrize("query", [{"user": "abc"}, {"skill": "-1"}, {"user": str(10**30)}])
def test_a_broken_nomination_link_is_a_400(client, employee, query):
    client.force_login(employee)

    response = client.get(NOMINATE, query)

    assert response.status_code == 400
    assert "That nomination link is broken" in response.content.decode()


def test_a_link_to_nobody_is_a_404(client, employee):
    client.force_login(employee)

    assert client.get(NOMINATE, {"user": 999999}).status_code == 404


@pytest.mark.parametrize("path", [NOMINATE, MINE, REVIEW])
def test_anonymous_visitors_are_asked_to_sign_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- My nominations --------------------------------------------------------------------------
def test_my_page_shows_nominations_about_me_and_those_i_made(client, employee, ana, sql):
    nominate(employee, sql, ana, reason="Eli ran our SQL clinic.")
    nominate(ana, SkillFactory(name="Excel"), employee)
    client.force_login(employee)

    page = client.get(MINE).content.decode()

    assert "Eli ran our SQL clinic." in page
    assert "nominated by Ana Teach" in page
    assert "Yes, I'd like to teach it" in page
    assert "Ana Teach" in page
    assert "Excel" in page
    assert "Withdraw" in page


def test_the_nominee_agrees_and_then_declines_another(client, ana, employee, sql):
    first = nominate(ana, sql, employee)
    second = nominate(ana, SkillFactory(name="Excel"), employee)
    client.force_login(ana)

    assert client.post(f"{MINE}{first.pk}/agree/").status_code == 302
    assert client.post(f"{MINE}{second.pk}/decline/", {"reason": "Too busy"}).status_code == 302

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.nominee_agreed_at is not None
    assert first.is_open
    assert (second.state, second.decline_reason) == ("declined", "Too busy")


def test_whoever_nominated_withdraws(client, ana, employee, sql):
    nomination = nominate(ana, sql, employee)
    client.force_login(employee)

    assert client.post(f"{MINE}{nomination.pk}/withdraw/").status_code == 302

    nomination.refresh_from_db()
    assert nomination.state == "withdrawn"


@pytest.mark.parametrize("action", ["agree", "decline"])
def test_only_the_nominee_answers(client, ana, employee, other_employee, sql, action):
    nomination = nominate(ana, sql, employee)
    for person in (employee, other_employee):
        client.force_login(person)
        assert client.post(f"{MINE}{nomination.pk}/{action}/").status_code == 404
    nomination.refresh_from_db()
    assert nomination.is_open
    assert nomination.nominee_agreed_at is None


def test_only_whoever_nominated_withdraws(client, ana, employee, other_employee, sql):
    nomination = nominate(ana, sql, employee)
    for person in (ana, other_employee):
        client.force_login(person)
        assert client.post(f"{MINE}{nomination.pk}/withdraw/").status_code == 404
    nomination.refresh_from_db()
    assert nomination.is_open


def test_answering_a_closed_nomination_is_a_409_that_changes_nothing(client, ana, employee, sql):
    nomination = nominate(ana, sql, employee)
    client.force_login(ana)
    client.post(f"{MINE}{nomination.pk}/decline/")

    response = client.post(f"{MINE}{nomination.pk}/agree/")

    assert response.status_code == 409
    assert "already declined" in response.content.decode()


def test_a_decline_reason_too_long_is_a_400(client, ana, employee, sql):
    nomination = nominate(ana, sql, employee)
    client.force_login(ana)

    response = client.post(f"{MINE}{nomination.pk}/decline/", {"reason": "x" * 6000})

    assert response.status_code == 400
    nomination.refresh_from_db()
    assert nomination.is_open


@pytest.mark.parametrize(
    "path",
    [
        "nominations/1/agree/",
        "nominations/1/decline/",
        "nominations/1/withdraw/",
        "review/1/accept/",
        "review/1/decline/",
        "review/trainers/1/pause/",
        "review/trainers/1/resume/",
    ],
)
def test_actions_refuse_get(client, ld_staff, path):
    client.force_login(ld_staff)

    assert client.get(f"/trainers/{path}").status_code == 405


# --- The review workspace --------------------------------------------------------------------
@pytest.mark.parametrize("person", ["employee", "lead", "trainer"])
def test_only_ld_staff_open_the_review_workspace_or_act_in_it(client, request, person, ana, sql):
    nomination = nomination_agree(nomination=nominate(ana, sql, ana), by=ana)
    profile = TrainerProfileFactory()
    client.force_login(request.getfixturevalue(person))

    assert client.get(REVIEW).status_code == 403
    assert client.post(f"{REVIEW}{nomination.pk}/accept/").status_code == 403
    assert client.post(f"{REVIEW}{nomination.pk}/decline/", {"reason": "No"}).status_code == 403
    assert client.post(f"{REVIEW}trainers/{profile.pk}/pause/").status_code == 403
    nomination.refresh_from_db()
    profile.refresh_from_db()
    assert nomination.is_open
    assert profile.status == TrainerProfile.Status.CERTIFIED


def test_the_workspace_shows_levels_nominator_reason_and_sessions(
    client, ld_staff, ana, employee, sql
):
    assessment_record(user=ana, skill=sql, level=3, source=AssessmentSource.SELF, assessed_by=ana)
    attended = TrainingSessionFactory(
        skill=sql,
        title="Joins in practice",
        status="completed",
        starts_at=timezone.now() - timedelta(days=20),
        ends_at=timezone.now() - timedelta(days=20, hours=-1),
    )
    Attendance.objects.create(session=attended, user=ana, status=Attendance.Status.PRESENT)
    nominate(ana, sql, employee, reason="She taught me window functions.")
    client.force_login(ld_staff)

    page = client.get(REVIEW).content.decode()

    assert "Ana Teach for SQL" in page
    assert "level 3," in page
    assert "verified by nobody yet" in page
    assert "Nominated by Eli Moreno" in page
    assert "She taught me window functions." in page
    assert "Attended 1 session" in page
    assert "Joins in practice" in page
    assert "Taught 0 sessions" in page
    assert "Waiting for Ana Teach to agree" in page


def test_ld_staff_accept_an_agreed_nominee_as_candidate(client, ld_staff, ana, employee, sql):
    nomination = nomination_agree(nomination=nominate(ana, sql, employee), by=ana)
    client.force_login(ld_staff)

    response = client.post(f"{REVIEW}{nomination.pk}/accept/", follow=True)

    assert "Ana Teach is a candidate trainer for SQL." in response.content.decode()
    assert TrainerProfile.objects.get(user=ana).status == TrainerProfile.Status.CANDIDATE


def test_ld_staff_cannot_accept_before_the_nominee_agrees(client, ld_staff, ana, employee, sql):
    nomination = nominate(ana, sql, employee)
    client.force_login(ld_staff)

    response = client.post(f"{REVIEW}{nomination.pk}/accept/")

    assert response.status_code == 409
    assert "hasn&#x27;t agreed to be considered yet" in response.content.decode()
    assert not TrainerProfile.objects.filter(user=ana).exists()


def test_ld_staff_decline_with_a_reason_only(client, ld_staff, ana, employee, sql):
    nomination = nominate(ana, sql, employee)
    client.force_login(ld_staff)

    refused = client.post(f"{REVIEW}{nomination.pk}/decline/", {"reason": ""})
    assert refused.status_code == 400
    assert "Give a reason" in refused.content.decode()
    nomination.refresh_from_db()
    assert nomination.is_open

    client.post(f"{REVIEW}{nomination.pk}/decline/", {"reason": "We have three SQL trainers."})
    nomination.refresh_from_db()
    assert (nomination.state, nomination.decided_by) == ("declined", ld_staff)


def test_ld_staff_pause_and_resume_a_trainer(client, ld_staff, trainer):
    profile = trainer.trainer_profile
    client.force_login(ld_staff)

    client.post(f"{REVIEW}trainers/{profile.pk}/pause/")
    profile.refresh_from_db()
    assert profile.status == TrainerProfile.Status.PAUSED
    assert "(was certified)" in client.get(REVIEW).content.decode()

    client.post(f"{REVIEW}trainers/{profile.pk}/resume/")
    profile.refresh_from_db()
    assert profile.status == TrainerProfile.Status.CERTIFIED
    assert AuditEvent.objects.filter(action="trainers.profile.status_changed").count() == 2


def test_an_illegal_transition_is_a_409_with_a_message(client, ld_staff, ana):
    profile = TrainerProfileFactory(user=ana, status=TrainerProfile.Status.NOMINATED)
    client.force_login(ld_staff)

    response = client.post(f"{REVIEW}trainers/{profile.pk}/pause/")

    assert response.status_code == 409
    assert "is nominated, so can&#x27;t become paused" in response.content.decode()
    profile.refresh_from_db()
    assert profile.status == TrainerProfile.Status.NOMINATED


@pytest.mark.parametrize(
    "path",
    ["999999/accept/", "999999/decline/", "trainers/999999/pause/", "trainers/999999/resume/"],
)
def test_unknown_ids_are_a_404(client, ld_staff, path):
    client.force_login(ld_staff)

    assert client.post(f"{REVIEW}{path}", {"reason": "No"}).status_code == 404


def _review_queries(client, count: int) -> int:
    skills = [SkillFactory() for _ in range(3)]
    for index in range(count):
        person = UserFactory()
        skill = skills[index % 3]
        assessment_record(
            user=person, skill=skill, level=3, source=AssessmentSource.SELF, assessed_by=person
        )
        nominate(person, skill, person)
        TrainerProfileFactory()
        session = TrainingSessionFactory(skill=skill, status="completed", lead_trainer=person)
        Attendance.objects.create(session=session, user=UserFactory(), status="present")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(REVIEW).status_code == 200
    return len(queries)


def test_the_workspace_runs_the_same_queries_for_3_or_30_nominations(client, ld_staff):
    client.force_login(ld_staff)

    small = _review_queries(client, 3)
    large = _review_queries(client, 27)

    assert small == large


def test_the_directory_leads_to_nominating_and_for_ld_staff_to_the_review(
    client, employee, ld_staff
):
    client.force_login(employee)
    links = client.get("/trainers/").content.decode()
    assert 'href="/trainers/nominate/"' in links
    assert 'href="/trainers/nominations/"' in links
    assert 'href="/trainers/review/"' not in links

    client.force_login(ld_staff)
    assert 'href="/trainers/review/"' in client.get("/trainers/").content.decode()
