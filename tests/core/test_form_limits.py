"""Input larger than its column, or outside any sensible range, is answered beside the field
with a 400 (or the admin's form error), never a database error (a 500), and saves nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from programmes.models import Programme
from sessions.models import TrainingSession
from trainers.models import Nomination, TrainerProfile

from ..factories import (
    CertificationFactory,
    SkillFactory,
    TrainerProfileFactory,
    TrainingSessionFactory,
)
from ..programmes.test_programme_views import programme_data
from ..training.test_manage_views import edit_data, local, proposal

pytestmark = pytest.mark.django_db

LONG_LINK = "https://meet.example.com/" + "a" * 200


@pytest.fixture
def skill(trainer):
    return trainer.trainer_profile.certifications.get().skill


def test_a_video_link_longer_than_its_column_is_refused_on_create(client, trainer, skill):
    client.force_login(trainer)

    response = client.post("/sessions/new/", proposal(skill, video_url=LONG_LINK))

    assert response.status_code == 400
    assert "at most 200 characters" in str(response.context["form"].errors["video_url"])
    assert not TrainingSession.objects.exists()


def test_a_video_link_longer_than_its_column_is_refused_on_edit(client, trainer, skill):
    session = TrainingSessionFactory(lead_trainer=trainer, skill=skill)
    client.force_login(trainer)

    response = client.post(f"/sessions/{session.pk}/edit/", edit_data(session, video_url=LONG_LINK))

    assert response.status_code == 400
    assert "video_url" in response.context["form"].errors
    session.refresh_from_db()
    assert session.video_url == ""


def test_a_video_link_of_exactly_the_column_size_is_saved(client, trainer, skill):
    link = "https://meet.example.com/" + "a" * (200 - len("https://meet.example.com/"))
    client.force_login(trainer)

    response = client.post("/sessions/new/", proposal(skill, video_url=link))

    assert response.status_code == 302
    assert TrainingSession.objects.get().video_url == link


def test_the_admin_refuses_a_monthly_cap_beyond_a_month_of_sessions(client, ld_staff):
    profile = TrainerProfileFactory(monthly_session_cap=4)
    client.force_login(ld_staff)
    url = f"/admin/trainers/trainerprofile/{profile.pk}/change/"
    data = {
        "user": profile.user.pk,
        "bio": "",
        "status": profile.status,
        "nominated_by": "",
        "monthly_session_cap": "99999",
        "certifications-TOTAL_FORMS": "0",
        "certifications-INITIAL_FORMS": "0",
    }

    response = client.post(url, data)

    assert response.status_code == 400  # the admin draws its form again, with the error
    assert "monthly_session_cap" in response.context["adminform"].form.errors
    assert TrainerProfile.objects.get(pk=profile.pk).monthly_session_cap == 4


# --- Sensible bounds, with messages beside the field -----------------------------------------
def _in_days(days: int, hour: int) -> str:
    day = timezone.localdate() + timedelta(days=days)
    return f"{day}T{hour:02d}:00"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ends_at", "9999-12-31T23:00", "Choose a date between"),
        ("starts_at", "0001-01-01T10:00", "Choose a date between"),
        ("booking_deadline", "0001-01-01T09:00", "Choose a date between"),
        ("ends_at", _in_days(14, 23), "at most 12 hours"),
        ("booking_deadline", f"{timezone.localdate() - timedelta(days=400)}T09:00", "a year"),
        ("repeat_until", "9999-12-31", "Choose a date between"),
    ],
)
def test_session_times_out_of_bounds_are_refused_beside_the_field(
    client, trainer, skill, field, value, message
):
    client.force_login(trainer)
    overrides = {field: value}
    if field == "repeat_until":
        overrides["repeat_every_weeks"] = "1"

    response = client.post("/sessions/new/", proposal(skill, **overrides))

    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert not TrainingSession.objects.exists()


def test_a_long_description_is_refused_but_a_generous_one_is_kept(client, trainer, skill):
    client.force_login(trainer)

    refused = client.post("/sessions/new/", proposal(skill, description="x" * 100_000))
    kept = client.post("/sessions/new/", proposal(skill, description="x" * 5000))

    assert refused.status_code == 400
    assert "description" in refused.context["form"].errors
    assert kept.status_code == 302


def test_a_session_saved_before_the_limits_can_still_be_renamed(client, trainer, skill):
    """Limits apply to times being set: an older 14-hour session keeps working."""
    starts = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    session = TrainingSessionFactory(
        lead_trainer=trainer, skill=skill, starts_at=starts, ends_at=starts + timedelta(hours=14)
    )
    client.force_login(trainer)

    response = client.post(
        f"/sessions/{session.pk}/edit/", edit_data(session, title="Renamed, same times")
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Renamed, same times"


def test_moving_a_session_to_last_a_day_is_refused_on_edit(client, trainer, skill):
    session = TrainingSessionFactory(lead_trainer=trainer, skill=skill)
    ends = session.starts_at + timedelta(hours=20)
    client.force_login(trainer)

    response = client.post(
        f"/sessions/{session.pk}/edit/",
        edit_data(session, ends_at=local(ends, session.time_zone)),
    )

    assert response.status_code == 400
    assert "at most 12 hours" in str(response.context["form"].errors["ends_at"])


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"goals": "g" * 100_000}, "goals", "at most 5000 characters"),
        ({"starts_on": "0001-01-01", "ends_on": ""}, "starts_on", "Choose a date between"),
        ({"ends_on": "9999-12-31"}, "ends_on", "Choose a date between"),
        ({"starts_on": "2026-01-12", "ends_on": "2031-06-01"}, "ends_on", "at most 5 years"),
    ],
)
def test_programme_input_out_of_bounds_is_refused_beside_the_field(
    client, ld_staff, team, overrides, field, message
):
    client.force_login(ld_staff)
    data = programme_data([SkillFactory()], [team], ld_staff, **overrides)

    response = client.post("/programmes/new/", data)

    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert not Programme.objects.exists()


def test_the_admin_refuses_a_programme_in_year_one(client, ld_staff, team):
    skill = SkillFactory()
    client.force_login(ld_staff)
    data = {
        "title": "Ancient history",
        "goals": "None",
        "skills": [skill.pk],
        "audience_teams": [team.pk],
        "owner": ld_staff.pk,
        "starts_on": "0001-01-01",
        "ends_on": "",
        "status": "draft",
    }

    response = client.post("/admin/programmes/programme/add/", data)

    assert response.status_code == 400  # the admin draws its form again, with the error
    assert "starts_on" in response.context["adminform"].form.errors
    assert not Programme.objects.exists()


def test_the_admin_refuses_a_certification_expiring_in_9999(client, ld_staff):
    certification = CertificationFactory()
    client.force_login(ld_staff)
    url = f"/admin/trainers/certification/{certification.pk}/change/"
    data = {
        "trainer": certification.trainer.pk,
        "skill": certification.skill.pk,
        "issued_at_0": "2026-11-01",
        "issued_at_1": "09:00:00",
        "expires_at_0": "9999-12-31",
        "expires_at_1": "23:59:00",
        "issued_by": "",
    }

    response = client.post(url, data)

    assert response.status_code == 400  # the admin draws its form again, with the error
    assert "expires_at" in response.context["adminform"].form.errors
    certification.refresh_from_db()
    assert certification.expires_at is None


def test_nominating_an_id_beyond_any_id_is_a_400(client, ld_staff):
    client.force_login(ld_staff)

    response = client.post(
        "/trainers/nominate/", {"user": str(10**30), "skill": "1", "reason": "Knows it."}
    )

    assert response.status_code == 400
    assert not Nomination.objects.exists()
