"""Input larger than its column, or outside any sensible range, is answered beside the field
with a 400 (or the admin's form error), never a database error (a 500), and saves nothing."""

import pytest

from sessions.models import TrainingSession
from trainers.models import TrainerProfile

from ..factories import TrainerProfileFactory, TrainingSessionFactory
from ..training.test_manage_views import edit_data, proposal

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
